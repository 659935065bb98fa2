// The one DynamoDB document client of a process. Every call is bounded in time: a database that
// does not answer (paused, overloaded, unreachable) fails the call within `callTimeoutMs`, and the
// router answers 503 (asUnavailable in ./errors.ts) instead of holding the request for the SDK's
// defaults (no request timeout at all, 4 attempts).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CallDeadlineError } from './errors.ts';

export interface DbOptions {
  region: string;
  endpoint?: string | undefined;
  /** One attempt's TCP (and TLS) connect, in ms. */
  connectTimeoutMs?: number | undefined;
  /** One attempt, connect to last byte of the answer, in ms: past it the attempt fails with a TimeoutError. */
  requestTimeoutMs?: number | undefined;
  /** Attempts of one call, the first included (the SDK's standard retry strategy). */
  maxAttempts?: number | undefined;
  /** One call with its retries, in ms: no retry is started that could end after it. */
  callTimeoutMs?: number | undefined;
}

export const DB_TIMEOUT_DEFAULTS = {
  connectTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  maxAttempts: 3,
  callTimeoutMs: 3_000,
} as const;

/** The NodeHttpHandler options used here (@smithy/types NodeHttpHandlerOptions). */
interface HttpHandlerOptions {
  connectionTimeout: number;
  requestTimeout: number;
  /** Without it a breached requestTimeout only logs a warning (node-http-handler 4.x). */
  throwOnRequestTimeout: boolean;
}

const CALL_STARTED = Symbol('kapstone.callStartedAt');
const LAST_ERROR = Symbol('kapstone.lastAttemptError');

/** One document client per process, built by the caller and passed in. */
export function createDocumentClient(opts: DbOptions): DynamoDBDocumentClient {
  const connectTimeoutMs = opts.connectTimeoutMs ?? DB_TIMEOUT_DEFAULTS.connectTimeoutMs;
  const requestTimeoutMs = opts.requestTimeoutMs ?? DB_TIMEOUT_DEFAULTS.requestTimeoutMs;
  const maxAttempts = opts.maxAttempts ?? DB_TIMEOUT_DEFAULTS.maxAttempts;
  const callTimeoutMs = opts.callTimeoutMs ?? DB_TIMEOUT_DEFAULTS.callTimeoutMs;
  // Passed as options, the client builds its own NodeHttpHandler (@smithy/node-http-handler, the
  // version @aws-sdk/client-dynamodb depends on): no second copy of the handler to keep in step.
  const requestHandler: HttpHandlerOptions = {
    connectionTimeout: connectTimeoutMs,
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
  const client = new DynamoDBClient({
    region: opts.region,
    requestHandler,
    maxAttempts,
    retryMode: 'standard',
    ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  // Inside the retry loop (finalizeRequest, after the retry middleware): runs once per attempt.
  // Every attempt ends within requestTimeoutMs, so refusing an attempt that could not end before
  // the call's deadline bounds the whole call. The refusal is not retryable (no `cause`, no
  // retryable name or code: the SDK's classifier would follow either and retry again).
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const ctx = context as Record<symbol, unknown>;
      const startedAt = (ctx[CALL_STARTED] ??= Date.now()) as number;
      const last = ctx[LAST_ERROR] as { name?: string } | undefined;
      const elapsed = Date.now() - startedAt;
      if (last !== undefined && elapsed + requestTimeoutMs > callTimeoutMs) {
        throw new CallDeadlineError(last?.name ?? 'Error', elapsed);
      }
      try {
        return await next(args);
      } catch (err) {
        ctx[LAST_ERROR] = err ?? new Error('unknown');
        throw err;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'kapstoneCallDeadline', tags: ['DEADLINE'] },
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
