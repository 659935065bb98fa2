// A program bought offline whose Checkout Session expires unpaid: the offline Stripe delivers
// checkout.session.expired as Stripe does, once, so the package lapses and its invoice owes
// nothing. Swept directly (the local server does it on its job timer), and through the offline
// Checkout helpers of `npm start` with the dev clock past the session's expiry.
import { afterAll, afterEach, beforeAll, describe, expect, it, inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { admin, asClient, createTestApi, frontdesk, signUp, type TestApi } from '#test/helpers/api.ts';
import { EXPIRY_DELIVERY_ATTEMPTS } from '#infra/local/payments.ts';
import { startLocalServer, type LambdaLike, type LocalServer } from '#infra/local/server.ts';
import { callLocal } from '#test/helpers/local-http.ts';

const HOUR = 3600 * 1000;

/** A new client's program bought in full at the front desk, its Checkout Session left open (unpaid). */
async function boughtUnpaid(api: TestApi) {
  const clientId = await signUp(api);
  const programs = (await api.call('GET', '/v1/clinics/demo-nyc/programs')).body as Array<{ id: string }>;
  const bought = await api.call('POST', '/v1/packages', {
    as: frontdesk(),
    body: { clientId, programId: programs[0]!.id, payment: 'pay_in_full' },
  });
  expect(bought.status).toBe(201);
  return { clientId, bought, packageId: bought.body.package.id as string };
}

describe('the sweep of expired Checkout Sessions', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ payments: true });
  });
  afterAll(async () => api.close());

  it('delivers checkout.session.expired once when the session is past its expires_at: the package lapses, its invoice owes nothing', async () => {
    const { clientId, bought, packageId } = await boughtUnpaid(api);
    const read = async () => {
      const pkg = (await api.call('GET', `/v1/packages/${packageId}`, { as: frontdesk() })).body;
      const invoice = (await api.call('GET', `/v1/invoices/${pkg.invoiceId}`, { as: frontdesk() })).body;
      const audited = (await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin })).body.entries.filter(
        (e: { action: string }) => e.action === 'payment.webhook',
      );
      return { pkg, invoice, audited };
    };

    api.clock.advance(23 * HOUR); // not yet: Stripe keeps a session 24 h
    expect(await api.deliverExpiries()).toEqual([]);
    expect((await read()).pkg.status).toBe('pending_payment');

    api.clock.advance(2 * HOUR);
    const swept = await api.deliverExpiries();
    expect(swept.map((d) => [d.type, d.status])).toEqual([['checkout.session.expired', 200]]);
    const after = await read();
    expect(after.pkg).toMatchObject({ status: 'cancelled', checkoutUrl: null });
    expect(after.invoice).toMatchObject({ status: 'void', total: { amount: 0 }, balance: { amount: 0 } });
    expect(after.invoice.lines).toMatchObject([{ service: 'program', voided: true }]);
    expect(after.audited).toHaveLength(1);
    expect(api.payments!.stub!.retrieve(bought.body.checkoutSessionId)).toMatchObject({ status: 'expired' });

    // a second sweep sends nothing and changes nothing
    expect(await api.deliverExpiries()).toEqual([]);
    expect(await read()).toEqual(after);
    expect((await api.call('GET', `/v1/packages/${packageId}`, { as: asClient(clientId) })).body.status).toBe('cancelled');
  });

  it('an expiry the webhook refuses is delivered again on the next sweeps, as Stripe retries, until accepted; then never again', async () => {
    const { packageId } = await boughtUnpaid(api);
    api.clock.advance(25 * HOUR);
    // the payments function answering 503 (its database down): Stripe would send the event again
    const seen: string[] = [];
    const down: LambdaLike = async (event) => {
      seen.push(JSON.parse(event.body ?? '{}').type);
      return { statusCode: 503, body: '' };
    };
    for (let sweep = 0; sweep < 2; sweep++) {
      expect((await api.payments!.deliverExpiries(down)).map((d) => d.status)).toEqual([503]);
    }
    expect(seen).toEqual(['checkout.session.expired', 'checkout.session.expired']);
    expect((await api.call('GET', `/v1/packages/${packageId}`, { as: frontdesk() })).body.status).toBe('pending_payment');
    // back up: the next sweep delivers it, and the package lapses
    expect((await api.deliverExpiries()).map((d) => [d.type, d.status])).toEqual([['checkout.session.expired', 200]]);
    expect((await api.call('GET', `/v1/packages/${packageId}`, { as: frontdesk() })).body.status).toBe('cancelled');
    expect(await api.deliverExpiries()).toEqual([]);
  });

  it(`an expiry the webhook refuses is given up after ${EXPIRY_DELIVERY_ATTEMPTS} refused deliveries`, async () => {
    await boughtUnpaid(api);
    api.clock.advance(25 * HOUR);
    const refusing: LambdaLike = async () => ({ statusCode: 409, body: '' });
    for (let sweep = 0; sweep < EXPIRY_DELIVERY_ATTEMPTS; sweep++) {
      expect(await api.payments!.deliverExpiries(refusing)).toHaveLength(1);
    }
    expect(await api.payments!.deliverExpiries(refusing)).toEqual([]);
  });
});

describe('npm start: the dev clock past a session expiry', () => {
  let server: LocalServer;
  beforeAll(async () => {
    process.env.LOG_LEVEL = 'ERROR';
    server = await startLocalServer({
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `expiry_${randomUUID().slice(0, 8)}`,
      port: 0,
      log: () => undefined,
      reminderIntervalMs: 0, // no timer: only the helpers deliver here
      webDir: false,
    });
  });
  afterEach(async () => {
    await call(server, 'POST', '/v1/dev/clock', { now: null });
  });
  afterAll(async () => server?.close());

  it('paying it delivers the expiry first, then answers the 409 as before: the package lapses, its invoice owes nothing', async () => {
    const { desk, pkg } = await boughtAt(server, '2028-03-01T10:00:00-05:00');
    await call(server, 'POST', '/v1/dev/clock', { now: '2028-03-02T11:00:00-05:00' });
    const paid = await call(server, 'POST', `/v1/dev/checkout/${pkg.checkoutSessionId}/complete`, { outcome: 'paid' });
    expect(paid.status).toBe(409);
    expect(paid.json.error.message).toMatch(/expired, not open/);
    const lapsed = await stateOf(server, desk, pkg.package.id);
    expectLapsed(lapsed);
    // again: the same 409, and the expiry is not delivered twice
    expect((await call(server, 'POST', `/v1/dev/checkout/${pkg.checkoutSessionId}/complete`, { outcome: 'paid' })).status).toBe(409);
    expect(await stateOf(server, desk, pkg.package.id)).toEqual(lapsed);
  });

  it('its Checkout page says it expired, and the package has lapsed', async () => {
    const { desk, pkg } = await boughtAt(server, '2028-04-03T10:00:00-04:00');
    await call(server, 'POST', '/v1/dev/clock', { now: '2028-04-04T10:30:00-04:00' });
    const page = await fetch(`${server.url}/v1/dev/checkout/${pkg.checkoutSessionId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('This checkout has expired');
    const lapsed = await stateOf(server, desk, pkg.package.id);
    expect(lapsed.pkg.status).toBe('cancelled');
    expect(lapsed.invoice.status).toBe('void');
  });

  it('{ "outcome": "expired" } expires an open session now and delivers its event', async () => {
    const { desk, pkg } = await boughtAt(server, '2028-05-02T09:00:00-04:00');
    const expired = await call(server, 'POST', `/v1/dev/checkout/${pkg.checkoutSessionId}/complete`, { outcome: 'expired' });
    expect(expired.status).toBe(200);
    expect(expired.json.delivered).toMatchObject([{ type: 'checkout.session.expired', status: 200 }]);
    const lapsed = await stateOf(server, desk, pkg.package.id);
    expectLapsed(lapsed);
    expect((await call(server, 'POST', `/v1/dev/checkout/${pkg.checkoutSessionId}/complete`, { outcome: 'expired' })).status).toBe(409);
    expect(await stateOf(server, desk, pkg.package.id)).toEqual(lapsed);
  });

  it('the job timer sweeps: a session left past its expiry lapses its package without anyone opening it', async () => {
    const timed = await startLocalServer({
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `expiry_${randomUUID().slice(0, 8)}`,
      port: 0,
      log: () => undefined,
      reminderIntervalMs: 200,
      webDir: false,
    });
    try {
      const { desk, pkg } = await boughtAt(timed, '2028-06-01T10:00:00-04:00');
      await call(timed, 'POST', '/v1/dev/clock', { now: '2028-06-02T10:01:00-04:00' });
      await expect.poll(async () => (await stateOf(timed, desk, pkg.package.id)).pkg.status, { timeout: 15_000 }).toBe('cancelled');
      const lapsed = await stateOf(timed, desk, pkg.package.id);
      expect(lapsed.invoice.status).toBe('void');
      expect(lapsed.audited).toHaveLength(1);
    } finally {
      await timed.close();
    }
  });
});

const call = (server: LocalServer, method: string, path: string, body?: unknown, token?: string) =>
  callLocal(server.url, method, path, body, token);

/** A program whose checkout expired unpaid: its package cancelled, its invoice void and owing nothing, the expiry audited once. */
function expectLapsed(lapsed: { pkg: unknown; invoice: unknown; audited: unknown[] }) {
  expect(lapsed.pkg).toMatchObject({ status: 'cancelled', checkoutUrl: null });
  expect(lapsed.invoice).toMatchObject({ status: 'void', balance: { amount: 0 } });
  expect(lapsed.audited).toHaveLength(1);
}

/** A new demo-nyc client's first program, bought in full by the front desk at `now` (dev clock): its checkout is left open. */
async function boughtAt(server: LocalServer, now: string) {
  expect((await call(server, 'POST', '/v1/dev/clock', { now })).status).toBe(200);
  const desk = (await call(server, 'POST', '/v1/dev/token', { role: 'frontdesk', clinicId: 'demo-nyc' })).json.token as string;
  const client = await call(
    server,
    'POST',
    '/v1/clients',
    {
      clinicId: 'demo-nyc',
      firstName: 'Exp',
      lastName: 'Ry',
      email: `exp.${randomUUID().slice(0, 6)}@example.com`,
      phone: '+12125550168',
      dateOfBirth: '1990-01-01',
      smsConsent: false,
    },
    desk,
  );
  expect(client.status).toBe(201);
  const programs = (await call(server, 'GET', '/v1/clinics/demo-nyc/programs')).json as Array<{ id: string }>;
  const bought = await call(
    server,
    'POST',
    '/v1/packages',
    { clientId: client.json.id, programId: programs[0]!.id, payment: 'pay_in_full' },
    desk,
  );
  expect(bought.status).toBe(201);
  expect(bought.json.package.status).toBe('pending_payment');
  return { desk, clientId: client.json.id as string, pkg: bought.json };
}

/** The package, its invoice and the webhook entries of its client's audit trail (one per event delivered). */
async function stateOf(server: LocalServer, desk: string, packageId: string) {
  const pkg = (await call(server, 'GET', `/v1/packages/${packageId}`, undefined, desk)).json;
  const invoice = (await call(server, 'GET', `/v1/invoices/${pkg.invoiceId}`, undefined, desk)).json;
  const adminToken = (await call(server, 'POST', '/v1/dev/token', { role: 'admin' })).json.token as string;
  const audited = (await call(server, 'GET', `/v1/clients/${pkg.clientId}/audit`, undefined, adminToken)).json.entries.filter(
    (e: { action: string }) => e.action === 'payment.webhook',
  );
  return { pkg, invoice, audited };
}
