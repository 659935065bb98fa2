// The signed-in client's record (web/src/lib/client-data.ts) is read again each time a page asks
// for it: a copy kept for the tab's life showed, and the Profile sent back, what the front desk
// or a clinician had changed since (a ride-home phone, a clearance). Parts of one page asking at
// the same moment share one read.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../src/api/client.ts';
import { clientRecord, forgetClients } from '../src/lib/client-data.ts';

/** A fetch answering GET /v1/clients/{id} with the record's ride-home phone as it is on the server at each call. */
function serverWith(phones: string[]) {
  const fetch = vi.fn(async () => {
    const phone = phones.shift() ?? 'none left';
    return new Response(JSON.stringify({ id: 'cl_1', rideHome: { name: 'Sam', phone } }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const api = () => createApi({ baseUrl: 'http://app.test', token: () => 'token', onUnauthenticated: async () => null });

afterEach(() => {
  forgetClients();
  vi.unstubAllGlobals();
});

describe('the client’s record', () => {
  it('is read again by the next page: a change made meanwhile shows', async () => {
    const fetch = serverWith(['+16465550199', '+16465550123']);
    const a = api();
    expect((await clientRecord(a, 'cl_1')).rideHome?.phone).toBe('+16465550199');
    expect((await clientRecord(a, 'cl_1')).rideHome?.phone).toBe('+16465550123');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('is read once for the parts of a page that ask at the same moment', async () => {
    const fetch = serverWith(['+16465550199', '+16465550123']);
    const a = api();
    const [one, two] = await Promise.all([clientRecord(a, 'cl_1'), clientRecord(a, 'cl_1')]);
    expect(one).toBe(two);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('a failed read is not kept', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(new Response('{}', { status: 503 }))
      .mockResolvedValueOnce(new Response(JSON.stringify({ id: 'cl_1', rideHome: null }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const a = api();
    await expect(clientRecord(a, 'cl_1')).rejects.toMatchObject({ status: 503 });
    expect((await clientRecord(a, 'cl_1')).rideHome).toBeNull();
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
