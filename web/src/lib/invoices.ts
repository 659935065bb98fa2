// Invoices as a client reads them: a status in words, what the invoice is for, and whether the
// app can take the payment online (a program's invoice is paid through its package's checkout
// and installments, until the package is cancelled: what it still owes then is paid here).
import type { Invoice } from './clinic-data.ts';

export const INVOICE_STATUS: Record<Invoice['status'], { label: string; tone: 'neutral' | 'good' | 'warn' | 'bad' }> = {
  open: { label: 'Due', tone: 'warn' },
  partially_paid: { label: 'Partly paid', tone: 'warn' },
  paid: { label: 'Paid', tone: 'good' },
  void: { label: 'Nothing due', tone: 'neutral' },
  refunded: { label: 'Refunded', tone: 'neutral' },
};

/** `packageStatus`: the status of the package a program's invoice bills (unknown: not payable here). */
export const payableOnline = (inv: Invoice, packageStatus?: string) =>
  inv.balance.amount > 0 && (!inv.packageId || packageStatus === 'cancelled');

/** "Intake — Dec 8, 2026" style title: the first line that counts. */
export function invoiceTitle(inv: Invoice): string {
  const line = inv.lines.find((l) => !l.voided) ?? inv.lines[0];
  return line?.description ?? `Invoice ${inv.number}`;
}
