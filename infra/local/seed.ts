// Demo data for `npm start`: one clinic in the US and one in Canada, each with therapists, a
// prescriber, two dosing rooms, a therapy room, weekday hours, the default catalog and a billing
// profile, every provider with a valid NPI and a licence. Written
// through the same services the API uses, with stable ids so the README can name them. Seeding
// a clinic that already exists does nothing, so a restart keeps the data as it was.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#adapters/clock.ts';
import type { BillingProfile, Currency, Country, WeeklyHours } from '#domain/types.ts';
import { createServiceContext } from '#services/context.ts';
import { ClinicService, type ProviderInput } from '#services/clinic-service.ts';
import { ClientService, type CreateClientInput } from '#services/client-service.ts';
import { Caller } from '#shared/auth/policy.ts';
import { defaultPrograms } from '#domain/programs.ts';

const SEEDER = Caller.system();

/** Monday to Friday, the same hours each day. */
export const weekdays = (start: string, end: string): WeeklyHours[] =>
  (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start, end }));

export interface DemoClinic {
  id: string;
  name: string;
  /** What its SMS say, when the name holds a word no SMS may ("Therapy"). */
  smsName?: string;
  timezone: string;
  currency: Currency;
  country: Country;
  billing: BillingProfile;
  providers: Array<ProviderInput & { id: string }>;
  rooms: Array<{ id: string; name: string; kind: 'dosing' | 'therapy' }>;
}

export const DEMO_CLINICS: DemoClinic[] = [
  {
    id: 'demo-nyc',
    name: 'Hudson Wellness (demo)',
    timezone: 'America/New_York',
    currency: 'USD',
    country: 'US',
    billing: {
      legalName: 'Hudson Wellness PLLC',
      address: { line1: '350 Hudson Street', line2: 'Suite 400', city: 'New York', region: 'NY', postalCode: '10014', country: 'US' },
      phone: '+12125550100',
      taxId: '13-4567890',
      npi: '1843927561', // type 2 (the organisation)
    },
    providers: [
      {
        id: 'demo-nyc-ther-1',
        name: 'Avery Stone',
        role: 'therapist',
        credentials: 'LCSW',
        npi: '1234567893',
        licence: { number: 'LCSW-084512', jurisdiction: 'NY' },
        telehealth: true,
        weeklyHours: weekdays('09:00', '17:00'),
      },
      {
        id: 'demo-nyc-ther-2',
        name: 'Jordan Reyes',
        role: 'therapist',
        credentials: 'PsyD',
        npi: '1245319599',
        licence: { number: '021734', jurisdiction: 'NY' },
        telehealth: true,
        weeklyHours: weekdays('10:00', '18:00'),
      },
      {
        id: 'demo-nyc-presc-1',
        name: 'Dr. Morgan Lee',
        role: 'prescriber',
        credentials: 'MD, Psychiatry',
        npi: '1679576722',
        licence: { number: '298841', jurisdiction: 'NY' },
        telehealth: true,
        weeklyHours: weekdays('08:00', '16:00'),
      },
    ],
    rooms: [
      { id: 'demo-nyc-room-d1', name: 'Dosing room 1', kind: 'dosing' },
      { id: 'demo-nyc-room-d2', name: 'Dosing room 2', kind: 'dosing' },
      { id: 'demo-nyc-room-t1', name: 'Therapy room', kind: 'therapy' },
    ],
  },
  {
    id: 'demo-tor',
    name: 'Lakeshore Therapy (demo)',
    smsName: 'Lakeshore (demo)',
    timezone: 'America/Toronto',
    currency: 'CAD',
    country: 'CA',
    billing: {
      legalName: 'Lakeshore Therapy Inc.',
      address: { line1: '200 Queens Quay West', city: 'Toronto', region: 'ON', postalCode: 'M5J 2Y5', country: 'CA' },
      phone: '+14165550142',
      taxId: '864213574RT0001',
      taxNote: 'Psychotherapy services are exempt from GST/HST (Excise Tax Act, Schedule V, Part II).',
    },
    providers: [
      {
        id: 'demo-tor-ther-1',
        name: 'Sam Okafor',
        role: 'therapist',
        credentials: 'RP',
        npi: '1276543216',
        licence: { number: '10234', jurisdiction: 'ON' }, // College of Registered Psychotherapists of Ontario
        telehealth: true,
        weeklyHours: weekdays('09:00', '17:00'),
      },
      {
        id: 'demo-tor-ther-2',
        name: 'Riley Chen',
        role: 'therapist',
        credentials: 'RSW',
        npi: '1348721956',
        licence: { number: '812345', jurisdiction: 'ON' }, // Ontario College of Social Workers and Social Service Workers
        telehealth: false,
        weeklyHours: weekdays('12:00', '20:00'),
      },
      {
        id: 'demo-tor-presc-1',
        name: 'Dr. Casey Martin',
        role: 'prescriber',
        credentials: 'NP',
        npi: '1603984729',
        licence: { number: '0123456', jurisdiction: 'ON' }, // College of Nurses of Ontario
        telehealth: true,
        weeklyHours: weekdays('09:00', '15:00'),
      },
    ],
    rooms: [
      { id: 'demo-tor-room-d1', name: 'Dosing room A', kind: 'dosing' },
      { id: 'demo-tor-room-d2', name: 'Dosing room B', kind: 'dosing' },
      { id: 'demo-tor-room-t1', name: 'Therapy room', kind: 'therapy' },
    ],
  },
];

export async function seedDemoData(deps: { doc: DynamoDBDocumentClient; tableName: string; clock: Clock }): Promise<void> {
  for (const demo of DEMO_CLINICS) await seedClinic(deps, demo);
}

/** One demo clinic, its practitioners, rooms, billing profile and programs: what is missing of it. */
export async function seedClinic(deps: { doc: DynamoDBDocumentClient; tableName: string; clock: Clock }, demo: DemoClinic): Promise<void> {
  const { repos, clock, ids } = createServiceContext(deps);
  const clinics = new ClinicService({ clinics: repos.clinics, appointments: repos.appointments, clock, ids });
  if (!(await repos.clinics.get(demo.id))) {
    await clinics.create(
      SEEDER,
      { name: demo.name, timezone: demo.timezone, currency: demo.currency, country: demo.country },
      { id: demo.id },
    );
    for (const { id, ...provider } of demo.providers) await clinics.addProvider(SEEDER, demo.id, provider, { id });
    for (const { id, ...room } of demo.rooms) await clinics.addRoom(SEEDER, demo.id, room, { id });
  }
  // billing profiles came later than clinics too: a clinic seeded without one gets it now
  if (!(await repos.clinics.require(demo.id)).billing) await clinics.update(SEEDER, demo.id, { billing: demo.billing });
  // so did SMS names
  if (demo.smsName && !(await repos.clinics.require(demo.id)).smsName) await clinics.update(SEEDER, demo.id, { smsName: demo.smsName });
  // programs came later than clinics: a database seeded before them gets them now
  const setup = await repos.clinics.setup(demo.id);
  if (setup.programs.length === 0) {
    let n = 0;
    const programIds = () => `${demo.id}-prg-${++n}`;
    for (const program of defaultPrograms(demo.id, setup.services, demo.currency, programIds, deps.clock.now())) {
      await repos.clinics.putProgram(program);
    }
  }
}

/**
 * Demo clients for the web app's local sign-in ("choose who you are"; GET /v1/dev/demo-clients
 * lists them). Only `npm start` seeds them, not the tests' tables. Fictional people; stable ids.
 */
export const DEMO_CLIENTS: Array<CreateClientInput & { id: string }> = [
  {
    id: 'demo-nyc-client-1',
    clinicId: 'demo-nyc',
    firstName: 'Alex',
    lastName: 'Rivera',
    email: 'alex.rivera@example.com',
    phone: '+12125550161',
    dateOfBirth: '1988-04-12',
    smsConsent: true,
  },
  {
    id: 'demo-nyc-client-2',
    clinicId: 'demo-nyc',
    firstName: 'Jamie',
    lastName: 'Chen',
    email: 'jamie.chen@example.com',
    phone: '+12125550162',
    dateOfBirth: '1979-11-02',
    smsConsent: false,
    rideHome: { name: 'Pat Chen', phone: '+12125550163' },
  },
  {
    id: 'demo-tor-client-1',
    clinicId: 'demo-tor',
    firstName: 'Taylor',
    lastName: 'Brooks',
    email: 'taylor.brooks@example.com',
    phone: '+14165550164',
    dateOfBirth: '1991-06-30',
    smsConsent: true,
  },
];

export async function seedDemoClients(deps: { doc: DynamoDBDocumentClient; tableName: string; clock: Clock }): Promise<void> {
  const { repos, clock, ids } = createServiceContext(deps);
  const clients = new ClientService({ clinics: repos.clinics, clients: repos.clients, audit: repos.audit, clock, ids });
  for (const { id, ...input } of DEMO_CLIENTS) {
    if (!(await repos.clients.get(id))) await clients.create(SEEDER, input, { id });
  }
}
