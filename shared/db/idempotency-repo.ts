// Idempotency-Key records (api-contract.md: the same key with the same body returns the first
// result and creates nothing new). A conditional put claims the key before the work runs, so two
// concurrent requests with one key cannot both create; the response is stored when it is done.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import { isConditionalFailure } from './errors.ts';

export type IdempotencyRecord =
  | { state: 'in_progress'; requestHash: string }
  | { state: 'done'; requestHash: string; status: number; body: unknown };

/** Keys live a day: long enough for any client retry. */
const TTL_SECONDS = 24 * 3600;
/** A claim older than this is from a crashed request and may be taken over. */
const IN_PROGRESS_SECONDS = 30;

export class IdempotencyRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Claims the key; returns the existing record instead when someone already has it. */
  async claim(scope: string, key: string, requestHash: string, now: number): Promise<IdempotencyRecord | null> {
    const nowS = Math.floor(now / 1000);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.idempotency(scope, key),
            type: 'idempotency',
            state: 'in_progress',
            requestHash,
            claimedAt: nowS,
            expiresAt: nowS + TTL_SECONDS,
          },
          ConditionExpression:
            'attribute_not_exists(PK) OR expiresAt < :now OR (#state = :progress AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':now': nowS, ':progress': 'in_progress', ':stale': nowS - IN_PROGRESS_SECONDS },
        }),
      );
      return null;
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
    }
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.idempotency(scope, key), ConsistentRead: true }),
    );
    const item = res.Item;
    if (!item) return null;
    return item.state === 'done'
      ? { state: 'done', requestHash: item.requestHash, status: item.status, body: item.body }
      : { state: 'in_progress', requestHash: item.requestHash };
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.idempotency(scope, key),
        UpdateExpression: 'SET #state = :done, #status = :status, body = :body',
        ExpressionAttributeNames: { '#state': 'state', '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'done', ':status': status, ':body': body },
      }),
    );
  }

  /** A failed request gives its key back, so that the client may retry with the same key. */
  async release(scope: string, key: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: keys.idempotency(scope, key) }));
  }
}
