// What a route declaration is (RouteDef) and the helpers the three route tables
// (./route-table/*.ts) are written with. The whole API's table is ./routes.ts.
import type { z } from 'zod/mini';
import type { Grant } from '#shared/auth/policy.ts';

export type FunctionName = 'scheduling' | 'payments' | 'billing';

/** Per-caller limits (shared/auth/policy.ts RATE_LIMITS): they bind anonymous callers and clients. */
export type RateLimitName = 'signup' | 'sms';

export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string; // API Gateway syntax: /v1/clinics/{clinicId}
  fn: FunctionName;
  /** Who may call it (shared/auth/policy.ts). 'public' and 'stripe' routes take no JWT authorizer. */
  allow: readonly Grant[];
  /** 'jwt': API Gateway's JWT authorizer must pass; 'none': public (a bearer token is optional). */
  auth: 'jwt' | 'none';
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** A creating write: answers 201 and honours Idempotency-Key. */
  create?: boolean;
  /** A create whose work goes on after the answer (a job started): 202 Accepted instead of 201. */
  accepted?: boolean;
  rateLimit?: RateLimitName;
  /** Recorded in the client's audit trail on success (health or payment information). */
  audit?: string;
}

type Opts = Partial<Pick<RouteDef, 'body' | 'query' | 'create' | 'accepted' | 'rateLimit' | 'audit'>>;

const route = (method: RouteDef['method'], path: string, fn: FunctionName, allow: readonly Grant[], opts: Opts = {}): RouteDef => ({
  method,
  path,
  fn,
  allow,
  auth: allow.includes('public') || allow.includes('stripe') ? 'none' : 'jwt',
  ...opts,
});

export const PUBLIC: readonly Grant[] = ['public'];
export const ADMIN: readonly Grant[] = ['admin'];
export const STAFF: readonly Grant[] = ['frontdesk', 'clinician', 'finance', 'admin'];
export const SELF_AND_STAFF: readonly Grant[] = ['self', ...STAFF];

export const sched = (method: RouteDef['method'], path: string, allow: readonly Grant[], opts?: Opts) =>
  route(method, path, 'scheduling', allow, opts);
export const pays = (method: RouteDef['method'], path: string, allow: readonly Grant[], opts?: Opts) =>
  route(method, path, 'payments', allow, opts);
export const bills = (method: RouteDef['method'], path: string, allow: readonly Grant[], opts?: Opts) =>
  route(method, path, 'billing', allow, opts);

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** The status of a route's success answer: 202 for a job started, 201 for a create, else 200. */
export const successStatus = (r: Pick<RouteDef, 'create' | 'accepted'>): 200 | 201 | 202 => (r.accepted ? 202 : r.create ? 201 : 200);
