// The clinical and policy rules a booking (or a move) must pass: docs/domain.md, "Course of care",
// and the sections after it; names and reporting order from docs/api.md, "Errors". Whether the
// time is actually free (409 slot_unavailable) is not decided here but by storage, under
// concurrency.

import { RuleViolation, type RuleName } from '#domain/errors.ts';
import { localDate, localDay, parseTimeOfDay, weekdayOf } from '#domain/time.ts';
import { inTimeOff, type TimeOff } from '#domain/time-off.ts';
import {
  ACTIVE_STATUSES,
  type Appointment,
  type Clearance,
  type Client,
  type Clinic,
  type Mode,
  type Policy,
  type Provider,
  type Service,
  type ServiceCode,
} from '#domain/types.ts';

export type Actor = 'client' | 'staff';

export interface BookingCheckInput {
  clinic: Clinic;
  service: Service;
  provider: Provider;
  mode: Mode;
  /**
   * The client and its course, read together. Only the rules of services in
   * COURSE_DEPENDENT_SERVICES look at them; for the others the caller may pass null and skip the read.
   */
  client: Client | null;
  startsAt: number;
  endsAt: number;
  now: number;
  actor: Actor;
  /** The client's other appointments, any status (an appointment being rescheduled is excluded by the caller). */
  clientAppointments: Appointment[];
  /** Only when booking against a package. */
  packageState?: { remaining: number; pastDue: boolean } | undefined;
  /** The clinic's time off (any provider's; the setup's): it narrows the provider's hours. */
  timeOff?: readonly TimeOff[] | undefined;
}

/**
 * Services whose booking depends on the client's record and other appointments: an exploration's
 * gates (intake, clearance, preparation, ride home, spacing) and an integration's link to the
 * exploration before it (docs/domain.md).
 */
export const COURSE_DEPENDENT_SERVICES: readonly ServiceCode[] = ['exploration', 'integration'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function isActive(a: Appointment): boolean {
  return ACTIVE_STATUSES.includes(a.status);
}

/** Does [startsAt, endsAt) lie inside one of the provider's working-hours windows of that local day? */
function withinHours(provider: Provider, startsAt: number, endsAt: number, zone: string): boolean {
  const date = localDate(startsAt, zone);
  const weekday = weekdayOf(date);
  const clock = localDay(date, zone);
  return provider.weeklyHours.some((h) => {
    if (h.day !== weekday) return false;
    const start = clock.boundaryAt(parseTimeOfDay(h.start));
    const end = clock.boundaryAt(parseTimeOfDay(h.end, true));
    return startsAt >= start && endsAt <= end;
  });
}

/**
 * Whether a medical clearance covers a session starting at `startsAt`: cleared, and not expired on
 * the session's clinic-local date (validUntil is an inclusive clinic-local date; none: no expiry).
 */
export function clearanceValidOn(clearance: Clearance | undefined, startsAt: number, zone: string): boolean {
  if (!clearance || clearance.status !== 'cleared') return false;
  return clearance.validUntil === undefined || clearance.validUntil >= localDate(startsAt, zone);
}

/**
 * Whether the client may be checked in for `appt`: a dosing session (exploration) needs a clearance
 * valid on its date at check-in as at booking, since a clinician may have withdrawn it or let it
 * lapse since (docs/domain.md, "Course of care": medical clearance gates dosing). Other services need nothing more.
 */
export function checkInRefusal(
  appt: Pick<Appointment, 'service' | 'startsAt'>,
  clearance: Clearance | undefined,
  zone: string,
): RuleName | null {
  return appt.service === 'exploration' && !clearanceValidOn(clearance, appt.startsAt, zone) ? 'clearance_required' : null;
}

/** Latest active exploration that starts before `startsAt` (the one an integration belongs to). */
export function precedingExploration(appts: Appointment[], startsAt: number): Appointment | undefined {
  let best: Appointment | undefined;
  for (const a of appts) {
    if (a.service !== 'exploration' || !isActive(a) || a.startsAt >= startsAt) continue;
    if (!best || a.startsAt > best.startsAt) best = a;
  }
  return best;
}

/**
 * What an exploration starting at `startsAt` needs of the client's course of care (docs/domain.md;
 * clients book whole courses, so future bookings count): an intake done, or one booked before it;
 * and `requiredPreparationSessions` preparations before it, done or booked. `others` are the
 * client's other appointments; only those still on the plan count (not cancelled, not no-shows).
 * What booking checks, and what the day's schedule checks again (a preparation cancelled or an
 * intake moved after the exploration was booked).
 */
export function explorationCourse(
  client: Pick<Client, 'intakeCompleted'>,
  others: readonly Appointment[],
  startsAt: number,
  policy: Pick<Policy, 'requiredPreparationSessions'>,
): { intake: boolean; preparations: boolean } {
  const active = others.filter(isActive);
  const intake =
    client.intakeCompleted || active.some((a) => a.service === 'intake' && (a.status === 'completed' || a.startsAt < startsAt));
  const preparations = active.filter((a) => a.service === 'preparation' && a.startsAt < startsAt).length;
  return { intake, preparations: preparations >= policy.requiredPreparationSessions };
}

/**
 * Whether a start at `startsAt` is too soon to book or move to at `now` (minimum_notice): nobody
 * books the past; the notice binds clients booking for themselves, not the front desk (docs/api.md).
 */
export function breaksNotice(startsAt: number, now: number, actor: Actor, policy: Pick<Policy, 'minimumNoticeHours'>): boolean {
  return startsAt <= now || (actor === 'client' && startsAt < now + policy.minimumNoticeHours * HOUR);
}

/** Every rule the booking breaks, in reporting order: the first is the one to report. */
export function bookingViolations(input: BookingCheckInput): RuleName[] {
  const { clinic, service, provider, mode, client, startsAt, endsAt, now, actor } = input;
  const policy = clinic.policy;
  const out: RuleName[] = [];

  if (provider.role !== service.providerRole) out.push('provider_not_eligible');

  // Exploration is in person only; video needs a provider who offers it: docs/domain.md.
  if (mode === 'telehealth' && (!service.telehealthAllowed || !provider.telehealth)) {
    out.push('telehealth_not_allowed');
  }

  if (breaksNotice(startsAt, now, actor, policy)) out.push('minimum_notice');
  if (actor === 'client' && startsAt > now + policy.bookingWindowDays * DAY) out.push('booking_window');

  // Hours bind everyone, staff included; time off takes its span out of them.
  if (!withinHours(provider, startsAt, endsAt, clinic.timezone) || inTimeOff(input.timeOff ?? [], provider.id, startsAt, endsAt)) {
    out.push('outside_hours');
  }

  if (service.code === 'exploration') {
    if (!client) throw new Error('exploration rules need the client and its course');
    const others = input.clientAppointments.filter(isActive);

    const course = explorationCourse(client, others, startsAt, policy);
    if (!course.intake) out.push('intake_required');
    if (!clearanceValidOn(client.clearance, startsAt, clinic.timezone)) out.push('clearance_required');
    if (!course.preparations) out.push('preparation_required');

    if (!client.rideHome) out.push('ride_home_required');

    // Explorations start at least explorationSpacingHours apart, start to start, either way.
    const spacing = policy.explorationSpacingHours * HOUR;
    if (others.some((a) => a.service === 'exploration' && Math.abs(a.startsAt - startsAt) < spacing)) {
      out.push('exploration_spacing');
    }
  }

  if (input.packageState) {
    if (input.packageState.remaining <= 0) out.push('no_credit');
    // A past-due package still books preparation and integration (docs/api.md).
    if (input.packageState.pastDue && service.code === 'exploration') out.push('payment_past_due');
  }

  return out;
}

/** Plain-English reason for a rule; no client detail, no treatment word beyond the service name. */
export function ruleMessage(rule: RuleName, policy: Policy): string {
  switch (rule) {
    case 'provider_not_eligible':
      return 'This provider does not offer this service';
    case 'telehealth_not_allowed':
      return 'This session cannot be held by video with this provider';
    case 'minimum_notice':
      return `Online bookings need at least ${policy.minimumNoticeHours} hours' notice`;
    case 'booking_window':
      return `Online bookings can be made at most ${policy.bookingWindowDays} days ahead`;
    case 'outside_hours':
      return "The time is outside the provider's working hours, or in their time off";
    case 'intake_required':
      return 'An intake assessment must be completed or booked before this session';
    case 'clearance_required':
      return 'A valid medical clearance is required before this session';
    case 'preparation_required':
      return `At least ${policy.requiredPreparationSessions} preparation sessions must be completed or booked before this session`;
    case 'ride_home_required':
      return 'A ride-home contact must be on file before this session';
    case 'exploration_spacing':
      return `Exploration sessions must start at least ${policy.explorationSpacingHours} hours apart`;
    case 'no_credit':
      return 'The package has no credit left for this service';
    case 'payment_past_due':
      return 'A payment on the package is past due';
    case 'installments_not_eligible':
      return 'Installments are not available for this purchase';
    case 'bnpl_unavailable':
      return 'Pay-later is not available for this purchase';
    case 'sms_consent_required':
      return 'Consent to text messages is required';
    case 'billing_profile_missing':
      return 'The clinic has no billing profile yet: its legal name, address and tax id are needed first';
    case 'diagnosis_required':
      return 'Diagnosis codes must be recorded before a superbill can be made';
    case 'provider_npi_missing':
      return 'A provider of a session in this period has no NPI on file';
  }
}

/** Throws RuleViolation for the first failing rule, in reporting order. */
export function checkBooking(input: BookingCheckInput): void {
  const [first] = bookingViolations(input);
  if (!first) return;
  // staff are refused minimum_notice only for a start that has passed: the notice period is not theirs
  const passed = first === 'minimum_notice' && input.startsAt <= input.now;
  throw new RuleViolation(first, passed ? PASSED_START : ruleMessage(first, input.clinic.policy));
}

/** The message of a minimum_notice refusal for a start that has already passed (anyone's). */
export const PASSED_START = 'The start time has already passed';
