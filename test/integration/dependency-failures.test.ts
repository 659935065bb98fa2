// The database unavailable, too slow or throttling: the API's 503 `unavailable` (docs/api.md, "Errors") with
// Retry-After, within a bounded time, never a 500, and nothing half-written.
//
// Faults are injected into the REAL document client (shared/db/client.ts, on this run's DynamoDB
// Local) through the SDK's middleware stack:
//   - per attempt (step 'deserialize', inside the SDK's retries): an error thrown instead of the
//     HTTP request, or the request sent elsewhere: to a local HTTP proxy in front of DynamoDB Local
//     that holds each request (a paused database) or resets its connection, or to a closed port
//     (a database that is gone). Timeouts and resets are then the real http handler's own;
//   - per call (step 'initialize', outside the retries): the n-th DynamoDB call of a request fails,
//     before it is sent or after it was carried out (the answer lost), to show that every request
//     that writes leaves the whole change or none of it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { createDocumentClient, DB_TIMEOUT_DEFAULTS, type DbOptions } from '#db/client.ts';
import { asUnavailable, CallDeadlineError } from '#db/errors.ts';
import { NotFoundError, ServiceUnavailableError } from '#domain/errors.ts';
import { fixedClock } from '#adapters/clock.ts';
import { createApiHandler } from '#http/api.ts';
import { createSchedulingHandler } from '#functions/scheduling/app.ts';
import { schedulingRoutes, type SchedulingServices } from '#functions/scheduling/routes.ts';
import { apiEvent, type EventOptions } from '#test/helpers/events.ts';
import { createTestApi, frontdesk, signUp, type Reply, type TestApi } from '#test/helpers/api.ts';
import { SCHEDULING_ROUTES } from '#http/route-table/scheduling.ts';

const NYC = 'demo-nyc';
const THER2 = 'demo-nyc-ther-2';
const UNAVAILABLE_MESSAGE = new ServiceUnavailableError().message;

// ---------------------------------------------------------------------------------------------
// Fault injection

type Fault =
  | { kind: 'none' }
  /** Every attempt fails with this error instead of being sent. */
  | { kind: 'throw'; error: () => unknown }
  /** Every attempt is sent to another port of this host (the proxy, a closed port). */
  | { kind: 'reroute'; port: number }
  /** The n-th call of the request fails: before it is sent, or after DynamoDB carried it out. */
  | { kind: 'nthCall'; n: number; when: 'before' | 'after'; error: () => unknown }
  /** Each call numbered here fails, before it is sent or after DynamoDB carried it out. */
  | { kind: 'calls'; when: Record<number, 'before' | 'after'>; error: () => unknown };

interface FaultyDb {
  doc: DynamoDBDocumentClient;
  fault: Fault;
  /** SDK calls (commands) and HTTP attempts since the last reset, and the commands' names. */
  calls: number;
  attempts: number;
  commands: string[];
  reset(): void;
}

function faultyDb(endpoint: string, opts: Partial<DbOptions> = {}): FaultyDb {
  const doc = createDocumentClient({ region: 'local', endpoint, ...opts });
  const db: FaultyDb = {
    doc,
    fault: { kind: 'none' },
    calls: 0,
    attempts: 0,
    commands: [],
    reset() {
      this.fault = { kind: 'none' };
      this.calls = 0;
      this.attempts = 0;
      this.commands = [];
    },
  };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const n = ++db.calls;
      db.commands.push(context.commandName ?? '?');
      const f = db.fault;
      const when = f.kind === 'nthCall' && f.n === n ? f.when : f.kind === 'calls' ? f.when[n] : undefined;
      if (when === 'before' && (f.kind === 'nthCall' || f.kind === 'calls')) throw f.error();
      const out = await next(args);
      if (when === 'after' && (f.kind === 'nthCall' || f.kind === 'calls')) throw f.error();
      return out;
    },
    { step: 'initialize', priority: 'high', name: 'testFaultPerCall' },
  );
  doc.middlewareStack.add(
    (next) => async (args) => {
      db.attempts += 1;
      const f = db.fault;
      if (f.kind === 'throw') throw f.error();
      if (f.kind === 'reroute') {
        const request = args.request as { hostname: string; port?: number };
        request.hostname = '127.0.0.1';
        request.port = f.port;
      }
      return next(args);
    },
    { step: 'deserialize', priority: 'high', name: 'testFaultPerAttempt' },
  );
  return db;
}

/** The errors the SDK raises for these failures, as the retry strategy and the router see them. */
const throttling = () =>
  new ProvisionedThroughputExceededException({
    message: 'The level of configured provisioned throughput for the table was exceeded.',
    $metadata: { httpStatusCode: 400 },
  });
const connectionReset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
/** What the http handler raises for a reset socket ("socket hang up", code ECONNRESET). */
const socketHangUp = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' });

/** An HTTP proxy in front of DynamoDB Local: holds every request `delayMs`, or resets it. */
interface Proxy {
  port: number;
  delayMs: number;
  mode: 'forward' | 'reset';
  close(): Promise<void>;
}

async function startProxy(target: string): Promise<Proxy> {
  const upstream = new URL(target);
  const held = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    if (proxy.mode === 'reset') {
      req.socket.destroy();
      return;
    }
    const timer = setTimeout(() => {
      held.delete(timer);
      // the client gave up on it: like a paused database, it is never carried out
      if (req.socket.destroyed) return;
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      req.pipe(out);
    }, proxy.delayMs);
    held.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: Proxy = {
    port: (server.address() as net.AddressInfo).port,
    delayMs: 0,
    mode: 'forward',
    close: async () => {
      for (const t of held) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}

/** A port nothing listens on: connections are refused, as when DynamoDB Local is gone. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------------------------
// The scheduling function on the faulty client (as test/helpers/api.ts builds it on a clean one)

let api: TestApi;
let db: FaultyDb;
let proxy: Proxy;
let refusedPort: number;
let A: string;

const logger = new Logger({ serviceName: 'test', logLevel: 'CRITICAL' });
const warn = vi.spyOn(logger, 'warn');
const error = vi.spyOn(logger, 'error');

/** Deterministic ids (per run, after `resetIds`): the same request writes the same keys. */
let idSeq = 0;
const ids = (prefix: string) => `${prefix}_dep${++idSeq}`;

function scheduling(doc: DynamoDBDocumentClient = db.doc) {
  return createSchedulingHandler({ doc, tableName: api.table.tableName, clock: api.clock, logger, ids });
}

type Handler = ReturnType<typeof createSchedulingHandler>;

async function call(
  handler: Handler,
  method: string,
  path: string,
  o: EventOptions & { requestId?: string } = {},
): Promise<Reply & { ms: number }> {
  const built = apiEvent(method, path, o);
  if (!built) throw new Error(`no route ${method} ${path}`);
  if (o.requestId) built.event.requestContext.requestId = o.requestId;
  const started = Date.now();
  const res = await handler(built.event, {} as Context);
  const ms = Date.now() - started;
  const text = typeof res.body === 'string' ? res.body : '';
  return {
    status: res.statusCode ?? 0,
    body: text === '' ? undefined : JSON.parse(text),
    headers: (res.headers ?? {}) as Record<string, string>,
    ms,
  };
}

/** The API's 503: code, message and correlation id only (no internals), and Retry-After. */
function expectUnavailable(res: Reply): void {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(res.body).toEqual({ error: { code: 'unavailable', message: UNAVAILABLE_MESSAGE, correlationId: expect.any(String) } });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.headers['x-correlation-id']).toBe(res.body.error.correlationId);
}

/** The warn line of the last 503: names and codes of the failure, nothing of the request. */
function lastWarn(): Record<string, unknown> {
  const [message, attrs] = warn.mock.calls.at(-1) as [string, Record<string, unknown>];
  expect(message).toBe('dependency unavailable');
  expect(
    Object.keys(attrs).every((k) =>
      ['correlationId', 'routeKey', 'code', 'errorName', 'errorCode', 'lastErrorName', 'elapsedMs', 'httpStatusCode', 'attempts'].includes(
        k,
      ),
    ),
  ).toBe(true);
  return attrs;
}

beforeAll(async () => {
  api = await createTestApi();
  A = await signUp(api);
  proxy = await startProxy(api.table.endpoint);
  refusedPort = await closedPort();
});
afterAll(async () => {
  await proxy?.close();
  await api?.close();
});
// a client per test: the SDK's retry quota (a token bucket per client) starts full every time
beforeEach(() => {
  db = faultyDb(api.table.endpoint);
});
afterEach(() => {
  db.doc.destroy();
  proxy.delayMs = 0;
  proxy.mode = 'forward';
  warn.mockClear();
  error.mockClear();
});

// ---------------------------------------------------------------------------------------------

describe('the document client', () => {
  it('has the timeouts and retries of shared/db/client.ts by default', () => {
    expect(DB_TIMEOUT_DEFAULTS).toEqual({ connectTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3, callTimeoutMs: 3_000 });
  });

  it('answers through the proxy when the database is slow but within the request timeout', async () => {
    proxy.delayMs = 300;
    db.fault = { kind: 'reroute', port: proxy.port };
    const res = await call(scheduling(), 'GET', '/v1/clinics');
    expect(res.status).toBe(200);
    expect(res.ms).toBeGreaterThanOrEqual(250);
    expect(db.attempts).toBe(db.calls);
  });
});

describe('a database that does not answer in time (paused)', () => {
  it('answers 503 with Retry-After once the 2 s request timeout has passed, well within 3.5 s', async () => {
    proxy.delayMs = 60_000; // paused: never answers
    db.fault = { kind: 'reroute', port: proxy.port };
    const res = await call(scheduling(), 'GET', '/v1/clinics');
    expectUnavailable(res);
    expect(res.ms).toBeGreaterThanOrEqual(DB_TIMEOUT_DEFAULTS.requestTimeoutMs - 50);
    expect(res.ms).toBeLessThan(3_500);
    // one attempt of 2 s: a second could not have ended within the call's 3 s
    expect(db.attempts).toBe(1);
    expect(lastWarn()).toMatchObject({
      code: 'unavailable',
      routeKey: 'GET /v1/clinics',
      errorName: 'CallDeadlineError',
      lastErrorName: 'TimeoutError',
    });
    expect(error).not.toHaveBeenCalled();
  });

  it('a delay past the request timeout on every attempt: 503 within ~3 s on a write too, and nothing written', async () => {
    const before = await api.items();
    proxy.delayMs = DB_TIMEOUT_DEFAULTS.requestTimeoutMs + 500;
    db.fault = { kind: 'reroute', port: proxy.port };
    const res = await call(scheduling(), 'POST', '/v1/appointments', {
      as: frontdesk(NYC),
      body: {
        clinicId: NYC,
        clientId: A,
        providerId: THER2,
        service: 'preparation',
        mode: 'telehealth',
        startsAt: '2026-12-16T10:00:00-05:00',
      },
    });
    expectUnavailable(res);
    expect(res.ms).toBeLessThan(6_000);
    // the proxy drops what the client gave up on; give it the time to, then look
    await new Promise((r) => setTimeout(r, 700));
    expect(await api.items()).toEqual(before);
  });

  it('the call deadline is configurable: short request timeouts are retried up to maxAttempts within it', async () => {
    const quick = faultyDb(api.table.endpoint, { requestTimeoutMs: 300, callTimeoutMs: 1_500, maxAttempts: 3 });
    try {
      proxy.delayMs = 60_000;
      quick.fault = { kind: 'reroute', port: proxy.port };
      const res = await call(scheduling(quick.doc), 'GET', '/v1/health/ready');
      expectUnavailable(res);
      expect(quick.attempts).toBe(3); // 0.3 s each (and short backoffs): all 3 fit in 1.5 s
      expect(res.ms).toBeGreaterThanOrEqual(850);
      expect(res.ms).toBeLessThan(2_500);
    } finally {
      quick.doc.destroy();
    }
  });
});

describe('a database that is gone (connection refused)', () => {
  it('answers 503 at once, after the SDK’s 3 attempts', async () => {
    db.fault = { kind: 'reroute', port: refusedPort };
    const res = await call(scheduling(), 'GET', `/v1/clinics/${NYC}`);
    expectUnavailable(res);
    expect(db.calls).toBe(1);
    expect(db.attempts).toBe(3);
    expect(res.ms).toBeLessThan(1_500);
    expect(lastWarn()).toMatchObject({ errorCode: 'ECONNREFUSED', attempts: 3 });
  });
});

describe('throttling that outlasts the SDK’s retries', () => {
  it('ProvisionedThroughputExceededException on every attempt: 503, at most 3 attempts, within ~3 s', async () => {
    db.fault = { kind: 'throw', error: throttling };
    const res = await call(scheduling(), 'GET', `/v1/clinics/${NYC}/providers`);
    expectUnavailable(res);
    expect(db.calls).toBe(1);
    expect(db.attempts).toBeGreaterThanOrEqual(1);
    expect(db.attempts).toBeLessThanOrEqual(DB_TIMEOUT_DEFAULTS.maxAttempts);
    // throttling backs off 0–1 s, then 0–2 s (the SDK's standard strategy): ~3 s at most
    expect(res.ms).toBeLessThan(4_500);
    expect(['ProvisionedThroughputExceededException', 'CallDeadlineError']).toContain(lastWarn().errorName);
  });

  it('on a sign-up: 503 and no client', async () => {
    const before = await api.items();
    db.fault = {
      kind: 'throw',
      error: () => new RequestLimitExceeded({ message: 'Throughput exceeds the account limit.', $metadata: { httpStatusCode: 400 } }),
    };
    const res = await call(scheduling(), 'POST', '/v1/clients', {
      as: frontdesk(NYC),
      body: {
        clinicId: NYC,
        firstName: 'Thea',
        lastName: 'Throttled',
        email: 'thea@example.com',
        phone: '+12125550123',
        dateOfBirth: '1985-04-12',
        smsConsent: true,
      },
    });
    expectUnavailable(res);
    expect(await api.items()).toEqual(before);
    // nothing of the request in the log line
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/Thea|Throttled|thea@example\.com|1985-04-12/);
  });
});

describe('a connection reset', () => {
  it('ECONNRESET on every attempt: 503', async () => {
    db.fault = { kind: 'throw', error: connectionReset };
    const res = await call(scheduling(), 'GET', `/v1/clinics/${NYC}/services`);
    expectUnavailable(res);
    expect(db.attempts).toBe(3);
    expect(lastWarn()).toMatchObject({ errorCode: 'ECONNRESET' });
  });

  it('the database resetting every connection (socket hang up): 503', async () => {
    proxy.mode = 'reset';
    db.fault = { kind: 'reroute', port: proxy.port };
    const res = await call(scheduling(), 'GET', '/v1/clinics');
    expectUnavailable(res);
    expect(db.attempts).toBe(3);
    expect(res.ms).toBeLessThan(1_500);
  });
});

describe('readiness and liveness', () => {
  it('GET /v1/health/ready reads the table: 503 while the database is unavailable, 200 after', async () => {
    db.fault = { kind: 'throw', error: throttling };
    expectUnavailable(await call(scheduling(), 'GET', '/v1/health/ready'));
    expect(db.commands).toEqual(['GetItemCommand']);

    db.reset();
    db.fault = { kind: 'reroute', port: refusedPort };
    expectUnavailable(await call(scheduling(), 'GET', '/v1/health/ready'));

    db.reset();
    const res = await call(scheduling(), 'GET', '/v1/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
    expect(db.commands).toEqual(['GetItemCommand']);
  });

  it('GET /v1/health stays 200 (liveness: no I/O) while the database is unavailable', async () => {
    db.fault = { kind: 'reroute', port: refusedPort };
    const res = await call(scheduling(), 'GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(db.calls).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// All or nothing: every DynamoDB call of a writing request fails in turn

type Items = Map<string, string>;

const keyOf = (item: Record<string, unknown>) => `${String(item.PK)}|${String(item.SK)}`;

async function snapshot(): Promise<Items> {
  return new Map((await api.items()).map((item) => [keyOf(item), JSON.stringify(item)]));
}

/** What changed from `before` to `after`: added, changed and removed items by key. */
function diff(before: Items, after: Items): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of after) if (before.get(k) !== v) out[k] = v;
  for (const k of before.keys()) if (!after.has(k)) out[k] = null;
  return out;
}

/** Puts the table back as it was (a clean client: no faults). */
async function restore(to: Items): Promise<void> {
  const now = await snapshot();
  const tableName = api.table.tableName;
  for (const k of now.keys()) {
    if (to.has(k)) continue;
    const [PK, SK] = k.split('|');
    await api.table.doc.send(new DeleteCommand({ TableName: tableName, Key: { PK, SK } }));
  }
  for (const [k, v] of to) if (now.get(k) !== v) await api.table.doc.send(new PutCommand({ TableName: tableName, Item: JSON.parse(v) }));
  expect(await snapshot()).toEqual(to);
}

const isIdempotencyKey = (k: string) => k.startsWith('IDEMP#');
const without = (d: Record<string, string | null>, drop: (k: string) => boolean) =>
  Object.fromEntries(Object.entries(d).filter(([k]) => !drop(k)));

interface Outcome {
  /** The failing call: its place in the request, its command, and whether it was carried out. */
  n: number;
  command: string;
  when: 'before' | 'after';
  status: number;
  /**
   * What the table holds of the change: none, all (item for item as without a fault), part of it
   * (`missing` names the kinds of item that are not there), or all of it but an idempotency record
   * that would replay a success for a change that is not (wholly) there.
   */
  change: 'none' | 'all' | 'partial' | 'replayable-without-change';
  missing?: string[];
}

/**
 * Runs `request` once without faults (the whole change), then once for each of its DynamoDB calls
 * failing before it is sent and once after it was carried out (its answer lost). Every run starts
 * from the same table, ids, clock and request id, so a complete change has exactly the items of
 * the first run. `aside`: keys left out of the comparison (besides idempotency records, which are
 * the request's own bookkeeping and are checked apart: a 'done' record needs the whole change).
 */
async function allOrNothing(request: (h: Handler) => Promise<Reply>, aside: (key: string) => boolean = () => false): Promise<Outcome[]> {
  const start = await snapshot();
  const run = async (): Promise<Reply> => {
    idSeq = 0;
    return request(scheduling()); // a fresh function: cold caches, the same calls every run
  };
  db.reset();
  const ok = await run();
  expect(ok.status, JSON.stringify(ok.body)).toBeLessThan(300);
  const commands = [...db.commands];
  const whole = diff(start, await snapshot());
  const left = (k: string) => isIdempotencyKey(k) || aside(k);
  const expected = without(whole, left);
  expect(Object.keys(expected).length).toBeGreaterThan(0);
  await restore(start);

  const outcomes: Outcome[] = [];
  for (let n = 1; n <= commands.length; n++) {
    for (const when of ['before', 'after'] as const) {
      db.reset();
      db.fault = { kind: 'nthCall', n, when, error: socketHangUp };
      const res = await run();
      // the same calls up to the failing one (a failed request then releases its idempotency key)
      expect(db.commands.slice(0, n), `call ${n} failing ${when}`).toEqual(commands.slice(0, n));
      const changed = diff(start, await snapshot());
      const change = without(changed, left);
      let outcome: Outcome['change'] =
        Object.keys(change).length === 0 ? 'none' : JSON.stringify(change) === JSON.stringify(expected) ? 'all' : 'partial';
      const replayable = Object.entries(changed).some(([k, v]) => isIdempotencyKey(k) && v !== null && JSON.parse(v).state === 'done');
      const missing = Object.keys(expected).filter((k) => !(k in change));
      if (replayable && (outcome !== 'all' || missing.length > 0)) outcome = 'replayable-without-change';
      outcomes.push({
        n,
        command: commands[n - 1]!,
        when,
        status: res.status,
        change: outcome,
        ...(outcome === 'partial' || outcome === 'replayable-without-change' ? { missing: missing.map((k) => k.split('#')[0]!) } : {}),
      });
      if (res.status === 503) expectUnavailable(res);
      await restore(start);
    }
  }
  return outcomes;
}

const isAuditEntry = (k: string) => k.startsWith('AUDIT#');
const partial = (outcomes: Outcome[]) => outcomes.filter((o) => o.change !== 'none' && o.change !== 'all');

const signUpRequest = (h: Handler) =>
  call(h, 'POST', '/v1/clients', {
    as: frontdesk(NYC),
    headers: { 'idempotency-key': 'dep-signup-1' },
    requestId: 'req-dep-signup',
    body: {
      clinicId: NYC,
      firstName: 'Sam',
      lastName: 'Signup',
      email: 'sam@example.com',
      phone: '+12125550123',
      dateOfBirth: '1985-04-12',
      smsConsent: true,
    },
  });
const patchRequest = (h: Handler) =>
  call(h, 'PATCH', `/v1/clients/${A}`, {
    as: frontdesk(NYC),
    requestId: 'req-dep-patch',
    body: { phone: '+12125550188', rideHome: { name: 'Pat', phone: '+12125550199' } },
  });

describe('a failure between the DynamoDB calls of a writing request leaves all of the change or none', () => {
  it('a booking (with an Idempotency-Key): the appointment with its locks, SMS plan and audit entry, or nothing', async () => {
    const outcomes = await allOrNothing((h) =>
      call(h, 'POST', '/v1/appointments', {
        as: frontdesk(NYC),
        headers: { 'idempotency-key': 'dep-book-1' },
        requestId: 'req-dep-book',
        body: {
          clinicId: NYC,
          clientId: A,
          providerId: THER2,
          service: 'preparation',
          mode: 'telehealth',
          startsAt: '2026-12-17T10:00:00-05:00',
        },
      }),
    );
    expect(partial(outcomes)).toEqual([]);
    // the one write: not sent, nothing (503); carried out and its answer lost, the booking whole,
    // found by its id and answered 201 rather than a 503 that would say nothing was written
    expect(outcomes.filter((o) => o.command === 'TransactWriteItemsCommand').map((o) => [o.when, o.change, o.status])).toEqual([
      ['before', 'none', 503],
      ['after', 'all', 201],
    ]);
    expect(outcomes.filter((o) => o.status !== 503).map((o) => [o.command, o.when])).toEqual([['TransactWriteItemsCommand', 'after']]);
  });

  /**
   * A front-desk booking of client A with an Idempotency-Key, made once without faults and undone:
   * `send` sends it again, `n` is the place of its write among its DynamoDB calls, `made` its answer.
   */
  async function keyedBooking(startsAt: string, key: string) {
    const body = { clinicId: NYC, clientId: A, providerId: THER2, service: 'preparation', mode: 'telehealth', startsAt };
    const send = () => call(scheduling(), 'POST', '/v1/appointments', { as: frontdesk(NYC), headers: { 'idempotency-key': key }, body });
    const start = await snapshot();
    db.reset();
    const made = await send();
    expect(made.status).toBe(201);
    const n = db.commands.indexOf('TransactWriteItemsCommand') + 1;
    await restore(start);
    return { body, send, start, made, n };
  }

  /**
   * `failed` left its key held: its Retry-After is 31 s (the claim, at this clock's second, may be
   * taken over from then on), the key is in progress, and `send` at that time books.
   */
  async function expectHeldUntilRetryAfter(failed: Reply, send: () => Promise<Reply>) {
    expect(failed.headers['retry-after']).toBe('31');
    expect((await api.items()).filter((i) => i.type === 'idempotency' && i.state === 'in_progress')).toHaveLength(1);
    db.reset();
    const clockWas = api.clock.now();
    api.clock.advance(31_000);
    const retried = await send();
    api.clock.set(clockWas);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
  }

  it('a booking whose answer was lost, and the read that looks for it too: 503; the retry with the same key answers 201 with that appointment, once', async () => {
    const { body, send, start, made: dry, n } = await keyedBooking('2026-12-18T10:00:00-05:00', 'dep-book-lost');
    db.reset();
    db.fault = { kind: 'calls', when: { [n]: 'after', [n + 1]: 'before' }, error: socketHangUp };
    const lost = await send();
    expect(lost.status).toBe(503);
    db.reset();
    const retried = await send();
    expect([retried.status, retried.body.id]).toEqual([201, dry.body.id]);
    const appointments = (await api.items()).filter(
      (i) => i.type === 'appointment' && i.clientId === A && i.startsAt === Date.parse(body.startsAt),
    );
    expect(appointments).toHaveLength(1);
    await restore(start);
  });

  it('a booking failing while its key cannot be given back either: 503 whose Retry-After is when the key is free; then the retry books', async () => {
    const { send, start, n } = await keyedBooking('2026-12-18T11:00:00-05:00', 'dep-book-held');
    // the database gone from the booking's write on: the write, its self-check and the key's release all fail
    db.reset();
    db.fault = { kind: 'calls', when: Object.fromEntries([0, 1, 2, 3, 4, 5].map((i) => [n + i, 'before'])), error: socketHangUp };
    const failed = await send();
    expectUnavailable(failed);
    expect(db.commands.slice(n - 1)).toEqual(['TransactWriteItemsCommand', 'GetItemCommand', 'DeleteItemCommand']); // the write, its self-check, the key's release
    await expectHeldUntilRetryAfter(failed, send);
    await restore(start);
  });

  it('a booking whose claim of its key got no answer (made, its answer lost): 503 whose Retry-After covers the lease; then the retry books', async () => {
    const { send, start } = await keyedBooking('2026-12-18T12:00:00-05:00', 'dep-book-claim');
    db.reset();
    db.fault = { kind: 'nthCall', n: 1, when: 'after', error: socketHangUp };
    const failed = await send();
    expectUnavailable(failed);
    expect(db.commands).toHaveLength(1); // the claim only: nothing else was run
    await expectHeldUntilRetryAfter(failed, send);
    await restore(start);
  });

  it('a change of a client record (PATCH after reads): the client record, whole or not at all (its audit entry aside)', async () => {
    const outcomes = await allOrNothing(patchRequest, isAuditEntry);
    expect(outcomes.every((o) => o.status === 503)).toBe(true);
    expect(partial(outcomes)).toEqual([]);
    expect(outcomes.filter((o) => o.command === 'TransactWriteItemsCommand').map((o) => [o.when, o.change])).toEqual([
      ['before', 'none'],
      ['after', 'all'],
    ]);
  });

  it('a sign-up (with an Idempotency-Key): the client record whole or not at all; one made with its answer lost is found and answered 201', async () => {
    const outcomes = await allOrNothing(signUpRequest, isAuditEntry);
    expect(partial(outcomes)).toEqual([]);
    expect(outcomes.filter((o) => o.command === 'TransactWriteItemsCommand').map((o) => [o.when, o.change, o.status])).toEqual([
      ['before', 'none', 503],
      ['after', 'all', 201],
    ]);
    expect(outcomes.filter((o) => o.status !== 503).map((o) => [o.command, o.when])).toEqual([['TransactWriteItemsCommand', 'after']]);
  });

  it('a client created with its answer lost, and the read that looks for it too: 503; the retry with the same key answers 201 with that record, once', async () => {
    const start = await snapshot();
    db.reset();
    const dry = await signUpRequest(scheduling());
    expect(dry.status).toBe(201);
    const n = db.commands.indexOf('TransactWriteItemsCommand') + 1;
    await restore(start);
    db.reset();
    db.fault = { kind: 'calls', when: { [n]: 'after', [n + 1]: 'before' }, error: socketHangUp };
    const lost = await signUpRequest(scheduling());
    expect(lost.status).toBe(503);
    db.reset();
    const retried = await signUpRequest(scheduling());
    expect([retried.status, retried.body.id]).toEqual([201, dry.body.id]);
    const records = (await api.items()).filter((i) => i.type === 'client' && i.email === 'sam@example.com');
    expect(records).toHaveLength(1);
    // the same key with other details is not that record: 409, nothing new
    const other = await call(scheduling(), 'POST', '/v1/clients', {
      as: frontdesk(NYC),
      headers: { 'idempotency-key': 'dep-signup-1' },
      body: {
        clinicId: NYC,
        firstName: 'Other',
        lastName: 'Person',
        email: 'other@example.com',
        phone: '+12125550124',
        dateOfBirth: '1990-01-02',
        smsConsent: false,
      },
    });
    expect(other.status).toBe(409);
    expect((await api.items()).filter((i) => i.type === 'client' && i.email === 'other@example.com')).toHaveLength(0);
    await restore(start);
  });

  // A client's sign-up and changes put their audit entry in their own transaction (as appointment
  // changes do): the record and its entry are there together or not at all.
  it.each([
    ['a sign-up (with an Idempotency-Key)', signUpRequest],
    ['a change of a client record (PATCH after reads)', patchRequest],
  ])('%s: with its audit entry', async (_what, request) => {
    const outcomes = await allOrNothing(request);
    expect(partial(outcomes)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

function cyclic(): Error {
  const err = new Error('loop');
  (err as { cause?: unknown }).cause = err;
  return err;
}

describe('asUnavailable: which failures are the database being unavailable', () => {
  const sdk = (name: string, status: number, fault: 'client' | 'server') =>
    Object.assign(new Error(name), { name, $fault: fault, $metadata: { httpStatusCode: status } });

  it.each([
    [
      'a request timeout (node-http-handler)',
      Object.assign(new Error('a request has exceeded the configured 2000 ms requestTimeout.'), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      }),
    ],
    ['a connect timeout', Object.assign(new Error('the request socket did not establish a connection'), { name: 'TimeoutError' })],
    ['the call deadline', new CallDeadlineError('TimeoutError', 2_001)],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' })],
    ['connection reset', connectionReset()],
    ['socket hang up', socketHangUp()],
    ['a DNS failure', Object.assign(new Error('getaddrinfo EAI_AGAIN dynamodb'), { code: 'EAI_AGAIN' })],
    ['RequestTimeout', sdk('RequestTimeout', 408, 'client')],
    ['InternalServerError', new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } })],
    ['ServiceUnavailable', sdk('ServiceUnavailable', 503, 'server')],
    ['any other 5xx of the service', sdk('SomethingBroke', 502, 'server')],
    ['ProvisionedThroughputExceededException', throttling()],
    ['ThrottlingException', sdk('ThrottlingException', 400, 'client')],
    ['RequestLimitExceeded', new RequestLimitExceeded({ message: 'limit', $metadata: { httpStatusCode: 400 } })],
    [
      'a transaction cancelled for throttling',
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }],
      }),
    ],
    [
      'a wrapped network error',
      new Error('read failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }),
    ],
  ])('%s → 503', (_what, err) => {
    const mapped = asUnavailable(err);
    expect(mapped).toBeInstanceOf(ServiceUnavailableError);
    expect(mapped!.status).toBe(503);
    expect(mapped!.message).toBe(UNAVAILABLE_MESSAGE); // nothing of the cause is shown
  });

  it.each([
    ['a TypeError (a bug)', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a RangeError', new RangeError('Invalid time value')],
    ['a plain Error', new Error('boom')],
    ['a missing table', new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: { httpStatusCode: 400 } })],
    ['a malformed request', sdk('ValidationException', 400, 'client')],
    ['no permission', sdk('AccessDeniedException', 400, 'client')],
    [
      'a failed condition',
      new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'a transaction cancelled by a condition',
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
      }),
    ],
    ['a 404 of ours', new NotFoundError('client')],
    ['an error that is its own cause (a cycle is not followed for ever)', cyclic()],
    ['not an error', 'boom'],
    ['nothing', undefined],
  ])('%s → not unavailable', (_what, err) => {
    expect(asUnavailable(err)).toBeUndefined();
  });
});

describe('a programming error is still a 500', () => {
  const unit = () => {
    const broken = async (): Promise<never> => {
      throw new TypeError("Cannot read properties of undefined (reading 'timezone')");
    };
    const services = { clinics: { list: broken, ready: broken }, clients: {}, appointments: {} } as unknown as SchedulingServices;
    return createApiHandler({
      routes: SCHEDULING_ROUTES,
      handlers: schedulingRoutes(services),
      logger,
      clock: fixedClock(0),
      idempotency: { leaseSeconds: 30, claim: async () => null, complete: async () => {}, release: async () => {} },
      rateLimits: { take: async () => ({ allowed: true }) },
      audit: { append: async () => {} },
    });
  };

  it('a TypeError thrown by a service (no database involved): 500 internal, logged as an error', async () => {
    const res = await call(unit(), 'GET', '/v1/clinics');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'Internal error', correlationId: expect.any(String) } });
    expect(res.headers['retry-after']).toBeUndefined();
    expect(error).toHaveBeenCalledWith('unhandled error', expect.objectContaining({ errorName: 'TypeError' }));
    expect(warn).not.toHaveBeenCalled();
  });

  it('a TypeError raised inside a DynamoDB call: not retried, 500', async () => {
    db.fault = { kind: 'throw', error: () => new TypeError("Cannot read properties of undefined (reading 'S')") };
    const res = await call(scheduling(), 'GET', '/v1/health/ready');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal');
    expect(db.attempts).toBe(1);
  });
});
