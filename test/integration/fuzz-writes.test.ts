// Malformed bodies on every write route, on DynamoDB Local. For EVERY route of the route table
// (shared/http/routes.ts) that declares a `body` schema, called by a caller the route allows, the
// cases below send bodies that are malformed as a whole (nested 10,000 levels, null, an array, a
// bare string or number, broken JSON, a 900 KB field, `__proto__` / `constructor` / `prototype`
// keys) or in one field at a time (wrong types, huge / empty / invisible / NUL / lone-surrogate /
// bidi strings, dates at year 0, 9999 and 275760, impossible dates, negative / fractional / 1e308 /
// infinite numbers, objects where scalars go). The fields are read from the schema itself (the
// z.strictObject shape, recursively), so a new field or a new write route is fuzzed without
// editing this file; fast-check adds a few random values per field from a fixed seed, so every run
// sends exactly the same requests.
//
// Each answer must be the API's 400 (docs/api.md, "Errors"):
//   { error: { code: 'validation_failed', message, details: [{ path, message }, …] } }
// with a detail naming the broken field (field cases) — never a 5xx — and the table must be
// exactly as it was before the request (every item, compared after each request).
//
// The cases are a table: each is one `it`, named "<METHOD path> — <case>", so a failure names the
// route and the case, and reports the status, the body sent (abridged) and what was written.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod/mini';
import { ROUTES, routeKey, type RouteDef } from '#http/routes.ts';
import { admin, createTestApi, frontdesk, signUp, type As, type Reply, type TestApi } from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const THER = 'demo-nyc-ther-1';
/** fast-check's seed: fixed, so that the random values (and the test names) never change. */
const FUZZ_SEED = 20_261_201;
/** Random values fast-check adds per field and family (wrong type; bad string or bad number). */
const RANDOM_PER_FIELD = 2;
/** ... on fields this deep at most (1 = top-level): keeps the run well under a minute. */
const RANDOM_MAX_DEPTH = 2;
const DEEP_LEVELS = 10_000;

// ---------------------------------------------------------------------------------------------
// Fixtures: the records the routes' paths and bodies name (created in beforeAll).

interface Fixtures {
  clientId: string;
  appointmentId: string;
  /** A program of demo-nyc, bought in the purchase body. */
  programId: string;
  /** Another program of demo-nyc: the one the retire route is called on. */
  retireProgramId: string;
  packageId: string;
  /** A self-pay invoice of the client (its booking's), with its balance due. */
  invoiceId: string;
}

/** Stand-ins with the same shape as the real ids: the case table is built before the fixtures exist. */
const PLACEHOLDER: Fixtures = {
  clientId: 'cli_placeholder',
  appointmentId: 'apt_placeholder',
  programId: 'prg_placeholder',
  retireProgramId: 'prg_placeholder2',
  packageId: 'pkg_placeholder',
  invoiceId: 'inv_placeholder',
};

function pathOf(route: RouteDef, f: Fixtures): string {
  const params: Record<string, string> = {
    clinicId: NYC,
    providerId: 'demo-nyc-ther-1',
    // the remove route's body is empty: its cases are refused before any time off is looked up
    timeOffId: 'off_placeholder',
    // likewise the waitlist's remove route
    entryId: 'wait_placeholder',
    clientId: f.clientId,
    appointmentId: f.appointmentId,
    programId: f.retireProgramId,
    packageId: f.packageId,
    invoiceId: f.invoiceId,
  };
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`fuzz-writes: no fixture for the path parameter {${name}} of ${routeKey(route)}`);
    return value;
  });
}

// ---------------------------------------------------------------------------------------------
// A valid body per write route: every field present (optional ones too), so that a case breaks
// exactly one field and everything else is valid (checked against the schema below). Routes
// whose schema takes no fields need none.

const POLICY = {
  cancellationWindowHours: 48,
  minimumNoticeHours: 24,
  bookingWindowDays: 90,
  explorationSpacingHours: 72,
  integrationWithinDays: 7,
  requiredPreparationSessions: 1,
  reminderOffsetsHours: [48, 2],
  quietHours: { start: '21:00', end: '08:00' },
  lateCancellationFee: { amount: 5000, currency: 'USD' },
  slotStepMinutes: 30,
  lateCancellationForfeitsCredit: true,
  installments: { minimumTotal: 100_000, allowedCounts: [3, 6], minimumDownPaymentPercent: 20 },
  checkInLeadMinutes: 30,
};

const BASE: Record<string, (f: Fixtures) => Record<string, unknown>> = {
  'POST /v1/clinics/{clinicId}/exports': () => ({ kind: 'ledger', from: '2026-11-01', to: '2026-11-30' }),
  'POST /v1/clinics': () => ({ name: 'Prairie Clinic', timezone: 'America/Chicago', currency: 'USD', country: 'US', policy: POLICY }),
  'PATCH /v1/clinics/{clinicId}': () => ({
    name: 'Hudson Clinic',
    policy: POLICY,
    billing: {
      legalName: 'Hudson Clinic PLLC',
      address: { line1: '350 Hudson Street', line2: 'Suite 400', city: 'New York', region: 'NY', postalCode: '10014', country: 'US' },
      phone: '+12125550100',
      taxId: '13-4567890',
      npi: '1843927561',
      taxNote: 'Not subject to sales tax.',
    },
  }),
  'POST /v1/clinics/{clinicId}/providers': () => ({
    name: 'Quinn Harper',
    role: 'therapist',
    credentials: 'LMFT',
    npi: '1234567893',
    licence: { number: 'LMFT-001234', jurisdiction: 'NY' },
    telehealth: true,
    weeklyHours: [
      { day: 'mon', start: '09:00', end: '17:00' },
      { day: 'tue', start: '09:00', end: '17:00' },
    ],
  }),
  'POST /v1/clinics/{clinicId}/rooms': () => ({ name: 'Dosing room 3', kind: 'dosing' }),
  'PUT /v1/clinics/{clinicId}/providers/{providerId}/video-room': () => ({ url: 'https://doxy.me/ther-1' }),
  'POST /v1/clinics/{clinicId}/providers/{providerId}/time-off': () => ({
    startsAt: '2027-02-01T10:00:00-05:00',
    endsAt: '2027-02-01T12:00:00-05:00',
    label: 'Conference',
  }),
  'POST /v1/clinics/{clinicId}/time-off': () => ({
    startsAt: '2027-02-07T22:00:00-05:00',
    endsAt: '2027-02-07T23:00:00-05:00',
    label: 'Holiday',
  }),
  'POST /v1/clinics/{clinicId}/clients/search': () => ({ q: 'Tester' }),
  'POST /v1/clients': () => ({
    clinicId: NYC,
    firstName: 'Noa',
    lastName: 'Lindqvist',
    email: 'noa.lindqvist@example.com',
    phone: '+12125550123',
    dateOfBirth: '1985-04-12',
    smsConsent: true,
    rideHome: { name: 'Pat', phone: '+12125550199' },
  }),
  'PATCH /v1/clients/{clientId}': () => ({
    firstName: 'Vee',
    lastName: 'Lindqvist',
    email: 'vee.lindqvist@example.com',
    phone: '+12125550124',
    dateOfBirth: '1985-04-13',
    smsConsent: false,
    rideHome: { name: 'Kim', phone: '+12125550111' },
  }),
  'PUT /v1/clients/{clientId}/diagnoses': () => ({ codes: ['F33.2', 'F43.10'] }),
  'POST /v1/clients/{clientId}/waitlist': () => ({
    service: 'preparation',
    mode: 'in_person',
    providerId: 'demo-nyc-ther-1',
    from: '2026-12-14',
    to: '2026-12-18',
  }),
  'POST /v1/clients/{clientId}/clearance': () => ({
    status: 'cleared',
    screenedFor: ['hypertension'],
    validUntil: '2027-06-01',
    notes: 'BP fine',
  }),
  'POST /v1/appointments': (f) => ({
    clientId: f.clientId,
    clinicId: NYC,
    service: 'preparation',
    providerId: THER,
    startsAt: '2026-12-09T10:00:00-05:00',
    mode: 'telehealth',
    packageId: f.packageId,
  }),
  'POST /v1/appointments/{appointmentId}/reschedule': () => ({ startsAt: '2026-12-08T11:00:00-05:00', providerId: THER }),
  'POST /v1/appointments/{appointmentId}/cancel': () => ({ reason: 'travel' }),
  'POST /v1/appointments/{appointmentId}/check-in': () => ({ arrivedAt: '2026-12-08T09:55:00-05:00' }),
  'POST /v1/appointments/{appointmentId}/use-credit': (f) => ({ packageId: f.packageId }),
  'POST /v1/clinics/{clinicId}/programs': () => ({
    name: 'Fuzz program',
    explorations: 3,
    tier: 'standard',
    includes: { preparation: 1, exploration: 3, integration: 1 },
    price: 150_000,
  }),
  'POST /v1/invoices/{invoiceId}/refunds': () => ({ amount: 17_500, method: 'cheque', reference: 'CHQ-1042' }),
  'POST /v1/invoices/{invoiceId}/payments': () => ({ amount: 17_500, method: 'cheque', reference: 'CHQ-1042' }),
  'POST /v1/packages': (f) => ({
    clientId: f.clientId,
    programId: f.programId,
    payment: 'installments',
    installments: { count: 3, downPaymentPercent: 20 },
  }),
};

// ---------------------------------------------------------------------------------------------
// The schema's shape: what kind of JSON value each field takes.

type Kind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';
const KINDS: readonly Kind[] = ['number', 'string', 'boolean', 'null', 'array', 'object'];

const kindOf = (v: unknown): Kind => (v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as Kind));

// zod 4 is read through its introspection (`type`, `def`): untyped here.
/** The schema under optional / nullable / default wrappers and transforms (what the JSON must be). */
function unwrap(schema: z.ZodMiniType): { s: any; nullable: boolean } {
  let s: any = schema;
  let nullable = false;
  for (;;) {
    if (['optional', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(s.type)) s = s.def.innerType;
    else if (s.type === 'nullable') {
      nullable = true;
      s = s.def.innerType;
    } else if (s.type === 'pipe') s = s.def.in;
    // a route's schema is built on first use (shared/http/schemas/lazy.ts): look at what it builds
    else if (s.type === 'lazy') s = s._zod.innerType;
    else return { s, nullable };
  }
}

interface Shape {
  kind: Kind;
  /** Whole numbers only (z.number().int(), or literal numbers). */
  int: boolean;
  nullable: boolean;
  /** Object fields by name. */
  fields?: Record<string, z.ZodMiniType>;
  /** An array's element. */
  element?: z.ZodMiniType;
}

/** Whole numbers only: an integer format (z.int(), also as a check on z.number()) or an integer multipleOf. */
function isInt(s: any): boolean {
  const checks: any[] = [...(s._zod.traits.has('$ZodCheck') ? [s] : []), ...(s.def.checks ?? [])];
  return checks.some(
    ({ _zod: { def } }) =>
      (def.check === 'number_format' && String(def.format).includes('int')) ||
      (def.check === 'multiple_of' && Number.isSafeInteger(def.value)),
  );
}

function shapeOf(schema: z.ZodMiniType): Shape {
  const { s, nullable } = unwrap(schema);
  switch (s.type) {
    case 'string':
    case 'enum':
      return { kind: 'string', int: false, nullable };
    case 'number':
      return { kind: 'number', int: isInt(s), nullable };
    case 'boolean':
      return { kind: 'boolean', int: false, nullable };
    case 'object':
      return { kind: 'object', int: false, nullable, fields: s.shape };
    case 'array':
      // a schema walk that loses an array's element would silently drop every case under it
      if (!s.def.element) throw new Error('fuzz-writes: an array schema without its element');
      return { kind: 'array', int: false, nullable, element: s.def.element };
    case 'literal':
    case 'union': {
      const values: unknown[] =
        s.type === 'literal' ? s.def.values : s.def.options.flatMap((o: any) => (o.type === 'literal' ? o.def.values : [Symbol()]));
      const kinds = new Set(values.map(kindOf));
      if (kinds.size === 1 && (kinds.has('number') || kinds.has('string'))) {
        return { kind: [...kinds][0]!, int: kinds.has('number') && values.every((v) => Number.isInteger(v)), nullable };
      }
      throw new Error(`fuzz-writes: no generator for a union of ${[...kinds].join(', ')}`);
    }
    default:
      throw new Error(`fuzz-writes: no generator for the zod type '${s.type}': add one`);
  }
}

// ---------------------------------------------------------------------------------------------
// Malformed values.

/** A value to put at a field: a JSON value, or raw JSON text (values JSON.stringify cannot write). */
type Bad = { name: string; value: unknown } | { name: string; raw: string };

const SWAPS: Record<Kind, unknown> = {
  number: 42,
  string: 'text',
  boolean: true,
  null: null,
  array: [1, 'two'],
  object: { nested: { deeper: 'x' } }, // a nested object where a scalar (or another shape) is expected
};

/** Wrong types: every JSON kind but the field's own (and null where the field is nullable). */
function wrongTypes(shape: Shape): Bad[] {
  return KINDS.filter((k) => k !== shape.kind && !(k === 'null' && shape.nullable)).map((k) => ({
    name: `wrong type ${k}`,
    value: SWAPS[k],
  }));
}

/** Inserts `bad` into the middle of `text`, between whole code points (never splitting a pair). */
function insertMid(text: string, bad: string, at?: number): string {
  const cps = Array.from(text);
  const i = at === undefined ? Math.floor(cps.length / 2) : at % (cps.length + 1);
  cps.splice(i, 0, bad);
  return cps.join('');
}

const DATES = ['0000-01-01', '9999-12-31', '275760-09-13', '+275760-09-13', '2026-02-30'];
const INSTANTS = [
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '275760-09-13T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '2026-02-30T10:00:00-05:00',
  '2026-12-09T10:00:00+99:99',
];

function stringCases(valid: string): Bad[] {
  const cases: Bad[] = [
    { name: 'a 100,000-character string', value: 'A'.repeat(100_000) },
    { name: 'empty string', value: '' },
    { name: 'whitespace-only string', value: ' \t \u00a0\u3000 ' },
    { name: 'NUL inside', value: insertMid(valid, '\u0000') },
    { name: 'lone high surrogate \\ud800', value: insertMid(valid, '\ud800') },
    { name: 'lone low surrogate \\udc00', value: insertMid(valid, '\udc00') },
    { name: 'bidi override \\u202e', value: `\u202e${valid}` },
    { name: 'zero-width-only text', value: '\u200b\u200b' },
  ];
  // dates and instants only where one is expected: elsewhere "9999-12-31" is a perfectly good name
  if (/^\d{4}-\d{2}-\d{2}/.test(valid)) {
    for (const d of [...DATES, ...INSTANTS]) cases.push({ name: `date-time ${d}`, value: d });
  }
  return cases;
}

function numberCases(shape: Shape): Bad[] {
  return [
    { name: 'negative number', value: -1 },
    ...(shape.int ? [{ name: 'fractional number', value: 1.5 }] : []), // a fraction is fine where the schema takes any number
    { name: 'number 1e308', value: 1e308 },
    { name: 'raw 1e999 (Infinity once parsed)', raw: '1e999' },
    { name: 'raw -1e999', raw: '-1e999' },
    { name: 'numeric string', value: '42' },
  ];
}

// fast-check: a few random values per field, from a fixed seed.
const BAD_CHARS = ['\u0000', '\u0007', '\u007f', '\u0085', '\ud800', '\udfff', '\u202e', '\u2067'];
const badStringArb = fc
  .tuple(fc.string({ unit: 'grapheme', maxLength: 24 }), fc.constantFrom(...BAD_CHARS), fc.nat())
  .map(([s, bad, at]) => insertMid(s, bad, at));
const invisibleArb = fc
  .array(fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u180e', '\u3164'), {
    minLength: 1,
    maxLength: 12,
  })
  .map((a) => a.join(''));
const badNumberArb = (int: boolean) =>
  fc.oneof(
    fc.integer({ min: -1_000_000_000, max: -1 }),
    fc.double({ min: 1e11, max: 1e300, noNaN: true, noDefaultInfinity: true }),
    ...(int ? [fc.integer({ min: 0, max: 1000 }).map((n) => n + 0.5)] : []),
  );

function seedOf(label: string): number {
  let h = FUZZ_SEED;
  for (let i = 0; i < label.length; i++) h = (Math.imul(h, 31) + label.charCodeAt(i)) | 0;
  return h;
}

function randomCases(shape: Shape, label: string): Bad[] {
  const sample = <T>(arb: fc.Arbitrary<T>, family: string) =>
    fc.sample(arb, { seed: seedOf(`${label}#${family}`), numRuns: RANDOM_PER_FIELD });
  const wrong = fc.jsonValue({ maxDepth: 2 }).filter((v) => kindOf(v) !== shape.kind && !(v === null && shape.nullable));
  const out: Bad[] = sample(wrong, 'type').map((value, i) => ({ name: `random wrong type #${i + 1}`, value }));
  if (shape.kind === 'string') {
    out.push(
      ...sample(badStringArb, 'bad-char').map((value, i) => ({
        name: `random string with a control/surrogate/bidi character #${i + 1}`,
        value,
      })),
    );
    out.push(...sample(invisibleArb, 'invisible').map((value, i) => ({ name: `random invisible-only string #${i + 1}`, value })));
  }
  if (shape.kind === 'number')
    out.push(...sample(badNumberArb(shape.int), 'number').map((value, i) => ({ name: `random out-of-range number #${i + 1}`, value })));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Building bodies as raw JSON text (lone surrogates travel as \ud800 escapes, `__proto__` stays an
// own key, 1e999 and 10,000 levels are written as text).

type Path = ReadonlyArray<string | number>;
const SENTINEL = '__fuzz_raw_value__';
/** No `u` flag: it must see the code units. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function setAt(body: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const root = structuredClone(body);
  let cur: Record<string | number, unknown> = root;
  path.forEach((seg, i) => {
    if (i === path.length - 1) {
      cur[seg] = value;
      return;
    }
    const next = cur[seg];
    if (next === null || typeof next !== 'object') cur[seg] = typeof path[i + 1] === 'number' ? [] : {};
    cur = cur[seg] as Record<string | number, unknown>;
  });
  return root;
}

function getAt(body: unknown, path: Path): unknown {
  return path.reduce<unknown>(
    (v, seg) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined),
    body,
  );
}

function withBad(body: Record<string, unknown>, path: Path, bad: Bad): string {
  if ('value' in bad) {
    const text = JSON.stringify(setAt(body, path, bad.value));
    if (typeof bad.value === 'string' && LONE_SURROGATE.test(bad.value) && !/\\ud[89a-f]/.test(text)) {
      throw new Error('fuzz-writes: a lone surrogate must travel as a \\u escape');
    }
    return text;
  }
  const text = JSON.stringify(setAt(body, path, SENTINEL));
  return text.replace(JSON.stringify(SENTINEL), bad.raw);
}

/** `extra` (raw JSON members) appended to the object `body`. */
function withMembers(body: Record<string, unknown>, extra: string): string {
  const text = JSON.stringify(body);
  return text === '{}' ? `{${extra}}` : `${text.slice(0, -1)},${extra}}`;
}

const deepArray = '['.repeat(DEEP_LEVELS) + ']'.repeat(DEEP_LEVELS);
const deepObject = '{"a":'.repeat(DEEP_LEVELS - 1) + '{}' + '}'.repeat(DEEP_LEVELS - 1);
const deepMixed = '[{"a":'.repeat(DEEP_LEVELS / 2) + 'null' + '}]'.repeat(DEEP_LEVELS / 2);
const PROTO_MEMBERS = '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}';

// ---------------------------------------------------------------------------------------------
// The case table.

type CallerKind = 'admin' | 'self' | 'signup';

interface Case {
  label: string;
  route: RouteDef;
  caller: CallerKind;
  raw: (f: Fixtures) => string;
  /** Detail paths of which at least one must be reported ('' = the body as a whole). */
  anyOf: string[];
  /** Detail paths that must all be reported. */
  allOf?: string[];
  /** Send a fresh Idempotency-Key with this case. */
  idempotencyKey?: boolean;
  /** Skip the "the route's schema refuses this body" guard (bodies the test cannot JSON.parse sanely). */
  rawOnly?: boolean;
}

const WRITE_ROUTES = ROUTES.filter((r) => r.body !== undefined);

function baseOf(route: RouteDef): (f: Fixtures) => Record<string, unknown> {
  const base = BASE[routeKey(route)];
  if (base) return base;
  if (Object.keys(shapeOf(route.body!).fields ?? {}).length === 0) return () => ({});
  throw new Error(`fuzz-writes: no valid base body for ${routeKey(route)}: add one to BASE`);
}

const dotted = (path: Path) => path.join('.');

/** One field (and, for objects and arrays, what is inside it): every malformed value for it. */
function fieldCases(route: RouteDef, base: (f: Fixtures) => Record<string, unknown>, path: Path, schema: z.ZodMiniType, out: Case[]): void {
  const shape = shapeOf(schema);
  const where = dotted(path);
  const label = `${routeKey(route)} — ${where}`;
  const valid = getAt(base(PLACEHOLDER), path);
  const bads: Bad[] = [...wrongTypes(shape)];
  if (shape.kind === 'string') bads.push(...stringCases(typeof valid === 'string' && valid !== '' ? valid : 'text'));
  if (shape.kind === 'number') bads.push(...numberCases(shape));
  if (shape.kind === 'boolean') bads.push({ name: 'string "true"', value: 'true' });
  // random values on the top-level fields and their children; deeper down, the fixed ones only
  if (path.length <= RANDOM_MAX_DEPTH) bads.push(...randomCases(shape, label));
  for (const bad of bads) {
    out.push({ label: `${label}: ${bad.name}`, route, caller: 'admin', raw: (f) => withBad(base(f), path, bad), anyOf: [where] });
  }
  if (shape.fields) {
    for (const [key, sub] of Object.entries(shape.fields)) fieldCases(route, base, [...path, key], sub, out);
  }
  if (shape.element) fieldCases(route, base, [...path, 0], shape.element, out);
}

/** The first string field of the body (else its first field, else an unknown one). */
function someField(route: RouteDef): string {
  const fields = shapeOf(route.body!).fields ?? {};
  return Object.entries(fields).find(([, s]) => shapeOf(s).kind === 'string')?.[0] ?? Object.keys(fields)[0] ?? 'note';
}

function wholeBodyCases(route: RouteDef, base: (f: Fixtures) => Record<string, unknown>, caller: CallerKind): Case[] {
  const field = someField(route);
  const c = (name: string, raw: (f: Fixtures) => string, anyOf: string[], more: Partial<Case> = {}): Case => ({
    label: `${routeKey(route)} — ${caller === 'admin' ? '' : `as ${caller}: `}${name}`,
    route,
    caller,
    raw,
    anyOf,
    ...more,
  });
  const cases: Case[] = [
    c('body: arrays nested 10,000 levels', () => deepArray, ['']),
    c('body: objects nested 10,000 levels', () => deepObject, ['']),
    c('body: arrays and objects nested 10,000 levels', () => deepMixed, ['']),
    c(`body: ${field} nested 10,000 levels`, (f) => withBad(base(f), [field], { name: 'deep', raw: deepArray }), ['', field]),
    c('body: JSON null', () => 'null', ['']),
    c('body: a JSON array', (f) => `[${JSON.stringify(base(f))}]`, ['']),
    c('body: a JSON string', () => '"text"', ['']),
    c('body: a JSON number', () => '42', ['']),
    c('body: malformed JSON (truncated)', (f) => `${JSON.stringify(base(f)).slice(0, -1)},`, [''], { rawOnly: true }),
    c('body: malformed JSON (single quotes)', () => "{'name': 'x'}", [''], { rawOnly: true }),
    c('body: malformed JSON (trailing text)', (f) => `${JSON.stringify(base(f))} trailing`, [''], { rawOnly: true }),
    c(`body: ${field} a 900 KB string`, (f) => JSON.stringify({ ...base(f), [field]: 'x'.repeat(900 * 1024) }), [field]),
    c('body: own keys __proto__, constructor, prototype', (f) => withMembers(base(f), PROTO_MEMBERS), ['constructor', 'prototype'], {
      allOf: ['constructor', 'prototype'],
    }),
  ];
  if (route.create && caller === 'admin') {
    cases.push(
      c('Idempotency-Key with arrays nested 10,000 levels', () => deepArray, [''], { idempotencyKey: true }),
      c('Idempotency-Key with objects nested 10,000 levels', () => deepObject, [''], { idempotencyKey: true }),
      c(
        `Idempotency-Key with ${field} nested 10,000 levels`,
        (f) => withBad(base(f), [field], { name: 'deep', raw: deepArray }),
        ['', field],
        {
          idempotencyKey: true,
        },
      ),
    );
  }
  return cases;
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  for (const route of WRITE_ROUTES) {
    const base = baseOf(route);
    cases.push(...wholeBodyCases(route, base, 'admin'));
    // the routes' client callers too (whole-body cases): a client passes the rate limit first
    if (route.allow.includes('self')) cases.push(...wholeBodyCases(route, base, 'self'));
    if (route.allow.includes('signup')) cases.push(...wholeBodyCases(route, base, 'signup'));
    for (const [key, schema] of Object.entries(shapeOf(route.body!).fields ?? {})) fieldCases(route, base, [key], schema, cases);
  }
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.label)) throw new Error(`fuzz-writes: two cases named ${c.label}`);
    seen.add(c.label);
  }
  return cases;
}

const CASES = buildCases();
const REQUEST_FLOOR = 500;

// ---------------------------------------------------------------------------------------------
// Running a case.

let api: TestApi;
let fx: Fixtures;
let sent = 0;
let callerSeq = 0;
let keySeq = 0;

type Item = Record<string, unknown>;
const itemKey = (i: Item) => `${String(i.PK)}|${String(i.SK)}`;

/**
 * Ignored in the comparison, and only these:
 * - rate-limit counters (type 'rate_limit', PK `RATE#…`, keys.rateLimit in shared/db/keys.ts): the
 *   router takes one for a client caller on a rate-limited route BEFORE the body is validated
 *   (shared/http/api.ts), by design, so a client's rejected request does count;
 * - audit entries (type 'audit', PK `AUDIT#…`, keys.auditEntry): recorded only for answers below
 *   300, which the status assertions already rule out.
 */
const ignored = (i: Item) =>
  i.type === 'rate_limit' || i.type === 'audit' || String(i.PK).startsWith('RATE#') || String(i.PK).startsWith('AUDIT#');

async function snapshot(): Promise<Map<string, Item>> {
  const items = (await api.items()).filter((i) => !ignored(i)).sort((a, b) => itemKey(a).localeCompare(itemKey(b)));
  return new Map(items.map((i) => [itemKey(i), i]));
}

const abridge = (text: string, max = 300) => {
  const squeezed = text.replace(/(.)\1{40,}/gsu, (run, ch: string) => `${ch.repeat(3)}…(${run.length}×)…`);
  return squeezed.length > max ? `${squeezed.slice(0, max)}…(${squeezed.length} chars)` : squeezed;
};

/** What changed between two snapshots, one line per item. */
function diff(before: Map<string, Item>, after: Map<string, Item>): string[] {
  const out: string[] = [];
  for (const [k, item] of after) {
    const was = before.get(k);
    if (!was) out.push(`+ ${k} (${String(item.type)}) ${abridge(JSON.stringify(item))}`);
    else if (!isDeepStrictEqual(was, item)) out.push(`~ ${k} (${String(item.type)}) now ${abridge(JSON.stringify(item))}`);
  }
  for (const [k, item] of before) if (!after.has(k)) out.push(`- ${k} (${String(item.type)})`);
  return out;
}

function callerOf(kind: CallerKind): As {
  callerSeq += 1;
  // a new sub per request: each has a rate-limit window of its own, so none is ever over its limit
  if (kind === 'self') return { role: 'client', clientId: fx.clientId, sub: `fuzz-self-${callerSeq}` };
  if (kind === 'signup') return { role: 'client', sub: `fuzz-signup-${callerSeq}`, email: `fuzz.${callerSeq}@example.com` };
  return admin;
}

let baseline: Map<string, Item>;

async function run(c: Case): Promise<void> {
  const raw = c.raw(fx);
  const headers = c.idempotencyKey ? { 'Idempotency-Key': `fuzz-key-${++keySeq}` } : undefined;
  sent += 1;
  const res: Reply = await api.call(c.route.method, pathOf(c.route, fx), {
    as: callerOf(c.caller),
    body: raw,
    ...(headers ? { headers } : {}),
  });
  const after = await snapshot();
  const written = diff(baseline, after);
  baseline = after; // a write is blamed on the case that made it, not on every case after it

  const what = `${c.label}\n  sent: ${c.route.method} ${pathOf(c.route, fx)} ${abridge(raw)}${headers ? ' (with a fresh Idempotency-Key)' : ''}\n  got: ${res.status} ${abridge(JSON.stringify(res.body) ?? '')}`;

  if (!c.rawOnly && raw.length < 2_000_000) {
    // the case really is malformed: the route's own schema refuses it (else it tests nothing)
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (parsed !== undefined)
      expect.soft(c.route.body!.safeParse(parsed).success, `${what}\n  the route's schema ACCEPTS this body`).toBe(false);
  }
  expect.soft(res.status, `${what}\n  a 5xx`).toBeLessThan(500);
  expect.soft(res.status, what).toBe(400);
  expect
    .soft(res.body, what)
    .toStrictEqual({ error: { code: 'validation_failed', message: expect.any(String), details: expect.any(Array) } });
  const details: unknown[] = Array.isArray(res.body?.error?.details) ? res.body.error.details : [];
  expect.soft(details.length, `${what}\n  no details`).toBeGreaterThan(0);
  for (const d of details)
    expect.soft(d, `${what}\n  a detail is not { path, message }`).toStrictEqual({ path: expect.any(String), message: expect.any(String) });
  const paths = details.map((d) => (d as { path?: unknown }).path).filter((p): p is string => typeof p === 'string');
  const names = (p: string, field: string) => (field === '' ? p === '' : p === field || p.startsWith(`${field}.`));
  expect
    .soft(
      c.anyOf.some((field) => paths.some((p) => names(p, field))),
      `${what}\n  no detail names ${c.anyOf.map((p) => JSON.stringify(p)).join(' or ')} (paths: ${JSON.stringify(paths)})`,
    )
    .toBe(true);
  for (const field of c.allOf ?? []) expect.soft(paths, `${what}\n  no detail names ${JSON.stringify(field)}`).toContain(field);
  expect.soft(written, `${what}\n  the table changed:`).toEqual([]);
  // `__proto__` arrived as an own key: nothing may have reached Object.prototype
  expect.soft(({} as Record<string, unknown>).polluted, `${what}\n  Object.prototype polluted`).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  api = await createTestApi({ payments: true });
  const clientId = await signUp(api, { firstName: 'Fuzz', rideHome: { name: 'Pat', phone: '+12125550199' } });
  const booked = await api.call('POST', '/v1/appointments', {
    as: frontdesk(),
    body: { clinicId: NYC, clientId, providerId: THER, service: 'preparation', mode: 'in_person', startsAt: '2026-12-08T10:00:00-05:00' },
  });
  if (booked.status !== 201) throw new Error(`fixture booking failed: ${booked.status} ${JSON.stringify(booked.body)}`);
  const programs = await api.call('GET', `/v1/clinics/${NYC}/programs`);
  if (programs.status !== 200 || !Array.isArray(programs.body) || programs.body.length < 2) {
    throw new Error(`fixture programs: ${programs.status} ${JSON.stringify(programs.body)}`);
  }
  const [bought, retired] = programs.body as Array<{ id: string }>;
  const pkg = await api.call('POST', '/v1/packages', {
    as: frontdesk(),
    body: { clientId, programId: bought!.id, payment: 'pay_in_full' },
  });
  if (pkg.status !== 201) throw new Error(`fixture package failed: ${pkg.status} ${JSON.stringify(pkg.body)}`);
  fx = {
    clientId,
    appointmentId: booked.body.id,
    programId: bought!.id,
    retireProgramId: retired!.id,
    packageId: pkg.body.package.id,
    invoiceId: booked.body.invoiceId,
  };
  baseline = await snapshot();
});
afterAll(async () => api?.close());

describe('the valid bodies the cases start from', () => {
  it.each(WRITE_ROUTES.map((r) => [routeKey(r), r] as const))('%s: accepted by its schema', (_, route) => {
    const result = route.body!.safeParse(baseOf(route)(fx));
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
  });
});

describe('malformed bodies on every write route', () => {
  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_, c) => {
    await run(c);
  });
});

it(`sends ${CASES.length} malformed requests to ${WRITE_ROUTES.length} write routes (at least ${REQUEST_FLOOR})`, () => {
  expect(sent).toBe(CASES.length);
  expect(sent).toBeGreaterThanOrEqual(REQUEST_FLOOR);
  console.log(`fuzz-writes: ${sent} requests`);
});
