// What the front desk reads when the API refuses something for a client: the same rules as the
// client's own pages (api/errors.ts), said about the client in the third person and with what a
// staff member can do about it. Anything not listed here falls back to describeError.
import { ApiError } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { Alert } from '../../components/ui.tsx';
import { serviceName, type Appointment, type ClinicSetup } from '../../lib/clinic-data.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ClientBusyError } from './clients-data.ts';

const STAFF_RULES: Record<string, string> = {
  intake_required: 'This client has no intake yet: book their intake first, before this session.',
  clearance_required:
    'This client’s medical clearance is needed before a dosing session: a clinician records it on the chart (after a medical evaluation with a prescriber).',
  preparation_required: 'This client needs their preparation sessions before the first dosing session: book those first.',
  ride_home_required:
    'This client has no ride-home contact on file: add one on the chart before booking a dosing session (they may not drive for at least 8 hours afterwards).',
  exploration_spacing: 'This client has another dosing session too close to this time: dosing sessions need more time between them.',
  telehealth_not_allowed: 'This kind of session cannot be held by video: choose an in-person time.',
  minimum_notice: 'This time is inside the clinic’s minimum notice for bookings. Choose a later time.',
  booking_window: 'This time is beyond how far ahead the clinic takes bookings. Choose an earlier time.',
  outside_hours: 'The practitioner is not working at that time: outside their hours, or in their time off. Choose another time.',
  no_credit: 'This client’s program has no credit left for this kind of session: book it paid instead.',
  payment_past_due: 'A payment on this client’s program is past due: it has to be settled before a dosing session is booked.',
  provider_not_eligible: 'This practitioner does not offer this kind of session. Choose another practitioner.',
  sms_consent_required: 'This client has not agreed to text messages: record their consent on the chart first.',
};

const STAFF_CODES: Record<string, string> = {
  slot_unavailable: 'Someone has just taken this time. The open times have been loaded again: please choose another one.',
};

/** The 409 of a time the client is already booked at: which session it is, and what the page did. */
export const clientBusyWords = (setup: ClinicSetup, clash: Appointment) =>
  `This client already has a session at that time: ${serviceName(setup, clash.service)} on ${formatDateTime(clash.startsAt, setup.clinic.timezone)}. The times they are booked are no longer offered: please choose another one.`;

/** The client's own session at the time of a session booked again (book-repeat.tsx): which one. */
export const clientHasSessionWords = (setup: ClinicSetup, clash: Appointment) =>
  `This client already has a session at that time: ${serviceName(setup, clash.service)} on ${formatDateTime(clash.startsAt, setup.clinic.timezone)}.`;

/**
 * Why one of the sessions booked again was not booked: the staff wording, except a time taken,
 * which the page does not offer again (there is no week view to reload, only this one time).
 */
export function describeRepeatRefusal(err: unknown): string {
  if (err instanceof ApiError && !(err instanceof ClientBusyError) && err.code === 'slot_unavailable')
    return 'This time is already taken: the practitioner (or the room) has another session then.';
  return describeErrorForStaff(err);
}

/** One sentence for a staff member, about the client: the staff wording of a rule, else the client's. */
export function describeErrorForStaff(err: unknown): string {
  if (err instanceof ClientBusyError) return err.message;
  if (err instanceof ApiError) {
    if (err.code === 'rule_violated' && err.rule && STAFF_RULES[err.rule]) return STAFF_RULES[err.rule] ?? '';
    const known = STAFF_CODES[err.code];
    if (known) return known;
  }
  return describeError(err);
}

/** ErrorAlert with the staff wording. */
export function StaffErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <Alert kind="error" title={title}>
      {describeErrorForStaff(error)}
    </Alert>
  );
}
