// The waitlist in the web app: a client who finds no time that suits them joins it from the booking
// page (its first date no later than the booking window allows) and sees it on My care; the front
// desk sees who waits with the times open for each, books one through its link (the booking page
// opens on the entry's kind and that time's week with that time chosen, all kept in the tab, never
// in the address; a time taken meanwhile is said so), and the entry then says "Booked" to the
// client and leaves the desk's list; an entry removed, asked first; the desk adds one on the chart
// for a client on the phone, up to a year ahead.
import type { APIRequestContext } from '@playwright/test';
import { expect, expectNoServiceWordInAddress, signUp, test } from './fixtures.ts';
import {
  CLINIC,
  localDate,
  longDay,
  newClient,
  nyDate,
  nyDateTime,
  selfPayBooking,
  signInAsClient,
  signInAsStaff,
  staffHeaders,
} from './staff-api.ts';

/** A last name no other test uses: the desk's list holds every test's entries. */
const uniqueName = () => `Waitlist${Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;

/** A clinic-local date `days` after another (calendar days: no clock change moves it). */
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** The Monday of a clinic-local date's week. */
const mondayOf = (date: string) => plusDays(date, -((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7));
/** "Mar 1, 2027", as the form says a date. */
const dateWords = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });

type Opening = { startsAt: string; providerId: string };
/** The earliest open time the API lists for the client's entry of that kind. */
async function firstOpening(request: APIRequestContext, headers: Record<string, string>, clientId: string, service: string) {
  const entries = await request.get(`/v1/clients/${clientId}/waitlist`, { headers });
  expect(entries.ok(), await entries.text()).toBe(true);
  const body = (await entries.json()) as { entries: { service: string; openings: { first: Opening[] } | null }[] };
  const first = body.entries.find((e) => e.service === service)?.openings?.first[0];
  expect(first).toBeTruthy();
  return first!;
}

test('a client joins the waitlist from the booking page and sees it on My care @phone', async ({ page, look }) => {
  await signUp(page);
  const join = page.getByRole('button', { name: 'Join the waitlist' });
  await expect(page.getByRole('heading', { name: 'No time that suits you?' })).toBeVisible();
  await expect(page.getByText('The front desk will call you if a time opens.')).toBeVisible();
  await join.click();
  const form = page.getByRole('form', { name: 'Join the waitlist for Intake assessment' });
  await expect(form.getByRole('heading', { name: 'Join the waitlist for Intake assessment' })).toBeFocused();
  // the week on screen and the next: fourteen dates at most, from no earlier than today
  const from = await form.getByLabel('First date').inputValue();
  const to = await form.getByLabel('Last date').inputValue();
  expect(from >= nyDate(0)).toBe(true);
  expect(to > from).toBe(true);
  await expect(form.getByLabel('Practitioner')).toHaveValue('');
  await expect(form.getByLabel('In person')).toBeChecked();
  // a last date before the first is said under it, before anything is sent
  await form.getByLabel('Last date').fill(nyDate(-1));
  await expect(form.getByText('The last date must not be before the first.')).toBeVisible();
  await form.getByLabel('Last date').fill(to);
  // the first date goes no later than the booking window's last day (90 days on), said in its hint;
  // the last date from the first, 31 dates at most
  const lastDay = plusDays(nyDate(0), 90);
  await expect(form.getByLabel('First date')).toHaveAttribute('max', lastDay);
  await expect(form.getByText(`Up to ${dateWords(lastDay)}, the last day that can be booked.`)).toBeVisible();
  await expect(form.getByLabel('Last date')).toHaveAttribute('min', from);
  await expect(form.getByLabel('Last date')).toHaveAttribute('max', plusDays(from, 30));
  // one typed later is refused under it before anything is sent, and takes focus on sending
  let sent = 0;
  page.on('request', (r) => void (r.method() === 'POST' && r.url().includes('/waitlist') && sent++));
  await form.getByLabel('First date').fill(plusDays(lastDay, 1));
  await form.getByLabel('Last date').fill(plusDays(lastDay, 5));
  const tooLate = form.getByText(`Choose a first date no later than ${dateWords(lastDay)}, the last day that can be booked.`);
  await expect(tooLate).toBeVisible();
  await form.getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(form.getByLabel('First date')).toBeFocused();
  await expect(form.getByLabel('First date')).toHaveAttribute('aria-invalid', 'true');
  await look('waitlist-form-too-late');
  expect(sent).toBe(0);
  await form.getByLabel('First date').fill(lastDay);
  await expect(tooLate).toHaveCount(0);
  await form.getByLabel('First date').fill(from);
  await form.getByLabel('Last date').fill(to);
  await look('waitlist-form');
  await form.getByRole('button', { name: 'Join the waitlist' }).click();

  const added = page.getByRole('status').filter({ hasText: 'You’re on the waitlist for intake assessment between' });
  await expect(added).toContainText('The front desk will call you if a time opens.');
  await expectNoServiceWordInAddress(page);
  await look('waitlist-joined');
  await added.getByRole('link', { name: 'See it on My care' }).click();

  const section = page.getByRole('region', { name: 'Your waitlist' });
  await expect(section).toContainText('Intake assessment with any practitioner, in person');
  await expect(section).toContainText('Waiting');
  await expect(section).toContainText(/\d+ times? (is|are) open now\./);
  await look('waitlist-care');

  // "Book" opens the booking page on the kind (kept in the tab) and the week of its first open time
  await section.getByRole('link', { name: 'Book' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
  await expect(page.getByLabel('Session')).toHaveValue('intake');
  await expect(page.locator('.week button.time').first()).toBeVisible();
  await expectNoServiceWordInAddress(page);

  // removed, asked first: "Keep it" keeps it
  await page.goto('/care');
  await section.getByRole('button', { name: 'Remove' }).click();
  await expect(section.getByText('Remove from the waitlist?')).toBeFocused();
  await section.getByRole('button', { name: 'Keep it' }).click();
  await expect(section.getByRole('button', { name: 'Remove' })).toBeFocused();
  await section.getByRole('button', { name: 'Remove' }).click();
  await section.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(page.getByRole('region', { name: 'Your waitlist' })).toHaveCount(0);
});

test('the front desk books a waiting client through the waitlist; the entry then says Booked and leaves the list', async ({
  page,
  request,
  look,
}) => {
  const desk = await staffHeaders(request, 'frontdesk');
  const lastName = uniqueName();
  const name = `Wren ${lastName}`;
  const clientId = await newClient(request, desk, { firstName: 'Wren', lastName });
  const add = (data: Record<string, unknown>) => request.post(`/v1/clients/${clientId}/waitlist`, { headers: desk, data });
  // from ten days on: the booking page's own first week would be this one, the entry's is later
  const intake = await add({ service: 'intake', from: nyDate(10), to: nyDate(23) });
  expect(intake.status(), await intake.text()).toBe(201);
  const video = await add({ service: 'preparation', mode: 'telehealth', providerId: 'demo-nyc-ther-2', from: nyDate(2), to: nyDate(20) });
  expect(video.status(), await video.text()).toBe(201);

  await signInAsStaff(page, 'frontdesk');
  await page.getByRole('navigation').getByRole('link', { name: 'Waitlist' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Waitlist' })).toBeVisible();
  const rows = page.getByRole('row').filter({ has: page.getByRole('link', { name }) });
  await expect(rows).toHaveCount(2);
  const intakeRow = rows.filter({ hasText: 'Intake assessment' });
  const videoRow = rows.filter({ hasText: 'Preparation session' });
  await expect(videoRow).toContainText('Jordan Reyes');
  await expect(videoRow).toContainText('By video');
  await expect(intakeRow).toContainText('Any practitioner');
  await expect(intakeRow).toContainText(/\d+ open now/);
  await look('waitlist-desk');
  const timeLinks = (row: typeof rows) => row.getByRole('link', { name: new RegExp(`^Book .* for ${name}`) });

  // an open time opens the booking page on the entry's kind, place and practitioner
  await timeLinks(videoRow).first().click();
  await expect(page.getByRole('heading', { level: 1, name: `Book for ${name}` })).toBeVisible();
  await expect(page.getByLabel('Session')).toHaveValue('preparation');
  await expect(page.getByLabel('By video')).toBeChecked();
  await expect(page.getByLabel('Practitioner')).toHaveValue('demo-nyc-ther-2');
  await expectNoServiceWordInAddress(page);
  await page.goBack();

  // removed from the desk's list, asked first
  await videoRow.getByRole('button', { name: 'Remove' }).click();
  await videoRow.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(rows).toHaveCount(1);

  // its first open time: on its week, that time chosen (its button pressed, the confirmation saying it), booked in one click
  const first = await firstOpening(request, desk, clientId, 'intake');
  const day = localDate(first.startsAt);
  await timeLinks(intakeRow).first().click();
  await expect(page.getByRole('heading', { level: 1, name: `Book for ${name}` })).toBeVisible();
  await expect(page.getByLabel('Session')).toHaveValue('intake');
  await expect(page.getByLabel('In person')).toBeChecked();
  const chosen = page.locator('.week button.time[aria-pressed="true"]');
  await expect(chosen).toHaveCount(1);
  await expect(chosen).toHaveAccessibleName(new RegExp(`^${longDay(day)}, `));
  const confirm = page.locator('.confirm-bar .confirm');
  await expect(confirm.getByRole('heading', { name: `Booking for ${name}` })).toBeVisible();
  await expect(confirm).toContainText(nyDateTime(first.startsAt));
  await expect(page.getByText('That time has just been taken; choose another.')).toHaveCount(0);
  await expectNoServiceWordInAddress(page);
  await look('waitlist-desk-time-chosen');
  await confirm.getByRole('button', { name: 'Book this time' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Booked for ${name}` })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Booked:' })).toContainText(nyDateTime(first.startsAt));

  // gone from the desk's list: it waits no more
  await page.goto('/staff/waitlist');
  await expect(page.getByRole('heading', { level: 1, name: 'Waitlist' })).toBeVisible();
  await expect(page.locator('table, .empty').first()).toBeVisible();
  await expect(page.getByRole('link', { name })).toHaveCount(0);

  // the client sees it booked
  await signInAsClient(page, request, clientId);
  await page.goto('/care');
  const section = page.getByRole('region', { name: 'Your waitlist' });
  await expect(section).toContainText('Intake assessment with any practitioner, in person');
  await expect(section).toContainText('Booked');
  await expect(section.getByRole('link', { name: 'Book' })).toHaveCount(0);
  await look('waitlist-care-booked');
});

test('an open time taken between the desk’s list and its click: said so, the week shown with nothing chosen', async ({
  page,
  request,
  look,
}) => {
  const desk = await staffHeaders(request, 'frontdesk');
  const lastName = uniqueName();
  const name = `Sage ${lastName}`;
  const clientId = await newClient(request, desk, { firstName: 'Sage', lastName });
  // one practitioner's times a week, some weeks on (past the weeks the other specs book into)
  const from = nyDate(50 + Math.floor(Math.random() * 30));
  const added = await request.post(`/v1/clients/${clientId}/waitlist`, {
    headers: desk,
    data: { service: 'preparation', providerId: 'demo-nyc-ther-1', from, to: plusDays(from, 6) },
  });
  expect(added.status(), await added.text()).toBe(201);
  const first = await firstOpening(request, desk, clientId, 'preparation');

  await signInAsStaff(page, 'frontdesk');
  await page.goto('/staff/waitlist');
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name }) });
  const link = row.getByRole('link', { name: new RegExp(`^Book .* for ${name}`) }).first();
  await expect(link).toBeVisible();

  // someone else books that very time meanwhile
  const other = await newClient(request, desk, { firstName: 'Quinn', lastName: uniqueName() });
  const taken = await request.post('/v1/appointments', {
    headers: desk,
    data: {
      clientId: other,
      clinicId: CLINIC,
      service: 'preparation',
      providerId: first.providerId,
      startsAt: first.startsAt,
      mode: 'in_person',
    },
  });
  expect(taken.ok(), await taken.text()).toBe(true);

  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: `Book for ${name}` })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'That time has just been taken; choose another.' })).toBeVisible();
  // its week, with nothing chosen
  await expect(
    page.getByRole('heading', { level: 2, name: new RegExp(`^${dateWords(mondayOf(localDate(first.startsAt)))} – `) }),
  ).toBeVisible();
  await expect(page.locator('.week button.time').first()).toBeEnabled();
  await expect(page.locator('.week button.time[aria-pressed="true"]')).toHaveCount(0);
  await expect(page.getByText('Choose a time above to book it.')).toBeVisible();
  await expectNoServiceWordInAddress(page);
  await look('waitlist-desk-time-taken');
});

test('the desk adds a client to the waitlist on the chart', async ({ page, request, look }) => {
  const desk = await staffHeaders(request, 'frontdesk');
  const lastName = uniqueName();
  const clientId = await newClient(request, desk, { firstName: 'Ash', lastName });
  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/clients/${clientId}`);
  const part = page.getByRole('region', { name: 'Waitlist' });
  await expect(part).toContainText('Not waiting for any session.');
  await part.getByRole('button', { name: 'Add to waitlist' }).click();
  const form = part.getByRole('form', { name: 'Add to the waitlist' });
  await form.getByLabel('Session').selectOption('preparation');
  await form.getByLabel('By video').check();
  await form.getByLabel('Practitioner').selectOption('demo-nyc-ther-1');
  // the desk may ask up to a year ahead
  const lastDay = plusDays(nyDate(0), 365);
  await expect(form.getByLabel('First date')).toHaveAttribute('max', lastDay);
  await expect(form.getByText(`Up to ${dateWords(lastDay)}, a year ahead.`)).toBeVisible();
  await form.getByLabel('First date').fill(plusDays(lastDay, 1));
  await expect(form.getByText(`Choose a first date no later than ${dateWords(lastDay)}, a year ahead.`)).toBeVisible();
  await form.getByLabel('First date').fill(plusDays(nyDate(0), 200));
  await form.getByLabel('Last date').fill(plusDays(nyDate(0), 210));
  await look('waitlist-chart-form');
  await form.getByRole('button', { name: 'Add to the waitlist' }).click();
  await expect(part.getByRole('status')).toContainText('Added: Preparation session with Avery Stone, by video');
  await expect(part.locator('.waitlist-entry')).toContainText('Waiting');
  await look('waitlist-chart');
});

test('a session cancelled on the chart puts the waitlist entry it met back to waiting, without reloading', async ({ page, request }) => {
  const desk = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, desk, { firstName: 'Rowan', lastName: uniqueName() });
  // a preparation session 10 to 20 days ahead (outside the cancellation window: free), and an entry it meets
  const session = await selfPayBooking(request, desk, clientId, { service: 'preparation', mode: 'telehealth', fromDays: 10, toDays: 20 });
  const day = localDate(session.startsAt);
  const added = await request.post(`/v1/clients/${clientId}/waitlist`, {
    headers: desk,
    data: { service: 'preparation', from: day, to: day },
  });
  expect(added.status(), await added.text()).toBe(201);
  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/clients/${clientId}`);
  const part = page.getByRole('region', { name: 'Waitlist' });
  await expect(part.locator('.waitlist-entry')).toContainText('Booked');

  await page.getByRole('button', { name: /^Cancel… Preparation session/ }).click();
  const ask = page.getByRole('group', { name: 'Cancel this appointment?' });
  await ask.getByRole('button', { name: 'Cancel appointment' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Cancelled/ })).toBeVisible();
  await expect(part.locator('.waitlist-entry')).toContainText('Waiting');
});
