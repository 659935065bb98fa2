// What staff may do with one appointment now, as the API decides it (shared/http/routes.ts for the
// roles, the status machine of docs/api.md for the rest): booked → checked in → completed; booked →
// cancelled | no-show; a video session completes straight from booked. Time, by the browser's
// clock: an action that has closed for good is not offered — rescheduling and cancelling once the
// session has started, check-in once its local day is over. A past in-person session that was
// never checked in offers instead to record the arrival afterwards (the check-in route's
// `arrivedAt`, docs/api.md), after which it can be completed, or a no-show. An action that is
// still to open (check-in before its lead time, no-show and complete before the start) stays
// offered with a hint: the server's clock is the authority (the dev clock moves only the server's)
// and its refusal is shown.
// Pure (no React): the day's panel and the chart's table both use it; web/test has its cases.
import { ApiError } from '../../api/client.ts';
import type { Appointment, ClinicSetup } from '../../lib/clinic-data.ts';
import { formatMoney, todayIn } from '../../lib/format.ts';
import type { StaffRole } from './nav.ts';

export type Action = 'check_in' | 'record_arrival' | 'complete' | 'no_show' | 'cancel' | 'reschedule' | 'use_credit';

/** Who may call each route (shared/http/routes.ts allow lists). */
export const ALLOWED: Record<Action, readonly StaffRole[]> = {
  check_in: ['frontdesk', 'admin'],
  // the same route as check_in, with the time the client arrived
  record_arrival: ['frontdesk', 'admin'],
  no_show: ['frontdesk', 'admin'],
  complete: ['clinician', 'frontdesk', 'admin'],
  cancel: ['frontdesk', 'admin'],
  reschedule: ['frontdesk', 'admin'],
  // a session booked singly paid with a program credit instead: those who book for the client
  use_credit: ['frontdesk', 'admin'],
};

type Timed = Pick<Appointment, 'status' | 'mode' | 'startsAt'>;

/** Where the appointment stands in time: started (its start has passed) and its local day over. */
export interface When {
  started: boolean;
  dayOver: boolean;
}

export function whenIs(a: Pick<Appointment, 'startsAt'>, timezone: string, now: Date = new Date()): When {
  return {
    started: now.getTime() >= Date.parse(a.startsAt),
    // the API answers in the clinic's offset: the first ten characters are the local date
    dayOver: todayIn(timezone, now) > a.startsAt.slice(0, 10),
  };
}

/** Booked or checked in: still waiting for its outcome (completed, cancelled or a no-show). */
export const isActive = (a: Pick<Appointment, 'status'>) => a.status === 'booked' || a.status === 'checked_in';

/** A session whose end has passed with no outcome marked: the desk still has to act on it. */
export const notMarked = (a: Pick<Appointment, 'status' | 'endsAt'>, now: Date = new Date()) =>
  isActive(a) && Date.parse(a.endsAt) <= now.getTime();

/**
 * The chart's two lists. Upcoming: the sessions that have not ended and still wait for their outcome,
 * soonest first. Past and cancelled: everything else, latest first — an ended session still booked or
 * checked in among them (notMarked), since nothing about it is upcoming any more.
 */
export function chartLists<A extends Pick<Appointment, 'status' | 'startsAt' | 'endsAt'>>(
  appointments: readonly A[],
  now: Date = new Date(),
): { upcoming: A[]; past: A[] } {
  const byStart = [...appointments].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const upcoming = byStart.filter((a) => isActive(a) && !notMarked(a, now));
  const past = byStart.filter((a) => !upcoming.includes(a)).reverse();
  return { upcoming, past };
}

/** What an ended, unmarked session still needs, in the desk's words (what validFor offers it). */
export function notMarkedHint(a: Pick<Appointment, 'status' | 'mode'>, when: When): string {
  if (a.status === 'checked_in') return 'Needs completing';
  if (a.mode === 'telehealth') return 'Needs completing or a no-show';
  return when.dayOver
    ? 'Never checked in: check-in closed at the end of that day. Needs a recorded arrival or a no-show.'
    : 'Needs check-in or no-show';
}

/**
 * The reason a cancelled session was given, as staff read it (the API sends it to staff only): the
 * system's own reason in words, none when nothing was typed.
 */
export function cancelReasonText(a: Pick<Appointment, 'status' | 'cancelReason'>): string | undefined {
  if (a.status !== 'cancelled') return undefined;
  const reason = a.cancelReason?.trim();
  if (!reason) return undefined;
  // set by the API when the session's program was cancelled (its future sessions go with it)
  if (reason === 'package cancelled') return 'Program cancelled';
  return reason;
}

/** What the appointment's status, mode and time allow, for any role. */
export function validFor(a: Timed, when: When): Action[] {
  if (a.status === 'checked_in') return ['complete'];
  if (a.status !== 'booked') return [];
  const out: Action[] = [];
  // a video session has no waiting room: it completes straight from booked
  if (a.mode === 'telehealth') out.push('complete');
  else out.push(when.dayOver ? 'record_arrival' : 'check_in');
  out.push('no_show');
  if (!when.started) out.push('reschedule', 'cancel');
  return out;
}

export const mayDo = (role: StaffRole, action: Action) => ALLOWED[action].includes(role);

/** A past in-person session that was never checked in: check-in closed with its day, so only a recorded arrival lets it be completed. */
export const checkInClosed = (a: Timed, when: When) => a.status === 'booked' && a.mode === 'in_person' && when.dayOver;

/** What a no-show costs, said before it is marked (the API's rules: the fee replaces a self-pay session's charge; a credit is forfeited). */
export function noShowTerms(setup: ClinicSetup, a: Pick<Appointment, 'packageId' | 'invoiceId'>): { charges: boolean; text: string } {
  const fee = setup.clinic.policy.lateCancellationFee;
  if (a.packageId) {
    return {
      charges: false,
      text: 'The session’s package credit is used up: a missed session does not go back to the program. No fee is charged.',
    };
  }
  if (!a.invoiceId) return { charges: false, text: 'No fee is charged for this session.' };
  if (fee.amount === 0) {
    return {
      charges: false,
      text: 'The session’s charge is voided and no missed-appointment fee is charged (the clinic’s fee is none); anything paid is refunded.',
    };
  }
  return {
    charges: true,
    text: `The client is charged the clinic’s missed-appointment fee of ${formatMoney(fee)} in place of the session’s price; anything paid beyond the fee is refunded to the client.`,
  };
}

/** What the no-show did, once the API has answered. */
export function noShowDone(setup: ClinicSetup, a: Pick<Appointment, 'packageId' | 'invoiceId'>): string {
  const fee = setup.clinic.policy.lateCancellationFee;
  if (a.packageId) return 'Marked as a no-show: the session’s package credit is used up.';
  if (!a.invoiceId || fee.amount === 0) return 'Marked as a no-show.';
  return `Marked as a no-show: a missed-appointment fee of ${formatMoney(fee)} is charged to the client.`;
}

/**
 * Check in for a dosing session whose client has no ride-home contact on file (the schedule's
 * `ride_home_missing` flag): the client may not drive afterwards, so the desk is asked to settle who
 * takes them home first. Only asked, never refused: the API checks in without it (the contact may be
 * arranged by phone while the session runs).
 */
export const rideHomeToConfirm = (a: Pick<Appointment, 'service'> & { flags?: readonly string[] | undefined }): boolean =>
  a.service === 'exploration' && (a.flags ?? []).includes('ride_home_missing');

/** "Riley" of "Riley Okafor" (the schedule names a client in full). */
export const firstNameOf = (name: string | undefined): string | undefined => name?.trim().split(/\s+/)[0] || undefined;

/**
 * A refusal of an appointment action in the front desk's words where the general staff words would
 * not say what to do: a dosing session refused at check-in (or at a recorded arrival) for want of a
 * valid clearance. Undefined where the general staff words hold (clients-words.tsx).
 */
export function actionRefusalWords(action: Action, error: unknown, firstName: string | undefined): string | undefined {
  const checkIn = action === 'check_in' || action === 'record_arrival';
  if (checkIn && error instanceof ApiError && error.code === 'rule_violated' && error.rule === 'clearance_required') {
    return `${firstName ?? 'The client'} can’t be checked in for a dosing session: no valid medical clearance. A clinician records it on the chart; otherwise move or cancel the session.`;
  }
  return undefined;
}
