// A payment the client made at the clinic, as the staff invoice page records it
// (POST /v1/invoices/{id}/payments, docs/api.md "Payments taken at the clinic"): how each way of
// paying is said, and the checks before sending — an amount above nothing and at most the balance
// (the desk gives change), a way chosen, and a reference that is an id, required for every way but
// cash (the API makes one for cash). Pure (no React): web/test/desk-payment-rules.test.ts has its
// cases, test/unit/web-checks.test.ts compares them with the API's schema.
import { formatMoney, type Money } from './format.ts';
import { moneyProblem, moneyText, parseMoney } from './money.ts';
import { referenceProblemOf } from './refund-rules.ts';

/** The ways a client pays at the clinic, in the order offered. */
export const DESK_METHODS = ['cash', 'card_terminal', 'cheque', 'bank_transfer', 'other'] as const;
export type DeskMethod = (typeof DESK_METHODS)[number];

export const DESK_METHOD_WORDS: Record<DeskMethod, string> = {
  cash: 'Cash',
  card_terminal: 'Card at the clinic (terminal)',
  cheque: 'Cheque',
  bank_transfer: 'Bank transfer or e-Transfer',
  other: 'Other',
};

/** The form as typed: the amount in dollars, the way ('' until one is chosen), the reference. */
export interface DeskPaymentForm {
  amount: string;
  method: DeskMethod | '';
  reference: string;
}

export interface DeskPaymentRecord {
  amount: number;
  method: DeskMethod;
  reference?: string;
}

/** The form as it opens: the whole balance, no way chosen yet (a wrong default would go unnoticed). */
export const deskPaymentFormFor = (balance: Money): DeskPaymentForm => ({ amount: moneyText(balance.amount), method: '', reference: '' });

/**
 * What is wrong with the form, by the API's field, and the request when nothing is. `balance`:
 * what is due now; `recorded`: the references of the invoice's payments (unique on an invoice).
 */
export function checkDeskPayment(
  form: DeskPaymentForm,
  balance: Money,
  recorded: readonly string[],
): { problems: Partial<Record<keyof DeskPaymentForm, string>>; record?: DeskPaymentRecord } {
  const problems: Partial<Record<keyof DeskPaymentForm, string>> = {};
  const amount = parseMoney(form.amount);
  if (amount === undefined) problems.amount = moneyProblem(balance.currency);
  else if (amount === 0) problems.amount = `Enter an amount above ${formatMoney({ amount: 0, currency: balance.currency })}.`;
  else if (amount > balance.amount) problems.amount = `At most ${formatMoney(balance)}: that is what is due. Give the client change.`;
  if (form.method === '') problems.method = 'Choose how the client paid.';
  const reference = form.reference.trim();
  // cash may go without: the API makes a reference for it
  const referenceProblem = form.method === 'cash' && reference === '' ? undefined : referenceProblemOf(reference, recorded, 'payment');
  if (referenceProblem) problems.reference = referenceProblem;
  if (Object.keys(problems).length > 0 || amount === undefined || form.method === '') return { problems };
  return { problems, record: { amount, method: form.method, ...(reference === '' ? {} : { reference }) } };
}

/** What "Record payment" did, in a sentence: how much, how, and what is still due after it. */
export function deskPaidWords(record: DeskPaymentRecord & { reference: string }, stillDue: Money): string {
  const amount = formatMoney({ amount: record.amount, currency: stillDue.currency });
  const made = `Recorded: ${amount} paid (${DESK_METHOD_WORDS[record.method]}: ${record.reference}).`;
  return stillDue.amount > 0 ? `${made} ${formatMoney(stillDue)} is still due.` : `${made} Nothing more is due on this invoice.`;
}

/** How a payment on an invoice was made, in words: a desk payment's way, or Stripe's method type made readable. */
export function paymentMethodWords(method: string): string {
  if ((DESK_METHODS as readonly string[]).includes(method)) return DESK_METHOD_WORDS[method as DeskMethod];
  const words = method.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
