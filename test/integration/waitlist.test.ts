// The waitlist (docs/api.md, "Waitlist (extension)") through the real scheduling function on
// DynamoDB Local: a client (or the desk) adds an entry, both see the times open for it now (those
// free for the practitioner, a room and the client), it answers "booked" once a session of its kind
// is booked in its dates and leaves the desk's list; every refusal writes nothing; every read and
// change is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, asClient, clinician, createTestApi, finance, frontdesk, signUp, type As, type TestApi } from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const THER1 = 'demo-nyc-ther-1'; // weekdays 09:00 to 17:00
const THER2 = 'demo-nyc-ther-2'; // Jordan Reyes: weekdays 10:00 to 18:00
const PRESC = 'demo-nyc-presc-1';
// the clock: 2026-12-01T12:00Z, 07:00 in New York

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => api.close());

const at = (day: number, hour: number, minute = 0) =>
  `2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00-05:00`;
const listPath = (clientId: string) => `/v1/clients/${clientId}/waitlist`;
const add = (clientId: string, body: Record<string, unknown>, as: As = asClient(clientId), headers?: Record<string, string>) =>
  api.call('POST', listPath(clientId), { as, body, ...(headers ? { headers } : {}) });
const list = (clientId: string, as: As = asClient(clientId)) => api.call('GET', listPath(clientId), { as });
const remove = (clientId: string, entryId: string, as: As = asClient(clientId)) =>
  api.call('POST', `${listPath(clientId)}/${entryId}/remove`, { as, body: {} });
const desk = (as: As = frontdesk()) => api.call('GET', `/v1/clinics/${NYC}/waitlist`, { as });
const book = (clientId: string, providerId: string, startsAt: string, service = 'preparation', mode = 'in_person') =>
  api.call('POST', '/v1/appointments', {
    as: frontdesk(),
    body: { clinicId: NYC, clientId, providerId, service, mode, startsAt },
  });
const waitlistItems = async (clientId?: string) =>
  (await api.items()).filter((i) => i.type === 'waitlist' && (clientId === undefined || i.clientId === clientId));

async function available(clientId: string, date: string, providerId: string): Promise<{ startsAt: string; endsAt: string }[]> {
  const q = `service=preparation&from=${date}&to=${date}&providerId=${providerId}`;
  const res = await api.call('GET', `/v1/clinics/${NYC}/availability?${q}`, { as: asClient(clientId) });
  expect(res.status).toBe(200);
  return res.body.slots;
}

describe('the waitlist', () => {
  it('is added by the client, listed with the times open now, seen by the desk, removed; every step audited', async () => {
    const clientId = await signUp(api);
    const res = await add(clientId, { service: 'preparation', providerId: THER2, from: '2026-12-14', to: '2026-12-18' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const entry = res.body.entry;
    expect(entry).toMatchObject({
      clinicId: NYC,
      clientId,
      service: 'preparation',
      mode: 'in_person',
      providerId: THER2,
      from: '2026-12-14',
      to: '2026-12-18',
      status: 'waiting',
    });
    expect(entry.openings.count).toBeGreaterThan(0);
    expect(entry.openings.first).toHaveLength(3);
    expect(entry.openings.first[0]).toMatchObject({ startsAt: at(14, 10), providerId: THER2 });

    const mine = await list(clientId);
    expect(mine.status).toBe(200);
    expect(mine.body.entries.map((e: { id: string }) => e.id)).toEqual([entry.id]);

    const seen = await desk();
    expect(seen.status).toBe(200);
    const row = seen.body.entries.find((e: { id: string }) => e.id === entry.id);
    expect(row).toMatchObject({ status: 'waiting', client: { id: clientId, name: expect.stringMatching(/^Test Person/) } });

    const removed = await remove(clientId, entry.id);
    expect(removed.status).toBe(200);
    expect(removed.body.entry).toMatchObject({ id: entry.id, from: '2026-12-14' });
    expect((await remove(clientId, entry.id)).status).toBe(404);
    expect((await list(clientId)).body.entries).toEqual([]);
    expect((await desk()).body.entries.some((e: { id: string }) => e.id === entry.id)).toBe(false);

    const trail = await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin });
    const actions = (trail.body.entries as { action: string; record: { type: string; id: string } }[]).map(
      (e) => `${e.action} ${e.record.type}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['waitlist.add waitlist', 'waitlist.read client', 'waitlist.list waitlist', 'waitlist.remove waitlist']),
    );
  });

  it('counts as open only times free for the practitioner, a room and the client itself', async () => {
    const clientId = await signUp(api);
    const other = await signUp(api);
    const day = '2026-12-15';
    const entryOf = async () => (await list(clientId)).body.entries[0];
    expect((await add(clientId, { service: 'preparation', providerId: THER2, from: day, to: day })).status).toBe(201);
    const before = await available(clientId, day, THER2);
    expect((await entryOf()).openings.count).toBe(before.length);

    // another client takes Jordan at 10:00: that time is gone from the entry as from availability
    expect((await book(other, THER2, at(15, 10))).status).toBe(201);
    const afterOther = await available(clientId, day, THER2);
    expect(afterOther.length).toBeLessThan(before.length);
    expect((await entryOf()).openings.count).toBe(afterOther.length);

    // the client's own video session with another therapist at 14:00: Jordan and the room are free then, the client is not
    expect((await book(clientId, THER1, at(15, 14), 'ongoing_care', 'telehealth')).status).toBe(201);
    const forJordan = await available(clientId, day, THER2);
    expect(forJordan.some((s) => s.startsAt === at(15, 14))).toBe(true);
    const clash = (s: { startsAt: string; endsAt: string }) =>
      Date.parse(s.startsAt) < Date.parse(at(15, 15)) && Date.parse(s.endsAt) > Date.parse(at(15, 14));
    expect((await entryOf()).openings.count).toBe(forJordan.filter((s) => !clash(s)).length);
  });

  it('answers booked once a session of its kind is booked in its dates, and leaves the desk list', async () => {
    const clientId = await signUp(api);
    const res = await add(clientId, { service: 'preparation', from: '2026-12-21', to: '2026-12-23' });
    expect(res.body.entry.providerId).toBeNull();
    // a session of another kind in its dates answers nothing
    expect((await book(clientId, THER1, at(22, 9), 'ongoing_care')).status).toBe(201);
    expect((await list(clientId)).body.entries[0].status).toBe('waiting');
    // with any practitioner: the wish is met
    expect((await book(clientId, THER2, at(22, 15))).status).toBe(201);
    const [entry] = (await list(clientId)).body.entries;
    expect(entry).toMatchObject({ id: res.body.entry.id, status: 'booked', openings: null });
    expect((await desk()).body.entries.some((e: { id: string }) => e.id === entry.id)).toBe(false);
  });

  it('refuses what is wrong, field by field, and writes nothing', async () => {
    const clientId = await signUp(api);
    const cases: [Record<string, unknown>, number, string | Record<string, unknown>][] = [
      [{ service: 'preparation', from: '2026-12-18', to: '2026-12-14', extra: 1 }, 400, 'extra,to'],
      [{ service: 'massage', from: '2026-12-14', to: '2026-12-18' }, 400, 'service'],
      [{ service: 'preparation', from: '2026-12-14', to: '2027-01-14' }, 400, 'to'], // 32 days
      [{ service: 'preparation', from: '2026-11-20', to: '2026-11-30' }, 400, 'to'], // over
      [{ service: 'preparation', from: '2027-03-02', to: '2027-03-05' }, 400, 'from'], // beyond a client's 90 days
      [{ service: 'preparation', mode: 'video', from: '2026-12-14', to: '2026-12-18' }, 400, 'mode'],
      [{ service: 'preparation', providerId: PRESC, from: '2026-12-14', to: '2026-12-18' }, 400, 'providerId'],
      [{ service: 'exploration', mode: 'telehealth', from: '2026-12-14', to: '2026-12-18' }, 422, { rule: 'telehealth_not_allowed' }],
      [{ service: 'preparation', providerId: 'nobody', from: '2026-12-14', to: '2026-12-18' }, 404, { code: 'not_found' }],
    ];
    for (const [body, status, what] of cases) {
      const res = await add(clientId, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      if (typeof what === 'string') {
        expect(res.body.error.code).toBe('validation_failed');
        expect(
          res.body.error.details
            .map((d: { path: string }) => d.path)
            .sort()
            .join(','),
          JSON.stringify(body),
        ).toBe(what);
      } else expect(res.body.error).toMatchObject(what);
    }
    expect(await waitlistItems(clientId)).toEqual([]);
    // the desk may ask beyond the client's booking window (it books there too)
    expect((await add(clientId, { service: 'preparation', from: '2027-03-02', to: '2027-03-05' }, frontdesk())).status).toBe(201);
  });

  it('a practitioner who does not see clients by video is refused for a video session', async () => {
    const clientId = await signUp(api, { clinicId: 'demo-tor', phone: '+14165550123' });
    const res = await add(clientId, {
      service: 'preparation',
      mode: 'telehealth',
      providerId: 'demo-tor-ther-2',
      from: '2026-12-14',
      to: '2026-12-18',
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'rule_violated', rule: 'telehealth_not_allowed' });
    expect(await waitlistItems(clientId)).toEqual([]);
  });

  it('asks from today when its first date has passed', async () => {
    const clientId = await signUp(api);
    const res = await add(clientId, { service: 'integration', from: '2026-11-25', to: '2026-12-03' });
    expect(res.status).toBe(201);
    expect(res.body.entry).toMatchObject({ from: '2026-12-01', to: '2026-12-03' });
  });

  it('keeps at most 5 waiting at once; booked ones do not count', async () => {
    const clientId = await signUp(api);
    const days = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-14'];
    for (const d of days.slice(0, 5)) expect((await add(clientId, { service: 'preparation', from: d, to: d })).status).toBe(201);
    const sixth = await add(clientId, { service: 'preparation', from: days[5], to: days[5] });
    expect(sixth.status).toBe(409);
    expect(sixth.body.error.code).toBe('conflict');
    expect(await waitlistItems(clientId)).toHaveLength(5);
    // one of them booked: it no longer waits, and another may
    expect((await book(clientId, THER1, at(7, 11))).status).toBe(201);
    expect((await add(clientId, { service: 'preparation', from: days[5], to: days[5] })).status).toBe(201);
  });

  it('keeps the limit of 5 when adds arrive at one instant', async () => {
    const clientId = await signUp(api);
    for (const d of ['2026-12-07', '2026-12-08', '2026-12-09']) {
      expect((await add(clientId, { service: 'preparation', from: d, to: d })).status).toBe(201);
    }
    // six at once, for a client with three waiting: two fit, whichever they are
    const days = ['2026-12-14', '2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18', '2026-12-21'];
    const answers = await Promise.all(days.map((d) => add(clientId, { service: 'integration', from: d, to: d })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 409, 409, 409, 409]);
    const stored = await waitlistItems(clientId);
    expect(stored).toHaveLength(5);
    const created = answers.filter((a) => a.status === 201).map((a) => a.body.entry.id);
    expect(stored.map((i) => i.id)).toEqual(expect.arrayContaining(created));
    expect((await list(clientId)).body.entries).toHaveLength(5);
  });

  it('adds once per Idempotency-Key', async () => {
    const clientId = await signUp(api);
    const body = { service: 'ongoing_care', from: '2026-12-28', to: '2026-12-30' };
    const headers = { 'idempotency-key': `wait-${clientId}` };
    const [a, b] = [await add(clientId, body, asClient(clientId), headers), await add(clientId, body, asClient(clientId), headers)];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.entry.id).toBe(a.body.entry.id);
    expect(await waitlistItems(clientId)).toHaveLength(1);
  });

  it('is the client’s own and its clinic’s: others are refused; the clinic list is the desk’s', async () => {
    const clientId = await signUp(api);
    const other = await signUp(api);
    const res = await add(clientId, { service: 'preparation', from: '2026-12-14', to: '2026-12-18' });
    expect((await add(clientId, { service: 'preparation', from: '2026-12-14', to: '2026-12-18' }, asClient(other))).status).toBe(403);
    expect((await list(clientId, asClient(other))).status).toBe(403);
    expect((await remove(clientId, res.body.entry.id, asClient(other))).status).toBe(403);
    expect((await list(clientId, frontdesk('demo-tor'))).status).toBe(403);
    // another client's path with this client's entry id: no such entry of theirs
    expect((await remove(other, res.body.entry.id, asClient(other))).status).toBe(404);
    for (const as of [clinician(), finance()]) expect((await list(clientId, as)).status).toBe(200);
    for (const as of [clinician(), finance(), asClient(clientId), frontdesk('demo-tor')]) expect((await desk(as)).status).toBe(403);
    expect((await desk(admin)).status).toBe(200);
    expect(await waitlistItems(clientId)).toHaveLength(1);
  });
});
