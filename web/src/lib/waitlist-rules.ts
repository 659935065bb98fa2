// The waitlist in words and dates, the same for the client's pages and the desk's (docs/domain.md,
// "Waitlist"): which dates the form offers first and how far they may go (the API's own rules,
// shared/domain/waitlist.ts), what is wrong with them before they are sent, what became of an
// entry, which week the booking page opens on to book one of its open times, and whether the
// open time the desk clicked is still there to be chosen. Pure (no React);
// web/test/waitlist-rules.test.ts has its cases.
import { WAITLIST_MAX_DAYS, waitlistLastDay } from '../../../shared/domain/waitlist.ts';
import { addDays, formatDate, formatDayParts, localDateOf, mondayOf } from './format.ts';

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

/** Why the first date stops where it does, for whoever asks. */
const reach = (who: 'client' | 'desk') => (who === 'desk' ? ', a year ahead' : ', the last day that can be booked');

/**
 * How far the form's dates may go for whoever asks, as the API takes them (waitlistDateIssues):
 * the first date up to the last day that can be booked (a client: today, clinic-local, plus the
 * clinic's booking window; staff: a year ahead), the last date from the first (and not before
 * today) to 31 dates in all. For the inputs' min and max, and said in their hints.
 */
export function waitlistDateBounds(
  from: string,
  today: string,
  bookingWindowDays: number,
  who: 'client' | 'desk',
): { fromMax: string; toMin: string; toMax: string | undefined; fromHint: string; toHint: string } {
  const fromMax = waitlistLastDay(today, bookingWindowDays, who === 'desk');
  return {
    fromMax,
    toMin: from && from > today ? from : today,
    toMax: from ? addDays(from, WAITLIST_MAX_DAYS - 1) : undefined,
    fromHint: `Up to ${formatDate(fromMax)}${reach(who)}.`,
    toHint: `At most ${WAITLIST_MAX_DAYS} days in all.`,
  };
}

/**
 * What is wrong with the dates before they are sent, by field, as the API would refuse them
 * (waitlistDateIssues) but each field for itself: the first date past `fromMax` (the bounds'),
 * the last date before the first, more than 31 dates, or already past.
 */
export function waitlistDateProblems(
  dates: { from: string; to: string },
  today: string,
  fromMax: string,
  who: 'client' | 'desk',
): { from?: string; to?: string } {
  const { from, to } = dates;
  const late = from && from > fromMax ? `Choose a first date no later than ${formatDate(fromMax)}${reach(who)}.` : undefined;
  const range = waitlistRangeProblem(from, to) ?? (to && to < today ? 'The last date must not be in the past.' : undefined);
  return { ...(late ? { from: late } : {}), ...(range ? { to: range } : {}) };
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

/** An open time handed from the desk's waitlist to the booking page: its instant (the clinic's offset) and practitioner. */
export interface HandedTime {
  startsAt: string;
  providerId: string;
}

/**
 * How the booking page opens to book from an entry: its kind, place and practitioner (or anyone),
 * on the week of `time` (an open time clicked, which the page then chooses), else of its first
 * open time, else of its first date. Dates are the clinic's own (the API gives times in its offset).
 */
export function waitlistOpening(
  entry: EntryLike,
  time?: HandedTime,
): { service: string; mode: EntryLike['mode']; providerId: string; week: string; time?: HandedTime } {
  const first = time?.startsAt ?? entry.openings?.first[0]?.startsAt;
  return {
    service: entry.service,
    mode: entry.mode,
    providerId: entry.providerId ?? '',
    week: mondayOf(first ? localDateOf(first) : entry.from),
    ...(time ? { time: { startsAt: time.startsAt, providerId: time.providerId } } : {}),
  };
}

/** The sentence when the time clicked is no longer offered on arrival. */
export const TIME_TAKEN = 'That time has just been taken; choose another.';

/**
 * What becomes of the time handed over once the booking page has read open times (`read`: those
 * offered, the client's own sessions left out, on the clinic-local dates `from` to `to`):
 * - `{ slot }`: still offered: the slot to choose, as its button would (the same instant; its
 *   practitioner's when free then, else the first one at that instant, the one the button takes);
 * - `'taken'`: the times read cover its date and it is not among them (booked meanwhile);
 * - `'unread'`: they do not cover its date (the week opened is another: its own could not be shown): nothing to say.
 */
export function handedOverChoice<S extends { startsAt: string; providerId: string }>(
  time: HandedTime,
  read: { from: string; to: string; slots: readonly S[] },
): { slot: S } | 'taken' | 'unread' {
  const day = localDateOf(time.startsAt);
  if (day < read.from || day > read.to) return 'unread';
  const at = Date.parse(time.startsAt);
  const same = read.slots.filter((s) => Date.parse(s.startsAt) === at);
  const slot = same.find((s) => s.providerId === time.providerId) ?? same[0];
  return slot ? { slot } : 'taken';
}

/** The week a link asked the booking page to open on, while it can be shown (this week up to the last bookable day); else none. */
export function weekToOpen(week: string | undefined, thisWeek: string, lastDay: string): string | undefined {
  if (week === undefined) return undefined;
  const monday = mondayOf(week);
  return monday >= thisWeek && monday <= lastDay ? monday : undefined;
}
