// Every HTTP route of the deployed API, declared once, in three tables, one per function
// (./route-table/*.ts; what a declaration is: ./route-def.ts): method, path, the function that serves
// it, who may call it, its body and query schemas, whether it is an idempotent create, the
// per-caller rate limit and the audit action it records. The router (shared/http/api.ts)
// enforces each declaration before any handler runs; the CDK stack creates one API Gateway route
// per entry, the local server matches requests against the same list, the OpenAPI document is
// generated from it and the route × role test walks it. Dev-only routes are not here
// (infra/local).
//
// Each route's success answer is declared in ./schemas/responses.ts (RESPONSES, by route key),
// not here: each function's table is on its cold-start path, and only the OpenAPI document and
// the tests read response schemas (docs/decisions.md, "Cold start"). A function's router is given
// its own table, never this one, so that no bundle holds another function's request schemas.
import { routeKey, type RouteDef } from './route-def.ts';
import { BILLING_ROUTES } from './route-table/billing.ts';
import { PAYMENT_ROUTES } from './route-table/payments.ts';
import { SCHEDULING_ROUTES } from './route-table/scheduling.ts';

export { routeKey, successStatus, type FunctionName, type RouteDef } from './route-def.ts';

export const ROUTES: readonly RouteDef[] = [...SCHEDULING_ROUTES, ...PAYMENT_ROUTES, ...BILLING_ROUTES];

export const ROUTE_BY_KEY: ReadonlyMap<string, RouteDef> = new Map(ROUTES.map((r) => [routeKey(r), r]));
