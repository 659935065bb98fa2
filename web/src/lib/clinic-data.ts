// A clinic's public setup (its zone, currency, policy, catalog, practitioners, programs), read once
// per page load and shared by every page: it changes rarely and is public.
import { ok, type Api } from '../api/client.ts';
import type { paths } from '../api/openapi';

type Json<P extends keyof paths, M extends 'get'> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer T } } } }
  ? T
  : never;

export type Clinic = Json<'/v1/clinics/{clinicId}', 'get'>;
export type Service = Json<'/v1/clinics/{clinicId}/services', 'get'>[number];
export type ServiceCode = Service['code'];
export type Provider = Json<'/v1/clinics/{clinicId}/providers', 'get'>[number];
export type Program = Json<'/v1/clinics/{clinicId}/programs', 'get'>[number];
export type Slot = Json<'/v1/clinics/{clinicId}/availability', 'get'>['slots'][number];
export type Appointment = Json<'/v1/clients/{clientId}/appointments', 'get'>[number];
export type Invoice = Json<'/v1/invoices/{invoiceId}', 'get'>;
export type Client = Json<'/v1/clients/{clientId}', 'get'>;
export type Package = Json<'/v1/packages/{packageId}', 'get'>;
export type Superbill = Json<'/v1/clients/{clientId}/superbill', 'get'>;
export type WaitlistEntry = Json<'/v1/clients/{clientId}/waitlist', 'get'>['entries'][number];

export interface ClinicSetup {
  clinic: Clinic;
  services: Service[];
  providers: Provider[];
  programs: Program[];
}

const cache = new Map<string, Promise<ClinicSetup>>();

export function clinicSetup(api: Api, clinicId: string): Promise<ClinicSetup> {
  let setup = cache.get(clinicId);
  if (!setup) {
    const path = { params: { path: { clinicId } } };
    setup = Promise.all([
      ok(api.GET('/v1/clinics/{clinicId}', path)),
      ok(api.GET('/v1/clinics/{clinicId}/services', path)),
      ok(api.GET('/v1/clinics/{clinicId}/providers', path)),
      ok(api.GET('/v1/clinics/{clinicId}/programs', path)),
    ]).then(([clinic, services, providers, programs]) => ({ clinic, services, providers, programs }));
    // a failed read is not kept: the next page tries again
    setup.catch(() => cache.delete(clinicId));
    cache.set(clinicId, setup);
  }
  return setup;
}

/** Drops the clinic's cached setup (after an admin changed it): the next page reads it again. */
export function forgetClinicSetup(clinicId: string): void {
  cache.delete(clinicId);
}

/** What each service is called on screen (the catalog's own name where the clinic renamed it). */
export function serviceName(setup: Pick<ClinicSetup, 'services'>, code: string): string {
  return setup.services.find((s) => s.code === code)?.name ?? code.replace(/_/g, ' ');
}

export const providerName = (setup: ClinicSetup, id: string) => setup.providers.find((p) => p.id === id)?.name ?? 'Your practitioner';
