// Subscription schedules: POST /v1/subscription_schedules (monthly phases of one inline price
// each, as StripeGateway.scheduleInstallments sends them) and POST …/:id/cancel.
import { addMonthsUtc } from '#adapters/stripe-gateway.ts';
import type { ScheduleCharge, StubStore } from './store.ts';
import type { StripeObject } from './types.ts';
import { invalid, metadataParam, missing, positiveInt, rejectUnknown } from './params.ts';
import { attachedCard, newPrice } from './resources.ts';
import { isObj, listAt, objAt, randomId, strAt } from './util.ts';

const SCHEDULE_PARAMS = [
  'customer',
  'start_date',
  'end_behavior',
  'default_settings',
  'metadata',
  'phases',
  'expand',
  'billing_mode',
] as const;
const PHASE_PARAMS = [
  'items',
  'duration',
  'end_date',
  'metadata',
  'proration_behavior',
  'currency',
  'default_payment_method',
  'description',
  'collection_method',
  'invoice_settings',
  'trial',
  'trial_end',
  'add_invoice_items',
  'automatic_tax',
  'billing_cycle_anchor',
  'default_tax_rates',
  'discounts',
  'on_behalf_of',
  'transfer_data',
  'application_fee_percent',
] as const;

/** One phase as sent: its months, its one item's price data, quantity and metadata. */
interface PhaseInput {
  months: number;
  currency: string;
  productId: string;
  unit: number;
  quantity: number;
  metadata: Record<string, string>;
  prorationBehavior: string;
}

function phaseInput(store: StubStore, phase: unknown, i: number): PhaseInput {
  const p = `phases[${i}]`;
  if (!isObj(phase)) throw invalid(`Invalid object: ${p}`, p);
  rejectUnknown(phase, PHASE_PARAMS, `${p}[`);
  const duration = objAt(phase, 'duration');
  if (!duration) throw invalid(`The stub needs ${p}[duration].`, `${p}[duration]`, 'parameter_missing');
  if (strAt(duration, 'interval') !== 'month') throw invalid('The stub supports monthly phases only.', `${p}[duration][interval]`);
  const months = duration.interval_count === undefined ? 1 : positiveInt(duration.interval_count, `${p}[duration][interval_count]`);
  const items = listAt(phase, 'items');
  if (!items || items.length !== 1 || !isObj(items[0])) throw invalid('The stub supports exactly one item per phase.', `${p}[items]`);
  const item = items[0];
  const priceData = objAt(item, 'price_data');
  if (!priceData) throw invalid(`The stub needs ${p}[items][0][price_data].`, `${p}[items][0][price_data]`);
  const currency = strAt(priceData, 'currency');
  if (!currency || currency !== currency.toLowerCase())
    throw invalid(`Invalid currency: ${currency}`, `${p}[items][0][price_data][currency]`);
  const productId = strAt(priceData, 'product') ?? '';
  store.get(productId, 'product', `${p}[items][0][price_data][product]`);
  if (strAt(objAt(priceData, 'recurring') ?? {}, 'interval') !== 'month') {
    throw invalid('The stub supports monthly prices only.', `${p}[items][0][price_data][recurring][interval]`);
  }
  return {
    months,
    currency,
    productId,
    unit: positiveInt(priceData.unit_amount, `${p}[items][0][price_data][unit_amount]`),
    quantity: item.quantity === undefined ? 1 : positiveInt(item.quantity, `${p}[items][0][quantity]`),
    metadata: metadataParam(phase.metadata, `${p}[metadata]`),
    prorationBehavior: strAt(phase, 'proration_behavior') ?? 'create_prorations',
  };
}

/** The phase as the schedule object shows it. */
function phaseObject(input: PhaseInput, priceId: string, start: number, end: number): StripeObject {
  return {
    add_invoice_items: [],
    application_fee_percent: null,
    billing_cycle_anchor: null,
    collection_method: null,
    currency: input.currency,
    default_payment_method: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    end_date: end,
    invoice_settings: null,
    items: [{ discounts: [], metadata: {}, price: priceId, quantity: input.quantity, tax_rates: [] }],
    metadata: input.metadata,
    on_behalf_of: null,
    proration_behavior: input.prorationBehavior,
    start_date: start,
    transfer_data: null,
    trial_end: null,
  };
}

/** The phases, one charge per month of each, back to back from `startAt`. */
function phasesOf(
  store: StubStore,
  phasesIn: unknown[],
  startAt: number,
): { phases: StripeObject[]; charges: ScheduleCharge[]; currency: string | undefined } {
  const charges: ScheduleCharge[] = [];
  const phases: StripeObject[] = [];
  let currency: string | undefined;
  let cursor = startAt;
  phasesIn.forEach((phase, i) => {
    const input = phaseInput(store, phase, i);
    if (currency && input.currency !== currency)
      throw invalid('All phases must share one currency.', `phases[${i}][items][0][price_data][currency]`);
    currency = input.currency;
    const price = newPrice(store, input.currency, input.productId, input.unit, {
      interval: 'month',
      interval_count: 1,
      usage_type: 'licensed',
    });
    for (let m = 0; m < input.months; m++)
      charges.push({ amount: input.unit * input.quantity, priceId: price.id as string, metadata: input.metadata });
    const end = addMonthsUtc(startAt, charges.length);
    phases.push(phaseObject(input, price.id as string, cursor, end));
    cursor = end;
  });
  return { phases, charges, currency };
}

/** The customer's card the schedule charges: it must be attached to that customer. */
function scheduleCard(store: StubStore, customerId: string, settings: StripeObject): string {
  return attachedCard(store, customerId, strAt(settings, 'default_payment_method'), 'default_settings[default_payment_method]');
}

/** POST /v1/subscription_schedules */
export function createSchedule(store: StubStore, body: StripeObject): StripeObject {
  rejectUnknown(body, SCHEDULE_PARAMS);
  const customerId = strAt(body, 'customer');
  if (!customerId) throw invalid('Missing required param: customer.', 'customer', 'parameter_missing');
  store.get(customerId, 'customer', 'customer');
  const settings = objAt(body, 'default_settings') ?? {};
  const pmId = scheduleCard(store, customerId, settings);
  const startAt = body.start_date === 'now' ? store.nowSec() : positiveInt(body.start_date, 'start_date');
  const phasesIn = listAt(body, 'phases');
  if (!phasesIn || phasesIn.length === 0) throw invalid('Missing required param: phases.', 'phases', 'parameter_missing');
  const { phases, charges, currency } = phasesOf(store, phasesIn, startAt);
  const schedule = store.put(scheduleObject(store, body, settings, pmId, phases, startAt));
  store.schedules.set(schedule.id as string, {
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

function scheduleObject(
  store: StubStore,
  body: StripeObject,
  settings: StripeObject,
  pmId: string,
  phases: StripeObject[],
  startAt: number,
): StripeObject {
  return {
    id: randomId('sub_sched', 24),
    object: 'subscription_schedule',
    application: null,
    billing_mode: { type: 'classic' },
    canceled_at: null,
    completed_at: null,
    created: store.nowSec(),
    current_phase: null,
    customer: body.customer,
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
    end_behavior: strAt(body, 'end_behavior') ?? 'release',
    livemode: false,
    metadata: metadataParam(body.metadata, 'metadata'),
    pause_schedules: [],
    phases,
    released_at: null,
    released_subscription: null,
    status: startAt <= store.nowSec() ? 'active' : 'not_started',
    subscription: null,
    test_clock: null,
  };
}

/** POST /v1/subscription_schedules/:id/cancel — what already ended cannot be cancelled (400). */
export function cancelSchedule(store: StubStore, id: string, body: StripeObject): StripeObject {
  rejectUnknown(body, ['invoice_now', 'prorate', 'expand']);
  const state = store.schedules.get(id);
  if (!state) throw missing('subscription_schedule', id);
  const status = state.obj.status as string;
  if (status === 'canceled' || status === 'completed' || status === 'released') {
    throw invalid(
      `You cannot cancel a subscription schedule that is currently in the \`${status}\` status.`,
      undefined,
      'subscription_schedule_not_cancelable',
    );
  }
  state.obj.status = 'canceled';
  state.obj.canceled_at = store.nowSec();
  const sub = state.subscriptionId ? store.find(state.subscriptionId) : undefined;
  if (sub) {
    sub.status = 'canceled';
    sub.canceled_at = store.nowSec();
  }
  return state.obj;
}

/**
 * POST /v1/subscription_schedules/:id — the stub takes `default_settings[default_payment_method]`
 * only (another card for the charges to come); what already ended cannot be updated (400).
 */
export function updateSchedule(store: StubStore, id: string, body: StripeObject): StripeObject {
  rejectUnknown(body, ['default_settings', 'metadata', 'expand']);
  const state = store.schedules.get(id);
  if (!state) throw missing('subscription_schedule', id);
  const status = state.obj.status as string;
  if (status === 'canceled' || status === 'completed' || status === 'released') {
    throw invalid(`You cannot update a subscription schedule that is currently in the \`${status}\` status.`, undefined);
  }
  const settings = objAt(body, 'default_settings');
  if (settings) {
    rejectUnknown(settings, ['default_payment_method', 'collection_method', 'description', 'invoice_settings'], 'default_settings[');
    if (settings.default_payment_method !== undefined) {
      const pmId = scheduleCard(store, state.obj.customer as string, settings);
      state.paymentMethodId = pmId;
      (state.obj.default_settings as StripeObject).default_payment_method = pmId;
    }
  }
  if (body.metadata !== undefined) state.obj.metadata = metadataParam(body.metadata, 'metadata');
  return state.obj;
}

/** POST /v1/subscriptions/:id — the stub takes `default_payment_method` only: the card the next charges and retries use. */
export function updateSubscription(store: StubStore, id: string, body: StripeObject): StripeObject {
  rejectUnknown(body, ['default_payment_method', 'metadata', 'expand']);
  const sub = store.get(id, 'subscription');
  if (sub.status === 'canceled') throw invalid('A canceled subscription can only update its cancellation_details and metadata.', undefined);
  if (body.default_payment_method !== undefined) {
    sub.default_payment_method = attachedCard(
      store,
      sub.customer as string,
      strAt(body, 'default_payment_method'),
      'default_payment_method',
    );
  }
  if (body.metadata !== undefined)
    sub.metadata = { ...(sub.metadata as Record<string, string>), ...metadataParam(body.metadata, 'metadata') };
  return sub;
}
