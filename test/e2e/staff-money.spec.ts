// The clinic's staff acting on money from an invoice's page. The front desk takes the payment of a
// self-pay session (a Checkout page offered as a link, paid offline, then "Check for the payment"
// shows it paid). Finance cancels a program paid in full and sees the refund, the invoice's
// refund, and the invoice list's Refunded column. Data through the API first, as finance.spec.ts.
//
// Other specs book at the same clinic at the same time: this one only looks at its own records.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

const CLINIC = 'demo-nyc';
const ZONE = 'America/New_York';

function nyDate(days = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

async function deskHeaders(request: APIRequestContext): Promise<Record<string, string>> {
  const res = await request.post('/v1/dev/token', { data: { role: 'frontdesk', clinicId: CLINIC } });
  expect(res.ok()).toBe(true);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

async function newClient(request: APIRequestContext, headers: Record<string, string>, firstName: string): Promise<string> {
  const created = await request.post('/v1/clients', {
    headers,
    data: {
      clinicId: CLINIC,
      firstName,
      lastName: 'Till',
      email: `e2e-money-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
      phone: '+12125550179',
      dateOfBirth: '1984-05-06',
      smsConsent: false,
    },
  });
  expect(created.ok(), await created.text()).toBe(true);
  return ((await created.json()) as { id: string }).id;
}

/** A self-pay intake at a random open time: its invoice, nothing paid. */
async function openInvoice(request: APIRequestContext, headers: Record<string, string>, clientId: string): Promise<string> {
  const open = await request.get(`/v1/clinics/${CLINIC}/availability`, { params: { service: 'intake', from: nyDate(1), to: nyDate(28) } });
  const { slots } = (await open.json()) as { slots: { startsAt: string; providerId: string }[] };
  for (let attempt = 0; attempt < 6; attempt++) {
    const slot = slots[Math.floor(Math.random() * slots.length)]!;
    const booked = await request.post('/v1/appointments', {
      headers,
      data: { clientId, clinicId: CLINIC, service: 'intake', providerId: slot.providerId, startsAt: slot.startsAt, mode: 'in_person' },
    });
    if (booked.status() === 409) continue;
    expect(booked.ok(), await booked.text()).toBe(true);
    return ((await booked.json()) as { invoiceId: string }).invoiceId;
  }
  throw new Error('no open intake time');
}

async function signInAsStaff(page: Page, role: 'finance' | 'frontdesk'): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Hudson Wellness (demo)' });
  await page.getByRole('button', { name: 'Continue as staff' }).click();
  await expect(page).toHaveURL(/\/staff\//);
}

test('the front desk takes the payment of a session on its invoice page', async ({ page, request, look }) => {
  const headers = await deskHeaders(request);
  const clientId = await newClient(request, headers, 'Pia');
  const invoiceId = await openInvoice(request, headers, clientId);

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
  const headers = await deskHeaders(request);
  const clientId = await newClient(request, headers, 'Rafe');
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
  await expect(panel.getByRole('group', { name: 'Cancel this program?' })).toBeVisible();
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
  const headers = await deskHeaders(request);
  const clientId = await newClient(request, headers, 'Sol');

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
