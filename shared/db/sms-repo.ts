// The SMS of an appointment as items in the appointment's own partition (docs/access-patterns.md,
// item types `sms`), and the job's conditional writes on them.
//
// Items (keys.ts):
//   APPT#<id> / SMS#REMINDER#<offset>   one per planned reminder, written in the same
//                                       TransactWriteItems as the booking / move / status change
//   APPT#<id> / SMS#NOTICE#<version>    a confirmation / moved / cancelled notice, due at once,
//                                       written with the change that made that version
// While an SMS waits it has a GSI1 entry `SMS_DUE` / `<iso due>#<PK>#<SK>#v<version>` (sparse: removed when
// it is sent, skipped or dead-lettered), so the job finds due work with one Query, never a Scan.
// The GSI1SK is also the item's claim token: every job write is conditioned on the GSI1SK it
// read, so of two runs that saw the same item only the first write wins.
//
// States: pending → sending (claimed, with a lease: the GSI1SK moves to the lease end) → sent;
// pending → skipped (stale, no consent, opted out, daily cap); pending → pending (retry: attempts + 1, the
// GSI1SK moves to the next attempt); → dead (a dead-letter record SMS_DEAD_LETTER is written in
// the same transaction). A 'sending' item found after its lease is never sent again: see
// shared/services/reminder-job.ts for why and what happens instead.
//
// The daily notice cap (dailyCapSlot in shared/domain/sms.ts): a counter item per client and
// clinic-local day, SMS_DAILY#<clientId>#<YYYY-MM-DD> / SMS_DAILY, takes one slot with
// `ADD sent 1` under `attribute_not_exists(sent) OR sent < :cap` INSIDE the claim transaction, so
// a notice is claimed only with a slot and of any number of overlapping runs at most `cap` claims
// of a client's day commit. The SMS item remembers the day it counted on (`capDay`): a claim given
// back for a retry (nothing sent) keeps its slot and does not take another.
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { SmsKind } from '#domain/sms.ts';
import type { Appointment } from '#domain/types.ts';
import type { PlannedReminder } from '#domain/reminders.ts';
import type { ReminderReplan } from '#domain/reminder-replan.ts';
import { keys } from './keys.ts';
import { TABLE } from './table.ts';
import { backoff, isConditionalFailure, readCancellation, transactionError } from './errors.ts';
import { stripKeys } from './clinic-repo.ts';

type WriteItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export type SmsState = 'pending' | 'sending' | 'sent' | 'skipped' | 'dead';

export interface SmsRecord {
  PK: string;
  SK: string;
  kind: SmsKind;
  appointmentId: string;
  clinicId: string;
  clientId: string;
  /** The appointment version this SMS was planned for: sent only while the appointment has it. */
  apptVersion: number;
  /** The start the SMS speaks of (the appointment's at planning time). */
  startsAt: number;
  /** For 'moved': the start before the move. */
  previousStartsAt?: number;
  offsetHours?: number;
  /** When it was planned to go. */
  sendAt: number;
  state: SmsState;
  attempts: number;
  /** When it is due next: sendAt, a retry's time, or the end of a claim's lease. */
  dueAt: number;
  GSI1SK?: string;
  claimId?: string;
  sentAt?: number;
  messageId?: string;
  skipReason?: string;
  lastError?: string;
  /** The clinic-local day (YYYY-MM-DD) whose daily notice cap this SMS took a slot of, at a claim. */
  capDay?: string;
  /** A notice of a change staff made: it takes no slot of the daily cap (dailyCapSlot in #domain/sms.ts). */
  capExempt?: boolean;
}

/** Puts and deletes of SMS items that ride in an appointment transaction. */
export interface SmsWrite {
  puts: Array<Record<string, unknown>>;
  deletes: Array<{ PK: string; SK: string }>;
}

function baseItem(a: Appointment, kind: SmsKind, key: { PK: string; SK: string }, sendAt: number) {
  return {
    ...key,
    ...keys.smsDue(sendAt, key.PK, key.SK, a.version),
    type: 'sms',
    kind,
    appointmentId: a.id,
    clinicId: a.clinicId,
    clientId: a.clientId,
    apptVersion: a.version,
    startsAt: a.startsAt,
    sendAt,
    dueAt: sendAt,
    state: 'pending' as SmsState,
    attempts: 0,
  };
}

/**
 * The SMS items of an appointment change: the reminders of `plan` put (over the same offsets'
 * items of the previous plan), the previous plan's other offsets deleted, and a notice due `now`.
 * `previousOffsets` is what `before.smsReminderOffsets` says was planned.
 */
export function smsPlanWrite(opts: {
  after: Appointment;
  plan: PlannedReminder[];
  previousOffsets: readonly number[];
  notice?: { kind: SmsKind; now: number; previousStartsAt?: number; capExempt?: boolean };
}): SmsWrite {
  const { after, plan, previousOffsets, notice } = opts;
  const puts: Array<Record<string, unknown>> = plan.map((r) => ({
    ...baseItem(after, 'reminder', keys.smsReminder(after.id, r.offsetHours), r.sendAt),
    offsetHours: r.offsetHours,
  }));
  const kept = new Set(plan.map((r) => r.offsetHours));
  const deletes = previousOffsets.filter((o) => !kept.has(o)).map((o) => keys.smsReminder(after.id, o));
  if (notice) {
    puts.push({
      ...baseItem(after, notice.kind, keys.smsNotice(after.id, after.version), notice.now),
      ...(notice.previousStartsAt === undefined ? {} : { previousStartsAt: notice.previousStartsAt }),
      ...(notice.capExempt ? { capExempt: true } : {}),
    });
  }
  return { puts, deletes };
}

/**
 * A reminder item written or deleted by a clinic's re-plan (replanReminders in
 * #domain/reminder-replan.ts), with what it must still be: absent (`seen` undefined), or pending
 * at the due-index entry read (`seen`, the GSI1SK). The GSI1SK moves with every job write (claim,
 * retry) and disappears when the item is sent, skipped or dead-lettered, so a reminder the job
 * claimed or changed after the read fails the re-plan's transaction instead of being put over.
 */
export interface GuardedSmsWrite {
  put?: Record<string, unknown>;
  delete?: { PK: string; SK: string };
  /** Over a pending item: the due-index key it was read with. */
  seen?: string;
  /** Over an item that went for an earlier start: its state and start as read. */
  seenDone?: { state: string; startsAt: number };
}

/**
 * The re-plan's SMS writes for `appt` (the appointment as read: its version and start, which the
 * items keep): `decision.put` put over the pending item read at that offset or where there is
 * none, `decision.delete` deleted, each guarded as GuardedSmsWrite says. `read` is the
 * appointment's reminder items as read, where the guards come from.
 */
export function smsReplanWrite(
  appt: Appointment,
  decision: Pick<ReminderReplan, 'put' | 'delete'>,
  read: readonly SmsRecord[],
): GuardedSmsWrite[] {
  const readAt = (offsetHours: number): SmsRecord => {
    const item = read.find((r) => r.kind === 'reminder' && r.offsetHours === offsetHours);
    if (!item) throw new RangeError('A re-plan may only replace a reminder it read');
    return item;
  };
  const seenAt = (offsetHours: number): string => {
    const { GSI1SK } = readAt(offsetHours);
    if (!GSI1SK) throw new RangeError('A re-plan may only replace a pending reminder it read');
    return GSI1SK;
  };
  const doneAt = (offsetHours: number) => {
    const { state, startsAt } = readAt(offsetHours);
    return { state, startsAt };
  };
  return [
    ...decision.put.map((r) => ({
      put: { ...baseItem(appt, 'reminder', keys.smsReminder(appt.id, r.offsetHours), r.sendAt), offsetHours: r.offsetHours },
      ...(r.overDone ? { seenDone: doneAt(r.offsetHours) } : r.replaces ? { seen: seenAt(r.offsetHours) } : {}),
    })),
    ...decision.delete.map((o) => ({ delete: keys.smsReminder(appt.id, o), seen: seenAt(o) })),
  ];
}

/** The claim's condition on the appointment: its status one of `statuses`, at `version` when given. */
function appointmentHolds(c: { statuses: readonly string[]; version?: number }) {
  const names = c.statuses.map((_, i) => `:st${i}`);
  return {
    ConditionExpression: `${c.version === undefined ? '' : 'version = :v AND '}#status IN (${names.join(', ')})`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ...Object.fromEntries(c.statuses.map((st, i) => [names[i]!, st])),
      ...(c.version === undefined ? {} : { ':v': c.version }),
    },
  };
}

export interface DeadLetter {
  appointmentId: string;
  kind: SmsKind;
  reason: string;
  attempts: number;
  lastError?: string;
  at: number;
  smsKey: { PK: string; SK: string };
}

/**
 * TTL (epoch s) of a daily notice counter: three days after the UTC midnight that starts its date,
 * which is after the end of that clinic-local day in every zone (UTC-12 to UTC+14) — a counter is
 * read and written only on its own day; the date in its key means it is never reused.
 */
function dailyCountExpiry(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000 + 3 * 24 * 3600;
}

/** What a claim of an SMS for sending takes and checks (SmsRepository.claim). */
interface SmsClaim {
  claimId: string;
  leaseUntil: number;
  /** What the appointment must still be (appointmentCondition in #domain/sms-decision.ts). */
  appointment: { statuses: readonly string[]; version?: number };
  dailyCap?: { day: string; cap: number };
}

export class SmsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** SMS items with a due-index entry at or before `now`, oldest first, one page (GSI1). */
  async due(now: number, limit: number, start?: Record<string, unknown>) {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK < :upper',
        ExpressionAttributeValues: { ':pk': keys.smsDuePartition().GSI1PK, ':upper': keys.instantBound(now + 1) },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return { items: (res.Items ?? []) as SmsRecord[], next: res.LastEvaluatedKey };
  }

  /** The SMS items of one appointment (tests, support). */
  async ofAppointment(appointmentId: string): Promise<SmsRecord[]> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sms)',
        ExpressionAttributeValues: { ':pk': keys.appointment(appointmentId).PK, ':sms': keys.smsPrefix() },
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []) as SmsRecord[];
  }

  async get(key: { PK: string; SK: string }): Promise<SmsRecord | null> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: { PK: key.PK, SK: key.SK }, ConsistentRead: true }));
    return (res.Item as SmsRecord | undefined) ?? null;
  }

  /**
   * Claims a pending SMS for sending, in one transaction with checks that the appointment is still
   * at the planned version and status and the client still consents, and, with `dailyCap`, a slot
   * of the client's daily notice counter for that day (refused at `cap`). Returns which part
   * refused. Contention on the counter alone (another claim of the same client's day committing at
   * that moment) is retried here with jitter: it says nothing about this SMS.
   */
  async claim(sms: SmsRecord, claim: SmsClaim): Promise<'claimed' | 'lost' | 'stale_appointment' | 'no_consent' | 'daily_cap'> {
    const items = this.claimItems(sms, claim);
    const roles = ['sms', 'appointment', 'consent', 'counter'] as const;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return 'claimed';
      } catch (err) {
        // read with the one mapper (./errors.ts): here a failed condition is an answer, not an error
        const c = readCancellation(err, roles);
        if (!c) throw err;
        if (c.failed.includes('sms')) return 'lost';
        if (c.failed.includes('appointment')) return 'stale_appointment';
        if (c.failed.includes('consent')) return 'no_consent';
        if (c.failed.includes('counter')) return 'daily_cap';
        const counterOnly = c.contended.length === 1 && c.contended[0] === 'counter' && !c.throttled && c.other.length === 0;
        if (counterOnly && attempt < 8) {
          await backoff(attempt);
          continue;
        }
        if (c.contended.length > 0) return 'lost'; // someone else is writing it: leave it to them
        throw transactionError(err, roles, () => undefined);
      }
    }
  }

  /** The claim's transaction, in the order of its roles: the SMS, the appointment, the consent, the counter. */
  private claimItems(sms: SmsRecord, claim: SmsClaim): WriteItem[] {
    const due = keys.smsDue(claim.leaseUntil, sms.PK, sms.SK, sms.apptVersion);
    const cap = claim.dailyCap;
    const items: WriteItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: { PK: sms.PK, SK: sms.SK },
          UpdateExpression: `SET #state = :sending, claimId = :c, dueAt = :lease, GSI1SK = :due${cap ? ', capDay = :day' : ''}`,
          ConditionExpression: 'GSI1SK = :seen AND #state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':pending': 'pending',
            ':c': claim.claimId,
            ':lease': claim.leaseUntil,
            ':due': due.GSI1SK,
            ':seen': sms.GSI1SK,
            ...(cap ? { ':day': cap.day } : {}),
          },
        },
      },
      {
        ConditionCheck: {
          TableName: this.table,
          Key: keys.appointment(sms.appointmentId),
          ...appointmentHolds(claim.appointment),
        },
      },
      {
        ConditionCheck: {
          TableName: this.table,
          Key: keys.client(sms.clientId),
          ConditionExpression: 'smsConsent = :yes',
          ExpressionAttributeValues: { ':yes': true },
        },
      },
    ];
    if (cap) {
      items.push({
        Update: {
          TableName: this.table,
          Key: keys.smsDailyCount(sms.clientId, cap.day),
          UpdateExpression: 'SET #type = :type, #exp = :exp ADD #sent :one',
          ConditionExpression: 'attribute_not_exists(#sent) OR #sent < :cap',
          ExpressionAttributeNames: { '#type': 'type', '#exp': TABLE.ttlAttribute, '#sent': 'sent' },
          ExpressionAttributeValues: { ':type': 'sms_daily_count', ':exp': dailyCountExpiry(cap.day), ':one': 1, ':cap': cap.cap },
        },
      });
    }
    return items;
  }

  /** Notices counted on a client's clinic-local day so far (0 when none). Strongly consistent. */
  async dailyCount(clientId: string, day: string): Promise<number> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.smsDailyCount(clientId, day), ConsistentRead: true }),
    );
    return typeof res.Item?.sent === 'number' ? res.Item.sent : 0;
  }

  /** After the provider accepted it. False when the item changed meanwhile (moved, cancelled). */
  async markSent(sms: SmsRecord, claimId: string, at: number, messageId: string): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { PK: sms.PK, SK: sms.SK },
        UpdateExpression: 'SET #state = :sent, sentAt = :at, messageId = :m REMOVE GSI1PK, GSI1SK, claimId, dueAt',
        ConditionExpression: 'claimId = :c',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': at, ':m': messageId, ':c': claimId },
      }),
    );
  }

  /** Not to be sent, for a recorded reason; conditioned on the index entry that was read. */
  async markSkipped(sms: SmsRecord, reason: string, at: number): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { PK: sms.PK, SK: sms.SK },
        UpdateExpression: 'SET #state = :skipped, skipReason = :r, skippedAt = :at REMOVE GSI1PK, GSI1SK, claimId, dueAt',
        ConditionExpression: 'GSI1SK = :seen',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':skipped': 'skipped', ':r': reason, ':at': at, ':seen': sms.GSI1SK },
      }),
    );
  }

  /** Back to pending for another attempt at `dueAt` (the claim given up: nothing was sent). */
  async retryLater(sms: SmsRecord, opts: { claimId?: string; dueAt: number; attempts: number; error: string }): Promise<boolean> {
    const due = keys.smsDue(opts.dueAt, sms.PK, sms.SK, sms.apptVersion);
    const condition = opts.claimId === undefined ? 'GSI1SK = :seen' : 'claimId = :c';
    const values: Record<string, unknown> = {
      ':pending': 'pending',
      ':due': due.GSI1SK,
      ':dueAt': opts.dueAt,
      ':n': opts.attempts,
      ':e': opts.error,
    };
    if (opts.claimId === undefined) values[':seen'] = sms.GSI1SK;
    else values[':c'] = opts.claimId;
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { PK: sms.PK, SK: sms.SK },
        UpdateExpression: 'SET #state = :pending, GSI1SK = :due, dueAt = :dueAt, attempts = :n, lastError = :e REMOVE claimId',
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  /**
   * Gives up on an SMS: the item leaves the due index as 'dead' and a dead-letter record is put,
   * in one transaction, on the claim held or the index entry read.
   */
  async deadLetter(sms: SmsRecord, letter: DeadLetter, claimId?: string): Promise<boolean> {
    const values: Record<string, unknown> = { ':dead': 'dead', ':r': letter.reason, ':n': letter.attempts };
    let condition: string;
    if (claimId === undefined) {
      condition = 'GSI1SK = :seen';
      values[':seen'] = sms.GSI1SK;
    } else {
      condition = 'claimId = :c';
      values[':c'] = claimId;
    }
    const items: WriteItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: { PK: sms.PK, SK: sms.SK },
          UpdateExpression: 'SET #state = :dead, skipReason = :r, attempts = :n REMOVE GSI1PK, GSI1SK, claimId, dueAt',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: values,
        },
      },
      // one record per SMS item and plan version: a later plan's failure does not overwrite it
      {
        Put: {
          TableName: this.table,
          Item: { ...keys.smsDeadLetter(sms.PK, sms.SK, sms.apptVersion), type: 'sms_dead_letter', ...letter },
        },
      },
    ];
    const roles = ['sms', 'dead_letter'] as const;
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (err) {
      // the SMS changed meanwhile, or someone else is writing it: not ours to dead-letter
      const c = readCancellation(err, roles);
      if (c && (c.failed.includes('sms') || c.contended.length > 0)) return false;
      throw transactionError(err, roles, () => undefined);
    }
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.smsDeadLetterPartition().PK },
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map((i) => stripKeys<DeadLetter>(i));
  }

  /** Our own opt-out record of a number (a client asked the clinic, or replied STOP elsewhere). */
  async setOptOut(phone: string, optedOut: boolean, at: number): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { ...keys.smsOptOut(phone), type: 'sms_opt_out', phone, optedOut, at } }),
    );
  }

  async isOptedOut(phone: string): Promise<boolean> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.smsOptOut(phone), ConsistentRead: true }));
    return res.Item?.optedOut === true;
  }

  private async conditional(cmd: UpdateCommand): Promise<boolean> {
    try {
      await this.doc.send(cmd);
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw err;
    }
  }
}
