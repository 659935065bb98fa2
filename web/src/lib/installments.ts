// The clinic's installment plan as the client sees it BEFORE paying: worked out in the browser from
// the clinic's policy (GET /v1/clinics/{id}: policy.installments) with the very arithmetic the API
// uses (shared/domain/installments.ts — a down payment of the price's percent rounded half up, then
// equal monthly charges, the rounding remainder on the first, due monthly from one month after
// today in the clinic's zone, clamped to short months). test/unit/web-installments.test.ts checks
// that the two agree on every input; the API's own plan, returned by POST /v1/packages, is still
// compared with this preview before the person is sent to pay (pages/buy.tsx). No import of the
// API's types here: the vitest comparison loads this file under the API's tsconfig.
import { formatMoney, type Money } from './format.ts';

export interface PlanPreview {
  downPayment: number;
  installments: { n: number; dueDate: string; amount: number }[];
}

/** The clinic's `policy.installments` (GET /v1/clinics/{id}). */
interface InstallmentPolicy {
  minimumTotal: number;
  allowedCounts: number[];
  minimumDownPaymentPercent: number;
}

/** `date` (YYYY-MM-DD) plus `months` calendar months, on its day of month clamped to short months. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** round(total × percent / 100), half up, in integers (the percent has at most two decimals). */
export function downPaymentFor(total: number, percent: number): number {
  return Math.floor((total * Math.round(percent * 100) + 5_000) / 10_000);
}

/** The plan the API will make for a purchase today (`today`: the clinic-local date). */
export function previewPlan(total: number, downPaymentPercent: number, count: number, today: string): PlanPreview {
  const downPayment = downPaymentFor(total, downPaymentPercent);
  const rest = total - downPayment;
  const base = Math.floor(rest / count);
  const remainder = rest - base * count;
  const first = addMonths(today, 1);
  return {
    downPayment,
    installments: Array.from({ length: count }, (_, i) => ({
      n: i + 1,
      amount: i === 0 ? base + remainder : base,
      dueDate: addMonths(first, i),
    })),
  };
}

export interface InstallmentChoices {
  /** Whether the clinic's plan can pay for this price at all; `reason` says why not. */
  offered: boolean;
  reason?: string;
  counts: number[];
  /** Down payments a person may choose: the clinic's minimum, then steps of 10 % up to 50 %. */
  downPaymentPercents: number[];
}

/** What the clinic's policy lets a client choose for a program of this price. */
export function installmentChoices(policy: InstallmentPolicy, price: Money): InstallmentChoices {
  const total = price.amount;
  const counts = [...policy.allowedCounts].filter((c) => Number.isInteger(c) && c >= 1 && c <= 60).sort((a, b) => a - b);
  const min = policy.minimumDownPaymentPercent;
  const percents = [min];
  for (let p = Math.floor(min / 10) * 10 + 10; p <= Math.max(50, min); p += 10) percents.push(p);
  // every monthly charge must be at least one minor unit
  const usable = (c: number) => total - downPaymentFor(total, min) >= c;
  if (counts.length === 0)
    return { offered: false, reason: 'This clinic does not offer installment plans.', counts, downPaymentPercents: [] };
  if (total < policy.minimumTotal) {
    const minimum = formatMoney({ amount: policy.minimumTotal, currency: price.currency });
    return { offered: false, reason: `Installment plans are for programs of ${minimum} or more.`, counts: [], downPaymentPercents: [] };
  }
  return { offered: true, counts: counts.filter(usable), downPaymentPercents: percents.filter((p) => p <= 100) };
}

/** Whether the API's plan is the one the person was shown (amounts and dates). */
export function samePlan(
  preview: PlanPreview,
  plan: { downPayment: { amount: number }; installments: { n: number; dueDate: string; amount: { amount: number } }[] },
): boolean {
  return (
    preview.downPayment === plan.downPayment.amount &&
    preview.installments.length === plan.installments.length &&
    preview.installments.every((p, i) => {
      const q = plan.installments[i];
      return q !== undefined && q.n === p.n && q.dueDate === p.dueDate && q.amount.amount === p.amount;
    })
  );
}
