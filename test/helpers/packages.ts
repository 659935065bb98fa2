// Packages bought through the payments API (createTestApi({ payments: true })): a demo clinic's
// program, a purchase, one paid through the local Stripe stub's Checkout and its webhook, the
// installment schedule stored for it, and a session booked on it by the front desk.
import { expect } from 'vitest';
import { PackageRepository } from '#db/package-repo.ts';
import { asClient, frontdesk, type As, type Reply, type TestApi } from './api.ts';

/** The id of a demo clinic's program (four explorations, standard support, unless told). */
export async function programId(api: TestApi, clinicId: string, explorations = 4, tier = 'standard'): Promise<string> {
  const res = await api.call('GET', `/v1/clinics/${clinicId}/programs`);
  return res.body.find((p: { explorations: number; tier: string }) => p.explorations === explorations && p.tier === tier).id;
}

/** POST /v1/packages for the client, by the client unless told: the answer as it is. */
export const buyPackage = (api: TestApi, clientId: string, body: Record<string, unknown>, as: As = asClient(clientId)): Promise<Reply> =>
  api.call('POST', '/v1/packages', { as, body: { clientId, ...body } });

/** A package bought and paid: its Checkout completed at the stub and the webhook delivered. Its id. */
export async function paidPackage(api: TestApi, clientId: string, body: Record<string, unknown>): Promise<string> {
  const res = await buyPackage(api, clientId, body);
  expect(res.status).toBe(201);
  const delivered = await api.deliver(api.payments!.stub!.completeCheckout(res.body.checkoutSessionId, 'paid'));
  expect(delivered.every((d) => d.status === 200)).toBe(true);
  return res.body.package.id as string;
}

/** The Stripe subscription schedule stored for a package paid in installments. */
export async function scheduleIdOf(api: TestApi, packageId: string): Promise<string> {
  const pkg = await new PackageRepository(api.table.doc, api.table.tableName).require(packageId);
  expect(pkg.stripe.scheduleId).toBeDefined();
  return pkg.stripe.scheduleId!;
}

/** A session paid with the package, booked at demo-nyc by its front desk: a video preparation with its second therapist unless told. */
export const bookOnPackage = (
  api: TestApi,
  clientId: string,
  packageId: string,
  startsAt: string,
  session: { service?: string; providerId?: string; mode?: 'in_person' | 'telehealth' } = {},
): Promise<Reply> =>
  api.call('POST', '/v1/appointments', {
    as: frontdesk(),
    body: {
      clinicId: 'demo-nyc',
      clientId,
      providerId: session.providerId ?? 'demo-nyc-ther-2',
      service: session.service ?? 'preparation',
      mode: session.mode ?? 'telehealth',
      startsAt,
      packageId,
    },
  });
