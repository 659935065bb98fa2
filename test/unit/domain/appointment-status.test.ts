import { describe, expect, it } from 'vitest';
import { isLateCancellation, nextStatus, type AppointmentAction } from '#domain/appointment-status.ts';
import { ConflictError } from '#domain/errors.ts';
import { APPOINTMENT_STATUSES, type AppointmentStatus, type Mode } from '#domain/types.ts';
import { HOUR, clinic } from './fixtures.ts';

const START = Date.UTC(2026, 5, 10, 14);
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
  ['checked_in', 'complete', 'in_person', AFTER, 'completed'],
  ['checked_in', 'complete', 'telehealth', AFTER, 'completed'],
  ['booked', 'complete', 'telehealth', AFTER, 'completed'],
];

function isLegal(from: AppointmentStatus, action: AppointmentAction, mode: Mode, now: number): boolean {
  if (from === 'booked' && (action === 'reschedule' || action === 'cancel' || action === 'check_in')) return true;
  if (from === 'booked' && action === 'no_show') return now >= START;
  if (action === 'complete') return from === 'checked_in' || (from === 'booked' && mode === 'telehealth');
  return false;
}

describe('nextStatus', () => {
  for (const [from, action, mode, now, to] of LEGAL) {
    it(`${from} --${action} (${mode})--> ${to}`, () => {
      expect(nextStatus({ status: from, mode, startsAt: START }, action, now)).toBe(to);
    });
  }

  it('refuses every other move with a ConflictError', () => {
    let refused = 0;
    for (const from of APPOINTMENT_STATUSES) {
      for (const action of ACTIONS) {
        for (const mode of ['in_person', 'telehealth'] as const) {
          for (const now of [BEFORE, START, AFTER]) {
            const attempt = () => nextStatus({ status: from, mode, startsAt: START }, action, now);
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
    expect(refused).toBe(150 - 31);
  });

  it('terminal statuses allow nothing', () => {
    for (const from of ['completed', 'cancelled', 'no_show'] as const) {
      for (const action of ACTIONS) {
        expect(() => nextStatus({ status: from, mode: 'telehealth', startsAt: START }, action, AFTER)).toThrow(ConflictError);
      }
    }
  });

  it('a no-show cannot be recorded before the start', () => {
    expect(() => nextStatus({ status: 'booked', mode: 'in_person', startsAt: START }, 'no_show', START - 1)).toThrow(ConflictError);
    expect(nextStatus({ status: 'booked', mode: 'in_person', startsAt: START }, 'no_show', START)).toBe('no_show');
  });

  it('an in-person appointment must be checked in before it completes', () => {
    expect(() => nextStatus({ status: 'booked', mode: 'in_person', startsAt: START }, 'complete', AFTER)).toThrow(
      /checked in/,
    );
  });

  it('a checked-in appointment can no longer be moved, cancelled or marked a no-show', () => {
    for (const action of ['reschedule', 'cancel', 'no_show', 'check_in'] as const) {
      expect(() => nextStatus({ status: 'checked_in', mode: 'in_person', startsAt: START }, action, AFTER)).toThrow(ConflictError);
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
