// Appointments and the slot locks that make double booking impossible.
//
// Each appointment is two items written together: the main item (by id, indexed by clinic and
// start on GSI2) and the client's copy (in the client's partition, read consistently for the
// course-of-care rules). Time is reserved by one lock item per resource (provider, room, client)
// and 15-minute block: a booking puts them with attribute_not_exists in the same transaction as
// the appointment, so DynamoDB itself refuses a second holder, whatever the concurrency.
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Appointment } from '#domain/types.ts';
import { SlotUnavailableError } from '#domain/errors.ts';
import { keys, lockBlocks, type LockedResource } from './keys.ts';
import { cancellationReasons, ContentionError, StaleReadError, throttled } from './errors.ts';
import { stripKeys } from './clinic-repo.ts';

type WriteItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** Kept a week past the end so that DynamoDB TTL tidies old locks; they never matter once past. */
const LOCK_TTL_SECONDS = 7 * 86_400;

interface LockRef {
  key: { PK: string; SK: string };
  id: string; // PK, for set arithmetic
  resource: LockedResource;
}

function locksOf(appt: Appointment): LockRef[] {
  const resources: Array<[LockedResource, string | null]> = [
    ['provider', appt.providerId],
    ['room', appt.roomId],
    ['client', appt.clientId],
  ];
  const out: LockRef[] = [];
  for (const [resource, id] of resources) {
    if (!id) continue;
    for (const block of lockBlocks(appt.startsAt, appt.endsAt)) {
      const key = keys.slotLock(resource, id, block);
      out.push({ key, id: key.PK, resource });
    }
  }
  return out;
}

/** What a write does to the client's profile besides bumping its schedule version. */
export interface ClientEffect {
  /** Condition the write on the version read before checking rules (bookings and moves). */
  expectScheduleVersion?: number;
  markIntakeCompleted?: boolean;
}

export class AppointmentRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(appointmentId: string): Promise<Appointment | null> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.appointment(appointmentId), ConsistentRead: true }),
    );
    return res.Item ? stripKeys<Appointment>(res.Item) : null;
  }

  /** Appointments of a clinic starting in [from, to), by start. Eventually consistent (GSI2). */
  async byClinic(clinicId: string, from: number, to: number): Promise<Appointment[]> {
    const out: Appointment[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.clinicAppointmentsPartition(clinicId).GSI2PK,
            ':from': keys.instantBound(from),
            // '~' sorts after '#<id>', so an appointment starting exactly at `to` - 1 ms is in
            ':to': keys.instantBound(to - 1) + '~',
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) out.push(stripKeys<Appointment>(item));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  private mainItem(a: Appointment) {
    return { ...keys.appointment(a.id), ...keys.appointmentByClinic(a.clinicId, a.startsAt, a.id), type: 'appointment', ...a };
  }

  private copyItem(a: Appointment) {
    return { ...keys.clientAppointment(a.clientId, a.id), type: 'client_appointment', ...a };
  }

  private lockPut(lock: LockRef, a: Appointment): WriteItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...lock.key, type: 'lock', appointmentId: a.id, expiresAt: Math.floor(a.endsAt / 1000) + LOCK_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  private lockDelete(lock: LockRef, appointmentId: string): WriteItem {
    return {
      Delete: {
        TableName: this.table,
        Key: lock.key,
        // only our own lock; a lock already tidied away by TTL is fine too
        ConditionExpression: 'attribute_not_exists(PK) OR appointmentId = :id',
        ExpressionAttributeValues: { ':id': appointmentId },
      },
    };
  }

  private clientUpdate(clientId: string, effect: ClientEffect): WriteItem {
    const sets = ['scheduleVersion = if_not_exists(scheduleVersion, :zero) + :one'];
    const values: Record<string, unknown> = { ':one': 1, ':zero': 0 };
    if (effect.markIntakeCompleted) {
      sets.push('intakeCompleted = :true');
      values[':true'] = true;
    }
    let condition = 'attribute_exists(PK)';
    if (effect.expectScheduleVersion !== undefined) {
      condition += ' AND scheduleVersion = :sv';
      values[':sv'] = effect.expectScheduleVersion;
    }
    return {
      Update: {
        TableName: this.table,
        Key: keys.client(clientId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: condition,
        ExpressionAttributeValues: values,
      },
    };
  }

  /**
   * Runs a transaction whose items are laid out as [appointment, copy, client, ...locks] (`locks`
   * in the same order as the lock items) and maps a
   * cancellation: a taken lock is 409 slot_unavailable; a stale appointment or client is a stale read
   * (the caller re-reads and re-checks); contention is retried by the caller; throttling is a 503.
   */
  private async write(items: WriteItem[], locks: LockRef[]): Promise<void> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      const reasons = cancellationReasons(err);
      if (!reasons) throw err;
      const taken = new Set<LockedResource>();
      reasons.forEach((r, i) => {
        const lock = locks[i - 3];
        if (r === 'condition' && lock) taken.add(lock.resource);
      });
      if (taken.size > 0) throw new SlotUnavailableError(undefined, [...taken]);
      if (reasons[0] === 'condition' || reasons[2] === 'condition') throw new StaleReadError();
      if (reasons.includes('throttled')) throw throttled();
      if (reasons.includes('conflict')) throw new ContentionError();
      throw err;
    }
  }

  /** Books: the appointment, its copy, the client's version and every lock, or nothing. */
  async create(a: Appointment, effect: ClientEffect): Promise<void> {
    const locks = locksOf(a);
    await this.write(
      [
        { Put: { TableName: this.table, Item: this.mainItem(a), ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName: this.table, Item: this.copyItem(a) } },
        this.clientUpdate(a.clientId, effect),
        ...locks.map((l) => this.lockPut(l, a)),
      ],
      locks,
    );
  }

  /**
   * Replaces `before` with `after` (same id) if nobody changed it meanwhile. Locks: the blocks both
   * hold are kept, the ones only `before` held are released and the new ones taken, all in the
   * same transaction. `releaseAll` drops every lock of `before` (cancel).
   */
  async replace(before: Appointment, after: Appointment, effect: ClientEffect, opts: { releaseAll?: boolean } = {}): Promise<void> {
    const oldLocks = locksOf(before);
    const newLocks = opts.releaseAll ? [] : locksOf(after);
    const oldIds = new Set(oldLocks.map((l) => l.id));
    const newIds = new Set(newLocks.map((l) => l.id));
    const taking = newLocks.filter((l) => !oldIds.has(l.id));
    const releasing = oldLocks.filter((l) => !newIds.has(l.id));
    const items: WriteItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: this.mainItem(after),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': before.version },
        },
      },
      { Put: { TableName: this.table, Item: this.copyItem(after) } },
      this.clientUpdate(after.clientId, effect),
      ...taking.map((l) => this.lockPut(l, after)),
      ...releasing.map((l) => this.lockDelete(l, before.id)),
    ];
    await this.write(items, [...taking, ...releasing]);
  }
}
