// What the payments service needs from a payment processor. One implementation talks to Stripe
// through the official SDK (stripe-gateway.ts); locally and in tests the same SDK talks to a stub
// of Stripe's HTTP API (infra/local/stripe-stub.ts), so nothing but Stripe's servers is replaced.
//
// Privacy (docs/api.md): nothing passed here names the treatment, a diagnosis or a drug, or
// carries the client's date of birth or phone; metadata holds opaque ids only.
import type { Currency } from '#domain/types.ts';

export type BnplMethod = 'affirm' | 'klarna';

/**
 * What a charge or refund is for, named in its Stripe metadata (opaque ids only): a package (a
 * program purchase) or an invoice (a self-pay session, paid from the invoice). The webhook reads it
 * back to know which record an event is about.
 */
export type PaymentSubject = { packageId: string; invoiceId?: undefined } | { invoiceId: string; packageId?: undefined };

export type CheckoutRequest = PaymentSubject & {
  clinicId: string;
  clientId: string;
  /** pay_in_full and installments pay by card (HSA/FSA cards are cards); bnpl by the methods given. */
  methods: Array<'card' | BnplMethod>;
  currency: Currency;
  /** What is charged now: the whole price, or the installment plan's down payment. */
  amount: number;
  /**
   * Neutral line text: "Care package" or "Care package installment" for packages, never a
   * clinic-chosen program name; "Invoice <number> — <clinic name>" for an invoice (clinic names are
   * held to the treatment-word denylist when they are set).
   */
  description: string;
  /** Keep the card for later off-session installment charges. */
  saveCard: boolean;
  customerEmail?: string | undefined;
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
  /**
   * For an amount that may change after the session is made (an invoice's balance): the session
   * expires 60 to 90 minutes after it is made instead of the processor's default 24 hours, so that a
   * page left open is not paid after the invoice was voided or changed. Asking again with the same
   * key within the same half hour gives the same session back.
   */
  shortLived?: boolean | undefined;
};

export interface CheckoutSession {
  id: string;
  url: string;
}

export interface InstallmentScheduleRequest {
  packageId: string;
  customerId: string;
  paymentMethodId: string;
  currency: Currency;
  description: string;
  /** One entry per monthly charge, in order; the first may differ (rounding). */
  amounts: number[];
  /** Epoch seconds of the first charge. */
  startAt: number;
  idempotencyKey: string;
}

export type RefundRequest = PaymentSubject & {
  paymentIntentId: string;
  amount: number;
  idempotencyKey: string;
};

/**
 * A Checkout Session that saves a card and charges nothing (Stripe's setup mode), for the
 * package's installment plan: on the plan's customer, in the clinic's currency, metadata the
 * package id only.
 */
export interface PaymentMethodCheckoutRequest {
  packageId: string;
  customerId: string;
  currency: Currency;
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
}

/** The card a completed setup session saved, now the plan's card; the plan's invoices it paid at once. */
export interface PaymentMethodReplaced {
  paymentMethodId: string;
  /** Open invoices of the plan paid with it (their invoice.paid events follow). */
  paidInvoiceIds: string[];
  /** Open invoices the new card was declined for (their invoice.payment_failed events follow). */
  declinedInvoiceIds: string[];
}

/** A verified Stripe event: only what the handlers read. */
export interface GatewayEvent {
  id: string;
  type: string;
  created: number;
  /** The event's data.object as Stripe sent it. */
  object: Record<string, unknown>;
}

export class InvalidSignatureError extends Error {
  override readonly name = 'InvalidSignatureError';
  /** The signature held, but what it signed is not an event (no id, type, created or data.object). */
  constructor(
    message: string,
    readonly notAnEvent = false,
  ) {
    super(message);
  }
}

/** What a completed Checkout Session was paid with (not in the webhook event: read it back). */
export interface CheckoutPayment {
  sessionId: string;
  paymentIntentId: string | null;
  customerId: string | null;
  /** The card kept for later off-session charges (saveCard), else whatever paid, or null. */
  paymentMethodId: string | null;
}

/** The processor declined the payment method (a card error): the client can try another card. */
export class PaymentDeclinedError extends Error {
  override readonly name = 'PaymentDeclinedError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly declineCode: string | undefined,
  ) {
    super(message);
  }
}

/**
 * A processor failure retrying cannot mend: the request was refused as invalid (including an
 * idempotency key reused with other parameters), the key is wrong or lacks a permission, or the
 * answer made no sense. Our bug or our configuration: not an AppError, so the API logs it and
 * answers a generic 500; the processor's message is never shown.
 */
export class PaymentGatewayError extends Error {
  override readonly name = 'PaymentGatewayError';
  constructor(
    message: string,
    readonly details: { type: string; code?: string | undefined; statusCode?: number | undefined; requestId?: string | undefined },
  ) {
    super(message);
  }
}

/**
 * What every method throws when the processor fails (the one mapping: mapStripeError in
 * stripe-gateway.ts):
 *  - PaymentUnavailableError (#domain/errors.ts, a 503 `payment_unavailable` with Retry-After):
 *    the processor unreachable or timing out, failing on its side (5xx), or rate limiting, after
 *    the SDK's retries. Every call that changes something carries an idempotency key, so the
 *    caller's retry is safe.
 *  - PaymentDeclinedError: a card error.
 *  - PaymentGatewayError: anything else (a logged 500).
 */
export interface PaymentGateway {
  /** BNPL methods Stripe Checkout offers for this country and currency (Affirm: US/CA in USD/CAD; Klarna: US in USD). */
  bnplMethods(country: 'US' | 'CA', currency: Currency): BnplMethod[];
  createCheckout(req: CheckoutRequest): Promise<CheckoutSession>;
  scheduleInstallments(req: InstallmentScheduleRequest): Promise<{ scheduleId: string }>;
  cancelInstallments(scheduleId: string, idempotencyKey: string): Promise<void>;
  refund(req: RefundRequest): Promise<{ refundId: string; status: string }>;
  /** Verifies the signature over the raw body (tolerance 300 s); throws InvalidSignatureError. */
  verifyWebhook(rawBody: string, signature: string | undefined, now: number): GatewayEvent;
  /**
   * Reads a completed Checkout Session back with its payment intent expanded: webhook events carry
   * `payment_intent` as an id only, and the saved card (for installments) lives on the intent.
   */
  retrieveCheckoutPayment?(sessionId: string): Promise<CheckoutPayment>;
  /** The payment intent that paid an invoice (`invoice.payments` is not in webhook payloads), or null. */
  invoicePaymentIntent?(invoiceId: string): Promise<string | null>;
  /** A setup-mode Checkout Session for another card on an installment plan (PaymentMethodCheckoutRequest). */
  createPaymentMethodCheckout?(req: PaymentMethodCheckoutRequest): Promise<CheckoutSession>;
  /**
   * After a setup session completed: the card it saved becomes the plan's card (the schedule's,
   * the subscription's and the customer's default), and the plan's open invoices are paid with it
   * now. Every step is safe to repeat (a redelivered webhook runs it again): the defaults are set
   * to the same value, and an invoice already paid is no longer open.
   */
  replacePaymentMethod?(req: { sessionId: string; scheduleId: string; idempotencyKey: string }): Promise<PaymentMethodReplaced>;
  /**
   * Closes a Checkout Session that is still open, so it can no longer be paid: 'expired'; or
   * 'not_open' when it was paid, expired or closed already (nothing to do). Safe to repeat.
   */
  expireCheckout?(sessionId: string): Promise<'expired' | 'not_open'>;
}
