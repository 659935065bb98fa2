// A practitioner's time off (pages/staff/time-off.tsx, the day view's bands): the front desk enters
// time off over a session booked through the API — the form's own checks first (a practitioner, a
// quarter hour), then the answer's session still booked in it, with its move page and its day —
// sees the band on the day with the session inside it, and removes the time off after a
// confirmation; a client is offered no time in it meanwhile, and is again afterwards. A clinician
// reads time off and is offered nothing to change.
//
// Time off binds everyone (docs/domain.md, "Time off"), so each test takes a practitioner and a
// day of its own, weeks past the ones other specs book into (day-keyboard.spec's ten weeks too).
import { expect, test } from './fixtures.ts';
import { bearer, CLINIC, longDay, newClient, nyDate, nyOffset, selfPayBooking, signInAsStaff, staffToken, type Slot } from './staff-api.ts';

/** A weekday (clinic-local) `days` ahead, or the next one. */
function weekdayFrom(days: number): string {
  for (let d = days; ; d++) {
    const day = nyDate(d);
    if (![0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) return day;
  }
}

/** How many days ahead a clinic-local date is (nyDate's argument). */
function daysFromToday(day: string): number {
  for (let d = 0; ; d++) if (nyDate(d) === day) return d;
}

const wall = (iso: string) => iso.slice(11, 16); // the clinic's wall clock (the API answers in its offset)

test('the front desk enters time off over a booked session, is told to move it, sees it on the day, removes it @phone', async ({
  page,
  request,
  look,
}, info) => {
  const phone = info.project.name === 'phone';
  // a practitioner and a day for each project: the two run side by side
  const who = phone ? { id: 'demo-nyc-ther-2', name: 'Jordan Reyes' } : { id: 'demo-nyc-ther-1', name: 'Avery Stone' };
  const day = weekdayFrom(phone ? 84 : 77);
  const headers = bearer(await staffToken(request, 'frontdesk'));
  const clientId = await newClient(request, headers, { firstName: 'Held', lastName: `Away${Date.now().toString(36)}` });
  const openTimes = async (token: Record<string, string>) => {
    const res = await request.get(`/v1/clinics/${CLINIC}/availability`, {
      headers: token,
      params: { service: 'intake', mode: 'in_person', providerId: who.id, from: day, to: day },
    });
    expect(res.ok(), await res.text()).toBe(true);
    return ((await res.json()) as { slots: Slot[] }).slots.map((s) => wall(s.startsAt));
  };
  const start = (await openTimes(headers)).find((t) => t >= '10:00' && t <= '12:00');
  expect(start, `an open intake from 10 AM on ${day}`).toBeDefined();
  const booked = await request.post('/v1/appointments', {
    headers,
    data: {
      clientId,
      clinicId: CLINIC,
      service: 'intake',
      providerId: who.id,
      startsAt: `${day}T${start}:00${nyOffset(day)}`,
      mode: 'in_person',
    },
  });
  expect(booked.status(), await booked.text()).toBe(201);
  const session = (await booked.json()) as { id: string };

  // the day links the page (the header too)
  await signInAsStaff(page, 'frontdesk', undefined, /\/staff\/day/);
  await page.getByRole('link', { name: 'Time off…' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Time off' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Time off' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page.getByText(/Times are in New York time \(Eastern (Standard|Daylight) Time/)).toBeVisible();
  await look('time-off');

  // sent empty: each field says what it needs, focus on the first, nothing sent
  const form = page.getByRole('form', { name: 'Add time off' });
  await form.getByRole('button', { name: 'Add time off' }).click();
  await expect(form.getByText('Choose the practitioner.')).toBeVisible();
  await expect(form.getByText('Enter the day and time the time off starts.')).toBeVisible();
  await expect(form.getByLabel('Practitioner')).toBeFocused();

  await form.getByLabel('Practitioner').selectOption({ label: who.name });
  await form.getByLabel('From date').fill(day);
  await expect(form.getByLabel('To date')).toHaveValue(day); // the last day follows the first
  await form.getByLabel('From time').fill('09:10');
  await form.getByLabel('To time').fill('14:00');
  await form.getByLabel('Label', { exact: true }).fill('Conference');
  await form.getByRole('button', { name: 'Add time off' }).click();
  await expect(form.getByText('Use a quarter hour: :00, :15, :30 or :45.')).toBeVisible();
  // the time alone is to correct: it takes focus, the date is not marked
  await expect(form.getByLabel('From time')).toBeFocused();
  await expect(form.getByLabel('From date')).not.toHaveAttribute('aria-invalid');
  await look('time-off-refused');

  await form.getByLabel('From time').fill('09:00');
  await form.getByRole('button', { name: 'Add time off' }).click();
  const added = page.getByRole('status').filter({ hasText: 'Time off added' });
  await expect(added).toContainText(`${who.name}:`);
  await expect(added).toBeFocused();
  // the session booked in it stays booked: the desk is told to move or cancel it
  const held = page.getByRole('group', { name: 'These sessions are still booked in this time off: move or cancel each' });
  await expect(held.getByRole('listitem')).toHaveCount(1);
  await expect(held.getByRole('link', { name: /^Move/ })).toHaveAttribute('href', `/staff/appointments/${session.id}/reschedule`);
  const dayLink = held.getByRole('link', { name: /^Day view/ });
  await expect(dayLink).toHaveAttribute('href', `/staff/day?date=${day}`);
  // listed: the page shows the period it starts in
  await expect(page).toHaveURL(new RegExp(`/staff/time-off\\?from=${day}$`));
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: who.name }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/9:00\sAM – 2:00\sPM/);
  await expect(row).toContainText('Conference');
  await look('time-off-added');

  // nobody is offered a time in it, a client included; the session's own time stays taken
  const clientToken = await request.post('/v1/dev/token', { data: { role: 'client', clientId } });
  const client = bearer(((await clientToken.json()) as { token: string }).token);
  expect((await openTimes(client)).filter((t) => t < '14:00')).toEqual([]);

  // the day: a band in the practitioner's column, the session inside it, badged
  await dayLink.click();
  await expect(page.getByRole('heading', { level: 2, name: longDay(day) })).toBeVisible();
  const grid = page.getByRole('region', { name: /^The day by provider and room/ });
  const column = grid.getByRole('group', { name: new RegExp(`^${who.name}`) });
  await expect(grid.locator('.day-head', { hasText: who.name })).toContainText(/Time off 9:00\sAM – 2:00\sPM · Conference/);
  const card = column.locator(`[data-appointment="${session.id}"]`);
  await expect(card).toContainText('In time off');
  const band = column.locator('.day-off');
  await expect(band).toContainText('Conference');
  const b = (await band.boundingBox())!;
  const c = (await card.boundingBox())!;
  expect(c.y).toBeGreaterThanOrEqual(b.y);
  expect(c.y + c.height).toBeLessThanOrEqual(b.y + b.height);
  // a strip of the band shows beside the session
  expect(c.x + c.width).toBeLessThan(b.x + b.width - 10);
  // the grid opens at the band's start, so its label (at its top) shows, the session below it
  const g = (await grid.boundingBox())!;
  expect(b.y).toBeGreaterThan(g.y);
  expect(b.y).toBeLessThan(g.y + g.height / 2);
  await card.scrollIntoViewIfNeeded(); // on a phone, the practitioner's column

  await look('time-off-day');
  // the List view says it in words
  await page.getByRole('button', { name: 'List' }).click();
  await expect(page.locator('.day-off-note')).toContainText(new RegExp(`${who.name}, 9:00\\sAM – 2:00\\sPM \\(Conference\\)`));
  await expect(page.getByRole('list', { name: 'Appointments in time order' }).getByRole('button', { name: /Held Away/ })).toContainText(
    'In time off',
  );

  // back to the list: Remove asks first
  await page.goBack();
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: /^Remove/ }).click();
  const confirm = page.getByRole('group', { name: new RegExp(`^Remove ${who.name}’s time off`) });
  await expect(confirm).toBeFocused();
  await look('time-off-remove');
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  await expect(confirm).toHaveCount(0);
  await row.getByRole('button', { name: /^Remove/ }).click();
  await confirm.getByRole('button', { name: 'Yes, remove it' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'was removed' })).toBeFocused();
  await expect(row).toHaveCount(0);
  // bookable again: a client is offered times in it
  expect((await openTimes(client)).filter((t) => t < '14:00').length).toBeGreaterThan(0);
});

test('a clinician reads time off, and is offered nothing to change', async ({ page, request, look }) => {
  const headers = bearer(await staffToken(request, 'frontdesk'));
  const day = weekdayFrom(85);
  const offset = nyOffset(day);
  const res = await request.post(`/v1/clinics/${CLINIC}/providers/demo-nyc-presc-1/time-off`, {
    headers,
    data: { startsAt: `${day}T00:00:00${offset}`, endsAt: `${day}T12:00:00${offset}`, label: 'Training' },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { timeOff } = (await res.json()) as { timeOff: { id: string } };
  try {
    await signInAsStaff(page, 'clinician');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Time off' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Time off' })).toBeVisible();
    await page.getByRole('button', { name: 'Next 31 days' }).click();
    await page.getByRole('button', { name: 'Next 31 days' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Dr. Morgan Lee' }) });
    await expect(row).toContainText('Training');
    await expect(page.getByText('Time off is entered by the front desk or an administrator.')).toBeVisible();
    await expect(page.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
    await expect(page.getByRole('form', { name: 'Add time off' })).toHaveCount(0);
    await look('time-off-clinician');
  } finally {
    await request.post(`/v1/clinics/${CLINIC}/time-off/${timeOff.id}/remove`, { headers, data: {} });
  }
});

test('the clinic closes for a day: one entry for the whole clinic, nobody bookable, a band in every column', async ({
  page,
  request,
  look,
}) => {
  const headers = bearer(await staffToken(request, 'frontdesk'));
  // past the 31-day lists of the other tests' days (from 77 and 84 days ahead)
  const day = weekdayFrom(120);
  const next = new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const providers = (await (await request.get(`/v1/clinics/${CLINIC}/providers`)).json()) as { id: string; name: string }[];
  const listed = async () => {
    const res = await request.get(`/v1/clinics/${CLINIC}/time-off`, { headers, params: { from: day, to: day } });
    expect(res.ok(), await res.text()).toBe(true);
    return ((await res.json()) as { timeOff: { id: string; providerId: string | null; label: string | null }[] }).timeOff.filter(
      (t) => t.label === 'Clinic closed',
    );
  };
  // a session booked that day before the clinic closes: held, and the day's grid drawn
  const clientId = await newClient(request, headers, { firstName: 'Held', lastName: `Closed${Date.now().toString(36)}` });
  const session = await selfPayBooking(request, headers, clientId, {
    service: 'preparation',
    mode: 'telehealth',
    providerId: 'demo-nyc-ther-2',
    fromDays: daysFromToday(day),
    toDays: daysFromToday(day),
  });
  try {
    await signInAsStaff(page, 'frontdesk');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Time off' }).click();
    const form = page.getByRole('form', { name: 'Add time off' });
    await form.getByLabel('Practitioner').selectOption({ label: 'The whole clinic (closed: every practitioner)' });
    await form.getByLabel('From date').fill(day);
    await form.getByLabel('From time').fill('00:00');
    await form.getByLabel('To date').fill(next);
    await form.getByLabel('To time').fill('00:00');
    await form.getByLabel('Label', { exact: true }).fill('Clinic closed');
    await form.getByRole('button', { name: 'Add time off' }).click();
    const added = page.getByRole('status').filter({ hasText: 'Time off added' });
    await expect(added).toContainText('The whole clinic (closed):');
    const held = page.getByRole('group', { name: 'These sessions are still booked in this time off: move or cancel each' });
    await expect(held.getByRole('listitem')).toContainText(['with Jordan Reyes']);
    await look('time-off-closed');
    // one entry, of no practitioner, and no open time with anyone that day
    expect((await listed()).map((t) => t.providerId)).toEqual([null]);
    const open = await request.get(`/v1/clinics/${CLINIC}/availability`, {
      headers,
      params: { service: 'preparation', mode: 'telehealth', from: day, to: day },
    });
    expect(((await open.json()) as { slots: Slot[] }).slots).toEqual([]);

    // the day: the closure's band in every practitioner's column, and said in words in the list
    await page.goto(`/staff/day?date=${day}`);
    await page.getByRole('button', { name: 'Grid' }).click();
    const grid = page.getByRole('region', { name: /^The day by provider and room/ });
    for (const p of providers) {
      await expect(grid.getByRole('group', { name: new RegExp(`^${p.name}`) }).locator('.day-off')).toContainText('Clinic closed');
    }
    await expect(grid.locator(`[data-appointment="${session.id}"]`).first()).toContainText('In time off');
    await look('time-off-closed-day');
    await page.getByRole('button', { name: 'List' }).click();
    await expect(page.locator('.day-off-note')).toContainText('The whole clinic (closed), all day (Clinic closed)');
  } finally {
    for (const t of await listed()) await request.post(`/v1/clinics/${CLINIC}/time-off/${t.id}/remove`, { headers, data: {} });
    await request.post(`/v1/appointments/${session.id}/cancel`, { headers, data: {} });
  }
});
