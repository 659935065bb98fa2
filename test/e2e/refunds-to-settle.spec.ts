// "Refunds to settle" on finance's home page (the clinic's invoices). Data first, through the API: a
// new client of Hudson Wellness with a self-pay intake paid through the offline checkout, cancelled
// on time (the whole $175.00 is owed back), and the refund job made to give up on its refund at once
// (POST /v1/dev/invoices/{id}/refund/give-up). Finance sees the invoice in the card, named, with the
// amount owed back, and follows it to the invoice; a list that fails to load is one error line, the
// invoices still there. The front desk's page never asks for the list (the API refuses it: 403).
//
// Other specs use the same clinic at the same time (and some give up on refunds too): this one only
// looks for its own row, never at how many rows there are.
import { expect, test } from './fixtures.ts';
import { givenUpRefund, signInAsStaff } from './staff-api.ts';

const GIVEN_UP = /\/v1\/clinics\/[^/]+\/refunds\/given-up/;

test('finance sees a refund the job gave up on, and follows it to the invoice @phone', async ({ page, request, look }) => {
  const { invoiceId, number } = await givenUpRefund(request, { firstName: 'Reese', lastName: 'Settle' });

  await signInAsStaff(page, 'finance');
  await expect(page).toHaveURL(/\/staff\/invoices$/);
  const card = page.getByRole('region', { name: 'Refunds to settle', exact: true });
  await expect(card.getByRole('heading', { level: 2, name: 'Refunds to settle' })).toBeVisible();
  await expect(card).toContainText('The automatic refund gave up on these invoices: each invoice’s page has what to do.');
  const ours = card.getByRole('row').filter({ has: page.getByRole('link', { name: `Invoice ${number}`, exact: true }) });
  await expect(ours).toHaveCount(1);
  await expect(ours).toContainText('Reese Settle');
  await expect(ours.getByRole('cell').last()).toHaveText('$175.00');
  // the invoice list is still below it
  await expect(page.getByRole('heading', { level: 2, name: /^All invoices issued/ })).toBeVisible();
  await look('refunds-to-settle');

  await ours.getByRole('link', { name: `Invoice ${number}`, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/invoices/${invoiceId}$`));
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^Invoice ${number}`) })).toBeVisible();

  // the list failing to load: one error line, and the invoices as ever
  await page.route(GIVEN_UP, (route) => route.fulfill({ status: 500, json: { error: { code: 'internal', message: 'Internal error' } } }));
  await page.goBack();
  await expect(page.getByRole('alert')).toContainText('The refunds to settle could not load');
  await expect(page.getByRole('heading', { level: 2, name: 'Refunds to settle' })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 2, name: /^All invoices issued/ })).toBeVisible();
  await look('refunds-to-settle-failed');
});

test('the front desk is shown no refunds to settle, and never asks for them', async ({ page, request, look }) => {
  // one to settle at least, so that there would be a card to show
  await givenUpRefund(request, { firstName: 'Desmond', lastName: 'Settle' });
  const asked: string[] = [];
  page.on('request', (r) => {
    if (GIVEN_UP.test(r.url())) asked.push(r.url());
  });

  await signInAsStaff(page, 'frontdesk');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^All invoices issued/ })).toBeVisible();
  await look('refunds-to-settle-frontdesk');
  await expect(page.getByRole('heading', { name: 'Refunds to settle' })).toHaveCount(0);
  expect(asked).toEqual([]);
});
