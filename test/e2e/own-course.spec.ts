// The client's own course on the booking and care pages: the week does not offer a time the client
// is already booked (and a 409 on one booked meanwhile says it is theirs, not someone else's); a
// dosing session refused for its preparations says which are booked and when; cancelling a session
// a booked dosing session needs says so before the client confirms. My care's "Book integration
// session" for a dosing session weeks ahead opens the week of its window, named and marked.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, expectNoServiceWordInAddress, shownTimes, signUp, slowAppointments, test, weekHeadingsFromNow } from './fixtures.ts';
import { bookInOrder, CLINIC, nyDate, nyDateTime, readyForDosing, staffHeaders, type Booking } from './staff-api.ts';

const ZONE = 'America/New_York';
const fmt = (opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-US', { timeZone: ZONE, ...opts });
const longDate = fmt({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
const clock = fmt({ hour: 'numeric', minute: '2-digit' });
/** The week view's label of a start: "Monday, December 14, 2026, 10:00 AM" (then " with …" for anyone). */
const slotLabel = (iso: string) => `${longDate.format(new Date(iso))}, ${clock.format(new Date(iso))}`;
/** A time as the app writes it in a sentence: "Mon, Dec 14, 2026, 10:00 AM". */
const when = nyDateTime;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Slot {
  startsAt: string;
  endsAt: string;
  providerId: string;
}

/** The signed-up client's id and the authorization header of its token (the app's own, from the tab). */
async function clientOf(page: Page): Promise<{ clientId: string; headers: Record<string, string> }> {
  const token = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  const clientId = String(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())['custom:clientId'] ?? '');
  expect(clientId).not.toBe('');
  return { clientId, headers: { authorization: `Bearer ${token}` } };
}

async function openTimes(
  request: APIRequestContext,
  headers: Record<string, string>,
  q: { service: string; mode: 'in_person' | 'telehealth'; from: string; to: string },
): Promise<Slot[]> {
  const res = await request.get(`/v1/clinics/${CLINIC}/availability`, { headers, params: q });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { slots: Slot[] }).slots;
}

/** The client books a preparation session by video at `startsAt` (with whoever is free then): its appointment. */
async function videoPreparation(request: APIRequestContext, headers: Record<string, string>, clientId: string, startsAt: string) {
  const day = startsAt.slice(0, 10);
  const free = (await openTimes(request, headers, { service: 'preparation', mode: 'telehealth', from: day, to: day })).filter(
    (s) => s.startsAt === startsAt,
  );
  for (const slot of free) {
    const res = await request.post('/v1/appointments', {
      headers,
      data: { clientId, clinicId: CLINIC, service: 'preparation', providerId: slot.providerId, startsAt, mode: 'telehealth' },
    });
    if (res.status() === 409) continue;
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as Booking;
  }
  return undefined;
}

/** Shows the week of the booking page that holds the clinic-local `day` (the page opens on the first with an open time). */
async function showWeekOf(page: Page, day: string): Promise<void> {
  await shownTimes(page);
  for (let i = 0; i < 8 && (await page.locator(`[id="day-${day}"]`).count()) === 0; i++) {
    await page.getByRole('button', { name: /Next week/ }).click();
    await expect(page.locator('.week')).not.toHaveAttribute('aria-busy', 'true');
  }
  await expect(page.locator(`[id="day-${day}"]`)).toBeVisible();
}

/**
 * A client signed up in the page, ready for dosing, with an intake, two preparations and a dosing
 * session booked in order, from `fromDays` ahead.
 */
async function signedUpWithDosing(page: Page, request: APIRequestContext, fromDays = 3): Promise<{ clientId: string; dosing: Booking }> {
  await signUp(page);
  const { clientId } = await clientOf(page);
  await readyForDosing(request, clientId);
  const [, , , dosing] = await bookInOrder(request, clientId, ['intake', 'preparation', 'preparation', 'exploration'], fromDays);
  if (!dosing) throw new Error('no dosing session');
  return { clientId, dosing };
}

test('the week does not offer a time the client is booked; one booked meanwhile is said to be theirs @phone', async ({
  page,
  request,
  look,
}) => {
  await signUp(page);
  const { clientId, headers } = await clientOf(page);

  // a video preparation session at a time T when both therapists are free for an ongoing care
  // session in person: after it, the clinic still has someone for T, but the client does not
  const ongoing = await openTimes(request, headers, { service: 'ongoing_care', mode: 'in_person', from: nyDate(2), to: nyDate(20) });
  const byStart = new Map<string, Set<string>>();
  for (const s of ongoing) byStart.set(s.startsAt, (byStart.get(s.startsAt) ?? new Set()).add(s.providerId));
  const both = [...byStart].filter(([, who]) => who.size >= 2).map(([start]) => start);
  let prep: Booking | undefined;
  for (let attempt = 0; attempt < 6 && !prep; attempt++) {
    const booked = await videoPreparation(request, headers, clientId, both[Math.floor(Math.random() * both.length)]!);
    if (!booked) continue;
    // the clinic still offers T for an ongoing care session (the other therapist): only the
    // client's own session rules it out (a parallel spec took the other one meanwhile: another T)
    const day = booked.startsAt.slice(0, 10);
    const still = await openTimes(request, headers, { service: 'ongoing_care', mode: 'in_person', from: day, to: day });
    if (still.some((s) => s.startsAt === booked.startsAt)) prep = booked;
    else await request.post(`/v1/appointments/${booked.id}/cancel`, { headers, data: {} });
  }
  if (!prep) throw new Error('no time with both therapists free');
  const day = prep.startsAt.slice(0, 10);
  // the page read the client's sessions when it opened: as after booking there, it reads them again
  await page.goto('/book');

  await page.getByLabel('Session', { exact: true }).selectOption('ongoing_care');
  await showWeekOf(page, day);
  const at = (iso: string) => page.getByRole('button', { name: new RegExp(`^${escape(slotLabel(iso))}( with .*)?$`) });
  await expect(page.locator('.week button.time').first()).toBeVisible();
  await expect(at(prep.startsAt)).toHaveCount(0);
  await look('book-own-time-left-out');

  // another time U of that week, which the page offers, is booked by the client in another tab meanwhile
  const week = new Set(
    await page
      .locator('.week button.time')
      .evaluateAll((buttons) => buttons.map((b) => (b.getAttribute('aria-label') ?? '').split(' with ')[0])),
  );
  const open = await openTimes(request, headers, { service: 'ongoing_care', mode: 'in_person', from: nyDate(2), to: nyDate(27) });
  const candidates = open.filter(
    (s) => Math.abs(Date.parse(s.startsAt) - Date.parse(prep.startsAt)) >= 3_600_000 && week.has(slotLabel(s.startsAt)),
  );
  let other: Booking | undefined;
  for (let attempt = 0; attempt < 6 && !other && candidates.length > 0; attempt++) {
    other = await videoPreparation(request, headers, clientId, candidates[Math.floor(Math.random() * candidates.length)]!.startsAt);
  }
  if (!other) throw new Error('no other open time to book meanwhile');
  await at(other.startsAt).first().click();
  await page.getByRole('button', { name: 'Book this time' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(`You already have a session at that time: Preparation session, ${when(other.startsAt)}.`);
  await expect(alert).not.toContainText('Someone has just taken this time');
  await expect(alert).toBeFocused();
  // the week is read again and no longer offers it
  await expect(at(other.startsAt)).toHaveCount(0);
  await look('book-own-time-refused');
});

test('a dosing session before the second preparation session: the refusal says which are booked and when to choose', async ({
  page,
  request,
  look,
}) => {
  await signUp(page);
  const { clientId } = await clientOf(page);
  await readyForDosing(request, clientId);
  // an intake and a preparation in the next days, the second preparation three weeks on (the front desk books them)
  await bookInOrder(request, clientId, ['intake', 'preparation'], 1);
  const [second] = await bookInOrder(request, clientId, ['preparation'], 21);
  if (!second) throw new Error('no second preparation');

  // a dosing session in the week of day 12: after the first preparation, before the second
  await page.goto('/book');
  await page.getByLabel('Session', { exact: true }).selectOption('exploration');
  // both preparations are booked: nothing is said to be missing before a time is chosen
  await expect(page.getByText('Before a dosing session can be booked')).toHaveCount(0);
  await showWeekOf(page, nyDate(12));
  await (await shownTimes(page)).first().click();
  await page.getByRole('button', { name: 'Book this time' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('This time could not be booked');
  await expect(alert).toContainText('You need 2 preparation sessions before a dosing session; only 1 is booked before');
  await expect(alert).toContainText(`Choose a time after your second one, on ${when(second.startsAt)}.`);
  await expect(alert).not.toContainText('please book them first');
  await look('book-dosing-before-preparations');
});

test('cancelling the intake or a preparation a booked dosing session needs: said before confirming @phone', async ({
  page,
  request,
  look,
}) => {
  const { dosing } = await signedUpWithDosing(page, request);

  await page.goto('/care');
  const upcoming = page.locator('section', { has: page.getByRole('heading', { name: 'Upcoming' }) });
  await expect(upcoming.locator('.appointment')).toHaveCount(4);
  const item = (name: string) => upcoming.locator('.appointment').filter({ hasText: name });

  await item('Intake assessment').getByRole('button', { name: 'Cancel…' }).click();
  const terms = upcoming.getByRole('group', { name: 'Cancel this session?' });
  const warning = terms.getByRole('status').filter({ hasText: 'A dosing session depends on this one' });
  await expect(warning).toContainText(
    `Your dosing session on ${when(dosing.startsAt)} needs this intake before it: it will stay booked, but you will need to book an intake before it, or the clinic may move it.`,
  );
  await look('cancel-intake-dosing-needs');
  await terms.getByRole('button', { name: 'Keep it' }).click();

  await item('Preparation session').first().getByRole('button', { name: 'Cancel…' }).click();
  await expect(warning).toContainText(
    `Your dosing session on ${when(dosing.startsAt)} needs 2 preparation sessions before it, and this is one of them`,
  );
  await terms.getByRole('button', { name: 'Keep it' }).click();

  // nothing depends on the dosing session itself
  await item('Exploration session').getByRole('button', { name: 'Cancel…' }).click();
  await expect(terms).toBeVisible();
  await expect(warning).toHaveCount(0);
});

test('a dosing session weeks ahead without its integration session: My care says by when, and its link opens the week of the window @phone', async ({
  page,
  request,
  look,
}) => {
  // the whole course booked at once: the dosing session at least three weeks ahead
  const { clientId, dosing } = await signedUpWithDosing(page, request, 21);
  const plus = (date: string, days: number) => {
    const d = new Date(`${date}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };
  const utc = (opts: Intl.DateTimeFormatOptions) => (date: string) =>
    new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', ...opts }).format(new Date(`${date}T12:00:00Z`));
  const day = (date: string, days = 0) => utc({ month: 'short', day: 'numeric', year: 'numeric' })(plus(date, days));
  const dosingDay = dosing.startsAt.slice(0, 10);
  const [first, last] = [plus(dosingDay, 1), plus(dosingDay, 7)];

  await page.goto('/care');
  const card = page.getByRole('region', { name: 'Book your integration session' });
  await expect(card).toContainText(`After the one on ${day(dosingDay)}: book by ${day(dosingDay, 7)}.`);
  await look('care-integration-due');
  // the week of the window first, even when the client's sessions (the window's source) answer after the open times
  const headings = await weekHeadingsFromNow(page);
  const endSlowReads = await slowAppointments(page, 2_000);
  await card.getByRole('link', { name: 'Book integration session' }).click();
  await expect(page).toHaveURL(/\/book$/);
  await expectNoServiceWordInAddress(page);
  await expect(page.getByLabel('Session', { exact: true })).toHaveValue('integration');
  const monthDay = utc({ month: 'short', day: 'numeric' });
  await expect(page.getByRole('status').filter({ hasText: 'When to book it' })).toContainText(
    `Within 7 days after your exploration session on ${utc({ weekday: 'short', month: 'short', day: 'numeric' })(dosingDay)}: ${monthDay(first)} – ${monthDay(last)}`,
  );
  // the week that holds the window's first day, not the first week with an open time (this one)
  const monday = plus(first, -((new Date(`${first}T12:00:00Z`).getUTCDay() + 6) % 7));
  const windowWeek = `${day(monday)} – ${day(monday, 6)}`;
  await expect(page.getByRole('heading', { level: 2, name: windowWeek })).toBeVisible();
  expect(await headings(), 'every week the view showed').toEqual([windowWeek]);
  await endSlowReads();
  // its days are marked, by name too ("Wed Dec 9, in the window, 3 open", spaced as the browser joins the heading's parts); the dosing session's own day is not
  const dayGroup = (date: string) =>
    page.getByRole('group', { name: new RegExp(`^${utc({ weekday: 'short' })(date)} ${monthDay(date)}\\s*,`) });
  await expect(dayGroup(first)).toHaveAccessibleName(/\s*,\s*in the window\s*,\s*\d+ open$/);
  if (monday <= dosingDay) await expect(dayGroup(dosingDay)).toHaveAccessibleName(/^\S+ \S+ \d+\s*,\s*\d+ open$/);
  await shownTimes(page);
  await look('book-integration-window');

  // the front desk books one within the days: the card goes
  const desk = await staffHeaders(request, 'frontdesk');
  const lastDay = new Date(Date.parse(`${dosingDay}T12:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  const slots = (await openTimes(request, desk, { service: 'integration', mode: 'telehealth', from: dosingDay, to: lastDay })).filter(
    (s) => Date.parse(s.startsAt) >= Date.parse(dosing.endsAt),
  );
  let booked = false;
  for (const slot of slots.slice(0, 6)) {
    const res = await request.post('/v1/appointments', {
      headers: desk,
      data: {
        clientId,
        clinicId: CLINIC,
        service: 'integration',
        providerId: slot.providerId,
        startsAt: slot.startsAt,
        mode: 'telehealth',
      },
    });
    if (res.status() === 409) continue;
    expect(res.status(), await res.text()).toBe(201);
    booked = true;
    break;
  }
  expect(booked).toBe(true);
  await page.goto('/care');
  await expect(page.getByRole('heading', { name: 'Upcoming' })).toBeVisible();
  await expect(card).toHaveCount(0);
});
