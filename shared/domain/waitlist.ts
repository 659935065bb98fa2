// The waitlist (docs/domain.md, "Waitlist"): a client who finds no time that suits them asks for a
// kind of session between two dates (with one practitioner, or any). Nothing is held for them: an
// entry is a standing question that the desk (and the client) see answered by the times open now,
// and it answers itself once a session of that kind is booked in its dates or its last date passes.
import { RuleViolation, ValidationError, type FieldIssue } from './errors.ts';
import type { Slot } from './availability.ts';
import { addDays, dateRangeIssues, localDate } from './time.ts';
import { ACTIVE_STATUSES, type Appointment, type Mode, type Provider, type Service, type ServiceCode } from './types.ts';

export interface WaitlistEntry {
  id: string;
  clinicId: string;
  clientId: string;
  service: ServiceCode;
  mode: Mode;
  /** null: any practitioner who offers the service. */
  providerId: string | null;
  /** Clinic-local dates, both included. */
  from: string;
  to: string;
  createdAt: number;
  /** The user who added it: the client itself, or the staff member. */
  createdBy: string;
}

/** The most dates one entry may cover: availability's longest range, so one read answers it. */
export const WAITLIST_MAX_DAYS = 31;
/** How far ahead staff may ask (clients: their booking window, as for booking). */
export const WAITLIST_STAFF_MAX_AHEAD_DAYS = 365;
/** Entries a client may have waiting at once: bounds the desk's list and its reads, not a product rule. */
export const WAITLIST_MAX_OPEN = 5;
/** The earliest open times listed with an entry (the count says how many there are). */
export const WAITLIST_OPENINGS_SHOWN = 3;

export type WaitlistStatus = 'waiting' | 'booked' | 'expired';

/** What is wrong with an entry's dates whenever it is asked: their order and length (the request schema's check), on `to`. */
export function waitlistSpanIssues(from: string, to: string): FieldIssue[] {
  return dateRangeIssues(from, to, { days: WAITLIST_MAX_DAYS, message: `The dates may cover at most ${WAITLIST_MAX_DAYS} days` });
}

/**
 * What is wrong with an entry's dates asked on the clinic-local date `today`: the span's issues, a
 * last date already past, a first date beyond `lastDay` (the caller's furthest bookable date). On
 * the field that is wrong, as a 400.
 */
export function waitlistDateIssues(from: string, to: string, today: string, lastDay: string): FieldIssue[] {
  const span = waitlistSpanIssues(from, to);
  if (span.length > 0) return span;
  if (to < today) return [{ path: 'to', message: 'Must not be in the past' }];
  if (from > lastDay) return [{ path: 'from', message: `Must be no later than ${lastDay}, the last day that can be booked` }];
  return [];
}

/**
 * Whether an entry may ask for this kind of session, mode and practitioner (undefined: any), as
 * booking asks (shared/domain/booking-rules.ts): a video session of a kind held in person only, or
 * with a practitioner who does not see clients by video, is the rule `telehealth_not_allowed`
 * (422); a practitioner who does not hold the kind is wrong on `providerId` (400). Throws the first.
 */
export function checkWaitlistChoice(
  service: Pick<Service, 'providerRole' | 'telehealthAllowed'>,
  mode: Mode,
  provider?: Pick<Provider, 'role' | 'telehealth'>,
): void {
  if (mode === 'telehealth' && !service.telehealthAllowed) {
    throw new RuleViolation('telehealth_not_allowed', 'This kind of session is in person only');
  }
  if (!provider) return;
  if (provider.role !== service.providerRole) {
    throw new ValidationError([{ path: 'providerId', message: 'This practitioner does not hold this kind of session' }]);
  }
  if (mode === 'telehealth' && !provider.telehealth) {
    throw new RuleViolation('telehealth_not_allowed', 'This practitioner does not see clients by video');
  }
}

/** The furthest date an entry may start on: clients within their booking window, staff a year ahead. */
export function waitlistLastDay(today: string, bookingWindowDays: number, asStaff: boolean): string {
  return addDays(today, asStaff ? WAITLIST_STAFF_MAX_AHEAD_DAYS : Math.max(0, Math.floor(bookingWindowDays)));
}

/** Whether the entry's kind of session is booked for its client within its dates (any practitioner: the wish is met). */
export function bookedFor(entry: WaitlistEntry, appointments: readonly Appointment[], timezone: string): boolean {
  return appointments.some(
    (a) =>
      a.clientId === entry.clientId &&
      a.service === entry.service &&
      ACTIVE_STATUSES.includes(a.status) &&
      localDate(a.startsAt, timezone) >= entry.from &&
      localDate(a.startsAt, timezone) <= entry.to,
  );
}

/** Booked first (whatever the date: it says what became of the wish), then expired once its last date has passed. */
export function waitlistStatus(
  entry: WaitlistEntry,
  appointments: readonly Appointment[],
  today: string,
  timezone: string,
): WaitlistStatus {
  if (bookedFor(entry, appointments, timezone)) return 'booked';
  if (entry.to < today) return 'expired';
  return 'waiting';
}

/** Whether the entry still asks for something: the desk's list shows these, and they count towards WAITLIST_MAX_OPEN. */
export const isOpen = (status: WaitlistStatus): boolean => status === 'waiting';

/**
 * The open times that answer an entry, from slots computed for its service and mode over a range
 * that covers its dates: its practitioner's (or anyone's), on its dates, earliest first. Slots of
 * several practitioners at one instant are one time to the client.
 */
export function openingsFor(entry: WaitlistEntry, slots: readonly Slot[], timezone: string): { count: number; first: Slot[] } {
  const seen = new Set<number>();
  const matching: Slot[] = [];
  for (const s of [...slots].sort((a, b) => a.startsAt - b.startsAt || a.providerId.localeCompare(b.providerId))) {
    if (entry.providerId !== null && s.providerId !== entry.providerId) continue;
    const date = localDate(s.startsAt, timezone);
    if (date < entry.from || date > entry.to || seen.has(s.startsAt)) continue;
    seen.add(s.startsAt);
    matching.push(s);
  }
  return { count: matching.length, first: matching.slice(0, WAITLIST_OPENINGS_SHOWN) };
}

/**
 * The fewest spans of dates that cover every entry's dates (each from no earlier than `floor`):
 * overlapping or adjacent entries share one, so that one read of the clinic's sessions serves them.
 */
export function coveringRanges<E extends Pick<WaitlistEntry, 'from' | 'to'>>(
  entries: readonly E[],
  floor: string,
): { from: string; to: string; entries: E[] }[] {
  const spans = entries
    .map((e) => ({ from: e.from < floor ? floor : e.from, to: e.to, entry: e }))
    .filter((s) => s.from <= s.to)
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const out: { from: string; to: string; entries: E[] }[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.from <= addDays(last.to, 1)) {
      if (s.to > last.to) last.to = s.to;
      last.entries.push(s.entry);
    } else out.push({ from: s.from, to: s.to, entries: [s.entry] });
  }
  return out;
}
