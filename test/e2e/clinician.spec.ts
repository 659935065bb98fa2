// The client chart, the clinician's gate: a clinician clears a client and the exploration then
// books. Set up through the API as the front desk (a client with a ride-home contact, an intake
// and two preparations; the exploration refused with 422 clearance_required), then in the browser
// the clinician sees "Clearance missing", records the clearance and a diagnosis found by the code
// search, and the exploration books (201). "Complete" on the chart needs a session whose start has
// passed both for the API and for the browser (whose clock the app also uses to read the
// session's token, so it cannot run days ahead): the dev clock is moved BACK to book the intake
// at a time that is already past in real time, then set back (its text reminders, due before it,
// are dead-lettered as too late: one expected "sms dead-lettered" line in the output). And what
// each role sees.
//
// Moving the dev clock moves "now" for the whole server, so this file runs in its own project
// after every other test (playwright.config.ts, MOVES_THE_CLOCK), serially, and sets the clock back.
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { bearer, setClock, staffToken } from './staff-api.ts';

test.describe.configure({ mode: 'serial' });

const CLINIC = 'demo-nyc';
const CLINIC_NAME = 'Hudson Wellness (demo)';
const ZONE = 'America/New_York';

interface Slot {
  startsAt: string;
  endsAt: string;
  providerId: string;
}
interface Booked {
  id: string;
  startsAt: string;
  endsAt: string;
  service: string;
}

/** A clinic-local date (YYYY-MM-DD) `days` after today's in New York. */
function nyDate(days: number, from = new Date()): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(from);
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A new client of demo-nyc with a ride-home contact, created by the front desk; its id. */
async function createClient(request: APIRequestContext, frontdesk: string, firstName: string): Promise<string> {
  const res = await request.post('/v1/clients', {
    headers: { ...bearer(frontdesk), 'idempotency-key': randomUUID() },
    data: {
      clinicId: CLINIC,
      firstName,
      lastName: `Chart${Date.now() % 100_000}`,
      email: `e2e-chart-${Date.now()}-${randomUUID().slice(0, 8)}@example.com`,
      phone: '+12125550188',
      dateOfBirth: '1985-03-14',
      smsConsent: true,
      rideHome: { name: 'Casey Driver', phone: '+12125550189' },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** The open times of a kind of session from `from` to `to` (clinic-local dates; staff see them without notice). */
async function openTimes(
  request: APIRequestContext,
  staff: string,
  service: string,
  mode: 'in_person' | 'telehealth',
  from: string,
  to: string,
): Promise<Slot[]> {
  const res = await request.get(`/v1/clinics/${CLINIC}/availability`, { headers: bearer(staff), params: { service, mode, from, to } });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { slots: Slot[] }).slots;
}

const book = (request: APIRequestContext, staff: string, clientId: string, service: string, mode: string, slot: Slot) =>
  request.post('/v1/appointments', {
    headers: { ...bearer(staff), 'idempotency-key': randomUUID() },
    data: { clientId, clinicId: CLINIC, service, providerId: slot.providerId, startsAt: slot.startsAt, mode },
  });

/** Books one of the first open times starting after `after` (a random one; another if it was just taken). */
async function bookAfter(
  request: APIRequestContext,
  staff: string,
  clientId: string,
  service: string,
  mode: 'in_person' | 'telehealth',
  slots: Slot[],
  after: number,
): Promise<Booked> {
  const candidates = slots.filter((s) => Date.parse(s.startsAt) >= after).slice(0, 12);
  for (let attempt = 0; attempt < 5 && candidates.length > 0; attempt++) {
    const [slot] = candidates.splice(Math.floor(Math.random() * candidates.length), 1);
    const res = await book(request, staff, clientId, service, mode, slot!);
    if (res.status() === 409) continue;
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as Booked;
  }
  throw new Error(`no open ${service} time could be booked`);
}

/** Local sign-in as a staff role (admin: every clinic, no clinic to choose). */
async function signInAsStaff(page: Page, role: string, clinicName = CLINIC_NAME): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption({ label: role });
  if (!role.startsWith('Admin')) await page.getByLabel('Clinic', { exact: true }).selectOption({ label: clinicName });
  await page.getByRole('button', { name: 'Continue as staff' }).click();
  await expect(page).toHaveURL(/\/staff\//);
}

test('a clinician clears a client and the exploration then books; a past session is completed', async ({ page, request, look }) => {
  const frontdesk = await staffToken(request, 'frontdesk');
  const clinician = await staffToken(request, 'clinician');
  const clientId = await createClient(request, frontdesk, 'Morgan');

  // the intake, by video, at a time already past: booked with the dev clock moved back to the day
  // before, so that it can be completed at once (a video session completes without a check-in)
  let pastDay = nyDate(-1);
  while ([0, 6].includes(new Date(`${pastDay}T12:00:00Z`).getUTCDay())) pastDay = nyDate(-1, new Date(`${pastDay}T12:00:00Z`));
  let intake: Booked;
  try {
    await setClock(request, `${pastDay}T00:00:00.000Z`); // the evening before, in New York
    const slots = await openTimes(request, frontdesk, 'intake', 'telehealth', pastDay, pastDay);
    intake = await bookAfter(request, frontdesk, clientId, 'intake', 'telehealth', slots, 0);
  } finally {
    await setClock(request, null);
  }
  expect(Date.parse(intake.startsAt)).toBeLessThan(Date.now());

  // two preparations in the coming days, then an exploration after them: refused, no clearance yet
  const from = nyDate(1);
  const to = nyDate(30);
  const preparations = await openTimes(request, frontdesk, 'preparation', 'in_person', from, to);
  const prep1 = await bookAfter(request, frontdesk, clientId, 'preparation', 'in_person', preparations, Date.now());
  const prep2 = await bookAfter(request, frontdesk, clientId, 'preparation', 'in_person', preparations, Date.parse(prep1.endsAt));
  const explorations = (await openTimes(request, frontdesk, 'exploration', 'in_person', from, to)).filter(
    (s) => Date.parse(s.startsAt) >= Date.parse(prep2.endsAt),
  );
  expect(explorations.length).toBeGreaterThan(0);
  const exploration = explorations[Math.floor(Math.random() * Math.min(explorations.length, 12))]!;
  const refused = await book(request, frontdesk, clientId, 'exploration', 'in_person', exploration);
  expect(refused.status()).toBe(422);
  expect(((await refused.json()) as { error: { rule?: string } }).error.rule).toBe('clearance_required');

  // the clinician opens the chart: clearance is what is missing
  await signInAsStaff(page, 'Clinician');
  await page.goto(`/staff/clients/${clientId}`);
  await expect(page.getByRole('heading', { level: 1, name: /^Morgan Chart/ })).toBeVisible();
  const checklist = page.getByRole('region', { name: 'Before a dosing session' });
  await expect(checklist).toContainText('Clearance missing');
  await expect(checklist).toContainText('Still needed for a dosing session: a valid medical clearance.');
  await expect(checklist).toContainText('2 of 2 booked or done');
  await expect(checklist).toContainText('On file: Casey Driver');
  await expect(page.getByRole('region', { name: 'Client details' })).toContainText('Mar 14, 1985');
  await expect(page.getByRole('link', { name: 'Book a session' })).toHaveCount(0); // the front desk's
  await look('chart-clinician');

  // clearance: cleared, the four contraindications screened, valid for four months
  const validUntil = nyDate(120);
  const clearance = page.getByRole('form', { name: 'Record clearance' });
  // never cleared by default: an outcome is chosen, and what was screened ticked, before anything is sent
  await clearance.getByRole('button', { name: 'Save clearance' }).click();
  await expect(clearance.getByText('Choose an outcome.')).toBeVisible();
  // focus goes to what is to be corrected, not left on the button
  await expect(clearance.getByRole('radio', { name: 'Cleared for dosing' })).toBeFocused();
  await clearance.getByRole('radio', { name: 'Cleared for dosing' }).check();
  await clearance.getByRole('button', { name: 'Save clearance' }).click();
  await expect(clearance.getByText('Tick what was screened for before clearing for dosing.')).toBeVisible();
  await expect(clearance.getByRole('checkbox', { name: 'Uncontrolled high blood pressure' })).toBeFocused();
  await expect(checklist).toContainText('Clearance missing');
  await look('chart-clearance-refused');
  for (const item of [
    'Uncontrolled high blood pressure',
    'Cardiovascular conditions',
    'History of psychosis or schizophrenia',
    'Interacting medications',
  ]) {
    await clearance.getByRole('checkbox', { name: item }).check();
  }
  await clearance.getByLabel('Valid until').fill(validUntil);
  await clearance.getByLabel('Notes (optional)').fill('Blood pressure 118/76. No interacting medications.');
  await clearance.getByRole('button', { name: 'Save clearance' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Clearance saved: cleared' })).toBeVisible();
  await expect(checklist).toContainText('Cleared, valid until');
  await expect(checklist).toContainText('Ready: a dosing session can be booked.');
  await expect(page.getByRole('region', { name: 'Medical clearance' })).toContainText('Interacting medications');
  await look('chart-cleared');

  // a diagnosis through the search: type F33, arrow down to F33.1, Enter; then F43.10 by a click
  const diagnoses = page.getByRole('region', { name: 'Diagnoses' });
  const search = diagnoses.getByRole('combobox', { name: 'Add a code' });
  await search.fill('F33');
  await expect(diagnoses.getByRole('listbox')).toBeVisible();
  await search.press('ArrowDown');
  await expect(diagnoses.getByRole('option', { name: /^F33\.0 / })).toHaveAttribute('aria-selected', 'true');
  await search.press('ArrowDown');
  await expect(diagnoses.getByRole('option', { name: /^F33\.1 / })).toHaveAttribute('aria-selected', 'true');
  await look('chart-code-search');
  await search.press('Enter');
  await expect(diagnoses.getByRole('listitem').filter({ hasText: 'F33.1' })).toContainText(
    'Major depressive disorder, recurrent, moderate',
  );
  await search.fill('post traumatic chronic');
  await diagnoses.getByRole('option', { name: /^F43\.12 / }).click();
  // a code not in the list, typed in full; a malformed one is refused in words
  await search.fill('f4310');
  await diagnoses.getByRole('button', { name: 'Add', exact: true }).click();
  await search.fill('F33.1');
  await search.press('Enter');
  await expect(diagnoses.getByText('F33.1 is already on the list.')).toBeVisible();
  await search.fill('depression');
  await diagnoses.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(diagnoses.getByText('Enter an ICD-10-CM code such as F33.1')).toBeVisible();
  await search.press('Escape');
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await diagnoses.getByRole('button', { name: 'Remove F43.10' }).click();
  await diagnoses.getByRole('button', { name: 'Save diagnoses' }).click();
  await expect(diagnoses.getByRole('status').filter({ hasText: 'Diagnoses saved.' })).toBeVisible();
  // what a screen reader heard while editing ("… Not saved yet.") does not outlive the save
  await expect(diagnoses.getByRole('status').filter({ hasText: 'Not saved yet' })).toHaveCount(0);
  await expect(diagnoses.getByText('Not saved yet', { exact: false })).toHaveCount(0);
  const recorded = await request.get(`/v1/clients/${clientId}/diagnoses`, { headers: bearer(clinician) });
  expect(((await recorded.json()) as { codes: string[] }).codes).toEqual(['F33.1', 'F43.12']);
  await look('chart-diagnoses');

  // another clinician saves meanwhile: this page's next save is refused and shows their list
  const other = await request.put(`/v1/clients/${clientId}/diagnoses`, {
    headers: bearer(clinician),
    data: { codes: ['F33.1', 'F43.12', 'F41.1'] },
  });
  expect(other.status()).toBe(200);
  await search.fill('Z63.0');
  await search.press('Enter');
  await diagnoses.getByRole('button', { name: 'Save diagnoses' }).click();
  const meanwhile = diagnoses.getByRole('status').filter({ hasText: 'someone else changed the diagnoses meanwhile' });
  await expect(meanwhile).toContainText('Saved now: F33.1, F43.12, F41.1');
  await look('chart-diagnoses-meanwhile');
  expect(
    ((await (await request.get(`/v1/clients/${clientId}/diagnoses`, { headers: bearer(clinician) })).json()) as { codes: string[] }).codes,
  ).toEqual(['F33.1', 'F43.12', 'F41.1']);
  // saved again, knowingly: this list replaces theirs
  await diagnoses.getByRole('button', { name: 'Save diagnoses' }).click();
  await expect(diagnoses.getByRole('status').filter({ hasText: 'Diagnoses saved.' })).toBeVisible();
  await expect(meanwhile).toHaveCount(0);
  expect(
    ((await (await request.get(`/v1/clients/${clientId}/diagnoses`, { headers: bearer(clinician) })).json()) as { codes: string[] }).codes,
  ).toEqual(['F33.1', 'F43.12', 'Z63.0']);

  // the exploration now books
  const booked = await book(request, frontdesk, clientId, 'exploration', 'in_person', exploration);
  expect(booked.status(), await booked.text()).toBe(201);

  // the intake's start has passed: Complete, on the reloaded chart
  await page.reload();
  const past = page.getByRole('region', { name: 'Past and cancelled sessions' });
  const intakeRow = past.getByRole('row', { name: /Intake assessment/ });
  await expect(intakeRow).toContainText('Booked');
  await expect(intakeRow).toContainText('By video');
  await expect(page.getByRole('region', { name: 'Upcoming sessions' }).getByRole('button', { name: /^Complete/ })).toHaveCount(0);
  await expect(checklist).toContainText('Dosing sessions: 1 booked or done');
  await intakeRow.getByRole('button', { name: /^Complete/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Marked as completed: Intake assessment' })).toBeVisible();
  await expect(intakeRow).toContainText('Completed');
  await expect(intakeRow.getByRole('button')).toHaveCount(0);
  await expect(checklist.getByText('Completed', { exact: true })).toBeVisible();
  await look('chart-completed');
});

test('what each role sees on the chart; a refusal of the whole page in words', async ({ page, request, look }) => {
  const frontdesk = await staffToken(request, 'frontdesk');
  const clinician = await staffToken(request, 'clinician');
  const clientId = await createClient(request, frontdesk, 'Riley');
  const put = await request.put(`/v1/clients/${clientId}/diagnoses`, { headers: bearer(clinician), data: { codes: ['F41.1'] } });
  expect(put.ok(), await put.text()).toBe(true);

  // the front desk: the status, never the diagnoses (not even asked for), no clearance form
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/diagnoses')) asked.push(r.url());
  });
  await signInAsStaff(page, 'Front desk');
  await page.goto(`/staff/clients/${clientId}`);
  await expect(page.getByRole('heading', { level: 1, name: /^Riley Chart/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Before a dosing session' })).toContainText('Clearance missing');
  await expect(page.getByRole('region', { name: 'Before a dosing session' })).toContainText('Intake missing');
  await expect(page.getByRole('link', { name: 'Book a session' })).toHaveAttribute('href', `/staff/clients/${clientId}/book`);
  await expect(page.getByRole('heading', { name: 'Diagnoses' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Record clearance' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Superbill' })).toHaveCount(0);
  await expect(page.getByText('No upcoming sessions.')).toBeVisible();
  await look('chart-frontdesk');
  expect(asked).toEqual([]);

  // finance: the diagnoses read-only, the superbill, no booking, no clearance form
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInAsStaff(page, 'Finance');
  await page.setViewportSize({ width: 768, height: 1000 });
  await page.goto(`/staff/clients/${clientId}`);
  const diagnoses = page.getByRole('region', { name: 'Diagnoses' });
  await expect(diagnoses).toContainText('F41.1');
  await expect(diagnoses).toContainText('Generalized anxiety disorder');
  await expect(diagnoses.getByRole('combobox')).toHaveCount(0);
  await expect(diagnoses.getByRole('button')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Superbill' })).toHaveAttribute('href', `/staff/clients/${clientId}/superbill`);
  await expect(page.getByRole('link', { name: 'Book a session' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Record clearance' })).toHaveCount(0);
  await look('chart-finance-768');

  // admin: everything, the links carrying the client's clinic
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInAsStaff(page, 'Admin (all clinics)');
  await page.goto(`/staff/clients/${clientId}`);
  await expect(page.getByRole('heading', { name: 'Record clearance' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Diagnoses' }).getByRole('button', { name: 'Remove F41.1' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Book a session' })).toHaveAttribute(
    'href',
    `/staff/clients/${clientId}/book?clinic=${CLINIC}`,
  );
  await expect(page.getByRole('link', { name: 'Superbill' })).toHaveAttribute(
    'href',
    `/staff/clients/${clientId}/superbill?clinic=${CLINIC}`,
  );

  // a clinician of another clinic: the API's refusal, in words; an unknown client likewise
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInAsStaff(page, 'Clinician', 'Lakeshore Therapy (demo)');
  await page.goto(`/staff/clients/${clientId}`);
  await expect(page.getByRole('alert')).toContainText('You do not have access to this.');
  await expect(page.getByRole('heading', { level: 1, name: 'Client chart' })).toBeVisible();
  await look('chart-forbidden');
  await page.goto('/staff/clients/cl_doesnotexist');
  await expect(page.getByRole('alert')).toContainText(/could not find this|do not have access/);
});
