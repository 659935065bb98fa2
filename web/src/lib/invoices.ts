// Invoices in words: a status as the client and as the clinic's staff say it, and what the invoice
// is for (whether the app takes its payment online: payable.ts).
import type { Invoice } from './clinic-data.ts';
import { formatDate } from './format.ts';

type Status = Invoice['status'];
export type InvoiceBadge = { label: string; tone: 'neutral' | 'good' | 'warn' | 'bad' };

export const INVOICE_STATUS: Record<Status, InvoiceBadge> = {
  open: { label: 'Due', tone: 'warn' },
  partially_paid: { label: 'Partly paid', tone: 'warn' },
  paid: { label: 'Paid', tone: 'good' },
  void: { label: 'Nothing due', tone: 'neutral' },
  refunded: { label: 'Refunded', tone: 'neutral' },
};

/** The staff's words for the same statuses (the invoices list's filter offers these). */
export const STAFF_INVOICE_STATUS: Record<Status, InvoiceBadge> = {
  open: { label: 'Open', tone: 'warn' },
  partially_paid: { label: 'Partly paid', tone: 'warn' },
  paid: { label: 'Paid', tone: 'good' },
  void: { label: 'Void', tone: 'neutral' },
  refunded: { label: 'Refunded', tone: 'neutral' },
};

/**
 * The badge an invoice wears. While money is owed back (a negative balance) the API's status stays
 * `paid` (or `void`, when a paid session was voided), and a green "Paid" would say all is settled:
 * the badge says a refund is coming instead, and for staff, once the refund job has given up on it,
 * that finance has it to settle (the invoices page's "Refunds to settle").
 */
export function invoiceBadge(
  inv: Pick<Invoice, 'status' | 'balance' | 'refundState' | 'packageId' | 'paid'>,
  audience: 'client' | 'staff',
): InvoiceBadge {
  if (audience === 'staff' && inv.refundState === 'dead_lettered') return { label: 'Refund to settle', tone: 'bad' };
  if (inv.balance.amount < 0) return { label: 'Being refunded', tone: 'warn' };
  if (audience === 'client' && notBought(inv)) return { label: 'Nothing charged', tone: 'neutral' };
  return (audience === 'staff' ? STAFF_INVOICE_STATUS : INVOICE_STATUS)[inv.status];
}

type TitleLine = Pick<Invoice['lines'][number], 'description' | 'voided' | 'serviceDate'>;

/**
 * What the invoice is for, in a line: its first line that counts, with the session's date ("Intake
 * assessment · Dec 8, 2026"), so that two sessions of one kind tell apart; a program whose
 * checkout was never completed says it was not bought (its line is voided and nothing was paid),
 * rather than listing a program the client does not have.
 */
export function invoiceTitle(inv: Pick<Invoice, 'number' | 'status' | 'packageId' | 'paid'> & { lines: TitleLine[] }): string {
  const line = inv.lines.find((l) => !l.voided) ?? inv.lines[0];
  if (!line) return `Invoice ${inv.number}`;
  if (notBought(inv)) return `${line.description}: not bought (the payment was not completed)`;
  return line.serviceDate ? `${line.description} · ${formatDate(line.serviceDate)}` : line.description;
}

/** A program purchase whose checkout lapsed: void, nothing ever paid. */
const notBought = (inv: Pick<Invoice, 'status' | 'packageId' | 'paid'>) =>
  inv.status === 'void' && inv.packageId !== undefined && inv.paid.amount === 0;
