// The front desk's day (pages/staff/day.tsx): a client with four sessions on a weekday weeks
// ahead (an intake, two preparations and an exploration, booked through the API); the front desk
// sees them in their provider's and room's columns with their flags and the dosing glance, checks
// the first in, marks the second a no-show once it has started, and cancels the third with the
// late fee said first. A clinician then sees the day without the front desk's buttons, and a
// refusal (completing before the start) in the API's own words.
//
// It MOVES THE DEV CLOCK (POST /v1/dev/clock: every service's "now"), so it runs in a project of
// its own after every other test (playwright.config.ts, MOVES_THE_CLOCK), one test after the other,
// and sets the clock back. The browser's clock is not moved — except, at the end, to show the late
// fee the browser works out from the clinic's policy.
import type { Locator, Page } from '@playwright/test';
import { expect, linesOf, test } from './fixtures.ts';
import { bearer, CLINIC, setClock, staffToken, weekdayAhead, type Slot } from './staff-api.ts';

test.describe.configure({ mode: 'serial' });

interface Booked extends Slot {
  id: string;
  service: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wall = (iso: string) => iso.slice(11, 16); // the clinic's wall clock (the API answers in its offset)

/** What the second test needs from the first. */
let shared: { day: string; name: string; intake: Booked; exploration: Booked; providers: Map<string, string> } | undefined;

test.afterAll(async ({ request }) => {
  await request.post('/v1/dev/clock', { data: { now: null } });
});

async function signInAsStaff(page: Page, role: 'Front desk' | 'Clinician') {
  await page.goto('/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption({ label: role });
  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Hudson Wellness (demo)' });
  await page.getByRole('button', { name: 'Continue as staff' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Day' })).toBeVisible();
  await expect(page).toHaveURL(/\/staff\/day$/);
}

/** The column of a provider or a room (a group named by its header). */
const column = (page: Page, name: string) => page.getByRole('group', { name: new RegExp(`^${escape(name)}\\b`) });
/** An appointment's card in a column: the client's name and the session's kind. */
const card = (col: Locator, name: string, service: string) =>
  col.getByRole('button', { name: new RegExp(`${escape(name)}.*${escape(service)}`) });

test('the front desk runs the day: columns and flags, check-in, a no-show, a late cancellation, the dosing glance', async ({
  page,
  request,
  look,
}) => {
  test.setTimeout(150_000);
  const frontdesk = await staffToken(request, 'frontdesk');
  const clinician = await staffToken(request, 'clinician');
  const day = weekdayAhead(35); // five weeks ahead: past the weeks the other specs' clients book into

  // a client of our own, with a phone and a ride-home contact
  const last = `Desk${Date.now().toString(36)}`;
  const name = `Quinn ${last}`;
  const created = await request.post('/v1/clients', {
    headers: bearer(frontdesk),
    data: {
      clinicId: CLINIC,
      firstName: 'Quinn',
      lastName: last,
      email: `e2e-desk-${Date.now()}-${process.pid}@example.com`,
      phone: '+12125550142',
      dateOfBirth: '1986-02-11',
      smsConsent: false,
      rideHome: { name: 'Sam Ride', phone: '+12125550143' },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const clientId = ((await created.json()) as { id: string }).id;

  const providers = new Map(
    ((await (await request.get(`/v1/clinics/${CLINIC}/providers`)).json()) as { id: string; name: string }[]).map((p) => [p.id, p.name]),
  );
  const rooms = new Map(
    (
      (await (await request.get(`/v1/clinics/${CLINIC}/rooms`, { headers: bearer(frontdesk) })).json()) as { id: string; name: string }[]
    ).map((r) => [r.id, r.name]),
  );

  // open times that day (what the front desk may book), then the sessions, one after the other
  const slots = async (service: string): Promise<Slot[]> => {
    const res = await request.get(`/v1/clinics/${CLINIC}/availability?service=${service}&from=${day}&to=${day}`, {
      headers: bearer(frontdesk),
    });
    expect(res.ok(), await res.text()).toBe(true);
    return ((await res.json()) as { slots: Slot[] }).slots;
  };
  const book = async (service: string, pick: (s: Slot) => boolean): Promise<Booked> => {
    const slot = (await slots(service)).find(pick);
    expect(slot, `an open ${service} time on ${day}`).toBeDefined();
    const res = await request.post('/v1/appointments', {
      headers: bearer(frontdesk),
      data: { clientId, clinicId: CLINIC, service, providerId: slot!.providerId, startsAt: slot!.startsAt, mode: 'in_person' },
    });
    expect(res.status(), await res.text()).toBe(201);
    return { ...((await res.json()) as Booked), service };
  };
  const after = (b: Booked) => (s: Slot) => Date.parse(s.startsAt) >= Date.parse(b.endsAt);
  // check-in opens two hours before the start: the intake starts by 10:30, the clock will say 8:30
  const intake = await book('intake', (s) => wall(s.startsAt) >= '09:00' && wall(s.startsAt) <= '10:30');
  const first = await book('preparation', after(intake));
  const second = await book('preparation', after(first));
  // an exploration needs a clearance (the clinician's), an intake and two preparations before it
  const clearance = await request.post(`/v1/clients/${clientId}/clearance`, {
    headers: bearer(clinician),
    data: { status: 'cleared', screenedFor: ['cardiac', 'medications'] },
  });
  expect(clearance.status(), await clearance.text()).toBe(201);
  const exploration = await book('exploration', after(second));
  // the ride-home contact is withdrawn after booking: the day flags it
  const patched = await request.patch(`/v1/clients/${clientId}`, { headers: bearer(frontdesk), data: { rideHome: null } });
  expect(patched.ok(), await patched.text()).toBe(true);
  shared = { day, name, intake, exploration, providers };

  const offset = intake.startsAt.slice(19); // the clinic's offset that day
  try {
    await setClock(request, `${day}T08:30:00${offset}`);

    await signInAsStaff(page, 'Front desk');
    await page.goto(`/staff/day?date=${day}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Day' })).toBeVisible();
    const dayHeading = new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', {
      timeZone: 'UTC',
      weekday: 'long',
      month: 'long',
      day: 'numeric',
      year: 'numeric',
    });
    await expect(page.getByRole('heading', { level: 2, name: dayHeading })).toBeVisible();
    await expect(page.getByText(/^Updated \d{1,2}:\d{2} [AP]M/)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Book for a client' })).toHaveAttribute('href', '/staff/clients');

    // each session in its provider's column and its room's, with its flags
    const intakeCard = card(column(page, providers.get(intake.providerId)!), name, 'Intake assessment');
    await expect(intakeCard).toBeVisible();
    await expect(intakeCard).toContainText('Booked');
    await expect(intakeCard).toContainText('Unpaid');
    await expect(card(column(page, rooms.get(intake.roomId!)!), name, 'Intake assessment')).toBeVisible();
    const explorationCard = card(column(page, providers.get(exploration.providerId)!), name, 'Exploration session');
    await expect(explorationCard).toContainText('Ride home missing');
    await expect(explorationCard).toContainText('Unpaid');
    await expect(explorationCard).not.toContainText('Clearance missing');
    await expect(card(column(page, rooms.get(exploration.roomId!)!), name, 'Exploration session')).toContainText('Ride home missing');
    await expect(card(column(page, rooms.get(first.roomId!)!), name, 'Preparation session')).toHaveCount(2);

    // the dosing glance: cleared, the intake today, the preparations booked, no ride home
    const glance = page.getByRole('region', { name: 'Dosing sessions and what they need' });
    const row = glance.getByRole('row', { name: new RegExp(escape(name)) });
    await expect(row).toContainText(rooms.get(exploration.roomId!)!);
    await expect(row).toContainText('Cleared');
    await expect(row).toContainText('Not completed yet (today at');
    await expect(row).toContainText('0 of 2 completed, 2 booked');
    await expect(row).toContainText('Missing: No contact on file');
    await look('frontdesk-day');

    // check the intake's client in, by keyboard: the card is a button, Enter opens the panel, Esc
    // closes it and focus is back on the card
    await intakeCard.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog', { name });
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('heading', { name })).toBeFocused();
    await expect(panel.getByRole('button', { name: 'Mark no-show…' })).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Cancel appointment…' })).toBeVisible();
    await expect(panel.getByRole('link', { name: 'Reschedule' })).toHaveAttribute('href', `/staff/appointments/${intake.id}/reschedule`);
    await expect(panel.getByRole('link', { name: 'Open chart' })).toHaveAttribute('href', `/staff/clients/${clientId}`);
    // a self-pay session not paid yet: its invoice, where the desk takes the payment
    await expect(panel.getByRole('link', { name: 'Invoice: take payment' })).toHaveAttribute('href', /^\/staff\/invoices\/inv_/);
    await look('frontdesk-panel');
    await panel.getByRole('button', { name: 'Check in' }).click();
    await expect(panel.getByRole('status').filter({ hasText: `${name} is checked in.` })).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Check in' })).toHaveCount(0);
    await expect(panel.getByRole('button', { name: 'Complete' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(intakeCard).toBeFocused();
    await expect(intakeCard).toContainText('Checked in');

    // the first preparation has started (the server's clock; the browser's is weeks behind): a no-show
    await setClock(request, new Date(Date.parse(first.startsAt) + 10 * 60_000).toISOString());
    await page.getByRole('button', { name: 'Refresh now' }).click();
    const firstCard = column(page, providers.get(first.providerId)!).getByRole('button', {
      name: new RegExp(`^${escape(wall12(first.startsAt))} .*${escape(name)}.*Preparation session`),
    });
    await firstCard.click();
    await expect(panel).toBeVisible();
    // a no-show charges the clinic's fee in place of the session: said first, then confirmed
    await panel.getByRole('button', { name: 'Mark no-show…' }).click();
    const confirmNoShow = panel.getByRole('group', { name: 'Mark as a no-show?' });
    await expect(confirmNoShow).toContainText('missed-appointment fee of $100.00 in place of the session’s price');
    await expect(confirmNoShow.getByRole('heading', { name: 'Mark as a no-show?' })).toBeFocused();
    await look('frontdesk-no-show-confirm');
    await confirmNoShow.getByRole('button', { name: 'Mark no-show and charge the fee' }).click();
    await expect(
      panel.getByRole('status').filter({ hasText: 'Marked as a no-show: a missed-appointment fee of $100.00 is charged to the client.' }),
    ).toBeVisible();
    await expect(panel.getByText('No-show', { exact: true })).toBeVisible();
    await panel.getByRole('button', { name: 'Close' }).click();
    await expect(firstCard).toBeFocused();
    await expect(firstCard).toContainText('No-show');

    // the second preparation is cancelled: the browser now reads the server's time, so the fee is said first
    await page.clock.setFixedTime(new Date(Date.parse(first.startsAt) + 10 * 60_000));
    const secondCard = column(page, providers.get(second.providerId)!).getByRole('button', {
      name: new RegExp(`^${escape(wall12(second.startsAt))} .*${escape(name)}.*Preparation session`),
    });
    await secondCard.click();
    await panel.getByRole('button', { name: 'Cancel appointment…' }).click();
    await expect(panel.getByText('A late-cancellation fee of $100.00 will be charged')).toBeVisible();
    // the clinic may waive it (it cancelled, an emergency); not this time
    const waive = panel.getByLabel('Waive the fee');
    await expect(waive).not.toBeChecked();
    await waive.check();
    await expect(panel.getByRole('button', { name: 'Cancel appointment' })).toBeVisible();
    // the terms follow the box: waived, no fee is said to be charged
    await expect(panel.getByText('A late-cancellation fee of $100.00 will be charged')).toHaveCount(0);
    await expect(panel.getByText('The late-cancellation fee is waived: cancelled free of charge')).toBeVisible();
    await waive.uncheck();
    await expect(panel.getByText('A late-cancellation fee of $100.00 will be charged')).toBeVisible();
    await panel.getByLabel('Reason (optional)').fill('Client unwell');
    await look('frontdesk-cancel');
    await panel.getByRole('button', { name: 'Cancel and charge the fee' }).click();
    await expect(
      panel.getByRole('status').filter({ hasText: 'It was a late cancellation: a fee of $100.00 is charged to the client.' }),
    ).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    // cancelled ones are hidden until asked for
    await expect(secondCard).toHaveCount(0);
    await page.getByLabel(/^Show cancelled \(\d+\)$/).check();
    await expect(secondCard).toContainText('Late cancellation');
    // its panel says the reason the desk typed
    await secondCard.click();
    await expect(panel.getByRole('definition').filter({ hasText: 'Client unwell' })).toBeVisible();
    await look('frontdesk-cancelled-reason');
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    // one preparation missed, the other cancelled: the exploration no longer has the two it was booked with
    await expect(explorationCard).toContainText('Preparation missing');
    await expect(row).toContainText('Missing: Fewer than 2 before this session');
    await look('frontdesk-preparation-missing');

    // the clearance recorded again, as not cleared: the card and the glance say it in the same words (the flag's)
    const withdrawn = await request.post(`/v1/clients/${clientId}/clearance`, {
      headers: bearer(clinician),
      data: { status: 'not_cleared', screenedFor: ['cardiac'] },
    });
    expect(withdrawn.status(), await withdrawn.text()).toBe(201);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(explorationCard).toContainText('Clearance missing');
    await expect(row).toContainText('Missing: Clearance missing (recorded as not cleared)');

    // the same day as a list, in time order
    await page.getByRole('button', { name: 'List' }).click();
    const list = page.getByRole('list', { name: 'Appointments in time order' }).getByRole('button');
    await expect(list.filter({ hasText: name })).toHaveCount(4);
    const names = await list.allInnerTexts();
    const mine = names.filter((t) => t.includes(name));
    expect(mine).toHaveLength(4);
    expect(mine[0]).toContain('Intake assessment');
    expect(mine[3]).toContain('Exploration session');
    await look('frontdesk-list');

    // 768 px wide: the grid scrolls sideways in a region of its own, its headers still readable
    await page.getByRole('button', { name: 'Grid' }).click();
    await page.setViewportSize({ width: 768, height: 1000 });
    const grid = page.getByRole('region', { name: /^The day by provider and room/ });
    await expect(grid).toBeVisible();
    expect(await grid.evaluate((el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth > el.clientWidth)).toBe(true);
    // the lead on one line, its links on one line of their own below it (none broken across two)
    expect(await linesOf(page.locator('.day-page .lead'))).toHaveLength(1);
    expect(await linesOf(page.locator('.day-links'))).toHaveLength(1);
    await look('frontdesk-day-768');

    // another day, chosen in the date field: nobody is booked that far ahead
    const quiet = new Date(Date.parse(`${day}T12:00:00Z`) + 56 * 86_400_000);
    await page.getByLabel('Date', { exact: true }).fill(quiet.toISOString().slice(0, 10));
    const quietName = quiet.toLocaleDateString('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' });
    await expect(page.getByText(`No appointments on ${quietName}.`)).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`date=${quiet.toISOString().slice(0, 10)}`));
    await look('frontdesk-empty');
  } finally {
    await setClock(request, null);
  }
});

test('a clinician sees the day without the front desk’s buttons, and a refusal in plain words', async ({ page, look }) => {
  // the file is serial: the test before set the day up (it fails this one if it did not)
  expect(shared, 'the day set up by the test before').toBeDefined();
  const { day, name, intake, exploration, providers } = shared!;
  await signInAsStaff(page, 'Clinician');
  await page.goto(`/staff/day?date=${day}`);
  // booking and adding clients are the front desk's
  await expect(page.getByRole('heading', { level: 1, name: 'Day' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Book for a client' })).toHaveCount(0);

  await card(column(page, providers.get(exploration.providerId)!), name, 'Exploration session').click();
  const panel = page.getByRole('dialog', { name });
  await expect(panel).toBeVisible();
  await expect(panel.getByText('Check-in, no-shows and cancellations are done by the front desk.')).toBeVisible();
  for (const button of ['Check in', 'Mark no-show…', 'Cancel appointment…'])
    await expect(panel.getByRole('button', { name: button })).toHaveCount(0);
  await expect(panel.getByRole('link', { name: 'Reschedule' })).toHaveCount(0);
  await expect(panel.getByRole('link', { name: 'Open chart' })).toBeVisible();
  await expect(panel.getByRole('link', { name: /invoice/i })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Close' }).click();

  // the checked-in intake can be completed by a clinician — but the server's clock is back before its start
  await card(column(page, providers.get(intake.providerId)!), name, 'Intake assessment').click();
  await expect(panel.getByText(/^Available after \d{1,2}:\d{2} [AP]M$/)).toBeVisible();
  await panel.getByRole('button', { name: 'Complete' }).click();
  const refused = panel.getByRole('alert');
  await expect(refused).toContainText('Not completed');
  await expect(refused).toContainText('An appointment can only be completed once it has started');
  // focus is on the refusal, not dropped to the page's start with the button disabled while it ran
  await expect(panel.locator('.appt-refusal')).toBeFocused();
  await expect(page.locator('body')).not.toBeFocused();
  await look('clinician-day');
});

test('the day names the zone as it is on the day shown, not today', async ({ page }) => {
  await signInAsStaff(page, 'Front desk');
  // one day each side of the spring change: one of them is not today's offset, whatever today is
  await page.goto('/staff/day?date=2027-03-15');
  await expect(page.getByRole('heading', { level: 2, name: 'Monday, March 15, 2027' })).toBeVisible();
  await expect(page.getByText('Times are in New York time (Eastern Daylight Time).')).toBeVisible();
  await page.goto('/staff/day?date=2027-01-15');
  await expect(page.getByRole('heading', { level: 2, name: 'Friday, January 15, 2027' })).toBeVisible();
  await expect(page.getByText('Times are in New York time (Eastern Standard Time).')).toBeVisible();
});

/** "10:00 AM" for an instant given in the clinic's offset. */
function wall12(iso: string): string {
  const [h = 0, m = 0] = wall(iso).split(':').map(Number);
  return `${((h + 11) % 12) + 1}:${String(m).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
}
