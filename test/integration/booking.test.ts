// The course of care through the API on DynamoDB Local: intake, clearance, preparation,
// exploration, integration; moving, cancelling and the status machine.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

    // an exploration before anything else: the first rule in the contract's order is reported
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
    const scope = `${frontdesk().sub}#POST /v1/appointments`;
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
