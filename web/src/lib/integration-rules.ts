// Integration sessions the client still has to book: an integration session belongs to the dosing
// session before it and should fall within the clinic's `integrationWithinDays` after it (PRODUCT
// rule, the policy's setting). A suggestion, never a refusal: the API books an integration session
// at any time. Worked out from the client's appointments, so the client's pages and the staff
// chart say the same. Pure (no React); web/test/integration-rules.test.ts has its cases.
import type { Appointment } from './clinic-data.ts';
import { takesTime } from './course-rules.ts';
import { addDays, localDateOf } from './format.ts';

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
