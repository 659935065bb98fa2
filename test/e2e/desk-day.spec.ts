// The front desk's day and chart around one dosing session (a client with an intake, two
// preparations and an exploration on a weekday weeks ahead, booked through the API; the ride-home
// contact then withdrawn and the clearance recorded as not cleared):
// - the day's grid opens where it matters — today an hour before now, the now line in view, another
//   day at its first appointment — in a box as tall as the window;
// - Check in for the exploration asks first who takes the client home ("Not now", "Check in
//   anyway", "Edit details" opening the chart's form), and a refusal for clearance is said in the
//   front desk's words, never the client's;
// - the chart's upcoming session can be moved, cancelled (the day panel's terms and "Waive the
//   fee") and its invoice opened.
//
// It MOVES THE DEV CLOCK (POST /v1/dev/clock: every service's "now"), so it runs in a project of
// its own after every other test (playwright.config.ts, MOVES_THE_CLOCK), one test after the other,
// and sets the clock back. The browser's clock is set apart (page.clock): the page reads "today"
// and "now" from it, in the clinic's zone. It is set after signing in (a token from the server's
// clock would look expired or not yet valid to it at sign-in), and the pages are then reached
// without a reload (nor would a token kept from before pass a fresh page's check).
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { bearer, CLINIC, setClock, signInAsStaff, staffToken, weekdayAhead, type Slot } from './staff-api.ts';

test.describe.configure({ mode: 'serial' });

interface Booked extends Slot {
  id: string;
  invoiceId: string;
}

const wall = (iso: string) => iso.slice(11, 16); // the clinic's wall clock (the API answers in its offset)

let shared: { day: string; offset: string; clientId: string; first: string; exploration: Booked } | undefined;

test.afterAll(async ({ request }) => {
  await request.post('/v1/dev/clock', { data: { now: null } });
});

test.beforeAll(async ({ request }) => {
  const frontdesk = await staffToken(request, 'frontdesk');
  const clinician = await staffToken(request, 'clinician');
  const day = weekdayAhead(42); // six weeks ahead: past the weeks the other specs' clients book into (frontdesk.spec's five)
  const last = `Ride${Date.now().toString(36)}`;
  const created = await request.post('/v1/clients', {
    headers: bearer(frontdesk),
    data: {
      clinicId: CLINIC,
      firstName: 'Jesse',
      lastName: last,
      email: `e2e-ride-${Date.now()}-${process.pid}@example.com`,
      phone: '+12125550152',
      dateOfBirth: '1984-07-19',
      smsConsent: false,
      rideHome: { name: 'Sam Ride', phone: '+12125550153' },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const clientId = ((await created.json()) as { id: string }).id;
  const book = async (service: string, after: string | undefined): Promise<Booked> => {
    const res = await request.get(`/v1/clinics/${CLINIC}/availability?service=${service}&from=${day}&to=${day}`, {
      headers: bearer(frontdesk),
    });
    expect(res.ok(), await res.text()).toBe(true);
    const slot = ((await res.json()) as { slots: Slot[] }).slots.find(
      (s) => (after ? Date.parse(s.startsAt) >= Date.parse(after) : wall(s.startsAt) >= '09:00') && wall(s.startsAt) <= '12:00',
    );
    expect(slot, `an open ${service} time on ${day}`).toBeDefined();
    const booked = await request.post('/v1/appointments', {
      headers: bearer(frontdesk),
      data: { clientId, clinicId: CLINIC, service, providerId: slot!.providerId, startsAt: slot!.startsAt, mode: 'in_person' },
    });
    expect(booked.status(), await booked.text()).toBe(201);
    return (await booked.json()) as Booked;
  };
  const intake = await book('intake', undefined);
  const one = await book('preparation', intake.endsAt);
  const two = await book('preparation', one.endsAt);
  const cleared = await request.post(`/v1/clients/${clientId}/clearance`, {
    headers: bearer(clinician),
    data: { status: 'cleared', screenedFor: ['cardiac', 'medications'] },
  });
  expect(cleared.status(), await cleared.text()).toBe(201);
  const exploration = await book('exploration', two.endsAt);
  // afterwards: the ride-home contact withdrawn, the clearance recorded again as not cleared
  const patched = await request.patch(`/v1/clients/${clientId}`, { headers: bearer(frontdesk), data: { rideHome: null } });
  expect(patched.ok(), await patched.text()).toBe(true);
  const withdrawn = await request.post(`/v1/clients/${clientId}/clearance`, {
    headers: bearer(clinician),
    data: { status: 'not_cleared', screenedFor: ['cardiac'] },
  });
  expect(withdrawn.status(), await withdrawn.text()).toBe(201);
  shared = { day, offset: intake.startsAt.slice(19), clientId, first: intake.startsAt, exploration };
});

/** Signs in, then moves the browser's clock, and opens the day again (in the page: no reload) so it reads the new "today". */
async function signInAt(page: Page, at: Date): Promise<void> {
  await signInAsStaff(page, 'frontdesk');
  await moveBrowserClock(page, at);
}

async function moveBrowserClock(page: Page, at: Date): Promise<void> {
  await page.clock.setFixedTime(at);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Clients' }).click();
  await nav.getByRole('link', { name: 'Day' }).click();
}

/** The day `day` (YYYY-MM-DD) chosen in the day page's date field, without a reload. */
async function showDay(page: Page, day: string): Promise<void> {
  const heading = new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  });
  const shown = page.getByRole('heading', { level: 2, name: heading });
  await expect(page.getByRole('heading', { level: 1, name: 'Day' })).toBeVisible();
  if (!(await shown.isVisible())) await page.getByLabel('Date', { exact: true }).fill(day);
  await expect(shown).toBeVisible();
}

/** The little of the DOM the geometry reads (this file is type-checked without the DOM's types). */
interface El {
  getBoundingClientRect(): { top: number; bottom: number; height: number };
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El> & Iterable<El>;
  textContent: string | null;
  scrollTop: number;
}

/** The grid's box, and where things are in it (px from the window's top). */
async function gridGeometry(page: Page) {
  const grid = page.getByRole('region', { name: /^The day by provider and room/ });
  await expect(grid.locator('.day-card').first()).toBeVisible();
  return grid.evaluate((wrap: El) => {
    const top = (el: El | null) => (el ? el.getBoundingClientRect().top : NaN);
    const box = wrap.getBoundingClientRect();
    const head = wrap.querySelector('.day-head')!.getBoundingClientRect();
    const labels = [...wrap.querySelectorAll('.day-axis span')].map((s) => ({ text: s.textContent ?? '', top: top(s) }));
    return {
      boxTop: box.top,
      boxBottom: box.bottom,
      boxHeight: box.height,
      headBottom: head.bottom,
      scrollTop: wrap.scrollTop,
      now: top(wrap.querySelector('.day-now span')),
      firstCard: Math.min(...[...wrap.querySelectorAll('.day-card')].map(top)),
      labels,
    };
  });
}

test('the day opens where it matters: an hour before now today, the first appointment another day; the box as tall as the window', async ({
  page,
  look,
}) => {
  expect(shared, 'the day set up before').toBeDefined();
  const { day, offset } = shared!;
  await page.setViewportSize({ width: 1366, height: 768 });
  // the browser's clock: 12:50 on that day in New York (the page's "today" and its now line)
  await signInAt(page, new Date(`${day}T12:50:00${offset}`));
  // the desk lands on today
  await expect(page.getByRole('button', { name: 'Today' })).toHaveAttribute('aria-current', 'date');
  await showDay(page, day);
  let g = await gridGeometry(page);
  // scrolled: 11:50 just under the header row, so the 8 AM line is out of sight above it…
  expect(g.scrollTop).toBeGreaterThan(0);
  const label = (text: string) => g.labels.find((l) => l.text === text)!.top;
  expect(label('8:00 AM')).toBeLessThan(g.headBottom);
  expect(label('12:00 PM')).toBeGreaterThan(g.headBottom);
  expect(label('12:00 PM') - g.headBottom).toBeLessThan(60);
  // …and the now line in the window without scrolling the page
  expect(g.now).toBeGreaterThan(g.headBottom);
  expect(g.now).toBeLessThan(768);
  // the box may be as tall as the window (less a margin)
  expect(g.boxHeight).toBeGreaterThan(768 * 0.9);
  await look('desk-day-today-1366');

  // a large window shows more: the box grows with it
  await page.setViewportSize({ width: 1920, height: 1080 });
  g = await gridGeometry(page);
  expect(g.boxHeight).toBeGreaterThan(1080 * 0.9);
  await page.evaluate('window.scrollTo(0, 0)');
  await look('desk-day-today-1920');

  // another day than today (the browser's clock a day earlier): the first appointment at the top
  // (in the smaller window: the larger one nearly holds the whole day, with little to scroll)
  await page.setViewportSize({ width: 1366, height: 768 });
  await moveBrowserClock(page, new Date(Date.parse(`${day}T12:50:00${offset}`) - 86_400_000));
  await showDay(page, day);
  await expect(page.getByRole('button', { name: 'Today' })).not.toHaveAttribute('aria-current', 'date');
  g = await gridGeometry(page);
  expect(Math.abs(g.firstCard - g.headBottom)).toBeLessThan(4);
});

test('Check in for a dosing session with no ride home asks first; a refusal for clearance is said for the desk', async ({
  page,
  request,
  look,
}) => {
  expect(shared, 'the day set up before').toBeDefined();
  const { day, clientId, exploration } = shared!;
  // half an hour before the exploration: check-in is open on both clocks
  const at = new Date(Date.parse(exploration.startsAt) - 30 * 60_000);
  await setClock(request, at.toISOString());
  try {
    await signInAt(page, at);
    await showDay(page, day);
    const name = `Jesse ${(await (await request.get(`/v1/clients/${clientId}`, { headers: bearer(await staffToken(request, 'frontdesk')) })).json()).lastName as string}`;
    const card = page.locator(`[data-appointment="${exploration.id}"][data-primary]`);
    await expect(card).toContainText('Ride home missing');
    await expect(card).toContainText('Clearance missing');
    await card.click();
    const panel = page.getByRole('dialog', { name });
    await panel.getByRole('button', { name: 'Check in' }).click();
    // asked first: who takes them home
    const ask = panel.getByRole('group', { name: 'Who takes them home?' });
    await expect(ask.getByRole('heading', { name: 'Who takes them home?' })).toBeFocused();
    await expect(ask).toContainText('No ride home is on file for Jesse. Confirm who takes them home before the session: Edit details');
    await expect(ask.getByRole('link', { name: 'Edit details' })).toHaveAttribute('href', `/staff/clients/${clientId}?edit=details`);
    await look('desk-day-ride-home-ask');
    // "Not now": nothing is sent, the buttons are back
    await ask.getByRole('button', { name: 'Not now' }).click();
    await expect(ask).toHaveCount(0);
    await expect(panel.getByText('Booked', { exact: true })).toBeVisible();

    // "Check in anyway": the API refuses for the clearance, in the desk's words
    await panel.getByRole('button', { name: 'Check in' }).click();
    await ask.getByRole('button', { name: 'Check in anyway' }).click();
    const refused = panel.getByRole('alert');
    await expect(refused).toContainText('Not checked in');
    await expect(refused).toContainText(
      'Jesse can’t be checked in for a dosing session: no valid medical clearance. A clinician records it on the chart; otherwise move or cancel the session.',
    );
    await expect(refused).not.toContainText('Book a medical evaluation');
    await expect(panel.locator('.appt-refusal')).toBeFocused();
    await look('desk-day-checkin-not-cleared');

    // "Edit details" opens the chart with the details form open, at the ride-home contact
    await panel.getByRole('button', { name: 'Check in' }).click();
    await ask.getByRole('link', { name: 'Edit details' }).click();
    await expect(page).toHaveURL(new RegExp(`/staff/clients/${clientId}\\?edit=details$`));
    await expect(page.getByLabel('Their name')).toBeVisible();
    await expect(page.getByLabel('Their phone')).toBeVisible();
  } finally {
    await setClock(request, null);
  }
});

test('the chart moves, cancels (the fee said first, and waived) and links the session’s invoice', async ({ page, request, look }) => {
  expect(shared, 'the day set up before').toBeDefined();
  const { day, clientId, exploration } = shared!;
  // an hour before the exploration: inside the cancellation window on both clocks
  const at = new Date(Date.parse(exploration.startsAt) - 60 * 60_000);
  await setClock(request, at.toISOString());
  try {
    await signInAt(page, at);
    await showDay(page, day);
    // to the chart from the session's panel
    await page.locator(`[data-appointment="${exploration.id}"][data-primary]`).click();
    await page.getByRole('dialog').getByRole('link', { name: 'Open chart' }).click();
    await expect(page).toHaveURL(new RegExp(`/staff/clients/${clientId}$`));
    const upcoming = page.getByRole('region', { name: 'Upcoming sessions' });
    const row = upcoming.getByRole('row', { name: /Exploration session/ });
    await expect(row.getByRole('link', { name: /^Reschedule Exploration session/ })).toHaveAttribute(
      'href',
      `/staff/appointments/${exploration.id}/reschedule`,
    );
    await expect(row.getByRole('link', { name: /^Invoice of Exploration session/ })).toHaveAttribute(
      'href',
      `/staff/invoices/${exploration.invoiceId}`,
    );
    await look('desk-chart-upcoming');

    await row.getByRole('button', { name: /^Cancel… Exploration session/ }).click();
    const ask = page.getByRole('group', { name: 'Cancel this appointment?' });
    await expect(ask.getByRole('heading', { name: 'Cancel this appointment?' })).toBeFocused();
    await expect(ask.getByText(/^A late-cancellation fee of \$[\d.,]+ will be charged/)).toBeVisible();
    await ask.getByLabel('Waive the fee').check();
    await expect(ask.getByText('The late-cancellation fee is waived: cancelled free of charge')).toBeVisible();
    await ask.getByLabel('Reason (optional)').fill('Practitioner ill');
    await look('desk-chart-cancel');
    await ask.getByRole('button', { name: 'Cancel appointment' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Cancelled, free of charge: the late-cancellation terms were waived.' }),
    ).toBeVisible();
    await expect(upcoming.getByRole('row', { name: /Exploration session/ })).toHaveCount(0);
    const past = page.getByRole('region', { name: 'Past and cancelled sessions' });
    await expect(past.getByRole('row', { name: /Exploration session/ })).toContainText('Cancelled');
    // the reason the desk typed is shown back to staff
    await expect(past.getByRole('row', { name: /Exploration session/ })).toContainText('Reason: Practitioner ill');
    await look('desk-chart-cancelled');
    const after = await request.get(`/v1/appointments/${exploration.id}`, { headers: bearer(await staffToken(request, 'frontdesk')) });
    expect(await after.json()).toMatchObject({ status: 'cancelled', feeWaived: true });
  } finally {
    await setClock(request, null);
  }
});
