// Per-caller rate limits (docs/api.md, "Rate limits and Retry-After"; RATE_LIMITS in shared/auth/policy.ts) as
// fixed-window counters on the table: one item per (limit name, caller key, window), counted with
// an UpdateItem `ADD` under the condition `attribute_not_exists(#n) OR #n < :limit`. DynamoDB
// applies each conditional update atomically on the item, so with any number of concurrent
// callers exactly `limit` increments succeed per window; a refused condition is "over the limit"
// (the counter is not incremented then). The item carries `expiresAt` (the table's TTL attribute)
// a little after its window ends: TTL deletion is lazy, but a later window has a key of its own,
// so an expired counter that still lingers is never read again.
//
// `callerKey` is opaque and derived by the caller (a hash of the user's sub or of the source IP):
// no PHI, no raw address in a key. Throttling and other DynamoDB errors propagate unchanged: the
// router maps them (503).
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from './table.ts';
import { keys } from './keys.ts';
import { isConditionalFailure } from './errors.ts';

export interface RateRule {
  /** Requests allowed per window. */
  limit: number;
  /** The window's length. Windows are aligned to the epoch: [k·w, (k+1)·w). */
  windowSeconds: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** How long a counter outlives its window before TTL may delete it. */
const TTL_GRACE_SECONDS = 60;

export class RateLimitRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Takes one request of `callerKey` under the limit `name` at `now` (epoch ms). */
  async take(callerKey: string, name: string, rule: RateRule, now: number): Promise<RateDecision> {
    // '#' separates the key's parts: a name or key holding one could collide with another's counter
    if (!/^[^#]+$/.test(name) || !/^[^#]+$/.test(callerKey)) throw new RangeError('Rate-limit name and key must be non-empty, without #');
    if (!Number.isInteger(rule.limit) || rule.limit < 1) throw new RangeError(`Invalid rate limit: ${rule.limit}`);
    if (!Number.isInteger(rule.windowSeconds) || rule.windowSeconds < 1) throw new RangeError(`Invalid rate window: ${rule.windowSeconds}`);
    const windowMs = rule.windowSeconds * 1000;
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const windowEnd = windowStart + windowMs;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.rateLimit(name, callerKey, rule.windowSeconds, windowStart),
          UpdateExpression: 'SET #type = :type, #exp = :exp ADD #n :one',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
          ExpressionAttributeNames: { '#n': 'count', '#type': 'type', '#exp': TABLE.ttlAttribute },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': rule.limit,
            ':type': 'rate_limit',
            ':exp': Math.ceil(windowEnd / 1000) + TTL_GRACE_SECONDS,
          },
        }),
      );
      return { allowed: true };
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)) };
    }
  }
}
