// What billing needs set up, through the scheduling function on DynamoDB Local: a clinic's billing
// profile (PATCH /v1/clinics/{id}, shown by GET only to the clinic's staff and admin), providers'
// NPIs (CMS check digit) and licences, and a client's diagnosis codes (PUT/GET
// /v1/clients/{id}/diagnoses: clinicians record them; the client, clinicians, finance and admin
// read them; never the front desk). Every refused request leaves the table as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidEin, isValidGstHstNumber, isValidNpi } from '#domain/npi.ts';
import { patchClinicSchema } from '#http/schemas/scheduling.ts';
import { DEMO_CLINICS } from '#infra/local/seed.ts';
import {
  DEFAULT_NOW,
  admin,
  asClient,
  clinician,
  createTestApi,
  finance,
  frontdesk,
  signUp,
  type As,
  type Reply,
  type TestApi,
} from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const TOR = 'demo-tor';

let api: TestApi;
/** Clients of demo-nyc. */
let A: string;
let B: string;
/** A US and a Canadian clinic of this file's own, whose profiles the cases change. */
let US: string;
let CA: string;

const usProfile = () => ({
  legalName: 'Prairie Clinic LLC',
  address: { line1: '1 Main Street', line2: 'Floor 2', city: 'Chicago', region: 'IL', postalCode: '60601', country: 'US' },
  phone: '+13125550100',
  taxId: '36-1234567',
  npi: '1843927561',
  taxNote: 'Not subject to sales tax.',
});

const caProfile = () => ({
  legalName: 'Harbour Therapy Inc.',
  address: { line1: '200 Queens Quay West', city: 'Toronto', region: 'ON', postalCode: 'M5J 2Y5', country: 'CA' },
  phone: '+14165550142',
  taxId: '123456782RT0001',
  taxNote: 'Psychotherapy services are exempt from GST/HST.',
});

type Item = Record<string, unknown>;
const itemKey = (i: Item) => `${String(i.PK)}|${String(i.SK)}`;
/** Every item but rate-limit counters (a refused request still takes a slot: that is the point of them). */
const snapshot = async () =>
  (await api.items()).filter((i) => i.type !== 'rate_limit').sort((a, b) => itemKey(a).localeCompare(itemKey(b)));

/** The API's 400 (docs/api.md, "Errors"), naming exactly `paths` (at least those), and nothing written. */
async function refused400(call: () => Promise<Reply>, paths: string[]): Promise<Reply> {
  const before = await snapshot();
  const res = await call();
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('validation_failed');
  const got = (res.body.error.details as Array<{ path: string }>).map((d) => d.path);
  for (const p of paths) expect(got, JSON.stringify(res.body)).toContain(p);
  expect(await snapshot()).toEqual(before);
  return res;
}

const patchBilling = (clinicId: string, billing: unknown, as: As = admin) =>
  api.call('PATCH', `/v1/clinics/${clinicId}`, { as, body: { billing } });

beforeAll(async () => {
  api = await createTestApi();
  A = await signUp(api, { firstName: 'Ada' });
  B = await signUp(api, { firstName: 'Bo' });
  const us = await api.call('POST', '/v1/clinics', {
    as: admin,
    body: { name: 'Prairie Clinic', timezone: 'America/Chicago', currency: 'USD', country: 'US' },
  });
  const ca = await api.call('POST', '/v1/clinics', {
    as: admin,
    body: { name: 'Harbour Clinic', timezone: 'America/Toronto', currency: 'CAD', country: 'CA' },
  });
  if (us.status !== 201 || ca.status !== 201) throw new Error('fixture clinics');
  US = us.body.id;
  CA = ca.body.id;
});
afterAll(async () => api.close());

describe('the demo seed', () => {
  it('gives both demo clinics a complete billing profile that the API itself would accept', async () => {
    for (const demo of DEMO_CLINICS) {
      expect(patchClinicSchema.safeParse({ billing: demo.billing }).success, demo.id).toBe(true);
      const res = await api.call('GET', `/v1/clinics/${demo.id}`, { as: admin });
      expect(res.body.billing.address.country).toBe(demo.country);
      expect(res.body.billing.taxId).toBe(demo.billing.taxId);
    }
    const nyc = (await api.call('GET', `/v1/clinics/${NYC}`, { as: admin })).body.billing;
    expect(isValidEin(nyc.taxId)).toBe(true);
    expect(isValidNpi(nyc.npi)).toBe(true);
    expect(nyc.address.region).toBe('NY');
    const tor = (await api.call('GET', `/v1/clinics/${TOR}`, { as: admin })).body.billing;
    expect(isValidGstHstNumber(tor.taxId)).toBe(true);
    expect(tor.address.region).toBe('ON');
    expect(tor.taxNote).toMatch(/GST\/HST/);
  });

  it('gives every demo provider a valid NPI and a licence of its clinic’s state or province', async () => {
    for (const [clinicId, region] of [
      [NYC, 'NY'],
      [TOR, 'ON'],
    ] as const) {
      const providers = (await api.call('GET', `/v1/clinics/${clinicId}/providers`)).body as Array<{ npi: string; licence: any }>;
      expect(providers.length).toBeGreaterThanOrEqual(3);
      for (const p of providers) {
        expect(isValidNpi(p.npi), p.npi).toBe(true);
        expect(p.licence).toEqual({ number: expect.stringMatching(/^[A-Za-z0-9 -]{1,30}$/), jurisdiction: region });
      }
    }
  });
});

describe('PATCH /v1/clinics/{clinicId}: the billing profile', () => {
  it('stores the whole profile and answers it; the name and policy stay as they were', async () => {
    const before = (await api.call('GET', `/v1/clinics/${US}`, { as: admin })).body;
    // no profile yet: no address or phone to show anyone
    expect((await api.call('GET', `/v1/clinics/${US}`)).body.contact).toBeNull();
    const res = await patchBilling(US, usProfile());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: US, name: before.name, policy: before.policy });
    expect(res.body.billing).toEqual(usProfile());
    expect((await api.call('GET', `/v1/clinics/${US}`, { as: admin })).body.billing).toEqual(usProfile());
  });

  it('replaces the profile whole: fields left out are gone', async () => {
    const { npi: _npi, taxNote: _note, ...rest } = usProfile();
    const lean = { ...rest, address: { ...rest.address, line2: undefined } };
    const res = await patchBilling(US, lean);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const asRead = { ...rest, address: { ...rest.address, line2: null }, npi: null, taxNote: null };
    expect(res.body.billing).toEqual(asRead);
    // what a GET answers goes back as it was read: null for a field not set
    const again = await patchBilling(US, asRead);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.billing).toEqual(asRead);
    // a policy change keeps the profile
    const policy = await api.call('PATCH', `/v1/clinics/${US}`, { as: admin, body: { policy: { minimumNoticeHours: 12 } } });
    expect(policy.body.billing.legalName).toBe(rest.legalName);
    expect((await patchBilling(US, usProfile())).status).toBe(200);
  });

  it('a Canadian clinic: its GST/HST number; the postal code stored upper case with its space; free text NFC and trimmed', async () => {
    const profile = caProfile();
    const res = await patchBilling(CA, {
      ...profile,
      legalName: '  Harbour The\u0301rapie Inc.  ',
      address: { ...profile.address, postalCode: 'm5j2y5' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.billing).toMatchObject({
      legalName: 'Harbour Thérapie Inc.',
      address: { postalCode: 'M5J 2Y5', region: 'ON', country: 'CA', line2: null },
      taxId: '123456782RT0001',
      npi: null,
    });
    expect(res.body.billing.legalName.normalize('NFC')).toBe(res.body.billing.legalName);
  });

  describe('GET shows it only to the clinic’s staff and admin', () => {
    const sees: Array<[string, As]> = [
      ['admin', admin],
      ['its front desk', frontdesk(NYC)],
      ['its clinician', clinician(NYC)],
      ['its finance', finance(NYC)],
    ];
    const doesNot: Array<[string, () => As | undefined]> = [
      ['anonymous', () => undefined],
      ['a client of the clinic', () => asClient(A)],
      ['another clinic’s front desk', () => frontdesk(TOR)],
      ['another clinic’s clinician', () => clinician(TOR)],
      ['another clinic’s finance', () => finance(TOR)],
    ];

    it.each(sees)('%s sees billing', async (_, as) => {
      const res = await api.call('GET', `/v1/clinics/${NYC}`, { as });
      expect(res.status).toBe(200);
      expect(res.body.billing).toMatchObject({ legalName: expect.any(String), taxId: expect.any(String) });
    });

    it.each(doesNot)('%s gets no billing key', async (_, callerOf) => {
      const caller = callerOf();
      const res = await api.call('GET', `/v1/clinics/${NYC}`, caller ? { as: caller } : {});
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('billing');
      expect(res.body.policy).toBeDefined();
    });

    it.each([...sees, ...doesNot.map(([who, callerOf]) => [who, callerOf()] as [string, As | undefined])])(
      '%s sees where the clinic is and its phone, and nothing else of the profile',
      async (_, as) => {
        const res = await api.call('GET', `/v1/clinics/${NYC}`, as ? { as } : {});
        expect(res.status).toBe(200);
        const billing = (await api.call('GET', `/v1/clinics/${NYC}`, { as: admin })).body.billing;
        expect(res.body.contact).toEqual({ address: billing.address, phone: billing.phone });
        expect(JSON.stringify(res.body.contact)).not.toContain(billing.taxId);
      },
    );

    it('the clinic list never carries it', async () => {
      const res = await api.call('GET', '/v1/clinics', { as: admin });
      for (const c of res.body) expect(c).not.toHaveProperty('billing');
    });
  });

  describe('400 on the broken field, and nothing written', () => {
    const us = usProfile;
    const addr = (over: Record<string, unknown>) => ({ ...us(), address: { ...us().address, ...over } });
    const cases: Array<[string, () => unknown, string]> = [
      ['an EIN without its hyphen', () => ({ ...us(), taxId: '361234567' }), 'billing.taxId'],
      ['an EIN one digit short', () => ({ ...us(), taxId: '36-123456' }), 'billing.taxId'],
      ['a business number whose check digit is wrong', () => ({ ...us(), taxId: '123456789RT0001' }), 'billing.taxId'],
      ['a Canadian GST/HST number on a US clinic', () => ({ ...us(), taxId: '123456782RT0001' }), 'billing.taxId'],
      ['an NPI whose check digit is wrong', () => ({ ...us(), npi: '1843927562' }), 'billing.npi'],
      ['an NPI of nine digits', () => ({ ...us(), npi: '184392756' }), 'billing.npi'],
      ['a ZIP code of four digits', () => addr({ postalCode: '6060' }), 'billing.address.postalCode'],
      ['a Canadian postal code in a US address', () => addr({ postalCode: 'M5J 2Y5' }), 'billing.address.postalCode'],
      ['an unknown state', () => addr({ region: 'XX' }), 'billing.address.region'],
      ['a province in a US address', () => addr({ region: 'ON' }), 'billing.address.region'],
      ['a state in lower case', () => addr({ region: 'il' }), 'billing.address.region'],
      ['a country that is neither US nor CA', () => addr({ country: 'MX' }), 'billing.address.country'],
      ['no city', () => ({ ...us(), address: (({ city: _c, ...rest }) => rest)(us().address) }), 'billing.address.city'],
      ['no phone', () => (({ phone: _p, ...rest }) => rest)(us()), 'billing.phone'],
      ['no tax id', () => (({ taxId: _t, ...rest }) => rest)(us()), 'billing.taxId'],
      ['no legal name', () => (({ legalName: _l, ...rest }) => rest)(us()), 'billing.legalName'],
      ['a phone number that is not E.164', () => ({ ...us(), phone: '312-555-0100' }), 'billing.phone'],
      ['a toll-free phone number', () => ({ ...us(), phone: '+18005550100' }), 'billing.phone'],
      ['a control character in the legal name', () => ({ ...us(), legalName: 'Prairie\u0007 LLC' }), 'billing.legalName'],
      ['a legal name naming the treatment', () => ({ ...us(), legalName: 'Ketamine Partners LLC' }), 'billing.legalName'],
      ['a tax note naming a diagnosis', () => ({ ...us(), taxNote: 'Depression care is exempt.' }), 'billing.taxNote'],
      ['an empty tax note', () => ({ ...us(), taxNote: '   ' }), 'billing.taxNote'],
      ['an unknown field', () => ({ ...us(), iban: 'x' }), 'billing.iban'],
      ['billing null', () => null, 'billing'],
    ];

    it.each(cases)('%s', async (_, billing, path) => {
      await refused400(() => patchBilling(US, billing()), [path]);
    });

    it('an EIN on a Canadian clinic', async () => {
      await refused400(() => patchBilling(CA, { ...caProfile(), taxId: '36-1234567' }), ['billing.taxId']);
    });

    it('a US ZIP code in a Canadian address', async () => {
      const profile = caProfile();
      await refused400(
        () => patchBilling(CA, { ...profile, address: { ...profile.address, postalCode: '10014' } }),
        ['billing.address.postalCode'],
      );
    });

    it('several problems at once are each reported', async () => {
      await refused400(
        () => patchBilling(US, { ...us(), npi: '1234567890', address: { ...us().address, region: 'ZZ', postalCode: '1' } }),
        ['billing.npi', 'billing.address.region', 'billing.address.postalCode'],
      );
    });
  });

  it('only admin may set it (403 for the clinic’s own staff), and a client record never changes', async () => {
    for (const as of [frontdesk(NYC), finance(NYC), clinician(NYC)]) {
      const before = await snapshot();
      const res = await patchBilling(NYC, usProfile(), as);
      expect(res.status).toBe(403);
      expect(await snapshot()).toEqual(before);
    }
  });
});

describe('POST /v1/clinics/{clinicId}/providers: NPI and licence', () => {
  const provider = (over: Record<string, unknown> = {}) => ({
    name: 'Quinn Harper',
    role: 'therapist',
    credentials: 'LMFT',
    telehealth: true,
    weeklyHours: [{ day: 'sat', start: '09:00', end: '12:00' }],
    ...over,
  });
  const addProvider = (body: unknown) => api.call('POST', `/v1/clinics/${US}/providers`, { as: admin, body });

  it('201 with a valid NPI and licence, shown on the answer and in the list', async () => {
    const res = await addProvider(provider({ npi: '1234567893', licence: { number: ' LMFT 001234 ', jurisdiction: 'IL' } }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ npi: '1234567893', licence: { number: 'LMFT 001234', jurisdiction: 'IL' } });
    const list = (await api.call('GET', `/v1/clinics/${US}/providers`)).body as Array<{ id: string; licence: unknown }>;
    expect(list.find((p) => p.id === res.body.id)!.licence).toEqual({ number: 'LMFT 001234', jurisdiction: 'IL' });
  });

  it('without NPI or licence: both null', async () => {
    const res = await addProvider(provider({ name: 'Robin Vale' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ npi: null, licence: null });
  });

  it.each([
    ['1234567890', 'the check digit is wrong'],
    ['1234567894', 'the check digit is wrong'],
    ['0000000000', 'passes plain Luhn, not with the 80840 prefix'],
    ['123456789', 'nine digits'],
    ['12345678931', 'eleven digits'],
    ['123456789X', 'a letter'],
  ])('400 on npi for %s (%s)', async (npi) => {
    await refused400(() => addProvider(provider({ npi })), ['npi']);
  });

  it.each([
    [{ number: 'RN#12', jurisdiction: 'NY' }, 'licence.number'],
    [{ number: 'x'.repeat(31), jurisdiction: 'NY' }, 'licence.number'],
    [{ number: '   ', jurisdiction: 'NY' }, 'licence.number'],
    [{ number: '12345', jurisdiction: 'XX' }, 'licence.jurisdiction'],
    [{ number: '12345', jurisdiction: 'ny' }, 'licence.jurisdiction'],
    [{ number: '12345', jurisdiction: 'New York' }, 'licence.jurisdiction'],
    [{ number: '12345' }, 'licence.jurisdiction'],
    [{ number: '12345', jurisdiction: 'NY', issued: '2020' }, 'licence.issued'],
  ])('400 on %j', async (licence, path) => {
    await refused400(() => addProvider(provider({ licence })), [path]);
  });
});

describe('diagnoses', () => {
  const put = (clientId: string, codes: unknown, as: As = clinician(NYC)) =>
    api.call('PUT', `/v1/clients/${clientId}/diagnoses`, { as, body: { codes } });
  const get = (clientId: string, as: As) => api.call('GET', `/v1/clients/${clientId}/diagnoses`, { as });
  const auditOf = async (clientId: string) =>
    (await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin })).body.entries as Array<{
      action: string;
      record: { type: string; id: string };
      actor: { sub: string };
    }>;

  it('none recorded: codes [] and updatedAt null', async () => {
    expect((await get(A, clinician(NYC))).body).toEqual({ codes: [], updatedAt: null, version: 0 });
  });

  it('a clinician records them (primary first); the client, clinicians, finance and admin read them', async () => {
    const res = await put(A, ['F33.2', 'F43.10']);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // in the clinic's zone with its offset
    expect(res.body).toEqual({ codes: ['F33.2', 'F43.10'], updatedAt: '2026-12-01T07:00:00-05:00', version: 1 });
    for (const as of [asClient(A), clinician(NYC), finance(NYC), admin]) {
      const read = await get(A, as);
      expect(read.status, as.role).toBe(200);
      expect(read.body, as.role).toEqual(res.body);
    }
  });

  it('with expectedVersion, a save over codes changed meanwhile by someone else: 409 and they stay', async () => {
    const b = await signUp(api);
    const save = (codes: string[], expectedVersion: number) =>
      api.call('PUT', `/v1/clients/${b}/diagnoses`, { as: clinician(NYC), body: { codes, expectedVersion } });
    expect((await save(['F33.2'], 0)).body.version).toBe(1);
    // another clinician read version 1 too and saved first
    expect((await save(['F33.2', 'F41.1'], 1)).body.version).toBe(2);
    const stale = await save(['F33.2', 'F43.10'], 1);
    expect([stale.status, stale.body.error.code]).toEqual([409, 'conflict']);
    expect(stale.body.error.message).not.toMatch(/F\d/); // no code in a message
    expect((await get(b, clinician(NYC))).body).toMatchObject({ codes: ['F33.2', 'F41.1'], version: 2 });
    expect((await save(['F33.2', 'F41.1', 'F43.10'], 2)).body).toMatchObject({ codes: ['F33.2', 'F41.1', 'F43.10'], version: 3 });
    const bad = await api.call('PUT', `/v1/clients/${b}/diagnoses`, {
      as: clinician(NYC),
      body: { codes: ['F33.2'], expectedVersion: -1 },
    });
    expect([bad.status, bad.body.error.details.map((d: { path: string }) => d.path)]).toEqual([400, ['expectedVersion']]);
  });

  it('a PUT replaces the whole list; admin may record too', async () => {
    api.clock.set(DEFAULT_NOW + 3_600_000);
    try {
      const res = await put(A, ['F43.10', 'F33.2', 'Z63.0'], admin);
      expect(res.body).toEqual({ codes: ['F43.10', 'F33.2', 'Z63.0'], updatedAt: '2026-12-01T08:00:00-05:00', version: 2 });
    } finally {
      api.clock.set(DEFAULT_NOW);
    }
    expect((await get(A, finance(NYC))).body.codes).toEqual(['F43.10', 'F33.2', 'Z63.0']);
    expect((await put(A, ['F33.2', 'F43.10'])).status).toBe(200);
  });

  it('12 codes are fine, without the dot too', async () => {
    const codes = ['F33.2', 'F4310', 'F41.1', 'F40.10', 'F42.2', 'F43.12', 'F60.3', 'F90.0', 'G47.00', 'Z63.0', 'Z56.0', 'T40.7X1A'];
    const res = await put(B, codes);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.codes).toEqual(codes);
  });

  it('stored on an item of their own, never on the client record the front desk reads', async () => {
    const items = await api.items();
    const profile = items.find((i) => i.PK === `CLIENT#${A}` && i.SK === 'PROFILE')!;
    expect(JSON.stringify(profile)).not.toContain('F33.2');
    const stored = items.find((i) => i.PK === `CLIENT#${A}` && i.SK === 'DIAGNOSES')!;
    expect(stored).toMatchObject({ type: 'diagnoses', codes: ['F33.2', 'F43.10'], clinicId: NYC });
    const read = await api.call('GET', `/v1/clients/${A}`, { as: frontdesk(NYC) });
    expect(read.status).toBe(200);
    // the codes as written (an id's hex may hold 'f43'), and any field about diagnoses
    expect(JSON.stringify(read.body)).not.toMatch(/F33\.2|F43\.10|diagnos/i);
  });

  it('every read and change is in the audit trail, once each, ids only', async () => {
    const before = (await auditOf(A)).length;
    // entries are ordered by time: later than every other entry of this file
    try {
      api.clock.set(DEFAULT_NOW + 2 * 3_600_000);
      await put(A, ['F33.2']);
      api.clock.set(DEFAULT_NOW + 2 * 3_600_000 + 60_000);
      await get(A, finance(NYC));
    } finally {
      api.clock.set(DEFAULT_NOW);
    }
    const entries = await auditOf(A);
    // newest first: the read (finance), then the change (clinician); the audit read itself is not on the page it reads
    const [read, change] = entries.filter((e) => e.action.startsWith('diagnoses.'));
    expect(read).toMatchObject({ action: 'diagnoses.read', record: { type: 'diagnoses', id: A }, actor: { sub: `fin-${NYC}` } });
    expect(change).toMatchObject({ action: 'diagnoses.update', record: { type: 'diagnoses', id: A }, actor: { sub: `doc-${NYC}` } });
    expect(entries.length - before).toBe(2 + 1); // the change, the read, and the previous audit read
    expect(JSON.stringify(entries)).not.toMatch(/F33|F43/);
    expect((await put(A, ['F33.2', 'F43.10'])).status).toBe(200);
  });

  it('parallel changes both commit, one after the other (optimistic version)', async () => {
    const C = await signUp(api, { firstName: 'Cy' });
    const [one, two] = await Promise.all([put(C, ['F33.2']), put(C, ['F43.10'])]);
    expect([one.status, two.status]).toEqual([200, 200]);
    const stored = (await api.items()).find((i) => i.PK === `CLIENT#${C}` && i.SK === 'DIAGNOSES')!;
    expect(stored.version).toBe(2);
    const updates = (await auditOf(C)).filter((e) => e.action === 'diagnoses.update');
    expect(updates).toHaveLength(2);
  });

  describe('400 on codes, nothing written', () => {
    const thirteen = [
      'F33.2',
      'F43.10',
      'F41.1',
      'F40.10',
      'F42.2',
      'F43.12',
      'F60.3',
      'F90.0',
      'G47.00',
      'Z63.0',
      'Z56.0',
      'T40.7X1A',
      'F32.A',
    ];
    it.each([
      ['a duplicate', ['F33.2', 'F43.10', 'F33.2'], 'codes.2'],
      ['the same code with and without its dot', ['F43.10', 'F4310'], 'codes.1'],
      ['13 codes', thirteen, 'codes'],
      ['no code', [], 'codes'],
      ['a lower-case code', ['f33.2'], 'codes.0'],
      ['a code too short', ['F3'], 'codes.0'],
      ['a code too long', ['F43.10000'], 'codes.0'],
      ['a code that does not start with a letter', ['933.2'], 'codes.0'],
      ['a code with a space', ['F33 2'], 'codes.0'],
      ['a number', [332], 'codes.0'],
    ])('%s', async (_, codes, path) => {
      const res = await refused400(() => put(A, codes), [path]);
      // an error never echoes a code
      for (const code of codes) if (typeof code === 'string' && code.length > 2) expect(JSON.stringify(res.body)).not.toContain(code);
    });

    it('an unknown field, and codes missing', async () => {
      await refused400(
        () => api.call('PUT', `/v1/clients/${A}/diagnoses`, { as: clinician(NYC), body: { codes: ['F33.2'], primary: 'F33.2' } }),
        ['primary'],
      );
      await refused400(() => api.call('PUT', `/v1/clients/${A}/diagnoses`, { as: clinician(NYC), body: {} }), ['codes']);
    });
  });

  describe('who may not', () => {
    it('the front desk: 403 on GET and PUT, even at the client’s clinic', async () => {
      for (const res of [await get(A, frontdesk(NYC)), await put(A, ['F33.2'], frontdesk(NYC))]) {
        expect([res.status, res.body.error.code]).toEqual([403, 'forbidden']);
        expect(JSON.stringify(res.body)).not.toContain('F43');
      }
    });

    it('another client: 403', async () => {
      const res = await get(A, asClient(B));
      expect([res.status, res.body.error.code]).toEqual([403, 'forbidden']);
    });

    it('a client may not record its own; finance may not record', async () => {
      const before = await snapshot();
      for (const as of [asClient(A), finance(NYC)]) expect((await put(A, ['Z00.00'], as)).status).toBe(403);
      expect(await snapshot()).toEqual(before);
    });

    it('another clinic’s clinician and finance: 403, nothing written', async () => {
      const before = await snapshot();
      expect((await get(A, clinician(TOR))).status).toBe(403);
      expect((await get(A, finance(TOR))).status).toBe(403);
      expect((await put(A, ['Z00.00'], clinician(TOR))).status).toBe(403);
      expect(await snapshot()).toEqual(before);
    });

    it('anonymous: 401', async () => {
      expect((await api.call('GET', `/v1/clients/${A}/diagnoses`)).status).toBe(401);
    });

    it('an unknown client: 404', async () => {
      expect((await get('cli_nobody', clinician(NYC))).status).toBe(404);
      expect((await put('cli_nobody', ['F33.2'])).status).toBe(404);
    });
  });
});
