// The middy stack every HTTP function uses: correlation id → JSON body → route dispatch →
// error mapping. Handlers receive an ApiRequest and return an ApiResult; they never see the raw
// API Gateway event and never build an error body themselves.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { AppError, NotFoundError, RuleViolation, UnauthenticatedError, ValidationError } from '#domain/errors.ts';
import { principalFromClaims, type Principal } from '#shared/auth/principal.ts';
import { ROUTES, routeKey } from './routes.ts';

export interface ApiRequest {
  routeKey: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  rawBody: string | undefined;
  principal: Principal | null;
  correlationId: string;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: ApiRequest) => Promise<ApiResult>;

export type ApiEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, unknown>; scopes?: string[] | null } };
  };
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** Routes behind API Gateway's JWT authorizer (shared/http/routes.ts). */
const JWT_ROUTES: ReadonlySet<string> = new Set(ROUTES.filter((r) => r.auth === 'jwt').map(routeKey));

export function errorBody(err: AppError, correlationId: string): Record<string, unknown> {
  const error: Record<string, unknown> = { code: err.code, message: err.message };
  if (err instanceof RuleViolation) error.rule = err.rule;
  if (err instanceof ValidationError) error.details = err.details;
  if (err.status >= 500) error.correlationId = correlationId;
  return { error };
}

function toRequest(event: ApiEvent, correlationId: string): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const rawBody =
    event.body === undefined || event.body === null
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  let body: unknown;
  if (rawBody !== undefined && rawBody.trim() !== '') {
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new ValidationError([{ path: '', message: 'Malformed JSON body' }], 'Malformed JSON body');
    }
  }
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
  const pathParams: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.pathParameters ?? {})) if (v !== undefined) pathParams[k] = v; // API Gateway hands them over decoded
  return {
    routeKey: event.routeKey,
    pathParams,
    query,
    headers,
    body,
    rawBody,
    principal: principalFromClaims(event.requestContext.authorizer?.jwt?.claims),
    correlationId,
  };
}

function toResult(result: ApiResult, correlationId: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: result.status,
    headers: { ...JSON_HEADERS, 'x-correlation-id': correlationId, ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

/**
 * Build the Lambda handler of one function from its route table. Errors below 500 are shown as
 * they are; anything else is logged (no request body, so no PHI) and answered with a generic 500.
 */
export function createApiHandler(routes: Record<string, RouteHandler>, logger: Logger) {
  const base = async (event: ApiEvent): Promise<APIGatewayProxyStructuredResultV2> => {
    const correlationId = event.requestContext?.requestId || randomUUID();
    try {
      const route = routes[event.routeKey];
      if (!route) throw new NotFoundError('route');
      // On AWS the JWT authorizer stops a request without a valid token before it gets here; the
      // function defends itself the same way, before reading the body or looking anything up, so
      // an anonymous caller learns nothing (no 400 for its body, no 404 vs 401 for an id).
      if (JWT_ROUTES.has(event.routeKey) && !principalFromClaims(event.requestContext?.authorizer?.jwt?.claims)) {
        throw new UnauthenticatedError();
      }
      const result = await route(toRequest(event, correlationId));
      return toResult(result, correlationId);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        return toResult({ status: err.status, body: errorBody(err, correlationId) }, correlationId);
      }
      if (err instanceof AppError) {
        logger.warn('request failed', { correlationId, routeKey: event.routeKey, code: err.code });
        return toResult({ status: err.status, body: errorBody(err, correlationId) }, correlationId);
      }
      logger.error('unhandled error', {
        correlationId,
        routeKey: event.routeKey,
        errorName: err instanceof Error ? err.name : typeof err,
        stack: err instanceof Error ? err.stack : undefined,
      });
      return toResult(
        { status: 500, body: { error: { code: 'internal', message: 'Internal error', correlationId } } },
        correlationId,
      );
    }
  };
  return middy<ApiEvent, APIGatewayProxyStructuredResultV2>().handler(base);
}
