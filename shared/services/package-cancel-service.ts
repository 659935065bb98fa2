// Cancelling a package (front desk, finance): it stops being usable, its future appointments are
// cancelled free of charge, future installments stop, and what is unused is refunded through Stripe.
// What is refunded and from which payments is decided in shared/domain/package-rules.ts
// (cancelRefundDue, nextRefundShare).
import type { PaymentGateway } from '#adapters/payment-gateway.ts';
import type { Package, PaymentRecord } from '#domain/packages.ts';
import { ConflictError } from '#domain/errors.ts';
import { creditListPrices } from '#domain/programs.ts';
import { applyFact, cancelRefundDue, nextRefundShare, type PaymentFact } from '#domain/package-rules.ts';
import { StaleReadError, withOptimisticRetry } from '#db/errors.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { ServiceContext } from './context.ts';
import type { AppointmentService } from './appointment-service.ts';
import { applyFacts } from './payment-facts.ts';

export class PackageCancelService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly gateway: PaymentGateway,
    private readonly appointments: AppointmentService,
  ) {}

  /**
   * Cancels a package: its future appointments free of charge, future installments stopped, and
   * what was paid minus the list value of the sessions used refunded through Stripe with
   * idempotency keys. Already cancelled → 409 conflict.
   */
  async cancel(caller: Caller, packageId: string): Promise<{ pkg: Package; refund: number }> {
    const packages = this.ctx.repos.packages;
    const first = await packages.require(packageId);
    caller.assert(first);
    const setup = await this.ctx.repos.clinics.setup(first.clinicId);
    const now = this.ctx.clock.now();
    // 1. the package stops being usable: bookings against it fail from here on
    const cancelled = await this.markCancelled(packageId, now);
    // 2. its future appointments, free of charge
    await this.cancelFutureSessions(cancelled, now);
    // 3. no charge after a cancel
    if (cancelled.stripe.scheduleId) await this.gateway.cancelInstallments(cancelled.stripe.scheduleId, `cancel-schedule-${packageId}`);
    // 4. refund what is unused, with the credits as they are now that the future sessions gave theirs back
    const { credits } = await packages.require(packageId);
    const due = cancelRefundDue(cancelled, credits, creditListPrices(setup.services, cancelled.price.currency));
    const { facts, refunded } = await this.refund(cancelled, due, now);
    const pkg = facts.length ? await applyFacts(this.ctx, packageId, facts) : cancelled;
    return { pkg, refund: refunded };
  }

  private async markCancelled(packageId: string, now: number): Promise<Package> {
    return withOptimisticRetry(async () => {
      const before = await this.ctx.repos.packages.require(packageId);
      if (before.status === 'cancelled') throw new ConflictError('The package is already cancelled');
      const after = applyFact(before, { kind: 'cancelled', ref: `cancel-${packageId}`, at: now });
      return this.ctx.repos.packages.replace(before, { ...after, updatedAt: now });
    }).catch((err: unknown) => {
      if (err instanceof StaleReadError) throw new ConflictError('The package changed meanwhile; try again');
      throw err;
    });
  }

  /** Its booked appointments still to come, cancelled free (their credits given back). */
  private async cancelFutureSessions(pkg: Package, now: number): Promise<void> {
    const appts = await this.ctx.repos.clients.appointments(pkg.clientId);
    for (const a of appts) {
      if (a.packageId === pkg.id && a.status === 'booked' && a.startsAt > now) {
        await this.appointments.cancelForPackage(a.id);
      }
    }
  }

  /**
   * Refunds `due` across the payments made, one share at a time (nextRefundShare): a payment
   * without a payment intent to refund against passes its share to the next older one. Returns
   * the refund facts to record and the total refunded.
   */
  private async refund(pkg: Package, due: number, now: number): Promise<{ facts: PaymentFact[]; refunded: number }> {
    const facts: PaymentFact[] = [];
    let left = due;
    for (let share = nextRefundShare(left, pkg.payments); share; share = nextRefundShare(left, pkg.payments, share.index)) {
      const intent = await this.intentOf(pkg, share.payment);
      if (!intent) continue;
      const { amount } = share;
      const res = await this.gateway.refund({
        packageId: pkg.id,
        paymentIntentId: intent,
        amount,
        idempotencyKey: `refund-${pkg.id}-${share.payment.ref}`,
      });
      facts.push({ kind: 'refunded', ref: res.refundId, at: now, amount });
      left -= amount;
    }
    return { facts, refunded: due - left };
  }

  /** The Stripe payment intent a charge was made with: the checkout's, or the one that paid an installment's invoice. */
  private async intentOf(pkg: Package, payment: PaymentRecord): Promise<string | null | undefined> {
    return payment.kind === 'installment' ? await this.gateway.invoicePaymentIntent?.(payment.ref) : pkg.stripe.paymentIntentId;
  }
}
