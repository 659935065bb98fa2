// StripeGateway through the real `stripe` SDK, its HTTP answered by the local Stripe stub: what is
// sent for each payment mode, installment schedules, refunds, error mapping, webhook verification,
// and the shape of the events the stub makes (the fields the webhook handler reads).
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError, PaymentUnavailableError, ServiceUnavailableError } from '#domain/errors.ts';
import { InvalidSignatureError, PaymentDeclinedError, PaymentGatewayError, type CheckoutRequest } from '#adapters/payment-gateway.ts';
import {
  STRIPE_API_VERSION,
  STRIPE_MAX_NETWORK_RETRIES,
  STRIPE_TIMEOUT_MS,
  StripeGateway,
  CHECKOUT_EXPIRY_STEP_SECONDS,
  addMonthsUtc,
  installmentNumber,
  installmentPhases,
  shortLivedCheckout,
} from '#adapters/stripe-gateway.ts';
import {
  decodeForm,
  signEvent,
  startStripeStub,
  type RecordedRequest,
  type StripeEvent,
  type StripeObject,
  type StripeStub,
} from '#infra/local/stripe-stub.ts';

const SECRET_KEY = 'sk_test_local_stub';
const WEBHOOK_SECRET = 'whsec_local_test_secret';
const CHECKOUT_BASE = 'http://127.0.0.1:3000/v1/dev/checkout';

/** A test client: none of this may reach Stripe. */
const CLIENT = {
  id: 'cli_7f3a9c',
  givenName: 'Avery',
  familyName: 'Quinlan',
  dateOfBirth: '1984-03-07',
  phone: '+15555550123',
  phoneNational: '(555) 555-0123',
};
const FORBIDDEN = [
  /ketamine/i,
  /esketamine/i,
  /spravato/i,
  /psychedelic/i,
  /psilocybin/i,
  /mdma/i,
  /psychotherap/i,
  /therap/i,
  /treatment/i,
  /diagnos/i,
  /depress/i,
  /ptsd/i,
  /anxiety/i,
  /infusion/i,
  /\bdos(e|ing)\b/i,
  /exploration/i,
  /medical/i,
  /patient/i,
  new RegExp(CLIENT.givenName, 'i'),
  new RegExp(CLIENT.familyName, 'i'),
  new RegExp(CLIENT.dateOfBirth),
  /1984/,
  /5555550123/,
  /555-0123/,
];

let stub: StripeStub;
let gateway: StripeGateway;

beforeAll(async () => {
  stub = await startStripeStub({ checkoutBaseUrl: CHECKOUT_BASE });
  gateway = new StripeGateway({
    secretKey: SECRET_KEY,
    webhookSecret: WEBHOOK_SECRET,
    host: stub.host,
    port: stub.port,
    protocol: 'http',
  });
});

afterAll(async () => {
  await stub?.close();
});

let seq = 0;
const uniq = (p: string): string => `${p}_${Date.now().toString(36)}_${++seq}`;

function checkoutRequest(over: Partial<Omit<CheckoutRequest, 'packageId' | 'invoiceId'>> = {}): CheckoutRequest & { packageId: string } {
  const packageId = uniq('pkg');
  return {
    packageId,
    clinicId: 'demo-nyc',
    clientId: CLIENT.id,
    methods: ['card'],
    currency: 'USD',
    amount: 180_000,
    description: 'Care program 4 - standard support',
    saveCard: false,
    successUrl: `https://app.example/packages/${packageId}?paid=1`,
    cancelUrl: `https://app.example/packages/${packageId}?cancelled=1`,
    idempotencyKey: uniq('idem'),
    ...over,
  };
}

/** Requests the stub received while `fn` ran. */
async function captured<T>(fn: () => Promise<T>): Promise<{ result: T; sent: RecordedRequest[] }> {
  const from = stub.requests.length;
  const result = await fn();
  return { result, sent: stub.requests.slice(from) };
}

const only = (sent: RecordedRequest[], method: string, path: string): RecordedRequest => {
  const found = sent.filter((r) => r.method === method && r.path === path);
  expect(found, `${method} ${path}`).toHaveLength(1);
  return found[0]!;
};

const obj = (v: unknown): StripeObject => v as StripeObject;

/** A paid checkout through the stub: the customer, the payment intent and the saved card exist afterwards. */
async function paidCheckout(over: Partial<CheckoutRequest> = {}) {
  const req = checkoutRequest(over);
  const session = await gateway.createCheckout(req);
  const [completed] = stub.completeCheckout(session.id, 'paid');
  return { req, session, event: completed!, object: completed!.data.object };
}

/**
 * A stub and a gateway of their own whose time (Stripe's and the gateway's) is `clock.t`, epoch
 * ms, for tests that move it; close `clockStub` when done.
 */
async function withClock(start: number) {
  const clock = { t: start };
  const clockStub = await startStripeStub({ checkoutBaseUrl: CHECKOUT_BASE, now: () => clock.t });
  const g = new StripeGateway({
    secretKey: SECRET_KEY,
    webhookSecret: WEBHOOK_SECRET,
    host: clockStub.host,
    port: clockStub.port,
    protocol: 'http',
    now: () => clock.t,
  });
  return { clock, clockStub, g };
}

describe('createCheckout', () => {
  it('pay in full: card only, payment mode, amount and neutral text, opaque metadata, idempotency key', async () => {
    const req = checkoutRequest();
    const { result, sent } = await captured(() => gateway.createCheckout(req));
    expect(result.id).toMatch(/^cs_test_/);
    expect(result.url).toBe(`${CHECKOUT_BASE}/${result.id}`);

    const call = only(sent, 'POST', '/v1/checkout/sessions');
    expect(sent).toHaveLength(1);
    expect(call.headers['idempotency-key']).toBe(req.idempotencyKey);
    expect(call.headers['stripe-version']).toBe(STRIPE_API_VERSION);
    expect(call.body).toEqual({
      mode: 'payment',
      line_items: [
        {
          quantity: '1',
          price_data: {
            currency: 'usd',
            unit_amount: '180000',
            product_data: { name: 'Care program 4 - standard support' },
          },
        },
      ],
      allowed_payment_method_types: ['card'],
      customer_creation: 'always',
      client_reference_id: req.packageId,
      metadata: { packageId: req.packageId, clinicId: 'demo-nyc', clientId: CLIENT.id },
      payment_intent_data: { metadata: { packageId: req.packageId } },
      submit_type: 'pay',
      success_url: req.successUrl,
      cancel_url: req.cancelUrl,
    });
    expect(call.rawBody).not.toMatch(/setup_future_usage|(^|&)payment_method_types/);
  });

  it('bnpl: the lender methods, lower-case currency, no card saved', async () => {
    const req = checkoutRequest({ methods: ['affirm', 'klarna'], currency: 'CAD', amount: 265_000 });
    const { sent } = await captured(() => gateway.createCheckout(req));
    const call = only(sent, 'POST', '/v1/checkout/sessions');
    expect(call.body.allowed_payment_method_types).toEqual(['affirm', 'klarna']);
    expect(obj(obj((call.body.line_items as unknown[])[0]).price_data)).toMatchObject({ currency: 'cad', unit_amount: '265000' });
    expect(obj(call.body.payment_intent_data).setup_future_usage).toBeUndefined();
  });

  it('installments: the down payment by card, kept for off-session charges', async () => {
    const req = checkoutRequest({ amount: 36_000, saveCard: true, customerEmail: 'client@example.test' });
    const { sent } = await captured(() => gateway.createCheckout(req));
    const call = only(sent, 'POST', '/v1/checkout/sessions');
    expect(call.body.allowed_payment_method_types).toEqual(['card']);
    expect(call.body.customer_email).toBe('client@example.test');
    expect(call.body.payment_intent_data).toEqual({
      metadata: { packageId: req.packageId },
      setup_future_usage: 'off_session',
    });
  });

  it('rejects a saved card with a lender method, and a non-positive amount, before calling Stripe', async () => {
    const { sent } = await captured(async () => {
      await expect(gateway.createCheckout(checkoutRequest({ methods: ['affirm'], saveCard: true }))).rejects.toThrow(RangeError);
      await expect(gateway.createCheckout(checkoutRequest({ amount: 0 }))).rejects.toThrow(RangeError);
      await expect(gateway.createCheckout(checkoutRequest({ amount: 10.5 }))).rejects.toThrow(RangeError);
    });
    expect(sent).toHaveLength(0);
  });

  it('short-lived (an invoice): expires 60-90 minutes on, the same session within its half hour, a new one after; paying it late is refused', async () => {
    const { clock, clockStub, g } = await withClock(Date.UTC(2026, 11, 3, 15, 0, 10)); // 10 s into a half hour
    try {
      const req = checkoutRequest({ shortLived: true });
      const step = Math.floor(clock.t / 1000 / CHECKOUT_EXPIRY_STEP_SECONDS);
      const first = await g.createCheckout(req);
      const sent = clockStub.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
      expect(sent.body.expires_at).toBe(String((step + 3) * CHECKOUT_EXPIRY_STEP_SECONDS));
      expect(sent.headers['idempotency-key']).toBe(`${req.idempotencyKey}:w${step}`);
      expect(clockStub.retrieve(first.id)).toMatchObject({ status: 'open', expires_at: clock.t / 1000 - 10 + 90 * 60 });

      clock.t += 29 * 60 * 1000; // same half hour: Stripe replays the same session
      expect(await g.createCheckout(req)).toEqual(first);
      clock.t += 60 * 1000; // the next half hour: a new session, under a new key
      const second = await g.createCheckout(req);
      expect(second.id).not.toBe(first.id);

      clock.t = Date.UTC(2026, 11, 3, 16, 30, 10); // past the first session's expiry: it cannot be paid any more
      expect(clockStub.retrieve(first.id)).toMatchObject({ status: 'expired' });
      expect(() => clockStub.completeCheckout(first.id, 'paid')).toThrow(/expired, not open/);
      expect(clockStub.completeCheckout(second.id, 'paid')[0]!.type).toBe('checkout.session.completed');
    } finally {
      await clockStub.close();
    }
  });

  it('every session that expires makes one checkout.session.expired, whatever expired it, handed out once', async () => {
    const { clock, clockStub, g } = await withClock(Date.UTC(2026, 11, 3, 15, 0, 0));
    try {
      const lapsing = await g.createCheckout(checkoutRequest()); // Stripe's default: 24 h
      const looked = await g.createCheckout(checkoutRequest());
      const closed = await g.createCheckout(checkoutRequest());
      const onPage = await g.createCheckout(checkoutRequest());
      const paid = await g.createCheckout(checkoutRequest());
      expect(clockStub.takeExpiryEvents()).toEqual([]); // nothing due yet
      expect(await g.expireCheckout(closed.id)).toBe('expired');
      expect(clockStub.completeCheckout(onPage.id, 'expired').map((e) => e.type)).toEqual(['checkout.session.expired']);
      clockStub.completeCheckout(paid.id, 'paid');

      const expiresAt = clock.t / 1000 + 24 * 3600;
      clock.t += 25 * 3600 * 1000;
      expect(clockStub.retrieve(looked.id)).toMatchObject({ status: 'expired' }); // noticed on a read: its event still goes
      const events = clockStub.takeExpiryEvents();
      // the closed one first, the other two dated when their time passed; the page's was handed out already, the paid one never expires
      expect(events.map((e) => [e.type, e.data.object.id, e.data.object.status, e.created])).toEqual([
        ['checkout.session.expired', closed.id, 'expired', Date.UTC(2026, 11, 3, 15, 0, 0) / 1000],
        ['checkout.session.expired', looked.id, 'expired', expiresAt],
        ['checkout.session.expired', lapsing.id, 'expired', expiresAt],
      ]);
      expect(clockStub.takeExpiryEvents()).toEqual([]); // once
      expect(() => clockStub.completeCheckout(lapsing.id, 'paid')).toThrow(/expired, not open/);
      expect(clockStub.takeExpiryEvents()).toEqual([]);
    } finally {
      await clockStub.close();
    }
  });

  it('a short-lived expiry is 60 to 90 minutes away (Stripe allows 30 minutes to 24 hours) and fixed by its half hour', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }), (nowMs) => {
        const { expiresAt, idempotencyKey } = shortLivedCheckout(nowMs, 'k');
        const ahead = expiresAt - nowMs / 1000;
        expect(ahead).toBeGreaterThan(60 * 60 - 0.001);
        expect(ahead).toBeLessThanOrEqual(90 * 60);
        const start = Math.floor(nowMs / 1000 / CHECKOUT_EXPIRY_STEP_SECONDS) * CHECKOUT_EXPIRY_STEP_SECONDS * 1000;
        expect(shortLivedCheckout(start, 'k')).toEqual({ expiresAt, idempotencyKey });
      }),
    );
  });

  it('expireCheckout closes an open session (then it cannot be paid); one already expired or paid is left as it is', async () => {
    const open = await gateway.createCheckout(checkoutRequest());
    expect(await gateway.expireCheckout(open.id)).toBe('expired');
    expect(stub.retrieve(open.id)).toMatchObject({ status: 'expired' });
    expect(await gateway.expireCheckout(open.id)).toBe('not_open');
    expect(() => stub.completeCheckout(open.id, 'paid')).toThrow(/expired, not open/);
    const { session } = await paidCheckout();
    expect(await gateway.expireCheckout(session.id)).toBe('not_open');
    expect(stub.retrieve(session.id)).toMatchObject({ status: 'complete' });
  });

  it('the same idempotency key gives back the same session (a retried purchase makes no second one)', async () => {
    const req = checkoutRequest();
    const first = await gateway.createCheckout(req);
    const again = await gateway.createCheckout(req);
    expect(again).toEqual(first);
  });
});

describe('bnplMethods', () => {
  it('Affirm for US/USD and CA/CAD, Klarna for US/USD, nothing across borders', () => {
    expect(gateway.bnplMethods('US', 'USD')).toEqual(['affirm', 'klarna']);
    expect(gateway.bnplMethods('CA', 'CAD')).toEqual(['affirm']);
    expect(gateway.bnplMethods('US', 'CAD')).toEqual([]);
    expect(gateway.bnplMethods('CA', 'USD')).toEqual([]);
  });
});

describe('installmentPhases', () => {
  it('groups equal consecutive amounts: n equal → one phase; a different first → 1 + (n − 1)', () => {
    expect(installmentPhases([30_000, 30_000, 30_000])).toEqual([{ amount: 30_000, months: 3 }]);
    expect(installmentPhases([30_002, 30_000, 30_000])).toEqual([
      { amount: 30_002, months: 1 },
      { amount: 30_000, months: 2 },
    ]);
    expect(installmentPhases([5_000])).toEqual([{ amount: 5_000, months: 1 }]);
  });

  it('property: durations add up to the count and amounts to the total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 24 }), (total, count) => {
        const base = Math.floor(total / count);
        const amounts = [base + (total - base * count), ...Array.from({ length: count - 1 }, () => base)];
        const phases = installmentPhases(amounts);
        expect(phases.reduce((s, p) => s + p.months, 0)).toBe(count);
        expect(phases.reduce((s, p) => s + p.amount * p.months, 0)).toBe(total);
        expect(phases.length).toBeLessThanOrEqual(2);
      }),
    );
  });
});

describe('addMonthsUtc / installmentNumber', () => {
  it('keeps the anchor day and clamps to short months, like Stripe monthly billing', () => {
    const jan31 = Date.UTC(2027, 0, 31, 15, 0, 0) / 1000;
    expect(new Date(addMonthsUtc(jan31, 1) * 1000).toISOString()).toBe('2027-02-28T15:00:00.000Z');
    expect(new Date(addMonthsUtc(jan31, 2) * 1000).toISOString()).toBe('2027-03-31T15:00:00.000Z');
    expect(new Date(addMonthsUtc(jan31, 13) * 1000).toISOString()).toBe('2028-02-29T15:00:00.000Z');
  });

  it('maps each period start back to its installment number', () => {
    for (const start of [Date.UTC(2027, 0, 31, 15) / 1000, Date.UTC(2026, 11, 15, 17, 30) / 1000]) {
      for (let k = 0; k < 24; k++) expect(installmentNumber(start, addMonthsUtc(start, k))).toBe(k + 1);
      expect(installmentNumber(start, start - 1)).toBe(0);
    }
  });
});

describe('scheduleInstallments', () => {
  async function plan(amounts: number[]) {
    const { req, session } = await paidCheckout({ saveCard: true, amount: 40_000 });
    const payment = await gateway.retrieveCheckoutPayment(session.id);
    const startAt = Date.UTC(2027, 0, 15, 17, 0, 0) / 1000;
    const idempotencyKey = uniq('sched');
    const { result, sent } = await captured(() =>
      gateway.scheduleInstallments({
        packageId: req.packageId,
        customerId: payment.customerId!,
        paymentMethodId: payment.paymentMethodId!,
        currency: 'USD',
        description: req.description,
        amounts,
        startAt,
        idempotencyKey,
      }),
    );
    return { req, payment, startAt, idempotencyKey, scheduleId: result.scheduleId, sent };
  }

  it('equal amounts: one product, one phase of n months with the amount, no iterations', async () => {
    const { req, payment, startAt, idempotencyKey, scheduleId, sent } = await plan([30_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
    expect(scheduleId).toMatch(/^sub_sched_/);
    expect(sent).toHaveLength(2);
    const product = only(sent, 'POST', '/v1/products');
    expect(product.body).toEqual({ name: 'Care program 4 - standard support' });
    const create = only(sent, 'POST', '/v1/subscription_schedules');
    expect(product.headers['idempotency-key']).toBe(`${idempotencyKey}:product`);
    expect(create.headers['idempotency-key']).toBe(`${idempotencyKey}:schedule`);
    expect(create.rawBody).not.toMatch(/iterations/);
    expect(create.body).toMatchObject({
      customer: payment.customerId,
      start_date: String(startAt),
      end_behavior: 'cancel',
      default_settings: { collection_method: 'charge_automatically', default_payment_method: payment.paymentMethodId },
      metadata: { packageId: req.packageId },
    });
    const phases = create.body.phases as StripeObject[];
    expect(phases).toHaveLength(1);
    expect(phases[0]).toMatchObject({
      duration: { interval: 'month', interval_count: '6' },
      metadata: { packageId: req.packageId },
      items: [{ quantity: '1', price_data: { currency: 'usd', unit_amount: '30000', recurring: { interval: 'month' } } }],
    });
    const priceData = obj(obj((phases[0]!.items as unknown[])[0]).price_data);
    expect(String(priceData.product)).toMatch(/^prod_/);

    const schedule = stub.retrieve(scheduleId)!;
    expect(schedule.status).toBe('not_started');
    expect((schedule.phases as StripeObject[]).at(-1)!.end_date).toBe(addMonthsUtc(startAt, 6));
  });

  it('a different first amount: 1 month of it, then n − 1 months of the rest; durations and amounts add up', async () => {
    const amounts = [30_004, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000];
    const { sent } = await plan(amounts);
    const phases = only(sent, 'POST', '/v1/subscription_schedules').body.phases as StripeObject[];
    expect(phases).toHaveLength(2);
    const summary = phases.map((p) => ({
      months: Number(obj(p.duration).interval_count),
      amount: Number(obj(obj((p.items as unknown[])[0]).price_data).unit_amount),
    }));
    expect(summary).toEqual([
      { months: 1, amount: 30_004 },
      { months: 11, amount: 30_000 },
    ]);
    expect(summary.reduce((s, p) => s + p.months, 0)).toBe(amounts.length);
    expect(summary.reduce((s, p) => s + p.months * p.amount, 0)).toBe(amounts.reduce((a, b) => a + b, 0));
    for (const p of phases) expect(Object.keys(p)).not.toContain('iterations');
  });

  it('a retried call with the same key creates nothing new', async () => {
    const { req, payment, startAt, idempotencyKey, scheduleId } = await plan([10_000, 10_000]);
    const again = await gateway.scheduleInstallments({
      packageId: req.packageId,
      customerId: payment.customerId!,
      paymentMethodId: payment.paymentMethodId!,
      currency: 'USD',
      description: req.description,
      amounts: [10_000, 10_000],
      startAt,
      idempotencyKey,
    });
    expect(again.scheduleId).toBe(scheduleId);
  });

  it('charges: invoice.paid / invoice.payment_failed carry what the handler reads; a failure is retried; nothing after the last', async () => {
    const amounts = [33_334, 33_333, 33_333];
    const { req, payment, startAt, scheduleId } = await plan(amounts);

    const [first] = stub.chargeNextInstallment(scheduleId, 'paid');
    expect(first!.type).toBe('invoice.paid');
    const inv1 = first!.data.object;
    expect(inv1).toMatchObject({
      object: 'invoice',
      status: 'paid',
      amount_paid: 33_334,
      amount_due: 33_334,
      amount_remaining: 0,
      currency: 'usd',
      customer: payment.customerId,
      attempt_count: 1,
      billing_reason: 'subscription_create',
      parent: { type: 'subscription_details', subscription_details: { metadata: { packageId: req.packageId } } },
    });
    expect(inv1).not.toHaveProperty('payments');
    expect(inv1).not.toHaveProperty('payment_intent');
    const line1 = obj((obj(inv1.lines).data as unknown[])[0]);
    expect(installmentNumber(startAt, obj(line1.period).start as number)).toBe(1);

    const [failed] = stub.chargeNextInstallment(scheduleId, 'failed');
    expect(failed!.type).toBe('invoice.payment_failed');
    const inv2 = failed!.data.object;
    expect(inv2).toMatchObject({
      status: 'open',
      amount_paid: 0,
      amount_due: 33_333,
      attempt_count: 1,
      billing_reason: 'subscription_cycle',
    });
    expect(typeof inv2.next_payment_attempt).toBe('number');
    const period2 = obj(obj((obj(inv2.lines).data as unknown[])[0]).period).start as number;
    expect(installmentNumber(startAt, period2)).toBe(2);
    expect(obj(obj(inv2.parent).subscription_details).metadata).toEqual({ packageId: req.packageId });

    const [retried] = stub.chargeNextInstallment(scheduleId, 'paid');
    expect(retried!.type).toBe('invoice.paid');
    expect(retried!.data.object).toMatchObject({ id: inv2.id, attempt_count: 2, amount_paid: 33_333 });
    expect(retried!.id).not.toBe(failed!.id);

    const [third] = stub.chargeNextInstallment(scheduleId, 'paid');
    const period3 = obj(obj((obj(third!.data.object.lines).data as unknown[])[0]).period).start as number;
    expect(installmentNumber(startAt, period3)).toBe(3);

    expect(() => stub.chargeNextInstallment(scheduleId, 'paid')).toThrow(/paid/);
    const total = [inv1, retried!.data.object, third!.data.object].reduce((s, i) => s + (i.amount_paid as number), 0);
    expect(total).toBe(amounts.reduce((a, b) => a + b, 0));

    // The paying intent is read back for refunds.
    const pi = await gateway.invoicePaymentIntent(inv2.id as string);
    expect(pi).toMatch(/^pi_/);
    expect(stub.retrieve(pi!)).toMatchObject({ status: 'succeeded', amount: 33_333 });
  });

  it('cancel stops further charges; cancelling again (any key) is still a success', async () => {
    const { scheduleId } = await plan([20_000, 20_000, 20_000]);
    stub.chargeNextInstallment(scheduleId, 'paid');
    const key = uniq('cancel');
    const { sent } = await captured(() => gateway.cancelInstallments(scheduleId, key));
    const call = only(sent, 'POST', `/v1/subscription_schedules/${scheduleId}/cancel`);
    expect(call.headers['idempotency-key']).toBe(key);
    expect(call.body).toEqual({ invoice_now: 'false', prorate: 'false' });
    expect(stub.retrieve(scheduleId)!.status).toBe('canceled');
    expect(() => stub.chargeNextInstallment(scheduleId, 'paid')).toThrow(/canceled/);
    await expect(gateway.cancelInstallments(scheduleId, key)).resolves.toBeUndefined();
    await expect(gateway.cancelInstallments(scheduleId, uniq('cancel'))).resolves.toBeUndefined();
  });

  it('a card not attached to the customer is refused by "Stripe" (mapped to PaymentGatewayError)', async () => {
    const { payment } = await plan([10_000]);
    const other = await paidCheckout({ saveCard: true });
    const otherPayment = await gateway.retrieveCheckoutPayment(other.session.id);
    await expect(
      gateway.scheduleInstallments({
        packageId: 'pkg_x',
        customerId: payment.customerId!,
        paymentMethodId: otherPayment.paymentMethodId!,
        currency: 'USD',
        description: 'Care program 4 - standard support',
        amounts: [10_000],
        startAt: Date.UTC(2027, 0, 1) / 1000,
        idempotencyKey: uniq('sched'),
      }),
    ).rejects.toBeInstanceOf(PaymentGatewayError);
  });
});

describe('refund', () => {
  it('refunds part of a payment intent with the package id and the idempotency key', async () => {
    const { req, object } = await paidCheckout();
    const paymentIntentId = object.payment_intent as string;
    const key = uniq('refund');
    const { result, sent } = await captured(() =>
      gateway.refund({ packageId: req.packageId, paymentIntentId, amount: 45_000, idempotencyKey: key }),
    );
    expect(result.refundId).toMatch(/^re_/);
    expect(result.status).toBe('succeeded');
    const call = only(sent, 'POST', '/v1/refunds');
    expect(call.headers['idempotency-key']).toBe(key);
    expect(call.body).toEqual({
      payment_intent: paymentIntentId,
      amount: '45000',
      reason: 'requested_by_customer',
      metadata: { packageId: req.packageId },
    });
    // Replayed, not refunded twice.
    const again = await gateway.refund({ packageId: req.packageId, paymentIntentId, amount: 45_000, idempotencyKey: key });
    expect(again.refundId).toBe(result.refundId);

    const events = stub.refundEvents(result.refundId);
    expect(events.map((e) => e.type)).toEqual(['charge.refunded', 'refund.updated']);
    expect(events[0]!.data.object).toMatchObject({
      object: 'charge',
      payment_intent: paymentIntentId,
      amount_refunded: 45_000,
      refunded: false,
      metadata: { packageId: req.packageId },
    });
    expect(events[1]!.data.object).toMatchObject({
      object: 'refund',
      id: result.refundId,
      status: 'succeeded',
      amount: 45_000,
      currency: 'usd',
      payment_intent: paymentIntentId,
      metadata: { packageId: req.packageId },
    });
  });

  it('more than is left to refund is refused (PaymentGatewayError: a 500, not a 503); a failed refund gives the money back on the charge', async () => {
    const { req, object } = await paidCheckout({ amount: 50_000 });
    const pi = object.payment_intent as string;
    const err = await gateway
      .refund({ packageId: req.packageId, paymentIntentId: pi, amount: 50_001, idempotencyKey: uniq('r') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentGatewayError);
    expect(err).not.toBeInstanceOf(AppError);
    expect((err as PaymentGatewayError).details).toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'amount_too_large',
      statusCode: 400,
    });

    const { refundId } = await gateway.refund({ packageId: req.packageId, paymentIntentId: pi, amount: 50_000, idempotencyKey: uniq('r') });
    const failed = stub.refundEvents(refundId, 'failed');
    expect(failed.map((e) => e.type)).toEqual(['refund.updated', 'refund.failed']);
    expect(failed[1]!.data.object).toMatchObject({
      status: 'failed',
      failure_reason: 'expired_or_canceled_card',
      metadata: { packageId: req.packageId },
    });
  });
});

describe('errors', () => {
  it('a card error becomes PaymentDeclinedError with the codes', async () => {
    stub.injectFailure({
      status: 402,
      method: 'POST',
      path: '/v1/checkout/sessions',
      error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      },
    });
    const err = await gateway.createCheckout(checkoutRequest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentDeclinedError);
    expect(err).toMatchObject({ code: 'card_declined', declineCode: 'insufficient_funds' });
  });

  it('a 5xx is retried by the SDK with the same idempotency key, then succeeds', async () => {
    stub.injectFailure({ status: 500, method: 'POST', path: '/v1/checkout/sessions', error: { type: 'api_error', message: 'boom' } });
    const req = checkoutRequest();
    const { result, sent } = await captured(() => gateway.createCheckout(req));
    expect(result.id).toMatch(/^cs_test_/);
    expect(sent).toHaveLength(2);
    expect(sent.map((r) => r.headers['idempotency-key'])).toEqual([req.idempotencyKey, req.idempotencyKey]);
  });

  it('after a 5xx on every attempt it gives up: PaymentUnavailableError, a 503 payment_unavailable', async () => {
    const attempts = STRIPE_MAX_NETWORK_RETRIES + 1;
    stub.injectFailure({
      status: 503,
      times: attempts,
      path: '/v1/checkout/sessions',
      error: { type: 'api_error', message: 'unavailable' },
    });
    const { result, sent } = await captured(() => gateway.createCheckout(checkoutRequest()).catch((e: unknown) => e));
    expect(sent).toHaveLength(attempts);
    expect(result).toBeInstanceOf(PaymentUnavailableError);
    expect(result).toBeInstanceOf(ServiceUnavailableError); // so the router adds Retry-After
    expect(result).toMatchObject({ status: 503, code: 'payment_unavailable' });
    // Stripe's own words stay out of what the API shows, kept for the logs only
    expect((result as Error).message).toBe(new PaymentUnavailableError().message);
    expect(((result as Error).cause as PaymentGatewayError).details).toMatchObject({ type: 'StripeAPIError', statusCode: 503 });
  });

  it('rate limiting (429) is not retried by the SDK and is a PaymentUnavailableError', async () => {
    stub.injectFailure({
      status: 429,
      path: '/v1/refunds',
      error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' },
    });
    const { object, req } = await paidCheckout();
    const { result, sent } = await captured(() =>
      gateway
        .refund({ packageId: req.packageId, paymentIntentId: object.payment_intent as string, amount: 1_000, idempotencyKey: uniq('r') })
        .catch((e: unknown) => e),
    );
    expect(sent).toHaveLength(1);
    expect(result).toBeInstanceOf(PaymentUnavailableError);
    expect(((result as Error).cause as PaymentGatewayError).details.type).toBe('StripeRateLimitError');
  });

  it('a connection lost on every attempt is a PaymentUnavailableError (StripeConnectionError)', async () => {
    stub.injectFailure({ drop: 'before', times: STRIPE_MAX_NETWORK_RETRIES + 1, method: 'POST', path: '/v1/checkout/sessions' });
    const req = checkoutRequest();
    const { result, sent } = await captured(() => gateway.createCheckout(req).catch((e: unknown) => e));
    expect(sent).toHaveLength(STRIPE_MAX_NETWORK_RETRIES + 1);
    expect(result).toBeInstanceOf(PaymentUnavailableError);
    expect(((result as Error).cause as PaymentGatewayError).details.type).toBe('StripeConnectionError');
    expect(stub.list('checkout.session').filter((o) => obj(o.metadata).packageId === req.packageId)).toHaveLength(0);
  });

  it('an answer lost after Stripe refunded: the SDK retries with the same key and Stripe replays it — one refund', async () => {
    const { req, object } = await paidCheckout({ amount: 40_000 });
    const pi = object.payment_intent as string;
    stub.injectFailure({ drop: 'after', method: 'POST', path: '/v1/refunds' });
    const key = uniq('r');
    const { result, sent } = await captured(() =>
      gateway.refund({ packageId: req.packageId, paymentIntentId: pi, amount: 40_000, idempotencyKey: key }),
    );
    expect(sent.map((r) => r.headers['idempotency-key'])).toEqual([key, key]);
    const refunds = stub.list('refund').filter((r) => r.payment_intent === pi);
    expect(refunds.map((r) => r.id)).toEqual([result.refundId]);
  });

  it('no answer within the timeout is a PaymentUnavailableError', async () => {
    // a server that accepts connections and never answers
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const slow = new StripeGateway({
        secretKey: SECRET_KEY,
        webhookSecret: WEBHOOK_SECRET,
        host: '127.0.0.1',
        port: (silent.address() as AddressInfo).port,
        protocol: 'http',
        timeoutMs: 150,
        maxNetworkRetries: 0,
      });
      const err = await slow.createCheckout(checkoutRequest()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PaymentUnavailableError);
      expect(((err as Error).cause as PaymentGatewayError).details.type).toBe('StripeConnectionError');
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a wrong API key (401) or an idempotency key reused with other parameters is our fault: PaymentGatewayError, not a 503', async () => {
    const wrongKey = new StripeGateway({
      secretKey: 'not_a_key',
      webhookSecret: WEBHOOK_SECRET,
      host: stub.host,
      port: stub.port,
      protocol: 'http',
    });
    const auth = await wrongKey.createCheckout(checkoutRequest()).catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(PaymentGatewayError);
    expect((auth as PaymentGatewayError).details).toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });

    const req = checkoutRequest();
    await gateway.createCheckout(req);
    const reused = await gateway.createCheckout({ ...req, amount: req.amount + 1 }).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(PaymentGatewayError);
    expect(reused).not.toBeInstanceOf(AppError);
    expect((reused as PaymentGatewayError).details.type).toBe('StripeIdempotencyError');
  });

  it('one Stripe call (every attempt and the backoff between) fits well inside the payments function’s 10 s', () => {
    const firstBackoffMs = 500; // the SDK's initial network retry delay
    const worst = (STRIPE_MAX_NETWORK_RETRIES + 1) * STRIPE_TIMEOUT_MS + STRIPE_MAX_NETWORK_RETRIES * firstBackoffMs * 2;
    expect(worst).toBeLessThanOrEqual(7_500);
  });

  it('the stub answers unknown paths and removed parameters the way Stripe does', async () => {
    const auth = { authorization: `Bearer ${SECRET_KEY}` };
    const notFound = await fetch(`${stub.url}/v1/nothing_here`, { headers: auth });
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');

    const removed = await fetch(`${stub.url}/v1/checkout/sessions`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'mode=payment&payment_method_types[0]=card&success_url=https://x.test',
    });
    expect(removed.status).toBe(400);
    expect(((await removed.json()) as { error: { param: string } }).error.param).toBe('payment_method_types');

    const noKey = await fetch(`${stub.url}/v1/checkout/sessions/cs_test_x`);
    expect(noKey.status).toBe(401);
  });
});

describe('verifyWebhook', () => {
  const nowMs = Date.parse('2026-12-01T12:00:00Z');
  const nowSec = nowMs / 1000;

  async function someEvent(): Promise<StripeEvent> {
    const { event } = await paidCheckout();
    return event;
  }

  it('accepts an event signed with the SDK helper and maps it to a GatewayEvent', async () => {
    const event = await someEvent();
    const { payload, header } = signEvent(event, WEBHOOK_SECRET, nowSec - 10);
    const verified = gateway.verifyWebhook(payload, header, nowMs);
    expect(verified).toEqual({ id: event.id, type: 'checkout.session.completed', created: event.created, object: event.data.object });
    // Just inside the tolerance.
    const edge = signEvent(event, WEBHOOK_SECRET, nowSec - 299);
    expect(gateway.verifyWebhook(edge.payload, edge.header, nowMs).id).toBe(event.id);
  });

  it('rejects a missing, empty, malformed, tampered, wrong-secret or stale signature', async () => {
    const event = await someEvent();
    const { payload, header } = signEvent(event, WEBHOOK_SECRET, nowSec);
    const bad: Array<[string, string, string | undefined, number]> = [
      ['missing', payload, undefined, nowMs],
      ['empty', payload, '', nowMs],
      ['malformed', payload, 'v1=abc', nowMs],
      ['tampered body', payload.replace('"paid"', '"unpaid"'), header, nowMs],
      ['wrong secret', payload, signEvent(event, 'whsec_someone_else', nowSec).header, nowMs],
      ['stale (301 s)', payload, signEvent(event, WEBHOOK_SECRET, nowSec - 301).header, nowMs],
      ['stale (1 day)', payload, header, nowMs + 86_400_000],
    ];
    for (const [label, body, sig, at] of bad) {
      expect(() => gateway.verifyWebhook(body, sig, at), label).toThrow(InvalidSignatureError);
    }
  });

  it('rejects a validly signed body that is not a Stripe event', () => {
    const signed = signEvent({ hello: 'world' }, WEBHOOK_SECRET, nowSec);
    expect(() => gateway.verifyWebhook(signed.payload, signed.header, nowMs)).toThrow(InvalidSignatureError);
  });
});

describe('checkout events made by the stub', () => {
  const expectEventShape = (e: StripeEvent, type: string): void => {
    expect(e).toMatchObject({ object: 'event', api_version: STRIPE_API_VERSION, type, livemode: false });
    expect(e.id).toMatch(/^evt_/);
    expect(typeof e.created).toBe('number');
  };

  it('paid by card with the card kept: completed, paid, ids as strings; the card is read back from the intent', async () => {
    const req = checkoutRequest({ saveCard: true, amount: 36_000 });
    const session = await gateway.createCheckout(req);
    const events = stub.completeCheckout(session.id, 'paid');
    expect(events).toHaveLength(1);
    expectEventShape(events[0]!, 'checkout.session.completed');
    const s = events[0]!.data.object;
    expect(s).toMatchObject({
      object: 'checkout.session',
      id: session.id,
      status: 'complete',
      payment_status: 'paid',
      amount_total: 36_000,
      currency: 'usd',
      client_reference_id: req.packageId,
      metadata: { packageId: req.packageId, clinicId: 'demo-nyc', clientId: CLIENT.id },
    });
    expect(s.payment_intent).toMatch(/^pi_/);
    expect(s.customer).toMatch(/^cus_/);

    const { result: payment, sent } = await captured(() => gateway.retrieveCheckoutPayment(session.id));
    expect(only(sent, 'GET', `/v1/checkout/sessions/${session.id}`).query).toEqual({ expand: ['payment_intent'] });
    expect(payment).toEqual({
      sessionId: session.id,
      paymentIntentId: s.payment_intent,
      customerId: s.customer,
      paymentMethodId: expect.stringMatching(/^pm_/),
    });
    expect(stub.retrieve(payment.paymentMethodId!)).toMatchObject({ customer: s.customer, type: 'card' });
    expect(stub.retrieve(payment.paymentIntentId!)).toMatchObject({ setup_future_usage: 'off_session', status: 'succeeded' });
    expect(() => stub.completeCheckout(session.id, 'paid')).toThrow(/not open/);
  });

  it('a declined card on the page: payment_intent.payment_failed only, the session stays open and can still be paid', async () => {
    const req = checkoutRequest();
    const session = await gateway.createCheckout(req);
    const [declined] = stub.completeCheckout(session.id, 'failed');
    expectEventShape(declined!, 'payment_intent.payment_failed');
    expect(declined!.data.object).toMatchObject({ metadata: { packageId: req.packageId }, status: 'requires_payment_method' });
    expect(stub.retrieve(session.id)!.status).toBe('open');
    const [completed] = stub.completeCheckout(session.id, 'paid');
    expect(completed!.data.object).toMatchObject({ payment_status: 'paid', payment_intent: declined!.data.object.id });
  });

  it('async methods: completed unpaid, then async_payment_succeeded or async_payment_failed', async () => {
    const ok = await gateway.createCheckout(checkoutRequest({ methods: ['affirm', 'klarna'] }));
    const okEvents = stub.completeCheckout(ok.id, 'paid', { async: true, method: 'klarna' });
    expect(okEvents.map((e) => e.type)).toEqual(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);
    expect(okEvents[0]!.data.object).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    expect(okEvents[1]!.data.object).toMatchObject({ status: 'complete', payment_status: 'paid' });
    expect(stub.retrieve(okEvents[1]!.data.object.payment_intent as string)).toMatchObject({ payment_method_types: ['klarna'] });

    const ko = await gateway.createCheckout(checkoutRequest({ methods: ['affirm'] }));
    const koEvents = stub.completeCheckout(ko.id, 'failed', { async: true });
    expect(koEvents.map((e) => e.type)).toEqual(['checkout.session.completed', 'checkout.session.async_payment_failed']);
    expect(koEvents[1]!.data.object).toMatchObject({ payment_status: 'unpaid' });
  });

  it('expired: checkout.session.expired with the package id; it cannot be paid afterwards', async () => {
    const req = checkoutRequest();
    const session = await gateway.createCheckout(req);
    const [expired] = stub.completeCheckout(session.id, 'expired');
    expectEventShape(expired!, 'checkout.session.expired');
    expect(expired!.data.object).toMatchObject({ status: 'expired', payment_status: 'unpaid', metadata: { packageId: req.packageId } });
    expect(() => stub.completeCheckout(session.id, 'paid')).toThrow(/expired/);
    expect(() => stub.completeCheckout('cs_test_unknown', 'paid')).toThrow(/No such/);
  });
});

describe('decodeForm', () => {
  it('nests brackets into objects and arrays and ignores prototype keys', () => {
    expect(decodeForm('a[b][0][c]=1&a[b][1][c]=2&x=y&e[]=p&e[]=q&__proto__[z]=1&k[constructor][v]=2')).toEqual({
      a: { b: [{ c: '1' }, { c: '2' }] },
      x: 'y',
      e: ['p', 'q'],
    });
  });
});

// Last, over everything this file sent to "Stripe".
describe('privacy', () => {
  it('no request carries a treatment word, a diagnosis, or the client’s name, birth date or phone', () => {
    expect(stub.requests.length).toBeGreaterThan(20);
    for (const r of stub.requests) {
      const text = [r.path, decodeURIComponent(r.rawBody.replace(/\+/g, ' ')), JSON.stringify(r.query), ...Object.values(r.headers)].join(
        '\n',
      );
      for (const word of FORBIDDEN) expect(text, `${r.method} ${r.path}`).not.toMatch(word);
    }
  });

  it('metadata sent anywhere holds opaque ids only', () => {
    const allowedKeys = new Set(['packageId', 'clinicId', 'clientId']);
    const walk = (value: unknown, path: string): void => {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          if (k === 'metadata') {
            for (const [mk, mv] of Object.entries(v as object)) {
              expect(allowedKeys.has(mk), `${path}.metadata.${mk}`).toBe(true);
              expect(String(mv), `${path}.metadata.${mk}`).toMatch(/^[A-Za-z0-9_-]+$/);
            }
          } else walk(v, `${path}.${k}`);
        }
      }
    };
    for (const r of stub.requests) walk(r.body, `${r.method} ${r.path}`);
  });
});
