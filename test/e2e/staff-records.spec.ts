// Records changed elsewhere while a staff page shows them: an appointment cancelled in another tab
// while its panel asks to cancel it, a program cancelled by a colleague while its invoice page asks
// to cancel it. The API answers 409; the page reads the record again and shows it as it is now, in
// a plain sentence, with no form to do it again. And a cancelled program on the chart: no sessions
// left to use; its invoice linked for the roles that may open it (never a clinician's 403).
//
// Data through the API first (staff-api.ts); other specs book at the same clinic at the same time.
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { CLINIC, dayListRows, localDate, newClient, selfPayBooking, signInAsStaff, staffHeaders } from './staff-api.ts';

/** A program paid in full for the client: its package and invoice ids. */
async function paidProgram(request: APIRequestContext, headers: Record<string, string>, clientId: string) {
  const programs = (await (await request.get(`/v1/clinics/${CLINIC}/programs`)).json()) as Array<{
    id: string;
    explorations: number;
    tier: string;
  }>;
  const program = programs.find((p) => p.explorations === 4 && p.tier === 'standard')!;
  const bought = await request.post('/v1/packages', { headers, data: { clientId, programId: program.id, payment: 'pay_in_full' } });
  expect(bought.ok(), await bought.text()).toBe(true);
  const { package: pkg, checkoutSessionId } = (await bought.json()) as {
    package: { id: string; invoiceId: string };
    checkoutSessionId: string;
  };
  expect((await request.post(`/v1/dev/checkout/${checkoutSessionId}/complete`, { data: { outcome: 'paid' } })).ok()).toBe(true);
  return pkg;
}

test('an appointment cancelled elsewhere while its panel asks to cancel it: shown cancelled, in words', async ({ page, request, look }) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Ines', lastName: 'Twotab' });
  const booked = await selfPayBooking(request, headers, clientId);

  await signInAsStaff(page, 'frontdesk');
  await (await dayListRows(page, localDate(booked.startsAt), 'Ines Twotab')).click();
  const panel = page.getByRole('dialog', { name: 'Ines Twotab' });
  await panel.getByRole('button', { name: 'Cancel appointment…' }).click();
  const form = panel.getByRole('group', { name: 'Cancel this appointment?' });
  await expect(form).toBeVisible();

  // meanwhile, in another tab, it is cancelled
  const elsewhere = await request.post(`/v1/appointments/${booked.id}/cancel`, { headers, data: {} });
  expect(elsewhere.ok(), await elsewhere.text()).toBe(true);

  await form.getByRole('button', { name: /^Cancel (appointment|and charge the fee)$/ }).click();
  const said = panel.getByRole('status').filter({ hasText: 'This appointment was changed elsewhere' });
  await expect(said).toContainText('it is already cancelled. Nothing more was done');
  await expect(panel.locator('.appt-refusal')).toBeFocused();
  // as it is now: cancelled, and nothing left to do
  await expect(panel.getByRole('definition').filter({ hasText: 'Cancelled' })).toBeVisible();
  await expect(panel.getByText('Booked', { exact: true })).toHaveCount(0);
  await expect(form).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Cancel appointment…' })).toHaveCount(0);
  await look('staff-appointment-cancelled-elsewhere');
});

test('a program cancelled elsewhere while its invoice page asks to cancel it; a cancelled program has no sessions left', async ({
  page,
  request,
  look,
}) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Otto', lastName: 'Twotab' });
  const pkg = await paidProgram(request, headers, clientId);

  await signInAsStaff(page, 'finance');
  await page.goto(`/staff/invoices/${pkg.invoiceId}`);
  const panel = page.getByRole('region', { name: /^Program/ });
  await expect(panel).toContainText('Active');
  await panel.getByRole('button', { name: 'Cancel program and refund…' }).click();
  await expect(panel.getByRole('group', { name: 'Cancel this program?' })).toBeVisible();

  // meanwhile the front desk cancels it
  const elsewhere = await request.post(`/v1/packages/${pkg.id}/cancel`, { headers, data: {} });
  expect(elsewhere.ok(), await elsewhere.text()).toBe(true);

  await panel.getByRole('button', { name: 'Cancel program and refund', exact: true }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'It was already cancelled elsewhere' })).toBeVisible();
  // the program and the invoice as they are now: cancelled and refunded, nothing to cancel again
  await expect(panel.getByRole('heading', { name: /^Program/ })).toContainText('Cancelled');
  await expect(panel.getByRole('button', { name: /Cancel program/ })).toHaveCount(0);
  await expect(panel).toContainText('Cancelled: no sessions left to use');
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+ Refunded/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Refunds', exact: true })).toContainText('$2,900.00');
  await look('staff-program-cancelled-elsewhere');

  // the chart: cancelled, no credits left to use; finance's link says what it is there for
  await page.goto(`/staff/clients/${clientId}`);
  const programs = page.getByRole('region', { name: 'Programs', exact: true });
  await expect(programs).toContainText('Cancelled: no sessions left to use');
  await expect(programs).not.toContainText(/\d+ of \d+ left/);
  await expect(programs.getByRole('link', { name: 'Invoice and cancel' })).toHaveAttribute('href', `/staff/invoices/${pkg.invoiceId}`);
  await look('staff-chart-program-cancelled');

  // a clinician may not open invoices: no link that leads to a refusal
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInAsStaff(page, 'clinician');
  await page.goto(`/staff/clients/${clientId}`);
  await expect(programs).toContainText('Care program 4 - standard support');
  await expect(programs.getByRole('link')).toHaveCount(0);
});
