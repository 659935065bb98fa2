// Another card for an installment plan, end to end: POST /v1/packages/{packageId}/payment-method
// (a Stripe Checkout Session in setup mode), the webhook of the completed session (the card made
// the plan's, the failed invoice paid with it), and invoice.paid making the package active again.
// The payments function on DynamoDB Local, the real Stripe SDK answered by the local stub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, asClient, clinician, createTestApi, finance, frontdesk, signUp, type TestApi } from '#test/helpers/api.ts';
import { buyPackage, programId, scheduleIdOf } from '#test/helpers/packages.ts';
import { STRIPE_MAX_NETWORK_RETRIES } from '#adapters/stripe-gateway.ts';
import { PackageRepository } from '#db/package-repo.ts';
import type { StripeEvent } from '#infra/local/stripe-stub.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ payments: true });
});
afterAll(async () => api.close());

const stub = () => api.payments!.stub!;
const reqs = () =>
  stub().requests as unknown as Array<{ method: string; path: string; query: any; headers: Record<string, string>; body: any }>;
const ATTEMPTS = STRIPE_MAX_NETWORK_RETRIES + 1;

const stored = (packageId: string) => new PackageRepository(api.table.doc, api.table.tableName).require(packageId);

/** A client's installment package with its down payment paid; `failed`: its first installment declined (past due). */
async function installmentPackage(opts: { failed?: boolean; clinicId?: string } = {}) {
  const clinicId = opts.clinicId ?? 'demo-nyc';
  const clientId = await signUp(api, clinicId === 'demo-nyc' ? {} : { clinicId });
  const res = await buyPackage(api, clientId, {
    programId: await programId(api, clinicId),
    payment: 'installments',
    installments: { count: 3, downPaymentPercent: 25 },
  });
  expect(res.status).toBe(201);
  const packageId = res.body.package.id as string;
  await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
  const scheduleId = await scheduleIdOf(api, packageId);
  if (opts.failed) {
    await api.deliver(stub().chargeNextInstallment(scheduleId, 'failed'));
    expect((await getPackage(packageId, clientId)).status).toBe('past_due');
  }
  return { clientId, packageId, scheduleId };
}

const getPackage = async (packageId: string, clientId: string) =>
  (await api.call('GET', `/v1/packages/${packageId}`, { as: asClient(clientId) })).body;

const newCard = (packageId: string, as = frontdesk(), headers?: Record<string, string>) =>
  api.call('POST', `/v1/packages/${packageId}/payment-method`, { as, body: {}, ...(headers ? { headers } : {}) });

describe('another card for a failed installment', () => {
  it('setup session → card saved → the failed installment paid with it, the package active; a redelivery changes nothing', async () => {
    const { clientId, packageId, scheduleId } = await installmentPackage({ failed: true });
    const res = await newCard(packageId, asClient(clientId));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      checkoutUrl: expect.stringMatching(/^http:\/\/localhost:3000\/v1\/dev\/checkout\/cs_/),
      checkoutSessionId: expect.any(String),
    });

    // what went to Stripe: setup mode on the plan's customer, the clinic's currency, the package id only
    const sent = reqs().find(
      (r) =>
        r.method === 'POST' && r.path === '/v1/checkout/sessions' && r.body.mode === 'setup' && r.body.metadata?.packageId === packageId,
    );
    const pkgBefore = await stored(packageId);
    expect(sent?.body).toMatchObject({
      mode: 'setup',
      currency: 'usd',
      customer: pkgBefore.stripe.customerId,
      metadata: { packageId },
      setup_intent_data: { metadata: { packageId } },
      success_url: `http://localhost:3000/packages/${packageId}?card=saved`,
      cancel_url: `http://localhost:3000/packages/${packageId}?card=cancelled`,
    });
    expect(Object.keys(sent!.body.metadata)).toEqual(['packageId']);
    expect(sent!.body.line_items).toBeUndefined();
    // nothing changes until Stripe says the card was saved
    expect((await getPackage(packageId, clientId)).status).toBe('past_due');

    const events = stub().completeCheckout(res.body.checkoutSessionId, 'paid');
    const delivered = await api.deliver(events);
    expect(delivered.map((d) => [d.type, d.status])).toEqual([
      ['checkout.session.completed', 200],
      ['invoice.paid', 200],
    ]);
    const pkg = await getPackage(packageId, clientId);
    expect(pkg.status).toBe('active');
    expect(pkg.schedule.installments.map((i: { status: string }) => i.status)).toEqual(['paid', 'scheduled', 'scheduled']);

    // the new card is the plan's: the customer's, the schedule's and the subscription's default
    const session = stub().retrieve(res.body.checkoutSessionId)!;
    const card = stub().retrieve(session.setup_intent as string)!.payment_method as string;
    expect((await stored(packageId)).stripe.paymentMethodId).toBe(card);
    expect(
      (stub().retrieve(pkgBefore.stripe.customerId!)!.invoice_settings as { default_payment_method: string }).default_payment_method,
    ).toBe(card);
    const schedule = stub().retrieve(scheduleId)!;
    expect((schedule.default_settings as { default_payment_method: string }).default_payment_method).toBe(card);
    expect(stub().retrieve(schedule.subscription as string)!.default_payment_method).toBe(card);
    const pays = () => reqs().filter((r) => r.method === 'POST' && /^\/v1\/invoices\/[^/]+\/pay$/.test(r.path));
    const paidBefore = pays().length;

    // Stripe delivering the same event again, or the same session under another event id: nothing more
    const again = await api.deliver(events);
    expect(again.map((d) => (d.body as { status: string }).status)).toEqual(['duplicate']);
    const copy: StripeEvent = { ...events[0]!, id: `${events[0]!.id}_copy` };
    expect((await api.deliver([copy]))[0]!.status).toBe(200);
    expect(pays()).toHaveLength(paidBefore);
    expect(await getPackage(packageId, clientId)).toEqual(pkg);

    // later installments are charged to the new card
    const next = await api.deliver(stub().chargeNextInstallment(scheduleId, 'paid'));
    expect(next[0]!.status).toBe(200);
    const lastInvoice = stub()
      .list('invoice')
      .filter((i) => (i.parent as any).subscription_details.metadata.packageId === packageId)
      .at(-1)!;
    const intent = stub()
      .list('payment_intent')
      .find(
        (i) =>
          i.id ===
          stub()
            .list('charge')
            .find((c) => c.amount === lastInvoice.amount_paid && c.payment_method === card)?.payment_intent,
      );
    expect(intent?.payment_method).toBe(card);

    // audited as the payment routes are: the request, and the webhook's change, on the package
    const actions = (await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin })).body.entries.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toContain('package.payment_method');
  });

  it('finance, the front desk and admin may open it for the client; the Canadian clinic in CAD', async () => {
    const { packageId } = await installmentPackage({ failed: true, clinicId: 'demo-tor' });
    for (const as of [frontdesk('demo-tor'), finance('demo-tor'), admin]) {
      const res = await newCard(packageId, as);
      expect(res.status).toBe(201);
      const sent = reqs().find(
        (r) => r.path === '/v1/checkout/sessions' && r.body.mode === 'setup' && r.body.metadata?.packageId === packageId,
      );
      expect(sent?.body.currency).toBe('cad');
    }
  });

  it('an active plan may change its card ahead: nothing is paid now (nothing is open)', async () => {
    const { clientId, packageId } = await installmentPackage();
    const res = await newCard(packageId, asClient(clientId));
    expect(res.status).toBe(201);
    const before = reqs().length;
    const delivered = await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
    expect(delivered.map((d) => d.type)).toEqual(['checkout.session.completed']);
    expect(
      reqs()
        .slice(before)
        .filter((r) => /\/pay$/.test(r.path)),
    ).toHaveLength(0);
    expect((await getPackage(packageId, clientId)).status).toBe('active');
  });

  it('409 for a package not paid in installments, not paid yet, or cancelled; a card saved after a cancel changes nothing', async () => {
    const clientId = await signUp(api);
    const full = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc'), payment: 'pay_in_full' });
    await api.deliver(stub().completeCheckout(full.body.checkoutSessionId, 'paid'));
    expect((await newCard(full.body.package.id)).status).toBe(409);

    const pending = await buyPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc'),
      payment: 'installments',
      installments: { count: 3, downPaymentPercent: 25 },
    });
    const refused = await newCard(pending.body.package.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');

    const { packageId } = await installmentPackage({ failed: true });
    const open = await newCard(packageId);
    expect(open.status).toBe(201);
    expect((await api.call('POST', `/v1/packages/${packageId}/cancel`, { as: finance(), body: {} })).status).toBe(200);
    expect((await newCard(packageId)).status).toBe(409);
    const before = reqs().length;
    const late = await api.deliver(stub().completeCheckout(open.body.checkoutSessionId, 'paid'));
    expect(late.map((d) => d.status)).toEqual([200]);
    expect(
      reqs()
        .slice(before)
        .filter((r) => r.method === 'POST'),
    ).toHaveLength(0);
    expect((await api.call('GET', `/v1/packages/${packageId}`, { as: finance() })).body.status).toBe('cancelled');
  });

  it('another client, a clinician, another clinic: refused; an unknown package: 404', async () => {
    const { packageId } = await installmentPackage({ failed: true });
    const other = await signUp(api);
    expect([403, 404]).toContain((await newCard(packageId, asClient(other))).status);
    expect((await newCard(packageId, clinician())).status).toBe(403);
    expect([403, 404]).toContain((await newCard(packageId, frontdesk('demo-tor'))).status);
    expect((await newCard('pkg_unknown')).status).toBe(404);
    expect((await api.call('POST', `/v1/packages/${packageId}/payment-method`, { body: {} })).status).toBe(401);
  });

  it('400 for each unknown or malformed field', async () => {
    const { packageId } = await installmentPackage({ failed: true });
    const extra = await api.call('POST', `/v1/packages/${packageId}/payment-method`, {
      as: frontdesk(),
      body: { card: '4242', amount: 5 },
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('validation_failed');
    expect(extra.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['amount', 'card']);
    const malformed = await api.call('POST', `/v1/packages/${packageId}/payment-method`, { as: frontdesk(), body: '{' });
    expect(malformed.status).toBe(400);
  });

  it('a setup session that expires or is declined changes nothing', async () => {
    const { clientId, packageId } = await installmentPackage({ failed: true });
    const a = await newCard(packageId, asClient(clientId));
    const declined = await api.deliver(stub().completeCheckout(a.body.checkoutSessionId, 'failed'));
    expect(declined.map((d) => [d.type, (d.body as { status: string }).status])).toEqual([['setup_intent.setup_failed', 'ignored']]);
    const expired = await api.deliver(stub().completeCheckout(a.body.checkoutSessionId, 'expired'));
    expect(expired.map((d) => d.status)).toEqual([200]);
    const pkg = await getPackage(packageId, clientId);
    expect(pkg.status).toBe('past_due');
  });

  it('parallel requests: the same key gives one session; different keys each their own, and completing all pays the invoice once', async () => {
    const { clientId, packageId } = await installmentPackage({ failed: true });
    const sessions = () =>
      reqs().filter((r) => r.path === '/v1/checkout/sessions' && r.body.mode === 'setup' && r.body.metadata?.packageId === packageId);
    const same = await Promise.all([1, 2, 3].map(() => newCard(packageId, asClient(clientId), { 'Idempotency-Key': `card-${packageId}` })));
    const made = same.filter((r) => r.status === 201);
    expect(made.length).toBeGreaterThan(0);
    expect(same.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(new Set(made.map((r) => r.body.checkoutSessionId)).size).toBe(1);
    expect(sessions()).toHaveLength(1);

    const different = await Promise.all(
      [1, 2, 3].map((n) => newCard(packageId, asClient(clientId), { 'Idempotency-Key': `card-${packageId}-${n}` })),
    );
    expect(different.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(different.map((r) => r.body.checkoutSessionId)).size).toBe(3);
    const before = reqs().length;
    for (const r of different) await api.deliver(stub().completeCheckout(r.body.checkoutSessionId, 'paid'));
    expect(
      reqs()
        .slice(before)
        .filter((r) => r.method === 'POST' && /\/pay$/.test(r.path)),
    ).toHaveLength(1);
    const pkg = await getPackage(packageId, clientId);
    expect(pkg.status).toBe('active');
    expect(pkg.payments.filter((p: { kind: string; status: string }) => p.kind === 'installment' && p.status === 'succeeded')).toHaveLength(
      1,
    );
  });
});

describe('Stripe failing', () => {
  it('a Checkout outage answers 503 payment_unavailable and the same request later succeeds', async () => {
    const { packageId } = await installmentPackage({ failed: true });
    stub().injectFailure({
      status: 503,
      error: { type: 'api_error', message: 'down' },
      times: ATTEMPTS,
      method: 'POST',
      path: '/v1/checkout/sessions',
    });
    const headers = { 'Idempotency-Key': `outage-${packageId}` };
    const failed = await newCard(packageId, frontdesk(), headers);
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('payment_unavailable');
    expect(failed.headers['retry-after']).toBe('2');
    expect((await newCard(packageId, frontdesk(), headers)).status).toBe(201);
  });

  it('paying the invoice fails at Stripe: the webhook answers 503, and the redelivery finishes the job', async () => {
    const { clientId, packageId } = await installmentPackage({ failed: true });
    const res = await newCard(packageId, asClient(clientId));
    const events = stub().completeCheckout(res.body.checkoutSessionId, 'paid');
    stub().injectFailure({
      status: 500,
      error: { type: 'api_error', message: 'down' },
      times: ATTEMPTS,
      method: 'POST',
      path: /^\/v1\/invoices\/[^/]+\/pay$/,
    });
    const first = await api.deliver(events);
    expect(first.map((d) => d.status)).toEqual([503]);
    expect((await getPackage(packageId, clientId)).status).toBe('past_due');
    const second = await api.deliver(events);
    expect(second.map((d) => [d.type, d.status])).toEqual([
      ['checkout.session.completed', 200],
      ['invoice.paid', 200],
    ]);
    expect((await getPackage(packageId, clientId)).status).toBe('active');
  });

  it("the new card is declined too: the card is kept as the plan's, the package stays past due", async () => {
    const { clientId, packageId } = await installmentPackage({ failed: true });
    const res = await newCard(packageId, asClient(clientId));
    stub().injectFailure({
      status: 402,
      error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      },
      method: 'POST',
      path: /^\/v1\/invoices\/[^/]+\/pay$/,
    });
    const delivered = await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
    expect(delivered.map((d) => d.status)).toEqual([200]);
    expect((await getPackage(packageId, clientId)).status).toBe('past_due');
    const session = stub().retrieve(res.body.checkoutSessionId)!;
    expect((await stored(packageId)).stripe.paymentMethodId).toBe(stub().retrieve(session.setup_intent as string)!.payment_method);
  });
});
