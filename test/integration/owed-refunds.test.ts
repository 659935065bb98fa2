// What finance does about a refund the refund job gave up on (docs/api.md, "Refunds the job gave
// up on"): POST /v1/invoices/{id}/refunds/retry hands it back to the job, POST
// /v1/invoices/{id}/refunds records one made some other way. DynamoDB Local, the real Stripe SDK
// against the local stub; the job's failures are injected into the stub.
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { admin, asClient, createTestApi, finance, frontdesk, signUp, DEFAULT_NOW, type As, type TestApi } from '#test/helpers/api.ts';
import { givenUpRefund } from '#test/helpers/invoices.ts';
import { createRefundJob } from '#functions/refunds/app.ts';
import { InvoiceRepository } from '#db/invoice-repo.ts';
import type { RefundJob } from '#services/refund-job.ts';
import { runRefundJobUntilItGivesUp } from '#test/helpers/refund-job.ts';
import { startLocalServer, type LocalServer } from '#infra/local/server.ts';
import { callLocal } from '#test/helpers/local-http.ts';

let api: TestApi;
let job: RefundJob;
let repo: InvoiceRepository;
const logger = new Logger({ serviceName: 'owed-refunds-test', logLevel: 'CRITICAL' });
beforeAll(async () => {
  api = await createTestApi({ payments: true });
  job = createRefundJob({ doc: api.table.doc, tableName: api.table.tableName, clock: api.clock, logger, gateway: api.payments!.gateway });
  repo = new InvoiceRepository(api.table.doc, api.table.tableName);
});
afterAll(async () => api.close());

const stub = () => api.payments!.stub!;
const usd = (amount: number) => ({ amount, currency: 'USD' });
const PRICE = 17_500;

const invoice = async (id: string) => {
  const res = await api.call('GET', `/v1/invoices/${id}`, { as: finance() });
  expect(res.status).toBe(200);
  return res.body;
};
const retry = (id: string, as = finance()) => api.call('POST', `/v1/invoices/${id}/refunds/retry`, { as, body: {} });
const record = (id: string, body: Record<string, unknown>, opts: { as?: As; key?: string } = {}) =>
  api.call('POST', `/v1/invoices/${id}/refunds`, {
    as: opts.as ?? finance(),
    body,
    ...(opts.key ? { headers: { 'Idempotency-Key': opts.key } } : {}),
  });
const givenUp = async () => (await givenUpRefund(api, { clientId: await signUp(api), at: DEFAULT_NOW })).id;
/** The invoice's item and its refund to-do entry, as stored. */
const stored = async (id: string) => {
  const items = await api.items();
  return {
    invoice: items.find((i) => i.type === 'invoice' && i.id === id),
    todo: items.find((i) => i.type === 'refund_todo' && i.invoiceId === id),
  };
};

describe('a refund the job gave up on, tried again', () => {
  it('after the job gave up for real, finance hands it back and the next run makes it through Stripe', async () => {
    const clientId = await signUp(api);
    const booked = await api.call('POST', '/v1/appointments', {
      as: frontdesk(),
      body: {
        clinicId: 'demo-nyc',
        clientId,
        providerId: 'demo-nyc-ther-1',
        service: 'intake',
        mode: 'telehealth',
        startsAt: '2026-12-08T11:00:00-05:00',
      },
    });
    expect(booked.status).toBe(201);
    const invoiceId = booked.body.invoiceId as string;
    const checkout = await api.call('POST', `/v1/invoices/${invoiceId}/checkout`, { as: asClient(clientId) });
    await api.deliver(stub().completeCheckout(checkout.body.checkoutSessionId, 'paid'));
    await api.call('POST', `/v1/appointments/${booked.body.id}/cancel`, { as: frontdesk(), body: {} });
    try {
      await runRefundJobUntilItGivesUp(api, job);
      expect(await invoice(invoiceId)).toMatchObject({ refundState: 'dead_lettered', refundDue: usd(PRICE) });
      // given up on: a later run leaves it alone
      expect((await job.run()).refunded).not.toContain(invoiceId);

      const res = await retry(invoiceId);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      // no refund object failed (Stripe refused the calls), and no attempt is counted any more
      expect(res.body).toMatchObject({ id: invoiceId, refundState: 'scheduled', refundDue: usd(PRICE), status: 'paid' });
      expect((await stored(invoiceId)).todo).toMatchObject({ dueAt: api.clock.now() });
      expect((await stored(invoiceId)).invoice!.refundJob).toEqual({ attempts: 0 });

      expect((await job.run()).refunded).toContain(invoiceId);
      const after = await invoice(invoiceId);
      expect(after).toMatchObject({ status: 'refunded', refunded: usd(PRICE), refundDue: usd(0), refundState: null });
      expect(after.refunds).toEqual([
        expect.objectContaining({ method: 'stripe', status: 'succeeded', reference: expect.stringMatching(/^re_/) }),
      ]);
      expect((await stored(invoiceId)).todo).toBeUndefined();
    } finally {
      api.clock.set(DEFAULT_NOW);
    }
    // who asked, in the client's trail
    const trail = await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin });
    expect(trail.body.entries).toContainEqual(
      expect.objectContaining({
        action: 'invoice.refund_retry',
        record: { type: 'invoice', id: invoiceId },
        actor: expect.objectContaining({ roles: ['finance'] }),
      }),
    );
  });

  it('is refused (409, nothing written) while the job is still at it, and when nothing is owed', async () => {
    const id = await givenUp();
    expect((await retry(id)).status).toBe(200);
    const before = await api.items();
    const again = await retry(id);
    expect([again.status, again.body.error.code]).toEqual([409, 'conflict']);
    expect(again.body.error.message).toMatch(/still making the refund/);
    expect(await api.items()).toEqual(before);

    const settled = await givenUp();
    expect((await record(settled, { amount: PRICE, method: 'cash', reference: 'R-1' })).status).toBe(201);
    const nothing = await retry(settled);
    expect([nothing.status, nothing.body.error.message]).toEqual([409, 'Nothing is owed back on this invoice']);
  });

  it('five at once: one hands it back, the others are refused', async () => {
    const id = await givenUp();
    const all = await Promise.all(Array.from({ length: 5 }, () => retry(id)));
    expect(all.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect((await stored(id)).invoice!.refundJob).toEqual({ attempts: 0 });
  });
});

describe('a refund made some other way, recorded', () => {
  it('in two parts: the rest stays given up on, the whole settles the invoice and ends the to-do entry', async () => {
    const id = await givenUp();
    const part = await record(id, { amount: 10_000, method: 'bank_transfer', reference: 'TRF-2026/118' });
    expect(part.status, JSON.stringify(part.body)).toBe(201);
    expect(part.body).toMatchObject({ refundState: 'dead_lettered', refundDue: usd(7_500), refunded: usd(10_000), status: 'paid' });
    expect(part.body.refunds).toEqual([
      { amount: usd(10_000), at: '2026-12-01T07:00:00-05:00', reference: 'TRF-2026/118', status: 'succeeded', method: 'bank_transfer' },
    ]);
    expect((await stored(id)).todo).toMatchObject({ deadLettered: true });

    const rest = await record(id, { amount: 7_500, method: 'cheque', reference: '001042' });
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ status: 'refunded', refunded: usd(PRICE), balance: usd(0), refundDue: usd(0), refundState: null });
    const now = await stored(id);
    expect(now.todo).toBeUndefined();
    expect(now.invoice!.refundJob).toBeUndefined();
    // Stripe was never asked: the money went back another way
    expect(
      stub()
        .list('refund')
        .filter((r) => (r.metadata as Record<string, string>).invoiceId === id),
    ).toEqual([]);
    expect(await repo.refundsDue(DEFAULT_NOW + 365 * 86_400_000)).not.toContain(id);
  });

  it('refuses more than is owed, a reference recorded already, and a refund the job may still be making: 409, nothing written', async () => {
    const id = await givenUp();
    expect((await record(id, { amount: 5_000, method: 'cash', reference: 'R-7' })).status).toBe(201);
    const before = await api.items();
    const tooMuch = await record(id, { amount: 12_501, method: 'cash', reference: 'R-8' });
    expect([tooMuch.status, tooMuch.body.error.message]).toEqual([409, 'The refund is more than what is owed back on this invoice']);
    const twice = await record(id, { amount: 100, method: 'cash', reference: 'R-7' });
    expect([twice.status, twice.body.error.message]).toEqual([409, 'A refund with this reference is recorded on this invoice already']);
    // the same receipt typed in lower case is the same receipt
    const retyped = await record(id, { amount: 100, method: 'cash', reference: 'r-7' });
    expect([retyped.status, retyped.body.error.message]).toEqual([409, 'A refund with this reference is recorded on this invoice already']);
    expect(await api.items()).toEqual(before);

    const handedBack = await givenUp();
    expect((await retry(handedBack)).status).toBe(200);
    const racing = await record(handedBack, { amount: PRICE, method: 'stripe_dashboard', reference: 're_3ByHand' });
    expect([racing.status, racing.body.error.code]).toEqual([409, 'conflict']);
  });

  it('five at once for all of it: one is recorded, the others are refused; the money goes back once', async () => {
    const id = await givenUp();
    const all = await Promise.all(
      Array.from({ length: 5 }, (_, i) => record(id, { amount: PRICE, method: 'cheque', reference: `CHQ-${i}` })),
    );
    expect(all.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const after = await invoice(id);
    expect(after.refunds).toHaveLength(1);
    expect(after).toMatchObject({ refunded: usd(PRICE), balance: usd(0) });
  });

  it('the same Idempotency-Key again answers the first result and records nothing new', async () => {
    const id = await givenUp();
    const body = { amount: 2_500, method: 'other', reference: 'ADJ-5' };
    const first = await record(id, body, { key: 'refund-adj-5' });
    const second = await record(id, body, { key: 'refund-adj-5' });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect((await invoice(id)).refunds).toHaveLength(1);
  });

  it('the reference is an id, never free text (the receipt and the ledger print it): a 400 on reference', async () => {
    const id = await givenUp();
    const before = await api.items();
    const res = await record(id, { amount: 0, method: 'paypal', reference: 'Ada Lovelace, by cheque' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['amount', 'method', 'reference']);
    // words without a comma, a space at all, or a word without a digit: none is an id
    for (const reference of ['Ada Lovelace ketamine F33.2', 'CHQ 1001', 'CHQ-1001 ', 'ketamine', 'AdaLovelace']) {
      const refused = await record(id, { amount: 100, method: 'cheque', reference });
      expect([refused.status, refused.body.error.details]).toEqual([400, [expect.objectContaining({ path: 'reference' })]]);
    }
    expect(await api.items()).toEqual(before);
  });

  it('finance of another clinic is refused; the front desk is refused', async () => {
    const id = await givenUp();
    expect((await record(id, { amount: PRICE, method: 'cash', reference: 'X-1' }, { as: finance('demo-tor') })).status).toBe(403);
    const fd = await api.call('POST', `/v1/invoices/${id}/refunds/retry`, { as: frontdesk(), body: {} });
    expect(fd.status).toBe(403);
    expect((await invoice(id)).refundState).toBe('dead_lettered');
  });
});

describe('npm start: the refund job giving up at once (POST /v1/dev/invoices/{id}/refund/give-up)', () => {
  let server: LocalServer;
  beforeAll(async () => {
    process.env.LOG_LEVEL = 'ERROR';
    server = await startLocalServer({
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `owed_${randomUUID().slice(0, 8)}`,
      port: 0,
      log: () => undefined,
      reminderIntervalMs: 0, // no timer: the refund job does not run on its own here
      webDir: false,
    });
  });
  afterAll(async () => server?.close());
  const call = (method: string, path: string, body?: unknown, token?: string) => callLocal(server.url, method, path, body, token);
  const token = async (role: string) => (await call('POST', '/v1/dev/token', { role, clinicId: 'demo-nyc' })).json.token as string;

  it('a paid session cancelled on time: given up on, handed back, given up on again, then recorded as refunded by cheque', async () => {
    const desk = await token('frontdesk');
    const fin = await token('finance');
    const client = await call(
      'POST',
      '/v1/clients',
      {
        clinicId: 'demo-nyc',
        firstName: 'Owen',
        lastName: 'Dee',
        email: `owen.${randomUUID().slice(0, 6)}@example.com`,
        phone: '+12125550177',
        dateOfBirth: '1988-05-06',
        smsConsent: false,
      },
      desk,
    );
    expect(client.status).toBe(201);
    const slots = await call('GET', `/v1/clinics/demo-nyc/availability?service=intake&mode=telehealth&from=${inDays(3)}&to=${inDays(10)}`);
    const slot = slots.json.slots[0];
    const booked = await call(
      'POST',
      '/v1/appointments',
      {
        clinicId: 'demo-nyc',
        clientId: client.json.id,
        providerId: slot.providerId,
        service: 'intake',
        mode: 'telehealth',
        startsAt: slot.startsAt,
      },
      desk,
    );
    expect(booked.status, JSON.stringify(booked.json)).toBe(201);
    const invoiceId = booked.json.invoiceId as string;
    const checkout = await call('POST', `/v1/invoices/${invoiceId}/checkout`, {}, desk);
    expect((await call('POST', `/v1/dev/checkout/${checkout.json.checkoutSessionId}/complete`, { outcome: 'paid' })).status).toBe(200);
    expect((await call('POST', `/v1/appointments/${booked.json.id}/cancel`, {}, desk)).status).toBe(200);

    const giveUp = () => call('POST', `/v1/dev/invoices/${invoiceId}/refund/give-up`);
    expect((await giveUp()).json).toEqual({ invoiceId, refundState: 'dead_lettered' });
    expect((await call('POST', `/v1/invoices/${invoiceId}/refunds/retry`, {}, fin)).json.refundState).toBe('scheduled');
    expect((await giveUp()).json.refundState).toBe('dead_lettered');
    const owed = (await call('GET', `/v1/invoices/${invoiceId}`, undefined, fin)).json.refundDue.amount as number;
    const recorded = await call('POST', `/v1/invoices/${invoiceId}/refunds`, { amount: owed, method: 'cheque', reference: '1001' }, fin);
    expect(recorded.status).toBe(201);
    expect(recorded.json).toMatchObject({ status: 'refunded', refundState: null });
    // nothing owed back any more
    expect([(await giveUp()).status, (await giveUp()).json.error.message]).toEqual([409, 'Nothing is owed back on this invoice']);
  });
});

/** The New York date `days` from the real today (the local server's clock is real time here). */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'America/New_York' });
}

describe("finance's list of refunds the job gave up on (GET /v1/clinics/{clinicId}/refunds/given-up)", () => {
  it('lists the clinic’s given up on, oldest first, named; an invoice leaves it once handed back or settled', async () => {
    const given = async (clinicId: string, minutes: number) =>
      givenUpRefund(api, {
        clientId: await signUp(api, { clinicId }),
        at: Date.parse('2027-01-04T15:00:00Z') + minutes * 60_000,
        clinicId,
      });
    const newer = await given('demo-nyc', 20);
    const older = await given('demo-nyc', 10);
    const toronto = await given('demo-tor', 0);
    const handedBack = await given('demo-nyc', 30);
    const settled = await given('demo-nyc', 40);
    expect((await retry(handedBack.id)).status).toBe(200);
    expect((await record(settled.id, { amount: PRICE, method: 'cash', reference: 'C-1' })).status).toBe(201);

    const res = await api.call('GET', '/v1/clinics/demo-nyc/refunds/given-up', { as: finance() });
    expect(res.status).toBe(200);
    const mine = res.body.items.filter((i: { id: string }) => [newer.id, older.id, handedBack.id, settled.id].includes(i.id));
    expect(mine.map((i: { id: string }) => i.id)).toEqual([older.id, newer.id]);
    expect(mine[0]).toMatchObject({ refundState: 'dead_lettered', refundDue: usd(PRICE), clientName: expect.any(String) });
    expect(res.body.items.map((i: { id: string }) => i.id)).not.toContain(toronto.id);
    const tor = await api.call('GET', '/v1/clinics/demo-tor/refunds/given-up', { as: finance('demo-tor') });
    expect(tor.body.items.map((i: { id: string }) => i.id)).toContain(toronto.id);

    // each listed client's trail says finance saw it
    const trail = await api.call('GET', `/v1/clients/${older.clientId}/audit`, { as: admin });
    expect(trail.body.entries).toContainEqual(
      expect.objectContaining({ action: 'invoices.list', record: { type: 'client', id: older.clientId } }),
    );
    // another clinic's finance, and the front desk: refused
    expect((await api.call('GET', '/v1/clinics/demo-nyc/refunds/given-up', { as: finance('demo-tor') })).status).toBe(403);
    expect((await api.call('GET', '/v1/clinics/demo-nyc/refunds/given-up', { as: frontdesk() })).status).toBe(403);
  });

  it('the real job giving up puts the invoice on the list (the index entry is written with its state)', async () => {
    const id = await givenUp();
    const todo = (await stored(id)).todo!;
    expect([todo.GSI1PK, String(todo.GSI1SK).endsWith(`#${id}`)]).toEqual(['REFUND_GIVEN_UP#demo-nyc', true]);
    expect((await repo.givenUpRefunds('demo-nyc')).map((i) => i.id)).toContain(id);
  });
});
