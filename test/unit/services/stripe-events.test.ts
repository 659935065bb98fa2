// What a verified Stripe event states about an invoice (invoiceFactsFromEvent): a paid Checkout
// Session is a payment, a refund event the refund's status; anything without a positive amount in
// a currency states nothing, so it can never add a zero or negative payment to an invoice.
import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '#adapters/payment-gateway.ts';
import { addMonthsUtc } from '#domain/billing-periods.ts';
import { factsFromEvent, invoiceFactsFromEvent } from '#services/stripe-events.ts';
import { installmentPackage } from '../domain/fixtures.ts';

const paid = (object: Record<string, unknown>): GatewayEvent => ({
  id: 'evt_1',
  type: 'checkout.session.completed',
  created: 1_800_000_000,
  object: {
    object: 'checkout.session',
    id: 'cs_1',
    payment_status: 'paid',
    payment_intent: 'pi_1',
    currency: 'usd',
    amount_total: 17500,
    ...object,
  },
});

describe('invoiceFactsFromEvent', () => {
  it('a paid Checkout Session is a payment, its payment intent the reference', () => {
    expect(invoiceFactsFromEvent(paid({}))).toEqual([
      {
        kind: 'payment',
        fact: { reference: 'pi_1', amount: { amount: 17500, currency: 'USD' }, at: 1_800_000_000_000, method: 'card' },
      },
    ]);
  });

  it.each([
    ['a zero amount', { amount_total: 0 }],
    ['a negative amount', { amount_total: -100 }],
    ['no amount', { amount_total: undefined }],
    ['no currency', { currency: undefined }],
    ['not paid yet', { payment_status: 'unpaid' }],
  ])('%s states nothing', (_, over) => {
    expect(invoiceFactsFromEvent(paid(over))).toEqual([]);
  });
});

describe('factsFromEvent: an installment invoice', () => {
  const START = 1_800_000_000; // epoch seconds of the first installment charge
  const pkg = installmentPackage({ status: 'active', stripe: { scheduleId: 'sub_sched_1', scheduleStartAt: START } });
  const invoicePaid = (monthsAfterStart: number): GatewayEvent => ({
    id: `evt_${monthsAfterStart}`,
    type: 'invoice.paid',
    created: START,
    object: {
      object: 'invoice',
      id: `in_${monthsAfterStart}`,
      amount_paid: 75_000,
      lines: { data: [{ period: { start: addMonthsUtc(START, monthsAfterStart) } }] },
    },
  });

  it('numbers the installment by its billing period', () => {
    expect(factsFromEvent(invoicePaid(0), pkg).facts).toMatchObject([{ kind: 'installment_paid', installment: 1, amount: 75_000 }]);
    expect(factsFromEvent(invoicePaid(2), pkg).facts).toMatchObject([{ kind: 'installment_paid', installment: 3 }]);
  });

  it('states nothing for a period before the plan or beyond its last installment', () => {
    expect(factsFromEvent(invoicePaid(-1), pkg).facts).toEqual([]);
    expect(factsFromEvent(invoicePaid(3), pkg).facts).toEqual([]);
  });
});
