// Refunds: POST /v1/refunds against a payment intent's charge (card refunds succeed at once, as in
// test mode), and the events that follow a refund's outcome (refundEvents).
import type { StubStore } from './store.ts';
import { StripeStubError, type StripeEvent, type StripeObject } from './types.ts';
import { invalid, metadataParam, positiveInt, rejectUnknown } from './params.ts';
import { randomId, strAt } from './util.ts';

const REFUND_PARAMS = [
  'payment_intent',
  'charge',
  'amount',
  'metadata',
  'reason',
  'expand',
  'instructions_email',
  'refund_application_fee',
  'reverse_transfer',
] as const;

/** The intent's successful charge and what is left to refund of it; a 400 when there is none. */
function refundable(store: StubStore, intent: StripeObject): { charge: StripeObject; remaining: number } {
  const chargeId = strAt(intent, 'latest_charge');
  const charge = chargeId ? store.find(chargeId) : undefined;
  if (intent.status !== 'succeeded' || !charge) {
    throw invalid(
      `This PaymentIntent (${String(intent.id)}) does not have a successful charge to refund.`,
      'payment_intent',
      'charge_not_refundable',
    );
  }
  return { charge, remaining: (charge.amount as number) - (charge.amount_refunded as number) };
}

/** POST /v1/refunds (by payment_intent; the whole remainder when no amount is given). */
export function createRefund(store: StubStore, body: StripeObject): StripeObject {
  rejectUnknown(body, REFUND_PARAMS);
  const piId = strAt(body, 'payment_intent');
  if (!piId) throw invalid('The stub needs payment_intent.', 'payment_intent', 'parameter_missing');
  const intent = store.get(piId, 'payment_intent', 'payment_intent');
  const { charge, remaining } = refundable(store, intent);
  const amount = body.amount === undefined ? remaining : positiveInt(body.amount, 'amount');
  if (amount > remaining) {
    throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, 'amount', 'amount_too_large');
  }
  charge.amount_refunded = (charge.amount_refunded as number) + amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  return store.put({
    id: randomId('re', 24),
    object: 'refund',
    amount,
    balance_transaction: randomId('txn', 24),
    charge: charge.id,
    created: store.nowSec(),
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

/** A refund's outcome: see StripeStub.refundEvents. A failed refund gives the money back on the charge. */
export function refundEvents(store: StubStore, refundId: string, outcome: 'succeeded' | 'failed' = 'succeeded'): StripeEvent[] {
  const refund = store.find(refundId);
  if (!refund || refund.object !== 'refund') throw new StripeStubError('not_found', `No such refund: '${refundId}'`);
  const charge = store.find(refund.charge as string);
  if (outcome === 'succeeded') {
    refund.status = 'succeeded';
    const events: StripeEvent[] = [];
    if (charge) events.push(store.event('charge.refunded', charge));
    events.push(store.event('refund.updated', refund));
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
  return [store.event('refund.updated', refund), store.event('refund.failed', refund)];
}
