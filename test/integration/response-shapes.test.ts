// Every route's success answer against the response schema declared for its route key (RESPONSES
// in shared/http/schemas/responses.ts), through the real functions on DynamoDB Local. The schemas
// are strict: a view that grows a field the schema (and so the OpenAPI document) does not
// declare, drops one, or changes a type fails here. Variants where a view's shape depends on the
// caller or the record: a client read by a clinician (clearance details) and by finance (none),
// a cancelled appointment (late, cancelledAt), a package paid in installments (schedule), invoices
// with and without an appointment, a credit line and refunds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { ROUTES, ROUTE_BY_KEY, routeKey, successStatus } from '#http/routes.ts';
import { RESPONSES, pdfDocument } from '#http/schemas/responses.ts';
import {
  DEFAULT_NOW,
  admin,
  asClient,
  clinician,
  createTestApi,
  finance,
  frontdesk,
  signUp,
  type CallOptions,
  type Reply,
  type TestApi,
} from '#test/helpers/api.ts';
import { givenUpRefund, programInvoice, sessionInvoice, storeInvoices } from '#test/helpers/invoices.ts';
import { applyCancellation, applyPackageCancel, applyPayment, applyRefund } from '#domain/invoices.ts';

const NYC = 'demo-nyc';
const THER2 = 'demo-nyc-ther-2';

let api: TestApi;
let A: string;
let programId: string;
const covered = new Set<string>();

/** The declared response schema of a route's success answer. */
function responseOf(key: string): z.ZodMiniType {
  if (!ROUTE_BY_KEY.has(key)) throw new Error(`no route ${key}`);
  const schema = RESPONSES[key];
  if (!schema) throw new Error(`${key} declares no response schema`);
  return schema;
}

/** The reply must be the route's success status and parse, strictly, with its declared schema. */
function expectShape(key: string, res: Pick<Reply, 'status' | 'body'>): any {
  const route = ROUTE_BY_KEY.get(key)!;
  expect(res.status, `${key}: ${JSON.stringify(res.body)}`).toBe(successStatus(route));
  const parsed = responseOf(key).safeParse(res.body);
  if (!parsed.success) {
    expect.fail(
      `${key} answered a body its declared response schema refuses:\n${z.prettifyError(parsed.error)}\n${JSON.stringify(res.body, null, 2)}`,
    );
  }
  covered.add(key);
  return res.body;
}

/** Calls the route of `key` on `path` (at `at` on the clock, if given) and checks the answer's shape. */
async function check(key: string, path: string, opts: CallOptions & { at?: number } = {}): Promise<any> {
  const { at, ...callOpts } = opts;
  const method = key.split(' ')[0]!;
  if (at !== undefined) api.clock.set(at);
  try {
    return expectShape(key, await api.call(method, path, callOpts));
  } finally {
    api.clock.set(DEFAULT_NOW);
  }
}

const minutesFrom = (iso: string, minutes: number) => Date.parse(iso) + minutes * 60_000;

/** A telehealth preparation of client A with Jordan Reyes, booked by the front desk. */
async function book(startsAt: string, extra: Record<string, unknown> = {}): Promise<{ id: string; startsAt: string }> {
  const body = await check('POST /v1/appointments', '/v1/appointments', {
    as: frontdesk(NYC),
    body: { clinicId: NYC, clientId: A, providerId: THER2, service: 'preparation', mode: 'telehealth', startsAt, ...extra },
  });
  return { id: body.id, startsAt };
}

const stub = () => api.payments!.stub!;

beforeAll(async () => {
  api = await createTestApi({ payments: true });
  A = await signUp(api, { firstName: 'Ada', rideHome: { name: 'Sam Rider', phone: '+12125550142' } });
  const programs = await api.call('GET', `/v1/clinics/${NYC}/programs`);
  programId = programs.body[0].id;
});
afterAll(async () => api.close());

describe('clinics and their setup', () => {
  it('health', async () => {
    expect(await check('GET /v1/health', '/v1/health')).toEqual({ status: 'ok' });
    expect(await check('GET /v1/health/ready', '/v1/health/ready')).toEqual({ status: 'ready' });
  });

  it('clinics: list, create, read, change', async () => {
    const list = await check('GET /v1/clinics', '/v1/clinics');
    expect(list.length).toBeGreaterThan(0);
    const created = await check('POST /v1/clinics', '/v1/clinics', {
      as: admin,
      body: { name: 'Prairie Clinic', timezone: 'America/Chicago', currency: 'USD', country: 'US' },
    });
    await check('GET /v1/clinics/{clinicId}', `/v1/clinics/${NYC}`);
    await check('PATCH /v1/clinics/{clinicId}', `/v1/clinics/${created.id}`, { as: admin, body: { policy: { minimumNoticeHours: 12 } } });
    // the billing profile: to the clinic's staff and admin, optional fields null when absent
    const billed = await check('PATCH /v1/clinics/{clinicId}', `/v1/clinics/${created.id}`, {
      as: admin,
      body: {
        billing: {
          legalName: 'Prairie Clinic LLC',
          address: { line1: '1 Main St', city: 'Chicago', region: 'IL', postalCode: '60601', country: 'US' },
          phone: '+13125550100',
          taxId: '36-1234567',
        },
      },
    });
    expect(billed.billing).toMatchObject({ address: { line2: null }, npi: null, taxNote: null });
    const seen = await check('GET /v1/clinics/{clinicId}', `/v1/clinics/${NYC}`, { as: finance(NYC) });
    expect(seen.billing.taxId).toBeTruthy();
    expect(await check('GET /v1/clinics/{clinicId}', `/v1/clinics/${NYC}`)).not.toHaveProperty('billing');
  });

  it('providers, rooms and services', async () => {
    const withNpi = await check('POST /v1/clinics/{clinicId}/providers', `/v1/clinics/${NYC}/providers`, {
      as: admin,
      body: {
        name: 'Quinn Harper',
        role: 'prescriber',
        credentials: 'MD',
        npi: '1234567893',
        licence: { number: 'MD-123456', jurisdiction: 'NY' },
        telehealth: true,
        weeklyHours: [{ day: 'sat', start: '14:00', end: '15:00' }],
      },
    });
    expect(withNpi.npi).toBe('1234567893');
    expect(withNpi.licence).toEqual({ number: 'MD-123456', jurisdiction: 'NY' });
    const withoutNpi = await check('POST /v1/clinics/{clinicId}/providers', `/v1/clinics/${NYC}/providers`, {
      as: admin,
      body: {
        name: 'Avery Stone',
        role: 'therapist',
        credentials: 'LMFT',
        telehealth: false,
        weeklyHours: [{ day: 'sun', start: '10:00', end: '24:00' }],
      },
    });
    expect(withoutNpi.npi).toBeNull();
    expect(withoutNpi.licence).toBeNull();
    expect((await check('GET /v1/clinics/{clinicId}/providers', `/v1/clinics/${NYC}/providers`)).length).toBeGreaterThan(0);
    const videoRoom = `/v1/clinics/${NYC}/providers/${withNpi.id}/video-room`;
    const linked = await check('PUT /v1/clinics/{clinicId}/providers/{providerId}/video-room', videoRoom, {
      as: admin,
      body: { url: 'https://doxy.me/quinn-harper' },
    });
    expect(linked.videoRoomUrl).toBe('https://doxy.me/quinn-harper');
    const listed = await check('GET /v1/clinics/{clinicId}/providers', `/v1/clinics/${NYC}/providers`, { as: frontdesk(NYC) });
    expect(listed.find((p: { id: string }) => p.id === withNpi.id).videoRoomUrl).toBe('https://doxy.me/quinn-harper');
    const cleared = await check('PUT /v1/clinics/{clinicId}/providers/{providerId}/video-room', videoRoom, {
      as: admin,
      body: { url: null },
    });
    expect(cleared.videoRoomUrl).toBeNull();
    const off = await check(
      'POST /v1/clinics/{clinicId}/providers/{providerId}/time-off',
      `/v1/clinics/${NYC}/providers/${withNpi.id}/time-off`,
      {
        as: frontdesk(NYC),
        body: { startsAt: '2027-02-01T10:00:00-05:00', endsAt: '2027-02-01T12:00:00-05:00', label: 'Conference' },
      },
    );
    expect(off.timeOff.label).toBe('Conference');
    const offList = await check('GET /v1/clinics/{clinicId}/time-off', `/v1/clinics/${NYC}/time-off?from=2027-02-01&to=2027-02-01`, {
      as: frontdesk(NYC),
    });
    expect(offList.timeOff).toHaveLength(1);
    const removed = await check(
      'POST /v1/clinics/{clinicId}/time-off/{timeOffId}/remove',
      `/v1/clinics/${NYC}/time-off/${off.timeOff.id}/remove`,
      {
        as: frontdesk(NYC),
        body: {},
      },
    );
    expect(removed.timeOff.id).toBe(off.timeOff.id);
    const closed = await check('POST /v1/clinics/{clinicId}/time-off', `/v1/clinics/${NYC}/time-off`, {
      as: frontdesk(NYC),
      body: { startsAt: '2027-02-07T22:00:00-05:00', endsAt: '2027-02-07T23:00:00-05:00', label: 'Holiday' },
    });
    expect(closed.timeOff.providerId).toBeNull();
    await check('POST /v1/clinics/{clinicId}/time-off/{timeOffId}/remove', `/v1/clinics/${NYC}/time-off/${closed.timeOff.id}/remove`, {
      as: frontdesk(NYC),
      body: {},
    });
    await check('POST /v1/clinics/{clinicId}/rooms', `/v1/clinics/${NYC}/rooms`, {
      as: admin,
      body: { name: 'Dosing room 9', kind: 'dosing' },
    });
    expect((await check('GET /v1/clinics/{clinicId}/rooms', `/v1/clinics/${NYC}/rooms`, { as: frontdesk(NYC) })).length).toBeGreaterThan(0);
    const services = await check('GET /v1/clinics/{clinicId}/services', `/v1/clinics/${NYC}/services`);
    expect(services.length).toBeGreaterThan(0);
  });

  it('availability, in person (a room) and by telehealth (none)', async () => {
    for (const mode of ['in_person', 'telehealth']) {
      const { slots } = await check('GET /v1/clinics/{clinicId}/availability', `/v1/clinics/${NYC}/availability`, {
        query: { service: 'preparation', from: '2026-12-14', to: '2026-12-15', mode },
      });
      expect(slots.length, mode).toBeGreaterThan(0);
      expect(
        slots.every((s: { roomId: string | null }) => (s.roomId === null) === (mode === 'telehealth')),
        mode,
      ).toBe(true);
    }
  });
});

describe('clients', () => {
  it('created by the front desk, read and changed', async () => {
    const created = await check('POST /v1/clients', '/v1/clients', {
      as: frontdesk(NYC),
      body: {
        clinicId: NYC,
        firstName: 'Nova',
        lastName: 'Shape',
        email: 'nova.shape@example.com',
        phone: '+12125550188',
        dateOfBirth: '1991-02-03',
        smsConsent: false,
      },
    });
    expect(created.rideHome).toBeNull();
    expect(created.status.clearance).toEqual({ status: 'none', validUntil: null });
    const changed = await check('PATCH /v1/clients/{clientId}', `/v1/clients/${created.id}`, {
      as: frontdesk(NYC),
      body: { smsConsent: true, rideHome: { name: 'Lee Driver', phone: '+12125550177' } },
    });
    expect(changed.rideHome).toEqual({ name: 'Lee Driver', phone: '+12125550177' });
    // before any clearance is recorded, even a clinician sees no details
    const read = await check('GET /v1/clients/{clientId}', `/v1/clients/${created.id}`, { as: clinician(NYC) });
    expect(Object.keys(read.status.clearance).sort()).toEqual(['status', 'validUntil']);
    const found = await check('POST /v1/clinics/{clinicId}/clients/search', `/v1/clinics/${NYC}/clients/search`, {
      as: clinician(NYC),
      body: { q: 'nova sha' },
    });
    expect(found.clients.map((c: { id: string }) => c.id)).toContain(created.id);
  });

  it('clearance: the details to a clinician, admin and the client itself; the status alone to finance and the front desk', async () => {
    const recorded = await check('POST /v1/clients/{clientId}/clearance', `/v1/clients/${A}/clearance`, {
      as: clinician(NYC),
      body: { status: 'cleared', screenedFor: ['blood pressure', 'cardiac history'], validUntil: '2027-06-30', notes: 'fine' },
    });
    expect(recorded.status.clearance).toMatchObject({
      status: 'cleared',
      validUntil: '2027-06-30',
      screenedFor: ['blood pressure', 'cardiac history'],
      notes: 'fine',
    });

    for (const as of [clinician(NYC), admin, asClient(A)]) {
      const body = await check('GET /v1/clients/{clientId}', `/v1/clients/${A}`, { as });
      expect(Object.keys(body.status.clearance).sort(), as.role).toEqual(['notes', 'screenedFor', 'status', 'validUntil']);
    }
    for (const as of [finance(NYC), frontdesk(NYC)]) {
      const body = await check('GET /v1/clients/{clientId}', `/v1/clients/${A}`, { as });
      expect(body.status.clearance, as.role).toEqual({ status: 'cleared', validUntil: '2027-06-30' });
    }
  });

  it('diagnoses: none yet, then recorded', async () => {
    const other = await signUp(api, { firstName: 'Di' });
    expect(await check('GET /v1/clients/{clientId}/diagnoses', `/v1/clients/${other}/diagnoses`, { as: finance(NYC) })).toEqual({
      codes: [],
      updatedAt: null,
      version: 0,
    });
    const put = await check('PUT /v1/clients/{clientId}/diagnoses', `/v1/clients/${other}/diagnoses`, {
      as: clinician(NYC),
      body: { codes: ['F33.2', 'F43.10'] },
    });
    expect(put).toEqual({ codes: ['F33.2', 'F43.10'], updatedAt: '2026-12-01T07:00:00-05:00', version: 1 });
    expect(await check('GET /v1/clients/{clientId}/diagnoses', `/v1/clients/${other}/diagnoses`, { as: asClient(other) })).toEqual(put);
  });

  it('clearance without notes or expiry: notes and validUntil null', async () => {
    const other = await signUp(api, { firstName: 'Cy' });
    const recorded = await check('POST /v1/clients/{clientId}/clearance', `/v1/clients/${other}/clearance`, {
      as: admin,
      body: { status: 'not_cleared', screenedFor: [] },
    });
    expect(recorded.status.clearance).toMatchObject({ status: 'not_cleared', validUntil: null, screenedFor: [], notes: null });
    const history = await check('GET /v1/clients/{clientId}/clearances', `/v1/clients/${other}/clearances`, { as: asClient(other) });
    expect(history.clearances).toEqual([
      {
        status: 'not_cleared',
        screenedFor: [],
        validUntil: null,
        notes: null,
        recordedAt: '2026-12-01T07:00:00-05:00',
        recordedBy: { id: admin.sub },
      },
    ]);
  });

  it('clearance history: none yet, then every entry with its details, newest first', async () => {
    const other = await signUp(api, { firstName: 'Hx' });
    expect(await check('GET /v1/clients/{clientId}/clearances', `/v1/clients/${other}/clearances`, { as: clinician(NYC) })).toEqual({
      clearances: [],
    });
    await check('POST /v1/clients/{clientId}/clearance', `/v1/clients/${other}/clearance`, {
      as: clinician(NYC),
      body: { status: 'cleared', screenedFor: ['blood pressure'], validUntil: '2027-06-30', notes: 'fine' },
    });
    const history = await check('GET /v1/clients/{clientId}/clearances', `/v1/clients/${other}/clearances`, { as: admin });
    expect(history.clearances).toHaveLength(1);
    expect(history.clearances[0]).toMatchObject({ status: 'cleared', validUntil: '2027-06-30', notes: 'fine' });
  });
});

describe('appointments', () => {
  it('booked, read, moved, checked in, completed, marked no-show', async () => {
    const appt = await book('2026-12-14T10:00:00-05:00');
    const read = await check('GET /v1/appointments/{appointmentId}', `/v1/appointments/${appt.id}`, { as: clinician(NYC) });
    expect(read).not.toHaveProperty('late');
    expect(read).not.toHaveProperty('cancelledAt');
    expect(read.roomId).toBeNull();

    const moved = await check('POST /v1/appointments/{appointmentId}/reschedule', `/v1/appointments/${appt.id}/reschedule`, {
      as: frontdesk(NYC),
      body: { startsAt: '2026-12-14T11:00:00-05:00' },
    });
    expect(moved.startsAt).toBe('2026-12-14T11:00:00-05:00');

    const checkedIn = await check('POST /v1/appointments/{appointmentId}/check-in', `/v1/appointments/${appt.id}/check-in`, {
      as: frontdesk(NYC),
      at: minutesFrom(moved.startsAt, -30),
    });
    expect(checkedIn.status).toBe('checked_in');
    const completed = await check('POST /v1/appointments/{appointmentId}/complete', `/v1/appointments/${appt.id}/complete`, {
      as: clinician(NYC),
      at: minutesFrom(moved.startsAt, 30),
    });
    expect(completed.status).toBe('completed');

    const missed = await book('2026-12-14T12:00:00-05:00');
    const noShow = await check('POST /v1/appointments/{appointmentId}/no-show', `/v1/appointments/${missed.id}/no-show`, {
      as: frontdesk(NYC),
      at: minutesFrom(missed.startsAt, 30),
    });
    expect(noShow.status).toBe('no_show');
  });

  it('cancelled: late and cancelledAt, on the answer, a read and the client’s list', async () => {
    const onTime = await book('2026-12-14T13:00:00-05:00');
    const cancelled = await check('POST /v1/appointments/{appointmentId}/cancel', `/v1/appointments/${onTime.id}/cancel`, {
      as: frontdesk(NYC),
      body: { reason: 'Schedule change' },
    });
    expect(cancelled).toMatchObject({ status: 'cancelled', late: false, cancelledAt: '2026-12-01T07:00:00-05:00' });

    const lateOne = await book('2026-12-14T14:00:00-05:00');
    const late = await check('POST /v1/appointments/{appointmentId}/cancel', `/v1/appointments/${lateOne.id}/cancel`, {
      as: asClient(A),
      body: {},
      at: minutesFrom(lateOne.startsAt, -120),
    });
    expect(late).toMatchObject({ status: 'cancelled', late: true, cancelledAt: '2026-12-14T12:00:00-05:00' });

    const read = await check('GET /v1/appointments/{appointmentId}', `/v1/appointments/${lateOne.id}`, { as: asClient(A) });
    expect(read).toMatchObject({ late: true, cancelledAt: '2026-12-14T12:00:00-05:00' });

    const list = await check('GET /v1/clients/{clientId}/appointments', `/v1/clients/${A}/appointments`, { as: asClient(A) });
    expect(list.some((a: { status: string; late?: boolean }) => a.status === 'cancelled' && a.late === true)).toBe(true);
    expect(list.some((a: { status: string }) => a.status !== 'cancelled')).toBe(true);
  });

  it('the waitlist: an entry waiting (with its open times), one booked, the desk list, a removal', async () => {
    const waiting = await check('POST /v1/clients/{clientId}/waitlist', `/v1/clients/${A}/waitlist`, {
      as: asClient(A),
      body: { service: 'integration', mode: 'telehealth', providerId: 'demo-nyc-ther-1', from: '2026-12-28', to: '2026-12-30' },
    });
    expect(waiting.entry.openings.count).toBeGreaterThan(0);
    // A has a preparation session booked on the 14th: an entry for it answers booked, without open times
    const met = await check('POST /v1/clients/{clientId}/waitlist', `/v1/clients/${A}/waitlist`, {
      as: frontdesk(NYC),
      body: { service: 'preparation', from: '2026-12-14', to: '2026-12-14' },
    });
    expect(met.entry).toMatchObject({ status: 'booked', openings: null, providerId: null });
    const mine = await check('GET /v1/clients/{clientId}/waitlist', `/v1/clients/${A}/waitlist`, { as: asClient(A) });
    expect(mine.entries).toHaveLength(2);
    const desk = await check('GET /v1/clinics/{clinicId}/waitlist', `/v1/clinics/${NYC}/waitlist`, { as: frontdesk(NYC) });
    expect(desk.entries.map((e: { id: string }) => e.id)).toContain(waiting.entry.id);
    for (const e of [waiting.entry, met.entry]) {
      const removed = await check('POST /v1/clients/{clientId}/waitlist/{entryId}/remove', `/v1/clients/${A}/waitlist/${e.id}/remove`, {
        as: asClient(A),
        body: {},
      });
      expect(removed.entry.id).toBe(e.id);
    }
  });

  it('the day’s schedule: to the front desk (clinical flags) and finance (none)', async () => {
    for (const as of [frontdesk(NYC), finance(NYC)]) {
      const schedule = await check('GET /v1/clinics/{clinicId}/schedule', `/v1/clinics/${NYC}/schedule`, {
        as,
        query: { date: '2026-12-14' },
      });
      expect(schedule.appointments.length, as.role).toBeGreaterThan(0);
    }
  });

  it('the client’s audit trail (admin)', async () => {
    const page = await check('GET /v1/clients/{clientId}/audit', `/v1/clients/${A}/audit`, { as: admin });
    expect(page.entries.length).toBeGreaterThan(0);
  });
});

describe('programs, packages and payments', () => {
  it('programs: list, create, retire', async () => {
    expect((await check('GET /v1/clinics/{clinicId}/programs', `/v1/clinics/${NYC}/programs`)).length).toBeGreaterThan(0);
    const created = await check('POST /v1/clinics/{clinicId}/programs', `/v1/clinics/${NYC}/programs`, {
      as: admin,
      body: { name: 'Short course', explorations: 1, tier: 'standard', includes: { preparation: 1, exploration: 1, integration: 1 } },
    });
    const retired = await check(
      'POST /v1/clinics/{clinicId}/programs/{programId}/retire',
      `/v1/clinics/${NYC}/programs/${created.id}/retire`,
      { as: admin },
    );
    expect(retired).toEqual({ id: created.id, retired: true });
  });

  it('paid in full: bought, the webhook, read, booked against, cancelled with a refund', async () => {
    const bought = await check('POST /v1/packages', '/v1/packages', {
      as: frontdesk(NYC),
      body: { clientId: A, programId, payment: 'pay_in_full' },
    });
    expect(bought.package.schedule).toBeNull();
    expect(bought.package.checkoutSessionId).toBe(bought.checkoutSessionId);

    const events = stub().completeCheckout(bought.checkoutSessionId, 'paid');
    const delivered = await api.deliver(events);
    expect(delivered.length).toBeGreaterThan(0);
    for (const d of delivered) expectShape('POST /v1/webhooks/stripe', d);
    expect(delivered.some((d) => (d.body as { status: string }).status === 'processed')).toBe(true);
    // Stripe's retry of the same events
    for (const d of await api.deliver(events)) expect(expectShape('POST /v1/webhooks/stripe', d).status).toBe('duplicate');

    const pkg = await check('GET /v1/packages/{packageId}', `/v1/packages/${bought.package.id}`, { as: asClient(A) });
    const mine = await check('GET /v1/clients/{clientId}/packages', `/v1/clients/${A}/packages`, { as: asClient(A) });
    expect(mine.map((p: { id: string }) => p.id)).toContain(bought.package.id);
    expect(pkg.status).toBe('active');
    expect(pkg.payments.length).toBeGreaterThan(0);

    // a session booked self-pay, paid with a credit since: its invoice void, nothing paid on it
    const single = await book('2026-12-15T11:00:00-05:00');
    const used = await check('POST /v1/appointments/{appointmentId}/use-credit', `/v1/appointments/${single.id}/use-credit`, {
      as: asClient(A),
      body: { packageId: pkg.id },
    });
    expect(used.appointment.packageId).toBe(pkg.id);
    expect(used.invoice).toMatchObject({ status: 'void', refundDue: { amount: 0, currency: 'USD' } });

    const withCredit = await book('2026-12-15T10:00:00-05:00', { packageId: pkg.id });
    const appt = await check('GET /v1/appointments/{appointmentId}', `/v1/appointments/${withCredit.id}`, { as: finance(NYC) });
    expect(appt.packageId).toBe(pkg.id);

    const preview = await check('GET /v1/packages/{packageId}/cancel-preview', `/v1/packages/${pkg.id}/cancel-preview`, {
      as: finance(NYC),
    });
    expect(preview.futureSessions).toBe(2);
    const cancelled = await check('POST /v1/packages/{packageId}/cancel', `/v1/packages/${pkg.id}/cancel`, { as: finance(NYC) });
    expect(cancelled.package.status).toBe('cancelled');
    expect(cancelled.refund).toEqual(preview.refund);
  });

  it('in installments: the plan on the package', async () => {
    const bought = await check('POST /v1/packages', '/v1/packages', {
      as: asClient(A),
      body: { clientId: A, programId, payment: 'installments', installments: { count: 3, downPaymentPercent: 25 } },
    });
    for (const d of await api.deliver(stub().completeCheckout(bought.checkoutSessionId, 'paid')))
      expectShape('POST /v1/webhooks/stripe', d);
    const pkg = await check('GET /v1/packages/{packageId}', `/v1/packages/${bought.package.id}`, { as: clinician(NYC) });
    expect(pkg.schedule.installments).toHaveLength(3);
    // another card for the plan: a setup session, and the webhook of the card saved
    const card = await check('POST /v1/packages/{packageId}/payment-method', `/v1/packages/${pkg.id}/payment-method`, {
      as: asClient(A),
      body: {},
    });
    for (const d of await api.deliver(stub().completeCheckout(card.checkoutSessionId, 'paid'))) expectShape('POST /v1/webhooks/stripe', d);
  });
});

describe('invoices', () => {
  it('a session paid, cancelled late with a fee and refunded in part; a program cancelled with a credit', async () => {
    const at = DEFAULT_NOW;
    let session = sessionInvoice({ clientId: A, at, mode: 'in_person' });
    session = applyPayment(session, {
      reference: 'pi_shape_1',
      amount: { amount: 17_500, currency: 'USD' },
      at: at + 60_000,
      method: 'card',
    });
    const appointmentId = session.appointmentId!;
    session = applyCancellation(session, { appointmentId, kind: 'late', fee: { amount: 5_000, currency: 'USD' }, at: at + 120_000 });
    session = applyRefund(session, {
      reference: 're_shape_1',
      amount: { amount: 12_500, currency: 'USD' },
      at: at + 180_000,
      status: 'succeeded',
    });
    session = applyRefund(session, {
      reference: 're_shape_2',
      amount: { amount: 1_000, currency: 'USD' },
      at: at + 240_000,
      status: 'failed',
    });
    let program = programInvoice({ clientId: A, at: at + 300_000 });
    program = applyPackageCancel(program, { used: { amount: 30_000, currency: 'USD' }, at: at + 360_000 });
    const [storedSession, storedProgram, open] = await storeInvoices(api, [session, program, sessionInvoice({ clientId: A, at })]);
    await check('POST /v1/invoices/{invoiceId}/checkout', `/v1/invoices/${open!.id}/checkout`, { as: asClient(A) });

    // not JSON: the bytes of a PDF (BINARY_RESPONSES), checked by its header
    const pdf = await check('GET /v1/invoices/{invoiceId}/receipt.pdf', `/v1/invoices/${storedSession!.id}/receipt.pdf`, {
      as: asClient(A),
    });
    expect(Buffer.isBuffer(pdf)).toBe(true);
    const read = await check('GET /v1/invoices/{invoiceId}', `/v1/invoices/${storedSession!.id}`, { as: asClient(A) });
    expect(read).toMatchObject({ status: 'paid', appointmentId, balance: { amount: 0, currency: 'USD' } });
    // the failed one gave nothing back: shown, not counted
    expect(read.refunds.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'failed']);
    expect(read).toMatchObject({
      refunded: { amount: 12_500, currency: 'USD' },
      refundDue: { amount: 0, currency: 'USD' },
      refundState: null,
    });
    expect(read).not.toHaveProperty('packageId');
    const credited = await check('GET /v1/invoices/{invoiceId}', `/v1/invoices/${storedProgram!.id}`, { as: finance(NYC) });
    expect(credited.lines.map((l: { amount: { amount: number } }) => l.amount.amount)).toEqual([120_000, -90_000]);
    expect(credited.lines[0]).not.toHaveProperty('serviceDate');

    const list = await check('GET /v1/clients/{clientId}/invoices', `/v1/clients/${A}/invoices`, { as: frontdesk(NYC) });
    expect(list.length).toBeGreaterThanOrEqual(2);
    const page = await check('GET /v1/invoices', '/v1/invoices', {
      as: admin,
      query: { clinicId: NYC, from: '2026-12-01', to: '2026-12-01' },
    });
    expect(page.items.length).toBeGreaterThanOrEqual(2);
    expect(page.nextCursor).toBeNull();
    // the clinic's figures for the month: every invoice above (and the bookings' of this file) in it
    const revenue = await check('GET /v1/clinics/{clinicId}/reports/revenue', `/v1/clinics/${NYC}/reports/revenue`, {
      as: finance(NYC),
      query: { from: '2026-12-01', to: '2026-12-31' },
    });
    expect(revenue).toMatchObject({ currency: 'USD', from: '2026-12-01', to: '2026-12-31' });
  });

  it('a refund the job gave up on: retried, and one made some other way recorded', async () => {
    const retried = await givenUpRefund(api, { clientId: A, at: DEFAULT_NOW });
    const again = await check('POST /v1/invoices/{invoiceId}/refunds/retry', `/v1/invoices/${retried.id}/refunds/retry`, {
      as: finance(NYC),
      body: {},
    });
    expect(again.refundState).toBe('scheduled');
    const recorded = await givenUpRefund(api, { clientId: A, at: DEFAULT_NOW });
    const listed = await check('GET /v1/clinics/{clinicId}/refunds/given-up', `/v1/clinics/${NYC}/refunds/given-up`, { as: finance(NYC) });
    expect(listed.items.map((i: { id: string }) => i.id)).toContain(recorded.id);
    const made = await check('POST /v1/invoices/{invoiceId}/refunds', `/v1/invoices/${recorded.id}/refunds`, {
      as: finance(NYC),
      body: { amount: recorded.lines[0]!.amount, method: 'bank_transfer', reference: 'TRF-2026-118' },
    });
    expect(made.refunds).toEqual([expect.objectContaining({ method: 'bank_transfer', reference: 'TRF-2026-118', status: 'succeeded' })]);
    expect(made).toMatchObject({ status: 'refunded', refundState: null });
  });

  it('a payment taken at the desk', async () => {
    const appt = await book('2026-12-16T10:00:00-05:00');
    const invoiceId = (await api.call('GET', `/v1/appointments/${appt.id}`, { as: frontdesk(NYC) })).body.invoiceId as string;
    const paid = await check('POST /v1/invoices/{invoiceId}/payments', `/v1/invoices/${invoiceId}/payments`, {
      as: frontdesk(NYC),
      body: { amount: 17_500, method: 'card_terminal', reference: 'SLIP-0042' },
    });
    expect(paid).toMatchObject({
      status: 'paid',
      payments: [expect.objectContaining({ method: 'card_terminal', reference: 'SLIP-0042' })],
    });
  });
});

describe('superbills and receipts for insurance', () => {
  const DECEMBER = { from: '2026-12-01', to: '2026-12-31' };

  it('US: the superbill of A’s completed sessions (JSON), and the same as a PDF', async () => {
    await check('PUT /v1/clients/{clientId}/diagnoses', `/v1/clients/${A}/diagnoses`, { as: clinician(NYC), body: { codes: ['F33.2'] } });
    const bill = await check('GET /v1/clients/{clientId}/superbill', `/v1/clients/${A}/superbill`, { as: asClient(A), query: DECEMBER });
    expect(bill.kind).toBe('superbill');
    expect(bill.lines.length).toBeGreaterThan(0);
    // with Accept: application/pdf the bytes of a PDF (NEGOTIATED_RESPONSES), checked by their header
    const pdf = await api.call('GET', `/v1/clients/${A}/superbill`, {
      as: finance(NYC),
      query: DECEMBER,
      headers: { accept: 'application/pdf' },
    });
    expect([pdf.status, pdf.headers['content-type']]).toEqual([200, 'application/pdf']);
    expect(pdfDocument.safeParse(new Uint8Array(pdf.body)).success).toBe(true);
  });

  it('Canada: the receipt form of a completed session', async () => {
    const tor = await signUp(api, { clinicId: 'demo-tor', firstName: 'Tess' });
    const startsAt = '2026-12-16T10:00:00-05:00';
    const appt = await check('POST /v1/appointments', '/v1/appointments', {
      as: frontdesk('demo-tor'),
      body: { clinicId: 'demo-tor', clientId: tor, providerId: 'demo-tor-ther-1', service: 'integration', mode: 'telehealth', startsAt },
    });
    await check('POST /v1/appointments/{appointmentId}/complete', `/v1/appointments/${appt.id}/complete`, {
      as: clinician('demo-tor'),
      at: minutesFrom(startsAt, 30),
    });
    const receipt = await check('GET /v1/clients/{clientId}/superbill', `/v1/clients/${tor}/superbill`, { as: admin, query: DECEMBER });
    expect(receipt.kind).toBe('receipt');
    expect(receipt.lines).toHaveLength(1);
    expect(receipt.lines[0]).not.toHaveProperty('cptCode');
  });
});

describe('finance exports', () => {
  // this test API starts no job, so the export stays running; the ready shape (rows, url) is
  // checked against the same schema in test/integration/ledger-export.test.ts
  it('start, then read while running', async () => {
    const started = await check('POST /v1/clinics/{clinicId}/exports', `/v1/clinics/${NYC}/exports`, {
      as: finance(NYC),
      body: { kind: 'ledger', from: '2026-11-01', to: '2026-11-30' },
    });
    expect(started).toMatchObject({ status: 'running' });
    const read = await check('GET /v1/exports/{exportId}', `/v1/exports/${started.id}`, { as: finance(NYC) });
    expect(read).toEqual(started);
  });
});

describe('the schemas', () => {
  it('refuse a field the view does not write (strict)', () => {
    expect(responseOf('GET /v1/health').safeParse({ status: 'ok', uptime: 1 }).success).toBe(false);
    const room = { id: 'r1', clinicId: NYC, name: 'Room', kind: 'dosing' };
    expect(responseOf('POST /v1/clinics/{clinicId}/rooms').safeParse(room).success).toBe(true);
    expect(responseOf('POST /v1/clinics/{clinicId}/rooms').safeParse({ ...room, version: 3 }).success).toBe(false);
    expect(
      responseOf('POST /v1/clinics/{clinicId}/programs/{programId}/retire').safeParse({ id: 'p', retired: true, extra: 1 }).success,
    ).toBe(false);
  });

  it('every route was called and its answer checked', () => {
    expect([...covered].sort()).toEqual(ROUTES.map(routeKey).sort());
  });
});
