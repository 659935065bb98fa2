// Every route × every kind of caller, through the real functions on DynamoDB Local.
//
// CONTRACT below is who may call each route (docs/api-reference.md), written out by hand: the route table
// must declare exactly it (so a route added without a policy, or a policy changed by accident,
// fails here), and every cell is then called for real. An allowed cell gets a valid request on
// fresh records and must succeed; a refused one must answer 401 (no token) or 403 and leave the
// table exactly as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey, successStatus, type RouteDef } from '#http/routes.ts';
import type { Grant } from '#shared/auth/policy.ts';
import { admits } from '#shared/auth/policy.ts';
import { principalFromClaims } from '#shared/auth/principal.ts';
import { Logger } from '@aws-lambda-powertools/logger';
import { fixedClock } from '#adapters/clock.ts';
import { createApiHandler } from '#http/api.ts';
import { DEFAULT_NOW, admin, asClient, createTestApi, frontdesk, signUp, type As, type TestApi } from '#test/helpers/api.ts';
import { givenUpRefund, programInvoice, storeInvoices } from '#test/helpers/invoices.ts';
import { SCHEDULING_ROUTES } from '#http/route-table/scheduling.ts';

const NYC = 'demo-nyc';
const TOR = 'demo-tor';
const THER2 = 'demo-nyc-ther-2';

const CELLS = [
  'anonymous',
  'self',
  'otherClient',
  'signup',
  'frontdesk',
  'clinician',
  'finance',
  'frontdeskOther',
  'clinicianOther',
  'financeOther',
  'admin',
] as const;
type Cell = (typeof CELLS)[number];

const ALL: readonly Cell[] = CELLS;
const STAFF: readonly Cell[] = ['frontdesk', 'clinician', 'finance', 'admin'];
const SELF_STAFF: readonly Cell[] = ['self', ...STAFF];
const ADMIN: readonly Cell[] = ['admin'];
const BOOKERS: readonly Cell[] = ['self', 'frontdesk', 'admin'];

/** Who may call each route, by hand (docs/api-reference.md), for records of client A at demo-nyc. */
const CONTRACT: Record<string, { grants: readonly Grant[]; allowed: readonly Cell[] }> = {
  'GET /v1/health': { grants: ['public'], allowed: ALL },
  'GET /v1/health/ready': { grants: ['public'], allowed: ALL },
  'GET /v1/clinics': { grants: ['public'], allowed: ALL },
  'POST /v1/clinics': { grants: ['admin'], allowed: ADMIN },
  'GET /v1/clinics/{clinicId}': { grants: ['public'], allowed: ALL },
  'PATCH /v1/clinics/{clinicId}': { grants: ['admin'], allowed: ADMIN },
  'POST /v1/clinics/{clinicId}/providers': { grants: ['admin'], allowed: ADMIN },
  'GET /v1/clinics/{clinicId}/providers': { grants: ['public'], allowed: ALL },
  'PUT /v1/clinics/{clinicId}/providers/{providerId}/video-room': { grants: ['admin'], allowed: ADMIN },
  // extension: a provider's time off, run by the front desk
  'POST /v1/clinics/{clinicId}/providers/{providerId}/time-off': { grants: ['frontdesk', 'admin'], allowed: ['frontdesk', 'admin'] },
  'POST /v1/clinics/{clinicId}/time-off': { grants: ['frontdesk', 'admin'], allowed: ['frontdesk', 'admin'] },
  'GET /v1/clinics/{clinicId}/time-off': { grants: ['frontdesk', 'clinician', 'finance', 'admin'], allowed: STAFF },
  'POST /v1/clinics/{clinicId}/time-off/{timeOffId}/remove': { grants: ['frontdesk', 'admin'], allowed: ['frontdesk', 'admin'] },
  'POST /v1/clinics/{clinicId}/rooms': { grants: ['admin'], allowed: ADMIN },
  'GET /v1/clinics/{clinicId}/rooms': { grants: ['frontdesk', 'clinician', 'finance', 'admin'], allowed: STAFF },
  'GET /v1/clinics/{clinicId}/services': { grants: ['public'], allowed: ALL },
  'GET /v1/clinics/{clinicId}/availability': { grants: ['public'], allowed: ALL },
  'GET /v1/clinics/{clinicId}/schedule': { grants: ['frontdesk', 'clinician', 'finance', 'admin'], allowed: STAFF },
  'POST /v1/clinics/{clinicId}/clients/search': { grants: ['frontdesk', 'clinician', 'finance', 'admin'], allowed: STAFF },
  'POST /v1/clients': { grants: ['signup', 'frontdesk', 'admin'], allowed: ['signup', 'frontdesk', 'admin'] },
  'GET /v1/clients/{clientId}': { grants: ['self', 'frontdesk', 'clinician', 'finance', 'admin'], allowed: SELF_STAFF },
  'PATCH /v1/clients/{clientId}': { grants: ['self', 'frontdesk', 'admin'], allowed: BOOKERS },
  'POST /v1/clients/{clientId}/clearance': { grants: ['clinician', 'admin'], allowed: ['clinician', 'admin'] },
  // extension: the clearance history, to those who see a clearance's details (never the front desk or finance)
  'GET /v1/clients/{clientId}/clearances': { grants: ['self', 'clinician', 'admin'], allowed: ['self', 'clinician', 'admin'] },
  'PUT /v1/clients/{clientId}/diagnoses': { grants: ['clinician', 'admin'], allowed: ['clinician', 'admin'] },
  // minimum necessary: the front desk never sees diagnoses
  'GET /v1/clients/{clientId}/diagnoses': {
    grants: ['self', 'clinician', 'finance', 'admin'],
    allowed: ['self', 'clinician', 'finance', 'admin'],
  },
  'GET /v1/clients/{clientId}/appointments': { grants: ['self', 'frontdesk', 'clinician', 'finance', 'admin'], allowed: SELF_STAFF },
  'GET /v1/clients/{clientId}/audit': { grants: ['admin'], allowed: ADMIN },
  // extension: the waitlist; the client's own entries as its appointments are, the clinic's list the desk's
  'POST /v1/clients/{clientId}/waitlist': { grants: ['self', 'frontdesk', 'admin'], allowed: BOOKERS },
  'GET /v1/clients/{clientId}/waitlist': { grants: ['self', 'frontdesk', 'clinician', 'finance', 'admin'], allowed: SELF_STAFF },
  'POST /v1/clients/{clientId}/waitlist/{entryId}/remove': { grants: ['self', 'frontdesk', 'admin'], allowed: BOOKERS },
  'GET /v1/clinics/{clinicId}/waitlist': { grants: ['frontdesk', 'admin'], allowed: ['frontdesk', 'admin'] },
  'POST /v1/appointments': { grants: ['self', 'frontdesk', 'admin'], allowed: BOOKERS },
  'GET /v1/appointments/{appointmentId}': { grants: ['self', 'frontdesk', 'clinician', 'finance', 'admin'], allowed: SELF_STAFF },
  'POST /v1/appointments/{appointmentId}/reschedule': { grants: ['self', 'frontdesk', 'admin'], allowed: BOOKERS },
  'POST /v1/appointments/{appointmentId}/cancel': { grants: ['self', 'frontdesk', 'admin'], allowed: BOOKERS },
  // extension: a self-pay session paid with a program credit instead; those who book for the client
  'POST /v1/appointments/{appointmentId}/use-credit': { grants: ['self', 'frontdesk', 'admin'], allowed: BOOKERS },
  'POST /v1/appointments/{appointmentId}/check-in': { grants: ['frontdesk', 'admin'], allowed: ['frontdesk', 'admin'] },
  'POST /v1/appointments/{appointmentId}/no-show': { grants: ['frontdesk', 'admin'], allowed: ['frontdesk', 'admin'] },
  'POST /v1/appointments/{appointmentId}/complete': {
    grants: ['clinician', 'frontdesk', 'admin'],
    allowed: ['clinician', 'frontdesk', 'admin'],
  },
  'GET /v1/clinics/{clinicId}/programs': { grants: ['public'], allowed: ALL },
  'POST /v1/clinics/{clinicId}/programs': { grants: ['admin'], allowed: ADMIN },
  'POST /v1/clinics/{clinicId}/programs/{programId}/retire': { grants: ['admin'], allowed: ADMIN },
  'POST /v1/packages': { grants: ['self', 'frontdesk', 'admin'], allowed: BOOKERS },
  'GET /v1/packages/{packageId}': { grants: ['self', 'frontdesk', 'clinician', 'finance', 'admin'], allowed: SELF_STAFF },
  // extension (not in the published API): a client's packages, the same callers as one package
  'GET /v1/clients/{clientId}/packages': { grants: ['self', 'frontdesk', 'clinician', 'finance', 'admin'], allowed: SELF_STAFF },
  // extension: what a cancel would refund, the same callers as the cancel
  'GET /v1/packages/{packageId}/cancel-preview': { grants: ['frontdesk', 'finance', 'admin'], allowed: ['frontdesk', 'finance', 'admin'] },
  'POST /v1/packages/{packageId}/cancel': { grants: ['frontdesk', 'finance', 'admin'], allowed: ['frontdesk', 'finance', 'admin'] },
  // extension: another card for an installment plan; the client, and the staff who send it the link
  'POST /v1/packages/{packageId}/payment-method': {
    grants: ['self', 'frontdesk', 'finance', 'admin'],
    allowed: ['self', 'frontdesk', 'finance', 'admin'],
  },
  // Stripe's signature is the credential: every caller reaches the signature check and fails it
  'POST /v1/webhooks/stripe': { grants: ['stripe'], allowed: ALL },
  'GET /v1/invoices/{invoiceId}': { grants: ['self', 'frontdesk', 'finance', 'admin'], allowed: ['self', 'frontdesk', 'finance', 'admin'] },
  'GET /v1/invoices/{invoiceId}/receipt.pdf': {
    grants: ['self', 'frontdesk', 'finance', 'admin'],
    allowed: ['self', 'frontdesk', 'finance', 'admin'],
  },
  'GET /v1/clients/{clientId}/invoices': {
    grants: ['self', 'frontdesk', 'finance', 'admin'],
    allowed: ['self', 'frontdesk', 'finance', 'admin'],
  },
  'GET /v1/invoices': { grants: ['frontdesk', 'finance', 'admin'], allowed: ['frontdesk', 'finance', 'admin'] },
  // the finance ledger: finance and admin start one (202); only who asked, or admin, reads it
  'POST /v1/clinics/{clinicId}/exports': { grants: ['finance', 'admin'], allowed: ['finance', 'admin'] },
  'GET /v1/exports/{exportId}': { grants: ['finance', 'admin'], allowed: ['finance', 'admin'] },
  // diagnoses and payments: the client, finance and admin (never the front desk or clinicians)
  'GET /v1/clients/{clientId}/superbill': { grants: ['self', 'finance', 'admin'], allowed: ['self', 'finance', 'admin'] },
  // a clinic's money in aggregate: finance and admin only
  'GET /v1/clinics/{clinicId}/reports/revenue': { grants: ['finance', 'admin'], allowed: ['finance', 'admin'] },
  // the published API names the client and the front desk; admin is granted on every non-public route
  'POST /v1/invoices/{invoiceId}/checkout': { grants: ['self', 'frontdesk', 'admin'], allowed: BOOKERS },
  // extension: what finance does about a refund the refund job gave up on
  'POST /v1/invoices/{invoiceId}/refunds/retry': { grants: ['finance', 'admin'], allowed: ['finance', 'admin'] },
  'POST /v1/invoices/{invoiceId}/refunds': { grants: ['finance', 'admin'], allowed: ['finance', 'admin'] },
  'GET /v1/clinics/{clinicId}/refunds/given-up': { grants: ['finance', 'admin'], allowed: ['finance', 'admin'] },
  // extension: a payment taken at the clinic
  'POST /v1/invoices/{invoiceId}/payments': { grants: ['frontdesk', 'finance', 'admin'], allowed: ['frontdesk', 'finance', 'admin'] },
};

let api: TestApi;
let A: string;
let B: string;
let programId: string;
let signups = 0;

function callerOf(cell: Cell): As | undefined {
  switch (cell) {
    case 'anonymous':
      return undefined;
    case 'self':
      return asClient(A);
    case 'otherClient':
      return asClient(B);
    case 'signup':
      return { role: 'client', sub: `new-user-${++signups}`, email: `new.user.${signups}@example.com` };
    case 'frontdesk':
    case 'clinician':
    case 'finance':
      return { role: cell, clinicId: NYC, sub: `${cell}-${NYC}` };
    case 'frontdeskOther':
    case 'clinicianOther':
    case 'financeOther':
      return { role: cell.replace('Other', '') as As['role'], clinicId: TOR, sub: `${cell}-${TOR}` };
    case 'admin':
      return admin;
  }
}

// A distinct hour for every booking of this file: no provider, room or client is ever double-booked.
let nextSlot = 0;
function freeStart(): string {
  const n = nextSlot++;
  const day = 14 + Math.floor(n / 7) + 2 * Math.floor(n / 35); // weekdays of December 2026 from the 14th
  if (day > 31) throw new Error('out of distinct test slots');
  return `2026-12-${String(day).padStart(2, '0')}T${String(10 + (n % 7)).padStart(2, '0')}:00:00-05:00`;
}

/** Client A's waitlist emptied (admin): each request that adds an entry starts under the limit of entries waiting. */
async function clearWaitlist(): Promise<void> {
  const res = await api.call('GET', `/v1/clients/${A}/waitlist`, { as: admin });
  for (const e of res.body.entries as { id: string }[]) {
    await api.call('POST', `/v1/clients/${A}/waitlist/${e.id}/remove`, { as: admin, body: {} });
  }
}

let sharedAppt: { id: string; startsAt: string };
let sharedPackage: string;
let sharedInvoice: string;

/** A fresh appointment for a call that may change it; the shared one for a call that must be refused. */
async function apptOfA(fresh: boolean): Promise<{ id: string; startsAt: string }> {
  return fresh ? bookA() : sharedAppt;
}

async function bookA(): Promise<{ id: string; startsAt: string }> {
  const startsAt = freeStart();
  const res = await api.call('POST', '/v1/appointments', {
    as: frontdesk(NYC),
    body: { clinicId: NYC, clientId: A, providerId: THER2, service: 'preparation', mode: 'telehealth', startsAt },
  });
  if (res.status !== 201) throw new Error(`fixture booking failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, startsAt };
}

let selfPayInvoice: string | undefined;
/** The invoice of a self-pay session of A's (booked once), nothing paid on it. */
async function selfPayInvoiceOfA(): Promise<string> {
  if (selfPayInvoice) return selfPayInvoice;
  const res = await api.call('POST', '/v1/appointments', {
    as: frontdesk(NYC),
    body: { clinicId: NYC, clientId: A, providerId: THER2, service: 'intake', mode: 'telehealth', startsAt: freeStart() },
  });
  if (res.status !== 201) throw new Error(`fixture booking failed: ${res.status} ${JSON.stringify(res.body)}`);
  selfPayInvoice = res.body.invoiceId as string;
  return selfPayInvoice;
}

let superbillReady = false;
/** A's diagnosis codes and one completed billable session (once): what a US superbill's 200 needs. */
async function superbillOfA(): Promise<void> {
  if (superbillReady) return;
  const codes = await api.call('PUT', `/v1/clients/${A}/diagnoses`, { as: callerOf('clinician')!, body: { codes: ['F33.2'] } });
  if (codes.status !== 200) throw new Error(`fixture diagnoses failed: ${codes.status} ${JSON.stringify(codes.body)}`);
  const appt = await bookA();
  api.clock.set(at(appt.startsAt, 30));
  try {
    const done = await api.call('POST', `/v1/appointments/${appt.id}/complete`, { as: frontdesk(NYC) });
    if (done.status !== 200) throw new Error(`fixture completion failed: ${done.status} ${JSON.stringify(done.body)}`);
  } finally {
    api.clock.set(DEFAULT_NOW);
  }
  superbillReady = true;
}

let installmentPackage: string | undefined;
/** A package of A's on an installment plan, its down payment paid (once): its plan takes another card. */
async function installmentPackageOfA(): Promise<string> {
  if (installmentPackage) return installmentPackage;
  const res = await api.call('POST', '/v1/packages', {
    as: frontdesk(NYC),
    body: { clientId: A, programId, payment: 'installments', installments: { count: 3, downPaymentPercent: 25 } },
  });
  if (res.status !== 201) throw new Error(`fixture package failed: ${res.status} ${JSON.stringify(res.body)}`);
  const delivered = await api.deliver(api.payments!.stub!.completeCheckout(res.body.checkoutSessionId, 'paid'));
  if (delivered.some((d) => d.status !== 200)) throw new Error(`fixture payment failed: ${JSON.stringify(delivered)}`);
  installmentPackage = res.body.package.id as string;
  return installmentPackage;
}

/** A ledger export of demo-nyc asked for by `as` (finance or admin): its id. */
async function exportBy(as: As): Promise<string> {
  const res = await api.call('POST', `/v1/clinics/${NYC}/exports`, { as, body: { kind: 'ledger', from: '2026-11-01', to: '2026-11-30' } });
  if (res.status !== 202) throw new Error(`fixture export failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}
let financeExport: string | undefined;

async function packageOfA(): Promise<string> {
  const res = await api.call('POST', '/v1/packages', { as: frontdesk(NYC), body: { clientId: A, programId, payment: 'pay_in_full' } });
  if (res.status !== 201) throw new Error(`fixture package failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.package.id;
}

/** A package of A's paid in full (active): its credits pay for sessions. */
async function paidPackageOfA(): Promise<string> {
  const res = await api.call('POST', '/v1/packages', { as: frontdesk(NYC), body: { clientId: A, programId, payment: 'pay_in_full' } });
  if (res.status !== 201) throw new Error(`fixture package failed: ${res.status} ${JSON.stringify(res.body)}`);
  const delivered = await api.deliver(api.payments!.stub!.completeCheckout(res.body.checkoutSessionId, 'paid'));
  if (delivered.some((d) => d.status !== 200)) throw new Error(`fixture payment failed: ${JSON.stringify(delivered)}`);
  return res.body.package.id as string;
}

interface Req {
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  /** The clock for this call (time-gated status changes); DEFAULT_NOW otherwise. */
  at?: number;
}

const at = (iso: string, minutes: number) => Date.parse(iso) + minutes * 60_000;

/** A valid request for each route on records of client A at demo-nyc; fresh records where it changes them. */
const REQUESTS: Record<string, (cell: Cell, caller: As | undefined, fresh: boolean) => Promise<Req>> = {
  'GET /v1/health': async () => ({ path: '/v1/health' }),
  'GET /v1/health/ready': async () => ({ path: '/v1/health/ready' }),
  'GET /v1/clinics': async () => ({ path: '/v1/clinics' }),
  'POST /v1/clinics': async () => ({
    path: '/v1/clinics',
    body: { name: 'Prairie Clinic', timezone: 'America/Chicago', currency: 'USD', country: 'US' },
  }),
  'GET /v1/clinics/{clinicId}': async () => ({ path: `/v1/clinics/${NYC}` }),
  'PATCH /v1/clinics/{clinicId}': async () => ({ path: `/v1/clinics/${NYC}`, body: { policy: { minimumNoticeHours: 24 } } }),
  'POST /v1/clinics/{clinicId}/providers': async () => ({
    path: `/v1/clinics/${NYC}/providers`,
    body: {
      name: 'Quinn Harper',
      role: 'therapist',
      credentials: 'LMFT',
      telehealth: true,
      weeklyHours: [{ day: 'sat', start: '14:00', end: '15:00' }],
    },
  }),
  'GET /v1/clinics/{clinicId}/providers': async () => ({ path: `/v1/clinics/${NYC}/providers` }),
  'PUT /v1/clinics/{clinicId}/providers/{providerId}/video-room': async () => ({
    path: `/v1/clinics/${NYC}/providers/${THER2}/video-room`,
    body: { url: 'https://doxy.me/jordan-reyes' },
  }),
  // a day no other request books (a Monday)
  'POST /v1/clinics/{clinicId}/providers/{providerId}/time-off': async () => ({
    path: `/v1/clinics/${NYC}/providers/${THER2}/time-off`,
    body: { startsAt: '2027-02-01T10:00:00-05:00', endsAt: '2027-02-01T11:00:00-05:00' },
  }),
  // the clinic closed on a Sunday night, a time no other request books
  'POST /v1/clinics/{clinicId}/time-off': async () => ({
    path: `/v1/clinics/${NYC}/time-off`,
    body: { startsAt: '2027-02-07T22:00:00-05:00', endsAt: '2027-02-07T23:00:00-05:00' },
  }),
  'GET /v1/clinics/{clinicId}/time-off': async () => ({ path: `/v1/clinics/${NYC}/time-off?from=2027-02-01&to=2027-02-01` }),
  'POST /v1/clinics/{clinicId}/time-off/{timeOffId}/remove': async () => {
    const res = await api.call('POST', `/v1/clinics/${NYC}/providers/${THER2}/time-off`, {
      as: admin,
      body: { startsAt: '2027-02-02T10:00:00-05:00', endsAt: '2027-02-02T11:00:00-05:00' },
    });
    return { path: `/v1/clinics/${NYC}/time-off/${res.body.timeOff.id}/remove`, body: {} };
  },
  'POST /v1/clinics/{clinicId}/rooms': async () => ({ path: `/v1/clinics/${NYC}/rooms`, body: { name: 'Dosing room 9', kind: 'dosing' } }),
  'GET /v1/clinics/{clinicId}/rooms': async () => ({ path: `/v1/clinics/${NYC}/rooms` }),
  'GET /v1/clinics/{clinicId}/services': async () => ({ path: `/v1/clinics/${NYC}/services` }),
  'GET /v1/clinics/{clinicId}/availability': async () => ({
    path: `/v1/clinics/${NYC}/availability`,
    query: { service: 'preparation', from: '2026-12-14', to: '2026-12-15' },
  }),
  'GET /v1/clinics/{clinicId}/schedule': async () => ({ path: `/v1/clinics/${NYC}/schedule`, query: { date: '2026-12-14' } }),
  'POST /v1/clinics/{clinicId}/clients/search': async () => ({ path: `/v1/clinics/${NYC}/clients/search`, body: { q: 'ab' } }),
  'POST /v1/clients': async (_cell, caller) => ({
    path: '/v1/clients',
    body: {
      clinicId: NYC,
      firstName: 'Nova',
      lastName: 'Signup',
      email: caller?.email ?? 'nova.signup@example.com',
      phone: '+12125550188',
      dateOfBirth: '1991-02-03',
      smsConsent: false,
    },
  }),
  'GET /v1/clients/{clientId}': async () => ({ path: `/v1/clients/${A}` }),
  'PATCH /v1/clients/{clientId}': async () => ({ path: `/v1/clients/${A}`, body: { smsConsent: true } }),
  'POST /v1/clients/{clientId}/clearance': async () => ({
    path: `/v1/clients/${A}/clearance`,
    body: { status: 'cleared', screenedFor: ['blood pressure'], notes: 'fine' },
  }),
  'GET /v1/clients/{clientId}/clearances': async () => ({ path: `/v1/clients/${A}/clearances` }),
  'PUT /v1/clients/{clientId}/diagnoses': async () => ({ path: `/v1/clients/${A}/diagnoses`, body: { codes: ['F33.2', 'F43.10'] } }),
  'GET /v1/clients/{clientId}/diagnoses': async () => ({ path: `/v1/clients/${A}/diagnoses` }),
  'GET /v1/clients/{clientId}/appointments': async () => ({ path: `/v1/clients/${A}/appointments` }),
  'GET /v1/clients/{clientId}/audit': async () => ({ path: `/v1/clients/${A}/audit` }),
  'POST /v1/clients/{clientId}/waitlist': async () => {
    await clearWaitlist();
    return { path: `/v1/clients/${A}/waitlist`, body: { service: 'preparation', from: '2026-12-14', to: '2026-12-18' } };
  },
  'GET /v1/clients/{clientId}/waitlist': async () => ({ path: `/v1/clients/${A}/waitlist` }),
  'POST /v1/clients/{clientId}/waitlist/{entryId}/remove': async () => {
    await clearWaitlist();
    const res = await api.call('POST', `/v1/clients/${A}/waitlist`, {
      as: admin,
      body: { service: 'preparation', from: '2026-12-14', to: '2026-12-18' },
    });
    return { path: `/v1/clients/${A}/waitlist/${res.body.entry.id}/remove`, body: {} };
  },
  'GET /v1/clinics/{clinicId}/waitlist': async () => ({ path: `/v1/clinics/${NYC}/waitlist` }),
  'POST /v1/appointments': async (_c, _a, fresh) => ({
    path: '/v1/appointments',
    body: {
      clinicId: NYC,
      clientId: A,
      providerId: THER2,
      service: 'preparation',
      mode: 'telehealth',
      startsAt: fresh ? freeStart() : '2026-12-31T16:00:00-05:00',
    },
  }),
  'GET /v1/appointments/{appointmentId}': async (_c, _a, fresh) => ({ path: `/v1/appointments/${(await apptOfA(fresh)).id}` }),
  'POST /v1/appointments/{appointmentId}/reschedule': async (_c, _a, fresh) => ({
    path: `/v1/appointments/${(await apptOfA(fresh)).id}/reschedule`,
    body: { startsAt: fresh ? freeStart() : '2026-12-31T16:00:00-05:00' },
  }),
  'POST /v1/appointments/{appointmentId}/cancel': async (_c, _a, fresh) => ({
    path: `/v1/appointments/${(await apptOfA(fresh)).id}/cancel`,
    body: {},
  }),
  // an allowed cell pays a fresh self-pay session with a fresh paid package's credit
  'POST /v1/appointments/{appointmentId}/use-credit': async (_c, _a, fresh) => ({
    path: `/v1/appointments/${(await apptOfA(fresh)).id}/use-credit`,
    body: { packageId: fresh ? await paidPackageOfA() : sharedPackage },
  }),
  'POST /v1/appointments/{appointmentId}/check-in': async (_c, _a, fresh) => {
    const appt = await apptOfA(fresh);
    return { path: `/v1/appointments/${appt.id}/check-in`, at: at(appt.startsAt, -30) };
  },
  'POST /v1/appointments/{appointmentId}/no-show': async (_c, _a, fresh) => {
    const appt = await apptOfA(fresh);
    return { path: `/v1/appointments/${appt.id}/no-show`, at: at(appt.startsAt, 30) };
  },
  'POST /v1/appointments/{appointmentId}/complete': async (_c, _a, fresh) => {
    const appt = await apptOfA(fresh);
    return { path: `/v1/appointments/${appt.id}/complete`, at: at(appt.startsAt, 30) };
  },
  'GET /v1/clinics/{clinicId}/programs': async () => ({ path: `/v1/clinics/${NYC}/programs` }),
  'POST /v1/clinics/{clinicId}/programs': async () => ({
    path: `/v1/clinics/${NYC}/programs`,
    body: { name: 'Four sessions', explorations: 4, tier: 'standard', includes: { preparation: 2, exploration: 4, integration: 2 } },
  }),
  'POST /v1/clinics/{clinicId}/programs/{programId}/retire': async () => {
    const res = await api.call('POST', `/v1/clinics/${NYC}/programs`, {
      as: admin,
      body: { name: 'Short course', explorations: 1, tier: 'standard', includes: { preparation: 1, exploration: 1, integration: 1 } },
    });
    return { path: `/v1/clinics/${NYC}/programs/${res.body.id}/retire` };
  },
  'POST /v1/packages': async () => ({ path: '/v1/packages', body: { clientId: A, programId, payment: 'pay_in_full' } }),
  'GET /v1/clients/{clientId}/packages': async () => ({ path: `/v1/clients/${A}/packages` }),
  'GET /v1/packages/{packageId}': async (_c, _a, fresh) => ({ path: `/v1/packages/${fresh ? await packageOfA() : sharedPackage}` }),
  'GET /v1/packages/{packageId}/cancel-preview': async (_c, _a, fresh) => ({
    path: `/v1/packages/${fresh ? await packageOfA() : sharedPackage}/cancel-preview`,
  }),
  'POST /v1/packages/{packageId}/cancel': async (_c, _a, fresh) => ({
    path: `/v1/packages/${fresh ? await packageOfA() : sharedPackage}/cancel`,
  }),
  // a setup session changes no record: one installment package of A's serves every cell
  'POST /v1/packages/{packageId}/payment-method': async () => ({
    path: `/v1/packages/${await installmentPackageOfA()}/payment-method`,
    body: {},
  }),
  'POST /v1/webhooks/stripe': async () => ({ path: '/v1/webhooks/stripe', body: { id: 'evt_1', type: 'checkout.session.completed' } }),
  'GET /v1/invoices/{invoiceId}': async () => ({ path: `/v1/invoices/${sharedInvoice}` }),
  'GET /v1/invoices/{invoiceId}/receipt.pdf': async () => ({ path: `/v1/invoices/${sharedInvoice}/receipt.pdf` }),
  'GET /v1/clients/{clientId}/invoices': async () => ({ path: `/v1/clients/${A}/invoices` }),
  // a checkout changes no record: one self-pay invoice of A's with its balance due serves every cell
  'POST /v1/invoices/{invoiceId}/checkout': async () => ({ path: `/v1/invoices/${await selfPayInvoiceOfA()}/checkout` }),
  // a dollar in cash on A's self-pay invoice: every allowed cell pays one, the balance stays above 0
  'POST /v1/invoices/{invoiceId}/payments': async () => ({
    path: `/v1/invoices/${await selfPayInvoiceOfA()}/payments`,
    body: { amount: 100, method: 'cash' },
  }),
  // each cell gets an invoice of A's whose refund the job gave up on: an allowed call settles it
  'POST /v1/invoices/{invoiceId}/refunds/retry': async () => ({
    path: `/v1/invoices/${(await givenUpRefund(api, { clientId: A, at: DEFAULT_NOW })).id}/refunds/retry`,
    body: {},
  }),
  'POST /v1/invoices/{invoiceId}/refunds': async () => {
    const invoice = await givenUpRefund(api, { clientId: A, at: DEFAULT_NOW });
    return {
      path: `/v1/invoices/${invoice.id}/refunds`,
      body: { amount: invoice.lines[0]!.amount, method: 'cheque', reference: 'CHQ-1042' },
    };
  },
  'GET /v1/clinics/{clinicId}/refunds/given-up': async () => ({ path: `/v1/clinics/${NYC}/refunds/given-up` }),
  'GET /v1/invoices': async () => ({ path: '/v1/invoices', query: { clinicId: NYC, from: '2026-12-01', to: '2026-12-01' } }),
  'POST /v1/clinics/{clinicId}/exports': async () => ({
    path: `/v1/clinics/${NYC}/exports`,
    body: { kind: 'ledger', from: '2026-11-01', to: '2026-11-30' },
  }),
  // an allowed caller reads the export it asked for; a refused one the clinic's finance user's
  'GET /v1/exports/{exportId}': async (_c, caller, allowed) => ({
    path: `/v1/exports/${allowed ? await exportBy(caller!) : (financeExport ??= await exportBy(callerOf('finance')!))}`,
  }),
  'GET /v1/clients/{clientId}/superbill': async () => {
    await superbillOfA();
    return { path: `/v1/clients/${A}/superbill`, query: { from: '2026-12-01', to: '2026-12-31' } };
  },
  'GET /v1/clinics/{clinicId}/reports/revenue': async () => ({
    path: `/v1/clinics/${NYC}/reports/revenue`,
    query: { from: '2026-12-01', to: '2026-12-31' },
  }),
};

type Item = Record<string, unknown>;
const itemKey = (i: Item) => `${String(i.PK)}|${String(i.SK)}`;
/**
 * Everything but rate-limit counters: a refused attempt still counts against its caller's limit
 * (that is what a limit on probing is for), and the counter holds no record data.
 */
const snapshot = async () =>
  (await api.items()).filter((i) => i.type !== 'rate_limit').sort((a, b) => itemKey(a).localeCompare(itemKey(b)));

beforeAll(async () => {
  api = await createTestApi({ payments: true });
  A = await signUp(api, { firstName: 'Ada' });
  B = await signUp(api, { firstName: 'Bo' });
  const programs = await api.call('GET', `/v1/clinics/${NYC}/programs`);
  programId = programs.body[0].id;
  sharedAppt = await bookA();
  sharedPackage = await packageOfA();
  // an invoice of A's, stored directly (issued now: on the clinic listing's day), whatever else bills A
  const [invoice] = await storeInvoices(api, [programInvoice({ clientId: A, at: DEFAULT_NOW, packageId: sharedPackage })]);
  sharedInvoice = invoice!.id;
});
afterAll(async () => api.close());

describe('the route table declares the contract', () => {
  it('every route has exactly the contract’s grants, and the contract names no route the table lacks', () => {
    const declared = Object.fromEntries(ROUTES.map((r) => [routeKey(r), [...r.allow].sort()]));
    const contract = Object.fromEntries(Object.entries(CONTRACT).map(([k, v]) => [k, [...v.grants].sort()]));
    expect(declared).toEqual(contract);
  });

  it('a function refuses to start with a handler for a route the table does not declare', () => {
    const build = () =>
      createApiHandler({
        routes: SCHEDULING_ROUTES,
        handlers: { 'GET /v1/secret': async () => ({ status: 200 }) },
        logger: new Logger({ logLevel: 'CRITICAL' }),
        clock: fixedClock(DEFAULT_NOW),
        idempotency: { leaseSeconds: 30, claim: async () => null, complete: async () => undefined, release: async () => undefined },
        rateLimits: { take: async () => ({ allowed: true }) },
        audit: { append: async () => undefined },
      });
    expect(build).toThrow(/undeclared GET \/v1\/secret/);
  });

  it('a function refuses to start with a table that holds another function’s routes, or none', () => {
    const build = (routes: readonly RouteDef[]) => () =>
      createApiHandler({
        routes,
        handlers: Object.fromEntries(routes.map((r) => [routeKey(r), async () => ({ status: 200 })])),
        logger: new Logger({ logLevel: 'CRITICAL' }),
        clock: fixedClock(DEFAULT_NOW),
        idempotency: { leaseSeconds: 30, claim: async () => null, complete: async () => undefined, release: async () => undefined },
        rateLimits: { take: async () => ({ allowed: true }) },
        audit: { append: async () => undefined },
      });
    expect(build(ROUTES)).toThrow(/its own route table/);
    expect(build([])).toThrow(/its own route table/);
    expect(build(SCHEDULING_ROUTES)).not.toThrow();
  });

  it('admin is granted on every route that is not public', () => {
    for (const r of ROUTES) if (!r.allow.includes('public') && !r.allow.includes('stripe')) expect(r.allow, routeKey(r)).toContain('admin');
  });

  it('the policy admits a caller before the record is known only if some grant could apply', () => {
    const claims = (groups: string[], extra: Record<string, string> = {}) =>
      principalFromClaims({ sub: 'x', 'cognito:groups': groups, ...extra });
    expect(admits(['self'], claims(['client']))).toBe(false); // a client without a record owns nothing yet
    expect(admits(['signup'], claims(['client'], { 'custom:clientId': 'c1' }))).toBe(false); // one record per user
    expect(admits(['frontdesk'], claims(['frontdesk']))).toBe(false); // staff without a clinic
    expect(admits(['frontdesk'], claims(['clinician'], { 'custom:clinicId': NYC }))).toBe(false);
    expect(admits(['frontdesk'], claims(['frontdesk'], { 'custom:clinicId': NYC }))).toBe(true);
  });
});

describe('route × caller matrix', () => {
  const cells: Array<[string, Cell]> = ROUTES.flatMap((r) => CELLS.map((c): [string, Cell] => [routeKey(r), c]));
  let checked = 0;

  it.each(cells)('%s as %s', async (key, cell) => {
    const route = ROUTES.find((r) => routeKey(r) === key)!;
    const allowed = CONTRACT[key]!.allowed.includes(cell);
    const caller = callerOf(cell);
    const req = await REQUESTS[key]!(cell, caller, allowed);
    const before = allowed ? [] : await snapshot();
    api.clock.set(req.at ?? DEFAULT_NOW);
    let res;
    try {
      res = await api.call(route.method, req.path, {
        ...(caller ? { as: caller } : {}),
        ...(req.body === undefined ? {} : { body: req.body }),
        ...(req.query ? { query: req.query } : {}),
      });
    } finally {
      api.clock.set(DEFAULT_NOW);
    }
    if (key === 'POST /v1/webhooks/stripe') {
      expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
    } else if (allowed) {
      expect(res.status, JSON.stringify(res.body)).toBe(successStatus(route));
    } else {
      const expected = cell === 'anonymous' ? [401, 'unauthenticated'] : [403, 'forbidden'];
      expect([res.status, res.body?.error?.code], JSON.stringify(res.body)).toEqual(expected);
      expect(await snapshot()).toEqual(before);
    }
    checked++;
  });

  it('walked every cell', () => {
    expect(checked).toBe(ROUTES.length * CELLS.length);
  });
});
