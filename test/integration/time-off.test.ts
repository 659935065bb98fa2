// A provider's time off (docs/api.md, "Time off (extension)") through the real scheduling function
// on DynamoDB Local: the desk adds, lists and removes it; nobody books the provider in it, staff
// included; availability leaves it out; sessions already booked in it are answered for the desk
// to move; every refusal writes nothing; a booking racing the time off either lands before it
// (and is answered as held) or is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, asClient, clinician, createTestApi, finance, frontdesk, signUp, type As, type TestApi } from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const THER2 = 'demo-nyc-ther-2'; // Jordan Reyes: weekdays 10:00 to 18:00, New York
const TOR_THER = 'demo-tor-ther-1';
const addPath = (providerId = THER2, clinicId = NYC) => `/v1/clinics/${clinicId}/providers/${providerId}/time-off`;

let api: TestApi;
let clientId: string;
beforeAll(async () => {
  api = await createTestApi();
  clientId = await signUp(api);
});
afterAll(async () => api.close());

const at = (day: number, hour: number, minute = 0) =>
  `2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00-05:00`;

const add = (body: Record<string, unknown>, as: As = frontdesk(), providerId = THER2) =>
  api.call('POST', addPath(providerId), { as, body });
const book = (startsAt: string, as: As = frontdesk(), who = clientId) =>
  api.call('POST', '/v1/appointments', {
    as,
    body: { clinicId: NYC, clientId: who, providerId: THER2, service: 'preparation', mode: 'in_person', startsAt },
  });
const timeOffItems = async () => (await api.items()).filter((i) => i.type === 'time_off');
const appointmentItems = async () => (await api.items()).filter((i) => i.type === 'appointment');
const clinicVersion = async () => (await api.items()).find((i) => i.type === 'clinic' && i.id === NYC)?.version as number;

async function starts(date: string, as?: As): Promise<string[]> {
  const q = `service=preparation&from=${date}&to=${date}&providerId=${THER2}`;
  const res = await api.call('GET', `/v1/clinics/${NYC}/availability?${q}`, as ? { as } : {});
  expect(res.status).toBe(200);
  return (res.body.slots as { startsAt: string }[]).map((s) => s.startsAt.slice(11, 16));
}

describe('POST /v1/clinics/{clinicId}/providers/{providerId}/time-off', () => {
  it('takes the span out of availability and out of bookings, for staff too; removing it gives it back', async () => {
    expect(await starts('2026-12-15')).toContain('11:00');
    const versionBefore = await clinicVersion();
    const res = await add({ startsAt: at(15, 10), endsAt: at(15, 14), label: 'Conference' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      timeOff: { clinicId: NYC, providerId: THER2, startsAt: at(15, 10), endsAt: at(15, 14), label: 'Conference' },
      held: [],
    });
    // part of the setup: a booking checked against a cached copy fails at commit
    expect(await clinicVersion()).toBe(versionBefore + 1);

    // 60-minute sessions: nothing starting 09:xx–13:xx; 14:00 again (Jordan starts at 10:00)
    const free = await starts('2026-12-15');
    expect(free.filter((t) => t < '14:00')).toEqual([]);
    expect(free).toContain('14:00');

    const before = (await appointmentItems()).length;
    for (const as of [frontdesk(), admin, asClient(clientId)]) {
      const refused = await book(at(15, 11), as);
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'rule_violated', rule: 'outside_hours' });
    }
    // a session overlapping its end by 15 minutes is refused too; one starting at its end is not
    expect((await book(at(15, 13, 15))).body.error?.rule).toBe('outside_hours');
    expect((await appointmentItems()).length).toBe(before);

    const removed = await api.call('POST', `/v1/clinics/${NYC}/time-off/${res.body.timeOff.id}/remove`, { as: frontdesk(), body: {} });
    expect(removed.status).toBe(200);
    expect(removed.body.timeOff.id).toBe(res.body.timeOff.id);
    expect(await clinicVersion()).toBe(versionBefore + 2);
    expect(await starts('2026-12-15')).toContain('11:00');
    expect((await book(at(15, 11))).status).toBe(201);

    const again = await api.call('POST', `/v1/clinics/${NYC}/time-off/${res.body.timeOff.id}/remove`, { as: frontdesk(), body: {} });
    expect(again.status).toBe(404);
  });

  it('answers the sessions already booked in it, by start, and leaves them booked', async () => {
    const late = await book(at(16, 16));
    const early = await book(at(16, 12));
    const outside = await book(at(16, 10));
    expect([late.status, early.status, outside.status]).toEqual([201, 201, 201]);
    const res = await add({ startsAt: at(16, 11, 30), endsAt: at(16, 18) }, admin);
    expect(res.status).toBe(201);
    expect(res.body.timeOff.label).toBeNull();
    expect(res.body.held).toEqual([
      { id: early.body.id, providerId: THER2, startsAt: at(16, 12), endsAt: at(16, 13) },
      { id: late.body.id, providerId: THER2, startsAt: at(16, 16), endsAt: at(16, 17) },
    ]);
    const still = await api.call('GET', `/v1/appointments/${early.body.id}`, { as: frontdesk() });
    expect(still.body.status).toBe('booked');
  });

  it.each([
    ['ends before it starts', { startsAt: at(17, 14), endsAt: at(17, 12) }, 'endsAt'],
    ['ends as it starts', { startsAt: at(17, 14), endsAt: at(17, 14) }, 'endsAt'],
    ['off the grid', { startsAt: at(17, 14, 5), endsAt: at(17, 16) }, 'startsAt'],
    ['already over', { startsAt: '2026-11-30T10:00:00-05:00', endsAt: '2026-11-30T12:00:00-05:00' }, 'endsAt'],
    ['longer than 93 days', { startsAt: at(17, 10), endsAt: '2027-03-21T10:00:00-04:00' }, 'endsAt'],
    ['a label too long', { startsAt: at(17, 10), endsAt: at(17, 12), label: 'x'.repeat(61) }, 'label'],
    ['no offset', { startsAt: '2026-12-17T10:00:00', endsAt: at(17, 12) }, 'startsAt'],
    ['missing end', { startsAt: at(17, 10) }, 'endsAt'],
  ])('400 validation_failed when it %s, on that field only; nothing written', async (_name, body, field) => {
    const before = await clinicVersion();
    const count = (await timeOffItems()).length;
    const res = await add(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([field]);
    expect(await timeOffItems()).toHaveLength(count);
    expect(await clinicVersion()).toBe(before);
  });

  it('400 names every field at fault at once: an end before the start and a label too long', async () => {
    const count = (await timeOffItems()).length;
    const res = await add({ startsAt: at(17, 14), endsAt: at(17, 12), label: 'x'.repeat(61) });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['endsAt', 'label']);
    expect(await timeOffItems()).toHaveLength(count);
  });

  it('400 on an unknown field; 404 for a provider the clinic does not have; nothing written', async () => {
    const count = (await timeOffItems()).length;
    expect((await add({ startsAt: at(17, 10), endsAt: at(17, 12), reason: 'flu' })).status).toBe(400);
    expect((await add({ startsAt: at(17, 10), endsAt: at(17, 12) }, frontdesk(), 'nobody')).status).toBe(404);
    // another clinic's provider, under this clinic's path
    expect((await add({ startsAt: at(17, 10), endsAt: at(17, 12) }, admin, TOR_THER)).status).toBe(404);
    expect(await timeOffItems()).toHaveLength(count);
  });

  it('only the desk and admin add or remove it; other staff read it; clients and other clinics do not', async () => {
    const body = { startsAt: at(18, 10), endsAt: at(18, 11) };
    const count = (await timeOffItems()).length;
    for (const as of [clinician(), finance(), asClient(clientId), frontdesk('demo-tor')]) expect((await add(body, as)).status).toBe(403);
    expect((await api.call('POST', addPath(), { body })).status).toBe(401);
    expect(await timeOffItems()).toHaveLength(count);

    const made = await add(body);
    expect(made.status).toBe(201);
    const list = `/v1/clinics/${NYC}/time-off?from=2026-12-18&to=2026-12-18`;
    for (const as of [frontdesk(), clinician(), finance(), admin]) {
      const res = await api.call('GET', list, { as });
      expect(res.status).toBe(200);
      expect(res.body.timeOff.map((t: { id: string }) => t.id)).toEqual([made.body.timeOff.id]);
    }
    for (const as of [asClient(clientId), frontdesk('demo-tor')]) expect((await api.call('GET', list, { as })).status).toBe(403);
    expect((await api.call('GET', list)).status).toBe(401);

    const remove = `/v1/clinics/${NYC}/time-off/${made.body.timeOff.id}/remove`;
    for (const as of [clinician(), finance(), frontdesk('demo-tor')])
      expect((await api.call('POST', remove, { as, body: {} })).status).toBe(403);
    expect(await timeOffItems()).toHaveLength(count + 1);
  });

  it('lists what overlaps the clinic-local dates asked, by start; 400 on a range the wrong way round', async () => {
    const a = await add({ startsAt: at(21, 16), endsAt: '2026-12-22T11:00:00-05:00' });
    const b = await add({ startsAt: at(21, 10), endsAt: at(21, 11) });
    const c = await add({ startsAt: at(23, 10), endsAt: at(23, 11) });
    const list = async (from: string, to: string) =>
      (await api.call('GET', `/v1/clinics/${NYC}/time-off?from=${from}&to=${to}`, { as: frontdesk() })).body.timeOff.map(
        (t: { id: string }) => t.id,
      );
    expect(await list('2026-12-21', '2026-12-21')).toEqual([b.body.timeOff.id, a.body.timeOff.id]);
    expect(await list('2026-12-22', '2026-12-22')).toEqual([a.body.timeOff.id]);
    expect(await list('2026-12-22', '2026-12-23')).toEqual([a.body.timeOff.id, c.body.timeOff.id]);
    const wrong = await api.call('GET', `/v1/clinics/${NYC}/time-off?from=2026-12-23&to=2026-12-21`, { as: frontdesk() });
    expect(wrong.status).toBe(400);
  });

  it('stores each entry to expire a week after it ends', async () => {
    const res = await add({ startsAt: at(24, 10), endsAt: at(24, 12) });
    const item = (await timeOffItems()).find((i) => i.id === res.body.timeOff.id);
    expect(item?.expiresAt).toBe(Date.parse(at(24, 12)) / 1000 + 7 * 86_400);
  });
});

describe('POST /v1/clinics/{clinicId}/time-off (the clinic closed)', () => {
  const close = (body: Record<string, unknown>, as: As = frontdesk()) => api.call('POST', `/v1/clinics/${NYC}/time-off`, { as, body });
  const anyStarts = async (date: string) => {
    const res = await api.call('GET', `/v1/clinics/${NYC}/availability?service=preparation&from=${date}&to=${date}`);
    expect(res.status).toBe(200);
    return res.body.slots as { startsAt: string; providerId: string }[];
  };

  it("binds every practitioner, one added after it too; answers every practitioner's sessions held in it", async () => {
    expect((await anyStarts('2026-12-29')).length).toBeGreaterThan(0);
    const providersOpen = new Set((await anyStarts('2026-12-29')).map((s) => s.providerId));
    expect(providersOpen.size).toBeGreaterThan(1);
    const held = await book(at(29, 12));
    expect(held.status).toBe(201);

    const res = await close({ startsAt: at(29, 0), endsAt: at(30, 0), label: 'Holiday' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      timeOff: { clinicId: NYC, providerId: null, startsAt: at(29, 0), endsAt: at(30, 0), label: 'Holiday' },
      held: [{ id: held.body.id, providerId: THER2, startsAt: at(29, 12), endsAt: at(29, 13) }],
    });
    const listed = await api.call('GET', `/v1/clinics/${NYC}/time-off?from=2026-12-29&to=2026-12-29`, { as: clinician() });
    expect(listed.body.timeOff.map((t: { id: string; providerId: string | null }) => [t.id, t.providerId])).toEqual([
      [res.body.timeOff.id, null],
    ]);

    // nobody is offered or booked that day, staff included; the next day is as before
    expect(await anyStarts('2026-12-29')).toEqual([]);
    expect((await anyStarts('2026-12-30')).length).toBeGreaterThan(0);
    const refused = await book(at(29, 15), admin);
    expect(refused.status).toBe(422);
    expect(refused.body.error?.rule).toBe('outside_hours');

    // a practitioner added after the closure is closed too
    const added = await api.call('POST', `/v1/clinics/${NYC}/providers`, {
      as: admin,
      body: {
        name: 'Rowan Later',
        role: 'therapist',
        credentials: 'LMFT',
        telehealth: true,
        weeklyHours: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, start: '08:00', end: '20:00' })),
      },
    });
    expect(added.status).toBe(201);
    const later = (startsAt: string) =>
      api.call('POST', '/v1/appointments', {
        as: frontdesk(),
        body: { clinicId: NYC, clientId, providerId: added.body.id, service: 'preparation', mode: 'telehealth', startsAt },
      });
    const laterRefused = await later(at(29, 9));
    expect(laterRefused.status).toBe(422);
    expect(laterRefused.body.error?.rule).toBe('outside_hours');

    // removed: the day is open again, for the later practitioner too
    const removed = await api.call('POST', `/v1/clinics/${NYC}/time-off/${res.body.timeOff.id}/remove`, { as: frontdesk(), body: {} });
    expect(removed.status).toBe(200);
    expect(removed.body.timeOff.providerId).toBeNull();
    expect(new Set((await anyStarts('2026-12-29')).map((s) => s.providerId))).toContain(added.body.id);
    expect((await later(at(29, 9))).status).toBe(201);
  });

  it('400 field by field and nothing written; only the desk and admin close the clinic', async () => {
    const count = (await timeOffItems()).length;
    const bad = await close({ startsAt: at(30, 14), endsAt: at(30, 12), label: 'x'.repeat(61) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['endsAt', 'label']);
    const offGrid = await close({ startsAt: at(30, 14, 5), endsAt: at(30, 16) });
    expect(offGrid.body.error.details.map((d: { path: string }) => d.path)).toEqual(['startsAt']);
    expect((await close({ startsAt: at(30, 10), endsAt: at(30, 12), providerId: THER2 })).status).toBe(400);
    expect((await close({ startsAt: '2026-11-02T10:00:00-05:00', endsAt: '2026-11-02T12:00:00-05:00' })).status).toBe(400);
    const body = { startsAt: at(30, 10), endsAt: at(30, 11) };
    for (const as of [clinician(), finance(), asClient(clientId), frontdesk('demo-tor')]) expect((await close(body, as)).status).toBe(403);
    expect((await api.call('POST', `/v1/clinics/${NYC}/time-off`, { body })).status).toBe(401);
    expect(await timeOffItems()).toHaveLength(count);
    expect((await close(body, admin)).status).toBe(201);
    expect(await timeOffItems()).toHaveLength(count + 1);
  });
});

describe('a booking racing new time off', () => {
  it('either lands first and is answered as held, or is refused: never booked in it unseen', async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, () => signUp(api)));
    const [added, ...bookings] = await Promise.all([
      add({ startsAt: at(28, 10), endsAt: at(28, 18) }),
      ...clients.map((c, i) => book(at(28, 10 + i), frontdesk(), c)),
    ]);
    expect(added.status).toBe(201);
    const held = new Set((added.body.held as { id: string }[]).map((h) => h.id));
    for (const b of bookings) {
      if (b.status === 201) expect(held.has(b.body.id)).toBe(true);
      else expect(b.body.error).toMatchObject({ code: 'rule_violated', rule: 'outside_hours' });
    }
    const booked = (await appointmentItems()).filter((i) => i.providerId === THER2 && i.status === 'booked');
    const inSpan = booked.filter(
      (i) => (i.startsAt as number) >= Date.parse(at(28, 10)) && (i.startsAt as number) < Date.parse(at(28, 18)),
    );
    expect(inSpan.map((i) => i.id).sort()).toEqual([...held].sort());
  });
});
