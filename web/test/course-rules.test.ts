// The client's own course as the booking rules read it (web/src/lib/course-rules.ts): the times
// they are already booked, why a dosing session was refused (intake, preparations) with the time
// that would do, what cancelling a session takes away from a dosing session already booked, and
// what the client still needs before a dosing session can be booked at all.
import { describe, expect, it } from 'vitest';
import type { Appointment, ClinicSetup } from '../src/lib/clinic-data.ts';
import {
  cancelLeavesShort,
  courseRefusalWords,
  dosingCourse,
  dosingNeeds,
  ownBusy,
  ownClash,
  ownClashWords,
} from '../src/lib/course-rules.ts';

const setup = {
  clinic: { timezone: 'America/New_York', policy: { requiredPreparationSessions: 2 } },
  services: [
    { code: 'intake', name: 'Intake assessment' },
    { code: 'preparation', name: 'Preparation session' },
    { code: 'exploration', name: 'Exploration session' },
    { code: 'ongoing_care', name: 'Ongoing care session' },
  ],
} as unknown as ClinicSetup;

let n = 0;
/** An appointment of an hour (a dosing session three) at a New York wall-clock time in December 2026. */
const appt = (service: Appointment['service'], day: number, hour: number, status: Appointment['status'] = 'booked') => {
  const hours = service === 'exploration' ? 3 : 1;
  const at = (h: number) => `2026-12-${String(day).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00-05:00`;
  return { id: `apt_${++n}`, service, status, startsAt: at(hour), endsAt: at(hour + hours) };
};
const notDone = { status: { intakeCompleted: false } };
const done = { status: { intakeCompleted: true } };
// Tuesday, December 1, 2026, noon in New York: every session below is still to come
const NOW = Date.parse('2026-12-01T12:00:00-05:00');

describe('the times the client is already booked', () => {
  const prep = appt('preparation', 14, 10);
  const cancelled = appt('ongoing_care', 14, 12, 'cancelled');
  const missed = appt('ongoing_care', 14, 14, 'no_show');
  const list = [prep, cancelled, missed];

  it('a time that overlaps one of their sessions is theirs; cancelled and missed sessions hold no time', () => {
    expect(ownBusy(list)).toEqual([prep]);
    expect(ownClash(list, { startsAt: '2026-12-14T10:00:00-05:00', endsAt: '2026-12-14T11:00:00-05:00' })).toBe(prep);
    expect(ownClash(list, { startsAt: '2026-12-14T10:30:00-05:00', endsAt: '2026-12-14T11:30:00-05:00' })).toBe(prep);
    // back to back is not an overlap
    expect(ownClash(list, { startsAt: '2026-12-14T11:00:00-05:00', endsAt: '2026-12-14T12:00:00-05:00' })).toBeUndefined();
    expect(ownClash(list, { startsAt: '2026-12-14T12:00:00-05:00', endsAt: '2026-12-14T13:00:00-05:00' })).toBeUndefined();
  });

  it('the session being moved does not hold its own time', () => {
    expect(ownBusy(list, prep.id)).toEqual([]);
    expect(ownClash(list, { startsAt: prep.startsAt, endsAt: prep.endsAt }, prep.id)).toBeUndefined();
  });

  it('the clash is said as the client’s own session, with its kind and time', () => {
    expect(ownClashWords(setup, prep)).toBe(
      'You already have a session at that time: Preparation session, Mon, Dec 14, 2026, 10:00 AM. Please choose another time.',
    );
  });
});

describe('what a dosing session needs before it (the API’s explorationCourse)', () => {
  it('future bookings count, but only those that start before it', () => {
    const list = [appt('intake', 7, 10), appt('preparation', 8, 10), appt('preparation', 16, 10)];
    const at15 = dosingCourse(false, list, '2026-12-15T10:00:00-05:00', 2);
    expect(at15).toMatchObject({ intake: true, preparationsBefore: 1, preparationsMet: false });
    expect(dosingCourse(false, list, '2026-12-17T10:00:00-05:00', 2)).toMatchObject({ preparationsBefore: 2, preparationsMet: true });
  });

  it('an intake done counts whenever it was; a cancelled one or one booked later does not', () => {
    const later = appt('intake', 20, 10);
    expect(dosingCourse(true, [], '2026-12-15T10:00:00-05:00', 2).intake).toBe(true);
    expect(dosingCourse(false, [appt('intake', 7, 10, 'completed')], '2026-12-15T10:00:00-05:00', 2).intake).toBe(true);
    expect(dosingCourse(false, [appt('intake', 7, 10, 'cancelled')], '2026-12-15T10:00:00-05:00', 2)).toMatchObject({
      intake: false,
      intakeLater: undefined,
    });
    expect(dosingCourse(false, [later], '2026-12-15T10:00:00-05:00', 2)).toMatchObject({ intake: false, intakeLater: later });
  });
});

describe('a refused dosing session, said from what the client has', () => {
  const at = '2026-12-15T10:00:00-05:00';

  it('preparations booked, but after the time: how many are before it, and the time after the one that makes it enough', () => {
    const list = [appt('preparation', 8, 10), appt('preparation', 16, 9), appt('preparation', 18, 9)];
    expect(courseRefusalWords('preparation_required', setup, done, list, at)).toBe(
      'You need 2 preparation sessions before a dosing session; only 1 is booked before Tue, Dec 15, 2026, 10:00 AM. Choose a time after your second one, on Wed, Dec 16, 2026, 9:00 AM.',
    );
    const both = [appt('preparation', 16, 9), appt('preparation', 17, 9)];
    expect(courseRefusalWords('preparation_required', setup, done, both, at)).toBe(
      'You need 2 preparation sessions before a dosing session; none is booked before Tue, Dec 15, 2026, 10:00 AM. Choose a time after your second one, on Thu, Dec 17, 2026, 9:00 AM.',
    );
  });

  it('not enough booked at all: how many more to book first (cancelled ones do not count)', () => {
    const list = [appt('preparation', 8, 10), appt('preparation', 9, 10, 'cancelled')];
    expect(courseRefusalWords('preparation_required', setup, done, list, at)).toBe(
      'You need 2 preparation sessions before a dosing session, and you have 1 booked. Please book 1 more first, then choose a time for the dosing session after them.',
    );
    expect(courseRefusalWords('preparation_required', setup, done, [], at)).toBe(
      'You need 2 preparation sessions before a dosing session, and you have none booked. Please book 2 more first, then choose a time for the dosing session after them.',
    );
  });

  it('no intake at all, or one booked after the time', () => {
    expect(courseRefusalWords('intake_required', setup, notDone, [], at)).toBe(
      'A dosing session comes after your intake, and you have no intake booked. Please book your intake first, then a dosing session after it.',
    );
    expect(courseRefusalWords('intake_required', setup, notDone, [appt('intake', 17, 11)], at)).toBe(
      'Your intake is on Thu, Dec 17, 2026, 11:00 AM, and a dosing session comes after it. Choose a time after your intake, or move your intake to an earlier time.',
    );
  });

  it('the client’s appointments do not show the reason (read before a change elsewhere): nothing, the rule’s own sentence is said', () => {
    const enough = [appt('preparation', 8, 10), appt('preparation', 9, 10)];
    expect(courseRefusalWords('preparation_required', setup, done, enough, at)).toBeUndefined();
    expect(courseRefusalWords('intake_required', setup, done, [], at)).toBeUndefined();
    expect(courseRefusalWords('clearance_required', setup, notDone, [], at)).toBeUndefined();
  });

  it('a dosing session being moved: its own appointment counts for nothing', () => {
    const dosing = appt('exploration', 20, 10);
    const list = [dosing, appt('preparation', 8, 10), appt('preparation', 16, 9)];
    expect(courseRefusalWords('preparation_required', setup, done, list, at, dosing.id)).toContain('only 1 is booked before');
  });
});

describe('cancelling a session a booked dosing session depends on', () => {
  it('the intake of a dosing session still to come: said before confirming', () => {
    const intake = appt('intake', 7, 10);
    const dosing = appt('exploration', 15, 10);
    const list = [intake, appt('preparation', 8, 10), appt('preparation', 9, 10), dosing];
    expect(cancelLeavesShort(setup, notDone, list, intake, NOW)).toEqual([
      'Your dosing session on Tue, Dec 15, 2026, 10:00 AM needs this intake before it: it will stay booked, but you will need to book an intake before it, or the clinic may move it. Until then, it can’t be moved to another time.',
    ]);
    // an intake already done (the record says so): this one is not needed
    expect(cancelLeavesShort(setup, done, list, intake, NOW)).toEqual([]);
  });

  it('a preparation that drops the count below the policy’s, for each dosing session it was before', () => {
    const first = appt('preparation', 8, 10);
    const second = appt('preparation', 9, 10);
    const list = [appt('intake', 7, 10), first, second, appt('exploration', 15, 10), appt('exploration', 18, 10)];
    expect(cancelLeavesShort(setup, notDone, list, first, NOW)).toEqual([
      'Your dosing sessions on Tue, Dec 15, 2026, 10:00 AM and Fri, Dec 18, 2026, 10:00 AM need 2 preparation sessions before them, and this is one of them: they will stay booked, but you will need to book another preparation session before them, or the clinic may move them. Until then, they can’t be moved to another time.',
    ]);
    // a third preparation before them: one may go
    expect(cancelLeavesShort(setup, notDone, [...list, appt('preparation', 10, 10)], first, NOW)).toEqual([]);
  });

  it('nothing to say: a preparation after the dosing session, a dosing session short already, one cancelled or past, other kinds', () => {
    const before1 = appt('preparation', 8, 10);
    const before2 = appt('preparation', 9, 10);
    const after = appt('preparation', 20, 10);
    const base = [appt('intake', 7, 10), before1, before2, after];
    expect(cancelLeavesShort(setup, notDone, [...base, appt('exploration', 15, 10)], after, NOW)).toEqual([]);
    // short already (one preparation before it): not this cancel's doing
    expect(cancelLeavesShort(setup, notDone, [...base, appt('exploration', 8, 12)], before1, NOW)).toEqual([]);
    expect(cancelLeavesShort(setup, notDone, [...base, appt('exploration', 15, 10, 'cancelled')], before1, NOW)).toEqual([]);
    expect(
      cancelLeavesShort(setup, notDone, [...base, appt('exploration', 15, 10)], before1, Date.parse('2026-12-16T00:00:00-05:00')),
    ).toEqual([]);
    const ongoing = appt('ongoing_care', 9, 12);
    expect(cancelLeavesShort(setup, notDone, [...base, ongoing, appt('exploration', 15, 10)], ongoing, NOW)).toEqual([]);
  });
});

describe('what the client still needs before booking a dosing session', () => {
  const ready = {
    status: { intakeCompleted: true, clearance: { status: 'cleared' as const } },
    rideHome: { name: 'Sam Ortiz', phone: '+12125550100' },
  };
  const preps = [appt('preparation', 3, 10), appt('preparation', 4, 10)];
  const INTAKE = 'An intake assessment: book it first.';
  const CLEARANCE = 'A medical clearance, which the clinic’s prescriber records at your medical evaluation.';
  const EXPIRED = 'A new medical clearance: your last one has ended. The clinic’s prescriber records it at your medical evaluation.';
  const RIDE = 'Someone to take you home afterwards: add them on your profile.';

  it('nothing once everything is there', () => {
    expect(dosingNeeds(ready, preps, 2)).toEqual([]);
  });

  it('an intake, unless one is done or booked (a cancelled or missed one does not count)', () => {
    const noIntake = { ...ready, status: { ...ready.status, intakeCompleted: false } };
    expect(dosingNeeds(noIntake, preps, 2)).toEqual([INTAKE]);
    expect(dosingNeeds(noIntake, [...preps, appt('intake', 2, 9)], 2)).toEqual([]);
    expect(dosingNeeds(noIntake, [...preps, appt('intake', 2, 9, 'completed')], 2)).toEqual([]);
    expect(dosingNeeds(noIntake, [...preps, appt('intake', 2, 9, 'cancelled')], 2)).toEqual([INTAKE]);
    expect(dosingNeeds(noIntake, [...preps, appt('intake', 2, 9, 'no_show')], 2)).toEqual([INTAKE]);
  });

  it('a medical clearance, said as a new one when the last has ended', () => {
    const clearance = (status: 'none' | 'expired' | 'not_cleared') => ({ ...ready, status: { ...ready.status, clearance: { status } } });
    expect(dosingNeeds(clearance('none'), preps, 2)).toEqual([CLEARANCE]);
    expect(dosingNeeds(clearance('not_cleared'), preps, 2)).toEqual([CLEARANCE]);
    expect(dosingNeeds(clearance('expired'), preps, 2)).toEqual([EXPIRED]);
  });

  it('the policy’s preparation sessions, booked or done; cancelled ones and no-shows do not count', () => {
    expect(dosingNeeds(ready, [], 2)).toEqual(['2 more preparation sessions, booked before it.']);
    expect(dosingNeeds(ready, [preps[0]!, appt('preparation', 5, 10, 'cancelled')], 2)).toEqual([
      '1 more preparation session, booked before it.',
    ]);
    expect(dosingNeeds(ready, [appt('preparation', 5, 10, 'completed'), appt('preparation', 6, 10, 'no_show')], 2)).toEqual([
      '1 more preparation session, booked before it.',
    ]);
    expect(dosingNeeds(ready, [], 0)).toEqual([]);
  });

  it('a ride-home contact', () => {
    expect(dosingNeeds({ ...ready, rideHome: null }, preps, 2)).toEqual([RIDE]);
  });

  it('every need at once, in that order', () => {
    const nothing = { status: { intakeCompleted: false, clearance: { status: 'none' as const } }, rideHome: null };
    expect(dosingNeeds(nothing, [], 1)).toEqual([INTAKE, CLEARANCE, '1 more preparation session, booked before it.', RIDE]);
  });
});
