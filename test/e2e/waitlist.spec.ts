// The waitlist in the web app: a client who finds no time that suits them joins it from the booking
// page and sees it on My care; the front desk sees who waits with the times open for each, books
// one through its link (the booking page opens on the entry's kind and that time's week, the kind
// kept in the tab, never in the address), and the entry then says "Booked" to the client and leaves
// the desk's list; an entry removed, asked first; the desk adds one on the chart for a client on
// the phone.
import { expect, expectNoServiceWordInAddress, signUp, test } from './fixtures.ts';
import { localDate, newClient, nyDate, selfPayBooking, signInAsClient, signInAsStaff, staffHeaders } from './staff-api.ts';

/** A last name no other test uses: the desk's list holds every test's entries. */
const uniqueName = () => `Waitlist${Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;

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
  // a first date beyond the booking window: the API's refusal under the field, its date in words
  await form.getByLabel('First date').fill(nyDate(100));
  await form.getByLabel('Last date').fill(nyDate(104));
  await form.getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(form.getByText(/^Must be no later than [A-Z][a-z]{2} \d{1,2}, \d{4}, the last day that can be booked$/)).toBeVisible();
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

  // its first open time's week, that day's times offered
  const entries = await request.get(`/v1/clients/${clientId}/waitlist`, { headers: desk });
  const first = (
    (await entries.json()) as { entries: { service: string; openings: { first: { startsAt: string }[] } | null }[] }
  ).entries.find((e) => e.service === 'intake')?.openings?.first[0];
  expect(first).toBeTruthy();
  const day = localDate(first!.startsAt);
  await timeLinks(intakeRow).first().click();
  await expect(page.getByRole('heading', { level: 1, name: `Book for ${name}` })).toBeVisible();
  await expect(page.getByLabel('Session')).toHaveValue('intake');
  await expect(page.getByLabel('In person')).toBeChecked();
  const dayTimes = page.locator(`[aria-labelledby="day-${day}"] button.time`);
  await expect(dayTimes.first()).toBeEnabled();
  const booked = page.getByRole('heading', { level: 1, name: `Booked for ${name}` });
  const taken = page.getByRole('alert').filter({ hasText: /taken/ });
  for (let attempt = 0; attempt < 4 && !(await booked.isVisible()); attempt++) {
    await expect(dayTimes.first()).toBeEnabled();
    await dayTimes.nth(Math.floor(Math.random() * (await dayTimes.count()))).click();
    await page.getByRole('button', { name: 'Book this time' }).click();
    await expect(booked.or(taken)).toBeVisible();
  }
  await expect(booked).toBeVisible();

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
