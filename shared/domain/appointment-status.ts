// The appointment life cycle (docs/domain.md, "Appointment status machine and time gates"):
//   booked → checked_in → completed;  booked → cancelled | no_show.
// Only booked appointments move or cancel. Video sessions have no check-in, so a booked
// telehealth appointment completes directly.
//
// The day's status changes also depend on the time, so that a clinical gate (an intake that must
// be completed before dosing, say) cannot be satisfied ahead of the session itself:
//   - check-in is open from policy.checkInLeadMinutes before the start (inclusive) until the end of
//     the appointment's clinic-local day (exclusive: the next local midnight), and only on that
//     local day. A check-in the front desk forgot is recorded later with the time the client
//     arrived (`arrivedAt`): that time, not the moment of recording, must lie in the window, and
//     it cannot be in the future (docs/api.md, "A check-in forgotten on the day (extension)");
//   - complete: at or after the start;
//   - no-show: at or after the start.

import { ConflictError } from '#domain/errors.ts';
import { localDate, localDayEnd, localDayStart } from '#domain/time.ts';
import type { Appointment, AppointmentStatus, Clinic, Policy } from '#domain/types.ts';

export type AppointmentAction = 'reschedule' | 'cancel' | 'check_in' | 'no_show' | 'complete';

/** What of the clinic check-in needs: its zone (for the local day) and the check-in lead. */
export type StatusClinic = Pick<Clinic, 'timezone'> & { policy: Pick<Policy, 'checkInLeadMinutes'> };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Whether `now` lies in the appointment's check-in window: from checkInLeadMinutes before the
 * start (inclusive) to the end of the start's clinic-local day (exclusive), and on that local day
 * (a lead reaching back over midnight does not open check-in the evening before).
 */
export function isCheckInOpen(startsAt: number, now: number, clinic: StatusClinic): boolean {
  const zone = clinic.timezone;
  const day = localDate(startsAt, zone);
  const opens = Math.max(startsAt - clinic.policy.checkInLeadMinutes * MINUTE, localDayStart(day, zone));
  return now >= opens && now < localDayEnd(day, zone);
}

/**
 * The status after `action`; throws ConflictError when the appointment's state, or the time,
 * does not allow it. Check-in needs the clinic (its zone and policy).
 */
export function nextStatus(
  appt: Pick<Appointment, 'status' | 'mode' | 'startsAt'>,
  action: Exclude<AppointmentAction, 'check_in'>,
  now: number,
  clinic?: StatusClinic,
): AppointmentStatus;
export function nextStatus(
  appt: Pick<Appointment, 'status' | 'mode' | 'startsAt'>,
  action: AppointmentAction,
  now: number,
  clinic: StatusClinic,
  arrivedAt?: number,
): AppointmentStatus;
export function nextStatus(
  appt: Pick<Appointment, 'status' | 'mode' | 'startsAt'>,
  action: AppointmentAction,
  now: number,
  clinic?: StatusClinic,
  arrivedAt?: number,
): AppointmentStatus {
  const { status } = appt;
  switch (action) {
    case 'reschedule':
      if (status === 'booked') return 'booked';
      throw new ConflictError(`Only a booked appointment can be rescheduled (it is ${status})`);
    case 'cancel':
      if (status === 'booked') return 'cancelled';
      throw new ConflictError(`Only a booked appointment can be cancelled (it is ${status})`);
    case 'check_in': {
      if (status !== 'booked') throw new ConflictError(`Only a booked appointment can be checked in (it is ${status})`);
      // the overloads make a missing clinic unreachable from typed code
      if (!clinic) throw new TypeError('nextStatus needs the clinic to check in');
      // a check-in recorded afterwards is judged at the arrival, which cannot be later than now
      const at = arrivedAt ?? now;
      if (at > now) throw new ConflictError('The arrival time cannot be later than now');
      if (!isCheckInOpen(appt.startsAt, at, clinic)) {
        throw new ConflictError(
          arrivedAt === undefined
            ? `An appointment can only be checked in on its clinic-local day, from ${clinic.policy.checkInLeadMinutes} minutes before its start`
            : `The arrival time must be on the appointment's clinic-local day, from ${clinic.policy.checkInLeadMinutes} minutes before its start`,
        );
      }
      return 'checked_in';
    }
    case 'no_show':
      if (status !== 'booked') throw new ConflictError(`Only a booked appointment can be marked a no-show (it is ${status})`);
      if (now < appt.startsAt) throw new ConflictError('A no-show can only be recorded once the appointment has started');
      return 'no_show';
    case 'complete':
      if (status !== 'checked_in' && !(status === 'booked' && appt.mode === 'telehealth')) {
        throw new ConflictError(
          status === 'booked'
            ? 'An in-person appointment must be checked in before it is completed'
            : `Only a checked-in appointment can be completed (it is ${status})`,
        );
      }
      if (now < appt.startsAt) throw new ConflictError('An appointment can only be completed once it has started');
      return 'completed';
  }
}

/**
 * Cancelling at least cancellationWindowHours ahead is on time; later is a late cancellation
 * (docs/domain.md). Exactly at the window edge is still on time.
 */
export function isLateCancellation(startsAt: number, now: number, policy: Policy): boolean {
  return now > startsAt - policy.cancellationWindowHours * HOUR;
}
