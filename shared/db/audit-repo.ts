// The audit trail (HIPAA §164.312(b)): who read or changed a client's health or payment records.
// Append-only, one partition per client (`AUDIT#<clientId>`), kept six years (§164.316(b)(2)).
//
// Entries hold ids only (client, clinic, record, actor's sub and roles, request), never names or
// other PHI: the item is built field by field, so extra properties a caller passes are not stored.
//
// Writes: one conditional PutItem per entry (attribute_not_exists), run in parallel, at most
// APPEND_CONCURRENCY at a time. Not BatchWriteItem: its PutRequests take no condition and would
// silently overwrite an entry with the same key, which an append-only log must never do; and not
// TransactWriteItems: all-or-nothing up to 100 items at twice the write cost, where entries are
// independent. A day's schedule (a few hundred clients) is then a few rounds of single-digit-ms
// puts. Throttled puts are retried with full-jitter backoff, a bounded number of times (503 after).
//
// The same entry appended twice (a retried request: same time, request id and index, so the same
// key) is ignored: the stored entry stays as it was and the append succeeds. A DIFFERENT entry
// under an existing key is an error (AuditKeyCollisionError, a 500): it would mean losing a record.
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '#domain/errors.ts';
import type { AuditEntry } from '#domain/audit.ts';
import { keys } from './keys.ts';
import { TABLE } from './table.ts';
import { backoff, isConditionalFailure, isThrottle, throttled } from './errors.ts';

export type { AuditEntry } from '#domain/audit.ts';

export const AUDIT_PAGE_DEFAULT = 100;
export const AUDIT_PAGE_MAX = 500;
/** Parallel puts in flight per append. */
const APPEND_CONCURRENCY = 25;
/** Attempts per put when DynamoDB throttles (the SDK's own retries come on top of each). */
const PUT_ATTEMPTS = 5;
const RETENTION_YEARS = 6;

/**
 * When DynamoDB may delete the entry (epoch seconds): `at` plus six calendar years, rounded up.
 * Calendar years (not 6 × 365 days) so leap days never make it early; TTL deletes only after it.
 */
export function auditExpiresAt(at: number): number {
  const d = new Date(at);
  d.setUTCFullYear(d.getUTCFullYear() + RETENTION_YEARS);
  return Math.ceil(d.getTime() / 1000);
}

const badCursor = () => new ValidationError([{ path: 'cursor', message: 'Not a valid cursor' }]);

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ PK: key.PK, SK: key.SK }), 'utf8').toString('base64url');
}

/** The ExclusiveStartKey a cursor stands for; a ValidationError unless it is one of this client's. */
function decodeCursor(cursor: string, clientId: string): { PK: string; SK: string } {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badCursor();
  const { PK, SK, ...rest } = parsed as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || PK !== keys.auditPartition(clientId).PK || typeof SK !== 'string' || SK === '') {
    throw badCursor();
  }
  return { PK, SK };
}

function toEntry(item: Record<string, unknown>): AuditEntry {
  const actor = item.actor as AuditEntry['actor'];
  const record = item.record as AuditEntry['record'];
  return {
    at: item.at as number,
    clientId: item.clientId as string,
    clinicId: item.clinicId as string,
    actor: { sub: actor.sub, roles: [...actor.roles] },
    action: item.action as string,
    record: { type: record.type, id: record.id },
    requestId: item.requestId as string,
  };
}

/**
 * The item of an entry (the `index`-th of its request): every field copied by name, so nothing a
 * caller adds is stored, and the TTL six calendar years on. Appointment changes put it in their
 * own transaction (shared/db/appointment-repo.ts): the change and its audit entry commit together.
 */
export function auditItem(e: AuditEntry, index: number): { entry: AuditEntry; item: Record<string, unknown> } {
  if (!Number.isFinite(e.at)) throw new RangeError(`audit entry time is not an instant: ${e.at}`);
  if (!e.clientId || !e.requestId) throw new RangeError('an audit entry needs a client id and a request id');
  const entry: AuditEntry = {
    at: e.at,
    clientId: e.clientId,
    clinicId: e.clinicId,
    actor: { sub: e.actor.sub, roles: [...e.actor.roles] },
    action: e.action,
    record: { type: e.record.type, id: e.record.id },
    requestId: e.requestId,
  };
  return {
    entry,
    item: {
      ...keys.auditEntry(e.clientId, e.at, e.requestId, index),
      type: 'audit',
      ...entry,
      [TABLE.ttlAttribute]: auditExpiresAt(e.at),
    },
  };
}
/**
 * The transaction item that puts a change's audit entry with the change (never over another
 * entry): what the repositories whose changes are audited in their own transaction add to it.
 */
export function auditPut(table: string, e: AuditEntry) {
  return { Put: { TableName: table, Item: auditItem(e, 0).item, ConditionExpression: 'attribute_not_exists(PK)' } };
}

/** A different entry is stored under the key of one being appended: a bug, never overwritten. */
export class AuditKeyCollisionError extends Error {
  override readonly name = 'AuditKeyCollisionError';
}

const sameEntry = (a: AuditEntry, b: AuditEntry): boolean => JSON.stringify(a) === JSON.stringify(b);

export class AuditRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores every entry (each once, never overwriting one); resolves when all are stored. */
  async append(entries: AuditEntry[]): Promise<void> {
    const items = entries.map((e, index) => this.item(e, index));
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        await this.putOnce(items[i]!.item, items[i]!.entry);
      }
    };
    await Promise.all(Array.from({ length: Math.min(APPEND_CONCURRENCY, items.length) }, worker));
  }

  /** A client's entries, newest first, a page at a time (`limit` 1–500, default 100). */
  async list(
    clientId: string,
    opts: { limit?: number; cursor?: string } = {},
  ): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
    const limit = opts.limit ?? AUDIT_PAGE_DEFAULT;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new ValidationError([{ path: 'limit', message: `A whole number from 1 to ${AUDIT_PAGE_MAX}` }]);
    }
    const pageSize = Math.min(limit, AUDIT_PAGE_MAX);
    const start = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor, clientId);
    // One more than the page: whether a next page exists is known without an empty last page.
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditPartition(clientId).PK },
        ScanIndexForward: false,
        Limit: pageSize + 1,
        ConsistentRead: true, // an entry appended just before is on the page
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = res.Items ?? [];
    if (items.length > pageSize) {
      const page = items.slice(0, pageSize);
      return { entries: page.map(toEntry), nextCursor: encodeCursor(page[page.length - 1]!) };
    }
    // Fewer than asked and a LastEvaluatedKey: the 1 MB response limit cut the page short.
    return { entries: items.map(toEntry), nextCursor: res.LastEvaluatedKey ? encodeCursor(res.LastEvaluatedKey) : null };
  }

  private item(e: AuditEntry, index: number): { entry: AuditEntry; item: Record<string, unknown> } {
    return auditItem(e, index);
  }

  private async putOnce(item: Record<string, unknown>, entry: AuditEntry): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.doc.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
        return;
      } catch (err) {
        if (isConditionalFailure(err)) return this.checkSame(item, entry);
        if (!isThrottle(err)) throw err;
        if (attempt + 1 >= PUT_ATTEMPTS) throw throttled();
        await backoff(attempt, 50, 1_000);
      }
    }
  }

  /** An entry is already stored under this key: fine when it is this one, an error otherwise. */
  private async checkSame(item: Record<string, unknown>, entry: AuditEntry): Promise<void> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: { PK: item.PK, SK: item.SK }, ConsistentRead: true }));
    if (res.Item && sameEntry(toEntry(res.Item), entry)) return;
    throw new AuditKeyCollisionError(`A different audit entry is already stored under ${String(item.SK)}`);
  }
}
