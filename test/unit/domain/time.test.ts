import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addDays,
  enumerateDates,
  formatInstant,
  isValidDate,
  isValidZone,
  localDate,
  localDay,
  localDayEnd,
  localDayStart,
  localReading,
  wallClockBoundary,
  wallClockToInstant,
  weekdayOf,
} from '#domain/time.ts';
import { HOUR, NY, REGINA, TORONTO } from './fixtures.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('isValidZone', () => {
  it('accepts IANA zones and rejects anything else', () => {
    expect(isValidZone(NY)).toBe(true);
    expect(isValidZone(TORONTO)).toBe(true);
    expect(isValidZone('UTC')).toBe(true);
    expect(isValidZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidZone('+05:00')).toBe(false);
    expect(isValidZone('')).toBe(false);
  });
});

describe('localReading: offsets from the runtime zone data', () => {
  // luxon is the independent oracle here: the code under test reads Intl itself.
  const zones = Intl.supportedValuesOf('timeZone');

  it('agrees with luxon on every zone the runtime knows, from 1850 to 2100', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2100, 0, 1) }), (zone, ms) => {
        const dt = DateTime.fromMillis(ms, { zone });
        expect(localReading(ms, zone)).toEqual({
          year: dt.year,
          month: dt.month,
          day: dt.day,
          weekday: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][dt.weekday - 1],
          hour: dt.hour,
          minute: dt.minute,
          offsetMinutes: dt.offset,
        });
      }),
      { numRuns: 20_000 },
    );
  });

  it('keeps the sign of offsets under an hour west of UTC, and their seconds', () => {
    // Liberia kept -0:44:30 until 1972; Abidjan's local mean time was -0:16:08.
    expect(localReading(Date.UTC(1960, 0, 1, 12), 'Africa/Monrovia').offsetMinutes).toBe(-44.5);
    expect(localReading(Date.UTC(1960, 0, 1, 12), 'Africa/Monrovia').hour).toBe(11);
    expect(localReading(Date.UTC(1899, 0, 1), 'Africa/Abidjan').offsetMinutes).toBeCloseTo(-(16 + 8 / 60), 10);
    expect(localReading(Date.UTC(2026, 0, 1), 'Asia/Kathmandu').offsetMinutes).toBe(345);
    expect(localReading(Date.UTC(2026, 0, 1), 'America/St_Johns').offsetMinutes).toBe(-210);
    expect(localReading(Date.UTC(2026, 0, 1), 'UTC').offsetMinutes).toBe(0);
  });

  it('rejects an unknown zone or a non-instant', () => {
    expect(() => localReading(0, 'Nowhere/Land')).toThrow(RangeError);
    expect(() => localReading(Number.NaN, NY)).toThrow(RangeError);
    expect(() => localReading(9e15, NY)).toThrow(RangeError);
  });
});

describe('formatInstant', () => {
  it('gives clinic-local time with its offset and whole seconds', () => {
    expect(formatInstant(Date.UTC(2026, 11, 3, 14, 0, 0, 0), NY)).toBe('2026-12-03T09:00:00-05:00');
    expect(formatInstant(Date.UTC(2026, 6, 3, 13, 0, 0, 0), NY)).toBe('2026-07-03T09:00:00-04:00');
    expect(formatInstant(Date.UTC(2026, 6, 3, 15, 0, 0, 0), REGINA)).toBe('2026-07-03T09:00:00-06:00');
    expect(formatInstant(Date.UTC(2026, 0, 1, 12, 0, 5, 789), NY)).toBe('2026-01-01T07:00:05-05:00');
    expect(formatInstant(Date.UTC(2026, 0, 1, 0, 0, 0), 'Asia/Kolkata')).toBe('2026-01-01T05:30:00+05:30');
  });

  it('never uses Z, even in UTC', () => {
    expect(formatInstant(Date.UTC(2026, 0, 1, 12), 'UTC')).toBe('2026-01-01T12:00:00+00:00');
  });

  it('rejects an unknown zone or a non-instant', () => {
    expect(() => formatInstant(0, 'Nowhere/Land')).toThrow(RangeError);
    expect(() => formatInstant(Number.NaN, NY)).toThrow(RangeError);
    expect(() => localDate(Number.NaN, NY)).toThrow(RangeError);
    // finite, but past what a Date holds
    expect(() => formatInstant(9e15, NY)).toThrow(RangeError);
    expect(() => localDate(9e15, NY)).toThrow(RangeError);
  });

  it('agrees with luxon on random instants', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(NY, TORONTO, REGINA, 'America/Los_Angeles', 'America/St_Johns', 'Europe/London'),
        (ms, zone) => {
          const expected = DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
          expect(formatInstant(ms, zone)).toBe(expected);
          expect(localDate(ms, zone)).toBe(expected.slice(0, 10));
        },
      ),
    );
  });
});

describe('localDate', () => {
  it('is the clinic-local date, not the UTC one', () => {
    expect(localDate(Date.UTC(2026, 11, 4, 3, 0), NY)).toBe('2026-12-03');
    expect(localDate(Date.UTC(2026, 11, 4, 5, 0), NY)).toBe('2026-12-04');
  });
});

describe('local day bounds', () => {
  it('are 24 h on ordinary days, 23 h on spring-forward and 25 h on fall-back day', () => {
    for (const zone of [NY, TORONTO]) {
      expect(localDayEnd('2026-03-07', zone) - localDayStart('2026-03-07', zone)).toBe(24 * HOUR);
      expect(localDayEnd('2026-03-08', zone) - localDayStart('2026-03-08', zone)).toBe(23 * HOUR);
      expect(localDayEnd('2026-11-01', zone) - localDayStart('2026-11-01', zone)).toBe(25 * HOUR);
    }
    expect(localDayEnd('2026-03-08', REGINA) - localDayStart('2026-03-08', REGINA)).toBe(24 * HOUR);
  });

  it('start at local midnight and end at the next one', () => {
    expect(iso(localDayStart('2026-03-08', NY))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(localDayEnd('2026-03-08', NY))).toBe('2026-03-09T04:00:00.000Z');
    expect(localDayEnd('2026-05-31', NY)).toBe(localDayStart('2026-06-01', NY));
  });

  it('start at the first instant of a day whose midnight is skipped', () => {
    // America/Havana springs forward at midnight: 2026-03-08 begins at 01:00 CDT.
    expect(formatInstant(localDayStart('2026-03-08', 'America/Havana'), 'America/Havana')).toBe('2026-03-08T01:00:00-04:00');
  });
});

describe('wallClockToInstant', () => {
  it('resolves ordinary times', () => {
    expect(iso(wallClockToInstant('2026-12-03', '09:00', NY))).toBe('2026-12-03T14:00:00.000Z');
    expect(iso(wallClockToInstant('2026-07-03', '09:00', REGINA))).toBe('2026-07-03T15:00:00.000Z');
  });

  it('returns null inside the spring-forward gap', () => {
    for (const zone of [NY, TORONTO]) {
      expect(wallClockToInstant('2026-03-08', '02:00', zone)).toBeNull();
      expect(wallClockToInstant('2026-03-08', '02:30', zone)).toBeNull();
      expect(iso(wallClockToInstant('2026-03-08', '01:59', zone))).toBe('2026-03-08T06:59:00.000Z');
      expect(iso(wallClockToInstant('2026-03-08', '03:00', zone))).toBe('2026-03-08T07:00:00.000Z');
    }
  });

  it('returns the earlier instant of an ambiguous fall-back time', () => {
    for (const zone of [NY, TORONTO]) {
      expect(iso(wallClockToInstant('2026-11-01', '01:30', zone))).toBe('2026-11-01T05:30:00.000Z');
      expect(iso(wallClockToInstant('2026-11-01', '01:00', zone))).toBe('2026-11-01T05:00:00.000Z');
      expect(iso(wallClockToInstant('2026-11-01', '02:00', zone))).toBe('2026-11-01T07:00:00.000Z');
    }
  });

  it('rejects malformed input', () => {
    expect(() => wallClockToInstant('2026-12-03', '9:00', NY)).toThrow(RangeError);
    expect(() => wallClockToInstant('2026-12-03', '24:00', NY)).toThrow(RangeError);
    expect(() => wallClockToInstant('2026-02-30', '09:00', NY)).toThrow(RangeError);
  });
});

describe('wallClockBoundary', () => {
  it('is the transition when the time falls in the gap, and the next midnight for 24:00', () => {
    expect(iso(wallClockBoundary('2026-03-08', '02:30', NY))).toBe('2026-03-08T07:00:00.000Z');
    expect(wallClockBoundary('2026-03-08', '24:00', NY)).toBe(localDayEnd('2026-03-08', NY));
    expect(wallClockBoundary('2026-11-01', '01:30', NY)).toBe(wallClockToInstant('2026-11-01', '01:30', NY));
  });
});

describe('localDay', () => {
  it('resolves every minute like wallClockToInstant, around DST changes too', () => {
    const dates = ['2026-03-07', '2026-03-08', '2026-03-09', '2026-10-31', '2026-11-01', '2026-11-02', '2026-06-15'];
    fc.assert(
      fc.property(
        fc.constantFrom(...dates),
        fc.constantFrom(NY, TORONTO, REGINA, 'Australia/Lord_Howe', 'America/St_Johns'),
        fc.integer({ min: 0, max: 1439 }),
        (date, zone, minute) => {
          const hh = String(Math.floor(minute / 60)).padStart(2, '0');
          const mm = String(minute % 60).padStart(2, '0');
          expect(localDay(date, zone).instantsAt(minute)[0] ?? null).toBe(wallClockToInstant(date, `${hh}:${mm}`, zone));
          expect(localDay(date, zone).boundaryAt(minute)).toBe(wallClockBoundary(date, `${hh}:${mm}`, zone));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with a minute-by-minute scan of the real clock', () => {
    // Every instant at which the wall clock shows each HH:mm (two in the repeated hour), ascending.
    for (const [date, zone] of [
      ['2026-03-08', NY],
      ['2026-11-01', TORONTO],
      ['2026-04-05', 'Australia/Lord_Howe'],
    ] as const) {
      const every = new Map<string, number[]>();
      for (let t = localDayStart(date, zone); t < localDayEnd(date, zone); t += 60_000) {
        const hm = formatInstant(t, zone).slice(11, 16);
        every.set(hm, [...(every.get(hm) ?? []), t]);
      }
      const day = localDay(date, zone);
      for (let m = 0; m < 1440; m += 1) {
        const hm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        expect(day.instantsAt(m)).toEqual(every.get(hm) ?? []);
      }
    }
  });
});

describe('calendar dates', () => {
  it('weekdayOf', () => {
    expect(weekdayOf('2026-03-08')).toBe('sun');
    expect(weekdayOf('2026-03-09')).toBe('mon');
    expect(weekdayOf('2026-12-03')).toBe('thu');
    expect(weekdayOf('2028-02-29')).toBe('tue');
  });

  it('addDays crosses months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-08', 0)).toBe('2026-03-08');
  });

  it('enumerateDates is inclusive and empty when reversed', () => {
    expect(enumerateDates('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(enumerateDates('2026-03-08', '2026-03-08')).toEqual(['2026-03-08']);
    expect(enumerateDates('2026-03-09', '2026-03-08')).toEqual([]);
  });

  it('isValidDate accepts only real, strictly formatted dates', () => {
    expect(isValidDate('2026-03-08')).toBe(true);
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2026-13-01')).toBe(false);
    expect(isValidDate('2026-04-31')).toBe(false);
    expect(isValidDate('2026-3-08')).toBe(false);
    expect(isValidDate('2026-03-08T00:00')).toBe(false);
    expect(isValidDate('')).toBe(false);
  });
});
