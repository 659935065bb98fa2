// The clinic's staff acting on money from an invoice's page. The front desk takes the payment of a
// self-pay session (the invoice says which session; a Checkout page offered as a link with "Copy
// link", paid offline, and the page shows it paid without being asked). Finance cancels a program paid in full and sees the refund, the invoice's
// refund, and the invoice list's Refunded column. The front desk records a payment taken at the clinic. Data through the API first, as finance.spec.ts.
//
// Other specs book at the same clinic at the same time: this one only looks at its own records.
import { expect, test } from './fixtures.ts';
import { CLINIC, localDate, newClient, nyDate, nyDateTime, selfPayBooking, signInAsStaff, staffHeaders } from './staff-api.ts';

/** A live region inside another: its news may be announced twice. */
const LIVE = '[role="status"], [role="alert"], [aria-live]';
const NESTED_LIVE = `:is(${LIVE}) :is(${LIVE})`;

test('the front desk takes the payment of a session on its invoice page: the page shows it paid by itself', async ({
  page,
  context,
  request,
  look,
}) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Pia', lastName: 'Till' });
  const booking = await selfPayBooking(request, headers, clientId);
  const invoiceId = booking.invoiceId;
  const providers = (await (await request.get(`/v1/clinics/${CLINIC}/providers`)).json()) as { id: string; name: string }[];
  const practitioner = providers.find((p) => p.id === booking.providerId)!.name;
  const when = nyDateTime(booking.startsAt);

  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/invoices/${invoiceId}`);
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Open/ })).toBeVisible();
  // which session it bills: the service, its time in New York (the browser is in Berlin) and the practitioner, with its day
  const facts = page.locator('dl.facts');
  await expect(facts).toContainText(`Intake assessment on ${when} with ${practitioner}`);
  await expect(facts.getByRole('link', { name: 'See that day' })).toHaveAttribute('href', `/staff/day?date=${localDate(booking.startsAt)}`);

  await page.getByRole('button', { name: 'Take payment of $175.00' }).click();
  const link = page.getByRole('link', { name: 'Open the payment page for $175.00' });
  await expect(link).toBeVisible();
  const href = (await link.getAttribute('href')) ?? '';
  // the pressed button is gone: focus goes to what came in its place
  await expect(page.getByRole('group', { name: 'The payment page is ready' })).toBeFocused();
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.locator('.copy-link').getByRole('status')).toHaveText('Link copied: paste it into a message to the client.');
  // one live region says it: none inside another (it could be announced twice)
  await expect(page.locator(NESTED_LIVE)).toHaveCount(0);
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(href);
  await look('staff-take-payment');
  // the client pays on that page (offline: the local checkout, whose completion sends the signed webhook)
  const sessionId = /\/v1\/dev\/checkout\/([^/?#]+)/.exec(href)?.[1];
  expect(sessionId, href).toBeTruthy();
  expect((await request.post(`/v1/dev/checkout/${sessionId}/complete`, { data: { outcome: 'paid' } })).ok()).toBe(true);
  // nobody presses "Check for the payment": the page reads the invoice again by itself
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Paid/ })).toBeVisible({ timeout: 10_000 });
  const card = page.getByRole('region', { name: 'Take a payment' });
  await expect(card.getByRole('status').filter({ hasText: 'Payment received' })).toContainText('The client paid $175.00');
  await expect(card.getByRole('button', { name: 'Check for the payment' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Payments', exact: true })).toContainText('$175.00');
  await look('staff-take-payment-paid');

  // finance cannot open the day: the session links to the client's chart instead
  await signInAsStaff(page, 'finance');
  await page.goto(`/staff/invoices/${invoiceId}`);
  await expect(page.locator('dl.facts')).toContainText(`Intake assessment on ${when} with ${practitioner}`);
  await expect(page.locator('dl.facts').getByRole('link', { name: 'The client’s appointments' })).toHaveAttribute(
    'href',
    `/staff/clients/${clientId}`,
  );
  await expect(page.getByRole('region', { name: 'Take a payment' })).toHaveCount(0);
});

test('the front desk records a payment taken at the clinic: part by cheque, the rest in cash', async ({ page, request, look }) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Cass', lastName: 'Till' });
  const { invoiceId } = await selfPayBooking(request, headers, clientId);

  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/invoices/${invoiceId}`);
  const card = page.getByRole('region', { name: 'Payment at the clinic' });
  await card.getByRole('button', { name: 'Record a payment…' }).click();
  const form = card.getByRole('form', { name: 'Record a payment taken at the clinic' });
  await expect(form.getByLabel('Amount')).toHaveValue('175.00');
  // a cheque needs its number, and words are not one
  await form.getByLabel('Amount').fill('100');
  await form.getByLabel('How').selectOption('cheque');
  await form.getByLabel('Reference').fill('Cass Till');
  await form.getByRole('button', { name: 'Record payment' }).click();
  await expect(form.getByLabel('Reference')).toBeFocused();
  await expect(form).toContainText('No spaces: write CHQ-1042 rather than CHQ 1042.');
  await form.getByLabel('Reference').fill('CHQ-2207');
  await form.getByRole('button', { name: 'Record payment' }).click();
  await expect(card.getByRole('status').filter({ hasText: 'Payment recorded' })).toContainText(
    'Recorded: $100.00 paid (Cheque: CHQ-2207). $75.00 is still due.',
  );
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Partly paid/ })).toBeVisible();

  // the rest in cash, without a reference: the invoice makes one
  await card.getByRole('button', { name: 'Record a payment…' }).click();
  await expect(form.getByLabel('Amount')).toHaveValue('75.00');
  await form.getByLabel('How').selectOption('cash');
  await expect(form.getByLabel('Reference (optional)')).toBeVisible();
  await form.getByRole('button', { name: 'Record payment' }).click();
  await expect(card.getByRole('status').filter({ hasText: 'Payment recorded' })).toContainText(
    /Recorded: \$75\.00 paid \(Cash: CASH-[0-9A-F]{10}\)\. Nothing more is due on this invoice\./,
  );
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Paid/ })).toBeVisible();
  const payments = page.getByRole('region', { name: 'Payments', exact: true });
  await expect(payments).toContainText('Cheque');
  await expect(payments).toContainText('Cash');
  await expect(page.getByRole('region', { name: 'Take a payment' })).toHaveCount(0);
  await look('staff-desk-payment');
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
  const ready = page.getByRole('group', { name: 'The payment page is ready' });
  await expect(ready).toContainText('Due now: $2,900.00 (the whole price, by card)');
  await expect(ready).toBeFocused();
  const link = page.getByRole('link', { name: 'Open the payment page for $2,900.00' });
  await expect(link).toBeVisible();
  const href = (await link.getAttribute('href')) ?? '';
  // this browser refuses the clipboard: the link is offered selected in a field, to copy by hand
  await page.evaluate("Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } })");
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.locator('.copy-link').getByRole('status')).toContainText('did not allow copying');
  await expect(page.locator(NESTED_LIVE)).toHaveCount(0);
  await expect(page.getByLabel('Payment page link')).toHaveValue(href);
  await expect(page.getByLabel('Payment page link')).toBeFocused();
  await look('staff-sell-program-link');
  const sessionId = /\/v1\/dev\/checkout\/([^/?#]+)/.exec(href)?.[1];
  expect(sessionId).toBeTruthy();
  expect((await request.post(`/v1/dev/checkout/${sessionId}/complete`, { data: { outcome: 'paid' } })).ok()).toBe(true);
  // the page sees the payment by itself
  await expect(page.getByRole('status').filter({ hasText: 'Payment received' })).toContainText(
    '$2,900.00 was paid: the program is active',
    {
      timeout: 10_000,
    },
  );
  await look('staff-sell-program-paid');
  await page.getByRole('link', { name: 'The program’s invoice' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Paid/ })).toBeVisible();
  await expect(page.getByRole('region', { name: /^Program/ })).toContainText('Active');
  await page.getByRole('link', { name: 'Sol Till' }).click();
  await expect(page.getByRole('region', { name: 'Programs', exact: true })).toContainText('Care program 4 - standard support');
  await expect(page.getByRole('region', { name: 'Programs', exact: true })).toContainText('Active');
  await look('staff-chart-programs');
});
