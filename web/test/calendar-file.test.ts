// The .ics file of "Add to calendar" on My care (web/src/lib/calendar-file.ts): RFC 5545's text
// rules (escaping, CRLF, folding at 75 octets), UTC times across a daylight-saving change, one UID
// per appointment, and the privacy rule: nothing but the clinic, the time, video or not, where to
// change it and the ride home — no service word, no practitioner, no video link.
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '#domain/catalog.ts';
import { findDeniedWords } from '#domain/denylist.ts';
import { RIDE_HOME_SENTENCE } from '#domain/sms.ts';
import { SERVICE_CODES, MODES } from '#domain/types.ts';
import type { Appointment } from '../src/lib/clinic-data.ts';
import { JOIN_LEAD_MINUTES } from '../src/lib/video-room-rules.ts';
import { calendarClinicName, calendarFile, escapeText, foldLine, utcDateTime, type CalendarFileInput } from '../src/lib/calendar-file.ts';

const NOW = Date.parse('2026-12-01T14:03:27.512Z');
const ORIGIN = 'https://app.example.com';

function appointment(overrides: Partial<Appointment> = {}): Appointment {
  return {
    id: 'ap_01JABCDEF',
    status: 'booked',
    startsAt: '2026-12-08T10:00:00-05:00',
    endsAt: '2026-12-08T11:00:00-05:00',
    providerId: 'demo-nyc-jordan-reyes',
    roomId: 'demo-nyc-room-t1',
    service: 'preparation',
    mode: 'in_person',
    clientId: 'cl_1',
    clinicId: 'demo-nyc',
    packageId: null,
    explorationId: null,
    invoiceId: null,
    videoUrl: null,
    ...overrides,
  };
}

const input = (a: Partial<Appointment> = {}, clinic: Partial<CalendarFileInput['clinic']> = {}): CalendarFileInput => ({
  appointment: appointment(a),
  clinic: { name: 'Hudson Wellness (demo)', smsName: null, ...clinic },
  origin: ORIGIN,
  now: NOW,
  joinLeadMinutes: JOIN_LEAD_MINUTES,
});

/** The file's properties, unfolded and unescaped as a calendar reads them. */
function read(text: string): Map<string, string> {
  const unfolded = text.replace(/\r\n[ \t]/g, '');
  const props = new Map<string, string>();
  for (const line of unfolded.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    const value = line.slice(colon + 1).replace(/\\([\\;,nN])/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));
    props.set(line.slice(0, colon), value);
  }
  return props;
}

const prop = (i: CalendarFileInput, name: string) => read(calendarFile(i).text).get(name);

describe('calendarFile: the event', () => {
  it('is one VEVENT in a VCALENDAR with VERSION, PRODID, DTSTAMP, CRLF line endings and a final CRLF', () => {
    const { text } = calendarFile(input());
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kapstone//My care//EN\r\n')).toBe(true);
    expect(text.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(read(text).get('DTSTAMP')).toBe('20261201T140327Z');
  });

  it('names the clinic in SUMMARY and nothing else', () => {
    expect(prop(input(), 'SUMMARY')).toBe('Appointment at Hudson Wellness (demo)');
  });

  it('says where to see or change it, at the app’s own origin', () => {
    expect(prop(input(), 'DESCRIPTION')).toBe('See or change it in My care: https://app.example.com/care');
    expect(prop({ ...input(), origin: 'http://localhost:3421/' }, 'DESCRIPTION')).toBe(
      'See or change it in My care: http://localhost:3421/care',
    );
  });

  it('by video: says so and when the link shows, LOCATION "Video", and never the room’s link', () => {
    const i = input({ mode: 'telehealth', roomId: null, videoUrl: 'https://doxy.me/jordan-reyes' });
    const { text, filename } = calendarFile(i);
    expect(read(text).get('DESCRIPTION')).toBe(
      'By video. The link to join appears in My care 15 minutes before the start.\nSee or change it in My care: https://app.example.com/care',
    );
    expect(read(text).get('LOCATION')).toBe('Video');
    expect(text.replace(/\r\n /g, '')).not.toMatch(/doxy|jordan/i);
    expect(filename).not.toMatch(/doxy|jordan/i);
  });

  it('a dosing session: the SMS reminder’s ride-home sentence, and only then', () => {
    expect(prop(input({ service: 'exploration', roomId: 'demo-nyc-room-d1' }), 'DESCRIPTION')).toBe(
      `${RIDE_HOME_SENTENCE}\nSee or change it in My care: https://app.example.com/care`,
    );
    for (const service of SERVICE_CODES.filter((s) => s !== 'exploration')) {
      expect(prop(input({ service }), 'DESCRIPTION')).not.toContain(RIDE_HOME_SENTENCE);
    }
  });

  it('LOCATION: the clinic’s address when the setup has one, else its name', () => {
    const address = {
      line1: '12 Hudson St',
      line2: 'Suite 4',
      city: 'New York',
      region: 'NY',
      postalCode: '10013',
      country: 'US' as const,
    };
    expect(prop(input({}, { address }), 'LOCATION')).toBe('12 Hudson St, Suite 4, New York, NY 10013');
    expect(prop(input({}, { address: { ...address, line2: null } }), 'LOCATION')).toBe('12 Hudson St, New York, NY 10013');
    expect(prop(input(), 'LOCATION')).toBe('Hudson Wellness (demo)');
    expect(prop(input({ mode: 'telehealth' }, { address }), 'LOCATION')).toBe('Video');
    // an address line naming the treatment is not used
    expect(prop(input({}, { address: { ...address, line2: 'c/o NY Ketamine Partners' } }), 'LOCATION')).toBe('Hudson Wellness (demo)');
  });

  it('is marked private, confirmed and busy', () => {
    const props = read(calendarFile(input()).text);
    expect([props.get('CLASS'), props.get('STATUS'), props.get('TRANSP')]).toEqual(['PRIVATE', 'CONFIRMED', 'OPAQUE']);
  });
});

describe('calendarFile: times in UTC', () => {
  it('DTSTART and DTEND are the API’s instants in UTC', () => {
    const props = read(calendarFile(input()).text);
    expect([props.get('DTSTART'), props.get('DTEND')]).toEqual(['20261208T150000Z', '20261208T160000Z']);
  });

  // America/New_York leaves daylight-saving time at 2:00 on 2026-11-01: 10:00 local is 14:00Z the
  // day before and 15:00Z the day after; 1:30 happens twice, an hour apart
  it.each([
    ['2026-10-31T10:00:00-04:00', '2026-10-31T11:00:00-04:00', '20261031T140000Z', '20261031T150000Z'],
    ['2026-11-02T10:00:00-05:00', '2026-11-02T11:00:00-05:00', '20261102T150000Z', '20261102T160000Z'],
    ['2026-11-01T01:30:00-04:00', '2026-11-01T01:30:00-05:00', '20261101T053000Z', '20261101T063000Z'],
    ['2026-11-01T00:30:00-04:00', '2026-11-01T03:30:00-05:00', '20261101T043000Z', '20261101T083000Z'],
  ])('%s → %s: %s – %s', (startsAt, endsAt, start, end) => {
    const props = read(calendarFile(input({ startsAt, endsAt })).text);
    expect([props.get('DTSTART'), props.get('DTEND')]).toEqual([start, end]);
  });

  it('utcDateTime drops the milliseconds and refuses what is not an instant', () => {
    expect(utcDateTime(Date.parse('2026-03-08T06:59:59.999Z'))).toBe('20260308T065959Z');
    expect(() => utcDateTime(Number.NaN)).toThrow(RangeError);
  });

  it('the file is named by the clinic-local date, not the UTC one', () => {
    expect(calendarFile(input({ startsAt: '2026-12-08T22:30:00-05:00', endsAt: '2026-12-08T23:30:00-05:00' })).filename).toBe(
      'appointment-2026-12-08.ics',
    );
  });
});

describe('calendarFile: UID', () => {
  it('is the appointment’s id @kapstone, the same after a move and on another day', () => {
    const before = prop(input(), 'UID');
    const moved = prop(
      { ...input({ startsAt: '2026-12-10T15:00:00-05:00', endsAt: '2026-12-10T16:00:00-05:00' }), now: NOW + 86_400_000 },
      'UID',
    );
    expect(before).toBe('ap_01JABCDEF@kapstone');
    expect(moved).toBe(before);
    expect(prop(input({ id: 'ap_other' }), 'UID')).toBe('ap_other@kapstone');
  });

  it('a later file has a higher SEQUENCE, so it replaces the earlier one', () => {
    const first = Number(prop(input(), 'SEQUENCE'));
    const later = Number(prop({ ...input(), now: NOW + 5 * 60_000 }, 'SEQUENCE'));
    expect(later).toBeGreaterThan(first);
    expect(first).toBeLessThan(2 ** 31);
  });
});

describe('calendarFile: no service word anywhere a calendar shows', () => {
  const names = defaultCatalog('USD').map((s) => s.name);
  const cases = SERVICE_CODES.flatMap((service) => MODES.map((mode) => [service, mode] as const));

  it.each(cases)('%s, %s', (service, mode) => {
    const { text, filename } = calendarFile(
      input({ service, mode, videoUrl: mode === 'telehealth' ? 'https://doxy.me/jordan-reyes' : null }, { name: 'Hudson Wellness (demo)' }),
    );
    const props = read(text);
    for (const shown of [props.get('SUMMARY')!, props.get('DESCRIPTION')!, props.get('LOCATION')!, filename]) {
      expect(findDeniedWords(shown, 'sms')).toEqual([]);
      expect(shown.toLowerCase()).not.toContain(service.replace(/_/g, ' '));
      expect(shown.toLowerCase()).not.toContain(service);
      for (const name of names) expect(shown.toLowerCase()).not.toContain(name.toLowerCase());
      expect(shown).not.toMatch(/Jordan|Reyes|Robin|Tester|doxy/);
    }
    // the practitioner, the room and the client are not in the file at all
    expect(text).not.toMatch(/demo-nyc-jordan|room|cl_1/);
  });

  it('a clinic whose name holds such a word is called by its SMS name, else "Your clinic"', () => {
    expect(calendarClinicName({ name: 'Lakeshore Therapy (demo)', smsName: 'Lakeshore (demo)' })).toBe('Lakeshore (demo)');
    expect(calendarClinicName({ name: 'Lakeshore Therapy (demo)', smsName: null })).toBe('Your clinic');
    expect(calendarClinicName({ name: 'NYKetamine Center', smsName: null })).toBe('Your clinic');
    expect(calendarClinicName({ name: '  Hudson   Wellness ', smsName: null })).toBe('Hudson Wellness');
    const i = input({}, { name: 'Lakeshore Therapy (demo)', smsName: null });
    expect(prop(i, 'SUMMARY')).toBe('Clinic appointment');
    expect(prop(i, 'LOCATION')).toBe('Your clinic');
    expect(calendarFile(i).text).not.toMatch(/therapy/i);
  });
});

describe('escapeText', () => {
  it.each([
    ['a\\b', 'a\\\\b'],
    ['a;b', 'a\\;b'],
    ['a,b', 'a\\,b'],
    ['a\nb', 'a\\nb'],
    ['a\r\nb', 'a\\nb'],
    ['a\rb', 'a\\nb'],
    ['\\;,', '\\\\\\;\\,'],
    ['a:b "c"', 'a:b "c"'],
  ])('%j → %j', (text, escaped) => {
    expect(escapeText(text)).toBe(escaped);
  });

  it('a clinic name with commas, semicolons and a backslash comes back as it was', () => {
    const name = 'Smith, Jones; and Co\\Partners';
    const { text } = calendarFile(input({}, { name }));
    expect(text).toContain('SUMMARY:Appointment at Smith\\, Jones\\; and Co\\\\Partners');
    expect(read(text).get('SUMMARY')).toBe(`Appointment at ${name}`);
  });
});

describe('foldLine', () => {
  const octets = (s: string) => new TextEncoder().encode(s).length;
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  it('leaves a line of 75 octets as it is and folds one of 76', () => {
    expect(foldLine('X'.repeat(75))).toBe('X'.repeat(75));
    expect(foldLine('X'.repeat(76))).toBe(`${'X'.repeat(75)}\r\n X`);
  });

  it.each([
    ['two-octet', 'é'],
    ['three-octet', '東'],
    ['four-octet (a surrogate pair)', '😀'],
    ['mixed', 'aé東😀'],
  ])('%s characters: every physical line at most 75 octets, none split, unfolding gives the line back', (_, unit) => {
    const line = `SUMMARY:${unit.repeat(60)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const [i, part] of physical.entries()) {
      expect(octets(part)).toBeLessThanOrEqual(75);
      expect(part).not.toMatch(lone);
      if (i > 0) expect(part.startsWith(' ')).toBe(true);
    }
    // filled up: a line is short of 75 only by less than the next character's octets
    for (const part of physical.slice(0, -1)) expect(octets(part)).toBeGreaterThan(75 - 4);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
  });

  it('every line of a file with a long multi-byte clinic name is folded', () => {
    const { text } = calendarFile(input({}, { name: 'Clinique Santé Bien-Être du Plateau-Mont-Royal et de la Rive-Sud 東京' }));
    for (const part of text.split('\r\n')) expect(octets(part)).toBeLessThanOrEqual(75);
    expect(read(text).get('SUMMARY')).toBe('Appointment at Clinique Santé Bien-Être du Plateau-Mont-Royal et de la Rive-Sud 東京');
  });
});
