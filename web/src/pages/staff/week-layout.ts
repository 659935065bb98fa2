// A practitioner's week (pages/staff/week.tsx), worked out once per answer: seven days, Monday to
// Sunday, on one time axis in the CLINIC's zone. Each session sits at its wall-clock time (the
// API answers in the clinic's own offset, so the week of a clock change draws 10:00 at 10:00 on
// both sides of it), side by side where two overlap; the practitioner's hours are working time,
// their time off and the clinic's closures (an entry of no practitioner) are bands, each clamped
// to the day it falls on. Pure (no React): web/test/week-layout.test.ts has its cases.
import type { ClinicSetup, Provider } from '../../lib/clinic-data.ts';
import { addDays, formatShortDay, mondayOf } from '../../lib/format.ts';
import { spanOnDay } from '../../lib/time-off-rules.ts';
import { bindsProvider } from '../../../../shared/domain/time-off.ts';
import {
  clockLabel,
  hoursOn,
  hourAxis,
  minuteOfDay,
  placeInLanes,
  shownOf,
  weekdayCode,
  type DayTimeOff,
  type OffBand,
  type Placed,
  type ScheduleAppointment,
  type Shown,
} from './day-layout.ts';

/**
 * A session's card on the week, and whether it is short: a card of 45 minutes or more (an hour is
 * 6.25rem) has room for its time, client, status and flags, one line each but the badges', and
 * the kind below them; a shorter one (no service of the catalog is, but a session running past
 * midnight is cut at it) puts its time and client on one line so that its status still shows.
 */
export interface WeekCard extends Placed {
  short: boolean;
}

/** Shorter than this: the card's compact layout. */
const SHORT_MINUTES = 45;

/** A part of the axis: top and height in % of it. */
export interface Band {
  top: number;
  height: number;
}

/** Time off on a day of the week; `closed`: the clinic's closure (an entry of no practitioner). */
export interface WeekOff extends OffBand {
  closed: boolean;
}

export interface WeekDay {
  /** The clinic-local date, YYYY-MM-DD. */
  date: string;
  /** "Mon, Jan 18" */
  label: string;
  /** "8:00 AM – 8:00 PM", or "Not working" */
  hoursText: string;
  /** The practitioner's working hours on the axis (shaded as working time). */
  working: Band[];
  /** False: the day's schedule did not answer (the page says so; the other days are shown). */
  loaded: boolean;
  items: WeekCard[];
  /** The sessions shown, in time order (the list a phone shows). */
  list: Shown[];
  /** The practitioner's time off and the clinic's closures on the day, by start, clamped to it and to the axis. */
  off: WeekOff[];
  /** Cancelled sessions of the practitioner that day, shown or not. */
  cancelled: number;
}

export interface WeekLayout {
  /** Minutes after the local midnight where the axis starts and ends (whole hours). */
  start: number;
  end: number;
  hours: { minute: number; label: string }[];
  days: WeekDay[];
  /** Cancelled sessions of the week, shown or not. */
  cancelled: number;
}

/** The seven clinic-local dates, Monday to Sunday, of the week that holds `date`. */
export const weekDates = (date: string): string[] => {
  const monday = mondayOf(date);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
};

/** The practitioner asked for when the clinic has them, else the clinic's first (none: undefined). */
export const chosenProvider = (providers: readonly Provider[], asked: string | null): Provider | undefined =>
  providers.find((p) => p.id === asked) ?? providers[0];

/**
 * The week's address: dates and ids only, never a client, a kind of session or a name (an address
 * outlives the page: docs/web.md, "Decisions"). The week is named by its Monday.
 */
export function weekHref(date: string, providerId: string | undefined): string {
  const q = new URLSearchParams({ date: mondayOf(date) });
  if (providerId) q.set('provider', providerId);
  return `/staff/week?${q.toString()}`;
}

/** "Mon, Jan 18 – Sun, Jan 24, 2027": the week as its heading names it. */
export function weekTitle(date: string): string {
  const [first, last] = [mondayOf(date), addDays(mondayOf(date), 6)];
  return `${formatShortDay(first)} – ${formatShortDay(last)}, ${last.slice(0, 4)}`;
}

/** Whether an entry of time off touches the clinic-local date (its end is exclusive: ending at midnight, not the day after). */
const onDay = (t: DayTimeOff, date: string) => minuteOfDay(t.startsAt, date) < minuteOfDay(t.endsAt, date);

export function weekLayout(input: {
  /** Any date of the week. */
  date: string;
  timezone: string;
  providerId: string;
  setup: Pick<ClinicSetup, 'services' | 'providers'>;
  /** Each day's schedule (every practitioner's sessions) by date; a day absent: it did not answer. */
  schedules: ReadonlyMap<string, readonly ScheduleAppointment[]>;
  /** The clinic's time off overlapping the week (GET …/time-off for it); none when it could not load. */
  timeOff: readonly DayTimeOff[];
  showCancelled: boolean;
}): WeekLayout {
  const { timezone, providerId, setup } = input;
  const dates = weekDates(input.date);
  const provider = setup.providers.find((p) => p.id === providerId);
  const timeOff = input.timeOff
    .filter((t) => bindsProvider(t, providerId))
    .sort((x, y) => Date.parse(x.startsAt) - Date.parse(y.startsAt) || x.id.localeCompare(y.id));
  const context = {
    timezone,
    timeOff,
    serviceNames: new Map(setup.services.map((s) => [s.code as string, s.name])),
    roomNames: new Map<string, string>(),
    providerNames: new Map(setup.providers.map((p) => [p.id, p.name])),
  };

  let cancelled = 0;
  const perDay = dates.map((date) => {
    const shown: { s: Shown; from: number; to: number }[] = [];
    let dayCancelled = 0;
    for (const a of input.schedules.get(date) ?? []) {
      if (a.providerId !== providerId) continue;
      if (a.status === 'cancelled') {
        dayCancelled++;
        if (!input.showCancelled) continue;
      }
      const from = minuteOfDay(a.startsAt, date);
      shown.push({ s: shownOf(a, context), from, to: Math.max(from, minuteOfDay(a.endsAt, date)) });
    }
    shown.sort((x, y) => x.from - y.from || x.to - y.to || x.s.a.id.localeCompare(y.s.a.id));
    cancelled += dayCancelled;
    return { date, shown, cancelled: dayCancelled, hours: provider ? hoursOn(provider, weekdayCode(date)) : [] };
  });

  // the axis: the practitioner's hours on any day of the week, and any session outside them
  const { start, end, span } = hourAxis(perDay.flatMap((d) => [...d.hours, ...d.shown.map((x): [number, number] => [x.from, x.to])]));
  const band = (from: number, to: number): Band => {
    const top = Math.min(Math.max(from, start), end);
    return { top: ((top - start) / span) * 100, height: ((Math.min(Math.max(to, start), end) - top) / span) * 100 };
  };
  const hours: WeekLayout['hours'] = [];
  for (let m = start; m < end; m += 60) hours.push({ minute: m, label: clockLabel(m) });

  return {
    start,
    end,
    hours,
    cancelled,
    days: perDay.map((d) => ({
      date: d.date,
      label: formatShortDay(d.date),
      hoursText: d.hours.length > 0 ? d.hours.map(([from, to]) => `${clockLabel(from)} – ${clockLabel(to)}`).join(', ') : 'Not working',
      working: d.hours.map(([from, to]) => band(from, to)),
      loaded: input.schedules.has(d.date),
      items: placeInLanes(d.shown, start, span).map((p) => ({ ...p, short: p.minutes < SHORT_MINUTES })),
      list: d.shown.map((x) => x.s),
      off: timeOff
        .filter((t) => onDay(t, d.date))
        .map((t) => ({
          id: t.id,
          ...band(minuteOfDay(t.startsAt, d.date), minuteOfDay(t.endsAt, d.date)),
          when: spanOnDay(t, d.date, timezone),
          label: t.label,
          closed: t.providerId === null,
        })),
      cancelled: d.cancelled,
    })),
  };
}
