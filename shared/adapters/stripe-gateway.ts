// PaymentGateway on Stripe, through the official SDK with the API version pinned below. The same
// class talks to real Stripe (test or live keys) and, with host/port/protocol, to the local stub of
// Stripe's HTTP API (infra/local/stripe-stub.ts) in tests and in the offline runtime.
//
// Parameters are the ones API version 2026-10-28.endive has (checked against the stripe@23.1.0
// typings): Checkout takes `allowed_payment_method_types` (`payment_method_types` is gone from
// SessionCreateParams since 23.0.0), subscription schedule phases take `duration` (`iterations` was
// removed in 2025-09-30), and metadata reaches subscription invoices only through the PHASE metadata
// (copied onto the subscription when a phase is entered; each invoice snapshots it at finalisation
// as `invoice.parent.subscription_details.metadata`). `default_settings` has no metadata field.
//
// Failures: every Stripe error is mapped to ours in one place (mapStripeError, see the
// PaymentGateway interface): unreachable, 5xx and rate limiting → PaymentUnavailableError (503
// payment_unavailable); a declined card → PaymentDeclinedError; the rest → PaymentGatewayError (a
// logged 500: our bug or our configuration).
//
// Privacy: what goes to Stripe is the neutral line text the caller gives (a fixed "Care package"
// text, never a program's or clinic's own name; refused here if it holds a denied word), amounts,
// currency, an optional email, return URLs and opaque ids (package, clinic, client). Nothing else.
import Stripe from 'stripe';
import type { Currency } from '#domain/types.ts';
import { isNeutralPaymentText } from '#domain/denylist.ts';
import { PaymentUnavailableError } from '#domain/errors.ts';
import {
  InvalidSignatureError,
  PaymentDeclinedError,
  PaymentGatewayError,
  type BnplMethod,
  type CheckoutPayment,
  type CheckoutRequest,
  type CheckoutSession,
  type GatewayEvent,
  type InstallmentScheduleRequest,
  type PaymentGateway,
  type PaymentMethodCheckoutRequest,
  type PaymentMethodReplaced,
  type PaymentSubject,
  type RefundRequest,
} from './payment-gateway.ts';

/** Pinned on purpose: the webhook endpoint in the Dashboard must use the same version. */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

/** Webhook signature tolerance in seconds (Stripe's default, stated explicitly). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Time budget of one Stripe call, fitted to the payments function's Lambda timeout: 25 s
 * (API_TIMEOUT_SECONDS in infra/lib/kapstone-stack.ts). A call is at most 2 attempts of 3 s plus
 * the SDK's backoff between them (0.5 s for the first retry), about 6.5 s, which leaves the
 * DynamoDB reads and writes around it room to finish and the 503 payment_unavailable to be
 * answered before the function is killed. An attempt cut short is retried with the same
 * idempotency key, so Stripe replays it rather than doing it twice. A cancel makes a few calls in
 * a row (the schedule, then one refund per payment); should they together outlast the function,
 * the refund progress recorded after each refund lets the retried cancel finish the rest.
 */
export const STRIPE_TIMEOUT_MS = 3_000;
/** Retries after the first attempt (connection errors, 409 and 5xx answers; Stripe-Should-Retry is obeyed). */
export const STRIPE_MAX_NETWORK_RETRIES = 1;

export interface StripeGatewayOptions {
  secretKey: string;
  webhookSecret: string;
  /** Point the SDK somewhere other than api.stripe.com (the local stub). */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** Per attempt; default STRIPE_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Default STRIPE_MAX_NETWORK_RETRIES. */
  maxNetworkRetries?: number;
  /**
   * The time Stripe's side keeps, epoch ms (default Date.now): what a short-lived session's
   * `expires_at` is reckoned from. The local stub's clock when offline (it follows the dev clock).
   */
  now?: () => number;
}

/** Stripe's shortest Checkout Session (30 minutes after it is made): the step of a short-lived session's expiry. */
export const CHECKOUT_EXPIRY_STEP_SECONDS = 30 * 60;

/**
 * A short-lived session's expiry and idempotency key: the half hour `nowMs` falls in, and an
 * expiry at the end of the half hour two steps on (60 to 90 minutes away, clear of Stripe's
 * 30-minute minimum whatever the clocks' skew). Both follow from the half hour alone, so a replay
 * under the same key sends the same parameters, as Stripe requires of an idempotent request.
 */
export function shortLivedCheckout(nowMs: number, idempotencyKey: string): { expiresAt: number; idempotencyKey: string } {
  const step = Math.floor(nowMs / 1000 / CHECKOUT_EXPIRY_STEP_SECONDS);
  return { expiresAt: (step + 3) * CHECKOUT_EXPIRY_STEP_SECONDS, idempotencyKey: `${idempotencyKey}:w${step}` };
}

/** One run of equal monthly charges in a subscription schedule. */
export interface InstallmentPhase {
  amount: number;
  months: number;
}

/**
 * Monthly amounts → schedule phases: consecutive equal amounts share one phase. For the plans we
 * make ([first, rest, rest, …] where only the first may differ by rounding) that is one phase of
 * n months, or one month at the first amount then n−1 months at the rest.
 */
export function installmentPhases(amounts: readonly number[]): InstallmentPhase[] {
  const phases: InstallmentPhase[] = [];
  for (const amount of amounts) {
    const last = phases.at(-1);
    if (last && last.amount === amount) last.months += 1;
    else phases.push({ amount, months: 1 });
  }
  return phases;
}

// Billing-period arithmetic is pure and lives in the domain; re-exported for callers of the gateway.
export { addMonthsUtc, installmentNumber } from '#domain/billing-periods.ts';

const lower = (currency: Currency): string => currency.toLowerCase();

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.id;
}

/** Defence in depth: line text with a treatment, drug, dosing or diagnosis word never leaves. */
function assertNeutralLineText(text: string): void {
  if (!isNeutralPaymentText(text)) {
    throw new RangeError('the line text sent to Stripe must be neutral');
  }
}

/** The one record a charge or refund is for, as Stripe metadata: `{ packageId }` or `{ invoiceId }`. */
function subjectMetadata(s: PaymentSubject): Record<string, string> {
  if (s.packageId !== undefined && s.invoiceId === undefined) return { packageId: s.packageId };
  if (s.invoiceId !== undefined && s.packageId === undefined) return { invoiceId: s.invoiceId };
  throw new RangeError('a payment is for one package or one invoice');
}

const subjectId = (s: PaymentSubject): string => s.packageId ?? s.invoiceId ?? '';

function assertMinorUnits(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new RangeError(`${what} must be a positive whole number of minor units, got ${amount}`);
  }
}

/**
 * Worth retrying later: no answer (StripeConnectionError, which includes the timeout), Stripe
 * failing on its side (StripeAPIError: a 5xx, or a 409 while a request with the same idempotency
 * key is still running), or rate limiting (StripeRateLimitError, a 429).
 */
function isUnavailable(error: Stripe.errors.StripeError): boolean {
  return (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    (error.statusCode !== undefined && error.statusCode >= 500)
  );
}

/**
 * Stripe's errors → ours, the one place they are mapped (after the SDK's own retries):
 *  - unavailable (isUnavailable) → PaymentUnavailableError, a 503 `payment_unavailable`;
 *  - StripeCardError → PaymentDeclinedError with its codes;
 *  - anything else — StripeInvalidRequestError, StripeIdempotencyError, StripeAuthenticationError,
 *    StripePermissionError — → PaymentGatewayError: our bug or our configuration, a logged 500.
 * Stripe's message stays in our error for the logs; the API never shows it.
 */
export function mapStripeError(error: unknown): Error {
  if (!(error instanceof Stripe.errors.StripeError)) return error instanceof Error ? error : new Error(String(error));
  if (error instanceof Stripe.errors.StripeCardError) {
    return new PaymentDeclinedError(error.message, error.code, error.decline_code || undefined);
  }
  const failure = new PaymentGatewayError(error.message, {
    type: error.type,
    code: error.code,
    statusCode: error.statusCode,
    requestId: error.requestId,
  });
  return isUnavailable(error) ? new PaymentUnavailableError(undefined, { cause: failure }) : failure;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw mapStripeError(error);
  }
}

export class StripeGateway implements PaymentGateway {
  private readonly stripe: Stripe;
  private readonly webhookSecret: string;
  private readonly now: () => number;

  constructor(options: StripeGatewayOptions) {
    if (!options.secretKey) throw new Error('StripeGateway needs a secret key');
    if (!options.webhookSecret) throw new Error('StripeGateway needs a webhook signing secret');
    this.webhookSecret = options.webhookSecret;
    this.now = options.now ?? Date.now;
    this.stripe = new Stripe(options.secretKey, {
      apiVersion: STRIPE_API_VERSION,
      maxNetworkRetries: options.maxNetworkRetries ?? STRIPE_MAX_NETWORK_RETRIES,
      timeout: options.timeoutMs ?? STRIPE_TIMEOUT_MS,
      telemetry: false,
      typescript: true,
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
    });
  }

  /**
   * Affirm: US and Canadian businesses, domestic only, presentment USD (US) or CAD (CA) — Stripe's
   * Affirm page ("Customer locations: United States, Canada; Presentment currency: USD or CAD";
   * "Affirm only supports domestic transactions"). Klarna: offered for US businesses in USD only —
   * an assumption kept deliberately narrow (Stripe lists Klarna by business country and currency;
   * we do not assume Canada). Amount limits (Affirm roughly 50–30,000 in the major unit) are left
   * to Checkout, which hides a method the amount does not qualify for.
   */
  bnplMethods(country: 'US' | 'CA', currency: Currency): BnplMethod[] {
    if (country === 'US' && currency === 'USD') return ['affirm', 'klarna'];
    if (country === 'CA' && currency === 'CAD') return ['affirm'];
    return [];
  }

  async createCheckout(req: CheckoutRequest): Promise<CheckoutSession> {
    assertMinorUnits(req.amount, 'amount');
    assertNeutralLineText(req.description);
    if (req.methods.length === 0) throw new RangeError('at least one payment method is required');
    if (req.saveCard && req.methods.some((m) => m !== 'card')) {
      throw new RangeError('saveCard is for card payments only');
    }
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: lower(req.currency),
            unit_amount: req.amount,
            product_data: { name: req.description },
          },
        },
      ],
      // A filter over the methods enabled in the Dashboard (`payment_method_types` is gone in this
      // API version): card for pay in full and installments, Affirm/Klarna for BNPL.
      allowed_payment_method_types: [...req.methods],
      customer_creation: 'always',
      ...(req.customerEmail ? { customer_email: req.customerEmail } : {}),
      client_reference_id: subjectId(req),
      metadata: { ...subjectMetadata(req), clinicId: req.clinicId, clientId: req.clientId },
      payment_intent_data: {
        // On the intent (and so on its charge) too, so refund and charge events name the package or invoice.
        metadata: subjectMetadata(req),
        ...(req.saveCard ? { setup_future_usage: 'off_session' as const } : {}),
      },
      submit_type: 'pay',
      success_url: req.successUrl,
      cancel_url: req.cancelUrl,
      // expires_at: Stripe's default (24 h) unless short-lived; checkout.session.expired follows.
    };
    let idempotencyKey = req.idempotencyKey;
    if (req.shortLived) {
      const short = shortLivedCheckout(this.now(), req.idempotencyKey);
      params.expires_at = short.expiresAt;
      idempotencyKey = short.idempotencyKey;
    }
    const session = await call(() => this.stripe.checkout.sessions.create(params, { idempotencyKey }));
    if (!session.url) throw new PaymentGatewayError('Checkout Session has no URL', { type: 'unexpected_response' });
    return { id: session.id, url: session.url };
  }

  async scheduleInstallments(req: InstallmentScheduleRequest): Promise<{ scheduleId: string }> {
    if (req.amounts.length === 0) throw new RangeError('an installment plan needs at least one charge');
    req.amounts.forEach((a, i) => assertMinorUnits(a, `amounts[${i}]`));
    assertNeutralLineText(req.description);
    if (!Number.isSafeInteger(req.startAt) || req.startAt <= 0) throw new RangeError('startAt must be epoch seconds');
    const currency = lower(req.currency);
    const metadata = { packageId: req.packageId };
    // Derived keys: a retried call with the same key replays both requests instead of duplicating.
    const product = await call(() =>
      this.stripe.products.create({ name: req.description }, { idempotencyKey: `${req.idempotencyKey}:product` }),
    );
    const phases: Stripe.SubscriptionScheduleCreateParams.Phase[] = installmentPhases(req.amounts).map((p) => ({
      items: [
        {
          quantity: 1,
          price_data: { currency, product: product.id, unit_amount: p.amount, recurring: { interval: 'month' } },
        },
      ],
      duration: { interval: 'month', interval_count: p.months },
      // Phase metadata is what reaches the subscription, and from it every invoice.
      metadata,
      proration_behavior: 'none',
    }));
    const schedule = await call(() =>
      this.stripe.subscriptionSchedules.create(
        {
          customer: req.customerId,
          start_date: req.startAt,
          end_behavior: 'cancel',
          default_settings: {
            collection_method: 'charge_automatically',
            default_payment_method: req.paymentMethodId,
          },
          metadata,
          phases,
        },
        { idempotencyKey: `${req.idempotencyKey}:schedule` },
      ),
    );
    return { scheduleId: schedule.id };
  }

  async cancelInstallments(scheduleId: string, idempotencyKey: string): Promise<void> {
    try {
      await this.stripe.subscriptionSchedules.cancel(scheduleId, { invoice_now: false, prorate: false }, { idempotencyKey });
    } catch (error) {
      // Cancelling what already ended (cancelled, completed, released) is a success for us.
      if (error instanceof Stripe.errors.StripeError && error.type === 'StripeInvalidRequestError') {
        const current = await call(() => this.stripe.subscriptionSchedules.retrieve(scheduleId));
        if (current.status === 'canceled' || current.status === 'completed' || current.status === 'released') return;
      }
      throw mapStripeError(error);
    }
  }

  async refund(req: RefundRequest): Promise<{ refundId: string; status: string }> {
    assertMinorUnits(req.amount, 'refund amount');
    const refund = await call(() =>
      this.stripe.refunds.create(
        {
          payment_intent: req.paymentIntentId,
          amount: req.amount,
          reason: 'requested_by_customer',
          metadata: subjectMetadata(req),
        },
        { idempotencyKey: req.idempotencyKey },
      ),
    );
    return { refundId: refund.id, status: refund.status ?? 'pending' };
  }

  /**
   * Stripe's setup mode: the card is saved on the plan's customer and nothing is charged. Card
   * only, like the plan itself; `currency` as setup mode asks for it. The metadata names the
   * package alone, on the session and its SetupIntent.
   */
  async createPaymentMethodCheckout(req: PaymentMethodCheckoutRequest): Promise<CheckoutSession> {
    const metadata = { packageId: req.packageId };
    const session = await call(() =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'setup',
          currency: lower(req.currency),
          customer: req.customerId,
          allowed_payment_method_types: ['card'],
          client_reference_id: req.packageId,
          metadata,
          setup_intent_data: { metadata },
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
        },
        { idempotencyKey: req.idempotencyKey },
      ),
    );
    if (!session.url) throw new PaymentGatewayError('Checkout Session has no URL', { type: 'unexpected_response' });
    return { id: session.id, url: session.url };
  }

  /**
   * The saved card (the session's SetupIntent's payment method) becomes the customer's invoice
   * default, the schedule's default (so a later phase does not bring the old card back) and the
   * subscription's; then each open invoice of the subscription is paid with it. Keys are derived
   * from the caller's, so a retry within Stripe's 24 h replays; after that the same values are set
   * again and a paid invoice is no longer listed as open.
   */
  async replacePaymentMethod(req: { sessionId: string; scheduleId: string; idempotencyKey: string }): Promise<PaymentMethodReplaced> {
    const session = await call(() => this.stripe.checkout.sessions.retrieve(req.sessionId, { expand: ['setup_intent'] }));
    const intent = session.setup_intent;
    const paymentMethodId = intent && typeof intent !== 'string' ? idOf(intent.payment_method) : null;
    const customerId = idOf(session.customer);
    if (session.mode !== 'setup' || session.status !== 'complete' || !paymentMethodId || !customerId) {
      throw new PaymentGatewayError('The setup session saved no card', { type: 'unexpected_response' });
    }
    const key = req.idempotencyKey;
    await call(() =>
      this.stripe.customers.update(
        customerId,
        { invoice_settings: { default_payment_method: paymentMethodId } },
        { idempotencyKey: `${key}:customer` },
      ),
    );
    const schedule = await call(() => this.stripe.subscriptionSchedules.retrieve(req.scheduleId));
    const out: PaymentMethodReplaced = { paymentMethodId, paidInvoiceIds: [], declinedInvoiceIds: [] };
    if (schedule.status !== 'not_started' && schedule.status !== 'active') return out;
    await call(() =>
      this.stripe.subscriptionSchedules.update(
        req.scheduleId,
        { default_settings: { default_payment_method: paymentMethodId } },
        { idempotencyKey: `${key}:schedule` },
      ),
    );
    const subscriptionId = idOf(schedule.subscription);
    if (!subscriptionId) return out; // not started: nothing charged yet, nothing owed
    await call(() =>
      this.stripe.subscriptions.update(
        subscriptionId,
        { default_payment_method: paymentMethodId },
        { idempotencyKey: `${key}:subscription` },
      ),
    );
    const open = await call(() => this.stripe.invoices.list({ subscription: subscriptionId, status: 'open', limit: 100 }));
    for (const invoice of open.data) {
      if (!invoice.id) continue;
      const invoiceId = invoice.id;
      try {
        await call(() =>
          this.stripe.invoices.pay(invoiceId, { payment_method: paymentMethodId }, { idempotencyKey: `${key}:pay:${invoiceId}` }),
        );
        out.paidInvoiceIds.push(invoiceId);
      } catch (err) {
        // Stripe records the failed attempt and sends invoice.payment_failed: the plan stays past due
        if (!(err instanceof PaymentDeclinedError)) throw err;
        out.declinedInvoiceIds.push(invoiceId);
      }
    }
    return out;
  }

  async retrieveCheckoutPayment(sessionId: string): Promise<CheckoutPayment> {
    const session = await call(() => this.stripe.checkout.sessions.retrieve(sessionId, { expand: ['payment_intent'] }));
    const intent = session.payment_intent;
    const paymentMethodId = intent && typeof intent !== 'string' ? idOf(intent.payment_method) : null;
    return {
      sessionId: session.id,
      paymentIntentId: idOf(intent),
      customerId: idOf(session.customer),
      paymentMethodId,
    };
  }

  async expireCheckout(sessionId: string): Promise<'expired' | 'not_open'> {
    const status = async () => (await call(() => this.stripe.checkout.sessions.retrieve(sessionId))).status;
    if ((await status()) !== 'open') return 'not_open';
    try {
      await call(() => this.stripe.checkout.sessions.expire(sessionId));
      return 'expired';
    } catch (err) {
      // paid (or expired) between the two calls: Stripe refuses to expire a session that is not open
      if (err instanceof PaymentGatewayError && (await status()) !== 'open') return 'not_open';
      throw err;
    }
  }

  async invoicePaymentIntent(invoiceId: string): Promise<string | null> {
    const invoice = await call(() => this.stripe.invoices.retrieve(invoiceId, { expand: ['payments'] }));
    const paid = invoice.payments?.data.find((p) => p.status === 'paid');
    return idOf(paid?.payment.payment_intent);
  }

  /** `now`: epoch milliseconds (Clock.now()), the moment the request arrived. */
  verifyWebhook(rawBody: string, signature: string | undefined, now: number): GatewayEvent {
    if (!signature) throw new InvalidSignatureError('Missing Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, this.webhookSecret, WEBHOOK_TOLERANCE_SECONDS, undefined, now);
    } catch (error) {
      throw new InvalidSignatureError(error instanceof Error ? error.message : 'Invalid signature');
    }
    const data = (event as { data?: { object?: unknown } }).data;
    if (
      typeof event.id !== 'string' ||
      typeof event.type !== 'string' ||
      typeof event.created !== 'number' ||
      !data ||
      typeof data.object !== 'object' ||
      data.object === null
    ) {
      throw new InvalidSignatureError('Signed payload is not a Stripe event', true);
    }
    return { id: event.id, type: event.type, created: event.created, object: data.object as Record<string, unknown> };
  }
}
