// The clinic's staff acting on money from an invoice's page. The front desk takes the payment of a
// self-pay session (a Checkout page offered as a link, paid offline, then "Check for the payment"
// shows it paid). Finance cancels a program paid in full and sees the refund, the invoice's
// refund, and the invoice list's Refunded column. Data through the API first, as finance.spec.ts.
//
// Other specs book at the same clinic at the same time: this one only looks at its own records.
import { expect, test } from './fixtures.ts';
import { CLINIC, newClient, nyDate, selfPayIntake, signInAsStaff, staffHeaders } from './staff-api.ts';

test('the front desk takes the payment of a session on its invoice page', async ({ page, request, look }) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Pia', lastName: 'Till' });
  const invoiceId = await selfPayIntake(request, headers, clientId);

  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/invoices/${invoiceId}`);
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Open/ })).toBeVisible();
  await page.getByRole('button', { name: 'Take payment of $175.00' }).click();
  const link = page.getByRole('link', { name: 'Open the payment page for $175.00' });
  await expect(link).toBeVisible();
  await look('staff-take-payment');
  // the client pays on that page (offline: the local checkout, whose completion sends the signed webhook)
  const href = (await link.getAttribute('href')) ?? '';
  const sessionId = /\/v1\/dev\/checkout\/([^/?#]+)/.exec(href)?.[1];
  expect(sessionId, href).toBeTruthy();
  expect((await request.post(`/v1/dev/checkout/${sessionId}/complete`, { data: { outcome: 'paid' } })).ok()).toBe(true);
  await page.getByRole('button', { name: 'Check for the payment' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Paid/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Take a payment' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Payments', exact: true })).toContainText('$175.00');
});

test('finance cancels a program paid in full from its invoice, and sees the refund', async ({ page, request, look }) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Rafe', lastName: 'Till' });
  const programs = (await (await request.get(`/v1/clinics/${CLINIC}/programs`)).json()) as Array<{
    id: string;
    explorations: number;
    tier: string;
  }>;
  const program = programs.find((p) => p.explorations === 4 && p.tier === 'standard')!;
  const bought = await request.post('/v1/packages', { headers, data: { clientId, programId: program.id, payment: 'pay_in_full' } });
  expect(bought.ok(), await bought.text()).toBe(true);
  const { package: pkg, checkoutSessionId } = (await bought.json()) as { package: { invoiceId: string }; checkoutSessionId: string };
  expect((await request.post(`/v1/dev/checkout/${checkoutSessionId}/complete`, { data: { outcome: 'paid' } })).ok()).toBe(true);

  await signInAsStaff(page, 'finance');
  await page.goto(`/staff/invoices/${pkg.invoiceId}`);
  const panel = page.getByRole('region', { name: /^Program/ });
  await expect(panel).toContainText('Active');
  await expect(panel).toContainText('Paid in full');
  // finance takes no payment: the checkout is the front desk's
  await expect(page.getByRole('region', { name: 'Take a payment' })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Cancel program and refund…' }).click();
  const confirm = panel.getByRole('group', { name: 'Cancel this program?' });
  // the refund as a figure, before anyone confirms (the API's preview)
  await expect(confirm).toContainText('The client gets back $2,900.00: all that was paid, as no session was used or missed.');
  await expect(confirm).toContainText('No booked session is left to cancel.');
  await look('staff-cancel-program-confirm');
  await panel.getByRole('button', { name: 'Cancel program and refund', exact: true }).click();
  await expect(panel.getByText('$2,900.00 is refunded to the client')).toBeVisible();
  await expect(panel).toContainText('Cancelled');
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Refunded/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Refunds', exact: true })).toContainText('$2,900.00');
  await look('staff-cancel-program-done');

  // the invoice list: Paid, Refunded and Balance add up
  await page.goto(`/staff/invoices?from=${nyDate()}&to=${nyDate()}`);
  const row = page.getByRole('row').filter({ has: page.locator(`a[href*="/staff/invoices/${pkg.invoiceId}"]`) });
  await expect(row).toContainText('$2,900.00');
  await expect(row.getByRole('cell').nth(5)).toHaveText('$2,900.00');
  await expect(page.getByRole('columnheader', { name: 'Refunded' })).toBeVisible();

  // selling a program is the front desk's: finance is told so, with no form to fill in
  await page.goto(`/staff/clients/${clientId}/programs/new`);
  await expect(page.getByRole('status').filter({ hasText: 'You do not have access to this.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Continue to payment' })).toHaveCount(0);
});

test('the front desk sells a program from the chart: the payment page for the client, then the program on the chart', async ({
  page,
  request,
  look,
}) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Sol', lastName: 'Till' });

  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/clients/${clientId}`);
  const programs = page.getByRole('region', { name: 'Programs', exact: true });
  await expect(programs).toContainText('No program bought yet.');
  await programs.getByRole('link', { name: 'Sell a program' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sell a program to Sol Till' })).toBeVisible();
  await page.getByLabel('Program').selectOption({ label: 'Care program 4 - standard support · $2,900.00' });
  await page.getByRole('radio', { name: /Pay in full/ }).check();
  await look('staff-sell-program');
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  const link = page.getByRole('link', { name: 'Open the payment page' });
  await expect(link).toBeVisible();
  const sessionId = /\/v1\/dev\/checkout\/([^/?#]+)/.exec((await link.getAttribute('href')) ?? '')?.[1];
  expect(sessionId).toBeTruthy();
  expect((await request.post(`/v1/dev/checkout/${sessionId}/complete`, { data: { outcome: 'paid' } })).ok()).toBe(true);
  await page.getByRole('link', { name: 'The program’s invoice' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Paid/ })).toBeVisible();
  await expect(page.getByRole('region', { name: /^Program/ })).toContainText('Active');
  await page.getByRole('link', { name: 'Sol Till' }).click();
  await expect(page.getByRole('region', { name: 'Programs', exact: true })).toContainText('Care program 4 - standard support');
  await expect(page.getByRole('region', { name: 'Programs', exact: true })).toContainText('Active');
  await look('staff-chart-programs');
});
