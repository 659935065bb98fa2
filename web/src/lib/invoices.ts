// Invoices in words: a status as the client and as the clinic's staff say it, and what the invoice
// is for (whether the app takes its payment online: payable.ts).
import type { Invoice } from './clinic-data.ts';

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
export function invoiceBadge(inv: Pick<Invoice, 'status' | 'balance' | 'refundState'>, audience: 'client' | 'staff'): InvoiceBadge {
  if (audience === 'staff' && inv.refundState === 'dead_lettered') return { label: 'Refund to settle', tone: 'bad' };
  if (inv.balance.amount < 0) return { label: 'Being refunded', tone: 'warn' };
  return (audience === 'staff' ? STAFF_INVOICE_STATUS : INVOICE_STATUS)[inv.status];
}

/** "Intake — Dec 8, 2026" style title: the first line that counts. */
export function invoiceTitle(inv: Invoice): string {
  const line = inv.lines.find((l) => !l.voided) ?? inv.lines[0];
  return line?.description ?? `Invoice ${inv.number}`;
}
