// What every browser test uses: the run's server (E2E_BASE_URL, set by global-setup.ts), a
// screenshot of each page it reaches (test-results/e2e/screens/, for a person to look at) with an
// axe-core check on it (no violation of any impact), and the steps several journeys share.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, type Locator, type Page, type Route, type TestInfo } from '@playwright/test';

export { expect };

const SCREENS = join(import.meta.dirname, '../../test-results/e2e/screens');

export const test = base.extend<{ look: (name: string) => Promise<void> }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern
  baseURL: async ({}, use) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error('E2E_BASE_URL is not set: run through `npm run test:web` (global-setup.ts starts the server)');
    await use(url);
  },
  look: async ({ page }, use, info) => {
    await use((name) => look(page, info, name));
  },
});

/** Screenshot of the whole page, then axe: any violation fails the test, whatever its impact (moderate and minor too). */
async function look(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  // a page still showing a loading indicator (a lazy chunk, a read under way) is not the page yet
  await expect(page.locator('.loading')).toHaveCount(0);
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${info.project.name}-${name}.png`), fullPage: true });
  // Violations only (passes and the rest are not built: axe computes a selector for every node it
  // reports), run in the page itself: the default run opens a blank page per analysis to combine
  // results across frames, and the app has no frames. The two cut each check from about 0.9-2 s to
  // 0.3-0.4 s on this machine, over about 250 checks a run, and report the same violations
  // (docs/web.md, "Tests").
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .options({ resultTypes: ['violations'] })
    .setLegacyMode(true)
    .analyze();
  expect(
    results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe on ${name}`,
  ).toEqual([]);
}

/** Puts a token where the app keeps it (sessionStorage of the app's origin), without opening a page of the app. */
export async function storeToken(page: Page, token: string): Promise<void> {
  await page.goto('/favicon.svg');
  await page.evaluate(`sessionStorage.setItem('kapstone.token', ${JSON.stringify(token)})`);
}

/** A kind of session by its code or its name, or the `service` parameter that once carried one: never in the page's address (docs/web.md). */
const SERVICE_WORDS = /service|intake|medical|evaluation|preparation|exploration|dosing|integration|ongoing/i;

/** The page's address (its path, query and fragment: the host is the test server's) names no kind of session. */
export async function expectNoServiceWordInAddress(page: Page): Promise<void> {
  await expect(page).toHaveURL((url) => !SERVICE_WORDS.test(`${url.pathname}${url.search}${url.hash}`));
}

let counter = 0;

/** A new client of the clinic signs up through the app; returns the e-mail used. */
export async function signUp(page: Page, clinicName = 'Hudson Wellness (demo)', look?: (name: string) => Promise<void>): Promise<string> {
  const email = `e2e-${Date.now()}-${process.pid}-${++counter}@example.com`;
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Create your client account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create your client account' })).toBeVisible();
  // sent empty: each field says what it needs (no account is made)
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter your first name.')).toBeVisible();
  await expect(page.getByText('Enter your e-mail address, e.g. name@example.com.')).toBeVisible();
  await expect(page.getByLabel('First name')).toBeFocused(); // focus goes to the first field to correct
  await page.getByLabel('Clinic').selectOption({ label: clinicName });
  await page.getByLabel('First name').fill('Robin');
  await expect(page.getByText('Enter your first name.')).toHaveCount(0); // each message goes as its field is filled
  await page.getByLabel('Last name').fill('Tester');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Mobile phone').fill(clinicName.startsWith('Lakeshore') ? '(416) 555-0177' : '(212) 555-0177');
  await page.getByLabel('Date of birth').fill('1990-05-01');
  // texts are opt-in: the box starts unticked
  const consent = page.getByLabel('Text me confirmations and reminders');
  await expect(consent).not.toBeChecked();
  await consent.check();
  if (look) await look('sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
  // the header says who is signed in, a client by the e-mail address (not on a phone: one row there)
  const who = page.getByRole('banner').getByText(email);
  if ((page.viewportSize()?.width ?? 0) > 640) await expect(who).toBeVisible();
  else await expect(who).toBeHidden();
  return email;
}

/**
 * The open times of the week the booking page shows. The page opens on the first week with an
 * open time, and after a refusal it reads that week again: when parallel tests took its last times
 * (a week of one or two days left, late in the week), the next week's. While the week is read
 * again it is busy and still shows the times read before, the refused one too, disabled: they are
 * not the week's times, so none is counted or chosen until the read is done.
 */
export async function shownTimes(page: Page): Promise<Locator> {
  const week = page.locator('.week');
  const times = week.locator('button.time');
  const none = page.getByText(/^No open times this week/);
  for (let shown = 0; shown < 6; shown++) {
    await expect(week).not.toHaveAttribute('aria-busy', 'true');
    await expect(times.first().or(none)).toBeVisible();
    if ((await times.count()) > 0) return times;
    await page.getByRole('button', { name: /Next week/ }).click();
  }
  throw new Error('no open time in six weeks');
}

/**
 * On the booking page: choose one of the open times shown and book it; returns the time's label.
 * Tests run in parallel against one clinic, so each takes a time at random, and another one when
 * a parallel test took it first (the page says so and loads the open times again).
 */
export async function bookFirstTime(page: Page): Promise<string> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const time = await someTime(page);
    const label = (await time.getAttribute('aria-label')) ?? '';
    await time.click();
    await page.getByRole('button', { name: 'Book this time' }).click();
    const booked = page.getByRole('heading', { level: 1, name: 'You are booked' });
    const taken = page.getByRole('alert').filter({ hasText: 'Someone has just taken this time' });
    await expect(booked.or(taken)).toBeVisible();
    if (await booked.isVisible()) return label;
  }
  throw new Error('every time tried was taken');
}

/**
 * A random one of the open times shown (parallel tests share the clinic's calendar), by its label:
 * that very time, not whichever stands at its place once the week is read again.
 */
export async function someTime(page: Page): Promise<Locator> {
  const times = await shownTimes(page);
  const label = await times.nth(Math.floor(Math.random() * (await times.count()))).getAttribute('aria-label');
  expect(label).toBeTruthy();
  return times.and(page.getByRole('button', { name: label ?? '', exact: true }));
}

/** The lines an element's text is drawn on, top to bottom (where the browser wrapped it). */
export function linesOf(element: Locator): Promise<string[]> {
  return element.evaluate((el) => {
    const doc = el.ownerDocument;
    const walker = doc.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
    const range = doc.createRange();
    const lines: { top: number; text: string }[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const top = range.getBoundingClientRect().top;
        const last = lines.at(-1);
        if (last && Math.abs(last.top - top) < 4) last.text += text[i];
        else lines.push({ top, text: text[i] ?? '' });
      }
    }
    return lines.map((line) => line.text);
  });
}

/**
 * Every text the booking page's week heading shows from now on, in order (read back by the
 * function returned). A MutationObserver notes each change before the page is painted again, so a
 * week shown for a moment and then left is among them; the record lasts while the app moves from
 * page to page (its own links: no reload).
 */
export async function weekHeadingsFromNow(page: Page): Promise<() => Promise<string[]>> {
  // a string, run in the page: this project's types are Node's, not the browser's
  await page.evaluate(`(() => {
    const shown = [];
    window.e2eWeekHeadings = shown;
    const note = () => {
      const text = document.getElementById('week-heading')?.textContent;
      if (text && text !== shown.at(-1)) shown.push(text);
    };
    new MutationObserver(note).observe(document.body, { childList: true, subtree: true, characterData: true });
  })()`);
  return () => page.evaluate<string[]>('window.e2eWeekHeadings');
}

/** From now on, the client's appointments answer `ms` later than the server does (a slow read); the function returned ends it. */
export async function slowAppointments(page: Page, ms: number): Promise<() => Promise<void>> {
  const url = /\/v1\/clients\/[^/]+\/appointments(\?|$)/;
  const delay = async (route: Route) => {
    await new Promise((done) => setTimeout(done, ms));
    await route.fallback();
  };
  await page.route(url, delay);
  return () => page.unroute(url, delay);
}
