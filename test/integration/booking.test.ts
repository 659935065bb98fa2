// The course of care through the API on DynamoDB Local: intake, clearance, preparation,
// exploration, integration; moving, cancelling and the status machine.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callerScope } from '#http/idempotency.ts';
import { DEFAULT_NOW, admin, asClient, clinician, createTestApi, frontdesk, signUp, type As, type TestApi } from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const THER = 'demo-nyc-ther-1';
const THER2 = 'demo-nyc-ther-2';
const PRESC = 'demo-nyc-presc-1';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => api.close());
// a test that moves the clock to the day of its appointment puts it back for the next one
afterEach(() => api.clock.set(DEFAULT_NOW));

const book = (as: As, body: Record<string, unknown>) =>
  api.call('POST', '/v1/appointments', { as, body: { clinicId: NYC, mode: 'in_person', providerId: THER, ...body } });

describe('a course of care', () => {
  it('books intake, evaluation, preparation, exploration and integration in order of the rules', async () => {
    const clientId = await signUp(api, { rideHome: { name: 'Pat', phone: '+12125550199' } });
    const me = asClient(clientId);

    // an exploration before anything else: the first rule in the order of docs/api.md is reported
    let res = await book(me, { clientId, service: 'exploration', startsAt: '2026-12-14T10:00:00-05:00' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'rule_violated', rule: 'intake_required' });

    res = await book(me, { clientId, service: 'intake', startsAt: '2026-12-03T10:00:00-05:00' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'booked',
      startsAt: '2026-12-03T10:00:00-05:00',
      endsAt: '2026-12-03T11:00:00-05:00',
      providerId: THER,
      roomId: 'demo-nyc-room-t1',
      service: 'intake',
      mode: 'in_person',
    });
    expect(res.body.id).toEqual(expect.any(String));

    res = await book(me, { clientId, service: 'exploration', startsAt: '2026-12-14T10:00:00-05:00' });
    expect(res.body.error.rule).toBe('clearance_required');

    res = await book(me, {
      clientId,
      service: 'medical_evaluation',
      providerId: PRESC,
      mode: 'telehealth',
      startsAt: '2026-12-03T14:00:00-05:00',
    });
    expect(res.status).toBe(201);
    expect(res.body.roomId).toBeNull();

    res = await api.call('POST', `/v1/clients/${clientId}/clearance`, {
      as: clinician(),
      body: { status: 'cleared', screenedFor: ['hypertension', 'psychosis'], validUntil: '2027-06-01' },
    });
    expect(res.status).toBe(201);
    // the clinician who recorded it sees what was screened (minimum necessary: not everyone does)
    expect(res.body.status.clearance).toEqual({
      status: 'cleared',
      validUntil: '2027-06-01',
      screenedFor: ['hypertension', 'psychosis'],
      notes: null,
    });

    res = await book(me, { clientId, service: 'exploration', startsAt: '2026-12-14T10:00:00-05:00' });
    expect(res.body.error.rule).toBe('preparation_required');

    for (const startsAt of ['2026-12-07T10:00:00-05:00', '2026-12-09T10:00:00-05:00']) {
      res = await book(me, { clientId, service: 'preparation', mode: 'telehealth', startsAt });
      expect(res.status).toBe(201);
    }

    res = await book(me, { clientId, service: 'exploration', startsAt: '2026-12-14T10:00:00-05:00' });
    expect(res.status).toBe(201);
    expect(res.body.endsAt).toBe('2026-12-14T13:00:00-05:00');
    expect(res.body.roomId).toMatch(/^demo-nyc-room-d/);
    const exploration = res.body.id;

    // explorations start at least 48 h apart (docs/domain.md)
    res = await book(me, { clientId, service: 'exploration', startsAt: '2026-12-15T10:00:00-05:00' });
    expect(res.body.error.rule).toBe('exploration_spacing');
    res = await book(me, { clientId, service: 'exploration', startsAt: '2026-12-16T10:00:00-05:00' });
    expect(res.status).toBe(201);

    res = await book(me, { clientId, service: 'integration', mode: 'telehealth', startsAt: '2026-12-15T10:00:00-05:00' });
    expect(res.status).toBe(201);
    expect(res.body.explorationId).toBe(exploration);

    res = await api.call('GET', `/v1/clients/${clientId}`, { as: me });
    expect(res.status).toBe(200);
    expect(res.body.status).toMatchObject({ intakeCompleted: false, preparationCount: 2, explorationCount: 2 });

    res = await api.call('GET', `/v1/clients/${clientId}/appointments`, { as: me });
    expect(res.body.map((a: { service: string }) => a.service)).toEqual([
      'intake',
      'medical_evaluation',
      'preparation',
      'preparation',
      'exploration',
      'integration',
      'exploration',
    ]);
  });

  it('refuses an exploration without a ride home, then books it once one is on file', async () => {
    const clientId = await signUp(api);
    const me = asClient(clientId);
    await book(frontdesk(), { clientId, service: 'intake', startsAt: '2026-12-04T09:00:00-05:00' });
    await book(frontdesk(), { clientId, service: 'preparation', providerId: THER2, startsAt: '2026-12-07T12:00:00-05:00' });
    await book(frontdesk(), { clientId, service: 'preparation', providerId: THER2, startsAt: '2026-12-08T12:00:00-05:00' });
    await api.call('POST', `/v1/clients/${clientId}/clearance`, { as: clinician(), body: { status: 'cleared', screenedFor: [] } });
    let res = await book(me, { clientId, service: 'exploration', providerId: THER2, startsAt: '2026-12-10T13:00:00-05:00' });
    expect(res.body.error.rule).toBe('ride_home_required');
    res = await api.call('PATCH', `/v1/clients/${clientId}`, { as: me, body: { rideHome: { name: 'Kim', phone: '+12125550111' } } });
    expect(res.status).toBe(200);
    res = await book(me, { clientId, service: 'exploration', providerId: THER2, startsAt: '2026-12-10T13:00:00-05:00' });
    expect(res.status).toBe(201);
  });

  it('a dosing session whose clearance was withdrawn after booking is not checked in: 422 clearance_required, after the time gate', async () => {
    const clientId = await signUp(api, { rideHome: { name: 'Pat', phone: '+12125550199' } });
    await book(frontdesk(), { clientId, service: 'intake', startsAt: '2026-12-04T10:00:00-05:00' });
    for (const startsAt of ['2026-12-07T15:00:00-05:00', '2026-12-08T15:00:00-05:00']) {
      const prep = await book(frontdesk(), { clientId, service: 'preparation', providerId: THER2, mode: 'telehealth', startsAt });
      expect(prep.status).toBe(201);
    }
    await api.call('POST', `/v1/clients/${clientId}/clearance`, { as: clinician(), body: { status: 'cleared', screenedFor: [] } });
    const res = await book(frontdesk(), { clientId, service: 'exploration', providerId: THER2, startsAt: '2026-12-11T13:00:00-05:00' });
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    const checkIn = () => api.call('POST', `/v1/appointments/${res.body.id}/check-in`, { as: frontdesk() });
    await api.call('POST', `/v1/clients/${clientId}/clearance`, {
      as: clinician(),
      body: { status: 'not_cleared', screenedFor: ['hypertension'] },
    });
    // the day before: the time gate answers first
    api.clock.set(Date.parse('2026-12-10T12:30:00-05:00'));
    expect((await checkIn()).status).toBe(409);
    api.clock.set(Date.parse('2026-12-11T12:30:00-05:00'));
    const refused = await checkIn();
    expect([refused.status, refused.body.error.rule]).toEqual([422, 'clearance_required']);
    expect((await api.call('GET', `/v1/appointments/${res.body.id}`, { as: frontdesk() })).body.status).toBe('booked');
    await api.call('POST', `/v1/clients/${clientId}/clearance`, {
      as: clinician(),
      body: { status: 'cleared', screenedFor: ['hypertension'] },
    });
    expect((await checkIn()).body.status).toBe('checked_in');
  });

  it('a check-in forgotten on the day is recorded afterwards with the arrival time; the session can then be completed', async () => {
    const clientId = await signUp(api);
    const res = await book(frontdesk(), { clientId, service: 'preparation', providerId: THER2, startsAt: '2026-12-15T16:00:00-05:00' });
    expect(res.status).toBe(201);
    const id = res.body.id;
    const checkIn = (body?: Record<string, unknown>) =>
      api.call('POST', `/v1/appointments/${id}/check-in`, { as: frontdesk(), ...(body ? { body } : {}) });
    // two days later: check-in on the day has closed, and the session cannot be completed without one
    api.clock.set(Date.parse('2026-12-17T10:00:00-05:00'));
    expect((await checkIn()).status).toBe(409);
    expect((await api.call('POST', `/v1/appointments/${id}/complete`, { as: clinician() })).status).toBe(409);

    const malformed = await checkIn({ arrivedAt: '2026-12-15 15:50' });
    expect([malformed.status, malformed.body.error.details[0].path]).toEqual([400, 'arrivedAt']);
    expect((await checkIn({ arrivedAt: '2026-12-15T15:50:00-05:00', note: 'x' })).status).toBe(400);
    // before the check-in window of its day (120 minutes before the start), or the next day: not an arrival for it
    const early = await checkIn({ arrivedAt: '2026-12-15T13:59:00-05:00' });
    expect([early.status, early.body.error.code]).toEqual([409, 'conflict']);
    expect((await checkIn({ arrivedAt: '2026-12-16T00:00:00-05:00' })).status).toBe(409);
    // not in the future
    expect((await checkIn({ arrivedAt: '2026-12-17T10:01:00-05:00' })).status).toBe(409);
    const untouched = (await api.call('GET', `/v1/appointments/${id}`, { as: frontdesk() })).body;
    expect([untouched.status, untouched.checkedInAt]).toEqual(['booked', undefined]);

    const recorded = await checkIn({ arrivedAt: '2026-12-15T20:50:00Z' });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({
      status: 'checked_in',
      checkedInAt: '2026-12-15T15:50:00-05:00',
      checkInRecordedAt: '2026-12-17T10:00:00-05:00',
    });
    const done = await api.call('POST', `/v1/appointments/${id}/complete`, { as: clinician() });
    expect([done.status, done.body.status, done.body.checkedInAt]).toEqual([200, 'completed', '2026-12-15T15:50:00-05:00']);
    const audit = await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin });
    expect(audit.body.entries.filter((e: { action: string }) => e.action === 'appointment.check_in')).toHaveLength(1);

    // a check-in on the day records the moment itself, and no recording time beside it
    const onTime = await book(frontdesk(), { clientId, service: 'preparation', providerId: THER2, startsAt: '2026-12-18T16:00:00-05:00' });
    api.clock.set(Date.parse('2026-12-18T15:42:00-05:00'));
    const live = await api.call('POST', `/v1/appointments/${onTime.body.id}/check-in`, { as: frontdesk() });
    expect([live.status, live.body.checkedInAt, live.body.checkInRecordedAt]).toEqual([200, '2026-12-18T15:42:00-05:00', undefined]);
  });

  it('completing an intake marks the intake done', async () => {
    const clientId = await signUp(api);
    const res = await book(frontdesk(), { clientId, service: 'intake', providerId: THER2, startsAt: '2026-12-01T13:00:00-05:00' });
    expect(res.status).toBe(201);
    const id = res.body.id;
    // the client arrives shortly before 13:00; the session is completed once it has started
    api.clock.set(Date.parse('2026-12-01T12:45:00-05:00'));
    expect((await api.call('POST', `/v1/appointments/${id}/check-in`, { as: frontdesk() })).body.status).toBe('checked_in');
    api.clock.set(Date.parse('2026-12-01T14:00:00-05:00'));
    expect((await api.call('POST', `/v1/appointments/${id}/complete`, { as: clinician() })).body.status).toBe('completed');
    const client = await api.call('GET', `/v1/clients/${clientId}`, { as: frontdesk() });
    expect(client.body.status.intakeCompleted).toBe(true);
    // completed is final
    const again = await api.call('POST', `/v1/appointments/${id}/cancel`, { as: frontdesk() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('only a completed intake marks the intake done: not its check-in, not a no-show, not another completed session', async () => {
    const clientId = await signUp(api);
    const intake = await book(frontdesk(), { clientId, service: 'intake', providerId: THER2, startsAt: '2026-12-30T10:00:00-05:00' });
    const missed = await book(frontdesk(), { clientId, service: 'intake', providerId: THER2, startsAt: '2026-12-30T12:00:00-05:00' });
    const prep = await book(frontdesk(), { clientId, service: 'preparation', providerId: THER2, startsAt: '2026-12-30T14:00:00-05:00' });
    expect([intake.status, missed.status, prep.status]).toEqual([201, 201, 201]);
    const intakeDone = async () => (await api.call('GET', `/v1/clients/${clientId}`, { as: frontdesk() })).body.status.intakeCompleted;

    api.clock.set(Date.parse('2026-12-30T09:50:00-05:00'));
    expect((await api.call('POST', `/v1/appointments/${intake.body.id}/check-in`, { as: frontdesk() })).body.status).toBe('checked_in');
    expect(await intakeDone()).toBe(false);
    api.clock.set(Date.parse('2026-12-30T12:30:00-05:00'));
    expect((await api.call('POST', `/v1/appointments/${missed.body.id}/no-show`, { as: frontdesk() })).body.status).toBe('no_show');
    expect(await intakeDone()).toBe(false);
    api.clock.set(Date.parse('2026-12-30T15:00:00-05:00'));
    expect((await api.call('POST', `/v1/appointments/${prep.body.id}/check-in`, { as: frontdesk() })).body.status).toBe('checked_in');
    expect((await api.call('POST', `/v1/appointments/${prep.body.id}/complete`, { as: clinician() })).body.status).toBe('completed');
    expect(await intakeDone()).toBe(false);
    expect((await api.call('POST', `/v1/appointments/${intake.body.id}/complete`, { as: clinician() })).body.status).toBe('completed');
    expect(await intakeDone()).toBe(true);
  });

  it('an intake booked for later cannot be checked in or completed today, so it opens no gate', async () => {
    const clientId = await signUp(api);
    const inPerson = await book(frontdesk(), { clientId, service: 'intake', providerId: THER2, startsAt: '2027-02-15T11:00:00-05:00' });
    const video = await book(frontdesk(), {
      clientId,
      service: 'intake',
      providerId: THER,
      mode: 'telehealth',
      startsAt: '2027-02-16T11:00:00-05:00',
    });
    expect([inPerson.status, video.status]).toEqual([201, 201]);
    for (const [id, action] of [
      [inPerson.body.id, 'check-in'],
      [video.body.id, 'complete'],
    ]) {
      const res = await api.call('POST', `/v1/appointments/${id}/${action}`, { as: action === 'check-in' ? frontdesk() : clinician() });
      expect([action, res.status, res.body.error?.code]).toEqual([action, 409, 'conflict']);
    }
    const client = await api.call('GET', `/v1/clients/${clientId}`, { as: frontdesk() });
    expect(client.body.status.intakeCompleted).toBe(false);
  });
});

describe('booking policy', () => {
  it('holds clients to minimum notice and the booking window, not the front desk', async () => {
    const clientId = await signUp(api);
    const me = asClient(clientId);
    // now is 2026-12-01 07:00 New York; 24 h notice
    let res = await book(me, { clientId, service: 'intake', providerId: THER2, startsAt: '2026-12-01T16:00:00-05:00' });
    expect(res.body.error.rule).toBe('minimum_notice');
    res = await book(me, { clientId, service: 'intake', providerId: THER2, startsAt: '2027-03-15T10:00:00-04:00' });
    expect(res.body.error.rule).toBe('booking_window');
    res = await book(frontdesk(), { clientId, service: 'intake', providerId: THER2, startsAt: '2027-03-15T10:00:00-04:00' });
    expect(res.status).toBe(201);
    // outside hours binds everyone
    res = await book(frontdesk(), { clientId, service: 'preparation', providerId: THER2, startsAt: '2027-03-15T19:00:00-04:00' });
    expect(res.body.error.rule).toBe('outside_hours');
  });

  it('refuses telehealth for an exploration before any other rule', async () => {
    const clientId = await signUp(api);
    const res = await book(asClient(clientId), {
      clientId,
      service: 'exploration',
      mode: 'telehealth',
      startsAt: '2026-12-01T08:00:00-05:00',
    });
    expect(res.status).toBe(422);
    expect(res.body.error.rule).toBe('telehealth_not_allowed');
  });

  it('gives 409 slot_unavailable for a taken therapist, not a 422', async () => {
    const a = await signUp(api);
    const b = await signUp(api);
    const first = await book(frontdesk(), {
      clientId: a,
      service: 'preparation',
      mode: 'telehealth',
      startsAt: '2026-12-22T15:00:00-05:00',
    });
    expect(first.status).toBe(201);
    const second = await book(frontdesk(), {
      clientId: b,
      service: 'preparation',
      mode: 'telehealth',
      startsAt: '2026-12-22T15:30:00-05:00',
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('slot_unavailable');
  });
});

describe('moving and cancelling', () => {
  it('reschedules, releasing the old time and re-checking the rules', async () => {
    const a = await signUp(api);
    const b = await signUp(api);
    const res = await book(asClient(a), { clientId: a, service: 'preparation', startsAt: '2026-12-23T09:00:00-05:00' });
    expect(res.status).toBe(201);
    const id = res.body.id;
    const moved = await api.call('POST', `/v1/appointments/${id}/reschedule`, {
      as: asClient(a),
      body: { startsAt: '2026-12-23T09:30:00-05:00' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id, status: 'booked', startsAt: '2026-12-23T09:30:00-05:00', endsAt: '2026-12-23T10:30:00-05:00' });
    // 09:00–09:30 is free again; 09:30 is not
    expect(
      (await book(frontdesk(), { clientId: b, service: 'preparation', mode: 'telehealth', startsAt: '2026-12-23T10:00:00-05:00' })).status,
    ).toBe(409);
    const free = await api.call('POST', '/v1/appointments', {
      as: frontdesk(),
      body: {
        clinicId: NYC,
        clientId: b,
        providerId: THER,
        service: 'integration',
        mode: 'telehealth',
        startsAt: '2026-12-23T08:30:00-05:00',
      },
    });
    expect(free.body.error.rule).toBe('outside_hours');
    const outside = await api.call('POST', `/v1/appointments/${id}/reschedule`, {
      as: asClient(a),
      body: { startsAt: '2026-12-23T16:30:00-05:00' },
    });
    expect(outside.body.error.rule).toBe('outside_hours');
    // another provider
    const other = await api.call('POST', `/v1/appointments/${id}/reschedule`, {
      as: frontdesk(),
      body: { startsAt: '2026-12-23T17:00:00-05:00', providerId: THER2 },
    });
    expect(other.status).toBe(200);
    expect(other.body.providerId).toBe(THER2);
    expect(
      (await book(frontdesk(), { clientId: b, service: 'preparation', mode: 'telehealth', startsAt: '2026-12-23T09:30:00-05:00' })).status,
    ).toBe(201);
  });

  it('a move to where it already is changes nothing: no write, no "moved" SMS, audited as the request it was', async () => {
    const a = await signUp(api, { smsConsent: true });
    const res = await book(frontdesk(), { clientId: a, service: 'preparation', providerId: THER2, startsAt: '2026-12-24T12:00:00-05:00' });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    // the notices the changes queued (SMS#NOTICE#<version> beside the appointment), in order
    const sent = async () =>
      (await api.items())
        .filter((i) => i.PK === `APPT#${id}` && String(i.SK).startsWith('SMS#NOTICE#'))
        .sort((x, y) => String(x.SK).localeCompare(String(y.SK)))
        .map((i) => i.kind);
    expect(await sent()).toEqual(['confirmation']);
    // the same instant, however written, and the same provider named or not
    for (const body of [{ startsAt: '2026-12-24T12:00:00-05:00' }, { startsAt: '2026-12-24T17:00:00Z', providerId: THER2 }]) {
      const same = await api.call('POST', `/v1/appointments/${id}/reschedule`, { as: frontdesk(), body });
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ id, status: 'booked', startsAt: '2026-12-24T12:00:00-05:00', providerId: THER2 });
    }
    expect(await sent()).toEqual(['confirmation']);
    const trail = (await api.call('GET', `/v1/clients/${a}/audit`, { as: admin })).body.entries as Array<{
      action: string;
      record: { id: string };
    }>;
    expect(
      trail
        .filter((e) => e.record.id === id)
        .map((e) => e.action)
        .sort(),
    ).toEqual(['appointment.book', 'appointment.reschedule', 'appointment.reschedule']);
    // a real move still moves and says so
    const moved = await api.call('POST', `/v1/appointments/${id}/reschedule`, {
      as: frontdesk(),
      body: { startsAt: '2026-12-24T13:00:00-05:00' },
    });
    expect(moved.body.startsAt).toBe('2026-12-24T13:00:00-05:00');
    expect(await sent()).toEqual(['confirmation', 'moved']);
    // a move to its own time is refused where any move would be: by its client inside the notice, by anyone once it started
    const soon = await book(frontdesk(), { clientId: a, service: 'preparation', providerId: THER2, startsAt: '2026-12-01T16:00:00-05:00' });
    expect(soon.status).toBe(201);
    const same = { startsAt: '2026-12-01T16:00:00-05:00' };
    const own = await api.call('POST', `/v1/appointments/${soon.body.id}/reschedule`, { as: asClient(a), body: same });
    expect([own.status, own.body.error?.rule]).toEqual([422, 'minimum_notice']);
    expect((await api.call('POST', `/v1/appointments/${soon.body.id}/reschedule`, { as: frontdesk(), body: same })).status).toBe(200);
    api.clock.set(Date.parse('2026-12-01T16:05:00-05:00'));
    try {
      const started = await api.call('POST', `/v1/appointments/${soon.body.id}/reschedule`, { as: frontdesk(), body: same });
      expect([started.status, started.body.error?.rule]).toEqual([422, 'minimum_notice']);
    } finally {
      api.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    }
    expect(await sent()).toEqual(['confirmation', 'moved']);
    // and a cancelled one is not "moved" to its own time either
    await api.call('POST', `/v1/appointments/${id}/cancel`, { as: frontdesk() });
    expect(
      (await api.call('POST', `/v1/appointments/${id}/reschedule`, { as: frontdesk(), body: { startsAt: '2026-12-24T13:00:00-05:00' } }))
        .status,
    ).toBe(409);
  });

  it('cancels on time (late: false) and late (late: true) by the clinic window', async () => {
    const a = await signUp(api);
    const early = await book(frontdesk(), {
      clientId: a,
      service: 'preparation',
      providerId: THER2,
      startsAt: '2026-12-03T12:00:00-05:00',
    });
    const soon = await book(frontdesk(), { clientId: a, service: 'preparation', providerId: THER2, startsAt: '2026-12-02T12:00:00-05:00' });
    // now 2026-12-01 07:00: 12-03 12:00 is 53 h ahead, 12-02 12:00 is 29 h ahead (window 48 h)
    let res = await api.call('POST', `/v1/appointments/${early.body.id}/cancel`, { as: asClient(a), body: { reason: 'travel' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', late: false });
    res = await api.call('POST', `/v1/appointments/${soon.body.id}/cancel`, { as: asClient(a) });
    expect(res.body).toMatchObject({ status: 'cancelled', late: true });
    res = await api.call('POST', `/v1/appointments/${soon.body.id}/cancel`, { as: asClient(a) });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    // the time is free again
    const b = await signUp(api);
    expect(
      (await book(frontdesk(), { clientId: b, service: 'preparation', providerId: THER2, startsAt: '2026-12-03T12:00:00-05:00' })).status,
    ).toBe(201);
  });

  it('the reason given at a cancel goes back to the clinic’s staff, never to the client (the desk’s words may be internal)', async () => {
    const a = await signUp(api);
    const typed = await book(frontdesk(), {
      clientId: a,
      service: 'preparation',
      providerId: THER2,
      startsAt: '2026-12-10T12:00:00-05:00',
    });
    const bare = await book(frontdesk(), { clientId: a, service: 'preparation', providerId: THER2, startsAt: '2026-12-11T12:00:00-05:00' });
    const cancelled = await api.call('POST', `/v1/appointments/${typed.body.id}/cancel`, {
      as: frontdesk(),
      body: { reason: 'Client called: moving away' },
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Client called: moving away' });
    await api.call('POST', `/v1/appointments/${bare.body.id}/cancel`, { as: asClient(a) });

    // staff: the appointment, the client's list and the day's schedule; null when none was given
    for (const as of [frontdesk(), clinician(), admin]) {
      expect((await api.call('GET', `/v1/appointments/${typed.body.id}`, { as })).body.cancelReason).toBe('Client called: moving away');
    }
    const listed = (await api.call('GET', `/v1/clients/${a}/appointments`, { as: frontdesk() })).body as {
      id: string;
      cancelReason?: unknown;
    }[];
    expect(listed.find((x) => x.id === bare.body.id)).toHaveProperty('cancelReason', null);
    const day = await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as: frontdesk(), query: { date: '2026-12-10' } });
    expect(day.body.appointments.find((e: { id: string }) => e.id === typed.body.id).cancelReason).toBe('Client called: moving away');

    // the client: not in the appointment, its list, nor a cancel's answer
    expect((await api.call('GET', `/v1/appointments/${typed.body.id}`, { as: asClient(a) })).body).not.toHaveProperty('cancelReason');
    const own = (await api.call('GET', `/v1/clients/${a}/appointments`, { as: asClient(a) })).body as object[];
    for (const x of own) expect(x).not.toHaveProperty('cancelReason');
    const third = await book(frontdesk(), {
      clientId: a,
      service: 'preparation',
      providerId: THER2,
      startsAt: '2026-12-14T12:00:00-05:00',
    });
    const byClient = await api.call('POST', `/v1/appointments/${third.body.id}/cancel`, { as: asClient(a), body: { reason: 'travel' } });
    expect(byClient.body).toMatchObject({ status: 'cancelled' });
    expect(byClient.body).not.toHaveProperty('cancelReason');
    // the front desk reads it
    expect((await api.call('GET', `/v1/appointments/${third.body.id}`, { as: frontdesk() })).body.cancelReason).toBe('travel');
    // staff of another clinic are refused the appointment altogether
    expect((await api.call('GET', `/v1/appointments/${typed.body.id}`, { as: frontdesk('demo-tor') })).status).toBe(403);
  });

  it('a no-show frees what is left of its time: availability offers it and it books', async () => {
    const a = await signUp(api);
    const b = await signUp(api);
    const missed = await book(frontdesk(), {
      clientId: a,
      service: 'preparation',
      providerId: THER2,
      mode: 'telehealth',
      startsAt: '2026-12-09T14:00:00-05:00',
    });
    expect(missed.status).toBe(201);
    const offered = async () =>
      (
        await api.call('GET', `/v1/clinics/${NYC}/availability`, {
          as: frontdesk(),
          query: { service: 'preparation', from: '2026-12-09', to: '2026-12-09', providerId: THER2, mode: 'telehealth' },
        })
      ).body.slots.map((s: { startsAt: string }) => s.startsAt);
    api.clock.set(Date.parse('2026-12-09T14:10:00-05:00'));
    try {
      expect(await offered()).not.toContain('2026-12-09T14:30:00-05:00');
      expect((await api.call('POST', `/v1/appointments/${missed.body.id}/no-show`, { as: frontdesk() })).status).toBe(200);
      expect(await offered()).toContain('2026-12-09T14:30:00-05:00');
      const walkIn = await book(frontdesk(), {
        clientId: b,
        service: 'preparation',
        providerId: THER2,
        mode: 'telehealth',
        startsAt: '2026-12-09T14:30:00-05:00',
      });
      expect(walkIn.status).toBe(201);
    } finally {
      api.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    }
  });

  it('refuses illegal moves of the status machine with 409 conflict', async () => {
    const a = await signUp(api);
    const res = await book(frontdesk(), { clientId: a, service: 'preparation', providerId: THER2, startsAt: '2026-12-04T12:00:00-05:00' });
    const id = res.body.id;
    // on the day, half an hour before the start (check-in is open)
    api.clock.set(Date.parse('2026-12-04T11:30:00-05:00'));
    // a no-show before the start is not a no-show
    expect((await api.call('POST', `/v1/appointments/${id}/no-show`, { as: frontdesk() })).status).toBe(409);
    expect((await api.call('POST', `/v1/appointments/${id}/complete`, { as: clinician() })).status).toBe(409);
    expect((await api.call('POST', `/v1/appointments/${id}/check-in`, { as: frontdesk() })).status).toBe(200);
    expect((await api.call('POST', `/v1/appointments/${id}/check-in`, { as: frontdesk() })).status).toBe(409);
    const move = await api.call('POST', `/v1/appointments/${id}/reschedule`, {
      as: frontdesk(),
      body: { startsAt: '2026-12-04T14:00:00-05:00' },
    });
    expect(move.status).toBe(409);
    expect(move.body.error.code).toBe('conflict');
  });
});

describe('the times a move may take (availability with `excluding`)', () => {
  // a Monday no other test here uses; Avery (THER) works 09:00–17:00, THER2 10:00–18:00, one therapy room
  const DAY = '2027-01-11';
  const times = async (as: As | undefined, query: Record<string, string>) => {
    const res = await api.call('GET', `/v1/clinics/${NYC}/availability`, {
      ...(as ? { as } : {}),
      query: { service: 'preparation', from: DAY, to: DAY, ...query },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.slots as Array<{ startsAt: string; providerId: string; roomId: string | null }>).map(
      (slot) => `${slot.startsAt.slice(11, 16)} ${slot.providerId} ${slot.roomId}`,
    );
  };
  const at = (time: string) => `${DAY}T${time}:00-05:00`;

  it('offers what overlaps only the appointment being moved (its provider, its room), and the move there succeeds', async () => {
    const a = await signUp(api);
    const me = asClient(a);
    const res = await book(me, { clientId: a, service: 'preparation', startsAt: at('10:30') });
    expect(res.status).toBe(201);
    expect(res.body.roomId).toBe('demo-nyc-room-t1');
    const id = res.body.id as string;

    // without it: Avery is busy 10:30–11:30, and the one therapy room with her
    const before = await times(me, { providerId: THER });
    expect(before).toEqual(expect.arrayContaining(['09:00 demo-nyc-ther-1 demo-nyc-room-t1', '11:30 demo-nyc-ther-1 demo-nyc-room-t1']));
    for (const t of ['10:00', '10:30', '11:00']) expect(before.some((x) => x.startsWith(`${t} `))).toBe(false);
    expect((await times(me, { providerId: THER2 })).some((x) => x.startsWith('11:00 '))).toBe(false);

    // with it: the appointment's own time is free for its move, for the client and the front desk
    for (const as of [me, frontdesk(), admin]) {
      const moving = await times(as, { providerId: THER, excluding: id });
      expect(moving).toEqual(
        expect.arrayContaining([
          '10:00 demo-nyc-ther-1 demo-nyc-room-t1',
          '10:30 demo-nyc-ther-1 demo-nyc-room-t1',
          '11:00 demo-nyc-ther-1 demo-nyc-room-t1',
        ]),
      );
      // the room it holds is free for another therapist too
      expect(await times(as, { providerId: THER2, excluding: id })).toContain('11:00 demo-nyc-ther-2 demo-nyc-room-t1');
    }

    // what it offers is what a move accepts: 30 minutes later, overlapping its own time
    const moved = await api.call('POST', `/v1/appointments/${id}/reschedule`, { as: me, body: { startsAt: at('11:00') } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ startsAt: at('11:00'), providerId: THER, roomId: 'demo-nyc-room-t1' });
  });

  it('the client’s other sessions still take their time; other clients’ do not', async () => {
    const a = await signUp(api);
    const b = await signUp(api);
    const me = asClient(a);
    const moving = await book(me, { clientId: a, service: 'preparation', startsAt: at('09:00') });
    expect(moving.status).toBe(201);
    // a's session by video with another therapist (no room), and b's with that therapist too
    expect(
      (await book(frontdesk(), { clientId: a, service: 'preparation', providerId: THER2, mode: 'telehealth', startsAt: at('14:00') }))
        .status,
    ).toBe(201);
    expect(
      (await book(frontdesk(), { clientId: b, service: 'preparation', providerId: THER2, mode: 'telehealth', startsAt: at('12:00') }))
        .status,
    ).toBe(201);

    const free = await times(me, { providerId: THER, excluding: moving.body.id });
    const starts = free.map((x) => x.slice(0, 5));
    expect(starts).toEqual(expect.arrayContaining(['09:00', '12:00', '13:00', '15:00']));
    for (const t of ['13:30', '14:00', '14:30']) expect(starts).not.toContain(t);
    // without `excluding` nothing says whose times they are: Avery is free at 14:00
    expect((await times(me, { providerId: THER })).some((x) => x.startsWith('14:00 '))).toBe(true);
    // and the move there is refused, as the slot lock of the client says
    const refused = await api.call('POST', `/v1/appointments/${moving.body.id}/reschedule`, { as: me, body: { startsAt: at('14:00') } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('slot_unavailable');
  });

  it('only someone who may move the appointment may name it: 401, 403, 404, 409 as the move would answer', async () => {
    const a = await signUp(api);
    const b = await signUp(api);
    const res = await book(asClient(a), { clientId: a, service: 'preparation', startsAt: at('15:00') });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    const call = (as: As | undefined, excluding: string, clinicId = NYC) =>
      api.call('GET', `/v1/clinics/${clinicId}/availability`, {
        ...(as ? { as } : {}),
        query: { service: 'preparation', from: DAY, to: DAY, excluding },
      });

    // another client, a clinician (who may not move it), another clinic's front desk
    for (const as of [asClient(b), clinician(), frontdesk('demo-tor')]) {
      const r = await call(as, id);
      expect(r.status, JSON.stringify(as)).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    const anonymous = await call(undefined, id);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    // a clinician learns nothing about an id it may not use, as the router answers before any read
    expect((await call(clinician(), 'appt_nobody')).status).toBe(403);
    const unknown = await call(asClient(a), 'appt_nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    // an appointment of another clinic than the one asked about
    expect((await call(admin, id, 'demo-tor')).status).toBe(404);

    // a malformed id is a 400 on `excluding`, as any parameter
    for (const bad of ['not an id!', '', 'x'.repeat(101)]) {
      const r = await call(asClient(a), bad);
      expect(r.status, bad).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['excluding']);
    }

    // a cancelled appointment cannot be moved: 409 conflict, as its move would answer
    expect((await api.call('POST', `/v1/appointments/${id}/cancel`, { as: asClient(a) })).status).toBe(200);
    const cancelled = await call(asClient(a), id);
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.error.code).toBe('conflict');
  });

  it('is audited as a read of the appointment, in its client’s trail; availability without it is not', async () => {
    const a = await signUp(api);
    const res = await book(asClient(a), { clientId: a, service: 'preparation', startsAt: at('16:00') });
    const id = res.body.id as string;
    await times(frontdesk(), { providerId: THER });
    await times(frontdesk(), { providerId: THER, excluding: id });
    const trail = (await api.call('GET', `/v1/clients/${a}/audit`, { as: admin })).body.entries as Array<{
      action: string;
      actor: { sub: string };
      record: { type: string; id: string };
    }>;
    expect(trail.filter((e) => e.action === 'availability.read')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ sub: 'fd-demo-nyc' }), record: { type: 'appointment', id } }),
    ]);
  });
});

describe('idempotency', () => {
  /** An in-person preparation with Jordan Reyes for `clientId` at `startsAt`. */
  const preparation = (clientId: string, startsAt: string) => ({
    clinicId: NYC,
    clientId,
    providerId: THER2,
    service: 'preparation',
    mode: 'in_person',
    startsAt,
  });

  it('replays the first result for the same key and body, and refuses another body', async () => {
    const a = await signUp(api);
    const body = preparation(a, '2026-12-28T12:00:00-05:00');
    const headers = { 'Idempotency-Key': 'key-123' };
    const first = await api.call('POST', '/v1/appointments', { as: frontdesk(), body, headers });
    const second = await api.call('POST', '/v1/appointments', { as: frontdesk(), body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const list = await api.call('GET', `/v1/clients/${a}/appointments`, { as: frontdesk() });
    expect(list.body).toHaveLength(1);
    // the replay showed the appointment again: audited again as a read of it, under its own request id
    const trail = (await api.call('GET', `/v1/clients/${a}/audit`, { as: admin })).body.entries as Array<{
      action: string;
      record: { type: string; id: string };
      requestId: string;
    }>;
    const about = trail.filter((e) => e.record.type === 'appointment' && e.record.id === first.body.id);
    expect(about.map((e) => e.action).sort()).toEqual(['appointment.book', 'appointment.read']);
    expect(new Set(about.map((e) => e.requestId)).size).toBe(2);
    const other = await api.call('POST', '/v1/appointments', {
      as: frontdesk(),
      body: { ...body, startsAt: '2026-12-28T14:00:00-05:00' },
      headers,
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('conflict');
  });

  it('a key still held (its giving back lost while the database was down): 409 with Retry-After saying when it is free', async () => {
    const a = await signUp(api);
    const body = preparation(a, '2027-01-04T16:00:00-05:00');
    const { IdempotencyRepository } = await import('#db/idempotency-repo.ts');
    const { keys } = await import('#db/keys.ts');
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const scope = `${callerScope({ sub: frontdesk().sub!, roles: ['frontdesk'], clinicId: NYC })}#POST /v1/appointments`;
    // the request's hash, as the API stores it, from a first request with the same body
    const first = await api.call('POST', '/v1/appointments', { as: frontdesk(), body, headers: { 'Idempotency-Key': 'probe-1' } });
    expect(first.status).toBe(201);
    const probe = await api.table.doc.send(new GetCommand({ TableName: api.table.tableName, Key: keys.idempotency(scope, 'probe-1') }));
    const held = new IdempotencyRepository(api.table.doc, api.table.tableName);
    expect(await held.claim(scope, 'stuck-1', probe.Item!.requestHash as string, api.clock.now())).toBeNull();
    const res = await api.call('POST', '/v1/appointments', { as: frontdesk(), body, headers: { 'Idempotency-Key': 'stuck-1' } });
    expect([res.status, res.body.error.code, res.body.error.message]).toEqual([
      409,
      'conflict',
      'A request with this Idempotency-Key is still in progress',
    ]);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(31);
  }, 15_000);

  it('a key replays only to the caller as its token stands: the same user moved to another clinic is refused, not shown the record', async () => {
    const a = await signUp(api);
    const body = preparation(a, '2026-12-28T16:00:00-05:00');
    const headers = { 'Idempotency-Key': `moved-${a}` };
    const first = await api.call('POST', '/v1/appointments', { as: frontdesk(), body, headers });
    expect(first.status).toBe(201);
    // the same sub, its token now for demo-tor
    const moved = await api.call('POST', '/v1/appointments', { as: { ...frontdesk('demo-tor'), sub: frontdesk().sub }, body, headers });
    expect([moved.status, moved.headers['idempotent-replayed']]).toEqual([403, undefined]);
    const again = await api.call('POST', '/v1/appointments', { as: frontdesk(), body, headers });
    expect([again.status, again.body.id]).toEqual([201, first.body.id]);
  });

  it('the same request sent five times at once with one key: one appointment, five 201 with its id', async () => {
    const a = await signUp(api);
    const body = preparation(a, '2026-12-28T15:00:00-05:00');
    const headers = { 'Idempotency-Key': `parallel-${a}` };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.call('POST', '/v1/appointments', { as: frontdesk(), body, headers })),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    const list = await api.call('GET', `/v1/clients/${a}/appointments`, { as: frontdesk() });
    expect(list.body).toHaveLength(1);
  });
});

describe('the front desk schedule', () => {
  it('lists the day with names and flags', async () => {
    const a = await signUp(api, { firstName: 'Dana', lastName: 'Whitfield' });
    await book(frontdesk(), { clientId: a, service: 'intake', providerId: THER2, startsAt: '2026-12-29T12:00:00-05:00' });
    const res = await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as: frontdesk(), query: { date: '2026-12-29' } });
    expect(res.status).toBe(200);
    const entry = res.body.appointments.find((e: { clientId: string }) => e.clientId === a);
    expect(entry).toMatchObject({
      client: { name: 'Dana Whitfield' },
      provider: { name: 'Jordan Reyes' },
      service: 'intake',
      status: 'booked',
    });
    expect(entry.flags).toContain('unpaid');
    expect(
      (await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as: frontdesk('demo-tor'), query: { date: '2026-12-29' } })).status,
    ).toBe(403);
    expect((await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as: admin, query: { date: '2026-12-29' } })).status).toBe(200);
  });
});

describe('clinic setup read from memory', () => {
  it('never books against a setup changed since it was cached', async () => {
    const a = await signUp(api);
    // warms the booking service's copy of demo-nyc's setup (policy: 24 h notice)
    expect(
      (await book(asClient(a), { clientId: a, service: 'preparation', mode: 'telehealth', startsAt: '2027-01-05T09:00:00-05:00' })).status,
    ).toBe(201);
    const patched = await api.call('PATCH', `/v1/clinics/${NYC}`, { as: admin, body: { policy: { minimumNoticeHours: 72 } } });
    expect(patched.status).toBe(200);
    // 50 h ahead: fine under the cached policy, refused under the current one
    const res = await book(asClient(a), { clientId: a, service: 'preparation', mode: 'telehealth', startsAt: '2026-12-03T09:00:00-05:00' });
    expect(res.status).toBe(422);
    expect(res.body.error.rule).toBe('minimum_notice');
    await api.call('PATCH', `/v1/clinics/${NYC}`, { as: admin, body: { policy: { minimumNoticeHours: 24 } } });
  });

  it('sees a policy eased after the setup was cached', async () => {
    const a = await signUp(api);
    await api.call('PATCH', `/v1/clinics/${NYC}`, { as: admin, body: { policy: { minimumNoticeHours: 72 } } });
    // 50 h ahead: refused under the copy read now (72 h notice)
    const startsAt = '2026-12-03T16:15:00-05:00';
    const refused = await book(asClient(a), { clientId: a, service: 'preparation', mode: 'telehealth', providerId: THER2, startsAt });
    expect([refused.status, refused.body.error.rule]).toEqual([422, 'minimum_notice']);
    await api.call('PATCH', `/v1/clinics/${NYC}`, { as: admin, body: { policy: { minimumNoticeHours: 24 } } });
    expect((await book(asClient(a), { clientId: a, service: 'preparation', mode: 'telehealth', providerId: THER2, startsAt })).status).toBe(
      201,
    );
  });

  it('sees a provider added after the setup was cached', async () => {
    const a = await signUp(api);
    const added = await api.call('POST', `/v1/clinics/${NYC}/providers`, {
      as: admin,
      body: {
        name: 'New Hire',
        role: 'therapist',
        credentials: 'LCSW',
        telehealth: true,
        weeklyHours: [{ day: 'wed', start: '09:00', end: '17:00' }],
      },
    });
    const res = await book(frontdesk(), {
      clientId: a,
      providerId: added.body.id,
      service: 'preparation',
      mode: 'telehealth',
      startsAt: '2026-12-09T09:00:00-05:00',
    });
    expect(res.status).toBe(201);
  });

  it('sees a room added after the setup was cached', async () => {
    const clinic = await api.call('POST', '/v1/clinics', {
      as: admin,
      body: { name: 'Room Added Clinic', timezone: 'America/Toronto', currency: 'CAD', country: 'CA' },
    });
    const id = clinic.body.id as string;
    const therapist = async (name: string) =>
      (
        await api.call('POST', `/v1/clinics/${id}/providers`, {
          as: admin,
          body: {
            name,
            role: 'therapist',
            credentials: 'RP',
            telehealth: false,
            weeklyHours: [{ day: 'wed', start: '09:00', end: '12:00' }],
          },
        })
      ).body.id as string;
    const [t1, t2] = [await therapist('First Therapist'), await therapist('Second Therapist')];
    const room1 = await api.call('POST', `/v1/clinics/${id}/rooms`, { as: admin, body: { name: 'Room 1', kind: 'therapy' } });
    const [a, b] = [await signUp(api, { clinicId: id }), await signUp(api, { clinicId: id })];
    const at = (startsAt: string, clientId: string, providerId: string) =>
      book(admin, { clinicId: id, clientId, providerId, service: 'intake', mode: 'in_person', startsAt });
    // warms the service's copy of the setup: one therapy room
    const first = await at('2027-01-06T10:00:00-05:00', a, t1);
    expect([first.status, first.body.roomId]).toEqual([201, room1.body.id]);
    const room2 = await api.call('POST', `/v1/clinics/${id}/rooms`, { as: admin, body: { name: 'Room 2', kind: 'therapy' } });
    const second = await at('2027-01-06T10:00:00-05:00', b, t2);
    expect([second.status, second.body.roomId]).toEqual([201, room2.body.id]);
  });

  it('answers 404 for a client of no or another clinic, even where its record is not read', async () => {
    const res = await book(frontdesk(), {
      clientId: 'cli_nobody',
      service: 'preparation',
      mode: 'telehealth',
      startsAt: '2026-12-09T11:00:00-05:00',
    });
    expect(res.status).toBe(404);
    const torClient = await signUp(api, { clinicId: 'demo-tor' });
    const cross = await book(admin, {
      clientId: torClient,
      service: 'preparation',
      mode: 'telehealth',
      startsAt: '2026-12-09T12:00:00-05:00',
    });
    expect(cross.status).toBe(404);
    // and nothing was reserved
    const b = await signUp(api);
    expect(
      (await book(frontdesk(), { clientId: b, service: 'preparation', mode: 'telehealth', startsAt: '2026-12-09T11:00:00-05:00' })).status,
    ).toBe(201);
  });
});
