// GET /v1/clients/{clientId}/superbill through the real billing function on DynamoDB Local:
// completed self-pay sessions with their codes and what was paid, a session paid by a package
// charged its share, what is never listed (explorations, cancelled, no-shows, sessions out of the
// period), the 422 rules, the Canadian receipt, the period's 400s, who may ask, the PDF answer and
// the audit entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  type TestApi,
} from '#test/helpers/api.ts';
import { pageTexts } from '#test/helpers/pdf.ts';
import { InvoiceRepository } from '#db/invoice-repo.ts';
import { applyPayment } from '#domain/invoices.ts';
import { packageShares } from '#domain/allocation.ts';
import type { CreditService } from '#domain/packages.ts';

const NYC = 'demo-nyc';
const TOR = 'demo-tor';
const THER1 = 'demo-nyc-ther-1'; // Avery Stone, 09:00–17:00 weekdays
const THER2 = 'demo-nyc-ther-2'; // Jordan Reyes, 10:00–18:00 weekdays
const TOR_THER = 'demo-tor-ther-1'; // Sam Okafor, RP
const DECEMBER = { from: '2026-12-01', to: '2026-12-31' };

let api: TestApi;
let A: string; // US, self-pay, a package, an exploration
let NOCODES: string;
let T: string; // Toronto

const minutes = (iso: string, n: number) => Date.parse(iso) + n * 60_000;

async function book(
  body: Record<string, unknown>,
  as: As = frontdesk(NYC),
): Promise<{ id: string; invoiceId: string | null; startsAt: string }> {
  const res = await api.call('POST', '/v1/appointments', { as, body });
  if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, invoiceId: res.body.invoiceId, startsAt: body.startsAt as string };
}

/** Moves the clock into the session and completes it (an in-person one is checked in first). */
async function complete(appt: { id: string; startsAt: string }, inPerson: boolean, clinicId = NYC): Promise<void> {
  try {
    if (inPerson) {
      api.clock.set(minutes(appt.startsAt, -30));
      const res = await api.call('POST', `/v1/appointments/${appt.id}/check-in`, { as: frontdesk(clinicId) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    api.clock.set(minutes(appt.startsAt, 30));
    const res = await api.call('POST', `/v1/appointments/${appt.id}/complete`, { as: clinician(clinicId) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  } finally {
    api.clock.set(DEFAULT_NOW);
  }
}

async function setCodes(clientId: string, codes: string[], clinicId = NYC): Promise<void> {
  const res = await api.call('PUT', `/v1/clients/${clientId}/diagnoses`, { as: clinician(clinicId), body: { codes } });
  expect(res.status).toBe(200);
}

const superbill = (clientId: string, as: As, query: Record<string, string> = DECEMBER, headers?: Record<string, string>) =>
  api.call('GET', `/v1/clients/${clientId}/superbill`, { as, query, ...(headers ? { headers } : {}) });

/** Records a card payment on an invoice, as the webhook would. */
async function pay(invoiceId: string, amount: number): Promise<void> {
  const repo = new InvoiceRepository(api.table.doc, api.table.tableName);
  const before = await repo.require(invoiceId);
  await repo.replace(
    before,
    applyPayment(before, { reference: `pi_${invoiceId}`, amount: { amount, currency: 'USD' }, at: DEFAULT_NOW, method: 'card' }),
  );
}

let packagePrice = 0;
let packageHeld = 0;
let packageIncludes: Record<CreditService, number>;
let listPrices: Record<CreditService, number>;

beforeAll(async () => {
  api = await createTestApi({ payments: true });
  A = await signUp(api, { firstName: 'Ada', lastName: 'Lovelace', rideHome: { name: 'Sam Rider', phone: '+12125550142' } });
  NOCODES = await signUp(api, { firstName: 'Noa' });
  T = await signUp(api, { clinicId: TOR, firstName: 'Tess', lastName: 'Tremblay' });
  await setCodes(A, ['F33.2', 'F43.10', 'F41.1', 'Z63.0', 'F10.20']);
  await setCodes(T, ['F33.1'], TOR);

  // self-pay: a telehealth preparation (paid), an in-person intake (unpaid)
  const video = await book({
    clinicId: NYC,
    clientId: A,
    providerId: THER2,
    service: 'preparation',
    mode: 'telehealth',
    startsAt: '2026-12-14T10:00:00-05:00',
  });
  await pay(video.invoiceId!, 17_500);
  await complete(video, false);
  const office = await book({
    clinicId: NYC,
    clientId: A,
    providerId: THER1,
    service: 'intake',
    mode: 'in_person',
    startsAt: '2026-12-14T14:00:00-05:00',
  });
  await complete(office, true);
  // a second preparation, then an exploration (self-pay, completed): never on a superbill
  const prep = await book({
    clinicId: NYC,
    clientId: A,
    providerId: THER2,
    service: 'preparation',
    mode: 'telehealth',
    startsAt: '2026-12-15T10:00:00-05:00',
  });
  await complete(prep, false);
  const cleared = await api.call('POST', `/v1/clients/${A}/clearance`, {
    as: clinician(NYC),
    body: { status: 'cleared', screenedFor: ['blood pressure'] },
  });
  expect(cleared.status).toBe(201);
  const exploration = await book({
    clinicId: NYC,
    clientId: A,
    providerId: THER1,
    service: 'exploration',
    mode: 'in_person',
    startsAt: '2026-12-16T09:00:00-05:00',
  });
  await complete(exploration, true);
  // cancelled and missed: never listed
  const cancelled = await book({
    clinicId: NYC,
    clientId: A,
    providerId: THER2,
    service: 'integration',
    mode: 'telehealth',
    startsAt: '2026-12-17T10:00:00-05:00',
  });
  expect((await api.call('POST', `/v1/appointments/${cancelled.id}/cancel`, { as: frontdesk(NYC), body: {} })).status).toBe(200);
  const missed = await book({
    clinicId: NYC,
    clientId: A,
    providerId: THER2,
    service: 'integration',
    mode: 'telehealth',
    startsAt: '2026-12-17T12:00:00-05:00',
  });
  api.clock.set(minutes(missed.startsAt, 30));
  expect((await api.call('POST', `/v1/appointments/${missed.id}/no-show`, { as: frontdesk(NYC) })).status).toBe(200);
  api.clock.set(DEFAULT_NOW);
  // booked, not yet held: not listed
  await book({
    clinicId: NYC,
    clientId: A,
    providerId: THER2,
    service: 'integration',
    mode: 'telehealth',
    startsAt: '2026-12-22T10:00:00-05:00',
  });

  // a package of a bundle-priced program (below list, an odd amount), paid in installments: only
  // the down payment is held. Its first integration is on Dec 18, its second on Dec 21: the
  // superbill of Dec 19–31 lists the second at the second share
  const created = await api.call('POST', `/v1/clinics/${NYC}/programs`, {
    as: admin,
    body: {
      name: 'Bundle course',
      explorations: 4,
      tier: 'standard',
      includes: { preparation: 2, exploration: 4, integration: 3 },
      price: 300_001,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const program = created.body;
  packagePrice = program.price.amount;
  packageIncludes = program.includes;
  const services = (await api.call('GET', `/v1/clinics/${NYC}/services`)).body as Array<{ code: string; price: { amount: number } }>;
  const price = (code: string) => services.find((s) => s.code === code)!.price.amount;
  listPrices = { preparation: price('preparation'), exploration: price('exploration'), integration: price('integration') };
  const bought = await api.call('POST', '/v1/packages', {
    as: frontdesk(NYC),
    body: { clientId: A, programId: program.id, payment: 'installments', installments: { count: 3, downPaymentPercent: 25 } },
  });
  expect(bought.status, JSON.stringify(bought.body)).toBe(201);
  await api.deliver(api.payments!.stub!.completeCheckout(bought.body.checkoutSessionId, 'paid'));
  const held = (await api.call('GET', `/v1/packages/${bought.body.package.id}`, { as: admin })).body;
  expect(held.status).toBe('active');
  packageHeld = held.payments
    .filter((p: { status: string }) => p.status === 'succeeded')
    .reduce((t: number, p: { amount: { amount: number } }) => t + p.amount.amount, 0);
  expect(packageHeld).toBeGreaterThan(0);
  expect(packageHeld).toBeLessThan(packagePrice);
  const packageId = bought.body.package.id;
  const first = await book({
    clinicId: NYC,
    clientId: A,
    providerId: THER2,
    service: 'integration',
    mode: 'telehealth',
    startsAt: '2026-12-18T10:00:00-05:00',
    packageId,
  });
  await complete(first, false);
  const second = await book({
    clinicId: NYC,
    clientId: A,
    providerId: THER1,
    service: 'integration',
    mode: 'in_person',
    startsAt: '2026-12-21T10:00:00-05:00',
    packageId,
  });
  await complete(second, true);

  // a client without codes: a completed session
  const n = await book({
    clinicId: NYC,
    clientId: NOCODES,
    providerId: THER2,
    service: 'preparation',
    mode: 'telehealth',
    startsAt: '2026-12-14T11:00:00-05:00',
  });
  await complete(n, false);

  // Toronto: a completed telehealth integration, paid
  const t = await book(
    { clinicId: TOR, clientId: T, providerId: TOR_THER, service: 'integration', mode: 'telehealth', startsAt: '2026-12-14T10:00:00-05:00' },
    frontdesk(TOR),
  );
  await complete(t, false, TOR);
});
afterAll(async () => api.close());

describe('a US superbill', () => {
  it('lists the completed billable sessions with CPT, place of service, modifier, pointers, provider, charge and paid', async () => {
    const res = await superbill(A, asClient(A), { from: '2026-12-01', to: '2026-12-17' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.body;
    expect(body.kind).toBe('superbill');
    expect(body.clinic).toEqual({
      legalName: 'Hudson Wellness PLLC',
      address: { line1: '350 Hudson Street', line2: 'Suite 400', city: 'New York', region: 'NY', postalCode: '10014', country: 'US' },
      phone: '+12125550100',
      taxId: '13-4567890',
      npi: '1843927561',
    });
    expect(body.client.name).toBe('Ada Lovelace');
    expect(body.client.dateOfBirth).toBe('1985-04-12');
    expect(body.diagnosisCodes).toEqual(['F33.2', 'F43.10', 'F41.1', 'Z63.0', 'F10.20']);
    // the exploration (Dec 16), the cancelled and the missed integrations (Dec 17) are not there
    expect(body.lines).toEqual([
      {
        serviceDate: '2026-12-14',
        service: 'preparation',
        cptCode: '90837',
        modifiers: ['95'],
        placeOfService: '10',
        units: 1,
        diagnosisPointers: ['A', 'B', 'C', 'D'],
        provider: { name: 'Jordan Reyes', npi: '1245319599', licence: { number: '021734', jurisdiction: 'NY' } },
        charge: { amount: 17_500, currency: 'USD' },
        paid: { amount: 17_500, currency: 'USD' },
      },
      {
        serviceDate: '2026-12-14',
        service: 'intake',
        cptCode: '90791',
        modifiers: [],
        placeOfService: '11',
        units: 1,
        diagnosisPointers: ['A', 'B', 'C', 'D'],
        provider: { name: 'Avery Stone', npi: '1234567893', licence: { number: 'LCSW-084512', jurisdiction: 'NY' } },
        charge: { amount: 17_500, currency: 'USD' },
        paid: { amount: 0, currency: 'USD' },
      },
      expect.objectContaining({ serviceDate: '2026-12-15', service: 'preparation', placeOfService: '10' }),
    ]);
    expect(body.totals).toEqual({ charge: { amount: 52_500, currency: 'USD' }, paid: { amount: 17_500, currency: 'USD' } });
    expect(JSON.stringify(body)).not.toContain('exploration');
  });

  it('a session paid by a package is charged its share of the price, ranked among the package’s sessions', async () => {
    const res = await superbill(A, finance(NYC), { from: '2026-12-19', to: '2026-12-31' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const shares = packageShares(packagePrice, packageIncludes, listPrices);
    const paidShares = packageShares(packageHeld, packageIncludes, listPrices);
    expect(shares.integration[1]).not.toBe(listPrices.integration); // a bundle price: not the list price
    // the package's second integration (the first, Dec 18, is before the period)
    expect(res.body.lines).toEqual([
      expect.objectContaining({
        serviceDate: '2026-12-21',
        service: 'integration',
        cptCode: '90837',
        placeOfService: '11',
        modifiers: [],
        charge: { amount: shares.integration[1], currency: 'USD' },
        paid: { amount: Math.min(paidShares.integration[1]!, shares.integration[1]!), currency: 'USD' }, // the down payment's share
      }),
    ]);
    expect(res.body.lines[0].paid.amount).toBeLessThan(res.body.lines[0].charge.amount);
    // over December the two integrations carry the first two shares
    const month = await superbill(A, admin);
    const integrations = month.body.lines.filter((l: { service: string }) => l.service === 'integration');
    expect(integrations.map((l: { charge: { amount: number } }) => l.charge.amount)).toEqual(shares.integration.slice(0, 2));
  });

  it('leaves an audit entry superbill.read', async () => {
    await superbill(A, finance(NYC));
    const audit = await api.call('GET', `/v1/clients/${A}/audit`, { as: admin });
    const entry = audit.body.entries.find((e: { action: string }) => e.action === 'superbill.read');
    expect(entry).toMatchObject({ record: { type: 'client', id: A } });
  });

  it('422 diagnosis_required when the client has no codes', async () => {
    const res = await superbill(NOCODES, finance(NYC));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'rule_violated', rule: 'diagnosis_required' });
  });

  it('422 provider_npi_missing when a listed session’s provider has no NPI', async () => {
    const provider = await api.call('POST', `/v1/clinics/${NYC}/providers`, {
      as: admin,
      body: {
        name: 'Rowan Vale',
        role: 'therapist',
        credentials: 'LMFT',
        telehealth: true,
        weeklyHours: [{ day: 'sat', start: '09:00', end: '17:00' }],
      },
    });
    expect(provider.status).toBe(201);
    const client = await signUp(api, { firstName: 'Nia' });
    await setCodes(client, ['F33.2']);
    const appt = await book({
      clinicId: NYC,
      clientId: client,
      providerId: provider.body.id,
      service: 'preparation',
      mode: 'telehealth',
      startsAt: '2026-12-19T10:00:00-05:00',
    });
    // not held yet: nothing listed, nothing missing
    expect((await superbill(client, asClient(client))).status).toBe(200);
    await complete(appt, false);
    const res = await superbill(client, asClient(client));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'rule_violated', rule: 'provider_npi_missing' });
    expect(res.body.error.message).not.toContain('Rowan');
  });
});

describe('a Canadian receipt for insurance', () => {
  it('kind receipt: business number and tax note, provider credentials and college registration, no CPT, POS or modifier', async () => {
    const res = await superbill(T, asClient(T));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body;
    expect(body.kind).toBe('receipt');
    expect(body.clinic).toMatchObject({ legalName: 'Lakeshore Therapy Inc.', taxId: '864213574RT0001' });
    expect(body.clinic.taxNote).toContain('GST/HST');
    expect(body.clinic).not.toHaveProperty('npi');
    expect(body.lines).toEqual([
      {
        serviceDate: '2026-12-14',
        service: 'integration',
        units: 1,
        diagnosisPointers: ['A'],
        provider: { name: 'Sam Okafor', credentials: 'RP', licence: { number: '10234', jurisdiction: 'ON' } },
        charge: { amount: 17_500, currency: 'CAD' },
        paid: { amount: 0, currency: 'CAD' },
      },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/cptCode|placeOfService|modifiers|"npi"/);
  });

  it('as a PDF: the receipt form', async () => {
    const res = await superbill(T, finance(TOR), DECEMBER, { accept: 'application/pdf' });
    expect(res.status).toBe(200);
    const text = (await pageTexts(res.body)).join('\n');
    expect(text).toContain('RECEIPT FOR INSURANCE');
    expect(text).toContain('Sam Okafor, RP');
    expect(text).not.toContain('CPT');
  });
});

describe('the PDF answer', () => {
  it('with Accept: application/pdf, the same superbill as a PDF, inline, never cached', async () => {
    const res = await superbill(A, asClient(A), DECEMBER, { accept: 'application/pdf' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('inline; filename="superbill-2026-12-01-2026-12-31.pdf"');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(Buffer.isBuffer(res.body)).toBe(true);
    expect(res.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = await pageTexts(res.body);
    expect(pages).toHaveLength(1);
    for (const s of ['SUPERBILL', 'Hudson Wellness PLLC', 'Ada Lovelace', 'F33.2', '90837', '90791', 'Provider signature'])
      expect(pages[0], s).toContain(s);
  });

  it('errors stay JSON', async () => {
    const res = await superbill(NOCODES, finance(NYC), DECEMBER, { accept: 'application/pdf' });
    expect(res.status).toBe(422);
    expect(res.body.error.rule).toBe('diagnosis_required');
  });
});

describe('the period', () => {
  it.each([
    [{ from: '2026-12-01' }, 'to'],
    [{ from: '2026-13-01', to: '2026-12-31' }, 'from'],
    [{ from: '2026-12-01', to: '2026-02-30' }, 'to'],
    [{ from: '2026-12-02', to: '2026-12-01' }, 'to'], // to before from
    [{ from: '2026-01-01', to: '2027-01-02' }, 'to'], // 367 days
    [{ ...DECEMBER, extra: 'x' }, ''],
  ])('%j is a 400 on %s', async (query, path) => {
    const res = await superbill(A, finance(NYC), query);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('holds the sessions of its first and of its last day, in the clinic’s zone', async () => {
    const dates = async (from: string, to: string) =>
      ((await superbill(A, finance(NYC), { from, to })).body.lines as Array<{ serviceDate: string }>).map((l) => l.serviceDate);
    expect(await dates('2026-12-14', '2026-12-14')).toEqual(['2026-12-14', '2026-12-14']);
    expect(await dates('2026-12-15', '2026-12-15')).toEqual(['2026-12-15']);
    expect(await dates('2026-12-13', '2026-12-13')).toEqual([]);
  });

  it('366 days, both ends included, is a superbill', async () => {
    expect((await superbill(A, finance(NYC), { from: '2026-01-01', to: '2027-01-01' })).status).toBe(200);
  });
});

describe('who may ask', () => {
  it('the client itself, finance of its clinic and admin; not the front desk, clinicians, another client or another clinic', async () => {
    for (const as of [asClient(A), finance(NYC), admin]) expect((await superbill(A, as)).status, as.role).toBe(200);
    for (const as of [frontdesk(NYC), clinician(NYC), asClient(NOCODES), finance(TOR)]) {
      const res = await superbill(A, as);
      expect([res.status, res.body.error.code], as.role).toEqual([403, 'forbidden']);
    }
    expect((await api.call('GET', `/v1/clients/${A}/superbill`, { query: DECEMBER })).status).toBe(401);
  });
});
