// A refund the refund job gave up on, settled from the staff invoice page. Data through the API
// first: a new client's self-pay intake, paid through the offline checkout, cancelled on time (the
// $175.00 is owed back), then the dev route makes the refund job give up on it at once. Finance
// records part of it as refunded by cheque (the form's own checks first; a submission that never
// reached the server sent again with the same Idempotency-Key), sees the rest still owed, and has
// the automatic refund try that again. The front desk sees what is wrong and who can act, with no
// buttons.
//
// No dev clock (this runs beside other specs). The local refund job runs every 30 s: when it made
// the refund before the dev route gave up on it (409), a new booking is made (givenUpRefund).
import { expect, test } from './fixtures.ts';
import { givenUpRefund, signInAsStaff } from './staff-api.ts';

test('finance records part of a refund given up on as a cheque, then has the rest tried again @phone', async ({ page, request, look }) => {
  const { invoiceId } = await givenUpRefund(request, { firstName: 'Cleo', lastName: 'Owed' });
  const recordCalls: { key: string | null; body: unknown }[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.url().endsWith(`/v1/invoices/${invoiceId}/refunds`)) {
      recordCalls.push({ key: req.headers()['idempotency-key'] ?? null, body: req.postDataJSON() });
    }
  });

  await signInAsStaff(page, 'finance');
  await page.goto(`/staff/invoices/${invoiceId}`);
  // paid, yet not settled: the badge says so rather than a green "Paid"
  await expect(page.getByRole('heading', { level: 1, name: /^Invoice \d+ Refund to settle$/ })).toBeVisible();
  const problem = page.getByRole('alert').filter({ hasText: 'A refund could not be made' });
  await expect(problem).toContainText('$175.00 is owed back to the client and the automatic refund has given up.');
  await expect(problem).toContainText('record a refund made another way (below)');
  const panel = page.getByRole('region', { name: 'Money owed back to the client' });
  await expect(panel).toContainText('$175.00 is still owed back');
  const form = panel.getByRole('form', { name: 'Record a refund made another way' });
  await expect(form.getByLabel('Amount')).toHaveValue('175.00');
  await expect(form.getByLabel('How')).toHaveValue('');
  await look('staff-refund-given-up');

  // the form's own checks, each under its field, and nothing sent
  await form.getByLabel('Amount').fill('175.01');
  await form.getByLabel('Reference').fill('#1042');
  await form.getByRole('button', { name: 'Record refund' }).click();
  await expect(form.getByLabel('Amount')).toHaveAccessibleDescription(/At most \$175\.00: that is what is still owed back\./);
  await expect(form.getByLabel('How')).toHaveAccessibleDescription('Choose how the money was given back.');
  await expect(form.getByLabel('Reference')).toHaveAccessibleDescription(/Start with a letter or a digit, e\.g\. 1042 rather than #1042\./);
  await expect(form.getByLabel('Amount')).toBeFocused();
  await look('staff-refund-form-problems');
  expect(recordCalls).toEqual([]);

  // part of it, by cheque; the first submission never reaches the server, and is sent again as it was
  await form.getByLabel('Amount').fill('100');
  await form.getByLabel('How').selectOption({ label: 'Cheque' });
  await form.getByLabel('Reference').fill('1042');
  await page.route(`**/v1/invoices/${invoiceId}/refunds`, (route) => route.abort('failed'), { times: 1 });
  await form.getByRole('button', { name: 'Record refund' }).click();
  await expect(form.getByRole('alert')).toContainText('The refund was not recorded');
  await expect(form.getByRole('alert')).toContainText('We could not reach the clinic’s system.');
  await form.getByRole('button', { name: 'Record refund' }).click();
  const recorded = panel.getByRole('status').filter({ hasText: 'Refund recorded' });
  await expect(recorded).toContainText('Recorded: $100.00 given back (Cheque: 1042). $75.00 is still owed back to the client.');
  await expect(recorded).toBeFocused();
  expect(recordCalls).toHaveLength(2);
  expect(recordCalls[0]!.key).toBeTruthy();
  expect(recordCalls[1]).toEqual(recordCalls[0]);
  expect(recordCalls[0]!.body).toEqual({ amount: 10_000, method: 'cheque', reference: '1042' });

  // the rest is still given up on: the invoice and the form say what is left
  await expect(problem).toContainText('$75.00 is owed back to the client');
  await expect(panel).toContainText('$75.00 is still owed back');
  await expect(form.getByLabel('Amount')).toHaveValue('75.00');
  await expect(form.getByLabel('Reference')).toHaveValue('');
  const refunds = page.getByRole('region', { name: 'Refunds made' });
  await expect(refunds.getByRole('columnheader', { name: 'How' })).toBeVisible();
  const cheque = refunds.getByRole('row').filter({ hasText: '1042' });
  await expect(cheque).toContainText('Cheque');
  await expect(cheque).toContainText('Refunded');
  await expect(cheque).toContainText('$100.00');
  await look('staff-refund-recorded');

  // the cause fixed: the automatic refund tries the rest again
  await panel.getByRole('button', { name: 'Try the refund again' }).click();
  const retried = panel.getByRole('status').filter({ hasText: 'The refund will be tried again' });
  await expect(retried).toContainText('The automatic refund tries again to give back $75.00 within minutes.');
  await expect(page.getByRole('status').filter({ hasText: 'A refund is scheduled' })).toContainText('$75.00 will be refunded');
  await expect(problem).toHaveCount(0);
  await expect(panel.getByRole('button')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: /^Invoice \d+ Being refunded$/ })).toBeVisible();
  await look('staff-refund-retried');
});

test('the front desk sees a refund given up on, and that finance settles it, with nothing to press @phone', async ({
  page,
  request,
  look,
}) => {
  const { invoiceId } = await givenUpRefund(request, { firstName: 'Dara', lastName: 'Owed' });
  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/invoices/${invoiceId}`);
  const problem = page.getByRole('alert').filter({ hasText: 'A refund could not be made' });
  await expect(problem).toContainText('$175.00 is owed back to the client and the automatic refund has given up.');
  await expect(problem).toContainText('Finance can try it again, or record a refund made another way');
  await expect(page.getByRole('heading', { level: 1, name: /^Invoice \d+ Refund to settle$/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Money owed back to the client' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Try the refund again' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Record refund' })).toHaveCount(0);
  await look('staff-refund-given-up-frontdesk');
});
