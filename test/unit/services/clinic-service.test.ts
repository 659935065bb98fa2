// ClinicService.availability with fakes: who the client-only rules (minimum notice, booking window)
// bind. The service tells the domain (computeAvailability's enforceClientPolicy): false for the
// front desk of the clinic and admin, true for clients, anonymous callers and anyone else's staff.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '#adapters/clock.ts';
import { computeAvailability } from '#domain/availability.ts';
import type * as Availability from '#domain/availability.ts';
import { defaultCatalog } from '#domain/catalog.ts';
import { ValidationError } from '#domain/errors.ts';
import type { Principal } from '#shared/auth/principal.ts';
import type { ClinicRepository, ClinicSetup } from '#db/clinic-repo.ts';
import type { AppointmentRepository } from '#db/appointment-repo.ts';
import { ClinicService, type AvailabilityQuery } from '#services/clinic-service.ts';
import { ALL_DAY, appt, at, clinic, HOUR, provider, room, starts } from '../domain/fixtures.ts';
import { callerOn, calls, fake } from './fakes.ts';

// the real rule, watched: what the service passes to the domain is part of what is tested
vi.mock('#domain/availability.ts', async (importOriginal) => {
  const real = await importOriginal<typeof Availability>();
  return { ...real, computeAvailability: vi.fn(real.computeAvailability) };
});
afterEach(() => vi.mocked(computeAvailability).mockClear());

const NOW = at('2025-03-03', '08:00'); // a Monday; the default minimum notice is 24 h
const ROUTE = 'GET /v1/clinics/{clinicId}/availability';
const query: AvailabilityQuery = { service: 'preparation', from: '2025-03-03', to: '2025-03-04', mode: 'telehealth' };

const SETUP: ClinicSetup = {
  clinic: clinic(),
  providers: [provider('p1', { weeklyHours: ALL_DAY })],
  rooms: [],
  services: defaultCatalog('USD'),
  programs: [],
  timeOff: [],
};

function setup(busy = [appt('preparation', at('2025-03-04', '10:00'), { providerId: 'p1' })]) {
  const clinics = fake<ClinicRepository>('clinics', { setup: async () => SETUP });
  const appointments = fake<AppointmentRepository>('appointments', { byClinic: async () => busy });
  const service = new ClinicService({ clinics, appointments, clock: fixedClock(NOW), ids: (p) => `${p}_1` });
  return { service, clinics, appointments };
}

const as = (principal: Principal | null) => callerOn(ROUTE, principal);
const client = as({ sub: 'u1', roles: ['client'], clientId: 'client-1' });
const frontdesk = (clinicId: string) => as({ sub: 'fd', roles: ['frontdesk'], clinicId });
const admin = as({ sub: 'ad', roles: ['admin'] });
const clinician = as({ sub: 'cl', roles: ['clinician'], clinicId: 'clinic-1' });

const enforced = () => vi.mocked(computeAvailability).mock.calls.map(([input]) => input.enforceClientPolicy);

describe('ClinicService.availability: client policy', () => {
  it.each([
    ['a client', client],
    ['an anonymous caller', as(null)],
    ['the front desk of another clinic', frontdesk('clinic-2')],
    ['a clinician of the clinic (does not book for clients)', clinician],
  ])('%s: minimum notice applies (enforceClientPolicy: true)', async (_who, caller) => {
    const { service } = setup();
    const { slots } = await service.availability(caller, 'clinic-1', query);
    expect(enforced()).toEqual([true]);
    expect(slots.length).toBeGreaterThan(0);
    expect(Math.min(...slots.map((s) => s.startsAt))).toBeGreaterThanOrEqual(NOW + 24 * HOUR);
  });

  it.each([
    ['the front desk of the clinic', frontdesk('clinic-1')],
    ['admin', admin],
  ])('%s: every start inside hours, notice or not (enforceClientPolicy: false)', async (_who, caller) => {
    const { service } = setup();
    const { slots } = await service.availability(caller, 'clinic-1', query);
    expect(enforced()).toEqual([false]);
    expect(starts(slots)).toContain('2025-03-03T09:00:00-05:00');
  });
});

describe('ClinicService.availability: what it reads', () => {
  it('an active appointment makes its provider busy; the appointments are read for the range and the longest session before it', async () => {
    const { service, appointments } = setup();
    const { slots } = await service.availability(admin, 'clinic-1', query);
    expect(starts(slots)).not.toContain('2025-03-04T10:00:00-05:00');
    expect(starts(slots)).toContain('2025-03-04T11:00:00-05:00');
    expect(calls(appointments, 'byClinic')).toHaveBeenCalledWith(
      'clinic-1',
      at('2025-03-03', '00:00') - 24 * HOUR,
      at('2025-03-05', '00:00'),
    );
  });

  it('a cancelled appointment does not', async () => {
    const { service } = setup([appt('preparation', at('2025-03-04', '10:00'), { providerId: 'p1', status: 'cancelled' })]);
    const { slots } = await service.availability(admin, 'clinic-1', query);
    expect(starts(slots)).toContain('2025-03-04T10:00:00-05:00');
  });

  it('more than 31 days: 400 before anything is read', async () => {
    const { service, clinics } = setup();
    await expect(service.availability(client, 'clinic-1', { ...query, to: '2025-04-03' })).rejects.toBeInstanceOf(ValidationError);
    expect(calls(clinics, 'setup')).not.toHaveBeenCalled();
  });
});

describe('ClinicService lists by name, then id', () => {
  const named = <T extends { id: string; name: string }>(items: Array<[string, string]>, make: (id: string, name: string) => T) =>
    items.map(([id, name]) => make(id, name));
  const list: Array<[string, string]> = [
    ['a', 'Willow'],
    ['c', 'Aspen'],
    ['b', 'Aspen'],
    ['d', 'Maple'],
  ];

  it('rooms (staff) and providers (anyone) come in name order, ties by id, whatever order the table gave', async () => {
    const clinics = fake<ClinicRepository>('clinics', {
      setup: async () => ({
        ...SETUP,
        rooms: named(list, (id, name) => ({ ...room(id, 'therapy'), name })),
        providers: named(list, (id, name) => provider(id, { name })),
      }),
    });
    const service = new ClinicService({
      clinics,
      appointments: fake<AppointmentRepository>('appointments'),
      clock: fixedClock(NOW),
      ids: (p) => `${p}_1`,
    });
    const staff = callerOn('GET /v1/clinics/{clinicId}/rooms', { sub: 'fd', roles: ['frontdesk'], clinicId: 'clinic-1' });
    expect((await service.rooms(staff, 'clinic-1')).map((r) => r.id)).toEqual(['b', 'c', 'd', 'a']);
    expect((await service.providers('clinic-1')).map((p) => p.id)).toEqual(['b', 'c', 'd', 'a']);
  });
});
