// When an appointment's SMS reminders go out (docs/domain.md, "SMS notices and reminders"). Pure: `now` is a
// parameter, no clock, no I/O.
//
// The rules:
//   - Offsets are read on the clinic's WALL CLOCK: "48 hours before" an 11:00 appointment is 11:00
//     local two days earlier even when a daylight-saving change falls in between, and "2 hours
//     before" 11:00 is 09:00 local. The offset is subtracted from the start's local date-time by
//     naive calendar arithmetic (whole days, then the remaining hours), and that wall time is
//     resolved in the zone: inside a spring-forward gap it is the first instant after the gap (the
//     transition); when it occurs twice (fall-back) it is the EARLIER instant.
//   - Quiet hours [start, end) (may cross midnight; start == end means none): a reminder whose
//     local time falls in them goes at the last minute before the quiet period that contains it
//     began, i.e. one minute before the first instant at which the clock read `start` on the evening
//     (or day) that period started. For 21:00-08:00 a 06:00 reminder goes at 20:59 the day before,
//     a 22:30 one at 20:59 the same day. Should that minute itself be quiet (only possible when the
//     allowed window lies inside a daylight-saving gap), the step repeats a bounded number of times
//     and the reminder is dropped rather than sent in quiet hours.
//   - A reminder whose time is at or before `now` is dropped (it passed before booking), as is one
//     whose wall-clock time is at or after the start (a zero or negative offset).
//   - Two offsets landing on the same instant give one reminder, carrying the larger offset.
//   - The result is sorted by send time.

import { addDays, formatInstant, parseTimeOfDay, wallClockBoundary, wallClockToInstant } from '#domain/time.ts';
import type { Clinic, QuietHours } from '#domain/types.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MINUTES_PER_DAY = 24 * 60;
/** Moves out of quiet hours tried before a reminder is given up (two suffice in every real zone). */
const MAX_QUIET_MOVES = 4;

export interface PlannedReminder {
  offsetHours: number;
  sendAt: number; // epoch ms
}

export interface ReminderPlanInput {
  startsAt: number;
  zone: string;
  offsetsHours: number[];
  quietHours: QuietHours;
  now: number;
}

/** A clinic-local reading: the wall-clock date-time encoded as if it were UTC (ms). */
function localReading(ms: number, zone: string): number {
  const iso = formatInstant(ms, zone); // 2026-12-03T09:00:00-05:00, whole seconds
  const sign = iso[19] === '-' ? -1 : 1;
  const offsetMinutes = sign * (Number(iso.slice(20, 22)) * 60 + Number(iso.slice(23, 25)));
  return ms + offsetMinutes * MINUTE;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function hhmm(minuteOfDay: number): string {
  return `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
}

function readingDate(reading: number): string {
  return new Date(Math.floor(reading / DAY) * DAY).toISOString().slice(0, 10);
}

function readingMinuteOfDay(reading: number): number {
  return Math.floor((((reading % DAY) + DAY) % DAY) / MINUTE);
}

/**
 * The instant of a local reading: exact when that wall time exists, the earlier instant when it
 * occurs twice, and the transition (first instant after the gap) when it does not exist.
 */
function instantOfReading(reading: number, zone: string): number {
  const minuteStart = Math.floor(reading / MINUTE) * MINUTE;
  const withinMinute = reading - minuteStart; // seconds and ms carried over from the start
  const date = readingDate(minuteStart);
  const time = hhmm(readingMinuteOfDay(minuteStart));
  const exact = wallClockToInstant(date, time, zone);
  return exact === null ? wallClockBoundary(date, time, zone) : exact + withinMinute;
}

interface QuietWindow {
  start: number; // minute of day
  end: number; // minute of day
}

function quietWindow(quiet: QuietHours): QuietWindow | null {
  const start = parseTimeOfDay(quiet.start);
  const end = parseTimeOfDay(quiet.end);
  return start === end ? null : { start, end };
}

function minuteIsQuiet(minute: number, w: QuietWindow): boolean {
  return w.start < w.end ? minute >= w.start && minute < w.end : minute >= w.start || minute < w.end;
}

/** Whether the clinic-local time of `ms` falls in quiet hours [start, end). */
export function inQuietHours(ms: number, zone: string, quiet: QuietHours): boolean {
  const w = quietWindow(quiet);
  if (w === null) return false;
  return minuteIsQuiet(readingMinuteOfDay(localReading(ms, zone)), w);
}

/**
 * The last minute before the quiet period containing `ms` began: one minute before the first
 * instant the clock read the quiet start on the local day that period started.
 */
function lastMinuteBeforeQuiet(ms: number, zone: string, w: QuietWindow): number {
  const reading = localReading(ms, zone);
  const date = readingDate(reading);
  const minute = readingMinuteOfDay(reading);
  // A period crossing midnight that contains an early-morning time began the evening before.
  const startedOn = w.start > w.end && minute < w.end ? addDays(date, -1) : date;
  return wallClockBoundary(startedOn, hhmm(w.start), zone) - MINUTE;
}

/** The reminders of one appointment, sorted by send time. Never throws for valid input. */
export function planReminders(input: ReminderPlanInput): PlannedReminder[] {
  const { startsAt, zone, offsetsHours, quietHours, now } = input;
  const w = quietWindow(quietHours);
  const startReading = localReading(startsAt, zone);
  const bySendAt = new Map<number, number>(); // sendAt → largest offset

  for (const offsetHours of offsetsHours) {
    if (!Number.isFinite(offsetHours)) continue;
    const offsetMinutes = Math.round(offsetHours * 60);
    // Naive wall-clock arithmetic: whole days, then the remaining hours and minutes.
    const days = Math.floor(offsetMinutes / MINUTES_PER_DAY);
    const rest = offsetMinutes - days * MINUTES_PER_DAY;
    let sendAt = instantOfReading(startReading - days * DAY - rest * MINUTE, zone);
    // Not before the start (a zero or negative offset): nothing to remind of. Checked before the
    // quiet-hours move, which only ever moves earlier.
    if (sendAt >= startsAt) continue;

    if (w !== null) {
      let moves = 0;
      while (minuteIsQuiet(readingMinuteOfDay(localReading(sendAt, zone)), w) && moves < MAX_QUIET_MOVES) {
        sendAt = lastMinuteBeforeQuiet(sendAt, zone, w);
        moves += 1;
      }
      if (minuteIsQuiet(readingMinuteOfDay(localReading(sendAt, zone)), w)) continue;
    }

    if (sendAt <= now) continue;
    const existing = bySendAt.get(sendAt);
    if (existing === undefined || offsetHours > existing) bySendAt.set(sendAt, offsetHours);
  }

  return [...bySendAt.entries()].map(([sendAt, offsetHours]) => ({ offsetHours, sendAt })).sort((a, b) => a.sendAt - b.sendAt);
}

/**
 * Reminder offsets planned per appointment: the policy schema allows 5; capped here too so that a
 * move (old offsets deleted, new ones put, one notice) stays inside one transaction.
 */
const MAX_REMINDER_OFFSETS = 5;

/** The reminder offsets (hours before) a clinic's policy plans, at most MAX_REMINDER_OFFSETS. */
export function reminderOffsets(policy: Pick<Clinic['policy'], 'reminderOffsetsHours'>): number[] {
  return policy.reminderOffsetsHours.slice(0, MAX_REMINDER_OFFSETS);
}

/**
 * The reminders of a booked appointment of `clinic` starting at `startsAt`, under the clinic's
 * policy as it is: the one plan that a booking, a move and a clinic's re-plan
 * (#domain/reminder-replan.ts) all write.
 */
export function appointmentReminders(startsAt: number, clinic: Pick<Clinic, 'timezone' | 'policy'>, now: number): PlannedReminder[] {
  return planReminders({
    startsAt,
    zone: clinic.timezone,
    offsetsHours: reminderOffsets(clinic.policy),
    quietHours: clinic.policy.quietHours,
    now,
  });
}
