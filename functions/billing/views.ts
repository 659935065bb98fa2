// Invoices as the API shows them (docs/api.md, "Invoices"). Money is { amount, currency } in the
// invoice's currency; times are in the clinic's zone with its offset (formatInstant). The status
// and the sums come from the domain (totals), never from storage; versions never leave.
import type { InvoiceLine } from '#domain/invoices.ts';
import { refundDue, refundMethod, refundState, totals } from '#domain/invoices.ts';
import { formatInstant } from '#domain/time.ts';
import type { StoredInvoice } from '#db/invoice-repo.ts';
import type { ExportRecord, ExportStatus } from '#domain/ledger-export.ts';
import type { RevenueFigures } from '#domain/revenue.ts';
import type { Currency } from '#domain/types.ts';

const lineView = (l: InvoiceLine, money: (amount: number) => { amount: number; currency: string }) => ({
  id: l.id,
  description: l.description,
  service: l.service,
  ...(l.serviceDate !== undefined ? { serviceDate: l.serviceDate } : {}),
  ...(l.appointmentId !== undefined ? { appointmentId: l.appointmentId } : {}),
  cptCode: l.cptCode,
  modifiers: l.modifiers,
  placeOfService: l.placeOfService,
  units: l.units,
  amount: money(l.amount),
  billable: l.billable,
  voided: l.voided,
});

export const invoiceView = (invoice: StoredInvoice, tz: string) => {
  const t = totals(invoice);
  const money = (amount: number) => ({ amount, currency: invoice.currency });
  return {
    id: invoice.id,
    // consecutive integers per clinic (stored as text in the invoice model)
    number: Number(invoice.number),
    clinicId: invoice.clinicId,
    clientId: invoice.clientId,
    status: t.status,
    issuedAt: formatInstant(invoice.createdAt, tz),
    currency: invoice.currency,
    ...(invoice.appointmentId !== undefined ? { appointmentId: invoice.appointmentId } : {}),
    ...(invoice.packageId !== undefined ? { packageId: invoice.packageId } : {}),
    lines: invoice.lines.map((l) => lineView(l, money)),
    total: money(t.total),
    paid: money(t.paid),
    refunded: money(t.refunded),
    balance: money(t.balance),
    payments: invoice.payments.map((p) => ({
      amount: money(p.amount),
      at: formatInstant(p.at, tz),
      method: p.method,
      reference: p.reference,
    })),
    // a refund that failed gave nothing back: shown as failed, not counted in `refunded`
    refunds: invoice.refunds.map((r) => ({
      amount: money(r.amount),
      at: formatInstant(r.at, tz),
      reference: r.reference,
      status: r.status,
      method: refundMethod(r),
    })),
    refundDue: money(refundDue(invoice)),
    refundState: refundState(invoice),
  };
};

/**
 * The revenue report (docs/api.md, "Revenue report"): its seven fields, then the range
 * and the two receivable figures that close its identity (docs/domain.md, "Revenue").
 */
export const revenueView = (currency: Currency, range: { from: string; to: string }, f: RevenueFigures) => {
  const money = (amount: number) => ({ amount, currency });
  return {
    currency,
    recognized: money(f.recognized),
    deferredAtStart: money(f.deferredAtStart),
    deferredAtEnd: money(f.deferredAtEnd),
    billed: money(f.billed),
    collected: money(f.collected),
    refunded: money(f.refunded),
    from: range.from,
    to: range.to,
    earnedUnpaidAtStart: money(f.earnedUnpaidAtStart),
    earnedUnpaidAtEnd: money(f.earnedUnpaidAtEnd),
  };
};

/** A finance export as its asker sees it: `rows` and the download `url` once it is ready. */
export const exportView = (e: { record: ExportRecord; status: ExportStatus; url?: string | undefined }) => ({
  id: e.record.id,
  kind: e.record.kind,
  status: e.status,
  from: e.record.from,
  to: e.record.to,
  ...(e.status === 'ready' && e.record.rows !== undefined ? { rows: e.record.rows } : {}),
  ...(e.status === 'ready' && e.url !== undefined ? { url: e.url } : {}),
});
