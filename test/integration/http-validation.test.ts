// Request validation through the scheduling function on DynamoDB Local: every create and update
// endpoint and the query endpoints answer a bad request with the API's 400 body
// (docs/api.md, "Errors"), list each problem with its path, show no stack trace, and write
// nothing at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  asClient,
  clinician,
  createTestApi,
  frontdesk,
  signUp,
  type As,
  type CallOptions,
  type Reply,
  type TestApi,
} from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const THER = 'demo-nyc-ther-1';

let api: TestApi;
let clientId: string;
let appointmentId: string;

beforeAll(async () => {
  api = await createTestApi();
  clientId = await signUp(api, { firstName: 'Vera', rideHome: { name: 'Pat', phone: '+12125550199' } });
  const res = await api.call('POST', '/v1/appointments', {
    as: frontdesk(),
    body: { clinicId: NYC, clientId, providerId: THER, service: 'preparation', mode: 'in_person', startsAt: '2026-12-08T10:00:00-05:00' },
  });
  if (res.status !== 201) throw new Error(`fixture booking failed: ${res.status} ${JSON.stringify(res.body)}`);
  appointmentId = res.body.id;
});
afterAll(async () => api.close());

// ---------------------------------------------------------------------------------------------
// Valid bodies: each test below breaks one thing (or a few, on purpose) and nothing else.

const clinicBody = () => ({ name: 'Prairie Clinic', timezone: 'America/Chicago', currency: 'USD', country: 'US' });
const providerBody = () => ({
  name: 'Quinn Harper',
  role: 'therapist',
  credentials: 'LMFT',
  npi: '1234567893',
  telehealth: true,
  weeklyHours: [
    { day: 'mon', start: '09:00', end: '17:00' },
    { day: 'tue', start: '09:00', end: '17:00' },
  ],
});
const roomBody = () => ({ name: 'Dosing room 3', kind: 'dosing' });
const signUpBody = () => ({
  clinicId: NYC,
  firstName: 'Noa',
  lastName: 'Lindqvist',
  email: 'noa.lindqvist@example.com',
  phone: '+12125550123',
  dateOfBirth: '1985-04-12',
  smsConsent: true,
  rideHome: { name: 'Pat', phone: '+12125550199' },
});
const clearanceBody = () => ({ status: 'cleared', screenedFor: ['hypertension'], validUntil: '2027-06-01', notes: 'BP fine' });
const bookBody = () => ({
  clinicId: NYC,
  clientId,
  providerId: THER,
  service: 'preparation',
  mode: 'telehealth',
  startsAt: '2026-12-09T10:00:00-05:00',
});

interface Endpoint {
  name: string;
  method: string;
  path: () => string;
  /** A caller allowed to use the endpoint (ids are known only once the fixtures exist). */
  as: () => As | undefined;
  body: () => Record<string, unknown>;
  /** The status of the valid body. */
  ok: 200 | 201;
}

/** Every create/update endpoint, with a caller allowed to use it and a valid body. */
const WRITES: Endpoint[] = [
  { name: 'POST /v1/clinics', method: 'POST', path: () => '/v1/clinics', as: () => admin, body: clinicBody, ok: 201 },
  {
    name: 'PATCH /v1/clinics/{id}',
    method: 'PATCH',
    path: () => `/v1/clinics/${NYC}`,
    as: () => admin,
    body: () => ({ name: 'Hudson' }),
    ok: 200,
  },
  { name: 'POST providers', method: 'POST', path: () => `/v1/clinics/${NYC}/providers`, as: () => admin, body: providerBody, ok: 201 },
  { name: 'POST rooms', method: 'POST', path: () => `/v1/clinics/${NYC}/rooms`, as: () => admin, body: roomBody, ok: 201 },
  { name: 'POST /v1/clients', method: 'POST', path: () => '/v1/clients', as: () => frontdesk(), body: signUpBody, ok: 201 },
  {
    name: 'PATCH /v1/clients/{id}',
    method: 'PATCH',
    path: () => `/v1/clients/${clientId}`,
    as: () => asClient(clientId),
    body: () => ({ firstName: 'Vee' }),
    ok: 200,
  },
  {
    name: 'POST clearance',
    method: 'POST',
    path: () => `/v1/clients/${clientId}/clearance`,
    as: () => clinician(),
    body: clearanceBody,
    ok: 201,
  },
  { name: 'POST /v1/appointments', method: 'POST', path: () => '/v1/appointments', as: () => frontdesk(), body: bookBody, ok: 201 },
  {
    name: 'POST reschedule',
    method: 'POST',
    path: () => `/v1/appointments/${appointmentId}/reschedule`,
    as: () => frontdesk(),
    body: () => ({ startsAt: '2026-12-08T11:00:00-05:00' }),
    ok: 200,
  },
  {
    name: 'POST cancel',
    method: 'POST',
    path: () => `/v1/appointments/${appointmentId}/cancel`,
    as: () => frontdesk(),
    body: () => ({ reason: 'travel' }),
    ok: 200,
  },
];

// ---------------------------------------------------------------------------------------------
// Assertions

type Item = Record<string, unknown>;
const itemKey = (i: Item) => `${String(i.PK)}|${String(i.SK)}`;

/** Every item of the table, in a stable order. */
async function snapshot(): Promise<Item[]> {
  return (await api.items()).sort((a, b) => itemKey(a).localeCompare(itemKey(b)));
}

/** No stack trace or internal detail anywhere in an error body. */
function expectNoInternals(res: Reply): void {
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/stack/i);
  expect(text).not.toMatch(/\n\s+at |\bat .*\(.*:\d+:\d+\)/); // a stack frame
  expect(text).not.toMatch(/node_modules|\.ts\b|\.js\b|ZodError|DynamoDB|ConditionalCheck|\bPK\b|\bSK\b/);
  expect(text).not.toContain(api.table.tableName);
}

/** The exact 400 shape, with exactly these paths (a path may carry more than one message). */
function expect400(res: Reply, paths: string[]): void {
  expect(res.status).toBe(400);
  expect(res.body).toStrictEqual({
    error: { code: 'validation_failed', message: expect.any(String), details: expect.any(Array) },
  });
  expect(res.body.error.message).not.toBe('');
  const details = res.body.error.details as unknown[];
  expect(details.length).toBeGreaterThan(0);
  for (const d of details) {
    expect(d).toStrictEqual({ path: expect.any(String), message: expect.any(String) });
    expect((d as { message: string }).message).not.toBe('');
  }
  const got = [...new Set(details.map((d) => (d as { path: string }).path))].sort();
  expect(got).toEqual([...new Set(paths)].sort());
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expectNoInternals(res);
}

/** A write that must be refused with a 400 at `paths` and leave the table exactly as it was. */
async function rejects(method: string, path: string, opts: CallOptions, paths: string[]): Promise<Reply> {
  const before = await snapshot();
  const res = await api.call(method, path, opts);
  expect400(res, paths);
  const after = await snapshot();
  expect(after).toHaveLength(before.length);
  expect(after).toEqual(before);
  return res;
}

const rejectsOn = (e: Endpoint, body: unknown, paths: string[], headers?: Record<string, string>) =>
  rejects(e.method, e.path(), { as: e.as(), body, ...(headers ? { headers } : {}) }, paths);

const endpoint = (name: string): Endpoint => {
  const e = WRITES.find((w) => w.name === name);
  if (!e) throw new Error(`no endpoint ${name}`);
  return e;
};

// ---------------------------------------------------------------------------------------------

describe('every create and update endpoint', () => {
  it.each(WRITES.map((e) => [e.name, e] as const))('%s: malformed JSON is a 400 and writes nothing', async (_, e) => {
    const res = await rejectsOn(e, '{"name": "Hudson",', ['']);
    expect(res.body.error.details[0].message).toMatch(/JSON/);
    await rejectsOn(e, "{'name': 'single quotes'}", ['']);
    await rejectsOn(e, '{"a": 1} trailing', ['']);
  });

  it.each(WRITES.map((e) => [e.name, e] as const))('%s: an unknown top-level field is a 400 at its path', async (_, e) => {
    await rejectsOn(e, { ...e.body(), extra: 1 }, ['extra']);
    // two unknown fields: two details
    await rejectsOn(e, { ...e.body(), extra: 1, __proto_like: 'x' }, ['extra', '__proto_like']);
  });

  it.each(WRITES.filter((e) => e.name !== 'POST cancel').map((e) => [e.name, e] as const))(
    '%s: a JSON array or a bare value instead of an object is a 400',
    async (_, e) => {
      await rejectsOn(e, [e.body()], ['']);
      await rejectsOn(e, '"text"', ['']);
      await rejectsOn(e, '42', ['']);
    },
  );

  it.each(WRITES.filter((e) => e.name !== 'POST cancel').map((e) => [e.name, e] as const))('%s: no body at all is a 400', async (_, e) => {
    await rejectsOn(e, undefined, ['']);
    await rejectsOn(e, '   ', ['']);
  });
});

describe('POST /v1/clinics', () => {
  const e = endpoint('POST /v1/clinics');

  it('rejects unknown nested fields with their full path', async () => {
    await rejectsOn(e, { ...clinicBody(), policy: { quietHours: { start: '21:00', end: '08:00', extra: 1 } } }, [
      'policy.quietHours.extra',
    ]);
    await rejectsOn(e, { ...clinicBody(), policy: { minimumNoticeHours: 12, colour: 'teal' } }, ['policy.colour']);
    await rejectsOn(e, { ...clinicBody(), policy: { lateCancellationFee: { amount: 5000, currency: 'USD', waived: true } } }, [
      'policy.lateCancellationFee.waived',
    ]);
  });

  it('rejects wrong types and values, one detail per field', async () => {
    await rejectsOn(
      e,
      {
        name: 42,
        timezone: 'America/Chicago',
        currency: 'EUR',
        country: 'FR',
        policy: { minimumNoticeHours: '24', reminderOffsetsHours: 'soon', lateCancellationFee: { amount: 10.5, currency: 'USD' } },
      },
      ['name', 'currency', 'country', 'policy.minimumNoticeHours', 'policy.reminderOffsetsHours', 'policy.lateCancellationFee.amount'],
    );
    await rejectsOn(e, { ...clinicBody(), name: '   ' }, ['name']);
    await rejectsOn(e, { ...clinicBody(), policy: { quietHours: { start: '25:00', end: '8am' } } }, [
      'policy.quietHours.start',
      'policy.quietHours.end',
    ]);
    await rejectsOn(e, { ...clinicBody(), policy: { reminderOffsetsHours: [48, 48] } }, ['policy.reminderOffsetsHours']);
    await rejectsOn(e, { ...clinicBody(), policy: { cancellationWindowHours: -1, bookingWindowDays: 0 } }, [
      'policy.cancellationWindowHours',
      'policy.bookingWindowDays',
    ]);
  });

  it('rejects missing required fields', async () => {
    await rejectsOn(e, {}, ['name', 'timezone', 'currency', 'country']);
    await rejectsOn(e, { name: 'Prairie Clinic' }, ['timezone', 'currency', 'country']);
  });

  it.each(['Mars/Olympus', '+05:00', '-0500', 'America/New York', 'UTC+5', 'GMT+05:00', '', 'America/'])(
    'rejects the time zone %j',
    async (timezone) => {
      await rejectsOn(e, { ...clinicBody(), timezone }, ['timezone']);
    },
  );

  it('rejects a late-cancellation fee in another currency than the clinic', async () => {
    await rejectsOn(e, { ...clinicBody(), policy: { lateCancellationFee: { amount: 5000, currency: 'CAD' } } }, [
      'policy.lateCancellationFee.currency',
    ]);
  });

  it('reports several problems at once', async () => {
    await rejectsOn(e, { ...clinicBody(), timezone: '+05:00', currency: 'usd', extra: true, policy: { foo: 1 } }, [
      'timezone',
      'currency',
      'extra',
      'policy.foo',
    ]);
  });
});

describe('PATCH /v1/clinics/{clinicId}', () => {
  const e = endpoint('PATCH /v1/clinics/{id}');

  it('rejects an empty change', async () => {
    await rejectsOn(e, {}, ['']);
  });

  it('rejects fields that cannot change and unknown nested fields', async () => {
    // only name and policy change (docs/api.md): timezone and currency are unknown here
    await rejectsOn(e, { name: 'Hudson', timezone: 'America/Chicago', currency: 'CAD' }, ['timezone', 'currency']);
    await rejectsOn(e, { policy: { lateCancellationFee: { amount: 1, currency: 'USD', note: 'x' } } }, ['policy.lateCancellationFee.note']);
    await rejectsOn(e, { policy: { quietHours: { start: '21:00', end: '08:00', tz: 'UTC' } } }, ['policy.quietHours.tz']);
  });

  it('rejects wrong types and values', async () => {
    await rejectsOn(e, { name: '', policy: { bookingWindowDays: 0, quietHours: { start: '9pm', end: '08:00' } } }, [
      'name',
      'policy.bookingWindowDays',
      'policy.quietHours.start',
    ]);
    await rejectsOn(e, { policy: 'strict' }, ['policy']);
    await rejectsOn(e, { policy: { slotStepMinutes: 20 } }, ['policy.slotStepMinutes']);
    await rejectsOn(e, { policy: { lateCancellationFee: { amount: 5000, currency: 'CAD' } } }, ['policy.lateCancellationFee.currency']);
  });
});

describe('POST /v1/clinics/{clinicId}/providers', () => {
  const e = endpoint('POST providers');

  it('rejects unknown nested fields in weekly hours with their index', async () => {
    const body = providerBody();
    body.weeklyHours[1] = { ...body.weeklyHours[1]!, room: 't1' } as (typeof body.weeklyHours)[number];
    await rejectsOn(e, body, ['weeklyHours.1.room']);
  });

  it('rejects wrong types and values', async () => {
    await rejectsOn(e, { ...providerBody(), telehealth: 'yes', role: 'nurse', npi: '123', credentials: 7 }, [
      'telehealth',
      'role',
      'npi',
      'credentials',
    ]);
    await rejectsOn(e, { ...providerBody(), weeklyHours: { mon: '09:00-17:00' } }, ['weeklyHours']);
    await rejectsOn(e, { ...providerBody(), weeklyHours: [{ day: 'monday', start: '9:00', end: '17:00' }] }, [
      'weeklyHours.0.day',
      'weeklyHours.0.start',
    ]);
  });

  it('rejects windows that end before they start or overlap', async () => {
    await rejectsOn(e, { ...providerBody(), weeklyHours: [{ day: 'mon', start: '17:00', end: '09:00' }] }, ['weeklyHours.0.end']);
    await rejectsOn(
      e,
      {
        ...providerBody(),
        weeklyHours: [
          { day: 'mon', start: '09:00', end: '13:00' },
          { day: 'mon', start: '12:00', end: '17:00' },
        ],
      },
      ['weeklyHours.1'],
    );
  });

  it('rejects missing required fields', async () => {
    await rejectsOn(e, { name: 'Quinn Harper' }, ['role', 'credentials', 'telehealth', 'weeklyHours']);
  });
});

describe('POST /v1/clinics/{clinicId}/rooms', () => {
  const e = endpoint('POST rooms');

  it('rejects wrong types and values', async () => {
    await rejectsOn(e, { name: 7, kind: 'surgery' }, ['name', 'kind']);
    await rejectsOn(e, { name: 'x'.repeat(101), kind: 'therapy' }, ['name']);
    await rejectsOn(e, { kind: 'therapy' }, ['name']);
  });
});

describe('POST /v1/clients', () => {
  const e = endpoint('POST /v1/clients');

  it('rejects an unknown nested field in rideHome with its path', async () => {
    await rejectsOn(e, { ...signUpBody(), rideHome: { name: 'Pat', phone: '+12125550199', extra: 'x' } }, ['rideHome.extra']);
    await rejectsOn(e, { ...signUpBody(), extra: 1, rideHome: { name: 'Pat', phone: '+12125550199', relation: 'friend' } }, [
      'extra',
      'rideHome.relation',
    ]);
  });

  it('rejects wrong types', async () => {
    await rejectsOn(e, { ...signUpBody(), smsConsent: 'yes', firstName: 1, dateOfBirth: 19850412, rideHome: 'Pat' }, [
      'smsConsent',
      'firstName',
      'dateOfBirth',
      'rideHome',
    ]);
    await rejectsOn(e, { ...signUpBody(), phone: 12125550123, email: 'not-an-email' }, ['phone', 'email']);
    await rejectsOn(e, { ...signUpBody(), clinicId: null }, ['clinicId']);
  });

  it.each(['+1555', '2125550123', '12125550123', '+1212555ABCD', 'phone', '+1 212 555 0123', '+0125550123', ''])(
    'rejects the phone number %j, also for the ride home',
    async (phone) => {
      await rejectsOn(e, { ...signUpBody(), phone }, ['phone']);
      await rejectsOn(e, { ...signUpBody(), rideHome: { name: 'Pat', phone } }, ['rideHome.phone']);
    },
  );

  it.each(['2026-02-30', '2026-13-01', '12/03/2026', '1985-4-12', '1985-04-12T00:00:00Z', '1985-00-10', '1985-04-31'])(
    'rejects the date of birth %j',
    async (dateOfBirth) => {
      await rejectsOn(e, { ...signUpBody(), dateOfBirth }, ['dateOfBirth']);
    },
  );

  it('rejects a date of birth that is not in the past, and an unknown clinic', async () => {
    await rejectsOn(e, { ...signUpBody(), dateOfBirth: '2026-12-01' }, ['dateOfBirth']);
    // an unknown clinic is a 400 for admin; the front desk of another clinic is refused before that
    const res = await api.call('POST', '/v1/clients', { as: admin, body: { ...signUpBody(), clinicId: 'no-such-clinic' } });
    expect([res.status, res.body.error.details]).toEqual([400, [{ path: 'clinicId', message: expect.any(String) }]]);
  });

  it('reports several problems at once', async () => {
    await rejectsOn(
      e,
      { ...signUpBody(), phone: '+1555', dateOfBirth: '2026-13-01', smsConsent: 1, rideHome: { name: 'Pat', phone: '2125550199' } },
      ['phone', 'dateOfBirth', 'smsConsent', 'rideHome.phone'],
    );
  });
});

describe('PATCH /v1/clients/{clientId}', () => {
  const e = endpoint('PATCH /v1/clients/{id}');

  it('rejects an empty change and fields that cannot change', async () => {
    await rejectsOn(e, {}, ['']);
    await rejectsOn(e, { clinicId: 'demo-tor' }, ['clinicId', '']);
    await rejectsOn(e, { firstName: 'Vee', status: { intakeCompleted: true } }, ['status']);
  });

  it('rejects an unknown nested field in rideHome', async () => {
    await rejectsOn(e, { rideHome: { name: 'Kim', phone: '+12125550111', extra: 1 } }, ['rideHome.extra']);
  });

  it('rejects bad phone numbers, dates and types', async () => {
    await rejectsOn(e, { phone: '2125550123', rideHome: { name: 'Kim', phone: '+1555' } }, ['phone', 'rideHome.phone']);
    await rejectsOn(e, { phone: '+1 (212) 555-0123' }, ['phone']);
    await rejectsOn(e, { dateOfBirth: '2026-02-30' }, ['dateOfBirth']);
    await rejectsOn(e, { dateOfBirth: '03/12/1985' }, ['dateOfBirth']);
    await rejectsOn(e, { dateOfBirth: '2030-01-01' }, ['dateOfBirth']);
    await rejectsOn(e, { smsConsent: 'no', rideHome: 'Kim', lastName: '' }, ['smsConsent', 'rideHome', 'lastName']);
  });
});

describe('POST /v1/clients/{clientId}/clearance', () => {
  const e = endpoint('POST clearance');

  it('rejects unknown fields and wrong types', async () => {
    await rejectsOn(e, { ...clearanceBody(), clearedBy: 'doc' }, ['clearedBy']);
    await rejectsOn(e, { status: 'maybe', screenedFor: 'hypertension', notes: 5 }, ['status', 'screenedFor', 'notes']);
    await rejectsOn(e, { ...clearanceBody(), screenedFor: ['hypertension', 7, ''] }, ['screenedFor.1', 'screenedFor.2']);
    await rejectsOn(e, { screenedFor: [] }, ['status']);
  });

  it.each(['2027-02-30', '2027-13-01', '12/03/2027', '2027-06-01T00:00:00Z'])('rejects validUntil %j', async (validUntil) => {
    await rejectsOn(e, { ...clearanceBody(), validUntil }, ['validUntil']);
  });

  it('rejects a validUntil in the past', async () => {
    await rejectsOn(e, { ...clearanceBody(), validUntil: '2026-11-30' }, ['validUntil']);
  });
});

describe('POST /v1/appointments', () => {
  const e = endpoint('POST /v1/appointments');

  it('rejects unknown fields', async () => {
    await rejectsOn(e, { ...bookBody(), roomId: 'demo-nyc-room-t1' }, ['roomId']);
    await rejectsOn(e, { ...bookBody(), endsAt: '2026-12-09T11:00:00-05:00', status: 'booked' }, ['endsAt', 'status']);
  });

  it('rejects wrong types and values', async () => {
    await rejectsOn(e, { ...bookBody(), startsAt: Date.parse('2026-12-09T15:00:00Z'), mode: 'video', service: 'massage', clientId: 42 }, [
      'startsAt',
      'mode',
      'service',
      'clientId',
    ]);
    await rejectsOn(e, { ...bookBody(), packageId: 12 }, ['packageId']);
    await rejectsOn(e, { clinicId: NYC }, ['clientId', 'service', 'providerId', 'startsAt', 'mode']);
  });

  it.each([
    '2026-12-09T10:00:00', // no offset
    '2026-12-09T10:00', // no offset
    '2026-12-09T25:00:00Z',
    '2026-12-09T10:60:00-05:00',
    '2026-02-30T10:00:00-05:00',
    '2026-13-09T10:00:00-05:00',
    '2026-12-09 10:00:00-05:00',
    '2026-12-09',
    '12/09/2026 10:00',
    'tomorrow at ten',
  ])('rejects the date-time %j', async (startsAt) => {
    await rejectsOn(e, { ...bookBody(), startsAt }, ['startsAt']);
  });

  it.each(['2026-12-09T10:05:00-05:00', '2026-12-09T10:00:30-05:00', '2026-12-09T15:00:00.500Z', '2026-12-09T10:10:00+05:30'])(
    'rejects a start not on a 15-minute boundary: %j',
    async (startsAt) => {
      await rejectsOn(e, { ...bookBody(), startsAt }, ['startsAt']);
    },
  );

  it('reports several problems at once', async () => {
    await rejectsOn(e, { ...bookBody(), startsAt: '2026-12-09T10:00:00', mode: 'video', extra: 1 }, ['startsAt', 'mode', 'extra']);
  });
});

describe('POST /v1/appointments/{id}/reschedule', () => {
  const e = endpoint('POST reschedule');

  it('rejects unknown fields and wrong types', async () => {
    await rejectsOn(e, { startsAt: '2026-12-08T11:00:00-05:00', service: 'intake' }, ['service']);
    await rejectsOn(e, { startsAt: '2026-12-08T11:00:00-05:00', providerId: 7 }, ['providerId']);
    await rejectsOn(e, {}, ['startsAt']);
    await rejectsOn(e, { providerId: THER }, ['startsAt']);
  });

  it.each(['2026-12-08T11:00:00', '2026-12-08T25:00:00Z', '2026-02-30T11:00:00-05:00', '2026-12-08'])(
    'rejects the date-time %j',
    async (startsAt) => {
      await rejectsOn(e, { startsAt }, ['startsAt']);
    },
  );

  it('rejects a start not on a 15-minute boundary', async () => {
    await rejectsOn(e, { startsAt: '2026-12-08T11:07:00-05:00' }, ['startsAt']);
  });

  it('leaves the appointment as it was', async () => {
    const res = await api.call('GET', `/v1/appointments/${appointmentId}`, { as: frontdesk() });
    expect(res.body).toMatchObject({ status: 'booked', startsAt: '2026-12-08T10:00:00-05:00', providerId: THER });
  });
});

describe('POST /v1/appointments/{id}/cancel', () => {
  const e = endpoint('POST cancel');

  it('rejects unknown fields and wrong types', async () => {
    await rejectsOn(e, { reason: 'travel', fee: 0 }, ['fee']);
    await rejectsOn(e, { reason: 5 }, ['reason']);
    await rejectsOn(e, { reason: 'x'.repeat(501) }, ['reason']);
    await rejectsOn(e, ['travel'], ['']);
  });

  it('leaves the appointment booked', async () => {
    const res = await api.call('GET', `/v1/appointments/${appointmentId}`, { as: frontdesk() });
    expect(res.body.status).toBe('booked');
  });
});

describe('status changes take no fields', () => {
  it.each(['check-in', 'no-show', 'complete'])('POST %s with a field is a 400 and writes nothing', async (action) => {
    const as = action === 'complete' ? clinician() : frontdesk();
    await rejects('POST', `/v1/appointments/${appointmentId}/${action}`, { as, body: { note: 'x' } }, ['note']);
    await rejects('POST', `/v1/appointments/${appointmentId}/${action}`, { as, body: '{' }, ['']);
  });
});

describe('GET /v1/clinics/{clinicId}/availability', () => {
  const path = `/v1/clinics/${NYC}/availability`;
  const q = (over: Record<string, string | undefined> = {}) => {
    const out: Record<string, string> = { service: 'preparation', from: '2026-12-07', to: '2026-12-08' };
    for (const [k, v] of Object.entries(over)) {
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    return out;
  };
  const get = (query: Record<string, string>) => api.call('GET', path, { query });

  it('answers a valid query (the base of the cases below)', async () => {
    const res = await get(q());
    expect(res.status).toBe(200);
    expect(res.body.slots.length).toBeGreaterThan(0);
  });

  it('allows 31 days and refuses 32 at path "to"', async () => {
    expect((await get(q({ from: '2026-12-01', to: '2026-12-31' }))).status).toBe(200);
    expect400(await get(q({ from: '2026-12-01', to: '2027-01-01' })), ['to']);
    expect400(await get(q({ from: '2026-12-01', to: '2027-06-01' })), ['to']);
  });

  it('refuses to before from', async () => {
    expect400(await get(q({ from: '2026-12-08', to: '2026-12-07' })), ['to']);
  });

  it('requires the service', async () => {
    expect400(await get(q({ service: undefined })), ['service']);
    expect400(await get(q({ service: 'massage' })), ['service']);
    expect400(await get(q({ service: '' })), ['service']);
  });

  it('requires from and to', async () => {
    expect400(await get(q({ from: undefined, to: undefined })), ['from', 'to']);
  });

  it('refuses an unknown query parameter', async () => {
    expect400(await get(q({ foo: 'bar' })), ['foo']);
    expect400(await get(q({ date: '2026-12-07' })), ['date']);
  });

  it.each(['2026-02-30', '2026-13-01', '12/03/2026', '2026-12-7', '2026-12-07T00:00:00Z'])('refuses the date %j', async (date) => {
    expect400(await get(q({ from: date })), ['from']);
    expect400(await get(q({ to: date })), ['to']);
  });

  it('refuses a bad mode', async () => {
    expect400(await get(q({ mode: 'video' })), ['mode']);
  });

  it('reports several problems at once', async () => {
    expect400(await get(q({ service: undefined, from: '2026-13-01', mode: 'video', foo: '1' })), ['service', 'from', 'mode', 'foo']);
  });
});

describe('GET /v1/clinics/{clinicId}/schedule', () => {
  const path = `/v1/clinics/${NYC}/schedule`;
  const get = (query?: Record<string, string>) => api.call('GET', path, { as: frontdesk(), ...(query ? { query } : {}) });

  it('answers a valid date', async () => {
    const res = await get({ date: '2026-12-08' });
    expect(res.status).toBe(200);
    expect(res.body.appointments.map((a: { id: string }) => a.id)).toContain(appointmentId);
  });

  it('requires the date', async () => {
    expect400(await get(), ['date']);
    expect400(await get({}), ['date']);
  });

  it.each(['2026-02-30', '2026-13-01', '12/03/2026', 'today', ''])('refuses the date %j', async (date) => {
    expect400(await get({ date }), ['date']);
  });

  it('refuses an unknown query parameter', async () => {
    expect400(await get({ date: '2026-12-08', providerId: THER }), ['providerId']);
  });
});

describe('Idempotency-Key', () => {
  it('refuses a key of 300 characters and writes nothing', async () => {
    const res = await rejectsOn(endpoint('POST /v1/clients'), signUpBody(), ['Idempotency-Key'], { 'Idempotency-Key': 'k'.repeat(300) });
    expect(res.body.error.details[0].message).toMatch(/255/);
    await rejectsOn(endpoint('POST /v1/appointments'), bookBody(), ['Idempotency-Key'], { 'Idempotency-Key': 'k'.repeat(300) });
    await rejectsOn(endpoint('POST /v1/clinics'), clinicBody(), ['Idempotency-Key'], { 'Idempotency-Key': 'k'.repeat(256) });
  });

  it.each(['with space', 'ключ', '', 'tab\tkey'])('refuses the key %j', async (key) => {
    await rejectsOn(endpoint('POST /v1/clients'), signUpBody(), ['Idempotency-Key'], { 'Idempotency-Key': key });
  });

  it('with a valid key, a rejected body still writes nothing, not even the key', async () => {
    await rejectsOn(endpoint('POST /v1/clients'), { ...signUpBody(), phone: '+1555' }, ['phone'], { 'Idempotency-Key': 'retry-1' });
    await rejectsOn(endpoint('POST /v1/appointments'), { ...bookBody(), startsAt: '2026-12-09T10:05:00-05:00' }, ['startsAt'], {
      'Idempotency-Key': 'retry-2',
    });
  });

  it('accepts a key of 255 printable characters', async () => {
    const res = await api.call('POST', '/v1/clients', {
      as: frontdesk(),
      body: { ...signUpBody(), email: 'long.key@example.com' },
      headers: { 'Idempotency-Key': 'k'.repeat(255) },
    });
    expect(res.status).toBe(201);
  });
});

describe('the valid bodies used above', () => {
  // Proves every rejection above is due to what each case broke, not to its base body.
  it('are accepted', async () => {
    for (const e of WRITES) {
      const res = await api.call(e.method, e.path(), { as: e.as(), body: e.body() });
      expect([e.name, res.status]).toEqual([e.name, e.ok]);
    }
  });
});

describe('loose ends of validation', () => {
  let api2: TestApi;
  beforeAll(async () => {
    api2 = await createTestApi();
  });
  afterAll(async () => api2.close());

  it('refuses query parameters on routes that take none', async () => {
    for (const path of [
      '/v1/clinics',
      '/v1/clinics/demo-nyc',
      '/v1/clinics/demo-nyc/providers',
      '/v1/clinics/demo-nyc/services',
      '/v1/health',
    ]) {
      const res = await api2.call('GET', path, { query: { foo: '1' } });
      expect(res.status, path).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'foo', message: 'Unknown field' }]);
    }
  });

  it('refuses a JSON null body instead of reading it as an empty object', async () => {
    const clientId = await signUp(api2);
    const booked = await api2.call('POST', '/v1/appointments', {
      as: frontdesk(),
      body: {
        clinicId: 'demo-nyc',
        clientId,
        providerId: 'demo-nyc-ther-1',
        service: 'preparation',
        mode: 'telehealth',
        startsAt: '2026-12-08T10:00:00-05:00',
      },
    });
    const res = await api2.call('POST', `/v1/appointments/${booked.body.id}/cancel`, { as: frontdesk(), body: 'null' });
    expect(res.status).toBe(400);
    expect((await api2.call('GET', `/v1/appointments/${booked.body.id}`, { as: frontdesk() })).body.status).toBe('booked');
  });

  it('gives one detail per malformed phone or date, and stores zones in their canonical spelling', async () => {
    const res = await api2.call('POST', '/v1/clients', {
      as: frontdesk(),
      body: {
        clinicId: 'demo-nyc',
        firstName: 'A',
        lastName: 'B',
        email: 'ab@example.com',
        phone: '+1555',
        dateOfBirth: '12/03/2026',
        smsConsent: true,
      },
    });
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['dateOfBirth', 'phone']);
    const clinic = await api2.call('POST', '/v1/clinics', {
      as: admin,
      body: { name: 'Lower', timezone: 'america/new_york', currency: 'USD', country: 'US' },
    });
    expect(clinic.status).toBe(201);
    expect(clinic.body.timezone).toBe('America/New_York');
  });
});

describe('input hardening (security review): hostile input is a 400 with its path, never a 500', () => {
  const deepArrays = '['.repeat(10_000) + ']'.repeat(10_000);
  const deepObjects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);

  it.each(WRITES.map((e) => [e.name, e] as const))('%s: a body nested 10,000 levels deep is a 400 at path ""', async (_, e) => {
    const res = await rejectsOn(e, deepArrays, ['']);
    expect(res.body.error.details[0].message).toMatch(/Nested too deeply/);
    await rejectsOn(e, deepObjects, ['']);
  });

  it('refuses dates and instants far from the working range', async () => {
    const availability = (over: Record<string, string>) =>
      api.call('GET', `/v1/clinics/${NYC}/availability`, {
        query: { service: 'preparation', from: '2026-12-07', to: '2026-12-08', ...over },
      });
    expect400(await availability({ from: '9999-12-30', to: '9999-12-31' }), ['from', 'to']);
    expect400(await availability({ from: '1999-12-31' }), ['from']);
    expect400(await availability({ to: '2101-01-01' }), ['to']);
    const schedule = (date: string) => api.call('GET', `/v1/clinics/${NYC}/schedule`, { as: frontdesk(), query: { date } });
    expect400(await schedule('9999-12-31'), ['date']);
    expect400(await schedule('1900-01-01'), ['date']);
    await rejectsOn(endpoint('POST clearance'), { ...clearanceBody(), validUntil: '9999-12-31' }, ['validUntil']);
    await rejectsOn(endpoint('POST /v1/appointments'), { ...bookBody(), startsAt: '9999-12-31T10:00:00-05:00' }, ['startsAt']);
    await rejectsOn(endpoint('POST /v1/appointments'), { ...bookBody(), startsAt: '1970-01-01T00:00:00Z' }, ['startsAt']);
    await rejectsOn(endpoint('POST reschedule'), { startsAt: '9999-12-31T10:00:00Z' }, ['startsAt']);
    await rejectsOn(endpoint('PATCH /v1/clients/{id}'), { dateOfBirth: '9999-12-31' }, ['dateOfBirth']);
    await rejectsOn(endpoint('PATCH /v1/clients/{id}'), { dateOfBirth: '1899-12-31' }, ['dateOfBirth']);
  });

  it.each([
    [{ day: 'mon', start: '24:00', end: '17:00' }, 'weeklyHours.0.start'],
    [{ day: 'mon', start: 'abc', end: '17:00' }, 'weeklyHours.0.start'],
    [{ day: 'mon', start: '09:00', end: 'abc' }, 'weeklyHours.0.end'],
  ])('refuses weekly hours %j at %s only', async (window, path) => {
    await rejectsOn(
      endpoint('POST providers'),
      { ...providerBody(), weeklyHours: [window, { day: 'mon', start: '08:00', end: '18:00' }] },
      [path],
    );
  });

  it.each([
    ['NUL', 'Ann\u0000a'],
    ['a C1 control', 'Ann\u0085a'],
    ['a line break', 'Ann\na'],
    ['a lone surrogate', 'Ann\uD800a'],
    ['a right-to-left override', '\u202EannA'],
    ['an isolate', '\u2067Anna\u2069'],
    ['only zero-width characters', '\u200B\u200D\uFEFF'],
    ['only the Hangul filler', '\u3164'],
  ])('refuses free text with %s in every free-text field', async (_, bad) => {
    await rejectsOn(endpoint('POST /v1/clinics'), { ...clinicBody(), name: bad }, ['name']);
    await rejectsOn(endpoint('PATCH /v1/clinics/{id}'), { name: bad }, ['name']);
    await rejectsOn(endpoint('POST providers'), { ...providerBody(), name: bad, credentials: bad }, ['name', 'credentials']);
    await rejectsOn(endpoint('POST rooms'), { ...roomBody(), name: bad }, ['name']);
    await rejectsOn(endpoint('PATCH /v1/clients/{id}'), { firstName: bad, lastName: bad, rideHome: { name: bad, phone: '+12125550199' } }, [
      'firstName',
      'lastName',
      'rideHome.name',
    ]);
    const multilineOk = bad.includes('\n');
    await rejectsOn(
      endpoint('POST clearance'),
      { ...clearanceBody(), screenedFor: ['hypertension', bad], ...(multilineOk ? {} : { notes: bad }) },
      ['screenedFor.1', ...(multilineOk ? [] : ['notes'])],
    );
    if (!multilineOk) await rejectsOn(endpoint('POST cancel'), { reason: bad }, ['reason']);
  });

  it('keeps ordinary names, stored in NFC and trimmed', async () => {
    for (const name of ['José', 'Zoë', "O'Brien", 'Nguyễn', '李小龙', 'Anne-Marie', '🙂']) {
      const res = await api.call('PATCH', `/v1/clients/${clientId}`, { as: asClient(clientId), body: { firstName: name } });
      expect([name, res.status]).toEqual([name, 200]);
      expect(res.body.firstName).toBe(name);
    }
    const res = await api.call('PATCH', `/v1/clients/${clientId}`, { as: asClient(clientId), body: { firstName: '  Zoe\u0308 ' } });
    expect(res.body.firstName).toBe('Zoë');
  });

  it('refuses control characters and spaces in ids', async () => {
    await rejectsOn(endpoint('POST /v1/appointments'), { ...bookBody(), clinicId: `${NYC}\u0000`, providerId: `${THER}\n` }, [
      'clinicId',
      'providerId',
    ]);
    await rejectsOn(endpoint('POST reschedule'), { startsAt: '2026-12-08T11:00:00-05:00', providerId: 'demo nyc' }, ['providerId']);
    expect400(
      await api.call('GET', `/v1/clinics/${NYC}/availability`, {
        query: { service: 'preparation', from: '2026-12-07', to: '2026-12-08', providerId: '\u202Ex' },
      }),
      ['providerId'],
    );
  });

  it.each([
    ['Jamaica', '+18762101234'],
    ['the Bahamas', '+12423591234'],
    ['premium rate', '+19005550123'],
    ['toll-free', '+18885550123'],
    ['a personal number', '+15005550123'],
    ['the United Kingdom', '+447400123456'],
  ])('refuses a phone number of %s (%s), also for the ride home', async (_, phone) => {
    const res = await rejectsOn(endpoint('PATCH /v1/clients/{id}'), { phone, rideHome: { name: 'Kim', phone } }, [
      'phone',
      'rideHome.phone',
    ]);
    expect(res.body.error.details[0].message).toBe('Must be a US or Canadian mobile or landline number');
  });

  it('accepts the demo numbers (555-01xx, New York and Toronto)', async () => {
    for (const phone of ['+12125550123', '+14165550123']) {
      const res = await api.call('PATCH', `/v1/clients/${clientId}`, {
        as: asClient(clientId),
        body: { phone, rideHome: { name: 'Kim', phone } },
      });
      expect([phone, res.status]).toEqual([phone, 200]);
    }
  });

  it.each(['constructor', 'toString', 'hasOwnProperty'])('refuses the query key %s as unknown', async (key) => {
    const extra = Object.fromEntries([[key, 'x']]);
    expect400(
      await api.call('GET', `/v1/clinics/${NYC}/availability`, {
        query: { service: 'preparation', from: '2026-12-07', to: '2026-12-08', ...extra },
      }),
      [key],
    );
    expect400(await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as: frontdesk(), query: { date: '2026-12-08', ...extra } }), [key]);
    expect400(await api.call('GET', `/v1/clinics/${NYC}`, { query: extra }), [key]);
  });
});
