// Payment facts on a package: applied on a fresh read until the write holds, and turned from
// verified Stripe events (shared/services/stripe-events.ts). Applying a fact is idempotent and
// order-independent (applyFact in shared/domain/package-rules.ts), so at-least-once, out-of-order
// and concurrent deliveries change the package once.
import type { PaymentGateway, GatewayEvent } from '#adapters/payment-gateway.ts';
import type { Package } from '#domain/packages.ts';
import type { AuditEntry, AuditTarget } from '#domain/audit.ts';
import { applyFact, lapsedAt, paymentMethodChangeRefusal, type PaymentFact } from '#domain/package-rules.ts';
import { applyPayment, applyRefund, syncPackageInvoice, type Invoice } from '#domain/invoices.ts';
import { wallClockToInstant } from '#domain/time.ts';
import { withOptimisticRetry } from '#db/errors.ts';
import type { Clock } from '#adapters/clock.ts';
import type { Repositories } from './context.ts';
import { factsFromEvent, invoiceFactsFromEvent, isSetupSession, subjectOf } from './stripe-events.ts';

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** What applying facts needs: the packages, their invoices and the clock (updatedAt). */
export type ApplyFactsDeps = Pick<Repositories, 'packages' | 'invoices'> & { clock: Clock };

/**
 * Applies facts to a package on a fresh read until the write holds (optimistic, idempotent), and
 * brings the package's invoice up to date in the same transaction (syncPackageInvoice): its
 * payments, refunds and cancel credit never disagree with the package. The invoice is synced even
 * when the package itself is unchanged, so a change recorded before invoices existed, or by a
 * delivery that stopped half-way, still reaches it.
 */
export async function applyFacts(
  deps: ApplyFactsDeps,
  packageId: string,
  facts: PaymentFact[],
  extra?: (pkg: Package) => Partial<Package>,
): Promise<Package> {
  return withOptimisticRetry(async () => {
    const before = await deps.packages.require(packageId);
    let after: Package = before;
    for (const fact of facts) after = applyFact(after, fact);
    after = { ...after, ...(extra ? extra(after) : {}) };
    const invoice = before.invoiceId ? await deps.invoices.require(before.invoiceId) : null;
    const invoiceWrites = invoice
      ? deps.invoices.replaceWrites(invoice, syncPackageInvoice(invoice, { ...after, lapsedAt: lapsedAt(after) }))
      : undefined;
    const packageChanged = JSON.stringify(after) !== JSON.stringify(before);
    if (!packageChanged && !invoiceWrites?.items.length) return before;
    return deps.packages.replace(before, packageChanged ? { ...after, updatedAt: deps.clock.now() } : before, invoiceWrites);
  });
}

/** What PaymentEvents uses besides the gateway: the packages (and their event claims), the clinic's time zone, the clock. */
export type PaymentEventsDeps = Pick<Repositories, 'packages' | 'invoices' | 'clinics' | 'audit'> & { clock: Clock };

/** The audit entry of the delivering request for the record an event changed (Caller.auditEntry). */
export type EventAuditEntry = (target: AuditTarget, at: number) => AuditEntry | undefined;

export class PaymentEvents {
  constructor(
    private readonly deps: PaymentEventsDeps,
    private readonly gateway: PaymentGateway,
  ) {}

  /**
   * A verified Stripe event. Each delivery is claimed by event id first: a second delivery of a
   * processed event changes nothing; one arriving while the first is still being processed is
   * refused (Stripe retries it later). Unknown types are acknowledged and ignored.
   *
   * `entryFor`: the delivering request's audit entry for a record. The change is audited before
   * the event is marked finished: an append that fails releases the event, and Stripe's redelivery
   * applies it again (facts are idempotent) and writes the entry then. `changed` is what the entry
   * was about, already recorded.
   */
  async handleEvent(
    event: GatewayEvent,
    entryFor: EventAuditEntry,
  ): Promise<{ status: 'processed' | 'duplicate' | 'ignored' | 'busy'; changed?: AuditTarget }> {
    const subject = subjectOf(event);
    if (!subject) return { status: 'ignored' };
    const packages = this.deps.packages;
    const claim = await packages.claimEvent(event.id, event.type, this.deps.clock.now());
    if (claim === 'done') return { status: 'duplicate' };
    if (claim === 'busy') return { status: 'busy' };
    try {
      const changed = subject.kind === 'package' ? await this.packageEvent(subject.id, event) : await this.invoiceEvent(subject.id, event);
      const entry = changed && entryFor(changed, this.deps.clock.now());
      if (entry) await this.deps.audit.append([entry]);
      await packages.finishEvent(event.id, this.deps.clock.now());
      return changed ? { status: 'processed', changed } : { status: 'processed' };
    } catch (err) {
      await packages.releaseEvent(event.id);
      throw err;
    }
  }

  /** The package's event; what it was about, for the audit trail (undefined: no such package). */
  private async packageEvent(packageId: string, event: GatewayEvent): Promise<AuditTarget | undefined> {
    const pkg = await this.deps.packages.get(packageId);
    if (!pkg) return undefined;
    // another card for the plan (payment-method-service.ts): no payment fact of its own
    if (isSetupSession(event)) return this.savedPaymentMethod(pkg, event);
    const { facts, stripe } = factsFromEvent(event, pkg);
    const updated = await applyFacts(this.deps, packageId, facts, (after) => ({ stripe: { ...after.stripe, ...definedOnly(stripe) } }));
    await this.afterPayment(updated);
    return { clientId: pkg.clientId, clinicId: pkg.clinicId, record: { type: 'package', id: pkg.id } };
  }

  /**
   * A completed setup session of `pkg` (checkout.session.completed, mode setup; opened by
   * PaymentMethodService): the card becomes the plan's and the open invoices are paid with it
   * (PaymentGateway.replacePaymentMethod), then the package records the card. Their invoice.paid
   * events make the installments paid. Nothing happens when the plan closed meanwhile (cancelled,
   * completed) or the session is not on the plan's customer. A Stripe failure throws: the delivery
   * is released and Stripe redelivers; every step is safe to repeat.
   */
  private async savedPaymentMethod(pkg: Package, event: GatewayEvent): Promise<AuditTarget | undefined> {
    const session = event.object;
    const sessionId = typeof session.id === 'string' ? session.id : undefined;
    if (event.type !== 'checkout.session.completed' || session.status !== 'complete' || !sessionId) return undefined;
    if (paymentMethodChangeRefusal(pkg) !== null || session.customer !== pkg.stripe.customerId) return undefined;
    const replace = this.gateway.replacePaymentMethod?.bind(this.gateway);
    if (!replace) throw new Error('the payment gateway cannot replace a card');
    const { paymentMethodId } = await replace({
      sessionId,
      scheduleId: pkg.stripe.scheduleId!, // paymentMethodChangeRefusal checks it
      idempotencyKey: `payment-method-${sessionId}`,
    });
    await applyFacts(this.deps, pkg.id, [], (after) => ({ stripe: { ...after.stripe, paymentMethodId } }));
    return { clientId: pkg.clientId, clinicId: pkg.clinicId, record: { type: 'package', id: pkg.id } };
  }

  /**
   * A payment or refund of a self-pay invoice: merged into the invoice on a fresh read until the
   * write holds (applyPayment and applyRefund are idempotent and order-independent, so redelivered
   * and reordered events change it once). An invoice that does not exist changes nothing.
   */
  private async invoiceEvent(invoiceId: string, event: GatewayEvent): Promise<AuditTarget | undefined> {
    const facts = invoiceFactsFromEvent(event);
    if (facts.length === 0) return undefined;
    return withOptimisticRetry(async () => {
      const before = await this.deps.invoices.get(invoiceId);
      if (!before) return undefined;
      let after: Invoice = before;
      for (const f of facts) after = f.kind === 'payment' ? applyPayment(after, f.fact) : applyRefund(after, f.fact);
      await this.deps.invoices.replace(before, after);
      return { clientId: before.clientId, clinicId: before.clinicId, record: { type: 'invoice', id: before.id } };
    });
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
    const clinic = await this.deps.clinics.require(pkg.clinicId);
    const startAt = Math.floor(
      (wallClockToInstant(first.dueDate, '10:00', clinic.timezone) ?? Date.parse(`${first.dueDate}T15:00:00Z`)) / 1000,
    );
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
    await applyFacts(this.deps, pkg.id, [], (after) => ({
      stripe: { ...after.stripe, customerId, paymentMethodId, scheduleId, scheduleStartAt: startAt },
    }));
  }
}
