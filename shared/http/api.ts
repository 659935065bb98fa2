// The router every HTTP function uses. For each request it enforces the route's declaration
// (shared/http/routes.ts) before any handler runs, in this order:
//
//   route known → caller (JWT claims, or an optional bearer token on public routes) → the
//   policy admits the caller (401 / 403) → per-caller rate limit (429) → query and body
//   validated (400) → Idempotency-Key (creates) → handler → audit entries → response
//
// Handlers receive the validated input and a Caller bound to the route's grants; they never see
// the raw event and never build an error body. Errors below 500 are shown as they are; a
// dependency that is down or too slow is a 503 with Retry-After (our own 503s, and the database
// failures `deps.unavailable` recognises); anything else is logged without PHI and answered with a
// generic 500 and a correlation id.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from './schemas/zod.ts';
import type { AuditEntry, AuditTarget as DomainAuditTarget } from '#domain/audit.ts';
import type { Clock } from '#adapters/clock.ts';
import {
  AppError,
  ForbiddenError,
  KeyInUseError,
  NotFoundError,
  RateLimitedError,
  RuleViolation,
  ServiceUnavailableError,
  UnauthenticatedError,
  ValidationError,
} from '#domain/errors.ts';
import { admits, Caller, isRateLimited, RATE_LIMITS } from '#shared/auth/policy.ts';
import { principalFromClaims, type Principal } from '#shared/auth/principal.ts';
import { routeKey, type RouteDef } from './route-def.ts';
import { idempotent, KeyStillHeld, type IdempotencyStore } from './idempotency.ts';
import { parseJsonBody, parseWith } from './validation.ts';
import { emptySchema } from './schemas/common.ts';

export interface ApiRequest {
  route: RouteDef;
  routeKey: string;
  pathParams: Record<string, string>;
  query: unknown;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The body as the route's schema parsed it; undefined for routes without a body schema. */
  body: unknown;
  rawBody: string | undefined;
  principal: Principal | null;
  caller: Caller;
  correlationId: string;
}

/**
 * A client record a request read or changed: one audit entry each (HIPAA §164.312(b)).
 * `recorded`: the change already wrote its entry in its own transaction.
 */
export type AuditTarget = DomainAuditTarget & { recorded?: boolean };

export interface ApiResult {
  status: number;
  body?: unknown;
  /**
   * A binary answer instead of a JSON `body` (e.g. a PDF): sent base64-encoded with
   * `isBase64Encoded: true` and this content type, as API Gateway (and the local server,
   * infra/local/http-adapter.ts toHttpResponse) decode it back into bytes. Errors stay JSON. Not
   * for `create` routes: the idempotency store replays JSON bodies only.
   */
  binary?: { contentType: string; data: Uint8Array };
  headers?: Record<string, string>;
  /** Required on routes that declare `audit`: whose health or payment data this touched. */
  audit?: AuditTarget[];
}

export type RouteHandler = (req: ApiRequest) => Promise<ApiResult>;

export type ApiEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, unknown>; scopes?: string[] | null } };
  };
};

/** Verifies a bearer token (Cognito on AWS, the local key locally); null when it is not valid. */
export type TokenVerifier = (token: string) => Promise<Record<string, unknown> | null>;

export interface RateLimiter {
  take(
    key: string,
    name: string,
    rule: { limit: number; windowSeconds: number },
    now: number,
  ): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}

export interface AuditSink {
  append(entries: AuditEntry[]): Promise<void>;
}

export interface RouterDeps {
  /**
   * The function's own route table (shared/http/route-table/<function>.ts), never the whole API's:
   * a bundle then holds only its own routes' request schemas.
   */
  routes: readonly RouteDef[];
  handlers: Record<string, RouteHandler>;
  logger: Logger;
  clock: Clock;
  /** Real time for per-caller rate limits when `clock` may be moved (the local dev clock). */
  realClock?: Clock | undefined;
  idempotency: IdempotencyStore;
  rateLimits: RateLimiter;
  audit: AuditSink;
  /** Optional bearer tokens on public routes; without it they are served anonymously. */
  verifyToken?: TokenVerifier | undefined;
  /** The client record a signed-up user created for itself, when its token does not name it yet. */
  linkedClientId?: ((sub: string) => Promise<string | undefined>) | undefined;
  /**
   * Maps a failure of a dependency (the database unreachable, too slow, throttling) to a 503 and
   * the facts a log line may carry; undefined for anything else, which stays a 500. The function
   * passes in shared/db/errors.ts `unavailableFailure`: shared/http does not import shared/db.
   */
  unavailable?: ((err: unknown) => { error: ServiceUnavailableError; facts: Record<string, unknown> } | undefined) | undefined;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function errorBody(err: AppError, correlationId: string): Record<string, unknown> {
  const error: Record<string, unknown> = { code: err.code, message: err.message };
  if (err instanceof RuleViolation) error.rule = err.rule;
  if (err instanceof ValidationError) error.details = err.details;
  if (err.status >= 500) error.correlationId = correlationId;
  return { error };
}

function errorHeaders(err: AppError): Record<string, string> {
  if (err instanceof RateLimitedError || err instanceof KeyInUseError) return { 'retry-after': String(err.retryAfterSeconds) };
  if (err instanceof ServiceUnavailableError) return { 'retry-after': '2' };
  return {};
}

function headersOf(event: ApiEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  return headers;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as text. API Gateway (and the local server) hand over bytes that are not valid UTF-8
 * base64-encoded: they are refused (the API speaks JSON in UTF-8), never decoded with
 * replacement characters into a stored name.
 */
function rawBodyOf(event: ApiEvent): string | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  if (!event.isBase64Encoded) return event.body;
  try {
    return UTF8.decode(Buffer.from(event.body, 'base64'));
  } catch {
    throw new ValidationError([{ path: '', message: 'The body is not valid UTF-8' }]);
  }
}

/** Own properties only: a query key `__proto__` stays a key (and is refused as unknown). */
function queryOf(event: ApiEvent): Record<string, string> {
  return Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
}

function toResult(result: ApiResult, correlationId: string): APIGatewayProxyStructuredResultV2 {
  if (result.binary) {
    const { contentType, data } = result.binary;
    return {
      statusCode: result.status,
      headers: { 'x-correlation-id': correlationId, ...result.headers, 'content-type': contentType },
      body: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'),
      isBase64Encoded: true,
    };
  }
  return {
    statusCode: result.status,
    headers: { ...JSON_HEADERS, 'x-correlation-id': correlationId, ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

/**
 * The body as the route's schema parses it. An absent body counts as `{}` where the schema takes
 * that (status changes, cancel, an invoice's checkout); updates and anything with required fields
 * need one.
 */
function validBody(route: RouteDef, rawBody: string | undefined): unknown {
  if (!route.body) return undefined;
  if (rawBody !== undefined && rawBody.trim() !== '') return parseWith(route.body, parseJsonBody(rawBody));
  const empty = route.method === 'PATCH' || route.method === 'PUT' ? null : z.safeParse(route.body, {});
  if (!empty?.success) throw new ValidationError([{ path: '', message: 'A JSON body is required' }]);
  return empty.data;
}

/** The longest id any record has; a longer one in a path names nothing (and would exceed a key). */
const MAX_ID_LENGTH = 100;

function pathParamsOf(event: ApiEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.pathParameters ?? {})) {
    if (v === undefined) continue;
    if (v === '' || v.length > MAX_ID_LENGTH) throw new NotFoundError(k.replace(/Id$/, ''));
    out[k] = v; // API Gateway hands them over decoded
  }
  return out;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Build the Lambda handler of one function from its route table and handlers (routeEntries). */
export function createApiHandler(deps: RouterDeps) {
  const routes = routeEntries(deps);

  async function principalOf(route: RouteDef, event: ApiEvent, headers: Record<string, string>): Promise<Principal | null> {
    let claims = event.requestContext?.authorizer?.jwt?.claims;
    if (!claims && route.auth === 'none' && headers.authorization !== undefined && deps.verifyToken) {
      // API Gateway's authorizer does not run on public routes: an optional token is verified here.
      const token = BEARER.exec(headers.authorization)?.[1];
      const verified = token ? await deps.verifyToken(token) : null;
      if (!verified) throw new UnauthenticatedError('The bearer token is not valid');
      claims = verified;
    }
    const principal = principalFromClaims(claims);
    if (principal && principal.roles.includes('client') && !principal.clientId && deps.linkedClientId) {
      const clientId = await deps.linkedClientId(principal.sub);
      if (clientId) return { ...principal, clientId };
    }
    return principal;
  }

  async function rateLimit(route: RouteDef, principal: Principal | null, event: ApiEvent): Promise<void> {
    if (!route.rateLimit || !isRateLimited(principal)) return;
    const who = principal ? `sub:${principal.sub}` : `ip:${event.requestContext?.http?.sourceIp ?? 'unknown'}`;
    const key = createHash('sha256').update(who).digest('base64url').slice(0, 32);
    const taken = await deps.rateLimits.take(key, route.rateLimit, RATE_LIMITS[route.rateLimit], (deps.realClock ?? deps.clock).now());
    if (!taken.allowed) throw new RateLimitedError(taken.retryAfterSeconds);
  }

  async function record(route: RouteDef, req: ApiRequest, result: ApiResult): Promise<void> {
    if (!route.audit || result.status >= 300) return;
    // a replay of an answer stored before replays kept their records: nothing to name
    if (result.headers?.['idempotent-replayed'] && !result.audit) return;
    if (!result.audit) throw new Error(`${req.routeKey} declares audit '${route.audit}' but its handler named no record`);
    const actor = req.caller.actor ?? { sub: 'anonymous', roles: [] };
    const at = deps.clock.now();
    // a replay changed nothing: it showed the records again, a read of each (`appointment.read`)
    const replayed = result.headers?.['idempotent-replayed'] === 'true';
    const entries = result.audit
      .filter((t) => !t.recorded)
      .map(({ clientId, clinicId, record: rec }) => ({
        clientId,
        clinicId,
        record: rec,
        at,
        actor,
        action: replayed ? `${rec.type}.read` : route.audit!,
        requestId: req.correlationId,
      }));
    if (entries.length > 0) await deps.audit.append(entries);
  }

  const base = async (event: ApiEvent): Promise<APIGatewayProxyStructuredResultV2> => {
    const correlationId = event.requestContext?.requestId || randomUUID();
    try {
      const entry = routes.get(event.routeKey);
      if (!entry) throw new NotFoundError('route');
      const { def, handler } = entry;
      const headers = headersOf(event);
      const principal = await principalOf(def, event, headers);
      // Before the body is read or anything looked up: an anonymous caller learns nothing (no 400
      // for its body, no 404 vs 401 for an id), a caller with no granted role neither.
      if (!admits(def.allow, principal)) throw principal ? new ForbiddenError() : new UnauthenticatedError();
      await rateLimit(def, principal, event);
      const query = parseWith(def.query ?? emptySchema, queryOf(event));
      const rawBody = rawBodyOf(event);
      const req: ApiRequest = {
        route: def,
        routeKey: event.routeKey,
        pathParams: pathParamsOf(event),
        query,
        headers,
        body: validBody(def, rawBody),
        rawBody,
        principal,
        caller: new Caller(principal, def.allow, def.audit ? { action: def.audit, requestId: correlationId } : undefined),
        correlationId,
      };
      const result = await handler(req);
      await record(def, req, result);
      const { audit: _audit, ...shown } = result;
      return toResult(shown, correlationId);
    } catch (err) {
      return toResult(failure(err, deps, event.routeKey, correlationId), correlationId);
    }
  };
  return middy<ApiEvent, APIGatewayProxyStructuredResultV2>().handler(base);
}

/**
 * The function's routes by key, each with its handler (idempotent where the route creates).
 * Every route of the table must have a handler and every handler a declared route: a route
 * without a declared policy cannot be served.
 */
function routeEntries(deps: Pick<RouterDeps, 'routes' | 'handlers' | 'idempotency' | 'clock'>) {
  const declared = deps.routes;
  const fn = declared[0]?.fn;
  if (!fn || declared.some((r) => r.fn !== fn))
    throw new Error('A function is built with its own route table: not empty, every route of one function');
  const keys = new Set(declared.map(routeKey));
  const undeclared = Object.keys(deps.handlers).filter((k) => !keys.has(k));
  const unhandled = [...keys].filter((k) => !deps.handlers[k]);
  if (undeclared.length > 0 || unhandled.length > 0) {
    throw new Error(
      `Route table and ${fn} handlers disagree: undeclared ${undeclared.join(', ') || '-'}; unhandled ${unhandled.join(', ') || '-'}`,
    );
  }
  return new Map(
    declared.map((r) => {
      const handler = deps.handlers[routeKey(r)]!;
      return [routeKey(r), { def: r, handler: r.create ? idempotent(deps.idempotency, deps.clock, handler) : handler }] as const;
    }),
  );
}

/**
 * What a failed request answers: an AppError its own status and body (logged from 500 up); an
 * unavailable dependency 503 with Retry-After, not a 500; anything else a logged, generic 500.
 */
function failure(err: unknown, deps: Pick<RouterDeps, 'logger' | 'unavailable'>, routeKey: string, correlationId: string): ApiResult {
  if (err instanceof KeyStillHeld) {
    const answer = failure(err.cause, deps, routeKey, correlationId);
    if (answer.status !== 503) return answer;
    const retry = Math.max(Number(answer.headers?.['retry-after'] ?? 0), err.retryAfterSeconds);
    return { ...answer, headers: { ...answer.headers, 'retry-after': String(retry) } };
  }
  const answer = (e: AppError): ApiResult => ({ status: e.status, body: errorBody(e, correlationId), headers: errorHeaders(e) });
  if (err instanceof AppError) {
    if (err.status >= 500) deps.logger.warn('request failed', { correlationId, routeKey, code: err.code });
    return answer(err);
  }
  // The database unreachable, too slow or throttling: 503 with Retry-After, not a 500.
  const unavailable = deps.unavailable?.(err);
  if (unavailable) {
    const { error, facts } = unavailable;
    deps.logger.warn('dependency unavailable', { correlationId, routeKey, code: error.code, ...facts });
    return answer(error);
  }
  deps.logger.error('unhandled error', {
    correlationId,
    routeKey,
    errorName: err instanceof Error ? err.name : typeof err,
    stack: err instanceof Error ? err.stack : undefined,
  });
  return { status: 500, body: { error: { code: 'internal', message: 'Internal error', correlationId } } };
}

/** The handler's view of its validated input: the schema named must be the route's own. */
export function bodyInput<S extends z.ZodMiniType>(req: ApiRequest, schema: S): z.output<S> {
  if (req.route.body !== schema) throw new Error(`${req.routeKey} does not declare this body schema`);
  return req.body as z.output<S>;
}

export function queryInput<S extends z.ZodMiniType>(req: ApiRequest, schema: S): z.output<S> {
  if (req.route.query !== schema) throw new Error(`${req.routeKey} does not declare this query schema`);
  return req.query as z.output<S>;
}
