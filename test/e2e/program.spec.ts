// Journey (e): buy a program — pay in full, or in installments with the schedule shown before
// paying; Checkout returns to the package page, which says "Payment received — confirming…" until
// the signed webhook has made the package active (never "complete your booking"); a checkout left
// without paying says nothing was charged. Then the credits on My care, and a session booked with one.
import { bookFirstTime, expect, expectNoServiceWordInAddress, signUp, someTime, test } from './fixtures.ts';
import type { Page } from '@playwright/test';

/** From My care to the clinic's programs, and the first one chosen. */
async function chooseProgram(page: Page, look?: (name: string) => Promise<void>): Promise<string> {
  await page.getByRole('link', { name: 'My care' }).click();
  await page.getByRole('link', { name: 'See the clinic’s programs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hudson Wellness (demo)' })).toBeVisible();
  if (look) await look('clinic-programs');
  const card = page.locator('.program').first();
  const name = (await card.getByRole('heading').textContent()) ?? '';
  await card.getByRole('link', { name: 'Choose this program' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page).toHaveURL(/\/clinics\/demo-nyc\/programs\/[^/?]+$/);
  return name;
}

/** The table in the region named `label` is no wider than the region: nothing to scroll sideways to. */
const fitsItsRegion = (page: Page, label: string) =>
  page.getByRole('region', { name: label }).evaluate((el) => el.scrollWidth <= el.clientWidth);

test('pay a program in full; its credits on My care; a session booked with a credit @phone', async ({ page, look }) => {
  await signUp(page);
  const program = await chooseProgram(page, look);
  await expect(page.getByRole('radio', { name: /Pay in full: \$[\d,]+\.\d\d/ })).toBeChecked();
  await expect(page.getByRole('radio', { name: /Pay later/ })).toBeEnabled();
  await look('buy');

  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await expect(page.getByRole('heading', { name: 'Offline checkout' })).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await expect(page).toHaveURL(/\/packages\/[^/?]+\?checkout=done$/);
  await expect(page.getByRole('status').filter({ hasText: 'Paid' })).toContainText('has been received and confirmed');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`${program} Active`);
  await expect(page.getByText(/complete your booking/i)).toHaveCount(0);
  await expect(page.getByRole('row', { name: /Preparation/ }).getByRole('cell')).toHaveText(['2', '0', '2']); // included, used, left
  await look('package-paid');

  // book with a credit: the week view offers the program's credit and takes it
  await page.getByRole('link', { name: 'Book a session with a credit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
  await expect(page.getByLabel('Session', { exact: true })).toHaveValue('preparation');
  await expect(page).toHaveURL(/\/book$/);
  await expect(page.getByRole('radio', { name: `A credit of ${program} (2 left)` })).toBeChecked();
  await expect(page.locator('.week button.time').first()).toBeVisible();
  await look('book-with-credit');
  await bookFirstTime(page);
  await expect(page.getByRole('status').filter({ hasText: 'Booked' })).toContainText('uses one credit of your program');
  await expect(page.getByRole('link', { name: /^Pay / })).toHaveCount(0);

  await page.getByRole('link', { name: 'See my appointments' }).click();
  const card = page.locator('.package');
  await expect(card).toContainText(program);
  await expect(card).toContainText(/Preparation session\s*1 of 2 left \(1 used\)/);
  await expect(page.locator('section', { has: page.getByRole('heading', { name: 'Upcoming' }) })).toContainText('Preparation');
  await look('care-program');
});

test('installments: the schedule before paying; a checkout left unpaid; "confirming…" until the webhook @phone', async ({
  page,
  request,
  look,
}) => {
  await signUp(page);
  await chooseProgram(page);

  // the plan is shown before paying: the down payment today, then the monthly payments
  await page.getByRole('radio', { name: /Installments with the clinic/ }).check();
  await page.getByLabel('Monthly payments').selectOption('6');
  const schedule = page.getByRole('table', { name: 'Payment schedule' });
  await expect(schedule.getByRole('row')).toHaveCount(1 + 7 + 1); // header, down payment and 6 payments, total
  await expect(schedule.getByRole('row', { name: /Today/ })).toContainText('Down payment');
  await expect(schedule.getByRole('row', { name: /Payment 6 of 6/ })).toContainText(/\$[\d,]+\.\d\d/);
  const down = (await schedule.getByRole('row', { name: /Today/ }).getByRole('cell').first().textContent()) ?? '';
  await expect(fitsItsRegion(page, 'Payment schedule')).resolves.toBe(true);
  await expect(page.locator('.confirm')).toContainText(`Due today: ${down}`);
  await look('buy-installments');

  // Checkout charges the down payment; leave it without paying: nothing was charged
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await expect(page.getByRole('heading', { name: 'Offline checkout' })).toBeVisible();
  const firstSession = /\/v1\/dev\/checkout\/([^/?]+)/.exec(page.url())?.[1];
  await expect(page.getByText('Amount due now')).toContainText(down.replace(/[$,]/g, ''));
  await page.getByRole('button', { name: 'Decline the card' }).click();
  await page.getByRole('link', { name: 'Return without paying' }).click();
  await expect(page).toHaveURL(/\/packages\/[^/?]+\?checkout=cancelled$/);
  await expect(page.getByRole('status').filter({ hasText: 'Payment not completed' })).toContainText('Nothing was charged');
  await look('package-cancelled');

  // back to the same payment page (not a second purchase), and back before the webhook:
  // "confirming…" until it lands, then Active
  await expect(page.getByRole('link', { name: 'the clinic’s programs' })).toBeVisible();
  await page.getByRole('link', { name: 'Continue to payment' }).click();
  await expect(page.getByRole('heading', { name: 'Offline checkout' })).toBeVisible();
  const sessionId = /\/v1\/dev\/checkout\/([^/?]+)/.exec(page.url())?.[1];
  expect(sessionId).toBe(firstSession);
  const cancelUrl = (await page.getByRole('link', { name: 'Return without paying' }).getAttribute('href')) ?? '';
  expect(cancelUrl).toMatch(/\/packages\/pkg_[^/?]+\?checkout=cancelled$/);
  await page.goto(cancelUrl.replace('checkout=cancelled', 'checkout=done'));
  await expect(page.getByRole('status').filter({ hasText: 'Payment received — confirming…' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Confirming payment');
  await look('package-confirming');

  const paid = await request.post(`/v1/dev/checkout/${sessionId}/complete`, { data: { outcome: 'paid' } });
  expect(paid.ok()).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: 'Paid' })).toContainText(`your down payment of ${down} has been received`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Active');
  await expect(page.getByText(/complete your booking/i)).toHaveCount(0);
  const plan = page.getByRole('table', { name: 'Payment schedule' });
  await expect(plan.getByRole('row', { name: /At purchase/ })).toContainText('Paid');
  await expect(plan.getByRole('row', { name: /Payment 1 of 6/ })).toContainText('Scheduled');

  // the first monthly charge (Stripe's schedule, offline): the plan shows it paid
  const packageId = /\/packages\/([^/?]+)/.exec(page.url())?.[1];
  const charged = await request.post(`/v1/dev/packages/${packageId}/installments/next`, { data: { outcome: 'paid' } });
  expect(charged.ok()).toBe(true);
  await page.reload();
  await expect(plan.getByRole('row', { name: /Payment 1 of 6/ })).toContainText('Paid');
  await expect(plan.getByRole('row', { name: /Payment 2 of 6/ })).toContainText('Scheduled');
  await expect(plan.getByRole('columnheader', { name: 'Status' })).toBeVisible();
  // the plan fits the screen (375 px too): no column cut off behind a sideways scroll
  await expect(fitsItsRegion(page, 'Payment schedule')).resolves.toBe(true);
  await look('package-installments');

  // the next charge fails: what happened, what happens next and what it means, in words
  const failed = await request.post(`/v1/dev/packages/${packageId}/installments/next`, { data: { outcome: 'failed' } });
  expect(failed.ok()).toBe(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Payment past due');
  const notice = page.getByRole('status').filter({ hasText: 'A payment did not go through' });
  await expect(notice).toContainText(/The payment of \$[\d,.]+ due \w{3} \d{1,2}, \d{4} could not be charged to your card/);
  await expect(notice).toContainText('tried again automatically');
  await expect(notice).toContainText('Until it is paid, exploration sessions can’t be booked with this program; other sessions still can.');
  await look('package-past-due');
  // booking a dosing session meanwhile: said before a time is chosen, with the price the client pays instead
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Book' }).click();
  await page.getByLabel('Session', { exact: true }).selectOption('exploration');
  await expectNoServiceWordInAddress(page);
  await expect(page).toHaveURL(/\/book$/);
  const cannotPay = page
    .getByRole('status')
    .filter({ hasText: 'Your program can’t pay for dosing sessions until the missed payment is settled' });
  await expect(cannotPay).toContainText('you pay its price, $550.00');
  await expect(cannotPay.getByRole('link', { name: 'The payment that is due, and how to settle it' })).toHaveAttribute(
    'href',
    `/packages/${packageId}`,
  );
  await expect(page.getByRole('radio', { name: /A credit of/ })).toHaveCount(0);
  await (await someTime(page)).click();
  await expect(page.locator('.confirm')).toContainText(
    'Price: $550.00, paid by you: your program can’t pay for it until the missed payment is settled.',
  );
  await look('book-past-due');
  // other sessions still book with the program
  await page.getByLabel('Session', { exact: true }).selectOption('preparation');
  await expect(page.getByRole('radio', { name: /A credit of .* \(2 left\)/ })).toBeChecked();
  await expect(cannotPay).toHaveCount(0);

  await page.goto('/care');
  await expect(page.getByText('could not be charged; it is tried again automatically')).toBeVisible();
  await expect(page.getByRole('link', { name: 'What this means' })).toBeVisible();

  // its invoice: what the plan still takes, paid through the program's payments, no Pay of its own
  await page.goto('/invoices');
  const programInvoice = page.locator('li', { hasText: 'Still to pay' });
  await expect(programInvoice.getByRole('link', { name: 'through the program’s payments' })).toHaveAttribute(
    'href',
    `/packages/${packageId}`,
  );
  await expect(programInvoice.getByRole('button', { name: /^Pay / })).toHaveCount(0);
});
