import { describe, expect, it } from 'vitest';
import { heldDuring, inTimeOff, TIME_OFF_MAX_DAYS, timeOffBusy, timeOffIssues, type TimeOff } from '#domain/time-off.ts';
import { bookingViolations, type BookingCheckInput } from '#domain/booking-rules.ts';
import { computeAvailability } from '#domain/availability.ts';
import { DAY, HOUR, NY, appt, at, clinic, provider, service, wallTimesOn } from './fixtures.ts';

const NOW = at('2026-06-01', '08:00');

function off(providerId: string | null, from: string, to: string, date = '2026-06-10'): TimeOff {
  return { id: `off-${from}`, clinicId: 'c1', providerId, startsAt: at(date, from), endsAt: at(date, to), createdBy: 'fd', createdAt: NOW };
}

describe('timeOffIssues', () => {
  const start = at('2026-06-10', '09:00');
  it.each([
    ['a span in the future', { startsAt: start, endsAt: start + HOUR }, []],
    ['one already begun but not over (the rest of today)', { startsAt: NOW - HOUR, endsAt: NOW + HOUR }, []],
    ['exactly the longest', { startsAt: start, endsAt: start + TIME_OFF_MAX_DAYS * DAY }, []],
    ['an end before the start', { startsAt: start, endsAt: start - HOUR }, ['endsAt']],
    ['an end at the start', { startsAt: start, endsAt: start }, ['endsAt']],
    ['over already', { startsAt: NOW - 2 * HOUR, endsAt: NOW }, ['endsAt']],
    ['longer than the longest', { startsAt: start, endsAt: start + TIME_OFF_MAX_DAYS * DAY + 15 * 60_000 }, ['endsAt']],
  ])('%s', (_name, span, paths) => {
    expect(timeOffIssues(span, NOW).map((i) => i.path)).toEqual(paths);
  });
});

describe('inTimeOff', () => {
  const entries = [off('p1', '12:00', '14:00')];
  it.each([
    ['inside', 'p1', '12:30', '13:30', true],
    ['overlapping its start', 'p1', '11:30', '12:15', true],
    ['overlapping its end', 'p1', '13:45', '14:45', true],
    ['covering it', 'p1', '11:00', '15:00', true],
    ['ending at its start', 'p1', '11:00', '12:00', false],
    ['starting at its end', 'p1', '14:00', '15:00', false],
    ["another provider's time", 'p2', '12:30', '13:30', false],
  ])('%s', (_name, providerId, from, to, expected) => {
    expect(inTimeOff(entries, providerId, at('2026-06-10', from), at('2026-06-10', to))).toBe(expected);
  });

  it("the clinic's closure binds every provider, one it does not name included", () => {
    const closed = [off(null, '12:00', '14:00')];
    for (const providerId of ['p1', 'p2', 'a-provider-added-later']) {
      expect(inTimeOff(closed, providerId, at('2026-06-10', '12:30'), at('2026-06-10', '13:30'))).toBe(true);
      expect(inTimeOff(closed, providerId, at('2026-06-10', '14:00'), at('2026-06-10', '15:00'))).toBe(false);
    }
  });
});

describe('a booking in time off', () => {
  const prep = (time: string, timeOff: TimeOff[]): BookingCheckInput => {
    const startsAt = at('2026-06-10', time);
    return {
      clinic: clinic(NY),
      service: service('preparation'),
      provider: provider('p1'),
      mode: 'in_person',
      client: null,
      startsAt,
      endsAt: startsAt + HOUR,
      now: NOW,
      actor: 'staff',
      clientAppointments: [],
      timeOff,
    };
  };
  it('is outside_hours for staff too; next to it is not', () => {
    const entries = [off('p1', '12:00', '14:00')];
    expect(bookingViolations(prep('12:00', entries))).toEqual(['outside_hours']);
    expect(bookingViolations(prep('11:30', entries))).toEqual(['outside_hours']);
    expect(bookingViolations(prep('11:00', entries))).toEqual([]);
    expect(bookingViolations(prep('14:00', entries))).toEqual([]);
    expect(bookingViolations(prep('12:00', [off('p2', '12:00', '14:00')]))).toEqual([]);
    expect(bookingViolations(prep('12:00', [off(null, '12:00', '14:00')]))).toEqual(['outside_hours']);
  });
});

describe('heldDuring', () => {
  const session = (id: string, providerId: string, from: string, status = 'booked') => ({
    id,
    providerId,
    status,
    startsAt: at('2026-06-10', from),
    endsAt: at('2026-06-10', from) + HOUR,
  });
  const sessions = [
    session('a', 'p1', '12:30'),
    session('b', 'p2', '11:30'),
    session('c', 'p2', '13:00', 'cancelled'),
    session('d', 'p3', '14:00'),
    session('e', 'p1', '12:00', 'checked_in'),
  ];
  it("the provider's own sessions still to be held, by start", () => {
    expect(heldDuring(sessions, off('p1', '12:00', '14:00')).map((a) => a.id)).toEqual(['e', 'a']);
  });
  it("a closure holds every provider's", () => {
    expect(heldDuring(sessions, off(null, '12:00', '14:00')).map((a) => a.id)).toEqual(['b', 'e', 'a']);
  });
});

describe('availability with time off', () => {
  it("offers none of the provider's starts that would overlap it", () => {
    const entries = [off('p1', '10:00', '12:00')];
    const slots = computeAvailability({
      clinic: clinic(NY),
      service: service('preparation'),
      mode: 'telehealth',
      providers: [provider('p1')],
      rooms: [],
      busy: timeOffBusy(entries, ['p1']),
      from: '2026-06-10',
      to: '2026-06-10',
      now: NOW,
      enforceClientPolicy: false,
    });
    const times = wallTimesOn('2026-06-10', slots);
    expect(times).toContain('09:00');
    expect(times.filter((t) => t > '09:00' && t < '12:00')).toEqual([]);
    expect(times).toContain('12:00');
  });

  it("offers none of any provider's starts in the clinic's closure", () => {
    const entries = [off(null, '10:00', '12:00')];
    const slots = computeAvailability({
      clinic: clinic(NY),
      service: service('preparation'),
      mode: 'telehealth',
      providers: [provider('p1'), provider('p2')],
      rooms: [],
      busy: timeOffBusy(entries, ['p1', 'p2']),
      from: '2026-06-10',
      to: '2026-06-10',
      now: NOW,
      enforceClientPolicy: false,
    });
    const starts = slots.filter((s) => wallTimesOn('2026-06-10', [s]).some((t) => t > '09:00' && t < '12:00'));
    expect(starts).toEqual([]);
    expect(new Set(slots.map((s) => s.providerId))).toEqual(new Set(['p1', 'p2']));
  });
});

describe('heldDuring', () => {
  it("lists the provider's sessions still to be held that overlap it, by start", () => {
    const span = off('p1', '12:00', '16:00');
    const later = appt('preparation', at('2026-06-10', '15:30'), { id: 'later', providerId: 'p1' });
    const earlier = appt('preparation', at('2026-06-10', '11:30'), { id: 'earlier', providerId: 'p1', status: 'checked_in' });
    const list = [
      later,
      earlier,
      appt('preparation', at('2026-06-10', '11:00'), { id: 'before', providerId: 'p1' }),
      appt('preparation', at('2026-06-10', '16:00'), { id: 'after', providerId: 'p1' }),
      appt('preparation', at('2026-06-10', '13:00'), { id: 'cancelled', providerId: 'p1', status: 'cancelled' }),
      appt('preparation', at('2026-06-10', '13:00'), { id: 'other', providerId: 'p2' }),
    ];
    expect(heldDuring(list, span).map((a) => a.id)).toEqual(['earlier', 'later']);
  });
});
