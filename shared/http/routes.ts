// Every HTTP route of the deployed API, declared once: method, path, the function that serves
// it, who may call it, its body and query schemas, whether it is an idempotent create, the
// per-caller rate limit and the audit action it records. The router (shared/http/api.ts)
// enforces each declaration before any handler runs; the CDK stack creates one API Gateway route
// per entry, the local server matches requests against the same list, the OpenAPI document is
// generated from it and the route × role test walks it. Dev-only routes are not here
// (infra/local).
//
// Each route's success answer is declared in ./schemas/responses.ts (RESPONSES, by route key),
// not here: this table is on every function's cold-start path, and only the OpenAPI document
// and the tests read response schemas (docs/decisions.md, "Cold start").
import type { z } from 'zod/mini';
import type { Grant } from '#shared/auth/policy.ts';
import * as s from './schemas/scheduling.ts';
import * as pay from './schemas/payments.ts';
import * as bill from './schemas/billing.ts';

export type FunctionName = 'scheduling' | 'payments' | 'billing';

/** Per-caller limits (shared/auth/policy.ts RATE_LIMITS): they bind anonymous callers and clients. */
export type RateLimitName = 'signup' | 'sms';

export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string; // API Gateway syntax: /v1/clinics/{clinicId}
  fn: FunctionName;
  /** Who may call it (shared/auth/policy.ts). 'public' and 'stripe' routes take no JWT authorizer. */
  allow: readonly Grant[];
  /** 'jwt': API Gateway's JWT authorizer must pass; 'none': public (a bearer token is optional). */
  auth: 'jwt' | 'none';
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** A creating write: answers 201 and honours Idempotency-Key. */
  create?: boolean;
  /** A create whose work goes on after the answer (a job started): 202 Accepted instead of 201. */
  accepted?: boolean;
  rateLimit?: RateLimitName;
  /** Recorded in the client's audit trail on success (health or payment information). */
  audit?: string;
}

type Opts = Partial<Pick<RouteDef, 'body' | 'query' | 'create' | 'accepted' | 'rateLimit' | 'audit'>>;

const route = (method: RouteDef['method'], path: string, fn: FunctionName, allow: readonly Grant[], opts: Opts = {}): RouteDef => ({
  method,
  path,
  fn,
  allow,
  auth: allow.includes('public') || allow.includes('stripe') ? 'none' : 'jwt',
  ...opts,
});

const PUBLIC: readonly Grant[] = ['public'];
const ADMIN: readonly Grant[] = ['admin'];
const STAFF: readonly Grant[] = ['frontdesk', 'clinician', 'finance', 'admin'];
const SELF_AND_STAFF: readonly Grant[] = ['self', ...STAFF];

const sched = (method: RouteDef['method'], path: string, allow: readonly Grant[], opts?: Opts) =>
  route(method, path, 'scheduling', allow, opts);
const pays = (method: RouteDef['method'], path: string, allow: readonly Grant[], opts?: Opts) =>
  route(method, path, 'payments', allow, opts);
const bills = (method: RouteDef['method'], path: string, allow: readonly Grant[], opts?: Opts) =>
  route(method, path, 'billing', allow, opts);

export const ROUTES: readonly RouteDef[] = [
  sched('GET', '/v1/health', PUBLIC),
  // readiness: one read of the table (liveness above does no I/O)
  sched('GET', '/v1/health/ready', PUBLIC),

  // Clinics and their setup
  sched('GET', '/v1/clinics', PUBLIC),
  sched('POST', '/v1/clinics', ADMIN, { body: s.createClinicSchema, create: true }),
  sched('GET', '/v1/clinics/{clinicId}', PUBLIC),
  sched('PATCH', '/v1/clinics/{clinicId}', ADMIN, { body: s.patchClinicSchema }),
  sched('POST', '/v1/clinics/{clinicId}/providers', ADMIN, { body: s.createProviderSchema, create: true }),
  sched('GET', '/v1/clinics/{clinicId}/providers', PUBLIC),
  sched('POST', '/v1/clinics/{clinicId}/rooms', ADMIN, { body: s.createRoomSchema, create: true }),
  sched('GET', '/v1/clinics/{clinicId}/rooms', STAFF),
  sched('GET', '/v1/clinics/{clinicId}/services', PUBLIC),
  sched('GET', '/v1/clinics/{clinicId}/availability', PUBLIC, { query: s.availabilityQuerySchema }),
  sched('GET', '/v1/clinics/{clinicId}/schedule', STAFF, {
    query: s.scheduleQuerySchema,
    audit: 'schedule.read',
  }),

  // Clients
  sched('POST', '/v1/clients', ['signup', 'frontdesk', 'admin'], {
    body: s.createClientSchema,
    create: true,
    rateLimit: 'signup',
    audit: 'client.create',
  }),
  // extension: find a client of the clinic by name, e-mail or phone (staff); a POST so that what
  // was typed (a name) is never in a URL or an access log; every client listed is audited
  sched('POST', '/v1/clinics/{clinicId}/clients/search', STAFF, { body: s.clientSearchSchema, audit: 'clients.search' }),
  sched('GET', '/v1/clients/{clientId}', SELF_AND_STAFF, { audit: 'client.read' }),
  sched('PATCH', '/v1/clients/{clientId}', ['self', 'frontdesk', 'admin'], {
    body: s.patchClientSchema,
    audit: 'client.update',
  }),
  sched('POST', '/v1/clients/{clientId}/clearance', ['clinician', 'admin'], {
    body: s.clearanceSchema,
    create: true,
    audit: 'clearance.record',
  }),
  // diagnosis codes (for superbills): recorded by clinicians; never shown to the front desk
  sched('PUT', '/v1/clients/{clientId}/diagnoses', ['clinician', 'admin'], { body: s.diagnosesSchema, audit: 'diagnoses.update' }),
  sched('GET', '/v1/clients/{clientId}/diagnoses', ['self', 'clinician', 'finance', 'admin'], { audit: 'diagnoses.read' }),
  sched('GET', '/v1/clients/{clientId}/appointments', SELF_AND_STAFF, { audit: 'appointments.list' }),
  sched('GET', '/v1/clients/{clientId}/audit', ADMIN, { query: s.auditQuerySchema, audit: 'audit.read' }),

  // Appointments
  sched('POST', '/v1/appointments', ['self', 'frontdesk', 'admin'], {
    body: s.bookSchema,
    create: true,
    rateLimit: 'sms',
    audit: 'appointment.book',
  }),
  sched('GET', '/v1/appointments/{appointmentId}', SELF_AND_STAFF, { audit: 'appointment.read' }),
  sched('POST', '/v1/appointments/{appointmentId}/reschedule', ['self', 'frontdesk', 'admin'], {
    body: s.rescheduleSchema,
    rateLimit: 'sms',
    audit: 'appointment.reschedule',
  }),
  sched('POST', '/v1/appointments/{appointmentId}/cancel', ['self', 'frontdesk', 'admin'], {
    body: s.cancelSchema,
    rateLimit: 'sms',
    audit: 'appointment.cancel',
  }),
  sched('POST', '/v1/appointments/{appointmentId}/check-in', ['frontdesk', 'admin'], {
    body: s.emptySchema,
    audit: 'appointment.check_in',
  }),
  sched('POST', '/v1/appointments/{appointmentId}/no-show', ['frontdesk', 'admin'], {
    body: s.emptySchema,
    audit: 'appointment.no_show',
  }),
  sched('POST', '/v1/appointments/{appointmentId}/complete', ['clinician', 'frontdesk', 'admin'], {
    body: s.emptySchema,
    audit: 'appointment.complete',
  }),

  // Programs, packages and payments
  pays('GET', '/v1/clinics/{clinicId}/programs', PUBLIC),
  pays('POST', '/v1/clinics/{clinicId}/programs', ADMIN, { body: pay.createProgramSchema, create: true }),
  pays('POST', '/v1/clinics/{clinicId}/programs/{programId}/retire', ADMIN, { body: pay.emptySchema }),
  pays('POST', '/v1/packages', ['self', 'frontdesk', 'admin'], {
    body: pay.purchaseSchema,
    create: true,
    audit: 'package.purchase',
  }),
  pays('GET', '/v1/packages/{packageId}', SELF_AND_STAFF, { audit: 'package.read' }),
  // extension: a client's packages (the web app's My care), newest first
  pays('GET', '/v1/clients/{clientId}/packages', SELF_AND_STAFF, { audit: 'packages.list' }),
  pays('POST', '/v1/packages/{packageId}/cancel', ['frontdesk', 'finance', 'admin'], {
    body: pay.emptySchema,
    audit: 'package.cancel',
  }),
  // paying a self-pay invoice's balance online (Stripe Checkout; paid only by the webhook)
  pays('POST', '/v1/invoices/{invoiceId}/checkout', ['self', 'frontdesk', 'admin'], {
    body: pay.emptySchema,
    create: true,
    audit: 'invoice.checkout',
  }),
  // Stripe signs its deliveries; no JWT (the signature is checked on the raw body)
  // a payment, refund or failure Stripe reports changes the client's payment information: audited
  // with Stripe as the actor, on the package or invoice it changed
  pays('POST', '/v1/webhooks/stripe', ['stripe'], { audit: 'payment.webhook' }),

  // Invoices (read-only): payment information, audited
  bills('GET', '/v1/invoices/{invoiceId}', ['self', 'frontdesk', 'finance', 'admin'], { audit: 'invoice.read' }),
  // the invoice as a PDF receipt (application/pdf, not JSON)
  bills('GET', '/v1/invoices/{invoiceId}/receipt.pdf', ['self', 'frontdesk', 'finance', 'admin'], { audit: 'invoice.receipt' }),
  bills('GET', '/v1/clients/{clientId}/invoices', ['self', 'frontdesk', 'finance', 'admin'], { audit: 'invoices.list' }),
  bills('GET', '/v1/invoices', ['frontdesk', 'finance', 'admin'], { query: bill.invoiceListQuerySchema, audit: 'invoices.list' }),
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

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** The status of a route's success answer: 202 for a job started, 201 for a create, else 200. */
export const successStatus = (r: Pick<RouteDef, 'create' | 'accepted'>): 200 | 201 | 202 => (r.accepted ? 202 : r.create ? 201 : 200);

export const ROUTE_BY_KEY: ReadonlyMap<string, RouteDef> = new Map(ROUTES.map((r) => [routeKey(r), r]));
