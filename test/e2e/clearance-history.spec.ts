// The clearance history on the staff chart (pages/staff/chart-clearance-history.tsx): a clinician
// shows it when asked (it is not read on opening the chart: each read is audited), sees the
// clearance an admin recorded earlier — when in the clinic's zone (the browser's is Berlin's), the
// outcome, until when, who — records a new one, and the history, read again, lists it first as
// "You". The front desk sees no history and never asks for it. Desktop and phone.
//
// Runs beside other specs against one demo clinic: each client is new.
import { expect, test } from './fixtures.ts';
import { bearer, newClient, nyDateTime, signInAsStaff, staffHeaders, staffToken } from './staff-api.ts';

test('a clinician reads the clearance history when asked, and a new clearance comes first @phone', async ({ page, request, look }) => {
  const desk = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, desk, { firstName: 'Hale', lastName: `History${Date.now() % 100_000}` });
  // an admin recorded a first clearance: not cleared, blood pressure to be checked again
  const admin = bearer(await staffToken(request, 'admin', undefined));
  const first = await request.post(`/v1/clients/${clientId}/clearance`, {
    headers: admin,
    data: { status: 'not_cleared', screenedFor: ['Uncontrolled high blood pressure'], notes: 'Recheck blood pressure.' },
  });
  expect(first.status(), await first.text()).toBe(201);
  const [earlier] = (
    (await (await request.get(`/v1/clients/${clientId}/clearances`, { headers: admin })).json()) as {
      clearances: { recordedAt: string }[];
    }
  ).clearances;

  // the front desk: no history on the chart, never asked for
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/clearances')) asked.push(r.url());
  });
  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/clients/${clientId}`);
  await expect(page.getByRole('heading', { level: 1, name: /^Hale History/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Clearance history' })).toHaveCount(0);
  expect(asked).toEqual([]);
  await page.goto('/sign-in');

  // the clinician: the section, unread until asked
  await signInAsStaff(page, 'clinician');
  await page.goto(`/staff/clients/${clientId}`);
  const history = page.getByRole('region', { name: 'Clearance history', exact: true });
  await expect(history.getByRole('button', { name: 'Show clearance history' })).toBeVisible();
  await expect(history.getByRole('list')).toHaveCount(0);
  expect(asked).toEqual([]);
  await history.getByRole('button', { name: 'Show clearance history' }).click();
  const entries = history.getByRole('list', { name: 'Clearances, newest first' }).getByRole('listitem');
  await expect(entries).toHaveCount(1);
  await expect(entries.nth(0)).toContainText(nyDateTime(earlier!.recordedAt));
  await expect(entries.nth(0)).toContainText('Not cleared');
  await expect(entries.nth(0)).toContainText('Uncontrolled high blood pressure');
  await expect(entries.nth(0)).toContainText('Recheck blood pressure.');
  await expect(entries.nth(0)).toContainText(/Recorded byUser dev-admi/);
  expect(asked).toHaveLength(1);

  // a new clearance: cleared until a date; the history is read again and lists it first, by "You"
  const clearance = page.getByRole('form', { name: 'Record clearance' });
  await clearance.getByRole('radio', { name: 'Cleared for dosing' }).check();
  await clearance.getByRole('checkbox', { name: 'Interacting medications' }).check();
  await clearance.getByLabel('Valid until').fill('2099-06-30');
  await clearance.getByRole('button', { name: 'Save clearance' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Clearance saved: cleared' })).toBeVisible();
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText('(latest)');
  await expect(entries.nth(0)).toContainText('OutcomeCleared');
  await expect(entries.nth(0)).toContainText('Valid untilJun 30, 2099');
  await expect(entries.nth(0)).toContainText('Recorded byYou');
  await expect(entries.nth(1)).toContainText('OutcomeNot cleared');
  await expect(entries.nth(1)).toContainText('Valid until—'); // one that did not clear held until no date
  await expect(entries.nth(1)).not.toContainText('(latest)');
  await look('chart-clearance-history');
});
