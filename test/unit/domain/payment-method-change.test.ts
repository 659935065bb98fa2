// When a package's installment plan takes another card (paymentMethodChangeRefusal): only a plan
// still running, with its Stripe schedule made; and a setup session states no payment fact.
import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '#adapters/payment-gateway.ts';
import { applyFact, paymentMethodChangeRefusal, type PaymentFact } from '#domain/package-rules.ts';
import type { Package } from '#domain/packages.ts';
import { factsFromEvent, isSetupSession } from '#services/stripe-events.ts';
import { installmentPackage } from './fixtures.ts';

const base = installmentPackage();

const withFacts = (pkg: Package, ...facts: PaymentFact[]): Package => facts.reduce<Package>((p, f) => applyFact(p, f), pkg);
const downPaid: PaymentFact = { kind: 'checkout_paid', ref: 'cs_1', at: 1 };
const failed = (n: number): PaymentFact => ({ kind: 'installment_failed', ref: `in_${n}#1`, at: 2, installment: n });
const paid = (n: number): PaymentFact => ({ kind: 'installment_paid', ref: `in_${n}`, at: 3, installment: n });

describe('paymentMethodChangeRefusal', () => {
  it('a running plan takes another card: past due, or active with payments still to come', () => {
    expect(paymentMethodChangeRefusal(withFacts(base, downPaid, failed(1)))).toBeNull();
    expect(paymentMethodChangeRefusal(withFacts(base, downPaid, paid(1)))).toBeNull();
  });

  it('refused when not paid in installments, not paid yet, cancelled, fully paid, or without its schedule', () => {
    const { plan: _plan, ...noPlan } = base;
    expect(paymentMethodChangeRefusal(withFacts({ ...noPlan, payment: 'pay_in_full' }, downPaid))).toMatch(/not paid in installments/);
    expect(paymentMethodChangeRefusal(base)).toMatch(/pending payment/);
    expect(paymentMethodChangeRefusal(withFacts(base, downPaid, failed(1), { kind: 'cancelled', ref: 'cancel', at: 5 }))).toMatch(
      /cancelled/,
    );
    expect(paymentMethodChangeRefusal({ ...withFacts(base, downPaid, failed(1)), cancellation: { at: 5, refunds: [] } })).toMatch(
      /cancelled/,
    );
    expect(paymentMethodChangeRefusal(withFacts(base, downPaid, paid(1), paid(2), paid(3)))).toMatch(/Every payment/);
    expect(paymentMethodChangeRefusal({ ...withFacts(base, downPaid), stripe: {} })).toMatch(/not started/);
  });

  it('needs both the Stripe customer and the schedule: a customer alone has no plan running yet', () => {
    const running = withFacts(base, downPaid);
    expect(paymentMethodChangeRefusal({ ...running, stripe: { customerId: 'cus_1' } })).toBe('The payment plan has not started yet');
    expect(paymentMethodChangeRefusal({ ...running, stripe: { scheduleId: 'sub_sched_1' } })).toBe('The payment plan has not started yet');
    expect(paymentMethodChangeRefusal(running)).toBeNull();
  });
});

describe('a setup session', () => {
  const event = (type: string, mode: string): GatewayEvent => ({
    id: 'evt_1',
    type,
    created: 1_800_000_000,
    object: {
      object: 'checkout.session',
      id: 'cs_setup',
      mode,
      status: 'complete',
      payment_status: 'no_payment_required',
      metadata: { packageId: 'pkg_1' },
    },
  });

  it('is told apart from a payment session', () => {
    expect(isSetupSession(event('checkout.session.completed', 'setup'))).toBe(true);
    expect(isSetupSession(event('checkout.session.expired', 'setup'))).toBe(true);
    expect(isSetupSession(event('checkout.session.completed', 'payment'))).toBe(false);
  });

  it('states no payment fact: its expiry is not the package lapsing', () => {
    expect(factsFromEvent(event('checkout.session.expired', 'setup'), base).facts).toEqual([]);
    expect(factsFromEvent(event('checkout.session.expired', 'payment'), base).facts).toMatchObject([{ kind: 'checkout_expired' }]);
  });
});
