// Customers, products, prices, payment methods and charges: the objects Checkout, schedules and
// refunds make or point at.
import type { StubStore } from './store.ts';
import type { StripeObject } from './types.ts';
import { invalid, metadataParam, rejectUnknown } from './params.ts';
import { clone, randomId, strAt } from './util.ts';

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
