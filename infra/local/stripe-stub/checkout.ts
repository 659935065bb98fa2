// Checkout Sessions: POST /v1/checkout/sessions, and what the hosted payment page does when the
// client finishes there (completeCheckout: the intent, the card, the customer and the events).
import type { StubStore, SessionState } from './store.ts';
import { StripeStubError, type StripeEvent, type StripeObject } from './types.ts';
import { invalid, metadataParam, positiveInt, rejectUnknown } from './params.ts';
import { DECLINED, newCharge, newCustomer, newPaymentMethod } from './resources.ts';
import { clone, isObj, listAt, objAt, randomId, strAt } from './util.ts';
import { expireIfDue, expireSession, takeExpiryEvents } from './expiry.ts';

const CHECKOUT_PARAMS = [
  'mode',
  'line_items',
  'allowed_payment_method_types',
  'excluded_payment_method_types',
  'customer',
  'customer_creation',
  'customer_email',
  'client_reference_id',
  'metadata',
  'payment_intent_data',
  'setup_intent_data',
  'payment_method_options',
  'submit_type',
  'success_url',
  'cancel_url',
  'return_url',
  'expires_at',
  'locale',
  'ui_mode',
  'currency',
  'expand',
] as const;
const PAYMENT_INTENT_DATA_PARAMS = [
  'metadata',
  'setup_future_usage',
  'description',
  'capture_method',
  'receipt_email',
  'statement_descriptor',
  'statement_descriptor_suffix',
] as const;

/** The line items' one currency and their total; refuses what the stub (or Stripe) does not take. */
function lineItems(body: StripeObject): { currency: string | undefined; total: number } {
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
  return { currency, total };
}

/** What the session keeps for the payment intent it makes later: setup_future_usage and metadata. */
function intentData(body: StripeObject): { setupFutureUsage: string | null; intentMetadata: Record<string, string> } {
  const pid = objAt(body, 'payment_intent_data') ?? {};
  rejectUnknown(pid, PAYMENT_INTENT_DATA_PARAMS, 'payment_intent_data[');
  const sfu = strAt(pid, 'setup_future_usage') ?? null;
  if (sfu !== null && sfu !== 'off_session' && sfu !== 'on_session') {
    throw invalid(`Invalid setup_future_usage: ${sfu}`, 'payment_intent_data[setup_future_usage]');
  }
  return { setupFutureUsage: sfu, intentMetadata: metadataParam(pid.metadata, 'payment_intent_data[metadata]') };
}

/** Stripe's rule: a session expires 30 minutes to 24 hours after it is made (default 24 hours). */
function expiresAt(body: StripeObject, created: number): number {
  if (body.expires_at === undefined) return created + 24 * 3600;
  const at = positiveInt(body.expires_at, 'expires_at');
  if (at < created + 30 * 60 || at > created + 24 * 3600) {
    throw invalid('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'expires_at');
  }
  return at;
}

/**
 * Setup mode: no line items and no payment; `currency` is required unless the payment method
 * types are given (Stripe's rule for dynamic payment methods); what `setup_intent_data` holds
 * goes to the SetupIntent made when the card is saved.
 */
function setupData(body: StripeObject): { currency: string | undefined; setupIntentMetadata: Record<string, string> } {
  for (const param of ['line_items', 'payment_intent_data', 'submit_type', 'customer_creation'] as const) {
    if (body[param] !== undefined) throw invalid(`You cannot pass \`${param}\` in \`setup\` mode.`, param);
  }
  const currency = strAt(body, 'currency');
  if (currency !== undefined && (currency !== currency.toLowerCase() || currency.length !== 3)) {
    throw invalid(`Invalid currency: ${currency}`, 'currency');
  }
  if (!currency && !listAt(body, 'allowed_payment_method_types')) {
    throw invalid(
      '`currency` is required in `setup` mode when `allowed_payment_method_types` is not set.',
      'currency',
      'parameter_missing',
    );
  }
  const sid = objAt(body, 'setup_intent_data') ?? {};
  rejectUnknown(sid, ['metadata', 'description', 'on_behalf_of'], 'setup_intent_data[');
  return { currency, setupIntentMetadata: metadataParam(sid.metadata, 'setup_intent_data[metadata]') };
}

/** POST /v1/checkout/sessions: mode=payment with price_data line items, or mode=setup (a card saved, nothing charged). */
export function createCheckoutSession(store: StubStore, body: StripeObject): StripeObject {
  rejectUnknown(body, CHECKOUT_PARAMS);
  const mode = strAt(body, 'mode');
  if (mode !== 'payment' && mode !== 'setup') throw invalid('The stub supports mode=payment and mode=setup only.', 'mode');
  const successUrl = strAt(body, 'success_url');
  if (!successUrl) throw invalid('Missing required param: success_url.', 'success_url', 'parameter_missing');
  const setup = mode === 'setup' ? setupData(body) : undefined;
  if (!setup && body.setup_intent_data !== undefined) {
    throw invalid('You can only pass `setup_intent_data` in `setup` mode.', 'setup_intent_data');
  }
  const { currency, total } = setup ? { currency: setup.currency, total: null } : lineItems(body);
  const allowed = (listAt(body, 'allowed_payment_method_types') ?? ['card']).map(String);
  const kept = setup ? { setupFutureUsage: null, intentMetadata: {} } : intentData(body);
  const customer = strAt(body, 'customer') ?? null;
  if (customer) store.get(customer, 'customer', 'customer');
  const created = store.nowSec();
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
    customer_creation: setup ? null : (strAt(body, 'customer_creation') ?? (customer ? null : 'if_required')),
    customer_details: null,
    customer_email: strAt(body, 'customer_email') ?? null,
    expires_at: expiresAt(body, created),
    invoice: null,
    livemode: false,
    locale: strAt(body, 'locale') ?? null,
    metadata: metadataParam(body.metadata, 'metadata'),
    mode,
    payment_intent: null,
    payment_link: null,
    payment_method_types: allowed,
    payment_status: setup ? 'no_payment_required' : 'unpaid',
    recovered_from: null,
    setup_intent: null,
    status: 'open',
    submit_type: strAt(body, 'submit_type') ?? null,
    subscription: null,
    success_url: successUrl,
    ui_mode: 'hosted_page',
    url: `${store.checkoutBase}/${id}`,
  };
  store.put(session);
  store.sessions.set(id, { obj: session, ...kept, ...(setup ? { setupIntentMetadata: setup.setupIntentMetadata } : {}) });
  return session;
}

/** The intent Checkout confirms: made at the first attempt on the page and reused by later ones. */
function checkoutIntent(store: StubStore, state: SessionState, type: string): StripeObject {
  const s = state.obj;
  const existing = typeof s.payment_intent === 'string' ? store.find(s.payment_intent) : undefined;
  const intent =
    existing ??
    store.put({
      id: randomId('pi', 24),
      object: 'payment_intent',
      amount: s.amount_total,
      amount_received: 0,
      capture_method: 'automatic',
      created: store.nowSec(),
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
  return intent;
}

/** The session as a confirmed payment leaves it: complete, with its customer (customer_creation 'always'). */
function confirm(store: StubStore, state: SessionState, intent: StripeObject, pm: StripeObject, email: string | null): void {
  const s = state.obj;
  if (!s.customer && s.customer_creation === 'always') s.customer = newCustomer(store, email).id;
  intent.customer = s.customer ?? null;
  if (state.setupFutureUsage && s.customer) pm.customer = s.customer;
  s.customer_details = { address: null, email, name: null, phone: null, tax_exempt: 'none', tax_ids: [] };
  s.status = 'complete';
  intent.last_payment_error = null;
}

/**
 * POST /v1/checkout/sessions/:id/expire: an open session expires at once (its
 * checkout.session.expired waits to be handed out, as Stripe sends one); any other is refused, as Stripe does.
 */
export function expireCheckoutSession(store: StubStore, sessionId: string): StripeObject {
  expireIfDue(store, sessionId);
  const state = store.sessions.get(sessionId);
  if (!state) return store.get(sessionId, 'checkout.session'); // throws Stripe's resource_missing
  if (state.obj.status !== 'open') {
    throw invalid(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(state.obj.status)}".`,
      'session',
    );
  }
  expireSession(store, state);
  return state.obj;
}

/** The client finishing on the payment page: see StripeStub.completeCheckout. */
export function completeCheckout(
  store: StubStore,
  sessionId: string,
  outcome: 'paid' | 'failed' | 'expired',
  options: { async?: boolean; method?: string } = {},
): StripeEvent[] {
  const state = store.sessions.get(sessionId);
  if (!state) throw new StripeStubError('not_found', `No such checkout.session: '${sessionId}'`);
  expireIfDue(store, sessionId);
  const s = state.obj;
  if (s.status !== 'open') throw new StripeStubError('conflict', `Checkout Session ${sessionId} is ${String(s.status)}, not open`);
  if (outcome === 'expired') {
    expireSession(store, state);
    return takeExpiryEvents(store, sessionId);
  }
  const allowed = (s.allowed_payment_method_types as string[]) ?? ['card'];
  const type = options.method ?? allowed[0] ?? 'card';
  if (!allowed.includes(type)) throw new StripeStubError('conflict', `Payment method type ${type} is not allowed on ${sessionId}`);
  const email = (s.customer_email as string | null) ?? null;
  if (s.mode === 'setup') return completeSetup(store, state, type, outcome);
  const intent = checkoutIntent(store, state, type);
  const pm = newPaymentMethod(store, type, null, email);
  intent.payment_method = pm.id;
  intent.payment_method_types = [type];
  if (outcome === 'failed' && !options.async) {
    intent.status = 'requires_payment_method';
    intent.last_payment_error = { ...DECLINED, payment_method: clone(pm) };
    return [store.event('payment_intent.payment_failed', intent)];
  }
  confirm(store, state, intent, pm, email);
  return settle(store, s, intent, pm, outcome, options.async === true);
}

/** Paid at once, or (async methods) completed unpaid and then succeeded or failed. */
function settle(
  store: StubStore,
  s: StripeObject,
  intent: StripeObject,
  pm: StripeObject,
  outcome: 'paid' | 'failed',
  async: boolean,
): StripeEvent[] {
  const succeed = (): void => {
    intent.status = 'succeeded';
    newCharge(store, intent);
    s.payment_status = 'paid';
  };
  if (!async) {
    succeed();
    return [store.event('checkout.session.completed', s)];
  }
  intent.status = 'processing';
  s.payment_status = 'unpaid';
  const completed = store.event('checkout.session.completed', s);
  if (outcome === 'paid') {
    succeed();
    return [completed, store.event('checkout.session.async_payment_succeeded', s)];
  }
  intent.status = 'requires_payment_method';
  intent.last_payment_error = { ...DECLINED, code: 'payment_method_provider_decline', payment_method: clone(pm) };
  return [completed, store.event('checkout.session.async_payment_failed', s)];
}

/**
 * The client saving a card on a setup session's page: saved → the card attached to the session's
 * customer, a succeeded SetupIntent and checkout.session.completed (payment_status
 * 'no_payment_required'); failed → the SetupIntent keeps the decline and setup_intent.setup_failed
 * (the session stays open).
 */
function completeSetup(store: StubStore, state: SessionState, type: string, outcome: 'paid' | 'failed'): StripeEvent[] {
  const s = state.obj;
  const customer = (s.customer as string | null) ?? null;
  const existing = typeof s.setup_intent === 'string' ? store.find(s.setup_intent) : undefined;
  const intent =
    existing ??
    store.put({
      id: randomId('seti', 24),
      object: 'setup_intent',
      created: store.nowSec(),
      customer,
      description: null,
      last_setup_error: null,
      livemode: false,
      metadata: clone(state.setupIntentMetadata ?? {}),
      payment_method: null,
      payment_method_types: [type],
      status: 'requires_payment_method',
      usage: 'off_session',
    });
  s.setup_intent = intent.id;
  const pm = newPaymentMethod(store, type, null, (s.customer_email as string | null) ?? null);
  intent.payment_method = pm.id;
  if (outcome === 'failed') {
    intent.last_setup_error = { ...DECLINED, payment_method: clone(pm) };
    return [store.event('setup_intent.setup_failed', intent)];
  }
  pm.customer = customer;
  intent.status = 'succeeded';
  intent.last_setup_error = null;
  s.status = 'complete';
  s.customer_details = { address: null, email: null, name: null, phone: null, tax_exempt: 'none', tax_ids: [] };
  return [store.event('checkout.session.completed', s)];
}
