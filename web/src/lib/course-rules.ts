// The client's own course of care as the booking rules read it (docs/domain.md, "Course of care",
// and "No double booking: slot locks"), worked out in the browser from the client's appointments and the clinic's
// policy, so the booking, moving and cancelling pages can say what the API will decide and why:
// - the times the client is already booked (the API's client lock: a 409 slot_unavailable);
// - what a dosing session needs before it (an intake, the policy's preparation sessions): the
//   same reading as the API's `explorationCourse` (shared/domain/booking-rules.ts), where future
//   bookings count and cancelled sessions and no-shows do not;
// - what cancelling a session takes away from a dosing session already booked;
// - what the client still needs before a dosing session can be booked at all (dosingNeeds).
// Pure (no React); web/test/course-rules.test.ts has its cases.
import type { Appointment, Client, ClinicSetup } from './clinic-data.ts';
import { serviceName } from './clinic-data.ts';
import { formatDateTime } from './format.ts';

type Timed = Pick<Appointment, 'id' | 'service' | 'status' | 'startsAt' | 'endsAt'>;
type Words = Pick<ClinicSetup, 'clinic' | 'services'>;

/** A session that holds the client's time and counts in their course (the API's ACTIVE_STATUSES). */
export const takesTime = (a: Pick<Appointment, 'status'>) => a.status === 'booked' || a.status === 'checked_in' || a.status === 'completed';

/** The client's sessions a new time must not overlap: every one that takes time, but the one being moved. */
export function ownBusy<T extends Timed>(appointments: readonly T[], excludingId?: string): T[] {
  return appointments.filter((a) => takesTime(a) && a.id !== excludingId);
}

/** The client's own session that a session at [startsAt, endsAt) would overlap, if any. */
export function ownClash<T extends Timed>(
  appointments: readonly T[],
  slot: { startsAt: string; endsAt: string },
  excludingId?: string,
): T | undefined {
  const s = Date.parse(slot.startsAt);
  const e = Date.parse(slot.endsAt);
  return ownBusy(appointments, excludingId).find((a) => Date.parse(a.startsAt) < e && s < Date.parse(a.endsAt));
}

/** The 409 of a time that is the client's own session: said as that, not as a time someone else took. */
export const ownClashWords = (setup: Words, clash: Timed) =>
  `You already have a session at that time: ${serviceName(setup, clash.service)}, ${formatDateTime(clash.startsAt, setup.clinic.timezone)}. Please choose another time.`;

export interface DosingCourse {
  /** An intake done, or one booked before the dosing session. */
  intake: boolean;
  /** The client's intake still to come that starts at or after the dosing session (none: undefined). */
  intakeLater: Timed | undefined;
  /** The preparation sessions that count, done or booked, by start. */
  preparations: Timed[];
  /** How many of them start before the dosing session. */
  preparationsBefore: number;
  /** Enough of them before it (the policy's `requiredPreparationSessions`). */
  preparationsMet: boolean;
}

/**
 * What a dosing session starting at `startsAt` has of what it needs, as the API reads it: an intake
 * completed (the client's record or a completed appointment) or one booked to start before it; and
 * `required` preparation sessions starting before it. `excludingId`: the session being moved or
 * cancelled, which counts for nothing.
 */
export function dosingCourse(
  intakeCompleted: boolean,
  appointments: readonly Timed[],
  startsAt: string,
  required: number,
  excludingId?: string,
): DosingCourse {
  const at = Date.parse(startsAt);
  const active = ownBusy(appointments, excludingId);
  const intakes = active.filter((a) => a.service === 'intake');
  const intake = intakeCompleted || intakes.some((a) => a.status === 'completed' || Date.parse(a.startsAt) < at);
  const intakeLater = intake ? undefined : intakes.sort(byStart).find((a) => Date.parse(a.startsAt) >= at);
  const preparations = active.filter((a) => a.service === 'preparation').sort(byStart);
  const preparationsBefore = preparations.filter((a) => Date.parse(a.startsAt) < at).length;
  return { intake, intakeLater, preparations, preparationsBefore, preparationsMet: preparationsBefore >= required };
}

const byStart = (a: Timed, b: Timed) => Date.parse(a.startsAt) - Date.parse(b.startsAt);

const sessions = (n: number) => `${n} preparation session${n === 1 ? '' : 's'}`;
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
const ordinal = (n: number) => ORDINALS[n - 1] ?? `${n}th`;

/**
 * A dosing session at `startsAt` refused for `intake_required` or `preparation_required`: what the
 * client has, and the time that would do, in one sentence. Undefined when the client's appointments
 * do not show the refusal's reason (read before a change elsewhere): the rule's own sentence then.
 */
export function courseRefusalWords(
  rule: string,
  setup: Words,
  client: { status: Pick<Client['status'], 'intakeCompleted'> },
  appointments: readonly Timed[],
  startsAt: string,
  excludingId?: string,
): string | undefined {
  const zone = setup.clinic.timezone;
  const when = (iso: string) => formatDateTime(iso, zone);
  const required = setup.clinic.policy.requiredPreparationSessions;
  const course = dosingCourse(client.status.intakeCompleted, appointments, startsAt, required, excludingId);

  if (rule === 'intake_required' && !course.intake) {
    if (course.intakeLater)
      return `Your intake is on ${when(course.intakeLater.startsAt)}, and a dosing session comes after it. Choose a time after your intake, or move your intake to an earlier time.`;
    return 'A dosing session comes after your intake, and you have no intake booked. Please book your intake first, then a dosing session after it.';
  }

  if (rule === 'preparation_required' && !course.preparationsMet && required > 0) {
    const have = course.preparations.length;
    if (have < required) {
      const missing = required - have;
      return `You need ${sessions(required)} before a dosing session, and you have ${have === 0 ? 'none' : have} booked. Please book ${missing} more first, then choose a time for the dosing session after ${required === 1 ? 'it' : 'them'}.`;
    }
    const before = course.preparationsBefore;
    const nth = course.preparations[required - 1];
    if (!nth) return undefined;
    const counted = before === 0 ? 'none is' : before === 1 ? 'only 1 is' : `only ${before} are`;
    return `You need ${sessions(required)} before a dosing session; ${counted} booked before ${when(startsAt)}. Choose a time after your ${ordinal(required)} one, on ${when(nth.startsAt)}.`;
  }
  return undefined;
}

/**
 * Cancelling `cancelling` now leaves a dosing session still to come without what it needs before it
 * (its intake, or one of the preparation sessions the policy requires): one sentence per need, to
 * say before the client confirms. Dosing sessions that lacked it already are not this cancel's doing.
 */
export function cancelLeavesShort(
  setup: Words,
  client: { status: Pick<Client['status'], 'intakeCompleted'> },
  appointments: readonly Timed[],
  cancelling: Timed,
  now = Date.now(),
): string[] {
  if (cancelling.service !== 'intake' && cancelling.service !== 'preparation') return [];
  const required = setup.clinic.policy.requiredPreparationSessions;
  const intakeCompleted = client.status.intakeCompleted;
  const dosing = appointments
    .filter((a) => a.service === 'exploration' && a.status === 'booked' && Date.parse(a.startsAt) > now && a.id !== cancelling.id)
    .sort(byStart);
  const lose = { intake: [] as Timed[], preparation: [] as Timed[] };
  for (const d of dosing) {
    const others = appointments.filter((a) => a.id !== d.id);
    const before = dosingCourse(intakeCompleted, others, d.startsAt, required);
    const after = dosingCourse(intakeCompleted, others, d.startsAt, required, cancelling.id);
    if (before.intake && !after.intake) lose.intake.push(d);
    if (before.preparationsMet && !after.preparationsMet) lose.preparation.push(d);
  }
  const zone = setup.clinic.timezone;
  const out: string[] = [];
  for (const [need, list] of Object.entries(lose) as ['intake' | 'preparation', Timed[]][]) {
    if (list.length === 0) continue;
    const one = list.length === 1;
    const dates = joinAnd(list.map((d) => formatDateTime(d.startsAt, zone)));
    const it = one ? 'it' : 'they';
    const them = one ? 'it' : 'them';
    const what =
      need === 'intake'
        ? `need${one ? 's' : ''} this intake before ${them}`
        : `need${one ? 's' : ''} ${sessions(required)} before ${them}, and this is one of them`;
    const book = need === 'intake' ? 'an intake' : 'another preparation session';
    out.push(
      `Your dosing session${one ? '' : 's'} on ${dates} ${what}: ${it} will stay booked, but you will need to book ${book} before ${them}, or the clinic may move ${them}. Until then, ${it} can’t be moved to another time.`,
    );
  }
  return out;
}

const joinAnd = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join('; ')} and ${items.at(-1)}`);

/** What dosingNeeds reads of the client's record. */
type NeedsOf = Pick<Client, 'rideHome'> & {
  status: Pick<Client['status'], 'intakeCompleted'> & { clearance: Pick<Client['status']['clearance'], 'status'> };
};

/**
 * What the client still needs before a dosing session can be booked, in their words (empty:
 * nothing), said on the booking page before a time is chosen: an intake done or booked, a valid
 * medical clearance, the policy's preparation sessions (booked or done; cancelled ones and
 * no-shows do not count), a ride-home contact. Judged for today; the API decides at booking.
 */
export function dosingNeeds(
  client: NeedsOf,
  appointments: readonly Pick<Appointment, 'service' | 'status'>[],
  requiredPreparations: number,
): string[] {
  const active = appointments.filter((a) => a.status !== 'cancelled' && a.status !== 'no_show');
  const out: string[] = [];
  if (!client.status.intakeCompleted && !active.some((a) => a.service === 'intake')) {
    out.push('An intake assessment: book it first.');
  }
  const clearance = client.status.clearance.status;
  if (clearance !== 'cleared') {
    out.push(
      clearance === 'expired'
        ? 'A new medical clearance: your last one has ended. The clinic’s prescriber records it at your medical evaluation.'
        : 'A medical clearance, which the clinic’s prescriber records at your medical evaluation.',
    );
  }
  const missing = requiredPreparations - active.filter((a) => a.service === 'preparation').length;
  if (missing > 0) out.push(`${missing} more preparation session${missing === 1 ? '' : 's'}, booked before it.`);
  if (!client.rideHome) out.push('Someone to take you home afterwards: add them on your profile.');
  return out;
}
