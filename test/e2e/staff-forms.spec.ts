// Two staff forms that must not mislead while a message is on screen: the chart's diagnoses, where a
// code typed but refused ("F3") stayed under "Diagnoses saved." as if saved — Save now waits until
// it is added or cleared, focus on the field; and the invoices' filters, where "The last date comes
// before the first." moved the fields beside it — they stay where they are.
import { expect, test } from './fixtures.ts';
import { newClient, signInAsStaff, staffHeaders } from './staff-api.ts';

test('a refused diagnosis code in the field keeps Save from saying the list is saved', async ({ page, request, look }) => {
  const frontdesk = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, frontdesk, { firstName: 'Dana', lastName: `Codes${Date.now().toString(36)}` });
  await signInAsStaff(page, 'clinician');
  await page.goto(`/staff/clients/${clientId}`);
  const diagnoses = page.getByRole('region', { name: 'Diagnoses' });
  const search = diagnoses.getByRole('combobox', { name: 'Add a code' });
  await search.fill('F33.1');
  await search.press('Enter');
  await expect(diagnoses.getByRole('listitem').filter({ hasText: 'F33.1' })).toBeVisible();
  // a code cut short: refused in words, and still in the field
  await search.fill('F3');
  await diagnoses.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(diagnoses.getByText('Enter an ICD-10-CM code such as F33.1')).toBeVisible();

  await diagnoses.getByRole('button', { name: 'Save diagnoses' }).click();
  // nothing saved: the field says why, and has focus
  await expect(search).toBeFocused();
  await expect(search).toHaveAccessibleDescription(/“F3” is not a code on the list and would not be saved/);
  await expect(diagnoses.getByText('Diagnoses saved.')).toHaveCount(0);
  await look('chart-diagnoses-unadded');
  const before = await request.get(`/v1/clients/${clientId}/diagnoses`, { headers: await staffHeaders(request, 'clinician') });
  expect(((await before.json()) as { codes: string[] }).codes).toEqual([]);

  // cleared, it saves; nothing refused is left on screen beside "Diagnoses saved."
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await diagnoses.getByRole('button', { name: 'Save diagnoses' }).click();
  await expect(diagnoses.getByRole('status').filter({ hasText: 'Diagnoses saved.' })).toBeVisible();
  await expect(diagnoses.locator('.field-error')).toHaveCount(0);
  const after = await request.get(`/v1/clients/${clientId}/diagnoses`, { headers: await staffHeaders(request, 'clinician') });
  expect(((await after.json()) as { codes: string[] }).codes).toEqual(['F33.1']);
});

test('the invoice filters stay in place when the dates are the wrong way round', async ({ page, look }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await signInAsStaff(page, 'finance');
  const filters = page.getByRole('form', { name: 'Filter invoices' });
  const status = filters.getByLabel('Status');
  const from = filters.getByLabel('Issued from');
  const to = filters.getByLabel('Issued to');
  const show = filters.getByRole('button', { name: 'Show invoices' });
  await expect(show).toBeEnabled();
  // measured from the form's own top: a list above it (refunds to settle) may load meanwhile and move the whole form
  const tops = async () => {
    const top = (await filters.boundingBox())!.y;
    return Promise.all([status, from, to, show].map(async (l) => Math.round((await l.boundingBox())!.y - top)));
  };
  const level = await tops();
  // one row on a desktop: the fields and the button level with each other
  expect(new Set(level).size).toBe(1);

  await from.fill('2026-12-05');
  await to.fill('2026-11-30');
  await expect(to).toHaveAccessibleDescription('The last date comes before the first.');
  await expect(show).toBeDisabled();
  expect(await tops()).toEqual(level);
  await look('invoices-filter-reversed');
});
