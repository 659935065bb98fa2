// The admin's settings: sign in as admin (every clinic), pick Hudson Wellness, change a policy
// field and see it kept after a reload (then set it back), add a room (a double click adds one),
// add a practitioner (a bad NPI is caught in the browser and nothing is sent; then a valid one),
// create a program and retire it after the confirmation.
//
// Other specs run at the same time against the same clinic: names are unique, and the policy
// field changed is `integrationWithinDays`, which no booking, cancellation or reminder rule reads
// (the others — cancellation window, fee, notice, booking window, reminders, spacing, check-in —
// are left alone); it is set back in the test and, should the test fail half-way, in `finally`.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

async function adminToken(request: APIRequestContext): Promise<string> {
  const res = await request.post('/v1/dev/token', { data: { role: 'admin' } });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { token: string }).token;
}

async function signInAsAdmin(page: Page) {
  await page.goto('/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Admin (all clinics)' });
  await page.getByRole('button', { name: 'Continue as staff' }).click();
  await expect(page).toHaveURL(/\/staff\//);
}

const section = (page: Page, name: string) => page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name });

test('admin settings: policy, billing, rooms, practitioners, programs', async ({ page, request, look }) => {
  const stamp = `${Date.now()}-${process.pid}`;
  await signInAsAdmin(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Settings/ })).toBeVisible();
  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Hudson Wellness (demo)' });
  await expect(page).toHaveURL(/clinic=demo-nyc/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hudson Wellness (demo)');
  await expect(section(page, 'Policy')).toHaveAttribute('aria-current', 'page');

  // --- policy: a field no other spec depends on, changed, kept after a reload, set back ---
  const field = page.getByLabel('Integration session within (days)');
  await expect(field).not.toHaveValue('');
  const original = await field.inputValue();
  const changed = String(Number(original) >= 60 ? Number(original) - 1 : Number(original) + 1);
  await expect(page.getByLabel('Late cancellation fee')).toHaveValue('100.00'); // money as typed, not minor units
  await look('settings-policy');
  try {
    await field.fill(changed);
    await page.getByRole('button', { name: 'Save name and policy' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The policy was saved.' })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Integration session within (days)')).toHaveValue(changed);

    // a value the API refuses: its words under the field, nothing saved
    await page.getByLabel('Integration session within (days)').fill('999');
    await page.getByRole('button', { name: 'Save name and policy' }).click();
    await expect(page.getByRole('alert')).toContainText('The policy was not saved');
    await expect(page.getByLabel('Integration session within (days)')).toHaveAttribute('aria-invalid', 'true');
    // focus goes to the field to correct, not left on the button
    await expect(page.getByLabel('Integration session within (days)')).toBeFocused();
    await look('settings-policy-refused');

    await page.getByLabel('Integration session within (days)').fill(original);
    await page.getByRole('button', { name: 'Save name and policy' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The policy was saved.' })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Integration session within (days)')).toHaveValue(original);
  } finally {
    const token = await adminToken(request);
    await request.patch('/v1/clinics/demo-nyc', {
      headers: { authorization: `Bearer ${token}` },
      data: { policy: { integrationWithinDays: Number(original) } },
    });
  }

  // --- the name texts use: set, kept after a reload, a treatment word refused, cleared (no spec reads SMS) ---
  const smsName = page.getByLabel('Name in text messages');
  try {
    await smsName.fill('Hudson Clinic');
    await page.getByRole('button', { name: 'Save name and policy' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The policy was saved.' })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Name in text messages')).toHaveValue('Hudson Clinic');

    await page.getByLabel('Name in text messages').fill('Hudson Ketamine Care');
    await page.getByRole('button', { name: 'Save name and policy' }).click();
    await expect(page.getByRole('alert')).toContainText('The policy was not saved');
    await expect(page.getByLabel('Name in text messages')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('form')).toContainText('Must not name the treatment');
    await look('settings-sms-name-refused');

    await page.getByLabel('Name in text messages').fill('');
    await page.getByRole('button', { name: 'Save name and policy' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The policy was saved.' })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Name in text messages')).toHaveValue('');
  } finally {
    const token = await adminToken(request);
    await request.patch('/v1/clinics/demo-nyc', { headers: { authorization: `Bearer ${token}` }, data: { smsName: null } });
  }

  // --- billing profile: the US words, the values shown (not changed: receipts depend on them) ---
  await section(page, 'Billing profile').click();
  await expect(page.getByRole('heading', { level: 2, name: 'Billing profile' })).toBeVisible();
  await expect(page.getByLabel('EIN (employer identification number)')).toHaveValue(/^\d{2}-\d{7}$/);
  await expect(page.getByLabel('Organisation NPI')).toHaveValue(/^\d{10}$/);
  await page.getByRole('button', { name: 'Save billing profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Nothing to save' })).toBeVisible();
  await look('settings-billing');

  // --- rooms: a double click adds one room ---
  await section(page, 'Rooms').click();
  const roomName = `E2E room ${stamp}`;
  await page.getByLabel('Room name').fill(roomName);
  await page.getByLabel('Dosing room').check();
  await page.getByRole('button', { name: 'Add room' }).dblclick();
  await expect(page.getByRole('status').filter({ hasText: `${roomName} was added.` })).toBeVisible();
  const rooms = page.getByRole('table', { name: /Rooms of/ });
  await expect(rooms.getByRole('row', { name: new RegExp(roomName) })).toHaveCount(1);
  await expect(rooms.getByRole('row', { name: new RegExp(roomName) })).toContainText('Dosing room');
  await look('settings-rooms');

  // --- practitioners: a bad NPI is caught before anything is sent, then a valid one ---
  await section(page, 'Practitioners').click();
  await expect(page.getByRole('table', { name: /Practitioners of/ })).toContainText('Avery Stone');
  let posts = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/providers')) posts++;
  });
  const providerName = `E2E Practitioner ${stamp}`;
  await page.getByLabel('Name', { exact: true }).fill(providerName);
  await page.getByLabel('Credentials').fill('LCSW');
  await page.getByLabel('NPI', { exact: true }).fill('1234567890');
  await page.getByLabel('Licence number').fill('LCSW-1234');
  await page.getByLabel('Licensed in').fill('NY');
  await page.getByLabel('Offers sessions by video').check();
  await page.getByLabel('Saturday', { exact: true }).check();
  await page.getByLabel('Saturday From').fill('10:00');
  await page.getByLabel('Saturday To').fill('14:00');
  await page.getByRole('button', { name: 'Add practitioner' }).click();
  await expect(page.getByRole('alert')).toContainText('The practitioner was not added');
  await expect(page.getByText('This is not a valid NPI')).toBeVisible();
  await expect(page.getByLabel('NPI', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await look('settings-providers-bad-npi');
  expect(posts).toBe(0);

  await page.getByLabel('NPI', { exact: true }).fill('1234567893');
  await page.getByRole('button', { name: 'Add practitioner' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${providerName} was added.` })).toBeVisible();
  expect(posts).toBe(1);
  const row = page.getByRole('table', { name: /Practitioners of/ }).getByRole('row', { name: new RegExp(providerName) });
  await expect(row).toContainText('NPI 1234567893');
  await expect(row).toContainText('Licence LCSW-1234 (NY)');
  await expect(row).toContainText('Mon–Fri 9:00 AM–5:00 PM; Sat 10:00 AM–2:00 PM');
  await look('settings-providers');

  // --- programs: create one, retire it after the confirmation ---
  await section(page, 'Programs').click();
  const programName = `Care program e2e ${stamp}`;
  await page.getByLabel('Program name').fill(programName);
  await page.getByLabel('Support').selectOption({ label: 'Extra support' });
  await page.getByLabel('Dosing sessions').fill('4');
  await page.getByLabel('Preparation sessions').fill('2');
  await page.getByLabel('Integration sessions').fill('4');
  await page.getByLabel('Price (optional)').fill('3,999.50');
  await page.getByRole('button', { name: 'Create program' }).click();
  await expect(page.getByRole('status').filter({ hasText: `“${programName}” was created, at $3,999.50.` })).toBeVisible();
  const programs = page.getByRole('table', { name: /Programs of/ });
  const programRow = programs.getByRole('row', { name: new RegExp(programName) });
  await expect(programRow).toContainText('$3,999.50');
  await expect(programRow).toContainText('2 preparations, 4 dosing sessions, 4 integrations');

  await programRow.getByRole('button', { name: `Retire ${programName}` }).click();
  const confirm = page.getByRole('group', { name: new RegExp(`Retire “${programName}”`) });
  await expect(confirm).toContainText(`Retire “${programName}”? Clients who bought it keep their sessions.`);
  await expect(confirm).toBeFocused();
  await look('settings-programs-retire');
  await confirm.getByRole('button', { name: 'Yes, retire it' }).click();
  await expect(page.getByRole('status').filter({ hasText: `“${programName}” was retired` })).toBeVisible();
  await expect(programs.getByRole('row', { name: new RegExp(programName) })).toHaveCount(0);
  await look('settings-programs');

  // the clinic's public page no longer offers it
  const list = await request.get('/v1/clinics/demo-nyc/programs');
  expect(((await list.json()) as { name: string }[]).some((p) => p.name === programName)).toBe(false);
});

test('billing words follow the clinic’s country', async ({ page, look }) => {
  await signInAsAdmin(page);
  await page.goto('/staff/settings/billing?clinic=demo-tor');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Lakeshore');
  await expect(page.getByLabel('Business number (GST/HST account)')).toHaveValue(/^\d{9}RT\d{4}$/);
  await expect(page.getByLabel('Province or territory')).toHaveValue('ON');
  await expect(page.getByLabel('Postal code')).toBeVisible();
  await expect(page.getByLabel('Organisation NPI')).toHaveCount(0);
  await look('settings-billing-ca');

  // a tablet's width: the sections, the practitioners' table and their weekly hours still fit
  await page.setViewportSize({ width: 768, height: 1000 });
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Practitioners' }).click();
  await expect(page.getByRole('table', { name: /Practitioners of/ })).toBeVisible();
  await look('settings-providers-768');
});

test('switching clinic or section with changes not saved asks before discarding them', async ({ page, look }) => {
  await signInAsAdmin(page);
  await page.goto('/staff/settings/policy?clinic=demo-nyc');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hudson Wellness (demo)');
  const name = page.getByLabel('Clinic name');
  const picker = page.getByLabel('Clinic', { exact: true });
  // typed, not saved (never saved: other specs read the clinic's name)
  await name.fill('Hudson Wellness (renamed, not saved)');

  await picker.focus();
  await picker.selectOption({ label: 'Lakeshore Therapy (demo)' });
  const ask = page.getByRole('group', { name: 'Discard your changes?' });
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('heading', { name: 'Discard your changes?' })).toBeFocused();
  await expect(ask).toContainText('Going to Lakeshore Therapy (demo) now throws them away');
  await expect(page).toHaveURL(/clinic=demo-nyc/);
  await expect(picker).toHaveValue('demo-nyc');
  await look('settings-discard-changes');
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(ask).toHaveCount(0);
  await expect(picker).toBeFocused();
  await expect(name).toHaveValue('Hudson Wellness (renamed, not saved)');

  // another section would discard them too
  await section(page, 'Rooms').click();
  await expect(ask).toContainText('Going to Rooms now throws them away');
  await expect(page).toHaveURL(/\/staff\/settings\/policy/);
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(section(page, 'Rooms')).toBeFocused();

  // discarded on purpose: the other clinic, its own name
  await picker.selectOption({ label: 'Lakeshore Therapy (demo)' });
  await ask.getByRole('button', { name: 'Discard changes and go to Lakeshore Therapy (demo)' }).click();
  await expect(page).toHaveURL(/clinic=demo-tor/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Lakeshore Therapy (demo)');
  await expect(name).toHaveValue('Lakeshore Therapy (demo)');
  // nothing changed: switching back asks nothing
  await picker.selectOption({ label: 'Hudson Wellness (demo)' });
  await expect(page).toHaveURL(/clinic=demo-nyc/);
  await expect(ask).toHaveCount(0);
});
