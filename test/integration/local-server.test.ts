// The local server end to end over HTTP, against the run's DynamoDB Local: the real scheduling
// handler behind it for health and auth, and an echoing stand-in to see the exact event it builds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt } from 'jose';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiEvent } from '#http/api.ts';
import { createDocumentClient } from '#db/client.ts';
import { startLocalServer, type LocalServer } from '#infra/local/server.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, localSigningKey, verifyLocalToken } from '#infra/local/auth.ts';

let server: LocalServer;
let serverTable: string;
let echo: LocalServer;
const lines: string[] = [];

beforeAll(async () => {
  const endpoint = inject('dynamoEndpoint');
  serverTable = `local_${randomUUID().slice(0, 8)}`;
  server = await startLocalServer({
    dynamoEndpoint: endpoint,
    tableName: serverTable,
    port: 0,
    log: (l) => lines.push(l),
  });
  echo = await startLocalServer({
    dynamoEndpoint: endpoint,
    tableName: `echo_${randomUUID().slice(0, 8)}`,
    port: 0,
    seed: false,
    log: (l) => lines.push(l),
    handlers: {
      scheduling: async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) }),
      payments: async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) }),
    },
  });
});

afterAll(async () => {
  await server?.close();
  await echo?.close();
});

async function call(base: LocalServer, method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${base.url}${path}`, { method, ...init });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

async function token(body: Record<string, unknown>): Promise<string> {
  const res = await call(server, 'POST', '/v1/dev/token', { body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (res.json as { token: string }).token;
}

describe('local server', () => {
  it('serves GET /v1/health through the real scheduling handler', async () => {
    const res = await call(server, 'GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('answers an unknown route with the contract 404', async () => {
    const res = await call(server, 'GET', '/v1/nowhere');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('refuses a body that is not valid UTF-8 with a 400 on the body, and writes nothing; real UTF-8 passes', async () => {
    const headers = {
      authorization: `Bearer ${await token({ role: 'frontdesk', clinicId: 'demo-nyc' })}`,
      'content-type': 'application/json',
    };
    const body = (firstName: string) =>
      `{"clinicId":"demo-nyc","firstName":"${firstName}","lastName":"Ut","email":"utf@example.com","phone":"+12125550123","dateOfBirth":"1980-01-01","smsConsent":false}`;
    const doc = createDocumentClient({ region: 'local', endpoint: inject('dynamoEndpoint') });
    const list = async () => (await doc.send(new ScanCommand({ TableName: serverTable, ConsistentRead: true }))).Items?.length;
    const before = await list();
    // 0xFF 0xFE is no UTF-8 sequence: decoded leniently it would be stored as two U+FFFD
    const at = body('').indexOf('"lastName"') - 2; // inside the empty firstName
    const bad = Buffer.concat([Buffer.from(body('').slice(0, at)), Buffer.from([0xff, 0xfe]), Buffer.from(body('').slice(at))]);
    const res = await fetch(`${server.url}/v1/clients`, { method: 'POST', headers, body: bad });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', details: [{ path: '', message: 'The body is not valid UTF-8' }] },
    });
    expect(await list()).toEqual(before);
    const good = await call(server, 'POST', '/v1/clients', { headers, body: body('Zoë') });
    expect(good.status).toBe(201);
    expect(good.json).toMatchObject({ firstName: 'Zoë' });
    doc.destroy();
  });

  it('an oversized token is a 401 like any bad token; headers over 64 KB a 400 in the API shape (no bare 431)', async () => {
    const big = await fetch(`${server.url}/v1/invoices?clinicId=demo-nyc&from=2026-11-01&to=2026-12-31`, {
      headers: { authorization: `Bearer ${'a'.repeat(20_000)}` },
    });
    expect(big.status).toBe(401);
    expect(await big.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const huge = await fetch(`${server.url}/v1/health`, { headers: { 'x-pad': 'a'.repeat(70_000) } });
    expect(huge.status).toBe(400);
    expect(await huge.json()).toMatchObject({
      error: { code: 'validation_failed', details: [{ path: '', message: 'The request headers exceed 64 KB' }] },
    });
  });

  it('rejects a body over 1 MB with a 400 (the API has no 413)', async () => {
    const res = await call(server, 'POST', '/v1/dev/token', { body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      error: { code: 'validation_failed', details: [{ path: '', message: 'The request body exceeds 1 MB' }] },
    });
  });
});

describe('POST /v1/dev/token', () => {
  it('issues a token that the server verifies, with the requested claims', async () => {
    const jwt = await token({ role: 'frontdesk', clinicId: 'clinic_1', sub: 'fd-1' });
    const claims = await verifyLocalToken(jwt);
    expect(claims).toMatchObject({
      sub: 'fd-1',
      'cognito:groups': ['frontdesk'],
      'custom:clinicId': 'clinic_1',
      token_use: 'id',
      iss: 'kapstone-local',
      aud: 'kapstone',
    });
    expect(claims!.exp! - claims!.iat!).toBe(12 * 3600);
  });

  it('makes up a dev subject when none is given', async () => {
    const claims = decodeJwt(await token({ role: 'client', clientId: 'cl_1' }));
    expect(claims.sub).toMatch(/^dev-client-/);
    expect(claims['custom:clientId']).toBe('cl_1');
  });

  it('accepts the body curl -d sends (form content type)', async () => {
    const res = await call(server, 'POST', '/v1/dev/token', {
      body: '{"role":"admin"}',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
  });

  it('rejects an unknown role with details on "role"', async () => {
    const res = await call(server, 'POST', '/v1/dev/token', { body: JSON.stringify({ role: 'owner' }) });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: { code: 'validation_failed', message: expect.any(String), details: [{ path: 'role', message: expect.any(String) }] },
    });
  });

  it('rejects a missing role', async () => {
    const res = await call(server, 'POST', '/v1/dev/token', { body: '{}' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'role' }] } });
  });

  it('rejects unknown fields', async () => {
    const res = await call(server, 'POST', '/v1/dev/token', { body: JSON.stringify({ role: 'admin', superuser: true }) });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'superuser', message: 'Unknown field' }] } });
  });

  it('rejects malformed JSON', async () => {
    const res = await call(server, 'POST', '/v1/dev/token', { body: '{"role": "admin"' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'validation_failed', message: 'Malformed JSON body' } });
  });
});

describe('JWT routes', () => {
  const unauthenticated = { error: { code: 'unauthenticated', message: expect.any(String) } };

  it('answers 401 without a token', async () => {
    const res = await call(server, 'GET', '/v1/clients/x');
    expect(res.status).toBe(401);
    expect(res.json).toEqual(unauthenticated);
  });

  it('answers 401 for a non-bearer authorization header or a malformed token', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', 'Bearer ']) {
      const res = await call(server, 'GET', '/v1/clients/x', { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.json).toEqual(unauthenticated);
    }
  });

  it('answers 401 for a tampered token (payload changed, signature kept)', async () => {
    const [header, , signature] = (await token({ role: 'client', clientId: 'x' })).split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'evil', 'cognito:groups': ['admin'], iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: 9999999999 }),
    ).toString('base64url');
    const res = await call(server, 'GET', '/v1/clients/x', { headers: { authorization: `Bearer ${header}.${forged}.${signature}` } });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(unauthenticated);
  });

  it('answers 401 for an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ 'cognito:groups': ['admin'], token_use: 'id' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('old')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(now - 13 * 3600)
      .setExpirationTime(now - 3600)
      .sign(localSigningKey());
    const res = await call(server, 'GET', '/v1/clients/x', { headers: { authorization: `Bearer ${expired}` } });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(unauthenticated);
  });

  it('answers 401 for a token of another issuer', async () => {
    const foreign = await new SignJWT({ 'cognito:groups': ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('someone-else')
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(localSigningKey());
    const res = await call(server, 'GET', '/v1/clients/x', { headers: { authorization: `Bearer ${foreign}` } });
    expect(res.status).toBe(401);
  });

  it('lets a valid token through to the handler (which knows no client x)', async () => {
    const jwt = await token({ role: 'admin' });
    const res = await call(server, 'GET', '/v1/clients/x', { headers: { authorization: `Bearer ${jwt}` } });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error: { code: 'not_found' } });
  });

  it('serves the billing routes through the billing handler', async () => {
    const jwt = await token({ role: 'finance', clinicId: 'demo-nyc' });
    const headers = { authorization: `Bearer ${jwt}` };
    const one = await call(server, 'GET', '/v1/invoices/inv_x', { headers });
    expect([one.status, one.json]).toEqual([404, { error: { code: 'not_found', message: 'No such invoice' } }]);
    const page = await call(server, 'GET', '/v1/invoices?clinicId=demo-nyc&from=2000-01-03&to=2000-01-03', { headers });
    expect([page.status, page.json]).toEqual([200, { items: [], nextCursor: null }]);
  });
});

describe('the event handed to the function', () => {
  it('carries the route key, decoded path and query parameters, rendered claims and lower-cased headers', async () => {
    const jwt = await token({ role: 'frontdesk', clinicId: 'clinic 1', sub: 'fd-7' });
    const res = await call(
      echo,
      'GET',
      '/v1/clients/cl%20%C3%A9%2B1/appointments/?status=booked&status=done&from=2026-12-01T09%3A00%3A00-05%3A00',
      {
        headers: { authorization: `Bearer ${jwt}`, 'X-Custom-Header': 'Value', cookie: 'theme=dark' },
      },
    );
    expect(res.status).toBe(200);
    const event = res.json as ApiEvent;
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /v1/clients/{clientId}/appointments');
    expect(event.pathParameters).toEqual({ clientId: 'cl é+1' });
    expect(event.queryStringParameters).toEqual({ status: 'booked,done', from: '2026-12-01T09:00:00-05:00' });
    expect(event.rawQueryString).toBe('status=booked&status=done&from=2026-12-01T09%3A00%3A00-05%3A00');
    expect(event.headers['x-custom-header']).toBe('Value');
    expect(event.headers.authorization).toBe(`Bearer ${jwt}`);
    expect(event.cookies).toEqual(['theme=dark']);
    expect(event.requestContext.stage).toBe('$default');
    expect(event.requestContext.http.method).toBe('GET');
    const claims = event.requestContext.authorizer?.jwt?.claims;
    expect(claims).toMatchObject({ sub: 'fd-7', 'cognito:groups': '[frontdesk]', 'custom:clinicId': 'clinic 1', token_use: 'id' });
    expect(typeof claims?.exp).toBe('string');
    expect(event.requestContext.authorizer?.jwt?.scopes).toBeNull();
  });

  it('passes no claims and no empty maps on a public route; an optional token stays a header for the function to verify', async () => {
    const res = await call(echo, 'POST', '/v1/webhooks/stripe', {
      body: '{"firstName":"Ada"}',
      headers: { 'content-type': 'application/json', authorization: 'Bearer some.token.here' },
    });
    const event = res.json as ApiEvent;
    expect(event.routeKey).toBe('POST /v1/webhooks/stripe');
    expect(event.headers.authorization).toBe('Bearer some.token.here');
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.body).toBe('{"firstName":"Ada"}');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('logs route keys and statuses, never raw paths, query strings or bodies', () => {
    expect(lines.some((l) => /^GET \/v1\/clients\/\{clientId\}\/appointments 200 [\d.]+ms$/.test(l))).toBe(true);
    expect(lines.some((l) => /^GET \(no route\) 404 /.test(l))).toBe(true);
    const all = lines.join('\n');
    expect(all).not.toContain('status=booked');
    expect(all).not.toContain('cl%20');
    expect(all).not.toContain('Ada');
    expect(all).not.toContain('/v1/nowhere');
  });
});
