// A payment page handed to a client at the desk (web/src/pages/staff/payment-link-rules.ts): what a
// program's page asks for now, and when the record shows the payment.
import { describe, expect, it } from 'vitest';
import { dueNow, invoicePaidSince, programPayment } from '../src/pages/staff/payment-link-rules.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

describe('a payment reaching an invoice', () => {
  it('is seen when more was paid than when the page was made', () => {
    const before = { paid: usd(0) };
    expect(invoicePaidSince(before, { paid: usd(0), balance: usd(10_000) })).toBe(false);
    expect(invoicePaidSince(before, { paid: usd(10_000), balance: usd(0) })).toBe(true);
  });

  it('on a partly paid invoice, only a new payment counts, not the one it already had', () => {
    const before = { paid: usd(5_000) };
    expect(invoicePaidSince(before, { paid: usd(5_000), balance: usd(12_500) })).toBe(false);
    expect(invoicePaidSince(before, { paid: usd(17_500), balance: usd(0) })).toBe(true);
  });

  it('is settled when nothing is due any more (the charge voided meanwhile)', () => {
    expect(invoicePaidSince({ paid: usd(0) }, { paid: usd(0), balance: usd(0) })).toBe(true);
  });
});

describe('what a program’s payment page asks for now', () => {
  const price = usd(290_000);
  it('the whole price when paid in full or through a pay-later service', () => {
    expect(dueNow({ price, payment: 'pay_in_full', schedule: null })).toEqual({ amount: price, how: 'the whole price, by card' });
    expect(dueNow({ price, payment: 'bnpl', schedule: null }).amount).toEqual(price);
    expect(dueNow({ price, payment: 'bnpl', schedule: null }).how).toMatch(/pay-later/);
  });

  it('the down payment of an installment plan, the monthly payments said after it', () => {
    const schedule = { count: 3, downPaymentPercent: 20, downPayment: usd(58_000), installments: [] };
    expect(dueNow({ price, payment: 'installments', schedule })).toEqual({
      amount: usd(58_000),
      how: 'the down payment; then 3 monthly payments on the same card',
    });
  });
});

describe('a program sold at the desk', () => {
  const paidOnce = [{ kind: 'full' as const, amount: usd(290_000), status: 'succeeded' as const, at: '2026-12-01T10:00:00-05:00' }];
  it('waits while its first payment has not landed', () => {
    expect(programPayment({ status: 'pending_payment', payments: [] })).toBe('waiting');
  });
  it('is paid once active, and stays paid when a later installment fails or it is cancelled after paying', () => {
    expect(programPayment({ status: 'active', payments: paidOnce })).toBe('paid');
    expect(programPayment({ status: 'past_due', payments: paidOnce })).toBe('paid');
    expect(programPayment({ status: 'cancelled', payments: paidOnce })).toBe('paid');
  });
  it('lapsed when its payment page expired unpaid (cancelled with no payment)', () => {
    expect(programPayment({ status: 'cancelled', payments: [] })).toBe('lapsed');
  });
});
