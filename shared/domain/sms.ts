// The text of every SMS a client gets (docs/domain.md, "SMS notices and reminders"; docs/api.md, "A clinic's SMS name").
//
// An SMS is not a private channel, and carriers refuse controlled-substance content, so a message
// names the clinic, the local date and time with the zone abbreviation, whether it is by video or
// at the clinic, and how to reschedule — and never the treatment, the service, a drug, a dose, a
// diagnosis or the client (the context carries no client on purpose). Exploration reminders also
// ask the client to arrange a ride home, and no more: "do not drive for the rest of the day" would
// tell whoever reads the phone that this is a sedating visit (the app, a private channel, says it).
//
// Every message is plain GSM-7 (no curly quotes, no emoji, no characters that would switch the
// whole message to UCS-2) and fits in two concatenated segments (306 septets, so also under 320
// characters). Clinic-supplied text (the clinic's name, the reschedule hint) is made to obey the
// same rules: transliterated to GSM-7, and replaced by a neutral fallback when it contains a denied
// word or is too long.

import type { Mode, ServiceCode, Weekday } from '#domain/types.ts';
import { deniedTerms, findDeniedWords } from '#domain/denylist.ts';
import { ianaZone, localDate, localReading } from '#domain/time.ts';

export type SmsKind = 'confirmation' | 'moved' | 'cancelled' | 'reminder';

export interface SmsContext {
  kind: SmsKind;
  clinicName: string;
  startsAt: number;
  zone: string;
  mode: Mode;
  service: ServiceCode;
  /** How to reschedule, e.g. 'call 212-555-0100' or a URL. */
  rescheduleHint: string;
  /** For 'moved': where the appointment was before. */
  previousStartsAt?: number;
}

/**
 * Lower-case words and phrases that must never appear in an SMS: every term of the shared denylist
 * (shared/domain/denylist.ts: the treatment, drugs, dosing, diagnoses, and the services). Matched as
 * whole words, ignoring case and accents; clinic-supplied text is checked more strictly (see
 * deniedWordsIn).
 */
export const SMS_DENYLIST: readonly string[] = deniedTerms('sms');

const MAX_SEPTETS = 306; // two concatenated GSM-7 segments of 153 septets
const MAX_CLINIC_NAME = 40;
const SHORT_CLINIC_NAME = 24; // when the message would not fit otherwise
const MAX_HINT = 80;
const FALLBACK_CLINIC = 'Your clinic';
const FALLBACK_HINT = 'contact the clinic';

export const RIDE_HOME_SENTENCE = 'Please arrange for someone to take you home afterwards.';

// GSM 03.38: the basic set (one septet each, without ESC, CR and LF) and the extension table
// (two septets each: ESC + char).
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€');

/** Whether every character is in the GSM-7 default alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM7_BASIC.has(ch) && !GSM7_EXTENDED.has(ch)) return false;
  return true;
}

/** Septets the text takes in GSM-7 (extension characters count twice). */
export function gsm7Septets(text: string): number {
  let n = 0;
  for (const ch of text) n += GSM7_EXTENDED.has(ch) ? 2 : 1;
  return n;
}

const LOOKALIKES: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '`': "'",
  '\u00B4': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u00B7': '-',
  '\u2022': '-',
};

/** Clinic-supplied text as single-line GSM-7: look-alikes replaced, accents dropped where needed. */
function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (/\s/u.test(ch)) {
      out += ' ';
    } else if (GSM7_BASIC.has(ch) || GSM7_EXTENDED.has(ch)) {
      out += ch;
    } else if (LOOKALIKES[ch] !== undefined) {
      out += LOOKALIKES[ch];
    } else {
      const bare = ch.normalize('NFD').replace(/\p{M}+/gu, '');
      if (bare !== '' && [...bare].every((c) => GSM7_BASIC.has(c))) out += bare;
      // anything else (emoji, other scripts) is dropped
    }
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/**
 * Denied words found in `text` (case-insensitive, accents and look-alikes ignored). `strict` (for
 * clinic-supplied text such as a URL or a name) also finds denied words of five letters or more
 * inside other words ("nyketamine.example") or spread across separators; otherwise a match must be
 * a whole word.
 */
export function deniedWordsIn(text: string, strict = false): string[] {
  return findDeniedWords(text, 'sms', { strict });
}

function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : text.slice(0, max)).replace(/[\s,;:.-]+$/, '');
}

/**
 * Why a clinic's SMS name may not be used as it is, or undefined when it may: it is sent as
 * written (GSM-7, at most 40 characters) and holds no word an SMS may not carry.
 */
export function smsNameProblem(name: string): string | undefined {
  if (toGsm7(name) !== name) return 'Only letters, digits and punctuation an SMS can carry as they are';
  if (name.length > MAX_CLINIC_NAME) return `At most ${MAX_CLINIC_NAME} characters`;
  if (deniedWordsIn(name, true).length > 0)
    return 'Must not name the treatment, a service, a drug, dosing or a condition: it goes in every SMS';
  return undefined;
}

function smsClinicName(name: string): string {
  const clean = toGsm7(name).replace(/[\s:,;-]+$/, '');
  // the raw name too: toGsm7 drops characters (full-width letters) that the denylist reads
  if (clean === '' || deniedWordsIn(clean, true).length > 0 || deniedWordsIn(name, true).length > 0) return FALLBACK_CLINIC;
  return truncateAtWord(clean, MAX_CLINIC_NAME);
}

function smsHint(hint: string): string {
  const clean = toGsm7(hint).replace(/[\s.]+$/, '');
  if (clean === '' || clean.length > MAX_HINT || deniedWordsIn(clean, true).length > 0 || deniedWordsIn(hint, true).length > 0)
    return FALLBACK_HINT;
  return clean;
}

const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * The zone's abbreviation at an instant. CLDR has short names for some zones only (EST, CDT, ...);
 * for others Intl gives "GMT-3:30". Then the abbreviation is formed from the long name's initials
 * ("Newfoundland Standard Time" → NST, "British Summer Time" → BST), and when there is no long
 * name of at least three words either ("Nepal Time"), the GMT offset stays ("GMT+5:45").
 */
function zoneAbbreviation(ms: number, zone: string, offsetMinutes: number, year: number): string {
  // Intl is slow to ask; the answer depends only on the zone, the offset in force and the year.
  const key = `${zone}|${offsetMinutes}|${year}`;
  let abbreviation = abbreviations.get(key);
  if (abbreviation === undefined) {
    abbreviation = askZoneAbbreviation(ms, zone);
    if (abbreviations.size >= 1000) abbreviations.clear();
    abbreviations.set(key, abbreviation);
  }
  return abbreviation;
}

const abbreviations = new Map<string, string>();

/** The zone's name at an instant as en-US writes it: 'short' ("EST", "GMT-3:30") or 'long'. */
function zoneName(ms: number, zone: string, style: 'short' | 'long'): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: style }).formatToParts(ms);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
}

function askZoneAbbreviation(ms: number, zone: string): string {
  const short = zoneName(ms, zone, 'short');
  if (/^[A-Z]{2,5}$/.test(short)) return short;
  const long = zoneName(ms, zone, 'long');
  if (/^[A-Za-z][A-Za-z-]*( [A-Za-z][A-Za-z-]*)+$/.test(long) && !/^(GMT|UTC)\b/.test(long)) {
    const initials = long
      .split(' ')
      .map((w) => w[0]!.toUpperCase())
      .join('');
    if (initials.length >= 3 && initials.length <= 5) return initials;
  }
  const fallback = toGsm7(short);
  return fallback === '' ? 'UTC' : fallback;
}

/** Clinic-local date and time for an SMS, e.g. "Thu Dec 3, 9:00 AM EST". */
export function formatLocalForSms(ms: number, zone: string): string {
  if (!Number.isFinite(ms)) throw new RangeError(`Not an instant: ${ms}`);
  if (!ianaZone(zone)) throw new RangeError(`Unknown time zone: ${zone}`);
  const t = localReading(ms, zone);
  const hour12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
  const minute = t.minute < 10 ? `0${t.minute}` : String(t.minute);
  const meridiem = t.hour < 12 ? 'AM' : 'PM';
  const abbreviation = zoneAbbreviation(ms, zone, t.offsetMinutes, t.year);
  return `${WEEKDAY_NAMES[t.weekday]} ${MONTH_NAMES[t.month - 1]} ${t.day}, ${hour12}:${minute} ${meridiem} ${abbreviation}`;
}

function whereText(mode: Mode): string {
  return mode === 'telehealth' ? 'by video (join by video link)' : 'at the clinic';
}

interface Parts {
  clinic: string;
  hint: string;
}

function compose(ctx: SmsContext, p: Parts): string {
  const when = formatLocalForSms(ctx.startsAt, ctx.zone);
  const where = whereText(ctx.mode);
  switch (ctx.kind) {
    case 'confirmation':
      return `${p.clinic}: your appointment on ${when} is confirmed, ${where}. To reschedule: ${p.hint}`;
    case 'moved': {
      // the same time with another provider (the provider is never named: nothing beyond the time)
      if (ctx.previousStartsAt === ctx.startsAt)
        return `${p.clinic}: your appointment on ${when}, ${where}, is now with another practitioner. To reschedule: ${p.hint}`;
      const before = ctx.previousStartsAt === undefined ? '' : ` on ${formatLocalForSms(ctx.previousStartsAt, ctx.zone)}`;
      return `${p.clinic}: your appointment${before} has moved to ${when}, ${where}. To reschedule: ${p.hint}`;
    }
    case 'cancelled':
      return `${p.clinic}: your appointment on ${when} is cancelled. To book again: ${p.hint}`;
    case 'reminder': {
      // Exploration is in person only; the ride-home advice stands whatever the recorded mode.
      const ride = ctx.service === 'exploration' ? ` ${RIDE_HOME_SENTENCE}` : '';
      return `${p.clinic}: reminder of your appointment on ${when}, ${where}.${ride} To reschedule: ${p.hint}`;
    }
  }
}

/** The SMS text for one notice or reminder. */
export function renderSms(ctx: SmsContext): string {
  const clinic = smsClinicName(ctx.clinicName);
  const hint = smsHint(ctx.rescheduleHint);
  // With the caps above every message fits with the whole name, the longest exploration reminder
  // included (tested with the longest name, hint and zone abbreviation). A shorter name, then the
  // fallback hint, are guards should a text grow.
  const short = truncateAtWord(clinic, SHORT_CLINIC_NAME);
  const attempts: Parts[] = [
    { clinic, hint },
    { clinic: short, hint },
    { clinic: short, hint: FALLBACK_HINT },
  ];
  let text = '';
  for (const parts of attempts) {
    text = compose(ctx, parts);
    if (gsm7Septets(text) <= MAX_SEPTETS) break;
  }
  return text;
}

/**
 * The per-client daily cap on notices (SMS_DAILY_NOTICE_CAP): which SMS take a slot of it, and
 * on which day's counter. A client can book and cancel or move in a loop, and every change queues
 * a confirmation, moved or cancelled notice: without a cap that is an SMS bill anyone with an
 * account can run up. So notices beyond the cap in one clinic-local day (the day the SMS goes
 * out, on the clinic's wall clock) are not sent; they are recorded as skipped ('daily_cap').
 *
 * Reminders are NOT capped, on purpose: they are planned from real appointments only (at most a
 * few offsets each, re-planned over the same items by a move, dropped by a cancel), so a loop of
 * changes cannot multiply them; and a reminder is what the client needs to show up. Letting
 * notices crowd them out of a cap would punish the appointment that stands.
 *
 * Nor are notices of changes staff made (the front desk, admin: `capExempt` on the SMS item). The
 * cap is against a client account run in a loop; staff are not rate-limited either (the API's
 * per-caller limits), and a client must hear of every change the clinic makes to its appointment.
 *
 * Returns null when the SMS does not count, else the clinic-local date (YYYY-MM-DD) whose counter
 * it takes a slot of.
 */
export function dailyCapSlot(kind: SmsKind, at: number, zone: string): { day: string } | null {
  if (kind === 'reminder') return null;
  return { day: localDate(at, zone) };
}
