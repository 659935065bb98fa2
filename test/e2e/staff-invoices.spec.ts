// A client's invoices on the staff chart, and the clinic's invoice list's totals: what is still
// due and what is owed back to clients, never netted. The front desk and finance see the chart's
// Invoices (number linked to its page, what it is for, status, total, balance); a clinician, whom
// the API refuses, sees none. Data through the API first (staff-api.ts).
//
// Other specs add invoices at the same clinic at the same time: the list's totals are checked
// against the rows the page shows.
import { expect, linesOf, test } from './fixtures.ts';
import { givenUpRefund, newClient, nyDate, selfPayBooking, signInAsStaff, staffHeaders } from './staff-api.ts';

/** "$2,425.00" or "-$175.00" → minor units. */
const cents = (text: string) => Math.round(Number(text.replace(/[^0-9.-]/g, '')) * 100);

test('the chart shows the client’s invoices with what is still due and, apart, what is owed back', async ({ page, request, look }) => {
  // a paid session cancelled on time whose refund was given up on ($175 owed back), then a new session not paid yet ($175 due)
  const owed = await givenUpRefund(request, { firstName: 'Ines', lastName: 'Till' });
  const headers = await staffHeaders(request, 'frontdesk');
  const { clientId } = (await (await request.get(`/v1/invoices/${owed.invoiceId}`, { headers })).json()) as { clientId: string };
  const due = await selfPayBooking(request, headers, clientId);

  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/clients/${clientId}`);
  const part = page.getByRole('region', { name: 'Invoices', exact: true });
  await expect(part).toContainText('Still due$175.00');
  await expect(part).toContainText('Owed back to the client$175.00');
  const rows = part.getByRole('table').getByRole('row');
  // newest first (rows.nth(0) is the header)
  const newest = rows.nth(1);
  await expect(newest.getByRole('link', { name: /Invoice \d+/ })).toHaveAttribute('href', `/staff/invoices/${due.invoiceId}`);
  await expect(newest).toContainText('Intake assessment ·');
  await expect(newest).toContainText('Open');
  const refund = rows.filter({ hasText: 'Refund to settle' });
  await expect(refund).toContainText('Refund to settle');
  await expect(refund).toContainText('owed back');
  await look('staff-chart-invoices');
  await newest.getByRole('link', { name: /Invoice \d+/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Open/ })).toBeVisible();

  // finance reads them too
  await signInAsStaff(page, 'finance');
  await page.goto(`/staff/clients/${clientId}`);
  await expect(page.getByRole('region', { name: 'Invoices', exact: true })).toContainText('Owed back to the client$175.00');
  await look('staff-chart-invoices-finance');

  // a clinician is refused the list by the API: the chart has no Invoices at all
  await signInAsStaff(page, 'clinician');
  await page.goto(`/staff/clients/${clientId}`);
  await expect(page.getByRole('region', { name: 'Appointments', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Invoices', exact: true })).toHaveCount(0);
});

test('the invoice list’s totals say what is still due and what is owed back, apart', async ({ page, request, look }) => {
  await givenUpRefund(request, { firstName: 'Olli', lastName: 'Till' });
  await signInAsStaff(page, 'finance');
  await page.goto(`/staff/invoices?from=${nyDate()}&to=${nyDate()}`);
  const table = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Balance' }) });
  await expect(table.locator('tfoot')).toContainText('Still due');
  const balances = await table.locator('tbody tr td:last-child').allInnerTexts();
  const shown = balances.map(cents);
  const due = shown.filter((b) => b > 0).reduce((a, b) => a + b, 0);
  const owedBack = -shown.filter((b) => b < 0).reduce((a, b) => a + b, 0);
  expect(owedBack).toBeGreaterThanOrEqual(17_500);
  const money = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n / 100);
  const total = table.locator('tfoot td:last-child');
  await expect(total).toContainText(`Still due ${money(due)}`);
  await expect(total).toContainText(`Owed back ${money(owedBack)}`);
  await look('staff-invoices-balances');
});

test('the staff invoice at 390 px: the date of service on one line, nothing wider than the screen', async ({ page, request, look }) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Lou', lastName: 'Till' });
  const { invoiceId } = await selfPayBooking(request, headers, clientId);
  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/invoices/${invoiceId}`);
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Open/ })).toBeVisible();
  const lines = page.getByRole('region', { name: 'Invoice lines' });
  // a wide screen: the US clinic's CPT code in a column of its own
  await expect(lines.getByRole('columnheader', { name: 'CPT' })).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  const date = lines.getByRole('row').nth(1).getByRole('cell').first();
  await expect(date).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/);
  expect(await linesOf(date)).toHaveLength(1);
  // no room for a CPT column: the code is said under the item
  await expect(lines.getByRole('columnheader', { name: 'CPT' })).toHaveCount(0);
  await expect(lines.getByRole('row').nth(1).getByRole('rowheader')).toContainText(/CPT \d{5}/);
  // the item's words wrap instead: neither the page nor the table scrolls sideways
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await lines.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await look('staff-invoice-390');
});
