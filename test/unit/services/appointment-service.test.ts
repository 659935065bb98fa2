// AppointmentService.schedule with fakes: the front desk's day, minimum necessary. Clinical flags
// (intake_missing, clearance_missing, preparation_missing, ride_home_missing) go to those who see
// clinical status (visibility() in shared/auth/policy.ts): the front desk, clinicians and admin;
// finance sees only 'unpaid', and its schedule reads nobody's course of care.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '#adapters/clock.ts';
import { defaultCatalog } from '#domain/catalog.ts';
import { ForbiddenError } from '#domain/errors.ts';
import type { Appointment } from '#domain/types.ts';
import type { Principal } from '#shared/auth/principal.ts';
import type { ClinicRepository, ClinicSetup } from '#db/clinic-repo.ts';
import type { ClientRepository } from '#db/client-repo.ts';
import type { AppointmentRepository } from '#db/appointment-repo.ts';
import type { PackageRepository } from '#db/package-repo.ts';
import type { InvoiceRepository } from '#db/invoice-repo.ts';
import { AppointmentService } from '#services/appointment-service.ts';
import { appt, at, client, clinic, provider, room } from '../domain/fixtures.ts';
import { callerOn, calls, fake } from './fakes.ts';

const DATE = '2025-03-04';
const ROUTE = 'GET /v1/clinics/{clinicId}/schedule';

const SETUP: ClinicSetup = {
  clinic: clinic(),
  providers: [provider('p1')],
  rooms: [room('d1', 'dosing')],
  services: defaultCatalog('USD'),
  programs: [],
  timeOff: [],
};

// an exploration whose client has neither a clearance nor a ride home on file, nor an intake or
// preparation session booked before it, and is not paid for
const exploration = appt('exploration', at(DATE, '10:00'), { providerId: 'p1', roomId: 'd1', clientId: 'client-1' });

function setup(day: Appointment[] = [exploration]) {
  const clinics = fake<ClinicRepository>('clinics', { setup: async () => SETUP });
  const appointments = fake<AppointmentRepository>('appointments', { byClinic: async () => day });
  const clients = fake<ClientRepository>('clients', {
    getMany: async () => [{ ...client({ id: 'client-1' }), scheduleVersion: 1 }],
    // the client's course: this exploration alone
    appointments: async () => day.filter((a) => a.clientId === 'client-1'),
  });
  // booked against no package: no package is read
  const packages = fake<PackageRepository>('packages');
  // no appointment of the day has an invoice (none is self-pay with an invoiceId): none is read
  const invoices = fake<InvoiceRepository>('invoices');
  const service = new AppointmentService({
    appointments,
    clinics,
    clients,
    packages,
    invoices,
    clock: fixedClock(at(DATE, '08:00')),
    ids: (p) => `${p}_1`,
  });
  return { service, appointments, clients };
}

const staff = (role: Principal['roles'][number], clinicId = 'clinic-1') => callerOn(ROUTE, { sub: role, roles: [role], clinicId });

describe('AppointmentService.schedule', () => {
  it.each([
    ['the front desk', staff('frontdesk')],
    ['a clinician', staff('clinician')],
    ['admin', callerOn(ROUTE, { sub: 'ad', roles: ['admin'] })],
  ])('%s sees the clinical flags', async (_who, caller) => {
    const { service, clients } = setup();
    const { entries } = await service.schedule(caller, 'clinic-1', DATE);
    expect(entries.map((e) => e.flags)).toEqual([
      ['intake_missing', 'clearance_missing', 'preparation_missing', 'ride_home_missing', 'unpaid'],
    ]);
    expect(calls(clients, 'appointments')).toHaveBeenCalledWith('client-1');
  });

  it('finance gets no clinical flags, only unpaid', async () => {
    const { service, clients } = setup();
    const { entries } = await service.schedule(staff('finance'), 'clinic-1', DATE);
    expect(entries.map((e) => e.flags)).toEqual([['unpaid']]);
    expect(calls(clients, 'appointments')).not.toHaveBeenCalled();
    // the rest of the entry is the same for everyone
    expect(entries[0]).toMatchObject({
      appointment: exploration,
      client: { id: 'client-1', firstName: 'Avery', lastName: 'Sample' },
      providerName: 'Provider p1',
      roomName: 'Room d1',
    });
  });

  it('lists the day by start time, then by id, whatever order the table gave', async () => {
    const at10 = (id: string) => appt('preparation', at(DATE, '10:00'), { id, roomId: null });
    const day = [
      at10('b'),
      appt('integration', at(DATE, '14:00'), { id: 'a' }),
      appt('intake', at(DATE, '09:00'), { id: 'z' }),
      at10('a2'),
    ];
    const { service } = setup(day);
    const { entries } = await service.schedule(staff('frontdesk'), 'clinic-1', DATE);
    expect(entries.map((e) => e.appointment.id)).toEqual(['z', 'a2', 'b', 'a']);
  });

  it('staff of another clinic: 403, nothing read', async () => {
    const { service, appointments } = setup();
    await expect(service.schedule(staff('frontdesk', 'clinic-2'), 'clinic-1', DATE)).rejects.toBeInstanceOf(ForbiddenError);
    expect(calls(appointments, 'byClinic')).not.toHaveBeenCalled();
  });
});
