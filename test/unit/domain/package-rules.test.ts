import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planInstallments } from '#domain/installments.ts';
import {
  applyFact,
  creditCheck,
  creditUseError,
  creditUseRefusal,
  type CreditUseRefusal,
  creditServiceFor,
  creditsFor,
  factsOf,
  isRecorded,
  lapsedAt,
  movingCreditState,
  nextUnpaidInstallment,
  packageStatus,
  refundDue,
  remaining,
  type PackageWithFacts,
  type PaymentFact,
} from '#domain/package-rules.ts';
import {
  CREDIT_SERVICES,
  PACKAGE_STATUSES,
  type Installment,
  type Package,
  type PackageStatus,
  type PaymentRecord,
} from '#domain/packages.ts';
import { SERVICE_CODES } from '#domain/types.ts';
import { packageView } from '#functions/payments/views.ts';

const T0 = Date.UTC(2026, 5, 1, 12);
const DAY = 86_400_000;

/** A 4-exploration standard package (2900.00 USD) paid in full, not yet paid; tests change one thing. */
function pkg(overrides: Partial<Package> = {}): Package {
  return {
    id: 'pkg_1',
    clinicId: 'clinic-1',
    clientId: 'cli_1',
    programId: 'prg_1',
    programName: 'Care program 4 - standard support',
    status: 'pending_payment',
    price: { amount: 290_000, currency: 'USD' },
    payment: 'pay_in_full',
    credits: creditsFor({ preparation: 2, exploration: 4, integration: 2 }),
    payments: [],
    checkoutSessionId: 'cs_1',
    stripe: {},
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...overrides,
  };
}

/** The same package on the clinic's plan: 580.00 down, 3 × 773.33 (+0.01 on the first). */
function financed(overrides: Partial<Package> = {}): Package {
  return pkg({
    payment: 'installments',
    plan: planInstallments({ total: 290_000, downPaymentPercent: 20, count: 3, firstDueDate: '2026-07-01' }),
    ...overrides,
  });
}

const paid: PaymentFact = { kind: 'checkout_paid', ref: 'cs_1', at: T0 + 1_000 };
const inst = (kind: 'installment_paid' | 'installment_failed', n: number, ref: string, at: number): PaymentFact => ({
  kind,
  ref,
  at,
  installment: n,
});

function applyAll(p: Package, facts: PaymentFact[]): PackageWithFacts {
  let out = p as PackageWithFacts;
  for (const f of facts) out = applyFact(out, f);
  return out;
}

/** Deeply frozen copy: applying a fact must not mutate its input. */
function frozen<T>(x: T): T {
  const copy = structuredClone(x);
  const freeze = (o: unknown) => {
    if (o && typeof o === 'object') {
      Object.freeze(o);
      for (const v of Object.values(o)) freeze(v);
    }
  };
  freeze(copy);
  return copy;
}

describe('creditServiceFor and remaining', () => {
  it('maps preparation, exploration and integration to credits; everything else to null', () => {
    const mapped = Object.fromEntries(SERVICE_CODES.map((s) => [s, creditServiceFor(s)]));
    expect(mapped).toEqual({
      intake: null,
      medical_evaluation: null,
      preparation: 'preparation',
      exploration: 'exploration',
      integration: 'integration',
      ongoing_care: null,
    });
  });

  it('remaining is total minus used, never negative', () => {
    expect(remaining({ total: 4, used: 1 })).toBe(3);
    expect(remaining({ total: 4, used: 4 })).toBe(0);
    expect(remaining({ total: 4, used: 6 })).toBe(0);
  });

  it('creditsFor starts every line unused', () => {
    expect(creditsFor({ preparation: 3, exploration: 6, integration: 6 })).toEqual({
      preparation: { total: 3, used: 0 },
      exploration: { total: 6, used: 0 },
      integration: { total: 6, used: 0 },
    });
  });
});

describe('creditUseRefusal: a program credit for a session booked self-pay', () => {
  const appt = { clientId: 'cli_1', clinicId: 'clinic-1', status: 'booked', service: 'preparation' } as const;
  const used = (service: 'preparation' | 'exploration', n: number) => {
    const credits = creditsFor({ preparation: 2, exploration: 4, integration: 2 });
    return { ...credits, [service]: { ...credits[service], used: n } };
  };
  const conflict = (reason: Extract<CreditUseRefusal, { kind: 'conflict' }>['reason']): CreditUseRefusal => ({ kind: 'conflict', reason });
  const rule = (r: 'no_credit' | 'payment_past_due'): CreditUseRefusal => ({ kind: 'rule', rule: r });
  // each row breaks one rule more than the row it follows, so its answer is the first in order
  const rows: Array<[string, Parameters<typeof creditUseRefusal>[0], Parameters<typeof creditUseRefusal>[1], CreditUseRefusal | null]> = [
    ['an active package with a credit left', appt, pkg({ status: 'active' }), null],
    ['a past-due package, for a preparation', appt, pkg({ status: 'past_due' }), null],
    ['checked in', { ...appt, status: 'checked_in' }, pkg({ status: 'active' }), null],
    ['the last credit of the service', appt, pkg({ status: 'active', credits: used('preparation', 1) }), null],
    ['no package', appt, null, { kind: 'not_found' }],
    ["another client's package", appt, pkg({ status: 'active', clientId: 'cli_2' }), { kind: 'not_found' }],
    ["another clinic's package", appt, pkg({ status: 'active', clinicId: 'clinic-2' }), { kind: 'not_found' }],
    ['another client, completed too', { ...appt, status: 'completed' }, pkg({ clientId: 'cli_2' }), { kind: 'not_found' }],
    ['completed', { ...appt, status: 'completed' }, pkg({ status: 'active' }), conflict('appointment_status')],
    ['cancelled', { ...appt, status: 'cancelled' }, pkg({ status: 'active' }), conflict('appointment_status')],
    ['a no-show', { ...appt, status: 'no_show' }, pkg({ status: 'active' }), conflict('appointment_status')],
    ['cancelled and paid by a package', { ...appt, status: 'cancelled', packageId: 'pkg_0' }, pkg(), conflict('appointment_status')],
    ['paid by a package already', { ...appt, packageId: 'pkg_0' }, pkg({ status: 'active' }), conflict('paid_by_package')],
    ['paid by a package, this one unpaid', { ...appt, packageId: 'pkg_0' }, pkg(), conflict('paid_by_package')],
    ['a package not paid yet', appt, pkg({ status: 'pending_payment' }), conflict('package_status')],
    ['a cancelled package', appt, pkg({ status: 'cancelled' }), conflict('package_status')],
    ['a completed package', appt, pkg({ status: 'completed' }), conflict('package_status')],
    [
      'a cancelled package without credits',
      appt,
      pkg({ status: 'cancelled', credits: used('preparation', 2) }),
      conflict('package_status'),
    ],
    ['no credit of the service left', appt, pkg({ status: 'active', credits: used('preparation', 2) }), rule('no_credit')],
    ['an intake: programs do not cover it', { ...appt, service: 'intake' }, pkg({ status: 'active' }), rule('no_credit')],
    ['ongoing care: programs do not cover it', { ...appt, service: 'ongoing_care' }, pkg({ status: 'active' }), rule('no_credit')],
    ['an exploration on a past-due package', { ...appt, service: 'exploration' }, pkg({ status: 'past_due' }), rule('payment_past_due')],
    [
      'an exploration on a past-due package without credit: no_credit first',
      { ...appt, service: 'exploration' },
      pkg({ status: 'past_due', credits: used('exploration', 4) }),
      rule('no_credit'),
    ],
    ['an exploration on an active package', { ...appt, service: 'exploration' }, pkg({ status: 'active' }), null],
  ];

  it.each(rows)('%s', (_name, a, p, expected) => {
    expect(creditUseRefusal(a, p)).toEqual(expected);
  });

  it('each refusal answers its status, code and rule', () => {
    const answer = (r: CreditUseRefusal) => {
      const e = creditUseError(r) as Error & { status: number; code: string; rule?: string };
      return [e.status, e.code, e.rule];
    };
    expect(answer({ kind: 'not_found' })).toEqual([404, 'not_found', undefined]);
    expect(answer({ kind: 'conflict', reason: 'paid_by_package' })).toEqual([409, 'conflict', undefined]);
    expect(answer({ kind: 'rule', rule: 'no_credit' })).toEqual([422, 'rule_violated', 'no_credit']);
    expect(answer({ kind: 'rule', rule: 'payment_past_due' })).toEqual([422, 'rule_violated', 'payment_past_due']);
  });
});

describe('creditUseError messages', () => {
  it('each refusal explains itself in its own words', () => {
    const message = (r: CreditUseRefusal) => creditUseError(r).message;
    expect(message({ kind: 'not_found' })).toBe('No such package');
    expect(message({ kind: 'conflict', reason: 'appointment_status' })).toBe(
      'Only a session still booked or checked in can be paid with a program credit',
    );
    expect(message({ kind: 'conflict', reason: 'paid_by_package' })).toBe('A program pays for this session already');
    expect(message({ kind: 'conflict', reason: 'package_status' })).toBe('This program cannot pay for sessions now');
    expect(message({ kind: 'rule', rule: 'no_credit' })).toBe('The package has no credit left for this service');
    expect(message({ kind: 'rule', rule: 'payment_past_due' })).toBe('A payment on the package is past due');
  });
});

describe('movingCreditState', () => {
  it('a session moved keeps the credit it holds (never no_credit); a past-due package moves no exploration', () => {
    const usedUp = creditsFor({ preparation: 0, exploration: 0, integration: 0 });
    expect(movingCreditState(pkg({ status: 'active', credits: usedUp }))).toEqual({ remaining: 1, pastDue: false });
    expect(movingCreditState(pkg({ status: 'past_due', credits: usedUp }))).toEqual({ remaining: 1, pastDue: true });
  });
});

describe('creditCheck', () => {
  const active = pkg({ status: 'active' });

  it('an active package with credit left allows each of its services', () => {
    for (const s of CREDIT_SERVICES) expect(creditCheck(active, s)).toBeNull();
  });

  it('no_credit: a service the package does not cover', () => {
    for (const s of ['intake', 'medical_evaluation', 'ongoing_care'] as const) expect(creditCheck(active, s)).toBe('no_credit');
    const noIntegration = pkg({ status: 'active', credits: creditsFor({ preparation: 2, exploration: 4, integration: 0 }) });
    expect(creditCheck(noIntegration, 'integration')).toBe('no_credit');
  });

  it('no_credit: none of that service left (one left is enough)', () => {
    const credits = creditsFor({ preparation: 2, exploration: 4, integration: 2 });
    expect(creditCheck({ ...active, credits: { ...credits, exploration: { total: 4, used: 3 } } }, 'exploration')).toBeNull();
    expect(creditCheck({ ...active, credits: { ...credits, exploration: { total: 4, used: 4 } } }, 'exploration')).toBe('no_credit');
    expect(creditCheck({ ...active, credits: { ...credits, exploration: { total: 4, used: 5 } } }, 'exploration')).toBe('no_credit');
    // Other lines are unaffected.
    expect(creditCheck({ ...active, credits: { ...credits, exploration: { total: 4, used: 4 } } }, 'preparation')).toBeNull();
  });

  it.each(['pending_payment', 'cancelled', 'completed'] as const)('no_credit: a %s package cannot be used', (status) => {
    for (const s of CREDIT_SERVICES) expect(creditCheck(pkg({ status }), s)).toBe('no_credit');
  });

  it('payment_past_due: an exploration against a past-due package; preparation and integration stay bookable', () => {
    const pastDue = pkg({ status: 'past_due' });
    expect(creditCheck(pastDue, 'exploration')).toBe('payment_past_due');
    expect(creditCheck(pastDue, 'preparation')).toBeNull();
    expect(creditCheck(pastDue, 'integration')).toBeNull();
  });

  it('no_credit comes before payment_past_due', () => {
    const credits = creditsFor({ preparation: 2, exploration: 4, integration: 2 });
    const pastDueEmpty = pkg({ status: 'past_due', credits: { ...credits, exploration: { total: 4, used: 4 } } });
    expect(creditCheck(pastDueEmpty, 'exploration')).toBe('no_credit');
  });

  it('every status is handled', () => {
    const results = Object.fromEntries(PACKAGE_STATUSES.map((s) => [s, creditCheck(pkg({ status: s }), 'exploration')]));
    expect(results).toEqual({
      pending_payment: 'no_credit',
      active: null,
      past_due: 'payment_past_due',
      cancelled: 'no_credit',
      completed: 'no_credit',
    });
  });
});

describe('refundDue', () => {
  const listPrices = { preparation: 17_500, exploration: 55_000, integration: 17_500 };
  const none = { preparation: 0, exploration: 0, integration: 0 };

  it('what was paid minus the list value of the sessions used', () => {
    // 2900.00 − (2 × 175 + 1 × 550) = 2000.00
    expect(refundDue({ paid: 290_000, used: { preparation: 2, exploration: 1, integration: 0 }, listPrices })).toBe(200_000);
    expect(refundDue({ paid: 290_000, used: { preparation: 1, exploration: 0, integration: 1 }, listPrices })).toBe(255_000);
  });

  it('everything back when nothing was used; nothing when nothing was paid', () => {
    expect(refundDue({ paid: 290_000, used: none, listPrices })).toBe(290_000);
    expect(refundDue({ paid: 0, used: { preparation: 2, exploration: 0, integration: 0 }, listPrices })).toBe(0);
  });

  it('never negative: a financed client who used more than they paid gets nothing back', () => {
    // 580.00 down payment, two preparations and one exploration used (900.00).
    expect(refundDue({ paid: 58_000, used: { preparation: 2, exploration: 1, integration: 0 }, listPrices })).toBe(0);
    expect(refundDue({ paid: 90_000, used: { preparation: 2, exploration: 1, integration: 0 }, listPrices })).toBe(0);
    expect(refundDue({ paid: 90_001, used: { preparation: 2, exploration: 1, integration: 0 }, listPrices })).toBe(1);
  });

  it('rejects negative or fractional input instead of refunding more than was paid', () => {
    expect(() => refundDue({ paid: 100, used: none, listPrices: { ...listPrices, preparation: -50 } })).toThrow(RangeError);
    expect(() => refundDue({ paid: 100, used: { ...none, exploration: -1 }, listPrices })).toThrow(RangeError);
    expect(() => refundDue({ paid: -1, used: none, listPrices })).toThrow(RangeError);
    expect(() => refundDue({ paid: 10.5, used: none, listPrices })).toThrow(RangeError);
  });

  it('property: 0 ≤ refund ≤ paid, and exactly paid − used value when that is positive', () => {
    const countArb = fc.integer({ min: 0, max: 10 });
    const priceArb = fc.integer({ min: 0, max: 200_000 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.record({ preparation: countArb, exploration: countArb, integration: countArb }),
        fc.record({ preparation: priceArb, exploration: priceArb, integration: priceArb }),
        (paidAmount, used, prices) => {
          const r = refundDue({ paid: paidAmount, used, listPrices: prices });
          const value = CREDIT_SERVICES.reduce((s, c) => s + used[c] * prices[c], 0);
          expect(Number.isInteger(r)).toBe(true);
          expect(r).toBeGreaterThanOrEqual(0);
          expect(r).toBeLessThanOrEqual(paidAmount);
          expect(r).toBe(Math.max(0, paidAmount - value));
        },
      ),
    );
  });
});

describe('applyFact: checkout', () => {
  it('pending_payment until a checkout is paid, then active with one full payment', () => {
    const before = frozen(pkg());
    const after = applyFact(before, paid);
    expect(before.status).toBe('pending_payment');
    expect(before.payments).toEqual([]);
    expect(after).not.toBe(before);
    expect(after.status).toBe('active');
    expect(after.payments).toEqual([
      { ref: 'cs_1', kind: 'full', amount: { amount: 290_000, currency: 'USD' }, status: 'succeeded', at: T0 + 1_000 },
    ]);
    expect(after.facts).toEqual([paid]);
  });

  it('the same fact twice changes nothing', () => {
    const once = applyFact(pkg(), paid);
    const twice = applyFact(once, { ...paid });
    expect(twice).toEqual(once);
    expect(isRecorded(once, paid)).toBe(true);
    expect(isRecorded(once, { kind: 'refunded', ref: 'cs_1' })).toBe(false);
    // The first recording stays even if a redelivery differs.
    expect(applyFact(once, { ...paid, amount: 1, at: T0 + 9 }).payments).toEqual(once.payments);
  });

  it('a failed checkout leaves it pending (its failed attempt listed); a later payment activates it', () => {
    const failed = applyFact(pkg(), { kind: 'checkout_failed', ref: 'py_fail', at: T0 + 500 });
    expect(failed.status).toBe('pending_payment');
    expect(failed.payments).toEqual([
      { ref: 'py_fail', kind: 'full', amount: { amount: 290_000, currency: 'USD' }, status: 'failed', at: T0 + 500 },
    ]);
    expect(applyFact(failed, paid).status).toBe('active');
  });

  it('an expired checkout cancels a package that was never paid, but not one that was (in either order)', () => {
    const expired: PaymentFact = { kind: 'checkout_expired', ref: 'cs_1', at: T0 + 2_000 };
    expect(applyFact(pkg(), expired).status).toBe('cancelled');
    expect(applyAll(pkg(), [expired, paid]).status).toBe('active');
    expect(applyAll(pkg(), [paid, expired]).status).toBe('active');
    expect(applyFact(pkg(), expired).payments).toEqual([]);
  });

  it('cancelled is final, even when a payment is reported afterwards (which is still listed)', () => {
    const cancelled: PaymentFact = { kind: 'cancelled', ref: 'cancel_1', at: T0 + 500 };
    for (const order of [
      [cancelled, paid],
      [paid, cancelled],
    ]) {
      const p = applyAll(pkg(), order);
      expect(p.status).toBe('cancelled');
      expect(p.payments.map((x) => x.ref)).toEqual(['cs_1']);
    }
  });

  it('a financed checkout is the down payment', () => {
    const p = applyFact(financed(), paid);
    expect(p.status).toBe('active');
    expect(p.payments).toEqual([
      { ref: 'cs_1', kind: 'down_payment', amount: { amount: 58_000, currency: 'USD' }, status: 'succeeded', at: T0 + 1_000 },
    ]);
    expect(applyFact(financed(), { ...paid, amount: 57_999 }).payments[0]!.amount.amount).toBe(57_999);
  });

  it('refunds are listed and summed into refunded', () => {
    const p = applyAll(pkg(), [
      paid,
      { kind: 'refunded', ref: 're_2', at: T0 + 3 * DAY, amount: 5_000 },
      { kind: 'refunded', ref: 're_1', at: T0 + 2 * DAY, amount: 20_000 },
    ]);
    expect(p.refunded).toEqual({ amount: 25_000, currency: 'USD' });
    expect(p.payments.map((x) => [x.kind, x.ref, x.amount.amount, x.status])).toEqual([
      ['full', 'cs_1', 290_000, 'succeeded'],
      ['refund', 're_1', 20_000, 'succeeded'],
      ['refund', 're_2', 5_000, 'succeeded'],
    ]);
    expect(p.status).toBe('active');
  });

  it('a refund that failed later (refund_failed, in either order) is listed failed and gives nothing back', () => {
    const facts = [
      paid,
      { kind: 'refunded' as const, ref: 're_1', at: T0 + 2 * DAY, amount: 20_000 },
      { kind: 'refunded' as const, ref: 're_2', at: T0 + 2 * DAY, amount: 5_000 },
      { kind: 'refund_failed' as const, ref: 're_1', at: T0 + 3 * DAY },
    ];
    for (const order of [facts, [...facts].reverse()]) {
      const p = applyAll(pkg(), order);
      expect(p.refunded).toEqual({ amount: 5_000, currency: 'USD' });
      expect(p.payments.map((x) => [x.kind, x.ref, x.status])).toEqual([
        ['full', 'cs_1', 'succeeded'],
        ['refund', 're_1', 'failed'],
        ['refund', 're_2', 'succeeded'],
      ]);
    }
  });
});

describe('applyFact: installments', () => {
  const down = applyFact(financed(), paid);

  it('a failed installment makes the package past_due, its charge failed with one attempt', () => {
    const p = applyFact(down, inst('installment_failed', 1, 'ch_1a', T0 + 30 * DAY));
    expect(p.status).toBe('past_due');
    expect(p.plan!.installments[0]).toMatchObject({ n: 1, status: 'failed', attempts: 1 });
    expect(p.plan!.installments[1]).toMatchObject({ status: 'scheduled', attempts: 0 });
    expect(p.payments.at(-1)).toEqual({
      ref: 'ch_1a',
      kind: 'installment',
      amount: { amount: 77_334, currency: 'USD' },
      status: 'failed',
      at: T0 + 30 * DAY,
      installment: 1,
    });
  });

  it('each failed attempt counts; a later success makes it active again, whatever the delivery order', () => {
    const f1 = inst('installment_failed', 1, 'ch_1a', T0 + 30 * DAY);
    const f2 = inst('installment_failed', 1, 'ch_1b', T0 + 33 * DAY);
    const ok = inst('installment_paid', 1, 'in_1', T0 + 35 * DAY);
    expect(applyAll(down, [f1, f2]).plan!.installments[0]).toMatchObject({ status: 'failed', attempts: 2 });
    for (const order of [
      [f1, f2, ok],
      [ok, f2, f1],
      [f2, ok, f1],
    ]) {
      const p = applyAll(down, order);
      expect(p.status).toBe('active');
      expect(p.plan!.installments[0]).toMatchObject({ status: 'paid', attempts: 3 });
    }
  });

  it('a success is final for its installment, even against a failure stamped later', () => {
    const p = applyAll(down, [inst('installment_paid', 1, 'in_1', T0 + 30 * DAY), inst('installment_failed', 1, 'ch_x', T0 + 40 * DAY)]);
    expect(p.plan!.installments[0]!.status).toBe('paid');
    expect(p.status).toBe('active');
  });

  it('past_due while ANY installment is failed: a success on another one does not clear it', () => {
    const p = applyAll(down, [inst('installment_failed', 1, 'ch_1a', T0 + 30 * DAY), inst('installment_paid', 2, 'in_2', T0 + 60 * DAY)]);
    expect(p.status).toBe('past_due');
  });

  it('cancelling stops every unpaid installment; paid ones stay paid', () => {
    const p = applyAll(down, [
      inst('installment_paid', 1, 'in_1', T0 + 30 * DAY),
      inst('installment_failed', 2, 'ch_2a', T0 + 60 * DAY),
      { kind: 'cancelled', ref: 'cancel_1', at: T0 + 61 * DAY },
    ]);
    expect(p.status).toBe('cancelled');
    expect(p.plan!.installments.map((i) => i.status)).toEqual(['paid', 'cancelled', 'cancelled']);
    expect(nextUnpaidInstallment(p)).toBeUndefined();
  });

  it('nextUnpaidInstallment: the earliest scheduled one, or the failed one to retry', () => {
    expect(nextUnpaidInstallment(down)!.n).toBe(1);
    const failed = applyFact(down, inst('installment_failed', 1, 'ch_1a', T0 + 30 * DAY));
    expect(nextUnpaidInstallment(failed)).toMatchObject({ n: 1, status: 'failed' });
    const firstPaid = applyFact(failed, inst('installment_paid', 1, 'in_1', T0 + 31 * DAY));
    expect(nextUnpaidInstallment(firstPaid)!.n).toBe(2);
    const allPaid = applyAll(firstPaid, [
      inst('installment_paid', 2, 'in_2', T0 + 60 * DAY),
      inst('installment_paid', 3, 'in_3', T0 + 90 * DAY),
    ]);
    expect(nextUnpaidInstallment(allPaid)).toBeUndefined();
    expect(nextUnpaidInstallment(pkg())).toBeUndefined();
    // A cancelled package charges nothing more, even if its stored plan still says scheduled.
    expect(nextUnpaidInstallment(financed({ status: 'cancelled' }))).toBeUndefined();
  });

  it('installment amounts default to the plan, and the list is oldest first', () => {
    const p = applyAll(down, [inst('installment_paid', 2, 'in_2', T0 + 60 * DAY), inst('installment_paid', 1, 'in_1', T0 + 30 * DAY)]);
    expect(p.payments.map((x) => [x.kind, x.installment, x.amount.amount])).toEqual([
      ['down_payment', undefined, 58_000],
      ['installment', 1, 77_334],
      ['installment', 2, 77_333],
    ]);
  });
});

describe('applyFact: the payments list', () => {
  const down = applyFact(financed(), paid);

  it('is oldest first by time, whatever the refs (an older charge can have the later ref)', () => {
    const p = applyAll(down, [inst('installment_paid', 1, 'in_b', T0 + 30 * DAY), inst('installment_paid', 2, 'in_a', T0 + 60 * DAY)]);
    expect(p.payments.map((x) => x.ref)).toEqual(['cs_1', 'in_b', 'in_a']);
    expect(p.facts.map((f) => f.ref)).toEqual(['cs_1', 'in_b', 'in_a']);
  });

  it('an installment paid is a succeeded charge, one failed a failed charge', () => {
    const p = applyAll(down, [inst('installment_failed', 1, 'ch_1a', T0 + 30 * DAY), inst('installment_paid', 1, 'in_1', T0 + 31 * DAY)]);
    expect(p.payments.map((x) => [x.ref, x.kind, x.status, x.amount.amount])).toEqual([
      ['cs_1', 'down_payment', 'succeeded', 58_000],
      ['ch_1a', 'installment', 'failed', 77_334],
      ['in_1', 'installment', 'succeeded', 77_334],
    ]);
  });
});

describe('isRecorded', () => {
  it('finds a fact by kind and ref among the others recorded', () => {
    const p = applyAll(financed(), [paid, inst('installment_failed', 1, 'ch_1a', T0 + 30 * DAY)]);
    expect(isRecorded(p, paid)).toBe(true);
    expect(isRecorded(p, { kind: 'installment_failed', ref: 'ch_1a' })).toBe(true);
    expect(isRecorded(p, { kind: 'installment_paid', ref: 'ch_1a' })).toBe(false);
    expect(isRecorded(p, { kind: 'checkout_paid', ref: 'cs_2' })).toBe(false);
  });
});

describe('lapsedAt', () => {
  const expired: PaymentFact = { kind: 'checkout_expired', ref: 'cs_1', at: T0 + DAY };

  it('is when the checkout expired, for a package never paid', () => {
    expect(lapsedAt(applyFact(pkg(), expired))).toBe(T0 + DAY);
    const triedFirst = applyAll(pkg(), [{ kind: 'checkout_failed', ref: 'cs_1', at: T0 + 1_000 }, expired]);
    expect(lapsedAt(triedFirst)).toBe(T0 + DAY);
  });

  it('is undefined for a package paid (in either order), cancelled by staff, or whose checkout never expired', () => {
    expect(lapsedAt(applyAll(pkg(), [paid, expired]))).toBeUndefined();
    expect(lapsedAt(applyAll(pkg(), [expired, paid]))).toBeUndefined();
    expect(lapsedAt({ ...applyFact(pkg(), expired), cancellation: { at: T0 + 2 * DAY, refunds: [] } })).toBeUndefined();
    expect(lapsedAt(pkg())).toBeUndefined();
  });
});

describe('applyFact: completed', () => {
  const usedUp = creditsFor({ preparation: 2, exploration: 4, integration: 2 });
  for (const c of CREDIT_SERVICES) usedUp[c].used = usedUp[c].total;

  it('completed when every credit is used and nothing is owed', () => {
    expect(applyFact(pkg({ credits: usedUp }), paid).status).toBe('completed');
    expect(applyFact(pkg(), paid).status).toBe('active');
  });

  it('not while an installment is still owed', () => {
    const p = applyFact(financed({ credits: usedUp }), paid);
    expect(p.status).toBe('active');
    const all = applyAll(
      p,
      [1, 2, 3].map((n) => inst('installment_paid', n, `in_${n}`, T0 + n * 30 * DAY)),
    );
    expect(all.status).toBe('completed');
  });

  it('the API shows the status re-derived: the last credit used shows completed, one given back active', () => {
    const stored = applyFact(pkg(), paid); // stored 'active': a booking changes only the count
    expect(packageView({ ...stored, credits: usedUp }, 'America/New_York').status).toBe('completed');
    expect(packageView({ ...stored, credits: { ...usedUp, exploration: { total: 4, used: 3 } } }, 'America/New_York').status).toBe(
      'active',
    );
  });

  it('packageStatus re-derives after credits change (used up → completed, one given back → active)', () => {
    const active = applyFact(pkg(), paid);
    expect(packageStatus({ ...active, credits: usedUp })).toBe('completed');
    expect(packageStatus({ ...active, credits: { ...usedUp, exploration: { total: 4, used: 3 } } })).toBe('active');
  });
});

describe('applyFact: malformed facts', () => {
  it('throws RangeError and changes nothing', () => {
    expect(() => applyFact(pkg(), inst('installment_paid', 1, 'in_1', T0))).toThrow(/no installment plan/);
    expect(() => applyFact(financed(), inst('installment_paid', 4, 'in_4', T0))).toThrow(RangeError);
    expect(() => applyFact(financed(), { kind: 'installment_failed', ref: 'ch', at: T0 })).toThrow(RangeError);
    expect(() => applyFact(pkg(), { kind: 'refunded', ref: 're_1', at: T0 })).toThrow(/amount/);
    expect(() => applyFact(pkg(), { ...paid, ref: '' })).toThrow(RangeError);
    expect(() => applyFact(pkg(), { ...paid, at: Number.NaN })).toThrow(RangeError);
    expect(() => applyFact(pkg(), { ...paid, amount: -1 })).toThrow(RangeError);
    expect(() => applyFact(pkg(), { ...paid, kind: 'paid' as never })).toThrow(RangeError);
  });

  it('installments are numbered from 1, in whole numbers', () => {
    expect(() => applyFact(financed(), inst('installment_paid', 0, 'in_0', T0))).toThrow(/Not an installment/);
    expect(() => applyFact(financed(), inst('installment_paid', 1.5, 'in_1', T0))).toThrow(/Not an installment/);
    expect(applyFact(applyFact(financed(), paid), inst('installment_paid', 1, 'in_1', T0)).plan?.installments[0]?.status).toBe('paid');
  });

  it('an amount of zero is an amount (whole minor units, 0 or more)', () => {
    expect(applyFact(pkg(), { ...paid, amount: 0 }).payments.map((x) => x.amount.amount)).toEqual([0]);
  });
});

describe('a package stored without its fact log', () => {
  it('is read as the facts its payments and statuses imply, so redeliveries still change nothing', () => {
    const withLog = applyAll(financed(), [paid, inst('installment_failed', 1, 'ch_1a', T0 + 30 * DAY)]);
    const { facts: _dropped, ...legacy } = withLog;
    // The same facts, with the amounts the payments list shows made explicit.
    expect(factsOf(legacy)).toEqual(withLog.facts.map((f, i) => ({ ...f, amount: withLog.payments[i]!.amount.amount })));
    const again = applyFact(legacy, paid);
    expect({ ...again, facts: undefined }).toEqual({ ...withLog, facts: undefined });
    expect(applyFact(legacy, inst('installment_paid', 1, 'in_1', T0 + 31 * DAY)).status).toBe('active');
  });

  it('each payment record is read as its fact, and installment statuses with no record as facts at the last update', () => {
    const updated = T0 + 90 * DAY;
    const base = financed();
    const rec = (ref: string, kind: PaymentRecord['kind'], status: PaymentRecord['status'], at: number, amount: number, n?: number) => ({
      ref,
      kind,
      status,
      at,
      amount: { amount, currency: 'USD' as const },
      ...(n === undefined ? {} : { installment: n }),
    });
    const [i1, i2, i3] = base.plan!.installments as [Installment, Installment, Installment];
    const legacy = financed({
      status: 'cancelled',
      updatedAt: updated,
      payments: [
        rec('cs_0', 'down_payment', 'failed', T0, 58_000),
        rec('cs_2', 'down_payment', 'pending', T0 + 500, 58_000),
        rec('cs_1', 'down_payment', 'succeeded', T0 + 1_000, 58_000),
        rec('ch_1a', 'installment', 'failed', T0 + 30 * DAY, 77_334, 1),
        rec('in_1', 'installment', 'succeeded', T0 + 31 * DAY, 77_334, 1),
        rec('in_2', 'installment', 'pending', T0 + 60 * DAY, 77_333, 2),
        rec('re_1', 'refund', 'succeeded', updated, 10_000),
        rec('re_2', 'refund', 'failed', updated, 5_000),
      ],
      plan: {
        ...base.plan!,
        installments: [
          { ...i1, status: 'paid' },
          { ...i2, status: 'failed' },
          { ...i3, status: 'paid' },
        ],
      },
    });
    expect(factsOf(legacy)).toEqual([
      { kind: 'checkout_failed', ref: 'cs_0', at: T0, amount: 58_000 },
      { kind: 'checkout_paid', ref: 'cs_1', at: T0 + 1_000, amount: 58_000 },
      { kind: 'installment_failed', ref: 'ch_1a', at: T0 + 30 * DAY, amount: 77_334, installment: 1 },
      { kind: 'installment_paid', ref: 'in_1', at: T0 + 31 * DAY, amount: 77_334, installment: 1 },
      // no record of installment 3 paid nor of installment 2 failed (its charge is pending): the plan says so
      { kind: 'installment_paid', ref: 'plan:3:paid', at: updated, installment: 3 },
      { kind: 'installment_failed', ref: 'plan:2:failed', at: updated, installment: 2 },
      { kind: 'refunded', ref: 're_1', at: updated, amount: 10_000 },
      { kind: 'cancelled', ref: 'status:cancelled', at: updated },
    ]);
  });

  it('a cancelled package without a log stays cancelled', () => {
    expect(applyFact(pkg({ status: 'cancelled' }), paid).status).toBe('cancelled');
  });
});

describe('payment facts are order-independent and idempotent (property)', () => {
  const at = fc.integer({ min: T0, max: T0 + 120 * DAY });
  // A pool of distinct facts (kind + ref unique), as Stripe's objects would give them.
  const poolArb = fc
    .record({
      paidAt: at,
      failedAt: at,
      expiredAt: at,
      cancelledAt: at,
      refunds: fc.array(fc.record({ at, amount: fc.integer({ min: 1, max: 50_000 }) }), { maxLength: 2 }),
      outcomes: fc.array(fc.record({ n: fc.integer({ min: 1, max: 3 }), ok: fc.boolean(), at }), { maxLength: 8 }),
    })
    .map((r): PaymentFact[] => [
      { kind: 'checkout_paid', ref: 'cs_1', at: r.paidAt },
      { kind: 'checkout_failed', ref: 'py_1', at: r.failedAt },
      { kind: 'checkout_expired', ref: 'cs_1', at: r.expiredAt },
      { kind: 'cancelled', ref: 'cancel_1', at: r.cancelledAt },
      ...r.refunds.map((x, i): PaymentFact => ({ kind: 'refunded', ref: `re_${i}`, at: x.at, amount: x.amount })),
      ...r.outcomes.map((o, i) => inst(o.ok ? 'installment_paid' : 'installment_failed', o.n, `obj_${i}`, o.at)),
    ]);

  // A sequence drawn from the pool (any subset), with duplicates, and a second arrival order of the same multiset.
  const scenarioArb = poolArb
    .chain((pool) => fc.subarray(pool))
    .chain((chosen) => fc.tuple(fc.constant(chosen), fc.subarray(chosen)))
    .map(([chosen, dups]) => [...chosen, ...dups])
    .chain((seq) => fc.tuple(fc.constant(seq), fc.shuffledSubarray(seq, { minLength: seq.length, maxLength: seq.length })));

  const paymentsKey = (p: Package) => p.payments.map((x) => JSON.stringify(x)).sort();

  it.each([
    ['installments', financed],
    ['pay in full', (o?: Partial<Package>) => pkg(o)],
  ] as const)('%s: any permutation with duplicates gives the same status, payments, plan and facts', (_name, make) => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), ([seq, permuted], usedUp) => {
        const credits = creditsFor({ preparation: 2, exploration: 4, integration: 2 });
        if (usedUp) for (const c of CREDIT_SERVICES) credits[c].used = credits[c].total;
        const start = make({ credits });
        const facts = make === financed ? seq : seq.filter((f) => f.installment === undefined);
        const order2 = make === financed ? permuted : permuted.filter((f) => f.installment === undefined);
        const a = applyAll(start, facts);
        const b = applyAll(start, order2);
        const once = applyAll(start, [...new Map(facts.map((f) => [`${f.kind}/${f.ref}`, f])).values()]);
        expect(b.status).toBe(a.status);
        expect(paymentsKey(b)).toEqual(paymentsKey(a));
        expect(b).toEqual(a);
        expect(once).toEqual(a);

        // And the status is the one the rules give for this set of facts.
        const kinds = new Set(facts.map((f) => f.kind));
        let expected: PackageStatus;
        const failedUnpaid = [1, 2, 3].some(
          (n) =>
            facts.some((f) => f.kind === 'installment_failed' && f.installment === n) &&
            !facts.some((f) => f.kind === 'installment_paid' && f.installment === n),
        );
        const allPaid = [1, 2, 3].every((n) => facts.some((f) => f.kind === 'installment_paid' && f.installment === n));
        if (kinds.has('cancelled')) expected = 'cancelled';
        else if (!kinds.has('checkout_paid')) expected = kinds.has('checkout_expired') ? 'cancelled' : 'pending_payment';
        else if (make === financed && failedUnpaid) expected = 'past_due';
        else if (usedUp && (make !== financed || allPaid)) expected = 'completed';
        else expected = 'active';
        expect(a.status).toBe(expected);
        // One payments entry per distinct money fact.
        expect(a.payments).toHaveLength(
          new Set(facts.filter((f) => !['checkout_expired', 'cancelled'].includes(f.kind)).map((f) => `${f.kind}/${f.ref}`)).size,
        );
      }),
      { numRuns: 500 },
    );
  });
});
