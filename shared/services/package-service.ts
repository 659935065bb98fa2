// Programs, packages and payments (issue 3; api-contract.md "Programs, packages and payments").
//
// A purchase creates the package (pending_payment) and a Stripe Checkout Session; the package
// turns active only from a verified webhook, never from the browser's return. Webhook events are
// turned into payment facts (shared/domain/package-rules.ts) whose application is idempotent and
// order-independent, so at-least-once, out-of-order and concurrent deliveries change state once.
import type { PaymentGateway, GatewayEvent } from '#adapters/payment-gateway.ts';
import type { Package, PaymentMode, Program, ProgramTier } from '#domain/packages.ts';
import { ConflictError, NotFoundError, RuleViolation, ValidationError } from '#domain/errors.ts';
import { assertNeutralName, creditListPrices, programPrice } from '#domain/programs.ts';
import { firstDueDateAfter, installmentEligibility, planInstallments } from '#domain/installments.ts';
import { applyFact, creditsFor, refundDue, type PaymentFact } from '#domain/package-rules.ts';
import { localDate, wallClockToInstant } from '#domain/time.ts';
import { StaleReadError, withOptimisticRetry } from '#db/errors.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { ServiceContext } from './context.ts';
import type { AppointmentService } from './appointment-service.ts';
import { factsFromEvent, packageIdOf } from './stripe-events.ts';

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export interface CreateProgramInput {
  name: string;
  explorations: number;
  tier: ProgramTier;
  includes: { preparation: number; exploration: number; integration: number };
  /** An explicit bundle price in minor units; default: the catalog's list prices. */
  price?: number | undefined;
}

export interface PurchaseInput {
  clientId: string;
  programId: string;
  payment: PaymentMode;
  installments?: { count: number; downPaymentPercent: number } | undefined;
}

export interface PackageServiceOptions {
  /** Where Checkout sends the browser back (the clinic's web app); the package page shows the state. */
  appBaseUrl: string;
}

export class PackageService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly gateway: PaymentGateway,
    private readonly appointments: AppointmentService,
    private readonly opts: PackageServiceOptions,
  ) {}

  private get repos() {
    return this.ctx.repos;
  }

  async programs(clinicId: string): Promise<Program[]> {
    const setup = await this.repos.clinics.setup(clinicId);
    return setup.programs.filter((p) => !p.retired).sort((a, b) => a.explorations - b.explorations || a.tier.localeCompare(b.tier));
  }

  async createProgram(caller: Caller, clinicId: string, input: CreateProgramInput): Promise<Program> {
    caller.assert({ clinicId });
    assertNeutralName(input.name);
    const setup = await this.repos.clinics.setup(clinicId);
    if (input.includes.exploration !== input.explorations) {
      throw new ValidationError([{ path: 'includes.exploration', message: 'Must equal explorations' }]);
    }
    const program: Program = {
      id: this.ctx.ids('prg'),
      clinicId,
      name: input.name,
      explorations: input.explorations,
      tier: input.tier,
      includes: { ...input.includes },
      price: programPrice(setup.services, input.includes, setup.clinic.currency, input.price),
      retired: false,
      createdAt: this.ctx.clock.now(),
    };
    await this.repos.clinics.putProgram(program);
    return program;
  }

  async retireProgram(caller: Caller, clinicId: string, programId: string): Promise<void> {
    caller.assert({ clinicId });
    await this.repos.clinics.retireProgram(clinicId, programId);
  }

  async purchase(caller: Caller, input: PurchaseInput): Promise<{ pkg: Package; checkoutUrl: string; checkoutSessionId: string }> {
    const client = await this.repos.clients.get(input.clientId);
    if (!client) throw new NotFoundError('client');
    caller.assert({ clinicId: client.clinicId, clientId: client.id });
    const setup = await this.repos.clinics.setup(client.clinicId);
    const { clinic } = setup;
    const program = setup.programs.find((pr) => pr.id === input.programId);
    if (!program) throw new NotFoundError('program');
    if (program.retired) throw new ConflictError('This program is no longer offered');
    const now = this.ctx.clock.now();
    const price = program.price; // locked on the package at purchase

    let methods: Array<'card' | 'affirm' | 'klarna'> = ['card'];
    let chargeNow = price.amount;
    let plan: Package['plan'];
    if (input.payment === 'bnpl') {
      const bnpl = this.gateway.bnplMethods(clinic.country, clinic.currency);
      if (bnpl.length === 0) {
        throw new RuleViolation('bnpl_unavailable', `Buy now, pay later is not offered for ${clinic.currency} in ${clinic.country}`);
      }
      methods = bnpl;
    }
    if (input.payment === 'installments') {
      if (!input.installments) throw new ValidationError([{ path: 'installments', message: 'Required for installments' }]);
      const pastDue = (await this.repos.packages.ofClient(client.id)).some((e) => e.status === 'past_due');
      const eligible = installmentEligibility({
        policy: clinic.policy.installments,
        total: price.amount,
        count: input.installments.count,
        downPaymentPercent: input.installments.downPaymentPercent,
        hasPastDuePackage: pastDue,
      });
      if (!eligible.ok) throw new RuleViolation('installments_not_eligible', eligible.reason);
      plan = planInstallments({
        total: price.amount,
        downPaymentPercent: input.installments.downPaymentPercent,
        count: input.installments.count,
        firstDueDate: firstDueDateAfter(localDate(now, clinic.timezone)),
      });
      chargeNow = plan.downPayment;
    } else if (input.installments) {
      throw new ValidationError([{ path: 'installments', message: 'Only for payment "installments"' }]);
    }

    const pkg: Package = {
      id: this.ctx.ids('pkg'),
      clinicId: clinic.id,
      clientId: client.id,
      programId: program.id,
      programName: program.name,
      status: 'pending_payment',
      price,
      payment: input.payment,
      credits: creditsFor(program.includes),
      plan,
      payments: [],
      stripe: {},
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.repos.packages.create(pkg);
    const session = await this.gateway.createCheckout({
      packageId: pkg.id,
      clinicId: clinic.id,
      clientId: client.id,
      methods,
      currency: price.currency,
      amount: chargeNow,
      description: 'Care package', // neutral: no clinic-chosen text (the program's name) reaches Stripe
      saveCard: input.payment === 'installments',
      successUrl: `${this.opts.appBaseUrl}/packages/${pkg.id}?checkout=done`,
      cancelUrl: `${this.opts.appBaseUrl}/packages/${pkg.id}?checkout=cancelled`,
      idempotencyKey: `checkout-${pkg.id}`,
    });
    const saved = await this.repos.packages.replace(pkg, { ...pkg, checkoutSessionId: session.id, updatedAt: now });
    return { pkg: saved, checkoutUrl: session.url, checkoutSessionId: session.id };
  }

  async get(caller: Caller, packageId: string): Promise<Package> {
    const pkg = await this.repos.packages.require(packageId);
    caller.assert(pkg);
    return pkg;
  }

  /** Applies facts to a package on a fresh read until the write holds (optimistic, idempotent). */
  private async applyFacts(packageId: string, facts: PaymentFact[], extra?: (pkg: Package) => Partial<Package>): Promise<Package> {
    return withOptimisticRetry(async () => {
      const before = await this.repos.packages.require(packageId);
      let after: Package = before;
      for (const fact of facts) after = applyFact(after, fact);
      after = { ...after, ...(extra ? extra(after) : {}) };
      if (JSON.stringify(after) === JSON.stringify(before)) return before;
      return this.repos.packages.replace(before, { ...after, updatedAt: this.ctx.clock.now() });
    });
  }

  /**
   * Cancels a package (front desk, finance): its future appointments free of charge, future
   * installments stopped, and what was paid minus the list value of the sessions used refunded
   * through Stripe with idempotency keys. Already cancelled → 409 conflict.
   */
  async cancel(caller: Caller, packageId: string): Promise<{ pkg: Package; refund: number }> {
    const first = await this.repos.packages.require(packageId);
    caller.assert(first);
    const setup = await this.repos.clinics.setup(first.clinicId);
    const now = this.ctx.clock.now();
    // 1. the package stops being usable: bookings against it fail from here on
    const cancelled = await withOptimisticRetry(async () => {
      const before = await this.repos.packages.require(packageId);
      if (before.status === 'cancelled') throw new ConflictError('The package is already cancelled');
      const after = applyFact(before, { kind: 'cancelled', ref: `cancel-${packageId}`, at: now });
      return this.repos.packages.replace(before, { ...after, updatedAt: now });
    }).catch((err: unknown) => {
      if (err instanceof StaleReadError) throw new ConflictError('The package changed meanwhile; try again');
      throw err;
    });
    // 2. its future appointments, free of charge
    const appts = await this.repos.clients.appointments(cancelled.clientId);
    for (const a of appts) {
      if (a.packageId === packageId && a.status === 'booked' && a.startsAt > now) {
        await this.appointments.cancelForPackage(a.id);
      }
    }
    // 3. no charge after a cancel
    if (cancelled.stripe.scheduleId) await this.gateway.cancelInstallments(cancelled.stripe.scheduleId, `cancel-schedule-${packageId}`);
    // the credits as they are now that the future sessions gave theirs back
    const current = await this.repos.packages.require(packageId);
    // 4. refund what is unused, across the payments made, newest first
    const paid = cancelled.payments.filter((x) => x.status === 'succeeded' && x.kind !== 'refund').reduce((s, x) => s + x.amount.amount, 0);
    const refunded = cancelled.payments.filter((x) => x.kind === 'refund' && x.status === 'succeeded').reduce((s, x) => s + x.amount.amount, 0);
    const used = { preparation: current.credits.preparation.used, exploration: current.credits.exploration.used, integration: current.credits.integration.used };
    const due = Math.max(0, refundDue({ paid, used, listPrices: creditListPrices(setup.services, cancelled.price.currency) }) - refunded);
    let left = due;
    const facts: PaymentFact[] = [];
    for (const payment of [...cancelled.payments].reverse()) {
      if (left <= 0) break;
      if (payment.kind === 'refund' || payment.status !== 'succeeded') continue;
      const intent =
        payment.kind === 'installment' ? await this.gateway.invoicePaymentIntent?.(payment.ref) : cancelled.stripe.paymentIntentId;
      if (!intent) continue;
      const amount = Math.min(left, payment.amount.amount);
      const res = await this.gateway.refund({ packageId, paymentIntentId: intent, amount, idempotencyKey: `refund-${packageId}-${payment.ref}` });
      facts.push({ kind: 'refunded', ref: res.refundId, at: now, amount });
      left -= amount;
    }
    const pkg = facts.length ? await this.applyFacts(packageId, facts) : cancelled;
    return { pkg, refund: due - left };
  }

  /**
   * A verified Stripe event. Each delivery is claimed by event id first: a second delivery of a
   * processed event changes nothing; one arriving while the first is still being processed is
   * refused (Stripe retries it later). Unknown types are acknowledged and ignored.
   */
  async handleEvent(event: GatewayEvent): Promise<{ status: 'processed' | 'duplicate' | 'ignored' | 'busy' }> {
    const packageId = packageIdOf(event);
    if (!packageId) return { status: 'ignored' };
    const claim = await this.repos.packages.claimEvent(event.id, event.type, this.ctx.clock.now());
    if (claim === 'done') return { status: 'duplicate' };
    if (claim === 'busy') return { status: 'busy' };
    try {
      const pkg = await this.repos.packages.get(packageId);
      if (pkg) {
        const { facts, stripe } = factsFromEvent(event, pkg);
        const updated = await this.applyFacts(packageId, facts, (after) => ({ stripe: { ...after.stripe, ...definedOnly(stripe) } }));
        await this.afterPayment(updated);
      }
      await this.repos.packages.finishEvent(event.id, this.ctx.clock.now());
      return { status: 'processed' };
    } catch (err) {
      await this.repos.packages.releaseEvent(event.id);
      throw err;
    }
  }

  /**
   * Once the down payment is in, the remaining installments are scheduled on the saved card
   * (idempotent: the same key for the same package; a schedule already recorded is kept).
   */
  private async afterPayment(pkg: Package): Promise<void> {
    if (pkg.payment !== 'installments' || !pkg.plan || pkg.stripe.scheduleId || pkg.status === 'cancelled') return;
    const downPaid = pkg.payments.some((x) => x.kind === 'down_payment' && x.status === 'succeeded');
    if (!downPaid || !pkg.checkoutSessionId) return;
    const first = pkg.plan.installments[0];
    if (!first) return;
    // the saved card is not in the webhook payload: ask Stripe which one the checkout kept
    const saved = await this.gateway.retrieveCheckoutPayment?.(pkg.checkoutSessionId);
    const customerId = saved?.customerId ?? pkg.stripe.customerId;
    const paymentMethodId = saved?.paymentMethodId;
    if (!customerId || !paymentMethodId) throw new Error('the checkout kept no card for the installments');
    const clinic = await this.repos.clinics.require(pkg.clinicId);
    const startAt = Math.floor((wallClockToInstant(first.dueDate, '10:00', clinic.timezone) ?? Date.parse(`${first.dueDate}T15:00:00Z`)) / 1000);
    const { scheduleId } = await this.gateway.scheduleInstallments({
      packageId: pkg.id,
      customerId,
      paymentMethodId,
      currency: pkg.price.currency,
      description: 'Care package installment', // neutral, as the checkout's line item
      amounts: pkg.plan.installments.map((i) => i.amount),
      startAt,
      idempotencyKey: `schedule-${pkg.id}`,
    });
    await this.applyFacts(pkg.id, [], (after) => ({ stripe: { ...after.stripe, customerId, paymentMethodId, scheduleId, scheduleStartAt: startAt } }));
  }
}
