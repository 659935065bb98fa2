// Invoices (docs/api.md, "Invoices"; docs/domain.md, "Self-pay invoices"): what a client owes for
// a self-pay session or a program purchase, what was paid and refunded, and the finance ledger
// entries that follow from it.
//
// An invoice is a value; every function here takes one and returns a new one (never mutating its
// input), or returns the SAME object when the change is already recorded, so callers can skip the
// write. Pure: no clock (every change carries its own `at`, epoch ms), no I/O, no Stripe.
//
// Money is integer minor units in the invoice's one currency (docs/domain.md, "Money"). Inputs that
// arrive from outside (prices, fees, payments, refunds) come as Money and are checked against it;
// what is stored is plain integers.
//
// Idempotency and order. Payments and refunds are facts from Stripe (webhooks, or the answer to a
// call we made) and may be delivered twice or out of order, like the package payment facts of
// package-rules.ts. They are merged, not appended: a payment or refund is identified by its
// reference, kept once, and the lists are kept in a canonical order (by time, then reference), so
// any delivery order of the same facts gives the same invoice. A refund's status only moves up
// pending → succeeded → failed (see REFUND_STATUS_RANK), so a late 'pending' never undoes a
// terminal state. The cancellation, move and package-cancel changes are idempotent too: doing one
// again changes nothing.
//
// Statuses, totals and the refund to make are derived from the lines, payments and refunds, never
// stored (totals, invoiceStatus, refundDue). Invoice numbers come from a counter in DynamoDB and
// are only carried here.

import type { Appointment, Currency, Mode, Money, Service, ServiceCode } from '#domain/types.ts';
import { MODES, SERVICE_CODES } from '#domain/types.ts';
import type { Package } from '#domain/packages.ts';
import { PAYMENT_METHOD_OF_MODE } from '#domain/packages.ts';
import { isValidZone, localDate } from '#domain/time.ts';
import { ConflictError, type FieldIssue } from '#domain/errors.ts';

// ---------------------------------------------------------------------------------------------
// Types

/** Lines that are not a session: the two fees, the package-cancel credit and a program purchase. */
export const FEE_LINE_SERVICES = ['late_cancellation', 'no_show'] as const;
export type FeeLineService = (typeof FEE_LINE_SERVICES)[number];
export type InvoiceLineService = ServiceCode | FeeLineService | 'package_credit' | 'program';

/** CMS place-of-service codes: 11 office (in person), 10 telehealth in the client's home. */
export type PlaceOfService = '11' | '10';

/** The CPT modifier for a synchronous telehealth session. */
export const TELEHEALTH_MODIFIER = '95';

export interface InvoiceLine {
  /** Derived from what the line is for (see lineId), so the same change always makes the same line. */
  id: string;
  description: string;
  service: InvoiceLineService;
  /** Clinic-local date of the session (session and fee lines). */
  serviceDate?: string | undefined;
  appointmentId?: string | undefined;
  /** The service's CPT code; null for fee, credit and program lines and for services without one. */
  cptCode: string | null;
  /** [TELEHEALTH_MODIFIER] for a telehealth session, else []. */
  modifiers: string[];
  /** Session lines only; null for fee, credit and program lines. */
  placeOfService: PlaceOfService | null;
  units: 1;
  /** Minor units of the invoice currency; negative for a credit. */
  amount: number;
  /** Whether it may be claimed from insurance: the service's flag; never for fees, credits or programs. */
  billable: boolean;
  voided: boolean;
  /** When the line was added (epoch ms): the date of its ledger `charge` or `credit`. */
  issuedAt: number;
  /** When it was voided (epoch ms), set exactly when `voided`: the date of its ledger `void`. */
  voidedAt?: number | undefined;
}

export interface InvoicePayment {
  /** The Stripe object it came from (payment intent, charge, invoice), or a local id: its identity. */
  reference: string;
  /** Minor units of the invoice currency, > 0. */
  amount: number;
  at: number;
  /** How it was paid, e.g. 'card', 'bnpl'. */
  method: string;
}

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * How a refund was made when not by the refund job through Stripe: recorded by finance for a
 * refund the job gave up on (recordRefundMadeElsewhere). A refund without a method is Stripe's.
 */
export const OUTSIDE_REFUND_METHODS = ['stripe_dashboard', 'bank_transfer', 'cheque', 'cash', 'other'] as const;
export type OutsideRefundMethod = (typeof OUTSIDE_REFUND_METHODS)[number];

export interface InvoiceRefund {
  /** The Stripe refund id, or what finance gave for one made elsewhere (a cheque number…): its identity. */
  reference: string;
  /** Minor units of the invoice currency, > 0. */
  amount: number;
  /** When the refund was made (the earliest time any report of it carries). */
  at: number;
  status: RefundStatus;
  /** The payment it gives back (its reference: a payment intent), when known. */
  paymentReference?: string | undefined;
  /** Set for a refund made outside the refund job (recorded by finance); absent for Stripe's. */
  method?: OutsideRefundMethod | undefined;
}

/** How a refund was made: by the refund job through Stripe, unless finance recorded another way. */
export const refundMethod = (refund: Pick<InvoiceRefund, 'method'>): 'stripe' | OutsideRefundMethod => refund.method ?? 'stripe';

/**
 * How the refund job (refund-job.ts) is getting on with what this invoice still owes back
 * (refundDue > 0): failed attempts so far (Stripe errors and refunds that failed later), and when
 * it gave up and raised the alarm. Cleared once nothing is owed.
 */
export interface RefundJobState {
  attempts: number;
  lastFailureAt?: number | undefined;
  deadLetteredAt?: number | undefined;
}

export interface Invoice {
  id: string;
  /** Assigned elsewhere (a counter in DynamoDB); null until then. */
  number: string | null;
  clinicId: string;
  clientId: string;
  /** The one currency of every amount on the invoice. */
  currency: Currency;
  /** The self-pay appointment it bills, for a session invoice. */
  appointmentId?: string | undefined;
  /** The package it bills, for a program purchase. */
  packageId?: string | undefined;
  lines: InvoiceLine[];
  /** Canonical order: by `at`, then reference. */
  payments: InvoicePayment[];
  /** Canonical order: by `at`, then reference. */
  refunds: InvoiceRefund[];
  createdAt: number;
  refundJob?: RefundJobState | undefined;
}

export const INVOICE_STATUSES = ['open', 'partially_paid', 'paid', 'void', 'refunded'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface InvoiceTotals {
  /** Sum of the amounts of the lines not voided. */
  total: number;
  /** Sum of the payments. */
  paid: number;
  /** Sum of the refunds not failed (pending counts: Stripe accepted it). */
  refunded: number;
  /** total − paid + refunded: still due when > 0; < 0 while a refund is still to be made. */
  balance: number;
  status: InvoiceStatus;
}

// ---------------------------------------------------------------------------------------------
// Checks

function assertInstant(at: number, what = 'instant'): void {
  if (typeof at !== 'number' || !Number.isFinite(at)) throw new RangeError(`Not an ${what}: ${at}`);
}

function assertId(s: string, what: string): void {
  if (typeof s !== 'string' || s === '') throw new RangeError(`${what} must be a non-empty string`);
}

/** The amount of `money` in the invoice currency; throws unless a whole number of minor units (> 0 when `positive`). */
function amountIn(currency: Currency, money: Money, what: string, positive = false): number {
  if (!money || money.currency !== currency) throw new RangeError(`${what} must be in ${currency}, not ${money?.currency}`);
  const n = money.amount;
  if (!Number.isSafeInteger(n) || n < 0 || (positive && n === 0)) {
    throw new RangeError(`${what} must be a whole number of minor units${positive ? ' above 0' : ' ≥ 0'}: ${n}`);
  }
  return n;
}

const isSessionService = (s: InvoiceLineService): s is ServiceCode => (SERVICE_CODES as readonly string[]).includes(s);

/** Whether a line bills a session (not a fee, credit or program). */
export function isSessionLine(line: InvoiceLine): boolean {
  return isSessionService(line.service);
}

/** Line ids: one session line and at most one fee line per appointment, one program and one credit line per package. */
/**
 * A line insurance never sees (a program, a fee, a package credit): not billable, no CPT code,
 * modifier or place of service.
 */
function uninsuredLine(service: InvoiceLineService, subjectId: string, description: string, amount: number, issuedAt: number): InvoiceLine {
  return {
    id: lineId(service, subjectId),
    description,
    service,
    cptCode: null,
    modifiers: [],
    placeOfService: null,
    units: 1,
    amount,
    billable: false,
    voided: false,
    issuedAt,
  };
}

export function lineId(service: InvoiceLineService, subjectId: string): string {
  return `${isSessionService(service) ? 'session' : service}:${subjectId}`;
}

// ---------------------------------------------------------------------------------------------
// New invoices

/** Where a session takes place, as billed: place of service and modifiers follow the mode. */
function placeOf(mode: Mode): { placeOfService: PlaceOfService; modifiers: string[] } {
  return mode === 'telehealth' ? { placeOfService: '10', modifiers: [TELEHEALTH_MODIFIER] } : { placeOfService: '11', modifiers: [] };
}

export type SessionAppointment = Pick<Appointment, 'id' | 'service' | 'mode' | 'startsAt'> & { packageId?: string | undefined };

/**
 * The lines of a self-pay session's invoice: one line for the service at its catalog price, dated
 * the appointment's clinic-local day. A session booked against a package is paid for by the
 * package's invoice and gets none (RangeError), as does a service that is not the appointment's.
 */
export function newSessionInvoiceLines(appointment: SessionAppointment, service: Service, zone: string, at: number): InvoiceLine[] {
  assertId(appointment.id, 'An appointment id');
  assertInstant(at);
  assertInstant(appointment.startsAt, 'appointment start');
  if (appointment.packageId !== undefined) {
    throw new RangeError(`Appointment ${appointment.id} is paid by package ${appointment.packageId}, not self-pay`);
  }
  if (service.code !== appointment.service)
    throw new RangeError(`Service ${service.code} is not the appointment's (${appointment.service})`);
  const amount = amountIn(service.price.currency, service.price, `The price of ${service.code}`);
  return [
    {
      id: lineId(service.code, appointment.id),
      description: service.name,
      service: service.code,
      serviceDate: localDate(appointment.startsAt, zone),
      appointmentId: appointment.id,
      cptCode: service.cptCode,
      ...placeOf(appointment.mode),
      units: 1,
      amount,
      billable: service.billable,
      voided: false,
      issuedAt: at,
    },
  ];
}

interface NewInvoiceBase {
  id: string;
  clinicId: string;
  clientId: string;
  /** The clinic's currency: every price and payment must be in it. */
  currency: Currency;
  at: number;
}

/** The invoice of one self-pay session (see newSessionInvoiceLines). */
export function newSessionInvoice(input: NewInvoiceBase & { appointment: SessionAppointment; service: Service; zone: string }): Invoice {
  assertId(input.id, 'An invoice id');
  amountIn(input.currency, input.service.price, `The price of ${input.service.code}`);
  return {
    id: input.id,
    number: null,
    clinicId: input.clinicId,
    clientId: input.clientId,
    currency: input.currency,
    appointmentId: input.appointment.id,
    lines: newSessionInvoiceLines(input.appointment, input.service, input.zone, input.at),
    payments: [],
    refunds: [],
    createdAt: input.at,
  };
}

/**
 * The invoice of a program purchase: one line for the program at the package's locked price. A
 * bundle is not a claimable service, so it has no CPT code and is not billable.
 */
export function newProgramInvoice(input: NewInvoiceBase & { package: Pick<Package, 'id' | 'programName' | 'price'> }): Invoice {
  assertId(input.id, 'An invoice id');
  assertId(input.package.id, 'A package id');
  assertInstant(input.at);
  const amount = amountIn(input.currency, input.package.price, `The price of package ${input.package.id}`);
  return {
    id: input.id,
    number: null,
    clinicId: input.clinicId,
    clientId: input.clientId,
    currency: input.currency,
    packageId: input.package.id,
    lines: [uninsuredLine('program', input.package.id, input.package.programName, amount, input.at)],
    payments: [],
    refunds: [],
    createdAt: input.at,
  };
}

// ---------------------------------------------------------------------------------------------
// Changes to the lines

function sessionLineOf(invoice: Invoice, appointmentId: string): InvoiceLine {
  const line = invoice.lines.find((l) => l.appointmentId === appointmentId && isSessionLine(l));
  if (!line) throw new RangeError(`Invoice ${invoice.id} has no line for appointment ${appointmentId}`);
  return line;
}

export const CANCELLATION_KINDS = ['on_time', 'late', 'no_show'] as const;
export type CancellationKind = (typeof CANCELLATION_KINDS)[number];

export type AppointmentCancellation =
  | { appointmentId: string; kind: 'on_time'; at: number }
  | {
      appointmentId: string;
      kind: 'late' | 'no_show';
      /** The clinic's policy.lateCancellationFee: in the clinic's currency (docs/domain.md, "Money"). */
      fee: Money;
      at: number;
    };

const FEE_DESCRIPTIONS: Record<FeeLineService, string> = {
  late_cancellation: 'Late cancellation fee',
  no_show: 'Missed appointment fee',
};

/**
 * A cancellation or no-show of a self-pay appointment (docs/domain.md: late means less than
 * policy.cancellationWindowHours before the start; a no-show is recorded at or after it).
 *  - on time: its session line is voided; what was paid for it becomes refundDue.
 *  - late or no-show: the session line is voided and a fee line for the clinic's
 *    lateCancellationFee is added (service 'late_cancellation' or 'no_show', never billable, no
 *    CPT code, no place of service), so the invoice now charges the fee instead of the session;
 *    what was paid above the fee becomes refundDue. The fee is charged as configured, even when it
 *    is above the session's price (then the difference is due), and a fee of 0 still adds its line
 *    as the record that the cancellation was late.
 * The first cancellation of an appointment stands: cancelling an appointment whose line is voided
 * already returns the invoice unchanged, whatever the kind (a retried cancel that now computes
 * "late" must not charge a fee the first one did not).
 */
export function applyCancellation(invoice: Invoice, cancellation: AppointmentCancellation): Invoice {
  assertInstant(cancellation.at);
  if (!CANCELLATION_KINDS.includes(cancellation.kind)) {
    throw new RangeError(`Not a cancellation kind: ${String((cancellation as { kind: unknown }).kind)}`);
  }
  const fee = cancellation.kind === 'on_time' ? null : amountIn(invoice.currency, cancellation.fee, 'The late-cancellation fee');
  const line = sessionLineOf(invoice, cancellation.appointmentId);
  if (line.voided) return invoice;

  const lines = invoice.lines.map((l) => (l === line ? { ...l, voided: true, voidedAt: cancellation.at } : l));
  if (fee !== null) {
    const service: FeeLineService = cancellation.kind === 'no_show' ? 'no_show' : 'late_cancellation';
    lines.push({
      ...uninsuredLine(service, cancellation.appointmentId, FEE_DESCRIPTIONS[service], fee, cancellation.at),
      serviceDate: line.serviceDate,
      appointmentId: cancellation.appointmentId,
    });
  }
  return { ...invoice, lines };
}

export interface Move {
  appointmentId: string;
  /** The new start (epoch ms). */
  startsAt: number;
  /** The new mode. */
  mode: Mode;
}

/**
 * A moved appointment keeps its invoice and its line (docs/domain.md: a move is booked → booked
 * with a new time); the line's service date, place of service and modifiers follow the new
 * clinic-local date and mode. The amount is not touched. A line already voided stays as it was
 * voided (only a booked appointment can move), and a move to the same day and mode returns the
 * invoice unchanged.
 */
export function applyMove(invoice: Invoice, move: Move, zone: string): Invoice {
  assertInstant(move.startsAt, 'appointment start');
  if (!MODES.includes(move.mode)) throw new RangeError(`Not a mode: ${String(move.mode)}`);
  const line = sessionLineOf(invoice, move.appointmentId);
  const serviceDate = localDate(move.startsAt, zone);
  const place = placeOf(move.mode);
  if (line.voided) return invoice;
  if (line.serviceDate === serviceDate && line.placeOfService === place.placeOfService && sameList(line.modifiers, place.modifiers)) {
    return invoice;
  }
  return { ...invoice, lines: invoice.lines.map((l) => (l === line ? { ...l, serviceDate, ...place } : l)) };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export interface PackageCancel {
  /**
   * List value of the package's sessions used or forfeited, after its future sessions gave their
   * credits back (docs/domain.md, "Refunds on package cancel", step 4).
   */
  used: Money;
  at: number;
}

/**
 * A cancelled package: its invoice gets a credit line of −(price − used), service
 * 'package_credit', never billable; none when the value used reaches the price.
 * The invoice then charges what was used; what was paid above it is refundDue, which the cancel
 * refunds through Stripe and records with applyRefund. This matches cancelRefundDue in
 * package-rules.ts (paid − used, never negative). Once the line is there, another cancel returns
 * the invoice unchanged; the package's cancel fixes the value used once, so the same one is applied
 * on every sync.
 */
export function applyPackageCancel(invoice: Invoice, cancel: PackageCancel): Invoice {
  assertInstant(cancel.at);
  const used = amountIn(invoice.currency, cancel.used, 'The value used');
  const program = invoice.lines.find((l) => l.service === 'program' && !l.voided);
  if (!program || invoice.packageId === undefined) throw new RangeError(`Invoice ${invoice.id} is not a program purchase`);
  if (invoice.lines.some((l) => l.service === 'package_credit')) return invoice;
  const credit = program.amount - used;
  // used up to its price or beyond: nothing is credited, and no line says so with a 0
  if (credit <= 0) return invoice;
  const line = uninsuredLine('package_credit', invoice.packageId, 'Package cancellation credit', -credit, cancel.at);
  return { ...invoice, lines: [...invoice.lines, line] };
}

// ---------------------------------------------------------------------------------------------
// Payments and refunds (facts: idempotent, order-independent)

const byTimeThenReference = (a: { at: number; reference: string }, b: { at: number; reference: string }) =>
  a.at - b.at || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0);

export interface InvoicePaymentFact {
  reference: string;
  amount: Money;
  at: number;
  method: string;
}

/**
 * Records a payment. The same reference again changes nothing (the invoice is returned as it is),
 * except that the earliest `at` reported is kept, so the result does not depend on which delivery
 * came first. The same reference with another amount or method is not a redelivery but a bug:
 * RangeError. A payment may be more than is due; the surplus shows as refundDue.
 */
export function applyPayment(invoice: Invoice, fact: InvoicePaymentFact): Invoice {
  assertId(fact.reference, 'A payment reference');
  assertId(fact.method, 'A payment method');
  assertInstant(fact.at);
  const amount = amountIn(invoice.currency, fact.amount, `Payment ${fact.reference}`, true);
  const known = invoice.payments.find((p) => p.reference === fact.reference);
  if (known) {
    if (known.amount !== amount || known.method !== fact.method) {
      throw new RangeError(`Payment ${fact.reference} is recorded already with another amount or method`);
    }
    if (known.at <= fact.at) return invoice;
  }
  const others = invoice.payments.filter((p) => p.reference !== fact.reference);
  const payment: InvoicePayment = { reference: fact.reference, amount, at: fact.at, method: fact.method };
  return { ...invoice, payments: [...others, payment].sort(byTimeThenReference) };
}

/**
 * How far a refund has got. A refund's status is the highest rank reported for it, whatever the
 * order reports arrive in: a 'pending' delivered after a terminal state is stale and changes
 * nothing. Should one refund be reported both succeeded and failed, failed wins: a failure can
 * only be news after a success (the money came back to the clinic), and reading it as failed puts
 * the amount back into refundDue rather than silently keeping money the client is owed.
 */
export const REFUND_STATUS_RANK: Record<RefundStatus, number> = { pending: 0, succeeded: 1, failed: 2 };

export interface InvoiceRefundFact {
  reference: string;
  amount: Money;
  at: number;
  status: RefundStatus;
  /** The payment it gives back, when the report says (a Stripe refund names its payment intent). */
  paymentReference?: string | undefined;
  /** Only for a refund made outside the refund job (recordRefundMadeElsewhere). */
  method?: OutsideRefundMethod | undefined;
}

/**
 * Records a refund, or a status report of one already recorded (same reference): the status
 * becomes the higher-ranked of the two (REFUND_STATUS_RANK) and `at` the earlier, so redelivery
 * and reordering change nothing. The same reference with another amount is a bug: RangeError.
 * A refund is not checked against what was paid: its payment may not have been delivered yet.
 */
export function applyRefund(invoice: Invoice, fact: InvoiceRefundFact): Invoice {
  assertId(fact.reference, 'A refund reference');
  assertInstant(fact.at);
  if (!REFUND_STATUSES.includes(fact.status)) throw new RangeError(`Not a refund status: ${String(fact.status)}`);
  const amount = amountIn(invoice.currency, fact.amount, `Refund ${fact.reference}`, true);
  const known = invoice.refunds.find((r) => r.reference === fact.reference);
  let refund: InvoiceRefund = {
    reference: fact.reference,
    amount,
    at: fact.at,
    status: fact.status,
    ...(fact.paymentReference !== undefined ? { paymentReference: fact.paymentReference } : {}),
    ...(fact.method !== undefined ? { method: fact.method } : {}),
  };
  if (known) {
    if (known.amount !== amount) throw new RangeError(`Refund ${fact.reference} is recorded already with another amount`);
    const status = REFUND_STATUS_RANK[fact.status] > REFUND_STATUS_RANK[known.status] ? fact.status : known.status;
    const at = Math.min(known.at, fact.at);
    const paymentReference = known.paymentReference ?? fact.paymentReference;
    if (status === known.status && at === known.at && paymentReference === known.paymentReference) return invoice;
    refund = { ...known, status, at, ...(paymentReference !== undefined ? { paymentReference } : {}) };
  }
  const others = invoice.refunds.filter((r) => r.reference !== fact.reference);
  return { ...invoice, refunds: [...others, refund].sort(byTimeThenReference) };
}

// ---------------------------------------------------------------------------------------------
// A program purchase's invoice follows its package

export type PackagePaymentState = Pick<Package, 'payment' | 'payments' | 'cancellation'> & {
  /** When its checkout expired unpaid, so that the program was never bought (lapsedAt in package-rules.ts). */
  lapsedAt?: number | undefined;
};

/**
 * The invoice of a program purchase brought up to date with its package: every charge the
 * package records as succeeded (in full, down payment, installment) is a payment of the invoice,
 * every refund it records a refund (Stripe accepted it), under the same Stripe references; once a
 * cancel has fixed the value used (cancellation.usedValue), the package-cancel credit line. Each
 * step is idempotent (applyPayment, applyRefund, applyPackageCancel), so syncing again after any
 * package change, in any order, gives the same invoice; the same object when nothing is new.
 */
export function syncPackageInvoice(invoice: Invoice, pkg: PackagePaymentState): Invoice {
  let out = invoice;
  const method = PAYMENT_METHOD_OF_MODE[pkg.payment];
  for (const p of pkg.payments) {
    if (p.kind === 'refund') {
      if (p.status === 'pending') continue;
      // the charge it gave back: the refund job pays a failed one again from the same charge
      const paymentReference = pkg.cancellation?.refunds.find((r) => r.refundId === p.ref)?.paymentRef;
      out = applyRefund(out, {
        reference: p.ref,
        amount: p.amount,
        at: p.at,
        status: p.status,
        ...(paymentReference ? { paymentReference } : {}),
      });
    } else if (p.status === 'succeeded') {
      out = applyPayment(out, { reference: p.ref, amount: p.amount, at: p.at, method });
    }
  }
  const c = pkg.cancellation;
  if (c?.usedValue !== undefined) out = applyPackageCancel(out, { used: { amount: c.usedValue, currency: invoice.currency }, at: c.at });
  if (pkg.lapsedAt !== undefined) out = applyPurchaseLapsed(out, pkg.lapsedAt);
  return out;
}

/**
 * A purchase whose checkout expired (or was closed) unpaid: the program was never bought, so its
 * line is voided as of then and the invoice owes nothing (status void), rather than asking for a
 * price nobody agreed to pay. Once voided, the same invoice is returned.
 */
export function applyPurchaseLapsed(invoice: Invoice, at: number): Invoice {
  assertInstant(at);
  const program = invoice.lines.find((l) => l.service === 'program');
  if (!program || invoice.packageId === undefined) throw new RangeError(`Invoice ${invoice.id} is not a program purchase`);
  if (program.voided) return invoice;
  return { ...invoice, lines: invoice.lines.map((l) => (l === program ? { ...l, voided: true, voidedAt: at } : l)) };
}

// ---------------------------------------------------------------------------------------------
// Totals, status, refund due

/**
 * The invoice's status from its paid, refunded and balance (balance = total − paid + refunded).
 * "Kept" is paid − refunded, the money the clinic holds. Every combination, first match:
 *
 *   | balance | kept (paid − refunded) | paid | status         |
 *   |---------|------------------------|------|----------------|
 *   | > 0     | > 0                    | any  | partially_paid |
 *   | > 0     | ≤ 0                    | any  | open           |
 *   | ≤ 0     | any                    | = 0  | void           |
 *   | ≤ 0     | ≤ 0                    | > 0  | refunded       |
 *   | ≤ 0     | > 0                    | > 0  | paid           |
 *
 * So: open — something is due and the clinic holds nothing for it (nothing paid, or all of it
 * refunded); partially_paid — something is due and something paid is held; paid — nothing is due
 * and the clinic holds money for it, including while a refund of a surplus is still to be made
 * (balance < 0, see refundDue); void — nothing due and nothing ever paid (e.g. a session cancelled
 * on time before payment); refunded — nothing due and everything paid was refunded. A balance due
 * comes first: an invoice refunded in full that still charges something (a fee) is open again.
 */
export function invoiceStatus(t: { paid: number; refunded: number; balance: number }): InvoiceStatus {
  const kept = t.paid - t.refunded;
  if (t.balance > 0) return kept > 0 ? 'partially_paid' : 'open';
  if (t.paid === 0) return 'void';
  return kept > 0 ? 'paid' : 'refunded';
}

/** Total, paid, refunded (pending and succeeded refunds; failed ones are taken back out), balance and status. */
export function totals(invoice: Invoice): InvoiceTotals {
  const total = invoice.lines.reduce((s, l) => (l.voided ? s : s + l.amount), 0);
  const paid = invoice.payments.reduce((s, p) => s + p.amount, 0);
  const refunded = invoice.refunds.reduce((s, r) => (r.status === 'failed' ? s : s + r.amount), 0);
  const balance = total - paid + refunded;
  return { total, paid, refunded, balance, status: invoiceStatus({ paid, refunded, balance }) };
}

/** What an invoice holds of the client's money: paid less refunded (a refund that failed is held again). */
export function heldOn(invoice: Invoice): number {
  const { paid, refunded } = totals(invoice);
  return paid - refunded;
}

/**
 * What the caller is to refund now: max(0, paid − refunded − total), i.e. the negative part of the
 * balance. After an on-time cancel it is what was paid; after a late cancel or no-show, what was
 * paid above the fee; after a package cancel, what was paid above the value used. A failed refund
 * puts its amount back.
 */
export function refundDue(invoice: Invoice): number {
  const { total, paid, refunded } = totals(invoice);
  return Math.max(0, paid - refunded - total);
}

// ---------------------------------------------------------------------------------------------
// Refunds still owed: what the refund job asks of Stripe, and how it is getting on

/** Failed attempts (Stripe errors, refunds that failed later) before the job gives up and raises the alarm. */
export const REFUND_MAX_ATTEMPTS = 8;

/** When the job tries again after `attempts` failures: 1 min, 2, 4, … capped at 6 h. */
export function nextRefundAttemptAt(attempts: number, now: number): number {
  return now + Math.min(6 * 3_600_000, 60_000 * 2 ** Math.max(0, attempts - 1));
}

export interface PlannedRefund {
  /** The payment given back (its reference, a Stripe payment intent). */
  paymentReference: string;
  amount: number;
  /**
   * The Stripe idempotency key: the invoice, the payment, how many refunds of that payment were
   * recorded before (failed ones included) and the amount. A refund Stripe made whose answer was
   * lost is asked again with the same key and replayed, never made twice; after a refund failed,
   * the next one has a new key.
   */
  idempotencyKey: string;
}

/**
 * Whether a payment reference is a payment intent, what a refund is made against: a self-pay
 * invoice's payments are (card payments of a Checkout); a program's carry its package's references.
 */
export const isPaymentIntent = (reference: string) => reference.startsWith('pi_');

/**
 * The refunds to make now for refundDue(invoice): from the newest payment back, each payment
 * giving at most what it has not given back yet (its amount less its refunds not failed). Empty
 * when nothing is owed, or when no payment can take it (then the job raises the alarm: a person
 * must refund some other way).
 */
export function planRefunds(invoice: Invoice, refundablePayment: (reference: string) => boolean = isPaymentIntent): PlannedRefund[] {
  let due = refundDue(invoice);
  const out: PlannedRefund[] = [];
  for (const p of [...invoice.payments].reverse()) {
    if (due <= 0) break;
    if (!refundablePayment(p.reference)) continue;
    const own = invoice.refunds.filter((r) => r.paymentReference === p.reference);
    const given = own.reduce((sum, r) => (r.status === 'failed' ? sum : sum + r.amount), 0);
    const amount = Math.min(due, p.amount - given);
    if (amount <= 0) continue;
    out.push({
      paymentReference: p.reference,
      amount,
      idempotencyKey: `invoice-refund-${invoice.id}-${p.reference}-${own.length}-${amount}`,
    });
    due -= amount;
  }
  return out;
}

export const REFUND_STATES = ['scheduled', 'retrying', 'dead_lettered'] as const;
export type RefundState = (typeof REFUND_STATES)[number];

/**
 * Where a refund the invoice still owes stands, for people to see: null when nothing is owed;
 * 'scheduled' when the job is to make it; 'retrying' after a failure (Stripe down, or a refund
 * that failed later: the job makes it again); 'dead_lettered' when it gave up and raised the alarm.
 */
export function refundState(invoice: Invoice): RefundState | null {
  if (refundDue(invoice) === 0) return null;
  if (invoice.refundJob?.deadLetteredAt !== undefined) return 'dead_lettered';
  const failed = invoice.refunds.some((r) => r.status === 'failed') || (invoice.refundJob?.attempts ?? 0) > 0;
  return failed ? 'retrying' : 'scheduled';
}

// ---------------------------------------------------------------------------------------------
// A refund the job gave up on: what finance does about it

function assertGivenUp(invoice: Invoice): void {
  if (refundState(invoice) !== 'dead_lettered') {
    throw new ConflictError(
      refundDue(invoice) === 0
        ? 'Nothing is owed back on this invoice'
        : 'The automatic refund has not given up on this invoice; it is still making the refund',
    );
  }
}

/**
 * Finance asks the refund job to try again a refund it gave up on (after, say, the client's card
 * was replaced): no failed attempt counted any more, nothing given up on, so the job has its
 * REFUND_MAX_ATTEMPTS again. ConflictError unless the job had given up: while it is still at it,
 * there is nothing to restart.
 */
export function refundRetried(invoice: Invoice): Invoice & { refundJob: RefundJobState } {
  assertGivenUp(invoice);
  return { ...invoice, refundJob: { attempts: 0 } };
}

export interface OutsideRefundFact {
  /** What identifies it where it was made: a cheque number, a transfer id, a Stripe refund id. */
  reference: string;
  amount: Money;
  at: number;
  method: OutsideRefundMethod;
}

/**
 * Records a refund finance made some other way (by hand in Stripe's dashboard, a bank transfer, a
 * cheque, cash) for what the refund job gave up on. ConflictError:
 *  - unless the job has given up: while it may still be asking Stripe, a refund made by hand as
 *    well would give the money back twice;
 *  - for more than is owed back: the client would owe the difference again;
 *  - for a reference the invoice has already, in any case (recorded twice by mistake: `chq-1001`
 *    is the cheque `CHQ-1001`; Stripe's own ids never differ by case alone).
 * It counts as succeeded (finance made it). What is still owed after it stays given up on: finance
 * records the rest, or asks the job to retry it (refundRetried).
 */
export function recordRefundMadeElsewhere(invoice: Invoice, fact: OutsideRefundFact): Invoice {
  assertGivenUp(invoice);
  if (!OUTSIDE_REFUND_METHODS.includes(fact.method)) throw new RangeError(`Not a refund method: ${String(fact.method)}`);
  const amount = amountIn(invoice.currency, fact.amount, 'A refund', true);
  if (amount > refundDue(invoice)) throw new ConflictError('The refund is more than what is owed back on this invoice');
  const reference = fact.reference.toUpperCase();
  if (invoice.refunds.some((r) => r.reference.toUpperCase() === reference)) {
    throw new ConflictError('A refund with this reference is recorded on this invoice already');
  }
  return applyRefund(invoice, { reference: fact.reference, amount: fact.amount, at: fact.at, status: 'succeeded', method: fact.method });
}

// ---------------------------------------------------------------------------------------------
// A payment taken at the clinic

/**
 * How a client paid at the clinic rather than online: recorded by the front desk, finance or
 * admin. These payments are never Stripe's, so the refund job cannot give them back: what a desk
 * payment is owed back goes to finance's list of refunds to settle (refund-job.ts).
 */
export const DESK_PAYMENT_METHODS = ['cash', 'cheque', 'card_terminal', 'bank_transfer', 'other'] as const;
export type DeskPaymentMethod = (typeof DESK_PAYMENT_METHODS)[number];

export const isDeskPayment = (payment: Pick<InvoicePayment, 'method'>): boolean =>
  (DESK_PAYMENT_METHODS as readonly string[]).includes(payment.method);

/** The reference may be left out for cash alone: a cheque, a terminal slip or a transfer has its own number. */
export function deskPaymentIssues(payment: { method: DeskPaymentMethod; reference?: string | undefined }): FieldIssue[] {
  return payment.method !== 'cash' && payment.reference === undefined
    ? [
        {
          path: 'reference',
          message: 'Required for every way of paying but cash: the cheque number, the terminal slip number or the transfer id',
        },
      ]
    : [];
}

export interface DeskPaymentFact {
  /** A cheque number, the terminal's receipt number, a transfer id; or one the service made for cash. */
  reference: string;
  amount: Money;
  at: number;
  method: DeskPaymentMethod;
}

/**
 * Records a payment the client made at the clinic. ConflictError:
 *  - for a program's invoice while its package pays it (`programPaysItself`: its checkout or its
 *    installment plan, whose state follows Stripe; a payment beside it would not pay the plan;
 *    programInvoiceTakesPayments in #domain/package-rules.ts says when that ends);
 *  - when nothing is due, or for more than is due: the desk gives change, it does not take money
 *    that would have to be refunded;
 *  - for a reference the invoice has already, in any case (the same cheque entered twice).
 */
export function recordDeskPayment(invoice: Invoice, fact: DeskPaymentFact, programPaysItself = invoice.packageId !== undefined): Invoice {
  if (!DESK_PAYMENT_METHODS.includes(fact.method)) throw new RangeError(`Not a desk payment method: ${String(fact.method)}`);
  if (invoice.packageId !== undefined && programPaysItself) {
    throw new ConflictError('A program is paid through its own checkout or installment plan, not at the desk');
  }
  const amount = amountIn(invoice.currency, fact.amount, 'A payment', true);
  const { balance } = totals(invoice);
  if (balance <= 0) throw new ConflictError('Nothing is due on this invoice');
  if (amount > balance) throw new ConflictError('The payment is more than what is due on this invoice');
  const reference = fact.reference.toUpperCase();
  if (invoice.payments.some((p) => p.reference.toUpperCase() === reference)) {
    throw new ConflictError('A payment with this reference is recorded on this invoice already');
  }
  return applyPayment(invoice, { reference: fact.reference, amount: fact.amount, at: fact.at, method: fact.method });
}

// ---------------------------------------------------------------------------------------------
// Ledger

export const LEDGER_ENTRY_KINDS = ['charge', 'credit', 'void', 'payment', 'refund'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

export interface LedgerEntry {
  invoiceId: string;
  invoiceNumber: string | null;
  kind: LedgerEntryKind;
  /** Signed minor units: what the entry adds to the balance. */
  amount: number;
  currency: Currency;
  /** The line id, or the payment's or refund's reference. */
  reference: string;
  /** When it was recorded (epoch ms). */
  at: number;
  /** The clinic-local date it was recorded (docs/domain.md: everything a person sees is clinic-local). */
  date: string;
}

/**
 * The invoice's entries for the finance CSV, oldest first (then in LEDGER_ENTRY_KINDS order, then
 * by reference). Their amounts always add up to the balance:
 *  - charge: a line's amount (≥ 0) when it was issued; credit: a negative line when issued;
 *  - void: minus a voided line's amount, when it was voided (the charge stays on its own date);
 *  - payment: minus a payment; refund: a refund not failed (pending counts, as in totals).
 * A failed refund has no entry: no money left, and the balance no longer counts it. The ledger is
 * a view of the invoice as it stands, so a refund that fails after an export drops out of a later
 * export of the same period. Entries of 0 (a fee of 0, a credit of nothing) move no money and are
 * left out. Throws RangeError on an unknown zone.
 */
export function ledgerEntries(invoice: Invoice, zone: string): LedgerEntry[] {
  if (!isValidZone(zone)) throw new RangeError(`Unknown time zone: ${zone}`);
  const entries: LedgerEntry[] = [];
  const add = (kind: LedgerEntryKind, amount: number, reference: string, at: number) => {
    if (amount === 0) return;
    entries.push({
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      kind,
      amount,
      currency: invoice.currency,
      reference,
      at,
      date: localDate(at, zone),
    });
  };
  for (const l of invoice.lines) {
    add(l.amount < 0 ? 'credit' : 'charge', l.amount, l.id, l.issuedAt);
    if (l.voided) add('void', -l.amount, l.id, l.voidedAt ?? l.issuedAt);
  }
  for (const p of invoice.payments) add('payment', -p.amount, p.reference, p.at);
  for (const r of invoice.refunds) if (r.status !== 'failed') add('refund', r.amount, r.reference, r.at);
  return entries.sort(
    (a, b) =>
      a.at - b.at ||
      LEDGER_ENTRY_KINDS.indexOf(a.kind) - LEDGER_ENTRY_KINDS.indexOf(b.kind) ||
      (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0),
  );
}
