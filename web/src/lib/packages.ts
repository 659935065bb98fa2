// A client's programs (packages): which it holds, their credits and whether one pays for a session.
//
// One call: GET /v1/clients/{id}/packages (newest first). Not cached: credits change with every
// booking.
import { ok, type Api } from '../api/client.ts';
import type { Package, ServiceCode } from './clinic-data.ts';

export type CreditService = keyof Package['credits'];
export const CREDIT_SERVICES: readonly CreditService[] = ['preparation', 'exploration', 'integration'];

export const PACKAGE_STATUS: Record<Package['status'], { label: string; tone: 'neutral' | 'good' | 'warn' | 'bad' }> = {
  pending_payment: { label: 'Not paid yet', tone: 'neutral' },
  active: { label: 'Active', tone: 'good' },
  past_due: { label: 'Payment past due', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  completed: { label: 'All sessions used', tone: 'neutral' },
};

export const PAYMENT_WORDS: Record<Package['payment'], string> = {
  pay_in_full: 'Paid in full',
  bnpl: 'Pay later (Affirm or Klarna)',
  installments: 'Installment plan',
};

/** The client's packages, newest first. */
export async function clientPackages(api: Api, clientId: string): Promise<Package[]> {
  return ok(api.GET('/v1/clients/{clientId}/packages', { params: { path: { clientId } } }));
}

/** Worth showing on My care: every package except a checkout that ran out without a payment. */
export const worthShowing = (p: Package) => p.status !== 'cancelled' || p.payments.some((x) => x.status === 'succeeded');

const isCreditService = (service: ServiceCode): service is CreditService => (CREDIT_SERVICES as readonly string[]).includes(service);

/**
 * Credits of `service` the package can pay with now (shared/domain/package-rules.ts): an active
 * package; a past-due one still books preparation and integration, not a dosing session.
 */
export function creditsLeft(p: Package, service: ServiceCode): number {
  if (!isCreditService(service)) return 0;
  const usable = p.status === 'active' || (p.status === 'past_due' && service !== 'exploration');
  return usable ? p.credits[service].remaining : 0;
}

/** The next charge of an installment plan that is still to come, if any. */
export function nextInstallment(p: Package): NonNullable<Package['schedule']>['installments'][number] | undefined {
  return p.schedule?.installments.find((i) => i.status === 'scheduled' || i.status === 'failed');
}

/**
 * Back from saving another card for a past-due plan: settled once the package is no longer past
 * due (the missed payment confirmed by the webhook), or was never past due (a card changed ahead).
 */
export const newCardSettled = (pkg: Pick<Package, 'status'>): boolean => pkg.status !== 'past_due';
