// GET /v1/invoices/{invoiceId}/receipt.pdf through the billing function on DynamoDB Local: who may
// download it (the invoice's client, its clinic's front desk, finance, admin), what it is (a PDF,
// read back with pdf-lib: test/helpers/pdf.ts), that a name the standard fonts cannot encode and
// a clinic without a billing profile still get one, and the audit entry each download leaves.
// Last, the same route over HTTP through the local server: the base64 answer arrives as the PDF's
// bytes. Invoices are stored directly (test/helpers/invoices.ts); the clinics' billing profiles are
// written with the clinic repository, whatever the seed holds.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { applyPayment } from '#domain/invoices.ts';
import type { BillingProfile } from '#domain/types.ts';
import type { StoredInvoice } from '#db/invoice-repo.ts';
import { ClinicRepository } from '#db/clinic-repo.ts';
import { InvoiceRepository } from '#db/invoice-repo.ts';
import { createDocumentClient } from '#db/client.ts';
import { startLocalServer, type LocalServer } from '#infra/local/server.ts';
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
import { programInvoice, sessionInvoice, storeInvoices } from '#test/helpers/invoices.ts';
import { pageTexts } from '#test/helpers/pdf.ts';

const NYC = 'demo-nyc';
const TOR = 'demo-tor';

const US_PROFILE: BillingProfile = {
  legalName: 'Hudson Receipts PLLC',
  address: { line1: '1 Test Plaza', city: 'New York', region: 'NY', postalCode: '10001', country: 'US' },
  phone: '+12125550100',
  taxId: '12-3456789',
};
const CA_PROFILE: BillingProfile = {
  legalName: 'Lakeshore Receipts Professional Corporation',
  address: { line1: '2 Test Quay', city: 'Toronto', region: 'ON', postalCode: 'M5E 1V3', country: 'CA' },
  phone: '+14165550100',
  taxId: '123456789RT0001',
  taxNote: 'Exempt from GST/HST.',
};

let api: TestApi;
let A: string;
let B: string;
let T: string;
let ofA: StoredInvoice;
let ofT: StoredInvoice;

/** Sets (or, with undefined, removes) a clinic's billing profile. */
async function setBilling(clinicId: string, billing: BillingProfile | undefined): Promise<void> {
  const repo = new ClinicRepository(api.table.doc, api.table.tableName);
  const clinic = await repo.require(clinicId);
  await repo.update({ ...clinic, billing }, clinic.version);
}

const auditOf = async (clientId: string) => (await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin })).body.entries as any[];

async function receipt(invoiceId: string, as?: As) {
  return api.call('GET', `/v1/invoices/${invoiceId}/receipt.pdf`, as ? { as } : {});
}

beforeAll(async () => {
  api = await createTestApi();
  // a name Helvetica's WinAnsi encoding cannot draw as it is: Ł, Ż and an emoji
  A = await signUp(api, { firstName: 'Łukasz 😀', lastName: 'Wójcik-Żółć' });
  B = await signUp(api, { firstName: 'Bo' });
  T = await signUp(api, { clinicId: TOR, firstName: 'Tess', lastName: 'Tremblay', phone: '+14165550123' });
  let paid = sessionInvoice({ clientId: A, at: DEFAULT_NOW, id: 'inv_r_1', mode: 'in_person' });
  paid = applyPayment(paid, { reference: 'pi_r_1', amount: { amount: 17_500, currency: 'USD' }, at: DEFAULT_NOW + 60_000, method: 'card' });
  [ofA] = (await storeInvoices(api, [paid])) as [StoredInvoice];
  [ofT] = (await storeInvoices(api, [programInvoice({ clientId: T, clinicId: TOR, at: DEFAULT_NOW, id: 'inv_r_t' })])) as [StoredInvoice];
  await setBilling(NYC, US_PROFILE);
});
afterAll(async () => api.close());

describe('GET /v1/invoices/{invoiceId}/receipt.pdf', () => {
  it.each<[string, () => As]>([
    ['the client itself', () => asClient(A)],
    ['the front desk', () => frontdesk(NYC)],
    ['finance', () => finance(NYC)],
    ['an admin', () => admin],
  ])('%s gets the PDF, and the download is in the client’s audit trail', async (_who, as) => {
    const caller = as();
    const res = await receipt(ofA.id, caller);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="receipt-${ofA.number}.pdf"`);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['x-correlation-id']).toBeTruthy();
    expect(Buffer.isBuffer(res.body)).toBe(true);
    expect((res.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await PDFDocument.load(res.body as Buffer)).getPageCount()).toBe(1);
    const entry = (await auditOf(A)).find((e) => e.requestId === res.headers['x-correlation-id']);
    expect(entry).toMatchObject({ action: 'invoice.receipt', record: { type: 'invoice', id: ofA.id }, actor: { roles: [caller.role] } });
  });

  it('prints the clinic’s billing profile, the invoice and the client’s name, folded to what the font can draw', async () => {
    const [text] = await pageTexts((await receipt(ofA.id, asClient(A))).body as Buffer);
    const lines = text!.split('\n');
    for (const expected of [
      'RECEIPT',
      'Hudson Receipts PLLC',
      '1 Test Plaza',
      'New York, NY 10001',
      'EIN 12-3456789',
      ofA.number,
      'Dec 1, 2026',
      'Lukasz ? Wójcik-Zólc',
      'Preparation session',
      '$175.00',
      'pi_r_1',
      'Balance due',
      '$0.00',
    ])
      expect(lines, expected).toContain(expected);
  });

  it('a clinic without a billing profile yet: a receipt headed by the clinic’s name, not an error', async () => {
    await setBilling(TOR, undefined);
    const res = await receipt(ofT.id, asClient(T));
    expect(res.status).toBe(200);
    const [text] = await pageTexts(res.body as Buffer);
    expect(text!.split('\n')).toContain('Lakeshore Therapy (demo)');
    expect(text).not.toContain('Business number');
    expect(text!.split('\n')).toContain('Tess Tremblay');
  });

  it('a Canadian clinic: business number, taxNote, amounts in "$" in Canadian dollars', async () => {
    await setBilling(TOR, CA_PROFILE);
    const [text] = await pageTexts((await receipt(ofT.id, finance(TOR))).body as Buffer);
    const lines = text!.split('\n');
    expect(text!.replace(/\n/g, ' ')).toContain('Lakeshore Receipts Professional Corporation'); // over two lines
    expect(lines).toContain('Business number 123456789RT0001');
    expect(lines).toContain('Exempt from GST/HST.');
    expect(lines).toContain('$1,200.00');
    expect(lines).toContain('Amounts in Canadian dollars (CAD).');
  });

  it('403 (JSON) for another client, staff of another clinic and a clinician; nothing audited', async () => {
    const before = (await auditOf(A)).length;
    for (const as of [asClient(B), frontdesk(TOR), finance(TOR), clinician(NYC)]) {
      const res = await receipt(ofA.id, as);
      expect([res.status, res.body.error.code], as.role).toEqual([403, 'forbidden']);
      expect(res.headers['content-type'], as.role).toMatch(/^application\/json/);
    }
    expect((await receipt(ofT.id, frontdesk(NYC))).status).toBe(403);
    // the audit read itself is the only new entry
    expect((await auditOf(A)).length).toBe(before + 1);
  });

  it('401 without a token; 404 for an unknown invoice', async () => {
    expect((await receipt(ofA.id)).status).toBe(401);
    const res = await receipt('inv_nope', admin);
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
  });
});

describe('over HTTP, through the local server', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `receipt_${randomUUID().slice(0, 8)}`,
      port: 0,
      log: () => undefined,
      reminderIntervalMs: 0,
    });
  });
  afterAll(async () => server?.close());

  it('the base64 answer arrives as the PDF’s bytes, with its content type', async () => {
    const post = async (path: string, body: unknown, token?: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const token = async (claims: Record<string, unknown>) =>
      ((await (await post('/v1/dev/token', claims)).json()) as { token: string }).token;
    const created = await post(
      '/v1/clients',
      {
        clinicId: NYC,
        firstName: 'Http',
        lastName: 'Receipt',
        email: 'http.receipt@example.com',
        phone: '+12125550144',
        dateOfBirth: '1980-01-01',
        smsConsent: false,
      },
      await token({ role: 'frontdesk', clinicId: NYC }),
    );
    expect(created.status).toBe(201);
    const clientId = ((await created.json()) as { id: string }).id;
    const doc = createDocumentClient({ region: 'us-east-1', endpoint: server.endpoint });
    const stored = await new InvoiceRepository(doc, server.tableName).create(sessionInvoice({ clientId, at: DEFAULT_NOW, id: 'inv_http' }));

    const res = await fetch(`${server.url}/v1/invoices/${stored.id}/receipt.pdf`, {
      headers: { authorization: `Bearer ${await token({ role: 'client', clientId })}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const [text] = await pageTexts(bytes);
    expect(text!.split('\n')).toContain('Http Receipt');
  });
});
