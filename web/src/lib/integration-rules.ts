// Integration sessions the client still has to book: an integration session belongs to the dosing
// session before it and should fall within the clinic's `integrationWithinDays` after it (PRODUCT
// rule, the policy's setting). A suggestion, never a refusal: the API books an integration session
// at any time. Worked out from the client's appointments, so the client's pages and the staff
// chart say the same. Pure (no React); web/test/integration-rules.test.ts has its cases.
import type { Appointment } from './clinic-data.ts';
import { takesTime } from './course-rules.ts';
import { addDays, localDateOf, mondayOf } from './format.ts';

type Timed = Pick<Appointment, 'id' | 'service' | 'status' | 'startsAt'>;

export interface IntegrationDue<T extends Timed> {
  /** The dosing session without its integration session. */
  exploration: T;
  /** The clinic-local date from which to book one: the dosing session's day. */
  from: string;
  /** The last clinic-local date the policy's window allows: its day plus `withinDays`. */
  by: string;
}

/**
 * The dosing sessions (booked, checked in or done) that have no integration session within
 * `withinDays` after them, oldest first, and whose window has not ended by `today` (a
 * clinic-local date): there is still time to book one. Each integration session (not cancelled or
 * missed) counts for the latest dosing session that starts before it, so one session after two
 * close dosing sessions covers only the second.
 */
export function integrationsToBook<T extends Timed>(appointments: readonly T[], withinDays: number, today: string): IntegrationDue<T>[] {
  const held = appointments.filter(takesTime).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const explorations = held.filter((a) => a.service === 'exploration');
  const covered = new Set<string>();
  for (const integration of held.filter((a) => a.service === 'integration')) {
    const start = Date.parse(integration.startsAt);
    const owner = explorations.filter((e) => Date.parse(e.startsAt) < start).at(-1);
    if (owner && localDateOf(integration.startsAt) <= addDays(localDateOf(owner.startsAt), withinDays)) covered.add(owner.id);
  }
  return explorations
    .filter((e) => !covered.has(e.id))
    .map((e) => ({ exploration: e, from: localDateOf(e.startsAt), by: addDays(localDateOf(e.startsAt), withinDays) }))
    .filter((due) => due.by >= today);
}

/** The clinic-local days an integration session after one dosing session should fall on. */
export interface IntegrationWindow {
  /** The dosing session's own clinic-local date. */
  after: string;
  /** The day after it: the window's first day. */
  first: string;
  /** Its day plus `withinDays`: the window's last day. */
  last: string;
}

/**
 * The window after a dosing session, in clinic-local dates: counted on the date the API gave in
 * the clinic's own offset, never by adding hours to the instant (a week that crosses a change of
 * clock has a day of 23 or 25 hours, and a late session would land a day off).
 */
export function windowAfter(dosing: Pick<Timed, 'startsAt'>, withinDays: number): IntegrationWindow {
  const after = localDateOf(dosing.startsAt);
  return { after, first: addDays(after, 1), last: addDays(after, withinDays) };
}

/**
 * The window of the dosing session a "Book integration session" link named (its id, kept in the
 * tab): only while it is still one of the client's dosing sessions that wants its integration
 * session and whose window has not ended (integrationsToBook); undefined otherwise (cancelled,
 * another client's, covered meanwhile, over), and the booking page opens as it does without one.
 */
export function linkedWindow(
  appointments: readonly Timed[],
  dosingId: string | undefined,
  withinDays: number,
  today: string,
): IntegrationWindow | undefined {
  if (dosingId === undefined) return undefined;
  const due = integrationsToBook(appointments, withinDays, today).find((d) => d.exploration.id === dosingId);
  return due && windowAfter(due.exploration, withinDays);
}

/**
 * The Monday of the week the view of open times opens on for a window: the week of its first day,
 * or of today when the window has begun; undefined when no day of it can be booked any more (over,
 * or after `lastDay`, the last day the booking window offers).
 */
export function windowWeek(window: IntegrationWindow, today: string, lastDay: string): string | undefined {
  const start = window.first > today ? window.first : today;
  return start > window.last || start > lastDay ? undefined : mondayOf(start);
}
