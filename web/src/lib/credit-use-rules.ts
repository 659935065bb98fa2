// "Use program credit" on a session booked and paid singly (POST /v1/appointments/{id}/use-credit,
// docs/api.md): which of the client's programs can pay for it now, and what happens to the money
// for it once one does — what was paid is refunded to the card, or nothing is charged (its invoice
// is voided). The API decides again (shared/domain/package-rules.ts creditUseRefusal); this only
// chooses what to offer. Pure (no React): web/test/credit-use-rules.test.ts has its cases.
import type { Appointment, Invoice, Package } from './clinic-data.ts';
import type { Money } from './format.ts';
import { creditsLeft } from './packages.ts';

/**
 * The program that can pay for `a` with one of its credits, or undefined: a session still booked or
 * checked in, paid singly (its own invoice, no program), and a program with a credit of its service
 * usable now (creditsLeft: active; past due still pays a preparation or integration). Of several,
 * the oldest (`packages` come newest first), whose credits the client bought first.
 */
export function creditPayer(a: Appointment, packages: readonly Package[]): Package | undefined {
  if (a.status !== 'booked' && a.status !== 'checked_in') return undefined;
  if (a.packageId || !a.invoiceId) return undefined;
  return [...packages].reverse().find((p) => p.clinicId === a.clinicId && p.clientId === a.clientId && creditsLeft(p, a.service) > 0);
}

/** What using the credit does to the money of the session: `refund` what the invoice holds, or `nothing` charged. */
export type CreditMoney = { kind: 'refund'; amount: Money } | { kind: 'nothing' };

/** From the session's invoice: what it holds (paid less refunded) is refunded; holding nothing, nothing is charged. */
export function creditMoney(invoice: Pick<Invoice, 'paid' | 'refunded'>): CreditMoney {
  const held = invoice.paid.amount - invoice.refunded.amount;
  return held > 0 ? { kind: 'refund', amount: { amount: held, currency: invoice.paid.currency } } : { kind: 'nothing' };
}
