// Customers, products, prices, payment methods and charges: the objects Checkout, schedules and
// refunds make or point at.
import type { StubStore } from './store.ts';
import type { StripeObject } from './types.ts';
import { invalid, metadataParam, rejectUnknown } from './params.ts';
import { clone, objAt, randomId, strAt } from './util.ts';

export function newCustomer(store: StubStore, email: string | null): StripeObject {
  return store.put({
    id: randomId('cus', 14),
    object: 'customer',
    created: store.nowSec(),
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

/** POST /v1/customers */
export function createCustomer(store: StubStore, body: StripeObject): StripeObject {
  rejectUnknown(body, ['email', 'name', 'metadata', 'description', 'payment_method', 'expand']);
  const c = newCustomer(store, strAt(body, 'email') ?? null);
  c.name = strAt(body, 'name') ?? null;
  c.description = strAt(body, 'description') ?? null;
  c.metadata = metadataParam(body.metadata, 'metadata');
  return c;
}

/**
 * The customer's card `param` names: it must exist and be attached to that customer (Stripe refuses
 * a default payment method of someone else's).
 */
export function attachedCard(store: StubStore, customerId: string, pmId: string | undefined, param: string): string {
  if (!pmId) throw invalid(`Missing required param: ${param}.`, param, 'parameter_missing');
  const pm = store.get(pmId, 'payment_method', param);
  if (pm.customer !== customerId) {
    throw invalid(
      `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
      param,
      'resource_missing',
    );
  }
  return pmId;
}

/** POST /v1/customers/:id — the invoice settings' default card (what StripeGateway.replacePaymentMethod sets). */
export function updateCustomer(store: StubStore, id: string, body: StripeObject): StripeObject {
  rejectUnknown(body, ['invoice_settings', 'email', 'name', 'metadata', 'description', 'expand']);
  const customer = store.get(id, 'customer');
  const settings = objAt(body, 'invoice_settings');
  if (settings) {
    rejectUnknown(settings, ['default_payment_method', 'custom_fields', 'footer', 'rendering_options'], 'invoice_settings[');
    const param = 'invoice_settings[default_payment_method]';
    const pmId = attachedCard(store, id, strAt(settings, 'default_payment_method'), param);
    customer.invoice_settings = { ...(objAt(customer, 'invoice_settings') ?? {}), default_payment_method: pmId };
  }
  if (body.metadata !== undefined) customer.metadata = metadataParam(body.metadata, 'metadata');
  return customer;
}

/** POST /v1/products */
export function createProduct(store: StubStore, body: StripeObject): StripeObject {
  rejectUnknown(body, ['name', 'description', 'metadata', 'active', 'tax_code', 'unit_label', 'expand']);
  const name = strAt(body, 'name');
  if (!name) throw invalid('Missing required param: name.', 'name', 'parameter_missing');
  return store.put({
    id: randomId('prod', 14),
    object: 'product',
    active: true,
    created: store.nowSec(),
    updated: store.nowSec(),
    name,
    description: strAt(body, 'description') ?? null,
    livemode: false,
    metadata: metadataParam(body.metadata, 'metadata'),
    type: 'service',
  });
}

/** A price made inline from `price_data`, as Stripe does (inactive). */
export function newPrice(
  store: StubStore,
  currency: string,
  product: string,
  unitAmount: number,
  recurring: StripeObject | null,
): StripeObject {
  return store.put({
    id: randomId('price', 24),
    object: 'price',
    active: false,
    billing_scheme: 'per_unit',
    created: store.nowSec(),
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

export function newPaymentMethod(store: StubStore, type: string, customer: string | null, email: string | null): StripeObject {
  return store.put({
    id: randomId('pm', 24),
    object: 'payment_method',
    type,
    created: store.nowSec(),
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

/** The successful charge of a payment intent: the intent's latest_charge from now on. */
export function newCharge(store: StubStore, intent: StripeObject): StripeObject {
  const charge = store.put({
    id: randomId('ch', 24),
    object: 'charge',
    amount: intent.amount,
    amount_captured: intent.amount,
    amount_refunded: 0,
    balance_transaction: randomId('txn', 24),
    captured: true,
    created: store.nowSec(),
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

/** The error a declined card leaves on its payment intent (last_payment_error). */
export const DECLINED = {
  type: 'card_error',
  code: 'card_declined',
  decline_code: 'generic_decline',
  message: 'Your card was declined.',
} as const;
