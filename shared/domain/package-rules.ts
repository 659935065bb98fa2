// Rules of a purchased package: which bookings its credits allow, what a cancel refunds, and how
// payment facts (from verified Stripe webhooks, or the local checkout) move its state.
//
// Payment facts are idempotent and order-independent ("the same end state whatever the
// delivery order and however often an event comes"). A package keeps the log of the facts it has
// seen (`facts`, kept in a canonical order); applying a fact records it once — the same kind and
// ref again changes nothing — and then everything payment-related is DERIVED from the whole log,
// never from arrival order: the status, the installment statuses and attempts, the payments list
// and the refunded total. So any permutation of any multiset of facts gives the same package.
//
// The log is an extra field on the stored package (PackageWithFacts; Package in packages.ts has
// no field for it). A package read without it — written before the log existed, or by code that
// dropped it — is read as the facts its payments list and status imply (factsOf), which gives the
// same status for everything but one case: an unpaid package cancelled by an expired checkout
// is then read as explicitly cancelled (final).
//
// Pure: no clock (facts carry their own `at`), no I/O, inputs never mutated.

import { ConflictError, NotFoundError, RuleViolation, type AppError, type RuleName } from '#domain/errors.ts';
import type {
  CreditLine,
  CreditService,
  Installment,
  InstallmentPlan,
  InstallmentStatus,
  Package,
  PackageStatus,
  PaymentKind,
  PaymentRecord,
} from '#domain/packages.ts';
import { CREDIT_SERVICES } from '#domain/packages.ts';
import type { Appointment, AppointmentStatus, ServiceCode } from '#domain/types.ts';

// ---------------------------------------------------------------------------------------------
// Credits

/** The credit a booking of `service` takes from a package, or null when packages do not cover it. */
export function creditServiceFor(service: ServiceCode): CreditService | null {
  return (CREDIT_SERVICES as readonly string[]).includes(service) ? (service as CreditService) : null;
}

/** Credits left on a line: never below zero, whatever the stored numbers. */
export function remaining(line: CreditLine): number {
  return Math.max(0, line.total - line.used);
}

/** Fresh credit lines for a program's `includes`, none used. */
export function creditsFor(includes: Record<CreditService, number>): Record<CreditService, CreditLine> {
  const out = {} as Record<CreditService, CreditLine>;
  for (const code of CREDIT_SERVICES) out[code] = { total: includes[code], used: 0 };
  return out;
}

/** Package statuses whose credits cannot be used at all. */
export const UNUSABLE_PACKAGE_STATUSES: readonly PackageStatus[] = ['pending_payment', 'cancelled', 'completed'];

/**
 * The rule a booking of `service` against `pkg` breaks, or null when one credit may be taken.
 * In the order of docs/api.md, "Errors":
 *  - 'no_credit': the package does not cover the service, has none of it left, or cannot be used
 *    (not paid yet, cancelled, completed);
 *  - 'payment_past_due': an exploration against a past-due package (preparation and integration
 *    stay bookable while an installment is past due).
 */
export function creditCheck(pkg: Package, service: ServiceCode): RuleName | null {
  const code = creditServiceFor(service);
  if (code === null) return 'no_credit';
  const line = pkg.credits[code];
  if (!line || remaining(line) < 1) return 'no_credit';
  if (UNUSABLE_PACKAGE_STATUSES.includes(pkg.status)) return 'no_credit';
  if (code === 'exploration' && pkg.status === 'past_due') return 'payment_past_due';
  return null;
}

/** What a package holds: its succeeded charges less its succeeded refunds, from 0 to its price. */
export function packageNetPaid(pkg: Pick<Package, 'payments' | 'price'>): number {
  let net = 0;
  for (const p of pkg.payments) {
    if (p.status !== 'succeeded') continue;
    net += p.kind === 'refund' ? -p.amount.amount : p.amount.amount;
  }
  return Math.min(pkg.price.amount, Math.max(0, net));
}

/** Package statuses in which the sessions booked against a package count as paid for. */
export const PAID_PACKAGE_STATUSES: readonly PackageStatus[] = ['active', 'completed'];

/**
 * Whether the sessions that stand on a package are paid for (undefined: no package, or not found):
 * the front desk's 'unpaid' flag is every other case.
 *  - active, completed: yes (an installment plan in good standing counts as paid);
 *  - pending payment, past due: no;
 *  - cancelled: when what the client has paid and kept covers the value the cancel fixed as used,
 *    at most the price (`cancelledCharge`, the charge its invoice keeps), whether or not the
 *    refund of the rest has been made yet. Paid in full and cancelled is paid up; an installment
 *    plan cancelled short of what its used sessions are worth is not, until the rest is paid on
 *    the package's invoice (its own checkout, once cancelled): `invoiceHeld` is what that invoice
 *    holds, paid less refunded. A package cancelled before that value was fixed (a checkout that
 *    expired unpaid) has paid for nothing.
 */
export function packagePaidUp(pkg: Pick<Package, 'status' | 'payments' | 'price' | 'cancellation'> | undefined, invoiceHeld = 0): boolean {
  if (!pkg) return false;
  if (PAID_PACKAGE_STATUSES.includes(pkg.status)) return true;
  const kept = cancelledCharge(pkg);
  return pkg.status === 'cancelled' && kept !== undefined && Math.max(packageNetPaid(pkg), invoiceHeld) >= kept;
}

/**
 * What a package cancelled by staff still charges once the cancel fixed the value used: that
 * value, at most the price (its invoice's credit line is never a charge: applyPackageCancel).
 * Undefined before the value is fixed.
 */
export function cancelledCharge(pkg: Pick<Package, 'price' | 'cancellation'>): number | undefined {
  const used = pkg.cancellation?.usedValue;
  return used === undefined ? undefined : Math.min(Math.max(0, used), pkg.price.amount);
}

/**
 * The statuses a package must still be in when a booking of `service` takes its credit: the
 * condition on the credit write, so that a package that falls past due or is cancelled while the
 * booking is in flight is not drawn on. An exploration needs the package in good standing;
 * preparation and integration stay bookable while an installment is past due (docs/api.md).
 */
export function creditUsableIn(service: ServiceCode): PackageStatus[] {
  return service === 'exploration' ? ['active'] : ['active', 'past_due'];
}

/**
 * What a booking of `service` against `pkg` sees of it, for the booking rules: the credits left on
 * the service's line (none while the package cannot be used at all) and whether it is past due.
 * Past due keeps its credits here so that an exploration is refused as payment_past_due, not as
 * no_credit.
 */
export function bookingCreditState(pkg: Package, service: ServiceCode): { remaining: number; pastDue: boolean } {
  const code = creditServiceFor(service);
  const line = code ? pkg.credits[code] : undefined;
  const usable = !UNUSABLE_PACKAGE_STATUSES.includes(pkg.status);
  return { remaining: usable && line ? remaining(line) : 0, pastDue: pkg.status === 'past_due' };
}

/**
 * What moving a session already booked against `pkg` sees of it: the session holds its credit
 * (so never no_credit), but a past-due package moves no exploration, as it books none.
 */
export function movingCreditState(pkg: Package): { remaining: number; pastDue: boolean } {
  return { remaining: 1, pastDue: pkg.status === 'past_due' };
}

// ---------------------------------------------------------------------------------------------
// A program credit for a session booked and paid singly

/** Appointment statuses in which a session booked self-pay may still be paid by a program credit. */
export const CREDIT_USE_STATUSES: readonly AppointmentStatus[] = ['booked', 'checked_in'];

/** Package statuses whose credits a session booked self-pay may take (the rest refuse it: 409). */
export const CREDIT_USE_PACKAGE_STATUSES: readonly PackageStatus[] = ['active', 'past_due'];

/** Why a credit of a package may not pay for an appointment booked self-pay; each maps to one answer (creditUseError). */
export type CreditUseRefusal =
  | { kind: 'not_found' }
  | { kind: 'conflict'; reason: 'appointment_status' | 'paid_by_package' | 'package_status' }
  | { kind: 'rule'; rule: 'no_credit' | 'payment_past_due' };

/**
 * Whether `pkg` may pay for `appt` with one credit, instead of its own invoice (docs/domain.md,
 * "A program credit for a session booked singly"); null when it may. First match:
 *  - not_found: no such package, or another client's or clinic's (as a booking with it: 404);
 *  - conflict: the appointment is no longer booked or checked in, or a package pays for it
 *    already; the package is not active or past due (not paid yet, cancelled, completed);
 *  - rule no_credit: no credit of the session's service left, or none in the program at all
 *    (an intake, ongoing care); then payment_past_due for an exploration on a past-due package,
 *    in the booking rule's order (creditCheck).
 */
export function creditUseRefusal(
  appt: Pick<Appointment, 'clientId' | 'clinicId' | 'status' | 'service' | 'packageId'>,
  pkg: Pick<Package, 'clientId' | 'clinicId' | 'status' | 'credits'> | null | undefined,
): CreditUseRefusal | null {
  if (!pkg || pkg.clientId !== appt.clientId || pkg.clinicId !== appt.clinicId) return { kind: 'not_found' };
  if (!CREDIT_USE_STATUSES.includes(appt.status)) return { kind: 'conflict', reason: 'appointment_status' };
  if (appt.packageId !== undefined) return { kind: 'conflict', reason: 'paid_by_package' };
  if (!CREDIT_USE_PACKAGE_STATUSES.includes(pkg.status)) return { kind: 'conflict', reason: 'package_status' };
  const code = creditServiceFor(appt.service);
  const line = code ? pkg.credits[code] : undefined;
  if (!line || remaining(line) < 1) return { kind: 'rule', rule: 'no_credit' };
  if (code === 'exploration' && pkg.status === 'past_due') return { kind: 'rule', rule: 'payment_past_due' };
  return null;
}

const CREDIT_USE_CONFLICTS: Record<Extract<CreditUseRefusal, { kind: 'conflict' }>['reason'], string> = {
  appointment_status: 'Only a session still booked or checked in can be paid with a program credit',
  paid_by_package: 'A program pays for this session already',
  package_status: 'This program cannot pay for sessions now',
};

/** The error a refusal answers with (404, 409 or 422). */
export function creditUseError(refusal: CreditUseRefusal): AppError {
  switch (refusal.kind) {
    case 'not_found':
      return new NotFoundError('package');
    case 'conflict':
      return new ConflictError(CREDIT_USE_CONFLICTS[refusal.reason]);
    case 'rule':
      return new RuleViolation(
        refusal.rule,
        refusal.rule === 'no_credit' ? 'The package has no credit left for this service' : 'A payment on the package is past due',
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Refunds

export interface RefundInput {
  /** What the client has paid and not yet had back, minor units. */
  paid: number;
  /** Sessions used (or forfeited) per credit service. */
  used: Record<CreditService, number>;
  /** List price per credit service, minor units, the package currency. */
  listPrices: Record<CreditService, number>;
}

/**
 * What a cancel refunds: what was paid minus the list value of the sessions used, never
 * negative and never more than was paid. Throws RangeError on amounts or counts that are not
 * whole numbers ≥ 0.
 */
export function refundDue(input: RefundInput): number {
  const { paid } = input;
  if (!Number.isSafeInteger(paid) || paid < 0) throw new RangeError(`Not an amount paid: ${paid}`);
  return Math.min(paid, Math.max(0, paid - usedValue(input.used, input.listPrices)));
}

/**
 * The list value of the sessions used (or forfeited): what a cancelled package keeps, and so the
 * charge its invoice is left with (applyPackageCancel in invoices.ts). Throws RangeError on counts
 * or prices that are not whole numbers ≥ 0.
 */
export function usedValue(used: Record<CreditService, number>, listPrices: Record<CreditService, number>): number {
  let value = 0;
  for (const code of CREDIT_SERVICES) {
    const n = used[code] ?? 0;
    const price = listPrices[code] ?? 0;
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Not a count of used ${code} sessions: ${n}`);
    if (!Number.isSafeInteger(price) || price < 0) throw new RangeError(`Not a list price for ${code}: ${price}`);
    value += n * price;
  }
  return value;
}

/**
 * What cancelling `pkg` refunds: what its succeeded charges paid minus the list value of the
 * sessions used (refundDue), less what was refunded already. `credits` are the package's credits
 * once its future sessions gave theirs back, so only sessions held or forfeited count as used.
 */
export function cancelRefundDue(
  pkg: Pick<Package, 'payments'>,
  credits: Record<CreditService, CreditLine>,
  listPrices: Record<CreditService, number>,
): number {
  const succeeded = pkg.payments.filter((x) => x.status === 'succeeded');
  const paid = succeeded.filter((x) => x.kind !== 'refund').reduce((s, x) => s + x.amount.amount, 0);
  const refunded = succeeded.filter((x) => x.kind === 'refund').reduce((s, x) => s + x.amount.amount, 0);
  const used = { preparation: credits.preparation.used, exploration: credits.exploration.used, integration: credits.integration.used };
  return Math.max(0, refundDue({ paid, used, listPrices }) - refunded);
}

export interface CancelPreview {
  /** What the cancel would refund (cancelRefundDue), minor units. */
  refund: number;
  /** What the client has paid and not had back, minor units. */
  paid: number;
  /** The list value of the sessions used or missed, which the package keeps (at most what was paid is refunded against it). */
  keeps: number;
  /** Booked sessions after `now` that the cancel would cancel free of charge, giving their credits back. */
  futureSessions: number;
  /** Sessions that started and are not marked completed or missed yet: while any is left, the cancel is refused (409). */
  unresolvedSessions: number;
}

/**
 * What cancelling `pkg` at `now` would do, said before anyone confirms it: the same reckoning as
 * the cancel itself (cancelRefundDue, usedValue), on the credits as they will be once the
 * package's booked sessions after `now` gave theirs back. `appointments`: the client's.
 */
export function cancelPreview(
  pkg: Pick<Package, 'id' | 'payments' | 'credits'>,
  appointments: readonly Appointment[],
  listPrices: Record<CreditService, number>,
  now: number,
): CancelPreview {
  const future = appointments.filter((a) => a.packageId === pkg.id && a.status === 'booked' && a.startsAt > now);
  const credits = { ...pkg.credits };
  for (const a of future) {
    const code = creditServiceFor(a.service);
    if (code) credits[code] = { ...credits[code], used: Math.max(0, credits[code].used - 1) };
  }
  const used = { preparation: credits.preparation.used, exploration: credits.exploration.used, integration: credits.integration.used };
  let paid = 0;
  for (const x of pkg.payments) if (x.status === 'succeeded') paid += x.kind === 'refund' ? -x.amount.amount : x.amount.amount;
  return {
    refund: cancelRefundDue(pkg, credits, listPrices),
    paid: Math.max(0, paid),
    keeps: usedValue(used, listPrices),
    futureSessions: future.length,
    unresolvedSessions: unresolvedSessions(pkg.id, appointments, now).length,
  };
}

/**
 * How long a cancel request holds a package's unfinished cancel: longer than the payments
 * function may run (25 s), so two requests never work on it at once.
 */
export const CANCEL_CLAIM_MS = 30_000;

/**
 * The package's sessions that started before `at` and are still booked or checked in: nobody has
 * said yet whether they took place (completed) or were missed (no-show). A cancel waits for that
 * (409): it refunds what was paid less the sessions completed or forfeited, and a session left
 * open would either be refunded although it was given or charged although it never happened.
 */
export function unresolvedSessions(packageId: string, appointments: readonly Appointment[], at: number): Appointment[] {
  return appointments.filter((a) => a.packageId === packageId && (a.status === 'booked' || a.status === 'checked_in') && a.startsAt <= at);
}

/**
 * Where a staff cancel of `pkg` stands at `now`: 'none', not cancelled yet; 'unfinished',
 * cancelled by a staff cancel whose refund is not finished (cancelling again resumes it);
 * 'in_progress', unfinished and claimed by a request working on it until `claimedUntil`
 * (cancelling meanwhile is a 409; without `now`, never); 'settled', nothing is left to do
 * (cancelling again is a 409). A package cancelled by its expired checkout has no cancellation
 * record, and counts as settled.
 */
export function cancelProgress(
  pkg: Pick<Package, 'status' | 'cancellation'>,
  now?: number,
): 'none' | 'unfinished' | 'in_progress' | 'settled' {
  if (pkg.status !== 'cancelled') return 'none';
  const c = pkg.cancellation;
  if (!c || c.settledAt !== undefined) return 'settled';
  return now !== undefined && c.claimedUntil !== undefined && c.claimedUntil > now ? 'in_progress' : 'unfinished';
}

/**
 * Whether a program's invoice takes payments of its own (its Checkout, a payment at the desk).
 * Not while its package's checkout and installment plan pay it: a payment beside them would not
 * pay the plan, whose next installment would charge the card anyway. Once the package's cancel is
 * settled nothing else can collect what it still owes (sessions used beyond what was paid, the
 * installments having stopped), so the invoice is paid like any other.
 */
export function programInvoiceTakesPayments(pkg: Pick<Package, 'status' | 'cancellation'> | null): boolean {
  return pkg !== null && cancelProgress(pkg) === 'settled';
}

export interface RefundShare {
  payment: PaymentRecord;
  /** Its position in the payments list: where the search for the next share goes on from. */
  index: number;
  /** Minor units to refund of that payment. */
  amount: number;
}

/**
 * The next part of a refund of `left` across the payments made (`payments` oldest first, as on the
 * package): from the newest succeeded charge before index `below`, at most what that charge paid.
 * Null when nothing is left to refund or no charge is left to take it from. Refunds go newest
 * first, so an installment plan's latest charges are undone before its down payment. One share
 * at a time, because whether a charge can be refunded (has a payment intent) is only learnt by
 * asking Stripe: the next call starts below the share's index, so the share of a charge that
 * could not be refunded falls to the next older one.
 */
export function nextRefundShare(left: number, payments: readonly PaymentRecord[], below = payments.length): RefundShare | null {
  if (left <= 0) return null;
  for (let index = Math.min(below, payments.length) - 1; index >= 0; index--) {
    const payment = payments[index]!;
    if (payment.kind === 'refund' || payment.status !== 'succeeded') continue;
    return { payment, index, amount: Math.min(left, payment.amount.amount) };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Payment facts

export const PAYMENT_FACT_KINDS = [
  'checkout_paid',
  'checkout_failed',
  'checkout_expired',
  'installment_paid',
  'installment_failed',
  'refunded',
  'cancelled',
  /** A refund Stripe accepted and later failed (refund.failed): its ref is the refund's, and nothing is given back. */
  'refund_failed',
] as const;
export type PaymentFactKind = (typeof PAYMENT_FACT_KINDS)[number];

export type PaymentFact = {
  kind: PaymentFactKind;
  /**
   * The Stripe object it came from (checkout session, invoice, refund, …): with `kind`, the
   * fact's identity. A retried charge that fails again is a new fact, so for installment_failed
   * use an id of the attempt (charge or event id), not the invoice's.
   */
  ref: string;
  /** When it happened (the Stripe object's time), epoch ms. */
  at: number;
  /** Minor units. Defaults: the down payment or full price (checkout), the installment's amount. Required for refunded. */
  amount?: number;
  /** 1-based installment number; required for installment_paid and installment_failed. */
  installment?: number;
};

/** A package with the log of the payment facts it has seen, in canonical order. */
export type PackageWithFacts = Package & { facts: PaymentFact[] };

/** Facts that are charges or refunds: each gets one entry in the payments list. */
const MONEY_FACTS: readonly PaymentFactKind[] = ['checkout_paid', 'checkout_failed', 'installment_paid', 'installment_failed', 'refunded'];

const factKey = (f: Pick<PaymentFact, 'kind' | 'ref'>) => `${f.kind}\u0000${f.ref}`;

function compareFacts(a: PaymentFact, b: PaymentFact): number {
  return (
    a.at - b.at || PAYMENT_FACT_KINDS.indexOf(a.kind) - PAYMENT_FACT_KINDS.indexOf(b.kind) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0)
  );
}

function assertFact(pkg: Package, fact: PaymentFact): void {
  if (!fact || !PAYMENT_FACT_KINDS.includes(fact.kind)) throw new RangeError(`Not a payment fact kind: ${fact?.kind}`);
  if (typeof fact.ref !== 'string' || fact.ref === '') throw new RangeError('A payment fact needs a ref');
  if (typeof fact.at !== 'number' || !Number.isFinite(fact.at)) throw new RangeError(`Not an instant: ${fact.at}`);
  if (fact.amount !== undefined && (!Number.isSafeInteger(fact.amount) || fact.amount < 0)) {
    throw new RangeError(`Not an amount in minor units: ${fact.amount}`);
  }
  if (fact.kind === 'refunded' && fact.amount === undefined) throw new RangeError('A refund fact needs its amount');
  if (fact.kind === 'installment_paid' || fact.kind === 'installment_failed') {
    const n = fact.installment;
    if (!pkg.plan) throw new RangeError(`Package ${pkg.id} has no installment plan`);
    if (n === undefined || !Number.isSafeInteger(n) || n < 1 || n > pkg.plan.installments.length) {
      throw new RangeError(`Not an installment of package ${pkg.id}: ${n}`);
    }
  }
}

/** Copy of a fact with only its own fields (no stray properties reach the stored log). */
function cleanFact(f: PaymentFact): PaymentFact {
  const out: PaymentFact = { kind: f.kind, ref: f.ref, at: f.at };
  if (f.amount !== undefined) out.amount = f.amount;
  if (f.installment !== undefined) out.installment = f.installment;
  return out;
}

/**
 * The facts a package has recorded. A package without a log (see the top of this file) is read
 * as the facts its payments list, installment statuses and cancelled status imply.
 */
export function factsOf(pkg: Package): PaymentFact[] {
  const log = (pkg as Partial<PackageWithFacts>).facts;
  if (Array.isArray(log)) return log.map(cleanFact);

  const facts: PaymentFact[] = [];
  const seen = new Set<string>();
  const add = (f: PaymentFact) => {
    if (seen.has(factKey(f))) return;
    seen.add(factKey(f));
    facts.push(f);
  };
  for (const p of pkg.payments) {
    const base = { ref: p.ref, at: p.at, amount: p.amount.amount };
    if (p.kind === 'refund') {
      if (p.status !== 'failed') add({ kind: 'refunded', ...base });
    } else if (p.kind === 'installment') {
      if (p.installment !== undefined && p.status !== 'pending') {
        add({ kind: p.status === 'succeeded' ? 'installment_paid' : 'installment_failed', ...base, installment: p.installment });
      }
    } else if (p.status !== 'pending') {
      add({ kind: p.status === 'succeeded' ? 'checkout_paid' : 'checkout_failed', ...base });
    }
  }
  for (const inst of pkg.plan?.installments ?? []) {
    const has = (kind: PaymentFactKind) => facts.some((f) => f.kind === kind && f.installment === inst.n);
    if (inst.status === 'paid' && !has('installment_paid')) {
      add({ kind: 'installment_paid', ref: `plan:${inst.n}:paid`, at: pkg.updatedAt, installment: inst.n });
    }
    if (inst.status === 'failed' && !has('installment_failed')) {
      add({ kind: 'installment_failed', ref: `plan:${inst.n}:failed`, at: pkg.updatedAt, installment: inst.n });
    }
  }
  if (pkg.status === 'cancelled') add({ kind: 'cancelled', ref: 'status:cancelled', at: pkg.updatedAt });
  return facts.sort(compareFacts);
}

/** Whether a fact with this kind and ref has been recorded on the package already. */
export function isRecorded(pkg: Package, fact: Pick<PaymentFact, 'kind' | 'ref'>): boolean {
  const key = factKey(fact);
  return factsOf(pkg).some((f) => factKey(f) === key);
}

/**
 * Records a payment fact on a NEW package and re-derives its payment state from all recorded
 * facts. A fact whose kind and ref are recorded already changes nothing (the first one stays).
 *
 * Derived, whatever the order facts arrived in:
 *  - installment n: 'paid' once any installment_paid for n is recorded (a success is final: a
 *    failure report for the same charge, whenever stamped, cannot un-collect money); else
 *    'cancelled' when the package is over; else 'failed' when a failure is recorded; else
 *    'scheduled'. attempts = failures recorded + 1 when paid.
 *  - status: 'cancelled' after a cancelled fact (final), or when the checkout expired and was
 *    never paid; 'pending_payment' until a checkout_paid (a failed checkout stays pending);
 *    then 'past_due' while any installment is failed; 'completed' when every credit is used and
 *    nothing is owed (every installment paid); else 'active'.
 *  - payments: one record per charge fact (paid or failed) and per refund, oldest first; a
 *    refund with a refund_failed fact of the same ref is 'failed'.
 *  - refunded: the sum of the refund facts that did not fail, when there are any.
 *
 * Throws RangeError on a malformed fact (see PaymentFact), or an installment fact for an
 * installment the plan does not have.
 */
export function applyFact(pkg: Package, fact: PaymentFact): PackageWithFacts {
  assertFact(pkg, fact);
  const facts = factsOf(pkg);
  if (!facts.some((f) => factKey(f) === factKey(fact))) facts.push(cleanFact(fact));
  return derive(pkg, facts);
}

/**
 * When the purchase lapsed: the time of its checkout's expiry, for a package that expiry cancelled
 * (nothing was ever paid, no staff cancel); undefined for any other package.
 */
export function lapsedAt(pkg: Package): number | undefined {
  const facts = factsOf(pkg);
  if (pkg.cancellation || facts.some((f) => f.kind === 'checkout_paid')) return undefined;
  return facts.find((f) => f.kind === 'checkout_expired')?.at;
}

/** The package's status derived again from its facts and credits (e.g. after a credit is used or returned). */
export function packageStatus(pkg: Package): PackageStatus {
  return derive(pkg, factsOf(pkg)).status;
}

function derive(pkg: Package, unsorted: PaymentFact[]): PackageWithFacts {
  const facts = [...unsorted].sort(compareFacts);
  const has = (kind: PaymentFactKind) => facts.some((f) => f.kind === kind);
  const paid = has('checkout_paid');
  const over = has('cancelled') || (!paid && has('checkout_expired'));

  let plan: InstallmentPlan | undefined;
  if (pkg.plan) {
    const installments = pkg.plan.installments.map((inst): Installment => {
      const outcomes = facts.filter((f) => f.installment === inst.n && (f.kind === 'installment_paid' || f.kind === 'installment_failed'));
      const succeeded = outcomes.some((f) => f.kind === 'installment_paid');
      const failures = outcomes.filter((f) => f.kind === 'installment_failed').length;
      const status: InstallmentStatus = succeeded ? 'paid' : over ? 'cancelled' : failures > 0 ? 'failed' : 'scheduled';
      return { ...inst, status, attempts: failures + (succeeded ? 1 : 0) };
    });
    plan = { ...pkg.plan, installments };
  }

  let status: PackageStatus;
  if (over) status = 'cancelled';
  else if (!paid) status = 'pending_payment';
  else if (plan?.installments.some((i) => i.status === 'failed')) status = 'past_due';
  else if (allCreditsUsed(pkg) && (plan?.installments.every((i) => i.status === 'paid') ?? true)) status = 'completed';
  else status = 'active';

  const currency = pkg.price.currency;
  const payments: PaymentRecord[] = facts.filter((f) => MONEY_FACTS.includes(f.kind)).map((f) => paymentRecord(pkg, f, currency));
  const failedRefunds = new Set(facts.filter((f) => f.kind === 'refund_failed').map((f) => f.ref));
  for (const p of payments) if (p.kind === 'refund' && failedRefunds.has(p.ref)) p.status = 'failed';
  const refunds = facts.filter((f) => f.kind === 'refunded');
  const given = refunds.filter((f) => !failedRefunds.has(f.ref));
  const refunded = refunds.length > 0 ? { amount: given.reduce((s, f) => s + (f.amount ?? 0), 0), currency } : pkg.refunded;

  const next: PackageWithFacts = { ...pkg, status, payments, facts };
  if (plan) next.plan = plan;
  if (refunded !== undefined) next.refunded = refunded;
  return next;
}

function allCreditsUsed(pkg: Package): boolean {
  return CREDIT_SERVICES.every((code) => {
    const line = pkg.credits[code];
    return !line || remaining(line) === 0;
  });
}

function paymentRecord(pkg: Package, f: PaymentFact, currency: Package['price']['currency']): PaymentRecord {
  const checkoutKind: PaymentKind = pkg.payment === 'installments' ? 'down_payment' : 'full';
  const checkoutAmount = pkg.plan ? pkg.plan.downPayment : pkg.price.amount;
  switch (f.kind) {
    case 'checkout_paid':
    case 'checkout_failed':
      return {
        ref: f.ref,
        kind: checkoutKind,
        amount: { amount: f.amount ?? checkoutAmount, currency },
        status: f.kind === 'checkout_paid' ? 'succeeded' : 'failed',
        at: f.at,
      };
    case 'installment_paid':
    case 'installment_failed': {
      const inst = pkg.plan?.installments.find((i) => i.n === f.installment);
      return {
        ref: f.ref,
        kind: 'installment',
        amount: { amount: f.amount ?? inst?.amount ?? 0, currency },
        status: f.kind === 'installment_paid' ? 'succeeded' : 'failed',
        at: f.at,
        installment: f.installment,
      };
    }
    default:
      return { ref: f.ref, kind: 'refund', amount: { amount: f.amount ?? 0, currency }, status: 'succeeded', at: f.at };
  }
}

/** The earliest installment still to be charged (scheduled, or failed and to be retried); none when the package is over. */
export function nextUnpaidInstallment(pkg: Package): Installment | undefined {
  if (pkg.status === 'cancelled') return undefined;
  return [...(pkg.plan?.installments ?? [])].sort((a, b) => a.n - b.n).find((i) => i.status === 'scheduled' || i.status === 'failed');
}

// ---------------------------------------------------------------------------------------------
// Another card for an installment plan

/**
 * Why the client may not give another card for the package's installments now (null: it may).
 * Only an installment plan still running has a card to replace: its down payment paid and its
 * Stripe schedule made (so a customer to save the card on), not cancelled, not completed, some
 * installment still to be charged. The same test runs when the card comes back from Stripe, so a
 * card saved after a cancel changes nothing.
 */
export function paymentMethodChangeRefusal(pkg: Package): string | null {
  if (pkg.payment !== 'installments' || !pkg.plan) return 'This program is not paid in installments';
  const status = packageStatus(pkg);
  if (status !== 'active' && status !== 'past_due') return `This program is ${status.replace('_', ' ')}: its payment plan is not open`;
  if (pkg.cancellation !== undefined) return 'This program is cancelled: its payment plan is not open';
  if (!pkg.stripe.scheduleId || !pkg.stripe.customerId) return 'The payment plan has not started yet';
  if (!nextUnpaidInstallment({ ...pkg, status })) return 'Every payment of the plan is made';
  return null;
}
