// The day view's layout, worked out once per schedule answer (memoized by the page): one column
// per provider and per room (dosing rooms first, then therapy rooms), each appointment placed on a
// shared time axis in the CLINIC's zone, side by side where two overlap in one column. Pure and
// cheap (sorting and arithmetic only): the page renders what this returns without measuring
// anything in the DOM. A practitioner's time off is a band in their column, and a session still
// held in it says so (docs/domain.md, "Time off": adding it moves no session). The clinic's
// closure is a band in every practitioner's column.
import type { paths } from '../../api/openapi';
import type { ClinicSetup, Provider } from '../../lib/clinic-data.ts';
import { formatTime } from '../../lib/format.ts';
import { bindsProvider } from '../../../../shared/domain/time-off.ts';
import { overlaps, spanOnDay } from '../../lib/time-off-rules.ts';

/** How the day's list of time off names the clinic's closure (an entry of no practitioner). */
const CLINIC_CLOSED = 'The whole clinic (closed)';

type Json<P extends keyof paths> = paths[P]['get'] extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;

export type Schedule = Json<'/v1/clinics/{clinicId}/schedule'>;
export type ScheduleAppointment = Schedule['appointments'][number];
export type Room = Json<'/v1/clinics/{clinicId}/rooms'>[number];
export type DayTimeOff = Json<'/v1/clinics/{clinicId}/time-off'>['timeOff'][number];
export type Flag = ScheduleAppointment['flags'][number] | ScheduleAppointment['courseFlags'][number];

/** The order the day shows an appointment's flags in: the booking rules' order, then unpaid. */
const FLAG_ORDER: readonly Flag[] = ['intake_missing', 'clearance_missing', 'preparation_missing', 'ride_home_missing', 'unpaid'];

/** All of an appointment's flags, the published ones and its course of care's (`courseFlags`), in FLAG_ORDER. */
export const flagsOf = (a: Partial<Pick<ScheduleAppointment, 'flags' | 'courseFlags'>>): Flag[] =>
  FLAG_ORDER.filter(
    (f) => (a.flags as readonly Flag[] | undefined)?.includes(f) || (a.courseFlags as readonly Flag[] | undefined)?.includes(f),
  );

export const STATUS: Record<ScheduleAppointment['status'], { label: string; tone: 'neutral' | 'good' | 'warn' | 'bad' }> = {
  booked: { label: 'Booked', tone: 'neutral' },
  checked_in: { label: 'Checked in', tone: 'good' },
  completed: { label: 'Completed', tone: 'good' },
  no_show: { label: 'No-show', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

/** Each flag as what to do about it. */
export const FLAGS: Record<Flag, { label: string; tone: 'warn' | 'bad' }> = {
  intake_missing: { label: 'Intake missing', tone: 'bad' },
  clearance_missing: { label: 'Clearance missing', tone: 'bad' },
  preparation_missing: { label: 'Preparation missing', tone: 'bad' },
  ride_home_missing: { label: 'Ride home missing', tone: 'bad' },
  unpaid: { label: 'Unpaid', tone: 'warn' },
};

export const modeLabel = (mode: ScheduleAppointment['mode']) => (mode === 'telehealth' ? 'Video' : 'In person');

/** An appointment with the words every rendering of it needs, formatted once. */
export interface Shown {
  a: ScheduleAppointment;
  /** The appointment as text: a card whose appointment did not change on a refresh is not drawn again. */
  sig: string;
  /** "9:00 – 10:00 AM" in the clinic's zone */
  time: string;
  service: string;
  mode: string;
  provider: string;
  room: string | null;
  /** Still booked or checked in, and in its practitioner's time off: the desk is to move or cancel it. */
  inTimeOff: boolean;
}

/** An appointment in a column: top and height in % of the axis, and its lane among overlapping ones. */
export interface Placed {
  s: Shown;
  top: number;
  height: number;
  /** How long it is on the axis (the day's part of it), in minutes; drawn at least 15 minutes tall. */
  minutes: number;
  lane: number;
  lanes: number;
}

/** A practitioner's time off on the day: top and height in % of the axis (clamped to it), and in words. */
export interface OffBand {
  id: string;
  top: number;
  height: number;
  /** "9:00 AM – 1:00 PM", "until 1:00 PM", "all day" */
  when: string;
  label: string | null;
}

export interface Column {
  key: string;
  kind: 'provider' | 'dosing' | 'therapy';
  name: string;
  /** "Therapist · 9:00 AM – 5:00 PM", "Dosing room" */
  detail: string;
  items: Placed[];
  /** The practitioner's time off on the day, by start (a room's column: none). */
  off: OffBand[];
}

export interface DayLayout {
  /** Minutes after the local midnight where the axis starts and ends (whole hours). */
  start: number;
  end: number;
  /** The hour lines: minutes after midnight and their label. */
  hours: { minute: number; label: string }[];
  columns: Column[];
  /** Everything shown, in time order (the list view). */
  list: Shown[];
  /**
   * Minutes after the local midnight where the first appointment shown, or time off on the axis,
   * starts (neither: undefined): a band's label is at its top.
   */
  first: number | undefined;
  /** Cancelled appointments of the day, shown or not. */
  cancelled: number;
  /** The day's time off in words, by start: what the List view and an empty day say. */
  timeOff: { id: string; provider: string; when: string; label: string | null }[];
}

const DAY_CODES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** The date's weekday as the practitioners' weekly hours name it ("mon"). */
export const weekdayCode = (date: string) => DAY_CODES[new Date(`${date}T12:00:00Z`).getUTCDay()] ?? 'mon';

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A wall-clock time of the day ("09:00" or minutes) as "9:00 AM". */
export const clockLabel = (minutes: number) => {
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  return formatTime(`2000-01-01T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`, 'UTC');
};

/**
 * Minutes after the local midnight of `date` of an instant the API gave in the clinic's own offset
 * (its first 16 characters are the clinic's wall clock); clamped to the day.
 */
export function minuteOfDay(iso: string, date: string): number {
  const day = iso.slice(0, 10);
  if (day < date) return 0;
  if (day > date) return 24 * 60;
  return toMinutes(iso.slice(11, 16));
}

/** A provider's working hours on the date's weekday, as [start, end] minutes (several spans possible). */
export function hoursOn(provider: Provider, code: string): [number, number][] {
  return provider.weeklyHours.filter((h) => h.day === code).map((h) => [toMinutes(h.start), toMinutes(h.end)]);
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en', { numeric: true });

/** Lanes for the appointments of one column (sorted by start): overlapping ones side by side. */
export function placeInLanes(items: { s: Shown; from: number; to: number }[], start: number, span: number): Placed[] {
  const placed: Placed[] = [];
  let cluster: Placed[] = [];
  let clusterEnd = -1;
  let laneEnds: number[] = [];
  const close = () => {
    for (const p of cluster) p.lanes = laneEnds.length;
    cluster = [];
    laneEnds = [];
  };
  for (const { s, from, to } of items) {
    if (from >= clusterEnd) close();
    let lane = laneEnds.findIndex((e) => e <= from);
    if (lane === -1) lane = laneEnds.push(to) - 1;
    else laneEnds[lane] = to;
    clusterEnd = Math.max(clusterEnd, to);
    const p: Placed = {
      s,
      top: ((from - start) / span) * 100,
      height: (Math.max(to - from, 15) / span) * 100,
      minutes: to - from,
      lane,
      lanes: 1,
    };
    cluster.push(p);
    placed.push(p);
  }
  close();
  return placed;
}

/** What an appointment's renderings need to say it: the clinic's zone, its time off and its names. */
export interface ShownContext {
  timezone: string;
  timeOff: readonly DayTimeOff[];
  serviceNames: ReadonlyMap<string, string>;
  roomNames: ReadonlyMap<string, string>;
  providerNames: ReadonlyMap<string, string>;
}

/** An appointment with its words formatted once (the day's cards and list, the week's too). */
export function shownOf(a: ScheduleAppointment, c: ShownContext): Shown {
  const room = a.roomId ? (a.room?.name ?? c.roomNames.get(a.roomId) ?? 'Room') : null;
  const inTimeOff =
    (a.status === 'booked' || a.status === 'checked_in') && c.timeOff.some((t) => bindsProvider(t, a.providerId) && overlaps(t, a));
  return {
    a,
    // time off added or removed changes the card, not the appointment
    sig: `${JSON.stringify(a)}${inTimeOff ? ' in time off' : ''}`,
    time: `${formatTime(a.startsAt, c.timezone)} – ${formatTime(a.endsAt, c.timezone)}`,
    service: c.serviceNames.get(a.service) ?? a.service.replace(/_/g, ' '),
    mode: modeLabel(a.mode),
    provider: a.provider.name ?? c.providerNames.get(a.providerId) ?? 'Provider',
    room,
    inTimeOff,
  };
}

export function dayLayout(input: {
  date: string;
  timezone: string;
  appointments: readonly ScheduleAppointment[];
  setup: ClinicSetup;
  rooms: readonly Room[];
  showCancelled: boolean;
  /** The clinic's time off overlapping the day (GET …/time-off for it); none when it could not load. */
  timeOff?: readonly DayTimeOff[];
}): DayLayout {
  const { date, timezone, setup } = input;
  const timeOff = [...(input.timeOff ?? [])].sort((x, y) => Date.parse(x.startsAt) - Date.parse(y.startsAt) || x.id.localeCompare(y.id));
  const code = weekdayCode(date);
  const serviceNames = new Map(setup.services.map((s) => [s.code as string, s.name]));
  const roomNames = new Map(input.rooms.map((r) => [r.id, r.name]));
  const providerNames = new Map(setup.providers.map((p) => [p.id, p.name]));

  let cancelled = 0;
  const shown: { s: Shown; from: number; to: number }[] = [];
  for (const a of input.appointments) {
    if (a.status === 'cancelled') {
      cancelled++;
      if (!input.showCancelled) continue;
    }
    const from = minuteOfDay(a.startsAt, date);
    const to = Math.max(from, minuteOfDay(a.endsAt, date));
    shown.push({ s: shownOf(a, { timezone, timeOff, serviceNames, roomNames, providerNames }), from, to });
  }
  shown.sort((x, y) => x.from - y.from || x.to - y.to || x.s.a.id.localeCompare(y.s.a.id));

  // the axis: the day's opening hours (every provider's hours that weekday) and anything outside them
  const { start, end, span } = hourAxis([
    ...setup.providers.flatMap((p) => hoursOn(p, code)),
    ...shown.map((x): [number, number] => [x.from, x.to]),
  ]);
  const hours: DayLayout['hours'] = [];
  for (let m = start; m < end; m += 60) hours.push({ minute: m, label: clockLabel(m) });

  // the columns: providers (the clinic's order), then dosing rooms, then therapy rooms; any
  // provider or room an appointment names that the lists lack gets a column too
  const byProvider = new Map<string, typeof shown>();
  const byRoom = new Map<string, typeof shown>();
  const add = (map: Map<string, typeof shown>, key: string, item: (typeof shown)[number]) => {
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  };
  for (const item of shown) {
    add(byProvider, item.s.a.providerId, item);
    if (item.s.a.roomId) add(byRoom, item.s.a.roomId, item);
  }
  const columns: Column[] = [];
  const providers: { id: string; name: string; role: Provider['role'] | undefined; hours: [number, number][] }[] = setup.providers.map(
    (p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      hours: hoursOn(p, code),
    }),
  );
  for (const [id, items] of byProvider) {
    if (!providers.some((p) => p.id === id)) providers.push({ id, name: items[0]?.s.provider ?? 'Provider', role: undefined, hours: [] });
  }
  const bandsOf = (providerId: string): OffBand[] =>
    timeOff
      .filter((t) => bindsProvider(t, providerId))
      .map((t) => {
        const from = Math.max(minuteOfDay(t.startsAt, date), start);
        const to = Math.min(minuteOfDay(t.endsAt, date), end);
        return {
          id: t.id,
          top: ((from - start) / span) * 100,
          height: (Math.max(to - from, 0) / span) * 100,
          when: spanOnDay(t, date, timezone),
          label: t.label,
        };
      });
  for (const p of providers) {
    const role = p.role === 'prescriber' ? 'Prescriber' : p.role === 'therapist' ? 'Therapist' : 'Provider';
    const hoursText =
      p.hours.length > 0 ? p.hours.map(([from, to]) => `${clockLabel(from)} – ${clockLabel(to)}`).join(', ') : 'Not working today';
    columns.push({
      key: `provider:${p.id}`,
      kind: 'provider',
      name: p.name,
      detail: `${role} · ${hoursText}`,
      items: placeInLanes(byProvider.get(p.id) ?? [], start, span),
      off: bandsOf(p.id),
    });
  }
  const rooms: { id: string; name: string; kind: Room['kind'] | undefined }[] = input.rooms.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
  }));
  for (const [id, items] of byRoom) {
    if (!rooms.some((r) => r.id === id)) rooms.push({ id, name: items[0]?.s.room ?? 'Room', kind: undefined });
  }
  const rank = (kind: Room['kind'] | undefined) => (kind === 'dosing' ? 0 : kind === 'therapy' ? 1 : 2);
  rooms.sort((a, b) => rank(a.kind) - rank(b.kind) || byName(a, b));
  for (const r of rooms) {
    columns.push({
      key: `room:${r.id}`,
      kind: r.kind === 'dosing' ? 'dosing' : 'therapy',
      name: r.name,
      detail: r.kind === 'dosing' ? 'Dosing room' : r.kind === 'therapy' ? 'Therapy room' : 'Room',
      items: placeInLanes(byRoom.get(r.id) ?? [], start, span),
      off: [],
    });
  }

  return {
    start,
    end,
    hours,
    columns,
    list: shown.map((x) => x.s),
    first: firstOf([shown[0]?.from, ...columns.flatMap((c) => c.off.filter((o) => o.height > 0).map((o) => start + (o.top / 100) * span))]),
    cancelled,
    timeOff: timeOff.map((t) => ({
      id: t.id,
      provider: t.providerId === null ? CLINIC_CLOSED : (providerNames.get(t.providerId) ?? 'Provider'),
      when: spanOnDay(t, date, timezone),
      label: t.label,
    })),
  };
}

/**
 * The time axis of whole hours (minutes of the day) that holds every span given: from the hour
 * the earliest starts in to the hour after the latest ends, at least an hour, never past
 * midnight; 9:00 to 17:00 when there is nothing to hold. The day view's and the week view's.
 */
export function hourAxis(spans: Iterable<readonly [number, number]>): { start: number; end: number; span: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const [from, to] of spans) {
    first = Math.min(first, from);
    last = Math.max(last, to);
  }
  if (!Number.isFinite(first) || last <= first) [first, last] = [9 * 60, 17 * 60];
  const start = Math.floor(first / 60) * 60;
  const end = Math.min(24 * 60, Math.max(start + 60, Math.ceil(last / 60) * 60));
  return { start, end, span: end - start };
}

const firstOf = (minutes: (number | undefined)[]): number | undefined =>
  minutes.reduce<number | undefined>((a, m) => (m === undefined ? a : a === undefined ? m : Math.min(a, m)), undefined);

/**
 * Where the grid opens (minutes after the local midnight, on its axis): today, about an hour
 * before now, so the desk sees what is next and the now line without scrolling; another day, its
 * first appointment or time off (else the axis's start).
 */
export function openingMinute(layout: Pick<DayLayout, 'start' | 'end' | 'first'>, nowAt: number | undefined): number {
  const wanted = nowAt !== undefined ? nowAt - 60 : (layout.first ?? layout.start);
  return Math.min(Math.max(wanted, layout.start), layout.end);
}

/** Minutes after the local midnight, now, in the zone (for the "now" line on today's grid). */
export function nowMinute(timeZone: string, now: Date = new Date()): number {
  const parts = nowFormat(timeZone).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return (get('hour') % 24) * 60 + get('minute');
}
const nowFormats = new Map<string, Intl.DateTimeFormat>();
function nowFormat(timeZone: string): Intl.DateTimeFormat {
  let f = nowFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    nowFormats.set(timeZone, f);
  }
  return f;
}
