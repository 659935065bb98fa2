// The one way the app calls the API: openapi-fetch typed by the generated `paths`
// (scripts/web-types.ts), the session's bearer token on every call, and every error answer turned
// into an ApiError (code, rule, details) that the pages put into plain words (errors.ts).
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './openapi';

export type Api = ReturnType<typeof createApi>;

/** The contract's error body: `{ error: { code, message, rule?, details?, correlationId? } }`. */
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
  /** Called on a 401 from a closed route: the token expired or was revoked. */
  onUnauthenticated?: () => void;
}

export function createApi(opts: ApiOptions) {
  const client = createClient<paths>({ baseUrl: opts.baseUrl ?? '' });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = opts.token();
      // a call may name its own token (sign-up creates the record before the session has it)
      if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) opts.onUnauthenticated?.();
      return response;
    },
  };
  client.use(auth);
  return client;
}

/** A fresh Idempotency-Key for one create the person asked for (a retry of it reuses the key). */
export const idempotencyKey = (): string => crypto.randomUUID();
