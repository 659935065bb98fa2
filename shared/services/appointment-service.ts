// Booking, moving, cancelling and the day's status changes of appointments.
//
// Every change is an optimistic operation: read the clinic, the client and the client's
// appointments; check the rules (shared/domain/booking-rules.ts); write with conditions on what
// was read. A stale read or transaction contention re-runs the whole operation; a taken slot is
// refused by DynamoDB itself through the slot locks (shared/db/appointment-repo.ts).
import {
  ACTIVE_STATUSES,
  type Appointment,
  type Client,
  type Clinic,
  type Mode,
  type Policy,
  type Room,
  type RoomKind,
  type Service,
  type ServiceCode,
} from '#domain/types.ts';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolation, SlotUnavailableError, ValidationError } from '#domain/errors.ts';
import {
  breaksNotice,
  checkBooking,
  checkInRefusal,
  COURSE_DEPENDENT_SERVICES,
  precedingExploration,
  type Actor,
} from '#domain/booking-rules.ts';
import { isLateCancellation, nextStatus, type AppointmentAction } from '#domain/appointment-status.ts';
import { localDayEnd, localDayStart } from '#domain/time.ts';
import { gridProblem } from '#domain/grid.ts';
import { scheduleFlags, type ScheduleFlag } from '#domain/schedule.ts';
import { asUnavailable, StaleReadError, withOptimisticRetry } from '#db/errors.ts';
import type { ClientEffect, CreditEffect } from '#db/appointment-repo.ts';
import type { Package } from '#domain/packages.ts';
import {
  bookingCreditState,
  creditServiceFor,
  creditUsableIn,
  creditUseError,
  creditUseRefusal,
  movingCreditState,
} from '#domain/package-rules.ts';
import type { ClinicSetup } from '#db/clinic-repo.ts';
import type { StoredClient } from '#db/client-repo.ts';
import { visibility, type Caller } from '#shared/auth/policy.ts';
import type { AuditTarget } from '#domain/audit.ts';
import type { Clock } from '#adapters/clock.ts';
import { keyedIds, type IdGenerator } from '#adapters/ids.ts';
import type { Repositories } from './context.ts';
import { ClinicSetupCache } from './setup-cache.ts';
import { appointmentReminders } from '#domain/reminders.ts';
import { smsPlanWrite } from '#db/sms-repo.ts';
import {
  applyCancellation,
  applyMove,
  heldOn,
  newSessionInvoice,
  totals,
  type AppointmentCancellation,
  type Invoice,
} from '#domain/invoices.ts';
import { InvoiceNumberTakenError, NUMBERING_ATTEMPTS, type InvoiceWrites, type StoredInvoice } from '#db/invoice-repo.ts';
import { InvoiceNumberCache } from './invoice-number-cache.ts';

export interface BookInput {
  clientId: string;
  clinicId: string;
  service: ServiceCode;
  providerId: string;
  startsAt: number;
  mode: Mode;
  packageId?: string | undefined;
}

/** What the course-of-care rules look at: absent for services that do not depend on it. */
interface Course {
  client: StoredClient | null;
  appointments: Appointment[];
}

export interface ScheduleEntry {
  appointment: Appointment;
  client: Pick<Client, 'id' | 'firstName' | 'lastName'> | null;
  providerName: string | null;
  roomName: string | null;
  flags: ScheduleFlag[];
}

/** Client-only rules (notice, window) bind the client itself; staff who book may go beyond them. */
function actorOf(caller: Caller, clientId: string, clinicId: string): Actor {
  return !caller.isSelf(clientId) && caller.booksAsStaff(clinicId) ? 'staff' : 'client';
}

const auditTarget = (a: Appointment): AuditTarget => ({
  clientId: a.clientId,
  clinicId: a.clinicId,
  record: { type: 'appointment', id: a.id },
});

/** Whether a move to `input` would leave the appointment at its own time with its own provider. */
function isSamePlace(appt: Appointment, input: MoveInput): boolean {
  return input.startsAt === appt.startsAt && (input.providerId ?? appt.providerId) === appt.providerId;
}

function assertAligned(startsAt: number, path = 'startsAt'): void {
  const problem = gridProblem(startsAt);
  if (problem) throw new ValidationError([{ path, message: problem }]);
}

/**
 * A self-pay session's invoice once its appointment is cancelled or a no-show (docs/domain.md,
 * "Self-pay invoices"): on time, the session line voided; late or a no-show, voided and the
 * clinic's policy.lateCancellationFee charged instead (applyCancellation). Any other status leaves
 * it as it is.
 */
function sessionInvoiceChange(invoice: Invoice, after: Appointment, policy: Policy, at: number): Invoice {
  let change: AppointmentCancellation;
  if (after.status === 'no_show') change = { appointmentId: after.id, kind: 'no_show', fee: policy.lateCancellationFee, at };
  else if (after.status !== 'cancelled') return invoice;
  else if (after.late) change = { appointmentId: after.id, kind: 'late', fee: policy.lateCancellationFee, at };
  else change = { appointmentId: after.id, kind: 'on_time', at };
  return applyCancellation(invoice, change);
}

/** What a booking or a move answers: the appointment as stored and the clinic's time zone. */
interface Placed {
  appointment: Appointment;
  timezone: string;
  /** A move to where it already was: nothing written, so no audit entry in a transaction either. */
  unchanged?: true;
}

/** Where an appointment moves to: a new start, and optionally another provider. */
export interface MoveInput {
  startsAt: number;
  providerId?: string | undefined;
}

function serviceIn(setup: ClinicSetup, code: ServiceCode): Service {
  const service = setup.services.find((s) => s.code === code);
  if (!service) throw new NotFoundError('service');
  return service;
}

/** The setup's clinic version: the write is conditioned on it, so a stale cached setup is never acted on. */
const clinicVersionOf = (setup: ClinicSetup) => ({ clinicId: setup.clinic.id, version: setup.clinic.version });

/** A new booking, before a room is chosen; `invoiceId` for a self-pay session. */
function newDraft(
  id: string,
  input: BookInput,
  durationMinutes: number,
  now: number,
  invoiceId: string | undefined,
): Omit<Appointment, 'roomId'> {
  return {
    id,
    clinicId: input.clinicId,
    clientId: input.clientId,
    providerId: input.providerId,
    service: input.service,
    mode: input.mode,
    startsAt: input.startsAt,
    endsAt: input.startsAt + durationMinutes * 60_000,
    status: 'booked',
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...(input.packageId === undefined ? {} : { packageId: input.packageId }),
    ...(invoiceId === undefined ? {} : { invoiceId }),
  };
}

/** The appointment at its new time (and provider), the next version, before a room is chosen. */
function movedDraft(before: Appointment, input: MoveInput, durationMinutes: number, now: number): Omit<Appointment, 'roomId'> {
  const { roomId: _old, ...rest } = before;
  return {
    ...rest,
    providerId: input.providerId ?? before.providerId,
    startsAt: input.startsAt,
    endsAt: input.startsAt + durationMinutes * 60_000,
    updatedAt: now,
    version: before.version + 1,
  };
}

/**
 * The draft with the reminder offsets it plans, and the plan itself (written with it): the
 * reminders of a booked appointment (docs/domain.md, "SMS notices and reminders"), planned whatever the
 * client's consent: consent, the number and opt-outs are checked when each SMS is due (the consent
 * that counts is the one at sending time, and the booking path reads no client profile for most
 * services). A clinic's re-plan (shared/services/reminder-replan.ts) plans with the same function.
 */
function planned(draft: Omit<Appointment, 'roomId'>, clinic: Clinic, now: number) {
  const plan = appointmentReminders(draft.startsAt, clinic, now);
  return { draft: { ...draft, smsReminderOffsets: plan.map((r) => r.offsetHours) }, plan };
}

/**
 * What AppointmentService uses: appointments, the clinic's setup, the client's course of care, the
 * packages booked against, the invoices of self-pay sessions, the clock, ids, and the hook for a
 * notice queued.
 */
export type AppointmentServiceDeps = Pick<Repositories, 'appointments' | 'clinics' | 'clients' | 'packages' | 'invoices'> & {
  clock: Clock;
  ids: IdGenerator;
  /** Called after a committed change queued an SMS due at once (ServiceContext.onSmsQueued). */
  onSmsQueued?: (() => void) | undefined;
};

export class AppointmentService {
  private readonly setups: ClinicSetupCache;
  private readonly numbers: InvoiceNumberCache;

  constructor(private readonly deps: AppointmentServiceDeps) {
    this.setups = new ClinicSetupCache(deps.clinics, deps.clock);
    this.numbers = new InvoiceNumberCache(deps.invoices);
  }

  async get(caller: Caller, appointmentId: string): Promise<{ appointment: Appointment; timezone: string }> {
    const appt = await this.deps.appointments.require(appointmentId);
    caller.assert(appt);
    const clinic = await this.deps.clinics.require(appt.clinicId);
    return { appointment: appt, timezone: clinic.timezone };
  }

  /**
   * Checks the rules and writes. For a session that needs a room, the rooms of that kind are tried
   * in a stable order (the current one first when moving): the room's slot lock itself says
   * whether it is free, so there is no read of the clinic's day that could be stale. A taken
   * provider or client ends the attempt at once. `write` gets the appointment to store.
   */
  private async place(
    setup: ClinicSetup,
    draft: Omit<Appointment, 'roomId'>,
    actor: Actor,
    course: Course,
    write: (appt: Appointment) => Promise<void>,
    keepRoom?: string | null,
    packageState?: { remaining: number; pastDue: boolean },
  ): Promise<Appointment> {
    const { clinic } = setup;
    const service = serviceIn(setup, draft.service);
    const provider = setup.providers.find((pr) => pr.id === draft.providerId);
    if (!provider) throw new NotFoundError('provider');
    checkBooking({
      clinic,
      service,
      provider,
      mode: draft.mode,
      client: course.client,
      startsAt: draft.startsAt,
      endsAt: draft.endsAt,
      now: this.deps.clock.now(),
      actor,
      clientAppointments: course.appointments,
      packageState,
      timeOff: setup.timeOff,
    });
    const explorationId = draft.service === 'integration' ? precedingExploration(course.appointments, draft.startsAt)?.id : undefined;
    const base = { ...draft, explorationId };
    if (draft.mode === 'telehealth' || service.roomKind === null) {
      const appt = { ...base, roomId: null };
      await write(appt);
      return appt;
    }
    return this.writeInFreeRoom(setup.rooms, service.roomKind, base, write, keepRoom);
  }

  /**
   * Tries the rooms of the kind in a stable order, `keepRoom` first; only a taken room moves on to
   * the next (a taken provider or client ends the attempt).
   */
  private async writeInFreeRoom(
    allRooms: Room[],
    kind: RoomKind,
    base: Omit<Appointment, 'roomId'>,
    write: (appt: Appointment) => Promise<void>,
    keepRoom?: string | null,
  ): Promise<Appointment> {
    const rooms = allRooms
      .filter((r) => r.kind === kind)
      .sort((a, b) => Number(b.id === keepRoom) - Number(a.id === keepRoom) || a.id.localeCompare(b.id));
    for (const room of rooms) {
      const appt = { ...base, roomId: room.id };
      try {
        await write(appt);
        return appt;
      } catch (err) {
        const onlyRoomTaken = err instanceof SlotUnavailableError && err.taken.length === 1 && err.taken[0] === 'room';
        if (!onlyRoomTaken) throw err;
      }
    }
    throw new SlotUnavailableError(`No ${kind} room is free at that time`, ['room']);
  }

  /**
   * The client and its other appointments, read consistently, for services whose rules depend on
   * them (COURSE_DEPENDENT_SERVICES); the write is then conditioned on the client's schedule
   * version read here. Other services skip the read: their write only checks that the client
   * exists at this clinic, and still bumps the version so that a concurrent exploration check
   * is re-run.
   */
  private async readCourse(service: ServiceCode, clientId: string, clinicId: string, excluding?: string) {
    if (!COURSE_DEPENDENT_SERVICES.includes(service)) {
      return { course: { client: null, appointments: [] } as Course, effect: { expectClinicId: clinicId } as ClientEffect };
    }
    const { client, appointments } = await this.deps.clients.withAppointments(clientId);
    if (!client || client.clinicId !== clinicId) throw new NotFoundError('client');
    return {
      course: { client, appointments: appointments.filter((a) => a.id !== excluding) },
      effect: { expectScheduleVersion: client.scheduleVersion } as ClientEffect,
    };
  }

  /**
   * Booking against a package: the package must be this client's at this clinic; its credit line
   * for the service decides no_credit / payment_past_due (a past-due package still books
   * preparation and integration, docs/api.md), and the credit is taken in the booking's own
   * transaction, on a condition that keeps it from going below zero under any concurrency.
   */
  private creditFor(pkg: Package | null | undefined, input: Pick<BookInput, 'clientId' | 'clinicId' | 'service' | 'packageId'>) {
    if (input.packageId === undefined) return undefined;
    if (!pkg || pkg.clientId !== input.clientId || pkg.clinicId !== input.clinicId) throw new NotFoundError('package');
    const service = creditServiceFor(input.service);
    const state = bookingCreditState(pkg, input.service);
    const effect: CreditEffect | undefined = service
      ? { packageId: pkg.id, service, delta: 1, usableIn: creditUsableIn(input.service) }
      : undefined;
    return { state, effect };
  }

  /**
   * Cancelling on time gives the package credit back; a late cancellation forfeits it when the
   * clinic says so, and a no-show always does (docs/domain.md, "Cancellation window, late
   * cancellation, no-show and package credits").
   */
  private creditBack(after: Appointment, policy: Policy): CreditEffect | undefined {
    if (after.status !== 'cancelled' || !after.packageId) return undefined;
    const service = creditServiceFor(after.service);
    if (!service || (after.late && policy.lateCancellationForfeitsCredit)) return undefined;
    return { packageId: after.packageId, service, delta: -1 };
  }

  /**
   * A stale read drops what was read from memory before the retry: the invoice number when only
   * the counter had moved (another invoice took the number), else the clinic setup, whose version
   * the write was conditioned on.
   */
  private async againstCaches<T>(clinicId: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof InvoiceNumberTakenError) this.numbers.invalidate(clinicId);
      else if (err instanceof StaleReadError) this.setups.invalidate(clinicId);
      throw err;
    }
  }

  /**
   * A booking or move refused (no room or provider free, a rule) is answered only once the clinic
   * setup it was checked against is known to be current: one checked against a copy in memory is
   * checked again when the setup changed since (a room added, hours widened, the policy eased).
   * Writes need no such care, they carry the setup's version as a condition.
   */
  private async refusedOnCurrentSetup<T>(clinicId: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (!(err instanceof SlotUnavailableError || err instanceof RuleViolation)) throw err;
      // a check that fails leaves the refusal as it was (a 409, not a 503 for a read that only double-checks it)
      if (!(await this.setups.changed(clinicId).catch(() => false))) throw err;
      return op();
    }
  }

  /**
   * Books. A self-pay session (no `packageId`) gets its invoice in the booking's own transaction;
   * its clinic's numbers are taken one at a time, so of bookings racing for one number all but one
   * retry, and a self-pay booking gets the attempts of InvoiceRepository.create (then a 503).
   */
  async book(caller: Caller, input: BookInput, opts: { retrySeed?: string | undefined } = {}): Promise<Placed> {
    caller.assert({ clinicId: input.clinicId, clientId: input.clientId });
    assertAligned(input.startsAt);
    const actor = actorOf(caller, input.clientId, input.clinicId);
    const ids = opts.retrySeed === undefined ? this.deps.ids : keyedIds(opts.retrySeed);
    const id = ids('apt');
    const invoiceId = input.packageId === undefined ? ids('inv') : undefined;
    let booked: Placed;
    try {
      booked = await this.refusedOnCurrentSetup(input.clinicId, () =>
        withOptimisticRetry(
          () => this.againstCaches(input.clinicId, () => this.tryBook(caller, input, id, invoiceId, actor)),
          invoiceId === undefined ? undefined : NUMBERING_ATTEMPTS,
        ),
      );
    } catch (err) {
      const landed = await this.landedBefore(err, id, input, opts.retrySeed !== undefined);
      if (!landed) throw err;
      booked = landed;
    }
    this.deps.onSmsQueued?.();
    return booked;
  }

  /**
   * The booking `id` names, when a failure may hide that it was made: a write whose answer was lost
   * (503: the transaction may have committed), or a slot held by this very booking, made by an
   * earlier attempt of the same keyed request (the same ids, keyedIds) whose answer was lost. Then
   * the booking stands and is the answer; a 503 would say nothing was written, and a 409 that the
   * time is taken by someone else. Read strongly; a failed read leaves the first error.
   */
  private async landedBefore(err: unknown, id: string, input: BookInput, keyed: boolean): Promise<Placed | undefined> {
    // a 409 can hide an earlier attempt only of a keyed request (its ids are the earlier attempt's)
    if (!(keyed && err instanceof SlotUnavailableError) && !asUnavailable(err)) return undefined;
    const appt = await this.deps.appointments.get(id).catch(() => null);
    if (!appt || appt.clientId !== input.clientId || appt.clinicId !== input.clinicId) return undefined;
    const setup = await this.setups.get(appt.clinicId).catch(() => null);
    return setup ? { appointment: appt, timezone: setup.clinic.timezone } : undefined;
  }

  /**
   * One attempt at a booking: reads, checks and writes the new appointment with its reminder plan,
   * its confirmation, the package credit it takes or the invoice of a self-pay session, and the
   * caller's audit entry, in one transaction.
   */
  private async tryBook(caller: Caller, input: BookInput, id: string, invoiceId: string | undefined, actor: Actor): Promise<Placed> {
    // independent reads, in parallel: a warm booking of an exploration costs one read and one
    // write, of any other service just the write (the invoice number too comes from memory once
    // this instance has booked at the clinic)
    const [setup, { course, effect }, pkg, number] = await Promise.all([
      this.setups.get(input.clinicId, input.providerId),
      this.readCourse(input.service, input.clientId, input.clinicId),
      input.packageId === undefined ? undefined : this.deps.packages.get(input.packageId),
      invoiceId === undefined ? undefined : this.numbers.get(input.clinicId),
    ]);
    const credit = this.creditFor(pkg, input);
    const now = this.deps.clock.now();
    const service = serviceIn(setup, input.service);
    const { draft, plan } = planned(newDraft(id, input, service.durationMinutes, now, invoiceId), setup.clinic, now);
    const invoice =
      invoiceId === undefined || number === undefined ? undefined : this.sessionInvoice(setup, draft, invoiceId, service, number, now);
    const clientEffect: ClientEffect = { ...effect, expectClinicVersion: clinicVersionOf(setup) };
    const write = (appt: Appointment) =>
      this.deps.appointments.create(
        appt,
        clientEffect,
        credit?.effect,
        smsPlanWrite({ after: appt, plan, previousOffsets: [], notice: { kind: 'confirmation', now, capExempt: !caller.rateLimited } }),
        caller.auditEntry(auditTarget(appt), now),
        invoice,
      );
    const appointment = await this.place(setup, draft, actor, course, write, undefined, credit?.state);
    if (number !== undefined) this.numbers.taken(input.clinicId, number);
    return { appointment, timezone: setup.clinic.timezone };
  }

  /**
   * The invoice of a self-pay session, as number `number` of its clinic (docs/domain.md,
   * "Self-pay invoices"): one line for the service at the clinic's catalog price, in the clinic's
   * currency, dated the session's clinic-local day, place of service and modifiers by its mode.
   * The room does not matter to it, so the same items serve every room the booking tries.
   */
  private sessionInvoice(
    setup: ClinicSetup,
    draft: Omit<Appointment, 'roomId'>,
    invoiceId: string,
    service: Service,
    number: number,
    now: number,
  ): InvoiceWrites {
    const { clinic } = setup;
    const invoice = newSessionInvoice({
      id: invoiceId,
      clinicId: clinic.id,
      clientId: draft.clientId,
      currency: clinic.currency,
      at: now,
      appointment: draft,
      service,
      zone: clinic.timezone,
    });
    return this.deps.invoices.invoiceWrites(invoice, number);
  }

  /** Loads an appointment the caller may act on under its route's grants. */
  private async loadFor(caller: Caller, appointmentId: string): Promise<Appointment> {
    const appt = await this.deps.appointments.require(appointmentId);
    caller.assert(appt);
    return appt;
  }

  async reschedule(caller: Caller, appointmentId: string, input: MoveInput): Promise<Placed> {
    const first = await this.loadFor(caller, appointmentId);
    assertAligned(input.startsAt);
    const actor = actorOf(caller, first.clientId, first.clinicId);
    const attempt = (from: Appointment) =>
      this.refusedOnCurrentSetup(from.clinicId, () =>
        withOptimisticRetry(() => this.againstCaches(from.clinicId, () => this.tryReschedule(caller, from, input, actor))),
      );
    let moved: Placed;
    try {
      moved = await attempt(first);
    } catch (err) {
      // refused by the appointment's own new locks: another move of it landed meanwhile (its locks
      // are taken before its version is seen to have changed). Once more, on the appointment as it
      // is now: the same move finds itself done (tryReschedule), another one goes ahead
      if (!(err instanceof SlotUnavailableError)) throw err;
      const now = await this.deps.appointments.require(first.id);
      if (now.version === first.version) throw err;
      moved = await attempt(now);
    }
    if (!moved.unchanged) this.deps.onSmsQueued?.();
    return moved;
  }

  /**
   * Whether a move of `appt` to where it already is changes nothing: then nothing is written and no
   * "moved" SMS goes out — when the move itself would be allowed (a booked one, not started,
   * outside a client's notice); otherwise it is refused as any move would be.
   */
  private stays(appt: Appointment, actor: Actor, policy: Policy): boolean {
    const now = this.deps.clock.now();
    nextStatus(appt, 'reschedule', now);
    return !breaksNotice(appt.startsAt, now, actor, policy);
  }

  /**
   * One attempt at a move, on a fresh read of the appointment: the new plan of reminders replaces
   * the old one in the move's own transaction (same offset, same item), with a "moved" notice and
   * the caller's audit entry. The current room is tried first. A self-pay session's invoice line
   * follows the new date (applyMove) in the same transaction, on the invoice's version read here.
   */
  private async tryReschedule(caller: Caller, first: Appointment, input: MoveInput, actor: Actor): Promise<Placed> {
    const [before, setup, { course, effect }, invoice, pkg] = await Promise.all([
      this.deps.appointments.require(first.id),
      this.setups.get(first.clinicId, input.providerId ?? first.providerId),
      this.readCourse(first.service, first.clientId, first.clinicId, first.id),
      first.invoiceId ? this.deps.invoices.require(first.invoiceId) : undefined,
      // a package past due does not move an exploration, as it would not book one
      first.packageId && first.service === 'exploration' ? this.deps.packages.get(first.packageId) : undefined,
    ]);
    // already where it is asked to go (the same move sent twice at once, the other one first):
    // nothing to do
    if (isSamePlace(before, input) && this.stays(before, actor, setup.clinic.policy)) {
      return { appointment: before, timezone: setup.clinic.timezone, unchanged: true };
    }
    // the invoice id never changes, so the one of the first read is the fresh read's
    const invoiceWrites = invoice
      ? this.deps.invoices.replaceWrites(
          invoice,
          applyMove(invoice, { appointmentId: before.id, startsAt: input.startsAt, mode: before.mode }, setup.clinic.timezone),
        )
      : undefined;
    const now = this.deps.clock.now();
    nextStatus(before, 'reschedule', now);
    const { draft, plan } = planned(movedDraft(before, input, serviceIn(setup, before.service).durationMinutes, now), setup.clinic, now);
    const notice = { kind: 'moved' as const, now, previousStartsAt: before.startsAt, capExempt: !caller.rateLimited };
    const clientEffect: ClientEffect = { ...effect, expectClinicVersion: clinicVersionOf(setup) };
    const write = (appt: Appointment) =>
      this.deps.appointments.replace(before, appt, clientEffect, {
        sms: smsPlanWrite({ after: appt, plan, previousOffsets: before.smsReminderOffsets ?? [], notice }),
        audit: caller.auditEntry(auditTarget(appt), now),
        invoice: invoiceWrites,
      });
    const appointment = await this.place(setup, draft, actor, course, write, before.roomId, pkg ? movingCreditState(pkg) : undefined);
    return { appointment, timezone: setup.clinic.timezone };
  }

  /**
   * `waiveFee`: the clinic's staff (those who book for the client: the front desk of its clinic,
   * admin) cancel inside the window without the late terms (no fee, the package credit back), as
   * when the clinic itself cancels; a client may not (403). `expectedLate`: whether the caller was
   * shown late terms; false refuses (409) a cancel that is late by the time it is made.
   */
  async cancel(
    caller: Caller,
    appointmentId: string,
    reason?: string,
    waiveFee = false,
    expectedLate?: boolean,
  ): Promise<{ appointment: Appointment; timezone: string }> {
    const appt = await this.loadFor(caller, appointmentId);
    if (waiveFee && actorOf(caller, appt.clientId, appt.clinicId) !== 'staff') {
      throw new ForbiddenError("Only the clinic's staff can waive the late-cancellation terms");
    }
    return this.transition(caller, appointmentId, 'cancel', (before, now, policy) => {
      const late = isLateCancellation(before.startsAt, now, policy);
      const waived = waiveFee && late;
      // shown "free" and late by now (the window closed while the page was open): asked again, never charged unseen
      if (expectedLate === false && late && !waived) {
        throw new ConflictError('The cancellation is late now: the late-cancellation terms apply. Cancel again to accept them.');
      }
      return { cancelledAt: now, cancelReason: reason, late: late && !waived, ...(waived ? { feeWaived: true } : {}) };
    });
  }

  /**
   * Cancelled because its package was cancelled: free of charge (never late), its credit given
   * back so that the refund counts only sessions used. Called by the package service after it
   * checked the caller's rights.
   */
  async cancelForPackage(appointmentId: string): Promise<{ appointment: Appointment; timezone: string }> {
    return this.transition(null, appointmentId, 'cancel', (_before, now) => ({
      cancelledAt: now,
      cancelReason: 'package cancelled',
      late: false,
    }));
  }

  /**
   * A dosing session is checked in only with a clearance still valid (checkInRefusal): else 422
   * clearance_required. `arrivedAt`: a check-in the front desk forgot, recorded afterwards with the
   * time the client arrived; that time must lie in the check-in window (nextStatus), and the
   * moment of recording is kept beside it.
   */
  async checkIn(caller: Caller, appointmentId: string, arrivedAt?: number) {
    const appt = await this.loadFor(caller, appointmentId);
    if (appt.service === 'exploration') {
      const [client, clinic] = await Promise.all([this.deps.clients.require(appt.clientId), this.deps.clinics.require(appt.clinicId)]);
      nextStatus(appt, 'check_in', this.deps.clock.now(), clinic, arrivedAt); // a check-in out of its window is a 409 first
      if (checkInRefusal(appt, client.clearance, clinic.timezone) === 'clearance_required') {
        throw new RuleViolation(
          'clearance_required',
          'The client has no valid medical clearance for a dosing session: a clinician must record it before check-in',
        );
      }
    }
    return this.transition(
      caller,
      appointmentId,
      'check_in',
      (_before, now) => (arrivedAt === undefined ? { checkedInAt: now } : { checkedInAt: arrivedAt, checkInRecordedAt: now }),
      arrivedAt,
    );
  }

  /**
   * A session booked self-pay paid with a credit of one of the client's programs instead
   * (docs/domain.md, "A program credit for a session booked singly"), in one transaction on what
   * was read: the appointment takes `packageId` (as if booked with it), one credit of its service
   * is taken on the same condition as a booking's (never below zero, the package still usable),
   * its invoice line is voided as an on-time cancel voids it (a payment becomes a refund the
   * refund job makes), and the caller's audit entry. The version bump re-writes the reminder plan
   * (a reminder goes only at the version it was planned for), with no notice: nothing moved.
   * Refusals are creditUseRefusal's, checked on every fresh read: a second use of the same
   * appointment, or of a last credit, finds itself refused once the first one committed.
   */
  async useCredit(
    caller: Caller,
    appointmentId: string,
    packageId: string,
  ): Promise<{ appointment: Appointment; timezone: string; invoice: StoredInvoice | null }> {
    await this.loadFor(caller, appointmentId);
    return withOptimisticRetry(async () => {
      const before = await this.deps.appointments.require(appointmentId);
      const [clinic, pkg, invoice] = await Promise.all([
        this.deps.clinics.require(before.clinicId),
        this.deps.packages.get(packageId),
        before.invoiceId ? this.deps.invoices.require(before.invoiceId) : undefined,
      ]);
      const refusal = creditUseRefusal(before, pkg);
      if (refusal) throw creditUseError(refusal);
      const service = creditServiceFor(before.service)!;
      const now = this.deps.clock.now();
      const plan = before.status === 'booked' ? appointmentReminders(before.startsAt, clinic, now) : [];
      const after: Appointment = {
        ...before,
        packageId,
        updatedAt: now,
        version: before.version + 1,
        smsReminderOffsets: plan.map((r) => r.offsetHours),
      };
      const voided = invoice ? applyCancellation(invoice, { appointmentId: before.id, kind: 'on_time', at: now }) : undefined;
      const invoiceWrites = invoice && voided ? this.deps.invoices.replaceWrites(invoice, voided) : undefined;
      await this.deps.appointments.replace(
        before,
        after,
        { expectClinicVersion: { clinicId: clinic.id, version: clinic.version } },
        {
          credit: { packageId, service, delta: 1, usableIn: creditUsableIn(before.service) },
          // the same start: the reminders still to come are planned again for the new version; one
          // whose time has passed (sent, or skipped) keeps its record, so nothing is deleted
          sms: smsPlanWrite({ after, plan, previousOffsets: [] }),
          audit: caller.auditEntry(auditTarget(after), now),
          invoice: invoiceWrites,
        },
      );
      return { appointment: after, timezone: clinic.timezone, invoice: invoiceWrites?.invoice ?? null };
    });
  }

  async noShow(caller: Caller, appointmentId: string) {
    await this.loadFor(caller, appointmentId);
    return this.transition(caller, appointmentId, 'no_show');
  }

  async complete(caller: Caller, appointmentId: string) {
    await this.loadFor(caller, appointmentId);
    return this.transition(caller, appointmentId, 'complete');
  }

  /**
   * A status change: checked against the status machine on a fresh read, written on the version
   * read. A cancel or a no-show releases every lock in the same transaction; completing an intake
   * marks the client's intake done in it too (docs/domain.md, "Course of care"), and the caller's
   * audit entry. A cancelled or no-show self-pay session changes its invoice in the same transaction
   * (sessionInvoiceChange), on the invoice's version read here: a stale one re-runs it all.
   */
  private async transition(
    caller: Caller | null,
    appointmentId: string,
    action: AppointmentAction,
    extra?: (before: Appointment, now: number, policy: Policy) => Partial<Appointment>,
    arrivedAt?: number,
  ): Promise<{ appointment: Appointment; timezone: string }> {
    let timezone = '';
    const appointment = await withOptimisticRetry(async () => {
      const before = await this.deps.appointments.require(appointmentId);
      const [clinic, invoice] = await Promise.all([
        this.deps.clinics.require(before.clinicId),
        // a session a program credit pays for keeps its voided invoice for history: nothing more on it
        before.invoiceId && !before.packageId && (action === 'cancel' || action === 'no_show')
          ? this.deps.invoices.require(before.invoiceId)
          : undefined,
      ]);
      timezone = clinic.timezone;
      const now = this.deps.clock.now();
      const status = nextStatus(before, action, now, clinic, arrivedAt);
      const after: Appointment = {
        ...before,
        ...(extra ? extra(before, now, clinic.policy) : {}),
        status,
        updatedAt: now,
        version: before.version + 1,
        // no longer booked: no reminder is due any more (pending ones are deleted below)
        smsReminderOffsets: [],
      };
      const sms = smsPlanWrite({
        after,
        plan: [],
        previousOffsets: before.smsReminderOffsets ?? [],
        // a cancel by the system (its package cancelled) or by staff takes no slot of the client's cap
        ...(status === 'cancelled' ? { notice: { kind: 'cancelled' as const, now, capExempt: !caller?.rateLimited } } : {}),
      });
      await this.deps.appointments.replace(
        before,
        after,
        { markIntakeCompleted: status === 'completed' && before.service === 'intake' },
        {
          // the time is free again: cancelled, or the client did not come (availability offers what is left of it)
          releaseAll: status === 'cancelled' || status === 'no_show',
          credit: this.creditBack(after, clinic.policy),
          sms,
          audit: caller?.auditEntry(auditTarget(after), now),
          invoice: invoice
            ? this.deps.invoices.replaceWrites(invoice, sessionInvoiceChange(invoice, after, clinic.policy, now))
            : undefined,
        },
      );
      return after;
    });
    if (appointment.status === 'cancelled') this.deps.onSmsQueued?.();
    return { appointment, timezone };
  }

  /** The front desk's day: every appointment of the clinic's local date with what needs attention. */
  async schedule(caller: Caller, clinicId: string, date: string): Promise<{ timezone: string; entries: ScheduleEntry[] }> {
    caller.assert({ clinicId });
    const seesClinicalStatus = visibility(caller.principal, { clinicId }).clinicalStatus;
    const setup = await this.deps.clinics.setup(clinicId);
    const tz = setup.clinic.timezone;
    const appts = await this.deps.appointments.byClinic(clinicId, localDayStart(date, tz), localDayEnd(date, tz));
    appts.sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id));
    const clients = new Map<string, StoredClient>();
    const packageIds = [...new Set(appts.map((a) => a.packageId).filter((id): id is string => !!id))];
    const invoiceIds = [...new Set(appts.map((a) => a.invoiceId).filter((id): id is string => !!id))];
    // the course of care of each client with an exploration on the plan: its intake and
    // preparation sessions may have been cancelled or moved since it was booked (clinical viewers)
    const courseClients = seesClinicalStatus
      ? [...new Set(appts.filter((a) => a.service === 'exploration' && ACTIVE_STATUSES.includes(a.status)).map((a) => a.clientId))]
      : [];
    const [clientList, packageList, invoiceList, courses] = await Promise.all([
      this.deps.clients.getMany([...new Set(appts.map((a) => a.clientId))]),
      Promise.all(packageIds.map((id) => this.deps.packages.get(id))),
      invoiceIds.length === 0 ? [] : this.deps.invoices.getMany(invoiceIds),
      Promise.all(courseClients.map(async (id) => [id, await this.deps.clients.appointments(id)] as const)),
    ]);
    const appointmentsOf = new Map(courses);
    const balances = new Map(invoiceList.map((inv) => [inv.id, totals(inv).balance]));
    for (const c of clientList) clients.set(c.id, c);
    const packages = new Map(packageList.filter((pk): pk is Package => !!pk).map((pk) => [pk.id, pk]));
    // a cancelled package's balance may have been paid on its invoice since (packagePaidUp)
    const cancelledInvoiceIds = [...packages.values()].flatMap((pk) => (pk.status === 'cancelled' && pk.invoiceId ? [pk.invoiceId] : []));
    const held = new Map(
      (cancelledInvoiceIds.length === 0 ? [] : await this.deps.invoices.getMany(cancelledInvoiceIds)).map((inv) => [inv.id, heldOn(inv)]),
    );
    const entries = appts.map((a): ScheduleEntry => {
      const client = clients.get(a.clientId) ?? null;
      const pkg = a.packageId ? packages.get(a.packageId) : undefined;
      const invoiceBalance = a.invoiceId ? balances.get(a.invoiceId) : undefined;
      const packageInvoiceHeld = pkg?.invoiceId ? held.get(pkg.invoiceId) : undefined;
      const ownCourse = appointmentsOf.get(a.clientId);
      const course = ownCourse ? { appointments: ownCourse, policy: setup.clinic.policy } : undefined;
      const flags = scheduleFlags({
        appointment: a,
        client,
        course,
        package: pkg,
        packageInvoiceHeld,
        invoiceBalance,
        lateCancellationForfeitsCredit: setup.clinic.policy.lateCancellationForfeitsCredit,
        zone: tz,
        seesClinicalStatus,
      });
      return {
        appointment: a,
        client: client ? { id: client.id, firstName: client.firstName, lastName: client.lastName } : null,
        providerName: setup.providers.find((pr) => pr.id === a.providerId)?.name ?? null,
        roomName: setup.rooms.find((r) => r.id === a.roomId)?.name ?? null,
        flags,
      };
    });
    return { timezone: tz, entries };
  }
}
