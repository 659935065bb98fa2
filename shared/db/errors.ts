// DynamoDB errors → our own. TransactWriteItems cancellations are read reason by reason:
// a failed condition means what the caller says it means (slot taken, stale version), contention
// is retried with jitter, throttling becomes a 503.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ServiceUnavailableError } from '#domain/errors.ts';

export type CancelReason = 'condition' | 'conflict' | 'throttled' | 'none' | 'other';

export function cancellationReasons(err: unknown): CancelReason[] | null {
  if (!(err instanceof TransactionCanceledException) && (err as { name?: string })?.name !== 'TransactionCanceledException') {
    return null;
  }
  const reasons = (err as TransactionCanceledException).CancellationReasons ?? [];
  return reasons.map((r) => {
    switch (r.Code) {
      case 'ConditionalCheckFailed':
        return 'condition';
      case 'TransactionConflict':
        return 'conflict';
      case 'ThrottlingError':
      case 'ProvisionedThroughputExceeded':
      case 'RequestLimitExceeded':
        return 'throttled';
      case 'None':
      case undefined:
      case null:
        return 'none';
      default:
        return 'other';
    }
  });
}

/** A cancelled TransactWriteItems read by the role the caller gave each of its items (same order). */
export interface Cancellation<R> {
  /** Items whose condition failed, in item order. */
  failed: R[];
  /** Items refused because another transaction or write held them (TransactionConflict). */
  contended: R[];
  /** Any item throttled. */
  throttled: boolean;
  /** Items refused for any other reason (e.g. ValidationError): not ours to interpret. */
  other: R[];
}

/** null when `err` is not a TransactionCanceledException. */
export function readCancellation<R>(err: unknown, roles: readonly R[]): Cancellation<R> | null {
  const reasons = cancellationReasons(err);
  if (!reasons) return null;
  const c: Cancellation<R> = { failed: [], contended: [], throttled: false, other: [] };
  reasons.forEach((reason, i) => {
    const role = roles[i] as R;
    if (reason === 'condition') c.failed.push(role);
    else if (reason === 'conflict') c.contended.push(role);
    else if (reason === 'throttled') c.throttled = true;
    else if (reason === 'other') c.other.push(role);
  });
  return c;
}

/**
 * The one mapping of a TransactWriteItems failure to our errors; every repository's transactions
 * go through it. `roles` names each item (same order as TransactItems); `onCondition` gets the
 * roles whose condition failed and returns the error the caller gives them (409 conflict, slot
 * unavailable, 404, a StaleReadError for an optimistic retry…), or undefined when a failed
 * condition there means nothing of its own. Then, in this order: throttling is a
 * ServiceUnavailableError (503); contention (TransactionConflict) is a ContentionError, which
 * withOptimisticRetry retries with jitter. Anything else, a failure that is not a cancellation
 * included, is returned as it came. Use: `catch (err) { throw transactionError(err, roles, …) }`.
 */
export function transactionError<R>(err: unknown, roles: readonly R[], onCondition: (failed: R[]) => Error | undefined): unknown {
  const c = readCancellation(err, roles);
  if (!c) return err;
  if (c.failed.length > 0) {
    const mapped = onCondition(c.failed);
    if (mapped) return mapped;
  }
  if (c.throttled) return throttled();
  if (c.contended.length > 0) return new ContentionError();
  return err;
}

const THROTTLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
]);

export function isThrottle(err: unknown): boolean {
  return THROTTLE_NAMES.has((err as { name?: string })?.name ?? '');
}

export function isConditionalFailure(err: unknown): boolean {
  return (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** Full-jitter backoff: a random wait up to base·2^attempt, capped. */
export const backoff = (attempt: number, baseMs = 10, capMs = 400): Promise<void> =>
  new Promise((r) => setTimeout(r, Math.random() * Math.min(capMs, baseMs * 2 ** attempt)));

export function throttled(): ServiceUnavailableError {
  return new ServiceUnavailableError();
}

/**
 * A DynamoDB call given up before its next attempt: that attempt could not have ended within the
 * call's deadline (shared/db/client.ts). Carries the last attempt's error name, never its message.
 */
export class CallDeadlineError extends Error {
  override readonly name = 'CallDeadlineError';
  constructor(
    readonly lastErrorName: string,
    readonly elapsedMs: number,
  ) {
    super(`DynamoDB call given up after ${elapsedMs} ms (last attempt: ${lastErrorName})`);
  }
}

/** The database did not answer (in time), or answered "not now": after the SDK's retries. */
const UNAVAILABLE_NAMES = new Set([
  'CallDeadlineError',
  // timeouts (node-http-handler names ECONNRESET, EPIPE and ETIMEDOUT ones TimeoutError too)
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  // DynamoDB's own 5xx
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  // throttling, once the SDK's retries are spent
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  // contention with a transaction on the same item (transient; the SDK does not retry it)
  'TransactionInProgressException',
  'TransactionConflictException',
]);

/** Socket-level failures: refused, reset ("socket hang up" too), timed out, unreachable, name not resolved. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface FailureShape {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
}

function isUnavailableFailure(err: unknown, depth: number): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as FailureShape;
  if (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  // a 5xx from the service itself (an SDK ServiceException answered by DynamoDB)
  const status = e.$metadata?.httpStatusCode;
  if (e.$fault === 'server' && typeof status === 'number' && status >= 500 && status <= 599) return true;
  // transactions cancelled by throttling of one of their items
  if (cancellationReasons(err)?.includes('throttled')) return true;
  return isUnavailableFailure(e.cause, depth + 1);
}

/**
 * The one mapping of infrastructure failures to the API's 503 (with Retry-After): the
 * database unreachable, too slow, failing on its side or throttling after the SDK's retries. Any
 * other error (a bug: TypeError, a validation error of a malformed request to DynamoDB, a missing
 * table or permission) is not a dependency being unavailable: undefined, and it stays a 500.
 */
export function asUnavailable(err: unknown): ServiceUnavailableError | undefined {
  if (err instanceof ServiceUnavailableError) return err;
  return isUnavailableFailure(err, 0) ? new ServiceUnavailableError() : undefined;
}

/** What a log line may say about a failure: names, codes and counts; never a message (PHI). */
export function failureFacts(err: unknown): Record<string, string | number> {
  const e = (err && typeof err === 'object' ? err : {}) as FailureShape & Partial<CallDeadlineError>;
  const facts: Record<string, string | number> = { errorName: typeof e.name === 'string' ? e.name : typeof err };
  if (typeof e.code === 'string') facts.errorCode = e.code;
  if (typeof e.lastErrorName === 'string') facts.lastErrorName = e.lastErrorName;
  if (typeof e.elapsedMs === 'number') facts.elapsedMs = e.elapsedMs;
  if (typeof e.$metadata?.httpStatusCode === 'number') facts.httpStatusCode = e.$metadata.httpStatusCode;
  if (typeof e.$metadata?.attempts === 'number') facts.attempts = e.$metadata.attempts;
  return facts;
}

/**
 * The router's 503 mapping (RouterDeps.unavailable in shared/http/api.ts, passed in by each
 * function's app.ts): the 503 for a database that is unavailable, with the facts its log line may
 * carry; undefined for any other failure.
 */
export function unavailableFailure(err: unknown): { error: ServiceUnavailableError; facts: Record<string, string | number> } | undefined {
  const error = asUnavailable(err);
  return error ? { error, facts: failureFacts(err) } : undefined;
}

/** Someone else changed what this write was based on: re-read, re-check, try again. */
export class StaleReadError extends Error {
  override readonly name = 'StaleReadError';
}

/** DynamoDB refused the transaction because another one held its items: retry with jitter. */
export class ContentionError extends Error {
  override readonly name = 'ContentionError';
}

/**
 * Runs an optimistic operation (read → check → conditional write) until it commits, or gives up
 * with a 503 after `attempts`: retried only on StaleReadError and ContentionError.
 */
export async function withOptimisticRetry<T>(op: () => Promise<T>, attempts = 12): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      const retryable = err instanceof StaleReadError || err instanceof ContentionError;
      if (!retryable) throw err;
      if (attempt + 1 >= attempts) throw new ServiceUnavailableError();
      await backoff(attempt);
    }
  }
}
