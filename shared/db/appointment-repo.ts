// Appointments and the slot locks that make double booking impossible.
//
// Each appointment is two items written together: the main item (by id, indexed by clinic and
// start on GSI2) and the client's copy (in the client's partition, read consistently for the
// course-of-care rules). Time is reserved by one lock item per resource (provider, room, client)
// and 15-minute block: a booking puts them with attribute_not_exists in the same transaction as
// the appointment, so DynamoDB itself refuses a second holder, whatever the concurrency.
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Appointment } from '#domain/types.ts';
import { NotFoundError, SlotUnavailableError } from '#domain/errors.ts';
import { keys, lockBlocks, type LockedResource } from './keys.ts';
import { StaleReadError, transactionError } from './errors.ts';
import { stripKeys } from './clinic-repo.ts';
import { queryAll } from './query-all.ts';
import type { GuardedSmsWrite, SmsRecord, SmsWrite } from './sms-repo.ts';
import type { AuditEntry } from '#domain/audit.ts';
import { auditPut } from './audit-repo.ts';
import { invoiceWriteError, type InvoiceWriteRole, type InvoiceWrites } from './invoice-repo.ts';

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
  /** Without a version read first: the client must exist and belong to this clinic. */
  expectClinicId?: string;
  markIntakeCompleted?: boolean;
  /** The clinic setup the rules were checked against: its version must still hold at commit. */
  expectClinicVersion?: { clinicId: string; version: number };
}

/**
 * A package credit taken (+1) or given back (-1) in the same transaction as the appointment
 * change. Taking needs a credit left and a usable package; giving back never goes below zero.
 */
export interface CreditEffect {
  packageId: string;
  service: 'preparation' | 'exploration' | 'integration';
  delta: 1 | -1;
  /** Package statuses that allow taking a credit for this service. */
  usableIn?: readonly string[];
}

/** Why an item is in a transaction: tells what a failed condition on it means. */
type Role = 'appointment' | 'copy' | 'client' | 'clinic' | 'package' | 'sms' | 'audit' | InvoiceWriteRole | LockRef;

const INVOICE_ROLES: readonly Role[] = ['invoice_counter', 'invoice', 'invoice_version'] satisfies InvoiceWriteRole[];

export class AppointmentRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(appointmentId: string): Promise<Appointment | null> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.appointment(appointmentId), ConsistentRead: true }));
    return res.Item ? stripKeys<Appointment>(res.Item) : null;
  }

  async require(appointmentId: string): Promise<Appointment> {
    const appt = await this.get(appointmentId);
    if (!appt) throw new NotFoundError('appointment');
    return appt;
  }

  /** Appointments of a clinic starting in [from, to), by start. Eventually consistent (GSI2). */
  byClinic(clinicId: string, from: number, to: number): Promise<Appointment[]> {
    return this.clinicAppointments(clinicId, from, to);
  }

  /**
   * Appointments of a clinic starting at or after `from`, by start, however far ahead (staff may
   * book beyond the booking window). Eventually consistent (GSI2).
   */
  byClinicFrom(clinicId: string, from: number): Promise<Appointment[]> {
    return this.clinicAppointments(clinicId, from);
  }

  /** The clinic's appointments by start from `from`, up to before `to` when given, every page. */
  private async clinicAppointments(clinicId: string, from: number, to?: number): Promise<Appointment[]> {
    const out: Appointment[] = [];
    const items = queryAll(this.doc, {
      TableName: this.table,
      IndexName: 'GSI2',
      KeyConditionExpression: to === undefined ? 'GSI2PK = :pk AND GSI2SK >= :from' : 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.clinicAppointmentsPartition(clinicId).GSI2PK,
        ':from': keys.instantBound(from),
        // an appointment starting exactly at `to` - 1 ms is in
        ...(to === undefined ? {} : { ':to': keys.instantUpperBound(to - 1) }),
      },
    });
    for await (const item of items) out.push(stripKeys<Appointment>(item));
    return out;
  }

  /**
   * An appointment and its reminder items, read together (one strongly consistent Query of its
   * partition); null when it is gone.
   */
  async withReminders(appointmentId: string): Promise<{ appointment: Appointment; reminders: SmsRecord[] } | null> {
    let appointment: Appointment | null = null;
    const reminders: SmsRecord[] = [];
    const items = queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.appointment(appointmentId).PK },
      ConsistentRead: true,
    });
    for await (const item of items) {
      if (item.SK === keys.appointment(appointmentId).SK) appointment = stripKeys<Appointment>(item);
      else if (item.type === 'sms' && item.kind === 'reminder') reminders.push(item as SmsRecord);
    }
    return appointment ? { appointment, reminders } : null;
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

  private clinicCheck(expect: NonNullable<ClientEffect['expectClinicVersion']>): WriteItem {
    return {
      ConditionCheck: {
        TableName: this.table,
        Key: keys.clinic(expect.clinicId),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': expect.version },
      },
    };
  }

  private creditUpdate(credit: CreditEffect): WriteItem {
    // 'used', 'total' and 'status' are DynamoDB reserved words: every name goes through a placeholder
    const names = { '#credits': 'credits', '#svc': credit.service, '#status': 'status', '#used': 'used', '#total': 'total' };
    if (credit.delta === 1) {
      const statuses = credit.usableIn ?? ['active'];
      const values: Record<string, unknown> = { ':one': 1 };
      statuses.forEach((st, i) => (values[`:s${i}`] = st));
      return {
        Update: {
          TableName: this.table,
          Key: keys.package(credit.packageId),
          UpdateExpression: 'SET #credits.#svc.#used = #credits.#svc.#used + :one, version = version + :one',
          ConditionExpression: `#credits.#svc.#used < #credits.#svc.#total AND #status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    }
    return {
      Update: {
        TableName: this.table,
        Key: keys.package(credit.packageId),
        UpdateExpression: 'SET #credits.#svc.#used = #credits.#svc.#used - :one, version = version + :one',
        ConditionExpression: '#credits.#svc.#used > :zero',
        ExpressionAttributeNames: { '#credits': 'credits', '#svc': credit.service, '#used': 'used' },
        ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
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
    if (effect.expectClinicId !== undefined) {
      condition += ' AND clinicId = :clinic';
      values[':clinic'] = effect.expectClinicId;
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
   * Runs a transaction and maps a cancellation by the role of each refused item: a client that is
   * not this clinic's is 404; a taken lock is 409 slot_unavailable (naming the resources); a
   * refusal among the invoice's items alone means what invoiceWriteError says (the counter: an
   * InvoiceNumberTakenError, a stale read of the number); a stale appointment, client schedule or
   * clinic setup is a stale read (the caller re-reads and re-checks); contention is retried by the
   * caller; throttling is a 503.
   */
  private async write(entries: Array<[WriteItem, Role]>, effect: ClientEffect): Promise<void> {
    await this.transact(entries, (failed) => {
      // A client who is not this clinic's is reported before any taken lock: a 409 would tell staff
      // of one clinic when another clinic's client is busy.
      if (failed.includes('client') && effect.expectScheduleVersion === undefined && effect.expectClinicId !== undefined) {
        return new NotFoundError('client');
      }
      const taken = new Set(failed.filter((r): r is LockRef => typeof r === 'object').map((l) => l.resource));
      if (taken.size > 0) return new SlotUnavailableError(undefined, [...taken]);
      // Only the invoice's items refused: the number was taken meanwhile (re-read the counter), or
      // the invoice changed since it was read (a stale read: re-read it).
      // Along with a stale read of the rest, a plain stale read: the retry re-reads that first.
      if (failed.every((r) => INVOICE_ROLES.includes(r))) return invoiceWriteError(failed) ?? new StaleReadError();
      return new StaleReadError();
    });
  }

  /** One transaction of `entries`; a refusal mapped by its items' roles (transactionError), the failed ones to `onCondition`. */
  private async transact(entries: Array<[WriteItem, Role]>, onCondition: (failed: Role[]) => Error | undefined): Promise<void> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: entries.map(([item]) => item) }));
    } catch (err) {
      throw transactionError(
        err,
        entries.map(([, role]) => role),
        onCondition,
      );
    }
  }

  /** The items every appointment write has, before its locks. */
  private head(after: Appointment, main: WriteItem, effect: ClientEffect, credit?: CreditEffect): Array<[WriteItem, Role]> {
    const out: Array<[WriteItem, Role]> = [
      [main, 'appointment'],
      [{ Put: { TableName: this.table, Item: this.copyItem(after) } }, 'copy'],
      [this.clientUpdate(after.clientId, effect), 'client'],
    ];
    if (effect.expectClinicVersion) out.push([this.clinicCheck(effect.expectClinicVersion), 'clinic']);
    if (credit) out.push([this.creditUpdate(credit), 'package']);
    return out;
  }

  /**
   * The SMS plan's items (shared/db/sms-repo.ts), unconditional: the appointment's own condition
   * guards them. At most 5 reminder offsets before and after a change plus one notice, so with
   * its audit entry and a self-pay session's invoice Put the worst move stays at 76 + 11 + 1 + 1
   * = 89 items, under DynamoDB's 100 (docs/access-patterns.md, "Transactions").
   */
  private smsItems(sms: SmsWrite | undefined): Array<[WriteItem, Role]> {
    if (!sms) return [];
    return [
      ...sms.puts.map((Item): [WriteItem, Role] => [{ Put: { TableName: this.table, Item } }, 'sms']),
      ...sms.deletes.map((Key): [WriteItem, Role] => [{ Delete: { TableName: this.table, Key } }, 'sms']),
    ];
  }

  /** The change's audit entry, committed with it (shared/db/audit-repo.ts). */
  private auditItems(audit: AuditEntry | undefined): Array<[WriteItem, Role]> {
    if (!audit) return [];
    return [[auditPut(this.table, audit), 'audit']];
  }

  /**
   * Books: the appointment, its copy, the client's version, every lock, the SMS plan, the audit
   * entry and, for a self-pay session, its invoice (`invoice`: the counter Update and the invoice
   * Put of InvoiceRepository.invoiceWrites), or nothing.
   */
  async create(
    a: Appointment,
    effect: ClientEffect,
    credit?: CreditEffect,
    sms?: SmsWrite,
    audit?: AuditEntry,
    invoice?: Pick<InvoiceWrites, 'items' | 'roles'>,
  ): Promise<void> {
    const main = { Put: { TableName: this.table, Item: this.mainItem(a), ConditionExpression: 'attribute_not_exists(PK)' } };
    await this.write(
      [
        ...this.head(a, main, effect, credit),
        ...locksOf(a).map((l): [WriteItem, Role] => [this.lockPut(l, a), l]),
        ...this.smsItems(sms),
        ...this.auditItems(audit),
        ...this.invoiceItems(invoice),
      ],
      effect,
    );
  }

  /** A self-pay session's invoice: the items invoiceWrites or replaceWrites gave, with their roles. */
  private invoiceItems(invoice: Pick<InvoiceWrites, 'items' | 'roles'> | undefined): Array<[WriteItem, Role]> {
    if (!invoice) return [];
    if (invoice.items.length !== invoice.roles.length) throw new RangeError('An invoice write without its role');
    return invoice.items.map((item, i): [WriteItem, Role] => [item, invoice.roles[i]!]);
  }

  /**
   * A clinic's re-plan of one appointment's reminders (shared/services/reminder-replan.ts), in one
   * transaction: the SMS writes (smsReplanWrite, each guarded), and `offsets` as the appointment's
   * smsReminderOffsets on the main item and the client's copy, conditioned on the appointment as
   * read (its version, still booked) and on the clinic's version whose policy was planned with. Any
   * of these refused is a StaleReadError: read both again and re-decide.
   *
   * The appointment's `version` is NOT bumped: every reminder the re-plan leaves as it is (one
   * already sent or claimed, one unchanged, one due) and every pending notice carries the current
   * version as `apptVersion`, and a reminder goes only while the appointment still has it
   * (appointmentCondition in #domain/sms-decision.ts); a bump would turn each of them stale, or
   * force a re-put of items the job may hold. A move or cancel racing the re-plan still cannot
   * lose to it: if the re-plan commits first, the move (conditioned on the version it read, which
   * the re-plan left) writes its own plan over it and the version it bumps makes any leftover item
   * of the re-plan stale; if the move commits first, the re-plan's condition fails and it re-reads.
   */
  async replanReminders(
    appt: Appointment,
    offsets: readonly number[],
    sms: readonly GuardedSmsWrite[],
    clinic: { clinicId: string; version: number },
  ): Promise<void> {
    const set = (key: { PK: string; SK: string }, condition: string, values: Record<string, unknown>): WriteItem => ({
      Update: {
        TableName: this.table,
        Key: key,
        UpdateExpression: 'SET smsReminderOffsets = :o',
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':o': [...offsets], ':v': appt.version, ':booked': 'booked', ...values },
      },
    });
    const entries: Array<[WriteItem, Role]> = [
      [set(keys.appointment(appt.id), 'version = :v AND #status = :booked AND startsAt = :s', { ':s': appt.startsAt }), 'appointment'],
      [set(keys.clientAppointment(appt.clientId, appt.id), 'version = :v AND #status = :booked', {}), 'copy'],
      [this.clinicCheck({ clinicId: clinic.clinicId, version: clinic.version }), 'clinic'],
      ...sms.map((w): [WriteItem, Role] => [this.guardedSms(w), 'sms']),
    ];
    await this.transact(entries, () => new StaleReadError());
  }

  private guardedSms(w: GuardedSmsWrite): WriteItem {
    const guard = w.seenDone
      ? {
          ConditionExpression: '#state = :st AND startsAt = :s',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':st': w.seenDone.state, ':s': w.seenDone.startsAt },
        }
      : w.seen === undefined
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : {
            ConditionExpression: '#state = :pending AND GSI1SK = :seen',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':pending': 'pending', ':seen': w.seen },
          };
    if (w.put) return { Put: { TableName: this.table, Item: w.put, ...guard } };
    if (w.delete) return { Delete: { TableName: this.table, Key: w.delete, ...guard } };
    throw new RangeError('A guarded SMS write puts or deletes');
  }

  /**
   * Replaces `before` with `after` (same id) if nobody changed it meanwhile. Locks: the blocks both
   * hold are kept, the ones only `before` held are released and the new ones taken, all in the
   * same transaction. `releaseAll` drops every lock of `before` (cancel). `invoice`: the change to
   * a self-pay session's invoice (InvoiceRepository.replaceWrites), committed with it.
   */
  async replace(
    before: Appointment,
    after: Appointment,
    effect: ClientEffect,
    opts: {
      releaseAll?: boolean;
      credit?: CreditEffect | undefined;
      sms?: SmsWrite;
      audit?: AuditEntry | undefined;
      invoice?: Pick<InvoiceWrites, 'items' | 'roles'> | undefined;
    } = {},
  ): Promise<void> {
    const oldLocks = locksOf(before);
    const newLocks = opts.releaseAll ? [] : locksOf(after);
    const oldIds = new Set(oldLocks.map((l) => l.id));
    const newIds = new Set(newLocks.map((l) => l.id));
    const taking = newLocks.filter((l) => !oldIds.has(l.id));
    const releasing = oldLocks.filter((l) => !newIds.has(l.id));
    const main: WriteItem = {
      Put: {
        TableName: this.table,
        Item: this.mainItem(after),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': before.version },
      },
    };
    await this.write(
      [
        ...this.head(after, main, effect, opts.credit),
        ...taking.map((l): [WriteItem, Role] => [this.lockPut(l, after), l]),
        ...releasing.map((l): [WriteItem, Role] => [this.lockDelete(l, before.id), l]),
        ...this.smsItems(opts.sms),
        ...this.auditItems(opts.audit),
        ...this.invoiceItems(opts.invoice),
      ],
      effect,
    );
  }
}
