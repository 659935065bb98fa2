// "Book again at this time" on the staff booking page (book-repeat.tsx): the dates of the sessions
// that follow a first booking, what each one sends, and the state of each while they are sent.
// Pure (no React): web/test/repeat-rules.test.ts has its cases.
//
// Each later session is the same wall-clock time in the clinic's zone on a date 7 or 14 days on:
// a week across a daylight-saving change is 167 or 169 hours, so an instant plus 7×24 h would
// move 10:00 to 9:00 or 11:00. The date moves by days, then the clinic's clock reading is turned
// into an instant (the API's own reading, format.ts's wallClockIso).
//
// Sessions are sent one at a time in date order (each may depend on the one before: the spacing
// between dosing sessions), each with its own Idempotency-Key made once with the row, so trying a
// row again after an answer that never arrived finds the booking the first attempt made, never a
// second one. A refusal is that row's alone; a 429, a 503 or no answer at all says the system is
// busy, so the rest wait until the desk tries them again.
import { ApiError } from '../../api/client.ts';
import { localDate, localReading } from '../../../../shared/domain/time.ts';
import { addDays, wallClockIso } from '../../lib/format.ts';

/** Every week or every 2 weeks. */
export type EveryWeeks = 1 | 2;

/** How many more sessions may be booked at once, beyond the first (a course is 4 to 6 explorations). */
export const MORE_MIN = 1;
export const MORE_MAX = 7;

export const REPEAT_DEFAULTS = { everyWeeks: 1 as EveryWeeks, more: 3 };

/** "1" … "7" as chosen: the count, or undefined for anything else (0, 8, 2.5, text). */
export function moreSessions(value: string | number): number | undefined {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= MORE_MIN && n <= MORE_MAX ? n : undefined;
}

/** "1" or "2" as chosen: every week or every 2 weeks, else undefined. */
export function everyWeeks(value: string | number): EveryWeeks | undefined {
  const n = Number(value);
  return n === 1 || n === 2 ? n : undefined;
}

export interface RepeatDate {
  /** The clinic-local date (YYYY-MM-DD). */
  date: string;
  /** The instant (UTC ISO) the clinic's clock reads the first session's time that day; null where that time does not exist (the spring-forward hour). */
  startsAt: string | null;
}

/**
 * The `more` sessions after the one at `firstStartsAt`, every `every` weeks, at the same time of
 * day on the clinic's clock. Throws on a count or an interval out of bounds (the page offers none).
 */
export function repeatDates(firstStartsAt: string, every: EveryWeeks, more: number, timeZone: string): RepeatDate[] {
  if (moreSessions(more) === undefined) throw new RangeError(`more must be ${MORE_MIN} to ${MORE_MAX}: ${more}`);
  if (everyWeeks(every) === undefined) throw new RangeError(`every must be 1 or 2 weeks: ${every}`);
  const ms = Date.parse(firstStartsAt);
  const first = localDate(ms, timeZone);
  const { hour, minute } = localReading(ms, timeZone);
  const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return Array.from({ length: more }, (_, i) => {
    const date = addDays(first, 7 * every * (i + 1));
    return { date, startsAt: wallClockIso(date, time, timeZone) };
  });
}

/** What the first booking was, as the API answered it: the later ones are the same. */
export interface FirstBooking<Service extends string = string> {
  startsAt: string;
  providerId: string;
  service: Service;
  mode: 'in_person' | 'telehealth';
  packageId: string | null;
}

/**
 * The body of one later booking: the same kind, place and practitioner as the first (the one it
 * got, even when anyone was asked for) and the same program's credit when the first used one.
 */
export function repeatBody<Service extends string>(
  first: FirstBooking<Service>,
  who: { clientId: string; clinicId: string },
  startsAt: string,
) {
  return {
    clientId: who.clientId,
    clinicId: who.clinicId,
    service: first.service,
    providerId: first.providerId,
    startsAt,
    mode: first.mode,
    ...(first.packageId ? { packageId: first.packageId } : {}),
  };
}

/** Where one session of the repeat stands. */
export type RowState =
  /** Not sent yet (or to be sent again). */
  | { kind: 'waiting' }
  | { kind: 'sending' }
  | { kind: 'booked'; appointmentId: string }
  /** The API said no to this one (a rule, the time taken…): the others go on. */
  | { kind: 'refused'; error: unknown }
  /** Something went wrong with this one on the system's side: it may be tried again. */
  | { kind: 'failed'; error: unknown }
  /** Not sent: the system asked to wait (the row it said so on carries the error). */
  | { kind: 'held'; error?: unknown }
  /** Nothing to send: that time does not exist on that date. */
  | { kind: 'skipped' };

export interface RepeatRow extends RepeatDate {
  /** The Idempotency-Key of this session: made once, sent with every attempt. */
  key: string;
  state: RowState;
}

/** The rows to send, in date order, each with a key of its own. */
export function newRows(dates: readonly RepeatDate[], newKey: () => string): RepeatRow[] {
  return [...dates]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((d) => ({ ...d, key: newKey(), state: d.startsAt ? { kind: 'waiting' } : { kind: 'skipped' } }));
}

/** How an error answer counts: the row's own refusal, the row failed, or stop (the system is busy). */
export function verdictOf(error: unknown): 'refused' | 'failed' | 'stop' {
  if (!(error instanceof ApiError)) return 'failed';
  // no answer (0), rate limited, the database unavailable: the next one would meet the same
  if (error.status === 0 || error.status === 429 || error.status === 503) return 'stop';
  // the same key still at work on an earlier attempt: not a refusal, the row is tried again later
  if (error.code === 'conflict' && error.retryAfterSeconds) return 'failed';
  return error.status >= 400 && error.status < 500 ? 'refused' : 'failed';
}

/** The first row still to send, in date order (-1: none). */
export const nextToSend = (rows: readonly RepeatRow[]): number => rows.findIndex((r) => r.state.kind === 'waiting');

const at = (rows: readonly RepeatRow[], index: number, state: RowState): RepeatRow[] =>
  rows.map((r, i) => (i === index ? { ...r, state } : r));

/** The answer to row `index`: booked, refused, failed; or stop, which holds every row still waiting too. */
export function withAnswer(rows: readonly RepeatRow[], index: number, answer: { appointmentId: string } | { error: unknown }): RepeatRow[] {
  if ('appointmentId' in answer) return at(rows, index, { kind: 'booked', appointmentId: answer.appointmentId });
  const verdict = verdictOf(answer.error);
  if (verdict !== 'stop') return at(rows, index, { kind: verdict, error: answer.error });
  return rows.map((r, i) =>
    i === index
      ? { ...r, state: { kind: 'held', error: answer.error } }
      : r.state.kind === 'waiting'
        ? { ...r, state: { kind: 'held' } }
        : r,
  );
}

/** Whether the desk may try the row again: not booked, not on its way, and a time to send. */
export const canRetry = (row: RepeatRow): boolean => ['refused', 'failed', 'held'].includes(row.state.kind);

/** "Try again" on one row: it waits to be sent again, with the same key. */
export const retryRow = (rows: readonly RepeatRow[], index: number): RepeatRow[] => {
  const row = rows[index];
  return row && canRetry(row) ? at(rows, index, { kind: 'waiting' }) : [...rows];
};

/** "Try the rest again": every row held back waits to be sent again, with its own key. */
export const retryHeld = (rows: readonly RepeatRow[]): RepeatRow[] =>
  rows.map((r) => (r.state.kind === 'held' ? { ...r, state: { kind: 'waiting' } } : r));

/** How many rows stand each way. */
export function tally(rows: readonly RepeatRow[]): Record<RowState['kind'], number> {
  const out = { waiting: 0, sending: 0, booked: 0, refused: 0, failed: 0, held: 0, skipped: 0 };
  for (const r of rows) out[r.state.kind] += 1;
  return out;
}

/**
 * Sends the waiting rows one at a time in date order with `send` (given the row, with its key),
 * telling `onRows` of each change, until none waits or the system says to wait. Returns the rows
 * as they end.
 */
export async function sendInOrder(
  start: readonly RepeatRow[],
  send: (row: RepeatRow) => Promise<{ id: string }>,
  onRows: (rows: RepeatRow[]) => void,
): Promise<RepeatRow[]> {
  let rows = [...start];
  for (let i = nextToSend(rows); i >= 0; i = nextToSend(rows)) {
    rows = at(rows, i, { kind: 'sending' });
    onRows(rows);
    const row = rows[i]!;
    const answer = await send(row).then(
      (booked) => ({ appointmentId: booked.id }),
      (error: unknown) => ({ error }),
    );
    rows = withAnswer(rows, i, answer);
    onRows(rows);
  }
  return rows;
}
