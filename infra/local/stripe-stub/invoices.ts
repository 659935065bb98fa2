// Installment charges of a subscription schedule: the subscription it starts, one invoice per
// month (retried on the same invoice after a failure), and the invoice.paid / invoice.payment_failed
// events; also the `payments` an invoice shows when expanded (expand[]=payments).
import { addMonthsUtc } from '#adapters/stripe-gateway.ts';
import type { InvoiceState, ScheduleCharge, ScheduleState, StubStore } from './store.ts';
import { StripeStubError, type StripeEvent, type StripeObject } from './types.ts';
import { DECLINED, attachedCard, newCharge } from './resources.ts';
import { invalid, missing, positiveInt, rejectUnknown } from './params.ts';
import { clone, objAt, randomId, strAt } from './util.ts';

/** The schedule's subscription, made when the first installment is charged. */
function subscriptionOf(store: StubStore, state: ScheduleState, scheduleId: string): StripeObject {
  if (!state.subscriptionId) {
    const sub = store.put({
      id: randomId('sub', 24),
      object: 'subscription',
      customer: state.obj.customer,
      default_payment_method: state.paymentMethodId,
      schedule: scheduleId,
      status: 'active',
      metadata: {},
      created: store.nowSec(),
      livemode: false,
    });
    state.subscriptionId = sub.id as string;
    state.obj.subscription = sub.id;
    state.obj.status = 'active';
  }
  return store.find(state.subscriptionId)!;
}

function installmentIntent(store: StubStore, state: ScheduleState, amount: number): StripeObject {
  return store.put({
    id: randomId('pi', 24),
    object: 'payment_intent',
    amount,
    amount_received: 0,
    capture_method: 'automatic',
    created: store.nowSec(),
    currency: state.currency,
    customer: state.obj.customer,
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
}

interface InvoiceFacts {
  id: string;
  position: number;
  charge: ScheduleCharge;
  subscriptionId: string;
  subscriptionMetadata: unknown;
  periodStart: number;
  periodEnd: number;
}

/** The invoice's one line: the installment's period (what the webhook handler numbers it by). */
function invoiceLines(store: StubStore, state: ScheduleState, f: InvoiceFacts): StripeObject {
  const line = {
    id: randomId('il', 24),
    object: 'line_item',
    amount: f.charge.amount,
    currency: state.currency,
    description: null,
    invoice: f.id,
    livemode: false,
    metadata: {},
    parent: {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: false,
        proration_details: { credited_items: null },
        subscription: f.subscriptionId,
        subscription_item: `si_${f.subscriptionId.slice(4, 18)}`,
      },
    },
    period: { start: f.periodStart, end: f.periodEnd },
    pricing: {
      type: 'price_details',
      price_details: { price: f.charge.priceId, product: store.find(f.charge.priceId)?.product ?? null },
      unit_amount_decimal: String(f.charge.amount),
    },
    quantity: 1,
    subscription: f.subscriptionId,
    subtotal: f.charge.amount,
  };
  return { object: 'list', data: [line], has_more: false, url: `/v1/invoices/${f.id}/lines` };
}

function invoiceObject(store: StubStore, state: ScheduleState, f: InvoiceFacts): StripeObject {
  const customerId = state.obj.customer as string;
  const amount = f.charge.amount;
  const now = store.nowSec();
  return {
    id: f.id,
    object: 'invoice',
    account_country: 'US',
    account_name: null,
    amount_due: amount,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: amount,
    amount_shipping: 0,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    billing_reason: f.position === 1 ? 'subscription_create' : 'subscription_cycle',
    collection_method: 'charge_automatically',
    created: now,
    currency: state.currency,
    customer: customerId,
    customer_email: store.find(customerId)?.email ?? null,
    customer_name: null,
    customer_phone: null,
    default_payment_method: null,
    description: null,
    due_date: null,
    effective_at: now,
    hosted_invoice_url: null,
    lines: invoiceLines(store, state, f),
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: `STUB-${String(f.position).padStart(4, '0')}`,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: clone(f.subscriptionMetadata), subscription: f.subscriptionId },
    },
    period_start: f.periodStart,
    period_end: f.periodStart,
    status: 'open',
    status_transitions: { finalized_at: now, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: amount,
    total: amount,
    webhooks_delivered_at: null,
  };
}

/** The invoice of the next installment: the open one again after a failure, else a new one. */
function nextInvoice(store: StubStore, state: ScheduleState, scheduleId: string): InvoiceState {
  const last = state.invoices.at(-1);
  if (last && last.obj.status === 'open') return last; // retry of the failed installment: same invoice, next attempt
  const position = state.invoices.length + 1;
  const charge = state.charges[position - 1];
  if (!charge) throw new StripeStubError('conflict', `All ${state.charges.length} installments of ${scheduleId} are paid`);
  const sub = subscriptionOf(store, state, scheduleId);
  // Entering a phase copies its metadata onto the subscription; the invoice snapshots it.
  sub.metadata = { ...(sub.metadata as Record<string, string>), ...charge.metadata };
  const intent = installmentIntent(store, state, charge.amount);
  const facts: InvoiceFacts = {
    id: randomId('in', 24),
    position,
    charge,
    subscriptionId: sub.id as string,
    subscriptionMetadata: sub.metadata,
    periodStart: addMonthsUtc(state.startAt, position - 1),
    periodEnd: addMonthsUtc(state.startAt, position),
  };
  const obj = store.put(invoiceObject(store, state, facts));
  const inv: InvoiceState = { obj, scheduleId, position, intentId: intent.id as string };
  state.invoices.push(inv);
  store.invoices.set(facts.id, inv);
  return inv;
}

/** The card charges use now: the subscription's default once set (another card), else the schedule's. */
function currentCard(store: StubStore, state: ScheduleState): string {
  const sub = state.subscriptionId ? store.find(state.subscriptionId) : undefined;
  return (sub?.default_payment_method as string | null | undefined) ?? state.paymentMethodId;
}

/** The invoice paid by its intent: its charge, its statuses, and the invoice.paid event. */
function paid(store: StubStore, inv: InvoiceState, intent: StripeObject, sub: StripeObject | undefined): StripeEvent {
  const obj = inv.obj;
  intent.status = 'succeeded';
  intent.last_payment_error = null;
  newCharge(store, intent);
  Object.assign(obj, {
    status: 'paid',
    amount_paid: obj.amount_due,
    amount_remaining: 0,
    auto_advance: false,
    next_payment_attempt: null,
  });
  (obj.status_transitions as StripeObject).paid_at = store.nowSec();
  if (sub) sub.status = 'active';
  return store.event('invoice.paid', obj);
}

/**
 * POST /v1/invoices/:id/pay — an attempt now on an open invoice, with `payment_method` (attached
 * to the customer) or the subscription's card. Every attempt succeeds unless a failure is injected
 * (injectFailure). Its invoice.paid waits in the store (takeApiEvents), as Stripe sends it after
 * answering.
 */
export function payInvoice(store: StubStore, id: string, body: StripeObject): StripeObject {
  rejectUnknown(body, ['payment_method', 'off_session', 'forgive', 'paid_out_of_band', 'mandate', 'source', 'expand']);
  const inv = store.invoices.get(id);
  if (!inv) throw missing('invoice', id);
  if (inv.obj.status !== 'open') throw invalid(`Invoice is already ${String(inv.obj.status)}`, undefined, 'invoice_not_open');
  const state = store.schedules.get(inv.scheduleId)!;
  const customer = inv.obj.customer as string;
  const pm =
    body.payment_method === undefined
      ? currentCard(store, state)
      : attachedCard(store, customer, strAt(body, 'payment_method'), 'payment_method');
  const intent = store.find(inv.intentId)!;
  intent.payment_method = pm;
  inv.obj.attempt_count = (inv.obj.attempt_count as number) + 1;
  inv.obj.attempted = true;
  const sub = state.subscriptionId ? store.find(state.subscriptionId) : undefined;
  store.apiEvents.push(paid(store, inv, intent, sub));
  return inv.obj;
}

/** GET /v1/invoices — by `subscription`, `customer` and `status`, newest first, at most `limit` (default 10, at most 100). */
export function listInvoices(store: StubStore, query: StripeObject): StripeObject {
  for (const key of Object.keys(query)) {
    if (!['subscription', 'customer', 'status', 'limit', 'expand'].includes(key)) {
      throw invalid(`Received unknown parameter: ${key}`, key, 'parameter_unknown');
    }
  }
  const limit = query.limit === undefined ? 10 : positiveInt(query.limit, 'limit');
  if (limit > 100) throw invalid('Invalid integer: limit must be at most 100', 'limit');
  const matches = [...store.invoices.values()]
    .map((i) => i.obj)
    .filter(
      (o) =>
        (query.subscription === undefined ||
          objAt(objAt(o, 'parent') ?? {}, 'subscription_details')?.subscription === query.subscription) &&
        (query.customer === undefined || o.customer === query.customer) &&
        (query.status === undefined || o.status === query.status),
    )
    .reverse();
  return { object: 'list', data: matches.slice(0, limit).map(clone), has_more: matches.length > limit, url: '/v1/invoices' };
}

/** Charges the earliest unpaid installment: see StripeStub.chargeNextInstallment. */
export function chargeNextInstallment(store: StubStore, scheduleId: string, outcome: 'paid' | 'failed'): StripeEvent[] {
  const state = store.schedules.get(scheduleId);
  if (!state) throw new StripeStubError('not_found', `No such subscription_schedule: '${scheduleId}'`);
  const status = state.obj.status as string;
  if (status === 'canceled' || status === 'released' || status === 'completed') {
    throw new StripeStubError('conflict', `Subscription schedule ${scheduleId} is ${status}: nothing more is charged`);
  }
  const inv = nextInvoice(store, state, scheduleId);
  const obj = inv.obj;
  const intent = store.find(inv.intentId)!;
  const sub = state.subscriptionId ? store.find(state.subscriptionId) : undefined;
  obj.attempt_count = (obj.attempt_count as number) + 1;
  obj.attempted = true;
  intent.payment_method = currentCard(store, state);
  if (outcome === 'paid') return [paid(store, inv, intent, sub)];
  intent.status = 'requires_payment_method';
  intent.last_payment_error = { ...DECLINED, decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' };
  obj.next_payment_attempt = store.nowSec() + 3 * 24 * 3600;
  if (sub) sub.status = 'past_due';
  return [store.event('invoice.payment_failed', obj)];
}

/** An invoice's `payments` list (includable, never in webhook payloads): the intent that paid it. */
export function invoicePayments(store: StubStore, out: StripeObject): StripeObject {
  const state = store.invoices.get(out.id as string);
  const intent = state ? store.find(state.intentId) : undefined;
  const paid = out.status === 'paid';
  const payment = intent && {
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
  };
  return { object: 'list', data: payment ? [payment] : [], has_more: false, url: `/v1/invoice_payments?invoice=${String(out.id)}` };
}
