// A practitioner's time off (docs/domain.md, "Time off"): a span in which they take no session —
// a holiday, a conference, an afternoon away. It narrows their weekly hours for everyone, staff
// included, as the hours themselves do; sessions already booked in it stay until the desk moves
// or cancels them. An entry without a practitioner closes the clinic: it binds every practitioner,
// those added after it included.
import type { FieldIssue } from './errors.ts';
import type { BusyBlock } from './availability.ts';

export interface TimeOff {
  id: string;
  clinicId: string;
  /** null: the clinic is closed (a holiday): every practitioner, present and future. */
  providerId: string | null;
  startsAt: number; // epoch ms, on the booking grid
  endsAt: number; // epoch ms, exclusive, on the booking grid
  label?: string | undefined; // staff's own words ("Conference"); never shown to clients
  createdBy: string;
  createdAt: number;
}

/** The longest one entry may be: a longer absence is entered in parts (the check for sessions already in it reads that span). */
export const TIME_OFF_MAX_DAYS = 93;
const DAY = 86_400_000;

/** What is wrong with a span of time off whenever it is asked for: its order and its length (the request schema's check). */
export function timeOffSpanIssues(span: { startsAt: number; endsAt: number }): FieldIssue[] {
  if (span.endsAt <= span.startsAt) return [{ path: 'endsAt', message: 'Must be after startsAt' }];
  if (span.endsAt - span.startsAt > TIME_OFF_MAX_DAYS * DAY) {
    return [{ path: 'endsAt', message: `At most ${TIME_OFF_MAX_DAYS} days after startsAt: enter a longer absence in parts` }];
  }
  return [];
}

/** What is wrong with a span of time off asked for at `now`, by field (startsAt, endsAt on the grid: the schema's). */
export function timeOffIssues(span: { startsAt: number; endsAt: number }, now: number): FieldIssue[] {
  const spanIssues = timeOffSpanIssues(span);
  if (spanIssues.length > 0) return spanIssues;
  if (span.endsAt <= now) return [{ path: 'endsAt', message: 'Must be in the future: time off already over changes nothing' }];
  return [];
}

/** Whether the span overlaps [from, to): time off and sessions both end exclusive. */
export const overlapsSpan = (span: { startsAt: number; endsAt: number }, from: number, to: number): boolean =>
  span.startsAt < to && from < span.endsAt;

/** Whether the entry binds the provider: their own, or the clinic's closure. */
export const bindsProvider = (t: Pick<TimeOff, 'providerId'>, providerId: string): boolean =>
  t.providerId === null || t.providerId === providerId;

/** Whether [startsAt, endsAt) overlaps one of the provider's spans of time off or of the clinic's closures. */
export function inTimeOff(timeOff: readonly TimeOff[], providerId: string, startsAt: number, endsAt: number): boolean {
  return timeOff.some((t) => bindsProvider(t, providerId) && overlapsSpan(t, startsAt, endsAt));
}

/** Time off as availability's busy blocks: the provider's starts in it are not offered; a closure blocks each of `providerIds`. */
export function timeOffBusy(timeOff: readonly TimeOff[], providerIds: readonly string[]): BusyBlock[] {
  return timeOff.flatMap((t) =>
    (t.providerId === null ? providerIds : [t.providerId]).map((providerId) => ({
      providerId,
      roomId: null,
      start: t.startsAt,
      end: t.endsAt,
    })),
  );
}

/** Overlapping a span of time off: what must be moved or cancelled (still to be held: booked or checked in). */
export function heldDuring<A extends { providerId: string; startsAt: number; endsAt: number; status: string }>(
  appointments: readonly A[],
  span: Pick<TimeOff, 'providerId' | 'startsAt' | 'endsAt'>,
): A[] {
  return appointments
    .filter((a) => (a.status === 'booked' || a.status === 'checked_in') && bindsProvider(span, a.providerId))
    .filter((a) => overlapsSpan(a, span.startsAt, span.endsAt))
    .sort((a, b) => a.startsAt - b.startsAt);
}
