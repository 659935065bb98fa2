// A package's price over its sessions (shared/domain/allocation.ts): exact to the cent, in
// proportion to list prices, for any price and any mix of sessions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, creditSlots, packageShares, programSlots } from '#domain/allocation.ts';
import type { Appointment } from '#domain/types.ts';

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

  it('all weights 0: split evenly, the earlier ones first', () => {
    expect(allocate(10, [0, 0, 0])).toEqual([4, 3, 3]);
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
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

describe('programSlots', () => {
  it('refuses a session count that is negative or fractional', () => {
    expect(() => programSlots({ preparation: -1, exploration: 4, integration: 2 })).toThrow(RangeError);
    expect(() => programSlots({ preparation: 2, exploration: 1.5, integration: 2 })).toThrow(RangeError);
    expect(programSlots({ preparation: 0, exploration: 1, integration: 0 })).toEqual([{ service: 'exploration', index: 0 }]);
  });
});

describe('creditSlots', () => {
  const DAY = 86_400_000;
  const T = Date.UTC(2026, 5, 1, 14);
  type Ranked = Pick<Appointment, 'id' | 'packageId' | 'service' | 'startsAt' | 'status' | 'late'>;
  const session = (id: string, service: Appointment['service'], startsAt: number, more: Partial<Ranked> = {}): Ranked => ({
    id,
    packageId: 'pkg_1',
    service,
    startsAt,
    status: 'booked',
    ...more,
  });
  const appointments: Ranked[] = [
    session('x-first', 'exploration', T + DAY, { status: 'completed' }),
    session('a-same', 'exploration', T + 2 * DAY),
    session('b-same', 'exploration', T + 2 * DAY),
    session('other-package', 'exploration', T, { packageId: 'pkg_2' }),
    session('on-time', 'exploration', T + 3 * DAY, { status: 'cancelled', late: false }),
    session('late', 'preparation', T, { status: 'cancelled', late: true }),
    session('no-credit', 'ongoing_care', T),
  ];
  const slots = (list: Ranked[], forfeits: boolean) =>
    Object.fromEntries([...creditSlots('pkg_1', list, forfeits)].map(([id, s]) => [id, `${s.service}${s.index}`]));

  it('ranks the package’s sessions of each service by start, then id; other packages’ and uncovered services are left out', () => {
    const expected = { 'x-first': 'exploration0', 'a-same': 'exploration1', 'b-same': 'exploration2', late: 'preparation0' };
    expect(slots(appointments, true)).toEqual(expected);
    expect(slots([...appointments].reverse(), true)).toEqual(expected);
  });

  it('a late cancellation keeps its credit only when the policy forfeits it', () => {
    expect(slots(appointments, false)).toEqual({ 'x-first': 'exploration0', 'a-same': 'exploration1', 'b-same': 'exploration2' });
  });
});
