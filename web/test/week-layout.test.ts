// A practitioner's week on the staff side (web/src/pages/staff/week-layout.ts), pure: Monday to
// Sunday, each session at its wall-clock time in the clinic's zone (in the weeks clocks change
// too), overlapping ones side by side, only the chosen practitioner's, cancelled ones counted and
// hidden unless asked for; working hours shaded, time off over several days clamped to each day,
// the clinic's closure for every practitioner; a day that did not answer said apart; an address
// of dates and ids only.
import { describe, expect, it } from 'vitest';
import type { ClinicSetup } from '../src/lib/clinic-data.ts';
import type { DayTimeOff, ScheduleAppointment } from '../src/pages/staff/day-layout.ts';
import { chosenProvider, weekDates, weekHref, weekLayout, weekTitle } from '../src/pages/staff/week-layout.ts';

const ZONE = 'America/New_York';
const everyDay = (start: string, end: string) =>
  (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({ day, start, end }));
const setup = {
  services: [
    { code: 'intake', name: 'Intake assessment' },
    { code: 'preparation', name: 'Preparation session' },
  ],
  providers: [
    { id: 'p1', name: 'Avery Stone', role: 'therapist', weeklyHours: everyDay('08:00', '20:00') },
    {
      id: 'p2',
      name: 'Dr. Morgan Lee',
      role: 'prescriber',
      weeklyHours: (['mon', 'wed'] as const).map((day) => ({ day, start: '10:00', end: '16:00' })),
    },
  ],
} as unknown as ClinicSetup;

let n = 0;
const appt = (startsAt: string, endsAt: string, over: Partial<ScheduleAppointment> = {}): ScheduleAppointment =>
  ({
    id: `a${String(++n).padStart(3, '0')}`,
    status: 'booked',
    service: 'intake',
    mode: 'telehealth',
    providerId: 'p1',
    roomId: null,
    startsAt,
    endsAt,
    client: { id: 'c', name: 'Robin Tester' },
    provider: { id: 'p1', name: 'Avery Stone' },
    room: null,
    flags: [],
    ...over,
  }) as unknown as ScheduleAppointment;

const off = (id: string, startsAt: string, endsAt: string, providerId: string | null = 'p1', label: string | null = null): DayTimeOff =>
  ({ id, providerId, startsAt, endsAt, label }) as unknown as DayTimeOff;

/** The schedules as the page reads them: a day's answer holds every practitioner's sessions that start on it. */
const byDay = (appointments: ScheduleAppointment[], dates: string[]) =>
  new Map(dates.map((d) => [d, appointments.filter((a) => a.startsAt.slice(0, 10) === d)]));

const layout = (
  date: string,
  appointments: ScheduleAppointment[],
  opts: { providerId?: string; timeOff?: DayTimeOff[]; showCancelled?: boolean; missing?: string[] } = {},
) =>
  weekLayout({
    date,
    timezone: ZONE,
    providerId: opts.providerId ?? 'p1',
    setup,
    schedules: byDay(
      appointments,
      weekDates(date).filter((d) => !opts.missing?.includes(d)),
    ),
    timeOff: opts.timeOff ?? [],
    showCancelled: opts.showCancelled ?? false,
  });
type L = ReturnType<typeof layout>;
const minuteAt = (l: L, percent: number) => l.start + (percent / 100) * (l.end - l.start);
const dayOf = (l: L, date: string) => l.days.find((d) => d.date === date)!;

describe('the week of a date', () => {
  it('is Monday to Sunday, the Monday of the week that holds it (a Sunday is the end of its week)', () => {
    expect(weekDates('2027-01-20')).toEqual([
      '2027-01-18',
      '2027-01-19',
      '2027-01-20',
      '2027-01-21',
      '2027-01-22',
      '2027-01-23',
      '2027-01-24',
    ]);
    expect(weekDates('2027-01-24')[0]).toBe('2027-01-18');
    expect(weekDates('2027-01-25')[0]).toBe('2027-01-25');
    // across a month and a year
    expect(weekDates('2026-12-31')).toEqual([
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
    ]);
  });

  it('is named by its first and last day', () => {
    expect(weekTitle('2027-01-20')).toBe('Mon, Jan 18 – Sun, Jan 24, 2027');
    expect(weekTitle('2026-12-31')).toBe('Mon, Dec 28 – Sun, Jan 3, 2027');
  });

  it('has an address of its Monday and the practitioner’s id only', () => {
    expect(weekHref('2027-01-20', 'p1')).toBe('/staff/week?date=2027-01-18&provider=p1');
    expect(weekHref('2027-01-20', undefined)).toBe('/staff/week?date=2027-01-18');
  });

  it('shows the practitioner asked for, else the clinic’s first', () => {
    expect(chosenProvider(setup.providers, 'p2')?.id).toBe('p2');
    expect(chosenProvider(setup.providers, null)?.id).toBe('p1');
    expect(chosenProvider(setup.providers, 'gone')?.id).toBe('p1');
    expect(chosenProvider([], 'p1')).toBeUndefined();
  });
});

describe('a practitioner’s week', () => {
  it('draws a 10:00 session at 10:00 on both sides of a clock change in New York (Nov 1 and Mar 8, 2026)', () => {
    for (const [before, after] of [
      // falls back on Sunday Nov 1: EDT on Saturday, EST on Sunday
      [
        ['2026-10-31', '-04:00'],
        ['2026-11-01', '-05:00'],
      ],
      // springs forward on Sunday Mar 8: EST on Saturday, EDT on Sunday
      [
        ['2026-03-07', '-05:00'],
        ['2026-03-08', '-04:00'],
      ],
    ] as const) {
      const sessions = [before, after].map(([date, offset]) => appt(`${date}T10:00:00${offset}`, `${date}T11:00:00${offset}`));
      const l = layout(after[0], sessions);
      expect(l.days.map((d) => d.date)).toContain(before[0]);
      for (const [date] of [before, after]) {
        const [placed] = dayOf(l, date).items;
        expect(placed, date).toBeDefined();
        expect(minuteAt(l, placed!.top)).toBeCloseTo(10 * 60, 6);
        expect((placed!.height / 100) * (l.end - l.start)).toBeCloseTo(60, 6);
        expect(placed!.s.time).toBe('10:00 AM – 11:00 AM');
      }
    }
  });

  it('puts each session on its own day, and only the chosen practitioner’s', () => {
    const mine = appt('2027-01-18T10:00:00-05:00', '2027-01-18T11:00:00-05:00');
    const theirs = appt('2027-01-18T10:00:00-05:00', '2027-01-18T11:00:00-05:00', { providerId: 'p2' });
    const l = layout('2027-01-20', [mine, theirs]);
    expect(l.days.map((d) => d.items.map((p) => p.s.a.id))).toEqual([[mine.id], [], [], [], [], [], []]);
    expect(dayOf(layout('2027-01-20', [mine, theirs], { providerId: 'p2' }), '2027-01-18').items.map((p) => p.s.a.id)).toEqual([theirs.id]);
    expect(l.days[0]?.list[0]?.service).toBe('Intake assessment');
  });

  it('lists a day’s sessions by start, whatever the order they came in or their ends', () => {
    const short = appt('2027-01-19T10:00:00-05:00', '2027-01-19T10:30:00-05:00');
    const long = appt('2027-01-19T09:00:00-05:00', '2027-01-19T12:00:00-05:00', { status: 'cancelled' });
    const l = layout('2027-01-20', [short, long], { showCancelled: true });
    expect(dayOf(l, '2027-01-19').list.map((s) => s.a.id)).toEqual([long.id, short.id]);
  });

  it('marks a card shorter than 45 minutes short (its time and client on one line), an hour’s or longer not', () => {
    const hour = appt('2027-01-19T10:00:00-05:00', '2027-01-19T11:00:00-05:00');
    const long = appt('2027-01-19T13:00:00-05:00', '2027-01-19T16:00:00-05:00');
    const threeQuarters = appt('2027-01-20T10:00:00-05:00', '2027-01-20T10:45:00-05:00');
    const half = appt('2027-01-21T10:00:00-05:00', '2027-01-21T10:30:00-05:00');
    // past midnight: Friday's card is cut at it, 30 minutes of the day
    const late = appt('2027-01-22T23:30:00-05:00', '2027-01-23T00:30:00-05:00');
    const l = layout('2027-01-20', [hour, long, threeQuarters, half, late]);
    const cards = l.days.flatMap((d) => d.items.map((p) => [d.date, p.s.a.id, p.minutes, p.short]));
    expect(cards).toEqual([
      ['2027-01-19', hour.id, 60, false],
      ['2027-01-19', long.id, 180, false],
      ['2027-01-20', threeQuarters.id, 45, false],
      ['2027-01-21', half.id, 30, true],
      ['2027-01-22', late.id, 30, true],
    ]);
  });

  it('sets overlapping sessions side by side; the next one alone takes the width', () => {
    const a = appt('2027-01-20T10:00:00-05:00', '2027-01-20T11:00:00-05:00', { status: 'cancelled' });
    const b = appt('2027-01-20T10:30:00-05:00', '2027-01-20T11:30:00-05:00');
    const c = appt('2027-01-20T13:00:00-05:00', '2027-01-20T14:00:00-05:00');
    const items = dayOf(layout('2027-01-20', [a, b, c], { showCancelled: true }), '2027-01-20').items;
    expect(items.map((p) => [p.s.a.id, p.lane, p.lanes])).toEqual([
      [a.id, 0, 2],
      [b.id, 1, 2],
      [c.id, 0, 1],
    ]);
  });

  it('hides cancelled sessions unless asked for, and counts them', () => {
    const cancelled = appt('2027-01-19T09:00:00-05:00', '2027-01-19T10:00:00-05:00', { status: 'cancelled' });
    const kept = appt('2027-01-19T12:00:00-05:00', '2027-01-19T13:00:00-05:00');
    const hidden = layout('2027-01-20', [cancelled, kept]);
    expect(dayOf(hidden, '2027-01-19').items.map((p) => p.s.a.id)).toEqual([kept.id]);
    expect([hidden.cancelled, dayOf(hidden, '2027-01-19').cancelled]).toEqual([1, 1]);
    const shown = layout('2027-01-20', [cancelled, kept], { showCancelled: true });
    expect(dayOf(shown, '2027-01-19').list.map((s) => s.a.id)).toEqual([cancelled.id, kept.id]);
  });

  it('shades the practitioner’s hours as working time, and says a day off', () => {
    const l = layout('2027-01-20', [], { providerId: 'p2' });
    expect([l.start, l.end]).toEqual([10 * 60, 16 * 60]);
    const monday = dayOf(l, '2027-01-18');
    expect(monday.hoursText).toBe('10:00 AM – 4:00 PM');
    expect(monday.working).toEqual([{ top: 0, height: 100 }]);
    const tuesday = dayOf(l, '2027-01-19');
    expect([tuesday.hoursText, tuesday.working]).toEqual(['Not working', []]);
    // p1 works 8 to 8 every day, Sunday too
    expect(dayOf(layout('2027-01-20', []), '2027-01-24').working).toEqual([{ top: 0, height: 100 }]);
  });

  it('widens the axis to a session outside the hours', () => {
    const late = appt('2027-01-21T20:30:00-05:00', '2027-01-21T21:30:00-05:00');
    const l = layout('2027-01-20', [late]);
    expect([l.start, l.end]).toEqual([8 * 60, 22 * 60]);
    expect(minuteAt(l, dayOf(l, '2027-01-21').items[0]!.top)).toBeCloseTo(20.5 * 60, 6);
    // the hours end before it: working time stops where they do
    const band = dayOf(l, '2027-01-21').working[0]!;
    expect(minuteAt(l, band.top + band.height)).toBeCloseTo(20 * 60, 6);
  });

  it('clamps time off over several days to each day it touches (its end exclusive)', () => {
    const away = off('t1', '2027-01-21T14:00:00-05:00', '2027-01-23T11:00:00-05:00', 'p1', 'Conference');
    const endsAtMidnight = off('t2', '2027-01-19T15:00:00-05:00', '2027-01-20T00:00:00-05:00');
    const l = layout('2027-01-20', [], { timeOff: [away, endsAtMidnight] });
    const bands = l.days.map((d) =>
      d.off.map((o) => [o.id, Math.round(minuteAt(l, o.top)), Math.round(minuteAt(l, o.top + o.height)), o.when]),
    );
    expect(bands).toEqual([
      [],
      [['t2', 15 * 60, 20 * 60, 'from 3:00 PM']],
      [],
      [['t1', 14 * 60, 20 * 60, 'from 2:00 PM']],
      [['t1', 8 * 60, 20 * 60, 'all day']],
      [['t1', 8 * 60, 11 * 60, 'until 11:00 AM']],
      [],
    ]);
    expect(dayOf(l, '2027-01-22').off[0]).toMatchObject({ label: 'Conference', closed: false });
  });

  it('shows the clinic’s closure for every practitioner, and another practitioner’s time off for no one else', () => {
    const closed = off('t-closed', '2027-01-22T00:00:00-05:00', '2027-01-23T00:00:00-05:00', null, 'Holiday');
    const theirs = off('t-p2', '2027-01-18T10:00:00-05:00', '2027-01-18T12:00:00-05:00', 'p2');
    for (const providerId of ['p1', 'p2']) {
      const l = layout('2027-01-20', [], { providerId, timeOff: [closed, theirs] });
      expect(dayOf(l, '2027-01-22').off).toEqual([
        expect.objectContaining({ id: 't-closed', closed: true, label: 'Holiday', when: 'all day' }),
      ]);
      expect(dayOf(l, '2027-01-18').off.map((o) => o.id)).toEqual(providerId === 'p2' ? ['t-p2'] : []);
    }
  });

  it('marks a session still booked in time off', () => {
    const held = appt('2027-01-22T10:00:00-05:00', '2027-01-22T11:00:00-05:00');
    const l = layout('2027-01-20', [held], { timeOff: [off('t1', '2027-01-22T09:00:00-05:00', '2027-01-22T12:00:00-05:00')] });
    expect(dayOf(l, '2027-01-22').list[0]?.inTimeOff).toBe(true);
  });

  it('keeps the days that answered when one did not', () => {
    const monday = appt('2027-01-18T10:00:00-05:00', '2027-01-18T11:00:00-05:00');
    const l = layout('2027-01-20', [monday], { missing: ['2027-01-20'] });
    expect(l.days.map((d) => d.loaded)).toEqual([true, true, false, true, true, true, true]);
    expect(dayOf(l, '2027-01-18').items).toHaveLength(1);
  });
});
