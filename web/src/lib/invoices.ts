// Invoices as a client reads them: a status in words and what the invoice is for (whether the app
// takes its payment online: payable.ts).
import type { Invoice } from './clinic-data.ts';

export const INVOICE_STATUS: Record<Invoice['status'], { label: string; tone: 'neutral' | 'good' | 'warn' | 'bad' }> = {
  open: { label: 'Due', tone: 'warn' },
  partially_paid: { label: 'Partly paid', tone: 'warn' },
  paid: { label: 'Paid', tone: 'good' },
  void: { label: 'Nothing due', tone: 'neutral' },
  refunded: { label: 'Refunded', tone: 'neutral' },
};

/** "Intake — Dec 8, 2026" style title: the first line that counts. */
export function invoiceTitle(inv: Invoice): string {
  const line = inv.lines.find((l) => !l.voided) ?? inv.lines[0];
  return line?.description ?? `Invoice ${inv.number}`;
}
