// The waitlist (docs/domain.md, "Waitlist"): clients (or the desk for them) ask for a kind of
// session between two dates; the client's list and the desk's show, with each entry still
// waiting, the times open for it now, so the desk can book one in a click. Nothing is held.
import type { Appointment, Client, Clinic, Mode, ServiceCode } from '#domain/types.ts';
import { ConflictError, NotFoundError, assertNoIssues } from '#domain/errors.ts';
import { busyBlocks, computeAvailability, MAX_APPOINTMENT_MS, type Slot } from '#domain/availability.ts';
import { localDate, localDayEnd, localDayStart } from '#domain/time.ts';
import {
  checkWaitlistChoice,
  coveringRanges,
  isOpen,
  openingsFor,
  WAITLIST_MAX_OPEN,
  waitlistDateIssues,
  waitlistLastDay,
  waitlistStatus,
  type WaitlistEntry,
  type WaitlistStatus,
} from '#domain/waitlist.ts';
import type { AuditTarget } from '#domain/audit.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { Clock } from '#adapters/clock.ts';
import { keyedIds, type IdGenerator } from '#adapters/ids.ts';
import type { ClinicSetup } from '#db/clinic-repo.ts';
import { StaleReadError, withOptimisticRetry } from '#db/errors.ts';
import type { Repositories } from './context.ts';

export interface WaitlistInput {
  service: ServiceCode;
  mode: Mode;
  providerId?: string | undefined;
  from: string;
  to: string;
}

/** An entry as answered: what became of it, and while it waits, the times open for it now. */
export interface WaitlistItem {
  entry: WaitlistEntry;
  status: WaitlistStatus;
  openings: { count: number; first: Slot[] } | null;
}

export type WaitlistServiceDeps = Pick<Repositories, 'clinics' | 'clients' | 'appointments' | 'waitlist'> & {
  clock: Clock;
  ids: IdGenerator;
};

const entryTarget = (e: Pick<WaitlistEntry, 'id' | 'clientId' | 'clinicId'>): AuditTarget => ({
  clientId: e.clientId,
  clinicId: e.clinicId,
  record: { type: 'waitlist', id: e.id },
});

export class WaitlistService {
  constructor(private readonly deps: WaitlistServiceDeps) {}

  /**
   * Adds an entry for the client: its practitioner offers the service (and video, for a video
   * session), its dates are valid (shared/domain/waitlist.ts), and the client has fewer than
   * WAITLIST_MAX_OPEN waiting. `retrySeed` (an Idempotency-Key): the id derives from it, so a
   * retry whose first answer was lost finds the entry made.
   */
  async add(
    caller: Caller,
    clientId: string,
    input: WaitlistInput,
    opts: { retrySeed?: string | undefined } = {},
  ): Promise<{ item: WaitlistItem; timezone: string; written: boolean }> {
    const client = await this.deps.clients.require(clientId);
    caller.assert({ clientId: client.id, clinicId: client.clinicId });
    const setup = await this.deps.clinics.setup(client.clinicId);
    const { clinic } = setup;
    const service = setup.services.find((s) => s.code === input.service);
    if (!service) throw new NotFoundError('service');
    const provider = input.providerId === undefined ? undefined : setup.providers.find((p) => p.id === input.providerId);
    if (input.providerId !== undefined && !provider) throw new NotFoundError('provider');
    checkWaitlistChoice(service, input.mode, provider);
    const now = this.deps.clock.now();
    const today = localDate(now, clinic.timezone);
    const lastDay = waitlistLastDay(today, clinic.policy.bookingWindowDays, caller.booksAsStaff(clinic.id));
    assertNoIssues(waitlistDateIssues(input.from, input.to, today, lastDay));

    const ids = opts.retrySeed === undefined ? this.deps.ids : keyedIds(opts.retrySeed);
    const entry: WaitlistEntry = {
      id: ids('wait'),
      clinicId: clinic.id,
      clientId: client.id,
      service: input.service,
      mode: input.mode,
      providerId: input.providerId ?? null,
      // a first date already past asks from today
      from: input.from < today ? today : input.from,
      to: input.to,
      createdAt: now,
      createdBy: caller.signedIn.sub,
    };
    // read, count, write on the condition that no other add came between (the limit holds at one instant too)
    return withOptimisticRetry(async () => {
      const [{ entries, revision }, appointments] = await Promise.all([
        this.deps.waitlist.ofClient(client.id),
        this.deps.clients.appointments(client.id),
      ]);
      const kept = entries.find((e) => e.id === entry.id);
      if (kept) return { item: await this.itemOf(kept, setup, appointments, caller, today), timezone: clinic.timezone, written: false };
      const waiting = entries.filter((e) => isOpen(waitlistStatus(e, appointments, today, clinic.timezone))).length;
      if (waiting >= WAITLIST_MAX_OPEN) {
        throw new ConflictError(`At most ${WAITLIST_MAX_OPEN} waitlist entries may wait at once: remove one first`);
      }
      try {
        await this.deps.waitlist.add(entry, clinic.timezone, revision, caller.auditEntry(entryTarget(entry), now));
      } catch (err) {
        if (err instanceof StaleReadError) throw err;
        // a keyed retry whose first attempt's answer was lost after the write: that entry is the answer
        const landed = opts.retrySeed !== undefined && (await this.deps.waitlist.get(client.id, entry.id).catch(() => null));
        if (!landed) throw err;
        return { item: await this.itemOf(landed, setup, appointments, caller, today), timezone: clinic.timezone, written: false };
      }
      return { item: await this.itemOf(entry, setup, appointments, caller, today), timezone: clinic.timezone, written: true };
    });
  }

  /** The client's entries, each with what became of it, by first date. */
  async ofClient(caller: Caller, clientId: string): Promise<{ client: Client; clinic: Clinic; items: WaitlistItem[] }> {
    const client = await this.deps.clients.require(clientId);
    caller.assert({ clientId: client.id, clinicId: client.clinicId });
    const [setup, { entries }, appointments] = await Promise.all([
      this.deps.clinics.setup(client.clinicId),
      this.deps.waitlist.ofClient(client.id),
      this.deps.clients.appointments(client.id),
    ]);
    const today = localDate(this.deps.clock.now(), setup.clinic.timezone);
    entries.sort(byDates);
    return { client, clinic: setup.clinic, items: await this.itemsOf(entries, setup, appointments, caller, today) };
  }

  /** Removes one of the client's entries; 404 when the client has no such entry. */
  async remove(caller: Caller, clientId: string, entryId: string): Promise<{ entry: WaitlistEntry; timezone: string }> {
    const client = await this.deps.clients.require(clientId);
    caller.assert({ clientId: client.id, clinicId: client.clinicId });
    const entry = await this.deps.waitlist.get(client.id, entryId);
    if (!entry) throw new NotFoundError('waitlist entry');
    const clinic = await this.deps.clinics.require(client.clinicId);
    await this.deps.waitlist.remove(entry, caller.auditEntry(entryTarget(entry), this.deps.clock.now()));
    return { entry, timezone: clinic.timezone };
  }

  /**
   * The clinic's entries still waiting (booked and expired ones left out), by first date, with the
   * client's name and the times open for each now (those the desk may book).
   */
  async ofClinic(caller: Caller, clinicId: string): Promise<{ clinic: Clinic; items: WaitlistItem[]; names: Map<string, string> }> {
    caller.assert({ clinicId });
    const setup = await this.deps.clinics.setup(clinicId);
    const today = localDate(this.deps.clock.now(), setup.clinic.timezone);
    const entries = (await this.deps.waitlist.ofClinic(clinicId, today)).sort(byDates);
    // the clinic's sessions over the entries' dates answer both "booked?" and "what is open?"
    const appointments = await this.clinicAppointments(setup, entries);
    const items = (await this.itemsOf(entries, setup, appointments, caller, today, appointments)).filter((i) => isOpen(i.status));
    const names = await this.deps.clients.namesOf([...new Set(items.map((i) => i.entry.clientId))]);
    return { clinic: setup.clinic, items, names };
  }

  private async itemOf(entry: WaitlistEntry, setup: ClinicSetup, own: readonly Appointment[], caller: Caller, today: string) {
    return (await this.itemsOf([entry], setup, own, caller, today))[0]!;
  }

  /**
   * Each entry's status from `known` (sessions that include the entry client's own in its dates),
   * and for those waiting, the open times: from `clinicWide` when given (the clinic's sessions over
   * every entry's dates), else from one read of the clinic's sessions per span of overlapping dates.
   */
  private async itemsOf(
    entries: readonly WaitlistEntry[],
    setup: ClinicSetup,
    known: readonly Appointment[],
    caller: Caller,
    today: string,
    clinicWide?: readonly Appointment[],
  ): Promise<WaitlistItem[]> {
    const tz = setup.clinic.timezone;
    const statuses = entries.map((e) => waitlistStatus(e, known, today, tz));
    const waiting = entries.filter((_, i) => isOpen(statuses[i]!));
    const busyOf = new Map<WaitlistEntry, readonly Appointment[]>();
    if (clinicWide) for (const e of waiting) busyOf.set(e, clinicWide);
    else {
      for (const range of coveringRanges(waiting, today)) {
        const appts = await this.clinicSessions(setup, range);
        for (const e of range.entries) busyOf.set(e, appts);
      }
    }
    return entries.map((entry, i) => {
      const appts = busyOf.get(entry);
      return { entry, status: statuses[i]!, openings: appts ? this.openings(entry, setup, appts, caller, today) : null };
    });
  }

  /** The clinic's sessions that hold time on the dates (one that began the day before included). */
  private clinicSessions(setup: ClinicSetup, range: { from: string; to: string }): Promise<Appointment[]> {
    const tz = setup.clinic.timezone;
    return this.deps.appointments.byClinic(setup.clinic.id, localDayStart(range.from, tz) - MAX_APPOINTMENT_MS, localDayEnd(range.to, tz));
  }

  /** The times open for an entry now, as its caller may book them (the desk inside the notice and beyond the window). */
  private openings(entry: WaitlistEntry, setup: ClinicSetup, appts: readonly Appointment[], caller: Caller, today: string) {
    const { clinic } = setup;
    const service = setup.services.find((s) => s.code === entry.service);
    const providers = setup.providers.filter((p) => entry.providerId === null || p.id === entry.providerId);
    if (!service || providers.length === 0) return { count: 0, first: [] };
    const from = entry.from < today ? today : entry.from;
    const slots = computeAvailability({
      clinic,
      service,
      mode: entry.mode,
      providers,
      rooms: setup.rooms,
      busy: busyBlocks(
        appts,
        setup.timeOff,
        providers.map((p) => p.id),
        localDayStart(from, clinic.timezone),
        localDayEnd(entry.to, clinic.timezone),
      ),
      from,
      to: entry.to,
      now: this.deps.clock.now(),
      enforceClientPolicy: !caller.booksAsStaff(clinic.id),
      forClient: entry.clientId,
    });
    return openingsFor(entry, slots, clinic.timezone);
  }

  /** The clinic's sessions over every entry's dates (from their first dates: a session booked earlier in them counts). */
  private async clinicAppointments(setup: ClinicSetup, entries: readonly WaitlistEntry[]): Promise<Appointment[]> {
    const out: Appointment[] = [];
    for (const range of coveringRanges(entries, '0000-01-01')) out.push(...(await this.clinicSessions(setup, range)));
    return out;
  }
}

const byDates = (a: WaitlistEntry, b: WaitlistEntry) =>
  a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.id.localeCompare(b.id);
