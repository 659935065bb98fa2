// The billing API (functions/billing) on DynamoDB Local: one invoice, a client's invoices and a
// clinic's by issue date, who may read them, what they show, the audit trail they leave and the
// query's validation. Invoices are stored directly (test/helpers/invoices.ts) so that their dates,
// lines, payments and refunds are exactly the ones each case needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCancellation, applyPayment, applyRefund, totals, type Invoice } from '#domain/invoices.ts';
import type { StoredInvoice } from '#db/invoice-repo.ts';
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

const NYC = 'demo-nyc';
const TOR = 'demo-tor';
const HOUR = 3_600_000;

let api: TestApi;
let A: string;
let B: string;
let T: string;
/** A's invoices, oldest first: issued 2026-12-01, -02, -03 (12:00 UTC). */
let ofA: StoredInvoice[];
let ofT: StoredInvoice;

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

beforeAll(async () => {
  api = await createTestApi();
  A = await signUp(api, { firstName: 'Ada' });
  B = await signUp(api, { firstName: 'Bo' });
  T = await signUp(api, { clinicId: TOR, firstName: 'Tess', phone: '+14165550123' });

  // 1: a telehealth preparation, paid by card
  let paid = sessionInvoice({
    clientId: A,
    at: DEFAULT_NOW,
    id: 'inv_a_1',
    appointmentId: 'appt_a_1',
    startsAt: Date.parse('2026-12-14T15:00:00Z'),
  });
  paid = applyPayment(paid, { reference: 'pi_a_1', amount: usd(17_500), at: DEFAULT_NOW + 5 * 60_000, method: 'card' });
  // 2: a program purchase, nothing paid yet
  const program = programInvoice({ clientId: A, at: DEFAULT_NOW + 24 * HOUR, id: 'inv_a_2', packageId: 'pkg_a_2' });
  // 3: a session paid, cancelled late (fee), the rest refunded; a failed refund attempt before that
  let cancelled = sessionInvoice({ clientId: A, at: DEFAULT_NOW + 48 * HOUR, id: 'inv_a_3', mode: 'in_person' });
  cancelled = applyPayment(cancelled, { reference: 'pi_a_3', amount: usd(17_500), at: DEFAULT_NOW + 49 * HOUR, method: 'card' });
  cancelled = applyCancellation(cancelled, {
    appointmentId: cancelled.appointmentId!,
    kind: 'late',
    fee: usd(5_000),
    at: DEFAULT_NOW + 50 * HOUR,
  });
  cancelled = applyRefund(cancelled, { reference: 're_a_3x', amount: usd(12_500), at: DEFAULT_NOW + 50 * HOUR, status: 'failed' });
  cancelled = applyRefund(cancelled, { reference: 're_a_3', amount: usd(12_500), at: DEFAULT_NOW + 51 * HOUR, status: 'succeeded' });
  ofA = await storeInvoices(api, [paid, program, cancelled]);
  [ofT] = (await storeInvoices(api, [sessionInvoice({ clientId: T, clinicId: TOR, at: DEFAULT_NOW })])) as [StoredInvoice];
});
afterAll(async () => api.close());

const auditOf = async (clientId: string) => (await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin })).body.entries as any[];

describe('GET /v1/invoices/{invoiceId}', () => {
  it('shows the invoice: money with its currency, times in the clinic’s zone, totals and status from the domain', async () => {
    const res = await api.call('GET', '/v1/invoices/inv_a_1', { as: asClient(A) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 'inv_a_1',
      number: Number(ofA[0]!.number),
      clinicId: NYC,
      clientId: A,
      status: 'paid',
      issuedAt: '2026-12-01T07:00:00-05:00',
      currency: 'USD',
      appointmentId: 'appt_a_1',
      lines: [
        {
          id: 'session:appt_a_1',
          description: 'Preparation session',
          service: 'preparation',
          serviceDate: '2026-12-14',
          appointmentId: 'appt_a_1',
          cptCode: '90837',
          modifiers: ['95'],
          placeOfService: '10',
          units: 1,
          amount: usd(17_500),
          billable: true,
          voided: false,
        },
      ],
      total: usd(17_500),
      paid: usd(17_500),
      refunded: usd(0),
      balance: usd(0),
      payments: [{ amount: usd(17_500), at: '2026-12-01T07:05:00-05:00', method: 'card', reference: 'pi_a_1' }],
      refunds: [],
      refundDue: usd(0),
      refundState: null,
    });
  });

  it('a late cancellation: the session voided, the fee charged, what was paid above it refunded (a failed refund shown, not counted)', async () => {
    const { body } = await api.call('GET', '/v1/invoices/inv_a_3', { as: finance(NYC) });
    expect(body.lines.map((l: any) => [l.service, l.amount.amount, l.voided, l.placeOfService])).toEqual([
      ['preparation', 17_500, true, '11'],
      ['late_cancellation', 5_000, false, null],
    ]);
    expect(body).toMatchObject({ status: 'paid', total: usd(5_000), paid: usd(17_500), refunded: usd(12_500), balance: usd(0) });
    expect(body.refunds.filter((r: { status: string }) => r.status !== 'failed')).toEqual([
      { amount: usd(12_500), at: '2026-12-03T10:00:00-05:00', reference: 're_a_3', status: 'succeeded', method: 'stripe' },
    ]);
    expect(body.refunds.filter((r: { status: string }) => r.status === 'failed')).toHaveLength(1);
    expect(body).toMatchObject({ refundDue: usd(0), refundState: null });
    // the same totals the domain derives
    const t = totals(ofA[2]!);
    expect([body.total.amount, body.paid.amount, body.refunded.amount, body.balance.amount, body.status]).toEqual([
      t.total,
      t.paid,
      t.refunded,
      t.balance,
      t.status,
    ]);
  });

  it('a program purchase: packageId, no appointment, open', async () => {
    const { body } = await api.call('GET', '/v1/invoices/inv_a_2', { as: frontdesk(NYC) });
    expect(body).toMatchObject({ status: 'open', packageId: 'pkg_a_2', balance: usd(120_000), issuedAt: '2026-12-02T07:00:00-05:00' });
    expect(body).not.toHaveProperty('appointmentId');
    expect(body.lines[0]).not.toHaveProperty('serviceDate');
    expect(body.lines[0]).toMatchObject({ service: 'program', cptCode: null, billable: false, placeOfService: null });
  });

  it('in the Toronto clinic’s zone and currency', async () => {
    const { status, body } = await api.call('GET', `/v1/invoices/${ofT.id}`, { as: asClient(T) });
    expect(status).toBe(200);
    expect(body).toMatchObject({ currency: 'CAD', issuedAt: '2026-12-01T07:00:00-05:00', total: { amount: 17_500, currency: 'CAD' } });
  });

  it.each<[string, () => As]>([
    ['the client itself', () => asClient(A)],
    ['the front desk', () => frontdesk(NYC)],
    ['finance', () => finance(NYC)],
    ['an admin', () => admin],
  ])('%s may read it, and the read is in the client’s audit trail', async (_who, as) => {
    const caller = as();
    const res = await api.call('GET', '/v1/invoices/inv_a_2', { as: caller });
    expect(res.status).toBe(200);
    const entry = (await auditOf(A)).find((e) => e.requestId === res.headers['x-correlation-id']);
    expect(entry).toMatchObject({ action: 'invoice.read', record: { type: 'invoice', id: 'inv_a_2' }, actor: { roles: [caller.role] } });
  });

  it('403 for another client, staff of another clinic and a clinician (not granted); nothing audited', async () => {
    const before = (await auditOf(A)).length;
    for (const as of [asClient(B), frontdesk(TOR), finance(TOR), clinician(NYC)]) {
      const res = await api.call('GET', '/v1/invoices/inv_a_1', { as });
      expect([res.status, res.body.error.code], as.role).toEqual([403, 'forbidden']);
    }
    // and staff of NYC may not read Toronto's
    expect((await api.call('GET', `/v1/invoices/${ofT.id}`, { as: frontdesk(NYC) })).status).toBe(403);
    // the audit read itself is the only new entry
    expect((await auditOf(A)).length).toBe(before + 1);
  });

  it('401 without a token; 404 for an unknown id', async () => {
    expect((await api.call('GET', '/v1/invoices/inv_a_1')).status).toBe(401);
    const res = await api.call('GET', '/v1/invoices/inv_nope', { as: admin });
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
  });
});

describe('GET /v1/clients/{clientId}/invoices', () => {
  it('lists the client’s invoices newest first, to the client, the front desk, finance and admin', async () => {
    for (const as of [asClient(A), frontdesk(NYC), finance(NYC), admin]) {
      const res = await api.call('GET', `/v1/clients/${A}/invoices`, { as });
      expect(res.status, as.role).toBe(200);
      expect(
        res.body.map((i: { id: string }) => i.id),
        as.role,
      ).toEqual(['inv_a_3', 'inv_a_2', 'inv_a_1']);
      const entry = (await auditOf(A)).find((e) => e.requestId === res.headers['x-correlation-id']);
      expect(entry, as.role).toMatchObject({ action: 'invoices.list', record: { type: 'client', id: A } });
    }
  });

  it('an empty list for a client without invoices', async () => {
    const res = await api.call('GET', `/v1/clients/${B}/invoices`, { as: asClient(B) });
    expect([res.status, res.body]).toEqual([200, []]);
  });

  it('403 for another client and staff of another clinic (also when the client has no invoice); 404 for an unknown client', async () => {
    for (const as of [asClient(B), frontdesk(TOR), finance(TOR), clinician(NYC)]) {
      expect((await api.call('GET', `/v1/clients/${A}/invoices`, { as })).status, as.role).toBe(403);
    }
    expect((await api.call('GET', `/v1/clients/${B}/invoices`, { as: frontdesk(TOR) })).status).toBe(403);
    const res = await api.call('GET', '/v1/clients/cl_nope/invoices', { as: admin });
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
  });
});

describe('GET /v1/invoices (a clinic’s, by issue date)', () => {
  /** Invoices of A, B and a third client issued on 2026-11-10 (New York), oldest first; every third paid. */
  let listed: StoredInvoice[];
  let C: string;

  beforeAll(async () => {
    C = await signUp(api, { firstName: 'Cy' });
    const clients = [A, B, C];
    const start = Date.parse('2026-11-10T05:00:00Z'); // 00:00 in New York
    const batch: Invoice[] = [];
    for (let i = 0; i < 105; i++) {
      let inv = sessionInvoice({ clientId: clients[i % 3]!, at: start + i * 13 * 60_000 });
      if (i % 3 === 0)
        inv = applyPayment(inv, { reference: `pi_list_${i}`, amount: usd(17_500), at: start + i * 13 * 60_000 + 1, method: 'card' });
      batch.push(inv);
    }
    // the local day's bounds: 23:59 on the 10th is in, 00:00 on the 11th and 23:59 on the 9th are out
    batch.push(sessionInvoice({ clientId: A, at: Date.parse('2026-11-11T04:59:00Z'), id: 'inv_last_minute' }));
    listed = await storeInvoices(api, batch);
    await storeInvoices(api, [
      sessionInvoice({ clientId: A, at: Date.parse('2026-11-11T05:00:00Z'), id: 'inv_next_day' }),
      sessionInvoice({ clientId: A, at: Date.parse('2026-11-10T04:59:00Z'), id: 'inv_day_before' }),
      sessionInvoice({ clientId: T, clinicId: TOR, at: Date.parse('2026-11-10T15:00:00Z'), id: 'inv_other_clinic' }),
    ]);
  });

  const list = (query: Record<string, string>, as: As = finance(NYC)) =>
    api.call('GET', '/v1/invoices', { as, query: { clinicId: NYC, from: '2026-11-10', to: '2026-11-10', ...query } });

  it('pages of 100, oldest first, with a cursor to the next; the last page’s cursor is null', async () => {
    const first = await list({});
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(100);
    expect(typeof first.body.nextCursor).toBe('string');
    // each names its client (one batch read of the page's clients)
    const names = new Map([
      [A, 'Ada'],
      [B, 'Bo'],
      [C, 'Cy'],
    ]);
    for (const item of first.body.items as Array<{ clientId: string; clientName: string }>)
      expect(item.clientName.split(' ')[0], item.clientId).toBe(names.get(item.clientId));
    const second = await list({ cursor: first.body.nextCursor });
    expect(second.status).toBe(200);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((i: { id: string }) => i.id);
    expect(ids).toEqual(listed.map((i) => i.id));
    expect(ids).toContain('inv_last_minute');
    expect(ids).not.toContain('inv_next_day');
    expect(ids).not.toContain('inv_day_before');
    expect(ids).not.toContain('inv_other_clinic');
    // issue dates ascend, shown in the clinic's zone
    const issued = [...first.body.items, ...second.body.items].map((i: { issuedAt: string }) => Date.parse(i.issuedAt));
    expect(issued).toEqual([...issued].sort((a, b) => a - b));
    expect(first.body.items[0].issuedAt).toBe('2026-11-10T00:00:00-05:00');
  });

  it('a range of several days takes every day of it, both ends included', async () => {
    const res = await list({ from: '2026-11-09', to: '2026-11-11' });
    const next = await list({ from: '2026-11-09', to: '2026-11-11', cursor: res.body.nextCursor });
    const ids = [...res.body.items, ...next.body.items].map((i: { id: string }) => i.id);
    expect(ids).toHaveLength(108);
    expect(ids[0]).toBe('inv_day_before');
    expect(ids.at(-1)).toBe('inv_next_day');
  });

  it('filters by status, the page filled from as many reads as it takes', async () => {
    const paid = await list({ status: 'paid' });
    expect(paid.status).toBe(200);
    expect(paid.body.items.every((i: { status: string }) => i.status === 'paid')).toBe(true);
    // every third of the 105: all 35 on one page (before this filled pages: 34, then 1)
    expect(paid.body.items).toHaveLength(35);
    expect(paid.body.nextCursor).toBeNull();
    const open = await list({ status: 'open' });
    expect(open.body.items).toHaveLength(listed.length - 35); // the rest, all on one page
    expect(open.body.nextCursor).toBeNull();
    expect(await list({ status: 'refunded' }).then((r) => [r.body.items, r.body.nextCursor])).toEqual([[], null]);
  });

  it('audits one entry per client on the page', async () => {
    const res = await list({}, frontdesk(NYC));
    for (const clientId of [A, B, C]) {
      const entries = (await auditOf(clientId)).filter((e) => e.requestId === res.headers['x-correlation-id']);
      expect(entries, clientId).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'invoices.list', record: { type: 'client', id: clientId } });
    }
  });

  it('to the front desk, finance and admin of the clinic; 403 for another clinic’s staff, clinicians and clients; 404 for an unknown clinic', async () => {
    for (const as of [frontdesk(NYC), finance(NYC), admin]) expect((await list({}, as)).status, as.role).toBe(200);
    for (const as of [frontdesk(TOR), finance(TOR), clinician(NYC), asClient(A)]) {
      const res = await list({}, as);
      expect([res.status, res.body.error.code], as.role).toEqual([403, 'forbidden']);
    }
    const unknown = await list({ clinicId: 'clinic-nope' }, admin);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
  });

  const paths = (body: { error: { details: Array<{ path: string }> } }) => body.error.details.map((d) => d.path).sort();

  it.each<[string, Record<string, string>, string[]]>([
    ['nothing', {}, ['clinicId', 'from', 'to']],
    ['an unknown status', { clinicId: NYC, from: '2026-11-10', to: '2026-11-10', status: 'overdue' }, ['status']],
    ['a date that is no date', { clinicId: NYC, from: '2026-02-30', to: '2026-11-10' }, ['from']],
    ['a date outside the working range', { clinicId: NYC, from: '1999-12-31', to: '2101-01-01' }, ['from', 'to']],
    ['an instant for a date', { clinicId: NYC, from: '2026-11-10T00:00:00Z', to: '2026-11-10' }, ['from']],
    ['to before from', { clinicId: NYC, from: '2026-11-10', to: '2026-11-09' }, ['to']],
    ['a cursor with foreign characters', { clinicId: NYC, from: '2026-11-10', to: '2026-11-10', cursor: 'a/b+c=' }, ['cursor']],
    ['a cursor that is no cursor', { clinicId: NYC, from: '2026-11-10', to: '2026-11-10', cursor: 'bm90LWEta2V5' }, ['cursor']],
    ['a bad clinic id', { clinicId: 'a b', from: '2026-11-10', to: '2026-11-10' }, ['clinicId']],
    ['an unknown key', { clinicId: NYC, from: '2026-11-10', to: '2026-11-10', page: '2' }, ['page']],
  ])('400 for %s, naming the parameters', async (_what, query, expected) => {
    const res = await api.call('GET', '/v1/invoices', { as: admin, query });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(paths(res.body)).toEqual(expected);
  });

  it('400 on cursor for a cursor of another listing: another range (even one that holds its position), clinic or status', async () => {
    const { body } = await list({});
    const others: Array<Record<string, string>> = [
      { from: '2026-12-01', to: '2026-12-31' },
      { from: '2026-11-09', to: '2026-11-11' },
      { from: '2026-11-10', to: '2026-11-30' },
      { status: 'open' },
    ];
    for (const other of others) {
      const res = await list({ ...other, cursor: body.nextCursor });
      expect([res.status, paths(res.body)], JSON.stringify(other)).toEqual([400, ['cursor']]);
    }
    const elsewhere = await api.call('GET', '/v1/invoices', {
      as: admin,
      query: { clinicId: 'demo-tor', from: '2026-11-10', to: '2026-11-10', cursor: body.nextCursor },
    });
    expect([elsewhere.status, paths(elsewhere.body)]).toEqual([400, ['cursor']]);
  });
});
