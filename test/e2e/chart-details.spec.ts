// The client's details on the staff chart (pages/staff/chart-details.tsx): the front desk edits
// them — a date of birth in the future and half a ride-home contact said before sending, the
// API's refusal of a phone under its field, only the changed fields sent, a double click one
// change — and the chart shows the new values at once: the ride-home contact added clears
// "Ride-home contact missing", removing it brings it back. Only the front desk and admin see
// "Edit details". The chart fits a phone (390 px): the appointments scroll in their own region,
// never the page. And a date of birth in the future is refused in words on the sign-up form.
//
// Runs beside other specs against one demo clinic: each client is new, its times taken at random.
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { bearer, staffToken } from './staff-api.ts';

const CLINIC = 'demo-nyc';
const ZONE = 'America/New_York';

/** A clinic-local date `days` after today's in New York. */
function nyDate(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A new client of demo-nyc without a ride-home contact; its id and last name. */
async function createClient(request: APIRequestContext, frontdesk: string, firstName: string): Promise<{ id: string; last: string }> {
  const last = `Details${Date.now() % 1_000_000}${test.info().workerIndex}`;
  const res = await request.post('/v1/clients', {
    headers: { ...bearer(frontdesk), 'idempotency-key': randomUUID() },
    data: {
      clinicId: CLINIC,
      firstName,
      lastName: last,
      email: `e2e-details-${Date.now()}-${randomUUID().slice(0, 8)}@example.com`,
      phone: '+12125550160',
      dateOfBirth: '1984-07-19',
      smsConsent: false,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return { id: ((await res.json()) as { id: string }).id, last };
}

/** Books `count` sessions of a kind at random open times of the coming month (another when one was just taken). */
async function bookSome(request: APIRequestContext, frontdesk: string, clientId: string, service: string, count: number): Promise<void> {
  const res = await request.get(`/v1/clinics/${CLINIC}/availability`, {
    headers: bearer(frontdesk),
    params: { service, mode: 'in_person', from: nyDate(3), to: nyDate(30) },
  });
  expect(res.ok(), await res.text()).toBe(true);
  const slots = ((await res.json()) as { slots: { startsAt: string; providerId: string }[] }).slots;
  let booked = 0;
  for (let attempt = 0; attempt < 10 && booked < count && slots.length > 0; attempt++) {
    const [slot] = slots.splice(Math.floor(Math.random() * slots.length), 1);
    const made = await request.post('/v1/appointments', {
      headers: { ...bearer(frontdesk), 'idempotency-key': randomUUID() },
      data: { clientId, clinicId: CLINIC, service, providerId: slot!.providerId, startsAt: slot!.startsAt, mode: 'in_person' },
    });
    if (made.status() === 201) booked++;
    else expect([409, 422], await made.text()).toContain(made.status());
  }
  expect(booked, `${count} ${service} booked`).toBe(count);
}

async function signInAsStaff(page: Page, role: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption({ label: role });
  if (!role.startsWith('Admin')) await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Hudson Wellness (demo)' });
  await page.getByRole('button', { name: 'Continue as staff' }).click();
  await expect(page).toHaveURL(/\/staff\//);
}

/** The bodies of the PATCH /v1/clients/… requests the page sends. */
function patches(page: Page): unknown[] {
  const sent: unknown[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PATCH' && /\/v1\/clients\/[^/]+$/.test(new URL(r.url()).pathname)) sent.push(r.postDataJSON());
  });
  return sent;
}

test('the front desk edits a client’s details on the chart: checked first, only changes sent, shown at once', async ({
  page,
  request,
  look,
}) => {
  const frontdesk = await staffToken(request, 'frontdesk');
  const { id, last } = await createClient(request, frontdesk, 'Jules');
  await signInAsStaff(page, 'Front desk');
  const sent = patches(page);
  await page.goto(`/staff/clients/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Jules ${last}` })).toBeVisible();
  const details = page.getByRole('region', { name: 'Client details' });
  const checklist = page.getByRole('region', { name: 'Before a dosing session' });
  await expect(checklist).toContainText('Ride-home contact missing');
  await expect(details).toContainText('No ride-home contact on file');

  await details.getByRole('button', { name: 'Edit details' }).click();
  const form = page.getByRole('form', { name: 'Edit client details' });
  await expect(form.getByLabel('First name')).toBeFocused();
  await expect(form.getByLabel('Mobile phone')).toHaveValue('(212) 555-0160');
  // the date field offers no day the API would refuse: the last is yesterday in the clinic's zone
  await expect(form.getByLabel('Date of birth')).toHaveAttribute('max', nyDate(-1));
  await look('chart-details-edit');

  // said before sending: a date of birth in the future, half a ride-home contact
  await form.getByLabel('Date of birth').fill(nyDate(400));
  await form.getByLabel('Their name').fill('Jordan Ride');
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(form.getByLabel('Date of birth')).toHaveAccessibleDescription('Date of birth can’t be in the future.');
  await expect(form.getByLabel('Date of birth')).toBeFocused();
  await expect(form.getByLabel('Their phone')).toHaveAccessibleDescription(/^Enter their phone too/);
  await look('chart-details-checked');
  expect(sent).toEqual([]);

  // the API's refusal of a phone number, under its field, in plain words
  await form.getByLabel('Date of birth').fill('1984-07-09');
  await form.getByLabel('Mobile phone').fill('(646) 555-0199');
  await form.getByLabel('Their phone').fill('555');
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(form.getByLabel('Their phone')).toHaveAccessibleDescription('Enter a US or Canadian phone number, e.g. (212) 555-0123.');
  await expect(form.getByLabel('Their phone')).toBeFocused();
  await expect(form.getByRole('alert')).toContainText('The details were not saved');
  expect(sent).toHaveLength(1);

  // corrected and sent with a double click: one change, only the changed fields
  await form.getByLabel('Their phone').fill('(212) 555-0111');
  await form.getByRole('button', { name: 'Save details' }).dblclick();
  await expect(details.getByRole('status')).toHaveText('Client details saved.');
  await expect(details.getByRole('heading', { name: 'Client details' })).toBeFocused();
  expect(sent).toHaveLength(2);
  expect(sent[1]).toEqual({ phone: '+16465550199', dateOfBirth: '1984-07-09', rideHome: { name: 'Jordan Ride', phone: '+12125550111' } });
  await expect(details).toContainText('(646) 555-0199');
  await expect(details).toContainText('Jul 9, 1984');
  await expect(details).toContainText('Jordan Ride, (212) 555-0111');
  await expect(checklist).toContainText('On file: Jordan Ride');
  await expect(checklist).not.toContainText('Ride-home contact missing');
  await look('chart-details-saved');

  // Cancel changes nothing and gives focus back to "Edit details"
  await details.getByRole('button', { name: 'Edit details' }).click();
  await form.getByLabel('First name').fill('Julian');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(details.getByRole('button', { name: 'Edit details' })).toBeFocused();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Jules ${last}`);

  // the ride-home contact removed (both fields cleared: null), the consent given
  await details.getByRole('button', { name: 'Edit details' }).click();
  await form.getByLabel('Their name').fill('');
  await form.getByLabel('Their phone').fill('');
  await form.getByLabel('The client agrees to confirmations and reminders by text').check();
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(details.getByRole('status')).toHaveText('Client details saved.');
  expect(sent[2]).toEqual({ smsConsent: true, rideHome: null });
  await expect(details).toContainText('No ride-home contact on file');
  await expect(details).toContainText('Consented to reminders by text');
  await expect(checklist).toContainText('Ride-home contact missing');

  // what the API kept
  await page.reload();
  await expect(details).toContainText('(646) 555-0199');
  await expect(details).toContainText('No ride-home contact on file');
});

test('only the front desk and admin see “Edit details”', async ({ page, request }) => {
  const frontdesk = await staffToken(request, 'frontdesk');
  const { id, last } = await createClient(request, frontdesk, 'Noor');
  for (const role of ['Clinician', 'Finance', 'Admin (all clinics)']) {
    await signInAsStaff(page, role);
    await page.goto(`/staff/clients/${id}`);
    await expect(page.getByRole('heading', { level: 1, name: `Noor ${last}` })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Client details' })).toContainText('Jul 19, 1984');
    await expect(page.getByRole('button', { name: 'Edit details' })).toHaveCount(role.startsWith('Admin') ? 1 : 0);
    await page.getByRole('button', { name: 'Sign out' }).click();
  }
});

test('the chart fits a phone: the appointments scroll in their own region, not the page @phone', async ({ page, request, look }) => {
  const frontdesk = await staffToken(request, 'frontdesk');
  const { id, last } = await createClient(request, frontdesk, 'Ari');
  await bookSome(request, frontdesk, id, 'preparation', 2);
  if ((page.viewportSize()?.width ?? 0) > 400) await page.setViewportSize({ width: 390, height: 844 });
  const width = page.viewportSize()!.width;
  await signInAsStaff(page, 'Front desk');
  await page.goto(`/staff/clients/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Ari ${last}` })).toBeVisible();
  const upcoming = page.getByRole('region', { name: 'Upcoming sessions' });
  await expect(upcoming.getByRole('row')).toHaveCount(3);
  const pageWidth = () => page.locator('html').evaluate((html: { scrollWidth: number }) => html.scrollWidth);
  expect(await pageWidth()).toBeLessThanOrEqual(width);
  await look('chart-phone');

  // the table scrolls inside its region, and its last columns come into view there
  expect(await upcoming.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await upcoming.evaluate((el) => el.scrollBy({ left: el.scrollWidth }));
  const status = upcoming.getByRole('columnheader', { name: 'Status' });
  const box = await status.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
  expect(box!.x).toBeGreaterThanOrEqual(0);

  // the edit form fits too
  await page.getByRole('button', { name: 'Edit details' }).click();
  await expect(page.getByRole('form', { name: 'Edit client details' })).toBeVisible();
  expect(await pageWidth()).toBeLessThanOrEqual(width);
  await look('chart-details-edit-phone');
});

test('sign-up: a date of birth in the future or before 1900 is said in words before anything is sent', async ({ page }) => {
  const created: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/v1/clients') created.push(r.url());
  });
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Create your client account' }).click();
  await page.getByLabel('Clinic').selectOption({ label: 'Hudson Wellness (demo)' });
  await page.getByLabel('First name').fill('Robin');
  await page.getByLabel('Last name').fill('Future');
  await page.getByLabel('E-mail').fill(`e2e-future-${Date.now()}-${randomUUID().slice(0, 8)}@example.com`);
  await page.getByLabel('Mobile phone').fill('(212) 555-0177');
  const born = page.getByLabel('Date of birth');
  await expect(born).toHaveAttribute('max', nyDate(-1));
  await born.fill(nyDate(30));
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(born).toHaveAccessibleDescription('Date of birth can’t be in the future.');
  await expect(born).toBeFocused(); // the one field to correct
  await expect(page.getByText('Must be in the past')).toHaveCount(0);
  // a year typed short: said in words before sending, never the API's "Must be between 1900-01-01 and 2199-12-31"
  await expect(born).toHaveAttribute('min', '1900-01-01');
  await born.fill('0199-03-04');
  await page.getByLabel('Mobile phone').focus();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(born).toHaveAccessibleDescription('Check the year: the date of birth must be 1900 or later.');
  await expect(born).toBeFocused();
  await expect(page.getByText(/Must be between/)).toHaveCount(0);
  expect(created).toEqual([]);
  // corrected, the message goes
  await born.fill('1990-05-01');
  await expect(page.getByText('Date of birth can’t be in the future.')).toHaveCount(0);
});
