// What every function does to its route table before serving it: creating writes honour
// Idempotency-Key, and a route that takes no query parameters refuses any (api-contract.md,
// Conventions: bad query parameters are a 400).
import type { z } from 'zod';
import type { Clock } from '#adapters/clock.ts';
import type { IdempotencyRepository } from '#db/idempotency-repo.ts';
import type { RouteHandler } from './api.ts';
import { idempotent } from './idempotency.ts';
import { parseWith } from './validation.ts';

export interface GuardOptions {
  /** Route keys of the creating writes. */
  creates: readonly string[];
  /** Routes that take query parameters validate them themselves; the others take none. */
  requestSchemas: Record<string, { query?: z.ZodType }>;
  noQuery: z.ZodType;
  idempotency: IdempotencyRepository;
  clock: Clock;
}

export function guardRoutes(routes: Record<string, RouteHandler>, opts: GuardOptions): Record<string, RouteHandler> {
  const out: Record<string, RouteHandler> = {};
  for (const [key, route] of Object.entries(routes)) {
    const inner = opts.creates.includes(key) ? idempotent(opts.idempotency, opts.clock, route) : route;
    out[key] = opts.requestSchemas[key]?.query
      ? inner
      : async (req) => {
          parseWith(opts.noQuery, req.query);
          return inner(req);
        };
  }
  return out;
}
