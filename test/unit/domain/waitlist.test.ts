import { describe, expect, it } from 'vitest';
import {
  bookedFor,
  checkWaitlistChoice,
  coveringRanges,
  openingsFor,
  WAITLIST_MAX_DAYS,
  waitlistDateIssues,
  waitlistLastDay,
  waitlistStatus,
  type WaitlistEntry,
} from '#domain/waitlist.ts';
import type { Slot } from '#domain/availability.ts';
import type { Appointment } from '#domain/types.ts';
import { at, NY } from './fixtures.ts';

const entry = (over: Partial<WaitlistEntry> = {}): WaitlistEntry => ({
  id: 'w1',
  clinicId: 'c',
  clientId: 'cl1',
  service: 'preparation',
  mode: 'in_person',
  providerId: null,
  from: '2026-12-14',
  to: '2026-12-18',
  createdAt: 0,
  createdBy: 'sub',
  ...over,
});

const appointment = (over: Partial<Appointment> = {}): Appointment => ({
  id: 'a1',
  clinicId: 'c',
  clientId: 'cl1',
  providerId: 'p1',
  roomId: null,
  service: 'preparation',
  mode: 'in_person',
  startsAt: at('2026-12-15', '10:00'),
  endsAt: at('2026-12-15', '11:00'),
  status: 'booked',
  createdAt: 0,
  updatedAt: 0,
  version: 1,
  ...over,
});

const slot = (date: string, time: string, providerId = 'p1'): Slot => ({
  startsAt: at(date, time),
  endsAt: at(date, time) + 3_600_000,
  providerId,
  roomId: null,
});

describe('waitlistDateIssues', () => {
  const today = '2026-12-01';
  const lastDay = '2027-03-01';
  it('accepts dates from today to the last bookable day, up to 31 of them', () => {
    expect(waitlistDateIssues('2026-12-01', '2026-12-31', today, lastDay)).toEqual([]);
    expect(waitlistDateIssues('2027-03-01', '2027-03-01', today, lastDay)).toEqual([]);
    // a first date already past is fine while the last is not: the service asks from today
    expect(waitlistDateIssues('2026-11-20', '2026-12-01', today, lastDay)).toEqual([]);
  });
  it('refuses, on the field that is wrong: order, length, a last date past, a first beyond the last bookable day', () => {
    expect(waitlistDateIssues('2026-12-18', '2026-12-14', today, lastDay)).toEqual([{ path: 'to', message: 'Must not be before from' }]);
    expect(waitlistDateIssues('2026-12-01', '2027-01-01', today, lastDay)).toEqual([
      { path: 'to', message: `The dates may cover at most ${WAITLIST_MAX_DAYS} days` },
    ]);
    expect(waitlistDateIssues('2026-11-20', '2026-11-30', today, lastDay)[0]?.path).toBe('to');
    expect(waitlistDateIssues('2027-03-02', '2027-03-05', today, lastDay)[0]?.path).toBe('from');
  });
});

describe('waitlistLastDay', () => {
  it('is the booking window for a client, a year for staff', () => {
    expect(waitlistLastDay('2026-12-01', 90, false)).toBe('2027-03-01');
    expect(waitlistLastDay('2026-12-01', 90, true)).toBe('2027-12-01');
  });
});

describe('waitlistStatus', () => {
  it('is booked once an active session of its kind for its client falls on its dates, with anyone', () => {
    expect(waitlistStatus(entry(), [appointment({ providerId: 'p7' })], '2026-12-01', NY)).toBe('booked');
    expect(bookedFor(entry(), [appointment()], NY)).toBe(true);
  });
  it('is not booked by another kind, another client, a cancelled session, or one outside its dates', () => {
    const others = [
      appointment({ service: 'integration' }),
      appointment({ clientId: 'cl2' }),
      appointment({ status: 'cancelled' }),
      appointment({ status: 'no_show' }),
      appointment({ startsAt: at('2026-12-19', '10:00'), endsAt: at('2026-12-19', '11:00') }),
      // 23:30 on the 13th in New York is the 14th in UTC: the clinic's date decides
      appointment({ startsAt: at('2026-12-13', '23:30'), endsAt: at('2026-12-14', '00:30') }),
    ];
    expect(waitlistStatus(entry(), others, '2026-12-01', NY)).toBe('waiting');
  });
  it('is expired after its last date, unless it was booked', () => {
    expect(waitlistStatus(entry(), [], '2026-12-18', NY)).toBe('waiting');
    expect(waitlistStatus(entry(), [], '2026-12-19', NY)).toBe('expired');
    expect(waitlistStatus(entry(), [appointment()], '2026-12-19', NY)).toBe('booked');
  });
});

describe('openingsFor', () => {
  const slots = [
    slot('2026-12-13', '10:00'),
    slot('2026-12-14', '11:00', 'p2'),
    slot('2026-12-14', '10:00', 'p2'),
    slot('2026-12-14', '10:00'),
    slot('2026-12-16', '09:00'),
    slot('2026-12-18', '16:00'),
    slot('2026-12-19', '09:00'),
  ];
  it('counts each time on its dates once, whoever holds it, earliest first', () => {
    const o = openingsFor(entry(), slots, NY);
    expect(o.count).toBe(4);
    expect(o.first.map((s) => s.startsAt)).toEqual([at('2026-12-14', '10:00'), at('2026-12-14', '11:00'), at('2026-12-16', '09:00')]);
  });
  it('keeps to its practitioner when it names one', () => {
    const o = openingsFor(entry({ providerId: 'p2' }), slots, NY);
    expect(o.count).toBe(2);
    expect(o.first.every((s) => s.providerId === 'p2')).toBe(true);
  });
});

describe('coveringRanges', () => {
  it('merges overlapping and adjacent dates, starts no earlier than the floor, keeps apart what is apart', () => {
    const a = { from: '2026-12-01', to: '2026-12-05' };
    const b = { from: '2026-12-04', to: '2026-12-10' };
    const c = { from: '2026-12-11', to: '2026-12-12' }; // adjacent to b
    const d = { from: '2026-12-20', to: '2026-12-21' };
    const ranges = coveringRanges([d, c, a, b], '2026-12-03');
    expect(ranges.map((r) => [r.from, r.to, r.entries.length])).toEqual([
      ['2026-12-03', '2026-12-12', 3],
      ['2026-12-20', '2026-12-21', 1],
    ]);
  });
  it('leaves out what ends before the floor', () => {
    expect(coveringRanges([{ from: '2026-11-01', to: '2026-11-02' }], '2026-12-01')).toEqual([]);
  });
});

describe('checkWaitlistChoice', () => {
  const therapy = { providerRole: 'therapist' as const, telehealthAllowed: true };
  const dosing = { providerRole: 'therapist' as const, telehealthAllowed: false };
  const onVideo = { role: 'therapist' as const, telehealth: true };
  const inPerson = { role: 'therapist' as const, telehealth: false };
  const prescriber = { role: 'prescriber' as const, telehealth: true };
  const refusal = (f: () => void) => {
    try {
      f();
      return null;
    } catch (err) {
      const e = err as { status: number; rule?: string; details?: { path: string }[] };
      return { status: e.status, rule: e.rule, paths: e.details?.map((d) => d.path) };
    }
  };

  it('lets any practitioner or one who holds the kind ask, in person or by video where both allow it', () => {
    expect(refusal(() => checkWaitlistChoice(therapy, 'in_person'))).toBeNull();
    expect(refusal(() => checkWaitlistChoice(therapy, 'telehealth'))).toBeNull();
    expect(refusal(() => checkWaitlistChoice(therapy, 'telehealth', onVideo))).toBeNull();
    expect(refusal(() => checkWaitlistChoice(dosing, 'in_person', inPerson))).toBeNull();
  });

  it('refuses video for a kind held in person only, whoever the practitioner', () => {
    expect(refusal(() => checkWaitlistChoice(dosing, 'telehealth'))).toEqual({
      status: 422,
      rule: 'telehealth_not_allowed',
      paths: undefined,
    });
    expect(refusal(() => checkWaitlistChoice(dosing, 'telehealth', prescriber))).toMatchObject({
      status: 422,
      rule: 'telehealth_not_allowed',
    });
  });

  it('refuses a practitioner who does not hold the kind on providerId, before asking about video', () => {
    expect(refusal(() => checkWaitlistChoice(therapy, 'in_person', prescriber))).toMatchObject({ status: 400, paths: ['providerId'] });
    expect(refusal(() => checkWaitlistChoice(therapy, 'telehealth', { role: 'prescriber', telehealth: false }))).toMatchObject({
      status: 400,
    });
  });

  it('refuses video with a practitioner who does not see clients by video', () => {
    expect(refusal(() => checkWaitlistChoice(therapy, 'telehealth', inPerson))).toMatchObject({
      status: 422,
      rule: 'telehealth_not_allowed',
    });
  });
});
