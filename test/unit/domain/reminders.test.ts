import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import {
  appointmentReminders,
  inQuietHours,
  planReminders,
  reminderOffsets,
  type PlannedReminder,
  type ReminderPlanInput,
} from '#domain/reminders.ts';
import { formatInstant } from '#domain/time.ts';
import type { QuietHours } from '#domain/types.ts';
import { HOUR, NY, REGINA, TORONTO, at, clinic } from './fixtures.ts';

const ST_JOHNS = 'America/St_Johns';
const MINUTE = 60_000;
const DAY = 24 * HOUR;
const DEFAULT_QUIET: QuietHours = { start: '21:00', end: '08:00' };
const NO_QUIET: QuietHours = { start: '21:00', end: '21:00' };

/** Plan with defaults (48 h and 2 h, 21:00-08:00, booked long before); each test overrides what matters. */
function plan(overrides: Partial<ReminderPlanInput> & { startsAt: number }): PlannedReminder[] {
  return planReminders({
    zone: NY,
    offsetsHours: [48, 2],
    quietHours: DEFAULT_QUIET,
    now: overrides.startsAt - 30 * DAY,
    ...overrides,
  });
}

/** Reminders as clinic-local ISO times, for readable assertions. */
function local(reminders: PlannedReminder[], zone = NY): string[] {
  return reminders.map((r) => formatInstant(r.sendAt, zone));
}

describe('planReminders: offsets on the wall clock', () => {
  it('48 h and 2 h before 11:00 on the Monday after spring-forward: 11:00 on Saturday and 09:00', () => {
    for (const zone of [NY, TORONTO]) {
      const startsAt = at('2026-03-09', '11:00', zone);
      const r = plan({ startsAt, zone });
      expect(local(r, zone)).toEqual(['2026-03-07T11:00:00-05:00', '2026-03-09T09:00:00-04:00']);
      expect(r.map((x) => x.offsetHours)).toEqual([48, 2]);
      // 47 elapsed hours, not 48: the clock skipped one.
      expect(startsAt - r[0]!.sendAt).toBe(47 * HOUR);
    }
  });

  it('48 h and 2 h before 11:00 on the Monday after fall-back: 11:00 on Saturday and 09:00', () => {
    for (const zone of [NY, TORONTO]) {
      const startsAt = at('2026-11-02', '11:00', zone);
      const r = plan({ startsAt, zone });
      expect(local(r, zone)).toEqual(['2026-10-31T11:00:00-04:00', '2026-11-02T09:00:00-05:00']);
      expect(startsAt - r[0]!.sendAt).toBe(49 * HOUR);
    }
  });

  it('the same in the half-hour zone, and exactly 48 elapsed hours where there is no DST', () => {
    const sj = at('2026-03-09', '11:00', ST_JOHNS);
    expect(local(plan({ startsAt: sj, zone: ST_JOHNS }), ST_JOHNS)).toEqual(['2026-03-07T11:00:00-03:30', '2026-03-09T09:00:00-02:30']);
    const re = at('2026-03-09', '11:00', REGINA);
    const r = plan({ startsAt: re, zone: REGINA });
    expect(local(r, REGINA)).toEqual(['2026-03-07T11:00:00-06:00', '2026-03-09T09:00:00-06:00']);
    expect(re - r[0]!.sendAt).toBe(48 * HOUR);
  });

  it('a wall time in the spring-forward gap resolves to the transition', () => {
    // Monday 02:30 minus 24 h is Sunday 02:30, which does not exist: the clock jumps to 03:00 EDT.
    const r = plan({ startsAt: at('2026-03-09', '02:30'), offsetsHours: [24], quietHours: NO_QUIET });
    expect(local(r)).toEqual(['2026-03-08T03:00:00-04:00']);
    expect(r[0]!.sendAt).toBe(Date.UTC(2026, 2, 8, 7, 0));
  });

  it('an ambiguous fall-back wall time resolves to the earlier instant', () => {
    const r = plan({ startsAt: at('2026-11-02', '01:30'), offsetsHours: [24], quietHours: NO_QUIET });
    expect(local(r)).toEqual(['2026-11-01T01:30:00-04:00']);
    expect(r[0]!.sendAt).toBe(Date.UTC(2026, 10, 1, 5, 30));
  });

  it('offsets of whole days and more keep the local time of day', () => {
    const startsAt = at('2026-11-04', '14:15');
    const r = plan({ startsAt, offsetsHours: [72, 27], quietHours: NO_QUIET });
    expect(local(r)).toEqual(['2026-11-01T14:15:00-05:00', '2026-11-03T11:15:00-05:00']);
  });
});

describe('planReminders: quiet hours', () => {
  it('moves an early-morning reminder to 20:59 the evening before', () => {
    const r = plan({ startsAt: at('2026-06-10', '09:00'), offsetsHours: [3] });
    expect(local(r)).toEqual(['2026-06-09T20:59:00-04:00']);
    expect(r[0]!.offsetHours).toBe(3);
  });

  it('moves a late-evening reminder to 20:59 the same day', () => {
    const r = plan({ startsAt: at('2026-06-10', '10:30'), offsetsHours: [12] });
    expect(local(r)).toEqual(['2026-06-09T20:59:00-04:00']);
  });

  it('an 08:30 appointment: 48 h stays at 08:30, 2 h (06:30) goes at 20:59 the day before', () => {
    const r = plan({ startsAt: at('2026-06-10', '08:30') });
    expect(local(r)).toEqual(['2026-06-08T08:30:00-04:00', '2026-06-09T20:59:00-04:00']);
  });

  it('quiet hours are [start, end): 21:00 and 07:59 move, 20:59 and 08:00 stay', () => {
    expect(local(plan({ startsAt: at('2026-06-10', '09:00'), offsetsHours: [12] }))).toEqual(['2026-06-09T20:59:00-04:00']);
    expect(local(plan({ startsAt: at('2026-06-10', '08:59'), offsetsHours: [12] }))).toEqual(['2026-06-09T20:59:00-04:00']);
    expect(local(plan({ startsAt: at('2026-06-10', '09:59'), offsetsHours: [2] }))).toEqual(['2026-06-09T20:59:00-04:00']);
    expect(local(plan({ startsAt: at('2026-06-10', '10:00'), offsetsHours: [2] }))).toEqual(['2026-06-10T08:00:00-04:00']);
  });

  it('quiet hours that do not cross midnight move to the minute before they begin, the same day', () => {
    const lunch: QuietHours = { start: '12:00', end: '14:00' };
    expect(local(plan({ startsAt: at('2026-06-10', '15:00'), offsetsHours: [2], quietHours: lunch }))).toEqual([
      '2026-06-10T11:59:00-04:00',
    ]);
    expect(local(plan({ startsAt: at('2026-06-10', '14:00'), offsetsHours: [2], quietHours: lunch }))).toEqual([
      '2026-06-10T11:59:00-04:00',
    ]);
    expect(local(plan({ startsAt: at('2026-06-10', '16:00'), offsetsHours: [2], quietHours: lunch }))).toEqual([
      '2026-06-10T14:00:00-04:00',
    ]);
    // 21:00-08:00 would have moved this one; 12:00-14:00 does not.
    expect(local(plan({ startsAt: at('2026-06-10', '09:00'), offsetsHours: [3], quietHours: lunch }))).toEqual([
      '2026-06-10T06:00:00-04:00',
    ]);
  });

  it('quiet hours from midnight move to 23:59 the day before', () => {
    const night: QuietHours = { start: '00:00', end: '06:00' };
    expect(local(plan({ startsAt: at('2026-06-10', '08:00'), offsetsHours: [3], quietHours: night }))).toEqual([
      '2026-06-09T23:59:00-04:00',
    ]);
  });

  it('start == end means no quiet hours', () => {
    for (const quietHours of [NO_QUIET, { start: '00:00', end: '00:00' }]) {
      expect(local(plan({ startsAt: at('2026-06-10', '09:00'), offsetsHours: [3, 12], quietHours }))).toEqual([
        '2026-06-09T21:00:00-04:00',
        '2026-06-10T06:00:00-04:00',
      ]);
    }
  });

  it('quiet hours that begin inside the spring-forward gap: one minute before the transition', () => {
    // 02:30 does not exist on 2026-03-08; the quiet period begins at 03:00 EDT, so 01:59 EST.
    const r = plan({
      startsAt: at('2026-03-08', '09:00'),
      offsetsHours: [5],
      quietHours: { start: '02:30', end: '06:00' },
    });
    expect(local(r)).toEqual(['2026-03-08T01:59:00-05:00']);
  });

  it('when the only allowed minutes of the day fall in the gap, it goes at the last allowed minute before', () => {
    // Allowed only 02:15-02:30, which 2026-03-08 skips: the last allowed minute is Saturday 02:29.
    const quietHours: QuietHours = { start: '02:30', end: '02:15' };
    const r = plan({ startsAt: at('2026-03-08', '12:00'), offsetsHours: [2], quietHours });
    expect(local(r)).toEqual(['2026-03-07T02:29:00-05:00']);
    expect(inQuietHours(r[0]!.sendAt, NY, quietHours)).toBe(false);
  });

  it("uses the clinic zone: 21:00 in St. John's is quiet, whatever the UTC time", () => {
    const r = plan({ startsAt: at('2026-06-11', '09:00', ST_JOHNS), zone: ST_JOHNS, offsetsHours: [12] });
    expect(local(r, ST_JOHNS)).toEqual(['2026-06-10T20:59:00-02:30']);
  });
});

describe('planReminders: what is dropped, merged and ordered', () => {
  it('drops reminders whose time passed when booked; the boundary is sendAt <= now', () => {
    const startsAt = at('2026-06-10', '11:00');
    const at48 = at('2026-06-08', '11:00');
    const at2 = at('2026-06-10', '09:00');
    expect(plan({ startsAt, now: at48 - 1 }).map((r) => r.sendAt)).toEqual([at48, at2]);
    expect(plan({ startsAt, now: at48 }).map((r) => r.sendAt)).toEqual([at2]);
    expect(plan({ startsAt, now: at('2026-06-09', '12:00') }).map((r) => r.offsetHours)).toEqual([2]);
    expect(plan({ startsAt, now: at2 })).toEqual([]);
  });

  it('drops a reminder that quiet hours moved into the past', () => {
    // Booked at 22:00 for 08:30 tomorrow: 2 h before is 06:30, moved to 20:59 today, already gone.
    expect(plan({ startsAt: at('2026-06-10', '08:30'), now: at('2026-06-09', '22:00') })).toEqual([]);
  });

  it('drops a reminder at or after the start', () => {
    const startsAt = at('2026-06-10', '11:00');
    expect(plan({ startsAt, offsetsHours: [0, -3, -24] })).toEqual([]);
    expect(plan({ startsAt, offsetsHours: [0, 2] }).map((r) => r.offsetHours)).toEqual([2]);
  });

  it('two offsets landing on the same instant give one reminder, with the larger offset', () => {
    // 06:30 and 05:30 both move to 20:59 the evening before.
    const r = plan({ startsAt: at('2026-06-10', '08:30'), offsetsHours: [2, 3] });
    expect(r).toEqual([{ offsetHours: 3, sendAt: at('2026-06-09', '20:59') }]);
    expect(plan({ startsAt: at('2026-06-10', '08:30'), offsetsHours: [3, 2] })).toEqual(r);
    // Sunday 02:00 (gap) and 03:00 are the same instant on spring-forward day.
    const g = plan({ startsAt: at('2026-03-09', '12:00'), offsetsHours: [33, 34], quietHours: NO_QUIET });
    expect(g).toEqual([{ offsetHours: 34, sendAt: at('2026-03-08', '03:00') }]);
    // Repeated offsets.
    expect(plan({ startsAt: at('2026-06-10', '11:00'), offsetsHours: [48, 48, 2, 2] })).toHaveLength(2);
  });

  it('is sorted by send time whatever the order of the offsets', () => {
    const r = plan({ startsAt: at('2026-06-10', '11:00'), offsetsHours: [2, 48, 24, 1] });
    expect(r.map((x) => x.offsetHours)).toEqual([48, 24, 2, 1]);
  });

  it('keeps seconds of an off-minute start and skips offsets that are not numbers', () => {
    const startsAt = at('2026-06-10', '11:00') + 30_000;
    expect(plan({ startsAt, offsetsHours: [Number.NaN, 2] })).toEqual([{ offsetHours: 2, sendAt: at('2026-06-10', '09:00') + 30_000 }]);
  });
});

describe('inQuietHours', () => {
  it('reads the clinic-local time against [start, end), crossing midnight or not', () => {
    expect(inQuietHours(at('2026-06-09', '20:59'), NY, DEFAULT_QUIET)).toBe(false);
    expect(inQuietHours(at('2026-06-09', '21:00'), NY, DEFAULT_QUIET)).toBe(true);
    expect(inQuietHours(at('2026-06-09', '00:00'), NY, DEFAULT_QUIET)).toBe(true);
    expect(inQuietHours(at('2026-06-09', '07:59') + 59_999, NY, DEFAULT_QUIET)).toBe(true);
    expect(inQuietHours(at('2026-06-09', '08:00'), NY, DEFAULT_QUIET)).toBe(false);
    const lunch = { start: '12:00', end: '14:00' };
    expect(inQuietHours(at('2026-06-09', '11:59'), NY, lunch)).toBe(false);
    expect(inQuietHours(at('2026-06-09', '12:00'), NY, lunch)).toBe(true);
    expect(inQuietHours(at('2026-06-09', '14:00'), NY, lunch)).toBe(false);
    expect(inQuietHours(at('2026-06-09', '22:00'), NY, lunch)).toBe(false);
  });

  it('is never true when start == end', () => {
    expect(inQuietHours(at('2026-06-09', '21:00'), NY, NO_QUIET)).toBe(false);
    expect(inQuietHours(at('2026-06-09', '03:00'), NY, { start: '00:00', end: '00:00' })).toBe(false);
  });

  it('reads the wall clock east of UTC too: 15:30 UTC is 21:00 in Kolkata', () => {
    const t = Date.UTC(2026, 5, 9, 15, 30);
    expect(inQuietHours(t, 'Asia/Kolkata', DEFAULT_QUIET)).toBe(true);
    expect(inQuietHours(t - MINUTE, 'Asia/Kolkata', DEFAULT_QUIET)).toBe(false);
  });

  it("uses the zone: 22:00 UTC is 18:00 in New York and 19:30 in St. John's", () => {
    const t = Date.UTC(2026, 5, 9, 22, 0);
    expect(inQuietHours(t, NY, { start: '19:00', end: '07:00' })).toBe(false);
    expect(inQuietHours(t, ST_JOHNS, { start: '19:00', end: '07:00' })).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties, checked against an oracle built on luxon alone (not on #domain/time.ts).

const ZONES = [NY, TORONTO, REGINA, ST_JOHNS];
// The DST changes of 2026-2027 in the US and Canada (Regina has none; St. John's changes too).
const CHANGE_DAYS = [Date.UTC(2026, 2, 8), Date.UTC(2026, 10, 1), Date.UTC(2027, 2, 14), Date.UTC(2027, 10, 7)];

/** Wall-clock reading of an instant, encoded as if UTC. */
function reading(ms: number, zone: string): number {
  const d = DateTime.fromMillis(ms, { zone });
  return Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second, d.millisecond);
}

function minuteOfDay(ms: number, zone: string): number {
  const d = DateTime.fromMillis(ms, { zone });
  return d.hour * 60 + d.minute;
}

/** First instant whose reading is `r` or later (the earlier one when ambiguous, the transition in a gap). */
function firstAtOrAfter(r: number, zone: string): number {
  const z = IANAZone.create(zone);
  const offsets = [z.offset(r - 2 * DAY), z.offset(r), z.offset(r + 2 * DAY)].map((o) => o * MINUTE);
  const exact = offsets.map((o) => r - o).filter((t) => reading(t, zone) === r);
  if (exact.length > 0) return Math.min(...exact);
  let lo = r - Math.max(...offsets); // reads before r
  let hi = r - Math.min(...offsets); // reads after r
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reading(mid, zone) >= r) hi = mid;
    else lo = mid;
  }
  return hi;
}

function toMinutes(hm: string): number {
  return Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
}

function oracleQuiet(ms: number, zone: string, q: QuietHours): boolean {
  const s = toMinutes(q.start);
  const e = toMinutes(q.end);
  const m = minuteOfDay(ms, zone);
  if (s === e) return false;
  return s < e ? m >= s && m < e : m >= s || m < e;
}

/** Where the offset lands on the wall clock, before quiet hours. */
function intended(startsAt: number, offsetHours: number, zone: string): { wall: number; at: number } {
  const wall = reading(startsAt, zone) - offsetHours * HOUR;
  return { wall, at: firstAtOrAfter(wall, zone) };
}

/** The last minute before the quiet period containing `ms` began. */
function oracleMove(ms: number, zone: string, q: QuietHours): number {
  const s = toMinutes(q.start);
  const e = toMinutes(q.end);
  const r = reading(ms, zone);
  let dayStart = Math.floor(r / DAY) * DAY;
  if (s > e && minuteOfDay(ms, zone) < e) dayStart -= DAY;
  return firstAtOrAfter(dayStart + s * MINUTE, zone) - MINUTE;
}

function oraclePlan(input: ReminderPlanInput): PlannedReminder[] {
  const best = new Map<number, number>();
  for (const off of input.offsetsHours) {
    let t = intended(input.startsAt, off, input.zone).at;
    if (t >= input.startsAt) continue;
    if (oracleQuiet(t, input.zone, input.quietHours)) t = oracleMove(t, input.zone, input.quietHours);
    if (t <= input.now) continue;
    best.set(t, Math.max(off, best.get(t) ?? -Infinity));
  }
  return [...best].map(([sendAt, offsetHours]) => ({ offsetHours, sendAt })).sort((a, b) => a.sendAt - b.sendAt);
}

const hm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

// Quiet hours on a 5-minute grid, crossing midnight or not, leaving at least an hour allowed; or none.
const quietArb: fc.Arbitrary<QuietHours> = fc.oneof(
  fc.constant(DEFAULT_QUIET),
  fc.integer({ min: 0, max: 287 }).map((s) => ({ start: hm(s * 5), end: hm(s * 5) })),
  fc
    .record({ s: fc.integer({ min: 0, max: 287 }), len: fc.integer({ min: 1, max: 276 }) })
    .map(({ s, len }) => ({ start: hm(s * 5), end: hm(((s + len) * 5) % 1440) })),
);

// Appointment starts: within days of a DST change (5-minute grid), anywhere in 2026-2027, or in
// the small hours of the days right after a change, so that whole-day offsets land in the skipped
// or the repeated hour.
const startsAtArb = (zone: string): fc.Arbitrary<number> =>
  fc.oneof(
    fc
      .record({ day: fc.constantFrom(...CHANGE_DAYS), fiveMin: fc.integer({ min: -12 * 24, max: 4 * 12 * 24 }) })
      .map(({ day, fiveMin }) => day + fiveMin * 5 * MINUTE),
    fc.integer({ min: Date.UTC(2026, 0, 1) / MINUTE, max: Date.UTC(2027, 11, 31) / MINUTE }).map((m) => m * MINUTE),
    fc
      .record({
        day: fc.constantFrom(...CHANGE_DAYS),
        after: fc.integer({ min: 0, max: 3 }),
        minute: fc.integer({ min: 0, max: 5 * 12 - 1 }).map((q) => q * 5),
      })
      .map(({ day, after, minute }) => {
        const d = new Date(day + after * DAY);
        return DateTime.fromObject(
          { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: Math.floor(minute / 60), minute: minute % 60 },
          { zone },
        ).toMillis();
      }),
  );

const inputArb: fc.Arbitrary<ReminderPlanInput> = fc
  .constantFrom(...ZONES)
  .chain((zone) =>
    fc.record({
      zone: fc.constant(zone),
      startsAt: startsAtArb(zone),
      offsetsHours: fc.array(fc.oneof(fc.integer({ min: 1, max: 72 }), fc.constantFrom(24, 48, 72)), {
        minLength: 1,
        maxLength: 5,
      }),
      quietHours: quietArb,
      bookedBefore: fc.oneof(fc.integer({ min: 0, max: 80 * 60 }), fc.constant(30 * 24 * 60)),
    }),
  )
  .map(({ bookedBefore, ...rest }) => ({ ...rest, now: rest.startsAt - bookedBefore * MINUTE }));

describe("planReminders properties (New York, Toronto, Regina, St. John's; DST changes of 2026-2027)", () => {
  it('each reminder is at its wall-clock offset, or moved for quiet hours, or at the transition of a gap', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const { zone, startsAt, quietHours } = input;
        const out = planReminders(input);
        for (const r of out) {
          const { wall, at: target } = intended(startsAt, r.offsetHours, zone);
          if (r.sendAt === target) {
            if (reading(r.sendAt, zone) === wall) {
              // At the intended local time, and its earlier instant when the time occurred twice.
              expect(reading(r.sendAt - HOUR, zone)).not.toBe(wall);
            } else {
              // The wall time did not exist: the instant the clock jumped over it.
              expect(reading(r.sendAt - 1, zone)).toBeLessThan(wall);
              expect(reading(r.sendAt, zone)).toBeGreaterThan(wall);
            }
            expect(oracleQuiet(target, zone, quietHours)).toBe(false);
          } else {
            // Moved: the unmoved time was quiet; the reminder is the last minute before quiet began.
            expect(oracleQuiet(target, zone, quietHours)).toBe(true);
            expect(r.sendAt).toBeLessThan(target);
            expect(oracleQuiet(r.sendAt + MINUTE, zone, quietHours)).toBe(true);
            expect(r.sendAt).toBe(oracleMove(target, zone, quietHours));
            const beforeQuiet = (toMinutes(quietHours.start) + 1439) % 1440;
            const jumped = reading(r.sendAt + MINUTE, zone) - reading(r.sendAt, zone) !== MINUTE;
            if (!jumped) expect(minuteOfDay(r.sendAt, zone)).toBe(beforeQuiet);
            // The quiet period that holds the unmoved time began within a day of it.
            expect(target - r.sendAt).toBeLessThanOrEqual(25 * HOUR);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never in quiet hours, never duplicated, after now, before the start, sorted', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const out = planReminders(input);
        const seen = new Set<number>();
        for (let i = 0; i < out.length; i++) {
          const r = out[i]!;
          expect(oracleQuiet(r.sendAt, input.zone, input.quietHours)).toBe(false);
          expect(inQuietHours(r.sendAt, input.zone, input.quietHours)).toBe(false);
          expect(r.sendAt).toBeGreaterThan(input.now);
          expect(r.sendAt).toBeLessThan(input.startsAt);
          expect(input.offsetsHours).toContain(r.offsetHours);
          expect(seen.has(r.sendAt)).toBe(false);
          seen.add(r.sendAt);
          if (i > 0) expect(out[i - 1]!.sendAt).toBeLessThan(r.sendAt);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('drops nothing it should keep: equals the luxon oracle, and is deterministic', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const out = planReminders(input);
        expect(out).toEqual(oraclePlan(input));
        expect(planReminders({ ...input, offsetsHours: [...input.offsetsHours].reverse() })).toEqual(out);
      }),
      { numRuns: 1000 },
    );
  });

  it('inQuietHours agrees with the oracle at any instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.constantFrom(...ZONES),
        quietArb,
        (ms, zone, q) => {
          expect(inQuietHours(ms, zone, q)).toBe(oracleQuiet(ms, zone, q));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('reminderOffsets and appointmentReminders: the clinic’s policy', () => {
  it('plans at most five offsets, the first five the policy lists', () => {
    expect(reminderOffsets({ reminderOffsetsHours: [72, 48, 24, 12, 6, 2] })).toEqual([72, 48, 24, 12, 6]);
    expect(reminderOffsets({ reminderOffsetsHours: [48, 2] })).toEqual([48, 2]);
  });

  it('a booked appointment’s reminders follow the clinic’s zone, offsets and quiet hours', () => {
    const startsAt = at('2026-06-10', '08:30');
    const c = clinic(NY, { reminderOffsetsHours: [24, 1], quietHours: DEFAULT_QUIET });
    expect(local(appointmentReminders(startsAt, c, startsAt - 30 * DAY))).toEqual([
      '2026-06-09T08:30:00-04:00',
      '2026-06-09T20:59:00-04:00', // 07:30 is quiet: the evening before
    ]);
    expect(appointmentReminders(startsAt, c, startsAt - 30 * DAY).map((r) => r.offsetHours)).toEqual([24, 1]);
  });
});
