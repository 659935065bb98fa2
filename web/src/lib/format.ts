// Money and time as a person at the clinic reads them. Every time is shown in the CLINIC's zone
// (docs/domain.md, "Time zones and DST": everything a person sees is in the clinic's zone), named on screen.
import { wallClockToInstant } from '../../../shared/domain/time.ts';

export interface Money {
  amount: number;
  currency: string;
}

const LOCALE_OF_CURRENCY: Record<string, string> = { USD: 'en-US', CAD: 'en-CA' };
const localeOf = (currency: string) => LOCALE_OF_CURRENCY[currency] ?? 'en-US';

/** Integer minor units → "$175.00" (USD) or "$175.00" (CAD, in Canadian English); "US$…" abroad. */
export function formatMoney(money: Money): string {
  const format = new Intl.NumberFormat(localeOf(money.currency), { style: 'currency', currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amount / 10 ** digits);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, ...options });
    formatters.set(key, f);
  }
  return f;
}

/** "9:00 AM" in the zone. */
export const formatTime = (iso: string, timeZone: string) =>
  formatter(timeZone, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));

/**
 * Each instant's time of day in the zone, as formatTime says it; where two different instants read
 * the same (the hour a fall-back repeats), each with its zone abbreviation ("1:00 AM EDT",
 * "1:00 AM EST") so that the two can be told apart.
 */
export function timeLabels(isos: readonly string[], timeZone: string): Map<string, string> {
  const plain = new Map(isos.map((iso) => [iso, formatTime(iso, timeZone)]));
  const instantsOf = new Map<string, Set<number>>();
  for (const [iso, label] of plain) instantsOf.set(label, (instantsOf.get(label) ?? new Set()).add(Date.parse(iso)));
  const withZone = formatter(timeZone, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
  return new Map([...plain].map(([iso, label]) => [iso, (instantsOf.get(label)?.size ?? 0) > 1 ? withZone.format(new Date(iso)) : label]));
}

/** "Tue, Dec 8, 9:00 AM" in the zone. */
export const formatDateTime = (iso: string, timeZone: string) =>
  formatter(timeZone, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' }).format(
    new Date(iso),
  );

/** "Tue, Dec 8, 10:00 AM EST" in the zone: each of a list of dates names its own side of a clock change. */
export const formatDateTimeZone = (iso: string, timeZone: string) =>
  formatter(timeZone, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));

/** "Tuesday, December 8, 2026" for a clinic-local date (YYYY-MM-DD). */
export const formatLongDate = (date: string) =>
  formatter('UTC', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(dateAtNoonUtc(date));

/** "Mon" and "Nov 30" for a clinic-local date. */
export const formatDayParts = (date: string) => ({
  weekday: formatter('UTC', { weekday: 'short' }).format(dateAtNoonUtc(date)),
  day: formatter('UTC', { month: 'short', day: 'numeric' }).format(dateAtNoonUtc(date)),
});

/** "Tue, Dec 8" for a clinic-local date (a date near enough to need no year). */
export const formatShortDay = (date: string) =>
  formatter('UTC', { weekday: 'short', month: 'short', day: 'numeric' }).format(dateAtNoonUtc(date));

/** "Dec 8, 2026" for a clinic-local date. */
export const formatDate = (date: string) =>
  formatter('UTC', { month: 'short', day: 'numeric', year: 'numeric' }).format(dateAtNoonUtc(date));

/** "New York": the zone's city, as its name says it. */
export const zoneCity = (timeZone: string): string => (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');

/** "Eastern Standard Time": the zone's name at that instant (undefined where Intl has none). */
export const zoneName = (timeZone: string, at: Date = new Date()): string | undefined =>
  formatter(timeZone, { timeZoneName: 'long' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;

/** "New York time (Eastern Standard Time)": the zone's city and its name at that instant. */
export function zoneLabel(timeZone: string, at: Date = new Date()): string {
  const name = zoneName(timeZone, at);
  const city = zoneCity(timeZone);
  return name ? `${city} time (${name})` : `${city} time`;
}

/**
 * The zone's label on a clinic-local date (YYYY-MM-DD), as at noon there: a daylight-saving change
 * happens at night, so noon is on the date's own side of it ("Eastern Daylight Time" on a March
 * day after the change, whatever today is).
 */
export const zoneLabelOn = (timeZone: string, date: string): string => zoneLabel(timeZone, noonIn(timeZone, date));

/**
 * Noon of a clinic-local date in the zone, as an instant: the API's own wall-clock reading
 * (shared/domain/time.ts, pure). Noon exists on every date (changes happen at night).
 */
export const noonIn = (timeZone: string, date: string): Date =>
  new Date(wallClockToInstant(date, '12:00', timeZone) ?? dateAtNoonUtc(date).getTime());

/** "EST, New York time": short, for beside a time. */
export function zoneShort(timeZone: string, at: Date = new Date()): string {
  const abbrev = formatter(timeZone, { timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const city = zoneCity(timeZone);
  return abbrev ? `${abbrev}, ${city} time` : `${city} time`;
}

// --- clinic-local dates (YYYY-MM-DD), computed without any library ---------------------------

const dateAtNoonUtc = (date: string) => new Date(`${date}T12:00:00Z`);

/** Today's date in the zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(date: string, days: number): string {
  const d = dateAtNoonUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the date's week. */
export function mondayOf(date: string): string {
  const weekday = (dateAtNoonUtc(date).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(date, -weekday);
}

/** The clinic-local date of an instant the API gave in the clinic's own offset. */
export const localDateOf = (iso: string) => iso.slice(0, 10);

/** The clinic-local time (HH:mm) of an instant the API gave in the clinic's offset. */
export const localTimeOf = (iso: string) => iso.slice(11, 16);

/**
 * A clinic-local date and HH:mm time as an ISO instant (UTC), to send to the API; null when that
 * time does not exist on that date (the spring-forward gap). The earlier one when it occurs twice.
 */
export function wallClockIso(date: string, time: string, timeZone: string): string | null {
  const at = wallClockToInstant(date, time, timeZone);
  return at === null ? null : new Date(at).toISOString();
}

/** "60 min", "3 h" */
export function formatDuration(minutes: number): string {
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return minutes > 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

/**
 * An e-mail address in the pieces a line may break between: after the @ and before each dot, so
 * a narrow screen shows "robin.tester@ / example.com", never "…example.c / om".
 */
export const emailParts = (email: string): string[] => email.split(/(?<=@)|(?=\.)/).filter((part) => part !== '');
