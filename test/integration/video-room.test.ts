// A practitioner's video room link (docs/api.md, "Video room link (extension)"): PUT …/video-room through the
// real scheduling function on DynamoDB Local. Admin sets, changes and clears it; every refusal
// writes nothing; the public provider list never shows it to anonymous callers or clients; an
// appointment's `videoUrl` is the link only on a video session still to be held.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, asClient, clinician, createTestApi, finance, frontdesk, signUp, type As, type TestApi } from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const THER2 = 'demo-nyc-ther-2';
const TOR_THER = 'demo-tor-ther-1';
const ROOM = 'https://doxy.me/jordan-reyes';
const path = (providerId = THER2, clinicId = NYC) => `/v1/clinics/${clinicId}/providers/${providerId}/video-room`;

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => api.close());

const setRoom = (url: string | null, as = admin) => api.call('PUT', path(), { as, body: { url } });

type Listed = { id: string; videoRoomUrl?: string | null };
const listed = async (as?: As) => {
  const res = await api.call('GET', `/v1/clinics/${NYC}/providers`, as ? { as } : {});
  expect(res.status).toBe(200);
  return res.body as Listed[];
};

const clinicVersion = async () => (await api.items()).find((i) => i.type === 'clinic' && i.id === NYC)?.version as number;

// A distinct hour for every session of this file (Jordan Reyes works weekdays 10:00 to 18:00).
let nextSlot = 0;
function freeStart(): string {
  const n = nextSlot++;
  return `2026-12-${String(14 + Math.floor(n / 7)).padStart(2, '0')}T${String(10 + (n % 7)).padStart(2, '0')}:00:00-05:00`;
}

async function book(clientId: string, mode: 'telehealth' | 'in_person') {
  const res = await api.call('POST', '/v1/appointments', {
    as: frontdesk(),
    body: { clinicId: NYC, clientId, providerId: THER2, service: 'preparation', mode, startsAt: freeStart() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; videoUrl: string | null };
}

describe('PUT /v1/clinics/{clinicId}/providers/{providerId}/video-room', () => {
  it('admin sets, changes and clears the link; the answer is the provider as staff see it', async () => {
    const versionBefore = await clinicVersion();
    const set = await setRoom(ROOM);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: THER2, clinicId: NYC, name: 'Jordan Reyes', videoRoomUrl: ROOM });
    expect((await listed(admin)).find((p) => p.id === THER2)?.videoRoomUrl).toBe(ROOM);
    // part of the setup: a cached copy knows it is stale (docs/decisions.md, "Clinic setup cached")
    expect(await clinicVersion()).toBe(versionBefore + 1);

    const changed = await setRoom('https://us02web.zoom.us/j/1234567890?pwd=abc');
    expect(changed.body.videoRoomUrl).toBe('https://us02web.zoom.us/j/1234567890?pwd=abc');
    expect((await listed(frontdesk())).find((p) => p.id === THER2)?.videoRoomUrl).toBe('https://us02web.zoom.us/j/1234567890?pwd=abc');

    const cleared = await setRoom(null);
    expect(cleared.status).toBe(200);
    expect(cleared.body.videoRoomUrl).toBeNull();
    expect((await listed(clinician())).find((p) => p.id === THER2)?.videoRoomUrl).toBeNull();
    // clearing what is clear is no error
    expect((await setRoom(null)).status).toBe(200);
  });

  it.each([
    ['http:', { url: 'http://doxy.me/jordan-reyes' }],
    ['javascript:', { url: 'javascript:alert(1)' }],
    ['spaces', { url: 'https://doxy.me/jordan reyes' }],
    ['too long', { url: `https://doxy.me/${'x'.repeat(490)}` }],
    ['user:pass@', { url: 'https://user:pass@doxy.me/jordan-reyes' }],
    ['a host without a dot', { url: 'https://localhost/room' }],
    ['not a string', { url: 42 }],
    ['no url', {}],
  ])('400 validation_failed on url (%s), nothing written', async (_name, body) => {
    const before = await api.items();
    const res = await api.call('PUT', path(), { as: admin, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['url']);
    expect(await api.items()).toEqual(before);
  });

  it('400 on an unknown field, nothing written', async () => {
    const before = await api.items();
    const res = await api.call('PUT', path(), { as: admin, body: { url: ROOM, label: 'Room' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(await api.items()).toEqual(before);
  });

  it.each([
    ['front desk', frontdesk()],
    ['clinician', clinician()],
    ['finance', finance()],
    ['a client', asClient('cli_someone')],
  ])('403 for %s, nothing written', async (_name, as) => {
    const before = await api.items();
    const res = await api.call('PUT', path(), { as, body: { url: ROOM } });
    expect(res.status).toBe(403);
    expect(await api.items()).toEqual(before);
  });

  it('401 without a token', async () => {
    expect((await api.call('PUT', path(), { body: { url: ROOM } })).status).toBe(401);
  });

  it('404 for a provider of another clinic and an unknown one, nothing written', async () => {
    const before = await api.items();
    for (const providerId of [TOR_THER, 'prv_nobody']) {
      const res = await api.call('PUT', path(providerId), { as: admin, body: { url: ROOM } });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await api.call('PUT', path(THER2, 'no-such-clinic'), { as: admin, body: { url: ROOM } })).status).toBe(404);
    expect(await api.items()).toEqual(before);
  });
});

describe('who sees the link', () => {
  it('the public provider list never shows it to anonymous callers, clients or another clinic’s staff', async () => {
    await setRoom(ROOM);
    const clientId = await signUp(api);
    for (const as of [undefined, asClient(clientId), frontdesk('demo-tor')]) {
      for (const p of await listed(as)) expect(p).not.toHaveProperty('videoRoomUrl');
    }
    expect((await listed(finance())).find((p) => p.id === THER2)?.videoRoomUrl).toBe(ROOM);
  });

  it('a video session carries the link; one in person, a cancelled one and, after clearing, none', async () => {
    await setRoom(ROOM);
    const clientId = await signUp(api);
    const video = await book(clientId, 'telehealth');
    const inPerson = await book(clientId, 'in_person');
    expect(video.videoUrl).toBe(ROOM);
    expect(inPerson.videoUrl).toBeNull();

    // the client, on its own appointments: the one and the list
    const own = await api.call('GET', `/v1/appointments/${video.id}`, { as: asClient(clientId) });
    expect(own.body.videoUrl).toBe(ROOM);
    const list = await api.call('GET', `/v1/clients/${clientId}/appointments`, { as: asClient(clientId) });
    const byId = new Map(list.body.map((a: { id: string; videoUrl: string | null }) => [a.id, a.videoUrl]));
    expect(byId.get(video.id)).toBe(ROOM);
    expect(byId.get(inPerson.id)).toBeNull();
    // another client never reads it (the route's own rule)
    expect((await api.call('GET', `/v1/appointments/${video.id}`, { as: asClient('cli_other') })).status).toBe(403);

    // the staff's day
    const day = await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as: clinician(), query: { date: '2026-12-14' } });
    const entry = day.body.appointments.find((a: { id: string }) => a.id === video.id);
    expect(entry.videoUrl).toBe(ROOM);

    const cancelled = await api.call('POST', `/v1/appointments/${video.id}/cancel`, {
      as: frontdesk(),
      body: { reason: 'client_request' },
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.videoUrl).toBeNull();

    const another = await book(clientId, 'telehealth');
    expect(another.videoUrl).toBe(ROOM);
    await setRoom(null);
    expect((await api.call('GET', `/v1/appointments/${another.id}`, { as: asClient(clientId) })).body.videoUrl).toBeNull();
  });
});
