// A session booked and paid singly, paid with a program credit afterwards (docs/domain.md, "A
// program credit for a session booked singly"): POST /v1/appointments/{id}/use-credit through the
// real functions on DynamoDB Local, with the offline Stripe stub for payments and refunds. The
// money (void, or a refund the refund job makes), the package's credits, the schedule's flag, a
// cancel afterwards, every refusal with nothing written, the audit entry, and parallel requests.
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SnsSmsSender } from '#adapters/sns-sms.ts';
import { SmsRepository } from '#db/sms-repo.ts';
import { createReminderJob } from '#functions/reminders/app.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, asClient, clinician, createTestApi, finance, frontdesk, signUp, type Reply, type TestApi } from '#test/helpers/api.ts';
import { createRefundJob } from '#functions/refunds/app.ts';
import { PackageRepository } from '#db/package-repo.ts';
import type { RefundJob } from '#services/refund-job.ts';

const NYC = 'demo-nyc';
const THER = 'demo-nyc-ther-1';
const THER2 = 'demo-nyc-ther-2';

let api: TestApi;
let job: RefundJob;
/** A program of demo-nyc with one credit of each service: a second use of one is refused. */
let oneEach: string;
/** demo-nyc's 4-exploration standard program (2 preparation credits). */
let fourStandard: string;

beforeAll(async () => {
  api = await createTestApi({ payments: true });
  const logger = new Logger({ serviceName: 'use-credit-test', logLevel: 'CRITICAL' });
  job = createRefundJob({ doc: api.table.doc, tableName: api.table.tableName, clock: api.clock, logger, gateway: api.payments!.gateway });
  const created = await api.call('POST', `/v1/clinics/${NYC}/programs`, {
    as: admin,
    body: { name: 'One of each', explorations: 1, tier: 'standard', includes: { preparation: 1, exploration: 1, integration: 1 } },
  });
  expect(created.status).toBe(201);
  oneEach = created.body.id;
  const programs = await api.call('GET', `/v1/clinics/${NYC}/programs`);
  fourStandard = programs.body.find((p: { explorations: number; tier: string }) => p.explorations === 4 && p.tier === 'standard').id;
});
afterAll(async () => api.close());

const stub = () => api.payments!.stub!;
const usd = (amount: number) => ({ amount, currency: 'USD' });

// A distinct hour for every session of this file (10:00 to 16:00, weekdays from 14 December).
let nextSlot = 0;
function freeStart(): string {
  const n = nextSlot++;
  const day = 14 + Math.floor(n / 7) + 2 * Math.floor(n / 35);
  if (day > 31) throw new Error('out of distinct test slots');
  return `2026-12-${String(day).padStart(2, '0')}T${String(10 + (n % 7)).padStart(2, '0')}:00:00-05:00`;
}

/** A session of `service` booked self-pay by the front desk (a video one with Jordan Reyes): its own invoice. */
async function selfPay(clientId: string, service = 'preparation', extra: Record<string, unknown> = {}) {
  const startsAt = freeStart();
  const res = await api.call('POST', '/v1/appointments', {
    as: frontdesk(),
    body: { clinicId: NYC, clientId, providerId: THER2, service, mode: 'telehealth', startsAt, ...extra },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as string, invoiceId: res.body.invoiceId as string | null, startsAt };
}

/** A program bought by the front desk for the client; paid in full (active) unless `paid` is false. */
async function program(clientId: string, programId = fourStandard, paid = true): Promise<string> {
  const res = await api.call('POST', '/v1/packages', { as: frontdesk(), body: { clientId, programId, payment: 'pay_in_full' } });
  expect(res.status).toBe(201);
  if (paid) await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
  return res.body.package.id;
}

/** The client pays the session's invoice by card (Checkout, then the webhook). */
async function pay(clientId: string, invoiceId: string) {
  const res = await api.call('POST', `/v1/invoices/${invoiceId}/checkout`, { as: asClient(clientId) });
  expect(res.status).toBe(201);
  const delivered = await api.deliver(stub().completeCheckout(res.body.checkoutSessionId, 'paid'));
  expect(delivered.every((d) => d.status === 200)).toBe(true);
}

const useCredit = (appointmentId: string, packageId: string, as = frontdesk()) =>
  api.call('POST', `/v1/appointments/${appointmentId}/use-credit`, { as, body: { packageId } });

const invoice = async (id: string) => (await api.call('GET', `/v1/invoices/${id}`, { as: finance() })).body;
const pkgOf = async (id: string) => (await api.call('GET', `/v1/packages/${id}`, { as: frontdesk() })).body;
const creditsUsed = async (id: string, service: string) => (await pkgOf(id)).credits[service].used as number;

/** Every item but rate-limit counters (a refused call still counts against its caller). */
const snapshot = async () =>
  (await api.items())
    .filter((i) => i.type !== 'rate_limit')
    .sort((a, b) => `${String(a.PK)}|${String(a.SK)}`.localeCompare(`${String(b.PK)}|${String(b.SK)}`));

async function expectRefusedUnchanged(call: () => Promise<Reply>, status: number, code: string, rule?: string) {
  const before = await snapshot();
  const res = await call();
  expect([res.status, res.body.error?.code, res.body.error?.rule], JSON.stringify(res.body)).toEqual([status, code, rule]);
  expect(await snapshot()).toEqual(before);
  return res;
}

describe('a session booked singly, paid with a program credit', () => {
  it('unpaid: its invoice void, one credit used, not unpaid on the schedule, audited; an on-time cancel gives the credit back and leaves the invoice', async () => {
    const clientId = await signUp(api);
    const session = await selfPay(clientId);
    const pkg = await program(clientId);
    const unpaidBefore = await api.call('GET', `/v1/clinics/${NYC}/schedule`, {
      as: frontdesk(),
      query: { date: session.startsAt.slice(0, 10) },
    });
    expect(unpaidBefore.body.appointments.find((a: { id: string }) => a.id === session.id).flags).toContain('unpaid');

    const res = await useCredit(session.id, pkg, asClient(clientId));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.appointment).toMatchObject({ id: session.id, status: 'booked', packageId: pkg, invoiceId: session.invoiceId });
    expect(res.body.invoice).toEqual({ id: session.invoiceId, status: 'void', refundDue: usd(0) });
    const voided = await invoice(session.invoiceId!);
    expect(voided).toMatchObject({ status: 'void', total: usd(0), balance: usd(0), refundDue: usd(0), refundState: null });
    expect(voided.lines).toHaveLength(1);
    expect(voided.lines[0]).toMatchObject({ appointmentId: session.id, voided: true });
    expect(await creditsUsed(pkg, 'preparation')).toBe(1);
    // read back as if booked with the package
    expect((await api.call('GET', `/v1/appointments/${session.id}`, { as: asClient(clientId) })).body.packageId).toBe(pkg);

    const schedule = await api.call('GET', `/v1/clinics/${NYC}/schedule`, {
      as: frontdesk(),
      query: { date: session.startsAt.slice(0, 10) },
    });
    const entry = schedule.body.appointments.find((a: { id: string }) => a.id === session.id);
    expect(entry).toMatchObject({ packageId: pkg });
    expect(entry.flags).not.toContain('unpaid');

    const trail = await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin });
    const entries = trail.body.entries.filter((e: { action: string }) => e.action === 'appointment.use_credit');
    expect(entries).toEqual([
      expect.objectContaining({ actor: { sub: `sub-${clientId}`, roles: ['client'] }, record: { type: 'appointment', id: session.id } }),
    ]);

    const cancelled = await api.call('POST', `/v1/appointments/${session.id}/cancel`, { as: asClient(clientId), body: {} });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', late: false, packageId: pkg });
    expect(await creditsUsed(pkg, 'preparation')).toBe(0);
    expect(await invoice(session.invoiceId!)).toEqual(voided);
  });

  it('paid: the payment becomes a refund owed, which the refund job makes once', async () => {
    const clientId = await signUp(api);
    const session = await selfPay(clientId, 'intake');
    await pay(clientId, session.invoiceId!);
    const pkg = await program(clientId);
    // a program covers no intake
    await expectRefusedUnchanged(() => useCredit(session.id, pkg), 422, 'rule_violated', 'no_credit');

    const prep = await selfPay(clientId);
    await pay(clientId, prep.invoiceId!);
    const res = await useCredit(prep.id, pkg);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.invoice).toEqual({ id: prep.invoiceId, status: 'paid', refundDue: usd(17_500) });
    expect(await invoice(prep.invoiceId!)).toMatchObject({ status: 'paid', refundDue: usd(17_500), refundState: 'scheduled' });

    const refundsBefore = stub().requests.filter((r) => r.path === '/v1/refunds').length;
    await job.run();
    await job.run();
    const refunded = await invoice(prep.invoiceId!);
    expect(refunded).toMatchObject({ status: 'refunded', refunded: usd(17_500), refundDue: usd(0), refundState: null });
    expect(refunded.refunds).toHaveLength(1);
    expect(stub().requests.filter((r) => r.path === '/v1/refunds').length - refundsBefore).toBe(1);
    expect(await creditsUsed(pkg, 'preparation')).toBe(1);

    // cancelled on time afterwards: the credit back, the refunded invoice as it was
    const cancelled = await api.call('POST', `/v1/appointments/${prep.id}/cancel`, { as: frontdesk(), body: {} });
    expect(cancelled.status).toBe(200);
    expect(await creditsUsed(pkg, 'preparation')).toBe(0);
    expect(await invoice(prep.invoiceId!)).toEqual(refunded);
  });

  it('a late cancel afterwards charges no fee on the voided invoice; the package forfeits the credit as for any package session', async () => {
    const clientId = await signUp(api);
    const session = await selfPay(clientId);
    const pkg = await program(clientId);
    expect((await useCredit(session.id, pkg)).status).toBe(200);
    const voided = await invoice(session.invoiceId!);
    api.clock.set(Date.parse(session.startsAt) - 3_600_000);
    try {
      const late = await api.call('POST', `/v1/appointments/${session.id}/cancel`, { as: asClient(clientId), body: {} });
      expect(late.body).toMatchObject({ status: 'cancelled', late: true });
    } finally {
      api.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    }
    expect(await invoice(session.invoiceId!)).toEqual(voided);
    expect(await creditsUsed(pkg, 'preparation')).toBe(1);
  });

  it('a checked-in session may still be paid with a credit', async () => {
    const clientId = await signUp(api);
    const session = await selfPay(clientId);
    const pkg = await program(clientId);
    api.clock.set(Date.parse(session.startsAt) - 10 * 60_000);
    try {
      expect((await api.call('POST', `/v1/appointments/${session.id}/check-in`, { as: frontdesk() })).status).toBe(200);
      const res = await useCredit(session.id, pkg);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.appointment).toMatchObject({ status: 'checked_in', packageId: pkg });
    } finally {
      api.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    }
  });
});

describe('refused, with nothing written', () => {
  let clientId: string;
  let pkg: string;
  let session: { id: string; invoiceId: string | null; startsAt: string };
  beforeAll(async () => {
    clientId = await signUp(api);
    pkg = await program(clientId);
    session = await selfPay(clientId);
  });

  it('400 for a bad body, field by field, unknown fields refused', async () => {
    let res = await expectRefusedUnchanged(
      () => api.call('POST', `/v1/appointments/${session.id}/use-credit`, { as: frontdesk(), body: {} }),
      400,
      'validation_failed',
    );
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: 'packageId' }));
    res = await expectRefusedUnchanged(
      () => api.call('POST', `/v1/appointments/${session.id}/use-credit`, { as: frontdesk(), body: { packageId: pkg, extra: 1 } }),
      400,
      'validation_failed',
    );
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: 'extra' }));
    await expectRefusedUnchanged(
      () => api.call('POST', `/v1/appointments/${session.id}/use-credit`, { as: frontdesk(), body: { packageId: 42 } }),
      400,
      'validation_failed',
    );
  });

  it("404 for an unknown appointment or package, and for another client's package", async () => {
    await expectRefusedUnchanged(() => useCredit('apt_unknown', pkg), 404, 'not_found');
    await expectRefusedUnchanged(() => useCredit(session.id, 'pkg_unknown'), 404, 'not_found');
    const other = await signUp(api);
    const theirs = await program(other);
    await expectRefusedUnchanged(() => useCredit(session.id, theirs), 404, 'not_found');
    // a client naming another's package learns nothing more than about an unknown one
    await expectRefusedUnchanged(() => useCredit(session.id, theirs, asClient(clientId)), 404, 'not_found');
    // another client's appointment: 403, as every record out of the caller's scope
    await expectRefusedUnchanged(() => useCredit(session.id, theirs, asClient(other)), 403, 'forbidden');
  });

  it('409 when the session is no longer booked, a package pays for it already, or the package is not usable', async () => {
    const gone = await selfPay(clientId);
    expect((await api.call('POST', `/v1/appointments/${gone.id}/cancel`, { as: frontdesk(), body: {} })).status).toBe(200);
    await expectRefusedUnchanged(() => useCredit(gone.id, pkg), 409, 'conflict');

    const booked = await selfPay(clientId, 'preparation', { packageId: pkg });
    await expectRefusedUnchanged(() => useCredit(booked.id, pkg), 409, 'conflict');

    const unpaid = await program(clientId, fourStandard, false);
    await expectRefusedUnchanged(() => useCredit(session.id, unpaid), 409, 'conflict');

    const toCancel = await program(clientId);
    expect((await api.call('POST', `/v1/packages/${toCancel}/cancel`, { as: finance() })).status).toBe(200);
    await expectRefusedUnchanged(() => useCredit(session.id, toCancel), 409, 'conflict');
  });

  it('422 no_credit when none of the service is left; payment_past_due for an exploration on a past-due package', async () => {
    // pkg's two preparation credits: one taken by the booking above, one by this use
    expect((await useCredit(session.id, pkg)).status).toBe(200);
    const another = await selfPay(clientId);
    await expectRefusedUnchanged(() => useCredit(another.id, pkg), 422, 'rule_violated', 'no_credit');

    const explorer = await signUp(api, { rideHome: { name: 'Sam', phone: '+12125550188' } });
    await api.call('POST', `/v1/clients/${explorer}/clearance`, {
      as: clinician(),
      body: { status: 'cleared', screenedFor: ['hypertension'] },
    });
    for (const [service, startsAt] of [
      ['intake', '2026-12-02T15:00:00-05:00'],
      ['preparation', '2026-12-03T15:00:00-05:00'],
      ['preparation', '2026-12-04T15:00:00-05:00'],
    ] as const) {
      const res = await api.call('POST', '/v1/appointments', {
        as: frontdesk(),
        body: { clinicId: NYC, clientId: explorer, providerId: THER2, service, mode: 'telehealth', startsAt },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const exploration = await api.call('POST', '/v1/appointments', {
      as: frontdesk(),
      body: {
        clinicId: NYC,
        clientId: explorer,
        providerId: THER,
        service: 'exploration',
        mode: 'in_person',
        startsAt: '2026-12-21T09:00:00-05:00',
      },
    });
    expect(exploration.status, JSON.stringify(exploration.body)).toBe(201);

    const bought = await api.call('POST', '/v1/packages', {
      as: frontdesk(),
      body: { clientId: explorer, programId: fourStandard, payment: 'installments', installments: { count: 3, downPaymentPercent: 25 } },
    });
    expect(bought.status).toBe(201);
    await api.deliver(stub().completeCheckout(bought.body.checkoutSessionId, 'paid'));
    const stored = await new PackageRepository(api.table.doc, api.table.tableName).require(bought.body.package.id);
    await api.deliver(stub().chargeNextInstallment(stored.stripe.scheduleId!, 'failed'));
    expect((await pkgOf(bought.body.package.id)).status).toBe('past_due');
    await expectRefusedUnchanged(() => useCredit(exploration.body.id, bought.body.package.id), 422, 'rule_violated', 'payment_past_due');
    // a past-due package still pays for a preparation, as it still books one
    const prep = await selfPay(explorer);
    expect((await useCredit(prep.id, bought.body.package.id)).status).toBe(200);
    // its voided invoice owes nothing, but the package it stands on is not paid up: unpaid
    const schedule = await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as: frontdesk(), query: { date: prep.startsAt.slice(0, 10) } });
    expect(schedule.body.appointments.find((a: { id: string }) => a.id === prep.id).flags).toContain('unpaid');
  });
});

describe('at the same time', () => {
  it('two sessions, one credit left: one 200 and one 422 no_credit, the credit used once, one invoice voided', async () => {
    const clientId = await signUp(api);
    const pkg = await program(clientId, oneEach);
    const [a, b] = [await selfPay(clientId), await selfPay(clientId)];
    const replies = await Promise.all([useCredit(a.id, pkg), useCredit(b.id, pkg)]);
    const statuses = replies.map((r) => [r.status, r.body.error?.rule ?? null]).sort();
    expect(statuses, JSON.stringify(replies.map((r) => r.body))).toEqual([
      [200, null],
      [422, 'no_credit'],
    ]);
    expect(await creditsUsed(pkg, 'preparation')).toBe(1);
    const invoices = [await invoice(a.invoiceId!), await invoice(b.invoiceId!)].map((i) => i.status).sort();
    expect(invoices).toEqual(['open', 'void']);
  });

  it('the same session twice: one 200, the other 409; one credit, one void, one refund', async () => {
    const clientId = await signUp(api);
    const pkg = await program(clientId);
    const session = await selfPay(clientId);
    await pay(clientId, session.invoiceId!);
    const replies = await Promise.all([useCredit(session.id, pkg), useCredit(session.id, pkg, asClient(clientId))]);
    expect(replies.map((r) => r.status).sort(), JSON.stringify(replies.map((r) => r.body))).toEqual([200, 409]);
    expect(await creditsUsed(pkg, 'preparation')).toBe(1);
    const refundsBefore = stub().requests.filter((r) => r.path === '/v1/refunds').length;
    await job.run();
    await job.run();
    const settled = await invoice(session.invoiceId!);
    expect(settled).toMatchObject({ status: 'refunded', refunded: usd(17_500), refundDue: usd(0) });
    expect(settled.lines.filter((l: { voided: boolean }) => l.voided)).toHaveLength(1);
    expect(settled.refunds).toHaveLength(1);
    expect(stub().requests.filter((r) => r.path === '/v1/refunds').length - refundsBefore).toBe(1);
  });
});

describe("the session's reminders", () => {
  it('one already sent keeps its record; the one still to come goes once, for the same time', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolves({ isOptedOut: false });
    const reminders = createReminderJob({
      doc: api.table.doc,
      tableName: api.table.tableName,
      clock: api.clock,
      logger: new Logger({ serviceName: 'use-credit-test', logLevel: 'CRITICAL' }),
      sender: new SnsSmsSender(new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), {
        originationNumber: '+18005550100',
      }),
      options: { ratePerSecond: 1000, rescheduleHint: 'call 212-555-0100' },
    });
    const sms = new SmsRepository(api.table.doc, api.table.tableName);
    const reminderStates = async (id: string) =>
      Object.fromEntries(
        (await sms.ofAppointment(id)).filter((s) => s.kind === 'reminder').map((s) => [s.offsetHours, [s.state, s.apptVersion]]),
      );
    try {
      const clientId = await signUp(api, { smsConsent: true });
      const session = await selfPay(clientId);
      const pkg = await program(clientId);
      const start = Date.parse(session.startsAt);
      const sentFor = (run: { sent: Array<{ appointmentId: string; kind: string }> }) =>
        run.sent.filter((s) => s.appointmentId === session.id && s.kind === 'reminder').length;

      expect(sentFor(await reminders.run({ now: start - 48 * 3_600_000 }))).toBe(1);
      api.clock.set(start - 24 * 3_600_000);
      try {
        expect((await useCredit(session.id, pkg)).status).toBe(200);
      } finally {
        api.clock.set(Date.parse('2026-12-01T12:00:00Z'));
      }
      const after = await reminderStates(session.id);
      // the 48 h reminder's record stays as it went; the 2 h one is planned for the new version
      expect(after[48]?.[0]).toBe('sent');
      expect(after[2]?.[0]).toBe('pending');
      expect(sentFor(await reminders.run({ now: start - 2 * 3_600_000 }))).toBe(1);
      expect(sentFor(await reminders.run({ now: start - 3_600_000 }))).toBe(0);
      expect((await reminderStates(session.id))[2]?.[0]).toBe('sent');
    } finally {
      sns.restore();
    }
  });
});
