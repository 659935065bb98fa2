// Who may call what, through the scheduling function on DynamoDB Local (docs/security.md,
// "The access policy", and docs/api-reference.md): 401 without a token on every route behind the JWT
// authorizer, 403 for the wrong role or another clinic's or client's record (admin may do all of
// it), 404 for ids that name nothing, public routes open to anyone, and error bodies that never
// carry a stack trace or internal detail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '#http/routes.ts';
import {
  admin,
  asClient,
  clinician,
  createTestApi,
  finance,
  frontdesk,
  signUp,
  type As,
  type Reply,
  type TestApi,
} from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const TOR = 'demo-tor';
const THER = 'demo-nyc-ther-1';
const THER2 = 'demo-nyc-ther-2';
const TOR_THER = 'demo-tor-ther-1';

let api: TestApi;
/** Two clients of New York, one of Toronto, and one booked appointment each. */
let A: string;
let B: string;
let T: string;
let apptA: string;
let apptB: string;
let apptT: string;

// A distinct hour for every booking of this file: no provider, room or client is ever double-booked.
const DAYS = ['14', '15', '16', '17', '18', '21', '22', '23', '24', '25', '28', '29', '30', '31'].map((d) => `2026-12-${d}`);
const STARTS = ['10', '11', '12', '13', '14', '15', '16']; // both New York therapists work 10:00–17:00
let nextSlot = 0;
function freeStart(): string {
  const n = nextSlot++;
  const day = DAYS[Math.floor(n / STARTS.length)];
  if (!day) throw new Error('out of distinct test slots');
  return `${day}T${STARTS[n % STARTS.length]}:00:00-05:00`;
}

/** A telehealth preparation (no room; completes without check-in) booked by the front desk. */
async function bookFor(
  clientId: string,
  opts: { providerId?: string; startsAt?: string; clinicId?: string; as?: As } = {},
): Promise<string> {
  const res = await api.call('POST', '/v1/appointments', {
    as: opts.as ?? frontdesk(opts.clinicId ?? NYC),
    body: {
      clinicId: opts.clinicId ?? NYC,
      clientId,
      providerId: opts.providerId ?? THER2,
      service: 'preparation',
      mode: 'telehealth',
      startsAt: opts.startsAt ?? freeStart(),
    },
  });
  if (res.status !== 201) throw new Error(`fixture booking failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

beforeAll(async () => {
  api = await createTestApi({ payments: true });
  A = await signUp(api, { firstName: 'Ada' });
  B = await signUp(api, { firstName: 'Bo' });
  T = await signUp(api, { clinicId: TOR, firstName: 'Tess', phone: '+14165550123' });
  apptA = await bookFor(A);
  apptB = await bookFor(B);
  apptT = await bookFor(T, { clinicId: TOR, providerId: TOR_THER, startsAt: '2026-12-14T10:00:00-05:00' });
});
afterAll(async () => api.close());

// ---------------------------------------------------------------------------------------------

type Item = Record<string, unknown>;
const itemKey = (i: Item) => `${String(i.PK)}|${String(i.SK)}`;
async function snapshot(): Promise<Item[]> {
  return (await api.items()).sort((a, b) => itemKey(a).localeCompare(itemKey(b)));
}

function expectNoInternals(res: Reply): void {
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/stack/i);
  expect(text).not.toMatch(/\n\s+at |\bat .*\(.*:\d+:\d+\)/);
  expect(text).not.toMatch(/node_modules|\.ts\b|\.js\b|DynamoDB|ResourceNotFound|ConditionalCheck|\bPK\b|\bSK\b|CLIENT#|CLINIC#|APPT#/);
  expect(text).not.toContain(api.table.tableName);
}

/** The API's error body (docs/api.md, "Errors"), exactly, for a status without details. */
function expectError(res: Reply, status: number, code: string): void {
  expect([res.status, res.body?.error?.code]).toEqual([status, code]);
  expect(res.body).toStrictEqual({ error: { code, message: expect.any(String) } });
  expect(res.body.error.message).not.toBe('');
  expectNoInternals(res);
}

interface Req {
  method: string;
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

const send = (req: Req, as?: As) =>
  api.call(req.method, req.path, { ...(as ? { as } : {}), body: req.body, query: req.query, headers: req.headers });

/** `req` by `as` is refused with `status`/`code` and the table is left exactly as it was. */
async function refused(req: Req, as: As | undefined, status: number, code: string): Promise<void> {
  const before = await snapshot();
  expectError(await send(req, as), status, code);
  expect(await snapshot()).toEqual(before);
}

// Valid bodies
const clinicBody = () => ({ name: 'Prairie Clinic', timezone: 'America/Chicago', currency: 'USD', country: 'US' });
const providerBody = () => ({
  name: 'Quinn Harper',
  role: 'therapist',
  credentials: 'LMFT',
  telehealth: true,
  weeklyHours: [{ day: 'mon', start: '09:00', end: '17:00' }],
});
const roomBody = () => ({ name: 'Dosing room 3', kind: 'dosing' });
const clearanceBody = () => ({ status: 'cleared', screenedFor: ['hypertension'] });
const bookBody = (clientId: string, clinicId = NYC, providerId = THER) => ({
  clinicId,
  clientId,
  providerId,
  service: 'preparation',
  mode: 'telehealth',
  startsAt: freeStart(),
});

// ---------------------------------------------------------------------------------------------

describe('401 unauthenticated without a token', () => {
  /** One valid request per route behind the JWT authorizer, on records that exist. */
  let cached: Record<string, Req> | undefined;
  const valid = (): Record<string, Req> =>
    (cached ??= {
      'POST /v1/clinics': { method: 'POST', path: '/v1/clinics', body: clinicBody() },
      'PATCH /v1/clinics/{clinicId}': { method: 'PATCH', path: `/v1/clinics/${NYC}`, body: { name: 'Taken over' } },
      'POST /v1/clinics/{clinicId}/providers': { method: 'POST', path: `/v1/clinics/${NYC}/providers`, body: providerBody() },
      'POST /v1/clinics/{clinicId}/rooms': { method: 'POST', path: `/v1/clinics/${NYC}/rooms`, body: roomBody() },
      'POST /v1/clinics/{clinicId}/providers/{providerId}/time-off': {
        method: 'POST',
        path: `/v1/clinics/${NYC}/providers/demo-nyc-ther-1/time-off`,
        body: { startsAt: '2027-02-01T10:00:00-05:00', endsAt: '2027-02-01T11:00:00-05:00' },
      },
      'POST /v1/clinics/{clinicId}/time-off': {
        method: 'POST',
        path: `/v1/clinics/${NYC}/time-off`,
        body: { startsAt: '2027-02-07T22:00:00-05:00', endsAt: '2027-02-07T23:00:00-05:00' },
      },
      'POST /v1/clinics/{clinicId}/time-off/{timeOffId}/remove': {
        method: 'POST',
        path: `/v1/clinics/${NYC}/time-off/off_unknown/remove`,
        body: {},
      },
      'PUT /v1/clinics/{clinicId}/providers/{providerId}/video-room': {
        method: 'PUT',
        path: `/v1/clinics/${NYC}/providers/demo-nyc-ther-1/video-room`,
        body: { url: 'https://doxy.me/ther-1' },
      },
      'POST /v1/clients': {
        method: 'POST',
        path: '/v1/clients',
        body: {
          clinicId: NYC,
          firstName: 'Anon',
          lastName: 'Ymous',
          email: 'anon@example.com',
          phone: '+12125550111',
          dateOfBirth: '1990-01-01',
          smsConsent: true,
        },
      },
      'GET /v1/clinics/{clinicId}/rooms': { method: 'GET', path: `/v1/clinics/${NYC}/rooms` },
      'GET /v1/clinics/{clinicId}/time-off': {
        method: 'GET',
        path: `/v1/clinics/${NYC}/time-off`,
        query: { from: '2027-02-01', to: '2027-02-01' },
      },
      'GET /v1/clinics/{clinicId}/schedule': { method: 'GET', path: `/v1/clinics/${NYC}/schedule`, query: { date: '2026-12-14' } },
      'POST /v1/clinics/{clinicId}/clients/search': { method: 'POST', path: `/v1/clinics/${NYC}/clients/search`, body: { q: 'ab' } },
      'GET /v1/clients/{clientId}': { method: 'GET', path: `/v1/clients/${A}` },
      'PATCH /v1/clients/{clientId}': { method: 'PATCH', path: `/v1/clients/${A}`, body: { phone: '+12125550100' } },
      'POST /v1/clients/{clientId}/clearance': { method: 'POST', path: `/v1/clients/${A}/clearance`, body: clearanceBody() },
      'GET /v1/clients/{clientId}/clearances': { method: 'GET', path: `/v1/clients/${A}/clearances` },
      'PUT /v1/clients/{clientId}/diagnoses': { method: 'PUT', path: `/v1/clients/${A}/diagnoses`, body: { codes: ['F33.2'] } },
      'GET /v1/clients/{clientId}/diagnoses': { method: 'GET', path: `/v1/clients/${A}/diagnoses` },
      'GET /v1/clients/{clientId}/appointments': { method: 'GET', path: `/v1/clients/${A}/appointments` },
      'GET /v1/clients/{clientId}/audit': { method: 'GET', path: `/v1/clients/${A}/audit` },
      'POST /v1/clients/{clientId}/waitlist': {
        method: 'POST',
        path: `/v1/clients/${A}/waitlist`,
        body: { service: 'preparation', from: '2026-12-14', to: '2026-12-18' },
      },
      'GET /v1/clients/{clientId}/waitlist': { method: 'GET', path: `/v1/clients/${A}/waitlist` },
      'POST /v1/clients/{clientId}/waitlist/{entryId}/remove': {
        method: 'POST',
        path: `/v1/clients/${A}/waitlist/wait_unknown/remove`,
        body: {},
      },
      'GET /v1/clinics/{clinicId}/waitlist': { method: 'GET', path: `/v1/clinics/${NYC}/waitlist` },
      'POST /v1/appointments': { method: 'POST', path: '/v1/appointments', body: bookBody(A) },
      'GET /v1/appointments/{appointmentId}': { method: 'GET', path: `/v1/appointments/${apptA}` },
      'POST /v1/appointments/{appointmentId}/reschedule': {
        method: 'POST',
        path: `/v1/appointments/${apptA}/reschedule`,
        body: { startsAt: freeStart() },
      },
      'POST /v1/appointments/{appointmentId}/cancel': { method: 'POST', path: `/v1/appointments/${apptA}/cancel`, body: { reason: 'x' } },
      'POST /v1/appointments/{appointmentId}/use-credit': {
        method: 'POST',
        path: `/v1/appointments/${apptA}/use-credit`,
        body: { packageId: 'pkg_unknown' },
      },
      'POST /v1/appointments/{appointmentId}/check-in': { method: 'POST', path: `/v1/appointments/${apptA}/check-in` },
      'POST /v1/appointments/{appointmentId}/no-show': { method: 'POST', path: `/v1/appointments/${apptA}/no-show` },
      'POST /v1/appointments/{appointmentId}/complete': { method: 'POST', path: `/v1/appointments/${apptA}/complete` },
      'POST /v1/clinics/{clinicId}/programs': {
        method: 'POST',
        path: `/v1/clinics/${NYC}/programs`,
        body: {
          name: 'Care program 2 - short',
          explorations: 2,
          tier: 'standard',
          includes: { preparation: 1, exploration: 2, integration: 1 },
        },
      },
      'POST /v1/clinics/{clinicId}/programs/{programId}/retire': {
        method: 'POST',
        path: `/v1/clinics/${NYC}/programs/demo-nyc-prg-1/retire`,
      },
      'POST /v1/packages': {
        method: 'POST',
        path: '/v1/packages',
        body: { clientId: A, programId: 'demo-nyc-prg-1', payment: 'pay_in_full' },
      },
      'GET /v1/packages/{packageId}': { method: 'GET', path: '/v1/packages/pkg_unknown' },
      'GET /v1/clients/{clientId}/packages': { method: 'GET', path: `/v1/clients/${A}/packages` },
      'GET /v1/packages/{packageId}/cancel-preview': { method: 'GET', path: '/v1/packages/pkg_unknown/cancel-preview' },
      'POST /v1/packages/{packageId}/cancel': { method: 'POST', path: '/v1/packages/pkg_unknown/cancel' },
      'POST /v1/packages/{packageId}/payment-method': { method: 'POST', path: '/v1/packages/pkg_unknown/payment-method', body: {} },
      'POST /v1/invoices/{invoiceId}/checkout': { method: 'POST', path: '/v1/invoices/inv_unknown/checkout' },
      'GET /v1/invoices/{invoiceId}': { method: 'GET', path: '/v1/invoices/inv_unknown' },
      'GET /v1/clinics/{clinicId}/refunds/given-up': { method: 'GET', path: `/v1/clinics/${NYC}/refunds/given-up` },
      'POST /v1/invoices/{invoiceId}/refunds/retry': { method: 'POST', path: '/v1/invoices/inv_unknown/refunds/retry', body: {} },
      'POST /v1/invoices/{invoiceId}/refunds': {
        method: 'POST',
        path: '/v1/invoices/inv_unknown/refunds',
        body: { amount: 17_500, method: 'cheque', reference: '1042' },
      },
      'POST /v1/invoices/{invoiceId}/payments': {
        method: 'POST',
        path: '/v1/invoices/inv_unknown/payments',
        body: { amount: 17_500, method: 'cash' },
      },
      'GET /v1/invoices/{invoiceId}/receipt.pdf': { method: 'GET', path: '/v1/invoices/inv_unknown/receipt.pdf' },
      'GET /v1/clients/{clientId}/invoices': { method: 'GET', path: `/v1/clients/${A}/invoices` },
      'GET /v1/invoices': { method: 'GET', path: '/v1/invoices', query: { clinicId: NYC, from: '2026-12-01', to: '2026-12-31' } },
      'POST /v1/clinics/{clinicId}/exports': {
        method: 'POST',
        path: `/v1/clinics/${NYC}/exports`,
        body: { kind: 'ledger', from: '2026-11-01', to: '2026-11-30' },
      },
      'GET /v1/exports/{exportId}': { method: 'GET', path: '/v1/exports/exp_unknown' },
      'GET /v1/clients/{clientId}/superbill': {
        method: 'GET',
        path: `/v1/clients/${A}/superbill`,
        query: { from: '2026-12-01', to: '2026-12-31' },
      },
      'GET /v1/clinics/{clinicId}/reports/revenue': {
        method: 'GET',
        path: `/v1/clinics/${NYC}/reports/revenue`,
        query: { from: '2026-12-01', to: '2026-12-31' },
      },
    });
  const JWT_ROUTES = ROUTES.filter((r) => r.auth === 'jwt').map(routeKey);

  it('covers every route behind the JWT authorizer', () => {
    expect(Object.keys(valid()).sort()).toEqual([...JWT_ROUTES].sort());
  });

  it.each(JWT_ROUTES)('%s: a valid request without a token is a 401 and writes nothing', async (key) => {
    await refused(valid()[key]!, undefined, 401, 'unauthenticated');
  });

  it.each(JWT_ROUTES)('%s: 401 comes first, before ids are looked up or the body is read', async (key) => {
    const req = valid()[key]!;
    // an id that names nothing: a 404 would tell an anonymous caller which ids exist
    const unknown = { ...req, path: req.path.replace(new RegExp(`${A}|${apptA}|${NYC}`), 'no-such-id') };
    await refused(unknown, undefined, 401, 'unauthenticated');
    // a body that is not JSON, and one that breaks the schema
    await refused({ ...req, body: '{"oops": ' }, undefined, 401, 'unauthenticated');
    await refused({ ...req, body: { unknownField: 1 } }, undefined, 401, 'unauthenticated');
    // an Idempotency-Key that is not valid
    await refused({ ...req, headers: { 'Idempotency-Key': 'k'.repeat(300) } }, undefined, 401, 'unauthenticated');
  });

  it('401 also without query parameters the route needs', async () => {
    await refused({ method: 'GET', path: `/v1/clinics/${NYC}/schedule` }, undefined, 401, 'unauthenticated');
  });

  it('the records stayed untouched', async () => {
    const res = await api.call('GET', `/v1/appointments/${apptA}`, { as: admin });
    expect(res.body).toMatchObject({ id: apptA, status: 'booked' });
    const client = await api.call('GET', `/v1/clients/${A}`, { as: admin });
    expect(client.body).toMatchObject({ phone: '+12125550123', status: { clearance: { status: 'none' } } });
    const clinic = await api.call('GET', `/v1/clinics/${NYC}`);
    expect(clinic.body.name).toBe('Hudson Wellness (demo)');
  });
});

// ---------------------------------------------------------------------------------------------

// Who else may and may not is walked cell by cell in access-matrix.test.ts.

describe('the client itself and staff of its clinic', () => {
  it('may read (the same reads are not refused for them)', async () => {
    for (const as of [asClient(A), frontdesk(), clinician(), finance(), admin]) {
      expect((await api.call('GET', `/v1/clients/${A}`, { as })).status).toBe(200);
      expect((await api.call('GET', `/v1/clients/${A}/appointments`, { as })).status).toBe(200);
      expect((await api.call('GET', `/v1/appointments/${apptA}`, { as })).status).toBe(200);
    }
    expect((await api.call('GET', `/v1/clients/${T}`, { as: frontdesk(TOR) })).status).toBe(200);
    expect((await api.call('GET', `/v1/appointments/${apptT}`, { as: asClient(T) })).status).toBe(200);
  });

  it('a client may book, move and cancel for itself', async () => {
    const me = asClient(A);
    const res = await api.call('POST', '/v1/appointments', { as: me, body: bookBody(A) });
    expect(res.status).toBe(201);
    expect((await api.call('POST', `/v1/appointments/${res.body.id}/reschedule`, { as: me, body: { startsAt: freeStart() } })).status).toBe(
      200,
    );
    expect((await api.call('POST', `/v1/appointments/${res.body.id}/cancel`, { as: me })).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------

describe('404 not_found for ids that name nothing', () => {
  const cases: Array<[string, As | undefined, () => Req]> = [
    ['GET a clinic', undefined, () => ({ method: 'GET', path: '/v1/clinics/no-such-clinic' })],
    ['GET its providers', undefined, () => ({ method: 'GET', path: '/v1/clinics/no-such-clinic/providers' })],
    ['GET its services', undefined, () => ({ method: 'GET', path: '/v1/clinics/no-such-clinic/services' })],
    [
      'GET its availability',
      undefined,
      () => ({
        method: 'GET',
        path: '/v1/clinics/no-such-clinic/availability',
        query: { service: 'intake', from: '2026-12-14', to: '2026-12-15' },
      }),
    ],
    ['GET its rooms (admin)', admin, () => ({ method: 'GET', path: '/v1/clinics/no-such-clinic/rooms' })],
    [
      'GET its schedule (admin)',
      admin,
      () => ({ method: 'GET', path: '/v1/clinics/no-such-clinic/schedule', query: { date: '2026-12-14' } }),
    ],
    ['search its clients (admin)', admin, () => ({ method: 'POST', path: '/v1/clinics/no-such-clinic/clients/search', body: { q: 'ab' } })],
    ['PATCH a clinic (admin)', admin, () => ({ method: 'PATCH', path: '/v1/clinics/no-such-clinic', body: { name: 'x' } })],
    ['POST a provider (admin)', admin, () => ({ method: 'POST', path: '/v1/clinics/no-such-clinic/providers', body: providerBody() })],
    ['POST a room (admin)', admin, () => ({ method: 'POST', path: '/v1/clinics/no-such-clinic/rooms', body: roomBody() })],
    ['GET a client (admin)', admin, () => ({ method: 'GET', path: '/v1/clients/no-such-client' })],
    ['GET a client (front desk)', frontdesk(), () => ({ method: 'GET', path: '/v1/clients/no-such-client' })],
    ['GET a client (a client)', asClient('no-such-client'), () => ({ method: 'GET', path: '/v1/clients/no-such-client' })],
    ['PATCH a client', frontdesk(), () => ({ method: 'PATCH', path: '/v1/clients/no-such-client', body: { smsConsent: false } })],
    [
      'POST clearance (clinician)',
      clinician(),
      () => ({ method: 'POST', path: '/v1/clients/no-such-client/clearance', body: clearanceBody() }),
    ],
    ["GET a client's clearance history (clinician)", clinician(), () => ({ method: 'GET', path: '/v1/clients/no-such-client/clearances' })],
    ["GET a client's appointments", frontdesk(), () => ({ method: 'GET', path: '/v1/clients/no-such-client/appointments' })],
    ['GET an appointment', frontdesk(), () => ({ method: 'GET', path: '/v1/appointments/no-such-appt' })],
    ['GET an appointment (admin)', admin, () => ({ method: 'GET', path: '/v1/appointments/no-such-appt' })],
    [
      'reschedule',
      frontdesk(),
      () => ({ method: 'POST', path: '/v1/appointments/no-such-appt/reschedule', body: { startsAt: '2026-12-14T10:00:00-05:00' } }),
    ],
    ['cancel', frontdesk(), () => ({ method: 'POST', path: '/v1/appointments/no-such-appt/cancel' })],
    ['check in', frontdesk(), () => ({ method: 'POST', path: '/v1/appointments/no-such-appt/check-in' })],
    ['no-show', frontdesk(), () => ({ method: 'POST', path: '/v1/appointments/no-such-appt/no-show' })],
    ['complete', clinician(), () => ({ method: 'POST', path: '/v1/appointments/no-such-appt/complete' })],
    [
      'book with an unknown provider',
      frontdesk(),
      () => ({ method: 'POST', path: '/v1/appointments', body: bookBody(A, NYC, 'no-such-provider') }),
    ],
    ['book for an unknown client', frontdesk(), () => ({ method: 'POST', path: '/v1/appointments', body: bookBody('no-such-client') })],
    ['book at an unknown clinic (admin)', admin, () => ({ method: 'POST', path: '/v1/appointments', body: bookBody(A, 'no-such-clinic') })],
    [
      'book a New York provider at Toronto',
      frontdesk(TOR),
      () => ({ method: 'POST', path: '/v1/appointments', body: bookBody(T, TOR, THER) }),
    ],
    [
      'availability of an unknown provider',
      undefined,
      () => ({
        method: 'GET',
        path: `/v1/clinics/${NYC}/availability`,
        query: { service: 'intake', from: '2026-12-14', to: '2026-12-15', providerId: 'no-such-provider' },
      }),
    ],
    [
      'availability of another clinic’s provider',
      undefined,
      () => ({
        method: 'GET',
        path: `/v1/clinics/${NYC}/availability`,
        query: { service: 'intake', from: '2026-12-14', to: '2026-12-15', providerId: TOR_THER },
      }),
    ],
    [
      'reschedule to an unknown provider',
      frontdesk(),
      () => ({
        method: 'POST',
        path: `/v1/appointments/${apptA}/reschedule`,
        body: { startsAt: freeStart(), providerId: 'no-such-provider' },
      }),
    ],
    // ids longer than any id: still "no such record", not a 500 from the database's key limit
    ['GET a clinic with an over-long id', undefined, () => ({ method: 'GET', path: `/v1/clinics/${'c'.repeat(3000)}` })],
    ['GET a client with an over-long id', admin, () => ({ method: 'GET', path: `/v1/clients/${'c'.repeat(3000)}` })],
    ['cancel with an over-long id', frontdesk(), () => ({ method: 'POST', path: `/v1/appointments/${'a'.repeat(3000)}/cancel` })],
  ];

  it.each(cases)('%s', async (_, as, req) => {
    await refused(req(), as, 404, 'not_found');
  });
});

// ---------------------------------------------------------------------------------------------

describe('public routes need no token', () => {
  it('GET /v1/health', async () => {
    const res = await api.call('GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /v1/clinics', async () => {
    const res = await api.call('GET', '/v1/clinics');
    expect(res.status).toBe(200);
    const byId = new Map(res.body.map((c: { id: string }) => [c.id, c]));
    expect(byId.get(NYC)).toMatchObject({
      id: NYC,
      timezone: 'America/New_York',
      currency: 'USD',
      country: 'US',
      name: expect.any(String),
    });
    expect(byId.get(TOR)).toMatchObject({ id: TOR, timezone: 'America/Toronto', currency: 'CAD', country: 'CA', name: expect.any(String) });
  });

  it('GET /v1/clinics/{clinicId} with its policy', async () => {
    const res = await api.call('GET', `/v1/clinics/${TOR}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: TOR,
      timezone: 'America/Toronto',
      policy: { cancellationWindowHours: 48, minimumNoticeHours: 24, bookingWindowDays: 90 },
    });
  });

  it('GET providers and services', async () => {
    const providers = await api.call('GET', `/v1/clinics/${NYC}/providers`);
    expect(providers.status).toBe(200);
    // the seeded ones (admin added one above), all of this clinic
    expect(providers.body.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(['demo-nyc-presc-1', 'demo-nyc-ther-1', 'demo-nyc-ther-2']),
    );
    expect(new Set(providers.body.map((p: { clinicId: string }) => p.clinicId))).toEqual(new Set([NYC]));
    const services = await api.call('GET', `/v1/clinics/${NYC}/services`);
    expect(services.status).toBe(200);
    expect(services.body.map((s: { code: string }) => s.code)).toEqual([
      'intake',
      'medical_evaluation',
      'preparation',
      'exploration',
      'integration',
      'ongoing_care',
    ]);
  });

  it('GET availability', async () => {
    const res = await api.call('GET', `/v1/clinics/${NYC}/availability`, {
      query: { service: 'intake', from: '2026-12-14', to: '2026-12-14', providerId: THER },
    });
    expect(res.status).toBe(200);
    expect(res.body.slots.length).toBeGreaterThan(0);
    expect(res.body.slots[0]).toMatchObject({ startsAt: '2026-12-14T09:00:00-05:00', providerId: THER });
  });

  it('POST /v1/clients is not public: a signed-in user with a verified address signs itself up', async () => {
    const res = await api.call('POST', '/v1/clients', {
      as: { role: 'client', sub: 'cognito-user-sol', email: 'sol.park@example.com' },
      body: {
        clinicId: TOR,
        firstName: 'Sol',
        lastName: 'Park',
        email: 'sol.park@example.com',
        phone: '+14165550188',
        dateOfBirth: '1990-01-02',
        smsConsent: false,
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), clinicId: TOR, firstName: 'Sol' });
    // the new client exists, and is its own
    expect((await api.call('GET', `/v1/clients/${res.body.id}`, { as: asClient(res.body.id) })).status).toBe(200);
  });
});

describe('GET rooms needs staff', () => {
  const path = `/v1/clinics/${NYC}/rooms`;
  it('refuses anyone without a token and clients', async () => {
    await refused({ method: 'GET', path }, undefined, 401, 'unauthenticated');
    await refused({ method: 'GET', path }, asClient(A), 403, 'forbidden');
  });

  it.each([
    ['front desk', frontdesk()],
    ['clinician', clinician()],
    ['finance', finance()],
    ['admin', admin],
  ] as const)('lists them for %s of the clinic', async (_, as) => {
    const res = await api.call('GET', path, { as });
    expect(res.status).toBe(200);
    // the seeded ones (admin added one above), and none of another clinic
    expect(res.body.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(['demo-nyc-room-d1', 'demo-nyc-room-d2', 'demo-nyc-room-t1']),
    );
    expect(res.body.map((r: { id: string }) => r.id)).not.toContain('demo-tor-room-d1');
  });
});

// ---------------------------------------------------------------------------------------------

describe('error bodies carry no stack or internal detail', () => {
  it('for every kind of refusal', async () => {
    const replies: Reply[] = [];
    replies.push(await api.call('POST', '/v1/appointments', { as: frontdesk(), body: '{"clientId": ' })); // 400 malformed
    replies.push(await api.call('POST', '/v1/appointments', { as: frontdesk(), body: { ...bookBody(A), extra: { deep: true } } })); // 400 unknown
    replies.push(await api.call('GET', `/v1/clients/${A}`)); // 401
    replies.push(await api.call('GET', `/v1/clients/${B}`, { as: asClient(A) })); // 403
    replies.push(await api.call('GET', '/v1/appointments/no-such-appt', { as: admin })); // 404
    const id = await bookFor(A);
    await api.call('POST', `/v1/appointments/${id}/cancel`, { as: frontdesk() });
    replies.push(await api.call('POST', `/v1/appointments/${id}/cancel`, { as: frontdesk() })); // 409 conflict
    const taken = await api.call('GET', `/v1/appointments/${apptB}`, { as: admin });
    replies.push(
      await api.call('POST', '/v1/appointments', { as: frontdesk(), body: { ...bookBody(A, NYC, THER2), startsAt: taken.body.startsAt } }),
    ); // 409 slot
    replies.push(
      await api.call('POST', '/v1/appointments', { as: asClient(A), body: { ...bookBody(A), service: 'exploration', mode: 'in_person' } }),
    ); // 422
    expect(replies.map((r) => r.status)).toEqual([400, 400, 401, 403, 404, 409, 409, 422]);
    for (const r of replies) {
      expect(Object.keys(r.body)).toEqual(['error']);
      expect(Object.keys(r.body.error).sort()).toEqual(
        r.status === 400 ? ['code', 'details', 'message'] : r.status === 422 ? ['code', 'message', 'rule'] : ['code', 'message'],
      );
      expectNoInternals(r);
    }
  });

  it('for an internal failure: a generic 500 with the correlation id only', async () => {
    // a real failure, no mock: the function's table is gone
    const broken = await createTestApi({ seed: false });
    await broken.table.drop();
    for (const [method, path, opts] of [
      ['GET', '/v1/clinics', {}],
      ['POST', '/v1/clinics', { as: admin, body: clinicBody() }],
      ['GET', `/v1/clients/${A}`, { as: admin }],
    ] as const) {
      const res = await broken.call(method, path, opts);
      expect(res.status).toBe(500);
      expect(res.body).toStrictEqual({ error: { code: 'internal', message: 'Internal error', correlationId: expect.any(String) } });
      expect(res.headers['x-correlation-id']).toBe(res.body.error.correlationId);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/stack|ResourceNotFound|DynamoDB|node_modules|\.ts\b/i);
      expect(text).not.toContain(broken.table.tableName);
    }
  });
});
