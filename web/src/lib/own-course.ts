// The signed-in client's own appointments, and a refusal of a booking or a move said from them
// (lib/course-rules.ts): the client's own session at that time rather than "someone has just taken
// this time", and which preparation sessions or intake a dosing session still lacks, and when.
import { ApiError, ok, type Api } from '../api/client.ts';
import { ExplainedError } from '../api/errors.ts';
import { clientRecord } from './client-data.ts';
import type { Appointment, ClinicSetup, Slot } from './clinic-data.ts';
import { courseRefusalWords, ownClash, ownClashWords } from './course-rules.ts';

export const ownAppointments = (api: Api, clientId: string): Promise<Appointment[]> =>
  ok(api.GET('/v1/clients/{clientId}/appointments', { params: { path: { clientId } } }));

/** The refusals the client's own course explains. */
const COURSE_RULES = new Set(['intake_required', 'preparation_required']);

/**
 * `err`, a refusal of `slot`, in the client's own terms when their appointments (read again now:
 * they may have booked in another tab) explain it; else as it is. `appointments`: what was read,
 * for the page to offer the times they leave free.
 */
export async function explainRefusal(
  api: Api,
  clientId: string,
  setup: ClinicSetup,
  err: unknown,
  slot: Slot,
  excludingId?: string,
): Promise<{ error: unknown; appointments?: Appointment[] }> {
  if (!(err instanceof ApiError)) return { error: err };
  const taken = err.code === 'slot_unavailable';
  const course = err.code === 'rule_violated' && !!err.rule && COURSE_RULES.has(err.rule);
  if (!taken && !course) return { error: err };
  const read = await Promise.all([clientRecord(api, clientId), ownAppointments(api, clientId)]).catch(() => undefined);
  if (!read) return { error: err };
  const [client, appointments] = read;
  const clash = taken ? ownClash(appointments, slot, excludingId) : undefined;
  const words = clash
    ? ownClashWords(setup, clash)
    : course
      ? courseRefusalWords(err.rule ?? '', setup, client, appointments, slot.startsAt, excludingId)
      : undefined;
  return { error: words ? new ExplainedError(err, words) : err, appointments };
}
