// The billing function's routes (../routes.ts says what a declaration holds and who reads the
// table). Only this function's bundle holds this table and the request schemas it names
// (docs/decisions.md, "Cold start").
import { bills, type RouteDef } from '../route-def.ts';
import * as bill from '../schemas/billing.ts';
import * as common from '../schemas/common.ts';

export const BILLING_ROUTES: readonly RouteDef[] = [
  // Invoices (read-only): payment information, audited
  bills('GET', '/v1/invoices/{invoiceId}', ['self', 'frontdesk', 'finance', 'admin'], { audit: 'invoice.read' }),
  // the invoice as a PDF receipt (application/pdf, not JSON)
  bills('GET', '/v1/invoices/{invoiceId}/receipt.pdf', ['self', 'frontdesk', 'finance', 'admin'], { audit: 'invoice.receipt' }),
  bills('GET', '/v1/clients/{clientId}/invoices', ['self', 'frontdesk', 'finance', 'admin'], { audit: 'invoices.list' }),
  bills('GET', '/v1/invoices', ['frontdesk', 'finance', 'admin'], { query: bill.invoiceListQuerySchema, audit: 'invoices.list' }),
  // a refund the refund job gave up on (refundState dead_lettered): finance asks the job to try it
  // again, or records one made some other way (shared/services/owed-refund-service.ts)
  bills('POST', '/v1/invoices/{invoiceId}/refunds/retry', ['finance', 'admin'], {
    body: common.emptySchema,
    audit: 'invoice.refund_retry',
  }),
  bills('POST', '/v1/invoices/{invoiceId}/refunds', ['finance', 'admin'], {
    body: bill.refundElsewhereSchema,
    create: true,
    audit: 'invoice.refund_record',
  }),
  // a payment the client made at the clinic (cash, cheque, card terminal, transfer): recorded by
  // those who take payments (shared/services/desk-payment-service.ts)
  bills('POST', '/v1/invoices/{invoiceId}/payments', ['frontdesk', 'finance', 'admin'], {
    body: bill.deskPaymentSchema,
    create: true,
    audit: 'invoice.payment_record',
  }),
  bills('GET', '/v1/clinics/{clinicId}/refunds/given-up', ['finance', 'admin'], { audit: 'invoices.list' }),
  // the finance ledger as a CSV file, made by the export job after the 202 (shared/services/export-job.ts).
  // No route audit: the request reads no client record; the job writes one 'export.ledger' entry per
  // client in the file, in the asker's name (docs/decisions.md, "Ledger exports")
  bills('POST', '/v1/clinics/{clinicId}/exports', ['finance', 'admin'], { body: bill.createExportSchema, create: true, accepted: true }),
  // only the user who asked, or admin (Caller.assertRequester)
  bills('GET', '/v1/exports/{exportId}', ['finance', 'admin']),
  // recognized and deferred revenue of a clinic over a range: an aggregate that names no client, so
  // no audit entry (shared/services/revenue-service.ts); finance's and admin's alone
  bills('GET', '/v1/clinics/{clinicId}/reports/revenue', ['finance', 'admin'], { query: bill.revenueQuerySchema }),
  // superbill (US) or receipt for insurance (Canada): JSON, or a PDF with Accept: application/pdf.
  // Diagnoses and payments: never to the front desk or clinicians
  bills('GET', '/v1/clients/{clientId}/superbill', ['self', 'finance', 'admin'], {
    query: bill.superbillQuerySchema,
    audit: 'superbill.read',
  }),
];
