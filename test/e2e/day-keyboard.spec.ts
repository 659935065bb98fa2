// The day's grid by keyboard: an appointment shows in its practitioner's column and in its room's,
// but is one Tab stop, and Tab goes through the day's appointments in time order (not column by
// column); past the last, out of the grid, and Shift+Tab from there back to the last. A client with
// a 1 PM intake with Avery Stone (the first column) and a 10 AM video session with Jordan Reyes (the
// third): by column the intake would come first. Other specs may book the same day: the order
// expected is the schedule's, as the API lists it, sorted as the page sorts it.
import { expect, test } from './fixtures.ts';
import { CLINIC, newClient, nyDate, signInAsStaff, staffHeaders } from './staff-api.ts';

interface Listed {
  id: string;
  startsAt: string;
  endsAt: string;
  status: string;
}

test('each appointment is one Tab stop in the grid, in time order', async ({ page, request }) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Tab', lastName: `Order${Date.now().toString(36)}` });
  // a weekday ten weeks ahead, past the weeks other specs book into
  let day = nyDate(70);
  for (let i = 71; [0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay()); i++) day = nyDate(i);
  const book = async (service: string, mode: string, providerId: string, wall: string) => {
    const open = await request.get(`/v1/clinics/${CLINIC}/availability`, {
      headers,
      params: { service, mode, providerId, from: day, to: day },
    });
    const { slots } = (await open.json()) as { slots: { startsAt: string }[] };
    const slot = slots.find((s) => s.startsAt.slice(11, 16) >= wall);
    expect(slot, `a ${service} from ${wall} on ${day}`).toBeDefined();
    const res = await request.post('/v1/appointments', {
      headers,
      data: { clientId, clinicId: CLINIC, service, providerId, startsAt: slot!.startsAt, mode },
    });
    expect(res.status(), await res.text()).toBe(201);
  };
  await book('intake', 'in_person', 'demo-nyc-ther-1', '13:00');
  await book('preparation', 'telehealth', 'demo-nyc-ther-2', '10:00');

  await signInAsStaff(page, 'frontdesk');
  await page.goto(`/staff/day?date=${day}`);
  const grid = page.getByRole('region', { name: /^The day by provider and room/ });
  await expect(grid.getByRole('button', { name: /Tab Order/ })).toHaveCount(3); // the intake twice (its room too), the video once

  // the order the page shows: the schedule's, by start, then end, then id (day-layout.ts)
  const schedule = await request.get(`/v1/clinics/${CLINIC}/schedule`, { headers, params: { date: day } });
  const listed = ((await schedule.json()) as { appointments: Listed[] }).appointments
    .filter((a) => a.status !== 'cancelled')
    .sort((x, y) => x.startsAt.localeCompare(y.startsAt) || x.endsAt.localeCompare(y.endsAt) || x.id.localeCompare(y.id))
    .map((a) => a.id);

  await grid.focus();
  const focused = () => page.locator(':focus').getAttribute('data-appointment');
  const seen: (string | null)[] = [];
  for (let i = 0; i < listed.length; i++) {
    await page.keyboard.press('Tab');
    seen.push(await focused());
  }
  expect(seen).toEqual(listed);
  // each from its practitioner's column, once
  await expect(page.locator(':focus')).toHaveAttribute('data-primary');
  // past the last: out of the grid; Shift+Tab comes back to the last
  await page.keyboard.press('Tab');
  await expect(grid.locator(':focus')).toHaveCount(0);
  await expect(grid).not.toBeFocused();
  await page.keyboard.press('Shift+Tab');
  expect(await focused()).toBe(listed.at(-1));
  // and back through them to the grid itself
  for (let i = listed.length - 2; i >= 0; i--) {
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe(listed[i]);
  }
  await page.keyboard.press('Shift+Tab');
  await expect(grid).toBeFocused();
  // Enter opens the one focused
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
});
