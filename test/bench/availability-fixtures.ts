// Inputs for the pure availability cases: a month (31 days, across the March DST change in New
// York) of busy blocks for one therapist, and for a clinic of 20 therapists and 6 rooms.
// Busy blocks are generated like real bookings: inside working hours, on the 15-minute grid,
// never overlapping for one therapist or one room. About 30% are in person and take a free room
// of either kind; the rest (and the few that find no free room) are by video, roomId null.
// Seeded, so every run benchmarks the same data.
import { DateTime } from 'luxon';
import type { AvailabilityInput, BusyBlock } from '#domain/availability.ts';
import { defaultCatalog } from '#domain/catalog.ts';
import { resolvePolicy } from '#domain/policy.ts';
import type { Clinic, Provider, Room, Service, ServiceCode, WeeklyHours } from '#domain/types.ts';
import { prng } from './stats.ts';

export const ZONE = 'America/New_York';
/** 31 days, including Sunday 14 March 2027 when New York springs forward. */
export const FROM = '2027-03-01';
export const TO = '2027-03-31';
/** A few days before the range: every start is in the future and inside the booking window. */
export const NOW = Date.parse('2027-02-26T15:00:00Z');
export const SERVICE: ServiceCode = 'preparation';

const OPEN_MINUTE = 9 * 60;
const CLOSE_MINUTE = 17 * 60;
const CELL = 15; // minutes: the lock / slot grid
const CELLS_PER_DAY = (CLOSE_MINUTE - OPEN_MINUTE) / CELL; // 32
/** Busy blocks last 30 or 60 minutes (in cells), mostly 30: 200 of them fill ~2/3 of a month. */
const DURATIONS = [2, 2, 2, 4];
/** Share of sessions held in person (the rest by video, no room). */
const IN_PERSON_SHARE = 0.3;

const weekdays = (): WeeklyHours[] => (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '09:00', end: '17:00' }));

export function benchClinic(): Clinic {
  return {
    id: 'bench-clinic',
    name: 'Bench clinic',
    timezone: ZONE,
    currency: 'USD',
    country: 'US',
    policy: resolvePolicy({ slotStepMinutes: 30 }, 'USD'),
    version: 1,
  };
}

function therapist(i: number): Provider {
  return {
    id: `bench-ther-${String(i).padStart(2, '0')}`,
    clinicId: 'bench-clinic',
    name: `Therapist ${i}`,
    role: 'therapist',
    credentials: 'LCSW',
    telehealth: true,
    weeklyHours: weekdays(),
  };
}

function rooms(dosing: number, therapy: number): Room[] {
  const out: Room[] = [];
  for (let i = 1; i <= dosing; i++) out.push({ id: `bench-room-d${i}`, clinicId: 'bench-clinic', name: `Dosing ${i}`, kind: 'dosing' });
  for (let i = 1; i <= therapy; i++) out.push({ id: `bench-room-t${i}`, clinicId: 'bench-clinic', name: `Therapy ${i}`, kind: 'therapy' });
  return out;
}

/** Working weekdays of the range with the instant of each 15-minute cell's start (DST-correct). */
function workingDays(): Array<{ date: string; cellStart: number[] }> {
  const out: Array<{ date: string; cellStart: number[] }> = [];
  for (let d = DateTime.fromISO(FROM, { zone: ZONE }); d.toISODate()! <= TO; d = d.plus({ days: 1 })) {
    if (d.weekday > 5) continue;
    const cellStart: number[] = [];
    for (let c = 0; c <= CELLS_PER_DAY; c++) {
      const minute = OPEN_MINUTE + c * CELL;
      cellStart.push(d.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }).toMillis());
    }
    out.push({ date: d.toISODate()!, cellStart });
  }
  return out;
}

/**
 * `perProvider` non-overlapping busy blocks for each provider; an in-person one takes a free room
 * (any kind, random order) when one is free for its whole length, else none.
 */
function generateBusy(providers: Provider[], roomList: Room[], perProvider: number, seed: number): BusyBlock[] {
  const rand = prng(seed);
  const days = workingDays();
  const roomBusy = new Map(roomList.map((r) => [r.id, days.map(() => new Uint8Array(CELLS_PER_DAY))]));
  const busy: BusyBlock[] = [];
  for (const provider of providers) {
    const mine = days.map(() => new Uint8Array(CELLS_PER_DAY));
    let placed = 0;
    for (let attempt = 0; placed < perProvider && attempt < perProvider * 200; attempt++) {
      const dayIx = Math.floor(rand() * days.length);
      const len = DURATIONS[Math.floor(rand() * DURATIONS.length)]!;
      const at = Math.floor(rand() * (CELLS_PER_DAY - len + 1));
      const cells = mine[dayIx]!;
      let free = true;
      for (let c = at; c < at + len; c++) if (cells[c]) free = false;
      if (!free) continue;
      for (let c = at; c < at + len; c++) cells[c] = 1;
      let roomId: string | null = null;
      const order = rand() < IN_PERSON_SHARE ? shuffle([...roomList], rand) : [];
      for (const room of order) {
        const rc = roomBusy.get(room.id)![dayIx]!;
        let roomFree = true;
        for (let c = at; c < at + len; c++) if (rc[c]) roomFree = false;
        if (!roomFree) continue;
        for (let c = at; c < at + len; c++) rc[c] = 1;
        roomId = room.id;
        break;
      }
      const day = days[dayIx]!;
      busy.push({ providerId: provider.id, roomId, start: day.cellStart[at]!, end: day.cellStart[at + len]! });
      placed++;
    }
    if (placed < perProvider) throw new Error(`could only place ${placed} of ${perProvider} busy blocks for ${provider.id}`);
  }
  // The repository returns appointments by start time across providers; shuffle anyway so the
  // algorithm gets no help from the order ("any order" in AvailabilityInput).
  return shuffle(busy, rand);
}

function shuffle<T>(list: T[], rand: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

export interface AvailabilityCase {
  input: AvailabilityInput;
  providers: number;
  rooms: number;
  busyBlocks: number;
  blocksWithRoom: number;
}

function serviceOf(code: ServiceCode): Service {
  const s = defaultCatalog('USD').find((x) => x.code === code);
  if (!s) throw new Error(`no service ${code}`);
  return s;
}

function makeCase(providerCount: number, roomList: Room[], perProvider: number, seed: number): AvailabilityCase {
  const providers = Array.from({ length: providerCount }, (_, i) => therapist(i + 1));
  const busy = generateBusy(providers, roomList, perProvider, seed);
  return {
    input: {
      clinic: benchClinic(),
      service: serviceOf(SERVICE),
      mode: 'in_person',
      providers,
      rooms: roomList,
      busy,
      from: FROM,
      to: TO,
      now: NOW,
      enforceClientPolicy: true,
    },
    providers: providerCount,
    rooms: roomList.length,
    busyBlocks: busy.length,
    blocksWithRoom: busy.filter((b) => b.roomId !== null).length,
  };
}

/** Row 1: one therapist, 200 busy blocks, one dosing and one therapy room. */
export const singleTherapistCase = (): AvailabilityCase => makeCase(1, rooms(1, 1), 200, 1);

/** Row 2: 20 therapists × 200 busy blocks, 3 dosing + 3 therapy rooms. */
export const clinicCase = (): AvailabilityCase => makeCase(20, rooms(3, 3), 200, 2);
