// Journey (a): choose a clinic and see its services and programs, priced in its own currency.
import { expect, test } from './fixtures.ts';
import { newClient, selfPayIntake, staffHeaders } from './staff-api.ts';

test('choose a clinic; its sessions and programs are priced in its currency @phone', async ({ page, look }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a clinic' })).toBeVisible();
  await expect(page.getByText('Canada · prices in CAD')).toBeVisible();
  await look('clinics');

  await page.getByRole('link', { name: 'Hudson Wellness (demo)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hudson Wellness (demo)' })).toBeVisible();
  await expect(page).toHaveURL(/\/clinics\/demo-nyc$/);
  await expect(page.getByText(/Times are shown in New York time/)).toBeVisible();
  // where it is, and its phone as one tap on a phone
  const contact = page.locator('address.clinic-contact');
  await expect(contact).toContainText('350 Hudson Street, Suite 400');
  await expect(contact).toContainText('New York, NY 10014');
  await expect(contact.getByRole('link', { name: '(212) 555-0100' })).toHaveAttribute('href', 'tel:+12125550100');
  const intake = page.getByRole('row', { name: /Intake/ });
  await expect(intake).toContainText('$175.00');
  await expect(intake).toContainText('in person or by video');
  const dosing = page.getByRole('row', { name: /Exploration/ });
  await expect(dosing).toContainText('$550.00');
  await expect(dosing).toContainText('in person only');
  await expect(page.locator('.program').first()).toContainText(/\$[\d,]+\.\d\d/);
  await expect(page.getByText(/late-cancellation fee of \$100\.00/)).toBeVisible();
  await look('clinic-nyc');

  await page.goto('/clinics/demo-tor');
  await expect(page.getByRole('heading', { level: 1, name: 'Lakeshore Therapy (demo)' })).toBeVisible();
  await expect(page.getByText(/Prices are in CAD/)).toBeVisible();
  await expect(page.getByText(/Times are shown in Toronto time/)).toBeVisible();
  await look('clinic-tor');
});

test('an unknown page says so, and a deep link opens the app (SPA fallback)', async ({ page, look }) => {
  const res = await page.goto('/no/such/page');
  expect(res?.status()).toBe(200);
  expect(res?.headers()['content-security-policy']).toContain("default-src 'self'");
  await expect(page.getByRole('heading', { level: 1, name: 'This page does not exist' })).toBeVisible();
  await look('not-found');
});

test('what could not load says so in its heading and title: an unknown clinic, another client’s invoice @phone', async ({
  page,
  request,
  look,
}) => {
  await page.goto('/clinics/no-such-clinic');
  await expect(page.getByRole('heading', { level: 1, name: 'This clinic could not load' })).toBeVisible();
  await expect(page).toHaveTitle('This clinic could not load · Kapstone');
  await expect(page.getByRole('alert')).toHaveText('We could not find this. It may have been removed.');
  await look('clinic-not-found');

  // an invoice of someone else, by its address: the API's 403 in words, under a heading
  const desk = await staffHeaders(request, 'frontdesk');
  const invoiceId = await selfPayIntake(request, desk, await newClient(request, desk, { firstName: 'Other', lastName: 'Person' }));
  await page.goto('/sign-in');
  await page.getByLabel('Demo client').selectOption({ label: 'Alex Rivera — Hudson Wellness (demo)' });
  await page.getByRole('button', { name: 'Continue as this client' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();
  await page.goto(`/invoices/${invoiceId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'This invoice could not load' })).toBeVisible();
  await expect(page).toHaveTitle('This invoice could not load · Kapstone');
  await expect(page.getByRole('alert')).toHaveText('You do not have access to this.');
  await look('invoice-forbidden');
});

test('a client of another clinic is told where it books, not offered booking here @phone', async ({ page, look }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Demo client').selectOption({ label: 'Alex Rivera — Hudson Wellness (demo)' });
  await page.getByRole('button', { name: 'Continue as this client' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();

  await page.goto('/clinics/demo-tor');
  await expect(page.getByRole('heading', { level: 1, name: 'Lakeshore Therapy (demo)' })).toBeVisible();
  const elsewhere = page.getByRole('status').filter({ hasText: 'You are a client of Hudson Wellness (demo)' });
  await expect(elsewhere.getByRole('link', { name: 'Go to Hudson Wellness (demo)' })).toHaveAttribute('href', '/clinics/demo-nyc');
  await expect(page.getByRole('link', { name: 'Book an intake' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Choose this program' })).toHaveCount(0);
  await look('clinic-other-client');

  // its own clinic offers both
  await elsewhere.getByRole('link', { name: 'Go to Hudson Wellness (demo)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hudson Wellness (demo)' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Choose this program' }).first()).toBeVisible();
  // its intake is booked from an address that does not say so
  await expect(page.getByRole('link', { name: 'Book an intake' })).toHaveAttribute('href', '/book');
  await page.getByRole('link', { name: 'Book an intake' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
  await expect(page.getByLabel('Session', { exact: true })).toHaveValue('intake');
  await expect(page).toHaveURL(/\/book$/);
});
