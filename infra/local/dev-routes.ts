// Local-only helper endpoints (docs/operations.md, "Local development helpers"). They are answered by the
// local server itself, are never part of ROUTES and so never reach API Gateway or a Lambda.
// To add one (outbox, reminder run, checkout), add an entry to DEV_ROUTES; its handler gets the
// same DynamoDB table and clock the functions use, and throws the shared AppErrors for 4xx.
import { z } from 'zod';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import { ROLES } from '#domain/types.ts';
import { ValidationError } from '#domain/errors.ts';
import { parseWith } from '#http/validation.ts';
import { issueLocalToken } from './auth.ts';
import { buildOpenApi } from './openapi.ts';
import type { FunctionName } from '#http/routes.ts';
import type { LambdaLike } from './server.ts';
import type { LocalPayments } from './payments.ts';
import { CHECKOUT_DEV_ROUTES } from './dev-checkout.ts';
import { REMINDER_DEV_ROUTES } from './dev-reminders.ts';
import { EXPORT_DEV_ROUTES } from './dev-exports.ts';
import type { LocalExportStore } from '#adapters/export-store.ts';
import type { Readable } from 'node:stream';
import { DEMO_CLIENTS } from './seed.ts';
import { DEMO_WEEK_SIGN_IN } from './demo-week.ts';
import type { ReminderJob } from '#services/reminder-job.ts';
import type { RefundJob } from '#services/refund-job.ts';
import type { OutboxSmsSender } from '#adapters/sms.ts';

/** What a dev route may use. Widen it when a helper needs more (e.g. the webhook handler). */
export interface DevContext {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  /** The services' clock, movable (POST /v1/dev/clock); absent where a test fixes the clock itself. */
  devClock?: Clock & { shift(to: number | null): void; shifted(): boolean };
  logger: Logger;
  /** The functions, as the server calls them (the payments helpers deliver webhook events to one). */
  handlers: Record<FunctionName, LambdaLike>;
  /** Set once the server listens. */
  payments?: LocalPayments;
  /** The reminder job the server runs on a timer, and the outbox its sender writes to. */
  reminders?: { job: ReminderJob; outbox: OutboxSmsSender };
  /** The refund job (with the offline Stripe), set once payments start; run on the same timer. */
  refunds?: RefundJob;
  /** Where the local export job writes its files (the export bucket's stand-in). */
  exports?: LocalExportStore;
  /**
   * The server's job runs (reminders, refunds, checkout expiries): `betweenRuns` runs a change
   * after the run in progress ends, with none starting until it is done.
   */
  jobs?: { betweenRuns<T>(change: () => Promise<T>): Promise<T> };
}

export interface DevRequest {
  pathParams: Record<string, string>;
  query: Record<string, string>;
  /** Names lower-cased. */
  headers: Record<string, string>;
  rawBody: string | undefined;
  /** The body parsed as JSON (undefined when empty); malformed JSON throws the API's 400. */
  json(): unknown;
}

export interface DevResponse {
  status: number;
  /** Serialised as JSON, unless it is a string and `headers` name a content-type (e.g. an HTML page). */
  body?: unknown;
  /** Sent as it is read instead of `body` (a file), with `headers` naming its content-type. */
  stream?: Readable;
  headers?: Record<string, string>;
}

export interface DevRoute {
  method: 'GET' | 'POST';
  /** API Gateway path syntax, matched like ROUTES (infra/local/http-adapter.ts). */
  path: string;
  handle(req: DevRequest, ctx: DevContext): Promise<DevResponse>;
}

export function parseJsonBody(rawBody: string | undefined): unknown {
  if (rawBody === undefined || rawBody.trim() === '') return undefined;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    throw new ValidationError([{ path: '', message: 'Malformed JSON body' }], 'Malformed JSON body');
  }
}

const tokenRequest = z.strictObject({
  role: z.enum(ROLES),
  clinicId: z.string().min(1).optional(),
  clientId: z.string().min(1).optional(),
  sub: z.string().min(1).optional(),
  email: z.email().optional(),
});

const clockRequest = z.strictObject({
  now: z.union([z.iso.datetime({ offset: true }), z.null()]),
});

/** Moves every service's clock to `now` (or back to real time with null); it runs on from there. */
const setClock: DevRoute['handle'] = async (req, ctx) => {
  const { now } = parseWith(clockRequest, req.json());
  if (!ctx.devClock) throw new ValidationError([{ path: 'now', message: 'This server has no movable clock' }]);
  ctx.devClock.shift(now === null ? null : Date.parse(now));
  return readClock(req, ctx);
};

const readClock: DevRoute['handle'] = async (_req, ctx) => ({
  status: 200,
  body: { now: new Date(ctx.clock.now()).toISOString(), shifted: ctx.devClock?.shifted() ?? false },
});

const issueToken: DevRoute['handle'] = async (req) => {
  const input = parseWith(tokenRequest, req.json());
  return { status: 200, body: { token: await issueLocalToken(input) } };
};

export const DEV_ROUTES: readonly DevRoute[] = [
  { method: 'POST', path: '/v1/dev/token', handle: issueToken },
  { method: 'GET', path: '/v1/dev/clock', handle: readClock },
  { method: 'POST', path: '/v1/dev/clock', handle: setClock },
  // the demo clients the web app's local sign-in offers (infra/local/seed.ts, and two of the demo
  // week's, infra/local/demo-week.ts): ids and names only
  {
    method: 'GET',
    path: '/v1/dev/demo-clients',
    handle: async () => ({
      status: 200,
      body: [...DEMO_CLIENTS.map((c) => ({ id: c.id, clinicId: c.clinicId, name: `${c.firstName} ${c.lastName}` })), ...DEMO_WEEK_SIGN_IN],
    }),
  },
  // the generated API description, for a local Swagger UI or client generator
  { method: 'GET', path: '/v1/openapi.json', handle: async () => ({ status: 200, body: buildOpenApi() }) },
  ...CHECKOUT_DEV_ROUTES,
  ...REMINDER_DEV_ROUTES,
  ...EXPORT_DEV_ROUTES,
];
