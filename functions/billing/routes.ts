// The billing API's route handlers: the router has already authenticated the caller, checked the
// route's policy and validated the input (shared/http/api.ts). Every route that shows a client's
// payment information names the client records it showed for the audit trail (the revenue
// report shows clinic totals only, and names none).
import type { ApiRequest, AuditTarget, RouteHandler } from '#http/api.ts';
import { bodyInput, queryInput } from '#http/api.ts';
import type { InvoiceService } from '#services/invoice-service.ts';
import type { SuperbillService } from '#services/superbill-service.ts';
import type { RevenueService } from '#services/revenue-service.ts';
import type { ExportService } from '#services/export-service.ts';
import type { OwedRefundService } from '#services/owed-refund-service.ts';
import type { DeskPaymentService } from '#services/desk-payment-service.ts';
import type { StoredInvoice } from '#db/invoice-repo.ts';
import * as s from '#http/schemas/billing.ts';
import * as v from './views.ts';

const param = (req: ApiRequest, name: string): string => req.pathParams[name]!;

/** The client whose invoices a listing showed: one entry per client ('invoices.list'). */
const clientRecord = (c: { clientId: string; clinicId: string }): AuditTarget => ({
  clientId: c.clientId,
  clinicId: c.clinicId,
  record: { type: 'client', id: c.clientId },
});

/** An invoice a route showed or changed: its own entry in its client's trail. */
const invoiceRecord = (invoice: { id: string; clientId: string; clinicId: string }): AuditTarget => ({
  clientId: invoice.clientId,
  clinicId: invoice.clinicId,
  record: { type: 'invoice', id: invoice.id },
});

/**
 * A clinic's invoices as its listings show them (each with its client's name), and the listing's
 * audit: one 'invoices.list' entry per client on it.
 */
function clinicListing(clinic: { id: string; timezone: string }, invoices: StoredInvoice[], names: Map<string, string>) {
  return {
    items: invoices.map((i) => ({ ...v.invoiceView(i, clinic.timezone), clientName: names.get(i.clientId) ?? null })),
    audit: [...new Set(invoices.map((i) => i.clientId))].map((clientId) => clientRecord({ clientId, clinicId: clinic.id })),
  };
}

/**
 * Whether the caller asks for the PDF: its Accept header names application/pdf (with a q above 0)
 * and ranks no JSON type above it. Anything else, or no Accept at all, gets JSON.
 */
export function wantsPdf(accept: string | undefined): boolean {
  if (!accept) return false;
  let pdf = -1;
  let json = -1;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q)) continue;
    if (type === 'application/pdf') pdf = Math.max(pdf, q);
    else if (type === 'application/json') json = Math.max(json, q);
  }
  return pdf > 0 && pdf >= json;
}

export function billingRoutes(
  svc: InvoiceService,
  superbills: SuperbillService,
  revenue: RevenueService,
  exports: ExportService,
  owedRefunds: OwedRefundService,
  deskPayments: DeskPaymentService,
): Record<string, RouteHandler> {
  return {
    'GET /v1/invoices/{invoiceId}': async (req) => {
      const { invoice, timezone } = await svc.get(req.caller, param(req, 'invoiceId'));
      return {
        status: 200,
        body: v.invoiceView(invoice, timezone),
        audit: [invoiceRecord(invoice)],
      };
    },
    'GET /v1/invoices/{invoiceId}/receipt.pdf': async (req) => {
      const { invoice, clinic, client } = await svc.receipt(req.caller, param(req, 'invoiceId'));
      // Loaded on first use: no other route's cold start evaluates pdf-lib (still in the bundle).
      const { renderReceiptPdf } = await import('./receipt-pdf.ts');
      const data = await renderReceiptPdf(invoice, clinic, client, clinic.timezone);
      return {
        status: 200,
        binary: { contentType: 'application/pdf', data },
        headers: {
          'content-disposition': `inline; filename="receipt-${invoice.number}.pdf"`,
          // the client's name and payments: no shared cache may keep it
          'cache-control': 'private, no-store',
        },
        audit: [invoiceRecord(invoice)],
      };
    },
    'GET /v1/clients/{clientId}/invoices': async (req) => {
      const { client, invoices, timezone } = await svc.listByClient(req.caller, param(req, 'clientId'));
      return {
        status: 200,
        body: invoices.map((i) => v.invoiceView(i, timezone)),
        audit: [clientRecord({ clientId: client.id, clinicId: client.clinicId })],
      };
    },
    'GET /v1/invoices': async (req) => {
      const { clinic, invoices, nextCursor, names } = await svc.listByClinic(req.caller, queryInput(req, s.invoiceListQuerySchema));
      const { items, audit } = clinicListing(clinic, invoices, names);
      return { status: 200, body: { items, nextCursor }, audit };
    },
    // a refund the job gave up on: tried again by the job (200, the invoice as it is now) …
    'POST /v1/invoices/{invoiceId}/refunds/retry': async (req) => {
      const { invoice, timezone } = await owedRefunds.retry(req.caller, param(req, 'invoiceId'));
      return { status: 200, body: v.invoiceView(invoice, timezone), audit: [invoiceRecord(invoice)] };
    },
    // … or made some other way and recorded (201, the invoice with the refund)
    'POST /v1/invoices/{invoiceId}/refunds': async (req) => {
      const { invoice, timezone } = await owedRefunds.record(req.caller, param(req, 'invoiceId'), bodyInput(req, s.refundElsewhereSchema));
      return { status: 201, body: v.invoiceView(invoice, timezone), audit: [invoiceRecord(invoice)] };
    },
    // a payment taken at the clinic (201, the invoice with the payment)
    'POST /v1/invoices/{invoiceId}/payments': async (req) => {
      const { invoice, timezone } = await deskPayments.record(req.caller, param(req, 'invoiceId'), bodyInput(req, s.deskPaymentSchema));
      return { status: 201, body: v.invoiceView(invoice, timezone), audit: [invoiceRecord(invoice)] };
    },
    // finance's to-do: refunds the job gave up on, with the invoices' clients named (audited, one
    // entry per client, as the clinic's invoice listing)
    'GET /v1/clinics/{clinicId}/refunds/given-up': async (req) => {
      const { clinic, invoices, names } = await svc.givenUpRefunds(req.caller, param(req, 'clinicId'));
      const { items, audit } = clinicListing(clinic, invoices, names);
      return { status: 200, body: { items }, audit };
    },
    // a clinic aggregate: no client named, so no audit entry (the route declares none)
    'GET /v1/clinics/{clinicId}/reports/revenue': async (req) => {
      const range = queryInput(req, s.revenueQuerySchema);
      const { clinic, figures } = await revenue.report(req.caller, { clinicId: param(req, 'clinicId'), ...range });
      // money figures of the clinic: no cache may keep them
      return { status: 200, body: v.revenueView(clinic.currency, range, figures), headers: { 'cache-control': 'no-store' } };
    },
    'GET /v1/clients/{clientId}/superbill': async (req) => {
      const period = queryInput(req, s.superbillQuerySchema);
      const { document, client, clinic, services } = await superbills.superbill(req.caller, param(req, 'clientId'), period);
      const audit = [clientRecord({ clientId: client.id, clinicId: client.clinicId })];
      // diagnoses, names and payments: no shared cache may keep either form; the form follows Accept
      const headers = { 'cache-control': 'private, no-store', vary: 'Accept' };
      if (!wantsPdf(req.headers.accept)) return { status: 200, body: document, headers, audit };
      // Loaded on first use, as the receipt: only this answer evaluates pdf-lib.
      const { renderSuperbillPdf } = await import('./superbill-pdf.ts');
      const data = await renderSuperbillPdf(document, { ...period, clinicName: clinic.name, currency: clinic.currency, services });
      return {
        status: 200,
        binary: { contentType: 'application/pdf', data },
        headers: { ...headers, 'content-disposition': `inline; filename="superbill-${period.from}-${period.to}.pdf"` },
        audit,
      };
    },
    // 202: the export job makes the file after the answer; poll GET /v1/exports/{exportId}
    'POST /v1/clinics/{clinicId}/exports': async (req) => {
      const record = await exports.start(req.caller, param(req, 'clinicId'), bodyInput(req, s.createExportSchema), req.correlationId);
      return { status: 202, body: v.exportView({ record, status: record.status }), headers: { 'cache-control': 'no-store' } };
    },
    'GET /v1/exports/{exportId}': async (req) => {
      const state = await exports.get(req.caller, param(req, 'exportId'));
      // the download link is a credential for every listed client's payments: never cached
      return { status: 200, body: v.exportView(state), headers: { 'cache-control': 'no-store' } };
    },
  };
}
