// A cancel dialog that said "free" while the cancellation window closed meanwhile: the dialogs send
// `expectedLate: false` with the terms they showed; the API, whose clock has crossed the window by
// then, refuses with 409 and changes nothing; the dialog shows the late terms (the fee) instead of
// cancelling, and a second confirmation cancels late with the fee on the invoice. For the client's
// dialog on My care and the front desk's on the day's appointment panel. Each session is the first
// open one just outside the window by the browser's clock (real time), so the dialog says free.
//
// It MOVES THE DEV CLOCK (POST /v1/dev/clock: every service's "now"), so it runs in a project of
// its own after every other test (playwright.config.ts, MOVES_THE_CLOCK), one test after the other,
// and sets the clock back. The browser's clock is never moved: only the server's passes the mark.
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, storeToken, test } from './fixtures.ts';
import { CLINIC, dayListRows, localDate, newClient, nyDate, setClock, signInAsStaff, staffHeaders } from './staff-api.ts';

test.describe.configure({ mode: 'serial' });

interface Booked {
  id: string;
  startsAt: string;
  invoiceId: string;
}

interface Invoice {
  lines: { service: string; description: string; amount: { amount: number }; voided: boolean }[];
}

test.afterAll(async ({ request }) => {
  await setClock(request, null);
});

/** The clinic's cancellation window and late fee (its policy, as the dialogs read it). */
async function policy(request: APIRequestContext) {
  const res = await request.get(`/v1/clinics/${CLINIC}`);
  expect(res.ok()).toBe(true);
  const { cancellationWindowHours, lateCancellationFee } = (
    (await res.json()) as {
      policy: { cancellationWindowHours: number; lateCancellationFee: { amount: number } };
    }
  ).policy;
  return { windowMs: cancellationWindowHours * 3_600_000, fee: lateCancellationFee.amount };
}

/**
 * A self-pay intake for the client at the first open time more than the window (and half an hour)
 * away by real time: free to cancel now, late once the server's clock moves on.
 */
async function bookJustOutsideTheWindow(request: APIRequestContext, headers: Record<string, string>, clientId: string, windowMs: number) {
  const open = await request.get(`/v1/clinics/${CLINIC}/availability`, {
    headers,
    params: { service: 'intake', mode: 'in_person', from: nyDate(1), to: nyDate(10) },
  });
  expect(open.ok(), await open.text()).toBe(true);
  const earliest = Date.now() + windowMs + 30 * 60_000;
  const slots = ((await open.json()) as { slots: { startsAt: string; providerId: string }[] }).slots
    .filter((s) => Date.parse(s.startsAt) > earliest)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  for (const slot of slots.slice(0, 6)) {
    const res = await request.post('/v1/appointments', {
      headers: { ...headers, 'idempotency-key': randomUUID() },
      data: { clientId, clinicId: CLINIC, service: 'intake', providerId: slot.providerId, startsAt: slot.startsAt, mode: 'in_person' },
    });
    if (res.status() === 409) continue;
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as Booked;
  }
  throw new Error('no open intake time just outside the cancellation window');
}

/**
 * A new client's self-pay intake just outside the cancellation window, booked by the front desk,
 * and the bodies of the cancel requests the page then sends for it.
 */
async function lateNowCase(page: Page, request: APIRequestContext, firstName: string) {
  const desk = await staffHeaders(request, 'frontdesk');
  const { windowMs, fee } = await policy(request);
  const clientId = await newClient(request, desk, { firstName, lastName: 'Latenow' });
  const booked = await bookJustOutsideTheWindow(request, desk, clientId, windowMs);
  const cancels: unknown[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.url().endsWith(`/v1/appointments/${booked.id}/cancel`)) cancels.push(req.postDataJSON());
  });
  return { desk, windowMs, fee, clientId, booked, cancels };
}

/** The server's clock an hour inside the window of the session (the browser's is not moved). */
const windowClosesOnTheServer = (request: APIRequestContext, booked: Booked, windowMs: number) =>
  setClock(request, new Date(Date.parse(booked.startsAt) - windowMs + 3_600_000).toISOString());

/** The session's invoice: its late-cancellation fee line (not voided), and the session line voided. */
async function expectFeeOnInvoice(request: APIRequestContext, headers: Record<string, string>, booked: Booked, fee: number) {
  const res = await request.get(`/v1/invoices/${booked.invoiceId}`, { headers });
  expect(res.ok(), await res.text()).toBe(true);
  const { lines } = (await res.json()) as Invoice;
  expect(lines.filter((l) => !l.voided).map((l) => [l.service, l.amount.amount])).toEqual([['late_cancellation', fee]]);
  expect(lines.find((l) => l.service === 'intake')?.voided).toBe(true);
}

/** A local client token in the tab's storage, as the sign-in page keeps it. */
async function signInAsClient(page: Page, request: APIRequestContext, clientId: string) {
  const res = await request.post('/v1/dev/token', { data: { role: 'client', clientId, sub: `e2e-${clientId}` } });
  expect(res.ok()).toBe(true);
  await storeToken(page, ((await res.json()) as { token: string }).token);
}

test('the client’s cancel dialog said free, the window closed meanwhile: the late terms shown, not cancelled; confirmed, cancelled late with the fee', async ({
  page,
  request,
  look,
}) => {
  const { desk, windowMs, fee, clientId, booked, cancels } = await lateNowCase(page, request, 'Lena');

  try {
    await signInAsClient(page, request, clientId);
    await page.goto('/care');
    await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();
    const upcoming = page.locator('section', { has: page.getByRole('heading', { name: 'Upcoming' }) });
    await upcoming.getByRole('button', { name: 'Cancel…' }).click();
    const dialog = upcoming.getByRole('group', { name: 'Cancel this session?' });
    await expect(dialog).toContainText('Cancelling is free: the session is more than 48 hours away.');
    await look('late-now-client-free');

    // the page stays open across the mark: by the server's clock the cancel is late now
    await windowClosesOnTheServer(request, booked, windowMs);
    await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
    const refused = dialog.getByRole('alert').filter({ hasText: 'The session was not cancelled' });
    await expect(refused).toContainText('The cancellation is late now');
    await expect(refused).toBeFocused();
    await expect(dialog).toContainText(
      'This is a late cancellation (less than 48 hours before the start): a fee of $100.00 will be charged',
    );
    await expect(dialog).not.toContainText('Cancelling is free');
    const accept = dialog.getByRole('button', { name: 'Cancel and accept the fee' });
    await expect(accept).toBeVisible();
    await look('late-now-client-late-terms');
    // nothing was cancelled: still booked, nothing charged yet
    const still = await request.get(`/v1/appointments/${booked.id}`, { headers: desk });
    expect(((await still.json()) as { status: string }).status).toBe('booked');
    expect(cancels).toEqual([{ expectedLate: false }]);

    await accept.click();
    const done = page.getByRole('status').filter({ hasText: 'cancelled' });
    await expect(done).toContainText('It was a late cancellation: the fee of $100.00 is on your invoice.');
    await expect(upcoming.locator('.appointment')).toHaveCount(0);
    const past = page.locator('section', { has: page.getByRole('heading', { name: 'Past and cancelled' }) });
    await expect(past).toContainText('Late cancellation');
    await look('late-now-client-cancelled');
    expect(cancels).toEqual([{ expectedLate: false }, { expectedLate: true }]);

    await expectFeeOnInvoice(request, desk, booked, fee);
    await page.goto(`/invoices/${booked.invoiceId}`);
    await expect(page.getByRole('row', { name: /Late cancellation fee/ })).toContainText('$100.00');
    await expect(page.getByRole('row', { name: /Intake assessment \(cancelled, not charged\)/ })).toBeVisible();
    await look('late-now-client-invoice');
  } finally {
    await setClock(request, null);
  }
});

test('the front desk’s cancel form said free, the window closed meanwhile: the late terms shown, not cancelled; confirmed, the fee charged', async ({
  page,
  request,
  look,
}) => {
  const { desk, windowMs, fee, booked, cancels } = await lateNowCase(page, request, 'Mattias');

  try {
    await signInAsStaff(page, 'frontdesk');
    await (await dayListRows(page, localDate(booked.startsAt), 'Mattias Latenow')).click();
    const panel = page.getByRole('dialog', { name: 'Mattias Latenow' });
    await panel.getByRole('button', { name: 'Cancel appointment…' }).click();
    const form = panel.getByRole('group', { name: 'Cancel this appointment?' });
    await expect(form).toBeVisible();
    await expect(form.getByLabel('Waive the fee')).toHaveCount(0); // free: nothing to waive
    await expect(form.getByRole('button', { name: 'Cancel appointment' })).toBeVisible();

    await windowClosesOnTheServer(request, booked, windowMs);
    await form.getByRole('button', { name: 'Cancel appointment' }).click();
    await expect(panel.locator('.appt-refusal')).toContainText('The cancellation is late now');
    await expect(form.getByText('A late-cancellation fee of $100.00 will be charged')).toBeVisible();
    await expect(form.getByLabel('Waive the fee')).not.toBeChecked();
    const charge = form.getByRole('button', { name: 'Cancel and charge the fee' });
    await expect(charge).toBeVisible();
    await look('late-now-staff-late-terms');
    const still = await request.get(`/v1/appointments/${booked.id}`, { headers: desk });
    expect(((await still.json()) as { status: string }).status).toBe('booked');

    await charge.click();
    await expect(
      panel.getByRole('status').filter({ hasText: 'Cancelled. It was a late cancellation: a fee of $100.00 is charged to the client.' }),
    ).toBeVisible();
    await expect(panel.getByRole('definition').filter({ hasText: 'Cancelled' })).toContainText('Late cancellation');
    await look('late-now-staff-cancelled');
    expect(cancels).toEqual([{ expectedLate: false }, { expectedLate: true }]);
    await expectFeeOnInvoice(request, desk, booked, fee);
  } finally {
    await setClock(request, null);
  }
});
