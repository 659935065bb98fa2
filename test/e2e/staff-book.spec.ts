// The front desk's client pages: add a new client (a bad phone number explained under its field),
// find the client by part of the name, book an intake for them at an open time (the staff token's
// week view), see the confirmation, move the session to another time, and a dosing session refused
// by the clearance rule, said about the client in plain words. And a client who may already have a
// record (the same e-mail address): a warning with a link to the chart before anything is added.
//
// Runs beside other specs against one demo clinic: the client is new and uniquely named (with phone
// numbers no other spec uses: the warning would name their clients too), and the times are taken at
// random (another one when a parallel test took it first).
import type { Page } from '@playwright/test';
import { expect, someTime, test } from './fixtures.ts';
import { CLINIC, longDay, newClient, nyDate, signInAsStaff, staffHeaders, uniquePhone } from './staff-api.ts';

const signInAsFrontDesk = (page: Page) => signInAsStaff(page, 'frontdesk', undefined, /\/staff\/day$/);

/** Picks a random open time and presses `action`, again while a parallel test takes the time first. */
async function takeATime(page: Page, action: string, done: ReturnType<Page['getByRole']>): Promise<void> {
  const taken = page.getByRole('alert').filter({ hasText: 'Someone has just taken this time' });
  for (let attempt = 0; attempt < 4; attempt++) {
    await (await someTime(page)).click();
    await page.getByRole('button', { name: action }).click();
    await expect(done.or(taken)).toBeVisible();
    if (await done.isVisible()) return;
  }
  throw new Error('every time tried was taken');
}

test('the front desk adds a client, finds them, books an intake, moves it; a dosing session is refused in plain words', async ({
  page,
  look,
}) => {
  const stamp = `${Date.now()}${test.info().workerIndex}`;
  const last = `E2e${stamp}`;
  const name = `Quinn ${last}`;
  await signInAsFrontDesk(page);

  // add the client: a number that is not a phone number is explained under its field
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Clients' })).toBeVisible();
  await page.getByRole('link', { name: 'Add a new client' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add a new client' })).toBeVisible();
  await page.getByLabel('First name').fill('Quinn');
  await page.getByLabel('Last name').fill(last);
  await page.getByLabel('E-mail').fill(`quinn-${stamp}@example.com`);
  await page.getByLabel('Mobile phone').fill('555');
  await page.getByLabel('The client agrees to confirmations and reminders by text').check();
  await page.getByLabel('Their name').fill('Pat Rider');
  await page.getByLabel('Their phone').fill('(212) 555-0190');
  // a date of birth in the future is said in words before sending (the field offers none past yesterday)
  const born = page.getByLabel('Date of birth');
  await expect(born).toHaveAttribute('max', /^\d{4}-\d{2}-\d{2}$/);
  await born.fill(`${new Date().getUTCFullYear() + 1}-01-15`);
  await page.getByRole('button', { name: 'Add client' }).click();
  await expect(born).toHaveAccessibleDescription('Date of birth can’t be in the future.');
  // focus goes to the field to correct
  await expect(born).toBeFocused();
  await expect(page.getByRole('heading', { level: 1, name: 'Add a new client' })).toBeVisible();
  await born.fill('1988-03-14');
  await expect(born).not.toHaveAttribute('aria-invalid');
  await page.getByRole('button', { name: 'Add client' }).click();
  await expect(page.getByRole('alert')).toContainText('The client was not added');
  await expect(page.getByText('Enter a US or Canadian phone number, e.g. (212) 555-0123.')).toBeVisible();
  await expect(page.getByLabel('Mobile phone')).toHaveAttribute('aria-invalid', 'true');
  // the API's refusal: focus on the field it names, not dropped to the page with the button disabled while it ran
  await expect(page.getByLabel('Mobile phone')).toBeFocused();
  await look('staff-client-new');
  const phone = uniquePhone();
  await page.getByLabel('Mobile phone').fill(phone);
  await page.getByRole('button', { name: 'Add client' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Book for ${name}` })).toBeVisible();
  const clientId = /\/staff\/clients\/([^/]+)\/book$/.exec(new URL(page.url()).pathname)?.[1] ?? '';
  expect(clientId).not.toBe('');

  // find the client by part of the name, typed (searched as it is typed); the name is never in the URL
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  const search = page.getByLabel('Find a client');
  await search.pressSequentially(last.slice(0, -2).toLowerCase(), { delay: 20 });
  const result = page.getByRole('link', { name, exact: true });
  await expect(result).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /found/ })).toHaveText(/^\d+ clients? found/);
  await expect(page.getByRole('listitem').filter({ has: result })).toContainText(phone);
  await expect(page.getByRole('listitem').filter({ has: result })).toContainText('Mar 14, 1988');
  // and on Enter, with both names
  await search.fill(`quinn ${last.toLowerCase()}`);
  await search.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: /found/ })).toHaveText('1 client found');
  expect(page.url()).not.toContain(stamp);
  await look('staff-clients');

  // book the intake at an open time
  await page.getByRole('link', { name: `Book for ${name}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Book for ${name}` })).toBeVisible();
  await expect(page.getByLabel('Session')).toHaveValue('intake');
  await expect(page.getByText(/Times are in New York time \(Eastern (Standard|Daylight) Time\), the clinic’s time zone/)).toBeVisible();
  await look('staff-book');
  const booked = page.getByRole('heading', { level: 1, name: `Booked for ${name}` });
  await takeATime(page, 'Book this time', booked);
  const confirmation = page.getByRole('status').filter({ hasText: 'Booked:' });
  await expect(confirmation).toContainText(/Booked: \w{3}, \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} (AM|PM) with /);
  await expect(confirmation).toContainText(/Invoice \d+: \$175\.00 due/);
  await expect(page.getByRole('link', { name: 'See the day' })).toHaveAttribute('href', /^\/staff\/day\?date=\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByRole('link', { name: 'Open the chart' })).toHaveAttribute('href', `/staff/clients/${clientId}`);
  await look('staff-booked');

  // move it to another open time
  await page.getByRole('link', { name: 'Move this session' }).click();
  await expect(page).toHaveURL(/\/staff\/appointments\/[^/]+\/reschedule$/);
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^Move intake( assessment)? for ${name}$`) })).toBeVisible();
  await expect(page.getByText(/^Now: /)).toBeVisible();
  await look('staff-reschedule');
  const moved = page.getByRole('heading', { level: 1, name: `Session moved for ${name}` });
  await takeATime(page, 'Move to this time', moved);
  await expect(page.getByRole('status').filter({ hasText: 'Moved:' })).toContainText('is now on');
  await look('staff-moved');

  // a dosing session for this client: refused, the rule said about the client
  await page.goto(`/staff/clients/${clientId}/book`);
  await expect(page.getByRole('heading', { level: 1, name: `Book for ${name}` })).toBeVisible();
  await page.getByLabel('Session').selectOption('exploration');
  // weeks after the intake
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: /Next week/ }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'This client’s' });
  await takeATime(page, 'Book this time', refused);
  await expect(refused).toContainText('This time could not be booked');
  await expect(refused).toContainText(
    'This client’s medical clearance is needed before a dosing session: a clinician records it on the chart',
  );
  await look('staff-book-refused');
  // usable on a tablet too
  await page.setViewportSize({ width: 768, height: 1024 });
  await look('staff-book-768');
});

test('adding a client who may already have a record: a warning with a link to the chart, then added only when chosen', async ({
  page,
  look,
}) => {
  const stamp = `${Date.now()}${test.info().workerIndex}`;
  const email = `dup-${stamp}@example.com`;
  const [averyPhone, blakePhone, changedPhone, caseyPhone] = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()] as const;
  await signInAsFrontDesk(page);

  /** Fills the new-client form (no ride-home contact) and presses Add client. */
  const add = async (first: string, last: string, mail: string, phone: string, born: string) => {
    await page.goto('/staff/clients/new');
    await expect(page.getByRole('heading', { level: 1, name: 'Add a new client' })).toBeVisible();
    await page.getByLabel('First name').fill(first);
    await page.getByLabel('Last name').fill(last);
    await page.getByLabel('E-mail').fill(mail);
    await page.getByLabel('Mobile phone').fill(phone);
    await page.getByLabel('Date of birth').fill(born);
    await page.getByRole('button', { name: 'Add client' }).click();
  };
  const bookingFor = (name: string) => page.getByRole('heading', { level: 1, name: `Book for ${name}` });
  const idInUrl = () => /\/staff\/clients\/([^/]+)\/book$/.exec(new URL(page.url()).pathname)?.[1] ?? '';

  // the first record: nothing like it yet, added at once
  const first = `Avery Dup${stamp}`;
  await add('Avery', `Dup${stamp}`, email, averyPhone, '1979-11-02');
  await expect(bookingFor(first)).toBeVisible();
  const firstId = idInUrl();
  expect(firstId).not.toBe('');

  // another name, the same address typed in capitals: nothing added, the warning says why and links the chart
  const second = `Blake Other${stamp}`;
  await add('Blake', `Other${stamp}`, email.toUpperCase(), blakePhone, '1981-04-09');
  const warning = page.getByRole('status').filter({ hasText: 'This client may already have a record' });
  await expect(warning).toBeVisible();
  await expect(warning).toBeFocused();
  await expect(warning.getByRole('listitem')).toHaveText([`${first}: same e-mail address (born Nov 2, 1979)`]);
  await expect(warning.getByRole('link', { name: first })).toHaveAttribute('href', `/staff/clients/${firstId}`);
  await expect(page.getByRole('button', { name: 'Add client' })).toHaveCount(0);
  await look('staff-client-duplicate');

  // a changed form is checked again
  await page.getByLabel('Mobile phone').fill(changedPhone);
  await expect(warning).toHaveCount(0);
  await page.getByRole('button', { name: 'Add client' }).click();
  await expect(warning).toBeFocused();

  // by keyboard: past the chart's link to "Add as a new client anyway", which adds the second record
  await page.keyboard.press('Tab');
  await expect(warning.getByRole('link', { name: first })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Add as a new client anyway' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(bookingFor(second)).toBeVisible();
  const secondId = idInUrl();
  expect(secondId).not.toBe('');
  expect(secondId).not.toBe(firstId);

  // both records are there, by the address
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await page.getByLabel('Find a client').fill(email);
  await page.getByLabel('Find a client').press('Enter');
  await expect(page.getByRole('status').filter({ hasText: /found/ })).toHaveText('2 clients found');
  await expect(page.getByRole('link', { name: first, exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: second, exact: true })).toBeVisible();

  // no match (another address, number, name): added at once, no warning
  const third = `Casey Fresh${stamp}`;
  await add('Casey', `Fresh${stamp}`, `fresh-${stamp}@example.com`, caseyPhone, '1979-11-02');
  await expect(bookingFor(third)).toBeVisible();
});

test('the times the client is already booked are not offered; one booked meanwhile is said about the client', async ({
  page,
  request,
  look,
}) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const last = `Busy${Date.now().toString(36)}`;
  const clientId = await newClient(request, headers, { firstName: 'Remy', lastName: last });

  // a weekday seven weeks ahead (past the weeks other specs book into), in the clinic's zone
  let day = nyDate(49);
  for (let i = 50; [0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay()); i++) day = nyDate(i);
  const open = async (service: string, mode: string, providerId: string) => {
    const res = await request.get(`/v1/clinics/${CLINIC}/availability`, {
      headers,
      params: { service, mode, providerId, from: day, to: day },
    });
    expect(res.ok(), await res.text()).toBe(true);
    return ((await res.json()) as { slots: { startsAt: string; endsAt: string }[] }).slots.map((s) => s.startsAt);
  };
  // times Jordan Reyes may hold a video preparation and Avery Stone an intake in person
  const video = await open('preparation', 'telehealth', 'demo-nyc-ther-2');
  const both = (await open('intake', 'in_person', 'demo-nyc-ther-1')).filter((t) => video.includes(t));
  const hour = 3_600_000;
  const first = both[0]!;
  const later = both.find((t) => Date.parse(t) >= Date.parse(first) + 3 * hour);
  expect(later, `two times three hours apart on ${day}`).toBeDefined();
  const bookIntake = async (startsAt: string) => {
    const res = await request.post('/v1/appointments', {
      headers,
      data: { clientId, clinicId: CLINIC, service: 'intake', providerId: 'demo-nyc-ther-1', startsAt, mode: 'in_person' },
    });
    expect(res.status(), await res.text()).toBe(201);
  };
  await bookIntake(first);

  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/clients/${clientId}/book`);
  await expect(page.getByRole('heading', { level: 1, name: `Book for Remy ${last}` })).toBeVisible();
  await page.getByLabel('Session').selectOption('preparation');
  await page.getByRole('radio', { name: 'By video' }).check();
  await page.getByLabel('Practitioner', { exact: true }).selectOption('demo-nyc-ther-2');
  // to the week of the day
  const dayName = longDay(day);
  const time = (iso: string) =>
    page.getByRole('button', {
      name: `${dayName}, ${new Date(iso).toLocaleTimeString('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit' })}`,
      exact: true,
    });
  const dayGroup = page.getByRole('group', {
    name: new RegExp(`^${new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', weekday: 'short' })}`),
  });
  for (
    let i = 0;
    i < 12 &&
    !(await page
      .getByRole('heading', { level: 3 })
      .filter({ hasText: formatDayOf(day) })
      .isVisible());
    i++
  ) {
    await page.getByRole('button', { name: /Next week/ }).click();
    await expect(page.locator('.week')).not.toHaveAttribute('aria-busy', 'true');
  }
  await expect(dayGroup.getByRole('button').first()).toBeVisible();

  // the client's own intake: a video session that overlaps it is not offered; one after it is
  await expect(time(later!)).toBeVisible();
  await expect(time(first)).toHaveCount(0);
  await expect(time(new Date(Date.parse(first) - hour / 2).toISOString())).toHaveCount(0);
  await look('staff-book-client-busy');

  // another intake is booked for the client meanwhile (another desk): the page learns it on booking
  await bookIntake(later!);
  await time(later!).click();
  await page.getByRole('button', { name: 'Book this time' }).click();
  const said = page.getByRole('alert').filter({ hasText: 'This client already has a session at that time' });
  await expect(said).toContainText('Intake assessment on');
  await expect(page.getByRole('alert').filter({ hasText: 'Someone has just taken this time' })).toHaveCount(0);
  // the week is read again without the client's busy times
  await expect(time(later!)).toHaveCount(0);
  await expect(dayGroup.getByRole('button').first()).toBeVisible();
});

/** "Dec 8" for a clinic-local date, as a day's heading in the week view says it. */
function formatDayOf(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });
}
