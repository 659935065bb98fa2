// "Book again at this time" on the staff booking page: the front desk books a preparation, books it
// again weekly three more times (the dates listed first, nothing booked until pressed) and sees
// four booked; then, with one of the weeks already taken and the answer to another lost on the
// way, sees the taken one refused in words, the rest held until "Try the rest again", and through
// the API exactly the sessions expected (the one whose answer was lost booked once).
//
// Each test adds its own practitioner (working 08:00–20:00 every day) and client through the API,
// and books 6 weeks ahead at 6 PM, past the hours and the weeks other specs book into.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { adminHeaders, CLINIC, longDay, newClient, newPractitioner, nyDate, signInAsStaff, staffHeaders } from './staff-api.ts';

const ZONE = 'America/New_York';

/** 6 PM New York time on a clinic-local date, as an instant (the offset of that date: EST or EDT). */
function sixPm(date: string): string {
  for (const offset of ['-05:00', '-04:00']) {
    const iso = new Date(`${date}T18:00:00${offset}`).toISOString();
    if (new Date(iso).toLocaleTimeString('en-US', { timeZone: ZONE, hour: 'numeric', hour12: false }) === '18') return iso;
  }
  throw new Error(`no 6 PM on ${date}`);
}

const plusDays = (date: string, days: number) => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** "Tue, Jan 12, 6:00 PM EST": how the page lists a session to book again. */
const listed = (iso: string) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));

/** On the booking page: a preparation by video with the practitioner, at 6 PM on `day` (the week view moved to it), booked. */
async function bookPreparation(page: Page, clientId: string, name: string, practitioner: string, day: string) {
  await page.goto(`/staff/clients/${clientId}/book`);
  await expect(page.getByRole('heading', { level: 1, name: `Book for ${name}` })).toBeVisible();
  await page.getByLabel('Session').selectOption('preparation');
  await page.getByRole('radio', { name: 'By video' }).check();
  await page.getByLabel('Practitioner', { exact: true }).selectOption({ label: `${practitioner}, LMFT` });
  const heading = new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });
  for (let i = 0; i < 12 && !(await page.getByRole('heading', { level: 3 }).filter({ hasText: heading }).isVisible()); i++) {
    await page.getByRole('button', { name: /Next week/ }).click();
    await expect(page.locator('.week')).not.toHaveAttribute('aria-busy', 'true');
  }
  const dayName = longDay(day);
  await page.getByRole('button', { name: `${dayName}, 6:00 PM`, exact: true }).click();
  await page.getByRole('button', { name: 'Book this time' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Booked for ${name}` })).toBeVisible();
}

/** The client's booked sessions, by start (the API's instants as the page sends them). */
async function bookedStarts(request: APIRequestContext, headers: Record<string, string>, clientId: string): Promise<string[]> {
  const res = await request.get(`/v1/clients/${clientId}/appointments`, { headers });
  expect(res.ok(), await res.text()).toBe(true);
  const list = (await res.json()) as { startsAt: string; status: string }[];
  return list
    .filter((a) => a.status === 'booked')
    .map((a) => new Date(a.startsAt).toISOString())
    .sort();
}

/** A weekday six weeks ahead or more, different for each test and project. */
function firstDay(offset: number): string {
  let day = nyDate(42 + offset);
  for (let i = 1; [0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay()); i++) day = nyDate(42 + offset + i);
  return day;
}

test('the front desk books a preparation and books it again weekly, three more times @phone', async ({ page, request, look }) => {
  const stamp = `${Date.now()}`.slice(-6);
  const practitioner = `Sam Repeat${stamp}`;
  await newPractitioner(request, await adminHeaders(request), practitioner);
  const headers = await staffHeaders(request, 'frontdesk');
  const last = `Weekly${stamp}`;
  const clientId = await newClient(request, headers, { firstName: 'Reese', lastName: last });
  const name = `Reese ${last}`;
  const day = firstDay(test.info().project.name === 'phone' ? 3 : 0);
  const weeks = [0, 7, 14, 21].map((d) => sixPm(plusDays(day, d)));

  await signInAsStaff(page, 'frontdesk');
  await bookPreparation(page, clientId, name, practitioner, day);

  // offered on the confirmation: weekly, 3 more, the dates listed before anything is booked
  await page.getByRole('button', { name: 'Book again at this time' }).click();
  const section = page.getByRole('region', { name: 'Book again at this time' });
  await expect(section.getByRole('heading', { name: 'Book again at this time' })).toBeFocused();
  await expect(section.getByLabel('How often')).toHaveValue('1');
  await expect(section.getByLabel('How many more')).toHaveValue('3');
  await expect(section).toContainText(`Preparation session with ${practitioner}, by video, at 6:00 PM New York time each time`);
  await expect(section).toContainText('Each one is self-pay, with an invoice of its own.');
  const toBook = section.getByRole('list', { name: 'To be booked' }).getByRole('listitem');
  await expect(toBook).toHaveText(weeks.slice(1).map(listed));
  // every 2 weeks: other dates; back to weekly
  await section.getByLabel('How often').selectOption('2');
  await expect(toBook).toHaveText([14, 28, 42].map((d) => listed(sixPm(plusDays(day, d)))));
  await section.getByLabel('How often').selectOption('1');
  await look('staff-repeat');
  // nothing booked yet
  expect(await bookedStarts(request, headers, clientId)).toEqual(weeks.slice(0, 1));

  // by keyboard: Tab from "How many more" to the button, Enter
  await section.getByLabel('How many more').focus();
  await page.keyboard.press('Tab');
  await expect(section.getByRole('button', { name: 'Book these 3 sessions' })).toBeFocused();
  await page.keyboard.press('Enter');
  const results = section.getByRole('status');
  await expect(section.getByRole('heading', { name: 'Booked again' })).toBeFocused();
  await expect(results).toContainText('3 of 3 booked (4 in all with the first).');
  const rows = results.getByRole('list').getByRole('listitem');
  await expect(rows).toHaveCount(3);
  for (const [i, iso] of weeks.slice(1).entries()) {
    await expect(rows.nth(i)).toContainText(`${listed(iso)} Booked`);
    await expect(rows.nth(i).getByRole('link', { name: `Move this session (${listed(iso)})` })).toHaveAttribute(
      'href',
      /^\/staff\/appointments\/[^/]+\/reschedule$/,
    );
  }
  await look('staff-repeat-booked');
  expect(await bookedStarts(request, headers, clientId)).toEqual(weeks);

  // a booked one's link opens its move page
  await rows.nth(2).getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^Move preparation( session)? for ${name}$`) })).toBeVisible();
});

test('booking again: a week already taken is refused in words, a lost answer tried again books once @phone', async ({
  page,
  request,
  look,
}) => {
  const stamp = `${Date.now()}`.slice(-6);
  const practitioner = `Kai Repeat${stamp}`;
  const providerId = await newPractitioner(request, await adminHeaders(request), practitioner);
  const headers = await staffHeaders(request, 'frontdesk');
  const last = `Taken${stamp}`;
  const clientId = await newClient(request, headers, { firstName: 'Rowan', lastName: last });
  const name = `Rowan ${last}`;
  const day = firstDay(test.info().project.name === 'phone' ? 10 : 7);
  const weeks = [0, 7, 14, 21].map((d) => sixPm(plusDays(day, d)));

  // the third week is taken by another client's session with the practitioner
  const other = await newClient(request, headers, { firstName: 'Otto', lastName: `Other${stamp}` });
  const taken = await request.post('/v1/appointments', {
    headers,
    data: { clientId: other, clinicId: CLINIC, service: 'preparation', providerId, startsAt: weeks[2], mode: 'telehealth' },
  });
  expect(taken.status(), await taken.text()).toBe(201);

  await signInAsStaff(page, 'frontdesk');
  await bookPreparation(page, clientId, name, practitioner, day);
  await page.getByRole('button', { name: 'Book again at this time' }).click();
  const section = page.getByRole('region', { name: 'Book again at this time' });

  // the first repeat's answer is lost on the way (the booking is made): the page cannot know
  let lost = 0;
  await page.route('**/v1/appointments', async (route) => {
    if (route.request().method() === 'POST' && lost++ === 0) {
      await route.fetch();
      await route.abort('connectionreset');
    } else await route.continue();
  });
  await section.getByRole('button', { name: 'Book these 3 sessions' }).click();
  const results = section.getByRole('status');
  const rows = results.getByRole('list').getByRole('listitem');
  await expect(results).toContainText('0 of 3 booked (1 in all with the first). 3 not sent yet.');
  await expect(rows.nth(0)).toContainText('Not sent');
  await expect(rows.nth(0)).toContainText('We could not reach the clinic’s system');
  await expect(rows.nth(1)).toContainText('Not sent');
  await expect(rows.nth(2)).toContainText('Not sent');
  expect(lost).toBe(1);
  // the first repeat was made, once
  expect(await bookedStarts(request, headers, clientId)).toEqual(weeks.slice(0, 2));

  // the rest again: the lost one found (the same Idempotency-Key), the taken week refused in words, the last booked
  // by keyboard, as the rest of the page
  await section.getByRole('button', { name: 'Try the rest again' }).focus();
  await page.keyboard.press('Enter');
  await expect(section.getByRole('heading', { name: /^(Booking…|Booked again|Not all booked)$/ })).toBeFocused();
  await expect(results).toContainText('2 of 3 booked (3 in all with the first). 1 not booked.');
  await expect(rows.nth(0)).toContainText(`${listed(weeks[1]!)} Booked`);
  await expect(rows.nth(1)).toContainText(`${listed(weeks[2]!)} Not booked`);
  await expect(rows.nth(1)).toContainText('This time is already taken: the practitioner (or the room) has another session then.');
  await expect(rows.nth(2)).toContainText(`${listed(weeks[3]!)} Booked`);
  await look('staff-repeat-refused');

  // the refused one tried again: still taken, nothing booked twice
  await rows
    .nth(1)
    .getByRole('button', { name: `Try again (${listed(weeks[2]!)})` })
    .click();
  await expect(results).toContainText('2 of 3 booked (3 in all with the first). 1 not booked.');
  await expect(rows.nth(1).getByRole('button', { name: /Try again/ })).toBeVisible();
  expect(await bookedStarts(request, headers, clientId)).toEqual([weeks[0], weeks[1], weeks[3]]);
  expect(lost).toBe(5);
});
