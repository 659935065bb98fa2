// The finance pages of the staff side. Data first, through the API: a new client of Hudson Wellness
// (front desk token), a self-pay intake booked at a random open time (its invoice, $175.00), paid
// through the offline checkout. Then finance, signed in on the local sign-in page: the clinic's
// invoices filtered by status and dates (the filter changes the rows), the invoice itself, the
// client's superbill (refused in staff words until a clinician records diagnoses), a ledger export
// of this month downloaded as CSV, and the revenue year. The front desk sees Invoices but not
// Exports or Revenue, and the revenue page by URL shows the API's refusal.
//
// Other specs book at the same clinic at the same time: this one only looks for its own client.
import { readFileSync } from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { CLINIC, newClient, nyDate, selfPayBooking, selfPayIntake, signInAsStaff, staffHeaders } from './staff-api.ts';

const HEADER =
  'date,invoice_number,invoice_id,client_id,client_name,entry,service,cpt_code,billable,description,amount,currency,method,reference';

/** A new client with a paid self-pay intake: its ids and the invoice's number. */
async function paidInvoice(request: APIRequestContext): Promise<{ clientId: string; invoiceId: string; number: number }> {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Finley', lastName: 'Ledger' });
  const invoiceId = await selfPayIntake(request, headers, clientId);

  // paid through the offline checkout (the signed webhook marks it paid)
  const checkout = await request.post(`/v1/invoices/${invoiceId}/checkout`, { headers, data: {} });
  expect(checkout.ok(), await checkout.text()).toBe(true);
  const { checkoutSessionId } = (await checkout.json()) as { checkoutSessionId: string };
  const paid = await request.post(`/v1/dev/checkout/${checkoutSessionId}/complete`, { data: { outcome: 'paid' } });
  expect(paid.ok(), await paid.text()).toBe(true);

  const invoice = await request.get(`/v1/invoices/${invoiceId}`, { headers });
  const { number, status } = (await invoice.json()) as { number: number; status: string };
  expect(status).toBe('paid');
  return { clientId, invoiceId, number };
}

test('finance: invoices filtered, one invoice, the superbill, a ledger export as CSV, the revenue year', async ({
  page,
  request,
  look,
}) => {
  const { clientId, invoiceId, number } = await paidInvoice(request);
  const today = nyDate();

  await signInAsStaff(page, 'finance');
  // finance lands on the invoices: this month in the clinic's zone, any status
  await expect(page.getByRole('heading', { level: 1, name: 'Invoices' })).toBeVisible();
  await expect(page).toHaveURL(/\/staff\/invoices$/);
  // the header names the role signed in
  await expect(page.getByRole('banner')).toContainText('Finance');
  await expect(page.getByText('Hudson Wellness (demo)', { exact: true })).toBeVisible();
  await expect(page.getByText(/times in New York time/)).toBeVisible();

  const filters = page.getByRole('form', { name: 'Filter invoices' });
  // our client's row: named, and linked to the client's chart by id
  const ours = page.getByRole('row').filter({ has: page.locator(`a[href*="/staff/clients/${clientId}"]`) });
  const listed = page.getByRole('status').filter({ hasText: /invoices? shown|No invoices match|None found/ });

  // paid, issued today: the invoice is there, paid in full
  await filters.getByLabel('Status').selectOption({ label: 'Paid' });
  await filters.getByLabel('Issued from').fill(today);
  await filters.getByLabel('Issued to').fill(today);
  await filters.getByRole('button', { name: 'Show invoices' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?status=paid&from=${today}&to=${today}$`));
  await expect(page.getByRole('heading', { level: 2, name: /^Paid invoices issued/ })).toBeVisible();
  await expect(ours).toHaveCount(1);
  await expect(ours).toContainText('Paid');
  await expect(ours).toContainText('$175.00');
  await expect(ours.getByRole('link', { name: /^Finley Ledger/ })).toBeVisible();
  await expect(ours.getByRole('link', { name: `Invoice ${number}` })).toBeVisible();
  await look('finance-invoices');

  // open ones only: the paid invoice is not among them
  await filters.getByLabel('Status').selectOption({ label: 'Open' });
  await filters.getByRole('button', { name: 'Show invoices' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^Open invoices issued/ })).toBeVisible();
  await expect(listed).toBeVisible();
  await expect(ours).toHaveCount(0);

  // any status again (back in the browser's history), then the invoice itself
  await page.goBack();
  await expect(page.getByRole('heading', { level: 2, name: /^Paid invoices issued/ })).toBeVisible();
  await expect(filters.getByLabel('Status')).toHaveValue('paid');
  await ours.getByRole('link', { name: `Invoice ${number}` }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/invoices/${invoiceId}$`));
  await expect(page.getByRole('heading', { level: 1, name: `Invoice ${number} Paid` })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Finley Ledger' })).toBeVisible();
  const lines = page.getByRole('region', { name: 'Invoice lines' });
  await expect(lines.getByRole('row', { name: /Intake/ })).toContainText('$175.00');
  await expect(lines.getByRole('row', { name: /Balance due/ })).toContainText('$0.00');
  await expect(page.getByRole('region', { name: 'Payments', exact: true }).getByRole('row', { name: /Card/ })).toContainText('$175.00');
  await expect(page.getByRole('button', { name: 'Download receipt (PDF)' })).toBeVisible();
  await look('finance-invoice');

  // the client's superbill: no diagnosis yet, said for staff; then recorded by a clinician
  await page.getByRole('link', { name: 'Client’s superbill' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Superbill for Finley Ledger' })).toBeVisible();
  const refused = page.getByRole('alert');
  await expect(refused).toContainText('The superbill could not be made');
  await expect(refused).toContainText(
    'No diagnosis codes are recorded for this client yet: a clinician records them on the client’s chart.',
  );
  await look('finance-superbill-refused');
  const diagnoses = await request.put(`/v1/clients/${clientId}/diagnoses`, {
    headers: await staffHeaders(request, 'clinician'),
    data: { codes: ['F33.1'] },
  });
  expect(diagnoses.ok(), await diagnoses.text()).toBe(true);
  await page.getByRole('button', { name: 'Show sessions' }).click();
  const summary = page.locator('section', { has: page.getByRole('heading', { level: 2, name: /–/ }) });
  await expect(summary).toContainText('A. F33.1');
  await expect(summary).toContainText('Hudson Wellness PLLC');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await look('finance-superbill');

  // a ledger export of this month: running, then ready, then the CSV
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ledger exports' })).toBeVisible();
  const from = `${today.slice(0, 8)}01`;
  await expect(page.getByLabel('First date')).toHaveValue(from);
  const to = await page.getByLabel('Last date').inputValue();
  expect(to.slice(0, 8)).toBe(today.slice(0, 8));
  // more than 366 days, or the dates reversed: said under the last date before anything is sent
  // (as on the Invoices page), never the API's raw "Must not be before from"
  const start = page.getByRole('button', { name: 'Start export' });
  await page.getByLabel('First date').fill(`${Number(today.slice(0, 4)) - 2}-01-01`);
  await expect(page.getByLabel('Last date')).toHaveAccessibleDescription('Choose at most 366 days.');
  await expect(page.getByLabel('Last date')).toHaveAttribute('aria-invalid', 'true');
  await expect(start).toBeDisabled();
  await page.getByLabel('First date').fill(`${Number(today.slice(0, 4)) + 1}-01-01`);
  await expect(page.getByLabel('Last date')).toHaveAccessibleDescription('The last date comes before the first.');
  await expect(start).toBeDisabled();
  await expect(page.getByText('Must not be before from')).toHaveCount(0);
  await look('finance-exports-reversed');
  await page.getByLabel('First date').fill(from);
  await expect(page.getByLabel('Last date')).not.toHaveAttribute('aria-invalid');
  await page.getByRole('button', { name: 'Start export' }).click();
  const state = page.getByRole('status').filter({ hasText: /Making the file|Ready|Failed/ });
  await expect(state).toHaveText(/Ready: \d+ rows?\./, { timeout: 60_000 });
  await look('finance-exports');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Download CSV/ }).click()]);
  expect(download.suggestedFilename()).toBe(`ledger-${CLINIC}-${from}-${to}.csv`);
  const csv = readFileSync(await download.path(), 'utf8');
  const [header, ...rows] = csv.split(/\r?\n/);
  expect(header).toBe(HEADER);
  expect(rows.some((r) => r.includes(invoiceId) && r.includes(',payment,'))).toBe(true);

  // the revenue year: the chart (an image with its summary) and the same figures in a table
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Revenue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Revenue' })).toBeVisible();
  const year = today.slice(0, 4);
  await expect(page.getByLabel('Year')).toHaveValue(year);
  await expect(page.getByRole('img', { name: new RegExp(`^Bar chart of recognized revenue.*of ${year}, in USD`) })).toBeVisible();
  const table = page.getByRole('table', { name: `Revenue by month, ${year}, in USD` });
  await expect(table.locator('tbody tr')).toHaveCount(12);
  const month = new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' }).format(new Date(`${today}T12:00:00Z`));
  await expect(table.getByRole('row', { name: new RegExp(`^${month}`) })).not.toContainText('Not begun yet');
  await expect(page.locator('.fin-totals').getByText('Collected')).toBeVisible();
  await expect(table.getByRole('row', { name: /^Year so far/ })).toBeVisible();
  await look('finance-revenue');

  // usable on a tablet (768 px): the chart scales down, the table scrolls sideways when it must
  await page.setViewportSize({ width: 768, height: 1024 });
  await expect(page.getByRole('img', { name: /^Bar chart/ })).toBeVisible();
  await look('finance-revenue-768');
});

test('the front desk sees Invoices but not Exports or Revenue; the revenue page by URL says no access', async ({ page, look }) => {
  await signInAsStaff(page, 'frontdesk');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Invoices' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Exports' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Revenue' })).toHaveCount(0);

  await nav.getByRole('link', { name: 'Invoices' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Invoices' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /^All invoices issued/ })).toBeVisible();

  await page.goto('/staff/revenue');
  await expect(page.getByRole('heading', { level: 1, name: 'Revenue' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('You do not have access to this.');
  await look('finance-revenue-frontdesk');
});

test('a Canadian clinic: the invoice has no CPT column and the chart and invoice name a receipt for insurance', async ({
  page,
  request,
  look,
}) => {
  const headers = await staffHeaders(request, 'frontdesk', 'demo-tor');
  const clientId = await newClient(request, headers, { firstName: 'Maple', lastName: 'Ledger' }, 'demo-tor');
  const { invoiceId } = await selfPayBooking(request, headers, clientId, { clinic: 'demo-tor' });

  await signInAsStaff(page, 'finance', 'Lakeshore Therapy (demo)');
  await page.goto(`/staff/invoices/${invoiceId}`);
  await expect(page.getByRole('heading', { level: 1, name: /^Invoice \d+/ })).toBeVisible();
  const lines = page.getByRole('region', { name: 'Invoice lines' });
  await expect(lines.getByRole('columnheader')).toHaveText(['Item', 'Date of service', 'Amount']);
  await expect(lines).not.toContainText('90791');
  await expect(page.getByRole('link', { name: /superbill/i })).toHaveCount(0);
  await look('finance-invoice-canada');
  await page.getByRole('link', { name: 'Client’s receipt for insurance' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Receipt for insurance for Maple Ledger' })).toBeVisible();

  await page.goto(`/staff/clients/${clientId}`);
  await expect(page.getByRole('link', { name: 'Receipt for insurance' })).toHaveAttribute('href', `/staff/clients/${clientId}/superbill`);
  await expect(page.getByRole('link', { name: /superbill/i })).toHaveCount(0);
});
