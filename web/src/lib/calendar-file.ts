// "Add to calendar" on My care: one booked session as an iCalendar file (RFC 5545) that the phone's
// or the desktop's calendar opens. Written here rather than with a library: the file is one fixed
// event, and the `ics` package brings a schema validator (yup), nanoid and runes2 for it.
//
// A calendar is not a private channel: events sync to cloud calendars, show on lock screens and in
// shared views. So the file says what an SMS reminder says (shared/domain/sms.ts) and no more: the
// clinic (its SMS name when it has one, "Your clinic" when the name holds a word no SMS may carry),
// when, by video or at the clinic, where to see or change it, the ride-home sentence for a dosing
// session — never the kind of session, the practitioner, the client or the video room's link, and
// the file's name has no service word either. The page builds it in the browser (nothing in a URL)
// and loads this module only on click (calendar-rules.ts says when it offers it).
import { findDeniedWords } from '../../../shared/domain/denylist.ts';
import { RIDE_HOME_SENTENCE } from '../../../shared/domain/sms.ts';
import type { Appointment, Clinic } from './clinic-data.ts';

type Address = NonNullable<Clinic['contact']>['address'];

export interface CalendarFileInput {
  appointment: Pick<Appointment, 'id' | 'startsAt' | 'endsAt' | 'service' | 'mode'>;
  clinic: Pick<Clinic, 'name' | 'smsName'> & { address?: Address | undefined };
  /** The app's origin (https://…), for the link to My care. */
  origin: string;
  /** When the file is made (DTSTAMP), epoch ms. */
  now: number;
  /**
   * How long before the start My care shows a video session's link (video-room-rules.ts; given by
   * the page, whose bundle has it, so that this chunk does not split that module off the page's).
   */
  joinLeadMinutes: number;
}

export interface CalendarFile {
  filename: string;
  text: string;
}

const FALLBACK_CLINIC = 'Your clinic';
const CRLF = '\r\n';
const MAX_OCTETS = 75;

/** What the file calls the clinic: as its SMS do (never a name holding a treatment or service word). */
export function calendarClinicName(clinic: Pick<Clinic, 'name' | 'smsName'>): string {
  const name = (clinic.smsName ?? clinic.name).replace(/\s+/g, ' ').trim();
  return name === '' || findDeniedWords(name, 'sms', { strict: true }).length > 0 ? FALLBACK_CLINIC : name;
}

/** TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks. */
export function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (ch) => `\\${ch}`).replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * A content line folded to at most 75 octets of UTF-8 per physical line (RFC 5545 §3.1), the
 * continuation lines starting with one space (which counts); a character is never split.
 */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join(CRLF);
}

/** An instant as a UTC DATE-TIME (form 2, "…Z"): every calendar shows it in its own zone. */
export function utcDateTime(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`Not an instant: ${ms}`);
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function addressText(address: Address): string {
  const region = `${address.region} ${address.postalCode}`;
  return [address.line1, address.line2, address.city, region].filter((part) => part && part.trim() !== '').join(', ');
}

function location(input: CalendarFileInput, clinicName: string): string {
  if (input.appointment.mode === 'telehealth') return 'Video';
  const address = input.clinic.address && addressText(input.clinic.address);
  // the address is the clinic's own text too: held to the same words
  return address && findDeniedWords(address, 'sms', { strict: true }).length === 0 ? address : clinicName;
}

function description(input: CalendarFileInput): string {
  const { appointment: a } = input;
  const lines: string[] = [];
  if (a.mode === 'telehealth')
    lines.push(`By video. The link to join appears in My care ${input.joinLeadMinutes} minutes before the start.`);
  // as the SMS reminder: a dosing session is in person only, the ride home stands whatever the mode says
  if (a.service === 'exploration') lines.push(RIDE_HOME_SENTENCE);
  lines.push(`See or change it in My care: ${input.origin.replace(/\/+$/, '')}/care`);
  return lines.join('\n');
}

/** The .ics file of one appointment: its name and its text (CRLF line endings). */
export function calendarFile(input: CalendarFileInput): CalendarFile {
  const { appointment: a, now } = input;
  const clinicName = calendarClinicName(input.clinic);
  const start = Date.parse(a.startsAt);
  const end = Date.parse(a.endsAt);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Kapstone//My care//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    // one UID per appointment: importing the file again after a move updates the same event
    `UID:${a.id}@kapstone`,
    // later files win over earlier ones in calendars that compare SEQUENCE (minutes since 1970)
    `SEQUENCE:${Math.floor(now / 60_000)}`,
    `DTSTAMP:${utcDateTime(now)}`,
    `DTSTART:${utcDateTime(start)}`,
    `DTEND:${utcDateTime(end)}`,
    `SUMMARY:${escapeText(clinicName === FALLBACK_CLINIC ? 'Clinic appointment' : `Appointment at ${clinicName}`)}`,
    `DESCRIPTION:${escapeText(description(input))}`,
    `LOCATION:${escapeText(location(input, clinicName))}`,
    // a hint to shared and delegated calendars to show the time only
    'CLASS:PRIVATE',
    'STATUS:CONFIRMED',
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return {
    // the API's instants are written in the clinic's offset, so their date is the clinic-local one
    // (not format.ts's localDateOf: importing it would split that module into a chunk of its own)
    filename: `appointment-${a.startsAt.slice(0, 10)}.ics`,
    text: lines.map(foldLine).join(CRLF) + CRLF,
  };
}
