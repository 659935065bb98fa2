// The appointment life cycle (api-contract.md, Appointments):
//   booked → checked_in → completed;  booked → cancelled | no_show.
// Only booked appointments move or cancel. Video sessions have no check-in, so a booked
// telehealth appointment completes directly.

import { ConflictError } from '#domain/errors.ts';
import type { Appointment, AppointmentStatus, Policy } from '#domain/types.ts';

export type AppointmentAction = 'reschedule' | 'cancel' | 'check_in' | 'no_show' | 'complete';

const HOUR = 3_600_000;

/** The status after `action`; throws ConflictError when the appointment's state does not allow it. */
export function nextStatus(
  appt: Pick<Appointment, 'status' | 'mode' | 'startsAt'>,
  action: AppointmentAction,
  now: number,
): AppointmentStatus {
  const { status } = appt;
  switch (action) {
    case 'reschedule':
      if (status === 'booked') return 'booked';
      throw new ConflictError(`Only a booked appointment can be rescheduled (it is ${status})`);
    case 'cancel':
      if (status === 'booked') return 'cancelled';
      throw new ConflictError(`Only a booked appointment can be cancelled (it is ${status})`);
    case 'check_in':
      if (status === 'booked') return 'checked_in';
      throw new ConflictError(`Only a booked appointment can be checked in (it is ${status})`);
    case 'no_show':
      if (status !== 'booked') throw new ConflictError(`Only a booked appointment can be marked a no-show (it is ${status})`);
      if (now < appt.startsAt) throw new ConflictError('A no-show can only be recorded once the appointment has started');
      return 'no_show';
    case 'complete':
      if (status === 'checked_in') return 'completed';
      if (status === 'booked' && appt.mode === 'telehealth') return 'completed';
      throw new ConflictError(
        status === 'booked'
          ? 'An in-person appointment must be checked in before it is completed'
          : `Only a checked-in appointment can be completed (it is ${status})`,
      );
  }
}

/**
 * Cancelling at least cancellationWindowHours ahead is on time; later is a late cancellation
 * (PRODUCT.md). Exactly at the window edge is still on time.
 */
export function isLateCancellation(startsAt: number, now: number, policy: Policy): boolean {
  return now > startsAt - policy.cancellationWindowHours * HOUR;
}
