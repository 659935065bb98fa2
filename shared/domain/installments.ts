// The clinic's own installment plan (docs/domain.md): 0 % interest, a down payment now, the
// rest in `count` monthly charges on the saved card. Integer minor units throughout: the down
// payment and the charges add up to the locked price exactly, and the rounding remainder lands on
// one charge (the first). Pure: no clock, no I/O.

import type { Installment, InstallmentPlan, InstallmentPolicy, PaymentMode } from '#domain/packages.ts';
import type { FieldIssue } from '#domain/errors.ts';
import { isValidDate } from '#domain/time.ts';

export interface PlanInput {
  /** The locked package price, minor units. */
  total: number;
  /** 0..100, at most two decimals. */
  downPaymentPercent: number;
  /** Number of monthly charges after the down payment. */
  count: number;
  /** Clinic-local YYYY-MM-DD of the first monthly charge (one month after purchase). */
  firstDueDate: string;
}

export interface EligibilityInput {
  policy: InstallmentPolicy;
  total: number;
  count: number;
  downPaymentPercent: number;
  /** Whether another package of this client is currently past due. */
  hasPastDuePackage: boolean;
}

export type Eligibility = { ok: true } | { ok: false; reason: string };

/** Largest number of monthly charges a plan may have, whatever a policy allows. */
export const MAX_INSTALLMENT_COUNT = 60;

/** A purchase's `installments`: given for payment "installments", and only for it. */
export function installmentsTermsIssues(payment: PaymentMode, installments: object | undefined): FieldIssue[] {
  if (payment !== 'installments') return installments ? [{ path: 'installments', message: 'Only for payment "installments"' }] : [];
  return installments ? [] : [{ path: 'installments', message: 'Required for installments' }];
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month1: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month1, 0); // day 0 of the next month: the last day of this one
  return d.getUTCDate();
}

/**
 * `date` moved by `months` calendar months keeping its day of month, clamped to the last day of
 * the target month: 2027-01-31 + 1 → 2027-02-28, + 2 → 2027-03-31 (always from the original day,
 * never chained through a clamped one).
 */
export function addMonths(date: string, months: number): string {
  const m = DATE_RE.exec(date);
  if (!m || !isValidDate(date)) throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
  if (!Number.isSafeInteger(months)) throw new RangeError(`Not a whole number of months: ${months}`);
  const monthIndex = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month1 = (monthIndex % 12) + 1;
  if (year < 0 || year > 9999) throw new RangeError(`Date out of range: ${date} + ${months} months`);
  const day = Math.min(Number(m[3]), daysInMonth(year, month1));
  return `${String(year).padStart(4, '0')}-${String(month1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first monthly charge date for a purchase on clinic-local `purchaseDate`: one month later, clamped. */
export function firstDueDateAfter(purchaseDate: string): string {
  return addMonths(purchaseDate, 1);
}

/** The percent in hundredths of a percent (12.5 → 1250), or null when it is not 0..100 with ≤ 2 decimals. */
function percentHundredths(percent: number): number | null {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) return null;
  const h = Math.round(percent * 100);
  return Math.abs(percent * 100 - h) < 1e-6 ? h : null;
}

/** round(total × percent / 100), half up, in exact integer arithmetic. */
export function downPaymentFor(total: number, downPaymentPercent: number): number {
  const h = percentHundredths(downPaymentPercent);
  if (h === null) throw new RangeError(`Not a down payment percent (0..100, at most two decimals): ${downPaymentPercent}`);
  if (!Number.isSafeInteger(total) || total < 0 || !Number.isSafeInteger(total * h + 5_000)) {
    throw new RangeError(`Not an amount in minor units: ${total}`);
  }
  return Math.floor((total * h + 5_000) / 10_000);
}

/**
 * The plan: the down payment (half-up rounded percent of the total), then `count` monthly charges
 * that are equal except the first, which also carries the rounding remainder (less than `count`
 * minor units). Every charge is at least 1 and downPayment + Σ charges = total exactly. Due dates
 * are monthly from firstDueDate on its day of month, clamped to short months. All 'scheduled'.
 *
 * Throws RangeError on input installmentEligibility would refuse for arithmetic reasons
 * (not a whole positive total or count, percent outside 0..100, less than 1 per charge).
 */
export function planInstallments(input: PlanInput): InstallmentPlan {
  const { total, downPaymentPercent, count, firstDueDate } = input;
  if (!Number.isSafeInteger(total) || total < 1) throw new RangeError(`Not a positive amount in minor units: ${total}`);
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_INSTALLMENT_COUNT) {
    throw new RangeError(`Not an installment count (1..${MAX_INSTALLMENT_COUNT}): ${count}`);
  }
  if (!isValidDate(firstDueDate)) throw new RangeError(`Not a date (YYYY-MM-DD): ${firstDueDate}`);
  const downPayment = downPaymentFor(total, downPaymentPercent);
  const rest = total - downPayment;
  if (rest < count) {
    throw new RangeError(`A down payment of ${downPaymentPercent} % leaves less than 1 for each of ${count} charges`);
  }
  const base = Math.floor(rest / count);
  const remainder = rest - base * count;
  const installments: Installment[] = [];
  for (let i = 0; i < count; i++) {
    installments.push({
      n: i + 1,
      amount: i === 0 ? base + remainder : base,
      dueDate: addMonths(firstDueDate, i),
      status: 'scheduled',
      attempts: 0,
    });
  }
  return { count, downPaymentPercent, downPayment, installments };
}

/**
 * Whether a client may take the clinic's installment plan for this purchase. Checked in this
 * order, the first failure reported: minimum total, allowed count, down payment (at least the
 * policy's percent, at most 100 %, and leaving at least 1 for every monthly charge), no other
 * package past due. Reasons are plain English for the client and carry no personal detail.
 */
export function installmentEligibility(input: EligibilityInput): Eligibility {
  const { policy, total, count, downPaymentPercent, hasPastDuePackage } = input;
  if (!Number.isSafeInteger(total) || total < 1 || total < policy.minimumTotal) {
    return { ok: false, reason: 'The price is below the minimum for an installment plan at this clinic.' };
  }
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_INSTALLMENT_COUNT || !policy.allowedCounts.includes(count)) {
    const allowed = [...policy.allowedCounts].sort((a, b) => a - b);
    return {
      ok: false,
      reason:
        allowed.length === 0
          ? 'This clinic does not offer installment plans.'
          : `Installment plans here have ${listWords(allowed.map(String))} monthly payments.`,
    };
  }
  const h = percentHundredths(downPaymentPercent);
  if (
    typeof downPaymentPercent !== 'number' ||
    !Number.isFinite(downPaymentPercent) ||
    downPaymentPercent < 0 ||
    downPaymentPercent > 100
  ) {
    return { ok: false, reason: 'The down payment must be between 0 % and 100 % of the price.' };
  }
  if (h === null) return { ok: false, reason: 'The down payment percent may have at most two decimals.' };
  if (downPaymentPercent < policy.minimumDownPaymentPercent) {
    return { ok: false, reason: `The down payment must be at least ${policy.minimumDownPaymentPercent} % of the price.` };
  }
  if (total - downPaymentFor(total, downPaymentPercent) < count) {
    return { ok: false, reason: 'The down payment is too large to leave an amount for each monthly payment.' };
  }
  if (hasPastDuePackage) {
    return { ok: false, reason: 'Another package has a payment past due; please settle it first.' };
  }
  return { ok: true };
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
