// The one conditional-put lock of the table: an item that one caller at a time may hold, claimed
// by a PutItem conditioned on "no such item" (or on the holder's claim being one that may be taken
// over: expired, or stale from a crashed caller). Used by the Idempotency-Key store
// (idempotency-repo.ts) and the Stripe-event claim (PackageRepository.claimEvent).
//
// A refused put returns the item that refused it (ReturnValuesOnConditionCheckFailure ALL_OLD,
// supported by DynamoDB and DynamoDB Local): the holder is read in the same call, at the instant
// the condition was evaluated, so there is no window in which it can change or vanish. Only when
// the refusal comes without the item is it read with a second, strongly consistent GetItem; if
// that finds nothing the holder went away between the two calls (released, or deleted by TTL),
// which means the item is free: the put is tried again, a bounded number of times (a 503 after,
// never a wrong "someone else holds it").
//
// The document client does not unmarshall the item of a ConditionalCheckFailedException
// (aws/aws-sdk-js-v3#6723): @aws-sdk/util-dynamodb's `unmarshall`, the one the document client
// itself uses, does it here (numbers as numbers).
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ServiceUnavailableError } from '#domain/errors.ts';
import { isConditionalFailure } from './errors.ts';

export interface LockClaim {
  /** The whole item of the claim, its key (from keys.ts) included. */
  item: Record<string, unknown> & { PK: string; SK: string };
  /** Besides "no such item": when an existing item may be taken over (expired, a stale claim). */
  takeOver?: {
    condition: string;
    names?: Record<string, string>;
    values?: Record<string, unknown>;
  };
}

/** Claimed: the item is now the caller's. Refused: `holder` is the item that refused it. */
export type LockOutcome = { claimed: true } | { claimed: false; holder: Record<string, unknown> };

/** Puts per claim: a further one only after the holder vanished between a refusal and its read. */
export const LOCK_PUT_ATTEMPTS = 3;

export class ConditionalLock {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claim({ item, takeOver }: LockClaim): Promise<LockOutcome> {
    const condition = takeOver ? `attribute_not_exists(PK) OR (${takeOver.condition})` : 'attribute_not_exists(PK)';
    for (let attempt = 0; attempt < LOCK_PUT_ATTEMPTS; attempt++) {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: condition,
            ...(takeOver?.names ? { ExpressionAttributeNames: takeOver.names } : {}),
            ...(takeOver?.values ? { ExpressionAttributeValues: takeOver.values } : {}),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { claimed: true };
      } catch (err) {
        if (!isConditionalFailure(err)) throw err;
        const old = (err as { Item?: Record<string, AttributeValue> }).Item;
        if (old && Object.keys(old).length > 0) return { claimed: false, holder: unmarshall(old) };
      }
      const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: { PK: item.PK, SK: item.SK }, ConsistentRead: true }));
      if (res.Item) return { claimed: false, holder: res.Item };
      // refused, yet gone now: free again, so claim it (never read "no item" as "someone holds it")
    }
    throw new ServiceUnavailableError();
  }

  /** Gives the item back (unconditionally: the holder itself releases it). */
  async release(key: { PK: string; SK: string }): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: key }));
  }
}
