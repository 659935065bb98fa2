// Builders for domain tests: a clinic, providers, rooms, clients and appointments with sensible
// defaults, so each test states only what matters to it.

import { defaultCatalog } from '#domain/catalog.ts';
import { creditsFor } from '#domain/package-rules.ts';
import type { Package } from '#domain/packages.ts';
import { resolvePolicy } from '#domain/policy.ts';
import { formatInstant, wallClockToInstant } from '#domain/time.ts';
import {
  WEEKDAYS,
  type Appointment,
  type Client,
  type Clinic,
  type Policy,
  type Provider,
  type Room,
  type Service,
  type ServiceCode,
  type WeeklyHours,
} from '#domain/types.ts';

export const NY = 'America/New_York';
export const TORONTO = 'America/Toronto';
export const REGINA = 'America/Regina';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function clinic(timezone = NY, policy: Partial<Policy> = {}): Clinic {
  const currency = timezone === TORONTO || timezone === REGINA ? 'CAD' : 'USD';
  return {
    id: 'clinic-1',
    name: 'Test Clinic',
    timezone,
    currency,
    country: currency === 'CAD' ? 'CA' : 'US',
    policy: resolvePolicy(policy, currency),
    version: 1,
  };
}

export function service(code: ServiceCode, overrides: Partial<Service> = {}): Service {
  const s = defaultCatalog('USD').find((x) => x.code === code);
  if (!s) throw new Error(`no service ${code}`);
  return { ...s, ...overrides };
}

/** The same hours every day of the week. */
export function everyDay(start: string, end: string): WeeklyHours[] {
  return WEEKDAYS.map((day) => ({ day, start, end }));
}

export const ALL_DAY = everyDay('00:00', '24:00');

export function provider(id: string, overrides: Partial<Provider> = {}): Provider {
  return {
    id,
    clinicId: 'clinic-1',
    name: `Provider ${id}`,
    role: 'therapist',
    credentials: 'LCSW',
    telehealth: true,
    weeklyHours: everyDay('09:00', '17:00'),
    ...overrides,
  };
}

export function room(id: string, kind: Room['kind']): Room {
  return { id, clinicId: 'clinic-1', name: `Room ${id}`, kind };
}

export function client(overrides: Partial<Client> = {}): Client {
  return {
    id: 'client-1',
    clinicId: 'clinic-1',
    firstName: 'Avery',
    lastName: 'Sample',
    email: 'avery@example.com',
    phone: '+15555550100',
    dateOfBirth: '1985-04-12',
    smsConsent: true,
    intakeCompleted: false,
    createdAt: 0,
    version: 1,
    ...overrides,
  };
}

let seq = 0;
export function appt(service: ServiceCode, startsAt: number, overrides: Partial<Appointment> = {}): Appointment {
  seq += 1;
  return {
    id: `appt-${seq}`,
    clinicId: 'clinic-1',
    clientId: 'client-1',
    providerId: 'p1',
    roomId: null,
    service,
    mode: 'in_person',
    startsAt,
    endsAt: startsAt + HOUR,
    status: 'booked',
    createdAt: 0,
    updatedAt: 0,
    version: 1,
    ...overrides,
  };
}

/** Instant of a clinic-local wall-clock time that must exist. */
export function at(date: string, time: string, zone = NY): number {
  const t = wallClockToInstant(date, time, zone);
  if (t === null) throw new Error(`${date} ${time} does not exist in ${zone}`);
  return t;
}

/** Slots (or anything with startsAt) as clinic-local ISO strings, for readable assertions. */
export function starts(slots: { startsAt: number }[], zone = NY): string[] {
  return slots.map((s) => formatInstant(s.startsAt, zone));
}

/** "HH:mm" of each start on one local date, e.g. for comparing days of a DST week. */
export function wallTimesOn(date: string, slots: { startsAt: number }[], zone = NY): string[] {
  return starts(slots, zone)
    .filter((s) => s.startsWith(date))
    .map((s) => s.slice(11, 16));
}

/**
 * A package of four explorations (3,000.00 USD) paid in installments: 25 % down, then 3 × 750.00,
 * nothing paid yet, its Stripe schedule made (first charge at epoch second 1,800,000,000).
 */
export function installmentPackage(overrides: Partial<Package> = {}): Package {
  return {
    id: 'pkg_1',
    clinicId: 'clinic-1',
    clientId: 'client-1',
    programId: 'prg_1',
    programName: 'Four explorations',
    status: 'pending_payment',
    price: { amount: 300_000, currency: 'USD' },
    payment: 'installments',
    plan: {
      count: 3,
      downPaymentPercent: 25,
      downPayment: 75_000,
      installments: [1, 2, 3].map((n) => ({ n, amount: 75_000, dueDate: '2027-01-15', status: 'scheduled' as const, attempts: 0 })),
    },
    credits: creditsFor({ preparation: 2, exploration: 4, integration: 4 }),
    payments: [],
    stripe: { customerId: 'cus_1', scheduleId: 'sub_sched_1', scheduleStartAt: 1_800_000_000 },
    createdAt: 0,
    updatedAt: 0,
    version: 1,
    ...overrides,
  };
}
