import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '#domain/catalog.ts';
import {
  SMS_DENYLIST,
  deniedWordsIn,
  formatLocalForSms,
  gsm7Septets,
  isGsm7,
  renderSms,
  smsNameProblem,
  type SmsContext,
  type SmsKind,
} from '#domain/sms.ts';
import { MODES, SERVICE_CODES } from '#domain/types.ts';
import { NY, REGINA, TORONTO, at } from './fixtures.ts';

const ST_JOHNS = 'America/St_Johns';
const ZONES = [NY, TORONTO, REGINA, ST_JOHNS];
const KINDS: SmsKind[] = ['confirmation', 'moved', 'cancelled', 'reminder'];
const RIDE_HOME = 'Please arrange for someone to take you home afterwards.';

// What the brief and docs/domain.md name outright; SMS_DENYLIST must hold at least these.
const REQUIRED_DENIED = [
  'ketamine',
  'kap',
  'psychedelic',
  'dosing',
  'dose',
  'exploration',
  'integration',
  'preparation',
  'intake',
  'therapy',
  'psychotherapy',
  'medical evaluation',
  'infusion',
  'lozenge',
  'drug',
  'medication',
  'esketamine',
  'spravato',
  'depression',
  'ptsd',
  'anxiety',
];

// GSM 03.38 default alphabet (without ESC/CR/LF) and its extension table, written out here
// independently of the implementation.
const GSM_BASIC =
  '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXT = '^{}\\[~]|€';

function nonGsm(text: string): string[] {
  return [...text].filter((c) => !GSM_BASIC.includes(c) && !GSM_EXT.includes(c));
}

function septets(text: string): number {
  return [...text].reduce((n, c) => n + (GSM_EXT.includes(c) ? 2 : 1), 0);
}

/** Denied words present as whole words (case-insensitive; a phrase matches across any separator). */
const wholeWord = (w: string) =>
  new RegExp(`(^|[^a-z0-9])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[^a-z0-9]+')}($|[^a-z0-9])`);
const DENIED = SMS_DENYLIST.map((w) => ({ w, re: wholeWord(w) }));
const REQUIRED = REQUIRED_DENIED.map((w) => ({ w, re: wholeWord(w) }));

function deniedIn(text: string, list = DENIED): string[] {
  const lower = text.toLowerCase();
  return list.filter(({ re }) => re.test(lower)).map(({ w }) => w);
}

const DOB_PATTERNS = [/\b\d{4}-\d{1,2}-\d{1,2}\b/, /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/, /\b(19|20)\d{2}\b/];

function ctx(overrides: Partial<SmsContext> = {}): SmsContext {
  return {
    kind: 'confirmation',
    clinicName: 'Hudson Valley Wellness',
    startsAt: at('2026-12-03', '09:00'),
    zone: NY,
    mode: 'in_person',
    service: 'preparation',
    rescheduleHint: 'call 212-555-0100',
    ...overrides,
  };
}

describe('formatLocalForSms', () => {
  it('gives weekday, date, 12-hour time and the zone abbreviation in the clinic zone', () => {
    expect(formatLocalForSms(at('2026-12-03', '09:00'), NY)).toBe('Thu Dec 3, 9:00 AM EST');
    expect(formatLocalForSms(at('2026-07-03', '14:05'), NY)).toBe('Fri Jul 3, 2:05 PM EDT');
    expect(formatLocalForSms(at('2026-12-03', '09:00', TORONTO), TORONTO)).toBe('Thu Dec 3, 9:00 AM EST');
    expect(formatLocalForSms(at('2026-07-03', '09:00', TORONTO), TORONTO)).toBe('Fri Jul 3, 9:00 AM EDT');
    expect(formatLocalForSms(at('2026-12-03', '09:00', REGINA), REGINA)).toBe('Thu Dec 3, 9:00 AM CST');
    expect(formatLocalForSms(at('2026-07-03', '09:00', REGINA), REGINA)).toBe('Fri Jul 3, 9:00 AM CST');
  });

  it("names Newfoundland time NST/NDT rather than Intl's GMT-3:30", () => {
    expect(formatLocalForSms(at('2026-12-03', '09:30', ST_JOHNS), ST_JOHNS)).toBe('Thu Dec 3, 9:30 AM NST');
    expect(formatLocalForSms(at('2026-07-03', '09:30', ST_JOHNS), ST_JOHNS)).toBe('Fri Jul 3, 9:30 AM NDT');
  });

  it('falls back to initials of the long zone name, then to the GMT offset', () => {
    expect(formatLocalForSms(Date.UTC(2026, 6, 3, 14, 0), 'Europe/London')).toBe('Fri Jul 3, 3:00 PM BST');
    expect(formatLocalForSms(Date.UTC(2026, 0, 3, 14, 0), 'Asia/Kolkata')).toBe('Sat Jan 3, 7:30 PM IST');
    expect(formatLocalForSms(Date.UTC(2026, 0, 3, 14, 0), 'Australia/Eucla')).toBe('Sat Jan 3, 10:45 PM ACWST'); // five initials
    expect(formatLocalForSms(Date.UTC(2026, 0, 3, 14, 0), 'Etc/GMT+5')).toBe('Sat Jan 3, 9:00 AM GMT-5');
    expect(formatLocalForSms(Date.UTC(2026, 0, 3, 14, 0), 'Asia/Kathmandu')).toBe('Sat Jan 3, 7:45 PM GMT+5:45');
  });

  it('writes noon and midnight as 12 PM and 12 AM and uses the local date', () => {
    expect(formatLocalForSms(at('2026-12-03', '12:00'), NY)).toBe('Thu Dec 3, 12:00 PM EST');
    expect(formatLocalForSms(at('2026-12-04', '00:15'), NY)).toBe('Fri Dec 4, 12:15 AM EST');
    // 03:00 UTC on Dec 4 is still Dec 3 in New York.
    expect(formatLocalForSms(Date.UTC(2026, 11, 4, 3, 0), NY)).toBe('Thu Dec 3, 10:00 PM EST');
  });

  it('reads the repeated hour of fall-back with the right abbreviation', () => {
    expect(formatLocalForSms(Date.UTC(2026, 10, 1, 5, 30), NY)).toBe('Sun Nov 1, 1:30 AM EDT');
    expect(formatLocalForSms(Date.UTC(2026, 10, 1, 6, 30), NY)).toBe('Sun Nov 1, 1:30 AM EST');
  });

  it('writes Mondays as Mon and pads minutes under ten only', () => {
    expect(formatLocalForSms(at('2026-12-07', '09:05'), NY)).toBe('Mon Dec 7, 9:05 AM EST');
    expect(formatLocalForSms(at('2026-12-07', '09:10'), NY)).toBe('Mon Dec 7, 9:10 AM EST');
  });

  it('keeps the short name Intl gives when there is one (AKST, not the initials AST of Alaska Standard Time)', () => {
    expect(formatLocalForSms(Date.UTC(2026, 11, 7, 18, 0), 'America/Anchorage')).toBe('Mon Dec 7, 9:00 AM AKST');
  });

  it('rejects an unknown zone or a non-instant', () => {
    expect(() => formatLocalForSms(0, 'Nowhere/Land')).toThrow(RangeError);
    expect(() => formatLocalForSms(Number.NaN, NY)).toThrow(RangeError);
  });
});

describe('renderSms: what each kind says', () => {
  it('confirmation: clinic, local time, where, how to reschedule', () => {
    expect(renderSms(ctx())).toBe(
      'Hudson Valley Wellness: your appointment on Thu Dec 3, 9:00 AM EST is confirmed, at the clinic. To reschedule: call 212-555-0100',
    );
  });

  it('telehealth says by video, in-person says at the clinic', () => {
    const video = renderSms(ctx({ mode: 'telehealth' }));
    expect(video).toContain('by video (join by video link)');
    expect(video).not.toContain('at the clinic');
    const inPerson = renderSms(ctx({ mode: 'in_person' }));
    expect(inPerson).toContain('at the clinic');
    expect(inPerson).not.toContain('video');
  });

  it('moved: the new time, and the old one when given', () => {
    const prev = at('2026-12-01', '10:30');
    expect(renderSms(ctx({ kind: 'moved', previousStartsAt: prev }))).toBe(
      'Hudson Valley Wellness: your appointment on Tue Dec 1, 10:30 AM EST has moved to Thu Dec 3, 9:00 AM EST, at the clinic. To reschedule: call 212-555-0100',
    );
    expect(renderSms(ctx({ kind: 'moved' }))).toBe(
      'Hudson Valley Wellness: your appointment has moved to Thu Dec 3, 9:00 AM EST, at the clinic. To reschedule: call 212-555-0100',
    );
  });

  it('moved to another provider at the same time: says so, not "moved from a time to itself"', () => {
    const same = ctx({ kind: 'moved', previousStartsAt: at('2026-12-03', '09:00') });
    expect(renderSms(same)).toBe(
      'Hudson Valley Wellness: your appointment on Thu Dec 3, 9:00 AM EST, at the clinic, is now with another practitioner. To reschedule: call 212-555-0100',
    );
  });

  it('cancelled: the appointment on <time> is cancelled, and how to book again', () => {
    expect(renderSms(ctx({ kind: 'cancelled', mode: 'telehealth' }))).toBe(
      'Hudson Valley Wellness: your appointment on Thu Dec 3, 9:00 AM EST is cancelled. To book again: call 212-555-0100',
    );
  });

  it('reminder: a plain reminder, and for an exploration the ride home and no driving', () => {
    expect(renderSms(ctx({ kind: 'reminder', mode: 'telehealth', service: 'integration' }))).toBe(
      'Hudson Valley Wellness: reminder of your appointment on Thu Dec 3, 9:00 AM EST, by video (join by video link). To reschedule: call 212-555-0100',
    );
    expect(renderSms(ctx({ kind: 'reminder', service: 'exploration' }))).toBe(
      `Hudson Valley Wellness: reminder of your appointment on Thu Dec 3, 9:00 AM EST, at the clinic. ${RIDE_HOME} To reschedule: call 212-555-0100`,
    );
  });

  it('the ride-home sentence is only in exploration reminders, not in exploration notices', () => {
    for (const kind of ['confirmation', 'moved', 'cancelled'] as const) {
      expect(renderSms(ctx({ kind, service: 'exploration' }))).not.toContain('take you home');
    }
  });

  it('takes a URL as the reschedule hint without a trailing full stop that would break the link', () => {
    const text = renderSms(ctx({ rescheduleHint: 'https://hudsonvalley.example/appointments' }));
    expect(text.endsWith('To reschedule: https://hudsonvalley.example/appointments')).toBe(true);
  });
});

describe('renderSms: clinic-supplied text cannot leak the treatment or break GSM-7', () => {
  it('SMS_DENYLIST holds every word the product forbids, in lower case', () => {
    for (const w of REQUIRED_DENIED) expect(SMS_DENYLIST).toContain(w);
    for (const w of SMS_DENYLIST) expect(w).toMatch(/^[a-z0-9 -]+$/);
  });

  it('helpers: GSM-7 check, septet count, denied words (whole words, or inside words when strict)', () => {
    expect(isGsm7('Café Ñandú @ 9:00 {ok}')).toBe(false); // ú is not GSM-7
    expect(isGsm7('Café Ñandu @ 9:00 {ok}')).toBe(true);
    expect(isGsm7('it\u2019s')).toBe(false);
    expect(gsm7Septets('a{b}€')).toBe(8);
    expect(deniedWordsIn('Your KAP session')).toEqual(['kap']);
    expect(deniedWordsIn('Kaplan Group, nyketamine.example')).toEqual([]);
    expect(deniedWordsIn('Kaplan Group, nyketamine.example', true)).toEqual(['ketamine']);
    expect(deniedWordsIn('a Medical  Evaluation')).toEqual(['medical evaluation', 'evaluation']);
  });

  it('a clinic name with a denied word becomes a neutral "Your clinic"', () => {
    for (const clinicName of [
      'Brooklyn Ketamine Center',
      'NYKetamine Wellness', // inside a word too
      'KAP Collective',
      'Lakeside Psychedelic Therapy',
      'Spravato Treatment Center of Queens',
      'Center for Depression & Anxiety',
      'Clinique Kétamine Montréal', // accents do not hide a word
      'Centre de Thérapie du Plateau', // nor does French
    ]) {
      const text = renderSms(ctx({ clinicName }));
      expect(text.startsWith('Your clinic: your appointment')).toBe(true);
      expect(deniedIn(text)).toEqual([]);
    }
  });

  it('keeps a clinic name where a short denied word is only part of another word', () => {
    expect(renderSms(ctx({ clinicName: 'Kaplan Wellness Group' })).startsWith('Kaplan Wellness Group:')).toBe(true);
  });

  it('a reschedule hint with a denied word (even inside a URL) becomes "contact the clinic"', () => {
    for (const rescheduleHint of ['https://nyketamine.example/book', 'https://kap.example/r', 'visit our therapy portal']) {
      const text = renderSms(ctx({ rescheduleHint }));
      expect(text.endsWith('To reschedule: contact the clinic')).toBe(true);
      expect(deniedIn(text)).toEqual([]);
    }
  });

  it('transliterates curly quotes, dashes and accents outside GSM-7 and drops emoji', () => {
    const text = renderSms(ctx({ clinicName: 'Clinique Santé Côte\u2013des\u2013Neiges \u201CEst\u201D \u{1F33F}' }));
    expect(text.startsWith('Clinique Santé Cote-des-Neiges "Est":')).toBe(true);
    expect(nonGsm(text)).toEqual([]);
    expect(nonGsm(renderSms(ctx({ rescheduleHint: 'call\u00A0212\u2011555\u20110100 \u2019anytime\u2019' })))).toEqual([]);
  });

  it('every look-alike becomes its GSM-7 character, and any white space a single space', () => {
    const name = (clinicName: string) => renderSms(ctx({ clinicName })).split(': your appointment')[0];
    expect(name('A\u2018B\u2019C\u201AD\u201BE\u2032F`G\u00B4H')).toBe("A'B'C'D'E'F'G'H");
    expect(name('A\u201CB\u201DC\u201ED\u201FE\u00ABF\u00BBG')).toBe('A"B"C"D"E"F"G');
    expect(name('A\u2010B\u2011C\u2012D\u2013E\u2014F\u2015G\u2212H\u00B7I\u2022J')).toBe('A-B-C-D-E-F-G-H-I-J');
    expect(name('Hudson\u2026 Valley')).toBe('Hudson... Valley');
    expect(name('  Hudson\u00A0\u00A0Valley\tWellness  ')).toBe('Hudson Valley Wellness');
  });

  it('a name or hint of nothing an SMS can carry falls back to the neutral one', () => {
    const text = renderSms(ctx({ clinicName: '\u{1F33F}\u{1F33F}', rescheduleHint: '\u{1F4DE}' }));
    expect(text.startsWith('Your clinic: your appointment')).toBe(true);
    expect(text.endsWith('To reschedule: contact the clinic')).toBe(true);
  });

  it('trailing separators are trimmed from the name, trailing full stops and spaces from the hint', () => {
    const text = renderSms(ctx({ clinicName: 'Hudson Valley Wellness -:', rescheduleHint: 'call 212-555-0100.. ' }));
    expect(text.startsWith('Hudson Valley Wellness: your appointment')).toBe(true);
    expect(text.endsWith('To reschedule: call 212-555-0100')).toBe(true);
  });

  it('a denied word in full-width letters (which GSM-7 drops) still makes the name and the hint neutral', () => {
    const text = renderSms(
      ctx({ clinicName: '\uFF2B\uFF25\uFF34\uFF21\uFF2D\uFF29\uFF2E\uFF25 Center', rescheduleHint: 'see \uFF2B\uFF21\uFF30 desk' }),
    );
    expect(text.startsWith('Your clinic: your appointment')).toBe(true);
    expect(text.endsWith('To reschedule: contact the clinic')).toBe(true);
  });

  it('a name of exactly 40 characters is kept whole; a longer one is cut at its last word past the middle, else at 40', () => {
    const name = (clinicName: string) => renderSms(ctx({ clinicName })).split(': your appointment')[0];
    const forty = 'Hudson Valley Wellness and Mindful Group';
    expect(forty).toHaveLength(40);
    expect(name(forty)).toBe(forty);
    expect(name('Hudson Valley Wellness Group, Integrative Minds')).toBe('Hudson Valley Wellness Group');
    expect(name('Hudson Valley Wellness Group, - Integrative Minds')).toBe('Hudson Valley Wellness Group');
    expect(name(`Ab ${'c'.repeat(50)}`)).toBe(`Ab ${'c'.repeat(37)}`);
  });

  it('shortens a long clinic name at a word, and replaces an over-long hint', () => {
    const longName = 'The Greater Metropolitan Hudson Valley Integrative Wellness and Mindfulness Collaborative Group';
    const text = renderSms(ctx({ clinicName: longName }));
    const name = text.slice(0, text.indexOf(':'));
    expect(name.length).toBeLessThanOrEqual(40);
    expect(longName.startsWith(name)).toBe(true);
    expect(name.endsWith(' ')).toBe(false);
    const longHint = `https://hudsonvalley.example/${'a'.repeat(100)}`;
    expect(renderSms(ctx({ rescheduleHint: longHint })).endsWith('To reschedule: contact the clinic')).toBe(true);
  });

  it('fits two segments with the longest name, hint and zone abbreviation, the name kept whole (40)', () => {
    const name = 'Wwwwwwwwwww Xxxxxxxxxx Yyyyyyyyy Zzzzzzz Extra words beyond forty'; // cut at 40
    const hint = `https://x.example/${'y'.repeat(62)}`; // 80 characters, the longest kept
    const kathmandu = 'Asia/Kathmandu'; // "GMT+5:45", the longest abbreviation form
    const base = ctx({ clinicName: name, rescheduleHint: hint, zone: kathmandu, startsAt: Date.UTC(2026, 11, 30, 6, 0) });
    const when = 'Wed Dec 30, 11:45 AM GMT+5:45';

    const reminder = renderSms({ ...base, kind: 'reminder', service: 'exploration' });
    expect(septets(reminder)).toBeLessThanOrEqual(306);
    expect(reminder.startsWith('Wwwwwwwwwww Xxxxxxxxxx Yyyyyyyyy Zzzzzzz:')).toBe(true);
    expect(reminder).toContain(when);
    expect(reminder).toContain(RIDE_HOME);
    expect(reminder.endsWith(`To reschedule: ${hint}`)).toBe(true);

    // and the longest notice too
    const moved = renderSms({ ...base, kind: 'moved', mode: 'telehealth', previousStartsAt: Date.UTC(2026, 11, 29, 7, 0) });
    expect(septets(moved)).toBeLessThanOrEqual(306);
    expect(moved.startsWith('Wwwwwwwwwww Xxxxxxxxxx Yyyyyyyyy Zzzzzzz:')).toBe(true);
    expect(moved).toContain(`on Tue Dec 29, 12:45 PM GMT+5:45 has moved to ${when}`);
  });
});

describe('smsNameProblem: a clinic’s SMS name is sent as written', () => {
  it('accepts a GSM-7 name of at most 40 characters without a denied word', () => {
    expect(smsNameProblem('Hudson Valley Wellness')).toBeUndefined();
    expect(smsNameProblem('Hudson Valley Wellness and Mindful Group')).toBeUndefined(); // 40
  });

  it('refuses characters an SMS would change, more than 40 characters, and a denied word (inside words too)', () => {
    expect(smsNameProblem('Hudson\u2019s Wellness')).toBe('Only letters, digits and punctuation an SMS can carry as they are');
    expect(smsNameProblem(' Hudson Wellness')).toBe('Only letters, digits and punctuation an SMS can carry as they are');
    expect(smsNameProblem('Hudson Valley Wellness and Mindful Groups')).toBe('At most 40 characters');
    expect(smsNameProblem('NYKetamine Wellness')).toBe(
      'Must not name the treatment, a service, a drug, dosing or a condition: it goes in every SMS',
    );
  });
});

describe('renderSms: every kind x service x mode x zone with realistic data', () => {
  const clinics: Record<string, { names: string[]; hints: string[] }> = {
    [NY]: {
      names: ['Hudson Valley Wellness', 'Brooklyn Ketamine Center'],
      hints: ['call 212-555-0100', 'https://hudsonvalley.example/appointments'],
    },
    [TORONTO]: {
      names: ['Maple Leaf Health Collective', 'Clinique Santé Côte-des-Neiges'],
      hints: ['call 416-555-0199', 'https://mapleleaf.example/rebook'],
    },
    [REGINA]: { names: ['Prairie Sky Clinic'], hints: ['call 306-555-0123'] },
    [ST_JOHNS]: {
      names: ['Harbourside Wellness Centre', 'Signal Hill KAP Clinic'],
      hints: ['call 709-555-0142 or visit harbourside.example/book'],
    },
  };
  const times: Array<[string, string]> = [
    ['2026-03-09', '11:00'],
    ['2026-11-01', '01:30'],
    ['2026-12-31', '23:45'],
    ['2027-07-15', '12:00'],
  ];
  const catalog = defaultCatalog('USD');

  it('never a denied word, a date of birth or a year; at most 2 segments; GSM-7 only; ride home only where due', () => {
    let rendered = 0;
    for (const zone of ZONES) {
      for (const service of SERVICE_CODES) {
        const allowsVideo = catalog.find((s) => s.code === service)!.telehealthAllowed;
        for (const mode of MODES) {
          if (mode === 'telehealth' && !allowsVideo) continue;
          for (const kind of KINDS) {
            for (const clinicName of clinics[zone]!.names) {
              for (const rescheduleHint of clinics[zone]!.hints) {
                for (const [date, time] of times) {
                  const startsAt = at(date, time, zone);
                  for (const previousStartsAt of kind === 'moved' ? [undefined, startsAt - 3 * 86_400_000] : [undefined]) {
                    const c: SmsContext = { kind, clinicName, startsAt, zone, mode, service, rescheduleHint };
                    if (previousStartsAt !== undefined) c.previousStartsAt = previousStartsAt;
                    const text = renderSms(c);
                    rendered += 1;
                    const label = `${kind}/${service}/${mode}/${zone}: ${text}`;
                    expect(deniedIn(text), label).toEqual([]);
                    expect(deniedIn(text, REQUIRED), label).toEqual([]);
                    for (const p of DOB_PATTERNS) expect(p.test(text), label).toBe(false);
                    expect(text.length, label).toBeLessThanOrEqual(320);
                    expect(septets(text), label).toBeLessThanOrEqual(306);
                    expect(nonGsm(text), label).toEqual([]);
                    expect(text, label).toContain(formatLocalForSms(startsAt, zone));
                    const wantsRide = kind === 'reminder' && service === 'exploration';
                    expect(text.includes(RIDE_HOME), label).toBe(wantsRide);
                    // a ride home, never "do not drive": that would say on the phone it is a sedating visit
                    expect(/\bdrive\b/i.test(text), label).toBe(false);
                    if (kind !== 'cancelled') {
                      expect(text.includes('by video'), label).toBe(mode === 'telehealth');
                      expect(text.includes('at the clinic'), label).toBe(mode === 'in_person');
                    }
                    expect(/To (reschedule|book again): \S/.test(text), label).toBe(true);
                  }
                }
              }
            }
          }
        }
      }
    }
    expect(rendered).toBeGreaterThan(500);
  });
});
