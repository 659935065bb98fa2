// A session the API no longer takes (an expired token, a revoked or badly signed one): the app
// forgets the token at the first 401 and goes on as a visitor's — public pages and the sign-in
// page work — and the page it happened on says so, with a way to sign in again that comes back
// there (never to the sign-in page itself), keeping the page's choice (what its address says; the
// booking page's kind of session, kept in the tab instead).
import type { APIRequestContext } from '@playwright/test';
import { expect, storeToken, test } from './fixtures.ts';

/** A local token of a demo client, as the sign-in page would get it. */
async function demoClientToken(request: APIRequestContext, clientId: string): Promise<string> {
  const res = await request.post('/v1/dev/token', { data: { role: 'client', clientId, sub: `demo-${clientId}` } });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { token: string }).token;
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
const withClaims = (token: string, claims: Record<string, unknown>) => {
  const [header, , signature] = token.split('.');
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
};

/** Well formed, its time over an hour ago (so its signature no longer matches either). */
const expired = (token: string) => {
  const now = Math.floor(Date.now() / 1000);
  return withClaims(token, { ...claimsOf(token), iat: now - 7_200, exp: now - 3_600 });
};

/** Claims as they were, a signature that is not the server's: a session the page takes for live. */
const badlySigned = (token: string) => {
  const [header, payload, signature = ''] = token.split('.');
  const flipped = signature.slice(0, -6) + (signature.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
  return `${header}.${payload}.${flipped}`;
};

test('an expired token: home, a clinic and the sign-in page work, as a visitor’s; the token is forgotten @phone', async ({
  page,
  request,
  look,
}) => {
  const token = expired(await demoClientToken(request, 'demo-nyc-client-1'));
  await storeToken(page, token);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a clinic' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Hudson Wellness (demo)' })).toBeVisible();
  await expect(page.getByText('could not load')).toHaveCount(0);
  // signed out: the token is gone, the header offers Sign in, the page says why once
  expect(await page.evaluate('sessionStorage.length')).toBe(0);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  const ended = page.getByRole('status').filter({ hasText: 'Your session has ended' });
  await expect(ended.getByRole('link', { name: 'sign in again' })).toHaveAttribute('href', '/sign-in?next=%2F');
  await look('session-expired-home');

  // a clinic's page, as anyone sees it
  await page.getByRole('link', { name: 'Hudson Wellness (demo)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hudson Wellness (demo)' })).toBeVisible();
  // a visitor signs in first and comes back to book: the address names no kind of session
  await expect(page.getByRole('link', { name: 'Book an intake' })).toHaveAttribute('href', '/sign-in?clinic=demo-nyc&next=%2Fbook');
  await expect(page.getByText('Your session has ended')).toHaveCount(0);

  // the sign-in page never depends on the token
  await storeToken(page, token);
  await page.goto('/sign-in?next=%2Fcare');
  await expect(page.getByRole('heading', { level: 1, name: 'Who are you?' })).toBeVisible();
  await expect(page.getByLabel('Demo client')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByText('Your session has ended')).toHaveCount(0);
  await expect.poll(() => page.evaluate('sessionStorage.length')).toBe(0);
  await page.getByLabel('Demo client').selectOption({ label: 'Alex Rivera — Hudson Wellness (demo)' });
  await page.getByRole('button', { name: 'Continue as this client' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();
});

test('a token the API refuses on a page that looks signed in: signed out, the page says so and signing in comes back', async ({
  page,
  request,
}) => {
  await storeToken(page, badlySigned(await demoClientToken(request, 'demo-nyc-client-1')));
  await page.goto('/invoices');
  await expect(page.getByRole('heading', { level: 1, name: 'Invoices' })).toBeVisible();
  const refused = page.getByRole('alert').filter({ hasText: 'Your invoices could not load' });
  await expect(refused).toContainText('Your session has ended. Please sign in again.');
  await expect(refused.getByRole('link', { name: 'sign in again' })).toHaveAttribute('href', '/sign-in?next=%2Finvoices');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate('sessionStorage.length')).toBe(0);
  await refused.getByRole('link', { name: 'sign in again' }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Finvoices$/);
  await expect(page.getByText('Your session has ended')).toHaveCount(0);
  await page.getByLabel('Demo client').selectOption({ label: 'Alex Rivera — Hudson Wellness (demo)' });
  await page.getByRole('button', { name: 'Continue as this client' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Invoices' })).toBeVisible();
  await expect(page).toHaveURL(/\/invoices$/);
});

test('the session ends while booking: the refusal says so where it is, and signing in again comes back to the same kind of session @phone', async ({
  page,
  look,
}) => {
  await page.goto('/sign-in');
  await page.getByLabel('Demo client').selectOption({ label: 'Taylor Brooks — Lakeshore Therapy (demo)' });
  await page.getByRole('button', { name: 'Continue as this client' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Book' }).click();
  await page.getByLabel('Session', { exact: true }).selectOption('preparation');
  const time = page.locator('.week button.time').first();
  await expect(time).toBeVisible();
  await time.click();

  // meanwhile the token stopped being good (revoked, or its signing key changed)
  const live = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  await page.evaluate(`sessionStorage.setItem('kapstone.token', ${JSON.stringify(badlySigned(live))})`);
  await page.getByRole('button', { name: 'Book this time' }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'This time could not be booked' });
  await expect(refused).toContainText('Your session has ended. Please sign in again.');
  await expect(refused).toBeFocused();
  // the choice stays on screen; signing in again comes back to this kind of session
  await expect(page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your choice' })).toBeVisible();
  const again = refused.getByRole('link', { name: 'sign in again' });
  await expect(again).toHaveAttribute('href', '/sign-in?next=%2Fbook');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  // the token is gone; the tab keeps only the kind of session to come back to (not the address)
  expect(await page.evaluate('Object.keys(sessionStorage)')).toEqual(['kapstone.bookService']);
  await look('session-ended-booking');

  await again.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Who are you?' })).toBeVisible();
  await page.getByLabel('Demo client').selectOption({ label: 'Taylor Brooks — Lakeshore Therapy (demo)' });
  await page.getByRole('button', { name: 'Continue as this client' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
  await expect(page).toHaveURL(/\/book$/);
  await expect(page.getByLabel('Session', { exact: true })).toHaveValue('preparation');
  // and a reload keeps it
  await page.reload();
  await expect(page.getByLabel('Session', { exact: true })).toHaveValue('preparation');
  await expect(page).toHaveURL(/\/book$/);
  // signing out forgets it with the token
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Who are you?' })).toBeVisible();
  expect(await page.evaluate('sessionStorage.length')).toBe(0);
});
