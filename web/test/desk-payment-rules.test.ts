// "Record a payment taken at the clinic" on the staff invoice page (web/src/lib/desk-payment-rules.ts):
// what it says before sending — an amount above nothing and at most the balance, a way chosen, a
// reference that is an id and new on the invoice, which cash may leave out — what it sends, and
// how each way of paying is said.
import { describe, expect, it } from 'vitest';
import {
  checkDeskPayment,
  DESK_METHOD_WORDS,
  DESK_METHODS,
  deskPaidWords,
  deskPaymentFormFor,
  paymentMethodWords,
} from '../src/lib/desk-payment-rules.ts';

const balance = { amount: 17_500, currency: 'USD' };
const cheque = { ...deskPaymentFormFor(balance), method: 'cheque' as const, reference: 'CHQ-1042' };

describe('a payment taken at the clinic, checked before it is sent', () => {
  it('opens with the whole balance, in dollars, and no way chosen', () => {
    expect(deskPaymentFormFor(balance)).toEqual({ amount: '175.00', method: '', reference: '' });
  });

  it('sends the amount in cents, the way, and the reference trimmed; cash without one sends none', () => {
    expect(checkDeskPayment({ ...cheque, amount: '$100.5', reference: ' CHQ-1042 ' }, balance, [])).toEqual({
      problems: {},
      record: { amount: 10_050, method: 'cheque', reference: 'CHQ-1042' },
    });
    expect(checkDeskPayment({ amount: '175', method: 'cash', reference: '' }, balance, [])).toEqual({
      problems: {},
      record: { amount: 17_500, method: 'cash' },
    });
    // cash with a receipt number keeps it, checked like any other
    expect(checkDeskPayment({ amount: '175', method: 'cash', reference: 'R-77' }, balance, []).record?.reference).toBe('R-77');
    expect(checkDeskPayment({ amount: '175', method: 'cash', reference: 'receipt' }, balance, []).problems.reference).toBe(
      'An id has a number in it, e.g. the cheque’s number.',
    );
  });

  it('an amount: above nothing, at most the balance', () => {
    const amountProblem = (amount: string) => checkDeskPayment({ ...cheque, amount }, balance, []).problems.amount;
    expect(amountProblem('')).toBe('Enter an amount in US dollars, e.g. 100.00.');
    expect(amountProblem('0')).toBe('Enter an amount above $0.00.');
    expect(amountProblem('175.01')).toBe('At most $175.00: that is what is due. Give the client change.');
    expect(amountProblem('175')).toBeUndefined();
  });

  it('a way must be chosen; every way but cash needs its reference, new on the invoice in any case', () => {
    expect(checkDeskPayment({ ...cheque, method: '' }, balance, []).problems.method).toBe('Choose how the client paid.');
    for (const method of DESK_METHODS.filter((m) => m !== 'cash')) {
      expect(checkDeskPayment({ ...cheque, method, reference: '' }, balance, []).problems.reference).toBe(
        'Enter the cheque number, the terminal slip’s number or the transfer’s id.',
      );
    }
    expect(checkDeskPayment({ ...cheque, reference: 'CHQ 1042' }, balance, []).problems.reference).toBe(
      'No spaces: write CHQ-1042 rather than CHQ 1042.',
    );
    expect(checkDeskPayment(cheque, balance, ['chq-1042']).problems.reference).toBe(
      'A payment with this reference is recorded on this invoice already.',
    );
    expect(checkDeskPayment(cheque, balance, []).record).toBeDefined();
  });

  it('says what was done, and each way of paying in words', () => {
    expect(deskPaidWords({ amount: 10_000, method: 'cash', reference: 'CASH-0A1B2C3D4E' }, { amount: 7_500, currency: 'USD' })).toBe(
      'Recorded: $100.00 paid (Cash: CASH-0A1B2C3D4E). $75.00 is still due.',
    );
    expect(deskPaidWords({ amount: 17_500, method: 'cheque', reference: 'CHQ-1' }, { amount: 0, currency: 'USD' })).toBe(
      'Recorded: $175.00 paid (Cheque: CHQ-1). Nothing more is due on this invoice.',
    );
    expect(paymentMethodWords('card_terminal')).toBe(DESK_METHOD_WORDS.card_terminal);
    expect(paymentMethodWords('us_bank_account')).toBe('Us bank account');
    expect(paymentMethodWords('card')).toBe('Card');
  });
});
