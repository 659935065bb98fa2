// The waitlist in words and dates, the same for the client's pages and the desk's (docs/domain.md,
// "Waitlist"): which dates the form offers first, what is wrong with a range before it is sent,
// what became of an entry, and which week the booking page opens on to book one of its open
// times. Pure (no React); web/test/waitlist-rules.test.ts has its cases.
import { addDays, formatDate, formatDayParts, localDateOf, mondayOf } from './format.ts';

/** The most dates one entry may cover (the API's limit: one availability read answers it). */
export const WAITLIST_MAX_DAYS = 31;

export type WaitlistStatus = 'waiting' | 'booked' | 'expired';

export interface EntryLike {
  service: string;
  mode: 'in_person' | 'telehealth';
  providerId: string | null;
  from: string;
  to: string;
  status: WaitlistStatus;
  openings: { count: number; first: readonly { startsAt: string; providerId: string }[] } | null;
}

/**
 * The dates the form offers first: the week on screen and the one after it (two weeks, the
 * booking page's "shown week … +13 days"), never starting before today.
 */
export function defaultWaitlistDates(shownWeek: string, today: string): { from: string; to: string } {
  const from = shownWeek < today ? today : shownWeek;
  const to = addDays(shownWeek, 13);
  return { from, to: to < from ? from : to };
}

/** What is wrong with the dates before they are sent (the API says the rest), for the last date's field. */
export function waitlistRangeProblem(from: string, to: string): string | undefined {
  if (!from || !to) return undefined;
  if (to < from) return 'The last date must not be before the first.';
  if (addDays(from, WAITLIST_MAX_DAYS - 1) < to) return `Choose at most ${WAITLIST_MAX_DAYS} days.`;
  return undefined;
}

/** "Dec 7 – Dec 20, 2026", or one date when the entry asks for one day. */
export function waitlistDates(from: string, to: string): string {
  if (from === to) return formatDate(from);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${sameYear ? formatDayParts(from).day : formatDate(from)} – ${formatDate(to)}`;
}

/** "between Dec 7 and Dec 20, 2026", or "on Dec 7, 2026": the dates in a sentence. */
export function waitlistBetween(from: string, to: string): string {
  if (from === to) return `on ${formatDate(from)}`;
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `between ${sameYear ? formatDayParts(from).day : formatDate(from)} and ${formatDate(to)}`;
}

/**
 * The API's word on a date field in the form's words: its dates (YYYY-MM-DD, "no later than
 * 2027-03-01, the last day that can be booked") as people read them.
 */
export function waitlistFieldWords(message: string): string {
  return message.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (date) => formatDate(date));
}

/** Whom the entry waits for: its practitioner's name, or anyone. */
export const waitlistPractitioner = (name: string | undefined): string => name ?? 'any practitioner';

export const waitlistMode = (mode: EntryLike['mode']): string => (mode === 'telehealth' ? 'by video' : 'in person');

/** What became of an entry, as a badge: waiting, booked (a session of its kind in its dates), ended (its last date passed). */
export function waitlistState(status: WaitlistStatus): { label: string; tone: 'neutral' | 'good' | 'warn' } {
  if (status === 'booked') return { label: 'Booked', tone: 'good' };
  if (status === 'expired') return { label: 'Ended', tone: 'neutral' };
  return { label: 'Waiting', tone: 'warn' };
}

/** The sentence about the open times of an entry still waiting (none for the others), to the client or the desk. */
export function openTimesWords(entry: Pick<EntryLike, 'status' | 'openings'>, who: 'client' | 'desk'): string | undefined {
  if (entry.status !== 'waiting' || !entry.openings) return undefined;
  const { count } = entry.openings;
  if (count === 0) return who === 'client' ? 'No time is open yet. The front desk will call you if one opens.' : 'No time is open now.';
  return count === 1 ? '1 time is open now.' : `${count} times are open now.`;
}

/** The desk's column: "3 open now", "None open now". */
export const openNowWords = (count: number): string => (count === 0 ? 'None open now' : `${count} open now`);

/**
 * How the booking page opens to book from an entry: its kind, place and practitioner (or anyone),
 * on the week of `startsAt` (an open time chosen), else of its first open time, else of its first
 * date. Dates are the clinic's own (the API gives times in its offset).
 */
export function waitlistOpening(
  entry: EntryLike,
  startsAt?: string,
): { service: string; mode: EntryLike['mode']; providerId: string; week: string } {
  const first = startsAt ?? entry.openings?.first[0]?.startsAt;
  return {
    service: entry.service,
    mode: entry.mode,
    providerId: entry.providerId ?? '',
    week: mondayOf(first ? localDateOf(first) : entry.from),
  };
}

/** The week a link asked the booking page to open on, while it can be shown (this week up to the last bookable day); else none. */
export function weekToOpen(week: string | undefined, thisWeek: string, lastDay: string): string | undefined {
  if (week === undefined) return undefined;
  const monday = mondayOf(week);
  return monday >= thisWeek && monday <= lastDay ? monday : undefined;
}
