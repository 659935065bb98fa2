// PackageService.get with fakes: a package is shown only to those its route's grants allow on it —
// the client it belongs to, and staff and admin of its clinic.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '#adapters/clock.ts';
import type { PaymentGateway } from '#adapters/payment-gateway.ts';
import { ForbiddenError } from '#domain/errors.ts';
import { creditsFor } from '#domain/package-rules.ts';
import type { Package } from '#domain/packages.ts';
import type { Clinic } from '#domain/types.ts';
import type { Principal } from '#shared/auth/principal.ts';
import type { ClinicRepository } from '#db/clinic-repo.ts';
import type { ClientRepository } from '#db/client-repo.ts';
import type { PackageRepository } from '#db/package-repo.ts';
import type { InvoiceRepository } from '#db/invoice-repo.ts';
import type { AuditRepository } from '#db/audit-repo.ts';
import type { AppointmentService } from '#services/appointment-service.ts';
import { PackageService } from '#services/package-service.ts';
import { callerOn, calls, fake } from './fakes.ts';

const ROUTE = 'GET /v1/packages/{packageId}';

const PKG: Package = {
  id: 'pkg_1',
  clinicId: 'clinic-1',
  clientId: 'client-1',
  programId: 'prg_1',
  programName: 'Three explorations',
  status: 'active',
  price: { amount: 300_000, currency: 'USD' },
  payment: 'pay_in_full',
  credits: creditsFor({ preparation: 1, exploration: 3, integration: 3 }),
  payments: [],
  stripe: {},
  createdAt: 0,
  updatedAt: 0,
  version: 1,
};

function setup() {
  const packages = fake<PackageRepository>('packages', { require: async () => PKG });
  const service = new PackageService(
    {
      clinics: fake<ClinicRepository>('clinics', { require: async () => ({ timezone: 'America/New_York' }) as Clinic }),
      clients: fake<ClientRepository>('clients'),
      packages,
      invoices: fake<InvoiceRepository>('invoices'),
      audit: fake<AuditRepository>('audit'),
      clock: fixedClock(0),
      ids: (p) => `${p}_1`,
    },
    fake<PaymentGateway>('gateway'),
    fake<AppointmentService>('appointments'),
    { appBaseUrl: 'https://app.example.com' },
  );
  return { service, packages };
}

const as = (principal: Principal) => callerOn(ROUTE, principal);

describe('PackageService.get', () => {
  it.each([
    ['the client it belongs to', as({ sub: 'u1', roles: ['client'], clientId: 'client-1' })],
    ['finance of its clinic', as({ sub: 'f', roles: ['finance'], clinicId: 'clinic-1' })],
    ['the front desk of its clinic', as({ sub: 'fd', roles: ['frontdesk'], clinicId: 'clinic-1' })],
    ['admin', as({ sub: 'ad', roles: ['admin'] })],
  ])('%s: the package', async (_who, caller) => {
    const { service, packages } = setup();
    const got = await service.get(caller, 'pkg_1');
    expect(got.pkg).toBe(PKG);
    expect(got.timezone).toBe('America/New_York');
    expect(calls(packages, 'require')).toHaveBeenCalledWith('pkg_1');
  });

  it.each([
    ['another client', as({ sub: 'u2', roles: ['client'], clientId: 'client-2' })],
    ['finance of another clinic', as({ sub: 'f', roles: ['finance'], clinicId: 'clinic-2' })],
    ['the front desk of another clinic', as({ sub: 'fd', roles: ['frontdesk'], clinicId: 'clinic-2' })],
  ])('%s: 403', async (_who, caller) => {
    const { service } = setup();
    await expect(service.get(caller, 'pkg_1')).rejects.toBeInstanceOf(ForbiddenError);
  });
});
