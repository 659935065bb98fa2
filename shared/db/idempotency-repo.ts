// Idempotency-Key records (docs/api.md: the same key with the same body returns the first
// result and creates nothing new). A conditional put claims the key before the work runs, so two
// concurrent requests with one key cannot both create (ConditionalLock, ./conditional-lock.ts); the
// response is stored when it is done.
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditTarget } from '#domain/audit.ts';
import { keys } from './keys.ts';
import { ConditionalLock } from './conditional-lock.ts';

/**
 * A key someone already holds. The same shape as IdempotencyRecord in shared/http/idempotency.ts,
 * the interface this class implements structurally (db does not import from http).
 */
export type HeldIdempotencyKey =
  | { state: 'in_progress'; requestHash: string; retryAfterSeconds: number }
  | { state: 'done'; requestHash: string; status: number; body: unknown; audit?: AuditTarget[] | undefined };

/** Keys live a day: long enough for any client retry. */
const TTL_SECONDS = 24 * 3600;
/** A claim older than this is from a crashed request and may be taken over. */
const IN_PROGRESS_SECONDS = 30;

export class IdempotencyRepository {
  private readonly lock: ConditionalLock;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.lock = new ConditionalLock(doc, table);
  }

  readonly leaseSeconds = IN_PROGRESS_SECONDS;

  /** Claims the key (null); returns the record holding it instead when someone already has it. */
  async claim(scope: string, key: string, requestHash: string, now: number): Promise<HeldIdempotencyKey | null> {
    const nowS = Math.floor(now / 1000);
    const outcome = await this.lock.claim({
      item: {
        ...keys.idempotency(scope, key),
        type: 'idempotency',
        state: 'in_progress',
        requestHash,
        claimedAt: nowS,
        expiresAt: nowS + TTL_SECONDS,
      },
      // expired (TTL deletes lazily), or left in progress by a crashed request
      takeOver: {
        condition: 'expiresAt < :now OR (#state = :progress AND claimedAt < :stale)',
        names: { '#state': 'state' },
        values: { ':now': nowS, ':progress': 'in_progress', ':stale': nowS - IN_PROGRESS_SECONDS },
      },
    });
    if (outcome.claimed) return null;
    const item = outcome.holder;
    return item.state === 'done'
      ? {
          state: 'done',
          requestHash: item.requestHash as string,
          status: item.status as number,
          body: item.body,
          ...(Array.isArray(item.audit) ? { audit: item.audit as AuditTarget[] } : {}),
        }
      : {
          state: 'in_progress',
          requestHash: item.requestHash as string,
          // when the claim may be taken over at the latest (a request that gave it back frees it sooner)
          retryAfterSeconds: Math.max(1, Number(item.claimedAt) + IN_PROGRESS_SECONDS + 1 - nowS),
        };
  }

  /** `audit`: whose records the answer shows (ids only), kept with it so that a replay is audited too. */
  async complete(scope: string, key: string, status: number, body: unknown, audit?: AuditTarget[]): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.idempotency(scope, key),
        UpdateExpression: `SET #state = :done, #status = :status, body = :body${audit ? ', audit = :audit' : ''}`,
        ExpressionAttributeNames: { '#state': 'state', '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'done', ':status': status, ':body': body, ...(audit ? { ':audit': audit } : {}) },
      }),
    );
  }

  /** A failed request gives its key back, so that the client may retry with the same key. */
  async release(scope: string, key: string): Promise<void> {
    await this.lock.release(keys.idempotency(scope, key));
  }
}
