// The clinic's invoice list's totals: what is still due and what is owed back to clients, never
// netted. Data through the API first (staff-api.ts).
//
// Other specs add invoices at the same clinic at the same time: the list's totals are checked
// against the rows the page shows.
import { expect, test } from './fixtures.ts';
import { givenUpRefund, nyDate, signInAsStaff } from './staff-api.ts';

/** "$2,425.00" or "-$175.00" → minor units. */
const cents = (text: string) => Math.round(Number(text.replace(/[^0-9.-]/g, '')) * 100);

test('the invoice list’s totals say what is still due and what is owed back, apart', async ({ page, request, look }) => {
  await givenUpRefund(request, { firstName: 'Olli', lastName: 'Till' });
  await signInAsStaff(page, 'finance');
  await page.goto(`/staff/invoices?from=${nyDate()}&to=${nyDate()}`);
  const table = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Balance' }) });
  await expect(table.locator('tfoot')).toContainText('Still due');
  const balances = await table.locator('tbody tr td:last-child').allInnerTexts();
  const shown = balances.map(cents);
  const due = shown.filter((b) => b > 0).reduce((a, b) => a + b, 0);
  const owedBack = -shown.filter((b) => b < 0).reduce((a, b) => a + b, 0);
  expect(owedBack).toBeGreaterThanOrEqual(17_500);
  const money = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n / 100);
  const total = table.locator('tfoot td:last-child');
  await expect(total).toContainText(`Still due ${money(due)}`);
  await expect(total).toContainText(`Owed back ${money(owedBack)}`);
  await look('staff-invoices-balances');
});
