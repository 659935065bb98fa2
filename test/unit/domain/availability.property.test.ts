import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeAvailability, type BusyBlock } from '#domain/availability.ts';
import { bookingViolations } from '#domain/booking-rules.ts';
import { addDays, enumerateDates, formatInstant, localDayEnd, localDayStart, weekdayOf } from '#domain/time.ts';
import { WEEKDAYS, type WeeklyHours } from '#domain/types.ts';
import { NY, REGINA, TORONTO, client, clinic, provider, room, service } from './fixtures.ts';

const ZONES = [NY, TORONTO, REGINA, 'America/Los_Angeles', 'America/St_Johns'];
// Dates near the 2026 DST changes (and ordinary ones) so the gap and the repeated hour come up often.
const FROM_DATES = ['2026-03-06', '2026-03-07', '2026-03-08', '2026-10-30', '2026-10-31', '2026-11-01', '2026-06-10'];
const hm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const toMinute = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const hoursArb: fc.Arbitrary<WeeklyHours[]> = fc.array(
  fc
    .record({
      day: fc.constantFrom(...WEEKDAYS),
      start: fc.integer({ min: 0, max: 22 * 4 }).map((q) => q * 15),
      length: fc.integer({ min: 1, max: 12 * 4 }).map((q) => q * 15),
    })
    .map(({ day, start, length }) => ({ day, start: hm(start), end: hm(Math.min(start + length, 24 * 60)) })),
  { minLength: 1, maxLength: 6 },
);

const scenarioArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  from: fc.constantFrom(...FROM_DATES),
  days: fc.integer({ min: 1, max: 4 }),
  step: fc.constantFrom(15, 30, 60),
  duration: fc.constantFrom(30, 45, 60, 180),
  hours: fc.array(hoursArb, { minLength: 1, maxLength: 3 }),
  busy: fc.array(
    fc.record({
      provider: fc.integer({ min: 0, max: 2 }),
      room: fc.constantFrom(null, 'r1', 'r2'),
      offsetMinutes: fc.integer({ min: -12 * 60, max: 5 * 24 * 60 }),
      length: fc.integer({ min: 1, max: 240 }),
    }),
    { maxLength: 25 },
  ),
  inPerson: fc.boolean(),
});

describe('availability properties', () => {
  it('slots are unique per provider, sit on the wall-clock grid inside hours, avoid busy time and pass outside_hours', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const c = clinic(sc.zone, { slotStepMinutes: sc.step });
        const svc = service('preparation', { durationMinutes: sc.duration });
        const providers = sc.hours.map((weeklyHours, i) => provider(`p${i}`, { weeklyHours }));
        const rooms = [room('r2', 'therapy'), room('r1', 'therapy')];
        const base = localDayStart(sc.from, sc.zone);
        const busy: BusyBlock[] = sc.busy.map((b) => ({
          providerId: `p${b.provider}`,
          roomId: b.room,
          start: base + b.offsetMinutes * 60_000,
          end: base + (b.offsetMinutes + b.length) * 60_000,
        }));
        const to = addDays(sc.from, sc.days - 1);
        const slots = computeAvailability({
          clinic: c,
          service: svc,
          mode: sc.inPerson ? 'in_person' : 'telehealth',
          providers,
          rooms,
          busy,
          from: sc.from,
          to,
          now: base - 1,
          enforceClientPolicy: false,
        });

        for (let i = 1; i < slots.length; i++) {
          const a = slots[i - 1]!;
          const b = slots[i]!;
          expect(a.startsAt < b.startsAt || (a.startsAt === b.startsAt && a.providerId < b.providerId)).toBe(true);
        }

        const seen = new Set<string>();
        for (const s of slots) {
          expect(s.endsAt - s.startsAt).toBe(sc.duration * 60_000);
          expect(s.startsAt).toBeGreaterThanOrEqual(localDayStart(sc.from, sc.zone));
          expect(s.startsAt).toBeLessThan(localDayEnd(to, sc.zone));

          // A provider's slots are alternatives and may overlap each other; each start is offered once.
          const key = `${s.providerId}@${s.startsAt}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);

          const local = formatInstant(s.startsAt, sc.zone);
          const date = local.slice(0, 10);
          const minute = toMinute(local.slice(11, 16));
          const p = providers.find((x) => x.id === s.providerId)!;
          const windows = p.weeklyHours.filter((h) => h.day === weekdayOf(date));
          const onGrid = windows.some(
            (h) => minute >= toMinute(h.start) && minute < toMinute(h.end) && (minute - toMinute(h.start)) % sc.step === 0,
          );
          expect(onGrid).toBe(true);

          const violations = bookingViolations({
            clinic: c,
            service: svc,
            provider: p,
            mode: 'telehealth',
            client: client(),
            startsAt: s.startsAt,
            endsAt: s.endsAt,
            now: base - 1,
            actor: 'staff',
            clientAppointments: [],
          });
          expect(violations).not.toContain('outside_hours');

          for (const b of busy) {
            const overlaps = b.start < s.endsAt && s.startsAt < b.end;
            if (overlaps) expect(b.providerId === s.providerId || (s.roomId !== null && b.roomId === s.roomId)).toBe(false);
          }
          if (sc.inPerson) expect(['r1', 'r2']).toContain(s.roomId);
          else expect(s.roomId).toBeNull();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('equals a brute-force reference: no start lost, moved or duplicated across DST, busy time and rooms respected', () => {
    // Reference: scan each day minute by minute, take every instant showing each grid wall time
    // (two in the hour a fall-back repeats), keep those whose session ends by the first instant
    // showing the window end, then drop those that overlap the provider's busy time or find no free
    // room (first by id).
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...FROM_DATES),
        fc.array(hoursArb, { minLength: 1, maxLength: 2 }),
        fc.constantFrom(15, 30, 60),
        fc.constantFrom(30, 60, 180),
        fc.boolean(),
        fc.array(
          fc.record({
            provider: fc.integer({ min: 0, max: 1 }),
            room: fc.constantFrom(null, 'r1', 'r2'),
            offsetMinutes: fc.integer({ min: -6 * 60, max: 3 * 24 * 60 }),
            length: fc.integer({ min: 1, max: 240 }),
          }),
          { maxLength: 12 },
        ),
        (zone, date, hoursList, step, duration, inPerson, blocks) => {
          const dates = enumerateDates(date, addDays(date, 1));
          const providers = hoursList.map((weeklyHours, i) => provider(`p${i}`, { weeklyHours }));
          const base = localDayStart(date, zone);
          const busy: BusyBlock[] = blocks.map((b) => ({
            providerId: `p${b.provider}`,
            roomId: b.room,
            start: base + b.offsetMinutes * 60_000,
            end: base + (b.offsetMinutes + b.length) * 60_000,
          }));
          const slots = computeAvailability({
            clinic: clinic(zone, { slotStepMinutes: step }),
            service: service('preparation', { durationMinutes: duration }),
            mode: inPerson ? 'in_person' : 'telehealth',
            providers,
            rooms: [room('r2', 'therapy'), room('r1', 'therapy'), room('d1', 'dosing')],
            busy,
            from: dates[0]!,
            to: dates[1]!,
            now: 0,
            enforceClientPolicy: false,
          });

          const overlaps = (b: BusyBlock, s: number) => b.start < s + duration * 60_000 && s < b.end;
          const expected: { startsAt: number; providerId: string; roomId: string | null }[] = [];
          for (const d of dates) {
            const first = new Map<number, number>();
            const every = new Map<number, number[]>();
            const dayEnd = localDayEnd(d, zone);
            for (let t = localDayStart(d, zone); t < dayEnd; t += 60_000) {
              const m = toMinute(formatInstant(t, zone).slice(11, 16));
              if (!first.has(m)) first.set(m, t);
              every.set(m, [...(every.get(m) ?? []), t]);
            }
            const boundary = (m: number) => {
              let best = dayEnd;
              for (const [wall, t] of first) if (wall >= m && t < best) best = t;
              return best;
            };
            for (const p of providers) {
              const starts = new Set<number>();
              for (const h of p.weeklyHours.filter((x) => x.day === weekdayOf(d))) {
                const end = boundary(toMinute(h.end));
                for (let m = toMinute(h.start); m < toMinute(h.end); m += step) {
                  for (const t of every.get(m) ?? []) if (t + duration * 60_000 <= end) starts.add(t);
                }
              }
              for (const t of starts) {
                if (busy.some((b) => b.providerId === p.id && overlaps(b, t))) continue;
                const roomId = inPerson ? (['r1', 'r2'].find((r) => !busy.some((b) => b.roomId === r && overlaps(b, t))) ?? null) : null;
                if (inPerson && roomId === null) continue;
                expected.push({ startsAt: t, providerId: p.id, roomId });
              }
            }
          }
          expected.sort((a, b) => a.startsAt - b.startsAt || (a.providerId < b.providerId ? -1 : 1));
          expect(slots.map(({ startsAt, providerId, roomId }) => ({ startsAt, providerId, roomId }))).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
