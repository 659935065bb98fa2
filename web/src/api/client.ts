// The one way the app calls the API: openapi-fetch typed by the generated `paths`
// (scripts/web-types.ts), the session's bearer token on every call, and every error answer turned
// into an ApiError (code, rule, details) that the pages put into plain words (errors.ts).
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './openapi';

export type Api = ReturnType<typeof createApi>;

/** The API's error body (docs/api.md, "Errors"): `{ error: { code, message, rule?, details?, correlationId? } }`. */
export interface ErrorBody {
  error?: { code: string; message: string; rule?: string; details?: { path?: string; message?: string }[]; correlationId?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly rule?: string,
    readonly details: { path?: string; message?: string }[] = [],
    readonly correlationId?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** An error answer (or a network failure) as an ApiError. */
export function toApiError(response: Response | undefined, body: unknown): ApiError {
  if (!response) return new ApiError(0, 'network', 'The app could not reach the server');
  const e = (body as ErrorBody | undefined)?.error;
  const retry = Number(response.headers.get('retry-after'));
  return new ApiError(
    response.status,
    e?.code ?? (response.status >= 500 ? 'internal' : 'unknown'),
    e?.message ?? response.statusText,
    e?.rule,
    e?.details ?? [],
    e?.correlationId,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

/**
 * openapi-fetch answers `{ data, error, response }`; this gives the data or throws ApiError, so a
 * page awaits one value and catches one kind of error.
 */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw toApiError(undefined, undefined);
  }
  if (result.error !== undefined || !result.response.ok) throw toApiError(result.response, result.error);
  return result.data as T;
}

export interface ApiOptions {
  baseUrl?: string;
  token: () => string | null;
  /**
   * Called on a 401 to a call that carried the stored token (`sent`): it expired or was revoked.
   * The app renews it and resolves to the new token of the same person, or forgets it and
   * resolves to null. A call that named its own token (sign-up) does not count.
   */
  onUnauthenticated?: (sent: string) => Promise<string | null>;
}

/**
 * How a call the API refused with 401 is sent again, once the app has renewed its token
 * (`renewed`) or not: with the renewed token whatever the method — the API checks the token
 * before it reads the body or the Idempotency-Key, so a 401 did nothing and the same request is
 * safe to send once more; a read without a token (a public read is answered as a visitor's, a
 * closed one says 401 as a visitor's would); a write without a renewed token not at all (the
 * page says the session ended). `authorization: null` is sent without one.
 */
export function resendAfter401(method: string, renewed: string | null): { authorization: string | null } | null {
  if (renewed) return { authorization: `Bearer ${renewed}` };
  return method === 'GET' ? { authorization: null } : null;
}

export function createApi(opts: ApiOptions) {
  const client = createClient<paths>({ baseUrl: opts.baseUrl ?? '' });
  /** The stored token each call carried (not a token the call named itself). */
  const sentWith = new WeakMap<Request, string>();
  /** An unsent copy of each such write: a Request's body is read by sending it, and a resend needs it again. */
  const spare = new WeakMap<Request, Request>();
  const auth: Middleware = {
    async onRequest({ request }) {
      const token = opts.token();
      // a call may name its own token (sign-up creates the record before the session has it)
      if (!token || request.headers.has('authorization')) return request;
      request.headers.set('authorization', `Bearer ${token}`);
      let sending = request;
      // (by method: not every browser exposes `request.body`)
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        // the body as bytes, for the request sent and for its copy (the request a clone tees is
        // sent in a form whose body the browser's devtools, and Playwright, do not show)
        const body = await request.clone().arrayBuffer();
        sending = new Request(request, { body });
        spare.set(sending, new Request(request, { body }));
      }
      sentWith.set(sending, token);
      return sending;
    },
    async onResponse({ request, response, options }) {
      const sent = sentWith.get(request);
      if (response.status !== 401 || sent === undefined) return response;
      const renewed = (await opts.onUnauthenticated?.(sent)) ?? null;
      const resend = resendAfter401(request.method, renewed);
      if (!resend) return response;
      // the same method, body and headers (an Idempotency-Key among them), once
      const again = spare.get(request) ?? new Request(request);
      if (resend.authorization) again.headers.set('authorization', resend.authorization);
      else again.headers.delete('authorization');
      const refetch = options.fetch; // called unbound, as openapi-fetch calls it (window.fetch refuses another `this`)
      const answer = await refetch(again);
      // the renewed token refused as well: the app forgets it (no third try)
      if (answer.status === 401 && renewed) await opts.onUnauthenticated?.(renewed);
      return answer;
    },
  };
  client.use(auth);
  return client;
}

/** A fresh Idempotency-Key for one create the person asked for (a retry of it reuses the key). */
export const idempotencyKey = (): string => crypto.randomUUID();
