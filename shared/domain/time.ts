// Clinic-local dates and wall-clock times, resolved to instants (epoch ms) in an IANA zone.
//
// Everything a person sees is in the clinic's zone, and daylight-saving changes must never
// shift, duplicate or drop an appointment (docs/domain.md). The rules here:
//   - a wall-clock time inside a spring-forward gap does not exist (null);
//   - an ambiguous fall-back time means its EARLIER instant;
//   - a wall-clock *boundary* (start or end of working hours, of a day) is the first instant at
//     which the clock reads that time or later, so a boundary inside a gap is the transition.
//
// Offsets come from the runtime's own time-zone data (ICU's copy of the IANA database), read
// through Intl.DateTimeFormat; no date library is loaded (docs/decisions.md, "Cold start").
// Date arithmetic on plain calendar dates needs no zone and is done on UTC midnights.

import type { Weekday } from '#domain/types.ts';
import type { FieldIssue } from '#domain/errors.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
// Plain IANA names ("America/New_York", "UTC", "Etc/GMT+5"); not raw offsets like "+05:00".
const ZONE_NAME_RE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

// Date.getUTCDay() order: 0 = Sunday.
const WEEKDAY_BY_UTC_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * An IANA zone as the runtime knows it. `offset` is in minutes east of UTC at an instant (fractions
 * for the seconds of old local mean times), NaN for an instant outside Date's range.
 */
export interface IanaZone {
  readonly name: string;
  offset(ms: number): number;
}

// "7/1/2026, GMT-04:00": Intl's "longOffset" zone name is always GMT followed by ±HH:mm, with
// :ss when the offset has seconds, and plain "GMT" (or "GMT+00:00", by ICU version) at zero.
const LONG_OFFSET_RE = /GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/;

function makeZone(name: string): IanaZone | null {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
  } catch {
    return null; // RangeError: a name the runtime's zone data does not have
  }
  return {
    name,
    offset(ms) {
      const date = new Date(ms);
      if (Number.isNaN(date.getTime())) return Number.NaN;
      const m = LONG_OFFSET_RE.exec(format.format(date));
      if (!m) return Number.NaN;
      if (m[1] === undefined) return 0;
      const minutes = Number(m[2]) * 60 + Number(m[3]) + Number(m[4] ?? 0) / 60;
      return m[1] === '-' ? -minutes : minutes;
    },
  };
}

/**
 * Zones already looked up, with their formatter. Building an Intl.DateTimeFormat costs about
 * 40 µs and native ICU memory the garbage collector does not count, so a loop that built one per
 * call grew the process (50,000 calls: about 1 GB of RSS on Node 20); ledgerEntries checks the
 * zone once per invoice, and a ledger export reads every invoice of a clinic. A zone's validity
 * cannot change while a process runs; the memo is bounded and invisible to callers.
 */
const knownZones = new Map<string, IanaZone | null>();
const MAX_KNOWN_ZONES = 1_000;

/** The zone of an IANA name, or null when the name is not one (raw offsets like "+05:00" are not). */
export function ianaZone(name: string): IanaZone | null {
  if (typeof name !== 'string' || !ZONE_NAME_RE.test(name)) return null;
  let zone = knownZones.get(name);
  if (zone === undefined) {
    zone = makeZone(name);
    if (knownZones.size >= MAX_KNOWN_ZONES) knownZones.clear();
    knownZones.set(name, zone);
  }
  return zone;
}

export function isValidZone(zone: string): boolean {
  return ianaZone(zone) !== null;
}

function zoneOf(zone: string): IanaZone {
  const z = ianaZone(zone);
  if (!z) throw new RangeError(`Unknown time zone: ${zone}`);
  return z;
}

/**
 * Offset of the zone from UTC at an instant, in ms (local = instant + offset).
 *
 * Intl answers each offset in microseconds, and availability needs thousands, so
 * offsets are memoised per zone and UTC day: when the offset is the same at both ends of the
 * day, it is that all day (zones change offset at most once a day); otherwise it is asked for
 * exactly. The memo is a pure function of its key, bounded, and invisible to callers.
 */
const dayOffsets = new Map<string, Map<number, number | null>>();
const MAX_MEMO_DAYS = 20_000;

function offsetMs(z: IanaZone, ms: number): number {
  let byDay = dayOffsets.get(z.name);
  if (!byDay) {
    byDay = new Map();
    dayOffsets.set(z.name, byDay);
  }
  const day = Math.floor(ms / DAY);
  let constant = byDay.get(day);
  if (constant === undefined) {
    const a = z.offset(day * DAY);
    const b = z.offset((day + 1) * DAY);
    constant = a === b && Number.isFinite(a) ? a * MINUTE : null;
    if (byDay.size >= MAX_MEMO_DAYS) byDay.clear();
    byDay.set(day, constant);
  }
  return constant ?? z.offset(ms) * MINUTE;
}

/** Date string → epoch ms of that date's midnight read as UTC. Throws on anything but a real date. */
function dateToUtcMidnight(date: string): number {
  const m = DATE_RE.exec(date);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    // setUTCFullYear keeps years 0..99 literal (Date.UTC would map them to 1900..1999).
    const t = new Date(0);
    t.setUTCFullYear(y, mo - 1, d);
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) return t.getTime();
  }
  throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
}

function assertInstant(ms: number): void {
  if (!Number.isFinite(ms)) throw new RangeError(`Not an instant: ${ms}`);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

function utcMidnightToDate(ms: number): string {
  const d = new Date(ms);
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** "HH:mm" → minutes after midnight. `allowEndOfDay` also accepts "24:00" (1440). */
export function parseTimeOfDay(time: string, allowEndOfDay = false): number {
  if (allowEndOfDay && time === '24:00') return 24 * 60;
  const m = TIME_RE.exec(time);
  if (!m) throw new RangeError(`Not a time of day (HH:mm): ${time}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function isValidDate(date: string): boolean {
  if (typeof date !== 'string') return false;
  try {
    dateToUtcMidnight(date);
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: string, days: number): string {
  return utcMidnightToDate(dateToUtcMidnight(date) + days * DAY);
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAY_BY_UTC_DAY[new Date(dateToUtcMidnight(date)).getUTCDay()]!;
}

/** How many dates `from`..`to` covers, both included (0 or less when `to` is before `from`). */
export function daysCovered(from: string, to: string): number {
  return (dateToUtcMidnight(to) - dateToUtcMidnight(from)) / DAY + 1;
}

/**
 * What a range of dates `from`..`to` (both included) may have wrong, on `to`: that it is before
 * `from`, or, given `most`, that it covers more than `most.days` days (said as `most.message`).
 * Every range a request gives (availability, invoices, superbills, exports, revenue) is checked so.
 */
export function dateRangeIssues(from: string, to: string, most?: { days: number; message: string }): FieldIssue[] {
  if (to < from) return [{ path: 'to', message: 'Must not be before from' }];
  if (most && daysCovered(from, to) > most.days) return [{ path: 'to', message: most.message }];
  return [];
}

/** Every date from `from` to `to`, both included; empty when `to` is before `from`. */
export function enumerateDates(from: string, to: string): string[] {
  const start = dateToUtcMidnight(from);
  const end = dateToUtcMidnight(to);
  const out: string[] = [];
  for (let t = start; t <= end; t += DAY) out.push(utcMidnightToDate(t));
  return out;
}

/**
 * What the zone's wall clock reads at `ms`, given its offset then, as a Date to read in UTC. A
 * RangeError when that is past what a Date holds (or the offset is NaN: the instant is).
 */
function wallClock(ms: number, offset: number): Date {
  const d = new Date(ms + offset);
  if (Number.isNaN(d.getTime())) throw new RangeError(`Not an instant: ${ms}`);
  return d;
}

/** The instant as clinic-local ISO 8601 with its offset, whole seconds: 2026-12-03T09:00:00-05:00. */
export function formatInstant(ms: number, zone: string): string {
  const z = zoneOf(zone);
  assertInstant(ms);
  const whole = Math.floor(ms / 1000) * 1000;
  const offMin = Math.round(offsetMs(z, whole) / MINUTE);
  const d = wallClock(whole, offMin * MINUTE);
  const sign = offMin < 0 ? '-' : '+';
  const abs = Math.abs(offMin);
  return (
    `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
    `T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}` +
    `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
  );
}

/** The clinic-local calendar date of an instant. */
export function localDate(ms: number, zone: string): string {
  const z = zoneOf(zone);
  assertInstant(ms);
  const local = wallClock(ms, offsetMs(z, ms)).getTime();
  return utcMidnightToDate(Math.floor(local / DAY) * DAY);
}

/** What a clock in the zone reads at an instant, and the zone's offset then. */
export interface LocalReading {
  year: number;
  /** 1 = January. */
  month: number;
  day: number;
  weekday: Weekday;
  hour: number;
  minute: number;
  /** Minutes east of UTC. */
  offsetMinutes: number;
}

export function localReading(ms: number, zone: string): LocalReading {
  const z = zoneOf(zone);
  assertInstant(ms);
  const offset = offsetMs(z, ms);
  const d = wallClock(ms, offset);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: WEEKDAY_BY_UTC_DAY[d.getUTCDay()]!,
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    offsetMinutes: offset / MINUTE,
  };
}

/**
 * Instants whose local reading is `localMs` (a wall-clock time encoded as if it were UTC).
 * The offset in force at the answer is one of the offsets seen a day either side, since zones
 * change offset at most once in that span; each candidate is kept only if it reads back.
 */
function resolveLocal(z: IanaZone, localMs: number): number[] {
  const offsets = new Set<number>([offsetMs(z, localMs - DAY), offsetMs(z, localMs), offsetMs(z, localMs + DAY)]);
  const hits: number[] = [];
  for (const off of offsets) {
    const t = localMs - off;
    if (offsetMs(z, t) === off) hits.push(t);
  }
  return hits.sort((a, b) => a - b);
}

/** First instant at which the wall clock reads `localMs` or later (the transition when in a gap). */
function boundaryOfLocal(z: IanaZone, localMs: number): number {
  const hits = resolveLocal(z, localMs);
  if (hits.length > 0) return hits[0]!;
  // In a spring-forward gap: the clock jumps over localMs at the transition, which lies between
  // localMs read with the later (larger) offset and localMs read with the earlier one.
  const before = offsetMs(z, localMs - DAY);
  const after = offsetMs(z, localMs + DAY);
  let lo = localMs - Math.max(before, after); // still reads earlier than localMs
  let hi = localMs - Math.min(before, after); // already reads later than localMs
  const offHi = offsetMs(z, hi);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(z, mid) === offHi) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * One clinic-local calendar day, for resolving many wall-clock minutes of it cheaply: when the
 * zone's offset cannot change anywhere near the day, minutes map to instants by arithmetic;
 * otherwise each minute is resolved against the zone (and remembered).
 */
export interface LocalDay {
  readonly date: string;
  /** Every instant of a wall-clock minute, ascending: none in a spring-forward gap, two in the hour a fall-back repeats. */
  instantsAt(minute: number): readonly number[];
  /** First instant at which the wall clock reads `minute` (0..1440; 1440 = next day's start) or later. */
  boundaryAt(minute: number): number;
}

export function localDay(date: string, zone: string): LocalDay {
  const z = zoneOf(zone);
  const midnight = dateToUtcMidnight(date);
  // The day's instants (and the next midnight) lie within [midnight - 14 h, midnight + 38 h]
  // for every offset in use (-12 h .. +14 h).
  const o1 = offsetMs(z, midnight - 14 * HOUR);
  const o2 = offsetMs(z, midnight + 12 * HOUR);
  const o3 = offsetMs(z, midnight + 38 * HOUR);
  if (o1 === o2 && o2 === o3) {
    return {
      date,
      instantsAt: (minute) => [midnight + minute * MINUTE - o1],
      boundaryAt: (minute) => midnight + minute * MINUTE - o1,
    };
  }
  const instants = new Map<number, readonly number[]>();
  const boundaries = new Map<number, number>();
  return {
    date,
    instantsAt(minute) {
      let t = instants.get(minute);
      if (t === undefined) {
        t = resolveLocal(z, midnight + minute * MINUTE);
        instants.set(minute, t);
      }
      return t;
    },
    boundaryAt(minute) {
      let t = boundaries.get(minute);
      if (t === undefined) {
        t = boundaryOfLocal(z, midnight + minute * MINUTE);
        boundaries.set(minute, t);
      }
      return t;
    },
  };
}

/** Instant of the start of the local day (its first instant, even if midnight itself is skipped). */
export function localDayStart(date: string, zone: string): number {
  return boundaryOfLocal(zoneOf(zone), dateToUtcMidnight(date));
}

/** Instant of the start of the NEXT local day: the exclusive end of `date`. */
export function localDayEnd(date: string, zone: string): number {
  return boundaryOfLocal(zoneOf(zone), dateToUtcMidnight(date) + DAY);
}

/**
 * The instant a clinic-local date and HH:mm time denote: null when that time does not exist
 * (spring-forward gap), the earlier instant when it occurs twice (fall-back).
 */
export function wallClockToInstant(date: string, time: string, zone: string): number | null {
  const z = zoneOf(zone);
  return resolveLocal(z, dateToUtcMidnight(date) + parseTimeOfDay(time) * MINUTE)[0] ?? null;
}

/**
 * First instant at which the clinic's wall clock on `date` reads `time` (HH:mm, or "24:00" for
 * the end of the day) or later: how a working-hours boundary becomes an instant.
 */
export function wallClockBoundary(date: string, time: string, zone: string): number {
  const z = zoneOf(zone);
  return boundaryOfLocal(z, dateToUtcMidnight(date) + parseTimeOfDay(time, true) * MINUTE);
}
