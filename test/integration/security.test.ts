// Findings of the security review, each with the behaviour that closes it, through the real
// functions on DynamoDB Local: sign-up reveals nothing and lets nobody squat, public routes see an
// optional caller, no cross-clinic probing, minimum necessary views, the audit trail and the
// per-caller rate limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMITS } from '#shared/auth/policy.ts';
import {
  DEFAULT_NOW,
  admin,
  asClient,
  clinician,
  createTestApi,
  finance,
  frontdesk,
  signUp,
  type As,
  type TestApi,
} from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const TOR = 'demo-tor';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => api.close());

const person = (email: string, clinicId = NYC) => ({
  clinicId,
  firstName: 'Rowan',
  lastName: 'Hale',
  email,
  phone: '+12125550144',
  dateOfBirth: '1988-08-08',
  smsConsent: true,
});
const newUser = (n: string, email?: string): As => ({ role: 'client', sub: `user-${n}`, ...(email ? { email } : {}) });

describe('sign-up is no oracle and lets nobody squat an address', () => {
  it('anonymous callers cannot create client records at all', async () => {
    const res = await api.call('POST', '/v1/clients', { body: person('anon@example.com') });
    expect([res.status, res.body.error.code]).toEqual([401, 'unauthenticated']);
  });

  it('a signed-in user creates its own record under its verified address, and then acts on it as itself', async () => {
    const me = newUser('own', 'own@example.com');
    const res = await api.call('POST', '/v1/clients', { as: me, body: person('own@example.com') });
    expect(res.status).toBe(201);
    // its token names no client record yet: the link made at sign-up does
    const read = await api.call('GET', `/v1/clients/${res.body.id}`, { as: me });
    expect([read.status, read.body.email]).toEqual([200, 'own@example.com']);
    const again = await api.call('POST', '/v1/clients', { as: me, body: person('own@example.com') });
    expect([again.status, again.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('only under the address the identity provider verified', async () => {
    const other = await api.call('POST', '/v1/clients', { as: newUser('x', 'mine@example.com'), body: person('victim@example.com') });
    expect([other.status, other.body.error.details]).toEqual([400, [{ path: 'email', message: expect.any(String) }]]);
    const unverified = await api.call('POST', '/v1/clients', { as: newUser('y'), body: person('victim@example.com') });
    expect([unverified.status, unverified.body.error.details[0].path]).toEqual([400, 'email']);
  });

  it('an address already known answers exactly as a new one does, for the user and for staff', async () => {
    await signUp(api, { email: 'known@example.com' });
    const known = await api.call('POST', '/v1/clients', { as: newUser('k', 'known@example.com'), body: person('known@example.com') });
    const fresh = await api.call('POST', '/v1/clients', { as: newUser('f', 'fresh@example.com'), body: person('fresh@example.com') });
    expect([known.status, fresh.status]).toEqual([201, 201]);
    expect(Object.keys(known.body).sort()).toEqual(Object.keys(fresh.body).sort());
    const byStaff = await api.call('POST', '/v1/clients', { as: frontdesk(NYC), body: person('known@example.com') });
    expect(byStaff.status).toBe(201);
  });

  it('one record per user, even when it races itself', async () => {
    const me = newUser('racer', 'racer@example.com');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api.call('POST', '/v1/clients', { as: me, body: person('racer@example.com') })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const profiles = (await api.items()).filter((i) => i.type === 'client' && i.email === 'racer@example.com');
    expect(profiles).toHaveLength(1);
  });
});

describe('public routes see an optional caller', () => {
  // 2026-12-01 07:00 in New York: tomorrow morning is inside the clinic's 24-hour notice
  const query = { service: 'preparation', from: '2026-12-01', to: '2026-12-02' };

  it('the front desk is offered the starts inside the notice period that clients are not', async () => {
    const anonymous = await api.call('GET', `/v1/clinics/${NYC}/availability`, { query });
    const client = await api.call('GET', `/v1/clinics/${NYC}/availability`, { query, as: asClient('cli_someone') });
    const desk = await api.call('GET', `/v1/clinics/${NYC}/availability`, { query, as: frontdesk(NYC) });
    const otherDesk = await api.call('GET', `/v1/clinics/${NYC}/availability`, { query, as: frontdesk(TOR) });
    const soon = (r: typeof desk) => r.body.slots.filter((s: { startsAt: string }) => s.startsAt < '2026-12-02T07:00:00-05:00').length;
    expect(soon(desk)).toBeGreaterThan(0);
    expect([soon(anonymous), soon(client), soon(otherDesk)]).toEqual([0, 0, 0]);
  });
});

describe('no cross-clinic probing', () => {
  it('front desk of another clinic learns nothing about whether a client is busy', async () => {
    const client = await signUp(api, { firstName: 'Probe' });
    const startsAt = '2026-12-16T10:00:00-05:00';
    const booked = await api.call('POST', '/v1/appointments', {
      as: frontdesk(NYC),
      body: { clinicId: NYC, clientId: client, providerId: 'demo-nyc-ther-2', service: 'preparation', mode: 'telehealth', startsAt },
    });
    expect(booked.status).toBe(201);
    const probe = (at: string) =>
      api.call('POST', '/v1/appointments', {
        as: frontdesk(TOR),
        body: { clinicId: TOR, clientId: client, providerId: 'demo-tor-ther-1', service: 'preparation', mode: 'telehealth', startsAt: at },
      });
    const busy = await probe(startsAt);
    const free = await probe('2026-12-17T10:00:00-05:00');
    expect([busy.status, busy.body.error.code]).toEqual([404, 'not_found']);
    expect([free.status, free.body.error.code]).toEqual([404, 'not_found']);
  });
});

describe('minimum necessary', () => {
  let client: string;
  const book = async (body: Record<string, unknown>) => {
    const res = await api.call('POST', '/v1/appointments', { as: frontdesk(NYC), body: { clinicId: NYC, clientId: client, ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  beforeAll(async () => {
    client = await signUp(api, { firstName: 'Mina', rideHome: { name: 'Sam Hale', phone: '+12125550177' } });
    // a course that may book an exploration: intake, clearance, two preparations, a ride home
    await book({ providerId: 'demo-nyc-ther-1', service: 'intake', mode: 'telehealth', startsAt: '2026-12-14T11:00:00-05:00' });
    const cleared = await api.call('POST', `/v1/clients/${client}/clearance`, {
      as: clinician(NYC),
      body: { status: 'cleared', screenedFor: ['blood pressure'], notes: 'controlled hypertension' },
    });
    expect(cleared.status).toBe(201);
    await book({ providerId: 'demo-nyc-ther-2', service: 'preparation', mode: 'telehealth', startsAt: '2026-12-15T11:00:00-05:00' });
    await book({ providerId: 'demo-nyc-ther-2', service: 'preparation', mode: 'telehealth', startsAt: '2026-12-16T11:00:00-05:00' });
    await book({ providerId: 'demo-nyc-ther-1', service: 'exploration', mode: 'in_person', startsAt: '2026-12-21T12:00:00-05:00' });
    // then the ride home falls through: the exploration's day shows it
    const patched = await api.call('PATCH', `/v1/clients/${client}`, { as: frontdesk(NYC), body: { rideHome: null } });
    expect(patched.status).toBe(200);
  });

  it('what was screened and the notes only to clinicians, admin and the client itself', async () => {
    const sees = async (as: As) => (await api.call('GET', `/v1/clients/${client}`, { as })).body.status.clearance;
    for (const as of [clinician(NYC), admin, asClient(client)]) {
      expect(await sees(as)).toMatchObject({ status: 'cleared', screenedFor: ['blood pressure'], notes: 'controlled hypertension' });
    }
    for (const as of [frontdesk(NYC), finance(NYC)]) {
      expect(await sees(as)).toStrictEqual({ status: 'cleared', validUntil: null });
    }
  });

  it('finance sees no clinical flags on the schedule; the front desk does', async () => {
    const flags = async (as: As) => {
      const res = await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as, query: { date: '2026-12-21' } });
      return res.body.appointments.find((a: { clientId: string }) => a.clientId === client).flags;
    };
    expect(await flags(frontdesk(NYC))).toEqual(['ride_home_missing', 'unpaid']);
    expect(await flags(clinician(NYC))).toEqual(['ride_home_missing', 'unpaid']);
    expect(await flags(finance(NYC))).toEqual(['unpaid']);
  });

  it('a preparation cancelled and the intake moved after the exploration: the schedule flags what booking had required', async () => {
    const flags = async (as: As) => {
      const res = await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as, query: { date: '2026-12-21' } });
      const a = res.body.appointments.find(
        (x: { clientId: string; service: string }) => x.clientId === client && x.service === 'exploration',
      );
      // the published flags; the course of care's beside them, in a field of their own
      return { flags: a.flags, courseFlags: a.courseFlags };
    };
    const mine = (await api.call('GET', `/v1/clients/${client}/appointments`, { as: frontdesk(NYC) })).body as Array<{
      id: string;
      service: string;
      startsAt: string;
    }>;
    const prep = mine.find((a) => a.service === 'preparation')!;
    const intake = mine.find((a) => a.service === 'intake')!;
    expect((await api.call('POST', `/v1/appointments/${prep.id}/cancel`, { as: frontdesk(NYC) })).status).toBe(200);
    expect(await flags(frontdesk(NYC))).toEqual({ flags: ['ride_home_missing', 'unpaid'], courseFlags: ['preparation_missing'] });
    const moved = await api.call('POST', `/v1/appointments/${intake.id}/reschedule`, {
      as: frontdesk(NYC),
      body: { startsAt: '2026-12-22T11:00:00-05:00' },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await flags(clinician(NYC))).toEqual({
      flags: ['ride_home_missing', 'unpaid'],
      courseFlags: ['intake_missing', 'preparation_missing'],
    });
    expect(await flags(finance(NYC))).toEqual({ flags: ['unpaid'], courseFlags: [] });
  });
});

describe('audit trail', () => {
  // entries sort by time: let a second pass between the calls, as it would
  const tick = () => api.clock.advance(1000);
  afterAll(() => api.clock.set(DEFAULT_NOW));

  it('every read and change of a client’s record is recorded with who, what, when and the request id, newest first', async () => {
    const client = await signUp(api, { firstName: 'Audra', lastName: 'Quill' });
    tick();
    await api.call('GET', `/v1/clients/${client}`, { as: finance(NYC) });
    tick();
    await api.call('PATCH', `/v1/clients/${client}`, { as: asClient(client), body: { smsConsent: false } });
    tick();
    await api.call('GET', `/v1/clients/${client}`, { as: frontdesk(TOR) }); // refused: not recorded as an access
    tick();
    const res = await api.call('GET', `/v1/clients/${client}/audit`, { as: admin });
    expect(res.status).toBe(200);
    const actions = res.body.entries.map((e: { action: string; actor: { sub: string } }) => [e.action, e.actor.sub]);
    expect(actions).toEqual([
      ['client.update', `sub-${client}`],
      ['client.read', `fin-${NYC}`],
      ['client.create', `fd-${NYC}`],
    ]);
    const entry = res.body.entries[1];
    expect(entry).toStrictEqual({
      at: expect.stringMatching(/^2026-12-01T07:\d\d:\d\d(\.000)?-05:00$/),
      actor: { sub: `fin-${NYC}`, roles: ['finance'] },
      action: 'client.read',
      record: { type: 'client', id: client },
      requestId: expect.any(String),
    });
    // ids only: no name, e-mail, phone or birth date
    expect(JSON.stringify(res.body)).not.toMatch(/Audra|Quill|example\.com|\+1212|1985-04-12/);
    // reading the trail is itself an access
    tick();
    const again = await api.call('GET', `/v1/clients/${client}/audit`, { as: admin });
    expect(again.body.entries[0].action).toBe('audit.read');
  });

  it('a change writes its entry in its own transaction: a refused booking leaves none', async () => {
    const client = await signUp(api, { firstName: 'Twice' });
    const body = {
      clinicId: NYC,
      clientId: client,
      providerId: 'demo-nyc-ther-1',
      service: 'preparation',
      mode: 'telehealth',
      startsAt: '2026-12-23T15:00:00-05:00',
    };
    tick();
    expect((await api.call('POST', '/v1/appointments', { as: frontdesk(NYC), body })).status).toBe(201);
    tick();
    expect((await api.call('POST', '/v1/appointments', { as: frontdesk(NYC), body })).status).toBe(409);
    const trail = await api.call('GET', `/v1/clients/${client}/audit`, { as: admin });
    expect(trail.body.entries.map((e: { action: string }) => e.action)).toEqual(['appointment.book', 'client.create']);
  });

  it('a day’s schedule records one entry per client on it', async () => {
    const client = await signUp(api, { firstName: 'Sched' });
    tick();
    const booked = await api.call('POST', '/v1/appointments', {
      as: frontdesk(NYC),
      body: {
        clinicId: NYC,
        clientId: client,
        providerId: 'demo-nyc-ther-1',
        service: 'preparation',
        mode: 'telehealth',
        startsAt: '2026-12-22T15:00:00-05:00',
      },
    });
    tick();
    await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as: clinician(NYC), query: { date: '2026-12-22' } });
    const trail = await api.call('GET', `/v1/clients/${client}/audit`, { as: admin });
    expect(trail.body.entries.map((e: { action: string }) => e.action)).toEqual(['schedule.read', 'appointment.book', 'client.create']);
    expect(trail.body.entries[0].record).toEqual({ type: 'appointment', id: booked.body.id });
  });
});

describe('per-caller rate limits', () => {
  it('a client that triggers SMS in a loop is stopped with 429 and Retry-After; staff are not limited', async () => {
    const client = await signUp(api, { firstName: 'Loop' });
    const { limit } = RATE_LIMITS.sms;
    const statuses: number[] = [];
    for (let i = 0; i < limit; i++) {
      statuses.push((await api.call('POST', '/v1/appointments/apt_nothing/cancel', { as: asClient(client), body: {} })).status);
    }
    expect(statuses.every((s) => s === 404)).toBe(true);
    const over = await api.call('POST', '/v1/appointments/apt_nothing/cancel', { as: asClient(client), body: {} });
    expect([over.status, over.body.error.code]).toEqual([429, 'rate_limited']);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // another client, and the front desk, are unaffected
    const other = await signUp(api, { firstName: 'Calm' });
    expect((await api.call('POST', '/v1/appointments/apt_nothing/cancel', { as: asClient(other), body: {} })).status).toBe(404);
    for (let i = 0; i <= limit; i++) {
      expect((await api.call('POST', '/v1/appointments/apt_nothing/cancel', { as: frontdesk(NYC), body: {} })).status).toBe(404);
    }
  });
});
