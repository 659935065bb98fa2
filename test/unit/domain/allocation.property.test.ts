// A package's price over its sessions (shared/domain/allocation.ts): exact to the cent, in
// proportion to list prices, for any price and any mix of sessions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, packageShares, programSlots } from '#domain/allocation.ts';

const amount = fc.integer({ min: 0, max: 50_000_000 });
const counts = fc.record({
  preparation: fc.integer({ min: 0, max: 8 }),
  exploration: fc.integer({ min: 0, max: 12 }),
  integration: fc.integer({ min: 0, max: 12 }),
});
const prices = fc.record({
  preparation: fc.integer({ min: 0, max: 200_000 }),
  exploration: fc.integer({ min: 0, max: 500_000 }),
  integration: fc.integer({ min: 0, max: 200_000 }),
});

describe('allocate', () => {
  it('parts add up to the amount and each is within a cent of its exact proportion', () => {
    fc.assert(
      fc.property(amount, fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }), (a, weights) => {
        const parts = allocate(a, weights);
        expect(parts.reduce((s, p) => s + p, 0)).toBe(a);
        const total = weights.reduce((s, w) => s + w, 0);
        parts.forEach((p, i) => {
          const exact = total === 0 ? a / weights.length : (a * weights[i]!) / total;
          expect(Math.abs(p - exact)).toBeLessThan(1);
          expect(Number.isSafeInteger(p) && p >= 0).toBe(true);
        });
      }),
    );
  });

  it('equal weights get parts at most a cent apart, the earlier ones first', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(100_000, [17_500, 55_000, 55_000])).toEqual([13_726, 43_137, 43_137]);
  });

  it('refuses negative or fractional amounts and weights', () => {
    expect(() => allocate(-1, [1])).toThrow(RangeError);
    expect(() => allocate(1.5, [1])).toThrow(RangeError);
    expect(() => allocate(1, [-1])).toThrow(RangeError);
    expect(() => allocate(1, [])).toThrow(RangeError);
    expect(allocate(0, [])).toEqual([]);
  });
});

describe('packageShares', () => {
  it('the shares of all the program’s sessions add up to the price, for any price and any mix', () => {
    fc.assert(
      fc.property(amount, counts, prices, (price, includes, list) => {
        const n = includes.preparation + includes.exploration + includes.integration;
        fc.pre(n > 0);
        const shares = packageShares(price, includes, list);
        const all = [...shares.preparation, ...shares.exploration, ...shares.integration];
        expect(all).toHaveLength(n);
        expect(all.reduce((s, x) => s + x, 0)).toBe(price);
        for (const s of ['preparation', 'exploration', 'integration'] as const) expect(shares[s]).toHaveLength(includes[s]);
      }),
    );
  });

  it('a program at list price gives each session its list price', () => {
    const includes = { preparation: 2, exploration: 4, integration: 2 };
    const list = { preparation: 17_500, exploration: 55_000, integration: 17_500 };
    expect(packageShares(290_000, includes, list)).toEqual({
      preparation: [17_500, 17_500],
      exploration: [55_000, 55_000, 55_000, 55_000],
      integration: [17_500, 17_500],
    });
    expect(programSlots(includes).map((s) => `${s.service}${s.index}`)).toEqual([
      'preparation0',
      'preparation1',
      'exploration0',
      'exploration1',
      'exploration2',
      'exploration3',
      'integration0',
      'integration1',
    ]);
  });
});
