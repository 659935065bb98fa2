// Bookable start times: for each provider and clinic-local date, the wall-clock grid of each
// working-hours window, minus what is taken.
//
// Wall-clock semantics (PRODUCT.md: daylight-saving changes never shift or duplicate anything):
// starts are wall-clock times window.start, +step, +2·step, … resolved in the clinic's zone, so a
// 09:00–17:00 provider gets the same local starts on a DST Sunday as on any other day; a local
// time that does not exist (spring-forward gap) is never offered; a repeated one (fall-back) is
// offered once, at its earlier instant. The window end is the first instant the wall clock reads
// the end time, and the appointment must end by then.
//
// Cost: each day's wall clock is resolved once (arithmetic unless a DST change is near), busy
// blocks are grouped per provider and room, merged and binary-searched.

import { localDay, enumerateDates, parseTimeOfDay, weekdayOf, type LocalDay } from '#domain/time.ts';
import type { Clinic, Interval, Mode, Provider, Room, Service } from '#domain/types.ts';

export interface BusyBlock {
  providerId: string;
  roomId: string | null;
  start: number;
  end: number;
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
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Disjoint, sorted intervals covering a set of busy blocks, for "is [s, e) free?" in O(log n).
 * Touching blocks merge too: with half-open intervals that changes no answer.
 */
class BusyIndex {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(blocks: Interval[]) {
    const sorted = blocks.filter((b) => b.end > b.start).sort((a, b) => a.start - b.start);
    for (const b of sorted) {
      const last = this.ends.length - 1;
      if (last >= 0 && b.start <= this.ends[last]!) {
        if (b.end > this.ends[last]!) this.ends[last] = b.end;
      } else {
        this.starts.push(b.start);
        this.ends.push(b.end);
      }
    }
  }

  /** True when no busy interval overlaps [start, end). */
  isFree(start: number, end: number): boolean {
    // First merged interval that ends after `start`; it is the only one that can overlap.
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid]! > start) hi = mid;
      else lo = mid + 1;
    }
    return lo === this.ends.length || this.starts[lo]! >= end;
  }
}

const FREE = new BusyIndex([]);

interface Window {
  startMinute: number;
  endMinute: number;
}

/** A provider's windows per weekday, parsed once; empty or reversed windows are ignored. */
function windowsByDay(provider: Provider): Map<string, Window[]> {
  const byDay = new Map<string, Window[]>();
  for (const h of provider.weeklyHours) {
    const startMinute = parseTimeOfDay(h.start);
    const endMinute = parseTimeOfDay(h.end, true);
    if (endMinute <= startMinute) continue;
    const list = byDay.get(h.day) ?? [];
    list.push({ startMinute, endMinute });
    byDay.set(h.day, list);
  }
  return byDay;
}

export function computeAvailability(input: AvailabilityInput): Slot[] {
  const { clinic, service, mode, now } = input;
  const policy = clinic.policy;

  // Exploration (and anything else not allowed by video) is in person only: PRODUCT.md.
  if (mode === 'telehealth' && !service.telehealthAllowed) return [];

  const providers = input.providers.filter(
    (p) => p.role === service.providerRole && (mode !== 'telehealth' || p.telehealth),
  );
  if (providers.length === 0) return [];

  const roomKind = mode === 'in_person' ? service.roomKind : null;
  const rooms = roomKind
    ? input.rooms.filter((r) => r.kind === roomKind).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    : [];
  if (roomKind && rooms.length === 0) return [];

  const stepMinutes = policy.slotStepMinutes > 0 ? policy.slotStepMinutes : 30;
  const duration = service.durationMinutes * MINUTE;
  if (!(duration > 0)) return [];

  // A start must be in the future; clients booking for themselves also respect the minimum
  // notice and the booking window (api-contract.md: they do not bind the front desk).
  const earliest = input.enforceClientPolicy ? now + policy.minimumNoticeHours * HOUR : -Infinity;
  const latest = input.enforceClientPolicy ? now + policy.bookingWindowDays * DAY : Infinity;

  const byProvider = new Map<string, Interval[]>();
  const byRoom = new Map<string, Interval[]>();
  for (const b of input.busy) {
    const p = byProvider.get(b.providerId);
    if (p) p.push(b);
    else byProvider.set(b.providerId, [b]);
    if (b.roomId !== null) {
      const r = byRoom.get(b.roomId);
      if (r) r.push(b);
      else byRoom.set(b.roomId, [b]);
    }
  }
  const roomIndexes = rooms.map((r) => ({ id: r.id, busy: new BusyIndex(byRoom.get(r.id) ?? []) }));

  const days: { weekday: string; clock: LocalDay }[] = enumerateDates(input.from, input.to).map((date) => ({
    weekday: weekdayOf(date),
    clock: localDay(date, clinic.timezone),
  }));

  const slots: Slot[] = [];
  for (const provider of providers) {
    const windows = windowsByDay(provider);
    if (windows.size === 0) continue;
    const busy = byProvider.has(provider.id) ? new BusyIndex(byProvider.get(provider.id)!) : FREE;
    // Overlapping windows on one day would offer a start twice; remember what was offered.
    const offered = new Set<number>();

    for (const { weekday, clock } of days) {
      const dayWindows = windows.get(weekday);
      if (!dayWindows) continue;
      offered.clear();
      for (const w of dayWindows) {
        const windowEnd = clock.boundaryAt(w.endMinute);
        for (let m = w.startMinute; m < w.endMinute; m += stepMinutes) {
          const start = clock.instantAt(m);
          if (start === null) continue; // spring-forward gap: this wall time does not exist
          const end = start + duration;
          if (end > windowEnd) break; // instants grow with the wall clock, so no later start fits
          if (start <= now || start < earliest || start > latest) continue;
          if (offered.has(start) || !busy.isFree(start, end)) continue;

          let roomId: string | null = null;
          if (roomKind) {
            const room = roomIndexes.find((r) => r.busy.isFree(start, end));
            if (!room) continue;
            roomId = room.id;
          }
          offered.add(start);
          slots.push({ startsAt: start, endsAt: end, providerId: provider.id, roomId });
        }
      }
    }
  }

  return slots.sort((a, b) =>
    a.startsAt !== b.startsAt ? a.startsAt - b.startsAt : a.providerId < b.providerId ? -1 : a.providerId > b.providerId ? 1 : 0,
  );
}
