// Another card for an installment plan (docs/decisions.md §7, "Another card for a failed
// installment"): the client, or the front desk for the client, opens a Stripe Checkout Session in
// setup mode on the plan's customer; nothing is charged on that page. When Stripe reports the
// session completed (the signed webhook, never the browser's return), the saved card becomes the
// plan's card and Stripe is asked to pay the plan's open (failed) invoices with it at once. Their
// invoice.paid events then mark the installments paid through the usual facts, and the package
// leaves past_due by the usual rules. The webhook's part is PaymentEvents.savedPaymentMethod
// (payment-facts.ts).
//
// What goes to Stripe: the customer the plan already has, the clinic's currency, the return URLs
// and the package id in the metadata. No name, no service, no amount.
import type { PaymentGateway } from '#adapters/payment-gateway.ts';
import { ConflictError } from '#domain/errors.ts';
import type { Package } from '#domain/packages.ts';
import { paymentMethodChangeRefusal } from '#domain/package-rules.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { IdGenerator } from '#adapters/ids.ts';
import type { Repositories } from './context.ts';

export interface PaymentMethodOptions {
  /** Where Checkout sends the browser back (the web app's package page, which shows the state). */
  appBaseUrl: string;
}

export type PaymentMethodServiceDeps = Pick<Repositories, 'packages' | 'clinics'> & { ids: IdGenerator };

export class PaymentMethodService {
  constructor(
    private readonly deps: PaymentMethodServiceDeps,
    private readonly gateway: PaymentGateway,
    private readonly opts: PaymentMethodOptions,
  ) {}

  /**
   * A setup session for the package's plan. 409 when the plan is not open (paymentMethodChangeRefusal).
   * Each call makes its own session (a fresh Stripe idempotency key; the SDK's retry of one call
   * replays it): a page completed earlier cannot be handed out again. The route's Idempotency-Key
   * gives a retried request its first answer; a session nobody uses expires after 24 h and its
   * expiry changes nothing (checkout.session.expired of a setup session is ignored).
   */
  async checkout(caller: Caller, packageId: string): Promise<{ checkoutUrl: string; checkoutSessionId: string; pkg: Package }> {
    const pkg = await this.deps.packages.require(packageId);
    caller.assert(pkg);
    const refusal = paymentMethodChangeRefusal(pkg);
    if (refusal) throw new ConflictError(refusal);
    const clinic = await this.deps.clinics.require(pkg.clinicId);
    const createPaymentMethodCheckout = this.gateway.createPaymentMethodCheckout?.bind(this.gateway);
    if (!createPaymentMethodCheckout) throw new Error('the payment gateway cannot save a card');
    const page = `${this.opts.appBaseUrl}/packages/${encodeURIComponent(pkg.id)}`;
    const session = await createPaymentMethodCheckout({
      packageId: pkg.id,
      customerId: pkg.stripe.customerId!, // the refusal above checks it
      currency: clinic.currency,
      successUrl: `${page}?card=saved`,
      cancelUrl: `${page}?card=cancelled`,
      idempotencyKey: `payment-method-${this.deps.ids('pmc')}`,
    });
    return { checkoutUrl: session.url, checkoutSessionId: session.id, pkg };
  }
}
