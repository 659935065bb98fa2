// Journey (b): book an intake in the week view, in the clinic's time zone and labelled with it;
// keyboard only; and a booking a rule refuses, explained in plain words.
import { bookFirstTime, expect, expectNoServiceWordInAddress, shownTimes, signUp, someTime, test } from './fixtures.ts';
import { CLINIC, newClient, nyDate, staffHeaders } from './staff-api.ts';

test('a new client signs up and books an intake by keyboard only, times in the clinic’s zone @phone', async ({ page, look }) => {
  await signUp(page, 'Hudson Wellness (demo)', look);
  await expect(page.getByLabel('Session')).toHaveValue('intake');
  await expect(page.getByText(/Times are in New York time \(Eastern (Standard|Daylight) Time\), the clinic’s time zone/)).toBeVisible();
  const first = await someTime(page);
  // the browser runs in Berlin, six hours ahead: the week must still show the clinic's wall clock.
  // Practitioners start between 8 and 9 in the morning (New York), which Berlin would show after
  // 2 PM: the last day with open times (past the minimum notice) opens in the morning.
  const days = page.locator('.week .day').filter({ has: page.locator('button.time') });
  const opening = (await days.last().locator('button.time').first().getAttribute('aria-label')) ?? '';
  expect(opening).toMatch(/, (8|9|10|11):(00|15|30|45) AM/);
  await look('book-week');

  // keyboard only: Tab to an open time, Enter to choose it, then "Book this time" by keyboard too
  // (parallel tests share the calendar: a time taken meanwhile is refused, so choose again)
  const booked = page.getByRole('heading', { level: 1, name: 'You are booked' });
  const taken = page.getByRole('alert').filter({ hasText: 'Someone has just taken this time' });
  for (let attempt = 0; attempt < 4 && !(await booked.isVisible()); attempt++) {
    const time = attempt === 0 ? first : await someTime(page);
    await page.locator('#week-heading').focus();
    let guard = 0;
    while (!(await time.evaluate((el) => el === el.ownerDocument.activeElement)) && guard++ < 120) await page.keyboard.press('Tab');
    await expect(time).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(time).toHaveAttribute('aria-pressed', 'true');
    const book = page.getByRole('button', { name: 'Book this time' });
    while (!(await book.evaluate((el) => el === el.ownerDocument.activeElement)) && guard++ < 240) await page.keyboard.press('Tab');
    await expect(book).toBeFocused();
    if (attempt === 0) await look('book-chosen');
    await page.keyboard.press('Enter');
    await expect(booked.or(taken)).toBeVisible();
  }
  await expect(booked).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Intake' })).toContainText(/New York time/);
  await look('booked');
});

test('a time someone takes while it is chosen: said, the week read again without it, another time booked', async ({ page, request }) => {
  await signUp(page);
  const desk = await staffHeaders(request, 'frontdesk');
  const other = await newClient(request, desk, { firstName: 'Parallel', lastName: 'Booker' });
  // the front desk books the very time for another client just before this booking reaches the API
  await page.route(
    '**/v1/appointments',
    async (route) => {
      const chosen = route.request().postDataJSON() as Record<string, unknown>;
      const first = await request.post('/v1/appointments', { headers: desk, data: { ...chosen, clientId: other } });
      expect(first.status(), await first.text()).toBe(201);
      await route.continue();
    },
    { times: 1 },
  );
  const time = await someTime(page);
  const label = (await time.getAttribute('aria-label')) ?? '';
  await time.click();
  await page.getByRole('button', { name: 'Book this time' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Someone has just taken this time' })).toBeVisible();
  // once the week is read again, the time taken is not offered (with that practitioner) any more
  await shownTimes(page);
  await expect(page.getByRole('button', { name: label, exact: true })).toHaveCount(0);
  await bookFirstTime(page);
});

test('by video where allowed, never for a dosing session', async ({ page }) => {
  await signUp(page);
  const video = page.getByLabel('By video');
  await expect(video).toBeEnabled();
  await video.check();
  await expect(page.locator('.week button.time').first()).toBeVisible();
  await page.getByLabel('Session').selectOption('exploration');
  await expect(page.getByLabel('By video')).toBeDisabled();
  await expect(page.getByText('Exploration session is held in person only.')).toBeVisible();
});

test('by video drops a chosen practitioner who does not offer video', async ({ page }) => {
  await signUp(page, 'Lakeshore Therapy (demo)');
  const practitioner = page.getByLabel('Practitioner');
  await practitioner.selectOption({ label: 'Riley Chen, RSW' });
  await expect(page.locator('.week button.time').first()).toBeVisible();
  // while the times by video load, Riley's in-person times still on screen cannot be picked
  let letThrough!: () => void;
  const gate = new Promise<void>((resolve) => (letThrough = resolve));
  await page.route(/\/availability\?/, async (route) => {
    await gate;
    await route.continue();
  });
  await page.getByLabel('By video').check();
  await expect(page.locator('.week button.time').first()).toBeDisabled();
  // from here on every request goes through (the route stays, its gate open)
  letThrough();
  await expect(practitioner).toHaveValue('');
  // the week asks for anyone by video (not for Riley by video, who offers none): open times
  await expect(page.locator('.week button.time').first()).toBeVisible();
  await page.locator('.week button.time').first().click();
  await expect(page.getByRole('heading', { name: 'Your choice' })).toBeVisible();
  await expect(page.locator('.confirm')).toContainText('with Sam Okafor, by video');
  await expect(practitioner.locator('option')).toHaveText(['Anyone available', 'Sam Okafor, RP']);
  // back in person, every therapist is offered again
  await page.getByLabel('In person').check();
  await expect(practitioner.locator('option')).toHaveText(['Anyone available', 'Riley Chen, RSW', 'Sam Okafor, RP']);
});

test('a refused booking says which rule, in plain words', async ({ page, look }) => {
  await signUp(page);
  await bookFirstTime(page); // the intake
  await page.getByRole('button', { name: 'Book another session' }).click();
  // not a second intake without a word: the one booked is named, with the way to move it
  const already = page.getByRole('status').filter({ hasText: 'Your intake is already booked' });
  await expect(already.getByRole('link', { name: 'Reschedule' })).toBeVisible();

  await page.getByLabel('Session').selectOption('exploration');
  // said before a time is chosen: the intake is booked, the rest is still needed
  const needs = page.getByRole('status').filter({ hasText: 'Before a dosing session can be booked' });
  await expect(needs).toContainText('A medical clearance');
  await expect(needs).toContainText('2 more preparation sessions');
  await expect(needs).not.toContainText('An intake assessment');
  // after the intake: a later week
  await page.getByRole('button', { name: /Next week/ }).click();
  await page.getByRole('button', { name: /Next week/ }).click();
  await (await someTime(page)).click();
  await page.getByRole('button', { name: 'Book this time' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('This time could not be booked');
  await expect(alert).toContainText('Your medical clearance is needed before a dosing session.');
  // the refusal takes focus: it answers the button pressed, and is what to read next
  await expect(alert).toBeFocused();
  await look('book-refused');
});

test('a dosing session booked: the confirmation says someone must take the client home', async ({ page, request, look }) => {
  await signUp(page);
  const token = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  const clientId = String(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())['custom:clientId'] ?? '');
  expect(clientId).not.toBe('');

  // what a dosing session needs first, set up by the clinic: a ride-home contact, an intake and two
  // preparations in the next days (the front desk may book inside the notice), the clearance
  const desk = await staffHeaders(request, 'frontdesk');
  const clinician = await staffHeaders(request, 'clinician');
  const patched = await request.patch(`/v1/clients/${clientId}`, {
    headers: desk,
    data: { rideHome: { name: 'Casey Driver', phone: '+12125550189' } },
  });
  expect(patched.ok(), await patched.text()).toBe(true);
  let after = Date.now();
  for (const service of ['intake', 'preparation', 'preparation']) {
    const open = await request.get(`/v1/clinics/${CLINIC}/availability`, {
      headers: desk,
      params: { service, from: nyDate(0), to: nyDate(6) },
    });
    expect(open.ok(), await open.text()).toBe(true);
    const slots = ((await open.json()) as { slots: { startsAt: string; providerId: string }[] }).slots.filter(
      (s) => Date.parse(s.startsAt) >= after,
    );
    let booked: { endsAt: string } | undefined;
    for (let attempt = 0; attempt < 6 && !booked; attempt++) {
      const slot = slots[Math.floor(Math.random() * Math.min(slots.length, 8))]!;
      const res = await request.post('/v1/appointments', {
        headers: desk,
        data: { clientId, clinicId: CLINIC, service, providerId: slot.providerId, startsAt: slot.startsAt, mode: 'in_person' },
      });
      if (res.status() === 409) continue;
      expect(res.status(), await res.text()).toBe(201);
      booked = (await res.json()) as { endsAt: string };
    }
    if (!booked) throw new Error(`no open ${service} time`);
    after = Date.parse(booked.endsAt);
  }
  const cleared = await request.post(`/v1/clients/${clientId}/clearance`, {
    headers: clinician,
    data: { status: 'cleared', screenedFor: ['cardiac', 'medications'] },
  });
  expect(cleared.status(), await cleared.text()).toBe(201);

  // the client books a dosing session two weeks on, after all of them, from an older link that
  // named it in the address: the kind is kept, the address (and the tab's history) says /book only
  await page.goto('/book?service=exploration');
  await expect(page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
  await expect(page.getByLabel('Session', { exact: true })).toHaveValue('exploration');
  await expectNoServiceWordInAddress(page);
  await expect(page).toHaveURL(/\/book$/);
  await page.goBack();
  await page.goForward();
  await expect(page).toHaveURL(/\/book$/);
  await expect(page.getByLabel('Session', { exact: true })).toHaveValue('exploration');
  await expect(page.getByText('Before a dosing session can be booked')).toHaveCount(0);
  await page.getByRole('button', { name: /Next week/ }).click();
  await page.getByRole('button', { name: /Next week/ }).click();
  await bookFirstTime(page);
  await expect(page.getByRole('status').filter({ hasText: 'Booked' })).toContainText('Exploration session');
  const ride = page.getByRole('status').filter({ hasText: 'Someone must take you home' });
  await expect(ride).toContainText('You may not drive for at least 8 hours after this session');
  await look('booked-dosing');
});

test('what a dosing session needs is read again each time Book opens: a clearance recorded, a ride home removed meanwhile', async ({
  page,
  request,
  look,
}) => {
  await signUp(page);
  const token = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  const clientId = String(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())['custom:clientId'] ?? '');
  expect(clientId).not.toBe('');
  const desk = await staffHeaders(request, 'frontdesk');
  const clinician = await staffHeaders(request, 'clinician');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const needs = page.getByRole('status').filter({ hasText: 'Before a dosing session can be booked' });
  /** From My care back to Book (the tab open all along), on a dosing session. */
  const bookAgain = async () => {
    await nav.getByRole('link', { name: 'My care' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();
    await nav.getByRole('link', { name: 'Book' }).click();
    await page.getByLabel('Session', { exact: true }).selectOption('exploration');
  };

  await page.getByLabel('Session', { exact: true }).selectOption('exploration');
  await expect(needs).toContainText('A medical clearance');
  await expect(needs).toContainText('Someone to take you home afterwards');

  // the clinic records the clearance and the ride home while the client is elsewhere in the app
  const cleared = await request.post(`/v1/clients/${clientId}/clearance`, {
    headers: clinician,
    data: { status: 'cleared', screenedFor: ['cardiac', 'medications'] },
  });
  expect(cleared.status(), await cleared.text()).toBe(201);
  const ride = await request.patch(`/v1/clients/${clientId}`, {
    headers: desk,
    data: { rideHome: { name: 'Casey Driver', phone: '+12125550189' } },
  });
  expect(ride.ok(), await ride.text()).toBe(true);
  await bookAgain();
  await expect(needs).toContainText('An intake assessment');
  await expect(needs).not.toContainText('medical clearance');
  await expect(needs).not.toContainText('Someone to take you home');
  await look('book-needs-read-again');

  // and the other way round: the front desk removes the ride home
  const removed = await request.patch(`/v1/clients/${clientId}`, { headers: desk, data: { rideHome: null } });
  expect(removed.ok(), await removed.text()).toBe(true);
  await bookAgain();
  await expect(needs).toContainText('Someone to take you home afterwards');
  await expect(needs).not.toContainText('medical clearance');
});

test('an older link that named the kind of session, opened signed out: signing in comes back to it, no address names it', async ({
  page,
}) => {
  await page.goto('/book?service=preparation');
  await expect(page.getByRole('heading', { level: 1, name: 'Who are you?' })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fbook$/);
  await page.getByLabel('Demo client').selectOption({ label: 'Taylor Brooks — Lakeshore Therapy (demo)' });
  await page.getByRole('button', { name: 'Continue as this client' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
  await expect(page.getByLabel('Session', { exact: true })).toHaveValue('preparation');
  await expect(page).toHaveURL(/\/book$/);
  await expectNoServiceWordInAddress(page);

  // the header's Book opens the page as it opens by itself: an intake first
  await page.getByRole('link', { name: 'My care' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Book' }).click();
  await expect(page.getByLabel('Session', { exact: true })).toHaveValue('intake');
});
