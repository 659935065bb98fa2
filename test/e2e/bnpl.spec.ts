// Pay later refused in plain words. The purchase page always offers "Pay later": whether a
// pay-later service exists for the clinic's country and currency is the payment gateway's
// knowledge, not the clinic's public setup (docs/web.md). The API answers 422 `bnpl_unavailable`
// where there is none (shared/adapters/stripe-gateway.ts: Affirm/Klarna for US + USD, Affirm for
// CA + CAD, nothing else). So an admin opens a US clinic that charges in CAD, with a program; a new
// client of it chooses Pay later, and the real API's refusal is said in the words of
// web/src/api/errors.ts, the option is then disabled and paying in full still works.
import type { APIRequestContext } from '@playwright/test';
import { expect, signUp, test } from './fixtures.ts';

async function adminToken(request: APIRequestContext): Promise<string> {
  const res = await request.post('/v1/dev/token', { data: { role: 'admin' } });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { token: string }).token;
}

test('pay later where no pay-later service is offered: refused in plain words, pay in full still possible', async ({
  page,
  request,
  look,
}) => {
  // a clinic of its own (tests share the server): US, prices in CAD, and one program
  const admin = { authorization: `Bearer ${await adminToken(request)}` };
  const clinicName = `Border Clinic ${Date.now().toString(36)}-${process.pid}`;
  const clinicRes = await request.post('/v1/clinics', {
    headers: admin,
    data: { name: clinicName, timezone: 'America/New_York', currency: 'CAD', country: 'US' },
  });
  expect(clinicRes.status(), await clinicRes.text()).toBe(201);
  const clinic = (await clinicRes.json()) as { id: string };
  const programRes = await request.post(`/v1/clinics/${clinic.id}/programs`, {
    headers: admin,
    data: { name: 'Standard program', explorations: 1, tier: 'standard', includes: { preparation: 2, exploration: 1, integration: 2 } },
  });
  expect(programRes.status(), await programRes.text()).toBe(201);
  const program = (await programRes.json()) as { id: string; name: string };

  // a new client of that clinic chooses the program and Pay later
  await signUp(page, clinicName);
  await page.goto(`/clinics/${clinic.id}`);
  await expect(page.getByRole('heading', { level: 1, name: clinicName })).toBeVisible();
  await page.getByRole('link', { name: 'Choose this program' }).click();
  await expect(page.getByRole('heading', { level: 1, name: program.name })).toBeVisible();
  const payLater = page.getByRole('radio', { name: 'Pay later' });
  await expect(payLater).toBeEnabled();
  await payLater.check();
  const answer = page.waitForResponse((r) => r.url().endsWith('/v1/packages') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Continue to payment' }).click();

  // the API's own answer: 422, rule bnpl_unavailable
  const res = await answer;
  expect(res.status()).toBe(422);
  expect(((await res.json()) as { error: { code: string; rule: string } }).error).toMatchObject({
    code: 'rule_violated',
    rule: 'bnpl_unavailable',
  });
  const refused = page.getByRole('alert');
  await expect(refused).toContainText('The purchase could not start');
  await expect(refused).toContainText(
    'Paying later through a pay-later service is not offered for this clinic’s country and currency. Please pay in full or in installments.',
  );
  // the page stays: pay later is disabled with its reason, pay in full is chosen again
  await expect(payLater).toBeDisabled();
  await expect(payLater).toHaveAccessibleDescription('Not offered for this clinic’s country and currency.');
  await expect(page.getByRole('radio', { name: /Pay in full: \$[\d,]+\.\d\d/ })).toBeChecked();
  await expect(page).toHaveURL(new RegExp(`/clinics/${clinic.id}/programs/${program.id}$`));
  await look('buy-bnpl-refused');

  // paying in full goes on to Checkout
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await expect(page.getByRole('heading', { name: 'Offline checkout' })).toBeVisible();
});
