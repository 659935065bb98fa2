// Clinics, their providers, rooms and catalog, and availability.
import type {
  Appointment,
  BillingProfile,
  Clinic,
  Country,
  Currency,
  Mode,
  Policy,
  Provider,
  ProviderRole,
  Room,
  RoomKind,
  ServiceCode,
  WeeklyHours,
} from '#domain/types.ts';
import { NotFoundError, assertNoIssues, ValidationError } from '#domain/errors.ts';
import { feeCurrencyIssues, resolvePolicy } from '#domain/policy.ts';
import { defaultCatalog } from '#domain/catalog.ts';
import { assertNeutralClinicName } from '#domain/denylist.ts';
import { smsNameProblem } from '#domain/sms.ts';
import { billingProfileIssues } from '#domain/billing-profile.ts';
import { availabilityRangeIssues, busyBlocks, computeAvailability, MAX_APPOINTMENT_MS, type Slot } from '#domain/availability.ts';
import { nextStatus } from '#domain/appointment-status.ts';
import { localDayEnd, localDayStart } from '#domain/time.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { Clock } from '#adapters/clock.ts';
import type { IdGenerator } from '#adapters/ids.ts';
import type { Repositories } from './context.ts';
import { ReminderReplan } from './reminder-replan.ts';
import { showsVideoLink, videoUrlFor } from '#domain/video-room.ts';
import { heldDuring, overlapsSpan, timeOffIssues, type TimeOff } from '#domain/time-off.ts';

export interface CreateClinicInput {
  name: string;
  /** What its SMS say instead of the name (see Clinic.smsName). */
  smsName?: string | undefined;
  timezone: string;
  currency: Currency;
  country: Country;
  policy?: Partial<Policy> | undefined;
}

export interface ProviderInput {
  name: string;
  role: ProviderRole;
  credentials: string;
  npi?: string | undefined;
  licence?: { number: string; jurisdiction: string } | undefined;
  telehealth: boolean;
  weeklyHours: WeeklyHours[];
}

export interface AvailabilityQuery {
  service: ServiceCode;
  from: string;
  to: string;
  providerId?: string | undefined;
  mode: Mode;
}

/**
 * Availability for a move (`excluding`, docs/api.md): the appointment to move, and the caller
 * bound to the grants of moving it (the reschedule route's), not to availability's.
 */
export interface AvailabilityMove {
  appointmentId: string;
  caller: Caller;
}

export interface TimeOffInput {
  startsAt: number;
  endsAt: number;
  label?: string | undefined;
}

/** What ClinicService uses: clinics and their setup, the appointments that make a slot busy, the clock and ids. */
export type ClinicServiceDeps = Pick<Repositories, 'clinics' | 'appointments'> & { clock: Clock; ids: IdGenerator };

function assertSmsName(name: string | undefined): void {
  const problem = name === undefined ? undefined : smsNameProblem(name);
  if (problem) throw new ValidationError([{ path: 'smsName', message: problem }]);
}

export class ClinicService {
  constructor(private readonly deps: ClinicServiceDeps) {}

  /** A new clinic belongs to nobody yet: only the route's grants (admin) decide. */
  async create(_caller: Caller, input: CreateClinicInput, opts: { id?: string } = {}): Promise<Clinic> {
    assertNeutralClinicName(input.name);
    assertSmsName(input.smsName);
    const clinic: Clinic = {
      id: opts.id ?? this.deps.ids('cln'),
      name: input.name,
      ...(input.smsName !== undefined ? { smsName: input.smsName } : {}),
      timezone: input.timezone,
      currency: input.currency,
      country: input.country,
      policy: resolvePolicy(input.policy, input.currency),
      version: 1,
    };
    this.assertFeeCurrency(clinic);
    await this.deps.clinics.create(clinic, defaultCatalog(clinic.currency));
    return clinic;
  }

  /**
   * Changes the name, any policy field, or the billing profile (replaced whole). The profile must
   * fit the clinic: a US clinic's tax id is an EIN, a Canadian clinic's a GST/HST number.
   *
   * A change that carries `policy.reminderOffsetsHours` or `policy.quietHours`, changed or not,
   * then re-plans the reminders of the clinic's booked appointments still to come
   * (ReminderReplan): so that sending the same change again completes a re-plan that failed part
   * way (a 503 after the clinic was saved), and re-plans nothing that is already right.
   */
  async update(
    caller: Caller,
    clinicId: string,
    patch: {
      name?: string | undefined;
      smsName?: string | null | undefined;
      policy?: Partial<Policy> | undefined;
      billing?: BillingProfile | undefined;
    },
  ): Promise<Clinic> {
    caller.assert({ clinicId });
    if (patch.name !== undefined) assertNeutralClinicName(patch.name);
    assertSmsName(patch.smsName ?? undefined);
    const before = await this.deps.clinics.require(clinicId);
    if (patch.billing !== undefined) {
      assertNoIssues(billingProfileIssues(before.country, patch.billing));
    }
    const after: Clinic = {
      ...before,
      name: patch.name ?? before.name,
      // null removes the SMS name (SMS say the clinic's name again, or "Your clinic")
      smsName: patch.smsName === undefined ? before.smsName : (patch.smsName ?? undefined),
      policy: patch.policy ? resolvePolicy({ ...before.policy, ...patch.policy }, before.currency) : before.policy,
      billing: patch.billing ?? before.billing,
    };
    this.assertFeeCurrency(after);
    const saved = await this.deps.clinics.update(after, before.version);
    if (patch.policy?.reminderOffsetsHours !== undefined || patch.policy?.quietHours !== undefined) {
      await new ReminderReplan(this.deps).clinic(saved);
    }
    return saved;
  }

  private assertFeeCurrency(clinic: Clinic): void {
    assertNoIssues(feeCurrencyIssues(clinic.currency, clinic.policy.lateCancellationFee.currency));
  }

  get(clinicId: string): Promise<Clinic> {
    return this.deps.clinics.require(clinicId);
  }

  /** Readiness (GET /v1/health/ready): resolves once the table answered a read. */
  ready(): Promise<void> {
    return this.deps.clinics.ping();
  }

  list(): Promise<Clinic[]> {
    return this.deps.clinics.list();
  }

  async addProvider(caller: Caller, clinicId: string, input: ProviderInput, opts: { id?: string } = {}): Promise<Provider> {
    caller.assert({ clinicId });
    await this.deps.clinics.require(clinicId);
    const provider: Provider = { id: opts.id ?? this.deps.ids('prv'), clinicId, ...input };
    await this.deps.clinics.putProvider(provider);
    return provider;
  }

  /** Sets or clears (null) a provider's video room link: 404 for a provider this clinic does not have. */
  async setVideoRoom(caller: Caller, clinicId: string, providerId: string, url: string | null): Promise<Provider> {
    caller.assert({ clinicId });
    return this.deps.clinics.setVideoRoom(clinicId, providerId, url);
  }

  /**
   * The link each appointment shows (`videoUrlFor`), by appointment id. Read fresh from the
   * provider items, never from a cached setup: a link cleared a minute ago must not be handed out.
   * Only the providers of appointments that could show one are read.
   */
  async videoUrls(appointments: readonly Appointment[]): Promise<Map<string, string>> {
    const wanted = appointments.filter(showsVideoLink);
    const providerKeys = [...new Set(wanted.map((a) => `${a.clinicId}/${a.providerId}`))];
    const links = new Map(
      await Promise.all(
        providerKeys.map(async (key) => {
          const [clinicId, providerId] = key.split('/') as [string, string];
          return [key, (await this.deps.clinics.getProvider(clinicId, providerId))?.videoRoomUrl] as const;
        }),
      ),
    );
    const out = new Map<string, string>();
    for (const a of wanted) {
      const url = videoUrlFor(a, links.get(`${a.clinicId}/${a.providerId}`));
      if (url) out.set(a.id, url);
    }
    return out;
  }

  /**
   * Adds a provider's time off, or with `providerId` null closes the clinic (docs/domain.md, "Time
   * off"): from now on nobody books the provider (any provider) in it. Sessions already booked in it
   * are not touched; they are answered (`held`) for the desk to move or cancel. 404 for a provider
   * this clinic does not have.
   */
  async addTimeOff(
    caller: Caller,
    clinicId: string,
    providerId: string | null,
    input: TimeOffInput,
    opts: { id?: string } = {},
  ): Promise<{ timeOff: TimeOff; held: Appointment[]; timezone: string }> {
    caller.assert({ clinicId });
    const setup = await this.deps.clinics.setup(clinicId);
    if (providerId !== null && !setup.providers.some((p) => p.id === providerId)) throw new NotFoundError('provider');
    const now = this.deps.clock.now();
    assertNoIssues(timeOffIssues(input, now));
    const timeOff: TimeOff = {
      id: opts.id ?? this.deps.ids('off'),
      clinicId,
      providerId,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      ...(input.label !== undefined ? { label: input.label } : {}),
      createdBy: caller.signedIn.sub,
      createdAt: now,
    };
    await this.deps.clinics.putTimeOff(timeOff);
    const around = await this.deps.appointments.byClinic(clinicId, timeOff.startsAt - MAX_APPOINTMENT_MS, timeOff.endsAt);
    return { timeOff, held: heldDuring(around, timeOff), timezone: setup.clinic.timezone };
  }

  /** The clinic's time off overlapping the clinic-local dates `from`..`to`, by start. */
  async timeOff(caller: Caller, clinicId: string, from: string, to: string): Promise<{ timeOff: TimeOff[]; timezone: string }> {
    caller.assert({ clinicId });
    const setup = await this.deps.clinics.setup(clinicId);
    const tz = setup.clinic.timezone;
    const start = localDayStart(from, tz);
    const end = localDayEnd(to, tz);
    const timeOff = setup.timeOff
      .filter((t) => overlapsSpan(t, start, end))
      .sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id));
    return { timeOff, timezone: tz };
  }

  /** Removes time off: its span is bookable again (within the provider's hours). */
  async removeTimeOff(caller: Caller, clinicId: string, timeOffId: string): Promise<{ timeOff: TimeOff; timezone: string }> {
    caller.assert({ clinicId });
    const clinic = await this.deps.clinics.require(clinicId);
    return { timeOff: await this.deps.clinics.removeTimeOff(clinicId, timeOffId), timezone: clinic.timezone };
  }

  async addRoom(caller: Caller, clinicId: string, input: { name: string; kind: RoomKind }, opts: { id?: string } = {}): Promise<Room> {
    caller.assert({ clinicId });
    await this.deps.clinics.require(clinicId);
    const room: Room = { id: opts.id ?? this.deps.ids('room'), clinicId, ...input };
    await this.deps.clinics.putRoom(room);
    return room;
  }

  async providers(clinicId: string): Promise<Provider[]> {
    const setup = await this.deps.clinics.setup(clinicId);
    return setup.providers.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  async rooms(caller: Caller, clinicId: string): Promise<Room[]> {
    caller.assert({ clinicId });
    const setup = await this.deps.clinics.setup(clinicId);
    return setup.rooms.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  async services(clinicId: string) {
    const setup = await this.deps.clinics.setup(clinicId);
    const order = ['intake', 'medical_evaluation', 'preparation', 'exploration', 'integration', 'ongoing_care'];
    return { clinic: setup.clinic, services: setup.services.sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code)) };
  }

  /**
   * Bookable starts. Minimum notice and the booking window bind clients and anonymous callers;
   * the front desk and admin see every start they may book inside hours (docs/api.md).
   */
  async availability(
    caller: Caller,
    clinicId: string,
    q: AvailabilityQuery,
    move?: AvailabilityMove,
  ): Promise<{ clinic: Clinic; slots: Slot[]; moving?: Appointment | undefined }> {
    assertNoIssues(availabilityRangeIssues(q.from, q.to));
    const moving = move ? await this.movable(clinicId, move) : undefined;
    const setup = await this.deps.clinics.setup(clinicId);
    const { clinic } = setup;
    const service = setup.services.find((s) => s.code === q.service);
    if (!service) throw new NotFoundError('service');
    let providers = setup.providers;
    if (q.providerId) {
      providers = providers.filter((pr) => pr.id === q.providerId);
      if (providers.length === 0) throw new NotFoundError('provider');
    }
    const from = localDayStart(q.from, clinic.timezone);
    const to = localDayEnd(q.to, clinic.timezone);
    const appts = await this.deps.appointments.byClinic(clinicId, from - MAX_APPOINTMENT_MS, to);
    const busy = busyBlocks(
      appts,
      setup.timeOff,
      providers.map((pr) => pr.id),
      from,
      to,
    );
    const slots = computeAvailability({
      clinic,
      service,
      mode: q.mode,
      providers,
      rooms: setup.rooms,
      busy,
      from: q.from,
      to: q.to,
      now: this.deps.clock.now(),
      enforceClientPolicy: !caller.booksAsStaff(clinicId),
      moving: moving && { appointmentId: moving.id, clientId: moving.clientId },
    });
    return { clinic, slots, moving };
  }

  /**
   * The appointment a move would move, checked as the move itself is (AppointmentService.reschedule):
   * a caller the grants of moving cannot admit learns nothing (401/403 before the read); an unknown
   * id, or one of another clinic than the one asked about, is a 404; another client's (or another
   * clinic's staff's) a 403; one that is not `booked` cannot be moved, a 409 `conflict`.
   */
  private async movable(clinicId: string, move: AvailabilityMove): Promise<Appointment> {
    move.caller.assertAdmitted();
    const appt = await this.deps.appointments.require(move.appointmentId);
    move.caller.assert(appt);
    if (appt.clinicId !== clinicId) throw new NotFoundError('appointment');
    nextStatus(appt, 'reschedule', this.deps.clock.now());
    return appt;
  }
}
