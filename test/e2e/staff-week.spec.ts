// A practitioner's week on the staff side (pages/staff/week.tsx): a practitioner of the test's own
// with three sessions booked through the API in one week eight weeks ahead — one on Monday, two
// overlapping on Wednesday — and time off on Friday. The front desk opens the week from the day
// view and finds each card on its day at its time (the overlapping two side by side), the time off
// band on Friday, a card's link to its day, and the week before and after. The API never books one
// practitioner twice at a time, so Wednesday's first session is cancelled before the second is
// booked over it: the two overlap once "Show cancelled" is ticked. A phone gets a list by day.
//
// Each project makes a practitioner and clients of its own (the two run side by side), and the
// address never holds a client or a kind of session.
import { expect, expectNoServiceWordInAddress, test } from './fixtures.ts';
import { bearer, CLINIC, longDay, newClient, newPractitioner, nyDate, nyOffset, signInAsStaff, staffToken } from './staff-api.ts';

/** The clinic-local Monday `days` ahead, or the next one. */
function mondayFrom(days: number): string {
  for (let d = days; ; d++) {
    const day = nyDate(d);
    if (new Date(`${day}T12:00:00Z`).getUTCDay() === 1) return day;
  }
}

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** "Mon, Jan 25": a day's heading on the week. */
const shortDay = (day: string) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' });

test('a practitioner’s week: each session on its day and time, time off on Friday, a card leads to its day @phone', async ({
  page,
  request,
  look,
}, info) => {
  const phone = info.project.name === 'phone';
  const stamp = `${Date.now().toString(36)}${phone ? 'p' : 'd'}`;
  const headers = bearer(await staffToken(request, 'frontdesk'));
  const admin = bearer(await staffToken(request, 'admin', undefined));
  const name = `Week Tester ${stamp}`;
  const providerId = await newPractitioner(request, admin, name);
  const first = { firstName: 'Wendy', lastName: `Monday${stamp}` };
  const second = { firstName: 'Walter', lastName: `Overlap${stamp}` };
  const [a, b] = [await newClient(request, headers, first), await newClient(request, headers, second)];
  const monday = mondayFrom(56);
  const [wednesday, friday] = [addDays(monday, 2), addDays(monday, 4)];
  const at = (day: string, time: string) => `${day}T${time}:00${nyOffset(day)}`;
  const book = async (clientId: string, service: string, startsAt: string) => {
    const res = await request.post('/v1/appointments', {
      headers,
      data: { clientId, clinicId: CLINIC, service, providerId, startsAt, mode: 'telehealth' },
    });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const ids: string[] = [];
  ids.push(await book(a, 'intake', at(monday, '10:00')));
  const cancelledId = await book(a, 'preparation', at(wednesday, '10:00'));
  const cancelled = await request.post(`/v1/appointments/${cancelledId}/cancel`, { headers, data: {} });
  expect(cancelled.ok(), await cancelled.text()).toBe(true);
  ids.push(await book(b, 'intake', at(wednesday, '10:30')));
  // booked before Friday's time off is added over it: the card says "In time off" too
  ids.push(await book(b, 'preparation', at(friday, '14:00')));
  const off = await request.post(`/v1/clinics/${CLINIC}/providers/${providerId}/time-off`, {
    headers,
    data: { startsAt: at(friday, '13:00'), endsAt: at(friday, '17:00'), label: 'Training' },
  });
  expect(off.status(), await off.text()).toBe(201);
  const timeOffId = ((await off.json()) as { timeOff: { id: string } }).timeOff.id;

  try {
    await signInAsStaff(page, 'frontdesk', undefined, /\/staff\/day/);
    await page.getByRole('link', { name: 'A practitioner’s week…' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Week' })).toBeVisible();
    await page.getByLabel('Practitioner').selectOption({ label: name });
    await page.getByLabel('Date', { exact: true }).fill(wednesday);
    await expect(page).toHaveURL(new RegExp(`/staff/week\\?date=${monday}&provider=${providerId}$`));
    await expect(page.getByRole('heading', { level: 2 })).toContainText(`${name}: ${shortDay(monday)} – ${shortDay(addDays(monday, 6))}`);
    await expect(page.getByText(/^Hudson Wellness \(demo\)\. Times are in New York time \(Eastern/)).toBeVisible();
    // the address: a date and an id, never a client or a kind of session
    await expectNoServiceWordInAddress(page);
    expect(page.url()).not.toMatch(/Wendy|Walter|Monday|Overlap/);

    const day = (date: string) => page.getByRole('group', { name: shortDay(date), exact: true });
    const session = (date: string, time: string, who: { firstName: string; lastName: string }, kind: string) =>
      day(date).getByRole('link', { name: new RegExp(`^${time}.*${who.firstName} ${who.lastName}.*${kind}`) });
    const mon = session(monday, '10:00\\sAM – 11:00\\sAM', first, 'Intake assessment');
    const wed = session(wednesday, '10:30\\sAM – 11:30\\sAM', second, 'Intake assessment');
    const wedCancelled = session(wednesday, '10:00\\sAM – 11:00\\sAM', first, 'Preparation session');
    await expect(mon).toBeVisible();
    await expect(wed).toBeVisible();
    await expect(wedCancelled).toHaveCount(0);
    // Friday: the time off, said under the day's heading (and drawn as a band on the grid)
    await expect(day(friday)).toContainText(/Time off · Training 1:00\sPM – 5:00\sPM/);
    const fri = session(friday, '2:00\\sPM – 3:00\\sPM', second, 'Preparation session');
    await expect(fri).toContainText('In time off');
    for (const date of [addDays(monday, 1), addDays(monday, 3), addDays(monday, 5), addDays(monday, 6)]) {
      await expect(day(date).getByRole('link')).toHaveCount(0);
    }

    await page.getByLabel('Show cancelled (1)').check();
    await expect(wedCancelled).toBeVisible();
    await expect(wedCancelled).toContainText('Cancelled');

    if (!phone) {
      // on the grid: each card at its time on the axis, the overlapping two side by side, the band on Friday's afternoon
      const grid = page.getByRole('region', { name: `${name}’s week by day` });
      const hourY = async (label: string) =>
        (await grid.locator('.week-axis span', { hasText: new RegExp(`^${label}$`) }).boundingBox())!.y;
      const top = async (l: typeof mon) => (await l.boundingBox())!;
      const ten = await hourY('10:00\\sAM');
      const eleven = await hourY('11:00\\sAM');
      const [monBox, wedBox, cancelledBox] = [await top(mon), await top(wed), await top(wedCancelled)];
      expect(Math.abs(monBox.y - ten)).toBeLessThan(6);
      expect(Math.abs(cancelledBox.y - ten)).toBeLessThan(6);
      expect(Math.abs(wedBox.y - (ten + eleven) / 2)).toBeLessThan(6);
      expect(wedBox.x).toBeGreaterThanOrEqual(cancelledBox.x + cancelledBox.width - 1);
      // an hour's card shows its status and flags inside it (the card clips what overflows) and
      // stays within its hour: the kind of session gives way before they do, even beside the strip
      // of a time off band with three badges; on a card beside another (half as wide) they still
      // fit its height (a word as wide as "Cancelled" may not fit its width)
      for (const [card, box, wide] of [
        [mon, monBox, true],
        [fri, await top(fri), true],
        [wed, wedBox, false],
        [wedCancelled, cancelledBox, false],
      ] as const) {
        expect(box.height).toBeLessThanOrEqual(eleven - ten + 1);
        const badges = card.locator('.badge');
        await expect(badges.first()).toBeVisible();
        for (const badge of await badges.all()) {
          const b = (await badge.boundingBox())!;
          if (wide) {
            expect(b.x).toBeGreaterThanOrEqual(box.x);
            expect(b.x + b.width, `${await badge.textContent()} inside its card`).toBeLessThanOrEqual(box.x + box.width);
          }
          expect(b.y).toBeGreaterThanOrEqual(box.y);
          expect(b.y + b.height, `${await badge.textContent()} inside its card`).toBeLessThanOrEqual(box.y + box.height);
        }
      }
      await expect(mon.locator('.badge')).toHaveText(['Booked', 'Unpaid']);
      await expect(fri.locator('.badge')).toHaveText(['Booked', 'In time off', 'Unpaid']);
      const band = (await day(friday).locator('.day-off').boundingBox())!;
      expect(Math.abs(band.y - (await hourY('1:00\\sPM')))).toBeLessThan(6);
      expect(Math.abs(band.y + band.height - (await hourY('5:00\\sPM')))).toBeLessThan(6);
      await expect(day(friday).locator('.day-off')).toContainText('Training');
    }
    await look('staff-week');

    // a card leads to its day
    await mon.click();
    await expect(page).toHaveURL(new RegExp(`/staff/day\\?date=${monday}$`));
    await expect(page.getByRole('heading', { level: 2, name: longDay(monday) })).toBeVisible();
    await page.goBack();
    await expect(mon).toBeVisible();

    // a day whose schedule does not answer is named; the other days are still shown
    const thursday = addDays(monday, 3);
    const failing = new RegExp(`/schedule\\?date=${thursday}$`);
    await page.route(failing, (route) => route.fulfill({ status: 503, json: { error: { code: 'unavailable', message: 'Try again' } } }));
    await page.reload();
    await expect(
      page
        .getByRole('alert')
        .or(page.getByRole('status'))
        .filter({ hasText: `${longDay(thursday)}: could not load` }),
    ).toBeVisible();
    await expect(day(thursday)).toContainText('Could not load');
    await expect(mon).toBeVisible();
    await look('staff-week-day-failed');
    await page.unroute(failing);

    // the weeks before and after
    await page.getByRole('button', { name: 'Next week' }).click();
    await expect(page).toHaveURL(new RegExp(`date=${addDays(monday, 7)}&provider=${providerId}$`));
    await expect(day(addDays(monday, 7))).toBeVisible();
    await expect(page.getByRole('group', { name: shortDay(monday), exact: true })).toHaveCount(0);
    await page.getByRole('button', { name: 'Previous week' }).click();
    await page.getByRole('button', { name: 'Previous week' }).click();
    await expect(page).toHaveURL(new RegExp(`date=${addDays(monday, -7)}&provider=${providerId}$`));
    await expect(day(addDays(monday, -7))).toBeVisible();
    await page.getByRole('button', { name: 'This week' }).click();
    await expect(page.getByRole('button', { name: 'This week' })).toHaveAttribute('aria-current', 'date');
  } finally {
    for (const id of ids) await request.post(`/v1/appointments/${id}/cancel`, { headers, data: {} });
    await request.post(`/v1/clinics/${CLINIC}/time-off/${timeOffId}/remove`, { headers, data: {} });
  }
});
