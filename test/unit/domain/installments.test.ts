import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  MAX_INSTALLMENT_COUNT,
  addMonths,
  downPaymentFor,
  firstDueDateAfter,
  installmentEligibility,
  planInstallments,
  type EligibilityInput,
} from '#domain/installments.ts';
import { DEFAULT_INSTALLMENT_POLICY, type InstallmentPolicy } from '#domain/packages.ts';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('planInstallments', () => {
  it('a down payment now, the rest in equal monthly charges, the remainder on the first', () => {
    // 2900.00 at 20 %: 580.00 now, 2320.00 / 6 = 386.66 × 6 + 0.04 on the first.
    const plan = planInstallments({ total: 290_000, downPaymentPercent: 20, count: 6, firstDueDate: '2026-07-15' });
    expect(plan.downPayment).toBe(58_000);
    expect(plan.count).toBe(6);
    expect(plan.downPaymentPercent).toBe(20);
    expect(plan.installments.map((i) => i.amount)).toEqual([38_670, 38_666, 38_666, 38_666, 38_666, 38_666]);
    expect(plan.downPayment + sum(plan.installments.map((i) => i.amount))).toBe(290_000);
  });

  it('numbers the charges from 1, all scheduled, no attempts yet', () => {
    const plan = planInstallments({ total: 100_000, downPaymentPercent: 25, count: 3, firstDueDate: '2026-07-01' });
    expect(plan.installments).toEqual([
      { n: 1, amount: 25_000, dueDate: '2026-07-01', status: 'scheduled', attempts: 0 },
      { n: 2, amount: 25_000, dueDate: '2026-08-01', status: 'scheduled', attempts: 0 },
      { n: 3, amount: 25_000, dueDate: '2026-09-01', status: 'scheduled', attempts: 0 },
    ]);
  });

  it('rounds the down payment half up, in whole minor units', () => {
    expect(planInstallments({ total: 1_005, downPaymentPercent: 50, count: 1, firstDueDate: '2026-07-01' }).downPayment).toBe(503); // 502.5
    expect(downPaymentFor(10, 15)).toBe(2); // 1.5
    expect(downPaymentFor(100, 12.5)).toBe(13); // 12.5, not banker's 12
    expect(downPaymentFor(10, 14)).toBe(1); // 1.4
    expect(downPaymentFor(999, 0)).toBe(0);
    expect(downPaymentFor(999, 100)).toBe(999);
    expect(downPaymentFor(3, 33.33)).toBe(1);
  });

  it('a 0 % down payment puts the whole price in the monthly charges', () => {
    const plan = planInstallments({ total: 10, downPaymentPercent: 0, count: 3, firstDueDate: '2026-07-01' });
    expect(plan.downPayment).toBe(0);
    expect(plan.installments.map((i) => i.amount)).toEqual([4, 3, 3]);
  });

  it('keeps the day of month, clamped to short months, never drifting after a clamp', () => {
    const dates = (first: string, count: number) =>
      planInstallments({ total: 1_000_000, downPaymentPercent: 20, count, firstDueDate: first }).installments.map((i) => i.dueDate);
    expect(dates('2027-01-31', 4)).toEqual(['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30']);
    expect(dates('2028-01-31', 2)).toEqual(['2028-01-31', '2028-02-29']); // leap year
    expect(dates('2026-11-30', 4)).toEqual(['2026-11-30', '2026-12-30', '2027-01-30', '2027-02-28']);
    expect(dates('2026-12-15', 2)).toEqual(['2026-12-15', '2027-01-15']); // year change
  });

  it('throws when the input cannot make a plan (eligibility refuses these first)', () => {
    const ok = { total: 100_000, downPaymentPercent: 20, count: 3, firstDueDate: '2026-07-01' };
    expect(() => planInstallments(ok)).not.toThrow();
    expect(() => planInstallments({ ...ok, total: 0 })).toThrow(RangeError);
    expect(() => planInstallments({ ...ok, total: 10.5 })).toThrow(RangeError);
    expect(() => planInstallments({ ...ok, count: 0 })).toThrow(RangeError);
    expect(() => planInstallments({ ...ok, count: 2.5 })).toThrow(RangeError);
    expect(() => planInstallments({ ...ok, count: MAX_INSTALLMENT_COUNT + 1 })).toThrow(RangeError);
    expect(() => planInstallments({ ...ok, downPaymentPercent: 101 })).toThrow(RangeError);
    expect(() => planInstallments({ ...ok, downPaymentPercent: -1 })).toThrow(RangeError);
    expect(() => planInstallments({ ...ok, downPaymentPercent: 12.345 })).toThrow(RangeError);
    expect(() => planInstallments({ ...ok, downPaymentPercent: 100 })).toThrow(/less than 1/);
    expect(() => planInstallments({ ...ok, total: 5, downPaymentPercent: 50 })).toThrow(/less than 1/); // 3 down, 2 left for 3
    expect(() => planInstallments({ ...ok, firstDueDate: '2026-02-30' })).toThrow(RangeError);
  });
});

describe('addMonths and firstDueDateAfter', () => {
  it('one month after purchase, clamped', () => {
    expect(firstDueDateAfter('2026-06-10')).toBe('2026-07-10');
    expect(firstDueDateAfter('2026-01-31')).toBe('2026-02-28');
    expect(firstDueDateAfter('2026-12-31')).toBe('2027-01-31');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', 0)).toBe('2026-03-31');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(() => addMonths('2026-13-01', 1)).toThrow(RangeError);
  });
});

describe('installmentEligibility', () => {
  const base: EligibilityInput = {
    policy: DEFAULT_INSTALLMENT_POLICY,
    total: 290_000,
    count: 6,
    downPaymentPercent: 20,
    hasPastDuePackage: false,
  };
  const reason = (over: Partial<EligibilityInput>) => {
    const r = installmentEligibility({ ...base, ...over });
    return r.ok ? null : r.reason;
  };

  it('eligible within the policy', () => {
    expect(installmentEligibility(base)).toEqual({ ok: true });
    expect(reason({ total: 100_000, count: 3, downPaymentPercent: 99 })).toBeNull();
  });

  it('below the minimum total', () => {
    expect(reason({ total: 99_999 })).toMatch(/below the minimum/);
    expect(reason({ total: 100_000 })).toBeNull();
    expect(reason({ total: 0, policy: { ...DEFAULT_INSTALLMENT_POLICY, minimumTotal: 0 } })).toMatch(/below the minimum/);
  });

  it('a count the clinic does not offer', () => {
    expect(reason({ count: 4 })).toBe('Installment plans here have 3, 6 or 12 monthly payments.');
    expect(reason({ count: 4, policy: { ...DEFAULT_INSTALLMENT_POLICY, allowedCounts: [12, 6] } })).toBe(
      'Installment plans here have 6 or 12 monthly payments.',
    );
    expect(reason({ count: 4, policy: { ...DEFAULT_INSTALLMENT_POLICY, allowedCounts: [6] } })).toBe(
      'Installment plans here have 6 monthly payments.',
    );
    expect(reason({ count: 2.5 })).toMatch(/monthly payments/);
    expect(reason({ policy: { ...DEFAULT_INSTALLMENT_POLICY, allowedCounts: [] } })).toMatch(/does not offer/);
  });

  it('a down payment below the minimum percent, above 100 %, or leaving less than 1 per charge', () => {
    expect(reason({ downPaymentPercent: 19.99 })).toBe('The down payment must be at least 20 % of the price.');
    expect(reason({ downPaymentPercent: 20 })).toBeNull();
    expect(reason({ downPaymentPercent: 100.01 })).toMatch(/between 0 % and 100 %/);
    expect(reason({ downPaymentPercent: Number.NaN })).toMatch(/between 0 % and 100 %/);
    expect(reason({ downPaymentPercent: 20.005 })).toMatch(/two decimals/);
    expect(reason({ downPaymentPercent: 100 })).toMatch(/too large/);
    const tiny: InstallmentPolicy = { minimumTotal: 1, allowedCounts: [3], minimumDownPaymentPercent: 0 };
    expect(reason({ policy: tiny, total: 5, count: 3, downPaymentPercent: 50 })).toMatch(/too large/);
    expect(reason({ policy: tiny, total: 5, count: 3, downPaymentPercent: 40 })).toBeNull();
  });

  it('another package past due', () => {
    expect(reason({ hasPastDuePackage: true })).toBe('Another package has a payment past due; please settle it first.');
  });

  it('reports the first failure in the documented order', () => {
    const all = { total: 1, count: 4, downPaymentPercent: 1, hasPastDuePackage: true };
    expect(reason(all)).toMatch(/below the minimum/);
    expect(reason({ ...all, total: 290_000 })).toMatch(/monthly payments/);
    expect(reason({ ...all, total: 290_000, count: 6 })).toMatch(/at least 20 %/);
    expect(reason({ ...all, total: 290_000, count: 6, downPaymentPercent: 30 })).toMatch(/past due/);
  });
});

describe('installment arithmetic (property)', () => {
  const liberal: InstallmentPolicy = {
    minimumTotal: 1,
    allowedCounts: Array.from({ length: 24 }, (_, i) => i + 1),
    minimumDownPaymentPercent: 0,
  };
  const percentArb = fc.oneof(
    fc.integer({ min: 0, max: 100 }),
    fc.integer({ min: 0, max: 10_000 }).map((h) => h / 100),
  );
  const firstDueArb = fc
    .record({ year: fc.integer({ min: 2024, max: 2035 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
    .map(({ year, month, day }) => {
      const last = DateTime.utc(year, month, 1).daysInMonth!;
      return DateTime.utc(year, month, Math.min(day, last)).toISODate()!;
    });

  it('amounts are integers ≥ 1 summing exactly to the total; only the first charge differs, by the remainder; dates monthly and clamped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        percentArb,
        fc.integer({ min: 1, max: 24 }),
        firstDueArb,
        (total, pct, count, firstDueDate) => {
          const eligible = installmentEligibility({ policy: liberal, total, count, downPaymentPercent: pct, hasPastDuePackage: false });
          if (!eligible.ok) {
            // The only refusal left under this policy: too little left for every charge.
            expect(eligible.reason).toMatch(/too large/);
            expect(() => planInstallments({ total, downPaymentPercent: pct, count, firstDueDate })).toThrow(RangeError);
            return;
          }
          const plan = planInstallments({ total, downPaymentPercent: pct, count, firstDueDate });
          const amounts = plan.installments.map((i) => i.amount);

          // Down payment: the exact share rounded half up.
          const exact = (total * pct) / 100;
          expect(Number.isInteger(plan.downPayment)).toBe(true);
          expect(Math.abs(plan.downPayment - exact)).toBeLessThanOrEqual(0.5 + 1e-9);
          if (Math.abs(plan.downPayment - exact) > 0.5 - 1e-9) expect(plan.downPayment).toBeGreaterThan(exact);

          expect(amounts).toHaveLength(count);
          for (const a of amounts) {
            expect(Number.isInteger(a)).toBe(true);
            expect(a).toBeGreaterThanOrEqual(1);
          }
          expect(plan.downPayment + sum(amounts)).toBe(total);

          const rest = total - plan.downPayment;
          const base = Math.floor(rest / count);
          expect(amounts.slice(1).every((a) => a === base)).toBe(true);
          expect(amounts[0]! - base).toBe(rest % count);
          expect(amounts[0]! - base).toBeLessThan(count);

          const anchor = DateTime.fromISO(firstDueDate, { zone: 'utc' });
          plan.installments.forEach((inst, i) => {
            expect(inst.n).toBe(i + 1);
            expect(inst.status).toBe('scheduled');
            expect(inst.attempts).toBe(0);
            // luxon adds calendar months from the anchor and clamps to the month's last day.
            expect(inst.dueDate).toBe(anchor.plus({ months: i }).toISODate());
            const d = DateTime.fromISO(inst.dueDate, { zone: 'utc' });
            expect(d.day).toBe(Math.min(anchor.day, d.daysInMonth!));
          });
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
