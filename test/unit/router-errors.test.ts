// What the router answers when a handler throws (shared/http/api.ts): our own errors below 500
// with their message; our own 5xx with a correlation id and a warning logged; anything else a
// generic 500 that shows nothing of the error, whatever `status` the thrown value claims.
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { fixedClock } from '#adapters/clock.ts';
import { AppError, ConflictError, ServiceUnavailableError } from '#domain/errors.ts';
import { createApiHandler, errorBody } from '#http/api.ts';
import { KeyStillHeld } from '#http/idempotency.ts';
import { SCHEDULING_ROUTES } from '#http/route-table/scheduling.ts';
import { routeKey } from '#http/routes.ts';
import { apiEvent } from '#test/helpers/events.ts';

function routerThrowing(thrown: unknown) {
  const logger = { warn: vi.fn(), error: vi.fn(), info: vi.fn(), debug: vi.fn() };
  const handler = createApiHandler({
    routes: SCHEDULING_ROUTES,
    handlers: Object.fromEntries(
      SCHEDULING_ROUTES.map((r) => [
        routeKey(r),
        async () => {
          throw thrown;
        },
      ]),
    ),
    logger: logger as unknown as Logger,
    clock: fixedClock(0),
    idempotency: { leaseSeconds: 30, claim: async () => null, complete: async () => undefined, release: async () => undefined },
    rateLimits: { take: async () => ({ allowed: true }) },
    audit: { append: async () => undefined },
  });
  const call = async () => {
    const res = await handler(apiEvent('GET', '/v1/health')!.event, {} as Context);
    return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(res.body ?? '{}') as { error: Record<string, unknown> } };
  };
  return { call, logger };
}

describe('the router and a thrown error', () => {
  it('shows our own error below 500 as it is, and logs nothing', async () => {
    const { call, logger } = routerThrowing(new ConflictError('Not in a state that allows this'));
    expect(await call()).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: 'Not in a state that allows this' } } });
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('answers our own 5xx with its code and a correlation id, and logs a warning', async () => {
    const { call, logger } = routerThrowing(new ServiceUnavailableError());
    const res = await call();
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body.error).toMatchObject({ code: 'unavailable', correlationId: expect.any(String) });
    expect(logger.warn).toHaveBeenCalledWith('request failed', expect.objectContaining({ code: 'unavailable' }));
  });

  it('a request whose Idempotency-Key is still held: its 503 says to come back when the key is free, another answer is as it is', async () => {
    const unavailable = await routerThrowing(new KeyStillHeld(new ServiceUnavailableError(), 27)).call();
    expect([unavailable.status, unavailable.headers['retry-after'], unavailable.body.error.code]).toEqual([503, '27', 'unavailable']);
    // never sooner than the dependency's own Retry-After
    expect((await routerThrowing(new KeyStillHeld(new ServiceUnavailableError(), 1)).call()).headers['retry-after']).toBe('2');
    const refused = await routerThrowing(new KeyStillHeld(new ConflictError('Not now'), 27)).call();
    expect([refused.status, refused.headers['retry-after'], refused.body.error.message]).toEqual([409, undefined, 'Not now']);
    const bug = await routerThrowing(new KeyStillHeld(new TypeError('x is undefined'), 27)).call();
    expect([bug.status, bug.headers['retry-after'], bug.body.error.code]).toEqual([500, undefined, 'internal']);
  });

  it('answers anything else with a generic 500, even an error that claims a 4xx status', async () => {
    const leaky = Object.assign(new Error('password=hunter2 at db.internal'), { status: 400, code: 'bad_thing' });
    const { call, logger } = routerThrowing(leaky);
    const res = await call();
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'Internal error', correlationId: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(logger.error).toHaveBeenCalledWith('unhandled error', expect.objectContaining({ errorName: 'Error' }));
  });
});

describe('errorBody', () => {
  class Status extends AppError {
    readonly code = 'x';
    constructor(readonly status: number) {
      super('m');
    }
  }
  it('carries the correlation id from 500 up, never below', () => {
    expect(errorBody(new Status(500), 'c-1')).toEqual({ error: { code: 'x', message: 'm', correlationId: 'c-1' } });
    expect(errorBody(new Status(499), 'c-1')).toEqual({ error: { code: 'x', message: 'm' } });
  });
});
