// Journey (c): My care — upcoming and past appointments, reschedule to an open time, cancel with
// what it costs shown before confirming (the clinic's policy).
import { bookFirstTime, expect, signUp, test } from './fixtures.ts';

test('reschedule, then cancel with the late-cancellation terms shown first', async ({ page, look }) => {
  await signUp(page);
  const booked = await bookFirstTime(page);
  await page.getByRole('link', { name: 'See my appointments' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();
  const upcoming = page.locator('section', { has: page.getByRole('heading', { name: 'Upcoming' }) });
  await expect(upcoming.locator('.appointment')).toHaveCount(1);
  await expect(upcoming).toContainText('Intake');
  await look('care');

  // reschedule: the next open time after the booked one
  await upcoming.getByRole('link', { name: 'Reschedule' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Move your intake/ })).toBeVisible();
  const times = page.locator('.week button.time');
  await expect(times.first()).toBeVisible();
  const other = times.filter({ hasNot: page.locator(`[aria-label="${booked}"]`) }).nth(1);
  const newLabel = (await other.getAttribute('aria-label')) ?? '';
  await other.click();
  await look('reschedule');
  await page.getByRole('button', { name: 'Move to this time' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your session was moved' })).toBeVisible();
  const newTime = /(\d{1,2}:\d\d (AM|PM))$/.exec(newLabel)?.[1] ?? '';
  await expect(page.getByRole('status')).toContainText(newTime);
  await page.getByRole('link', { name: 'Back to my care' }).click();

  // cancel: the terms come first, from the clinic's policy (48 h window, $100.00 fee)
  await upcoming.getByRole('button', { name: 'Cancel…' }).click();
  const terms = upcoming.getByRole('group', { name: 'Cancel this session?' });
  // the pressed button goes away: focus moves to the question, and back on "Keep it"
  await expect(terms.getByRole('heading', { name: 'Cancel this session?' })).toBeFocused();
  await terms.getByRole('button', { name: 'Keep it' }).click();
  await expect(upcoming.getByRole('button', { name: 'Cancel…' })).toBeFocused();
  await upcoming.getByRole('button', { name: 'Cancel…' }).click();
  await expect(terms).toContainText(/Cancelling is free: the session is more than 48 hours away|a fee of \$100\.00 will be charged/);
  await look('cancel-confirm');
  const late = (await terms.textContent())?.includes('$100.00') ?? false;
  await terms.getByRole('button', { name: late ? 'Cancel and accept the fee' : 'Yes, cancel it' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'cancelled' })).toContainText(late ? 'late cancellation' : 'free of charge');
  await expect(upcoming.locator('.appointment')).toHaveCount(0);
  const past = page.locator('section', { has: page.getByRole('heading', { name: 'Past and cancelled' }) });
  await expect(past).toContainText('Cancelled');
  await look('care-after-cancel');
});
