// Client records. The profile item also carries `scheduleVersion`, which every booking change of
// the client bumps in its transaction: two concurrent bookings of one client serialise on it, so
// course-of-care rules (intake, preparation, spacing) are checked against a state that still holds
// when the booking commits.
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Appointment, Clearance, Client } from '#domain/types.ts';
import { ConflictError, NotFoundError } from '#domain/errors.ts';
import { keys } from './keys.ts';
import { queryAll } from './query-all.ts';
import { backoff, StaleReadError, transactionError } from './errors.ts';
import { stripKeys } from './clinic-repo.ts';
import type { AuditEntry } from '#domain/audit.ts';
import type { ClientDiagnoses } from '#domain/diagnoses.ts';
import { auditPut } from './audit-repo.ts';
import { searchSortName, searchTextOf } from '#domain/client-search.ts';

type WriteItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** What a search result shows of a client. */
export type ClientSearchHit = Pick<Client, 'id' | 'firstName' | 'lastName' | 'dateOfBirth' | 'phone' | 'email'>;

export interface StoredClient extends Client {
  scheduleVersion: number;
}

export class ClientRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * The profile as stored: with its entry in the clinic's client index (GSI1, by name) and the
   * search text the front desk's search filters on (shared/domain/client-search.ts), both
   * rewritten with every change of the profile.
   */
  private profileItem(client: Client & { scheduleVersion?: number }) {
    return {
      ...keys.client(client.id),
      ...keys.clientByClinic(client.clinicId, searchSortName(client), client.id),
      type: 'client',
      scheduleVersion: 0,
      ...client,
      searchText: searchTextOf(client),
    };
  }

  /**
   * The clinic's clients whose search text holds every term (shared/domain/client-search.ts), by
   * last name then first name, at most `limit`: a Query of the clinic's client index (never a
   * Scan), filtered, page by page until enough match or `maxRead` profiles were read (a broad
   * query on a large clinic answers the first matches, alphabetically; the person types more).
   * Only the fields a result list shows are returned.
   */
  async search(clinicId: string, terms: string[], opts: { limit: number; maxRead: number }): Promise<ClientSearchHit[]> {
    const values: Record<string, string> = { ':pk': keys.clinicClientsPartition(clinicId).GSI1PK };
    const filter = terms.map((t, i) => {
      values[`:t${i}`] = t;
      return `contains(searchText, :t${i})`;
    });
    const hits: ClientSearchHit[] = [];
    let read = 0;
    let cursor: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          FilterExpression: filter.join(' AND '),
          ProjectionExpression: 'id, firstName, lastName, dateOfBirth, phone, email',
          ExpressionAttributeValues: values,
          ExclusiveStartKey: cursor,
          Limit: Math.min(500, opts.maxRead - read),
        }),
      );
      read += res.ScannedCount ?? 0;
      for (const item of res.Items ?? []) {
        if (hits.length < opts.limit) hits.push(item as ClientSearchHit);
      }
      cursor = res.LastEvaluatedKey;
    } while (cursor && hits.length < opts.limit && read < opts.maxRead);
    return hits;
  }

  /**
   * Creates the client. A user signing up for itself links its identity (`userSub`) to the record
   * in the same transaction, conditioned on having none yet: one record per user. E-mail
   * addresses are deliberately not unique: a 409 for a known address would tell anyone who is a
   * client of the clinic, and a claim on it would let someone squat a victim's address.
   */
  async create(client: Client, opts: { userSub?: string | undefined; audit?: AuditEntry | undefined } = {}): Promise<void> {
    const items: Array<[WriteItem, 'profile' | 'user' | 'audit']> = [
      [{ Put: { TableName: this.table, Item: this.profileItem(client), ConditionExpression: 'attribute_not_exists(PK)' } }, 'profile'],
    ];
    if (opts.userSub !== undefined) {
      items.push([
        {
          Put: {
            TableName: this.table,
            Item: { ...keys.userClient(opts.userSub), type: 'user_client', clientId: client.id, clinicId: client.clinicId },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        'user',
      ]);
    }
    items.push(...this.auditItems(opts.audit).map((item): [WriteItem, 'audit'] => [item, 'audit']));
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items.map(([item]) => item) }));
    } catch (err) {
      throw transactionError(
        err,
        items.map(([, role]) => role),
        (failed) =>
          failed.includes('user')
            ? new ConflictError('You already have a client record')
            : // the id taken: only a keyed create's earlier attempt can have made it (ClientService.create)
              failed.includes('profile')
              ? new ConflictError('A client record with this id exists')
              : undefined,
      );
    }
  }

  /** The client record a signed-up user created for itself, if any. */
  async clientIdOfUser(sub: string): Promise<string | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.userClient(sub), ConsistentRead: true }));
    return typeof res.Item?.clientId === 'string' ? res.Item.clientId : undefined;
  }

  async get(clientId: string): Promise<StoredClient | null> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.client(clientId), ConsistentRead: true }));
    return res.Item ? stripKeys<StoredClient>(res.Item) : null;
  }

  async require(clientId: string): Promise<StoredClient> {
    const c = await this.get(clientId);
    if (!c) throw new NotFoundError('client');
    return c;
  }

  /**
   * Replaces the profile if nobody changed it since `before` was read, together with `extra`
   * items. The condition covers `scheduleVersion` too and the write bumps it: a profile change
   * (ride home, clearance) is something an exploration check depends on, and a Put must never
   * write back a schedule version that a concurrent booking has moved on from. A stale read is
   * a StaleReadError for the caller to re-read and re-apply.
   */
  private async writeProfile(
    before: StoredClient,
    next: StoredClient,
    extra: WriteItem[],
    onExtraFailed: () => Error,
  ): Promise<StoredClient> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: this.profileItem(next),
                ConditionExpression: 'version = :v AND scheduleVersion = :sv',
                ExpressionAttributeValues: { ':v': before.version, ':sv': before.scheduleVersion },
              },
            },
            ...extra,
          ],
        }),
      );
    } catch (err) {
      // the profile first, then the extra items: a stale profile is re-read whatever else failed
      const roles = ['profile' as const, ...extra.map(() => 'extra' as const)];
      throw transactionError(err, roles, (failed) => (failed.includes('profile') ? new StaleReadError() : onExtraFailed()));
    }
    return next;
  }

  private bumped(before: StoredClient, after: Client): StoredClient {
    return { ...after, version: before.version + 1, scheduleVersion: before.scheduleVersion + 1 };
  }

  /** Replaces the profile, with the change's audit entry in the same transaction. */
  async update(before: StoredClient, after: Client, audit?: AuditEntry): Promise<StoredClient> {
    return this.writeProfile(
      before,
      this.bumped(before, after),
      this.auditItems(audit),
      () => new ConflictError('The profile changed meanwhile'),
    );
  }

  /** A change's audit entry, committed with it (shared/db/audit-repo.ts). */
  private auditItems(audit: AuditEntry | undefined): WriteItem[] {
    if (!audit) return [];
    return [auditPut(this.table, audit)];
  }

  /**
   * Records a clearance decision: its own history entry, never overwritten (a clinical record keeps
   * what was recorded before), and the profile's current clearance, in one transaction, so the two
   * never disagree: a stale profile writes neither (StaleReadError), nor does an entry already
   * under the key (ConflictError).
   */
  async recordClearance(before: StoredClient, clearance: Clearance & { id: string }, audit?: AuditEntry): Promise<StoredClient> {
    const history: WriteItem = {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.clearanceRecord(before.id, clearance.recordedAt, clearance.id),
          type: 'clearance',
          clientId: before.id,
          ...clearance,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
    return this.writeProfile(
      before,
      this.bumped(before, { ...before, clearance }),
      [history, ...this.auditItems(audit)],
      () => new ConflictError('Clearance recorded twice at once'),
    );
  }

  /**
   * Every clearance entry recorded for the client, newest first (key order, read backwards). A
   * client records a few a year: one Query, all pages.
   */
  async clearances(clientId: string): Promise<Clearance[]> {
    const out: Clearance[] = [];
    const items = queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.client(clientId).PK, ':sk': keys.clearanceRecordPrefix() },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    for await (const item of items) out.push(clearanceOf(item));
    return out;
  }

  /** The client's diagnosis codes (their own item, keys.diagnoses), or null when none were recorded. */
  async diagnoses(clientId: string): Promise<ClientDiagnoses | null> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.diagnoses(clientId), ConsistentRead: true }));
    return res.Item ? stripKeys<ClientDiagnoses>(res.Item) : null;
  }

  /**
   * Replaces the client's diagnoses if nobody changed them since they were read (`expectedVersion`;
   * undefined: none were recorded then), with the change's audit entry in the same transaction. A
   * stale read is a StaleReadError for the caller to re-read and re-apply.
   */
  async putDiagnoses(next: ClientDiagnoses, expectedVersion: number | undefined, audit?: AuditEntry): Promise<ClientDiagnoses> {
    const put: WriteItem = {
      Put: {
        TableName: this.table,
        Item: { ...keys.diagnoses(next.clientId), type: 'diagnoses', ...next },
        ...(expectedVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      },
    };
    const extra = this.auditItems(audit);
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [put, ...extra] }));
    } catch (err) {
      const roles = ['diagnoses' as const, ...extra.map(() => 'audit' as const)];
      throw transactionError(err, roles, (failed) =>
        failed.includes('diagnoses') ? new StaleReadError() : new ConflictError('Diagnoses recorded twice at once'),
      );
    }
    return next;
  }

  /** Several clients at once (BatchGet, 100 a call), in no particular order; unknown ids are skipped. */
  async getMany(clientIds: string[]): Promise<StoredClient[]> {
    const out: StoredClient[] = [];
    for (let i = 0; i < clientIds.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.table]: { Keys: clientIds.slice(i, i + 100).map((id) => keys.client(id)) },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        const res = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of res.Responses?.[this.table] ?? []) out.push(stripKeys<StoredClient>(item));
        request = res.UnprocessedKeys as typeof request;
        if (request && Object.keys(request).length > 0) await backoff(attempt);
      }
    }
    return out;
  }

  /**
   * The names of several clients ("First Last"), and nothing else of their records (minimum
   * necessary: what a ledger export prints), by id (BatchGet, 100 a call, a projection of the
   * id and the two names); unknown ids are left out.
   */
  async namesOf(clientIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < clientIds.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression: string }> | undefined = {
        [this.table]: { Keys: clientIds.slice(i, i + 100).map((id) => keys.client(id)), ProjectionExpression: 'id, firstName, lastName' },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        const res = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of res.Responses?.[this.table] ?? [])
          out.set(String(item.id), `${String(item.firstName)} ${String(item.lastName)}`);
        request = res.UnprocessedKeys as typeof request;
        if (request && Object.keys(request).length > 0) await backoff(attempt);
      }
    }
    return out;
  }

  /** The client's appointments, read consistently from the client's partition, soonest first. */
  async appointments(clientId: string): Promise<Appointment[]> {
    return (await this.readPartition(clientId, false)).appointments;
  }

  /**
   * The profile and every appointment of a client in one consistent Query of its partition: what
   * a booking checks its rules against, read at one point in time.
   */
  async withAppointments(clientId: string): Promise<{ client: StoredClient | null; appointments: Appointment[] }> {
    return this.readPartition(clientId, true);
  }

  private async readPartition(clientId: string, withProfile: boolean) {
    let client: StoredClient | null = null;
    const appointments: Appointment[] = [];
    const items = queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: withProfile ? 'PK = :pk' : 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: {
        ':pk': keys.client(clientId).PK,
        ...(withProfile ? {} : { ':sk': keys.clientAppointmentPrefix() }),
      },
      ConsistentRead: true,
    });
    for await (const item of items) {
      if (item.type === 'client_appointment') appointments.push(stripKeys<Appointment>(item));
      else if (item.type === 'client') client = stripKeys<StoredClient>(item);
    }
    appointments.sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id));
    return { client, appointments };
  }
}

/** A history entry as a Clearance, field by field: the item's keys and `clientId` are not part of it. */
function clearanceOf(item: Record<string, unknown>): Clearance {
  const c = item as unknown as Clearance;
  return {
    ...(c.id === undefined ? {} : { id: c.id }),
    status: c.status,
    screenedFor: c.screenedFor,
    validUntil: c.validUntil,
    notes: c.notes,
    recordedBy: c.recordedBy,
    recordedAt: c.recordedAt,
  };
}
