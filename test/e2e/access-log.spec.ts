// Admin reads a client's access log on the chart: who opened or changed the client's records, in
// words, newest first; read only when asked (reading it is audited too). The front desk adds the
// client and opens the chart and an invoice first, so the log has their entries.
import { expect, test } from './fixtures.ts';
import { newClient, selfPayBooking, signInAsStaff, staffHeaders } from './staff-api.ts';

test('admin reads the access log of a client on the chart', async ({ page, request, look }) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Lia', lastName: 'Logg' });
  const { invoiceId } = await selfPayBooking(request, headers, clientId);
  expect((await request.get(`/v1/invoices/${invoiceId}`, { headers })).ok()).toBe(true);

  // the front desk sees no log
  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/clients/${clientId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Lia Logg' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Access log' })).toHaveCount(0);

  await page.goto('/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Admin (all clinics)' });
  await page.getByRole('button', { name: 'Continue as staff' }).click();
  await expect(page).toHaveURL(/\/staff\//);
  await page.goto(`/staff/clients/${clientId}`);
  const log = page.getByRole('region', { name: 'Access log' });
  await expect(log.getByRole('table')).toHaveCount(0); // not read until asked
  await log.getByRole('button', { name: 'Show the access log' }).click();
  const rows = log.getByRole('row');
  // admin's own reads of the chart come first, then the front desk's
  await expect(rows.filter({ hasText: 'Opened the client’s record' }).first()).toContainText('Admin · user');
  await expect(
    rows
      .filter({ hasText: 'Opened the client’s record' })
      .filter({ hasText: /Front desk · user \S+/ })
      .first(),
  ).toBeVisible();
  await expect(rows.filter({ hasText: 'Added the client' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Booked a session' })).toHaveCount(1);
  const opened = rows.filter({ hasText: 'Opened an invoice' }).first();
  await expect(opened.getByRole('link', { name: 'Invoice' })).toHaveAttribute('href', new RegExp(`/staff/invoices/${invoiceId}`));
  // newest first: the chart the front desk opened last comes before the client's creation
  const texts = await rows.allInnerTexts();
  expect(texts.findIndex((t) => t.includes('Opened the client’s record'))).toBeLessThan(
    texts.findIndex((t) => t.includes('Added the client')),
  );
  await look('staff-access-log');
});
