// The revenue report on histories worked out by hand (docs/domain.md, "Revenue", has the first
// as its worked example): a package used up, a discounted one (allocated shares), a cancel that
// settles, an installment plan stopped by a cancel (a reversal), self-pay sessions in every state.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.ts';
import {
  MAX_REVENUE_DAYS,
  assertRevenueRange,
  packageSessionShares,
  revenueAccounts,
  revenueFigures,
  revenueReport,
} from '#domain/revenue.ts';
import { at } from './fixtures.ts';
import { World, includes } from './revenue-world.ts';

const STANDARD_4 = includes(2, 4, 2);

const figures = (w: World, from: string, to: string) => revenueReport(w.facts(), from, to);
const earnedOf = (w: World, invoiceId: string) =>
  revenueAccounts(w.facts())
    .find((a) => a.invoiceId === invoiceId)!
    .earned.reduce((s, e) => s + e.amount, 0);

/** The 4-exploration standard program used up over December and January. */
function usedUp(price: number): { w: World; invoice: string } {
  const w = new World();
  const { pkg, invoice } = w.buy(STANDARD_4, price, at('2026-12-01', '09:00'));
  w.pay(invoice, price, at('2026-12-01', '09:05'));
  w.packageSession(pkg, 'preparation', at('2026-12-03', '10:00'), 'completed');
  w.packageSession(pkg, 'preparation', at('2026-12-08', '10:00'), 'completed');
  w.packageSession(pkg, 'exploration', at('2026-12-10', '09:00'), 'completed');
  w.packageSession(pkg, 'integration', at('2026-12-11', '10:00'), 'completed');
  w.packageSession(pkg, 'exploration', at('2026-12-15', '09:00'), 'no_show');
  w.packageSession(pkg, 'exploration', at('2026-12-22', '09:00'), 'cancelled', true);
  w.packageSession(pkg, 'exploration', at('2027-01-05', '09:00'), 'completed');
  w.packageSession(pkg, 'integration', at('2027-01-06', '10:00'), 'completed');
  return { w, invoice };
}

describe('a package is earned session by session', () => {
  it('at list price: each session earns its list price on its day; used up, it has earned its price', () => {
    const { w, invoice } = usedUp(290_000);
    // December: 3 × 175.00 (two preparations, an integration) + 3 × 550.00 (completed, missed, cancelled late)
    expect(figures(w, '2026-12-01', '2026-12-31')).toEqual({
      recognized: 217_500,
      deferredAtStart: 0,
      deferredAtEnd: 72_500,
      billed: 290_000,
      collected: 290_000,
      refunded: 0,
      earnedUnpaidAtStart: 0,
      earnedUnpaidAtEnd: 0,
    });
    expect(figures(w, '2027-01-01', '2027-01-31')).toMatchObject({ recognized: 72_500, deferredAtStart: 72_500, deferredAtEnd: 0 });
    expect(earnedOf(w, invoice)).toBe(290_000);
  });

  it('at a bundle price: each session earns its allocated share, exact to the cent', () => {
    // 2,500.00 over 290,000 of list: 150.86 a therapy session, 474.14 an exploration (the cents left go to the largest remainders)
    const { w, invoice } = usedUp(250_000);
    expect(figures(w, '2026-12-01', '2026-12-31')).toMatchObject({ recognized: 3 * 15_086 + 3 * 47_414, deferredAtEnd: 62_500 });
    expect(figures(w, '2027-01-01', '2027-01-31')).toMatchObject({ recognized: 47_414 + 15_086, deferredAtEnd: 0 });
    expect(earnedOf(w, invoice)).toBe(250_000);
  });

  it('a session booked or checked in, or cancelled on time, earns nothing', () => {
    const w = new World();
    const { pkg } = w.buy(STANDARD_4, 290_000, at('2026-12-01', '09:00'));
    w.packageSession(pkg, 'preparation', at('2026-12-03', '10:00'), 'booked');
    w.packageSession(pkg, 'preparation', at('2026-12-04', '10:00'), 'checked_in');
    w.packageSession(pkg, 'exploration', at('2026-12-10', '09:00'), 'cancelled', false);
    expect(figures(w, '2026-12-01', '2026-12-31').recognized).toBe(0);
  });

  it('a late cancel earns its share only when the clinic forfeits the credit', () => {
    for (const forfeits of [true, false]) {
      const w = new World(forfeits);
      const { pkg } = w.buy(STANDARD_4, 290_000, at('2026-12-01', '09:00'));
      w.packageSession(pkg, 'exploration', at('2026-12-10', '09:00'), 'cancelled', true);
      expect(figures(w, '2026-12-01', '2026-12-31').recognized).toBe(forfeits ? 55_000 : 0);
    }
  });

  it('the k-th session of a service that took a credit gets the k-th share: by start, then id; on-time cancels gave theirs back', () => {
    // 1,000.01 over one preparation and two explorations weighted 1:1:1: 333.34, 333.34, 333.33 (ties to the earlier slots)
    const w = new World(true, { preparation: 17_500, exploration: 17_500, integration: 17_500 });
    const { pkg } = w.buy(includes(1, 2, 0), 100_001, at('2026-12-01', '09:00'));
    const late = w.packageSession(pkg, 'exploration', at('2026-12-20', '09:00'), 'booked');
    const gaveBack = w.packageSession(pkg, 'exploration', at('2026-12-05', '09:00'), 'cancelled', false);
    const first = w.packageSession(pkg, 'exploration', at('2026-12-10', '09:00'), 'completed');
    const shares = packageSessionShares(w.packages.get(pkg)!, [...w.appointments.values()], w.listPrices, true);
    expect(shares.get(first)).toBe(33_334);
    expect(shares.get(late)).toBe(33_333);
    expect(shares.has(gaveBack)).toBe(false);
  });
});

describe('a cancelled package settles on the cancellation date', () => {
  it('what it keeps, less what its sessions earned, is earned on the cancel: earned + refunded = paid', () => {
    const w = new World();
    const { pkg, invoice } = w.buy(STANDARD_4, 250_000, at('2026-12-01', '09:00'));
    w.pay(invoice, 250_000, at('2026-12-01', '09:05'));
    w.packageSession(pkg, 'preparation', at('2026-12-03', '10:00'), 'completed'); // 150.86
    w.packageSession(pkg, 'preparation', at('2026-12-08', '10:00'), 'no_show'); // 150.86
    w.packageSession(pkg, 'exploration', at('2026-12-10', '09:00'), 'booked'); // past, never marked: used, not earned
    w.packageSession(pkg, 'exploration', at('2026-12-20', '09:00'), 'booked'); // freed by the cancel
    // used at list: 2 × 175.00 + 550.00 = 900.00; refund 2,500.00 − 900.00
    expect(w.cancelPackage(pkg, at('2026-12-12', '15:00'))).toEqual({ refund: 160_000, usedValue: 90_000 });
    const accounts = revenueAccounts(w.facts());
    expect(accounts[0]!.earned).toEqual([
      { date: '2026-12-03', amount: 15_086, source: 'package_session', appointmentId: expect.any(String) },
      { date: '2026-12-08', amount: 15_086, source: 'package_session', appointmentId: expect.any(String) },
      { date: '2026-12-12', amount: 90_000 - 2 * 15_086, source: 'package_settlement' },
    ]);
    expect(figures(w, '2026-12-01', '2026-12-31')).toEqual({
      recognized: 90_000,
      deferredAtStart: 0,
      deferredAtEnd: 0,
      billed: 90_000,
      collected: 250_000,
      refunded: 160_000,
      earnedUnpaidAtStart: 0,
      earnedUnpaidAtEnd: 0,
    });
    // the day before the cancel, the freed exploration's money was still deferred
    expect(figures(w, '2026-12-01', '2026-12-11').deferredAtEnd).toBe(250_000 - 2 * 15_086);
    expect(earnedOf(w, invoice) + 160_000).toBe(250_000);
  });

  it('a refund still owed after the cancel is not revenue: it stays deferred until it is made', () => {
    const w = new World();
    const { pkg, invoice } = w.buy(STANDARD_4, 290_000, at('2026-12-01', '09:00'));
    w.pay(invoice, 290_000, at('2026-12-01', '09:05'));
    w.packageSession(pkg, 'preparation', at('2026-12-03', '10:00'), 'completed');
    w.cancelPackage(pkg, at('2026-12-05', '10:00'), null);
    expect(figures(w, '2026-12-01', '2026-12-31')).toMatchObject({ recognized: 17_500, deferredAtEnd: 272_500, refunded: 0 });
    w.settleRefund(invoice, at('2027-01-04', '10:00'));
    expect(figures(w, '2026-12-01', '2026-12-31')).toMatchObject({ recognized: 17_500, deferredAtEnd: 272_500 });
    expect(figures(w, '2027-01-01', '2027-01-31')).toMatchObject({ recognized: 0, refunded: 272_500, deferredAtEnd: 0 });
  });

  it('an installment plan stopped by a cancel after sessions delivered on credit: the cancel reverses what will not be paid', () => {
    const w = new World();
    const { pkg, invoice } = w.buy(STANDARD_4, 290_000, at('2026-12-01', '09:00'));
    w.pay(invoice, 58_000, at('2026-12-01', '09:05')); // the down payment, 20 %
    w.packageSession(pkg, 'preparation', at('2026-12-03', '10:00'), 'completed');
    w.packageSession(pkg, 'preparation', at('2026-12-08', '10:00'), 'completed');
    w.packageSession(pkg, 'exploration', at('2026-12-10', '09:00'), 'completed');
    // accrual: delivered is earned, paid or not
    expect(figures(w, '2026-12-01', '2026-12-31')).toMatchObject({
      recognized: 90_000,
      collected: 58_000,
      deferredAtEnd: 0,
      earnedUnpaidAtEnd: 32_000,
    });
    // used 900.00 at list, paid 580.00: nothing to refund; the clinic keeps 580.00
    expect(w.cancelPackage(pkg, at('2027-01-05', '10:00'))).toEqual({ refund: 0, usedValue: 90_000 });
    expect(figures(w, '2027-01-01', '2027-01-31')).toEqual({
      recognized: -32_000,
      deferredAtStart: 0,
      deferredAtEnd: 0,
      billed: -200_000,
      collected: 0,
      refunded: 0,
      earnedUnpaidAtStart: 32_000,
      earnedUnpaidAtEnd: 0,
    });
    expect(earnedOf(w, invoice)).toBe(58_000);
  });

  it("what such a cancel left owing, paid later on its invoice, is earned the day it comes in: the cancel's month stands", () => {
    const w = new World();
    const { pkg, invoice } = w.buy(STANDARD_4, 290_000, at('2026-12-01', '09:00'));
    w.pay(invoice, 58_000, at('2026-12-01', '09:05'));
    w.packageSession(pkg, 'preparation', at('2026-12-03', '10:00'), 'completed');
    w.packageSession(pkg, 'preparation', at('2026-12-08', '10:00'), 'completed');
    w.packageSession(pkg, 'exploration', at('2026-12-10', '09:00'), 'completed');
    w.cancelPackage(pkg, at('2027-01-05', '10:00'));
    const january = figures(w, '2027-01-01', '2027-01-31');
    // the 320.00 it still owes for what was delivered, paid on 2027-02-10
    w.pay(invoice, 32_000, at('2027-02-10', '12:00'));
    expect(figures(w, '2027-01-01', '2027-01-31')).toEqual(january);
    expect(figures(w, '2027-02-01', '2027-02-28')).toMatchObject({ recognized: 32_000, collected: 32_000, deferredAtEnd: 0 });
    // paid in all what it used: it has earned that, as a package used up earns its price
    expect(earnedOf(w, invoice)).toBe(90_000);
    expect(revenueAccounts(w.facts())[0]!.earned.at(-1)).toEqual({ date: '2027-02-10', amount: 32_000, source: 'package_settlement' });
    // paid more than it owed: the surplus is to be refunded, never revenue
    w.pay(invoice, 5_000, at('2027-02-11', '12:00'));
    expect(figures(w, '2027-02-11', '2027-02-11')).toMatchObject({ recognized: 0, deferredAtEnd: 5_000 });
  });
});

describe('a cancelled package: the edges of the settlement', () => {
  const earnedList = (w: World) => revenueAccounts(w.facts())[0]!.earned.map((e) => [e.date, e.amount, e.source]);

  it('settles on the cancel’s own date, not on the day its refund was made', () => {
    const w = new World();
    const { pkg, invoice } = w.buy(STANDARD_4, 250_000, at('2026-12-01', '09:00'));
    w.pay(invoice, 250_000, at('2026-12-01', '09:05'));
    w.packageSession(pkg, 'preparation', at('2026-12-03', '10:00'), 'completed');
    w.cancelPackage(pkg, at('2026-12-12', '15:00'), at('2026-12-20', '11:00'));
    expect(earnedList(w)).toEqual([
      ['2026-12-03', 15_086, 'package_session'],
      ['2026-12-12', 17_500 - 15_086, 'package_settlement'],
    ]);
  });

  it('a session on the cancel’s day counts before it; one used after the cancel earns nothing of its own', () => {
    const w = new World();
    const { pkg, invoice } = w.buy(STANDARD_4, 250_000, at('2026-12-01', '09:00'));
    w.pay(invoice, 20_000, at('2026-12-01', '09:05'));
    w.pay(invoice, 230_000, at('2026-12-05', '09:05'));
    w.packageSession(pkg, 'preparation', at('2026-12-03', '10:00'), 'completed');
    w.packageSession(pkg, 'preparation', at('2026-12-12', '09:00'), 'completed');
    expect(w.cancelPackage(pkg, at('2026-12-12', '15:00'))).toEqual({ refund: 250_000 - 35_000, usedValue: 35_000 });
    w.packageSession(pkg, 'exploration', at('2026-12-14', '09:00'), 'completed'); // used anyway
    expect(earnedList(w)).toEqual([
      ['2026-12-03', 15_086, 'package_session'],
      ['2026-12-12', 15_086, 'package_session'],
      ['2026-12-12', 35_000 - 2 * 15_086, 'package_settlement'],
    ]);
    expect(figures(w, '2026-12-01', '2026-12-11').recognized).toBe(15_086);
  });

  it('what it keeps is what was paid less what was refunded, at most what its invoice charges', () => {
    const w = new World();
    const { pkg, invoice } = w.buy(STANDARD_4, 290_000, at('2026-12-01', '09:00'));
    w.pay(invoice, 58_000, at('2026-12-01', '09:05'));
    w.pay(invoice, 77_334, at('2026-12-15', '09:05'));
    w.refund(invoice, 77_334, at('2026-12-20', '09:05')); // that charge given back (a dispute)
    w.packageSession(pkg, 'preparation', at('2026-12-03', '10:00'), 'completed');
    w.packageSession(pkg, 'preparation', at('2026-12-08', '10:00'), 'completed');
    w.packageSession(pkg, 'exploration', at('2026-12-10', '09:00'), 'completed');
    expect(w.cancelPackage(pkg, at('2027-01-05', '10:00'))).toEqual({ refund: 0, usedValue: 90_000 });
    expect(earnedOf(w, invoice)).toBe(58_000);
    expect(figures(w, '2027-01-01', '2027-01-31').recognized).toBe(58_000 - 90_000);
  });
});

describe('self-pay sessions and fees', () => {
  it('are earned on the appointment’s date: the session when completed, the fee when cancelled late or missed', () => {
    const w = new World();
    const booked = at('2026-11-20', '10:00');
    // paid in November, held in December
    const intake = w.selfPay('intake', at('2026-12-07', '10:00'), booked);
    w.pay(intake.invoice, 17_500, at('2026-11-25', '10:00'));
    w.setStatus(intake.appointment, 'completed');
    // paid, cancelled late: the 100.00 fee is earned, 75.00 refunded
    const late = w.selfPay('preparation', at('2026-12-09', '10:00'), booked);
    w.pay(late.invoice, 17_500, at('2026-12-02', '10:00'));
    w.cancelSelfPay(late.appointment, 'late', at('2026-12-08', '12:00'));
    w.settleRefund(late.invoice, at('2026-12-08', '12:05'));
    // completed, not paid: earned all the same (accrual), and owed
    const unpaid = w.selfPay('preparation', at('2026-12-16', '10:00'), booked);
    w.setStatus(unpaid.appointment, 'completed');
    // paid, cancelled on time, refunded: nothing earned
    const onTime = w.selfPay('preparation', at('2026-12-18', '10:00'), booked);
    w.pay(onTime.invoice, 17_500, at('2026-12-02', '10:00'));
    w.cancelSelfPay(onTime.appointment, 'on_time', at('2026-12-10', '10:00'));
    w.settleRefund(onTime.invoice, at('2026-12-10', '10:05'));
    // missed, not paid: the fee is earned and owed
    const missed = w.selfPay('integration', at('2026-12-21', '10:00'), booked);
    w.cancelSelfPay(missed.appointment, 'no_show', at('2026-12-21', '11:00'));
    // still to come: nothing earned, its payment deferred
    const ahead = w.selfPay('preparation', at('2027-01-11', '10:00'), booked);
    w.pay(ahead.invoice, 17_500, at('2026-12-28', '10:00'));

    expect(figures(w, '2026-11-01', '2026-11-30')).toEqual({
      recognized: 0,
      deferredAtStart: 0,
      deferredAtEnd: 17_500,
      billed: 6 * 17_500,
      collected: 17_500,
      refunded: 0,
      earnedUnpaidAtStart: 0,
      earnedUnpaidAtEnd: 0,
    });
    expect(figures(w, '2026-12-01', '2026-12-31')).toEqual({
      recognized: 17_500 + 10_000 + 17_500 + 10_000,
      deferredAtStart: 17_500,
      deferredAtEnd: 17_500,
      // the late one: −175.00 + 100.00; the on-time one: −175.00; the missed one: −175.00 + 100.00
      billed: -17_500 + 10_000 - 17_500 - 17_500 + 10_000,
      collected: 3 * 17_500,
      refunded: 7_500 + 17_500,
      earnedUnpaidAtStart: 0,
      earnedUnpaidAtEnd: 17_500 + 10_000,
    });
  });
});

describe('the range', () => {
  it('is clinic-local dates, `to` not before `from`, at most 366 days (a leap year), else a 400 on `to`', () => {
    expect(() => assertRevenueRange('2028-01-01', '2028-12-31')).not.toThrow();
    expect(() => assertRevenueRange('2026-12-01', '2026-12-01')).not.toThrow();
    const issue = (from: string, to: string) => {
      try {
        assertRevenueRange(from, to);
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as ValidationError).details;
      }
      throw new Error('no issue');
    };
    expect(issue('2026-12-02', '2026-12-01')).toEqual([{ path: 'to', message: 'Must not be before from' }]);
    expect(issue('2027-01-01', '2028-01-02')).toEqual([{ path: 'to', message: `The range may cover at most ${MAX_REVENUE_DAYS} days` }]);
    expect(issue('2026-02-30', '2026-03-01')[0]!.path).toBe('from');
  });

  it('a date that is none is named, `from` first, then `to`', () => {
    const details = (from: string, to: string) => {
      try {
        assertRevenueRange(from, to);
      } catch (err) {
        return (err as ValidationError).details;
      }
      return [];
    };
    expect(details('2026-02-30', '2026-13-01')).toEqual([{ path: 'from', message: 'Must be a date YYYY-MM-DD' }]);
    expect(details('2026-03-01', '2026-13-01')).toEqual([{ path: 'to', message: 'Must be a date YYYY-MM-DD' }]);
  });

  it('revenueFigures refuses a range that is not one (RangeError), and accounts refuse an invoice in another currency', () => {
    expect(() => revenueFigures([], '2026-12-02', '2026-12-01')).toThrow(RangeError);
    expect(() => revenueFigures([], '2026-12-01', '2026-12-32')).toThrow(RangeError);
    expect(() => revenueFigures([], 'December', '2026-12-01')).toThrow(RangeError);
    expect(revenueFigures([], '2026-12-01', '2026-12-01').recognized).toBe(0);
    const w = new World();
    w.selfPay('preparation', at('2026-12-10', '10:00'), at('2026-12-01', '10:00'));
    expect(() => revenueAccounts({ ...w.facts(), currency: 'CAD' })).toThrow(RangeError);
  });

  it('dates are the clinic’s: a session at 22:00 in New York on the 31st is December’s, though it is January in UTC', () => {
    const w = new World();
    const s = w.selfPay('preparation', at('2026-12-31', '22:00'), at('2026-12-01', '10:00'));
    w.setStatus(s.appointment, 'completed');
    expect(figures(w, '2026-12-01', '2026-12-31').recognized).toBe(17_500);
    expect(figures(w, '2027-01-01', '2027-01-31').recognized).toBe(0);
  });
});
