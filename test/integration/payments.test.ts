// Programs, packages and payments end to end: the payments function on DynamoDB Local, the real
// Stripe SDK answered by the local stub, webhook events signed with the SDK's own test helper.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, asClient, clinician, createTestApi, finance, frontdesk, signUp, type TestApi } from '#test/helpers/api.ts';
import { bookOnPackage, buyPackage, paidPackage, programId, scheduleIdOf } from '#test/helpers/packages.ts';
import { signEvent } from '#infra/local/stripe-stub.ts';
import { OFFLINE_WEBHOOK_SECRET } from '#infra/local/payments.ts';
import { deniedProgramWords } from '#domain/programs.ts';
import { STRIPE_API_VERSION, STRIPE_MAX_NETWORK_RETRIES } from '#adapters/stripe-gateway.ts';
import { createRefundJob } from '#functions/refunds/app.ts';
import { appointmentServiceOf, createServiceContext } from '#services/context.ts';
import { PackageService } from '#services/package-service.ts';
import { callerOn } from '#test/unit/services/fakes.ts';
import { Logger } from '@aws-lambda-powertools/logger';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ payments: true });
});
afterAll(async () => api.close());

const stub = () => api.payments!.stub!;
/** What the suite sent to "Stripe", with the decoded form bodies loosely typed for reading. */
const reqs = () =>
  stub().requests as unknown as Array<{ method: string; path: string; query: unknown; headers: Record<string, string>; body: any }>;

describe('programs', () => {
  it('each clinic offers 4 and 6 explorations in two tiers, one with an integration per exploration, in its currency', async () => {
    for (const [clinicId, currency] of [
      ['demo-nyc', 'USD'],
      ['demo-tor', 'CAD'],
    ] as const) {
      const res = await api.call('GET', `/v1/clinics/${clinicId}/programs`);
      expect(res.status).toBe(200);
      expect(res.body.map((p: { explorations: number; tier: string }) => `${p.explorations}/${p.tier}`).sort()).toEqual([
        '4/extra_support',
        '4/standard',
        '6/extra_support',
        '6/standard',
      ]);
      for (const p of res.body) {
        expect(p.price.currency).toBe(currency);
        expect(p.includes.preparation).toBeGreaterThan(0);
        if (p.tier === 'extra_support') expect(p.includes.integration).toBe(p.explorations);
        expect(deniedProgramWords(p.name)).toEqual([]);
      }
    }
    const four = (await api.call('GET', '/v1/clinics/demo-nyc/programs')).body.find(
      (p: { explorations: number; tier: string }) => p.explorations === 4 && p.tier === 'standard',
    );
    // catalog list prices: 2 × 175 + 4 × 550 + 2 × 175
    expect(four.price).toEqual({ amount: 290_000, currency: 'USD' });
  });

  it('admin creates (with a bundle price) and retires programs; a retired one cannot be bought', async () => {
    const created = await api.call('POST', '/v1/clinics/demo-nyc/programs', {
      as: admin,
      body: {
        name: 'Care program 2 - short',
        explorations: 2,
        tier: 'standard',
        includes: { preparation: 2, exploration: 2, integration: 2 },
        price: 150_000,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.price).toEqual({ amount: 150_000, currency: 'USD' });
    const named = await api.call('POST', '/v1/clinics/demo-nyc/programs', {
      as: admin,
      body: { name: 'Ketamine journey', explorations: 2, tier: 'standard', includes: { preparation: 2, exploration: 2, integration: 2 } },
    });
    expect(named.status).toBe(400);
    expect(named.body.error.details[0].path).toBe('name');
    expect((await api.call('POST', `/v1/clinics/demo-nyc/programs/${created.body.id}/retire`, { as: frontdesk() })).status).toBe(403);
    expect((await api.call('POST', `/v1/clinics/demo-nyc/programs/${created.body.id}/retire`, { as: admin })).status).toBe(200);
    const listed = await api.call('GET', '/v1/clinics/demo-nyc/programs');
    expect(listed.body.map((p: { id: string }) => p.id)).not.toContain(created.body.id);
    const clientId = await signUp(api);
    expect((await buyPackage(api, clientId, { programId: created.body.id, payment: 'pay_in_full' })).status).toBe(409);
  });
});

describe('buying a package', () => {
  it('pay in full: pending until the verified webhook, never from the browser return', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' });
    expect(res.status).toBe(201);
    expect(res.body.package).toMatchObject({ status: 'pending_payment' });
    expect(res.body.checkoutUrl).toMatch(/^https?:\/\/.+\/v1\/dev\/checkout\/cs_/);
    const id = res.body.package.id;
    let pkg = await api.call('GET', `/v1/packages/${id}`, { as: asClient(clientId) });
    expect(pkg.body.status).toBe('pending_payment');
    const checkout = reqs().find((r) => r.path === '/v1/checkout/sessions' && r.method === 'POST' && r.body.metadata?.packageId === id);
    expect(checkout?.body.allowed_payment_method_types).toEqual(['card']);
    expect(checkout?.body.payment_intent_data?.setup_future_usage).toBeUndefined();
    const events = stub().completeCheckout(res.body.checkoutSessionId, 'paid');
    await api.deliver(events);
    // the payment Stripe reported is in the client's audit trail, Stripe the actor; a redelivery adds nothing
    const webhookEntries = async () =>
      (await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin })).body.entries.filter(
        (e: any) => e.action === 'payment.webhook',
      );
    const audited = await webhookEntries();
    expect(audited.length).toBeGreaterThan(0);
    expect(audited[0]).toMatchObject({ actor: { sub: 'stripe', roles: [] }, record: { type: 'package', id: res.body.package.id } });
    await api.deliver(events);
    expect(await webhookEntries()).toHaveLength(audited.length);
    pkg = await api.call('GET', `/v1/packages/${id}`, { as: asClient(clientId) });
    expect(pkg.body).toMatchObject({
      status: 'active',
      price: { amount: 290_000, currency: 'USD' },
      credits: {
        exploration: { total: 4, used: 0, remaining: 4 },
        preparation: { total: 2, used: 0, remaining: 2 },
        integration: { total: 2, used: 0, remaining: 2 },
      },
    });
    expect(pkg.body.payments).toEqual([
      expect.objectContaining({ kind: 'full', status: 'succeeded', amount: { amount: 290_000, currency: 'USD' } }),
    ]);
    // times in the clinic's zone with its offset (New York), in the list of the client's packages too
    const nyTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[45]:00$/;
    expect(pkg.body.payments[0].at).toMatch(nyTime);
    const listed = await api.call('GET', `/v1/clients/${clientId}/packages`, { as: asClient(clientId) });
    expect(listed.body.find((p: any) => p.id === id).payments[0].at).toMatch(nyTime);
  });

  it("a webhook whose audit entry cannot be written is not processed: Stripe's redelivery applies it and writes the entry", async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' });
    const events = stub().completeCheckout(res.body.checkoutSessionId, 'paid');
    // the first put of a payment.webhook audit entry fails, as a database error would
    let failures = 1;
    api.table.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Item?: { PK?: string; action?: string } };
        if (context.commandName === 'PutItemCommand' && input.Item?.action === 'payment.webhook' && failures > 0) {
          failures -= 1;
          throw new Error('audit write failed');
        }
        return next(args);
      },
      { step: 'initialize', name: 'failOneWebhookAudit' },
    );
    try {
      const first = await api.deliver(events);
      expect(first.map((d) => d.status)).toContain(500);
      const again = await api.deliver(events);
      expect(again.every((d) => d.status === 200)).toBe(true);
      expect(again.map((d) => (d.body as { status: string }).status)).toContain('processed');
    } finally {
      api.table.doc.middlewareStack.remove('failOneWebhookAudit');
    }
    const trail = await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin });
    expect(trail.body.entries.filter((e: any) => e.action === 'payment.webhook')).not.toHaveLength(0);
    expect((await api.call('GET', `/v1/packages/${res.body.package.id}`, { as: admin })).body.status).toBe('active');
  });

  it('a declined card leaves the package pending, its Checkout page to go back to; an expired session cancels it', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' });
    expect(res.body.package.checkoutUrl).toBe(res.body.checkoutUrl);
    await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'failed'));
    const pending = (await api.call('GET', `/v1/packages/${res.body.package.id}`, { as: asClient(clientId) })).body;
    expect(pending).toMatchObject({ status: 'pending_payment', checkoutUrl: res.body.checkoutUrl });
    await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'expired'));
    const expired = (await api.call('GET', `/v1/packages/${res.body.package.id}`, { as: frontdesk() })).body;
    expect(expired).toMatchObject({ status: 'cancelled', checkoutUrl: null });
    // the program was never bought: its invoice owes nothing
    const invoice = (await api.call('GET', `/v1/invoices/${expired.invoiceId}`, { as: frontdesk() })).body;
    expect(invoice).toMatchObject({ status: 'void', total: { amount: 0 }, balance: { amount: 0 } });
    expect(invoice.lines).toMatchObject([{ service: 'program', voided: true }]);
  });

  it('buying the same program again (Back from the payment page): the earlier checkout is closed, its package cancelled and its invoice void', async () => {
    const clientId = await signUp(api);
    const four = await programId(api, 'demo-nyc', 4, 'standard');
    const other = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 6, 'standard'), payment: 'pay_in_full' });
    const first = await buyPackage(api, clientId, {
      programId: four,
      payment: 'installments',
      installments: { count: 3, downPaymentPercent: 20 },
    });
    const again = await buyPackage(api, clientId, { programId: four, payment: 'pay_in_full' });
    expect([other.status, first.status, again.status]).toEqual([201, 201, 201]);
    expect(stub().retrieve(first.body.checkoutSessionId)).toMatchObject({ status: 'expired' });
    const before = (await api.call('GET', `/v1/packages/${first.body.package.id}`, { as: asClient(clientId) })).body;
    expect(before).toMatchObject({ status: 'cancelled', checkoutUrl: null });
    const invoice = await api.call('GET', `/v1/invoices/${before.invoiceId}`, { as: asClient(clientId) });
    expect(invoice.body).toMatchObject({ status: 'void', balance: { amount: 0 } });
    // the new one, and another program's open checkout, as they were
    expect((await api.call('GET', `/v1/packages/${again.body.package.id}`, { as: asClient(clientId) })).body.status).toBe(
      'pending_payment',
    );
    expect((await api.call('GET', `/v1/packages/${other.body.package.id}`, { as: asClient(clientId) })).body.status).toBe(
      'pending_payment',
    );
    expect(stub().retrieve(other.body.checkoutSessionId)).toMatchObject({ status: 'open' });
    // Stripe's own checkout.session.expired for the closed one changes nothing more
    const session = stub().retrieve(first.body.checkoutSessionId)!;
    const expiredEvent = {
      id: `evt_expired_${first.body.package.id}`,
      object: 'event' as const,
      api_version: STRIPE_API_VERSION,
      created: Math.floor(api.clock.now() / 1000),
      type: 'checkout.session.expired',
      livemode: false as const,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: session },
    };
    expect((await api.deliver([expiredEvent])).map((d) => d.status)).toEqual([200]);
    expect((await api.call('GET', `/v1/packages/${first.body.package.id}`, { as: asClient(clientId) })).body).toEqual(before);
  });

  it('a paid package shows no Checkout page', async () => {
    const clientId = await signUp(api);
    const packageId = await paidPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 4, 'standard'),
      payment: 'pay_in_full',
    });
    expect((await api.call('GET', `/v1/packages/${packageId}`, { as: asClient(clientId) })).body).toMatchObject({
      status: 'active',
      checkoutUrl: null,
    });
  });

  it('buy now, pay later through Checkout where Stripe offers it; 422 bnpl_unavailable elsewhere', async () => {
    const tor = await signUp(api, { clinicId: 'demo-tor' });
    const res = await buyPackage(api, tor, { programId: await programId(api, 'demo-tor', 6, 'standard'), payment: 'bnpl' });
    expect(res.status).toBe(201);
    const sent = reqs().find((r) => r.path === '/v1/checkout/sessions' && r.body.metadata?.packageId === res.body.package.id);
    expect(sent?.body.allowed_payment_method_types).toEqual(['affirm']);
    // a Canadian clinic charging in USD: no BNPL method fits
    const clinic = await api.call('POST', '/v1/clinics', {
      as: admin,
      body: { name: 'Cross-border', timezone: 'America/Vancouver', currency: 'USD', country: 'CA' },
    });
    const program = await api.call('POST', `/v1/clinics/${clinic.body.id}/programs`, {
      as: admin,
      body: {
        name: 'Care program 4 - standard support',
        explorations: 4,
        tier: 'standard',
        includes: { preparation: 2, exploration: 4, integration: 2 },
      },
    });
    const cross = await signUp(api, { clinicId: clinic.body.id });
    const refused = await buyPackage(api, cross, { programId: program.body.id, payment: 'bnpl' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'rule_violated', rule: 'bnpl_unavailable' });
  });

  it('installments: down payment now, equal monthly charges on the saved card adding up to the price', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 4, 'standard'),
      payment: 'installments',
      installments: { count: 3, downPaymentPercent: 25 },
    });
    expect(res.status).toBe(201);
    const id = res.body.package.id;
    let pkg = (await api.call('GET', `/v1/packages/${id}`, { as: frontdesk() })).body;
    expect(pkg.schedule.downPayment).toEqual({ amount: 72_500, currency: 'USD' });
    const amounts = pkg.schedule.installments.map((i: { amount: { amount: number } }) => i.amount.amount);
    expect(amounts.reduce((a: number, b: number) => a + b, 0) + 72_500).toBe(290_000);
    expect(pkg.schedule.installments.map((i: { dueDate: string }) => i.dueDate)).toEqual(['2027-01-01', '2027-02-01', '2027-03-01']);
    const checkout = reqs().find((r) => r.path === '/v1/checkout/sessions' && r.body.metadata?.packageId === id);
    expect(checkout?.body.payment_intent_data?.setup_future_usage).toBe('off_session');
    expect(checkout?.body.line_items?.[0]?.price_data?.unit_amount).toBe('72500');

    await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
    pkg = (await api.call('GET', `/v1/packages/${id}`, { as: frontdesk() })).body;
    expect(pkg.status).toBe('active');
    const schedule = reqs().find(
      (r) => r.path === '/v1/subscription_schedules' && r.method === 'POST' && JSON.stringify(r.body).includes(id),
    );
    expect(schedule).toBeDefined();
    expect(JSON.stringify(schedule?.body)).not.toContain('iterations');

    const scheduleId = await scheduleIdOf(api, id);
    await api.deliver(stub().chargeNextInstallment(scheduleId, 'paid'));
    await api.deliver(stub().chargeNextInstallment(scheduleId, 'failed'));
    pkg = (await api.call('GET', `/v1/packages/${id}`, { as: frontdesk() })).body;
    expect(pkg.status).toBe('past_due');
    expect(pkg.schedule.installments.map((i: { status: string }) => i.status)).toEqual(['paid', 'failed', 'scheduled']);
    // the schedule is made once: a later payment never asks Stripe for another (an idempotency
    // key would not protect a month later: Stripe keeps keys for 24 hours)
    const schedulesMade = reqs().filter(
      (r) => r.path === '/v1/subscription_schedules' && r.method === 'POST' && JSON.stringify(r.body).includes(id),
    );
    expect(schedulesMade).toHaveLength(1);
    // while one package is past due, no new installment plan for this client
    const second = await buyPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 4, 'standard'),
      payment: 'installments',
      installments: { count: 3, downPaymentPercent: 25 },
    });
    expect(second.status).toBe(422);
    expect(second.body.error.rule).toBe('installments_not_eligible');

    // past due: explorations blocked, preparation still bookable
    const ready = await readyForExploration(clientId);
    const exploration = await bookOnPackage(api, clientId, id, ready.explorationAt, IN_PERSON_EXPLORATION);
    expect(exploration.status).toBe(422);
    expect(exploration.body.error.rule).toBe('payment_past_due');
    const prep = await bookOnPackage(api, clientId, id, '2026-12-18T12:00:00-05:00');
    expect(prep.status).toBe(201);

    // the retry succeeds: active again, and the exploration books
    await api.deliver(stub().chargeNextInstallment(scheduleId, 'paid'));
    expect((await api.call('GET', `/v1/packages/${id}`, { as: frontdesk() })).body.status).toBe('active');
    const again = await bookOnPackage(api, clientId, id, ready.explorationAt, IN_PERSON_EXPLORATION);
    expect(again.status).toBe(201);

    // past due again: the exploration already booked does not move either (same rules as booking)
    await api.deliver(stub().chargeNextInstallment(scheduleId, 'failed'));
    expect((await api.call('GET', `/v1/packages/${id}`, { as: frontdesk() })).body.status).toBe('past_due');
    const move = await api.call('POST', `/v1/appointments/${again.body.id}/reschedule`, {
      as: frontdesk(),
      body: { startsAt: '2026-12-22T09:00:00-05:00' },
    });
    expect(move.status).toBe(422);
    expect(move.body.error.rule).toBe('payment_past_due');
    expect((await api.call('GET', `/v1/appointments/${again.body.id}`, { as: frontdesk() })).body.startsAt).toBe(ready.explorationAt);

    await api.deliver(stub().chargeNextInstallment(scheduleId, 'paid'));
    expect(
      (
        await api.call('POST', `/v1/appointments/${again.body.id}/reschedule`, {
          as: frontdesk(),
          body: { startsAt: '2026-12-22T09:00:00-05:00' },
        })
      ).status,
    ).toBe(200);
    pkg = (await api.call('GET', `/v1/packages/${id}`, { as: frontdesk() })).body;
    expect(pkg.schedule.installments.every((i: { status: string }) => i.status === 'paid')).toBe(true);
    // nothing is charged after the last one
    expect(() => stub().chargeNextInstallment(scheduleId, 'paid')).toThrow();
  });

  it('refuses installments the clinic does not allow, with a reason', async () => {
    const clientId = await signUp(api);
    const program = await programId(api, 'demo-nyc', 4, 'standard');
    for (const installments of [
      { count: 5, downPaymentPercent: 25 },
      { count: 3, downPaymentPercent: 5 },
    ]) {
      const res = await buyPackage(api, clientId, { programId: program, payment: 'installments', installments });
      expect(res.status).toBe(422);
      expect(res.body.error.rule).toBe('installments_not_eligible');
      expect(res.body.error.message).toEqual(expect.any(String));
    }
  });
});

/** An exploration with demo-nyc's first therapist, in person (a dosing room). */
const IN_PERSON_EXPLORATION = { service: 'exploration', providerId: 'demo-nyc-ther-1', mode: 'in_person' } as const;

let readyRuns = 0;
/** Intake completed, cleared, two preparations booked and a ride home: ready for an exploration. */
async function readyForExploration(clientId: string) {
  const hour = String(9 + readyRuns++).padStart(2, '0');
  await api.call('PATCH', `/v1/clients/${clientId}`, { as: frontdesk(), body: { rideHome: { name: 'Sam', phone: '+12125550188' } } });
  await api.call('POST', `/v1/clients/${clientId}/clearance`, {
    as: clinician(),
    body: { status: 'cleared', screenedFor: ['hypertension'] },
  });
  const book = (service: string, startsAt: string) =>
    api.call('POST', '/v1/appointments', {
      as: frontdesk(),
      body: { clinicId: 'demo-nyc', clientId, providerId: 'demo-nyc-ther-2', service, mode: 'telehealth', startsAt },
    });
  for (const [service, day] of [
    ['intake', '2026-12-02'],
    ['preparation', '2026-12-03'],
    ['preparation', '2026-12-04'],
  ] as const) {
    const at = `${day}T${hour === '09' ? '11' : hour}:00:00-05:00`;
    const res = await book(service, at);
    expect(res.status).toBe(201);
  }
  return { explorationAt: '2026-12-21T09:00:00-05:00' };
}

describe('credits', () => {
  it('20 parallel bookings against one exploration credit left: exactly one succeeds, the rest 422 no_credit', async () => {
    const program = await api.call('POST', '/v1/clinics/demo-nyc/programs', {
      as: admin,
      body: {
        name: 'Care program 1 - single',
        explorations: 1,
        tier: 'standard',
        includes: { preparation: 0, exploration: 1, integration: 0 },
      },
    });
    const clientId = await signUp(api);
    const packageId = await paidPackage(api, clientId, { programId: program.body.id, payment: 'pay_in_full' });
    await readyForExploration(clientId);
    // twenty weekdays two days apart or more, so that spacing never decides
    const days: string[] = [];
    for (let d = Date.parse('2027-01-04T12:00:00Z'); days.length < 20; d += 2 * 86_400_000) {
      const day = new Date(d);
      if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.push(day.toISOString().slice(0, 10));
    }
    const book = (day: string) => bookOnPackage(api, clientId, packageId, `${day}T09:00:00-05:00`, IN_PERSON_EXPLORATION);
    const replies = await Promise.all(days.map(book));
    // on a loaded machine a request can keep losing its transaction's race to the others until its
    // retries run out: 503 unavailable, nothing written (docs/api.md, "Errors"); the caller sends it
    // again, as its Retry-After says, and it is then answered by the rules like the rest
    for (let round = 0; round < 5 && replies.some((r) => r.status === 503); round++) {
      for (const [i, r] of replies.entries()) {
        if (r.status !== 503) continue;
        expect(r.body.error.code).toBe('unavailable');
        replies[i] = await book(days[i]!);
      }
    }
    const ok = replies.filter((r) => r.status === 201);
    const noCredit = replies.filter((r) => r.status === 422 && r.body.error.rule === 'no_credit');
    expect(ok).toHaveLength(1);
    expect(noCredit).toHaveLength(19);
    const pkg = await api.call('GET', `/v1/packages/${packageId}`, { as: frontdesk() });
    expect(pkg.body.credits.exploration).toEqual({ total: 1, used: 1, remaining: 0 });
    // the front desk sees it as paid; the sessions booked without a package as unpaid
    const day = await api.call('GET', '/v1/clinics/demo-nyc/schedule', {
      as: frontdesk(),
      query: { date: ok[0]!.body.startsAt.slice(0, 10) },
    });
    const entry = day.body.appointments.find((e: { id: string }) => e.id === ok[0]!.body.id);
    expect(entry.flags).not.toContain('unpaid');
    const prepDay = await api.call('GET', '/v1/clinics/demo-nyc/schedule', { as: frontdesk(), query: { date: '2026-12-03' } });
    const prep = prepDay.body.appointments.find((e: { clientId: string }) => e.clientId === clientId);
    expect(prep.flags).toContain('unpaid');
  }, 120_000);

  it('on-time cancel gives the credit back; late cancel and no-show forfeit it', async () => {
    const clientId = await signUp(api);
    const packageId = await paidPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 6, 'extra_support'),
      payment: 'pay_in_full',
    });
    const book = (startsAt: string) => bookOnPackage(api, clientId, packageId, startsAt);
    const credits = async () => (await api.call('GET', `/v1/packages/${packageId}`, { as: frontdesk() })).body.credits.preparation;
    const early = await book('2026-12-10T12:00:00-05:00');
    expect(await credits()).toEqual({ total: 3, used: 1, remaining: 2 });
    await api.call('POST', `/v1/appointments/${early.body.id}/cancel`, { as: frontdesk() });
    expect(await credits()).toEqual({ total: 3, used: 0, remaining: 3 });
    const late = await book('2026-12-02T12:00:00-05:00'); // 29 h ahead: inside the 48 h window
    const cancelled = await api.call('POST', `/v1/appointments/${late.body.id}/cancel`, { as: frontdesk() });
    expect(cancelled.body.late).toBe(true);
    expect(await credits()).toEqual({ total: 3, used: 1, remaining: 2 });
    const missed = await book('2026-12-01T13:00:00-05:00');
    api.clock.set(Date.parse('2026-12-01T18:30:00Z'));
    expect((await api.call('POST', `/v1/appointments/${missed.body.id}/no-show`, { as: frontdesk() })).status).toBe(200);
    api.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    expect(await credits()).toEqual({ total: 3, used: 2, remaining: 1 });
    // a service the package does not hold
    const intake = await bookOnPackage(api, clientId, packageId, '2026-12-11T12:00:00-05:00', { service: 'intake' });
    expect(intake.body.error.rule).toBe('no_credit');
  });
});

describe('cancelling a package', () => {
  it('cancels future appointments free, refunds paid minus the list value used, stops installments, once', async () => {
    const clientId = await signUp(api);
    const packageId = await paidPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 4, 'standard'),
      payment: 'pay_in_full',
    });
    const used = await bookOnPackage(api, clientId, packageId, '2026-12-01T14:00:00-05:00');
    api.clock.set(Date.parse('2026-12-01T20:00:00Z'));
    const preview = () => api.call('GET', `/v1/packages/${packageId}/cancel-preview`, { as: finance() });
    // the session has started and is not marked yet: the preview says the cancel waits for it
    expect((await preview()).body.unresolvedSessions).toBe(1);
    await api.call('POST', `/v1/appointments/${used.body.id}/complete`, { as: clinician() });
    const future = await bookOnPackage(api, clientId, packageId, '2026-12-02T12:00:00-05:00');
    expect((await api.call('POST', `/v1/packages/${packageId}/cancel`, { as: asClient(clientId) })).status).toBe(403);
    // what the cancel will do, said first (and changing nothing)
    const said = await preview();
    expect([said.status, said.body]).toEqual([
      200,
      {
        refund: { amount: 272_500, currency: 'USD' },
        paid: { amount: 290_000, currency: 'USD' },
        keeps: { amount: 17_500, currency: 'USD' },
        futureSessions: 1,
        unresolvedSessions: 0,
      },
    ]);
    expect((await api.call('GET', `/v1/packages/${packageId}/cancel-preview`, { as: asClient(clientId) })).status).toBe(403);
    const res = await api.call('POST', `/v1/packages/${packageId}/cancel`, { as: finance() });
    api.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    expect(res.status).toBe(200);
    // paid 2,900.00; one preparation used at its list price 175.00; the future one is not "used"
    expect(res.body.refund).toEqual({ amount: 272_500, currency: 'USD' });
    expect(res.body.package.status).toBe('cancelled');
    const refund = reqs().filter((r) => r.path === '/v1/refunds');
    expect(refund.at(-1)?.body.amount).toBe('272500');
    expect(refund.at(-1)?.headers['idempotency-key']).toContain(packageId);
    const moved = await api.call('GET', `/v1/appointments/${future.body.id}`, { as: frontdesk() });
    expect(moved.body).toMatchObject({ status: 'cancelled', late: false });
    const again = await api.call('POST', `/v1/packages/${packageId}/cancel`, { as: finance() });
    expect(again.status).toBe(409);
    expect((await preview()).status).toBe(409);
    // the session it paid for stays paid on the day's schedule (paid in full, the rest refunded)
    const day = await api.call('GET', '/v1/clinics/demo-nyc/schedule?date=2026-12-01', { as: frontdesk() });
    const session = day.body.appointments.find((e: { id: string }) => e.id === used.body.id);
    expect(session).toMatchObject({ status: 'completed', flags: [] });
  });

  it('a session the client cancels at the same moment is left to its own cancel; the package cancel finishes with the rest', async () => {
    const clientId = await signUp(api);
    const packageId = await paidPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 4, 'standard'),
      payment: 'pay_in_full',
    });
    const session = (startsAt: string) => bookOnPackage(api, clientId, packageId, startsAt);
    const [a, b] = [await session('2026-12-14T12:00:00-05:00'), await session('2026-12-15T12:00:00-05:00')];
    // the package service of the payments function, whose cancel of A finds the client's own cancel of A landed first
    const ctx = createServiceContext({ doc: api.table.doc, tableName: api.table.tableName, clock: api.clock });
    const appointments = appointmentServiceOf(ctx);
    const packages = new PackageService(
      { ...ctx.repos, clock: ctx.clock, ids: ctx.ids },
      api.payments!.gateway,
      {
        cancelForPackage: async (id) => {
          if (id === a.body.id)
            expect((await api.call('POST', `/v1/appointments/${id}/cancel`, { as: asClient(clientId) })).status).toBe(200);
          return appointments.cancelForPackage(id);
        },
      },
      { appBaseUrl: 'http://localhost:3000' },
    );
    const done = await packages.cancel(
      callerOn('POST /v1/packages/{packageId}/cancel', { sub: 'fin', roles: ['finance'], clinicId: 'demo-nyc' }),
      packageId,
    );
    expect(done.pkg.status).toBe('cancelled');
    expect(done.pkg.cancellation?.settledAt).toBeDefined();
    expect(done.refund).toBe(290_000); // nothing used: both sessions cancelled on time
    expect((await api.call('GET', `/v1/appointments/${b.body.id}`, { as: frontdesk() })).body.status).toBe('cancelled');
    expect((await api.call('POST', `/v1/packages/${packageId}/cancel`, { as: finance() })).status).toBe(409);
  });
});

/** Requests one gateway call makes: the first attempt and the SDK's retries. */
const ATTEMPTS = STRIPE_MAX_NETWORK_RETRIES + 1;

/** The table as a refused request must leave it: every item but rate-limit counters and audit entries, in key order. */
async function tableState() {
  const kept = (await api.items()).filter((i) => !/^(RATE|AUDIT)#/.test(String(i.PK)));
  const key = (i: Record<string, unknown>) => `${String(i.PK)}\u0000${String(i.SK)}`;
  return kept.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The refunds "Stripe" made for a package (from the refund's metadata). */
const refundsOf = (packageId: string) =>
  stub()
    .list('refund')
    .filter((r) => (r.metadata as Record<string, string>).packageId === packageId);

const cancelPackage = (packageId: string) => api.call('POST', `/v1/packages/${packageId}/cancel`, { as: finance() });

describe('Stripe unavailable', () => {
  it('a Checkout outage answers 503 payment_unavailable with Retry-After and writes nothing; the same request later buys', async () => {
    const clientId = await signUp(api);
    const body = { clientId, programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' };
    const headers = { 'Idempotency-Key': `buy-${clientId}` };
    const failures = [
      { status: 500, error: { type: 'api_error', message: 'Stripe says: something went wrong' } },
      { drop: 'before' as const },
    ];
    for (const failure of failures) {
      const before = await tableState();
      stub().injectFailure({ ...failure, times: ATTEMPTS, method: 'POST', path: '/v1/checkout/sessions' });
      const res = await api.call('POST', '/v1/packages', { as: asClient(clientId), body, headers });
      expect(res.status).toBe(503);
      expect(res.body.error).toEqual({ code: 'payment_unavailable', message: expect.any(String), correlationId: expect.any(String) });
      expect(res.body.error.message).not.toMatch(/Stripe says/);
      expect(res.headers['retry-after']).toBe('2');
      // no pending package, no client index entry, no idempotency record: the table as it was
      expect(await tableState()).toEqual(before);
    }
    const bought = await api.call('POST', '/v1/packages', { as: asClient(clientId), body, headers });
    expect(bought.status).toBe(201);
    const sent = reqs().find(
      (r) => r.path === '/v1/checkout/sessions' && r.method === 'POST' && r.body.metadata?.packageId === bought.body.package.id,
    );
    expect(sent?.headers['idempotency-key']).toBe(`checkout-${bought.body.package.id}`);
    expect((await api.call('GET', `/v1/packages/${bought.body.package.id}`, { as: asClient(clientId) })).body.checkoutSessionId).toBe(
      bought.body.checkoutSessionId,
    );
  });

  it('Stripe refusing the request (our bug or our configuration) is a generic 500 showing nothing of its answer', async () => {
    const clientId = await signUp(api);
    const before = await tableState();
    stub().injectFailure({
      status: 400,
      method: 'POST',
      path: '/v1/checkout/sessions',
      error: { type: 'invalid_request_error', message: 'Received unknown parameter: odd_param', param: 'odd_param' },
    });
    const res = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' });
    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({ code: 'internal', message: 'Internal error', correlationId: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toContain('odd_param');
    expect(await tableState()).toEqual(before);
  });

  it('a refund whose answer is lost: 503, the retried cancel finishes it (Stripe replays it: one refund), then 409', async () => {
    const clientId = await signUp(api);
    const packageId = await paidPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 4, 'standard'),
      payment: 'pay_in_full',
    });
    // Stripe makes the refund, and every attempt's answer is lost on the way back
    stub().injectFailure({ drop: 'after', times: ATTEMPTS, method: 'POST', path: '/v1/refunds' });
    const failed = await cancelPackage(packageId);
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('payment_unavailable');
    expect(failed.headers['retry-after']).toBe('2');
    // cancelled already (nothing can be booked against it), the refund not recorded yet
    const half = (await api.call('GET', `/v1/packages/${packageId}`, { as: frontdesk() })).body;
    expect(half.status).toBe('cancelled');
    expect(half.refunded).toBeNull();

    const retried = await cancelPackage(packageId);
    expect(retried.status).toBe(200);
    expect(retried.body.refund).toEqual({ amount: 290_000, currency: 'USD' });
    expect(retried.body.package.refunded).toEqual({ amount: 290_000, currency: 'USD' });
    expect((await cancelPackage(packageId)).status).toBe(409);
    const refunds = refundsOf(packageId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: 290_000 });
    // Stripe's refund.updated for it changes nothing: the same refund, recorded once
    await api.deliver(stub().refundEvents(refunds[0]!.id as string));
    expect((await api.call('GET', `/v1/packages/${packageId}`, { as: frontdesk() })).body.refunded).toEqual({
      amount: 290_000,
      currency: 'USD',
    });
  });

  it('installments: the second refund fails after the first was made; the retry refunds only the rest, one refund per payment', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 4, 'standard'),
      payment: 'installments',
      installments: { count: 3, downPaymentPercent: 25 },
    });
    const id = res.body.package.id;
    await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
    const scheduleId = await scheduleIdOf(api, id);
    await api.deliver(stub().chargeNextInstallment(scheduleId, 'paid'));
    const first = (await api.call('GET', `/v1/packages/${id}`, { as: frontdesk() })).body.schedule.installments[0].amount.amount;

    // newest charge first: the installment's refund goes through, the down payment's fails
    stub().injectFailure({
      status: 500,
      skip: 1,
      times: ATTEMPTS,
      method: 'POST',
      path: '/v1/refunds',
      error: { type: 'api_error', message: 'boom' },
    });
    const failed = await cancelPackage(id);
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('payment_unavailable');
    const half = (await api.call('GET', `/v1/packages/${id}`, { as: frontdesk() })).body;
    expect(half.status).toBe('cancelled');
    expect(half.refunded).toEqual({ amount: first, currency: 'USD' });
    expect(() => stub().chargeNextInstallment(scheduleId, 'paid')).toThrow(/canceled/);

    const retried = await cancelPackage(id);
    expect(retried.status).toBe(200);
    expect(retried.body.refund).toEqual({ amount: 72_500 + first, currency: 'USD' });
    expect(retried.body.package.refunded).toEqual({ amount: 72_500 + first, currency: 'USD' });
    expect((await cancelPackage(id)).status).toBe(409);
    const refunds = refundsOf(id);
    expect(refunds.map((r) => r.amount).sort()).toEqual([first, 72_500].sort());
    expect(new Set(refunds.map((r) => r.payment_intent)).size).toBe(2);
  });
});

describe("a program's money that must still go back after its cancel", () => {
  const logger = new Logger({ serviceName: 'payments-test', logLevel: 'CRITICAL' });
  const refundJob = () =>
    createRefundJob({ doc: api.table.doc, tableName: api.table.tableName, clock: api.clock, logger, gateway: api.payments!.gateway });
  const invoiceOf = async (packageId: string) => {
    const pkg = (await api.call('GET', `/v1/packages/${packageId}`, { as: finance() })).body;
    return (await api.call('GET', `/v1/invoices/${pkg.invoiceId}`, { as: finance() })).body;
  };
  const intentOf = (sessionId: string) => stub().retrieve(sessionId)!.payment_intent as string;

  it('a package refund Stripe fails later: shown failed on the package and its invoice, and the refund job pays it back from the same charge', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' });
    await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
    const packageId = res.body.package.id as string;
    expect((await cancelPackage(packageId)).body.refund).toEqual({ amount: 290_000, currency: 'USD' });
    const [refund] = refundsOf(packageId);
    const delivered = await api.deliver(stub().refundEvents(refund!.id as string, 'failed'));
    expect(delivered.every((d) => d.status === 200)).toBe(true);

    const pkg = (await api.call('GET', `/v1/packages/${packageId}`, { as: finance() })).body;
    expect(pkg.refunded).toEqual({ amount: 0, currency: 'USD' });
    expect(pkg.payments.find((p: { kind: string }) => p.kind === 'refund')).toMatchObject({ status: 'failed' });
    const owed = await invoiceOf(packageId);
    expect(owed).toMatchObject({
      refunded: { amount: 0, currency: 'USD' },
      refundDue: { amount: 290_000, currency: 'USD' },
      refundState: 'retrying',
    });

    const run = await refundJob().run();
    expect(run.refunded).toContain(owed.id);
    const again = stub()
      .list('refund')
      .filter((r) => (r.metadata as Record<string, string>).invoiceId === owed.id);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ amount: 290_000, payment_intent: intentOf(res.body.checkoutSessionId) });
    expect(await invoiceOf(packageId)).toMatchObject({ status: 'refunded', refundDue: { amount: 0, currency: 'USD' }, refundState: null });
    expect((await refundJob().run()).refunded).toEqual([]); // nothing twice
  });

  it('cancelling an unpaid package closes its Checkout page: it can no longer be paid', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' });
    const cancelled = await cancelPackage(res.body.package.id);
    expect(cancelled.status).toBe(200);
    expect(reqs().some((r) => r.method === 'POST' && r.path === `/v1/checkout/sessions/${res.body.checkoutSessionId}/expire`)).toBe(true);
    expect(stub().retrieve(res.body.checkoutSessionId)).toMatchObject({ status: 'expired' });
    expect(() => stub().completeCheckout(res.body.checkoutSessionId, 'paid')).toThrow(/expired, not open/);
  });

  it('a checkout paid just before its unpaid package was cancelled, its webhook after: the refund job gives the money back (not dead-lettered)', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' });
    const packageId = res.body.package.id as string;
    // paid at Stripe; the webhook is still on its way when the front desk cancels
    const events = stub().completeCheckout(res.body.checkoutSessionId, 'paid');
    const cancelled = await cancelPackage(packageId);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.refund).toEqual({ amount: 0, currency: 'USD' });
    const paid = await api.deliver(events);
    expect(paid.every((d) => d.status === 200)).toBe(true);
    const owed = await invoiceOf(packageId);
    expect(owed).toMatchObject({ paid: { amount: 290_000, currency: 'USD' }, refundDue: { amount: 290_000, currency: 'USD' } });

    const run = await refundJob().run();
    expect(run.deadLettered).not.toContain(owed.id);
    expect(run.refunded).toContain(owed.id);
    const made = stub()
      .list('refund')
      .filter((r) => (r.metadata as Record<string, string>).invoiceId === owed.id);
    expect(made.map((r) => [r.amount, r.payment_intent])).toEqual([[290_000, intentOf(res.body.checkoutSessionId)]]);
    expect(await invoiceOf(packageId)).toMatchObject({ status: 'refunded', refundDue: { amount: 0, currency: 'USD' } });
  });

  it('cancels sent at once: one does the cancel and its refund (200), the others are told 409; the package is refunded once', async () => {
    const clientId = await signUp(api);
    const packageId = await paidPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 4, 'standard'),
      payment: 'pay_in_full',
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 ? cancelPackage(packageId) : api.call('POST', `/v1/packages/${packageId}/cancel`, { as: frontdesk() }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(results.find((r) => r.status === 200)!.body.refund).toEqual({ amount: 290_000, currency: 'USD' });
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('conflict');
    expect(refundsOf(packageId)).toHaveLength(1);
    expect((await cancelPackage(packageId)).status).toBe(409);
  });

  it('while a package cancel is unfinished (Stripe down), the job leaves its invoice to the cancel: no second refund, no alarm', async () => {
    const clientId = await signUp(api);
    const packageId = await paidPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 4, 'standard'),
      payment: 'pay_in_full',
    });
    stub().injectFailure({
      status: 500,
      times: ATTEMPTS,
      method: 'POST',
      path: '/v1/refunds',
      error: { type: 'api_error', message: 'boom' },
    });
    expect((await cancelPackage(packageId)).status).toBe(503);
    const owed = await invoiceOf(packageId);
    expect(owed.refundDue).toEqual({ amount: 290_000, currency: 'USD' });
    const before = stub().list('refund').length;
    const run = await refundJob().run();
    expect([...run.refunded, ...run.retried, ...run.deadLettered]).not.toContain(owed.id);
    expect(stub().list('refund')).toHaveLength(before);

    expect((await cancelPackage(packageId)).status).toBe(200);
    expect(refundsOf(packageId)).toHaveLength(1);
    expect(await invoiceOf(packageId)).toMatchObject({ refundDue: { amount: 0, currency: 'USD' }, refundState: null });
    expect((await refundJob().run()).refunded).not.toContain(owed.id);
  });
});

describe('the Stripe webhook', () => {
  it('refuses a bad, missing or stale signature with 400 and writes nothing', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, { programId: await programId(api, 'demo-nyc', 4, 'standard'), payment: 'pay_in_full' });
    const [event] = stub().completeCheckout(res.body.checkoutSessionId, 'paid');
    const before = await api.items();
    const post = (payload: string, header?: string) =>
      api.call('POST', '/v1/webhooks/stripe', { body: payload, headers: header ? { 'Stripe-Signature': header } : {} });
    const now = Math.floor(api.clock.now() / 1000);
    const good = signEvent(event!, OFFLINE_WEBHOOK_SECRET, now);
    expect((await post(good.payload)).status).toBe(400);
    expect((await post(good.payload, signEvent(event!, 'whsec_wrong', now).header)).status).toBe(400);
    expect((await post(good.payload.replace('"paid"', '"unpaid"'), good.header)).status).toBe(400);
    const stale = signEvent(event!, OFFLINE_WEBHOOK_SECRET, Math.floor(api.clock.now() / 1000) - 600);
    expect((await post(stale.payload, stale.header)).status).toBe(400);
    expect(await api.items()).toEqual(before);
    const ok = await post(good.payload, good.header);
    expect(ok.status).toBe(200);
  });

  it('a validly signed body that is no event: 400 on the body (not on the signature), nothing written', async () => {
    const before = await api.items();
    const { payload, header } = signEvent(
      { id: 'evt_u3', object: 'event', type: 'x', created: 1, data: { object: null } },
      OFFLINE_WEBHOOK_SECRET,
      Math.floor(api.clock.now() / 1000),
    );
    const res = await api.call('POST', '/v1/webhooks/stripe', { body: payload, headers: { 'Stripe-Signature': header } });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'validation_failed',
      message: 'Invalid webhook body',
      details: [{ path: '', message: 'Not a Stripe event' }],
    });
    expect(await api.items()).toEqual(before);
  });

  it('acknowledges unknown event types and changes nothing', async () => {
    const before = await api.items();
    const { payload, header } = signEvent(
      { id: 'evt_unknown_1', object: 'event', type: 'customer.created', created: 1, data: { object: { id: 'cus_1' } } },
      OFFLINE_WEBHOOK_SECRET,
      Math.floor(api.clock.now() / 1000),
    );
    const res = await api.call('POST', '/v1/webhooks/stripe', { body: payload, headers: { 'Stripe-Signature': header } });
    expect(res.status).toBe(200);
    expect(await api.items()).toEqual(before);
  });

  it('10 concurrent deliveries of one event change the state once; order of delivery does not matter', async () => {
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, {
      programId: await programId(api, 'demo-nyc', 4, 'standard'),
      payment: 'installments',
      installments: { count: 3, downPaymentPercent: 20 },
    });
    const events = stub().completeCheckout(res.body.checkoutSessionId, 'paid');
    const replies = await Promise.all(Array.from({ length: 10 }, () => api.deliver(events)));
    expect(replies.flat().every((d) => d.status === 200 || d.status === 409)).toBe(true);
    await api.deliver(events); // Stripe's retry of any refused one
    const id = res.body.package.id;
    let pkg = (await api.call('GET', `/v1/packages/${id}`, { as: frontdesk() })).body;
    expect(pkg.status).toBe('active');
    expect(pkg.payments).toHaveLength(1);
    const schedules = reqs().filter(
      (r) => r.path === '/v1/subscription_schedules' && r.method === 'POST' && JSON.stringify(r.body).includes(id),
    );
    expect(new Set(schedules.map((r) => r.headers['idempotency-key'])).size).toBe(1);

    // a failure and its successful retry, delivered newest first: still paid
    const scheduleId = await scheduleIdOf(api, id);
    const failed = stub().chargeNextInstallment(scheduleId, 'failed');
    const paid = stub().chargeNextInstallment(scheduleId, 'paid');
    await api.deliver([...paid, ...failed]);
    pkg = (await api.call('GET', `/v1/packages/${id}`, { as: frontdesk() })).body;
    expect(pkg.status).toBe('active');
    expect(pkg.schedule.installments[0].status).toBe('paid');

    // nothing is charged after a cancel
    const cancelled = await api.call('POST', `/v1/packages/${id}/cancel`, { as: finance() });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.package.schedule.installments.slice(1).map((i: { status: string }) => i.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect(() => stub().chargeNextInstallment(scheduleId, 'paid')).toThrow();
    // down payment (20 % of 2,900.00) and the first installment back: nothing was used
    expect(cancelled.body.refund.amount).toBe(58_000 + pkg.schedule.installments[0].amount.amount);
  });
});

describe('privacy of what goes to Stripe', () => {
  it('no program name (clinic-chosen text) in any request: a distinctive one bought in installments', async () => {
    const name = 'Zephyr Harbour Bundle';
    const program = await api.call('POST', '/v1/clinics/demo-nyc/programs', {
      as: admin,
      body: { name, explorations: 4, tier: 'standard', includes: { preparation: 2, exploration: 4, integration: 2 } },
    });
    expect(program.status).toBe(201);
    const clientId = await signUp(api);
    const res = await buyPackage(api, clientId, {
      programId: program.body.id,
      payment: 'installments',
      installments: { count: 3, downPaymentPercent: 25 },
    });
    expect(res.status).toBe(201);
    await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
    // both the Checkout line item and the installments' product were created, with neutral names
    const id = res.body.package.id;
    const checkout = reqs().find((r) => r.path === '/v1/checkout/sessions' && r.method === 'POST' && r.body.metadata?.packageId === id);
    expect(checkout?.body.line_items?.[0]?.price_data?.product_data?.name).toBe('Care package');
    expect(reqs().some((r) => r.path === '/v1/subscription_schedules' && r.method === 'POST' && JSON.stringify(r.body).includes(id))).toBe(
      true,
    );

    const names = new Set<string>([name, 'Care program 2 - short', 'Care program 1 - single']);
    for (const clinicId of ['demo-nyc', 'demo-tor']) {
      for (const p of (await api.call('GET', `/v1/clinics/${clinicId}/programs`)).body) names.add(p.name);
    }
    expect(names.size).toBeGreaterThan(4);
    for (const r of reqs()) {
      const text = JSON.stringify({ path: r.path, query: r.query, body: r.body }).toLowerCase();
      for (const n of names) expect(text, `${r.method} ${r.path}`).not.toContain(n.toLowerCase());
      expect(text, `${r.method} ${r.path}`).not.toContain('zephyr');
    }
  });

  it('no treatment, drug or diagnosis word and no client detail in any request the suite sent', async () => {
    const words = ['ketamine', 'esketamine', 'dosing', 'dose', 'exploration', 'psychedelic', 'depression', 'ptsd', 'therapy'];
    // signUp's clients: last names "Person…", born 1985-04-12, phone +1 212 555 0123
    const details = ['person', '1985-04-12', '+12125550123', '2125550123', '555-0123'];
    expect(stub().requests.length).toBeGreaterThan(10);
    for (const r of reqs()) {
      const text = JSON.stringify({ path: r.path, query: r.query, body: r.body }).toLowerCase();
      for (const w of words) expect(text, `${r.method} ${r.path}`).not.toContain(w);
      // ICD-10 codes such as F33.2 or F43.10 (random ids may contain "f43", never "f43.")
      expect(text).not.toMatch(/\bf\d\d\.\d/);
      for (const d of details) expect(text, `${r.method} ${r.path}`).not.toContain(d.toLowerCase());
      const metadata = JSON.stringify(r.body.metadata ?? {});
      expect(metadata).not.toMatch(/@|\+1/);
    }
  });
});
