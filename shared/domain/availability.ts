// Bookable start times: for each provider and clinic-local date, the wall-clock grid of each
// working-hours window, minus what is taken.
//
// Wall-clock semantics (docs/domain.md: daylight-saving changes never shift or duplicate anything):
// starts are wall-clock times window.start, +step, +2·step, … resolved in the clinic's zone, so a
// 09:00–17:00 provider gets the same local starts on a DST Sunday as on any other day; a local
// time that does not exist (spring-forward gap) is never offered; a repeated one (fall-back) is
// offered once, at its earlier instant. The window end is the first instant the wall clock reads
// the end time, and the appointment must end by then.
//
// Cost: each day's wall clock is resolved once per distinct set of hours (arithmetic unless a DST
// change is near); each busy block marks the few candidate starts it removes (binary search, no
// sorting of blocks); the output comes out sorted without a final sort.

import { GRID_MINUTES, isOnGrid } from '#domain/grid.ts';
import { localDay, enumerateDates, parseTimeOfDay, dateRangeIssues, weekdayOf, type LocalDay } from '#domain/time.ts';
import { ACTIVE_STATUSES, type Appointment, type Clinic, type Mode, type Provider, type Room, type Service } from '#domain/types.ts';
import type { FieldIssue } from '#domain/errors.ts';
import { overlapsSpan, timeOffBusy, type TimeOff } from '#domain/time-off.ts';

/** docs/api.md: availability covers at most 31 days. */
const MAX_AVAILABILITY_DAYS = 31;

/** What is wrong with an availability query's `from`..`to` (dates, both included), on `to`. */
export function availabilityRangeIssues(from: string, to: string): FieldIssue[] {
  return dateRangeIssues(from, to, { days: MAX_AVAILABILITY_DAYS, message: `The range may cover at most ${MAX_AVAILABILITY_DAYS} days` });
}

export interface BusyBlock {
  providerId: string;
  roomId: string | null;
  start: number;
  end: number;
  /** The appointment that holds the time, and its client: what a move is checked against. */
  appointmentId?: string;
  clientId?: string;
}

/** The appointment a move would move, and whose client. */
/** The longest appointment a clinic offers: a read of the sessions that hold time in a range starts this much before it. */
export const MAX_APPOINTMENT_MS = 24 * 3600_000;

/**
 * What holds time in [from, to) for these providers: the clinic's active appointments (read from
 * `from` less the longest session, so one that began before still counts) and the time off and
 * closures that overlap it.
 */
export function busyBlocks(
  appointments: readonly Appointment[],
  timeOff: readonly TimeOff[],
  providerIds: readonly string[],
  from: number,
  to: number,
): BusyBlock[] {
  return appointments
    .filter((a) => ACTIVE_STATUSES.includes(a.status) && a.endsAt > from)
    .map((a): BusyBlock => ({
      providerId: a.providerId,
      roomId: a.roomId,
      start: a.startsAt,
      end: a.endsAt,
      appointmentId: a.id,
      clientId: a.clientId,
    }))
    .concat(
      timeOffBusy(
        timeOff.filter((t) => overlapsSpan(t, from, to)),
        providerIds,
      ),
    );
}

export interface Moving {
  appointmentId: string;
  clientId: string;
}

export interface Slot {
  startsAt: number;
  endsAt: number;
  providerId: string;
  roomId: string | null;
}

export interface AvailabilityInput {
  clinic: Clinic;
  service: Service;
  mode: Mode;
  providers: Provider[]; // the clinic's providers (or just the one asked for)
  rooms: Room[]; // the clinic's rooms
  busy: BusyBlock[]; // active appointments of the clinic overlapping the range, any order
  from: string; // clinic-local date, inclusive
  to: string; // clinic-local date, inclusive
  now: number;
  enforceClientPolicy: boolean; // true: minimum notice and booking window apply (clients); false: staff
  /** Starts for moving this appointment: its own time is free, its client's other sessions are not. */
  moving?: Moving | undefined;
  /** Starts this client could take: its own sessions are taken too (the waitlist's open times). */
  forClient?: string | undefined;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Window {
  startMinute: number;
  endMinute: number;
}

interface DayHours {
  windows: Window[];
  /** Equal for providers with the same windows that day, so they share one candidate list. */
  key: string;
}

/** A provider's windows per weekday, parsed once; empty or reversed windows are ignored. */
function hoursByDay(provider: Provider): Map<string, DayHours> {
  const byDay = new Map<string, DayHours>();
  for (const h of provider.weeklyHours) {
    const startMinute = parseTimeOfDay(h.start);
    const endMinute = parseTimeOfDay(h.end, true);
    if (endMinute <= startMinute) continue;
    const day = byDay.get(h.day) ?? { windows: [], key: '' };
    day.windows.push({ startMinute, endMinute });
    byDay.set(h.day, day);
  }
  for (const day of byDay.values()) {
    day.windows.sort((a, b) => a.startMinute - b.startMinute || a.endMinute - b.endMinute);
    day.key = day.windows.map((w) => `${w.startMinute}-${w.endMinute}`).join(',');
  }
  return byDay;
}

function sortedUnique(values: number[]): number[] {
  values.sort((a, b) => a - b);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[n - 1]) values[n++] = values[i]!;
  values.length = n;
  return values;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What every candidate start is checked against: fixed for one computation. */
interface Setting {
  /** Who may hold the session, sorted by id: within one start, slots come out in provider order without a final sort. */
  providers: Provider[];
  /** The rooms of the kind it needs (none when it needs no room), sorted by id. */
  rooms: Room[];
  roomKind: Room['kind'] | null;
  stepMinutes: number;
  duration: number;
  now: number;
  /** Bounds on a start: the minimum notice and the booking window, for clients only. */
  earliest: number;
  latest: number;
}

export function computeAvailability(input: AvailabilityInput): Slot[] {
  const setting = settingFor(input);
  if (!setting) return [];
  const { offered, all } = candidateStarts(input, setting);
  if (all.length === 0) return [];
  const taken = takenStarts(input.busy, all, setting, input.moving, input.forClient ?? input.moving?.clientId);
  return freeSlots(all, offered, taken, setting);
}

/** The providers, rooms and bounds of the request; null when nothing at all can be offered. */
function settingFor(input: AvailabilityInput): Setting | null {
  const { clinic, service, mode, now } = input;
  const policy = clinic.policy;

  // Exploration (and anything else not allowed by video) is in person only: docs/domain.md.
  if (mode === 'telehealth' && !service.telehealthAllowed) return null;

  const providers = input.providers.filter((p) => p.role === service.providerRole && (mode !== 'telehealth' || p.telehealth)).sort(byId);
  if (providers.length === 0) return null;

  const roomKind = mode === 'in_person' ? service.roomKind : null;
  const rooms = roomKind ? input.rooms.filter((r) => r.kind === roomKind).sort(byId) : [];
  if (roomKind && rooms.length === 0) return null;

  const stepMinutes = policy.slotStepMinutes > 0 ? policy.slotStepMinutes : 30;
  const duration = service.durationMinutes * MINUTE;
  if (!(duration > 0)) return null;

  // A start must be in the future; clients booking for themselves also respect the minimum
  // notice and the booking window (docs/api.md: they do not bind the front desk).
  const earliest = input.enforceClientPolicy ? now + policy.minimumNoticeHours * HOUR : -Infinity;
  const latest = input.enforceClientPolicy ? now + policy.bookingWindowDays * DAY : Infinity;
  return { providers, rooms, roomKind, stepMinutes, duration, now, earliest, latest };
}

/**
 * Bookable starts of one day for a set of windows, ascending and unique. A wall time the
 * spring-forward skips is none; one the fall-back repeats is two starts (the hour happens twice,
 * and the provider works both).
 */
function dayCandidates(clock: LocalDay, windows: Window[], s: Setting): number[] {
  const out: number[] = [];
  let repeated = false;
  for (const w of windows) {
    const windowEnd = clock.boundaryAt(w.endMinute);
    // hours set off the booking grid (09:07) start at the next quarter hour: booking takes grid starts only
    for (let m = Math.ceil(w.startMinute / GRID_MINUTES) * GRID_MINUTES; m < w.endMinute; m += s.stepMinutes) {
      const starts = clock.instantsAt(m);
      if (starts.length > 1) repeated = true;
      for (const start of starts) {
        if (start + s.duration > windowEnd || !isOnGrid(start)) continue;
        if (start <= s.now || start < s.earliest || start > s.latest) continue;
        out.push(start);
      }
    }
  }
  return windows.length > 1 || repeated ? sortedUnique(out) : out;
}

/**
 * 1. Candidate starts: per provider (`offered`), and the union of all of them (`all`), both
 *    ascending. Providers with the same hours on a day share one computation.
 */
function candidateStarts(input: AvailabilityInput, s: Setting): { offered: number[][]; all: number[] } {
  const { providers } = s;
  const hours = providers.map(hoursByDay);
  const offered: number[][] = providers.map(() => []);
  let all: number[] = [];
  for (const date of enumerateDates(input.from, input.to)) {
    const weekday = weekdayOf(date);
    let clock: LocalDay | undefined;
    const shared = new Map<string, number[]>();
    for (let i = 0; i < providers.length; i++) {
      const day = hours[i]!.get(weekday);
      if (!day) continue;
      let list = shared.get(day.key);
      if (!list) {
        clock ??= localDay(date, input.clinic.timezone);
        list = dayCandidates(clock, day.windows, s);
        shared.set(day.key, list);
      }
      const mine = offered[i]!;
      for (const start of list) mine.push(start);
    }
    if (shared.size === 1) for (const start of shared.values().next().value!) all.push(start);
    else if (shared.size > 1) for (const start of sortedUnique([...shared.values()].flat())) all.push(start);
  }
  // Later local dates start later in every zone in use; should one ever not, sort rather than err.
  if (!isStrictlyAscending(all)) all = sortedUnique(all);
  for (let i = 0; i < offered.length; i++) if (!isStrictlyAscending(offered[i]!)) offered[i] = sortedUnique(offered[i]!);
  return { offered, all };
}

/**
 * 2. Marks the candidates each busy block takes away from its provider and its room (and, for a
 *    move, from the client when it is the client's): a session [s, s + duration) overlaps
 *    [b.start, b.end) exactly when b.start - duration < s < b.end. One flag per candidate of
 *    `all`, per provider and per room (same order as the setting's), and one for the client.
 */
function takenStarts(busy: BusyBlock[], all: number[], s: Setting, moving: Moving | undefined, clientId: string | undefined): Taken {
  const providerIndex = new Map(s.providers.map((p, i) => [p.id, i]));
  const roomIndex = new Map(s.rooms.map((r, i) => [r.id, i]));
  const provider = s.providers.map(() => new Uint8Array(all.length));
  const room = s.rooms.map(() => new Uint8Array(all.length));
  const client = new Uint8Array(all.length);
  for (const b of busy) {
    if (!(b.end > b.start)) continue;
    if (moving && b.appointmentId === moving.appointmentId) continue;
    const pi = providerIndex.get(b.providerId);
    const ri = b.roomId === null ? undefined : roomIndex.get(b.roomId);
    const cTaken = clientId !== undefined && b.clientId === clientId ? client : undefined;
    if (pi === undefined && ri === undefined && !cTaken) continue;
    const pTaken = pi === undefined ? undefined : provider[pi];
    const rTaken = ri === undefined ? undefined : room[ri];
    for (let k = firstAbove(all, b.start - s.duration); k < all.length && all[k]! < b.end; k++) {
      if (pTaken) pTaken[k] = 1;
      if (rTaken) rTaken[k] = 1;
      if (cTaken) cTaken[k] = 1;
    }
  }
  return { provider, room, client };
}

interface Taken {
  provider: Uint8Array[];
  room: Uint8Array[];
  /** The moving (or waiting) client's other sessions (all zero when there is none). */
  client: Uint8Array;
}

/**
 * 3. Walks the starts in order and each provider (in id order) at each: a slot where the provider
 *    offers the start and is free, with the first free room when one is needed, at a start the
 *    moving client (if any) is free. Sorted output.
 */
function freeSlots(all: number[], offered: number[][], taken: Taken, s: Setting): Slot[] {
  const { providers, rooms, roomKind, duration } = s;
  const slots: Slot[] = [];
  const next = new Array<number>(providers.length).fill(0);
  for (let k = 0; k < all.length; k++) {
    const start = all[k]!;
    if (taken.client[k]) continue;
    for (let i = 0; i < providers.length; i++) {
      const mine = offered[i]!;
      let n = next[i]!;
      while (n < mine.length && mine[n]! < start) n++;
      next[i] = n;
      if (mine[n] !== start || taken.provider[i]![k]) continue;

      let roomId: string | null = null;
      if (roomKind) {
        const r = taken.room.findIndex((t) => !t[k]);
        if (r < 0) continue;
        roomId = rooms[r]!.id;
      }
      slots.push({ startsAt: start, endsAt: start + duration, providerId: providers[i]!.id, roomId });
    }
  }
  return slots;
}

function isStrictlyAscending(values: number[]): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i]! > values[i - 1]!)) return false;
  return true;
}

/** Index of the first value greater than `x` in an ascending array (its length if none). */
function firstAbove(values: number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
