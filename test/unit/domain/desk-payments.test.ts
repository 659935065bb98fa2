// A payment taken at the clinic (recordDeskPayment in #domain/invoices.ts): what it pays, and what
// it refuses. Sessions only, never more than is due, a reference once whatever its case.
import { describe, expect, it } from 'vitest';
import {
  applyCancellation,
  applyPayment,
  deskPaymentIssues,
  isDeskPayment,
  ledgerEntries,
  newProgramInvoice,
  newSessionInvoice,
  planRefunds,
  recordDeskPayment,
  refundDue,
  totals,
  type DeskPaymentMethod,
  type Invoice,
} from '#domain/invoices.ts';
import { ConflictError } from '#domain/errors.ts';
import { NY, appt, at, service } from './fixtures.ts';

const T0 = at('2026-06-01', '12:00');
const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const session = (): Invoice =>
  newSessionInvoice({
    id: 'inv_1',
    clinicId: 'clinic-1',
    clientId: 'client-1',
    currency: 'USD',
    appointment: appt('preparation', at('2026-06-10', '10:00'), { id: 'appt_1' }),
    service: service('preparation'),
    zone: NY,
    at: T0,
  });
const desk = (amount: number, reference = 'CHQ-1', method: DeskPaymentMethod = 'cheque') => ({
  reference,
  amount: usd(amount),
  at: T0 + 10,
  method,
});

describe('a payment taken at the desk', () => {
  it('pays the session in part, then in whole, and shows in the ledger with its method', () => {
    const part = recordDeskPayment(session(), desk(10_000));
    expect(totals(part)).toMatchObject({ paid: 10_000, balance: 7_500, status: 'partially_paid' });
    const whole = recordDeskPayment(part, desk(7_500, 'cash-1', 'cash'));
    expect(totals(whole)).toMatchObject({ paid: 17_500, balance: 0, status: 'paid' });
    expect(whole.payments.map((p) => [p.reference, p.method, isDeskPayment(p)])).toEqual([
      ['CHQ-1', 'cheque', true],
      ['cash-1', 'cash', true],
    ]);
    expect(
      ledgerEntries(whole, NY)
        .filter((e) => e.kind === 'payment')
        .map((e) => [e.reference, e.amount]),
    ).toEqual([
      ['CHQ-1', -10_000],
      ['cash-1', -7_500],
    ]);
  });

  it('refuses more than is due, nothing due, a reference twice in any case, and a program invoice', () => {
    expect(() => recordDeskPayment(session(), desk(17_501))).toThrow('The payment is more than what is due on this invoice');
    const paid = applyPayment(session(), { reference: 'pi_1', amount: usd(17_500), at: T0 + 1, method: 'card' });
    expect(() => recordDeskPayment(paid, desk(100))).toThrow('Nothing is due on this invoice');
    const part = recordDeskPayment(session(), desk(100, 'CHQ-7'));
    expect(() => recordDeskPayment(part, desk(100, 'chq-7'))).toThrow('A payment with this reference is recorded on this invoice already');
    const program = newProgramInvoice({
      id: 'inv_2',
      clinicId: 'clinic-1',
      clientId: 'client-1',
      currency: 'USD',
      at: T0,
      package: { id: 'pkg_1', programName: 'Four explorations', price: usd(300_000) },
    });
    expect(() => recordDeskPayment(program, desk(100))).toThrow(ConflictError);
    expect(() => recordDeskPayment(program, desk(100), true)).toThrow(ConflictError);
    // once its package's cancel is settled, what the program still owes is paid like any other
    expect(totals(recordDeskPayment(program, desk(100), false)).paid).toBe(100);
    expect(() => recordDeskPayment(session(), { ...desk(100), amount: { amount: 100, currency: 'CAD' } })).toThrow(RangeError);
    expect(() => recordDeskPayment(session(), desk(100, 'X-1', 'paypal' as DeskPaymentMethod))).toThrow(RangeError);
    expect(() => recordDeskPayment(session(), desk(0))).toThrow(RangeError);
  });

  it('needs a reference for every way of paying but cash', () => {
    expect(deskPaymentIssues({ method: 'cash' })).toEqual([]);
    expect(deskPaymentIssues({ method: 'cash', reference: 'cash-1' })).toEqual([]);
    expect(deskPaymentIssues({ method: 'cheque', reference: 'CHQ-1' })).toEqual([]);
    for (const method of ['cheque', 'card_terminal', 'bank_transfer', 'other'] as const) {
      expect(deskPaymentIssues({ method })).toEqual([
        {
          path: 'reference',
          message: 'Required for every way of paying but cash: the cheque number, the terminal slip number or the transfer id',
        },
      ]);
    }
  });

  it('is owed back after an on-time cancel, but never refunded through Stripe', () => {
    const paid = recordDeskPayment(session(), desk(17_500, 'cash-9', 'cash'));
    const cancelled = applyCancellation(paid, { appointmentId: 'appt_1', kind: 'on_time', at: T0 + 20 });
    expect(refundDue(cancelled)).toBe(17_500);
    expect(planRefunds(cancelled)).toEqual([]);
  });
});
