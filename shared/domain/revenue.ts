// Revenue recognition (docs/api.md, "Revenue report"; docs/domain.md, "Revenue": a program is
// paid up front but delivered over weeks, and until then the money is deferred). What a
// clinic has EARNED in a period, what it holds that it has not earned yet (DEFERRED), and the
// period's billing, collections and refunds, from its invoices, packages and appointments. Pure:
// no clock, no I/O; every amount is integer minor units of the clinic's one currency, and every
// date a clinic-local calendar date (YYYY-MM-DD, which sorts as text).
//
// The unit of account is the INVOICE: every amount a client owes is on one (a self-pay session's,
// or a program purchase's, which follows its package). For each invoice this module derives three
// dated streams (revenueAccounts), and the report sums them over a range (revenueFigures):
//
//   billed     its ledger's charges, credits and voids (invoices.ts ledgerEntries), on their dates;
//   cash       its payments (+) and refunds not failed (−), on their dates: what the clinic HOLDS
//              for it is the running sum ("kept");
//   earned     when and how much of it the clinic has earned (the rules below).
//
// EARNING RULES (docs/domain.md, "Revenue", made exact).
//  - A self-pay session is earned on the appointment's clinic-local date, once it is completed
//    (its session line's amount), or missed or cancelled late (its fee line's amount: the fee
//    replaced the session). Only lines not voided count; an on-time cancel earns nothing (its line
//    is voided and it has no fee). A session still booked or checked in earns nothing yet.
//  - A package is earned session by session, on each session's clinic-local date, at the
//    session's ALLOCATED SHARE of the package's price (allocation.ts packageShares: in proportion
//    to the list prices of the program's sessions, exact to the cent). The k-th share of a
//    service goes to the k-th appointment of that service that took one of the package's credits,
//    ranked by start, then id; "took a credit" = booked, checked in, completed, missed, or
//    cancelled late when the clinic's policy forfeits the credit (an on-time cancel gave it back).
//    A session is earned once it is completed or its credit forfeited (missed, cancelled late
//    under that policy). Sessions ranked beyond the program's credits (inconsistent data) earn 0.
//  - A package CANCELLED by staff settles on the cancellation's clinic-local date c: the package
//    then earns, in all, what the clinic keeps of it — K = min(paid − refunded, what its invoice
//    still charges), at least 0 — so one more earning is recorded on c: K by the end of c less
//    what its sessions dated up to c earned. Should K grow later (what the cancel left owing,
//    paid on the invoice's checkout), the growth is earned on the day the money comes in, so the
//    cancel's own period is not restated. Sessions dated after c earn nothing of their own (the
//    cancel freed them; should one be used anyway, the settlement covers it). Hence, once the cancel's refund is
//    made, earned + refunded = paid, as docs/domain.md says. "What its invoice still charges" is its
//    total after the cancel's credit line (the list value used, at most the price): money held
//    above it is owed back (refundDue) and is not revenue — it stays deferred until refunded.
//    The settlement is NEGATIVE when the sessions earned more than the clinic keeps (an
//    installment plan stopped by the cancel after sessions delivered on credit): a reversal of
//    revenue the clinic will not be paid, dated on the cancel. A package cancelled without a
//    cancellation record (its checkout expired unpaid) settles at its last update (it holds
//    nothing). Unlike a superbill (superbill.ts), which charges a cancelled package's sessions
//    their share of the value used, what sessions earned before the cancel stays as it was: the
//    difference is the settlement ("less what was already earned by then").
//
// RECOGNITION IS ACCRUAL-BASED: a session is earned when it is delivered, whether or not it was
// paid for (a self-pay session completed before its invoice is paid; package sessions delivered
// ahead of the installments that pay for them). So an invoice may be ahead either way:
//
//   deferred(D)     = max(0, kept(D) − earned(D))   paid, not yet earned (a liability)
//   earnedUnpaid(D) = max(0, earned(D) − kept(D))   earned, not yet paid (a receivable)
//
// per invoice, each "at the end of date D" (everything dated up to D); the report sums them over
// the invoices, "at the start of `from`" being the end of the day before. Neither is ever
// negative, and they never net across invoices (one client's prepayment is not another's debt).
//
// IDENTITIES (test/unit/domain/revenue.property.test.ts checks each on generated histories):
//  (1) recognized, billed, collected and refunded are sums over dates, so for adjacent ranges
//      a..b and b+1..c each is the sum of the two; and the state at the end of b is the state at
//      the start of b+1: deferredAtEnd(a..b) = deferredAtStart(b+1..c), and likewise earnedUnpaid.
//  (2) Per invoice kept − earned = deferred − earnedUnpaid, and over a range kept moves by
//      collected − refunded and earned by recognized, so
//          deferredAtEnd − earnedUnpaidAtEnd
//            = deferredAtStart − earnedUnpaidAtStart + collected − refunded − recognized.
//      Without receivables (everything delivered was paid for first) this is the textbook
//      deferredAtEnd = deferredAtStart + collected − refunded − recognized.
//  (3) Earned never exceeds what is charged: over all time an invoice earns at most its total
//      (a self-pay invoice exactly its total once the session is over; a package at most its
//      price, and exactly K once cancelled).
//  (4) A package paid in full whose every credit was used (completed or forfeited) has earned its
//      price; a cancelled package whose refund was made has earned paid − refunded.
//  (5) Over all time billed = the sum of the invoices' totals and collected − refunded the sum of
//      what they hold; so when every package is used up or cancelled, every session is over and
//      every refund owed is made, nothing is deferred.
//
// THE REPORT IS A SNAPSHOT: it reads the records as they are now, so a past period's figures can
// still move when something dated in it is recorded later — a session marked completed or
// missed after its day (earned on its day, as docs/api.md says), a refund that fails, a package
// cancel whose credit line is not written yet (until then it keeps what it holds). The
// identities hold within any one snapshot. List prices are the catalog's at the time of the
// report (a package does not lock them); a price change re-weights a package's shares, never
// its total.
//
// Not covered: a program purchase whose package record is missing earns nothing (its money stays
// deferred); a package bought before invoices existed has no invoice and is not in the report.

import type { Appointment, Currency } from './types.ts';
import type { CreditService, Package } from './packages.ts';
import { creditSlots, packageShares } from './allocation.ts';
import { FEE_LINE_SERVICES, isSessionLine, ledgerEntries, totals, type Invoice, type InvoiceLine } from './invoices.ts';
import { assertNoIssues, type FieldIssue } from './errors.ts';
import { dateRangeIssues, isValidDate, localDate } from './time.ts';

// ---------------------------------------------------------------------------------------------
// The range

/** The longest range a report covers, in days, both ends included (a leap year). */
export const MAX_REVENUE_DAYS = 366;

/**
 * What is wrong with `from`..`to` (clinic-local dates, both included) as a report's range: a date
 * that is none, `to` before `from`, or more than MAX_REVENUE_DAYS days (the first of these).
 */
export function revenueRangeIssues(from: string, to: string): FieldIssue[] {
  if (!isValidDate(from)) return [{ path: 'from', message: 'Must be a date YYYY-MM-DD' }];
  if (!isValidDate(to)) return [{ path: 'to', message: 'Must be a date YYYY-MM-DD' }];
  return dateRangeIssues(from, to, { days: MAX_REVENUE_DAYS, message: `The range may cover at most ${MAX_REVENUE_DAYS} days` });
}

/** Throws a ValidationError unless `from`..`to` is a report's range (revenueRangeIssues). */
export function assertRevenueRange(from: string, to: string): void {
  assertNoIssues(revenueRangeIssues(from, to));
}

// ---------------------------------------------------------------------------------------------
// Inputs and the per-invoice streams

export interface RevenueFacts {
  /** The clinic's IANA zone: every instant is dated in it. */
  zone: string;
  /** The clinic's currency: every invoice must be in it. */
  currency: Currency;
  /** policy.lateCancellationForfeitsCredit: whether a package session cancelled late keeps its credit taken. */
  lateCancellationForfeitsCredit: boolean;
  /** The catalog's list prices of the credit services (programs.ts creditListPrices): the weights of the shares. */
  listPrices: Record<CreditService, number>;
  /** The clinic's invoices: at least every one issued up to the end of the range. */
  invoices: readonly Invoice[];
  /** The packages the program invoices bill (others are ignored). */
  packages: readonly Package[];
  /**
   * The clinic's appointments: at least every one starting up to the end of the range (later
   * ones never change what is earned up to then: a share goes by rank of start).
   */
  appointments: readonly Appointment[];
}

export type EarningSource = 'session' | 'fee' | 'package_session' | 'package_settlement';

export interface Earning {
  date: string;
  /** Minor units; negative only for a package settlement that reverses revenue (see the top of this file). */
  amount: number;
  source: EarningSource;
  /** The session earned (all but a package settlement). */
  appointmentId?: string | undefined;
}

export interface DatedAmount {
  date: string;
  amount: number;
}

/** One invoice's money over time (see the top of this file). */
export interface RevenueAccount {
  invoiceId: string;
  /** Ledger charges (+), credits (−) and voids (−). */
  billed: DatedAmount[];
  /** Payments received, each > 0. */
  collected: DatedAmount[];
  /** Refunds given back (pending or succeeded: Stripe accepted them), each > 0. */
  refunded: DatedAmount[];
  earned: Earning[];
}

/** Whether a package session has been delivered or its credit forfeited: its share is earned. */
function consumedCredit(a: Appointment, forfeitsOnLate: boolean): boolean {
  return a.status === 'completed' || a.status === 'no_show' || (a.status === 'cancelled' && a.late === true && forfeitsOnLate);
}

/**
 * The allocated share of each of `pkg`'s appointments that took a credit, by appointment id: the
 * k-th (by start, then id) of a service gets that service's k-th share of the package price;
 * one ranked beyond the program's credits gets 0.
 */
export function packageSessionShares(
  pkg: Pick<Package, 'id' | 'price' | 'credits'>,
  appointments: readonly Appointment[],
  listPrices: Record<CreditService, number>,
  lateCancellationForfeitsCredit: boolean,
): Map<string, number> {
  const includes: Record<CreditService, number> = {
    preparation: Math.max(0, pkg.credits.preparation?.total ?? 0),
    exploration: Math.max(0, pkg.credits.exploration?.total ?? 0),
    integration: Math.max(0, pkg.credits.integration?.total ?? 0),
  };
  const slots = includes.preparation + includes.exploration + includes.integration;
  const shares =
    slots === 0 ? { preparation: [], exploration: [], integration: [] } : packageShares(pkg.price.amount, includes, listPrices);
  const out = new Map<string, number>();
  for (const [id, { service, index }] of creditSlots(pkg.id, appointments, lateCancellationForfeitsCredit)) {
    out.set(id, shares[service][index] ?? 0);
  }
  return out;
}

const sumWhere = (list: readonly DatedAmount[], keep: (date: string) => boolean) =>
  list.reduce((s, x) => (keep(x.date) ? s + x.amount : s), 0);

const live = (l: InvoiceLine) => !l.voided;
const isFeeLine = (l: InvoiceLine) => (FEE_LINE_SERVICES as readonly string[]).includes(l.service);

/** What a self-pay session's invoice earns, and when (see the top of this file). */
function sessionEarnings(invoice: Invoice, appt: Appointment | undefined, zone: string): Earning[] {
  if (!appt) return [];
  const mine = invoice.lines.filter((l) => live(l) && l.appointmentId === appt.id);
  let source: EarningSource;
  let amount: number;
  if (appt.status === 'completed') {
    source = 'session';
    amount = mine.filter(isSessionLine).reduce((s, l) => s + l.amount, 0);
  } else if (appt.status === 'no_show' || (appt.status === 'cancelled' && appt.late === true)) {
    source = 'fee';
    amount = mine.filter(isFeeLine).reduce((s, l) => s + l.amount, 0);
  } else {
    return [];
  }
  return amount === 0 ? [] : [{ date: localDate(appt.startsAt, zone), amount, source, appointmentId: appt.id }];
}

/** When a package was cancelled (epoch ms), or undefined while it is not. */
function cancelledAt(pkg: Package): number | undefined {
  if (pkg.cancellation) return pkg.cancellation.at;
  return pkg.status === 'cancelled' ? pkg.updatedAt : undefined;
}

/** What a program purchase's invoice earns, and when (see the top of this file). */
function packageEarnings(
  invoice: Invoice,
  pkg: Package | undefined,
  sessions: readonly Appointment[],
  facts: RevenueFacts,
  cash: readonly DatedAmount[],
): Earning[] {
  if (!pkg) return [];
  const forfeits = facts.lateCancellationForfeitsCredit;
  const shares = packageSessionShares(pkg, sessions, facts.listPrices, forfeits);
  const out: Earning[] = [];
  for (const a of sessions) {
    const share = shares.get(a.id);
    if (share === undefined || share === 0 || !consumedCredit(a, forfeits)) continue;
    out.push({ date: localDate(a.startsAt, facts.zone), amount: share, source: 'package_session', appointmentId: a.id });
  }
  const at = cancelledAt(pkg);
  if (at === undefined) return out;
  const c = localDate(at, facts.zone);
  const before = out.filter((e) => e.date <= c);
  // what the clinic keeps of it by the end of date d, at most what its invoice still charges
  const { total } = totals(invoice);
  const keepsBy = (d: string) =>
    Math.max(
      0,
      Math.min(
        sumWhere(cash, (x) => x <= d),
        total,
      ),
    );
  let kept = keepsBy(c);
  const settlement = kept - before.reduce((s, e) => s + e.amount, 0);
  const earned = settlement === 0 ? before : [...before, { date: c, amount: settlement, source: 'package_settlement' as const }];
  // money it still owed and paid after the cancel (its invoice's checkout) is earned when it comes in
  for (const d of [...new Set(cash.map((x) => x.date).filter((x) => x > c))].sort()) {
    const now = keepsBy(d);
    if (now !== kept) earned.push({ date: d, amount: now - kept, source: 'package_settlement' });
    kept = now;
  }
  return earned;
}

/**
 * Each invoice's billed, collected, refunded and earned streams (see the top of this file). Throws
 * RangeError on an invoice in another currency or an unknown zone.
 */
export function revenueAccounts(facts: RevenueFacts): RevenueAccount[] {
  const appointments = new Map(facts.appointments.map((a) => [a.id, a]));
  const packages = new Map(facts.packages.map((p) => [p.id, p]));
  const byPackage = new Map<string, Appointment[]>();
  for (const a of facts.appointments) {
    if (a.packageId === undefined) continue;
    const list = byPackage.get(a.packageId);
    if (list) list.push(a);
    else byPackage.set(a.packageId, [a]);
  }
  return facts.invoices.map((invoice) => {
    if (invoice.currency !== facts.currency) throw new RangeError(`Invoice ${invoice.id} is in ${invoice.currency}, not ${facts.currency}`);
    const account: RevenueAccount = { invoiceId: invoice.id, billed: [], collected: [], refunded: [], earned: [] };
    for (const e of ledgerEntries(invoice, facts.zone)) {
      const dated = { date: e.date, amount: e.amount };
      if (e.kind === 'payment') account.collected.push({ date: e.date, amount: -e.amount });
      else if (e.kind === 'refund') account.refunded.push(dated);
      else account.billed.push(dated);
    }
    if (invoice.packageId !== undefined) {
      const sessions = byPackage.get(invoice.packageId) ?? [];
      const cash = [...account.collected, ...account.refunded.map((r) => ({ date: r.date, amount: -r.amount }))];
      account.earned = packageEarnings(invoice, packages.get(invoice.packageId), sessions, facts, cash);
    } else if (invoice.appointmentId !== undefined) {
      account.earned = sessionEarnings(invoice, appointments.get(invoice.appointmentId), facts.zone);
    }
    return account;
  });
}

// ---------------------------------------------------------------------------------------------
// The report

export interface RevenueFigures {
  /** Earned on the range's dates (negative only when package settlements reverse more than was earned). */
  recognized: number;
  /** Paid and not yet earned, at the start of `from` and at the end of `to`. */
  deferredAtStart: number;
  deferredAtEnd: number;
  /** Charges less credits and voids dated in the range (negative when credits outweigh charges). */
  billed: number;
  /** Payments received in the range. */
  collected: number;
  /** Refunds given in the range. */
  refunded: number;
  /** Earned and not yet paid (extension), at the start of `from` and at the end of `to`. */
  earnedUnpaidAtStart: number;
  earnedUnpaidAtEnd: number;
}

/**
 * The figures of the range `from`..`to` (clinic-local dates, both included) over the accounts.
 * Throws RangeError unless both are dates and `from` ≤ `to` (the service checks the request with
 * assertRevenueRange first).
 */
export function revenueFigures(accounts: readonly RevenueAccount[], from: string, to: string): RevenueFigures {
  if (!isValidDate(from) || !isValidDate(to) || to < from) throw new RangeError(`Not a range of dates: ${from}..${to}`);
  const before = (d: string) => d < from;
  const upToEnd = (d: string) => d <= to;
  const inRange = (d: string) => d >= from && d <= to;
  const f: RevenueFigures = {
    recognized: 0,
    deferredAtStart: 0,
    deferredAtEnd: 0,
    billed: 0,
    collected: 0,
    refunded: 0,
    earnedUnpaidAtStart: 0,
    earnedUnpaidAtEnd: 0,
  };
  for (const a of accounts) {
    f.recognized += sumWhere(a.earned, inRange);
    f.billed += sumWhere(a.billed, inRange);
    f.collected += sumWhere(a.collected, inRange);
    f.refunded += sumWhere(a.refunded, inRange);
    const gap = (keep: (d: string) => boolean) => sumWhere(a.collected, keep) - sumWhere(a.refunded, keep) - sumWhere(a.earned, keep);
    const atStart = gap(before);
    const atEnd = gap(upToEnd);
    f.deferredAtStart += Math.max(0, atStart);
    f.earnedUnpaidAtStart += Math.max(0, -atStart);
    f.deferredAtEnd += Math.max(0, atEnd);
    f.earnedUnpaidAtEnd += Math.max(0, -atEnd);
  }
  return f;
}

/** revenueFigures over revenueAccounts(facts). */
export function revenueReport(facts: RevenueFacts, from: string, to: string): RevenueFigures {
  return revenueFigures(revenueAccounts(facts), from, to);
}
