// What the API client (web/src/api/client.ts) does after a 401 to a call that carried the stored
// token, against a fetch that records what was sent: the app renews the token (onUnauthenticated
// resolves to the new one) and the call — a write too, with its body and Idempotency-Key — is
// sent once more with it; without a renewal a read goes again without a token and a write does
// not go again; a resend refused too is not tried a third time. And the token a refused call may
// be sent again with is only ever the same person's (auth/session.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi, ok, resendAfter401 } from '../src/api/client.ts';
import { successorOf } from '../src/auth/session.ts';

const b64url = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (sub: string, iat: number) => `${b64url({ alg: 'none' })}.${b64url({ sub, iat, exp: iat + 3600 })}.sig`;
const OLD = jwt('person-a', 1_000);
const RENEWED = jwt('person-a', 2_000);

interface Sent {
  method: string;
  url: string;
  authorization: string | null;
  idempotencyKey: string | null;
  body: string;
}

/** A fetch answering each call in turn with the statuses given (then 200), recording what was sent. */
function fakeFetch(statuses: number[]) {
  const sent: Sent[] = [];
  const fetch = vi.fn(async (input: Request) => {
    sent.push({
      method: input.method,
      url: input.url,
      authorization: input.headers.get('authorization'),
      idempotencyKey: input.headers.get('idempotency-key'),
      body: await input.text(),
    });
    const status = statuses.shift() ?? 200;
    const body = status === 401 ? { error: { code: 'unauthenticated', message: 'A valid bearer token is required' } } : { id: 'apt_1' };
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return sent;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const BOOKING = {
  clientId: 'cli_1',
  clinicId: 'demo-nyc',
  service: 'intake' as const,
  providerId: 'prv_1',
  startsAt: '2026-12-07T15:00:00.000Z',
  mode: 'in_person' as const,
};

/** An API whose stored token is OLD until onUnauthenticated answers `renewed` (and stores it). */
function apiWith(renewals: (string | null)[]) {
  let stored: string | null = OLD;
  const onUnauthenticated = vi.fn(async () => {
    const next = renewals.shift() ?? null;
    stored = next;
    return next;
  });
  const api = createApi({ baseUrl: 'http://api.test', token: () => stored, onUnauthenticated });
  return { api, onUnauthenticated };
}

const book = (api: ReturnType<typeof createApi>) =>
  ok(api.POST('/v1/appointments', { headers: { 'Idempotency-Key': 'key-1' }, body: BOOKING }));

describe('a write refused with 401', () => {
  it('is sent once more, with the same body and Idempotency-Key and the renewed token, when the token is renewed', async () => {
    const sent = fakeFetch([401, 201]);
    const { api, onUnauthenticated } = apiWith([RENEWED]);
    await expect(book(api)).resolves.toEqual({ id: 'apt_1' });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    expect(onUnauthenticated).toHaveBeenCalledWith(OLD);
    expect(sent).toHaveLength(2);
    expect(sent.map((s) => s.authorization)).toEqual([`Bearer ${OLD}`, `Bearer ${RENEWED}`]);
    expect(sent[1]).toMatchObject({ method: 'POST', url: sent[0]!.url, idempotencyKey: 'key-1', body: sent[0]!.body });
    expect(JSON.parse(sent[1]!.body)).toEqual(BOOKING);
  });

  it('is not sent again without a renewal: the 401 reaches the page', async () => {
    const sent = fakeFetch([401]);
    const { api, onUnauthenticated } = apiWith([null]);
    await expect(book(api)).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    expect(sent).toHaveLength(1);
  });

  it('refused again with the renewed token: not a third time, and the renewed token is given up too', async () => {
    const sent = fakeFetch([401, 401]);
    const { api, onUnauthenticated } = apiWith([RENEWED, null]);
    await expect(book(api)).rejects.toMatchObject({ status: 401 });
    expect(sent).toHaveLength(2);
    expect(onUnauthenticated.mock.calls).toEqual([[OLD], [RENEWED]]);
  });

  it('is a PATCH as well: sent once more with its body', async () => {
    const sent = fakeFetch([401, 200]);
    const { api } = apiWith([RENEWED]);
    await ok(api.PATCH('/v1/clients/{clientId}', { params: { path: { clientId: 'cli_1' } }, body: { smsConsent: true } }));
    expect(sent.map((s) => [s.method, s.authorization, s.body])).toEqual([
      ['PATCH', `Bearer ${OLD}`, '{"smsConsent":true}'],
      ['PATCH', `Bearer ${RENEWED}`, '{"smsConsent":true}'],
    ]);
  });

  it('that named its own token (sign-up) is not the session’s: neither renewed nor sent again', async () => {
    const sent = fakeFetch([401]);
    const { api, onUnauthenticated } = apiWith([RENEWED]);
    const call = api.POST('/v1/appointments', { headers: { authorization: 'Bearer its-own', 'Idempotency-Key': 'key-2' }, body: BOOKING });
    await expect(ok(call)).rejects.toMatchObject({ status: 401 });
    expect(onUnauthenticated).not.toHaveBeenCalled();
    expect(sent).toHaveLength(1);
  });
});

describe('a read refused with 401', () => {
  it('is asked again with the renewed token', async () => {
    const sent = fakeFetch([401, 200]);
    const { api } = apiWith([RENEWED]);
    await ok(api.GET('/v1/clinics'));
    expect(sent.map((s) => s.authorization)).toEqual([`Bearer ${OLD}`, `Bearer ${RENEWED}`]);
  });

  it('is asked again without a token when there is no renewal (a public read is a visitor’s)', async () => {
    const sent = fakeFetch([401, 200]);
    const { api } = apiWith([null]);
    await ok(api.GET('/v1/clinics'));
    expect(sent.map((s) => s.authorization)).toEqual([`Bearer ${OLD}`, null]);
  });
});

describe('resendAfter401', () => {
  it('sends any method again with a renewed token; only a read without one', () => {
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'])
      expect(resendAfter401(method, RENEWED)).toEqual({ authorization: `Bearer ${RENEWED}` });
    expect(resendAfter401('GET', null)).toEqual({ authorization: null });
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) expect(resendAfter401(method, null)).toBeNull();
  });
});

describe('successorOf: the token a refused call may be sent again with', () => {
  it('is the one stored since, when it is the same person’s', () => {
    expect(successorOf(OLD, RENEWED)).toBe(RENEWED);
  });
  it('is none when another person signed in meanwhile, nothing is stored, or the stored one is the refused one', () => {
    expect(successorOf(OLD, jwt('person-b', 2_000))).toBeNull();
    expect(successorOf(OLD, null)).toBeNull();
    expect(successorOf(OLD, OLD)).toBeNull();
    expect(successorOf(OLD, 'not-a-token')).toBeNull();
  });
});
