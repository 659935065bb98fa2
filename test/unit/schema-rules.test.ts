// The checks that run a shared/domain rule inside a request schema (shared/http/schemas/common.ts):
// `across` reports a rule over several fields together with the other fields' problems, and
// stays silent while a field it reads is unsound.
import { describe, expect, it } from 'vitest';
import * as z from '#http/schemas/zod.ts';
import { across, fieldRule } from '#http/schemas/common.ts';

const order = (v: { from: number; to: number }) => (v.to < v.from ? [{ path: 'to', message: 'Must not be before from' }] : []);
const schema = z
  .strictObject({
    from: z.number(),
    to: z.number(),
    kind: z.optional(z.enum(['a', 'b'])),
    fee: z.optional(z.strictObject({ amount: z.number(), currency: z.enum(['USD', 'CAD']) })),
    name: z.optional(z.string().check(z.minLength(1))),
    code: z.optional(z.string().check(z.minLength(1, { abort: true }))),
  })
  .check(
    across(['from', 'to'], order),
    across(['fee.currency'], (v: { fee?: { currency: string } | undefined }) =>
      v.fee && v.fee.currency !== 'USD' ? [{ path: 'fee.currency', message: 'Must be USD' }] : [],
    ),
    across(['kind'], (v: { kind?: string | undefined }) => (v.kind === 'b' ? [{ path: '', message: 'Not b' }] : [])),
  );

const problems = (value: unknown) => {
  const r = z.safeParse(schema, value);
  return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.code === 'unrecognized_keys' ? 'unknown' : i.message]);
};

describe('across', () => {
  it('passes a sound value', () => {
    expect(problems({ from: 1, to: 2 })).toEqual([]);
  });

  it('reports its problems at their paths, the object itself at ""', () => {
    expect(problems({ from: 2, to: 1 })).toEqual([['to', 'Must not be before from']]);
    expect(problems({ from: 1, to: 2, kind: 'b' })).toEqual([['', 'Not b']]);
  });

  it('runs when other fields failed, and an unknown field is no reason to skip it', () => {
    expect(problems({ from: 2, to: 1, kind: 'c', extra: 1 })).toEqual([
      ['kind', expect.stringMatching(/Invalid option/)],
      ['', 'unknown'],
      ['to', 'Must not be before from'],
    ]);
  });

  it('runs beside a sibling that failed under the same parent', () => {
    expect(problems({ from: 1, to: 2, fee: { amount: 'x', currency: 'CAD' } })).toEqual([
      ['fee.amount', expect.stringMatching(/expected number/)],
      ['fee.currency', 'Must be USD'],
    ]);
  });

  it('stays silent while a field it reads, or one above it, failed', () => {
    expect(problems({ from: 'x', to: 1 })).toEqual([['from', expect.stringMatching(/expected number/)]]);
    expect(problems({ from: 2 })).toEqual([['to', expect.stringMatching(/expected number/)]]);
    expect(problems({ from: 1, to: 2, fee: { amount: 1, currency: 'EUR' } })).toEqual([
      ['fee.currency', expect.stringMatching(/Invalid option/)],
    ]);
    expect(problems({ from: 1, to: 2, fee: 5 })).toEqual([['fee', expect.stringMatching(/expected object/)]]);
  });

  it('never runs on a value that is no object', () => {
    expect(problems(null)).toEqual([['', expect.stringMatching(/expected object/)]]);
    expect(problems([1, 2])).toEqual([['', expect.stringMatching(/expected object/)]]);
  });

  it('runs beside a field that failed its own check, but zod stops it after a check marked abort (the schemas use whileSound instead)', () => {
    expect(problems({ from: 2, to: 1, name: '' })).toEqual([
      ['name', expect.stringMatching(/Too small/)],
      ['to', 'Must not be before from'],
    ]);
    expect(problems({ from: 2, to: 1, code: '' })).toEqual([['code', expect.stringMatching(/Too small/)]]);
  });
});

describe('fieldRule', () => {
  const named = z.string().check(fieldRule((s: string) => (s.includes('x') ? 'No x' : undefined)));

  it('reports the rule’s message at the field', () => {
    expect(z.safeParse(z.strictObject({ name: named }), { name: 'box' }).error?.issues).toMatchObject([
      { path: ['name'], message: 'No x' },
    ]);
    expect(z.safeParse(named, 'bob').success).toBe(true);
  });

  it('runs once the field passed its other checks', () => {
    const short = z.string().check(
      z.maxLength(3, 'Too long'),
      fieldRule((s: string) => (s.includes('x') ? 'No x' : undefined)),
    );
    expect(z.safeParse(short, 'boxes').error?.issues.map((i) => i.message)).toEqual(['Too long']);
  });
});
