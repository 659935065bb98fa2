// Past sessions on the staff side: only what the API still allows is offered (appointment-rules.ts).
// A client with two sessions on a past weekday (booked with the dev clock moved back to the evening
// before, then set back): an in-person intake never checked in and a video preparation. On the day
// of that date the intake offers no Check in, Reschedule or Cancel, says that check-in closed at the
// end of that day, and offers Record arrival and Mark no-show with the fee said first; on the chart
// the intake has no Complete (the API would refuse it: never checked in), the video session has,
// and a no-show is marked there after the same confirmation. A second test records a forgotten
// check-in (the time the client arrived) in the day's panel and on the chart, then completes.
//
// It MOVES THE DEV CLOCK (POST /v1/dev/clock), so it runs in a project of its own after every other
// test (playwright.config.ts, MOVES_THE_CLOCK), and sets the clock back. The browser's clock is
// real time: the sessions are in its past.
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { bearer, dayListRows, newClient, setClock, signInAsStaff, staffToken } from './staff-api.ts';

// its two tests each move the clock: one after the other, never side by side
test.describe.configure({ mode: 'serial' });

const CLINIC = 'demo-nyc';
const ZONE = 'America/New_York';

interface Slot {
  startsAt: string;
  endsAt: string;
  providerId: string;
}
interface Booked extends Slot {
  id: string;
}

/** A clinic-local date `days` after the date of `from` in New York. */
function nyDate(days: number, from = new Date()): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(from);
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function book(request: APIRequestContext, desk: string, clientId: string, service: string, mode: string, slots: Slot[]) {
  for (const slot of slots.slice(0, 8)) {
    const res = await request.post('/v1/appointments', {
      headers: { ...bearer(desk), 'idempotency-key': randomUUID() },
      data: { clientId, clinicId: CLINIC, service, providerId: slot.providerId, startsAt: slot.startsAt, mode },
    });
    if (res.status() === 409) continue;
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as Booked;
  }
  throw new Error(`no open ${service} time`);
}

async function openTimes(request: APIRequestContext, desk: string, service: string, mode: string, day: string): Promise<Slot[]> {
  const res = await request.get(`/v1/clinics/${CLINIC}/availability`, {
    headers: bearer(desk),
    params: { service, mode, from: day, to: day },
  });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { slots: Slot[] }).slots;
}

const signInAsFrontDesk = (page: Page) => signInAsStaff(page, 'frontdesk', undefined, /\/staff\/day$/);

test.afterAll(async ({ request }) => {
  await setClock(request, null);
});

/** The last weekday before today, in New York. */
function pastWeekday(): string {
  let day = nyDate(-1);
  while ([0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = nyDate(-1, new Date(`${day}T12:00:00Z`));
  return day;
}

/** Books on `day` as on the evening before it (the dev clock moved back, then set back to real time). */
async function bookedBefore<T>(request: APIRequestContext, day: string, booking: () => Promise<T>): Promise<T> {
  try {
    await setClock(request, `${day}T00:00:00.000Z`);
    return await booking();
  } finally {
    await setClock(request, null);
  }
}

test('a past session offers only what the API allows: no check-in after its day, a no-show said first', async ({ page, request, look }) => {
  const desk = await staffToken(request, 'frontdesk');
  const last = `Past${Date.now().toString(36)}`;
  const name = `Noor ${last}`;
  const clientId = await newClient(request, bearer(desk), { firstName: 'Noor', lastName: last });

  // a weekday before today, booked as on the evening before it
  const day = pastWeekday();
  await bookedBefore(request, day, async () => {
    const intake = await book(request, desk, clientId, 'intake', 'in_person', await openTimes(request, desk, 'intake', 'in_person', day));
    const later = (await openTimes(request, desk, 'preparation', 'telehealth', day)).filter(
      (s) => Date.parse(s.startsAt) >= Date.parse(intake.endsAt),
    );
    await book(request, desk, clientId, 'preparation', 'telehealth', later);
  });

  await signInAsFrontDesk(page);
  const rows = await dayListRows(page, day, name);
  await expect(rows).toHaveCount(2);

  // the in-person intake, never checked in: its day is over
  await rows.filter({ hasText: 'Intake assessment' }).click();
  const panel = page.getByRole('dialog', { name });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('Check-in closed at the end of');
  await expect(panel).toContainText('was never checked in. If they came, record their arrival');
  await expect(panel.getByRole('button', { name: 'Check in' })).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Record arrival…' })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Complete' })).toHaveCount(0);
  await expect(panel.getByRole('link', { name: 'Reschedule' })).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Cancel appointment…' })).toHaveCount(0);
  await look('staff-past-panel');
  // a no-show: what it costs first (a self-pay session: the clinic's fee), and going back does nothing
  await panel.getByRole('button', { name: 'Mark no-show…' }).click();
  const confirm = panel.getByRole('group', { name: 'Mark as a no-show?' });
  await expect(confirm).toContainText('missed-appointment fee of $100.00');
  await confirm.getByRole('button', { name: 'Go back' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(panel).toContainText('Booked');
  await panel.getByRole('button', { name: 'Close' }).click();

  // the video session: completes straight from booked (no check-in), or a no-show; no move or cancel
  await rows.filter({ hasText: 'Preparation session' }).click();
  await expect(panel.getByRole('button', { name: 'Complete' })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Mark no-show…' })).toBeVisible();
  await expect(panel.getByRole('link', { name: 'Reschedule' })).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Cancel appointment…' })).toHaveCount(0);
  await expect(panel).not.toContainText('Check-in closed');
  await panel.getByRole('button', { name: 'Close' }).click();

  // the chart: the same rules
  await page.goto(`/staff/clients/${clientId}`);
  const past = page.getByRole('region', { name: 'Past and cancelled sessions' });
  const intakeRow = past.getByRole('row', { name: /Intake assessment/ });
  const videoRow = past.getByRole('row', { name: /Preparation session/ });
  await expect(intakeRow).toContainText('Never checked in: check-in closed at the end of that day.');
  await expect(intakeRow.getByRole('button', { name: /^Complete/ })).toHaveCount(0);
  await expect(videoRow.getByRole('button', { name: /^Complete/ })).toBeVisible();
  await look('staff-past-chart');
  await intakeRow.getByRole('button', { name: /^Mark no-show…/ }).click();
  const chartConfirm = page.getByRole('group', { name: 'Mark as a no-show?' });
  await expect(chartConfirm).toContainText('missed-appointment fee of $100.00');
  await expect(chartConfirm.getByRole('heading', { name: 'Mark as a no-show?' })).toBeFocused();
  await look('staff-past-chart-no-show');
  await chartConfirm.getByRole('button', { name: 'Mark no-show and charge the fee' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Marked as a no-show: a missed-appointment fee of $100.00' })).toBeVisible();
  await expect(intakeRow).toContainText('No-show');
  await expect(intakeRow.getByRole('button')).toHaveCount(0);
});

test('a check-in forgotten on the day is recorded afterwards, and the session then completes', async ({ page, request, look }) => {
  const desk = await staffToken(request, 'frontdesk');
  const last = `Late${Date.now().toString(36)}`;
  const name = `Ines ${last}`;
  const clientId = await newClient(request, bearer(desk), { firstName: 'Ines', lastName: last });
  const day = pastWeekday();
  const [first, second] = await bookedBefore(request, day, async () => {
    const one = await book(
      request,
      desk,
      clientId,
      'preparation',
      'in_person',
      await openTimes(request, desk, 'preparation', 'in_person', day),
    );
    const later = (await openTimes(request, desk, 'preparation', 'in_person', day)).filter(
      (s) => Date.parse(s.startsAt) >= Date.parse(one.endsAt),
    );
    return [one, await book(request, desk, clientId, 'preparation', 'in_person', later)];
  });

  await signInAsFrontDesk(page);
  const rows = await dayListRows(page, day, name);
  await expect(rows).toHaveCount(2);
  await rows.first().click();
  const panel = page.getByRole('dialog', { name });
  await panel.getByRole('button', { name: 'Record arrival…' }).click();
  const form = panel.getByRole('group', { name: 'Record a forgotten check-in' });
  await expect(form.getByRole('heading', { name: 'Record a forgotten check-in' })).toBeFocused();
  const arrived = form.getByLabel('Arrived at');
  // the session's start by default
  await expect(arrived).toHaveValue(first.startsAt.slice(11, 16));
  // a minute after midnight is before that day's check-in opens: the API refuses, nothing changes
  await arrived.fill('00:01');
  await form.getByRole('button', { name: 'Record check-in' }).click();
  await expect(panel.getByRole('alert').filter({ hasText: 'The arrival was not recorded' })).toContainText('arrival time must be on');
  await expect(panel).toContainText('Booked');
  await look('staff-past-record-arrival');
  // ten minutes before the start
  const start = new Date(Date.parse(first.startsAt) - 10 * 60_000);
  const tenBefore = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    start,
  );
  await arrived.fill(tenBefore);
  await form.getByRole('button', { name: 'Record check-in' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Check-in recorded' })).toContainText('The session can now be completed.');
  await expect(panel).toContainText('Checked in');
  await panel.getByRole('button', { name: 'Complete' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'The session is completed.' })).toBeVisible();
  // the answer shows at once, whatever reload of the day is still on its way
  await expect(panel).toContainText('Completed');
  await expect(panel.getByRole('button', { name: 'Complete' })).toHaveCount(0);
  await look('staff-past-arrival-completed');
  await panel.getByRole('button', { name: 'Close' }).click();

  const read = await request.get(`/v1/appointments/${first.id}`, { headers: bearer(desk) });
  const recorded = (await read.json()) as { status: string; checkedInAt: string; checkInRecordedAt: string };
  expect(recorded.status).toBe('completed');
  expect(Date.parse(recorded.checkedInAt)).toBe(start.getTime());
  expect(Date.parse(recorded.checkInRecordedAt)).toBeGreaterThan(Date.parse(first.endsAt));

  // the same from the chart: the second session
  await page.goto(`/staff/clients/${clientId}`);
  const row = page
    .getByRole('region', { name: 'Past and cancelled sessions' })
    .getByRole('row', { name: new RegExp(second.startsAt.slice(0, 4)) });
  const secondRow = row.filter({ hasText: 'Booked' });
  await expect(secondRow).toContainText('Never checked in');
  await secondRow.getByRole('button', { name: /^Record arrival…/ }).click();
  const chartForm = page.getByRole('group', { name: 'Record a forgotten check-in' });
  await chartForm.getByRole('button', { name: 'Record check-in' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Check-in recorded' })).toBeVisible();
  await expect(secondRow).toHaveCount(0);
  const checkedIn = page.getByRole('region', { name: 'Past and cancelled sessions' }).getByRole('row', { name: /Checked in/ });
  await expect(checkedIn.getByRole('button', { name: /^Complete/ })).toBeVisible();
});
