// A session booked and paid singly, then a program bought: "Use program credit" pays for the
// session with one of the program's credits (POST /v1/appointments/{id}/use-credit). The client on
// My care (nothing paid yet: nothing will be charged), and the front desk on the client's chart (the
// session paid by card: the payment is refunded). Data through the API first: a new client's
// self-pay preparation by video and a program bought by the front desk, both paid through the
// offline checkout. No dev clock (this runs beside other specs).
import type { APIRequestContext } from '@playwright/test';
import { expect, storeToken, test } from './fixtures.ts';
import { CLINIC, newClient, selfPayBooking, signInAsStaff, staffHeaders, type Booking } from './staff-api.ts';

/** Completes an offline checkout as paid. */
async function paid(request: APIRequestContext, checkoutSessionId: string) {
  const res = await request.post(`/v1/dev/checkout/${checkoutSessionId}/complete`, { data: { outcome: 'paid' } });
  expect(res.ok(), await res.text()).toBe(true);
}

/** A client with a self-pay preparation by video (its invoice paid when `pay`) and the 4-session standard program, paid in full. */
async function sessionThenProgram(request: APIRequestContext, name: { firstName: string; lastName: string }, pay: boolean) {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, name);
  const session: Booking = await selfPayBooking(request, headers, clientId, { service: 'preparation', mode: 'telehealth' });
  if (pay) {
    const checkout = await request.post(`/v1/invoices/${session.invoiceId}/checkout`, { headers });
    expect(checkout.ok(), await checkout.text()).toBe(true);
    await paid(request, ((await checkout.json()) as { checkoutSessionId: string }).checkoutSessionId);
  }
  const programs = (await (await request.get(`/v1/clinics/${CLINIC}/programs`)).json()) as Array<{ id: string; name: string }>;
  const program = programs.find((p) => p.name === 'Care program 4 - standard support')!;
  const bought = await request.post('/v1/packages', { headers, data: { clientId, programId: program.id, payment: 'pay_in_full' } });
  expect(bought.ok(), await bought.text()).toBe(true);
  await paid(request, ((await bought.json()) as { checkoutSessionId: string }).checkoutSessionId);
  return { clientId, session, programName: program.name, headers };
}

test('the client pays a session booked singly with a credit of the program bought since: nothing will be charged @phone', async ({
  page,
  request,
  look,
}) => {
  const { clientId, session, headers } = await sessionThenProgram(request, { firstName: 'Ines', lastName: 'Credit' }, false);
  const token = await request.post('/v1/dev/token', { data: { role: 'client', clientId, sub: `e2e-${clientId}` } });
  expect(token.ok()).toBe(true);
  await storeToken(page, ((await token.json()) as { token: string }).token);

  await page.goto('/care');
  const upcoming = page.getByRole('region', { name: 'Upcoming' }).or(page.locator('section[aria-labelledby="upcoming"]'));
  const item = upcoming.getByRole('listitem').filter({ hasText: 'Preparation' });
  await expect(item.getByRole('button', { name: 'Use program credit' })).toBeVisible();
  await expect(item).not.toContainText('Paid by your program');
  await look('care-use-credit-offered');

  await item.getByRole('button', { name: 'Use program credit' }).click();
  const ask = item.getByRole('group', { name: 'Pay for this session with your program?' });
  await expect(ask.getByRole('heading', { name: 'Pay for this session with your program?' })).toBeFocused();
  await expect(ask).toContainText('One preparation session credit of Care program 4 - standard support pays for it instead.');
  await expect(ask.getByRole('status')).toContainText('Nothing will be charged for this session.');
  await look('care-use-credit-confirm');

  await ask.getByRole('button', { name: 'Use program credit' }).click();
  const done = page.getByRole('status').filter({ hasText: 'Your program now pays for this session.' });
  await expect(done).toContainText('Its invoice is void: nothing will be charged for it.');
  await expect(item).toContainText('Paid by your program');
  await expect(item.getByRole('button', { name: 'Use program credit' })).toHaveCount(0);
  // the program's credits: one preparation used
  await expect(page.locator('section[aria-labelledby="programs"]')).toContainText('1 of 2 left');
  await look('care-use-credit-done');

  const invoice = await request.get(`/v1/invoices/${session.invoiceId}`, { headers });
  expect(((await invoice.json()) as { status: string }).status).toBe('void');
  await item.getByRole('link', { name: 'Invoice' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Nothing due');
  await look('care-use-credit-invoice');
});

test('the front desk pays a session the client paid by card with a program credit: the payment is refunded @phone', async ({
  page,
  request,
  look,
}) => {
  const { clientId, session, programName } = await sessionThenProgram(request, { firstName: 'Jules', lastName: 'Credit' }, true);
  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/clients/${clientId}`);
  const appointments = page.locator('section[aria-labelledby="appointments"]');
  const row = appointments.getByRole('row').filter({ hasText: 'Preparation' });
  await expect(row.getByRole('button', { name: /^Use program credit…/ })).toBeVisible();
  await look('chart-use-credit-offered');

  await row.getByRole('button', { name: /^Use program credit…/ }).click();
  const ask = appointments.getByRole('group', { name: 'Pay for this session with a program credit?' });
  await expect(ask.getByRole('heading')).toBeFocused();
  await expect(ask).toContainText(`One preparation session credit of ${programName} pays for it instead of its own invoice.`);
  await expect(ask.getByRole('status')).toContainText('The client’s $175.00 payment for this session will be refunded to their card.');
  await look('chart-use-credit-confirm');

  await ask.getByRole('button', { name: 'Use program credit' }).click();
  const done = appointments.getByRole('status').filter({ hasText: `Now paid with a credit of ${programName}` });
  await expect(done).toContainText('The $175.00 the client paid for it is being refunded to their card.');
  await expect(row).toContainText('Program credit');
  await expect(row.getByRole('button', { name: /^Use program credit…/ })).toHaveCount(0);
  await expect(page.locator('section[aria-labelledby="programs"]')).toContainText('1 of 2');
  await look('chart-use-credit-done');

  // the session's invoice: nothing due, its payment being refunded (or refunded already: the local job runs every 30 s)
  await row.getByRole('link', { name: /^Invoice/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/Being refunded|Refunded/);
  await look('chart-use-credit-invoice');
  expect(session.invoiceId).toBeTruthy();
});
