// Stripe events → payment facts. Where each field sits follows the Stripe API version pinned in
// shared/adapters/stripe-gateway.ts (webhook payloads never expand ids):
//   checkout.session.*  data.object = Checkout Session: metadata.packageId, payment_status,
//                       payment_intent (id), customer (id), amount_total
//   invoice.paid / invoice.payment_failed: parent.subscription_details.metadata.packageId,
//                       lines.data[0].period.start (which installment), amount_paid, attempt_count
//   refund.updated      id, status, amount, metadata.packageId
// Everything else is acknowledged and ignored.
import type { GatewayEvent } from '#adapters/payment-gateway.ts';
import type { Package } from '#domain/packages.ts';
import type { PaymentFact } from '#domain/package-rules.ts';
import { installmentNumber } from '#domain/billing-periods.ts';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The package an event is about, or null when the event is not one we act on. */
export function packageIdOf(event: GatewayEvent): string | null {
  const o = event.object;
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
    case 'refund.updated':
      return str(obj(o.metadata).packageId) ?? null;
    case 'invoice.paid':
    case 'invoice.payment_failed':
      return str(obj(obj(obj(o.parent).subscription_details).metadata).packageId) ?? null;
    default:
      return null;
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
    case 'refund.updated': {
      const amount = num(o.amount);
      if (o.status !== 'succeeded' || amount === undefined) return { facts: [], stripe: {} };
      return { facts: [{ kind: 'refunded', ref, at, amount }], stripe: {} };
    }
    default:
      return { facts: [], stripe: {} };
  }
}
