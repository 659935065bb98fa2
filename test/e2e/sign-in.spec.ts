// Local sign-in ("choose who you are"): a demo client, a staff role, sign-out forgets the token.
import { expect, test } from './fixtures.ts';

test('a demo client signs in, sees its care, and signs out (the token is gone)', async ({ page, look }) => {
  await page.goto('/care');
  // a client page without a session goes to sign-in and comes back after it
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fcare$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Who are you?' })).toBeVisible();
  await look('sign-in');

  await page.getByLabel('Demo client').selectOption({ label: 'Jamie Chen — Hudson Wellness (demo)' });
  await page.getByRole('button', { name: 'Continue as this client' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();
  await expect(page).toHaveURL(/\/care$/);
  const stored = await page.evaluate('Object.keys(sessionStorage)');
  expect(stored).toEqual(['kapstone.token']);
  expect(await page.evaluate('localStorage.length')).toBe(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Who are you?' })).toBeVisible();
  expect(await page.evaluate('sessionStorage.length')).toBe(0);
  await page.goto('/profile');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('staff sign in as a role of a demo clinic', async ({ page, look }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption('frontdesk');
  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Lakeshore Therapy (demo)' });
  await page.getByRole('button', { name: 'Continue as staff' }).click();
  // the front desk lands on its day at its own clinic
  await expect(page.getByRole('heading', { level: 1, name: 'Day' })).toBeVisible();
  await expect(page).toHaveURL(/\/staff\/day$/);
  await expect(page.getByText('Lakeshore Therapy (demo). Times are in Toronto time')).toBeVisible();
  await look('staff');
  // the header's Sign out keeps its contrast when hovered (axe checks the page as it is)
  await page.getByRole('button', { name: 'Sign out' }).hover();
  await look('staff-sign-out-hover');
});
