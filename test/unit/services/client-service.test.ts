// ClientService.create with fakes: who may create a client record, and for whom. A signed-in user
// without a record creates its own only under the e-mail address its sign-in verified, and only
// then is the record linked to the user; staff create records for their own clinic only.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '#adapters/clock.ts';
import { ForbiddenError, ValidationError } from '#domain/errors.ts';
import type { ClinicRepository } from '#db/clinic-repo.ts';
import type { ClientRepository } from '#db/client-repo.ts';
import type { AuditRepository } from '#db/audit-repo.ts';
import { ClientService, type CreateClientInput } from '#services/client-service.ts';
import { at, clinic } from '../domain/fixtures.ts';
import { callerOn, calls, fake } from './fakes.ts';

const NOW = at('2025-03-03', '12:00');
const ROUTE = 'POST /v1/clients';
const EMAIL = 'avery@example.com';

const input: CreateClientInput = {
  clinicId: 'clinic-1',
  firstName: 'Avery',
  lastName: 'Sample',
  email: EMAIL,
  phone: '+12125550123',
  dateOfBirth: '1985-04-12',
  smsConsent: true,
};

function setup() {
  const clinics = fake<ClinicRepository>('clinics', { get: async (id) => (id === 'clinic-1' ? clinic() : null) });
  const clients = fake<ClientRepository>('clients', { create: async () => undefined });
  const service = new ClientService({
    clinics,
    clients,
    audit: fake<AuditRepository>('audit'),
    clock: fixedClock(NOW),
    ids: (p) => `${p}_1`,
  });
  return { service, clients, clinics };
}

const signUp = (verifiedEmail: string | undefined) => callerOn(ROUTE, { sub: 'user-1', roles: ['client'], verifiedEmail });
const frontdesk = (clinicId: string) => callerOn(ROUTE, { sub: 'fd-1', roles: ['frontdesk'], clinicId });

async function validationDetails(p: Promise<unknown>) {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).details;
}

describe('ClientService.create: signing up', () => {
  it('creates the record under the verified address, linked to the user, with the audit entry', async () => {
    const { service, clients } = setup();
    const client = await service.create(signUp(EMAIL), input);
    expect(client).toMatchObject({ id: 'cli_1', clinicId: 'clinic-1', email: EMAIL, createdAt: NOW, intakeCompleted: false, version: 1 });
    expect(calls(clients, 'create')).toHaveBeenCalledTimes(1);
    expect(calls(clients, 'create')).toHaveBeenCalledWith(client, {
      userSub: 'user-1',
      audit: expect.objectContaining({
        clientId: 'cli_1',
        clinicId: 'clinic-1',
        action: 'client.create',
        actor: { sub: 'user-1', roles: ['client'] },
      }),
    });
  });

  it('a sign-in without a verified e-mail address: 400, nothing read or written', async () => {
    const { service, clients, clinics } = setup();
    expect(await validationDetails(service.create(signUp(undefined), input))).toEqual([
      { path: 'email', message: 'Your sign-in has no verified e-mail address' },
    ]);
    expect(calls(clients, 'create')).not.toHaveBeenCalled();
    expect(calls(clinics, 'get')).not.toHaveBeenCalled();
  });

  it('an address other than the verified one: 400, nothing written (nobody takes someone else’s address)', async () => {
    const { service, clients } = setup();
    expect(await validationDetails(service.create(signUp('someone.else@example.com'), input))).toEqual([
      { path: 'email', message: 'Must be the e-mail address you signed in with' },
    ]);
    expect(calls(clients, 'create')).not.toHaveBeenCalled();
  });

  it('may sign up at any clinic: no clinic is asserted for a user without a record', async () => {
    const { service, clinics } = setup();
    await service.create(signUp(EMAIL), input);
    expect(calls(clinics, 'get')).toHaveBeenCalledWith('clinic-1');
  });
});

describe('ClientService.create: staff', () => {
  it('the front desk of the clinic creates a record that is linked to no user', async () => {
    const { service, clients } = setup();
    // staff need no verified address, and the client's address is not theirs
    const client = await service.create(frontdesk('clinic-1'), input);
    expect(calls(clients, 'create')).toHaveBeenCalledWith(client, {
      userSub: undefined,
      audit: expect.objectContaining({ actor: { sub: 'fd-1', roles: ['frontdesk'] } }),
    });
  });

  it('the front desk of another clinic: 403, nothing read or written', async () => {
    const { service, clients, clinics } = setup();
    await expect(service.create(frontdesk('clinic-2'), input)).rejects.toBeInstanceOf(ForbiddenError);
    expect(calls(clinics, 'get')).not.toHaveBeenCalled();
    expect(calls(clients, 'create')).not.toHaveBeenCalled();
  });

  it('a client that already has a record is not signing up: refused on the staff path', async () => {
    const { service, clients } = setup();
    const withRecord = callerOn(ROUTE, { sub: 'user-1', roles: ['client'], clientId: 'cli_0', verifiedEmail: EMAIL });
    await expect(service.create(withRecord, input)).rejects.toBeInstanceOf(ForbiddenError);
    expect(calls(clients, 'create')).not.toHaveBeenCalled();
  });
});
