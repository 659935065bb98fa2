// A payment taken at the clinic (POST /v1/invoices/{invoiceId}/payments, an extension: docs/api.md,
// "Payments taken at the clinic") on DynamoDB Local: what it pays, who may record it, what it
// refuses with nothing written, two desks at once, and money owed back for it left to finance
// without the refund job's alarm.
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { admin, asClient, clinician, createTestApi, finance, frontdesk, signUp, type TestApi } from '#test/helpers/api.ts';
import { createRefundJob } from '#functions/refunds/app.ts';
import type { RefundJob } from '#services/refund-job.ts';

let api: TestApi;
let job: RefundJob;
const logger = new Logger({ serviceName: 'desk-payments-test', logLevel: 'CRITICAL' });
beforeAll(async () => {
  api = await createTestApi({ payments: true });
  job = createRefundJob({ doc: api.table.doc, tableName: api.table.tableName, clock: api.clock, logger, gateway: api.payments!.gateway });
});
afterAll(async () => api.close());

const usd = (amount: number) => ({ amount, currency: 'USD' });
/** Weekdays of December 2026 from the 7th, on time to cancel from the test clock: one per test. */
const WEEKDAYS = [7, 8, 9, 10, 11, 14, 15, 16, 17, 18];
let day = 0;

/** A self-pay preparation by video, on its own weekday, booked by the front desk: its invoice and appointment. */
async function booked(clientId: string) {
  const startsAt = `2026-12-${String(WEEKDAYS[day++]).padStart(2, '0')}T14:00:00-05:00`;
  const res = await api.call('POST', '/v1/appointments', {
    as: frontdesk(),
    body: { clinicId: 'demo-nyc', clientId, providerId: 'demo-nyc-ther-1', service: 'preparation', mode: 'telehealth', startsAt },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { appointmentId: res.body.id as string, invoiceId: res.body.invoiceId as string };
}
const record = (invoiceId: string, body: unknown, as = frontdesk()) => api.call('POST', `/v1/invoices/${invoiceId}/payments`, { as, body });
const invoice = async (id: string) => (await api.call('GET', `/v1/invoices/${id}`, { as: finance() })).body;

describe('a payment taken at the desk', () => {
  it('pays the invoice: cash without a reference gets one, a cheque keeps its number; audited in the recorder’s name', async () => {
    const clientId = await signUp(api);
    const { invoiceId } = await booked(clientId);
    const cash = await record(invoiceId, { amount: 10_000, method: 'cash' });
    expect(cash.status, JSON.stringify(cash.body)).toBe(201);
    expect(cash.body).toMatchObject({ status: 'partially_paid', paid: usd(10_000), balance: usd(7_500) });
    expect(cash.body.payments).toEqual([
      expect.objectContaining({ method: 'cash', amount: usd(10_000), reference: expect.stringMatching(/^CASH-[0-9A-F]{10}$/) }),
    ]);
    const cheque = await record(invoiceId, { amount: 7_500, method: 'cheque', reference: 'CHQ-1042' }, finance());
    expect(cheque.status).toBe(201);
    expect(cheque.body).toMatchObject({ status: 'paid', balance: usd(0) });
    const trail = await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin });
    const entries = trail.body.entries.filter((e: { action: string }) => e.action === 'invoice.payment_record');
    expect(entries.map((e: { actor: { roles: string[] } }) => e.actor.roles)).toEqual(expect.arrayContaining([['frontdesk'], ['finance']]));
    expect(entries.every((e: { record: unknown }) => JSON.stringify(e.record) === JSON.stringify({ type: 'invoice', id: invoiceId }))).toBe(
      true,
    );
  });

  it('answers bad input field by field with a 400, and writes nothing', async () => {
    const clientId = await signUp(api);
    const { invoiceId } = await booked(clientId);
    const cases: Array<[unknown, string[]]> = [
      [{ amount: 17_500, method: 'cheque' }, ['reference']], // only cash may leave it out
      [{ amount: 0, method: 'cash' }, ['amount']],
      [{ amount: 12.5, method: 'cash' }, ['amount']],
      [{ amount: 100, method: 'paypal' }, ['method']],
      [{ amount: 100, method: 'cheque', reference: 'Jane Doe' }, ['reference']], // an id, never words
      [{ amount: 100, method: 'cash', note: 'x' }, ['note']],
    ];
    for (const [body, paths] of cases) {
      const res = await record(invoiceId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(paths);
    }
    expect(await invoice(invoiceId)).toMatchObject({ status: 'open', payments: [] });
  });

  it('refuses with a 409 more than is due, a reference twice in any case, and a program’s invoice; 403 to clinicians and clients', async () => {
    const clientId = await signUp(api);
    const { invoiceId } = await booked(clientId);
    expect((await record(invoiceId, { amount: 17_501, method: 'cash' })).body.error).toMatchObject({
      code: 'conflict',
      message: 'The payment is more than what is due on this invoice',
    });
    expect((await record(invoiceId, { amount: 100, method: 'cheque', reference: 'CHQ-7' })).status).toBe(201);
    expect((await record(invoiceId, { amount: 100, method: 'cheque', reference: 'chq-7' })).status).toBe(409);
    expect((await record(invoiceId, { amount: 100, method: 'cash' }, clinician())).status).toBe(403);
    expect((await record(invoiceId, { amount: 100, method: 'cash' }, asClient(clientId))).status).toBe(403);
    expect((await record('inv_nope', { amount: 100, method: 'cash' })).status).toBe(404);

    const programs = await api.call('GET', '/v1/clinics/demo-nyc/programs');
    const bought = await api.call('POST', '/v1/packages', {
      as: frontdesk(),
      body: { clientId, programId: programs.body[0].id, payment: 'pay_in_full' },
    });
    expect(bought.status).toBe(201);
    const list = await api.call('GET', `/v1/clients/${clientId}/invoices`, { as: finance() });
    const programInvoice = list.body.find((i: { packageId?: string }) => i.packageId === bought.body.package.id);
    const refused = await record(programInvoice.id, { amount: 100, method: 'cash' });
    expect(refused.status).toBe(409);
    expect((await invoice(programInvoice.id)).payments).toEqual([]);
  });

  it('two desks taking the whole balance at once: one payment lands, the other is refused', async () => {
    const clientId = await signUp(api);
    const { invoiceId } = await booked(clientId);
    const results = await Promise.all(
      ['CHQ-501', 'SLIP-502', 'CHQ-503', 'SLIP-504'].map((reference, i) =>
        record(invoiceId, { amount: 17_500, method: i % 2 ? 'card_terminal' : 'cheque', reference }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await invoice(invoiceId)).toMatchObject({ status: 'paid', paid: usd(17_500), balance: usd(0) });
  });

  it('cancelled on time after paying in cash: owed back at the clinic, on finance’s list at once, without the alarm', async () => {
    const clientId = await signUp(api);
    const { appointmentId, invoiceId } = await booked(clientId);
    expect((await record(invoiceId, { amount: 17_500, method: 'cash' })).status).toBe(201);
    expect((await api.call('POST', `/v1/appointments/${appointmentId}/cancel`, { as: frontdesk(), body: {} })).status).toBe(200);
    const error = vi.spyOn(logger, 'error');
    const info = vi.spyOn(logger, 'info');
    try {
      const run = await job.run();
      expect(run.deadLettered).toContain(invoiceId);
    } finally {
      error.mockRestore();
    }
    expect(error).not.toHaveBeenCalledWith('Refund dead-lettered', expect.anything());
    expect(info).toHaveBeenCalledWith(
      'Refund left to give back at the clinic',
      expect.objectContaining({ invoiceId, reason: 'paid_at_desk' }),
    );
    info.mockRestore();
    expect(await invoice(invoiceId)).toMatchObject({ refundState: 'dead_lettered', refundDue: usd(17_500) });
    expect(api.payments!.stub!.list('refund').filter((r) => (r.metadata as Record<string, string>).invoiceId === invoiceId)).toEqual([]);
    const given = await api.call('POST', `/v1/invoices/${invoiceId}/refunds`, {
      as: finance(),
      body: { amount: 17_500, method: 'cash', reference: 'CASH-BACK-1' },
    });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ status: 'refunded', refundState: null });
  });
});
