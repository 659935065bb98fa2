// Waitlist entries (docs/domain.md, "Waitlist"): one item each in the client's partition, indexed
// on GSI2 under the clinic by its last date. An entry and the audit entry of its change commit in
// one transaction (docs/decisions.md, "Audit entries in the change's transaction").
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WaitlistEntry } from '#domain/waitlist.ts';
import type { AuditEntry } from '#domain/audit.ts';
import { ConflictError, NotFoundError } from '#domain/errors.ts';
import { localDayEnd } from '#domain/time.ts';
import { keys } from './keys.ts';
import { queryAll } from './query-all.ts';
import { StaleReadError, transactionError } from './errors.ts';
import { auditPut } from './audit-repo.ts';
import { stripKeys } from './clinic-repo.ts';
import { TABLE } from './table.ts';

/** An entry stays readable (as expired) for 30 days after its last date, then DynamoDB's TTL removes it. */
const WAITLIST_TTL_SECONDS = 30 * 86_400;

export class WaitlistRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Puts a new entry with its audit entry, and moves the client's waitlist revision on from `seen`
   * (what `ofClient` answered): an add that another one overtook since that read is a
   * StaleReadError, to read again and re-check the limit. An id already used (a keyed retry whose
   * first attempt landed) is a ConflictError for the service to read back.
   */
  async add(entry: WaitlistEntry, timezone: string, seen: number, audit?: AuditEntry): Promise<void> {
    const item = {
      ...keys.waitlistEntry(entry.clientId, entry.id),
      ...keys.waitlistByClinic(entry.clinicId, entry.to, entry.id),
      type: 'waitlist',
      ...entry,
      [TABLE.ttlAttribute]: Math.floor(localDayEnd(entry.to, timezone) / 1000) + WAITLIST_TTL_SECONDS,
    };
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.waitlistRevision(entry.clientId), type: 'waitlist_revision', clientId: entry.clientId, revision: seen + 1 },
                ...(seen === 0
                  ? { ConditionExpression: 'attribute_not_exists(PK)' }
                  : { ConditionExpression: 'revision = :seen', ExpressionAttributeValues: { ':seen': seen } }),
              },
            },
            ...this.auditItems(audit),
          ],
        }),
      );
    } catch (err) {
      throw transactionError(err, ['entry', 'revision', 'audit'], (failed) => {
        if (failed.includes('entry')) return new ConflictError('A waitlist entry with this id exists');
        if (failed.includes('revision')) return new StaleReadError();
        return undefined;
      });
    }
  }

  async get(clientId: string, entryId: string): Promise<WaitlistEntry | null> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.waitlistEntry(clientId, entryId), ConsistentRead: true }),
    );
    return res.Item?.type === 'waitlist' ? stripKeys<WaitlistEntry>(res.Item) : null;
  }

  /** Removes the entry with its audit entry; 404 when it is not there (never was, or removed meanwhile). */
  async remove(entry: WaitlistEntry, audit?: AuditEntry): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.table,
                Key: keys.waitlistEntry(entry.clientId, entry.id),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
            ...this.auditItems(audit),
          ],
        }),
      );
    } catch (err) {
      throw transactionError(err, ['entry', 'audit'], (failed) =>
        failed.includes('entry') ? new NotFoundError('waitlist entry') : undefined,
      );
    }
  }

  /**
   * The client's entries (a few: WAITLIST_MAX_OPEN waiting, and those kept until TTL), in id order,
   * and the revision an add must move on from (0 before the first add).
   */
  async ofClient(clientId: string): Promise<{ entries: WaitlistEntry[]; revision: number }> {
    const entries: WaitlistEntry[] = [];
    let revision = 0;
    const items = queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.client(clientId).PK, ':sk': keys.waitlistListPrefix() },
      ConsistentRead: true,
    });
    for await (const item of items) {
      if (item.type === 'waitlist') entries.push(stripKeys<WaitlistEntry>(item));
      else if (item.type === 'waitlist_revision') revision = Number(item.revision);
    }
    return { entries, revision };
  }

  /** The clinic's entries whose last date is `today` or later (GSI2, eventually consistent), by last date. */
  async ofClinic(clinicId: string, today: string): Promise<WaitlistEntry[]> {
    const out: WaitlistEntry[] = [];
    const items = queryAll(this.doc, {
      TableName: this.table,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK >= :from',
      ExpressionAttributeValues: { ':pk': keys.clinicWaitlistPartition(clinicId).GSI2PK, ':from': today },
    });
    for await (const item of items) out.push(stripKeys<WaitlistEntry>(item));
    return out;
  }

  private auditItems(audit: AuditEntry | undefined) {
    return audit ? [auditPut(this.table, audit)] : [];
  }
}
