// The billing API's route handlers: the router has already authenticated the caller, checked the
// route's policy and validated the input (shared/http/api.ts). Every route reads payment
// information, so each names the client records it showed for the audit trail.
import type { ApiRequest, AuditTarget, RouteHandler } from '#http/api.ts';
import { queryInput } from '#http/api.ts';
import type { InvoiceService } from '#services/invoice-service.ts';
import * as s from '#http/schemas/billing.ts';
import * as v from './views.ts';

const param = (req: ApiRequest, name: string): string => req.pathParams[name]!;

/** The client whose invoices a listing showed: one entry per client ('invoices.list'). */
const clientRecord = (c: { clientId: string; clinicId: string }): AuditTarget => ({
  clientId: c.clientId,
  clinicId: c.clinicId,
  record: { type: 'client', id: c.clientId },
});

export function billingRoutes(svc: InvoiceService): Record<string, RouteHandler> {
  return {
    'GET /v1/invoices/{invoiceId}': async (req) => {
      const { invoice, timezone } = await svc.get(req.caller, param(req, 'invoiceId'));
      return {
        status: 200,
        body: v.invoiceView(invoice, timezone),
        audit: [{ clientId: invoice.clientId, clinicId: invoice.clinicId, record: { type: 'invoice', id: invoice.id } }],
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
        audit: [{ clientId: invoice.clientId, clinicId: invoice.clinicId, record: { type: 'invoice', id: invoice.id } }],
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
      const { clinic, invoices, nextCursor } = await svc.listByClinic(req.caller, queryInput(req, s.invoiceListQuerySchema));
      const clients = [...new Set(invoices.map((i) => i.clientId))];
      return {
        status: 200,
        body: { items: invoices.map((i) => v.invoiceView(i, clinic.timezone)), nextCursor },
        audit: clients.map((clientId) => clientRecord({ clientId, clinicId: clinic.id })),
      };
    },
  };
}
