// A practitioner's video room link: the admin sets it on the practitioners' settings (a link the
// API would refuse is caught in the browser first), the front desk sees it in the day's panel of
// a video session, and the client sees "Join video session" on My care from 15 minutes before
// the start (a sentence before that). Each test adds its own practitioner through the API, so no
// other spec's sessions change. The browser's clock is set apart (page.clock) to put the page in
// or before the window; the server's dev clock is not moved.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import {
  adminHeaders,
  CLINIC,
  dayListRows,
  localDate,
  newClient,
  newPractitioner,
  selfPayBooking,
  signInAsClient,
  signInAsStaff,
  staffHeaders,
  type Booking,
} from './staff-api.ts';

/** A preparation by video with the practitioner, for a new client: the booking and the client's id. */
async function videoSession(request: APIRequestContext, providerId: string, lastName: string) {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Vida', lastName });
  const session: Booking = await selfPayBooking(request, headers, clientId, { service: 'preparation', mode: 'telehealth', providerId });
  return { clientId, session };
}

/**
 * Moves the browser's clock and opens My care again in the page (no reload): a token read from
 * storage at start is timed by the browser's clock, so the page is signed in first, at real time.
 */
async function careAt(page: Page, at: number) {
  // React's first render may come after the load event that page.goto waits for: the page must
  // show the client signed in before the clock moves, or it reads the token at the new time
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Profile' })).toBeVisible();
  await page.clock.setFixedTime(new Date(at));
  await nav.getByRole('link', { name: 'Profile' }).click();
  await expect(page).toHaveURL(/\/profile/);
  await nav.getByRole('link', { name: 'My care' }).click();
  await expect(page).toHaveURL(/\/care/);
}

const upcomingItem = (page: Page) =>
  page.locator('section[aria-labelledby="upcoming"]').getByRole('listitem').filter({ hasText: 'Preparation' });

test('the admin sets a practitioner’s video room link; the front desk and the client see it', async ({ page, request, look }) => {
  const stamp = `${Date.now()}`.slice(-6);
  const name = `Robin Video${stamp}`;
  const admin = await adminHeaders(request);
  const providerId = await newPractitioner(request, admin, name);
  const room = `https://doxy.me/robin-${stamp}`;

  // --- the admin's settings: a link refused in the browser, then saved ---
  await page.goto('/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Admin (all clinics)' });
  await page.getByRole('button', { name: 'Continue as staff' }).click();
  await expect(page).toHaveURL(/\/staff\//);
  await page.goto(`/staff/settings/providers?clinic=${CLINIC}`);
  const form = page.getByRole('form', { name });
  await form.getByLabel('Video room link').fill(`http://doxy.me/robin-${stamp}`);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('The link was not saved');
  await expect(form.getByLabel('Video room link')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Video room link')).toBeFocused();
  const unchanged = await request.get(`/v1/clinics/${CLINIC}/providers`, { headers: admin });
  expect(
    ((await unchanged.json()) as { id: string; videoRoomUrl: string | null }[]).find((p) => p.id === providerId)?.videoRoomUrl,
  ).toBeNull();

  await form.getByLabel('Video room link').fill(room);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  await expect(form.getByRole('button', { name: 'Clear' })).toBeVisible();
  await form.scrollIntoViewIfNeeded();
  await look('settings-video-room');
  await page.reload();
  await expect(page.getByRole('form', { name }).getByLabel('Video room link')).toHaveValue(room);

  // --- the front desk's day: the session's panel links to the room ---
  const { clientId, session } = await videoSession(request, providerId, `Join${stamp}`);
  expect((session as Booking & { videoUrl: string | null }).videoUrl).toBe(room);
  await signInAsStaff(page, 'frontdesk');
  const rows = await dayListRows(page, localDate(session.startsAt), `Join${stamp}`);
  await rows.first().click();
  const panel = page.getByRole('dialog');
  const link = panel.getByRole('link', { name: 'Open the video room' });
  await expect(link).toHaveAttribute('href', room);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await look('day-panel-video-room');

  // --- the client, 10 minutes before the start: the link to join ---
  await signInAsClient(page, request, clientId);
  await page.goto('/care');
  await careAt(page, Date.parse(session.startsAt) - 10 * 60_000);
  const join = upcomingItem(page).getByRole('link', { name: 'Join video session' });
  await expect(join).toHaveAttribute('href', room);
  await expect(join).toHaveAttribute('target', '_blank');
  await expect(join).toHaveAttribute('rel', 'noopener noreferrer');
});

test('My care: the join link from 15 minutes before a video session, a sentence before that @phone', async ({ page, request, look }) => {
  const stamp = `${Date.now()}`.slice(-6);
  const admin = await adminHeaders(request);
  const providerId = await newPractitioner(request, admin, `Sasha Video${stamp}`);
  const room = `https://doxy.me/sasha-${stamp}`;
  const set = await request.put(`/v1/clinics/${CLINIC}/providers/${providerId}/video-room`, { headers: admin, data: { url: room } });
  expect(set.ok(), await set.text()).toBe(true);
  const { clientId, session } = await videoSession(request, providerId, `Window${stamp}`);
  await signInAsClient(page, request, clientId);
  await page.goto('/care');

  // the day before: no link yet, and when it comes
  await careAt(page, Date.parse(session.startsAt) - 24 * 3600_000);
  const item = upcomingItem(page);
  await expect(item).toContainText('The link to join appears here 15 minutes before the start.');
  await expect(item.getByRole('link', { name: 'Join video session' })).toHaveCount(0);
  await look('care-video-before');

  // 15 minutes before: the link, until the end
  await careAt(page, Date.parse(session.startsAt) - 15 * 60_000);
  await expect(upcomingItem(page).getByRole('link', { name: 'Join video session' })).toHaveAttribute('href', room);
  await expect(upcomingItem(page)).not.toContainText('appears here 15 minutes');
  await look('care-video-join');
});
