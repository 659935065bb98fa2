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
