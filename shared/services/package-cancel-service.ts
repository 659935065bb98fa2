// Cancelling a package (front desk, finance): it stops being usable, its future appointments are
// cancelled free of charge, future installments stop, and what is unused is refunded through Stripe.
// What is refunded and from which payments is decided in shared/domain/package-rules.ts
// (cancelRefundDue, nextRefundShare).
//
// Idempotent to completion. Stripe may fail at any step (503 payment_unavailable) and the function
// may be killed half-way, so the cancel keeps its progress on the package (`cancellation`):
// written in the same write that marks the package cancelled, then the refund total fixed before
// the first refund, then each refund recorded as soon as Stripe accepted it, then settled. A
// cancel of a package whose cancellation is not settled does what is left — every step is safe to
// repeat: freeing sessions skips the ones already freed, cancelling the schedule again is a
// success, a refund already recorded is skipped, and one made but not recorded is asked again
// with the same idempotency key (`refund-<package>-<charge>`) and replayed by Stripe — and answers
// 200 with the whole refund. Only a settled cancel answers 409.
import type { PaymentGateway } from '#adapters/payment-gateway.ts';
import type { CancelRefundPart, Cancellation, CreditService, Package, PaymentRecord } from '#domain/packages.ts';
import { ConflictError } from '#domain/errors.ts';
import { creditListPrices } from '#domain/programs.ts';
import {
  CANCEL_CLAIM_MS,
  applyFact,
  cancelPreview,
  cancelProgress,
  cancelRefundDue,
  type CancelPreview,
  isRecorded,
  nextRefundShare,
  unresolvedSessions,
  usedValue,
} from '#domain/package-rules.ts';
import { StaleReadError, withOptimisticRetry } from '#db/errors.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { Clock } from '#adapters/clock.ts';
import type { Repositories } from './context.ts';
import type { AppointmentService } from './appointment-service.ts';
import { applyFacts } from './payment-facts.ts';

function withoutClaim(c: Cancellation): Cancellation {
  const { claimedUntil: _released, ...rest } = c;
  return rest;
}

function cancellationOf(pkg: Package): Cancellation {
  if (!pkg.cancellation) throw new Error(`package ${pkg.id} has no cancellation record`);
  return pkg.cancellation;
}

/** What PackageCancelService uses besides the gateway and the appointments: the package, the clinic's catalog, the client's appointments, the clock. */
export type PackageCancelServiceDeps = Pick<Repositories, 'packages' | 'invoices' | 'clinics' | 'clients'> & { clock: Clock };

export class PackageCancelService {
  constructor(
    private readonly deps: PackageCancelServiceDeps,
    private readonly gateway: PaymentGateway,
    private readonly appointments: Pick<AppointmentService, 'cancelForPackage'>,
  ) {}

  /**
   * Cancels a package: its future appointments free of charge, future installments stopped, and
   * what was paid minus the list value of the sessions used refunded through Stripe with
   * idempotency keys. A cancel that failed half-way is finished by the next one (200, the whole
   * refund); a finished cancel → 409 conflict. `refund`: what this cancel refunded in all.
   */
  async cancel(caller: Caller, packageId: string): Promise<{ pkg: Package; refund: number; timezone: string }> {
    const first = await this.deps.packages.require(packageId);
    caller.assert(first);
    const setup = await this.deps.clinics.setup(first.clinicId);
    const now = this.deps.clock.now();
    // 0. a new cancel waits until its past sessions are marked completed or missed (an unfinished one goes on)
    if (cancelProgress(first, now) === 'none') await this.assertSessionsResolved(first, now);
    // 1. the package stops being usable (bookings against it fail from here on), or the unfinished cancel resumes;
    //    either way this request holds it until it is done (another one meanwhile is a 409)
    const cancelled = await this.begin(packageId, now);
    try {
      // 2. its appointments after the cancel, free of charge
      await this.cancelFutureSessions(cancelled, cancellationOf(cancelled).at);
      // 3. no charge after a cancel: the installments stop, and a Checkout page still open can no longer be paid
      if (cancelled.stripe.scheduleId) await this.gateway.cancelInstallments(cancelled.stripe.scheduleId, `cancel-schedule-${packageId}`);
      if (cancelled.checkoutSessionId && !isRecorded(cancelled, { kind: 'checkout_paid', ref: cancelled.checkoutSessionId })) {
        await this.gateway.expireCheckout?.(cancelled.checkoutSessionId);
      }
      // 4. what it refunds, with the credits as they are now that the future sessions gave theirs back: fixed before any refund
      const planned = await this.fixRefundDue(packageId, creditListPrices(setup.services, cancelled.price.currency));
      // 5. the refund, share by share, each recorded as Stripe makes it; then the cancel is settled
      const refund = await this.refund(planned, now);
      const pkg = await applyFacts(this.deps, packageId, [], (p) => ({
        cancellation: { ...withoutClaim(cancellationOf(p)), settledAt: cancellationOf(p).settledAt ?? now },
      }));
      return { pkg, refund, timezone: setup.clinic.timezone };
    } catch (err) {
      // the next request finishes it at once (best effort: if this write fails too, the claim runs out)
      await applyFacts(this.deps, packageId, [], (p) => ({ cancellation: withoutClaim(cancellationOf(p)) })).catch(() => undefined);
      throw err;
    }
  }

  /**
   * What cancelling the package now would do (cancelPreview): the refund, what the sessions used
   * keep, the sessions it would cancel, and those it waits for; for a confirmation that says the
   * cost before anyone confirms. 409 once the package is cancelled (the cancel's own answer says
   * what it refunded).
   */
  async preview(caller: Caller, packageId: string): Promise<{ pkg: Package; preview: CancelPreview }> {
    const pkg = await this.deps.packages.require(packageId);
    caller.assert(pkg);
    if (pkg.status === 'cancelled') throw new ConflictError('The package is already cancelled');
    const [setup, appointments] = await Promise.all([this.deps.clinics.setup(pkg.clinicId), this.deps.clients.appointments(pkg.clientId)]);
    const listPrices = creditListPrices(setup.services, pkg.price.currency);
    return { pkg, preview: cancelPreview(pkg, appointments, listPrices, this.deps.clock.now()) };
  }

  /**
   * Marks the package cancelled with an empty cancellation record, or takes over its unfinished
   * cancel; either way claimed by this request (CANCEL_CLAIM_MS). Settled, or claimed by another
   * request: 409.
   */
  private async begin(packageId: string, now: number): Promise<Package> {
    return withOptimisticRetry(async () => {
      const before = await this.deps.packages.require(packageId);
      const progress = cancelProgress(before, now);
      if (progress === 'settled') throw new ConflictError('The package is already cancelled');
      if (progress === 'in_progress') throw new ConflictError('The package is being cancelled by another request');
      const claimedUntil = now + CANCEL_CLAIM_MS;
      if (progress === 'unfinished') {
        return this.deps.packages.replace(before, { ...before, cancellation: { ...cancellationOf(before), claimedUntil } });
      }
      const after = applyFact(before, { kind: 'cancelled', ref: `cancel-${packageId}`, at: now });
      return this.deps.packages.replace(before, { ...after, cancellation: { at: now, refunds: [], claimedUntil }, updatedAt: now });
    }).catch((err: unknown) => {
      if (err instanceof StaleReadError) throw new ConflictError('The package changed meanwhile; try again');
      throw err;
    });
  }

  /** 409 while a session of the package that has started is neither completed nor marked missed. */
  private async assertSessionsResolved(pkg: Package, now: number): Promise<void> {
    const open = unresolvedSessions(pkg.id, await this.deps.clients.appointments(pkg.clientId), now);
    if (open.length === 0) return;
    const what = open.length === 1 ? 'A session of this package has' : `${open.length} sessions of this package have`;
    throw new ConflictError(
      `${what} started and not been marked completed or no-show yet: mark ${open.length === 1 ? 'it' : 'each'} first, then cancel the package`,
    );
  }

  /**
   * Its booked appointments after `from`, cancelled free (their credits given back). One that
   * stopped being booked meanwhile (the client cancelled it at the same moment) is left as its own
   * cancel made it: that refusal is not the package cancel's, which goes on with the rest.
   */
  private async cancelFutureSessions(pkg: Package, from: number): Promise<void> {
    const appts = await this.deps.clients.appointments(pkg.clientId);
    for (const a of appts) {
      if (a.packageId === pkg.id && a.status === 'booked' && a.startsAt > from) {
        await this.appointments.cancelForPackage(a.id).catch((err: unknown) => {
          if (!(err instanceof ConflictError)) throw err;
        });
      }
    }
  }

  /** Records what the cancel refunds in all, unless an earlier attempt did (it is never computed twice). */
  private fixRefundDue(packageId: string, listPrices: Record<CreditService, number>): Promise<Package> {
    return applyFacts(this.deps, packageId, [], (p) => {
      const c = cancellationOf(p);
      if (c.refundDue !== undefined) return {};
      const used = {
        preparation: p.credits.preparation.used,
        exploration: p.credits.exploration.used,
        integration: p.credits.integration.used,
      };
      return { cancellation: { ...c, refundDue: cancelRefundDue(p, p.credits, listPrices), usedValue: usedValue(used, listPrices) } };
    });
  }

  /**
   * Refunds the cancel's refundDue across the payments made, one share at a time
   * (nextRefundShare): a payment without a payment intent to refund against passes its share to
   * the next older one. The shares come out the same on every attempt (the total is fixed and
   * refunds are not charges), so a share already recorded is skipped and only the rest is asked of
   * Stripe. Returns what the cancel refunded in all.
   */
  private async refund(pkg: Package, now: number): Promise<number> {
    let done = cancellationOf(pkg).refunds;
    const payments = pkg.payments;
    let left = cancellationOf(pkg).refundDue ?? 0;
    for (let share = nextRefundShare(left, payments); share; share = nextRefundShare(left, payments, share.index)) {
      const paymentRef = share.payment.ref;
      const recorded = done.find((r) => r.paymentRef === paymentRef);
      if (recorded) {
        left -= recorded.amount;
        continue;
      }
      const intent = await this.intentOf(pkg, share.payment);
      if (!intent) continue;
      const { amount } = share;
      const res = await this.gateway.refund({
        packageId: pkg.id,
        paymentIntentId: intent,
        amount,
        idempotencyKey: `refund-${pkg.id}-${paymentRef}`,
      });
      done = await this.recordRefund(pkg.id, { paymentRef, refundId: res.refundId, amount }, now);
      left -= amount;
    }
    return done.reduce((sum, r) => sum + r.amount, 0);
  }

  /** One refund Stripe made: its fact (the refunded total and payments list) and its part of the cancel, in one write. */
  private async recordRefund(packageId: string, part: CancelRefundPart, now: number): Promise<CancelRefundPart[]> {
    const pkg = await applyFacts(this.deps, packageId, [{ kind: 'refunded', ref: part.refundId, at: now, amount: part.amount }], (p) => {
      const c = cancellationOf(p);
      return { cancellation: { ...c, refunds: [...c.refunds.filter((r) => r.paymentRef !== part.paymentRef), part] } };
    });
    return cancellationOf(pkg).refunds;
  }

  /** The Stripe payment intent a charge was made with: the checkout's, or the one that paid an installment's invoice. */
  private async intentOf(pkg: Package, payment: PaymentRecord): Promise<string | null | undefined> {
    return payment.kind === 'installment' ? await this.gateway.invoicePaymentIntent?.(payment.ref) : pkg.stripe.paymentIntentId;
  }
}
