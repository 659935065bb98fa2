// Journey: a payment of an installment plan fails (the package past due); the client, on a phone,
// uses another card: the offline Checkout page saves it, the missed payment is charged to it, and
// the package page says "confirming…" until the signed webhooks have made the program active again.
import { expect, signUp, test } from './fixtures.ts';

test('a failed installment paid with another card: past due → card saved → confirming → active @phone', async ({ page, request, look }) => {
  await signUp(page);
  await page.getByRole('link', { name: 'My care' }).click();
  await page.getByRole('link', { name: 'See the clinic’s programs' }).click();
  await page.locator('.program').first().getByRole('link', { name: 'Choose this program' }).click();
  await page.getByRole('radio', { name: /Installments with the clinic/ }).check();
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await expect(page.getByRole('heading', { name: 'Offline checkout' })).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Active');
  const packageId = /\/packages\/([^/?]+)/.exec(page.url())?.[1];

  // the first monthly payment fails: past due, and a way to pay now with another card
  const failed = await request.post(`/v1/dev/packages/${packageId}/installments/next`, { data: { outcome: 'failed' } });
  expect(failed.ok()).toBe(true);
  await page.goto(`/packages/${packageId}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Payment past due');
  const notice = page.getByRole('status').filter({ hasText: 'A payment did not go through' });
  await expect(notice).toContainText('You can pay now with another card');
  await expect(notice).not.toContainText('contact');
  await look('new-card-past-due');

  // the Checkout page saves a card and charges nothing
  await notice.getByRole('button', { name: 'Use another card and pay now' }).click();
  await expect(page.getByRole('heading', { name: 'Offline checkout' })).toBeVisible();
  await expect(page.getByText('Save a card for your payment plan. Nothing is charged on this page.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save card' })).toBeVisible();
  await look('new-card-checkout');
  const sessionId = /\/v1\/dev\/checkout\/([^/?]+)/.exec(page.url())?.[1];

  // back before the webhook: "confirming…" until the missed payment is in
  await page.goto(`/packages/${packageId}?card=saved`);
  await expect(page.getByRole('status').filter({ hasText: 'Card saved — confirming your payment…' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Confirming payment');
  await expect(page.getByRole('button', { name: 'Use another card and pay now' })).toHaveCount(0);
  await look('new-card-confirming');

  const saved = await request.post(`/v1/dev/checkout/${sessionId}/complete`, { data: { outcome: 'paid' } });
  expect(saved.ok()).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: 'Paid' })).toContainText('the missed payment has been received');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Active');
  const plan = page.getByRole('table', { name: 'Payment schedule' });
  await expect(plan.getByRole('row', { name: /Payment 1 of/ })).toContainText('Paid');
  await look('new-card-active');

  // the same page saved straight from Checkout's own button: back on the package page, active
  const again = await request.post(`/v1/dev/packages/${packageId}/installments/next`, { data: { outcome: 'failed' } });
  expect(again.ok()).toBe(true);
  await page.goto(`/packages/${packageId}`);
  await page.getByRole('button', { name: 'Use another card and pay now' }).click();
  await page.getByRole('button', { name: 'Save card' }).click();
  await expect(page).toHaveURL(/\/packages\/[^/?]+\?card=saved$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Active');
  await expect(plan.getByRole('row', { name: /Payment 2 of/ })).toContainText('Paid');
});
