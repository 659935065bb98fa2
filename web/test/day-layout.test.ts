// The staff's day view layout (web/src/pages/staff/day-layout.ts), pure: columns in order
// (practitioners, then dosing rooms, then therapy rooms), each appointment in its practitioner's
// and its room's column at its wall-clock time in the clinic's zone (on the days clocks change
// too), overlapping ones side by side, cancelled ones counted and hidden unless asked for, the
// axis widened to an appointment outside opening hours; a practitioner's time off as a band in
// their column, and a session still booked in it marked.
import { describe, expect, it } from 'vitest';
import { dayLayout, openingMinute, type DayTimeOff, type Room, type ScheduleAppointment } from '../src/pages/staff/day-layout.ts';
import type { ClinicSetup } from '../src/lib/clinic-data.ts';

const weekdays = (start: string, end: string) => (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start, end }));
const setup = {
  clinic: { id: 'c1', timezone: 'America/New_York' },
  services: [
    { code: 'intake', name: 'Intake assessment' },
    { code: 'exploration', name: 'Exploration session' },
  ],
  providers: [
    { id: 'p1', name: 'Avery Stone', role: 'therapist', weeklyHours: weekdays('09:00', '17:00') },
    { id: 'p2', name: 'Dr. Morgan Lee', role: 'prescriber', weeklyHours: weekdays('08:00', '16:00') },
  ],
  programs: [],
} as unknown as ClinicSetup;
const rooms = [
  { id: 'r-t', name: 'Therapy room', kind: 'therapy' },
  { id: 'r-d2', name: 'Dosing room 2', kind: 'dosing' },
  { id: 'r-d1', name: 'Dosing room 1', kind: 'dosing' },
] as unknown as Room[];

let n = 0;
const appt = (startsAt: string, endsAt: string, over: Partial<ScheduleAppointment> = {}): ScheduleAppointment =>
  ({
    id: `a${++n}`,
    status: 'booked',
    service: 'intake',
    mode: 'in_person',
    providerId: 'p1',
    roomId: 'r-t',
    startsAt,
    endsAt,
    client: { id: 'c', name: 'Robin Tester' },
    provider: { id: 'p1', name: 'Avery Stone' },
    room: { id: 'r-t', name: 'Therapy room' },
    flags: [],
    ...over,
  }) as unknown as ScheduleAppointment;

const layout = (date: string, appointments: ScheduleAppointment[], showCancelled = false) =>
  dayLayout({ date, timezone: 'America/New_York', appointments, setup, rooms: [...rooms], showCancelled });
const minuteOf = (l: ReturnType<typeof layout>, top: number) => l.start + (top / 100) * (l.end - l.start);

describe('day view layout', () => {
  it('columns: practitioners, then dosing rooms, then therapy rooms; hours from the practitioners of that weekday', () => {
    const l = layout('2026-12-07', []);
    expect(l.columns.map((c) => c.name)).toEqual(['Avery Stone', 'Dr. Morgan Lee', 'Dosing room 1', 'Dosing room 2', 'Therapy room']);
    expect([l.start, l.end]).toEqual([8 * 60, 17 * 60]);
    expect(l.columns[0]?.detail).toBe('Therapist · 9:00 AM – 5:00 PM');
    expect(layout('2026-12-06', []).columns[0]?.detail).toBe('Therapist · Not working today'); // a Sunday
  });

  it('an appointment sits in its practitioner’s and its room’s column at its wall-clock time, on DST days too', () => {
    // 2026-03-08: New York springs forward at 2 AM; 2026-11-01: falls back
    for (const [date, offset] of [
      ['2026-03-08', '-04:00'],
      ['2026-11-01', '-05:00'],
      ['2026-12-07', '-05:00'],
    ] as const) {
      const a = appt(`${date}T10:30:00${offset}`, `${date}T11:30:00${offset}`);
      const l = layout(date, [a]);
      const inProvider = l.columns.find((c) => c.name === 'Avery Stone')!.items;
      const inRoom = l.columns.find((c) => c.name === 'Therapy room')!.items;
      expect(inProvider).toHaveLength(1);
      expect(inRoom).toHaveLength(1);
      expect(minuteOf(l, inProvider[0]!.top)).toBeCloseTo(10.5 * 60, 6);
      expect((inProvider[0]!.height / 100) * (l.end - l.start)).toBeCloseTo(60, 6);
      expect(l.list[0]?.time).toBe('10:30 AM – 11:30 AM');
    }
  });

  it('overlapping appointments of one column go side by side; the next one alone takes the width', () => {
    const d = '2026-12-07';
    const l = layout(d, [
      appt(`${d}T10:00:00-05:00`, `${d}T11:00:00-05:00`),
      appt(`${d}T10:30:00-05:00`, `${d}T11:30:00-05:00`, { roomId: 'r-d1' }),
      appt(`${d}T12:00:00-05:00`, `${d}T13:00:00-05:00`),
    ]);
    const items = l.columns.find((c) => c.name === 'Avery Stone')!.items;
    expect(items.map((p) => [p.lane, p.lanes])).toEqual([
      [0, 2],
      [1, 2],
      [0, 1],
    ]);
  });

  it('cancelled ones are counted, and shown only when asked for', () => {
    const d = '2026-12-07';
    const all = [
      appt(`${d}T10:00:00-05:00`, `${d}T11:00:00-05:00`),
      appt(`${d}T14:00:00-05:00`, `${d}T15:00:00-05:00`, { status: 'cancelled' }),
    ];
    expect(layout(d, all).list).toHaveLength(1);
    expect(layout(d, all).cancelled).toBe(1);
    expect(layout(d, all, true).list).toHaveLength(2);
  });

  it('the axis widens to an appointment outside the opening hours', () => {
    const d = '2026-12-07';
    const l = layout(d, [appt(`${d}T18:15:00-05:00`, `${d}T19:15:00-05:00`)]);
    expect([l.start, l.end]).toEqual([8 * 60, 20 * 60]);
  });
});

describe('time off on the day', () => {
  const d = '2026-12-07';
  const off = (startsAt: string, endsAt: string, over: Partial<DayTimeOff> = {}): DayTimeOff => ({
    id: `off${++n}`,
    clinicId: 'c1',
    providerId: 'p1',
    startsAt,
    endsAt,
    label: null,
    createdAt: '2026-12-01T09:00:00-05:00',
    ...over,
  });
  const withOff = (appointments: ScheduleAppointment[], timeOff: DayTimeOff[]) =>
    dayLayout({ date: d, timezone: 'America/New_York', appointments, setup, rooms: [...rooms], showCancelled: true, timeOff });
  const plain = (s: string) => s.replace(/\u202f/g, ' ');

  it('a band in its practitioner’s column only, at its wall-clock time, with its label', () => {
    const l = withOff([], [off(`${d}T10:00:00-05:00`, `${d}T13:00:00-05:00`, { label: 'Conference' })]);
    const [avery, morgan, ...roomColumns] = l.columns;
    expect(avery?.off).toHaveLength(1);
    const band = avery!.off[0]!;
    expect(minuteOf(l, band.top)).toBeCloseTo(10 * 60, 6);
    expect((band.height / 100) * (l.end - l.start)).toBeCloseTo(180, 6);
    expect([plain(band.when), band.label]).toEqual(['10:00 AM – 1:00 PM', 'Conference']);
    expect(morgan?.off).toEqual([]);
    for (const c of roomColumns) expect(c.off).toEqual([]);
    expect(l.timeOff.map((t) => ({ ...t, when: plain(t.when) }))).toEqual([
      { id: band.id, provider: 'Avery Stone', when: '10:00 AM – 1:00 PM', label: 'Conference' },
    ]);
  });

  it('the grid opens at the first appointment or time off, whichever starts first', () => {
    const at10 = appt(`${d}T10:00:00-05:00`, `${d}T11:00:00-05:00`);
    expect(withOff([at10], [off(`${d}T09:00:00-05:00`, `${d}T13:00:00-05:00`)]).first).toBeCloseTo(9 * 60, 6);
    expect(withOff([at10], [off(`${d}T14:00:00-05:00`, `${d}T15:00:00-05:00`)]).first).toBe(10 * 60);
    expect(withOff([], [off(`${d}T14:00:00-05:00`, `${d}T15:00:00-05:00`)]).first).toBeCloseTo(14 * 60, 6);
    // before the axis (the practitioners' hours): its start
    expect(withOff([at10], [off(`${d}T06:00:00-05:00`, `${d}T12:00:00-05:00`)]).first).toBe(8 * 60);
  });

  it('time off over several days is clamped to the day’s axis', () => {
    const l = withOff([], [off('2026-12-04T13:00:00-05:00', '2026-12-09T09:00:00-05:00')]);
    const band = l.columns[0]!.off[0]!;
    expect([band.top, band.height, band.when]).toEqual([0, 100, 'all day']);
  });

  it('a session booked or checked in that overlaps it is marked; one touching it, cancelled or another practitioner’s is not', () => {
    const timeOff = [off(`${d}T10:00:00-05:00`, `${d}T13:00:00-05:00`)];
    const inside = appt(`${d}T12:30:00-05:00`, `${d}T13:30:00-05:00`);
    const checkedIn = appt(`${d}T10:00:00-05:00`, `${d}T11:00:00-05:00`, { status: 'checked_in' });
    const before = appt(`${d}T09:00:00-05:00`, `${d}T10:00:00-05:00`);
    const cancelled = appt(`${d}T11:00:00-05:00`, `${d}T12:00:00-05:00`, { status: 'cancelled' });
    const other = appt(`${d}T11:00:00-05:00`, `${d}T12:00:00-05:00`, { providerId: 'p2' });
    const l = withOff([inside, checkedIn, before, cancelled, other], timeOff);
    const marked = (a: ScheduleAppointment) => l.list.find((s) => s.a.id === a.id)?.inTimeOff;
    expect([inside, checkedIn, before, cancelled, other].map(marked)).toEqual([true, true, false, false, false]);
    // a card marked since the last answer is drawn again (its signature differs)
    const without = withOff([inside], []);
    expect(without.list[0]?.sig).not.toBe(l.list.find((s) => s.a.id === inside.id)?.sig);
  });

  it('the clinic’s closure (no practitioner): a band in every practitioner’s column, none in the rooms; every practitioner’s session marked', () => {
    const closed = off(`${d}T00:00:00-05:00`, '2026-12-08T00:00:00-05:00', { providerId: null, label: 'Holiday' });
    const a1 = appt(`${d}T10:00:00-05:00`, `${d}T11:00:00-05:00`);
    const a2 = appt(`${d}T12:00:00-05:00`, `${d}T13:00:00-05:00`, { providerId: 'p2' });
    const l = withOff([a1, a2], [closed]);
    const providerColumns = l.columns.filter((c) => c.kind === 'provider');
    expect(providerColumns.length).toBeGreaterThan(1);
    for (const c of providerColumns) expect(c.off.map((b) => [b.label, b.when])).toEqual([['Holiday', 'all day']]);
    for (const c of l.columns.filter((c) => c.kind !== 'provider')) expect(c.off).toEqual([]);
    expect(l.list.map((s) => s.inTimeOff)).toEqual([true, true]);
    expect(l.timeOff.map((t) => t.provider)).toEqual(['The whole clinic (closed)']);
  });

  it('no time off read: no band, nothing marked', () => {
    const l = layout(d, [appt(`${d}T10:00:00-05:00`, `${d}T11:00:00-05:00`)]);
    expect(l.columns.every((c) => c.off.length === 0)).toBe(true);
    expect(l.list[0]?.inTimeOff).toBe(false);
    expect(l.timeOff).toEqual([]);
  });
});

describe('where the grid opens', () => {
  it('today: about an hour before now, so the next sessions and the now line are in view', () => {
    const l = layout('2026-12-07', [appt('2026-12-07T13:00:00-05:00', '2026-12-07T14:00:00-05:00')]);
    expect([l.start, l.end]).toEqual([8 * 60, 17 * 60]);
    // 12:50: 11:50 at the top
    expect(openingMinute(l, 12 * 60 + 50)).toBe(11 * 60 + 50);
    // before the axis: its start; after it: its end (the box shows the bottom)
    expect(openingMinute(l, 7 * 60)).toBe(8 * 60);
    expect(openingMinute(l, 23 * 60)).toBe(17 * 60);
  });

  it('another day: its first appointment, else the start of the axis', () => {
    const l = layout('2026-12-07', [
      appt('2026-12-07T14:00:00-05:00', '2026-12-07T15:00:00-05:00'),
      appt('2026-12-07T11:30:00-05:00', '2026-12-07T12:30:00-05:00', { providerId: 'p2' }),
    ]);
    expect(l.first).toBe(11 * 60 + 30);
    expect(openingMinute(l, undefined)).toBe(11 * 60 + 30);
    expect(openingMinute(layout('2026-12-07', []), undefined)).toBe(8 * 60);
  });
});
