// The local runtime behind `npm start`: DynamoDB Local, the table, demo data, and an HTTP server
// that plays API Gateway (HTTP API) for the exact Lambda handlers deployed on AWS: it matches
// ROUTES, does the JWT authorizer's job with local tokens, builds the v2.0 event and writes the
// function's result back. Dev-only helpers (infra/local/dev-routes.ts) are answered here.
//
//   npm start               PORT (default 3000); data persists in .data/dynamodb
//   npm start -- --fresh    start from an empty database
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { createDocumentClient } from '#db/client.ts';
import { createTable } from '#db/create-table.ts';
import { shiftableClock, systemClock } from '#adapters/clock.ts';
import { AppError, ValidationError } from '#domain/errors.ts';
import { errorBody, type ApiEvent } from '#http/api.ts';
import { ROUTES, routeKey, type FunctionName } from '#http/routes.ts';
import { createSchedulingHandler } from '#functions/scheduling/app.ts';
import { createPaymentsHandler } from '#functions/payments/app.ts';
import { createBillingHandler } from '#functions/billing/app.ts';
import { startLocalPayments, type LocalPayments } from './payments.ts';
import { startDynamoLocal, type DynamoLocal } from './dynamo.ts';
import { buildEvent, matchRoute, parseQuery, splitTarget, toHttpResponse, collectHeaders } from './http-adapter.ts';
import { localSigningKey, verifyLocalToken } from './auth.ts';
import { DEV_ROUTES, parseJsonBody, type DevContext, type DevRoute } from './dev-routes.ts';
import { seedDemoClients, seedDemoData } from './seed.ts';
import { seedDemoWeek } from './demo-week.ts';
import { WEB_DIST, ensureWebBuilt, isWebPath, serveWeb } from './web-static.ts';
import { OutboxSmsSender } from '#adapters/sms.ts';
import { localUserDirectory } from '#adapters/user-directory.ts';
import { createReminderJob } from '#functions/reminders/app.ts';
import { createRefundJob } from '#functions/refunds/app.ts';
import { createExportJob } from '#functions/exports/app.ts';
import { LocalExportStore } from '#adapters/export-store.ts';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '#shared/config.ts';
import { JobRuns } from './job-runs.ts';

/** A Lambda handler as the server calls it: the deployed handler, or a test's stand-in. */
export type LambdaLike = (event: ApiEvent, context: Context) => Promise<APIGatewayProxyResultV2<unknown>>;

export interface LocalServerOptions {
  port?: number;
  /** Default 127.0.0.1: the dev token endpoint mints any role, so do not expose it. */
  host?: string;
  /** Use an already running DynamoDB Local; otherwise one is started (and stopped by close()). */
  dynamoEndpoint?: string;
  /** Where the started DynamoDB Local keeps its data; default .data/dynamodb (git-ignored). */
  dataDir?: string;
  /** Delete dataDir before starting. Applies only to a DynamoDB Local started here. */
  fresh?: boolean;
  tableName?: string;
  seed?: boolean;
  handlers?: Partial<Record<FunctionName, LambdaLike>>;
  /** One line per request and server notices; default stdout. */
  log?: (line: string) => void;
  /** Aborting during startup stops whatever was already started and rejects. */
  signal?: AbortSignal;
  /** How often the reminder job runs (ms); 0 for never (tests). @default 30 s */
  reminderIntervalMs?: number;
  /** Where the ledger export job writes its files (the export bucket's stand-in). @default .data/exports */
  exportsDir?: string;
  /** The built web app served at / (infra/local/web-static.ts); false for none. @default web/dist */
  webDir?: string | false;
}

export interface LocalServer {
  url: string;
  port: number;
  tableName: string;
  endpoint: string;
  close(): Promise<void>;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_DATA_DIR = resolve(REPO_ROOT, '.data/dynamodb');
const DEFAULT_EXPORTS_DIR = resolve(REPO_ROOT, '.data/exports');
/**
 * SMS per second into the local outbox when SMS_RATE_PER_SECOND is not set. On AWS the default is
 * 1, the origination number's rate; here it would make a test that books ten appointments wait ten
 * seconds for the last confirmation.
 */
const LOCAL_SMS_RATE_PER_SECOND = 100;

/** The local reminder job's rate: SMS_RATE_PER_SECOND when set (`configured`, as loadConfig read it), else LOCAL_SMS_RATE_PER_SECOND. */
export function localSmsRatePerSecond(env: NodeJS.ProcessEnv, configured: number): number {
  return env.SMS_RATE_PER_SECOND === undefined ? LOCAL_SMS_RATE_PER_SECOND : configured;
}

const BODY_LIMIT = 1024 * 1024;
/** Past this an oversized upload is cut off instead of drained. */
const DRAIN_LIMIT = 16 * BODY_LIMIT;
/** API Gateway HTTP API's integration timeout, reported to the handler via the context. */
const TIMEOUT_MS = 30_000;
const REGION = 'us-east-1';

const logLevelSchema = z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO');

/**
 * Points the AWS SDK at nothing real: fixed dummy credentials, a region, no instance metadata
 * lookups. The local runtime must never reach a real AWS account from a laptop.
 */
export function useLocalAwsEnv(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_ACCESS_KEY_ID = 'local';
  env.AWS_SECRET_ACCESS_KEY = 'local';
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;
  env.AWS_REGION = REGION;
  env.AWS_EC2_METADATA_DISABLED = 'true';
}

function removeDataDir(dir: string): void {
  const forbidden = new Set([resolve('/'), REPO_ROOT, homedir()]);
  if (forbidden.has(dir)) throw new Error(`Refusing to delete ${dir} for --fresh`);
  rmSync(dir, { recursive: true, force: true });
}

function lambdaContext(fn: FunctionName, requestId: string): Context {
  const deadline = Date.now() + TIMEOUT_MS;
  const unsupported = () => {
    throw new Error('Callback-style Lambda completion is not supported locally');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: `kapstone-local-${fn}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:000000000000:function:kapstone-local-${fn}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/kapstone-local-${fn}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

type BodyResult = { ok: true; body: Buffer } | { ok: false };

/** The request body, or not ok past BODY_LIMIT (drained so the client can read the 413). */
function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((res, rej) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > DRAIN_LIMIT) {
      req.destroy();
      res({ ok: false });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT) {
        req.destroy();
        res({ ok: false });
      } else if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => res(size > BODY_LIMIT ? { ok: false } : { ok: true, body: Buffer.concat(chunks) }));
    req.on('error', rej);
  });
}

/** Node's default is 16 KB; API Gateway allows 10 KB of headers, so this only keeps the local server from answering first. */
const MAX_HEADER_BYTES = 64 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown, correlationId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-correlation-id': correlationId,
  });
  res.end(text);
}

const contractError = (code: string, message: string) => ({ error: { code, message } });

export async function startLocalServer(opts: LocalServerOptions = {}): Promise<LocalServer> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const tableName = opts.tableName ?? 'kapstone-local';
  const host = opts.host ?? '127.0.0.1';
  useLocalAwsEnv();
  localSigningKey(); // a broken LOCAL_JWT_SECRET fails the start, not every request
  const logLevel = logLevelSchema.parse(process.env.LOG_LEVEL);

  let dynamo: DynamoLocal | undefined;
  let payments: LocalPayments | undefined;
  let raw: DynamoDBClient | undefined;
  let doc: ReturnType<typeof createDocumentClient> | undefined;
  // Whatever else happens to the process, DynamoDB Local (a Java child) must not outlive it.
  // stop() sends SIGTERM synchronously, so this works from an 'exit' listener too.
  const killDynamoOnExit = () => void dynamo?.stop();
  try {
    opts.signal?.throwIfAborted();
    let endpoint = opts.dynamoEndpoint;
    if (!endpoint) {
      const dataDir = resolve(opts.dataDir ?? DEFAULT_DATA_DIR);
      if (opts.fresh) removeDataDir(dataDir);
      dynamo = await startDynamoLocal({ dataDir });
      process.on('exit', killDynamoOnExit);
      endpoint = dynamo.endpoint;
    }
    opts.signal?.throwIfAborted();
    raw = new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await createTable(raw, tableName);
    doc = createDocumentClient({ region: REGION, endpoint });
    opts.signal?.throwIfAborted();
    if (opts.seed ?? true) {
      await seedDemoData({ doc, tableName, clock: systemClock });
      // demo people for the web app's local sign-in (not in the test helpers' seed)
      await seedDemoClients({ doc, tableName, clock: systemClock });
      // a third clinic whose fortnight is full (infra/local/demo-week.ts)
      await seedDemoWeek({ doc, tableName, clock: systemClock });
    }
    opts.signal?.throwIfAborted();

    // One clock for every service of the local server, movable with POST /v1/dev/clock; tokens,
    // webhook signatures and rate limits keep real time (systemClock).
    const clock = shiftableClock(systemClock);

    // The reminder job as on AWS, with the outbox for a sender: on a timer, and at once after a
    // change that queued a notice. Runs never overlap here (and would still send each SMS at most once if they did).
    const smsConfig = loadConfig({ ...process.env, TABLE_NAME: tableName });
    const outbox = new OutboxSmsSender(() => clock.now());
    const reminderJob = createReminderJob({
      doc,
      tableName,
      clock,
      logger: new Logger({ serviceName: 'reminders', logLevel }),
      sender: outbox,
      options: {
        // the outbox is no carrier: a burst of notices shows at once unless a rate is asked for
        ratePerSecond: localSmsRatePerSecond(process.env, smsConfig.SMS_RATE_PER_SECOND),
        rescheduleHint: smsConfig.SMS_RESCHEDULE_HINT,
        dailyNoticeCap: smsConfig.SMS_DAILY_NOTICE_CAP,
      },
    });
    // The offline Stripe's sweep of expired Checkout Sessions (LocalPayments.deliverExpiries): a
    // failure is logged and the jobs run on; an event the webhook refused is sent again on the next sweeps, as Stripe retries.
    const sweepCheckoutExpiries = async (): Promise<void> => {
      try {
        const delivered = (await devCtx.payments?.deliverExpiries(handlers.payments)) ?? [];
        for (const d of delivered.filter((x) => x.status >= 300)) log(`checkout expiry not accepted: ${d.type} ${d.status}`);
      } catch (err) {
        log(`checkout expiry sweep failed: ${err instanceof Error ? err.name : typeof err}`);
      }
    };
    // the refund job rides on the timer's runs (on AWS it has its own schedule: infra/lib/refunds.ts),
    // after the offline Stripe's sweep of Checkout Sessions past their expiry (real Stripe sends
    // checkout.session.expired by itself); a change that queued an SMS runs the SMS job alone
    const jobs = new JobRuns((kind) => {
      const sms = () => reminderJob.run({ budgetMs: 25_000 });
      const run =
        kind === 'sms'
          ? sms()
          : sweepCheckoutExpiries()
              .then(sms)
              .then(() => devCtx.refunds?.run());
      return run.catch((err: unknown) => log(`reminder job failed: ${err instanceof Error ? err.name : typeof err}`));
    });
    const runJob = (): void => jobs.request('all');
    const intervalMs = opts.reminderIntervalMs ?? 30_000;
    let jobTimer: ReturnType<typeof setInterval> | undefined;
    const stopJob = async () => {
      if (jobTimer) clearInterval(jobTimer);
      await jobs.stop();
    };

    // The ledger export job as on AWS, with a folder for a bucket: run in this process when an
    // export is asked for, not awaited by the request (on AWS an asynchronous invocation); its
    // links point at GET /v1/dev/exports/{file} of this server (its URL known once it listens).
    let serverUrl = '';
    const exportStore = new LocalExportStore({ dir: opts.exportsDir ?? DEFAULT_EXPORTS_DIR, baseUrl: () => serverUrl });
    const exportJob = createExportJob({
      doc,
      tableName,
      clock,
      logger: new Logger({ serviceName: 'exports', logLevel }),
      store: exportStore,
    });
    const exportsRunning = new Set<Promise<unknown>>();
    const localExports = {
      start: async (exportId: string) => {
        const run: Promise<unknown> = exportJob
          .run(exportId)
          .catch((err: unknown) => log(`export job failed: ${err instanceof Error ? err.name : typeof err}`))
          .finally(() => exportsRunning.delete(run));
        exportsRunning.add(run);
      },
      url: (file: string) => exportStore.url(file),
    };

    // The payments function needs the server's own URL (Checkout's local page), known once it listens.
    const notYet: LambdaLike = async () => {
      throw new Error('the payments function is still starting');
    };
    const handlers: Record<FunctionName, LambdaLike> = {
      scheduling:
        opts.handlers?.scheduling ??
        createSchedulingHandler({
          doc,
          tableName,
          clock,
          realClock: systemClock,
          logger: new Logger({ serviceName: 'scheduling', logLevel }),
          verifyToken: verifyLocalToken,
          onSmsQueued: intervalMs > 0 ? () => jobs.request('sms') : undefined,
          // no Cognito: a signed-up user gets a token with its clientId from POST /v1/dev/token
          users: localUserDirectory,
        }),
      payments: opts.handlers?.payments ?? notYet,
      billing:
        opts.handlers?.billing ??
        createBillingHandler({
          doc,
          tableName,
          clock,
          realClock: systemClock,
          logger: new Logger({ serviceName: 'billing', logLevel }),
          verifyToken: verifyLocalToken,
          exports: localExports,
        }),
    };
    const devCtx: DevContext = {
      doc,
      tableName,
      clock,
      devClock: clock,
      logger: new Logger({ serviceName: 'local-dev', logLevel }),
      handlers,
      reminders: { job: reminderJob, outbox },
      exports: exportStore,
      jobs: { betweenRuns: (change) => jobs.betweenRuns(change) },
    };

    // headers up to 64 KB reach the API (an oversized token is its 401); beyond that, the API's 400 shape
    const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
      void handleRequest(req, res, { handlers, devCtx, log, webDir: opts.webDir ?? WEB_DIST });
    });
    // an idle keep-alive connection is closed by the client first (Node's default of 5 s on the server
    // side raced clients that reuse a connection at that moment: a POST answered by ECONNRESET)
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy();
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const refused = new ValidationError(
        [{ path: '', message: tooLarge ? 'The request headers exceed 64 KB' : 'Not a valid HTTP request' }],
        'Invalid request',
      );
      const text = JSON.stringify(errorBody(refused, randomUUID()));
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
      );
    });
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', rej);
        res();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const baseUrl = `http://${urlHost}:${port}`;
    serverUrl = baseUrl;
    // payments Stripe reports are dated by the dev clock, like every other record (signatures keep real time)
    payments = await startLocalPayments({ checkoutBaseUrl: `${baseUrl}/v1/dev/checkout`, stripeNow: () => clock.now() });
    devCtx.payments = payments;
    devCtx.refunds = createRefundJob({
      doc,
      tableName,
      clock,
      logger: new Logger({ serviceName: 'refunds', logLevel }),
      gateway: payments.gateway,
    });
    if (!opts.handlers?.payments) {
      handlers.payments = createPaymentsHandler({
        doc,
        tableName,
        clock,
        realClock: systemClock,
        logger: new Logger({ serviceName: 'payments', logLevel }),
        verifyToken: verifyLocalToken,
        gateway: payments.gateway,
        appBaseUrl: process.env.APP_BASE_URL ?? baseUrl,
      });
    }

    // started last: a failed start leaves no timer behind
    if (intervalMs > 0) {
      jobTimer = setInterval(runJob, intervalMs);
      jobTimer.unref();
    }

    const ownDynamo = dynamo;
    const rawClient = raw;
    const docClient = doc;
    let closing: Promise<void> | undefined;
    return {
      url: baseUrl,
      port,
      tableName,
      endpoint,
      close: () => {
        closing ??= (async () => {
          await closeServer(server);
          await stopJob();
          await Promise.allSettled([...exportsRunning]);
          await payments?.close();
          docClient.destroy();
          rawClient.destroy();
          await ownDynamo?.stop();
          process.off('exit', killDynamoOnExit);
        })();
        return closing;
      },
    };
  } catch (err) {
    await payments?.close();
    doc?.destroy();
    raw?.destroy();
    await dynamo?.stop();
    process.off('exit', killDynamoOnExit);
    throw err;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((res, rej) => {
    server.close((err) => (err ? rej(err) : res()));
    server.closeIdleConnections();
    // Requests still running get a moment to finish; keep-alive sockets would hold close() forever.
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}

interface RequestDeps {
  handlers: Record<FunctionName, LambdaLike>;
  devCtx: DevContext;
  log: (line: string) => void;
  webDir: string | false;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, deps: RequestDeps): Promise<void> {
  const started = process.hrtime.bigint();
  const requestId = randomUUID();
  const method = (req.method ?? 'GET').toUpperCase();
  const { rawPath, rawQueryString } = splitTarget(req.url ?? '/');
  const dev = matchRoute(DEV_ROUTES, method, rawPath);
  const api = dev ? null : matchRoute(ROUTES, method, rawPath);
  // Only the route template is logged: paths and query strings may carry identifiers or PHI.
  const web = !dev && !api && deps.webDir !== false && isWebPath(rawPath) ? deps.webDir : undefined;
  const label = dev ? routeKey(dev.route) : api ? routeKey(api.route) : web ? `${method} (web app)` : `${method} (no route)`;
  res.once('close', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    deps.log(`${label} ${res.writableFinished ? res.statusCode : 'aborted'} ${ms.toFixed(1)}ms`);
  });

  try {
    const read = await readBody(req);
    if (!read.ok) {
      res.setHeader('connection', 'close');
      // 400, not 413: the API's table of statuses has no 413 (docs/api.md, "Errors")
      const tooLarge = new ValidationError([{ path: '', message: 'The request body exceeds 1 MB' }]);
      sendJson(res, tooLarge.status, errorBody(tooLarge, requestId), requestId);
      return;
    }
    if (dev) {
      await answerDev(dev.route, dev.pathParameters, req, res, read.body, rawQueryString, requestId, deps.devCtx);
      return;
    }
    if (web) {
      serveWeb(web, req, res, rawPath);
      return;
    }
    if (!api) {
      sendJson(res, 404, contractError('not_found', 'No such route'), requestId);
      return;
    }
    let claims: Record<string, unknown> | undefined;
    if (api.route.auth === 'jwt') {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      const verified = token ? await verifyLocalToken(token) : null;
      if (!verified) {
        sendJson(res, 401, contractError('unauthenticated', 'A valid bearer token is required'), requestId);
        return;
      }
      claims = verified;
    }
    const event = buildEvent(
      {
        method,
        url: req.url ?? '/',
        rawHeaders: req.rawHeaders,
        body: read.body,
        sourceIp: req.socket.remoteAddress,
        protocol: `HTTP/${req.httpVersion}`,
      },
      { match: api, claims, requestId },
    );
    const fn = api.route.fn;
    const result = await deps.handlers[fn](event, lambdaContext(fn, requestId));
    const out = toHttpResponse(result);
    for (const [name, value] of Object.entries(out.headers)) res.setHeader(name, value);
    if (out.cookies.length > 0) res.setHeader('set-cookie', out.cookies);
    res.setHeader('content-length', out.body.length);
    res.statusCode = out.statusCode;
    res.end(out.body);
  } catch (err) {
    // What API Gateway does when the function fails: a 500, details only in the log.
    deps.log(`${label} failed [${requestId}]: ${err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : typeof err}`);
    if (res.headersSent) res.destroy();
    else sendJson(res, 500, { error: { code: 'internal', message: 'Internal error', correlationId: requestId } }, requestId);
  }
}

async function answerDev(
  route: DevRoute,
  pathParams: Record<string, string> | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  rawQueryString: string,
  requestId: string,
  ctx: DevContext,
): Promise<void> {
  const rawBody = body.length > 0 ? body.toString('utf8') : undefined;
  try {
    const out = await route.handle(
      {
        pathParams: pathParams ?? {},
        query: parseQuery(rawQueryString) ?? {},
        headers: collectHeaders(req.rawHeaders).headers,
        rawBody,
        json: () => parseJsonBody(rawBody),
      },
      ctx,
    );
    const contentType = Object.entries(out.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type');
    if (out.stream) {
      res.writeHead(out.status, { ...out.headers, 'x-correlation-id': requestId });
      await pipeline(out.stream, res);
    } else if (contentType && typeof out.body === 'string') {
      res.writeHead(out.status, { ...out.headers, 'content-length': Buffer.byteLength(out.body), 'x-correlation-id': requestId });
      res.end(out.body);
    } else if (out.body === undefined) {
      res.writeHead(out.status, { ...out.headers, 'x-correlation-id': requestId });
      res.end();
    } else {
      for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
      sendJson(res, out.status, out.body, requestId);
    }
  } catch (err) {
    if (err instanceof AppError && err.status < 500) {
      sendJson(res, err.status, errorBody(err, requestId), requestId);
      return;
    }
    throw err;
  }
}

/**
 * What `npm start` prints once it listens. The app's address is the one its links come back to
 * (APP_BASE_URL: Stripe Checkout's return), not the server's own 127.0.0.1: a sign-in is kept per
 * address, so a client who opened the other one would be signed out after paying.
 */
export function bannerLines(
  server: Pick<LocalServer, 'port' | 'url' | 'endpoint' | 'tableName'>,
  appBaseUrl: string | undefined,
  dataNote: string,
): string[] {
  const port = server.port;
  const app = (appBaseUrl ?? server.url).replace(/\/+$/, '');
  // the reminder example's `now`: this time tomorrow, so that it is ahead whatever the day
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [
    '',
    `  Kapstone web app     ${app}/`,
    `  Kapstone local API   ${app}/v1`,
    `  DynamoDB Local       ${server.endpoint} (table ${server.tableName}; ${dataNote})`,
    '',
    '  Get a token:',
    `    curl -X POST localhost:${port}/v1/dev/token -d '{"role":"admin"}'`,
    `    curl localhost:${port}/v1/clinics`,
    '',
    '  SMS go to a local outbox (the reminder job runs every 30 s and after each booking change):',
    `    curl localhost:${port}/v1/dev/outbox`,
    `    curl -X POST localhost:${port}/v1/dev/reminders/run -d '{"now":"${tomorrow}"}'`,
    '',
    '  Ctrl-C stops the server and DynamoDB Local.',
    '',
  ];
}

async function main(): Promise<void> {
  const port = z.coerce.number().int().min(0).max(65535).default(3000).parse(process.env.PORT);
  const fresh = process.argv.slice(2).includes('--fresh');
  // Checkout sends the browser back to the address the README opens (localhost, not 127.0.0.1):
  // a signed-in session is kept per address, and a return to the other one would sign the user out
  if (port !== 0) process.env.APP_BASE_URL ??= `http://localhost:${port}`;
  const startup = new AbortController();
  try {
    await ensureWebBuilt();
  } catch (err) {
    // the API still starts; the app's pages say how to build it
    process.stderr.write(`The web app could not be built: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  const starting = startLocalServer({ port, fresh, signal: startup.signal });
  let stopping = false;

  const shutdown = (code: number) => {
    if (stopping) {
      // Second signal: leave now; the 'exit' listener still sends DynamoDB Local its SIGTERM.
      process.exit(code);
    }
    stopping = true;
    startup.abort();
    // Still starting: the abort makes startLocalServer stop what it started, then reject.
    starting
      .then(
        (server) => server.close(),
        () => undefined,
      )
      .then(
        () => process.exit(code),
        (err: unknown) => {
          process.stderr.write(`shutdown failed: ${String(err)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown(130));
  process.on('SIGTERM', () => shutdown(143));
  process.on('SIGHUP', () => shutdown(129)); // terminal closed
  process.on('uncaughtException', (err) => {
    process.stderr.write(`uncaught exception: ${err.stack ?? String(err)}\n`);
    shutdown(1);
  });
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
    shutdown(1);
  });

  let server: LocalServer;
  try {
    server = await starting;
  } catch (err) {
    if (stopping) return; // interrupted during startup; shutdown() exits
    process.stderr.write(`Could not start the local server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  if (stopping) return;
  const dataNote = fresh ? 'fresh data in .data/dynamodb' : 'data kept in .data/dynamodb, --fresh to reset';
  process.stdout.write(`${bannerLines(server, process.env.APP_BASE_URL, dataNote).join('\n')}\n`);
}

const invokedPath = process.argv[1] ? resolve(process.argv[1]) : '';
if (invokedPath === fileURLToPath(import.meta.url)) void main();
