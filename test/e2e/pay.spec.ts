// Journey (d): invoices — Pay opens Checkout (offline: the local checkout page); a declined card
// leaves the invoice due; paying returns to "Payment received — confirming…", which turns to
// "Paid" only once the signed webhook has landed; the receipt PDF downloads with the bearer.
import { readFileSync } from 'node:fs';
import { bookFirstTime, expect, linesOf, signUp, test } from './fixtures.ts';
import { staffHeaders } from './staff-api.ts';

test('a declined card, then a payment that the webhook confirms; the receipt downloads', async ({ page, look }) => {
  await signUp(page);
  await bookFirstTime(page);
  await page.getByRole('link', { name: 'Invoices' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Invoices' })).toBeVisible();
  const item = page.locator('.invoice-item').first();
  await expect(item).toContainText('Due');
  await expect(item).toContainText('$175.00');
  await look('invoices');

  // a declined card: the checkout page says so; back in the app nothing was paid
  await item.getByRole('button', { name: /^Pay \$175\.00/ }).click();
  await expect(page.getByRole('heading', { name: 'Offline checkout' })).toBeVisible();
  await look('checkout');
  await page.getByRole('button', { name: 'Decline the card' }).click();
  await expect(page.getByRole('alert')).toHaveText('Your card was declined. Nothing was charged.');
  await expect(page.getByText('"delivered"')).toHaveCount(0); // the helper's JSON answer is not shown
  await look('checkout-declined');
  await page.getByRole('link', { name: 'Return without paying' }).click();
  await expect(page).toHaveURL(/\/invoices\/[^/?]+\?checkout=cancelled$/);
  await expect(page.getByRole('status').filter({ hasText: 'Payment not completed' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Due');
  await look('invoice-declined');

  // pay: Checkout returns to the invoice, which says Paid once the webhook has landed
  await page.getByRole('button', { name: /^Pay \$175\.00/ }).click();
  await expect(page.getByRole('heading', { name: 'Offline checkout' })).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await expect(page).toHaveURL(/\/invoices\/[^/?]+\?checkout=done$/);
  await expect(page.getByRole('status').filter({ hasText: 'Paid' })).toContainText('has been received and confirmed');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Paid');
  await expect(page.getByText(/complete your booking/i)).toHaveCount(0);
  await look('invoice-paid');

  // while the receipt is on its way the button says so and keeps focus; pressed again, nothing more is asked
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let asked = 0;
  await page.route('**/receipt.pdf', async (route) => {
    asked++;
    await held;
    await route.continue();
  });
  const receipt = page.getByRole('button', { name: 'Download receipt (PDF)' });
  const downloading = page.waitForEvent('download');
  await receipt.focus();
  await page.keyboard.press('Enter');
  await expect(receipt).toHaveAttribute('aria-busy', 'true');
  await expect(receipt).toHaveAttribute('aria-disabled', 'true');
  await expect(receipt).toBeDisabled(); // as assistive technology is told
  await expect(receipt).toBeFocused();
  await page.keyboard.press('Enter');
  await receipt.click({ force: true });
  release();
  const download = await downloading;
  await expect(receipt).not.toHaveAttribute('aria-busy');
  await expect(receipt).toBeEnabled();
  await expect(receipt).toBeFocused(); // not dropped to the page's start
  expect(asked).toBe(1);
  expect(download.suggestedFilename()).toMatch(/^receipt-\d+\.pdf$/);
  const pdf = readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});

test('the invoice at 390 px: the date on one line, nothing wider than the screen', async ({ page, look }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUp(page);
  await bookFirstTime(page);
  await page.getByRole('link', { name: /^Pay / }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+/ })).toBeVisible();
  const lines = page.getByRole('region', { name: 'Invoice lines' });
  const date = lines.getByRole('row').nth(1).getByRole('cell').first();
  await expect(date).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/);
  expect(await linesOf(date)).toHaveLength(1);
  // the item's words wrap instead: neither the page nor the table scrolls sideways
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await lines.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await look('invoice-390');
});

test('back from Checkout before the webhook: "confirming…" until it lands, then "Paid"', async ({ page, request, look }) => {
  await signUp(page);
  const booked = await bookFirstTime(page);
  expect(booked).not.toBe('');
  await page.getByRole('link', { name: /^Pay / }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Invoice \d+/ })).toBeVisible();
  const invoiceUrl = page.url();

  // start Checkout, but come back before paying (as when the webhook is slow)
  await page.getByRole('button', { name: /^Pay / }).click();
  await expect(page.getByRole('heading', { name: 'Offline checkout' })).toBeVisible();
  const checkoutSessionId = /\/v1\/dev\/checkout\/([^/?]+)/.exec(page.url())?.[1];
  expect(checkoutSessionId).toBeTruthy();
  await page.goto(`${invoiceUrl}?checkout=done`);
  await expect(page.getByRole('status').filter({ hasText: 'Payment received — confirming…' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Confirming payment');
  await expect(page.getByRole('button', { name: /^Pay / })).toHaveCount(0);
  await look('invoice-confirming');

  // the webhook lands: the page turns to Paid by itself
  const done = await request.post(`/v1/dev/checkout/${checkoutSessionId}/complete`, { data: { outcome: 'paid' } });
  expect(done.ok()).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: 'Paid' })).toContainText('has been received and confirmed');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Paid');
  await expect(page.getByText(/complete your booking/i)).toHaveCount(0);
});

test('an invoice paid elsewhere meanwhile: Pay says so in a sentence and shows it paid, on the list and on the invoice', async ({
  page,
  request,
  look,
}) => {
  const desk = await staffHeaders(request, 'frontdesk');
  /** The front desk takes the invoice's payment (its own Checkout, paid): the client's page does not know yet. */
  const paidAtTheDesk = async (invoiceId: string) => {
    const checkout = await request.post(`/v1/invoices/${invoiceId}/checkout`, { headers: desk, data: {} });
    expect(checkout.ok(), await checkout.text()).toBe(true);
    const { checkoutSessionId } = (await checkout.json()) as { checkoutSessionId: string };
    const paid = await request.post(`/v1/dev/checkout/${checkoutSessionId}/complete`, { data: { outcome: 'paid' } });
    expect(paid.ok()).toBe(true);
  };
  const invoiceOf = async () =>
    /\/invoices\/([^/?]+)$/.exec((await page.getByRole('link', { name: /^Pay / }).getAttribute('href')) ?? '')?.[1] ?? '';

  await signUp(page);
  await bookFirstTime(page);
  const first = await invoiceOf();
  await page.getByRole('button', { name: 'Book another session' }).click();
  await bookFirstTime(page);
  const second = await invoiceOf();

  // the list: Pay on an invoice paid at the desk meanwhile
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices' }).click();
  await expect(page.locator('.invoice-item')).toHaveCount(2);
  await paidAtTheDesk(first);
  const item = page.locator('.invoice-item', { has: page.locator(`a[href="/invoices/${first}"]`) });
  await item.getByRole('button', { name: /^Pay \$175\.00/ }).click();
  const said = item.getByRole('status');
  await expect(said).toHaveText('This invoice has been paid meanwhile.');
  await expect(said).toBeFocused();
  await expect(item).toContainText('Paid');
  await expect(item.getByRole('button', { name: /^Pay / })).toHaveCount(0);
  await expect(page.getByText('Nothing is due on this invoice')).toHaveCount(0);
  await look('invoices-paid-meanwhile');

  // one invoice's page: the same
  await page.goto(`/invoices/${second}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Due');
  await paidAtTheDesk(second);
  await page.getByRole('button', { name: /^Pay \$175\.00/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'This invoice has been paid meanwhile.' })).toBeFocused();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Paid');
  await expect(page.getByRole('button', { name: /^Pay / })).toHaveCount(0);
  await expect(page.getByText('Nothing is due on this invoice')).toHaveCount(0);
  await look('invoice-paid-meanwhile');
});
