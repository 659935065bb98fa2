// Journey (f): a superbill for a date range. First refused in plain words (no diagnosis recorded
// yet: 422 diagnosis_required); then a clinician records the client's diagnoses, the session takes
// place (the local dev clock moves every service to after its start; the front desk checks the
// client in, the clinician completes it) and the page shows the summary and downloads the PDF.
//
// Moving the dev clock moves "now" for the whole server, so this file runs in its own project
// after every other test (playwright.config.ts, MOVES_THE_CLOCK), and sets the clock back.
import { readFileSync } from 'node:fs';
import { bookFirstTime, expect, signUp, test } from './fixtures.ts';
import { bearer, setClock, staffToken } from './staff-api.ts';

test('a superbill for a date range: refused in plain words, then the sessions, totals and the PDF', async ({ page, request, look }) => {
  await signUp(page);
  await bookFirstTime(page); // an intake, $175.00, not paid yet
  // the signed-in client's token (the app keeps it in sessionStorage; the test runs outside the DOM's types)
  const clientToken = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  const claims = JSON.parse(Buffer.from(clientToken.split('.')[1] ?? '', 'base64url').toString()) as Record<string, string>;
  const clientId = claims['custom:clientId'];
  const list = await request.get(`/v1/clients/${clientId}/appointments`, { headers: bearer(clientToken) });
  const [appointment] = (await list.json()) as { id: string; startsAt: string }[];
  expect(appointment).toBeDefined();
  const day = appointment!.startsAt.slice(0, 10); // the clinic-local date of the session

  // the page, from Invoices; the dates are the session's day
  await page.getByRole('link', { name: 'Invoices' }).click();
  await page.getByRole('link', { name: 'a superbill or receipt for any dates' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Superbill for your insurance' })).toBeVisible();
  await page.getByLabel('First date').fill(day);
  await page.getByLabel('Last date').fill(day);
  await page.getByRole('button', { name: 'Show my sessions' }).click();
  const refused = page.getByRole('alert');
  await expect(refused).toContainText('The superbill could not be made');
  await expect(refused).toContainText('Your clinician has not recorded the diagnosis codes this document needs yet.');
  await look('superbill-refused');

  // the clinician records the diagnoses; the session takes place (clock moved past its start)
  const clinician = await staffToken(request, 'clinician');
  const frontdesk = await staffToken(request, 'frontdesk');
  const diagnoses = await request.put(`/v1/clients/${clientId}/diagnoses`, {
    headers: bearer(clinician),
    data: { codes: ['F33.1', 'F43.10'] },
  });
  expect(diagnoses.ok(), await diagnoses.text()).toBe(true);
  const during = new Date(Date.parse(appointment!.startsAt) + 30 * 60_000).toISOString();
  try {
    await setClock(request, during);
    for (const [step, who] of [
      ['check-in', frontdesk],
      ['complete', clinician],
    ] as const) {
      const res = await request.post(`/v1/appointments/${appointment!.id}/${step}`, {
        headers: bearer(who),
        data: {},
      });
      expect(res.ok(), `${step}: ${await res.text()}`).toBe(true);
    }
  } finally {
    await setClock(request, null);
  }

  // the summary: the session with its codes, what was charged and paid, the totals; the button
  // keeps focus while the summary is read (not dropped to the page's start)
  const showSessions = page.getByRole('button', { name: 'Show my sessions' });
  await showSessions.click();
  const summary = page.locator('section', { has: page.getByRole('heading', { level: 2, name: /–/ }) });
  await expect(summary).toContainText('A. F33.1, B. F43.10');
  await expect(showSessions).not.toHaveAttribute('aria-busy');
  await expect(showSessions).toBeFocused();
  const line = summary.getByRole('row', { name: /Intake/ });
  await expect(line).toContainText(/9\d{4}/); // the CPT code
  await expect(line).toContainText(/NPI \d{10}/);
  await expect(line).toContainText('$175.00');
  await expect(summary.getByRole('row', { name: /Total/ })).toContainText('$175.00');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await look('superbill');

  // on a phone each session stacks: every column's value is on screen, labelled, without scrolling sideways
  const desktop = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  for (const label of ['Charged', 'Paid']) {
    const cell = line.locator(`td[data-label="${label}"]`);
    await expect(cell).toHaveText(/^\$\d+\.\d\d$/);
    const box = await cell.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390, `${label} cell at ${JSON.stringify(box)}`).toBe(true);
  }
  expect(await page.locator('html').evaluate((html: { scrollWidth: number }) => html.scrollWidth)).toBeLessThanOrEqual(390);
  await look('superbill-phone');
  if (desktop) await page.setViewportSize(desktop);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PDF' }).click()]);
  expect(download.suggestedFilename()).toBe(`superbill-${day}-to-${day}.pdf`);
  await expect(page.getByRole('button', { name: 'Download PDF' })).toBeFocused();
  const pdf = readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});
