// A program purchase's invoice (docs/api.md, "Invoices"): written with the package, paid by what
// the package's verified webhook events record (in full, down payment, each installment), and on a
// staff cancel given the credit line and the refund, so that it always adds up. DynamoDB Local,
// the real Stripe SDK against the local stub, events signed with the SDK's test helper.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asClient, createTestApi, finance, frontdesk, clinician, signUp, type TestApi } from '#test/helpers/api.ts';
import { bookOnPackage, buyPackage, programId, scheduleIdOf } from '#test/helpers/packages.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ payments: true });
});
afterAll(async () => api.close());

const stub = () => api.payments!.stub!;

const invoice = async (id: string) => {
  const res = await api.call('GET', `/v1/invoices/${id}`, { as: finance() });
  expect(res.status).toBe(200);
  return res.body;
};

const amount = (amount: number) => ({ amount, currency: 'USD' });

describe('a program purchase has its invoice', () => {
  it('written with the package (one program line, not billable, no CPT), open until the webhook says paid', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' });
    expect(res.status).toBe(201);
    const invoiceId = res.body.package.invoiceId as string;
    expect(invoiceId).toMatch(/^inv_/);
    const open = await invoice(invoiceId);
    expect(open).toMatchObject({
      status: 'open',
      packageId: res.body.package.id,
      clientId,
      total: amount(290_000),
      balance: amount(290_000),
    });
    expect(open.lines).toEqual([
      expect.objectContaining({
        service: 'program',
        amount: amount(290_000),
        billable: false,
        cptCode: null,
        placeOfService: null,
        voided: false,
      }),
    ]);
    // the client sees it among its invoices
    const mine = await api.call('GET', `/v1/clients/${clientId}/invoices`, { as: asClient(clientId) });
    expect(mine.body.map((i: { id: string }) => i.id)).toContain(invoiceId);

    const events = stub().completeCheckout(res.body.checkoutSessionId, 'paid');
    // delivered twice and in reverse: one payment
    await api.deliver([...events].reverse());
    await api.deliver(events);
    const paid = await invoice(invoiceId);
    expect(paid).toMatchObject({ status: 'paid', paid: amount(290_000), balance: amount(0) });
    expect(paid.payments).toEqual([expect.objectContaining({ amount: amount(290_000), method: 'card' })]);
  });

  it('installments: the down payment and each installment are payments of the one invoice; a failed charge is not', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 6, 'extra_support'),
      payment: 'installments',
      installments: { count: 3, downPaymentPercent: 25 },
    });
    expect(res.status).toBe(201);
    const invoiceId = res.body.package.invoiceId as string;
    await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
    const pkg = (await api.call('GET', `/v1/packages/${res.body.package.id}`, { as: finance() })).body;
    const price = pkg.price.amount as number;
    const down = pkg.schedule.downPayment.amount as number;
    const afterDown = await invoice(invoiceId);
    expect(afterDown).toMatchObject({ status: 'partially_paid', paid: amount(down), balance: amount(price - down) });

    const scheduleId = await scheduleIdOf(api, res.body.package.id);
    expect(scheduleId).toBeTruthy();
    await api.deliver(stub().chargeNextInstallment(scheduleId, 'failed'));
    expect((await invoice(invoiceId)).paid).toEqual(amount(down));
    await api.deliver(stub().chargeNextInstallment(scheduleId, 'paid'));
    await api.deliver(stub().chargeNextInstallment(scheduleId, 'paid'));
    await api.deliver(stub().chargeNextInstallment(scheduleId, 'paid'));
    const all = await invoice(invoiceId);
    expect(all.payments).toHaveLength(4);
    expect(all).toMatchObject({ status: 'paid', paid: amount(price), balance: amount(0) });
  });

  it('a staff cancel records the credit line and the refund on it: it keeps what was used and owes nothing', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' });
    const packageId = res.body.package.id as string;
    const invoiceId = res.body.package.invoiceId as string;
    await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
    const used = await bookOnPackage(api, clientId, packageId, '2026-12-01T14:00:00-05:00');
    expect(used.status).toBe(201);
    expect(used.body.invoiceId).toBeNull();
    api.clock.set(Date.parse('2026-12-01T20:00:00Z'));
    try {
      expect((await api.call('POST', `/v1/appointments/${used.body.id}/complete`, { as: clinician() })).status).toBe(200);
      const cancelled = await api.call('POST', `/v1/packages/${packageId}/cancel`, { as: finance() });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.refund).toEqual(amount(272_500));
    } finally {
      api.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    }
    const after = await invoice(invoiceId);
    // 2,900.00 charged, −2,725.00 credited (all but the one preparation used, 175.00), 2,900.00 paid, 2,725.00 refunded
    expect(after.lines.map((l: { service: string; amount: unknown }) => [l.service, l.amount])).toEqual([
      ['program', amount(290_000)],
      ['package_credit', amount(-272_500)],
    ]);
    expect(after).toMatchObject({
      total: amount(17_500),
      paid: amount(290_000),
      refunded: amount(272_500),
      balance: amount(0),
      status: 'paid',
    });
    expect(after.refunds).toEqual([expect.objectContaining({ amount: amount(272_500) })]);
  });

  it('a cancel before anything was paid credits the whole price: void, nothing owed', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' });
    expect((await api.call('POST', `/v1/packages/${res.body.package.id}/cancel`, { as: finance() })).status).toBe(200);
    const after = await invoice(res.body.package.invoiceId);
    expect(after).toMatchObject({ total: amount(0), paid: amount(0), balance: amount(0), status: 'void' });
  });

  it('purchases and self-pay bookings at once share the clinic numbering: consecutive, no gap, no repeat', async () => {
    const before = await api.call('GET', '/v1/invoices', {
      as: finance(),
      query: { clinicId: 'demo-nyc', from: '2026-11-01', to: '2026-12-31' },
    });
    const highest = Math.max(0, ...before.body.items.map((i: { number: number }) => i.number));
    const program = await programId(api, 'demo-nyc', 4, 'standard');
    const clients = await Promise.all(Array.from({ length: 8 }, () => signUp(api)));
    const results = await Promise.all(
      clients.map((clientId, i) =>
        i % 2 === 0
          ? buyPackage(api, clientId, { programId: program, payment: 'pay_in_full' })
          : api.call('POST', '/v1/appointments', {
              as: frontdesk(),
              body: {
                clinicId: 'demo-nyc',
                clientId,
                providerId: 'demo-nyc-ther-1',
                service: 'intake',
                mode: 'telehealth',
                // four weekdays: Wed 2 to Fri 4, Mon 7
                startsAt: `2026-12-0${[2, 3, 4, 7][Math.floor(i / 2)]}T10:00:00-05:00`,
              },
            }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const ids = results.map((r) => (r.body.package ? r.body.package.invoiceId : r.body.invoiceId) as string);
    const numbers = await Promise.all(ids.map(async (id) => (await invoice(id)).number as number));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 8 }, (_, i) => highest + 1 + i));
  });

  it("a client's packages, newest first (GET /v1/clients/{id}/packages, an extension): the client and staff, not another client", async () => {
    const clientId = await signUp(api);
    const other = await signUp(api);
    const program = await programId(api, 'demo-nyc', 4, 'standard');
    const first = await buyPackage(api, clientId, { programId: program, payment: 'pay_in_full' });
    api.clock.advance(60_000);
    const second = await buyPackage(api, clientId, { programId: program, payment: 'pay_in_full' });
    api.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    const mine = await api.call('GET', `/v1/clients/${clientId}/packages`, { as: asClient(clientId) });
    expect(mine.status).toBe(200);
    expect(mine.body.map((p: { id: string }) => p.id)).toEqual([second.body.package.id, first.body.package.id]);
    expect(mine.body[0]).toMatchObject({ status: 'pending_payment', invoiceId: second.body.package.invoiceId });
    expect((await api.call('GET', `/v1/clients/${clientId}/packages`, { as: finance() })).status).toBe(200);
    expect((await api.call('GET', `/v1/clients/${clientId}/packages`, { as: asClient(other) })).status).toBe(403);
    expect((await api.call('GET', `/v1/clients/${other}/packages`, { as: asClient(other) })).body).toEqual([]);
  });
});

/**
 * A 4-exploration program bought in 3 installments (20 % down, paid), and four of its sessions on
 * `date` (two preparations, two integrations, 175.00 each: more than the 580.00 down payment once
 * missed).
 */
async function installmentsWithSessions(date: string) {
  const clientId = await signUp(api);
  const res = await buyPackage(api, clientId, {
    programId: await programId(api, 'demo-nyc', 4, 'standard'),
    payment: 'installments',
    installments: { count: 3, downPaymentPercent: 20 },
  });
  expect(res.status).toBe(201);
  const packageId = res.body.package.id as string;
  const invoiceId = res.body.package.invoiceId as string;
  await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
  const sessions: string[] = [];
  for (const [service, hour] of [
    ['preparation', 10],
    ['preparation', 11],
    ['integration', 13],
    ['integration', 14],
  ] as const) {
    const booked = await bookOnPackage(api, clientId, packageId, `${date}T${hour}:00:00-05:00`, { service });
    expect(booked.status).toBe(201);
    sessions.push(booked.body.id as string);
  }
  return { clientId, packageId, invoiceId, sessions };
}

describe('a cancelled package settles with its sessions marked, and what it still owes is paid on its invoice', () => {
  it('a cancel waits (409) while a past session is neither completed nor a no-show; the balance it leaves is paid online', async () => {
    const { clientId, packageId, invoiceId, sessions } = await installmentsWithSessions('2026-12-08');
    // while the package pays it, its invoice has no checkout of its own
    expect((await api.call('POST', `/v1/invoices/${invoiceId}/checkout`, { as: asClient(clientId) })).status).toBe(409);

    api.clock.set(Date.parse('2026-12-08T20:00:00Z'));
    try {
      const early = await api.call('POST', `/v1/packages/${packageId}/cancel`, { as: finance() });
      expect(early.status).toBe(409);
      expect(early.body.error.message).toContain('4 sessions of this package have started and not been marked');
      expect((await api.call('GET', `/v1/packages/${packageId}`, { as: finance() })).body.status).toBe('active');

      // the first preparation took place (by video: completed without a check-in), the rest were missed
      const [held, ...missed] = sessions;
      expect((await api.call('POST', `/v1/appointments/${held}/complete`, { as: clinician() })).status).toBe(200);
      for (const id of missed) expect((await api.call('POST', `/v1/appointments/${id}/no-show`, { as: frontdesk() })).status).toBe(200);
      const cancelled = await api.call('POST', `/v1/packages/${packageId}/cancel`, { as: finance() });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.refund).toEqual(amount(0));
    } finally {
      api.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    }
    // 2,900.00 − 2,200.00 credited = 700.00 used (one held, three missed); 580.00 paid: 120.00 still owed, and the installments have stopped
    expect(await invoice(invoiceId)).toMatchObject({
      total: amount(70_000),
      paid: amount(58_000),
      balance: amount(12_000),
      status: 'partially_paid',
    });
    // the superbill's session: its share of what was used (700.00 over four sessions of 175.00), paid in proportion to what is held
    expect((await api.call('PUT', `/v1/clients/${clientId}/diagnoses`, { as: clinician(), body: { codes: ['F33.1'] } })).status).toBe(200);
    const superbillLine = async () => {
      const res = await api.call('GET', `/v1/clients/${clientId}/superbill`, {
        as: finance(),
        query: { from: '2026-12-08', to: '2026-12-08' },
      });
      expect(res.status).toBe(200);
      return res.body.lines[0];
    };
    expect(await superbillLine()).toMatchObject({ service: 'preparation', charge: amount(17_500), paid: amount(14_500) });
    // the day's schedule flags the missed sessions unpaid while that is owed, and no longer once it is paid
    const unpaidOnTheDay = async () => {
      const day = await api.call('GET', '/v1/clinics/demo-nyc/schedule?date=2026-12-08', { as: finance() });
      expect(day.status).toBe(200);
      return (day.body.appointments as Array<{ id: string; flags: string[] }>)
        .filter((a) => sessions.includes(a.id))
        .map((a) => a.flags.includes('unpaid'));
    };
    expect(await unpaidOnTheDay()).toEqual([true, true, true, true]);
    const checkout = await api.call('POST', `/v1/invoices/${invoiceId}/checkout`, { as: asClient(clientId) });
    expect(checkout.status).toBe(201);
    await api.deliver(stub().completeCheckout(checkout.body.checkoutSessionId, 'paid'));
    expect(await unpaidOnTheDay()).toEqual([false, false, false, false]);
    const settled = await invoice(invoiceId);
    expect(settled).toMatchObject({ paid: amount(70_000), balance: amount(0), status: 'paid' });
    expect(settled.payments.map((p: { amount: unknown }) => p.amount)).toEqual([amount(58_000), amount(12_000)]);
    // nothing more is due
    expect((await api.call('POST', `/v1/invoices/${invoiceId}/checkout`, { as: asClient(clientId) })).status).toBe(409);
    // and the superbill counts the payment made on the invoice: the session is paid in full
    expect(await superbillLine()).toMatchObject({ charge: amount(17_500), paid: amount(17_500) });
  });
});

describe('what a cancelled program still owes, paid at the clinic', () => {
  it('is refused (409) while the package pays the invoice, and recorded once its cancel is settled', async () => {
    const { packageId, invoiceId, sessions } = await installmentsWithSessions('2026-12-09');
    const desk = (amount: number, reference: string) =>
      api.call('POST', `/v1/invoices/${invoiceId}/payments`, { as: frontdesk(), body: { amount, method: 'cheque', reference } });
    // the installment plan pays it: a payment beside it would not stop the next installment
    const early = await desk(10_000, 'CHQ-501');
    expect(early.status).toBe(409);
    expect((await invoice(invoiceId)).payments).toHaveLength(1);

    api.clock.set(Date.parse('2026-12-09T20:00:00Z'));
    try {
      for (const id of sessions) expect((await api.call('POST', `/v1/appointments/${id}/no-show`, { as: frontdesk() })).status).toBe(200);
      expect((await api.call('POST', `/v1/packages/${packageId}/cancel`, { as: finance() })).status).toBe(200);
    } finally {
      api.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    }
    // four sessions missed: 700.00 used, 580.00 paid
    expect(await invoice(invoiceId)).toMatchObject({ balance: amount(12_000), status: 'partially_paid' });
    // never more than is owed, even now
    expect((await desk(12_001, 'CHQ-502')).status).toBe(409);
    const paid = await desk(12_000, 'CHQ-503');
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ paid: amount(70_000), balance: amount(0), status: 'paid' });
    expect(paid.body.payments.find((p: { reference: string }) => p.reference === 'CHQ-503')).toMatchObject({
      amount: amount(12_000),
      method: 'cheque',
    });
  });
});
