// The revenue report through the API (docs/api.md, "Revenue report"; docs/domain.md,
// "Revenue"): one December at demo-nyc, lived through the real functions on DynamoDB Local with the
// clock moved day by day — a discounted package paid in full, one of its sessions completed and
// one missed, then cancelled by finance with its refund; self-pay sessions paid through Checkout
// and completed, cancelled late (the fee kept, the rest refunded by the refund job), completed
// unpaid, and paid ahead for January. Its figures are checked against the numbers worked out by
// hand below, and the identities across adjacent ranges; then who may ask, and the 400s.
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, asClient, clinician, createTestApi, finance, frontdesk, signUp, type TestApi } from '#test/helpers/api.ts';
import { createRefundJob } from '#functions/refunds/app.ts';

const NYC = 'demo-nyc';
const PATH = `/v1/clinics/${NYC}/reports/revenue`;
const usd = (amount: number) => ({ amount, currency: 'USD' });

let api: TestApi;
const stub = () => api.payments!.stub!;
/** New York wall-clock time in December 2026 / January 2027 (EST, −05:00). */
const ny = (date: string, time: string) => Date.parse(`${date}T${time}:00-05:00`);

async function ok(res: { status: number; body: any }, status = 200) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

async function book(clientId: string, service: string, providerId: string, startsAt: string, packageId?: string): Promise<any> {
  return ok(
    await api.call('POST', '/v1/appointments', {
      as: frontdesk(),
      body: { clinicId: NYC, clientId, providerId, service, mode: 'telehealth', startsAt, ...(packageId ? { packageId } : {}) },
    }),
    201,
  );
}

async function payInvoice(clientId: string, invoiceId: string): Promise<void> {
  const checkout = await ok(await api.call('POST', `/v1/invoices/${invoiceId}/checkout`, { as: asClient(clientId) }), 201);
  const delivered = await api.deliver(stub().completeCheckout(checkout.checkoutSessionId, 'paid'));
  expect(delivered.every((d) => d.status === 200)).toBe(true);
}

const report = async (from: string, to: string, as = finance()) => ok(await api.call('GET', PATH, { as, query: { from, to } }));

/** The money figures of an answer, as plain amounts. */
const amounts = (r: any) =>
  Object.fromEntries(
    ['recognized', 'deferredAtStart', 'deferredAtEnd', 'billed', 'collected', 'refunded', 'earnedUnpaidAtStart', 'earnedUnpaidAtEnd'].map(
      (k) => [k, r[k].amount as number],
    ),
  );

beforeAll(async () => {
  api = await createTestApi({ payments: true });
  const refunds = createRefundJob({
    doc: api.table.doc,
    tableName: api.table.tableName,
    clock: api.clock,
    logger: new Logger({ serviceName: 'revenue-test', logLevel: 'CRITICAL' }),
    gateway: api.payments!.gateway,
  });

  // Tue 1 December, 07:00 in New York (the test clock's start)
  // A program of two preparations, an exploration and an integration (list 1,075.00) sold at 1,000.00:
  // its shares are 162.79 a therapy session and 511.63 the exploration (the leftover cent to the largest remainder)
  const program = await ok(
    await api.call('POST', `/v1/clinics/${NYC}/programs`, {
      as: admin,
      body: {
        name: 'Brief course',
        explorations: 1,
        tier: 'standard',
        includes: { preparation: 2, exploration: 1, integration: 1 },
        price: 100_000,
      },
    }),
    201,
  );
  const buyer = await signUp(api);
  const bought = await ok(
    await api.call('POST', '/v1/packages', {
      as: asClient(buyer),
      body: { clientId: buyer, programId: program.id, payment: 'pay_in_full' },
    }),
    201,
  );
  await api.deliver(stub().completeCheckout(bought.checkoutSessionId, 'paid'));
  const packageId = bought.package.id as string;
  const prepA = await book(buyer, 'preparation', 'demo-nyc-ther-2', '2026-12-02T10:00:00-05:00', packageId);
  const prepB = await book(buyer, 'preparation', 'demo-nyc-ther-2', '2026-12-03T10:00:00-05:00', packageId);

  const selfPayer = await signUp(api);
  const intake = await book(selfPayer, 'intake', 'demo-nyc-ther-1', '2026-12-07T10:00:00-05:00');
  await payInvoice(selfPayer, intake.invoiceId);
  const lateOne = await book(selfPayer, 'preparation', 'demo-nyc-ther-2', '2026-12-09T10:00:00-05:00');
  await payInvoice(selfPayer, lateOne.invoiceId);
  const unpaidClient = await signUp(api);
  const unpaid = await book(unpaidClient, 'preparation', 'demo-nyc-ther-2', '2026-12-14T10:00:00-05:00');
  const aheadClient = await signUp(api);
  const ahead = await book(aheadClient, 'preparation', 'demo-nyc-ther-2', '2027-01-05T10:00:00-05:00');

  try {
    api.clock.set(ny('2026-12-02', '11:00'));
    await ok(await api.call('POST', `/v1/appointments/${prepA.id}/complete`, { as: clinician() }));
    api.clock.set(ny('2026-12-03', '11:00'));
    await ok(await api.call('POST', `/v1/appointments/${prepB.id}/no-show`, { as: frontdesk() }));
    api.clock.set(ny('2026-12-07', '11:00'));
    await ok(await api.call('POST', `/v1/appointments/${intake.id}/complete`, { as: clinician() }));
    // 24 h ahead: late, the 100.00 fee replaces the 175.00 session and the job refunds 75.00
    api.clock.set(ny('2026-12-08', '10:00'));
    const cancelled = await ok(await api.call('POST', `/v1/appointments/${lateOne.id}/cancel`, { as: frontdesk(), body: {} }));
    expect(cancelled.late).toBe(true);
    await refunds.run();
    // used at list: 2 × 175.00; refunded 1,000.00 − 350.00
    api.clock.set(ny('2026-12-10', '10:00'));
    const cancel = await ok(await api.call('POST', `/v1/packages/${packageId}/cancel`, { as: finance() }));
    expect(cancel.refund).toEqual(usd(65_000));
    api.clock.set(ny('2026-12-14', '11:00'));
    await ok(await api.call('POST', `/v1/appointments/${unpaid.id}/complete`, { as: clinician() }));
    api.clock.set(ny('2026-12-20', '12:00'));
    await payInvoice(aheadClient, ahead.invoiceId);
    api.clock.set(ny('2027-01-05', '11:00'));
    await ok(await api.call('POST', `/v1/appointments/${ahead.id}/complete`, { as: clinician() }));
  } finally {
    api.clock.set(ny('2027-02-01', '09:00'));
  }
});
afterAll(async () => api.close());

describe('the revenue report', () => {
  it('December, by hand', async () => {
    const r = await report('2026-12-01', '2026-12-31');
    expect(r).toMatchObject({ currency: 'USD', from: '2026-12-01', to: '2026-12-31', recognized: usd(80_000) });
    expect(amounts(r)).toEqual({
      // package: 162.79 (completed 2nd) + 162.79 (missed 3rd) + 24.42 settled on the cancel (10th) = 350.00 kept;
      // intake 175.00 (7th); the late cancel's fee 100.00 (9th); the unpaid preparation 175.00 (14th)
      recognized: 16_279 + 16_279 + 2_442 + 17_500 + 10_000 + 17_500,
      deferredAtStart: 0,
      // January's preparation, paid on the 20th
      deferredAtEnd: 17_500,
      // package 1,000.00 − its 650.00 credit; intake; the late one 175.00 − 175.00 + 100.00; the unpaid one; January's
      billed: 100_000 - 65_000 + 17_500 + 10_000 + 17_500 + 17_500,
      collected: 100_000 + 17_500 + 17_500 + 17_500,
      refunded: 65_000 + 7_500,
      earnedUnpaidAtStart: 0,
      // the preparation completed and not paid
      earnedUnpaidAtEnd: 17_500,
    });
  });

  it('January: the preparation paid in December is earned', async () => {
    expect(amounts(await report('2027-01-01', '2027-01-31'))).toEqual({
      recognized: 17_500,
      deferredAtStart: 17_500,
      deferredAtEnd: 0,
      billed: 0,
      collected: 0,
      refunded: 0,
      earnedUnpaidAtStart: 17_500,
      earnedUnpaidAtEnd: 17_500,
    });
  });

  it('before the cancel, the package’s money not yet earned is deferred', async () => {
    expect(amounts(await report('2026-12-01', '2026-12-09'))).toMatchObject({
      recognized: 16_279 + 16_279 + 17_500 + 10_000,
      deferredAtEnd: 100_000 - 2 * 16_279,
      refunded: 7_500,
    });
  });

  it('adjacent ranges add up, the end of one is the start of the next, and the identity holds on each', async () => {
    const splits = [
      ['2026-11-15', '2026-12-09', '2027-01-20'],
      ['2026-12-01', '2026-12-31', '2027-01-31'],
      ['2026-12-02', '2026-12-02', '2026-12-03'],
    ];
    for (const [a, b, c] of splits) {
      const whole = amounts(await report(a!, c!));
      const first = amounts(await report(a!, b!));
      const next = new Date(Date.parse(`${b}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      const second = amounts(await report(next, c!));
      for (const k of ['recognized', 'billed', 'collected', 'refunded']) expect(whole[k], `${a}..${c} ${k}`).toBe(first[k]! + second[k]!);
      expect(first.deferredAtEnd).toBe(second.deferredAtStart);
      expect(first.earnedUnpaidAtEnd).toBe(second.earnedUnpaidAtStart);
      for (const f of [whole, first, second]) {
        expect(f.deferredAtEnd! - f.earnedUnpaidAtEnd!).toBe(
          f.deferredAtStart! - f.earnedUnpaidAtStart! + f.collected! - f.refunded! - f.recognized!,
        );
      }
    }
  });

  it('is for finance and admin, never cached, and leaves no audit entry', async () => {
    const before = (await api.items()).filter((i) => String(i.PK).startsWith('AUDIT#')).length;
    const res = await api.call('GET', PATH, { as: admin, query: { from: '2026-12-01', to: '2026-12-31' } });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(amounts(res.body)).toEqual(amounts(await report('2026-12-01', '2026-12-31')));
    expect((await api.items()).filter((i) => String(i.PK).startsWith('AUDIT#')).length).toBe(before);
    // Toronto's figures are in its currency
    expect(
      await ok(
        await api.call('GET', '/v1/clinics/demo-tor/reports/revenue', { as: admin, query: { from: '2026-12-01', to: '2026-12-31' } }),
      ),
    ).toMatchObject({
      currency: 'CAD',
      recognized: { amount: 0, currency: 'CAD' },
    });
  });

  it('403 for the front desk, clinicians, clients and another clinic’s finance; 404 for a clinic that does not exist', async () => {
    const client = await signUp(api);
    for (const as of [frontdesk(), clinician(), asClient(client), finance('demo-tor')]) {
      const res = await api.call('GET', PATH, { as, query: { from: '2026-12-01', to: '2026-12-31' } });
      expect([res.status, res.body.error.code], JSON.stringify(as)).toEqual([403, 'forbidden']);
    }
    // a backwards range is the request's own problem, found with its shape before the clinic is
    // looked at (as a date that is none is): a 400 that tells another clinic's finance nothing
    const backwards = await api.call('GET', PATH, { as: finance('demo-tor'), query: { from: '2026-12-31', to: '2026-12-01' } });
    expect([backwards.status, backwards.body.error.details]).toEqual([400, [{ path: 'to', message: 'Must not be before from' }]]);
    const unknown = await api.call('GET', '/v1/clinics/no-such-clinic/reports/revenue', {
      as: admin,
      query: { from: '2026-12-01', to: '2026-12-31' },
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
  });

  it('400 on `to` for a range backwards or longer than 366 days; 400 for dates that are not dates, missing or unknown parameters', async () => {
    const bad = async (query: Record<string, string>) => {
      const res = await api.call('GET', PATH, { as: finance(), query });
      expect([res.status, res.body.error.code], JSON.stringify(query)).toEqual([400, 'validation_failed']);
      return res.body.error.details.map((d: { path: string }) => d.path);
    };
    expect(await bad({ from: '2026-12-31', to: '2026-12-01' })).toEqual(['to']);
    expect(await bad({ from: '2027-01-01', to: '2028-01-02' })).toEqual(['to']);
    expect(await bad({ from: '2026-12-01', to: '2026-13-01' })).toEqual(['to']);
    expect(await bad({ from: '2026-12-01' })).toEqual(['to']);
    await bad({ from: '2026-12-01', to: '2026-12-31', clinicId: NYC });
    // a leap year is 366 days: allowed
    expect((await api.call('GET', PATH, { as: finance(), query: { from: '2028-01-01', to: '2028-12-31' } })).status).toBe(200);
  });
});
