// Stripe events → payment facts. Where each field sits follows the Stripe API version pinned in
// shared/adapters/stripe-gateway.ts (webhook payloads never expand ids):
//   checkout.session.*  data.object = Checkout Session: metadata.packageId, payment_status,
//                       payment_intent (id), customer (id), amount_total
//   invoice.paid / invoice.payment_failed: parent.subscription_details.metadata.packageId,
//                       lines.data[0].period.start (which installment), amount_paid, attempt_count
//   refund.updated / refund.failed: id, status, amount, currency, metadata.packageId or .invoiceId
// The metadata names a package (a program purchase) or an invoice (a self-pay session paid from
// its invoice). Everything else is acknowledged and ignored.
import type { GatewayEvent } from '#adapters/payment-gateway.ts';
import type { Package } from '#domain/packages.ts';
import type { PaymentFact } from '#domain/package-rules.ts';
import { installmentNumber } from '#domain/billing-periods.ts';
import type { InvoicePaymentFact, InvoiceRefundFact, RefundStatus } from '#domain/invoices.ts';
import type { Currency } from '#domain/types.ts';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** What an event is about: a package, or one of our invoices (a self-pay session's). */
export type EventSubject = { kind: 'package'; id: string } | { kind: 'invoice'; id: string };

/** The record an event is about (from the metadata we gave Stripe), or null when it is not one we act on. */
export function subjectOf(event: GatewayEvent): EventSubject | null {
  const o = event.object;
  let metadata: Obj;
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
    case 'refund.updated':
    case 'refund.failed':
      metadata = obj(o.metadata);
      break;
    case 'invoice.paid':
    case 'invoice.payment_failed':
      // Stripe's invoices of an installment schedule: always a package's
      metadata = { packageId: obj(obj(obj(o.parent).subscription_details).metadata).packageId };
      break;
    default:
      return null;
  }
  const packageId = str(metadata.packageId);
  if (packageId) return { kind: 'package', id: packageId };
  const invoiceId = str(metadata.invoiceId);
  return invoiceId ? { kind: 'invoice', id: invoiceId } : null;
}

/**
 * A Checkout Session in setup mode: a card saved for a package's installment plan, nothing paid
 * (payment-method-service.ts). It states no payment fact: its expiry is not the package's checkout
 * lapsing, its completion is not a payment.
 */
export function isSetupSession(event: GatewayEvent): boolean {
  return event.type.startsWith('checkout.session.') && event.object.mode === 'setup';
}

/** Stripe's refund statuses → ours: requires_action is still on its way; canceled gave nothing back. */
const REFUND_STATUS: Record<string, RefundStatus> = {
  pending: 'pending',
  requires_action: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'failed',
};

/** A payment or refund an event states about an invoice. */
export type InvoiceFact = { kind: 'payment'; fact: InvoicePaymentFact } | { kind: 'refund'; fact: InvoiceRefundFact };

/**
 * The facts an event states about an invoice: a paid Checkout Session is a payment (its payment
 * intent is the reference, which a refund is later made against); a refund event is the refund's
 * status. Amounts are in the event's currency (the invoice's; applyPayment refuses another).
 */
export function invoiceFactsFromEvent(event: GatewayEvent): InvoiceFact[] {
  const o = event.object;
  const at = event.created * 1000;
  const currency = str(o.currency)?.toUpperCase() as Currency | undefined;
  const amount = num(o.object === 'refund' ? o.amount : o.amount_total);
  if (!currency || amount === undefined || amount <= 0) return [];
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      if (o.payment_status !== 'paid') return [];
      const reference = str(o.payment_intent) ?? str(o.id) ?? event.id;
      return [{ kind: 'payment', fact: { reference, amount: { amount, currency }, at, method: 'card' } }];
    }
    case 'refund.updated':
    case 'refund.failed': {
      const status = REFUND_STATUS[str(o.status) ?? ''];
      const reference = str(o.id);
      if (!status || !reference) return [];
      const paymentReference = str(o.payment_intent);
      return [
        {
          kind: 'refund',
          fact: { reference, amount: { amount, currency }, at, status, ...(paymentReference ? { paymentReference } : {}) },
        },
      ];
    }
    default:
      return [];
  }
}

export interface MappedEvent {
  facts: PaymentFact[];
  stripe: Partial<Package['stripe']>;
}

/** The facts an event states about `pkg` (none when it states nothing new, e.g. an unpaid async checkout). */
export function factsFromEvent(event: GatewayEvent, pkg: Package): MappedEvent {
  const o = event.object;
  const at = event.created * 1000;
  const ref = str(o.id) ?? event.id;
  if (isSetupSession(event)) return { facts: [], stripe: {} };
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      // a completed session of an async method (e.g. a bank debit) is not paid yet
      if (o.payment_status !== 'paid') return { facts: [], stripe: {} };
      return {
        facts: [{ kind: 'checkout_paid', ref, at, ...(num(o.amount_total) !== undefined ? { amount: num(o.amount_total) } : {}) }],
        stripe: { paymentIntentId: str(o.payment_intent), customerId: str(o.customer) },
      };
    }
    case 'checkout.session.async_payment_failed':
      return { facts: [{ kind: 'checkout_failed', ref, at }], stripe: {} };
    case 'checkout.session.expired':
      return { facts: [{ kind: 'checkout_expired', ref, at }], stripe: {} };
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const start = pkg.stripe.scheduleStartAt;
      const line = obj((obj(o.lines).data as unknown[] | undefined)?.[0]);
      const periodStart = num(obj(line.period).start);
      const n = start !== undefined && periodStart !== undefined ? installmentNumber(start, periodStart) : 0;
      if (n < 1 || n > (pkg.plan?.installments.length ?? 0)) return { facts: [], stripe: {} };
      if (event.type === 'invoice.paid') {
        return {
          facts: [{ kind: 'installment_paid', ref, at, installment: n, ...(num(o.amount_paid) ? { amount: num(o.amount_paid) } : {}) }],
          stripe: {},
        };
      }
      // every failed attempt of the same invoice is its own fact
      return { facts: [{ kind: 'installment_failed', ref: `${ref}#${num(o.attempt_count) ?? event.id}`, at, installment: n }], stripe: {} };
    }
    case 'refund.updated':
    case 'refund.failed': {
      const amount = num(o.amount);
      if (amount === undefined) return { facts: [], stripe: {} };
      // a refund Stripe accepted and then could not make (a closed card): the money is owed again
      if (o.status === 'failed' || o.status === 'canceled') return { facts: [{ kind: 'refund_failed', ref, at }], stripe: {} };
      if (o.status !== 'succeeded' || event.type !== 'refund.updated') return { facts: [], stripe: {} };
      return { facts: [{ kind: 'refunded', ref, at, amount }], stripe: {} };
    }
    default:
      return { facts: [], stripe: {} };
  }
}
