// Every key of the single table is built here and nowhere else, bounds of key conditions too.
// docs/access-patterns.md lists what each shape is for. Instants in keys are UTC ISO strings so that they sort as text.

import { GRID_MS } from '#domain/grid.ts';

/** Slot locks cover time in blocks of the booking grid (shared/domain/grid.ts): starts and durations align to it. */
export const LOCK_BLOCK_MS = GRID_MS;

const iso = (ms: number): string => new Date(ms).toISOString();

export type LockedResource = 'provider' | 'room' | 'client';
const RESOURCE_TAG: Record<LockedResource, string> = { provider: 'P', room: 'R', client: 'C' };

export const keys = {
  clinic: (clinicId: string) => ({ PK: `CLINIC#${clinicId}`, SK: 'CLINIC' }),
  /** GSI1: all clinics, by name */
  clinicList: (name: string, clinicId: string) => ({ GSI1PK: 'CLINICS', GSI1SK: `${name.toLowerCase()}#${clinicId}` }),
  clinicListPartition: () => ({ GSI1PK: 'CLINICS' }),

  clinicPartition: (clinicId: string) => ({ PK: `CLINIC#${clinicId}` }),
  provider: (clinicId: string, providerId: string) => ({ PK: `CLINIC#${clinicId}`, SK: `PROVIDER#${providerId}` }),
  providerPrefix: () => 'PROVIDER#',
  room: (clinicId: string, roomId: string) => ({ PK: `CLINIC#${clinicId}`, SK: `ROOM#${roomId}` }),
  /** A provider's time off: part of the clinic's setup (one Query), gone by TTL a week after it ends. */
  timeOff: (clinicId: string, timeOffId: string) => ({ PK: `CLINIC#${clinicId}`, SK: `TIMEOFF#${timeOffId}` }),
  roomPrefix: () => 'ROOM#',
  service: (clinicId: string, code: string) => ({ PK: `CLINIC#${clinicId}`, SK: `SERVICE#${code}` }),
  servicePrefix: () => 'SERVICE#',

  client: (clientId: string) => ({ PK: `CLIENT#${clientId}`, SK: 'PROFILE' }),
  /** GSI1: a clinic's clients by last name, first name (the profile item; the front desk's search). */
  clientByClinic: (clinicId: string, sortName: string, clientId: string) => ({
    ...keys.clinicClientsPartition(clinicId),
    GSI1SK: `${sortName}#${clientId}`,
  }),
  clinicClientsPartition: (clinicId: string) => ({ GSI1PK: `CLINIC#${clinicId}#CLIENTS` }),
  /** A signed-up user's own client record: one per user (the identity provider's `sub`). */
  userClient: (sub: string) => ({ PK: `USER#${sub}`, SK: 'CLIENT' }),
  /** The client's own copy of each appointment: read consistently when checking course-of-care rules. */
  clientAppointment: (clientId: string, appointmentId: string) => ({ PK: `CLIENT#${clientId}`, SK: `APPT#${appointmentId}` }),
  clientAppointmentPrefix: () => 'APPT#',
  /**
   * The client's diagnosis codes: an item of its own beside the profile, so that reading the
   * profile (the front desk does) never reads them.
   */
  diagnoses: (clientId: string) => ({ PK: `CLIENT#${clientId}`, SK: 'DIAGNOSES' }),
  /**
   * One recorded clearance, kept for good beside the profile (which holds only the latest): by when
   * it was recorded, then its own id, so that two recorded in the same millisecond never share a
   * key. Entries written before the id was part of the key end at the instant; they sort the same.
   */
  clearanceRecord: (clientId: string, recordedAt: number, clearanceId: string) => ({
    PK: `CLIENT#${clientId}`,
    SK: `CLEARANCE#${iso(recordedAt)}#${clearanceId}`,
  }),
  clearanceRecordPrefix: () => 'CLEARANCE#',

  /**
   * A client's waitlist entry (docs/domain.md, "Waitlist"), beside the profile; on GSI2 by its last
   * date, so that the clinic's list reads only entries whose dates have not all passed.
   */
  waitlistEntry: (clientId: string, entryId: string) => ({ PK: `CLIENT#${clientId}`, SK: `WAITLIST#${entryId}` }),
  /**
   * The client's waitlist revision: every add bumps it on the condition that it is still the one
   * read, so that two adds at one instant cannot both pass the limit of entries waiting. Its sort
   * key starts the entries' (`WAITLIST`), so one Query reads it with them.
   */
  waitlistRevision: (clientId: string) => ({ PK: `CLIENT#${clientId}`, SK: 'WAITLIST' }),
  waitlistListPrefix: () => 'WAITLIST',
  waitlistByClinic: (clinicId: string, lastDate: string, entryId: string) => ({
    GSI2PK: `CLINIC#${clinicId}#WAITLIST`,
    GSI2SK: `${lastDate}#${entryId}`,
  }),
  clinicWaitlistPartition: (clinicId: string) => ({ GSI2PK: `CLINIC#${clinicId}#WAITLIST` }),

  appointment: (appointmentId: string) => ({ PK: `APPT#${appointmentId}`, SK: 'APPT' }),
  /** GSI2: a clinic's appointments by start */
  appointmentByClinic: (clinicId: string, startsAt: number, appointmentId: string) => ({
    GSI2PK: `CLINIC#${clinicId}#APPTS`,
    GSI2SK: `${iso(startsAt)}#${appointmentId}`,
  }),
  clinicAppointmentsPartition: (clinicId: string) => ({ GSI2PK: `CLINIC#${clinicId}#APPTS` }),
  /** Sort-key bound for a range query on GSI1/GSI2 appointment indexes. */
  instantBound: (ms: number) => iso(ms),
  /**
   * Inclusive upper sort-key bound of a range query on keys that start with an instant and go on
   * (`<iso>#<id>`): '~' sorts after '#', so every key at exactly `ms` is in.
   */
  instantUpperBound: (ms: number) => `${iso(ms)}~`,

  /** One item per resource and time block: its existence is the reservation. */
  slotLock: (resource: LockedResource, resourceId: string, blockStart: number) => ({
    PK: `LOCK#${RESOURCE_TAG[resource]}#${resourceId}#${iso(blockStart)}`,
    SK: 'LOCK',
  }),

  idempotency: (scope: string, key: string) => ({ PK: `IDEMP#${scope}#${key}`, SK: 'IDEMP' }),

  program: (clinicId: string, programId: string) => ({ PK: `CLINIC#${clinicId}`, SK: `PROGRAM#${programId}` }),
  package: (packageId: string) => ({ PK: `PACKAGE#${packageId}`, SK: 'PACKAGE' }),
  /** The client's index entry of a package (status only): read consistently for eligibility. */
  clientPackage: (clientId: string, packageId: string) => ({ PK: `CLIENT#${clientId}`, SK: `PACKAGE#${packageId}` }),
  clientPackagePrefix: () => 'PACKAGE#',
  /**
   * A clinic's invoice-number counter: `next` is the number the clinic's next invoice takes (no
   * item: 1). Moved on only in the transaction that puts that invoice (shared/db/invoice-repo.ts).
   */
  invoiceCounter: (clinicId: string) => ({ PK: `CLINIC#${clinicId}`, SK: 'INVOICE_COUNTER' }),
  invoice: (invoiceId: string) => ({ PK: `INVOICE#${invoiceId}`, SK: 'INVOICE' }),
  /** GSI2: a clinic's invoices by issue date (the invoice's `createdAt`), then id. */
  invoiceByClinic: (clinicId: string, issuedAt: number, invoiceId: string) => ({
    GSI2PK: `CLINIC#${clinicId}#INVOICES`,
    GSI2SK: `${iso(issuedAt)}#${invoiceId}`,
  }),
  clinicInvoicesPartition: (clinicId: string) => ({ GSI2PK: `CLINIC#${clinicId}#INVOICES` }),
  /** GSI1: a client's invoices by issue date, then id. */
  invoiceByClient: (clientId: string, issuedAt: number, invoiceId: string) => ({
    GSI1PK: `CLIENT#${clientId}#INVOICES`,
    GSI1SK: `${iso(issuedAt)}#${invoiceId}`,
  }),
  clientInvoicesPartition: (clientId: string) => ({ GSI1PK: `CLIENT#${clientId}#INVOICES` }),
  /** A finance export (the ledger CSV): who asked, for what range, and how its job is getting on. */
  export: (exportId: string) => ({ PK: `EXPORT#${exportId}`, SK: 'EXPORT' }),
  /** A Stripe event seen by the webhook: deduplicates deliveries. */
  stripeEvent: (eventId: string) => ({ PK: `STRIPE_EVENT#${eventId}`, SK: 'EVENT' }),

  /**
   * One audit entry (HIPAA §164.312(b)): a partition per client, newest last in key order. The
   * request id and the entry's index in its append make the key unique; the same entry appended
   * again (a retried request) has the same key, so a conditional put never overwrites one.
   */
  auditEntry: (clientId: string, at: number, requestId: string, index: number) => ({
    PK: `AUDIT#${clientId}`,
    SK: `${iso(at)}#${requestId}#${String(index).padStart(4, '0')}`,
  }),
  auditPartition: (clientId: string) => ({ PK: `AUDIT#${clientId}` }),

  /**
   * A planned reminder of an appointment, one per offset: a move Puts over the same key (one
   * transaction may not touch an item twice, and the offset is what stays the same).
   */
  smsReminder: (appointmentId: string, offsetHours: number) => ({
    PK: `APPT#${appointmentId}`,
    SK: `SMS#REMINDER#${String(offsetHours).padStart(4, '0')}`,
  }),
  /** A notice (confirmation / moved / cancelled) of the appointment change that made `version`. */
  smsNotice: (appointmentId: string, version: number) => ({
    PK: `APPT#${appointmentId}`,
    SK: `SMS#NOTICE#${String(version).padStart(6, '0')}`,
  }),
  smsPrefix: () => 'SMS#',
  /**
   * GSI1, sparse: an SMS waiting to go (pending, or claimed with a lease), by when it is due next.
   * Removed once it is sent, skipped or dead-lettered, so the job's Query reads only live work.
   * The appointment version is part of it: the job's writes are conditioned on the GSI1SK they
   * read, and a re-planned item (a move) must never match what was read of the old plan, even
   * when quiet hours put both at the same minute.
   */
  smsDue: (dueAt: number, pk: string, sk: string, apptVersion: number) => ({
    GSI1PK: 'SMS_DUE',
    GSI1SK: `${iso(dueAt)}#${pk}#${sk}#v${apptVersion}`,
  }),
  smsDuePartition: () => ({ GSI1PK: 'SMS_DUE' }),
  /**
   * An invoice that owes a refund (refundDue > 0): the refund job's to-do entry, next to its
   * invoice. Put and deleted in the same transaction as the invoice change that starts or ends the
   * debt (shared/db/invoice-repo.ts).
   */
  refundTodo: (invoiceId: string) => ({ PK: `INVOICE#${invoiceId}`, SK: 'REFUND_DUE' }),
  /** GSI1, sparse: the to-do entries by when the job next tries; a dead-lettered one leaves it. */
  refundTodoDue: (dueAt: number, invoiceId: string) => ({ GSI1PK: 'REFUND_DUE', GSI1SK: `${iso(dueAt)}#${invoiceId}` }),
  refundTodoPartition: () => ({ GSI1PK: 'REFUND_DUE' }),
  /**
   * GSI1, sparse: a dead-lettered to-do entry by its clinic and when the job gave up, for finance's
   * list of refunds to settle; it leaves with the entry's next Put (handed back) or its Delete (settled).
   */
  refundGivenUp: (clinicId: string, at: number, invoiceId: string) => ({
    GSI1PK: `REFUND_GIVEN_UP#${clinicId}`,
    GSI1SK: `${iso(at)}#${invoiceId}`,
  }),
  refundGivenUpPartition: (clinicId: string) => ({ GSI1PK: `REFUND_GIVEN_UP#${clinicId}` }),
  /**
   * A dead-lettered SMS: kept for an operator (with the alarm), one per SMS item and plan version,
   * so that a later plan's failure never overwrites an earlier one's record.
   */
  smsDeadLetter: (smsPK: string, smsSK: string, apptVersion: number) => ({
    PK: 'SMS_DEAD_LETTER',
    SK: `${smsPK}#${smsSK}#v${apptVersion}`,
  }),
  smsDeadLetterPartition: () => ({ PK: 'SMS_DEAD_LETTER' }),
  /** A phone number that asked for no more SMS (honoured besides SNS's own opt-out list). */
  smsOptOut: (phone: string) => ({ PK: `SMS_OPT_OUT#${phone}`, SK: 'OPT_OUT' }),
  /**
   * The count of notices (not reminders) sent to a client on one clinic-local day (YYYY-MM-DD):
   * the daily cap's counter, taken in the claim transaction. Expires by TTL after the day.
   */
  smsDailyCount: (clientId: string, localDate: string) => ({ PK: `SMS_DAILY#${clientId}#${localDate}`, SK: 'SMS_DAILY' }),

  /**
   * A fixed-window rate-limit counter: one item per limit name, caller key and window. `callerKey`
   * is opaque (a hash of the caller's sub or source IP, never PHI); the window length is part of the
   * key so that windows of different lengths starting at the same instant never share a counter.
   */
  rateLimit: (name: string, callerKey: string, windowSeconds: number, windowStart: number) => ({
    PK: `RATE#${name}#${callerKey}#${windowSeconds}#${iso(windowStart)}`,
    SK: 'RATE',
  }),
};

/** The block starts that [start, end) covers. */
export function lockBlocks(start: number, end: number): number[] {
  const blocks: number[] = [];
  for (let t = Math.floor(start / LOCK_BLOCK_MS) * LOCK_BLOCK_MS; t < end; t += LOCK_BLOCK_MS) blocks.push(t);
  return blocks;
}
