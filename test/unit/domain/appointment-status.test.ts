import { describe, expect, it } from 'vitest';
import { isLateCancellation, nextStatus, type AppointmentAction } from '#domain/appointment-status.ts';
import { ConflictError } from '#domain/errors.ts';
import { APPOINTMENT_STATUSES, type Appointment, type AppointmentStatus, type Mode } from '#domain/types.ts';
import { HOUR, NY, clinic } from './fixtures.ts';

const MINUTE = 60_000;
/** 2026-06-10 10:00 in New York (EDT). */
const START = Date.UTC(2026, 5, 10, 14);
const CLINIC = clinic(NY);
const BEFORE = START - HOUR;
const AFTER = START + HOUR;

const ACTIONS: AppointmentAction[] = ['reschedule', 'cancel', 'check_in', 'no_show', 'complete'];

/** Every legal move as [from, action, mode, now, to]; everything else must be refused. */
const LEGAL: [AppointmentStatus, AppointmentAction, Mode, number, AppointmentStatus][] = [
  ['booked', 'reschedule', 'in_person', BEFORE, 'booked'],
  ['booked', 'reschedule', 'telehealth', BEFORE, 'booked'],
  ['booked', 'cancel', 'in_person', BEFORE, 'cancelled'],
  ['booked', 'cancel', 'telehealth', AFTER, 'cancelled'],
  ['booked', 'check_in', 'in_person', BEFORE, 'checked_in'],
  ['booked', 'check_in', 'telehealth', BEFORE, 'checked_in'],
  ['booked', 'no_show', 'in_person', START, 'no_show'],
  ['booked', 'no_show', 'telehealth', AFTER, 'no_show'],
  ['booked', 'check_in', 'in_person', AFTER, 'checked_in'],
  ['checked_in', 'complete', 'in_person', START, 'completed'],
  ['checked_in', 'complete', 'in_person', AFTER, 'completed'],
  ['checked_in', 'complete', 'telehealth', AFTER, 'completed'],
  ['booked', 'complete', 'telehealth', START, 'completed'],
  ['booked', 'complete', 'telehealth', AFTER, 'completed'],
];

function isLegal(from: AppointmentStatus, action: AppointmentAction, mode: Mode, now: number): boolean {
  if (from === 'booked' && (action === 'reschedule' || action === 'cancel' || action === 'check_in')) return true;
  if (from === 'booked' && action === 'no_show') return now >= START;
  if (action === 'complete') return now >= START && (from === 'checked_in' || (from === 'booked' && mode === 'telehealth'));
  return false;
}

describe('nextStatus', () => {
  for (const [from, action, mode, now, to] of LEGAL) {
    it(`${from} --${action} (${mode})--> ${to}`, () => {
      expect(nextStatus({ status: from, mode, startsAt: START }, action, now, CLINIC)).toBe(to);
    });
  }

  it('refuses every other move with a ConflictError', () => {
    let refused = 0;
    for (const from of APPOINTMENT_STATUSES) {
      for (const action of ACTIONS) {
        for (const mode of ['in_person', 'telehealth'] as const) {
          for (const now of [BEFORE, START, AFTER]) {
            const attempt = () => nextStatus({ status: from, mode, startsAt: START }, action, now, CLINIC);
            if (isLegal(from, action, mode, now)) {
              expect(attempt).not.toThrow();
            } else {
              expect(attempt).toThrow(ConflictError);
              refused++;
            }
          }
        }
      }
    }
    // 5 statuses × 5 actions × 2 modes × 3 times, less the legal combinations.
    expect(refused).toBe(150 - 28);
  });

  it('terminal statuses allow nothing', () => {
    for (const from of ['completed', 'cancelled', 'no_show'] as const) {
      for (const action of ACTIONS) {
        expect(() => nextStatus({ status: from, mode: 'telehealth', startsAt: START }, action, AFTER, CLINIC)).toThrow(ConflictError);
      }
    }
  });

  it('a no-show cannot be recorded before the start', () => {
    expect(() => nextStatus({ status: 'booked', mode: 'in_person', startsAt: START }, 'no_show', START - 1)).toThrow(ConflictError);
    expect(nextStatus({ status: 'booked', mode: 'in_person', startsAt: START }, 'no_show', START)).toBe('no_show');
  });

  it('an in-person appointment must be checked in before it completes', () => {
    expect(() => nextStatus({ status: 'booked', mode: 'in_person', startsAt: START }, 'complete', AFTER, CLINIC)).toThrow(/checked in/);
  });

  it('a refusal says why: the status the appointment is in, or that it has not started', () => {
    const cancelled: Pick<Appointment, 'status' | 'mode' | 'startsAt'> = { status: 'cancelled', mode: 'in_person', startsAt: START };
    const refusal = (action: AppointmentAction, appt = cancelled, now = AFTER) => {
      try {
        nextStatus(appt, action, now, CLINIC);
      } catch (e) {
        return e instanceof ConflictError ? e.message : String(e);
      }
      return 'allowed';
    };
    expect(refusal('reschedule')).toBe('Only a booked appointment can be rescheduled (it is cancelled)');
    expect(refusal('cancel')).toBe('Only a booked appointment can be cancelled (it is cancelled)');
    expect(refusal('no_show')).toBe('Only a booked appointment can be marked a no-show (it is cancelled)');
    // a cancelled appointment is not told to check in first: only a booked in-person one is
    expect(refusal('complete')).toBe('Only a checked-in appointment can be completed (it is cancelled)');
    expect(refusal('complete', { ...cancelled, status: 'booked' })).toBe(
      'An in-person appointment must be checked in before it is completed',
    );
    expect(refusal('no_show', { ...cancelled, status: 'booked' }, START - 1)).toBe(
      'A no-show can only be recorded once the appointment has started',
    );
  });

  it('a checked-in appointment can no longer be moved, cancelled or marked a no-show', () => {
    for (const action of ['reschedule', 'cancel', 'no_show', 'check_in'] as const) {
      expect(() => nextStatus({ status: 'checked_in', mode: 'in_person', startsAt: START }, action, AFTER, CLINIC)).toThrow(ConflictError);
    }
  });
});

describe('completing early', () => {
  it('an appointment completes at its start, not a millisecond before', () => {
    for (const [status, mode] of [
      ['checked_in', 'in_person'],
      ['checked_in', 'telehealth'],
      ['booked', 'telehealth'],
    ] as const) {
      expect(() => nextStatus({ status, mode, startsAt: START }, 'complete', START - 1, CLINIC)).toThrow(/once it has started/);
      expect(nextStatus({ status, mode, startsAt: START }, 'complete', START, CLINIC)).toBe('completed');
    }
  });

  it('an intake booked weeks ahead cannot be completed today', () => {
    const feb = Date.UTC(2027, 1, 15, 15);
    const today = Date.UTC(2026, 11, 1, 12);
    expect(() => nextStatus({ status: 'booked', mode: 'telehealth', startsAt: feb }, 'complete', today, CLINIC)).toThrow(ConflictError);
    expect(() => nextStatus({ status: 'booked', mode: 'in_person', startsAt: feb }, 'check_in', today, CLINIC)).toThrow(ConflictError);
  });
});

describe('check-in window', () => {
  const booked = (startsAt: number, mode: Mode = 'in_person') => ({ status: 'booked' as const, mode, startsAt });
  const opens = (startsAt: number, now: number, c = CLINIC) => {
    try {
      return nextStatus(booked(startsAt), 'check_in', now, c) === 'checked_in';
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  };

  it('opens exactly checkInLeadMinutes (default 120) before the start', () => {
    expect(CLINIC.policy.checkInLeadMinutes).toBe(120);
    expect(opens(START, START - 120 * MINUTE)).toBe(true);
    expect(opens(START, START - 120 * MINUTE - 1)).toBe(false);
    expect(() => nextStatus(booked(START), 'check_in', START - 121 * MINUTE, CLINIC)).toThrow(/checked in on its clinic-local day/);
    expect(opens(START, START)).toBe(true);
  });

  it('follows the clinic’s lead, down to zero', () => {
    const c30 = clinic(NY, { checkInLeadMinutes: 30 });
    expect(opens(START, START - 30 * MINUTE, c30)).toBe(true);
    expect(opens(START, START - 30 * MINUTE - 1, c30)).toBe(false);
    const c0 = clinic(NY, { checkInLeadMinutes: 0 });
    expect(opens(START, START, c0)).toBe(true);
    expect(opens(START, START - 1, c0)).toBe(false);
  });

  it('stays open until the end of the clinic-local day, not after', () => {
    // 2026-06-10 ends at midnight EDT: 04:00 UTC on the 11th
    const dayEnd = Date.UTC(2026, 5, 11, 4);
    expect(opens(START, dayEnd - 1)).toBe(true);
    expect(opens(START, dayEnd)).toBe(false);
    expect(opens(START, dayEnd + 10 * HOUR)).toBe(false);
  });

  it('the day is the clinic’s, not UTC’s', () => {
    // 20:00 EDT on June 10 is already June 11 in UTC; 18:00 EDT (22:00 UTC) is the same local day
    const evening = Date.UTC(2026, 5, 11, 0);
    expect(opens(evening, Date.UTC(2026, 5, 10, 22))).toBe(true);
    expect(opens(evening, Date.UTC(2026, 5, 11, 3, 59))).toBe(true);
    expect(opens(evening, Date.UTC(2026, 5, 11, 4))).toBe(false);
  });

  it('a lead reaching back over midnight opens at the local midnight, not the evening before', () => {
    // 00:30 EDT on June 10 = 04:30 UTC; local midnight = 04:00 UTC
    const early = Date.UTC(2026, 5, 10, 4, 30);
    expect(opens(early, Date.UTC(2026, 5, 10, 4) - 1)).toBe(false);
    expect(opens(early, Date.UTC(2026, 5, 10, 4))).toBe(true);
  });

  it('applies to telehealth check-ins too', () => {
    expect(nextStatus(booked(START, 'telehealth'), 'check_in', START - HOUR, CLINIC)).toBe('checked_in');
    expect(() => nextStatus(booked(START, 'telehealth'), 'check_in', START - 3 * HOUR, CLINIC)).toThrow(ConflictError);
  });

  it('on the fall-back day (25 hours) it stays open through the extra hour, to midnight EST', () => {
    // 2026-11-01, New York: 02:00 EDT becomes 01:00 EST. 09:00 EST = 14:00 UTC; the day ends at
    // midnight EST = 05:00 UTC on Nov 2 (a day taken as 24 hours from midnight EDT would end at 04:00).
    const start = Date.UTC(2026, 10, 1, 14);
    expect(opens(start, start - 120 * MINUTE)).toBe(true);
    expect(opens(start, start - 120 * MINUTE - 1)).toBe(false);
    expect(opens(start, Date.UTC(2026, 10, 2, 4, 30))).toBe(true); // 23:30 EST
    expect(opens(start, Date.UTC(2026, 10, 2, 5) - 1)).toBe(true);
    expect(opens(start, Date.UTC(2026, 10, 2, 5))).toBe(false); // 00:00 EST on Nov 2
  });

  it('on the spring-forward day (23 hours) it closes at midnight EDT', () => {
    // 2026-03-08, New York: 02:00 EST becomes 03:00 EDT. 10:00 EDT = 14:00 UTC; the day ends at
    // midnight EDT = 04:00 UTC on Mar 9 (24 hours from midnight EST would be 05:00).
    const start = Date.UTC(2026, 2, 8, 14);
    expect(opens(start, Date.UTC(2026, 2, 9, 4) - 1)).toBe(true);
    expect(opens(start, Date.UTC(2026, 2, 9, 4))).toBe(false);
    expect(opens(start, Date.UTC(2026, 2, 9, 4, 30))).toBe(false); // 00:30 EDT on Mar 9
  });

  it('across the spring-forward gap the lead is elapsed time, and never reaches into the day before', () => {
    // 03:30 EDT = 07:30 UTC; 120 minutes earlier is 05:30 UTC = 00:30 EST (the wall clock reads 3 h earlier)
    const afterGap = Date.UTC(2026, 2, 8, 7, 30);
    expect(opens(afterGap, Date.UTC(2026, 2, 8, 5, 30))).toBe(true);
    expect(opens(afterGap, Date.UTC(2026, 2, 8, 5, 30) - 1)).toBe(false);
    // 01:00 EST = 06:00 UTC: the lead would reach 23:00 EST on Mar 7; it opens at midnight EST (05:00 UTC)
    const beforeGap = Date.UTC(2026, 2, 8, 6);
    expect(opens(beforeGap, Date.UTC(2026, 2, 8, 5) - 1)).toBe(false);
    expect(opens(beforeGap, Date.UTC(2026, 2, 8, 5))).toBe(true);
  });
});

describe('a forgotten check-in, recorded afterwards with the arrival time', () => {
  const booked = (mode: Mode = 'in_person') => ({ status: 'booked' as const, mode, startsAt: START });
  /** 2026-06-10 ends at midnight EDT: 04:00 UTC on the 11th. */
  const DAY_END = Date.UTC(2026, 5, 11, 4);
  const WEEK_LATER = START + 7 * 24 * HOUR;

  it('days later, an arrival inside the day’s window checks in', () => {
    expect(nextStatus(booked(), 'check_in', WEEK_LATER, CLINIC, START - 10 * MINUTE)).toBe('checked_in');
    expect(nextStatus(booked(), 'check_in', WEEK_LATER, CLINIC, START - 120 * MINUTE)).toBe('checked_in');
    expect(nextStatus(booked(), 'check_in', WEEK_LATER, CLINIC, DAY_END - 1)).toBe('checked_in');
  });

  it('the arrival, not the moment of recording, must lie in the window', () => {
    expect(() => nextStatus(booked(), 'check_in', WEEK_LATER, CLINIC, START - 120 * MINUTE - 1)).toThrow(/arrival time must be on/);
    expect(() => nextStatus(booked(), 'check_in', WEEK_LATER, CLINIC, DAY_END)).toThrow(ConflictError);
    expect(() => nextStatus(booked(), 'check_in', WEEK_LATER, CLINIC, START - 24 * HOUR)).toThrow(ConflictError);
  });

  it('an arrival cannot be later than now', () => {
    expect(() => nextStatus(booked(), 'check_in', START - HOUR, CLINIC, START - 30 * MINUTE)).toThrow(/cannot be later than now/);
    expect(nextStatus(booked(), 'check_in', START - HOUR, CLINIC, START - HOUR)).toBe('checked_in');
  });

  it('only a booked appointment, as for a check-in on the day', () => {
    for (const status of APPOINTMENT_STATUSES.filter((s) => s !== 'booked')) {
      expect(() => nextStatus({ ...booked(), status }, 'check_in', WEEK_LATER, CLINIC, START)).toThrow(/Only a booked appointment/);
    }
  });
});

describe('isLateCancellation', () => {
  const policy = clinic().policy;

  it('exactly cancellationWindowHours ahead is on time; a millisecond later is late', () => {
    expect(isLateCancellation(START, START - 48 * HOUR, policy)).toBe(false);
    expect(isLateCancellation(START, START - 48 * HOUR + 1, policy)).toBe(true);
    expect(isLateCancellation(START, START - 72 * HOUR, policy)).toBe(false);
    expect(isLateCancellation(START, START - HOUR, policy)).toBe(true);
    expect(isLateCancellation(START, AFTER, policy)).toBe(true);
  });

  it('follows the clinic’s window', () => {
    const p = clinic(undefined, { cancellationWindowHours: 24 }).policy;
    expect(isLateCancellation(START, START - 24 * HOUR, p)).toBe(false);
    expect(isLateCancellation(START, START - 24 * HOUR + 1, p)).toBe(true);
    expect(isLateCancellation(START, START - 30 * HOUR, p)).toBe(false);
  });
});
