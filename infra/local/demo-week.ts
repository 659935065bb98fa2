// A third demo clinic for `npm start`, Lakeview Wellness (demo week) in Chicago, whose last week
// and next week are already full: intakes, medical evaluations with clearances recorded,
// preparation and dosing sessions, a session by video, one missed and one cancelled, past
// sessions completed and paid at the desk, today's started ones checked in. So the front desk's
// day, a clinician's week, a chart, finance's invoices and the revenue report have something to
// show at first sight. Hudson and Lakeshore stay empty: they are the clinics the README's examples
// and the tests book into, and a seeded session there could take the very time one of them asks for.
//
// Everything is written through the services the API uses, each step under a clock set to the
// moment it would have happened (a booking a few days before its session, a completion at its
// end), so every rule applies as it would have then. Seeded once, when the clinic does not exist
// yet: a restart keeps it as it was, and after a week its sessions are history. None of its
// clients consented to texts, so it adds nothing to the SMS outbox: the reminder job skips their
// SMS (no consent) before it asks whether one is too late, so none is dead-lettered.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#adapters/clock.ts';
import type { ServiceCode, Mode } from '#domain/types.ts';
import { addDays, localDate, wallClockToInstant, weekdayOf } from '#domain/time.ts';
import { createServiceContext, appointmentServiceOf } from '#services/context.ts';
import { ClientService } from '#services/client-service.ts';
import { DiagnosisService } from '#services/diagnosis-service.ts';
import { DeskPaymentService } from '#services/desk-payment-service.ts';
import { Caller } from '#shared/auth/policy.ts';
import { seedClinic, weekdays, type DemoClinic } from './seed.ts';

const SEEDER = Caller.system();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DEMO_WEEK_CLINIC: DemoClinic = {
  id: 'demo-chi',
  name: 'Lakeview Wellness (demo week)',
  timezone: 'America/Chicago',
  currency: 'USD',
  country: 'US',
  billing: {
    legalName: 'Lakeview Wellness LLC',
    address: { line1: '2800 N Clark Street', line2: 'Floor 3', city: 'Chicago', region: 'IL', postalCode: '60657', country: 'US' },
    phone: '+13125550180',
    taxId: '36-4821907',
    npi: '1518273645',
  },
  providers: [
    {
      id: 'demo-chi-ther-1',
      name: 'Noor Haddad',
      role: 'therapist',
      credentials: 'LCPC',
      npi: '1902837465',
      licence: { number: '180.012345', jurisdiction: 'IL' },
      telehealth: true,
      weeklyHours: weekdays('08:00', '18:00'),
    },
    {
      id: 'demo-chi-ther-2',
      name: 'Elliot Park',
      role: 'therapist',
      credentials: 'PsyD',
      npi: '1437261985',
      licence: { number: '071.009876', jurisdiction: 'IL' },
      telehealth: true,
      weeklyHours: weekdays('09:00', '17:00'),
    },
    {
      id: 'demo-chi-presc-1',
      name: 'Dr. Imani Brooks',
      role: 'prescriber',
      credentials: 'MD, Psychiatry',
      npi: '1356489273',
      licence: { number: '036.154321', jurisdiction: 'IL' },
      telehealth: true,
      weeklyHours: weekdays('08:00', '16:00'),
    },
  ],
  rooms: [
    { id: 'demo-chi-room-d1', name: 'Dosing room North', kind: 'dosing' },
    { id: 'demo-chi-room-d2', name: 'Dosing room South', kind: 'dosing' },
    { id: 'demo-chi-room-t1', name: 'Therapy room', kind: 'therapy' },
  ],
};

/** Clients of the demo week the web app's local sign-in offers (GET /v1/dev/demo-clients): one with a course under way, one mid-preparation. */
export const DEMO_WEEK_SIGN_IN = [
  { id: 'demo-chi-client-ellis', clinicId: 'demo-chi', name: 'Morgan Ellis' },
  { id: 'demo-chi-client-nair', clinicId: 'demo-chi', name: 'Priya Nair' },
];

interface WeekClient {
  key: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  rideHome?: { name: string; phone: string };
}

/** Fictional people; none consented to texts. */
const PEOPLE: WeekClient[] = [
  {
    key: 'ellis',
    firstName: 'Morgan',
    lastName: 'Ellis',
    dateOfBirth: '1984-02-19',
    rideHome: { name: 'Chris Ellis', phone: '+13125550191' },
  },
  // her ride home is taken off the record after her dosing session is booked (the day view flags it)
  { key: 'nair', firstName: 'Priya', lastName: 'Nair', dateOfBirth: '1990-07-08', rideHome: { name: 'Ravi Nair', phone: '+13125550194' } },
  { key: 'whitfield', firstName: 'Sam', lastName: 'Whitfield', dateOfBirth: '1976-11-23' },
  {
    key: 'kowalski',
    firstName: 'Dana',
    lastName: 'Kowalski',
    dateOfBirth: '1993-05-30',
    rideHome: { name: 'Jo Kowalski', phone: '+13125550192' },
  },
  { key: 'fontaine', firstName: 'Lee', lastName: 'Fontaine', dateOfBirth: '1969-09-14' },
  { key: 'adair', firstName: 'Chris', lastName: 'Adair', dateOfBirth: '1981-03-03' },
  {
    key: 'patel',
    firstName: 'Rowan',
    lastName: 'Patel',
    dateOfBirth: '1987-12-11',
    rideHome: { name: 'Asha Patel', phone: '+13125550193' },
  },
];

/** What happens to a session: still to come, done, missed, cancelled by the client. */
type Outcome = 'booked' | 'completed' | 'no_show' | 'cancelled';

interface PlannedSession {
  client: string;
  service: ServiceCode;
  provider: string;
  /** Working days from today (negative: past), and the local start. */
  day: number;
  time: string;
  mode?: Mode;
  /** Past sessions default to completed, today's and later ones to booked. */
  outcome?: Outcome;
}

const THER1 = 'demo-chi-ther-1';
const THER2 = 'demo-chi-ther-2';
const PRESC = 'demo-chi-presc-1';

/**
 * The fortnight, in working days from today. Morgan Ellis doses today with a ride home arranged;
 * Priya Nair doses tomorrow and her ride home has since come off the record (the day view flags it); Sam Whitfield starts today;
 * Dana Kowalski prepares by video; Lee Fontaine missed the intake; Chris Adair is in ongoing care;
 * Rowan Patel cancelled a preparation session and booked another.
 */
const SESSIONS: PlannedSession[] = [
  { client: 'ellis', service: 'intake', provider: THER1, day: -7, time: '10:00' },
  { client: 'ellis', service: 'medical_evaluation', provider: PRESC, day: -6, time: '09:00' },
  { client: 'ellis', service: 'preparation', provider: THER1, day: -4, time: '10:00' },
  { client: 'ellis', service: 'preparation', provider: THER1, day: -2, time: '10:00', mode: 'telehealth' },
  { client: 'ellis', service: 'exploration', provider: THER1, day: 0, time: '09:00' },
  { client: 'ellis', service: 'integration', provider: THER1, day: 2, time: '10:00' },
  { client: 'nair', service: 'intake', provider: THER2, day: -6, time: '11:00' },
  { client: 'nair', service: 'medical_evaluation', provider: PRESC, day: -5, time: '11:00', mode: 'telehealth' },
  { client: 'nair', service: 'preparation', provider: THER2, day: -3, time: '14:00' },
  { client: 'nair', service: 'preparation', provider: THER2, day: -1, time: '14:00' },
  { client: 'nair', service: 'exploration', provider: THER2, day: 1, time: '09:00' },
  { client: 'nair', service: 'integration', provider: THER2, day: 3, time: '14:00', mode: 'telehealth' },
  { client: 'whitfield', service: 'intake', provider: THER2, day: 0, time: '13:00' },
  { client: 'whitfield', service: 'medical_evaluation', provider: PRESC, day: 1, time: '10:00' },
  { client: 'kowalski', service: 'intake', provider: THER1, day: -5, time: '15:00' },
  { client: 'kowalski', service: 'medical_evaluation', provider: PRESC, day: -4, time: '13:00' },
  { client: 'kowalski', service: 'preparation', provider: THER1, day: 0, time: '15:00', mode: 'telehealth' },
  { client: 'kowalski', service: 'preparation', provider: THER1, day: 2, time: '15:00' },
  { client: 'fontaine', service: 'intake', provider: THER2, day: -2, time: '10:00', outcome: 'no_show' },
  { client: 'fontaine', service: 'intake', provider: THER2, day: 4, time: '10:00' },
  { client: 'adair', service: 'ongoing_care', provider: THER2, day: -3, time: '16:00' },
  { client: 'adair', service: 'ongoing_care', provider: THER2, day: 0, time: '16:00', mode: 'telehealth' },
  { client: 'patel', service: 'intake', provider: THER1, day: -3, time: '09:00' },
  { client: 'patel', service: 'preparation', provider: THER1, day: 1, time: '13:00', outcome: 'cancelled' },
  { client: 'patel', service: 'preparation', provider: THER1, day: 3, time: '11:00' },
];

/** Clearances recorded at the end of the medical evaluation (cleared, valid a year). */
const CLEARED = ['ellis', 'nair', 'kowalski'];
const DIAGNOSES: Record<string, string[]> = { ellis: ['F33.1'], nair: ['F43.10', 'F41.1'], kowalski: ['F33.2'], adair: ['F32.1'] };

/** The working day `n` working days from `today` (Monday to Friday). */
export function workingDay(today: string, n: number): string {
  let date = today;
  // today itself counts as day 0 only on a working day; on a weekend day 0 is the next Monday
  while (['sat', 'sun'].includes(weekdayOf(date))) date = addDays(date, 1);
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0;) {
    date = addDays(date, step);
    if (!['sat', 'sun'].includes(weekdayOf(date))) left--;
  }
  return date;
}

interface Step {
  at: number;
  run: () => Promise<void>;
}

export async function seedDemoWeek(deps: { doc: DynamoDBDocumentClient; tableName: string; clock: Clock }): Promise<void> {
  const realNow = deps.clock.now();
  let now = realNow;
  const clock: Clock = { now: () => now };
  const ctx = createServiceContext({ ...deps, clock });
  const { repos, ids } = ctx;
  if (await repos.clinics.get(DEMO_WEEK_CLINIC.id)) return;
  const zone = DEMO_WEEK_CLINIC.timezone;
  const today = localDate(realNow, zone);
  const start = (day: number, time: string) => wallClockToInstant(workingDay(today, day), time, zone) ?? 0;
  const earliest = start(-7, '07:00') - 3 * DAY;

  now = earliest - DAY;
  await seedClinic({ ...deps, clock }, DEMO_WEEK_CLINIC);
  const clients = new ClientService({ clinics: repos.clinics, clients: repos.clients, audit: repos.audit, clock, ids });
  const diagnoses = new DiagnosisService({ clinics: repos.clinics, clients: repos.clients, clock });
  const appointments = appointmentServiceOf(ctx);
  const payments = new DeskPaymentService({ invoices: repos.invoices, clinics: repos.clinics, packages: repos.packages, clock, ids });
  const setup = await repos.clinics.setup(DEMO_WEEK_CLINIC.id);
  const minutes = (service: ServiceCode) => setup.services.find((s) => s.code === service)?.durationMinutes ?? 60;

  const clientIds = new Map<string, string>();
  for (const [i, p] of PEOPLE.entries()) {
    const id = `demo-chi-client-${p.key}`;
    await clients.create(
      SEEDER,
      {
        clinicId: DEMO_WEEK_CLINIC.id,
        firstName: p.firstName,
        lastName: p.lastName,
        email: `${p.firstName}.${p.lastName}@example.com`.toLowerCase(),
        phone: `+1312555${String(170 + i).padStart(4, '0')}`,
        dateOfBirth: p.dateOfBirth,
        smsConsent: false,
        ...(p.rideHome ? { rideHome: p.rideHome } : {}),
      },
      { id },
    );
    clientIds.set(p.key, id);
  }

  const steps: Step[] = [];
  for (const s of SESSIONS) {
    const startsAt = start(s.day, s.time);
    const endsAt = startsAt + minutes(s.service) * 60_000;
    const clientId = clientIds.get(s.client)!;
    const outcome: Outcome = s.outcome ?? (endsAt <= realNow ? 'completed' : 'booked');
    let appointmentId = '';
    let invoiceId: string | undefined;
    // booked three days ahead (a dosing session a day ahead, its client's clearance on file by then), and by now
    const bookedAt = Math.min(Math.max(earliest, startsAt - (s.service === 'exploration' ? DAY : 3 * DAY)), realNow - 60_000);
    steps.push({
      at: bookedAt,
      run: async () => {
        const placed = await appointments.book(SEEDER, {
          clinicId: DEMO_WEEK_CLINIC.id,
          clientId,
          service: s.service,
          providerId: s.provider,
          startsAt,
          mode: s.mode ?? 'in_person',
        });
        appointmentId = placed.appointment.id;
        invoiceId = placed.appointment.invoiceId;
      },
    });
    if (outcome === 'cancelled') {
      steps.push({
        at: Math.min(bookedAt + HOUR, realNow - 30_000),
        run: async () => void (await appointments.cancel(SEEDER, appointmentId, 'Client asked to move it')),
      });
    } else if (outcome === 'no_show') {
      steps.push({ at: startsAt + 30 * 60_000, run: async () => void (await appointments.noShow(SEEDER, appointmentId)) });
    } else if (outcome === 'completed') {
      if (s.mode !== 'telehealth')
        steps.push({ at: startsAt - 10 * 60_000, run: async () => void (await appointments.checkIn(SEEDER, appointmentId)) });
      steps.push({ at: endsAt, run: async () => void (await appointments.complete(SEEDER, appointmentId)) });
      steps.push({
        at: endsAt + 5 * 60_000,
        run: async () => {
          const invoice = invoiceId ? await repos.invoices.get(invoiceId) : null;
          if (!invoice || !invoiceId) return;
          const due = invoice.lines.filter((l) => !l.voided).reduce((sum, l) => sum + l.amount, 0);
          if (due > 0) await payments.record(SEEDER, invoiceId, { amount: due, method: 'card_terminal', reference: `T-${invoice.number}` });
        },
      });
      if (s.service === 'medical_evaluation' && CLEARED.includes(s.client)) {
        steps.push({
          at: endsAt + 10 * 60_000,
          run: async () => {
            await clients.recordClearance(SEEDER, clientId, {
              status: 'cleared',
              screenedFor: ['blood pressure', 'cardiovascular', 'psychosis history', 'medications'],
              validUntil: addDays(localDate(endsAt, zone), 365),
              notes: 'No contraindications found.',
            });
            const codes = DIAGNOSES[s.client];
            if (codes) await diagnoses.replace(SEEDER, clientId, codes);
          },
        });
      }
      if (s.service === 'intake' && DIAGNOSES[s.client] && !CLEARED.includes(s.client)) {
        steps.push({ at: endsAt + 10 * 60_000, run: async () => void (await diagnoses.replace(SEEDER, clientId, DIAGNOSES[s.client]!)) });
      }
    } else if (startsAt <= realNow && s.mode !== 'telehealth') {
      // today's session under way: its client has arrived
      steps.push({
        at: Math.max(startsAt - 10 * 60_000, realNow - 60_000),
        run: async () => void (await appointments.checkIn(SEEDER, appointmentId)),
      });
    }
  }
  steps.push({
    at: realNow - 30_000,
    run: async () => void (await clients.update(SEEDER, clientIds.get('nair')!, { rideHome: null })),
  });
  // ongoing care needs no course; Chris Adair's diagnoses were recorded long ago
  steps.push({ at: earliest, run: async () => void (await diagnoses.replace(SEEDER, clientIds.get('adair')!, DIAGNOSES.adair!)) });

  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) {
    if (step.at > realNow) continue;
    now = step.at;
    await step.run();
  }
}
