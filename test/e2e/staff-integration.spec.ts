// "Integration session due" on the staff side (pages/staff/integration-due.tsx): a client with an
// intake, two preparations and a dosing session booked in order (through the API), no integration
// session. The day's panel of the dosing session and the client's chart name it with the last day
// to hold one (the clinic's 7 days after it, in New York's dates); the chart's "Book integration
// session" opens the staff booking page on an integration session (the kind and the dosing session
// kept in the tab, not in the address) on the week of its window, named and its days marked — the
// dosing session is weeks ahead, as when a client books the whole course at once; once one is
// booked within the days, the notice goes, and "Book a session" opens on an intake again. When the
// booking page cannot read the client's sessions, it opens on the first open week, saying nothing
// wrong. A clinician sees the notice without the link.
//
// Runs beside other specs against one demo clinic (no clock is moved: the dosing session is weeks
// ahead, its window still open): each client is new, its times taken at random.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, expectNoServiceWordInAddress, shownTimes, slowAppointments, test, weekHeadingsFromNow } from './fixtures.ts';
import { bookInOrder, dayListRows, localDate, newClient, readyForDosing, signInAsStaff, staffHeaders, type Booking } from './staff-api.ts';

/** A clinic-local date `days` after `date` (YYYY-MM-DD). */
function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A clinic-local date as the app writes it, in the parts `opts` names. */
const dateIn = (opts: Intl.DateTimeFormatOptions) => (date: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', ...opts }).format(new Date(`${date}T12:00:00Z`));
/** "Dec 8, 2026". */
const shortDate = dateIn({ month: 'short', day: 'numeric', year: 'numeric' });
/** "Dec 8". */
const monthDay = dateIn({ month: 'short', day: 'numeric' });

/**
 * A new client of Hudson Wellness with a dosing session booked after its intake and preparations
 * (from `fromDays` ahead): its id, name and the dosing session.
 */
async function clientWithDosing(
  request: APIRequestContext,
  first: string,
  fromDays = 3,
): Promise<{ clientId: string; name: string; dosing: Booking }> {
  const last = `Integ${Date.now().toString(36)}${test.info().workerIndex}`;
  const clientId = await newClient(request, await staffHeaders(request, 'frontdesk'), { firstName: first, lastName: last });
  await readyForDosing(request, clientId);
  const [, , , dosing] = await bookInOrder(request, clientId, ['intake', 'preparation', 'preparation', 'exploration'], fromDays);
  if (!dosing) throw new Error('no dosing session');
  return { clientId, name: `${first} ${last}`, dosing };
}

/** On the booking page: a time on `day` (the week that holds it shown), booked; another one when a parallel test took it first. */
async function bookOnDay(page: Page, day: string): Promise<void> {
  await shownTimes(page);
  const column = page.locator(`[id="day-${day}"]`);
  for (let i = 0; i < 8 && (await column.count()) === 0; i++) {
    await page.getByRole('button', { name: /Next week/ }).click();
    await expect(page.locator('.week')).not.toHaveAttribute('aria-busy', 'true');
  }
  // a time's name starts with its date: "Tuesday, December 8, 2026, 10:00 AM with …"
  const long = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  const times = page.getByRole('button', { name: new RegExp(`^${long.format(new Date(`${day}T12:00:00Z`))}, `) });
  const booked = page.getByRole('heading', { level: 1, name: /^Booked for / });
  const taken = page.getByRole('alert').filter({ hasText: 'Someone has just taken this time' });
  for (let attempt = 0; attempt < 4; attempt++) {
    await expect(times.first()).toBeEnabled();
    await times.nth(Math.floor(Math.random() * (await times.count()))).click();
    await page.getByRole('button', { name: 'Book this time' }).click();
    await expect(booked.or(taken)).toBeVisible();
    if (await booked.isVisible()) return;
  }
  throw new Error(`every time tried on ${day} was taken`);
}

test('the day panel and the chart say an integration session is due, and the chart books one in its window @phone', async ({
  page,
  request,
  look,
}) => {
  // the whole course booked at once: the dosing session at least three weeks ahead
  const { clientId, name, dosing } = await clientWithDosing(request, 'Noor', 21);
  const dosingDay = localDate(dosing.startsAt);
  const line = `After the exploration session on ${shortDate(dosingDay)}: book by ${shortDate(plusDays(dosingDay, 7))}`;

  // the day of the dosing session: its panel names it, with the link to book
  await signInAsStaff(page, 'frontdesk');
  const rows = await dayListRows(page, dosingDay, name);
  await rows.filter({ hasText: 'Exploration session' }).click();
  const panel = page.getByRole('dialog');
  const panelNotice = panel.getByRole('group', { name: 'Integration session due' });
  await expect(panelNotice).toContainText(line);
  await expect(panelNotice.getByRole('link', { name: 'Book integration session' })).toBeVisible();
  await look('day-panel-integration-due');

  // the chart: the same, first thing under the name
  await panel.getByRole('link', { name: 'Open chart' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const notice = page.getByRole('group', { name: 'Integration session due' });
  await expect(notice).toContainText(line);
  await expect(notice).toContainText('Within 7 days after each exploration session');
  await look('chart-integration-due');

  // its link opens the booking page on an integration session, on the week of the window, which it
  // names: that week first, even when the client's sessions (which the window is worked out from)
  // answer after the open times
  const headings = await weekHeadingsFromNow(page);
  const endSlowReads = await slowAppointments(page, 2_000);
  await notice.getByRole('link', { name: 'Book integration session' }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/clients/${clientId}/book$`));
  await expectNoServiceWordInAddress(page);
  await expect(page.getByLabel('Session')).toHaveValue('integration');
  const [first, last] = [plusDays(dosingDay, 1), plusDays(dosingDay, 7)];
  await expect(page.getByRole('status').filter({ hasText: 'When to book it' })).toContainText(
    `Within 7 days after their exploration session on ${dateIn({ weekday: 'short', month: 'short', day: 'numeric' })(dosingDay)}: ${monthDay(first)} – ${monthDay(last)}`,
  );
  const monday = plusDays(first, -((new Date(`${first}T12:00:00Z`).getUTCDay() + 6) % 7));
  const windowWeek = `${shortDate(monday)} – ${shortDate(plusDays(monday, 6))}`;
  await expect(page.getByRole('heading', { level: 2, name: windowWeek })).toBeVisible();
  expect(await headings(), 'every week the view showed').toEqual([windowWeek]);
  await endSlowReads();
  const dayGroup = (date: string) =>
    page.getByRole('group', { name: new RegExp(`^${dateIn({ weekday: 'short' })(date)} ${monthDay(date)}\\s*,`) });
  await expect(dayGroup(first)).toHaveAccessibleName(/\s*,\s*in the window\s*,\s*\d+ open$/);
  if (monday <= dosingDay) await expect(dayGroup(dosingDay)).toHaveAccessibleName(/^\S+ \S+ \d+\s*,\s*\d+ open$/);
  await shownTimes(page);
  await look('staff-book-integration');

  // one booked the next weekday after the dosing session: the chart has nothing due any more
  let day = plusDays(dosingDay, 1);
  while ([0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = plusDays(day, 1);
  await bookOnDay(page, day);
  await expect(page.getByRole('status').filter({ hasText: 'Booked:' })).toContainText(`Integration session for ${name}`);
  await page.getByRole('link', { name: 'Open the chart' }).click();
  await expect(
    page.getByRole('region', { name: 'Upcoming sessions' }).getByRole('rowheader', { name: 'Integration session' }),
  ).toBeVisible();
  await expect(notice).toHaveCount(0);

  // leaving the booking page forgot the kind: "Book a session" opens on an intake again
  await page.getByRole('link', { name: 'Book a session' }).click();
  await expect(page.getByLabel('Session')).toHaveValue('intake');
});

test('when the client’s sessions cannot be read, booking opens on the first open week and says nothing wrong', async ({
  page,
  request,
}) => {
  const { clientId, name, dosing } = await clientWithDosing(request, 'Ash', 21);
  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/clients/${clientId}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const link = page.getByRole('group', { name: 'Integration session due' }).getByRole('link', { name: 'Book integration session' });
  await expect(link).toBeVisible();
  // the chart read them; the booking page's read fails (the network)
  await page.route(/\/v1\/clients\/[^/]+\/appointments(\?|$)/, (route) => route.abort());
  await link.click();
  await expect(page.getByLabel('Session')).toHaveValue('integration');
  // open times shown, from this week on: not the window's week three weeks ahead, which needs the sessions
  await shownTimes(page);
  const first = plusDays(localDate(dosing.startsAt), 1);
  const windowMonday = plusDays(first, -((new Date(`${first}T12:00:00Z`).getUTCDay() + 6) % 7));
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^${shortDate(windowMonday)} – `) })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'When to book it' })).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a clinician sees an integration session due on the chart, without the link to book', async ({ page, request }) => {
  const { clientId, name, dosing } = await clientWithDosing(request, 'Wren');
  await signInAsStaff(page, 'clinician');
  await page.goto(`/staff/clients/${clientId}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const notice = page.getByRole('group', { name: 'Integration session due' });
  await expect(notice).toContainText(`book by ${shortDate(plusDays(localDate(dosing.startsAt), 7))}`);
  await expect(notice).toContainText('The front desk can book it.');
  await expect(notice.getByRole('link')).toHaveCount(0);
});
