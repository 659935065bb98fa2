// Invoices (docs/api.md, "Invoices"): one example per rule of shared/domain/invoices.ts.
import { describe, expect, it } from 'vitest';
import {
  applyCancellation,
  applyMove,
  applyPackageCancel,
  applyPayment,
  applyPurchaseLapsed,
  applyRefund,
  invoiceStatus,
  ledgerEntries,
  newProgramInvoice,
  newSessionInvoice,
  newSessionInvoiceLines,
  nextRefundAttemptAt,
  planRefunds,
  recordRefundMadeElsewhere,
  refundDue,
  refundMethod,
  refundRetried,
  refundState,
  syncPackageInvoice,
  totals,
  type Invoice,
  type OutsideRefundMethod,
  type RefundStatus,
} from '#domain/invoices.ts';
import { ConflictError } from '#domain/errors.ts';
import type { Money } from '#domain/types.ts';
import { NY, appt, at, service } from './fixtures.ts';

const usd = (amount: number): Money => ({ amount, currency: 'USD' });
// 2026-06-10 10:00 in New York; the booking was made the week before.
const START = at('2026-06-10', '10:00');
const T0 = at('2026-06-01', '12:00');
const FEE = usd(10_000);

function sessionInvoice(code: Parameters<typeof service>[0] = 'preparation', mode: 'in_person' | 'telehealth' = 'in_person'): Invoice {
  return newSessionInvoice({
    id: 'inv_1',
    clinicId: 'clinic-1',
    clientId: 'client-1',
    currency: 'USD',
    appointment: appt(code, START, { id: 'appt_1', mode }),
    service: service(code),
    zone: NY,
    at: T0,
  });
}

function programInvoice(price = 290_000): Invoice {
  return newProgramInvoice({
    id: 'inv_p',
    clinicId: 'clinic-1',
    clientId: 'client-1',
    currency: 'USD',
    package: { id: 'pkg_1', programName: 'Care program 4 - standard support', price: usd(price) },
    at: T0,
  });
}

const pay = (inv: Invoice, reference: string, amount: number, atMs = T0 + 1) =>
  applyPayment(inv, { reference, amount: usd(amount), at: atMs, method: 'card' });
const refund = (inv: Invoice, reference: string, amount: number, status: RefundStatus, atMs = T0 + 2) =>
  applyRefund(inv, { reference, amount: usd(amount), at: atMs, status });

describe('new invoices', () => {
  it('a self-pay session gets one line for its service at the catalog price, dated the clinic-local day', () => {
    const inv = sessionInvoice();
    expect(inv.currency).toBe('USD');
    expect(inv.number).toBeNull();
    expect(inv.lines).toEqual([
      {
        id: 'session:appt_1',
        description: 'Preparation session',
        service: 'preparation',
        serviceDate: '2026-06-10',
        appointmentId: 'appt_1',
        cptCode: '90837',
        modifiers: [],
        placeOfService: '11',
        units: 1,
        amount: 17_500,
        billable: true,
        voided: false,
        issuedAt: T0,
      },
    ]);
  });

  it('the service date is the clinic-local date, not the UTC one', () => {
    // 21:00 in New York is already the next day in UTC.
    const late = at('2026-06-10', '21:00');
    const [line] = newSessionInvoiceLines(appt('intake', late, { id: 'a' }), service('intake'), NY, T0);
    expect(line!.serviceDate).toBe('2026-06-10');
  });

  it('a telehealth session carries modifier 95 and place of service 10', () => {
    const [line] = sessionInvoice('integration', 'telehealth').lines;
    expect(line!.modifiers).toEqual(['95']);
    expect(line!.placeOfService).toBe('10');
  });

  it('a service without a CPT code and not billable gives a line with neither', () => {
    const [line] = sessionInvoice('exploration').lines;
    expect(line!.cptCode).toBeNull();
    expect(line!.billable).toBe(false);
    expect(line!.amount).toBe(55_000);
  });

  it('a session booked against a package gets no self-pay invoice', () => {
    expect(() => newSessionInvoiceLines(appt('preparation', START, { packageId: 'pkg_1' }), service('preparation'), NY, T0)).toThrow(
      RangeError,
    );
  });

  it('a service that is not the appointment’s is refused', () => {
    expect(() => newSessionInvoiceLines(appt('preparation', START), service('intake'), NY, T0)).toThrow(RangeError);
  });

  it('an invoice has one currency: a price in another is refused', () => {
    expect(() =>
      newSessionInvoice({
        id: 'inv',
        clinicId: 'c',
        clientId: 'k',
        currency: 'CAD',
        appointment: appt('preparation', START),
        service: service('preparation'),
        zone: NY,
        at: T0,
      }),
    ).toThrow(RangeError);
    expect(() =>
      newProgramInvoice({
        id: 'inv',
        clinicId: 'c',
        clientId: 'k',
        currency: 'CAD',
        package: { id: 'p', programName: 'P', price: usd(1) },
        at: T0,
      }),
    ).toThrow(RangeError);
  });

  it('a program purchase gets one line for the program at its price, no CPT code, not billable', () => {
    const inv = programInvoice();
    expect(inv.packageId).toBe('pkg_1');
    expect(inv.lines).toEqual([
      {
        id: 'program:pkg_1',
        description: 'Care program 4 - standard support',
        service: 'program',
        cptCode: null,
        modifiers: [],
        placeOfService: null,
        units: 1,
        amount: 290_000,
        billable: false,
        voided: false,
        issuedAt: T0,
      },
    ]);
    expect(totals(inv)).toMatchObject({ total: 290_000, balance: 290_000, status: 'open' });
  });
});

describe('cancellation and no-show', () => {
  const CANCEL_AT = at('2026-06-09', '15:00');

  it('on time: the session line is voided and what was paid is to be refunded', () => {
    const inv = applyCancellation(pay(sessionInvoice(), 'pi_1', 17_500), { appointmentId: 'appt_1', kind: 'on_time', at: CANCEL_AT });
    expect(inv.lines).toHaveLength(1);
    expect(inv.lines[0]).toMatchObject({ voided: true, voidedAt: CANCEL_AT });
    expect(totals(inv)).toMatchObject({ total: 0, paid: 17_500, balance: -17_500 });
    expect(refundDue(inv)).toBe(17_500);
  });

  it('late: the session line is voided and a non-billable late_cancellation fee line charges the fee', () => {
    const inv = applyCancellation(pay(sessionInvoice(), 'pi_1', 17_500), {
      appointmentId: 'appt_1',
      kind: 'late',
      fee: FEE,
      at: CANCEL_AT,
    });
    expect(inv.lines[0]!.voided).toBe(true);
    expect(inv.lines[1]).toEqual({
      id: 'late_cancellation:appt_1',
      description: 'Late cancellation fee',
      service: 'late_cancellation',
      serviceDate: '2026-06-10',
      appointmentId: 'appt_1',
      cptCode: null,
      modifiers: [],
      placeOfService: null,
      units: 1,
      amount: 10_000,
      billable: false,
      voided: false,
      issuedAt: CANCEL_AT,
    });
    expect(totals(inv).total).toBe(10_000);
    // Anything paid above the fee is refunded.
    expect(refundDue(inv)).toBe(7_500);
  });

  it('no-show: the same, with a no_show fee line', () => {
    const inv = applyCancellation(sessionInvoice(), { appointmentId: 'appt_1', kind: 'no_show', fee: FEE, at: START + 1 });
    expect(inv.lines.map((l) => [l.service, l.voided, l.billable, l.cptCode])).toEqual([
      ['preparation', true, true, '90837'],
      ['no_show', false, false, null],
    ]);
    expect(totals(inv)).toMatchObject({ total: 10_000, balance: 10_000, status: 'open' });
    expect(inv.lines[1]).toMatchObject({ id: 'no_show:appt_1', description: 'Missed appointment fee', amount: 10_000 });
  });

  it('a negative fee is refused (a fee is whole minor units, 0 or more)', () => {
    expect(() => applyCancellation(sessionInvoice(), { appointmentId: 'appt_1', kind: 'late', fee: usd(-1), at: CANCEL_AT })).toThrow(
      RangeError,
    );
  });

  it('a fee above the price is charged as configured: the difference is due', () => {
    const inv = applyCancellation(pay(sessionInvoice(), 'pi_1', 17_500), {
      appointmentId: 'appt_1',
      kind: 'no_show',
      fee: usd(20_000),
      at: START + 1,
    });
    expect(totals(inv)).toMatchObject({ total: 20_000, balance: 2_500, status: 'partially_paid' });
    expect(refundDue(inv)).toBe(0);
  });

  it('the fee must be in the invoice currency', () => {
    expect(() =>
      applyCancellation(sessionInvoice(), {
        appointmentId: 'appt_1',
        kind: 'late',
        fee: { amount: 10_000, currency: 'CAD' },
        at: CANCEL_AT,
      }),
    ).toThrow(RangeError);
  });

  it('the first cancellation stands: cancelling again (any kind) returns the invoice unchanged', () => {
    const once = applyCancellation(sessionInvoice(), { appointmentId: 'appt_1', kind: 'on_time', at: CANCEL_AT });
    expect(applyCancellation(once, { appointmentId: 'appt_1', kind: 'on_time', at: CANCEL_AT + 5 })).toBe(once);
    expect(applyCancellation(once, { appointmentId: 'appt_1', kind: 'late', fee: FEE, at: CANCEL_AT + 5 })).toBe(once);
    const late = applyCancellation(sessionInvoice(), { appointmentId: 'appt_1', kind: 'late', fee: FEE, at: CANCEL_AT });
    expect(applyCancellation(late, { appointmentId: 'appt_1', kind: 'late', fee: FEE, at: CANCEL_AT })).toBe(late);
  });

  it('an appointment the invoice does not bill is refused', () => {
    expect(() => applyCancellation(sessionInvoice(), { appointmentId: 'other', kind: 'on_time', at: CANCEL_AT })).toThrow(RangeError);
  });
});

describe('move', () => {
  it('keeps the invoice; the line follows the new clinic-local date and mode', () => {
    const inv = pay(sessionInvoice(), 'pi_1', 17_500);
    const moved = applyMove(inv, { appointmentId: 'appt_1', startsAt: at('2026-06-12', '09:00'), mode: 'telehealth' }, NY);
    expect(moved.id).toBe(inv.id);
    expect(moved.payments).toEqual(inv.payments);
    expect(moved.lines).toEqual([{ ...inv.lines[0], serviceDate: '2026-06-12', placeOfService: '10', modifiers: ['95'] }]);
    const back = applyMove(moved, { appointmentId: 'appt_1', startsAt: START, mode: 'in_person' }, NY);
    expect(back.lines).toEqual(inv.lines);
  });

  it('a move to the same day and mode changes nothing', () => {
    const inv = sessionInvoice();
    expect(applyMove(inv, { appointmentId: 'appt_1', startsAt: START + 3_600_000, mode: 'in_person' }, NY)).toBe(inv);
  });

  it('a voided line stays as it was voided', () => {
    const cancelled = applyCancellation(sessionInvoice(), { appointmentId: 'appt_1', kind: 'on_time', at: T0 + 10 });
    expect(applyMove(cancelled, { appointmentId: 'appt_1', startsAt: at('2026-06-12', '09:00'), mode: 'telehealth' }, NY)).toBe(cancelled);
  });
});

describe('package cancel', () => {
  it('adds a credit line of −(price − used) and leaves what was paid above the value used to refund', () => {
    const inv = applyPackageCancel(pay(programInvoice(), 'pi_1', 290_000), { used: usd(95_000), at: T0 + 10 });
    expect(inv.lines[1]).toEqual({
      id: 'package_credit:pkg_1',
      description: 'Package cancellation credit',
      service: 'package_credit',
      cptCode: null,
      modifiers: [],
      placeOfService: null,
      units: 1,
      amount: -195_000,
      billable: false,
      voided: false,
      issuedAt: T0 + 10,
    });
    expect(totals(inv)).toMatchObject({ total: 95_000, paid: 290_000, balance: -195_000, status: 'paid' });
    expect(refundDue(inv)).toBe(195_000);
    const refunded = refund(inv, 're_1', 195_000, 'succeeded');
    expect(totals(refunded)).toMatchObject({ balance: 0, status: 'paid' });
    expect(refundDue(refunded)).toBe(0);
  });

  it('a package used up to its price or beyond is credited nothing, and gets no credit line', () => {
    for (const used of [290_000, 400_000]) {
      const inv = applyPackageCancel(programInvoice(), { used: usd(used), at: T0 + 10 });
      expect(inv.lines.map((l) => l.service)).toEqual(['program']);
      expect(totals(inv).total).toBe(290_000);
    }
    expect(applyPackageCancel(programInvoice(), { used: usd(289_999), at: T0 + 10 }).lines[1]?.amount).toBe(-1);
  });

  it('only part paid (installments): the refund is what was paid above the value used, never negative', () => {
    const inv = pay(programInvoice(), 'in_dp', 58_000);
    expect(refundDue(applyPackageCancel(inv, { used: usd(35_000), at: T0 + 10 }))).toBe(23_000);
    expect(refundDue(applyPackageCancel(inv, { used: usd(95_000), at: T0 + 10 }))).toBe(0);
  });

  it('a second cancel changes nothing; a session invoice cannot be package-cancelled', () => {
    const once = applyPackageCancel(programInvoice(), { used: usd(95_000), at: T0 + 10 });
    expect(applyPackageCancel(once, { used: usd(0), at: T0 + 20 })).toBe(once);
    expect(() => applyPackageCancel(sessionInvoice(), { used: usd(0), at: T0 })).toThrow(RangeError);
  });
});

describe('payments', () => {
  it('paid is the sum of the payments; balance = total − paid + refunded', () => {
    const inv = pay(pay(programInvoice(), 'in_1', 58_000), 'in_2', 77_334);
    expect(totals(inv)).toEqual({ total: 290_000, paid: 135_334, refunded: 0, balance: 154_666, status: 'partially_paid' });
  });

  it('the same payment delivered twice changes nothing', () => {
    const once = pay(sessionInvoice(), 'pi_1', 17_500);
    expect(pay(once, 'pi_1', 17_500)).toBe(once);
    expect(totals(pay(once, 'pi_1', 17_500)).paid).toBe(17_500);
  });

  it('delivery order does not matter (the earliest time reported is kept)', () => {
    const a = pay(pay(sessionInvoice(), 'pi_1', 5_000, T0 + 5), 'pi_2', 12_500, T0 + 9);
    const b = pay(pay(sessionInvoice(), 'pi_2', 12_500, T0 + 9), 'pi_1', 5_000, T0 + 5);
    expect(b).toEqual(a);
    const late = pay(pay(sessionInvoice(), 'pi_1', 5_000, T0 + 50), 'pi_1', 5_000, T0 + 5);
    expect(late.payments).toEqual([{ reference: 'pi_1', amount: 5_000, at: T0 + 5, method: 'card' }]);
  });

  it('the same reference with another amount is a bug, not a redelivery', () => {
    expect(() => pay(pay(sessionInvoice(), 'pi_1', 17_500), 'pi_1', 1_000)).toThrow(RangeError);
  });

  it('the same reference with another method is a bug too', () => {
    const inv = pay(sessionInvoice(), 'pi_1', 17_500);
    expect(() => applyPayment(inv, { reference: 'pi_1', amount: usd(17_500), at: T0 + 1, method: 'cash' })).toThrow(RangeError);
  });

  it('payments at the same instant are listed by reference, whichever was delivered first', () => {
    const a = { reference: 'pi_a', amount: usd(5_000), at: T0 + 1, method: 'card' };
    const b = { reference: 'pi_b', amount: usd(5_000), at: T0 + 1, method: 'card' };
    const ab = applyPayment(applyPayment(sessionInvoice(), a), b);
    const ba = applyPayment(applyPayment(sessionInvoice(), b), a);
    expect(ab.payments.map((p) => p.reference)).toEqual(['pi_a', 'pi_b']);
    expect(ba).toEqual(ab);
  });

  it('a payment needs a reference, a method and a real instant', () => {
    const ok = { reference: 'pi_1', amount: usd(100), at: T0, method: 'card' };
    expect(() => applyPayment(sessionInvoice(), { ...ok, reference: '' })).toThrow(RangeError);
    expect(() => applyPayment(sessionInvoice(), { ...ok, method: '' })).toThrow(RangeError);
    expect(() => applyPayment(sessionInvoice(), { ...ok, at: Number.NaN })).toThrow(RangeError);
    expect(() => applyPayment(sessionInvoice(), { ...ok, at: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });

  it('a payment must be positive and in the invoice currency', () => {
    expect(() => pay(sessionInvoice(), 'pi_1', 0)).toThrow(RangeError);
    expect(() => pay(sessionInvoice(), 'pi_1', 10.5)).toThrow(RangeError);
    expect(() =>
      applyPayment(sessionInvoice(), { reference: 'pi_1', amount: { amount: 1, currency: 'CAD' }, at: T0, method: 'card' }),
    ).toThrow(RangeError);
  });

  it('an overpayment is refundDue', () => {
    const inv = pay(sessionInvoice(), 'pi_1', 20_000);
    expect(totals(inv)).toMatchObject({ balance: -2_500, status: 'paid' });
    expect(refundDue(inv)).toBe(2_500);
  });
});

describe('refunds', () => {
  const paidThenCancelled = () =>
    applyCancellation(pay(sessionInvoice(), 'pi_1', 17_500), { appointmentId: 'appt_1', kind: 'on_time', at: T0 + 10 });

  it('a pending refund counts in refunded: Stripe has accepted it', () => {
    const inv = refund(paidThenCancelled(), 're_1', 17_500, 'pending');
    expect(totals(inv)).toEqual({ total: 0, paid: 17_500, refunded: 17_500, balance: 0, status: 'refunded' });
    expect(refundDue(inv)).toBe(0);
  });

  it('a succeeded refund counts', () => {
    expect(totals(refund(paidThenCancelled(), 're_1', 17_500, 'succeeded')).refunded).toBe(17_500);
  });

  it('a failed refund is taken back out and shows as failed', () => {
    const inv = refund(refund(paidThenCancelled(), 're_1', 17_500, 'pending'), 're_1', 17_500, 'failed');
    expect(inv.refunds).toEqual([{ reference: 're_1', amount: 17_500, at: T0 + 2, status: 'failed' }]);
    expect(totals(inv)).toMatchObject({ refunded: 0, balance: -17_500, status: 'paid' });
    expect(refundDue(inv)).toBe(17_500);
  });

  it('pending delivered after a terminal state changes nothing', () => {
    const succeeded = refund(paidThenCancelled(), 're_1', 17_500, 'succeeded');
    expect(refund(succeeded, 're_1', 17_500, 'pending')).toBe(succeeded);
    const failed = refund(paidThenCancelled(), 're_1', 17_500, 'failed');
    expect(refund(failed, 're_1', 17_500, 'pending')).toBe(failed);
  });

  it('succeeded and failed for one refund: failed wins in either order', () => {
    const a = refund(refund(paidThenCancelled(), 're_1', 17_500, 'succeeded'), 're_1', 17_500, 'failed');
    const b = refund(refund(paidThenCancelled(), 're_1', 17_500, 'failed'), 're_1', 17_500, 'succeeded');
    expect(a).toEqual(b);
    expect(a.refunds[0]!.status).toBe('failed');
  });

  it('the same refund delivered twice changes nothing; another amount under its reference is refused', () => {
    const once = refund(paidThenCancelled(), 're_1', 17_500, 'pending');
    expect(refund(once, 're_1', 17_500, 'pending')).toBe(once);
    expect(() => refund(once, 're_1', 100, 'succeeded')).toThrow(RangeError);
  });

  it('a refund of nothing is refused', () => {
    expect(() => refund(sessionInvoice(), 're_1', 0, 'pending')).toThrow(RangeError);
  });

  it('the payment a refund gives back is kept once known, from whichever report names it', () => {
    const paid = pay(sessionInvoice(), 'pi_1', 17_500);
    const first = refund(paid, 're_1', 5_000, 'pending');
    const named = applyRefund(first, { reference: 're_1', amount: usd(5_000), at: T0 + 2, status: 'pending', paymentReference: 'pi_1' });
    expect(named.refunds).toEqual([{ reference: 're_1', amount: 5_000, at: T0 + 2, status: 'pending', paymentReference: 'pi_1' }]);
    const later = applyRefund(named, { reference: 're_1', amount: usd(5_000), at: T0 + 3, status: 'succeeded', paymentReference: 'pi_9' });
    expect(later.refunds).toEqual([{ reference: 're_1', amount: 5_000, at: T0 + 2, status: 'succeeded', paymentReference: 'pi_1' }]);
  });

  it('refunds at the same instant are listed by reference, whichever was delivered first', () => {
    const paid = pay(sessionInvoice(), 'pi_1', 17_500);
    const ab = refund(refund(paid, 're_a', 1_000, 'pending'), 're_b', 1_000, 'pending');
    const ba = refund(refund(paid, 're_b', 1_000, 'pending'), 're_a', 1_000, 'pending');
    expect(ab.refunds.map((r) => r.reference)).toEqual(['re_a', 're_b']);
    expect(ba).toEqual(ab);
  });

  it('refundMethod: Stripe (the refund job) unless finance recorded another way', () => {
    expect(refundMethod({})).toBe('stripe');
    expect(refundMethod({ method: 'cheque' })).toBe('cheque');
  });

  it('the refund keeps the earliest time any report of it carries', () => {
    const inv = refund(refund(paidThenCancelled(), 're_1', 17_500, 'succeeded', T0 + 90), 're_1', 17_500, 'pending', T0 + 20);
    expect(inv.refunds).toEqual([{ reference: 're_1', amount: 17_500, at: T0 + 20, status: 'succeeded' }]);
  });
});

describe('status', () => {
  // The table of invoiceStatus, one row each.
  it.each([
    ['open: balance due, nothing paid', { paid: 0, refunded: 0, balance: 17_500 }, 'open'],
    ['open: balance due, everything paid was refunded', { paid: 5_000, refunded: 5_000, balance: 10_000 }, 'open'],
    ['partially_paid: balance due, something paid and kept', { paid: 5_000, refunded: 0, balance: 12_500 }, 'partially_paid'],
    ['paid: nothing due, something paid', { paid: 17_500, refunded: 0, balance: 0 }, 'paid'],
    ['paid: a surplus still to be refunded', { paid: 17_500, refunded: 0, balance: -7_500 }, 'paid'],
    ['paid: a fee kept after refunding the rest', { paid: 17_500, refunded: 7_500, balance: 0 }, 'paid'],
    ['void: nothing due, nothing paid', { paid: 0, refunded: 0, balance: 0 }, 'void'],
    ['refunded: everything paid was refunded', { paid: 17_500, refunded: 17_500, balance: 0 }, 'refunded'],
  ] as const)('%s', (_name, t, status) => {
    expect(invoiceStatus(t)).toBe(status);
  });

  it('on real invoices', () => {
    const inv = sessionInvoice();
    expect(totals(inv).status).toBe('open');
    expect(totals(pay(inv, 'pi_1', 10_000)).status).toBe('partially_paid');
    expect(totals(pay(inv, 'pi_1', 17_500)).status).toBe('paid');
    expect(totals(applyCancellation(inv, { appointmentId: 'appt_1', kind: 'on_time', at: T0 })).status).toBe('void');
  });
});

describe('ledger entries', () => {
  it('charge, void, fee charge, payment, refund — signed, dated clinic-local, summing to the balance', () => {
    // The payment at 23:30 in New York on June 1 is June 2 in UTC: its date is June 1.
    const paidAt = at('2026-06-01', '23:30');
    const cancelAt = at('2026-06-09', '15:00');
    let inv = pay(sessionInvoice(), 'pi_1', 17_500, paidAt);
    inv = applyCancellation(inv, { appointmentId: 'appt_1', kind: 'late', fee: FEE, at: cancelAt });
    inv = refund(inv, 're_1', 7_500, 'pending', cancelAt + 60_000);
    inv = { ...inv, number: 'INV-000042' };
    const entries = ledgerEntries(inv, NY);
    expect(entries.map((e) => [e.kind, e.amount, e.date, e.reference])).toEqual([
      ['charge', 17_500, '2026-06-01', 'session:appt_1'],
      ['payment', -17_500, '2026-06-01', 'pi_1'],
      ['charge', 10_000, '2026-06-09', 'late_cancellation:appt_1'],
      ['void', -17_500, '2026-06-09', 'session:appt_1'],
      ['refund', 7_500, '2026-06-09', 're_1'],
    ]);
    expect(entries.every((e) => e.invoiceId === 'inv_1' && e.invoiceNumber === 'INV-000042' && e.currency === 'USD')).toBe(true);
    expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(totals(inv).balance);
  });

  it('a package credit is a negative credit entry', () => {
    const inv = applyPackageCancel(programInvoice(), { used: usd(95_000), at: T0 + 10 });
    expect(ledgerEntries(inv, NY).map((e) => [e.kind, e.amount])).toEqual([
      ['charge', 290_000],
      ['credit', -195_000],
    ]);
  });

  it('a failed refund has no entry; entries of 0 are left out; the sum stays the balance', () => {
    let inv = pay(sessionInvoice(), 'pi_1', 17_500);
    inv = applyCancellation(inv, { appointmentId: 'appt_1', kind: 'late', fee: usd(0), at: T0 + 10 });
    inv = refund(inv, 're_1', 17_500, 'failed');
    const entries = ledgerEntries(inv, NY);
    expect(entries.map((e) => e.kind)).toEqual(['charge', 'payment', 'void']);
    expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(totals(inv).balance);
  });

  it('entries of the same time and kind come by reference, whatever the order of the lines', () => {
    const inv = programInvoice(1_000);
    const line = inv.lines[0]!;
    const twoLines = {
      ...inv,
      lines: [
        { ...line, id: 'line-b' },
        { ...line, id: 'line-a' },
      ],
    };
    expect(ledgerEntries(twoLines, NY).map((e) => [e.kind, e.reference])).toEqual([
      ['charge', 'line-a'],
      ['charge', 'line-b'],
    ]);
  });

  it('an unknown zone is refused, even for an invoice without entries', () => {
    expect(() => ledgerEntries(sessionInvoice(), 'Mars/Olympus')).toThrow(RangeError);
    const free = newSessionInvoice({
      id: 'inv_0',
      clinicId: 'clinic-1',
      clientId: 'client-1',
      currency: 'USD',
      appointment: appt('intake', START, { id: 'appt_0' }),
      service: service('intake', { price: usd(0) }),
      zone: NY,
      at: T0,
    });
    expect(ledgerEntries(free, NY)).toEqual([]);
    expect(() => ledgerEntries(free, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('refunds still owed (the refund job)', () => {
  const cancelled = (inv: Invoice) => applyCancellation(inv, { appointmentId: 'appt_1', kind: 'on_time', at: T0 + 10 });

  it('plans nothing when nothing is owed', () => {
    expect(planRefunds(pay(sessionInvoice(), 'pi_1', 17_500))).toEqual([]);
    expect(refundState(pay(sessionInvoice(), 'pi_1', 17_500))).toBeNull();
  });

  it('refunds from the newest payment back, each at most what it has not given back, with a key naming the attempt', () => {
    let inv = pay(pay(sessionInvoice(), 'pi_old', 5_000, T0 + 1), 'pi_new', 12_500, T0 + 2);
    inv = cancelled(inv);
    expect(refundDue(inv)).toBe(17_500);
    expect(planRefunds(inv)).toEqual([
      { paymentReference: 'pi_new', amount: 12_500, idempotencyKey: 'invoice-refund-inv_1-pi_new-0-12500' },
      { paymentReference: 'pi_old', amount: 5_000, idempotencyKey: 'invoice-refund-inv_1-pi_old-0-5000' },
    ]);
    expect(refundState(inv)).toBe('scheduled');
  });

  it('after a refund of a payment failed, the next refund of it has a new key; payments that are not intents are skipped', () => {
    let inv = cancelled(pay(pay(sessionInvoice(), 'cs_local', 1_000), 'pi_1', 16_500));
    inv = applyRefund(inv, { reference: 're_1', amount: usd(16_500), at: T0 + 20, status: 'failed', paymentReference: 'pi_1' });
    expect(refundState(inv)).toBe('retrying');
    expect(planRefunds(inv)).toEqual([{ paymentReference: 'pi_1', amount: 16_500, idempotencyKey: 'invoice-refund-inv_1-pi_1-1-16500' }]);
  });

  it('a payment gives back at most what its own refunds have not given back already', () => {
    // paid 10,000 + 10,000 on a 5,000 charge; 5,000 given back of pi_old already: 10,000 still owed back
    const two = pay(pay(programInvoice(5_000), 'pi_old', 10_000, T0 + 1), 'pi_new', 10_000, T0 + 2);
    const ofOld = applyRefund(two, { reference: 're_1', amount: usd(5_000), at: T0 + 3, status: 'succeeded', paymentReference: 'pi_old' });
    expect(refundDue(ofOld)).toBe(10_000);
    expect(planRefunds(ofOld).map((r) => [r.paymentReference, r.amount])).toEqual([['pi_new', 10_000]]);
    const ofNew = applyRefund(two, { reference: 're_1', amount: usd(5_000), at: T0 + 3, status: 'succeeded', paymentReference: 'pi_new' });
    expect(planRefunds(ofNew).map((r) => [r.paymentReference, r.amount])).toEqual([
      ['pi_new', 5_000],
      ['pi_old', 5_000],
    ]);
    // a payment given back in whole is passed over
    const whole = applyRefund(two, { reference: 're_1', amount: usd(10_000), at: T0 + 3, status: 'succeeded', paymentReference: 'pi_new' });
    expect(planRefunds(whole).map((r) => [r.paymentReference, r.amount])).toEqual([['pi_old', 5_000]]);
  });

  it('a refund that succeeded in part leaves the rest scheduled, not retrying', () => {
    let inv = cancelled(pay(sessionInvoice(), 'pi_1', 17_500));
    inv = applyRefund(inv, { reference: 're_1', amount: usd(7_500), at: T0 + 20, status: 'succeeded', paymentReference: 'pi_1' });
    expect(refundDue(inv)).toBe(10_000);
    expect(refundState(inv)).toBe('scheduled');
  });

  it('a pending refund counts: nothing more is planned for it', () => {
    let inv = cancelled(pay(sessionInvoice(), 'pi_1', 17_500));
    inv = applyRefund(inv, { reference: 're_1', amount: usd(17_500), at: T0 + 20, status: 'pending', paymentReference: 'pi_1' });
    expect(planRefunds(inv)).toEqual([]);
    expect(refundState(inv)).toBeNull();
  });

  it('states: dead-lettered once the job gave up, retrying after a failed attempt', () => {
    const inv = cancelled(pay(sessionInvoice(), 'pi_1', 17_500));
    expect(refundState({ ...inv, refundJob: { attempts: 2, lastFailureAt: T0 } })).toBe('retrying');
    expect(refundState({ ...inv, refundJob: { attempts: 8, lastFailureAt: T0, deadLetteredAt: T0 } })).toBe('dead_lettered');
  });

  it('backs off 1, 2, 4 … minutes, capped at 6 hours', () => {
    expect([1, 2, 3, 4].map((n) => nextRefundAttemptAt(n, 0) / 60_000)).toEqual([1, 2, 4, 8]);
    expect(nextRefundAttemptAt(20, 0)).toBe(6 * 3_600_000);
  });
});

describe('a refund the job gave up on', () => {
  const givenUp = () => ({
    ...applyCancellation(pay(sessionInvoice(), 'pi_1', 17_500), { appointmentId: 'appt_1', kind: 'on_time', at: T0 + 10 }),
    refundJob: { attempts: 8, lastFailureAt: T0 + 20, deadLetteredAt: T0 + 20 },
  });
  const elsewhere = (amount: number, reference = 'CHQ-1', method: OutsideRefundMethod = 'cheque') => ({
    reference,
    amount: usd(amount),
    at: T0 + 30,
    method,
  });

  it('retried: no attempt counted, nothing given up on, so the job makes it again', () => {
    const inv = refundRetried(givenUp());
    expect(inv.refundJob).toEqual({ attempts: 0 });
    expect(refundState(inv)).toBe('scheduled');
    expect(planRefunds(inv)).toHaveLength(1);
  });

  it('only a refund the job gave up on is retried or recorded by hand: while it is at it, the money could go back twice', () => {
    const scheduled = { ...givenUp(), refundJob: undefined };
    const retrying = { ...givenUp(), refundJob: { attempts: 3, lastFailureAt: T0 } };
    const settled = pay(sessionInvoice(), 'pi_1', 17_500);
    for (const inv of [scheduled, retrying]) {
      expect(() => refundRetried(inv)).toThrow(/still making the refund/);
      expect(() => recordRefundMadeElsewhere(inv, elsewhere(17_500))).toThrow(ConflictError);
    }
    expect(() => refundRetried(settled)).toThrow('Nothing is owed back on this invoice');
    expect(() => recordRefundMadeElsewhere(settled, elsewhere(100))).toThrow(ConflictError);
  });

  it('recorded in part: counted as succeeded, the rest still given up on; in whole: nothing owed, status refunded', () => {
    const part = recordRefundMadeElsewhere(givenUp(), elsewhere(10_000, 'TRF-1', 'bank_transfer'));
    expect(part.refunds).toEqual([{ reference: 'TRF-1', amount: 10_000, at: T0 + 30, status: 'succeeded', method: 'bank_transfer' }]);
    expect([refundDue(part), refundState(part)]).toEqual([7_500, 'dead_lettered']);
    const whole = recordRefundMadeElsewhere(part, elsewhere(7_500, 'CHQ-9'));
    expect([refundDue(whole), refundState(whole), totals(whole).status]).toEqual([0, null, 'refunded']);
    expect(
      ledgerEntries(whole, NY)
        .filter((e) => e.kind === 'refund')
        .map((e) => [e.reference, e.amount]),
    ).toEqual([
      ['CHQ-9', 7_500],
      ['TRF-1', 10_000],
    ]);
  });

  it('refuses more than is owed, a reference twice, another currency and an unknown method', () => {
    const part = recordRefundMadeElsewhere(givenUp(), elsewhere(10_000));
    expect(() => recordRefundMadeElsewhere(part, elsewhere(7_501, 'CHQ-2'))).toThrow(
      'The refund is more than what is owed back on this invoice',
    );
    expect(() => recordRefundMadeElsewhere(part, elsewhere(100))).toThrow(
      'A refund with this reference is recorded on this invoice already',
    );
    // the same cheque typed in another case
    expect(() => recordRefundMadeElsewhere(part, elsewhere(100, 'chq-1'))).toThrow(
      'A refund with this reference is recorded on this invoice already',
    );
    expect(() => recordRefundMadeElsewhere(part, { ...elsewhere(100, 'CHQ-3'), amount: { amount: 100, currency: 'CAD' } })).toThrow(
      RangeError,
    );
    expect(() => recordRefundMadeElsewhere(part, elsewhere(100, 'CHQ-4', 'paypal' as OutsideRefundMethod))).toThrow(RangeError);
    expect(recordRefundMadeElsewhere(part, elsewhere(7_500, 'CHQ-5')).refunds).toHaveLength(2);
  });
});

describe("a program's invoice follows its package", () => {
  const base = { payment: 'installments' as const, cancellation: undefined };
  const charge = (
    ref: string,
    kind: 'full' | 'down_payment' | 'installment' | 'refund',
    amount: number,
    status = 'succeeded' as const,
  ) => ({
    ref,
    kind,
    amount: usd(amount),
    status,
    at: T0 + 5,
  });

  it('succeeded charges are payments, refunds are refunds, under their Stripe references; failed ones are not', () => {
    const inv = syncPackageInvoice(programInvoice(), {
      ...base,
      payments: [
        charge('cs_1', 'down_payment', 72_500),
        charge('in_1', 'installment', 72_500),
        { ...charge('in_2', 'installment', 72_500), status: 'failed' },
        charge('re_9', 'refund', 10_000), // a refund of a package not cancelled: no cancel names its charge
      ],
    });
    expect(inv.payments.map((p) => [p.reference, p.amount, p.method])).toEqual([
      ['cs_1', 72_500, 'card'],
      ['in_1', 72_500, 'card'],
    ]);
    expect(inv.refunds).toEqual([{ reference: 're_9', amount: 10_000, at: T0 + 5, status: 'succeeded' }]);
    expect(totals(inv)).toMatchObject({ paid: 145_000, refunded: 10_000, balance: 155_000, status: 'partially_paid' });
  });

  it('a refund of the cancel names the charge it gave back', () => {
    const pkg = {
      ...base,
      payment: 'pay_in_full' as const,
      payments: [charge('cs_1', 'full', 200_000), charge('in_1', 'installment', 90_000), charge('re_1', 'refund', 100_000)],
      cancellation: {
        at: T0 + 9,
        refunds: [
          { paymentRef: 'in_1', refundId: 're_0', amount: 90_000 }, // another refund of the cancel, not reported yet
          { paymentRef: 'cs_1', refundId: 're_1', amount: 100_000 },
        ],
      },
    };
    expect(syncPackageInvoice(programInvoice(), pkg).refunds).toEqual([
      { reference: 're_1', amount: 100_000, at: T0 + 5, status: 'succeeded', paymentReference: 'cs_1' },
    ]);
  });

  it('a purchase whose checkout lapsed unpaid is voided as of then, once', () => {
    const inv = syncPackageInvoice(programInvoice(), { ...base, payments: [], lapsedAt: T0 + 7 });
    expect(inv.lines[0]).toMatchObject({ service: 'program', voided: true, voidedAt: T0 + 7 });
    expect(totals(inv)).toMatchObject({ total: 0, status: 'void' });
    expect(applyPurchaseLapsed(inv, T0 + 8)).toBe(inv);
    expect(syncPackageInvoice(inv, { ...base, payments: [], lapsedAt: T0 + 7 })).toBe(inv);
    expect(() => applyPurchaseLapsed(sessionInvoice(), T0 + 7)).toThrow(/not a program purchase/);
  });

  it('the cancel credit follows the value used, and syncing again changes nothing', () => {
    const pkg = {
      ...base,
      payment: 'pay_in_full' as const,
      payments: [charge('cs_1', 'full', 290_000), charge('re_1', 'refund', 272_500)],
      cancellation: { at: T0 + 9, refunds: [], refundDue: 272_500, usedValue: 17_500 },
    };
    const inv = syncPackageInvoice(programInvoice(), pkg);
    expect(totals(inv)).toMatchObject({ total: 17_500, paid: 290_000, refunded: 272_500, balance: 0, status: 'paid' });
    expect(syncPackageInvoice(inv, pkg)).toBe(inv);
  });
});

describe('purity', () => {
  it('no function changes its input', () => {
    const inv = pay(sessionInvoice(), 'pi_1', 17_500);
    const before = structuredClone(inv);
    applyCancellation(inv, { appointmentId: 'appt_1', kind: 'late', fee: FEE, at: T0 + 10 });
    applyMove(inv, { appointmentId: 'appt_1', startsAt: at('2026-06-12', '09:00'), mode: 'telehealth' }, NY);
    pay(inv, 'pi_2', 1);
    refund(inv, 're_1', 1, 'pending');
    expect(inv).toEqual(before);
  });
});
