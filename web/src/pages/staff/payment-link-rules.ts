// A payment page handed to a client at the desk (an invoice's "Take payment", a program sold):
// what it asks for now, and when the record shows it paid. Only the card processor's signed
// webhook marks it paid, so the page reads the record again until it does.
import type { Invoice, Package } from '../../lib/clinic-data.ts';
import type { Money } from '../../lib/format.ts';

/**
 * How often the page reads the record while the client may be paying: every 3 s for the first
 * 30 s (most payments land then), then each wait doubles up to 30 s — each read is an audited read
 * of payment information (about 20 reads in five minutes, not 100). Not while the tab is hidden
 * (use-poll.ts).
 */
export const WATCH_PACE = { everyMs: 3000, steadyForMs: 30_000, slowestMs: 30_000 } as const;
/**
 * How long it keeps reading: a client paying on a phone at the desk takes a few minutes; after
 * that the page stops and offers a check.
 */
export const WATCH_FOR_MS = 5 * 60_000;

/**
 * Whether a payment has reached the invoice since the page was made: more paid than then, or
 * nothing left due. Comparing what was paid, not the status, keeps a partly paid invoice's next
 * payment from looking like the last.
 */
export function invoicePaidSince(before: Pick<Invoice, 'paid'>, now: Pick<Invoice, 'paid' | 'balance'>): boolean {
  return now.paid.amount > before.paid.amount || now.balance.amount <= 0;
}

/**
 * What a program's payment page asks for now, and how: the down payment of an installment plan
 * (the monthly payments follow on the same card), else the whole price (by card, or through the
 * pay-later service, which pays the clinic in full).
 */
export function dueNow(pkg: Pick<Package, 'price' | 'payment' | 'schedule'>): { amount: Money; how: string } {
  if (pkg.payment === 'installments' && pkg.schedule) {
    const n = pkg.schedule.count;
    return {
      amount: pkg.schedule.downPayment,
      how: `the down payment; then ${n} monthly payment${n === 1 ? '' : 's'} on the same card`,
    };
  }
  if (pkg.payment === 'bnpl') return { amount: pkg.price, how: 'the whole price, through a pay-later service if it approves the client' };
  return { amount: pkg.price, how: 'the whole price, by card' };
}

/**
 * Where a program sold at the desk stands: waiting for its first payment, paid (active, or later
 * on: a plan's missed installment does not undo the down payment), or lapsed (its payment page
 * expired unpaid and the purchase was cancelled: nothing was charged).
 */
export function programPayment(pkg: Pick<Package, 'status' | 'payments'>): 'waiting' | 'paid' | 'lapsed' {
  if (pkg.status === 'pending_payment') return 'waiting';
  if (pkg.status === 'cancelled' && !pkg.payments.some((p) => p.status === 'succeeded' && p.kind !== 'refund')) return 'lapsed';
  return 'paid';
}
