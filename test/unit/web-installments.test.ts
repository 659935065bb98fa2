// The web app's installment preview (web/src/lib/installments.ts) must be the plan the API makes
// (shared/domain/installments.ts): the person sees the schedule before paying, and what they saw
// is what is charged. Compared here on random prices, down payments, counts and purchase dates
// (month ends and leap days included), and on the clinics' default policy.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstDueDateAfter, installmentEligibility, planInstallments } from '#domain/installments.ts';
import { DEFAULT_INSTALLMENT_POLICY } from '#domain/packages.ts';
import { addMonths, installmentChoices, previewPlan, samePlan } from '../../web/src/lib/installments.ts';

const date = fc
  .record({ y: fc.integer({ min: 2000, max: 2099 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .map(({ y, m, d }) => {
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return `${y}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
  });

describe('installment preview (web) = the API’s plan', () => {
  it('agrees on every price, down payment (two decimals), count and purchase date', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000 }).map((h) => h / 100),
        fc.integer({ min: 1, max: 60 }),
        date,
        (total, percent, count, today) => {
          let api;
          try {
            api = planInstallments({ total, downPaymentPercent: percent, count, firstDueDate: firstDueDateAfter(today) });
          } catch {
            return; // a plan the API refuses (less than 1 per charge) is never offered
          }
          const preview = previewPlan(total, percent, count, today);
          expect(preview.downPayment).toBe(api.downPayment);
          expect(preview.installments).toEqual(api.installments.map(({ n, amount, dueDate }) => ({ n, amount, dueDate })));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('moves month ends like the API: Jan 31 → Feb 28 (29 in a leap year) → Mar 31', () => {
    expect(previewPlan(120_000, 20, 3, '2026-12-31').installments.map((i) => i.dueDate)).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
    ]);
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
  });

  it('offers only what the API accepts, from the default policy', () => {
    const price = { amount: 290_000, currency: 'USD' };
    const choices = installmentChoices(DEFAULT_INSTALLMENT_POLICY, price);
    expect(choices).toMatchObject({ offered: true, counts: [3, 6, 12], downPaymentPercents: [20, 30, 40, 50] });
    for (const count of choices.counts) {
      for (const downPaymentPercent of choices.downPaymentPercents) {
        const policy = DEFAULT_INSTALLMENT_POLICY;
        expect(installmentEligibility({ policy, total: price.amount, count, downPaymentPercent, hasPastDuePackage: false })).toEqual({
          ok: true,
        });
      }
    }
    const cheap = installmentChoices(DEFAULT_INSTALLMENT_POLICY, { amount: 50_000, currency: 'USD' });
    expect(cheap.offered).toBe(false);
    expect(cheap.reason).toBe('Installment plans are for programs of $1,000.00 or more.');
  });

  it('tells when the API’s plan is not the one shown', () => {
    const preview = previewPlan(325_000, 20, 3, '2026-11-29');
    const api = planInstallments({ total: 325_000, downPaymentPercent: 20, count: 3, firstDueDate: '2026-12-29' });
    const asApi = (p: typeof api) => ({
      downPayment: { amount: p.downPayment },
      installments: p.installments.map((i) => ({ ...i, amount: { amount: i.amount } })),
    });
    expect(samePlan(preview, asApi(api))).toBe(true);
    const nextDay = planInstallments({ total: 325_000, downPaymentPercent: 20, count: 3, firstDueDate: '2026-12-30' });
    expect(samePlan(preview, asApi(nextDay))).toBe(false);
  });
});
