// A small in-memory stand-in for Stripe's HTTP API, for the real `stripe` SDK to talk to in tests
// and in the offline runtime (point StripeGateway at it with host/port/protocol 'http'). It answers
// the few endpoints the payments service uses, with Stripe-shaped objects and Stripe-shaped errors,
// records every request it receives (to prove what would have left for Stripe), and makes the
// webhook EVENTS real Stripe would send, as plain event objects for signEvent() to sign.
//
// Endpoints (form-encoded bodies as the SDK sends them, `a[b][0][c]=v`):
//   POST /v1/customers, /v1/products, /v1/checkout/sessions, /v1/subscription_schedules,
//        /v1/subscription_schedules/:id/cancel, /v1/refunds
//   GET  /v1/checkout/sessions/:id (expand[]=payment_intent), /v1/invoices/:id (expand[]=payments),
//        /v1/subscription_schedules/:id, /v1/payment_intents/:id, /v1/payment_methods/:id,
//        /v1/customers/:id, /v1/products/:id, /v1/charges/:id, /v1/refunds/:id, /v1/subscriptions/:id
//   anything else: 404 in Stripe's error shape. No or malformed API key: 401.
// Like Stripe, POSTs honour Idempotency-Key: the same key with the same request replays the first
// response (header Idempotent-Replayed: true); the same key with other parameters is a 400
// idempotency_error. Unknown parameters are a 400 as on Stripe — including the ones this API
// version removed (`payment_method_types` on Checkout, `iterations` on schedule phases).
//
// WHERE THE WEBHOOK HANDLER READS THINGS (identical to real Stripe under API 2026-10-28.endive —
// webhook payloads never expand ids, and includable fields such as `invoice.payments` are absent):
//   checkout.session.completed / .async_payment_succeeded / .async_payment_failed / .expired
//     data.object is a Checkout Session: metadata.packageId (also client_reference_id),
//     metadata.clinicId, metadata.clientId; payment_status ('paid' | 'unpaid'); status;
//     payment_intent (an id string, null on expiry without an attempt); customer (an id string);
//     amount_total; currency (lower-case). The saved card is NOT in the event: it is the payment
//     intent's `payment_method`; StripeGateway.retrieveCheckoutPayment(sessionId) reads it back
//     (GET /v1/checkout/sessions/:id?expand[]=payment_intent).
//     A completed session with payment_status 'unpaid' (async methods) is paid only when
//     checkout.session.async_payment_succeeded follows; _failed means it never will be.
//   payment_intent.payment_failed — a declined attempt on Checkout's page (outcome 'failed', not
//     async): the session stays open, nothing to change; data.object.metadata.packageId.
//   invoice.paid / invoice.payment_failed
//     data.object is an Invoice: parent.subscription_details.metadata.packageId;
//     parent.subscription_details.subscription; customer; currency; amount_paid (paid) /
//     amount_due / amount_remaining; attempt_count (1, 2, … on retries); id (the same invoice id
//     across retries of one installment); next_payment_attempt; lines.data[0].period.start = the
//     installment's due instant → installmentNumber(startAt, period.start) from stripe-gateway.ts.
//     The paying intent is not in the payload: StripeGateway.invoicePaymentIntent(invoiceId).
//   refund.updated / refund.failed — data.object is a Refund: id, status, amount, currency,
//     payment_intent, metadata.packageId, failure_reason.
//   charge.refunded — data.object is a Charge: payment_intent, amount_refunded (cumulative),
//     refunded; metadata.packageId only for charges made through Checkout (installment charges
//     carry no metadata on real Stripe either).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { STRIPE_API_VERSION, addMonthsUtc } from '#adapters/stripe-gateway.ts';

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

/** A canned failure for the next matching request(s): card declines, 5xx for retry tests, … */
export interface InjectedFailure {
  status: number;
  error: { type: string; message: string; code?: string; decline_code?: string; param?: string };
  /** How many matching requests fail; default 1. */
  times?: number;
  method?: string;
  path?: string | RegExp;
}

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
   */
  completeCheckout(
    sessionId: string,
    outcome: 'paid' | 'failed' | 'expired',
    opts?: { async?: boolean; method?: string },
  ): StripeEvent[];
  /** Charges the earliest unpaid installment (after a failure, its retry): invoice.paid / invoice.payment_failed. */
  chargeNextInstallment(scheduleId: string, outcome: 'paid' | 'failed'): StripeEvent[];
  /** succeeded → charge.refunded + refund.updated; failed → refund.updated + refund.failed (money back on the charge). */
  refundEvents(refundId: string, outcome?: 'succeeded' | 'failed'): StripeEvent[];
  /** A copy of any stored object by id (cs_…, pi_…, in_…, sub_sched_…, …). */
  retrieve(id: string): StripeObject | undefined;
  injectFailure(failure: InjectedFailure): void;
  close(): Promise<void>;
}

/** Signs an event as Stripe would deliver it: the JSON body and its Stripe-Signature header. */
export function signEvent(
  event: StripeEvent | StripeObject,
  webhookSecret: string,
  timestamp?: number,
): { payload: string; header: string } {
  const payload = JSON.stringify(event, null, 2);
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: webhookSecret,
    ...(timestamp !== undefined ? { timestamp } : {}),
  });
  return { payload, header };
}

// ---------------------------------------------------------------------------------------------
// Form decoding

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `a[b][0][c]=v` → { a: { b: [ { c: 'v' } ] } }; `a[]=x` appends. Leaves stay strings. */
export function decodeForm(raw: string): StripeObject {
  const root: StripeObject = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    const segments = m ? [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)] : [key];
    if (segments.some((s) => UNSAFE_KEYS.has(s))) continue;
    let node: StripeObject | unknown[] = root;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const last = i === segments.length - 1;
      const next = segments[i + 1];
      const makeChild = (): StripeObject | unknown[] => (next === '' || /^\d+$/.test(next ?? '') ? [] : {});
      if (Array.isArray(node)) {
        const index = seg === '' ? node.length : Number(seg);
        if (!Number.isInteger(index)) break;
        if (last) node[index] = value;
        else {
          if (typeof node[index] !== 'object' || node[index] === null) node[index] = makeChild();
          node = node[index] as StripeObject | unknown[];
        }
      } else {
        if (last) node[seg] = value;
        else {
          if (typeof node[seg] !== 'object' || node[seg] === null) node[seg] = makeChild();
          node = node[seg] as StripeObject | unknown[];
        }
      }
    }
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${out}`;
}

const clone = <T>(value: T): T => structuredClone(value);

function isObj(value: unknown): value is StripeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const objAt = (o: StripeObject, key: string): StripeObject | undefined => (isObj(o[key]) ? (o[key] as StripeObject) : undefined);
const strAt = (o: StripeObject, key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);
const listAt = (o: StripeObject, key: string): unknown[] | undefined => (Array.isArray(o[key]) ? (o[key] as unknown[]) : undefined);

/** An HTTP-level answer: Stripe's error JSON with its status. */
class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: InjectedFailure['error'],
  ) {
    super(error.message);
  }
}

const invalid = (message: string, param?: string, code?: string): ApiFailure =>
  new ApiFailure(400, {
    type: 'invalid_request_error',
    message,
    ...(param ? { param } : {}),
    ...(code ? { code } : {}),
  });

const missing = (objectName: string, id: string, param = 'id'): ApiFailure =>
  new ApiFailure(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${objectName}: '${id}'`,
    param,
  });

function rejectUnknown(body: StripeObject, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw invalid(`Received unknown parameter: ${prefix}${key}`, `${prefix}${key}`, 'parameter_unknown');
  }
}

function positiveInt(value: unknown, param: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw invalid(`Invalid positive integer: ${param}`, param, 'parameter_invalid_integer');
  return n;
}

function metadataParam(value: unknown, param: string): Record<string, string> {
  if (value === undefined || value === '') return {};
  if (!isObj(value)) throw invalid(`Invalid object: ${param}`, param);
  const out: Record<string, string> = {};
  const entries = Object.entries(value);
  if (entries.length > 50) throw invalid('Metadata may have at most 50 keys', param);
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw invalid(`Invalid string: ${param}[${k}]`, `${param}[${k}]`);
    if (k.length > 40 || v.length > 500) throw invalid('Metadata keys are limited to 40 and values to 500 characters', param);
    if (v !== '') out[k] = v;
  }
  return out;
}

const CHECKOUT_PARAMS = [
  'mode', 'line_items', 'allowed_payment_method_types', 'excluded_payment_method_types', 'customer',
  'customer_creation', 'customer_email', 'client_reference_id', 'metadata', 'payment_intent_data',
  'payment_method_options', 'submit_type', 'success_url', 'cancel_url', 'return_url', 'expires_at',
  'locale', 'ui_mode', 'currency', 'expand',
] as const;
const PAYMENT_INTENT_DATA_PARAMS = [
  'metadata', 'setup_future_usage', 'description', 'capture_method', 'receipt_email',
  'statement_descriptor', 'statement_descriptor_suffix',
] as const;
const SCHEDULE_PARAMS = [
  'customer', 'start_date', 'end_behavior', 'default_settings', 'metadata', 'phases', 'expand', 'billing_mode',
] as const;
const PHASE_PARAMS = [
  'items', 'duration', 'end_date', 'metadata', 'proration_behavior', 'currency', 'default_payment_method',
  'description', 'collection_method', 'invoice_settings', 'trial', 'trial_end', 'add_invoice_items',
  'automatic_tax', 'billing_cycle_anchor', 'default_tax_rates', 'discounts', 'on_behalf_of',
  'transfer_data', 'application_fee_percent',
] as const;
const REFUND_PARAMS = [
  'payment_intent', 'charge', 'amount', 'metadata', 'reason', 'expand', 'instructions_email',
  'refund_application_fee', 'reverse_transfer',
] as const;

// ---------------------------------------------------------------------------------------------
// The stub

interface SessionState {
  obj: StripeObject;
  setupFutureUsage: string | null;
  intentMetadata: Record<string, string>;
}

interface InvoiceState {
  obj: StripeObject;
  scheduleId: string;
  position: number;
  intentId: string;
}

interface ScheduleState {
  obj: StripeObject;
  /** One entry per monthly charge. */
  charges: Array<{ amount: number; priceId: string; metadata: Record<string, string> }>;
  startAt: number;
  currency: string;
  paymentMethodId: string;
  invoices: InvoiceState[];
  subscriptionId: string | null;
}

export async function startStripeStub(opts: StripeStubOptions): Promise<StripeStub> {
  const now = opts.now ?? Date.now;
  const nowSec = (): number => Math.floor(now() / 1000);
  const checkoutBase = opts.checkoutBaseUrl.replace(/\/+$/, '');

  const requests: RecordedRequest[] = [];
  const failures: InjectedFailure[] = [];
  const idempotent = new Map<string, { fingerprint: string; status: number; body: unknown }>();

  // Public objects by id, and the private state behind some of them.
  const objects = new Map<string, StripeObject>();
  const sessions = new Map<string, SessionState>();
  const schedules = new Map<string, ScheduleState>();
  const invoices = new Map<string, InvoiceState>();
  const put = (o: StripeObject): StripeObject => {
    objects.set(o.id as string, o);
    return o;
  };
  const get = (id: string, objectName: string, param = 'id'): StripeObject => {
    const o = objects.get(id);
    if (!o || o.object !== objectName) throw missing(objectName, id, param);
    return o;
  };

  function makeEvent(type: string, object: StripeObject): StripeEvent {
    return {
      id: randomId('evt', 24),
      object: 'event',
      api_version: STRIPE_API_VERSION,
      created: nowSec(),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: clone(object) },
    };
  }

  // --- resources ------------------------------------------------------------------------------

  function newCustomer(email: string | null): StripeObject {
    return put({
      id: randomId('cus', 14),
      object: 'customer',
      created: nowSec(),
      email,
      name: null,
      phone: null,
      address: null,
      description: null,
      invoice_settings: { default_payment_method: null, custom_fields: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: {},
    });
  }

  function createCustomer(body: StripeObject): StripeObject {
    rejectUnknown(body, ['email', 'name', 'metadata', 'description', 'payment_method', 'expand']);
    const c = newCustomer(strAt(body, 'email') ?? null);
    c.name = strAt(body, 'name') ?? null;
    c.description = strAt(body, 'description') ?? null;
    c.metadata = metadataParam(body.metadata, 'metadata');
    return c;
  }

  function createProduct(body: StripeObject): StripeObject {
    rejectUnknown(body, ['name', 'description', 'metadata', 'active', 'tax_code', 'unit_label', 'expand']);
    const name = strAt(body, 'name');
    if (!name) throw invalid('Missing required param: name.', 'name', 'parameter_missing');
    return put({
      id: randomId('prod', 14),
      object: 'product',
      active: true,
      created: nowSec(),
      updated: nowSec(),
      name,
      description: strAt(body, 'description') ?? null,
      livemode: false,
      metadata: metadataParam(body.metadata, 'metadata'),
      type: 'service',
    });
  }

  function newPrice(currency: string, product: string, unitAmount: number, recurring: StripeObject | null): StripeObject {
    return put({
      id: randomId('price', 24),
      object: 'price',
      active: false, // made inline from price_data, as Stripe does
      billing_scheme: 'per_unit',
      created: nowSec(),
      currency,
      livemode: false,
      metadata: {},
      product,
      recurring,
      type: recurring ? 'recurring' : 'one_time',
      unit_amount: unitAmount,
      unit_amount_decimal: String(unitAmount),
    });
  }

  function createCheckoutSession(body: StripeObject): StripeObject {
    rejectUnknown(body, CHECKOUT_PARAMS);
    if (strAt(body, 'mode') !== 'payment') throw invalid('The stub supports mode=payment only.', 'mode');
    const successUrl = strAt(body, 'success_url');
    if (!successUrl) throw invalid('Missing required param: success_url.', 'success_url', 'parameter_missing');
    const items = listAt(body, 'line_items');
    if (!items || items.length === 0) throw invalid('Missing required param: line_items.', 'line_items', 'parameter_missing');
    let currency: string | undefined;
    let total = 0;
    items.forEach((item, i) => {
      const p = `line_items[${i}]`;
      if (!isObj(item)) throw invalid(`Invalid object: ${p}`, p);
      rejectUnknown(item, ['price_data', 'quantity', 'price', 'adjustable_quantity', 'tax_rates', 'metadata'], `${p}[`);
      const priceData = objAt(item, 'price_data');
      if (!priceData) throw invalid(`The stub needs ${p}[price_data].`, `${p}[price_data]`);
      const c = strAt(priceData, 'currency');
      if (!c || c !== c.toLowerCase() || c.length !== 3) throw invalid(`Invalid currency: ${c}`, `${p}[price_data][currency]`);
      if (currency && c !== currency) throw invalid('All line items must share one currency.', `${p}[price_data][currency]`);
      currency = c;
      const unit = positiveInt(priceData.unit_amount, `${p}[price_data][unit_amount]`);
      const name = strAt(objAt(priceData, 'product_data') ?? {}, 'name');
      if (!name) throw invalid('Missing required param: product_data[name].', `${p}[price_data][product_data][name]`, 'parameter_missing');
      const quantity = item.quantity === undefined ? 1 : positiveInt(item.quantity, `${p}[quantity]`);
      total += unit * quantity;
    });
    const allowed = (listAt(body, 'allowed_payment_method_types') ?? ['card']).map(String);
    const pid = objAt(body, 'payment_intent_data') ?? {};
    rejectUnknown(pid, PAYMENT_INTENT_DATA_PARAMS, 'payment_intent_data[');
    const sfu = strAt(pid, 'setup_future_usage') ?? null;
    if (sfu !== null && sfu !== 'off_session' && sfu !== 'on_session') {
      throw invalid(`Invalid setup_future_usage: ${sfu}`, 'payment_intent_data[setup_future_usage]');
    }
    const customer = strAt(body, 'customer') ?? null;
    if (customer) get(customer, 'customer', 'customer');
    const created = nowSec();
    const id = randomId('cs_test', 58);
    const session: StripeObject = {
      id,
      object: 'checkout.session',
      allowed_payment_method_types: allowed,
      amount_subtotal: total,
      amount_total: total,
      cancel_url: strAt(body, 'cancel_url') ?? null,
      client_reference_id: strAt(body, 'client_reference_id') ?? null,
      created,
      currency: currency ?? null,
      customer,
      customer_creation: strAt(body, 'customer_creation') ?? (customer ? null : 'if_required'),
      customer_details: null,
      customer_email: strAt(body, 'customer_email') ?? null,
      expires_at: body.expires_at === undefined ? created + 24 * 3600 : positiveInt(body.expires_at, 'expires_at'),
      invoice: null,
      livemode: false,
      locale: strAt(body, 'locale') ?? null,
      metadata: metadataParam(body.metadata, 'metadata'),
      mode: 'payment',
      payment_intent: null,
      payment_link: null,
      payment_method_types: allowed,
      payment_status: 'unpaid',
      recovered_from: null,
      setup_intent: null,
      status: 'open',
      submit_type: strAt(body, 'submit_type') ?? null,
      subscription: null,
      success_url: successUrl,
      ui_mode: 'hosted_page',
      url: `${checkoutBase}/${id}`,
    };
    put(session);
    sessions.set(id, {
      obj: session,
      setupFutureUsage: sfu,
      intentMetadata: metadataParam(pid.metadata, 'payment_intent_data[metadata]'),
    });
    return session;
  }

  function createSchedule(body: StripeObject): StripeObject {
    rejectUnknown(body, SCHEDULE_PARAMS);
    const customerId = strAt(body, 'customer');
    if (!customerId) throw invalid('Missing required param: customer.', 'customer', 'parameter_missing');
    get(customerId, 'customer', 'customer');
    const settings = objAt(body, 'default_settings') ?? {};
    const pmId = strAt(settings, 'default_payment_method');
    if (!pmId) throw invalid('The stub needs default_settings[default_payment_method].', 'default_settings[default_payment_method]');
    const pm = get(pmId, 'payment_method', 'default_settings[default_payment_method]');
    if (pm.customer !== customerId) {
      throw invalid(
        `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
        'default_settings[default_payment_method]',
        'resource_missing',
      );
    }
    const startRaw = body.start_date;
    const startAt = startRaw === 'now' ? nowSec() : positiveInt(startRaw, 'start_date');
    const phasesIn = listAt(body, 'phases');
    if (!phasesIn || phasesIn.length === 0) throw invalid('Missing required param: phases.', 'phases', 'parameter_missing');
    const endBehavior = strAt(body, 'end_behavior') ?? 'release';
    const charges: ScheduleState['charges'] = [];
    const phases: StripeObject[] = [];
    let currency: string | undefined;
    let cursor = startAt;
    phasesIn.forEach((phase, i) => {
      const p = `phases[${i}]`;
      if (!isObj(phase)) throw invalid(`Invalid object: ${p}`, p);
      rejectUnknown(phase, PHASE_PARAMS, `${p}[`);
      const duration = objAt(phase, 'duration');
      if (!duration) throw invalid(`The stub needs ${p}[duration].`, `${p}[duration]`, 'parameter_missing');
      if (strAt(duration, 'interval') !== 'month') throw invalid('The stub supports monthly phases only.', `${p}[duration][interval]`);
      const months = duration.interval_count === undefined ? 1 : positiveInt(duration.interval_count, `${p}[duration][interval_count]`);
      const items = listAt(phase, 'items');
      if (!items || items.length !== 1 || !isObj(items[0])) throw invalid('The stub supports exactly one item per phase.', `${p}[items]`);
      const item = items[0] as StripeObject;
      const priceData = objAt(item, 'price_data');
      if (!priceData) throw invalid(`The stub needs ${p}[items][0][price_data].`, `${p}[items][0][price_data]`);
      const c = strAt(priceData, 'currency');
      if (!c || c !== c.toLowerCase()) throw invalid(`Invalid currency: ${c}`, `${p}[items][0][price_data][currency]`);
      if (currency && c !== currency) throw invalid('All phases must share one currency.', `${p}[items][0][price_data][currency]`);
      currency = c;
      const productId = strAt(priceData, 'product') ?? '';
      get(productId, 'product', `${p}[items][0][price_data][product]`);
      const recurring = objAt(priceData, 'recurring');
      if (strAt(recurring ?? {}, 'interval') !== 'month') {
        throw invalid('The stub supports monthly prices only.', `${p}[items][0][price_data][recurring][interval]`);
      }
      const unit = positiveInt(priceData.unit_amount, `${p}[items][0][price_data][unit_amount]`);
      const quantity = item.quantity === undefined ? 1 : positiveInt(item.quantity, `${p}[items][0][quantity]`);
      const price = newPrice(c, productId, unit, { interval: 'month', interval_count: 1, usage_type: 'licensed' });
      const metadata = metadataParam(phase.metadata, `${p}[metadata]`);
      for (let m = 0; m < months; m++) charges.push({ amount: unit * quantity, priceId: price.id as string, metadata });
      const end = addMonthsUtc(startAt, charges.length);
      phases.push({
        add_invoice_items: [],
        application_fee_percent: null,
        billing_cycle_anchor: null,
        collection_method: null,
        currency: c,
        default_payment_method: null,
        default_tax_rates: [],
        description: null,
        discounts: [],
        end_date: end,
        invoice_settings: null,
        items: [{ discounts: [], metadata: {}, price: price.id, quantity, tax_rates: [] }],
        metadata,
        on_behalf_of: null,
        proration_behavior: strAt(phase, 'proration_behavior') ?? 'create_prorations',
        start_date: cursor,
        transfer_data: null,
        trial_end: null,
      });
      cursor = end;
    });
    const id = randomId('sub_sched', 24);
    const schedule = put({
      id,
      object: 'subscription_schedule',
      application: null,
      billing_mode: { type: 'classic' },
      canceled_at: null,
      completed_at: null,
      created: nowSec(),
      current_phase: null,
      customer: customerId,
      customer_account: null,
      default_settings: {
        application_fee_percent: null,
        automatic_tax: { enabled: false, liability: null },
        billing_cycle_anchor: 'automatic',
        collection_method: strAt(settings, 'collection_method') ?? 'charge_automatically',
        default_payment_method: pmId,
        description: null,
        invoice_settings: { account_tax_ids: null, days_until_due: null, issuer: { type: 'self' } },
        on_behalf_of: null,
        transfer_data: null,
      },
      end_behavior: endBehavior,
      livemode: false,
      metadata: metadataParam(body.metadata, 'metadata'),
      pause_schedules: [],
      phases,
      released_at: null,
      released_subscription: null,
      status: startAt <= nowSec() ? 'active' : 'not_started',
      subscription: null,
      test_clock: null,
    });
    schedules.set(id, {
      obj: schedule,
      charges,
      startAt,
      currency: currency ?? 'usd',
      paymentMethodId: pmId,
      invoices: [],
      subscriptionId: null,
    });
    return schedule;
  }

  function cancelSchedule(id: string, body: StripeObject): StripeObject {
    rejectUnknown(body, ['invoice_now', 'prorate', 'expand']);
    const state = schedules.get(id);
    if (!state) throw missing('subscription_schedule', id);
    const status = state.obj.status as string;
    if (status === 'canceled' || status === 'completed' || status === 'released') {
      throw invalid(`You cannot cancel a subscription schedule that is currently in the \`${status}\` status.`, undefined, 'subscription_schedule_not_cancelable');
    }
    state.obj.status = 'canceled';
    state.obj.canceled_at = nowSec();
    if (state.subscriptionId) {
      const sub = objects.get(state.subscriptionId);
      if (sub) {
        sub.status = 'canceled';
        sub.canceled_at = nowSec();
      }
    }
    return state.obj;
  }

  function refundable(intent: StripeObject): { charge: StripeObject; remaining: number } {
    const chargeId = strAt(intent, 'latest_charge');
    const charge = chargeId ? objects.get(chargeId) : undefined;
    if (intent.status !== 'succeeded' || !charge) {
      throw invalid(
        `This PaymentIntent (${String(intent.id)}) does not have a successful charge to refund.`,
        'payment_intent',
        'charge_not_refundable',
      );
    }
    return { charge, remaining: (charge.amount as number) - (charge.amount_refunded as number) };
  }

  function createRefund(body: StripeObject): StripeObject {
    rejectUnknown(body, REFUND_PARAMS);
    const piId = strAt(body, 'payment_intent');
    if (!piId) throw invalid('The stub needs payment_intent.', 'payment_intent', 'parameter_missing');
    const intent = get(piId, 'payment_intent', 'payment_intent');
    const { charge, remaining } = refundable(intent);
    const amount = body.amount === undefined ? remaining : positiveInt(body.amount, 'amount');
    if (amount > remaining) {
      throw invalid(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
        'amount',
        'amount_too_large',
      );
    }
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    return put({
      id: randomId('re', 24),
      object: 'refund',
      amount,
      balance_transaction: randomId('txn', 24),
      charge: charge.id,
      created: nowSec(),
      currency: intent.currency,
      customer: intent.customer ?? null,
      customer_account: null,
      destination_details: { type: 'card', card: { type: 'refund', reference_status: 'pending' } },
      metadata: metadataParam(body.metadata, 'metadata'),
      payment_intent: piId,
      payment_method: intent.payment_method ?? null,
      reason: strAt(body, 'reason') ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded', // card refunds succeed at once in test mode
      transfer_reversal: null,
    });
  }

  function withExpansions(o: StripeObject, query: StripeObject): StripeObject {
    const expand = (listAt(query, 'expand') ?? []).map(String);
    const out = clone(o);
    if (out.object === 'checkout.session' && expand.includes('payment_intent') && typeof out.payment_intent === 'string') {
      out.payment_intent = clone(objects.get(out.payment_intent) ?? null);
    }
    if (out.object === 'invoice' && expand.includes('payments')) {
      const state = invoices.get(out.id as string);
      const intent = state ? objects.get(state.intentId) : undefined;
      const paid = out.status === 'paid';
      out.payments = {
        object: 'list',
        data: intent
          ? [
              {
                id: `inpay_${(out.id as string).slice(3)}`,
                object: 'invoice_payment',
                amount_paid: paid ? out.amount_paid : null,
                amount_requested: out.amount_due,
                created: out.created,
                currency: out.currency,
                invoice: out.id,
                is_default: true,
                livemode: false,
                payment: { type: 'payment_intent', payment_intent: intent.id },
                status: paid ? 'paid' : 'open',
                status_transitions: { canceled_at: null, paid_at: paid ? (objAt(out, 'status_transitions')?.paid_at ?? null) : null },
              },
            ]
          : [],
        has_more: false,
        url: `/v1/invoice_payments?invoice=${String(out.id)}`,
      };
    }
    return out;
  }

  // --- routing --------------------------------------------------------------------------------

  type Handler = (params: string[], body: StripeObject, query: StripeObject) => StripeObject;
  const RETRIEVABLE: Record<string, string> = {
    'checkout/sessions': 'checkout.session',
    invoices: 'invoice',
    subscription_schedules: 'subscription_schedule',
    payment_intents: 'payment_intent',
    payment_methods: 'payment_method',
    customers: 'customer',
    products: 'product',
    charges: 'charge',
    refunds: 'refund',
    subscriptions: 'subscription',
  };
  const routes: Array<{ method: string; pattern: RegExp; handle: Handler }> = [
    { method: 'POST', pattern: /^\/v1\/customers$/, handle: (_p, b) => createCustomer(b) },
    { method: 'POST', pattern: /^\/v1\/products$/, handle: (_p, b) => createProduct(b) },
    { method: 'POST', pattern: /^\/v1\/checkout\/sessions$/, handle: (_p, b) => createCheckoutSession(b) },
    { method: 'POST', pattern: /^\/v1\/subscription_schedules$/, handle: (_p, b) => createSchedule(b) },
    { method: 'POST', pattern: /^\/v1\/subscription_schedules\/([^/]+)\/cancel$/, handle: (p, b) => cancelSchedule(p[0]!, b) },
    { method: 'POST', pattern: /^\/v1\/refunds$/, handle: (_p, b) => createRefund(b) },
    ...Object.entries(RETRIEVABLE).map(([path, objectName]) => ({
      method: 'GET',
      pattern: new RegExp(`^/v1/${path.replace('/', '\\/')}/([^/]+)$`),
      handle: (p: string[], _b: StripeObject, q: StripeObject) => withExpansions(get(decodeURIComponent(p[0]!), objectName), q),
    })),
  ];

  function takeFailure(method: string, path: string): InjectedFailure | undefined {
    const i = failures.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.path || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
    );
    if (i < 0) return undefined;
    const f = failures[i]!;
    const left = (f.times ?? 1) - 1;
    if (left <= 0) failures.splice(i, 1);
    else failures[i] = { ...f, times: left };
    return f;
  }

  function answer(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
    const text = JSON.stringify(body, null, 2);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'request-id': randomId('req', 14),
      'stripe-version': STRIPE_API_VERSION,
      ...extra,
    });
    res.end(text);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1024 * 1024) throw new ApiFailure(413, { type: 'invalid_request_error', message: 'Request too large' });
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = new URL(req.url ?? '/', 'http://stub.invalid');
    const path = target.pathname;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    let rawBody = '';
    try {
      rawBody = await readBody(req);
    } catch (error) {
      if (error instanceof ApiFailure) return answer(res, error.status, { error: error.error });
      throw error;
    }
    const body = method === 'GET' ? {} : decodeForm(rawBody);
    const query = decodeForm(target.search.slice(1));
    requests.push({ method, path, query, headers, body, rawBody });

    const auth = headers.authorization ?? '';
    if (!/^Bearer (sk|rk)_(test|live)_\S+$/.test(auth)) {
      return answer(res, 401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided. You did not provide a valid secret key.' },
      });
    }

    const key = method === 'POST' ? headers['idempotency-key'] : undefined;
    const fingerprint = `${method} ${path} ${rawBody}`;
    if (key) {
      const seen = idempotent.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return answer(res, 400, {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            },
          });
        }
        return answer(res, seen.status, seen.body, { 'idempotency-key': key, 'idempotent-replayed': 'true' });
      }
    }

    const injected = takeFailure(method, path);
    if (injected) {
      // Not saved under the idempotency key, so the SDK's retry gets a fresh answer.
      const extra: Record<string, string> = injected.status >= 500 ? {} : { 'stripe-should-retry': 'false' };
      return answer(res, injected.status, { error: injected.error }, extra);
    }

    const route = routes.find((r) => r.method === method && r.pattern.test(path));
    let status: number;
    let out: unknown;
    if (!route) {
      status = 404;
      out = {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        },
      };
    } else {
      try {
        const params = route.pattern.exec(path)!.slice(1);
        out = clone(route.handle(params, body, query));
        status = 200;
      } catch (error) {
        if (!(error instanceof ApiFailure)) throw error;
        status = error.status;
        out = { error: error.error };
      }
    }
    // Stripe saves a result only once the endpoint ran; parameter errors are not saved.
    if (key && status === 200) idempotent.set(key, { fingerprint, status, body: out });
    return answer(res, status, out, key ? { 'idempotency-key': key } : {});
  }

  // --- events ---------------------------------------------------------------------------------

  function newCharge(intent: StripeObject): StripeObject {
    const charge = put({
      id: randomId('ch', 24),
      object: 'charge',
      amount: intent.amount,
      amount_captured: intent.amount,
      amount_refunded: 0,
      balance_transaction: randomId('txn', 24),
      captured: true,
      created: nowSec(),
      currency: intent.currency,
      customer: intent.customer ?? null,
      description: null,
      livemode: false,
      metadata: clone(intent.metadata ?? {}),
      paid: true,
      payment_intent: intent.id,
      payment_method: intent.payment_method,
      refunded: false,
      status: 'succeeded',
    });
    intent.latest_charge = charge.id;
    intent.amount_received = intent.amount;
    return charge;
  }

  function newPaymentMethod(type: string, customer: string | null, email: string | null): StripeObject {
    return put({
      id: randomId('pm', 24),
      object: 'payment_method',
      type,
      created: nowSec(),
      customer,
      livemode: false,
      metadata: {},
      allow_redisplay: 'unspecified',
      billing_details: { address: null, email, name: null, phone: null, tax_id: null },
      ...(type === 'card'
        ? { card: { brand: 'visa', country: 'US', exp_month: 12, exp_year: 2034, funding: 'credit', last4: '4242' } }
        : { [type]: {} }),
    });
  }

  const declined = {
    type: 'card_error',
    code: 'card_declined',
    decline_code: 'generic_decline',
    message: 'Your card was declined.',
  };

  function completeCheckout(
    sessionId: string,
    outcome: 'paid' | 'failed' | 'expired',
    options: { async?: boolean; method?: string } = {},
  ): StripeEvent[] {
    const state = sessions.get(sessionId);
    if (!state) throw new StripeStubError('not_found', `No such checkout.session: '${sessionId}'`);
    const s = state.obj;
    if (s.status !== 'open') throw new StripeStubError('conflict', `Checkout Session ${sessionId} is ${String(s.status)}, not open`);
    if (outcome === 'expired') {
      s.status = 'expired';
      return [makeEvent('checkout.session.expired', s)];
    }
    const allowed = (s.allowed_payment_method_types as string[]) ?? ['card'];
    const type = options.method ?? allowed[0] ?? 'card';
    if (!allowed.includes(type)) throw new StripeStubError('conflict', `Payment method type ${type} is not allowed on ${sessionId}`);
    const email = (s.customer_email as string | null) ?? null;

    // The intent Checkout confirms (created at the first attempt and reused by later ones).
    const existing = typeof s.payment_intent === 'string' ? objects.get(s.payment_intent) : undefined;
    const intent =
      existing ??
      put({
        id: randomId('pi', 24),
        object: 'payment_intent',
        amount: s.amount_total,
        amount_received: 0,
        capture_method: 'automatic',
        created: nowSec(),
        currency: s.currency,
        customer: s.customer ?? null,
        description: null,
        last_payment_error: null,
        latest_charge: null,
        livemode: false,
        metadata: clone(state.intentMetadata),
        payment_method: null,
        payment_method_types: [type],
        setup_future_usage: state.setupFutureUsage,
        status: 'requires_payment_method',
      });
    s.payment_intent = intent.id;
    const pm = newPaymentMethod(type, null, email);
    intent.payment_method = pm.id;
    intent.payment_method_types = [type];

    if (outcome === 'failed' && !options.async) {
      intent.status = 'requires_payment_method';
      intent.last_payment_error = { ...declined, payment_method: clone(pm) };
      return [makeEvent('payment_intent.payment_failed', intent)];
    }

    // The customer exists from the first confirmation on (customer_creation 'always').
    if (!s.customer && s.customer_creation === 'always') {
      s.customer = newCustomer(email).id;
    }
    intent.customer = s.customer ?? null;
    if (state.setupFutureUsage && s.customer) pm.customer = s.customer;
    s.customer_details = { address: null, email, name: null, phone: null, tax_exempt: 'none', tax_ids: [] };
    s.status = 'complete';
    intent.last_payment_error = null;

    const succeed = (): void => {
      intent.status = 'succeeded';
      newCharge(intent);
      s.payment_status = 'paid';
    };
    if (!options.async) {
      succeed();
      return [makeEvent('checkout.session.completed', s)];
    }
    intent.status = 'processing';
    s.payment_status = 'unpaid';
    const completed = makeEvent('checkout.session.completed', s);
    if (outcome === 'paid') {
      succeed();
      return [completed, makeEvent('checkout.session.async_payment_succeeded', s)];
    }
    intent.status = 'requires_payment_method';
    intent.last_payment_error = { ...declined, code: 'payment_method_provider_decline', payment_method: clone(pm) };
    return [completed, makeEvent('checkout.session.async_payment_failed', s)];
  }

  function chargeNextInstallment(scheduleId: string, outcome: 'paid' | 'failed'): StripeEvent[] {
    const state = schedules.get(scheduleId);
    if (!state) throw new StripeStubError('not_found', `No such subscription_schedule: '${scheduleId}'`);
    const status = state.obj.status as string;
    if (status === 'canceled' || status === 'released' || status === 'completed') {
      throw new StripeStubError('conflict', `Subscription schedule ${scheduleId} is ${status}: nothing more is charged`);
    }
    const last = state.invoices.at(-1);
    let inv: InvoiceState;
    if (last && last.obj.status === 'open') {
      inv = last; // retry of the failed installment: same invoice, next attempt
    } else {
      const position = state.invoices.length + 1;
      const charge = state.charges[position - 1];
      if (!charge) throw new StripeStubError('conflict', `All ${state.charges.length} installments of ${scheduleId} are paid`);
      const customerId = state.obj.customer as string;
      if (!state.subscriptionId) {
        const sub = put({
          id: randomId('sub', 24),
          object: 'subscription',
          customer: customerId,
          default_payment_method: state.paymentMethodId,
          schedule: scheduleId,
          status: 'active',
          metadata: {},
          created: nowSec(),
          livemode: false,
        });
        state.subscriptionId = sub.id as string;
        state.obj.subscription = sub.id;
        state.obj.status = 'active';
      }
      const sub = objects.get(state.subscriptionId)!;
      // Entering a phase copies its metadata onto the subscription; the invoice snapshots it.
      sub.metadata = { ...(sub.metadata as Record<string, string>), ...charge.metadata };
      const periodStart = addMonthsUtc(state.startAt, position - 1);
      const periodEnd = addMonthsUtc(state.startAt, position);
      const invoiceId = randomId('in', 24);
      const customer = objects.get(customerId);
      const intent = put({
        id: randomId('pi', 24),
        object: 'payment_intent',
        amount: charge.amount,
        amount_received: 0,
        capture_method: 'automatic',
        created: nowSec(),
        currency: state.currency,
        customer: customerId,
        description: 'Subscription update',
        last_payment_error: null,
        latest_charge: null,
        livemode: false,
        metadata: {},
        payment_method: state.paymentMethodId,
        payment_method_types: ['card'],
        setup_future_usage: null,
        status: 'requires_payment_method',
      });
      const obj: StripeObject = {
        id: invoiceId,
        object: 'invoice',
        account_country: 'US',
        account_name: null,
        amount_due: charge.amount,
        amount_overpaid: 0,
        amount_paid: 0,
        amount_remaining: charge.amount,
        amount_shipping: 0,
        attempt_count: 0,
        attempted: false,
        auto_advance: true,
        billing_reason: position === 1 ? 'subscription_create' : 'subscription_cycle',
        collection_method: 'charge_automatically',
        created: nowSec(),
        currency: state.currency,
        customer: customerId,
        customer_email: customer?.email ?? null,
        customer_name: null,
        customer_phone: null,
        default_payment_method: null,
        description: null,
        due_date: null,
        effective_at: nowSec(),
        hosted_invoice_url: null,
        lines: {
          object: 'list',
          data: [
            {
              id: randomId('il', 24),
              object: 'line_item',
              amount: charge.amount,
              currency: state.currency,
              description: null,
              invoice: invoiceId,
              livemode: false,
              metadata: {},
              parent: {
                type: 'subscription_item_details',
                invoice_item_details: null,
                subscription_item_details: {
                  invoice_item: null,
                  proration: false,
                  proration_details: { credited_items: null },
                  subscription: state.subscriptionId,
                  subscription_item: `si_${state.subscriptionId.slice(4, 18)}`,
                },
              },
              period: { start: periodStart, end: periodEnd },
              pricing: {
                type: 'price_details',
                price_details: { price: charge.priceId, product: objects.get(charge.priceId)?.product ?? null },
                unit_amount_decimal: String(charge.amount),
              },
              quantity: 1,
              subscription: state.subscriptionId,
              subtotal: charge.amount,
            },
          ],
          has_more: false,
          url: `/v1/invoices/${invoiceId}/lines`,
        },
        livemode: false,
        metadata: {},
        next_payment_attempt: null,
        number: `STUB-${String(position).padStart(4, '0')}`,
        parent: {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: { metadata: clone(sub.metadata), subscription: state.subscriptionId },
        },
        period_start: periodStart,
        period_end: periodStart,
        status: 'open',
        status_transitions: { finalized_at: nowSec(), marked_uncollectible_at: null, paid_at: null, voided_at: null },
        subtotal: charge.amount,
        total: charge.amount,
        webhooks_delivered_at: null,
      };
      put(obj);
      inv = { obj, scheduleId, position, intentId: intent.id as string };
      state.invoices.push(inv);
      invoices.set(invoiceId, inv);
    }

    const obj = inv.obj;
    const intent = objects.get(inv.intentId)!;
    const sub = state.subscriptionId ? objects.get(state.subscriptionId) : undefined;
    obj.attempt_count = (obj.attempt_count as number) + 1;
    obj.attempted = true;
    if (outcome === 'paid') {
      intent.status = 'succeeded';
      intent.last_payment_error = null;
      newCharge(intent);
      obj.status = 'paid';
      obj.amount_paid = obj.amount_due;
      obj.amount_remaining = 0;
      obj.auto_advance = false;
      obj.next_payment_attempt = null;
      (obj.status_transitions as StripeObject).paid_at = nowSec();
      if (sub) sub.status = 'active';
      return [makeEvent('invoice.paid', obj)];
    }
    intent.status = 'requires_payment_method';
    intent.last_payment_error = { ...declined, decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' };
    obj.next_payment_attempt = nowSec() + 3 * 24 * 3600;
    if (sub) sub.status = 'past_due';
    return [makeEvent('invoice.payment_failed', obj)];
  }

  function refundEvents(refundId: string, outcome: 'succeeded' | 'failed' = 'succeeded'): StripeEvent[] {
    const refund = objects.get(refundId);
    if (!refund || refund.object !== 'refund') throw new StripeStubError('not_found', `No such refund: '${refundId}'`);
    const charge = objects.get(refund.charge as string);
    if (outcome === 'succeeded') {
      refund.status = 'succeeded';
      const events: StripeEvent[] = [];
      if (charge) events.push(makeEvent('charge.refunded', charge));
      events.push(makeEvent('refund.updated', refund));
      return events;
    }
    if (refund.status === 'failed') throw new StripeStubError('conflict', `Refund ${refundId} has already failed`);
    refund.status = 'failed';
    refund.failure_reason = 'expired_or_canceled_card';
    refund.failure_balance_transaction = randomId('txn', 24);
    if (charge) {
      charge.amount_refunded = Math.max(0, (charge.amount_refunded as number) - (refund.amount as number));
      charge.refunded = false;
    }
    return [makeEvent('refund.updated', refund), makeEvent('refund.failed', refund)];
  }

  // --- server ---------------------------------------------------------------------------------

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        answer(res, 500, { error: { type: 'api_error', message: `Stub failure: ${error instanceof Error ? error.message : String(error)}` } });
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = '127.0.0.1';

  return {
    url: `http://${host}:${port}`,
    host,
    port,
    requests,
    completeCheckout,
    chargeNextInstallment,
    refundEvents,
    retrieve: (id) => {
      const o = objects.get(id);
      return o ? clone(o) : undefined;
    },
    injectFailure: (failure) => {
      failures.push(failure);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
