// API Gateway HTTP API (v2) events as the local server and AWS build them, with the JWT claims
// API Gateway's authorizer would pass on. Shared by the test harness and the benchmark (so no
// vitest import here).
import { ROUTES, type FunctionName } from '#http/routes.ts';
import type { ApiEvent } from '#http/api.ts';
import type { Role } from '#domain/types.ts';
import { buildEvent, matchRoute } from '#infra/local/http-adapter.ts';

export interface As {
  role: Role;
  clinicId?: string;
  clientId?: string;
  sub?: string;
  /** A verified e-mail address in the token (self sign-up). */
  email?: string;
}

export interface EventOptions {
  as?: As;
  /** An object is sent as JSON; a string is sent as it is (for malformed bodies). */
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/** The event for a request, and the function whose route it is; null when no route matches. */
export function apiEvent(method: string, path: string, o: EventOptions = {}): { event: ApiEvent; fn: FunctionName } | null {
  const match = matchRoute(ROUTES, method, path.split('?')[0]!);
  if (!match) return null;
  const qs = o.query ? `?${new URLSearchParams(o.query).toString()}` : '';
  const raw = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const rawHeaders = ['content-type', 'application/json', ...Object.entries(o.headers ?? {}).flat()];
  // As API Gateway's authorizer passes them on (closed routes) or as the function finds them by
  // verifying an optional token itself (public routes).
  const claims = o.as
    ? {
        sub: o.as.sub ?? `${o.as.role}-${o.as.clinicId ?? o.as.clientId ?? 'x'}`,
        'cognito:groups': [o.as.role],
        ...(o.as.clinicId ? { 'custom:clinicId': o.as.clinicId } : {}),
        ...(o.as.clientId ? { 'custom:clientId': o.as.clientId } : {}),
        ...(o.as.email ? { email: o.as.email, email_verified: 'true' } : {}),
      }
    : undefined;
  const event = buildEvent(
    { method, url: path + qs, rawHeaders, body: raw === undefined ? undefined : Buffer.from(raw) },
    { match, claims },
  );
  return { event, fn: match.route.fn };
}
