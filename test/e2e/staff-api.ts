// Data the staff specs set up through the API before driving the pages (finance.spec.ts,
// staff-money.spec.ts, staff-records.spec.ts, …): a staff token, a new client of Hudson Wellness (or
// another clinic), a self-pay session at a random open time (other specs book at the same clinic at
// once, so a taken time is tried again), and the local staff sign-in.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, storeToken } from './fixtures.ts';

export const CLINIC = 'demo-nyc';

/** Sets the local server's dev clock (`null`: back to real time). Only the clock-moving specs may. */
export async function setClock(request: APIRequestContext, now: string | null): Promise<void> {
  const res = await request.post('/v1/dev/clock', { data: { now } });
  expect(res.ok(), await res.text()).toBe(true);
}

/** A weekday `days` ahead or the next one (UTC date): each clock spec books a week of its own. */
export function weekdayAhead(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
const ZONE = 'America/New_York';

/** An instant as the app writes it in a sentence, in the clinic's zone: "Mon, Dec 14, 2026, 10:00 AM". */
export const nyDateTime = (iso: string): string =>
  new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));

/** A clinic-local date (YYYY-MM-DD) in New York, `days` from today. */
export function nyDate(days = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

/** "-05:00": New York's offset at noon of the date (a clock change happens at night). */
export function nyOffset(day: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${day}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')?.value;
  return name?.replace('GMT', '') ?? '-05:00';
}

/** "Monday, March 1, 2027": the day view's heading of a clinic-local date. */
export const longDay = (day: string) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  });

/** A local staff token of the clinic (Hudson Wellness unless told; `undefined`: none, as an admin's). */
export async function staffToken(
  request: APIRequestContext,
  role: 'frontdesk' | 'clinician' | 'finance' | 'admin',
  clinicId: string | undefined = CLINIC,
): Promise<string> {
  const res = await request.post('/v1/dev/token', { data: { role, ...(clinicId ? { clinicId } : {}) } });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { token: string }).token;
}

/** The authorization header of a token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The authorization header of a local staff token of the clinic. */
export async function staffHeaders(
  request: APIRequestContext,
  role: 'frontdesk' | 'clinician' | 'finance',
  clinicId = CLINIC,
): Promise<Record<string, string>> {
  return bearer(await staffToken(request, role, clinicId));
}

/** The authorization header of an admin (all clinics). */
export const adminHeaders = async (request: APIRequestContext) => bearer(await staffToken(request, 'admin', undefined));

/** A new client of the clinic (Hudson Wellness unless told; a unique e-mail each time), added by the front desk: its id. */
export async function newClient(
  request: APIRequestContext,
  headers: Record<string, string>,
  name: { firstName: string; lastName: string },
  clinicId = CLINIC,
): Promise<string> {
  const created = await request.post('/v1/clients', {
    headers,
    data: {
      clinicId,
      ...name,
      email: `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
      phone: clinicId === CLINIC ? '+12125550178' : '+14165550178',
      dateOfBirth: '1985-03-14',
      smsConsent: false,
    },
  });
  expect(created.ok(), await created.text()).toBe(true);
  return ((await created.json()) as { id: string }).id;
}

/** An open time as the availability route answers it. */
export interface Slot {
  startsAt: string;
  endsAt: string;
  providerId: string;
  roomId: string | null;
}

/** A self-pay intake at a random open time in the next four weeks: its invoice, nothing paid. */
export async function selfPayIntake(request: APIRequestContext, headers: Record<string, string>, clientId: string): Promise<string> {
  return (await selfPayBooking(request, headers, clientId)).invoiceId;
}

export interface Booking {
  id: string;
  startsAt: string;
  endsAt: string;
  providerId: string;
  invoiceId: string;
}

/**
 * A self-pay session (an intake unless told) at a random open time from `fromDays` to `toDays`
 * ahead (clinic `clinic`): the appointment, nothing paid.
 */
export async function selfPayBooking(
  request: APIRequestContext,
  headers: Record<string, string>,
  clientId: string,
  opts: {
    service?: string;
    mode?: 'in_person' | 'telehealth';
    providerId?: string;
    fromDays?: number;
    toDays?: number;
    clinic?: string;
  } = {},
): Promise<Booking> {
  const { service = 'intake', mode = 'in_person', fromDays = 1, toDays = 28, clinic = CLINIC } = opts;
  const open = await request.get(`/v1/clinics/${clinic}/availability`, {
    headers,
    params: { service, mode, from: nyDate(fromDays), to: nyDate(toDays), ...(opts.providerId ? { providerId: opts.providerId } : {}) },
  });
  expect(open.ok(), await open.text()).toBe(true);
  const { slots } = (await open.json()) as { slots: { startsAt: string; providerId: string }[] };
  expect(slots.length).toBeGreaterThan(0);
  for (let attempt = 0; attempt < 6; attempt++) {
    const slot = slots[Math.floor(Math.random() * slots.length)]!;
    const booked = await request.post('/v1/appointments', {
      headers,
      data: { clientId, clinicId: clinic, service, providerId: slot.providerId, startsAt: slot.startsAt, mode },
    });
    if (booked.status() === 409) continue;
    expect(booked.ok(), await booked.text()).toBe(true);
    return (await booked.json()) as Booking;
  }
  throw new Error(`no open ${service} time`);
}

/** What a dosing session needs, set up by the clinic: a ride-home contact and the clearance. */
export async function readyForDosing(request: APIRequestContext, clientId: string): Promise<void> {
  const desk = await staffHeaders(request, 'frontdesk');
  const patched = await request.patch(`/v1/clients/${clientId}`, {
    headers: desk,
    data: { rideHome: { name: 'Casey Driver', phone: '+12125550189' } },
  });
  expect(patched.ok(), await patched.text()).toBe(true);
  const cleared = await request.post(`/v1/clients/${clientId}/clearance`, {
    headers: await staffHeaders(request, 'clinician'),
    data: { status: 'cleared', screenedFor: ['cardiac', 'medications'] },
  });
  expect(cleared.status(), await cleared.text()).toBe(201);
}

/**
 * Sessions booked in person by the front desk one after another, each at one of the first open
 * times after the one before (from `fromDays` ahead; weekends have none): their appointments.
 */
export async function bookInOrder(request: APIRequestContext, clientId: string, services: string[], fromDays: number): Promise<Booking[]> {
  const desk = await staffHeaders(request, 'frontdesk');
  const out: Booking[] = [];
  for (const service of services) {
    const after = out.at(-1)?.endsAt;
    const open = await request.get(`/v1/clinics/${CLINIC}/availability`, {
      headers: desk,
      params: { service, mode: 'in_person', from: nyDate(fromDays), to: nyDate(fromDays + 14) },
    });
    expect(open.ok(), await open.text()).toBe(true);
    const slots = ((await open.json()) as { slots: Slot[] }).slots.filter((s) => !after || Date.parse(s.startsAt) >= Date.parse(after));
    let booked: Booking | undefined;
    let refused = `none of ${slots.length} open`;
    for (let attempt = 0; attempt < 8 && !booked; attempt++) {
      // a time taken meanwhile (a parallel test) is not tried again
      const [slot] = slots.splice(Math.floor(Math.random() * Math.min(slots.length, 8)), 1);
      if (!slot) break;
      const res = await request.post('/v1/appointments', {
        headers: desk,
        data: { clientId, clinicId: CLINIC, service, providerId: slot.providerId, startsAt: slot.startsAt, mode: 'in_person' },
      });
      if (res.status() === 409) {
        refused = await res.text();
        continue;
      }
      expect(res.status(), await res.text()).toBe(201);
      booked = (await res.json()) as Booking;
    }
    if (!booked) throw new Error(`no open ${service} time (${refused})`);
    out.push(booked);
  }
  return out;
}

/** Signs in on the local sign-in page as a staff role of Hudson Wellness (or another clinic), and waits for the staff side. */
export async function signInAsStaff(
  page: Page,
  role: 'finance' | 'frontdesk' | 'clinician',
  clinicName = 'Hudson Wellness (demo)',
  /** The staff page to wait for (default: any). */
  landsOn: RegExp = /\/staff\//,
): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: clinicName });
  await page.getByRole('button', { name: 'Continue as staff' }).click();
  await expect(page).toHaveURL(landsOn);
}

let phones = 0;

/**
 * A mobile number, as typed, that no other test has put on a record of this run's database: the
 * new-client form warns about a number already on a record, and a retry or `--repeat-each` runs
 * the same test again against the same database. New York's 332 area code, by the time, the
 * process and a counter.
 */
export function uniquePhone(): string {
  const n = (Date.now() * 7 + process.pid * 131 + ++phones * 7919) % 8_000_000;
  const exchange = 200 + (Math.floor(n / 10_000) % 800);
  return `(332) ${exchange}-${String(n % 10_000).padStart(4, '0')}`;
}

/** The day's list view (`day`: YYYY-MM-DD, clinic-local), and its rows of the client named `name`. */
export async function dayListRows(page: Page, day: string, name: string) {
  await page.goto(`/staff/day?date=${day}`);
  await page.getByRole('button', { name: 'List' }).click();
  return page.getByRole('list', { name: 'Appointments in time order' }).getByRole('button', { name: new RegExp(name) });
}

/** The clinic-local date of a time the API gave in the clinic's own offset. */
export const localDate = (iso: string) => iso.slice(0, 10);

/**
 * A new client's paid self-pay intake, cancelled on time (all of it owed back), whose refund the
 * refund job gave up on at once (POST /v1/dev/invoices/{id}/refund/give-up): the invoice's id and
 * number. The local refund job runs every 30 s and may make the refund first (409 "Nothing is
 * owed back"): then a new booking, a few times at most.
 */
export async function givenUpRefund(
  request: APIRequestContext,
  name: { firstName: string; lastName: string },
): Promise<{ invoiceId: string; number: number }> {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, name);
  for (let attempt = 0; attempt < 5; attempt++) {
    // four days ahead at the soonest: cancelling is free (the cancellation window is 48 hours)
    const booking = await selfPayBooking(request, headers, clientId, { fromDays: 4 });
    const checkout = await request.post(`/v1/invoices/${booking.invoiceId}/checkout`, { headers, data: {} });
    expect(checkout.ok(), await checkout.text()).toBe(true);
    const { checkoutSessionId } = (await checkout.json()) as { checkoutSessionId: string };
    const paid = await request.post(`/v1/dev/checkout/${checkoutSessionId}/complete`, { data: { outcome: 'paid' } });
    expect(paid.ok(), await paid.text()).toBe(true);
    const cancelled = await request.post(`/v1/appointments/${booking.id}/cancel`, { headers, data: {} });
    expect(cancelled.ok(), await cancelled.text()).toBe(true);
    expect(((await cancelled.json()) as { late: boolean }).late).toBe(false);

    const givenUp = await request.post(`/v1/dev/invoices/${booking.invoiceId}/refund/give-up`);
    if (givenUp.status() === 409) continue;
    expect(givenUp.ok(), await givenUp.text()).toBe(true);
    const invoice = await request.get(`/v1/invoices/${booking.invoiceId}`, { headers });
    const { number } = (await invoice.json()) as { number: number };
    return { invoiceId: booking.invoiceId, number };
  }
  throw new Error('the refund job made every refund before it could be given up on');
}

/**
 * A new therapist of Hudson Wellness who works by video every day: a name of its own, and an NPI
 * and licence as a real one has, since other specs booking "anyone" may get a session with them
 * (the superbill spec needs the practitioner's NPI).
 */
export async function newPractitioner(request: APIRequestContext, headers: Record<string, string>, name: string): Promise<string> {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const res = await request.post(`/v1/clinics/${CLINIC}/providers`, {
    headers,
    data: {
      name,
      role: 'therapist',
      credentials: 'LMFT',
      npi: '1234567893',
      licence: { number: 'LMFT-2207', jurisdiction: 'NY' },
      telehealth: true,
      weeklyHours: days.map((day) => ({ day, start: '08:00', end: '20:00' })),
    },
  });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { id: string }).id;
}

/** Signs the page in as the client (a local client token in the app's storage; open a page next). */
export async function signInAsClient(page: Page, request: APIRequestContext, clientId: string) {
  const token = await request.post('/v1/dev/token', { data: { role: 'client', clientId, sub: `e2e-${clientId}` } });
  expect(token.ok()).toBe(true);
  await storeToken(page, ((await token.json()) as { token: string }).token);
}
