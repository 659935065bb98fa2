// A refund the refund job gave up on, as finance settles it on the staff invoice page: how each way
// of giving money back is said, and the checks of "Record a refund made another way" before it is
// sent (POST /v1/invoices/{id}/refunds, docs/api.md "Refunds the job gave up on"): an amount above
// nothing and at most what is still owed back, a way chosen, and a reference that is an id (the
// API's own pattern: it cannot hold a name or a sentence), not one the invoice has already in any case.
// Pure (no React): web/test/refund-rules.test.ts has its cases, test/unit/web-checks.test.ts
// compares them with the API's schema.
import { formatMoney, type Money } from './format.ts';
import { moneyProblem, moneyText, parseMoney } from './money.ts';

/** The ways finance can say a refund was made outside the refund job, in the order offered. */
export const OUTSIDE_METHODS = ['stripe_dashboard', 'bank_transfer', 'cheque', 'cash', 'other'] as const;
export type OutsideMethod = (typeof OUTSIDE_METHODS)[number];
/** How a refund on an invoice was made: by the refund job through Stripe, or recorded by finance. */
export type RefundMethod = 'stripe' | OutsideMethod;

export const REFUND_METHOD_WORDS: Record<RefundMethod, string> = {
  stripe: 'Stripe (automatic)',
  stripe_dashboard: 'By hand in Stripe',
  bank_transfer: 'Bank transfer or e-Transfer',
  cheque: 'Cheque',
  cash: 'Cash',
  other: 'Other',
};

/** The API's pattern of a reference: up to 64 of letters, digits and # . _ / : -, starting with a letter or digit, with a digit and no space. */
const REFERENCE = /^(?=[^0-9]*[0-9])[A-Za-z0-9][A-Za-z0-9#._/:-]{0,63}$/;

/** The form as typed: the amount in dollars, the way ('' until one is chosen), the reference. */
export interface RefundForm {
  amount: string;
  method: OutsideMethod | '';
  reference: string;
}

export interface RefundRecord {
  amount: number;
  method: OutsideMethod;
  reference: string;
}

/** The form as it opens: all that is owed back, no way chosen yet (a wrong default would go unnoticed). */
export const refundFormFor = (due: Money): RefundForm => ({ amount: moneyText(due.amount), method: '', reference: '' });

/**
 * What is wrong with the form, by the API's field (amount, method, reference), and the request
 * when nothing is. `due`: what is still owed back; `recorded`: the references of the invoice's
 * refunds (a reference is unique on an invoice).
 */
export function checkRefund(
  form: RefundForm,
  due: Money,
  recorded: readonly string[],
): { problems: Partial<Record<keyof RefundForm, string>>; record?: RefundRecord } {
  const problems: Partial<Record<keyof RefundForm, string>> = {};
  const amount = parseMoney(form.amount);
  if (amount === undefined) problems.amount = moneyProblem(due.currency);
  else if (amount === 0) problems.amount = `Enter an amount above ${formatMoney({ amount: 0, currency: due.currency })}.`;
  else if (amount > due.amount) problems.amount = `At most ${formatMoney(due)}: that is what is still owed back.`;
  if (form.method === '') problems.method = 'Choose how the money was given back.';
  const reference = form.reference.trim();
  const referenceProblem = referenceProblemOf(reference, recorded);
  if (referenceProblem) problems.reference = referenceProblem;
  if (Object.keys(problems).length > 0 || amount === undefined || form.method === '') return { problems };
  return { problems, record: { amount, method: form.method, reference } };
}

/**
 * What is wrong with an id typed for money moved outside Stripe (a refund's or a desk payment's
 * reference), in words: the API's pattern, and not one the invoice has already in any case.
 */
export function referenceProblemOf(
  reference: string,
  recorded: readonly string[],
  kind: 'refund' | 'payment' = 'refund',
): string | undefined {
  if (reference === '')
    return kind === 'refund'
      ? 'Enter the cheque number, the transfer’s id or the Stripe refund id.'
      : 'Enter the cheque number, the terminal slip’s number or the transfer’s id.';
  if (reference.length > 64) return 'At most 64 characters.';
  if (!/^[A-Za-z0-9]/.test(reference)) return 'Start with a letter or a digit, e.g. 1042 rather than #1042.';
  if (/\s/.test(reference)) return 'No spaces: write CHQ-1042 rather than CHQ 1042.';
  if (!/[0-9]/.test(reference)) return 'An id has a number in it, e.g. the cheque’s number.';
  if (!REFERENCE.test(reference)) return 'Use only letters, digits and # . _ / : - (an id, not a name or a note).';
  // the API's check: the same id in another case is the same cheque
  if (recorded.some((r) => r.toUpperCase() === reference.toUpperCase()))
    return `A ${kind} with this reference is recorded on this invoice already.`;
  return undefined;
}

/** What "Record refund" did, in a sentence: how much, how, and what is still owed back after it. */
export function recordedWords(record: RefundRecord, stillDue: Money): string {
  const amount = formatMoney({ amount: record.amount, currency: stillDue.currency });
  const made = `Recorded: ${amount} given back (${REFUND_METHOD_WORDS[record.method]}: ${record.reference}).`;
  return stillDue.amount > 0 ? `${made} ${formatMoney(stillDue)} is still owed back to the client.` : `${made} Nothing more is owed back.`;
}
