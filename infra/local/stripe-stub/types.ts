// The stub's public types: what tests, the dev helpers and the offline runtime see of it.

export type StripeObject = Record<string, unknown>;

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  type: string;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  data: { object: StripeObject };
}

export interface RecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  query: StripeObject;
  /** Names lower-cased. */
  headers: Record<string, string>;
  /** The form body decoded into nested objects and arrays (all leaf values are strings). */
  body: StripeObject;
  rawBody: string;
}

/** Stripe's error JSON (the `error` member of an error answer). */
export interface StripeErrorBody {
  type: string;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
}

/** Which requests a failure applies to, and to how many of them. */
interface FailureMatch {
  /** How many matching requests fail; default 1. Each SDK retry is a request of its own. */
  times?: number;
  /** How many matching requests get through first (e.g. 1: the second refund fails); default 0. */
  skip?: number;
  method?: string;
  path?: string | RegExp;
}

/** Answer with Stripe's error JSON and this status (a card decline, a 5xx, a 429, …), whatever the Idempotency-Key. */
export interface InjectedError extends FailureMatch {
  status: number;
  error: StripeErrorBody;
  drop?: undefined;
}

/**
 * Close the connection without an answer (the SDK sees a connection error). 'before': the request
 * is not processed (it never reached Stripe). 'after': it is processed (or replayed) and saved
 * under its Idempotency-Key, only the answer is lost, so a retry with the same key replays it.
 */
export interface InjectedDrop extends FailureMatch {
  drop: 'before' | 'after';
}

/** A canned failure for the next matching request(s): card declines, 5xx and dropped connections for retry tests. */
export type InjectedFailure = InjectedError | InjectedDrop;

export interface StripeStubOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Where the hosted payment page lives; a session's url is `${checkoutBaseUrl}/${id}`. */
  checkoutBaseUrl: string;
  /** Epoch milliseconds; default Date.now. Used for `created` and similar timestamps. */
  now?: () => number;
}

/** Misuse of the stub's event helpers (unknown id, nothing left to charge, session not open). */
export class StripeStubError extends Error {
  override readonly name = 'StripeStubError';
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

export interface StripeStub {
  url: string;
  host: string;
  port: number;
  requests: RecordedRequest[];
  /**
   * What real Checkout sends when the client finishes on the payment page.
   * paid → checkout.session.completed (payment_status 'paid'); failed → payment_intent.payment_failed
   * (session stays open); expired → checkout.session.expired. With `async`: completed with
   * payment_status 'unpaid', then checkout.session.async_payment_succeeded / _failed.
   * `method` picks the payment method type (default: the session's first allowed type).
   * A setup-mode session (a card saved, nothing charged): paid → the card attached to the
   * session's customer, a succeeded SetupIntent, checkout.session.completed (payment_status
   * 'no_payment_required'); failed → setup_intent.setup_failed (session stays open).
   */
  completeCheckout(sessionId: string, outcome: 'paid' | 'failed' | 'expired', opts?: { async?: boolean; method?: string }): StripeEvent[];
  /**
   * The checkout.session.expired events Stripe would have sent since the last call, oldest first:
   * every open session past its `expires_at` by the stub's clock expires now, and each expired
   * session's event (whatever expired it: its time, the API, the page) is handed out once.
   */
  takeExpiryEvents(): StripeEvent[];
  /**
   * The events API calls made since the last call, oldest first, each handed out once: Stripe
   * sends them after answering (invoice.paid of an invoice paid by POST /v1/invoices/:id/pay).
   */
  takeApiEvents(): StripeEvent[];
  /** Charges the earliest unpaid installment (after a failure, its retry): invoice.paid / invoice.payment_failed. */
  chargeNextInstallment(scheduleId: string, outcome: 'paid' | 'failed'): StripeEvent[];
  /** succeeded → charge.refunded + refund.updated; failed → refund.updated + refund.failed (money back on the charge). */
  refundEvents(refundId: string, outcome?: 'succeeded' | 'failed'): StripeEvent[];
  /** A copy of any stored object by id (cs_…, pi_…, in_…, sub_sched_…, …). */
  retrieve(id: string): StripeObject | undefined;
  /** Copies of every stored object of one type ('refund', 'checkout.session', …), oldest first. */
  list(objectName: string): StripeObject[];
  injectFailure(failure: InjectedFailure): void;
  close(): Promise<void>;
}
