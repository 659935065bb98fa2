// Input hardening (security review): every hostile input is a ValidationError with field paths,
// never an exception. Pure schema level, no database. Each block fails if its rule is removed.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod/mini';
import { ValidationError, type FieldIssue } from '#domain/errors.ts';
import { isInvisible, normalizeText, textProblem } from '#domain/text.ts';
import { issuesOf, MAX_JSON_DEPTH, nestsDeeperThan, parseJsonBody, parseWith } from '#http/validation.ts';
import * as s from '#http/schemas/scheduling.ts';
import * as common from '#http/schemas/common.ts';
import * as pay from '#http/schemas/payments.ts';
import * as zm from '#http/schemas/zod.ts';

/** The details of a refused value; fails the test when the value is accepted or parsing throws. */
function refused(schema: z.ZodMiniType, value: unknown): FieldIssue[] {
  const result = schema.safeParse(value);
  expect(result.success, `accepted ${JSON.stringify(value)}`).toBe(false);
  return result.success ? [] : issuesOf(result.error);
}
const pathsOf = (details: FieldIssue[]) => [...new Set(details.map((d) => d.path))].sort();
const accepted = <S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> => {
  const result = schema.safeParse(value);
  expect(result.success, result.success ? '' : JSON.stringify(issuesOf(result.error))).toBe(true);
  return result.data as z.output<S>;
};

function thrownBy(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

// Valid bodies; each case below breaks one field.
const client = () => ({
  clinicId: 'demo-nyc',
  firstName: 'Noa',
  lastName: 'Lindqvist',
  email: 'noa@example.com',
  phone: '+12125550123',
  dateOfBirth: '1985-04-12',
  smsConsent: true,
  rideHome: { name: 'Pat', phone: '+12125550199' },
});
const provider = () => ({
  name: 'Quinn Harper',
  role: 'therapist',
  credentials: 'LMFT',
  telehealth: true,
  weeklyHours: [{ day: 'mon', start: '09:00', end: '17:00' }],
});
const roomBody = () => ({ name: 'Dosing room 3', kind: 'dosing' });
const clearance = () => ({ status: 'cleared', screenedFor: ['hypertension'], validUntil: '2027-06-01', notes: 'BP fine' });
const book = () => ({
  clinicId: 'demo-nyc',
  clientId: 'cli_0123abc',
  providerId: 'demo-nyc-ther-1',
  service: 'preparation',
  mode: 'in_person',
  startsAt: '2026-12-09T10:00:00-05:00',
  packageId: 'pkg_1',
});
const availability = () => ({ service: 'preparation', from: '2026-12-07', to: '2026-12-08' });
const program = () => ({
  name: 'Standard',
  explorations: 3,
  tier: 'standard',
  includes: { preparation: 1, exploration: 3, integration: 3 },
});
const purchase = () => ({ clientId: 'cli_1', programId: 'prg_1', payment: 'pay_in_full' });

/** `set(body, value)` at a dotted path of a fresh copy. */
function withValue(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return copy;
}

// ---------------------------------------------------------------------------------------------

describe('0. one problem per field', () => {
  it('reports a field’s first problem only, though zod ran its later checks too', () => {
    const amount = common.intRange(1, 100, 'Integer minor units');
    for (const value of [1e300, Number('123456789012345678901234567890'), 100.5]) {
      expect(refused(zm.strictObject({ amount }), { amount: value })).toEqual([{ path: 'amount', message: 'Integer minor units' }]);
    }
    // each field still has its own, and each unknown field its own
    expect(refused(zm.strictObject({ a: amount, b: amount }), { a: 1e300, b: 0.5, c: 1, d: 2 })).toEqual([
      { path: 'a', message: 'Integer minor units' },
      { path: 'b', message: 'Integer minor units' },
      { path: 'c', message: 'Unknown field' },
      { path: 'd', message: 'Unknown field' },
    ]);
  });
});

describe('1. JSON bodies nested too deeply', () => {
  const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it.each([
    ['arrays', nestedArrays(10_000)],
    ['objects', nestedObjects(10_000)],
    ['both', '{"a":['.repeat(5_000) + ']}'.repeat(5_000)],
  ])('refuses %s 10,000 levels deep with a 400 at path ""', (_, raw) => {
    const err = thrownBy(() => parseJsonBody(raw));
    expect(err.status).toBe(400);
    expect(err.details).toEqual([{ path: '', message: `Nested too deeply (at most ${MAX_JSON_DEPTH} levels)` }]);
  });

  it('allows 32 levels and refuses 33', () => {
    expect(MAX_JSON_DEPTH).toBe(32);
    expect(parseJsonBody(nestedArrays(32))).toBeInstanceOf(Array);
    expect(parseJsonBody(nestedObjects(32))).toHaveProperty('a');
    thrownBy(() => parseJsonBody(nestedArrays(33)));
    thrownBy(() => parseJsonBody(nestedObjects(33)));
    // depth counts containers, not scalars, nor how wide a level is
    expect(parseJsonBody(JSON.stringify({ a: Array.from({ length: 5_000 }, (_, i) => ({ i })) }))).toHaveProperty('a');
  });

  it('measures depth without recursion (a structure far deeper than any stack)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(nestsDeeperThan(deep, MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(deep, 2_000_000)).toBe(false);
    expect(nestsDeeperThan('text', 0)).toBe(false);
  });

  it('returns ordinary bodies as parsed, own __proto__ keys included', () => {
    expect(parseJsonBody('{"name":"Hudson","policy":{"quietHours":{"start":"21:00"}}}')).toEqual({
      name: 'Hudson',
      policy: { quietHours: { start: '21:00' } },
    });
    const body = parseJsonBody('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(refused(s.createRoomSchema, { ...roomBody(), ...body })).toEqual([{ path: '__proto__', message: 'Unknown field' }]);
  });

  it.each(['{"name": "Hudson",', "{'a': 1}", '{"a": 1} trailing', '', 'undefined'])('refuses malformed JSON %j like before', (raw) => {
    const err = thrownBy(() => parseJsonBody(raw));
    expect(err.message).toBe('Malformed JSON body');
    expect(err.details).toEqual([{ path: '', message: 'Malformed JSON body' }]);
  });
});
// ---------------------------------------------------------------------------------------------

describe('2. dates and instants are bounded', () => {
  it('names its ranges', () => {
    expect([s.EARLIEST_DATE, s.LATEST_DATE]).toEqual(['1900-01-01', '2199-12-31']);
    expect([common.EARLIEST_OPERATING_DATE, common.LATEST_OPERATING_DATE]).toEqual(['2000-01-01', '2100-12-31']);
  });

  it('keeps a date of birth between 1900-01-01 and 2199-12-31', () => {
    for (const d of ['1900-01-01', '1985-04-12']) accepted(s.createClientSchema, { ...client(), dateOfBirth: d });
    for (const d of ['1899-12-31', '0001-01-01', '2200-01-01', '9999-12-31']) {
      const details = refused(s.createClientSchema, { ...client(), dateOfBirth: d });
      expect(details).toEqual([{ path: 'dateOfBirth', message: 'Must be between 1900-01-01 and 2199-12-31' }]);
      expect(pathsOf(refused(s.patchClientSchema, { dateOfBirth: d }))).toEqual(['dateOfBirth']);
    }
    accepted(s.dateSchema(), '2199-12-31');
  });

  it.each(['from', 'to'])('keeps availability %s between 2000-01-01 and 2100-12-31', (key) => {
    accepted(s.availabilityQuerySchema, { ...availability(), from: '2000-01-01', to: '2000-01-02' });
    accepted(s.availabilityQuerySchema, { ...availability(), from: '2100-12-30', to: '2100-12-31' });
    for (const d of ['1999-12-31', '1900-01-01', '2101-01-01', '9999-12-31']) {
      const details = refused(s.availabilityQuerySchema, { ...availability(), [key]: d });
      expect(details).toEqual([{ path: key, message: 'Must be between 2000-01-01 and 2100-12-31' }]);
    }
  });

  it('keeps the schedule date and clearance validUntil in the same range', () => {
    accepted(s.scheduleQuerySchema, { date: '2100-12-31' });
    accepted(s.clearanceSchema, { ...clearance(), validUntil: '2100-12-31' });
    for (const d of ['1999-12-31', '2101-01-01', '9999-12-31']) {
      expect(pathsOf(refused(s.scheduleQuerySchema, { date: d }))).toEqual(['date']);
      expect(pathsOf(refused(s.clearanceSchema, { ...clearance(), validUntil: d }))).toEqual(['validUntil']);
    }
  });

  it.each([
    ['bookSchema', s.bookSchema, book()],
    ['rescheduleSchema', s.rescheduleSchema, { startsAt: '2026-12-09T10:00:00-05:00' }],
  ] as const)('keeps %s startsAt between 2000-01-01 and 2100-12-31, dates as written in its offset', (_, schema, body) => {
    expect(accepted(schema, { ...body, startsAt: '2000-01-01T00:00:00Z' }).startsAt).toBe(Date.UTC(2000, 0, 1));
    expect(accepted(schema, { ...body, startsAt: '2100-12-31T23:45:00Z' }).startsAt).toBe(Date.UTC(2100, 11, 31, 23, 45));
    // the clinic's last evening of the range, as availability offers it (a local date): in 2101 in UTC
    expect(accepted(schema, { ...body, startsAt: '2100-12-31T19:00:00-05:00' }).startsAt).toBe(Date.UTC(2101, 0, 1));
    expect(accepted(schema, { ...body, startsAt: '2000-01-01T00:00:00+01:00' }).startsAt).toBe(Date.UTC(1999, 11, 31, 23));
    for (const t of [
      '1999-12-31T23:59:00Z',
      '1999-12-31T23:45:00-05:00',
      '1970-01-01T00:00:00Z',
      '2101-01-01T00:00:00Z',
      '9999-12-31T23:00:00Z',
      '9999-12-31T23:59:59.999+00:00',
    ]) {
      const details = refused(schema, { ...body, startsAt: t });
      expect(details).toHaveLength(1);
      expect(details[0]!.path).toBe('startsAt');
      expect(details[0]!.message).toMatch(/2000-01-01 and 2100-12-31/);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('3. weekly hours with bad times: just the field, never an exception', () => {
  it.each([
    [{ day: 'mon', start: '24:00', end: '17:00' }, 'weeklyHours.0.start'],
    [{ day: 'mon', start: 'abc', end: '17:00' }, 'weeklyHours.0.start'],
    [{ day: 'mon', start: '9:00', end: '17:00' }, 'weeklyHours.0.start'],
    [{ day: 'mon', start: '09:00', end: 'abc' }, 'weeklyHours.0.end'],
    [{ day: 'mon', start: '09:00', end: '24:01' }, 'weeklyHours.0.end'],
    [{ day: 'mon', start: '', end: '' }, 'weeklyHours.0.start'],
  ])('%j → %s', (window, path) => {
    const hours = [window, { day: 'mon', start: '08:00', end: '18:00' }]; // would overlap if it were read
    const details = refused(s.createProviderSchema, { ...provider(), weeklyHours: hours });
    expect(details.every((d) => d.path === 'weeklyHours.0.start' || d.path === 'weeklyHours.0.end')).toBe(true);
    expect(details.map((d) => d.path)).toContain(path);
    expect(details.every((d) => d.message === 'Must be a time HH:mm')).toBe(true);
  });

  it('still checks order and overlaps of valid windows', () => {
    expect(refused(s.createProviderSchema, { ...provider(), weeklyHours: [{ day: 'mon', start: '17:00', end: '09:00' }] })).toEqual([
      { path: 'weeklyHours.0.end', message: 'start must be before end' },
    ]);
    const overlap = [
      { day: 'mon', start: '09:00', end: '13:00' },
      { day: 'mon', start: '12:00', end: '24:00' },
    ];
    expect(pathsOf(refused(s.createProviderSchema, { ...provider(), weeklyHours: overlap }))).toEqual(['weeklyHours.1']);
    accepted(s.createProviderSchema, { ...provider(), weeklyHours: [{ day: 'mon', start: '00:00', end: '24:00' }] });
  });

  it('refuses bad quiet hours as fields too', () => {
    expect(
      pathsOf(
        refused(s.createClinicSchema, {
          name: 'X',
          timezone: 'UTC',
          currency: 'USD',
          country: 'US',
          policy: { quietHours: { start: '24:00', end: 'x' } },
        }),
      ),
    ).toEqual(['policy.quietHours.end', 'policy.quietHours.start']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('4. free text', () => {
  const NAMES = [
    'José',
    'Zoë',
    "O'Brien",
    'Nguyễn',
    '李小龙',
    'Anne-Marie',
    'Ana María',
    '🙂',
    '👩🏽‍⚕️',
    'محمد',
    'Ольга',
    'नमस्ते',
    'Ko\u200Dala',
  ];

  const BAD_SINGLE_LINE: Array<[string, string, RegExp]> = [
    ['NUL', 'Ann\u0000a', /control/],
    ['another C0 control', 'Ann\u001Ba', /control/],
    ['DEL', 'Ann\u007Fa', /control/],
    ['a C1 control', 'Ann\u0085a', /control/],
    ['a line break', 'Ann\na', /control|line/],
    ['a tab', 'Ann\ta', /control/],
    ['a line separator', 'Ann\u2028a', /line/],
    ['a lone high surrogate', 'Ann\uD83Da', /surrogate/],
    ['a lone low surrogate', '\uDE00Anna', /surrogate/],
    ['a right-to-left override', 'Ann\u202Ea', /bidirectional/],
    ['a left-to-right embedding', '\u202AAnna', /bidirectional/],
    ['a pop directional formatting', 'Anna\u202C', /bidirectional/],
    ['a right-to-left isolate', '\u2067Anna\u2069', /bidirectional/],
    ['a first strong isolate', '\u2068Anna', /bidirectional/],
    ['only zero-width spaces', '\u200B\u200B', /visible/],
    ['only joiners', '\u200C\u200D', /visible/],
    ['only a word joiner and BOM', '\u2060\uFEFF', /visible/],
    ['only a Mongolian vowel separator', '\u180E', /visible/],
    ['only the Hangul filler', '\u3164', /visible/],
    ['only Hangul choseong and jungseong fillers', '\u115F\u1160', /visible/],
    ['only a soft hyphen', '\u00AD', /visible/],
    ['only an LRM', '\u200E', /visible/],
    ['only a tag character', '\u{E0041}', /visible/],
    ['only no-break and ideographic spaces', '\u00A0\u3000', /empty|visible/],
    ['only spaces', '    ', /empty/],
    ['nothing', '', /empty/],
  ];

  describe('the pure rules (shared/domain/text.ts)', () => {
    it.each(NAMES)('accepts %j', (name) => {
      expect(textProblem(normalizeText(name))).toBeUndefined();
    });

    it.each(BAD_SINGLE_LINE.filter(([, v]) => normalizeText(v) !== ''))('refuses %s', (_, value, message) => {
      expect(textProblem(normalizeText(value))).toMatch(message);
    });

    it('normalises to NFC and trims', () => {
      expect(normalizeText('  Jose\u0301 ')).toBe('José');
      expect(normalizeText('Jose\u0301')).toHaveLength(4);
      expect(normalizeText('a\r\nb\rc', { multiline: true })).toBe('a\nb\nc');
    });

    it('lets multiline text keep line breaks and tabs, and nothing else', () => {
      expect(textProblem('line 1\nline 2\n\tindented', { multiline: true })).toBeUndefined();
      expect(textProblem('line 1\nline 2', {})).toMatch(/control|line/);
      for (const bad of ['a\u0000b', 'a\u000Bb', 'a\u000Cb', 'a\u0085b', 'a\u202Eb', 'a\uD800b']) {
        expect(textProblem(bad, { multiline: true }), JSON.stringify(bad)).toBeDefined();
      }
      expect(isInvisible('\n\t\u200B')).toBe(true);
    });

    it('keeps joiners and marks inside visible text', () => {
      expect(textProblem('👩‍👩‍👧')).toBeUndefined(); // ZWJ sequence
      expect(textProblem('می\u200Cخواهم')).toBeUndefined(); // ZWNJ in Persian
      expect(textProblem('שלום\u200F')).toBeUndefined(); // RLM
    });
  });

  /** Every free-text field of the API: schema, a valid body, the field's path, multiline. */
  const FIELDS: Array<[string, z.ZodMiniType, () => Record<string, unknown>, string, boolean]> = [
    ['client firstName', s.createClientSchema, client, 'firstName', false],
    ['client lastName', s.createClientSchema, client, 'lastName', false],
    ['client rideHome.name', s.createClientSchema, client, 'rideHome.name', false],
    ['patched firstName', s.patchClientSchema, () => ({ firstName: 'Vee' }), 'firstName', false],
    ['patched lastName', s.patchClientSchema, () => ({ lastName: 'Vee' }), 'lastName', false],
    ['patched rideHome.name', s.patchClientSchema, () => ({ rideHome: { name: 'Kim', phone: '+12125550111' } }), 'rideHome.name', false],
    [
      'clinic name',
      s.createClinicSchema,
      () => ({ name: 'Prairie', timezone: 'America/Chicago', currency: 'USD', country: 'US' }),
      'name',
      false,
    ],
    ['patched clinic name', s.patchClinicSchema, () => ({ name: 'Hudson' }), 'name', false],
    ['provider name', s.createProviderSchema, provider, 'name', false],
    ['provider credentials', s.createProviderSchema, provider, 'credentials', false],
    ['room name', s.createRoomSchema, roomBody, 'name', false],
    ['clearance screenedFor entry', s.clearanceSchema, clearance, 'screenedFor.0', false],
    ['clearance notes', s.clearanceSchema, clearance, 'notes', true],
    ['cancel reason', s.cancelSchema, () => ({ reason: 'travel' }), 'reason', true],
    ['program name', pay.createProgramSchema, program, 'name', false],
  ];

  describe.each(FIELDS)('%s', (_, schema, body, path, multiline) => {
    it('accepts ordinary names, stored in NFC and trimmed', () => {
      for (const name of NAMES) accepted(schema, withValue(body(), path, name));
      const out = accepted(schema, withValue(body(), path, '  Zoe\u0308  ')) as Record<string, unknown>;
      expect(path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], out)).toBe('Zoë');
    });

    it.each(BAD_SINGLE_LINE.filter(([label]) => !multiline || !/line break|line separator|tab/.test(label)))(
      'refuses %s at its path',
      (_label, value) => {
        expect(pathsOf(refused(schema, withValue(body(), path, value)))).toEqual([path]);
      },
    );

    if (multiline) {
      it('keeps line breaks and tabs', () => {
        const out = accepted(schema, withValue(body(), path, 'first line\r\n\tsecond line')) as Record<string, unknown>;
        expect(out[path]).toBe('first line\n\tsecond line');
      });
    } else {
      it('refuses line breaks', () => {
        expect(pathsOf(refused(schema, withValue(body(), path, 'first\nsecond')))).toEqual([path]);
      });
    }
  });

  /** Every id field: not free text, so no controls, spaces or other characters either. */
  const IDS: Array<[string, z.ZodMiniType, () => Record<string, unknown>, string]> = [
    ['client clinicId', s.createClientSchema, client, 'clinicId'],
    ['booking clinicId', s.bookSchema, book, 'clinicId'],
    ['booking clientId', s.bookSchema, book, 'clientId'],
    ['booking providerId', s.bookSchema, book, 'providerId'],
    ['booking packageId', s.bookSchema, book, 'packageId'],
    [
      'reschedule providerId',
      s.rescheduleSchema,
      () => ({ startsAt: '2026-12-09T10:00:00-05:00', providerId: 'demo-nyc-ther-2' }),
      'providerId',
    ],
    ['availability providerId', s.availabilityQuerySchema, () => ({ ...availability(), providerId: 'demo-nyc-ther-1' }), 'providerId'],
    ['availability excluding', s.availabilityQuerySchema, () => ({ ...availability(), excluding: 'apt_0f3a9c2b7d4e' }), 'excluding'],
    ['purchase clientId', pay.purchaseSchema, purchase, 'clientId'],
    ['purchase programId', pay.purchaseSchema, purchase, 'programId'],
  ];

  describe.each(IDS)('%s', (_, schema, body, path) => {
    it('accepts ids as they are made', () => {
      for (const id of ['demo-nyc', 'demo-nyc-ther-1', 'cli_0f3a9c2b7d4e4f8a9b1c2d3e4f5a6b7c', 'x'.repeat(100)])
        accepted(schema, withValue(body(), path, id));
    });
    it.each([
      'demo\u0000nyc',
      'demo-nyc\n',
      'demo\u0085nyc',
      '\u202Edemo',
      'demo nyc',
      'demo-nyc\u200B',
      'démo',
      '',
      'x'.repeat(101),
      '../x',
    ])('refuses %j', (id) => {
      expect(pathsOf(refused(schema, withValue(body(), path, id)))).toEqual([path]);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('5. phone numbers: US or Canadian mobile or landline only', () => {
  // the demo and test numbers used across the repository (555-01xx is fictional but valid)
  const OK = [
    '+12125550100',
    '+12125550111',
    '+12125550123',
    '+12125550124',
    '+12125550142',
    '+12125550188',
    '+12125550199',
    '+14165550123',
    '+14165550188',
    '+16045551234',
    '+15145550123',
  ];
  const NOT_US_OR_CA: Array<[string, string]> = [
    ['Jamaica (+1 876)', '+18762101234'],
    ['the Bahamas (+1 242)', '+12423591234'],
    ['Puerto Rico (+1 787)', '+17872345678'],
    ['the Dominican Republic (+1 809)', '+18092345678'],
    ['Guam (+1 671)', '+16713001234'],
    ['premium rate (+1 900)', '+19005550123'],
    ...['800', '833', '844', '855', '866', '877', '888'].map((p): [string, string] => [`toll-free ${p}`, `+1${p}5550123`]),
    ['a personal number (+1 500)', '+15005550123'],
    ['a personal number (+1 533)', '+15335550123'],
    ['the United Kingdom', '+447400123456'],
    ['France', '+33612345678'],
  ];

  it.each(OK)('accepts %s, stored in E.164', (phone) => {
    expect(accepted(s.createClientSchema, { ...client(), phone }).phone).toBe(phone);
    expect(accepted(s.createClientSchema, { ...client(), rideHome: { name: 'Pat', phone } }).rideHome?.phone).toBe(phone);
    expect(accepted(s.patchClientSchema, { phone }).phone).toBe(phone);
  });

  it.each(NOT_US_OR_CA)('refuses %s (%s) for the client and the ride home', (_, phone) => {
    expect(refused(s.createClientSchema, { ...client(), phone })).toEqual([
      { path: 'phone', message: 'Must be a US or Canadian mobile or landline number' },
    ]);
    expect(refused(s.createClientSchema, { ...client(), rideHome: { name: 'Pat', phone } })).toEqual([
      { path: 'rideHome.phone', message: 'Must be a US or Canadian mobile or landline number' },
    ]);
    expect(pathsOf(refused(s.patchClientSchema, { phone, rideHome: { name: 'Pat', phone } }))).toEqual(['phone', 'rideHome.phone']);
  });

  it.each(['+1555', '+15555550123', '+12125550123 ', '+1 212 555 0123', '2125550123', '+12121234567'])(
    'refuses the invalid %j with one detail',
    (phone) => {
      expect(refused(s.createClientSchema, { ...client(), phone })).toHaveLength(1);
    },
  );
});

// ---------------------------------------------------------------------------------------------

describe('6. query keys that name Object.prototype members', () => {
  const QUERIES: Array<[string, z.ZodMiniType, Array<[string, string]>]> = [
    ['availabilityQuerySchema', s.availabilityQuerySchema, Object.entries(availability())],
    ['scheduleQuerySchema', s.scheduleQuerySchema, [['date', '2026-12-08']]],
    ['noQuerySchema', s.noQuerySchema, []],
    ['emptySchema', common.emptySchema, []],
  ];

  describe.each(QUERIES)('%s', (_, schema, valid) => {
    it('accepts its valid query', () => {
      accepted(schema, Object.fromEntries(valid));
    });

    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'])(
      'refuses the key %s as unknown, at its own path',
      (key) => {
        const query = Object.fromEntries([...valid, [key, 'x']]);
        expect(Object.keys(query)).toContain(key);
        expect(refused(schema, query)).toEqual([{ path: key, message: 'Unknown field' }]);
        expect(thrownBy(() => parseWith(schema, query)).details).toEqual([{ path: key, message: 'Unknown field' }]);
      },
    );
  });
});
