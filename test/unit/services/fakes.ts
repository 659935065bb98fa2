// Small fakes for service tests that need no DynamoDB: a collaborator (a repository, the gateway)
// with canned answers for the methods the test expects to be called, each a vi.fn that records
// its calls. Calling any other method throws, so a test never passes on a read or write it did not
// expect. Not an imitation of the table: each answer is written by the test that needs it.
import { vi, type Mock } from 'vitest';
import { Caller, type Grant } from '#shared/auth/policy.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { ROUTES, routeKey } from '#http/routes.ts';

type MethodKeys<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

const recorders = new WeakMap<object, Map<string, Mock>>();

export function fake<T extends object>(name: string, methods: Partial<Pick<T, MethodKeys<T>>> = {}): T {
  const fns = new Map<string, Mock>(Object.entries(methods).map(([k, f]) => [k, vi.fn(f as (...args: unknown[]) => unknown)]));
  const proxy = new Proxy({} as T, {
    get(_target, prop) {
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      const fn = fns.get(prop);
      if (!fn) throw new Error(`unexpected call: ${name}.${prop}`);
      return fn;
    },
  });
  recorders.set(proxy, fns);
  return proxy;
}

/** The recorded calls of a method the fake was given: `expect(calls(clients, 'create')).toHaveBeenCalledWith(…)`. */
export function calls<T extends object>(f: T, method: MethodKeys<T> & string): Mock {
  const fn = recorders.get(f)?.get(method);
  if (!fn) throw new Error(`${method} is not a method this fake was given`);
  return fn;
}

/** The grants the route table gives a route, e.g. 'POST /v1/clients'. */
export function grantsOf(key: string): readonly Grant[] {
  const route = ROUTES.find((r) => routeKey(r) === key);
  if (!route) throw new Error(`no route ${key}`);
  return route.allow;
}

/** The caller a request of that route would hand the service (audited routes carry their action). */
export function callerOn(key: string, principal: Principal | null): Caller {
  const route = ROUTES.find((r) => routeKey(r) === key);
  return new Caller(principal, grantsOf(key), route?.audit ? { action: route.audit, requestId: 'req-1' } : undefined);
}
