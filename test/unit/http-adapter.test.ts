import { describe, expect, it } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { fixedClock } from '#adapters/clock.ts';
import { NotFoundError } from '#domain/errors.ts';
import { createApiHandler, type RouteHandler } from '#http/api.ts';
import { ROUTES, routeKey } from '#http/routes.ts';
import {
  buildEvent,
  collectHeaders,
  formatRequestTime,
  matchRoute,
  parseQuery,
  renderClaims,
  splitTarget,
  toHttpResponse,
  type PathRoute,
} from '#infra/local/http-adapter.ts';
import { BILLING_ROUTES } from '#http/route-table/billing.ts';

const headers = (...pairs: [string, string][]) => pairs.flat();

describe('matchRoute', () => {
  it('matches a literal route without path parameters', () => {
    const m = matchRoute(ROUTES, 'GET', '/v1/health');
    expect(m?.route.path).toBe('/v1/health');
    expect(m?.pathParameters).toBeUndefined();
  });

  it('extracts and decodes path parameters', () => {
    const m = matchRoute(ROUTES, 'POST', '/v1/appointments/appt%20%C3%A9%2B1/cancel');
    expect(m?.route.path).toBe('/v1/appointments/{appointmentId}/cancel');
    expect(m?.pathParameters).toEqual({ appointmentId: 'appt é+1' });
  });

  it('tolerates a trailing slash', () => {
    expect(matchRoute(ROUTES, 'GET', '/v1/clinics/')?.route.path).toBe('/v1/clinics');
    expect(matchRoute(ROUTES, 'GET', '/v1/clinics/c1/')?.pathParameters).toEqual({ clinicId: 'c1' });
  });

  it('answers null for an unknown path, another method, an empty segment or a malformed escape', () => {
    expect(matchRoute(ROUTES, 'GET', '/v1/nothing')).toBeNull();
    expect(matchRoute(ROUTES, 'DELETE', '/v1/clinics/c1')).toBeNull();
    expect(matchRoute(ROUTES, 'GET', '/v1/clinics//providers')).toBeNull();
    expect(matchRoute(ROUTES, 'GET', '/v1/clients/%E0%A4%A')).toBeNull();
  });

  it('splits an encoded slash like API Gateway does, so it never lands inside a parameter', () => {
    expect(matchRoute(ROUTES, 'GET', '/v1/clients/a%2Fb')).toBeNull();
  });

  it('matches the method case-insensitively', () => {
    expect(matchRoute(ROUTES, 'get', '/v1/health')?.route.path).toBe('/v1/health');
  });

  it('prefers literal segments over parameters, and parameters over a greedy tail', () => {
    const routes: PathRoute[] = [
      { method: 'GET', path: '/files/{rest+}' },
      { method: 'GET', path: '/files/{id}' },
      { method: 'GET', path: '/files/latest' },
    ];
    expect(matchRoute(routes, 'GET', '/files/latest')?.route.path).toBe('/files/latest');
    expect(matchRoute(routes, 'GET', '/files/f1')?.route.path).toBe('/files/{id}');
    const deep = matchRoute(routes, 'GET', '/files/a/b/c');
    expect(deep?.route.path).toBe('/files/{rest+}');
    expect(deep?.pathParameters).toEqual({ rest: 'a/b/c' });
  });
});

describe('query strings', () => {
  it('splits the request target', () => {
    expect(splitTarget('/v1/a?x=1&y=2')).toEqual({ rawPath: '/v1/a', rawQueryString: 'x=1&y=2' });
    expect(splitTarget('/v1/a')).toEqual({ rawPath: '/v1/a', rawQueryString: '' });
  });

  it('decodes values and joins repeated keys with commas', () => {
    expect(parseQuery('status=paid&status=open&from=2026-01-01&q=a%20b+c&flag')).toEqual({
      status: 'paid,open',
      from: '2026-01-01',
      q: 'a b c',
      flag: '',
    });
  });

  it('is undefined when there is no query', () => {
    expect(parseQuery('')).toBeUndefined();
  });
});

describe('headers and claims', () => {
  it('lower-cases names, joins repeats with commas and moves cookies apart', () => {
    const got = collectHeaders(headers(['X-Trace', 'a'], ['x-trace', 'b'], ['Cookie', 'sid=1; theme=dark'], ['Accept', '*/*']));
    expect(got.headers).toEqual({ 'x-trace': 'a,b', accept: '*/*' });
    expect(got.cookies).toEqual(['sid=1', 'theme=dark']);
  });

  it('renders claims as API Gateway does: strings, arrays as "[a b]"', () => {
    expect(
      renderClaims({ sub: 'u1', 'cognito:groups': ['frontdesk', 'finance'], exp: 1700000000, email_verified: true, gone: undefined }),
    ).toEqual({ sub: 'u1', 'cognito:groups': '[frontdesk finance]', exp: '1700000000', email_verified: 'true' });
  });

  it('formats requestContext.time in the access-log format', () => {
    expect(formatRequestTime(Date.UTC(2020, 2, 12, 19, 3, 58))).toBe('12/Mar/2020:19:03:58 +0000');
  });
});

describe('buildEvent', () => {
  const now = Date.UTC(2026, 11, 3, 14, 0, 0);

  it('builds a payload 2.0 event for a JWT route', () => {
    const url = '/v1/clinics/c%201/schedule?date=2026-12-03&x=1&x=2';
    const match = matchRoute(ROUTES, 'GET', splitTarget(url).rawPath)!;
    const event = buildEvent(
      {
        method: 'GET',
        url,
        rawHeaders: headers(['Host', 'localhost:3000'], ['User-Agent', 'curl/8'], ['Authorization', 'Bearer t'], ['Cookie', 'a=1']),
        sourceIp: '127.0.0.1',
        protocol: 'HTTP/1.1',
      },
      { match, claims: { sub: 'u1', 'cognito:groups': ['frontdesk'], 'custom:clinicId': 'c 1' }, requestId: 'r1', now },
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/clinics/{clinicId}/schedule',
      rawPath: '/v1/clinics/c 1/schedule',
      rawQueryString: 'date=2026-12-03&x=1&x=2',
      cookies: ['a=1'],
      queryStringParameters: { date: '2026-12-03', x: '1,2' },
      pathParameters: { clinicId: 'c 1' },
      isBase64Encoded: false,
      requestContext: {
        requestId: 'r1',
        routeKey: 'GET /v1/clinics/{clinicId}/schedule',
        stage: '$default',
        domainName: 'localhost',
        time: '03/Dec/2026:14:00:00 +0000',
        timeEpoch: now,
        http: { method: 'GET', path: '/v1/clinics/c 1/schedule', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8' },
        authorizer: { jwt: { claims: { sub: 'u1', 'cognito:groups': '[frontdesk]', 'custom:clinicId': 'c 1' }, scopes: null } },
      },
    });
    expect(event.headers).toMatchObject({ host: 'localhost:3000', authorization: 'Bearer t', 'user-agent': 'curl/8' });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
  });

  it('leaves out query, path parameters, cookies and the authorizer when there are none', () => {
    const match = matchRoute(ROUTES, 'GET', '/v1/health')!;
    const event = buildEvent({ method: 'GET', url: '/v1/health', rawHeaders: [] }, { match, now });
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.cookies).toBeUndefined();
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.rawQueryString).toBe('');
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes a JSON body as text and a binary body as base64', () => {
    const match = matchRoute(ROUTES, 'POST', '/v1/clients')!;
    const json = buildEvent(
      { method: 'POST', url: '/v1/clients', rawHeaders: headers(['Content-Type', 'application/json']), body: Buffer.from('{"a":"é"}') },
      { match },
    );
    expect(json).toMatchObject({ body: '{"a":"é"}', isBase64Encoded: false });
    const bytes = Buffer.from([0xff, 0x00, 0x10]);
    const binary = buildEvent(
      { method: 'POST', url: '/v1/clients', rawHeaders: headers(['Content-Type', 'application/octet-stream']), body: bytes },
      { match },
    );
    expect(binary).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });
});

describe('toHttpResponse', () => {
  it('uses a structured result as it is', () => {
    const out = toHttpResponse({ statusCode: 201, headers: { 'Content-Type': 'application/json' }, cookies: ['a=1'], body: '{"id":"x"}' });
    expect(out.statusCode).toBe(201);
    expect(out.headers).toEqual({ 'content-type': 'application/json' });
    expect(out.cookies).toEqual(['a=1']);
    expect(out.body.toString()).toBe('{"id":"x"}');
  });

  it('decodes a base64 body', () => {
    const out = toHttpResponse({ statusCode: 200, body: Buffer.from('%PDF').toString('base64'), isBase64Encoded: true });
    expect(out.body.toString()).toBe('%PDF');
  });

  it('gives back the exact bytes of a router answer with a binary body; its errors stay JSON', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i); // every byte value, not valid UTF-8
    const audited: unknown[] = [];
    const receipt = 'GET /v1/invoices/{invoiceId}/receipt.pdf';
    const answer: RouteHandler = async (req) => {
      if (req.pathParams.invoiceId === 'missing') throw new NotFoundError('invoice');
      return {
        status: 200,
        binary: { contentType: 'application/pdf', data: bytes.subarray(16) }, // a view: offset respected
        audit: [{ clientId: 'cl_1', clinicId: 'c_1', record: { type: 'invoice', id: 'inv_1' } }],
      };
    };
    const handler = createApiHandler({
      routes: BILLING_ROUTES,
      handlers: Object.fromEntries(ROUTES.filter((r) => r.fn === 'billing').map((r) => [routeKey(r), answer])),
      logger: new Logger({ logLevel: 'CRITICAL' }),
      clock: fixedClock(0),
      idempotency: { leaseSeconds: 30, claim: async () => null, complete: async () => undefined, release: async () => undefined },
      rateLimits: { take: async () => ({ allowed: true }) },
      audit: { append: async (entries) => void audited.push(...entries) },
    });
    const call = async (invoiceId: string) => {
      const match = matchRoute(ROUTES, 'GET', `/v1/invoices/${invoiceId}/receipt.pdf`)!;
      expect(routeKey(match.route)).toBe(receipt);
      const event = buildEvent(
        { method: 'GET', url: `/v1/invoices/${invoiceId}/receipt.pdf`, rawHeaders: [] },
        { match, claims: { sub: 'admin-1', 'cognito:groups': ['admin'] } },
      );
      return toHttpResponse(await handler(event, {} as Context));
    };

    const ok = await call('inv_1');
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('application/pdf');
    expect(ok.headers['x-correlation-id']).toBeTruthy();
    expect(Buffer.compare(ok.body, Buffer.from(bytes.subarray(16)))).toBe(0);
    expect(audited).toHaveLength(1);

    const missing = await call('missing');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(missing.body.toString())).toMatchObject({ error: { code: 'not_found' } });
    expect(audited).toHaveLength(1);
  });

  it('turns a bare value into a 200 JSON response', () => {
    expect(toHttpResponse({ ok: true })).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(toHttpResponse({ ok: true }).body.toString()).toBe('{"ok":true}');
    expect(toHttpResponse('hello').body.toString()).toBe('hello');
  });

  it('rejects a malformed result', () => {
    expect(() => toHttpResponse({ statusCode: 'ok' })).toThrow(/statusCode/);
    expect(() => toHttpResponse({ statusCode: 200, body: { a: 1 } })).toThrow(/body/);
  });
});
