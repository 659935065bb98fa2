// A practitioner's time off on the staff's Time off page (docs/api.md, "Time off (extension)"): the
// form's checks before it sends anything — a practitioner, both ends a real clinic-local time on a
// quarter hour, the end after the start and not already past, at most 93 days, a short label —
// with the API's own rules (shared/domain/time-off.ts, grid.ts), so the page refuses exactly what
// the API would; the API's 400 messages in the same words; and how a span is said on screen. Pure
// (no React): web/test/time-off-rules.test.ts has its cases.
import { gridProblem } from '../../../shared/domain/grid.ts';
import { TIME_OFF_MAX_DAYS, timeOffIssues } from '../../../shared/domain/time-off.ts';
import {
  addDays,
  formatDate,
  formatDateTime,
  formatTime,
  localDateOf,
  localTimeOf,
  noonIn,
  wallClockIso,
  zoneCity,
  zoneName,
} from './format.ts';

/** The API's limit on the staff's label (its schema: freeText(60)). */
export const TIME_OFF_LABEL_MAX = 60;

/** The form as typed: clinic-local dates (YYYY-MM-DD) and wall-clock times (HH:mm). */
export interface TimeOffForm {
  providerId: string;
  fromDate: string;
  fromTime: string;
  toDate: string;
  toTime: string;
  label: string;
}

/** The fields a problem is said under: the API's paths (the practitioner is the route's). */
export type TimeOffField = 'providerId' | 'startsAt' | 'endsAt' | 'label';

/** The practitioner choice that closes the clinic: one entry that binds every practitioner, those added later too. */
export const EVERY_PRACTITIONER = '*';

export interface TimeOffRequest {
  /** One practitioner's, or null: the clinic closed (POST …/clinics/{clinicId}/time-off). */
  providerId: string | null;
  body: { startsAt: string; endsAt: string; label?: string };
}

/** A new form: a working day's hours, no day or practitioner chosen yet (a wrong default would go unnoticed). */
export const emptyTimeOffForm = (): TimeOffForm => ({
  providerId: '',
  fromDate: '',
  fromTime: '09:00',
  toDate: '',
  toTime: '17:00',
  label: '',
});

/** The first day chosen: the last day follows it when it was not chosen yet or would now come before it. */
export function withFromDate(form: TimeOffForm, fromDate: string): TimeOffForm {
  return { ...form, fromDate, toDate: form.toDate === '' || (fromDate !== '' && form.toDate < fromDate) ? fromDate : form.toDate };
}

/** The API's words for a refused span (timeOffIssues, the schema's grid check) as the form says them; any other message as it is. */
export function timeOffWords(message: string): string {
  if (/minute boundary/.test(message)) return 'Use a quarter hour: :00, :15, :30 or :45.';
  if (/in the future/.test(message)) return 'This time off is already over: the end must be in the future.';
  if (/days after startsAt/.test(message)) return `At most ${TIME_OFF_MAX_DAYS} days: enter a longer absence in parts.`;
  if (/^Must be after startsAt/.test(message)) return 'The end must be after the start.';
  return message;
}

/** Which input of an end is to correct: its date, its time, or (absent) the two together. */
export type TimeOffPart = 'date' | 'time';

/**
 * What is wrong with the form, by field, and the request when nothing is. The clinic-local date
 * and time become an instant in the clinic's zone (its offset that day: across a clock change
 * too); a time the clocks skip is refused. `parts`: for an end whose date or time alone is wrong,
 * which. `now`: epoch ms.
 */
export function checkTimeOff(
  form: TimeOffForm,
  timeZone: string,
  now: number,
): {
  problems: Partial<Record<TimeOffField, string>>;
  parts: Partial<Record<'startsAt' | 'endsAt', TimeOffPart>>;
  request?: TimeOffRequest;
} {
  const problems: Partial<Record<TimeOffField, string>> = {};
  const parts: Partial<Record<'startsAt' | 'endsAt', TimeOffPart>> = {};
  if (form.providerId === '') problems.providerId = 'Choose the practitioner.';
  const instant = (date: string, time: string, field: 'startsAt' | 'endsAt', missing: string): string | undefined => {
    const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(date);
    const timeOk = /^\d{2}:\d{2}$/.test(time);
    if (!dateOk || !timeOk) {
      problems[field] = missing;
      if (dateOk !== timeOk) parts[field] = dateOk ? 'time' : 'date';
      return undefined;
    }
    const iso = wallClockIso(date, time, timeZone);
    const off = iso === null ? undefined : gridProblem(Date.parse(iso));
    if (iso === null || off) {
      problems[field] = off ? timeOffWords(off) : 'That time does not exist on this date (the clocks go forward). Choose a later time.';
      parts[field] = 'time';
      return undefined;
    }
    return iso;
  };
  const startsAt = instant(form.fromDate, form.fromTime, 'startsAt', 'Enter the day and time the time off starts.');
  const endsAt = instant(form.toDate, form.toTime, 'endsAt', 'Enter the day and time the practitioner is back.');
  if (startsAt && endsAt) {
    for (const issue of timeOffIssues({ startsAt: Date.parse(startsAt), endsAt: Date.parse(endsAt) }, now)) {
      problems[issue.path as 'startsAt' | 'endsAt'] = timeOffWords(issue.message);
    }
  }
  const label = form.label.trim();
  if (label.length > TIME_OFF_LABEL_MAX) problems.label = `At most ${TIME_OFF_LABEL_MAX} characters.`;
  if (Object.keys(problems).length > 0 || !startsAt || !endsAt) return { problems, parts };
  const providerId = form.providerId === EVERY_PRACTITIONER ? null : form.providerId;
  return { problems, parts, request: { providerId, body: { startsAt, endsAt, ...(label ? { label } : {}) } } };
}

/** A span as the API gives it: instants in the clinic's own offset (their first 16 characters are its wall clock). */
export interface Span {
  startsAt: string;
  endsAt: string;
}

/**
 * A span in the clinic's zone, as a person says it: "Mon, Dec 14, 2026, 9:00 AM – 1:00 PM";
 * across days "Mon, Dec 14, 2026, 9:00 AM – Wed, Dec 16, 2026, 5:00 PM"; from midnight to midnight
 * "Dec 14, 2026, all day" or "Dec 14 – Dec 16, 2026, whole days" (the end is exclusive: the last
 * day is the one before it).
 */
export function spanText(span: Span, timeZone: string): string {
  const from = localDateOf(span.startsAt);
  const to = localDateOf(span.endsAt);
  if (localTimeOf(span.startsAt) === '00:00' && localTimeOf(span.endsAt) === '00:00' && to > from) {
    const last = addDays(to, -1);
    if (last === from) return `${formatDate(from)}, all day`;
    return `${formatDate(from)} – ${formatDate(last)}, whole days`;
  }
  const end = from === to ? formatTime(span.endsAt, timeZone) : formatDateTime(span.endsAt, timeZone);
  return `${formatDateTime(span.startsAt, timeZone)} – ${end}`;
}

/**
 * The part of a span on one clinic-local date, for the day view: "9:00 AM – 1:00 PM", "from
 * 9:00 AM", "until 1:00 PM" or "all day".
 */
export function spanOnDay(span: Span, date: string, timeZone: string): string {
  const startsBefore = localDateOf(span.startsAt) < date;
  // at the next midnight or later (the end is exclusive)
  const endsAfter = localDateOf(span.endsAt) > date;
  if (endsAfter && (startsBefore || localTimeOf(span.startsAt) === '00:00')) return 'all day';
  if (startsBefore) return `until ${formatTime(span.endsAt, timeZone)}`;
  if (endsAfter) return `from ${formatTime(span.startsAt, timeZone)}`;
  return `${formatTime(span.startsAt, timeZone)} – ${formatTime(span.endsAt, timeZone)}`;
}

/** Whether two spans overlap (the end is exclusive: a session may end as time off starts). */
export const overlaps = (a: Span, b: Span): boolean =>
  Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt);

/**
 * The zone of the clinic-local dates `first` to `last`, named as on the day view: "New York time
 * (Eastern Standard Time)", or across a clock change which name holds from when: "New York time
 * (Eastern Standard Time; Eastern Daylight Time from Mar 14, 2027)". Each date's name is its noon's
 * (a change happens at night).
 */
export function periodZoneText(timeZone: string, first: string, last: string): string {
  const names: string[] = [];
  let prev: string | undefined;
  for (let date = first; date <= last; date = addDays(date, 1)) {
    const name = zoneName(timeZone, noonIn(timeZone, date));
    if (name === undefined) continue;
    if (prev === undefined) names.push(name);
    else if (name !== prev) names.push(`${name} from ${formatDate(date)}`);
    prev = name;
  }
  const city = `${zoneCity(timeZone)} time`;
  return names.length > 0 ? `${city} (${names.join('; ')})` : city;
}
