// "Add to calendar" on My care: a booked session's .ics file, made in the browser (a blob: URL,
// nothing about the session in an address or a request). The file names the clinic and the time
// (in UTC) only: no kind of session, no practitioner, no client, no video room link. Each test
// sets up a new client through the API; the server's clock is not moved.
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import {
  CLINIC,
  bearer,
  bookInOrder,
  newClient,
  newPractitioner,
  nyDateTime,
  readyForDosing,
  selfPayBooking,
  signInAsClient,
  staffHeaders,
  staffToken,
} from './staff-api.ts';

/** What the file must never say: a kind of session, the treatment, a practitioner or client, a video room. */
const PRIVATE =
  /intake|medical|evaluation|preparation|exploration|dosing|integration|ongoing|ketamine|medicine|therap|Avery|Jordan|Reyes|Morgan|File\d|doxy/i;

/** The file's properties as a calendar reads them: lines unfolded, text unescaped. */
function properties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of text.replace(/\r\n /g, '').split('\r\n').filter(Boolean)) {
    const colon = line.indexOf(':');
    props.set(
      line.slice(0, colon),
      line.slice(colon + 1).replace(/\\([\\;,n])/g, (_, ch: string) => (ch === 'n' ? '\n' : ch)),
    );
  }
  return props;
}

const utc = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

/** Presses the item's "Add to calendar" (by `how`) and reads what the browser saved. */
async function download(page: Page, item: Locator, how: 'click' | 'keyboard') {
  const button = item.getByRole('button', { name: /^Add to calendar/ });
  const saved = page.waitForEvent('download');
  if (how === 'click') await button.click();
  else {
    await button.focus();
    await page.keyboard.press('Enter');
  }
  const file = await saved;
  const text = await readFile((await file.path()) ?? '', 'utf8');
  return { url: file.url(), filename: file.suggestedFilename(), text, props: properties(text) };
}

const upcoming = (page: Page) => page.locator('section[aria-labelledby="upcoming"]');

test('a client adds a booked dosing session to their calendar: the clinic and the time, in UTC, and the ride home @phone', async ({
  page,
  request,
  look,
}) => {
  const stamp = `${Date.now()}`.slice(-6);
  const desk = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, desk, { firstName: 'Cal', lastName: `File${stamp}` });
  await readyForDosing(request, clientId);
  const [, , , dosing] = await bookInOrder(request, clientId, ['intake', 'preparation', 'preparation', 'exploration'], 3);
  await signInAsClient(page, request, clientId);
  await page.goto('/care');
  await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();

  // every booked session to come has the button, named by its date and time
  await expect(upcoming(page).getByRole('button', { name: /^Add to calendar/ })).toHaveCount(4);
  const item = upcoming(page)
    .getByRole('listitem')
    .filter({ hasText: nyDateTime(dosing!.startsAt) });
  await expect(item).toContainText('Exploration');
  const button = item.getByRole('button', { name: `Add to calendar: ${nyDateTime(dosing!.startsAt)}` });
  await expect(button).toBeVisible();
  await expect(button).toHaveText('Add to calendar');
  await look('care-add-to-calendar');

  const file = await download(page, item, 'click');
  expect(file.url).toMatch(/^blob:/);
  expect(file.filename).toBe(`appointment-${dosing!.startsAt.slice(0, 10)}.ics`);
  expect(file.text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  expect(file.text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  expect(file.props.get('DTSTART')).toBe(utc(dosing!.startsAt));
  expect(file.props.get('DTEND')).toBe(utc(dosing!.endsAt));
  expect(file.props.get('UID')).toBe(`${dosing!.id}@kapstone`);
  expect(file.props.get('SUMMARY')).toBe('Appointment at Hudson Wellness (demo)');
  // the clinic's public address (its contact), its commas escaped in the file
  expect(file.props.get('LOCATION')).toBe('350 Hudson Street, Suite 400, New York, NY 10014');
  expect(file.text).toContain('LOCATION:350 Hudson Street\\, Suite 400\\, New York\\, NY 10014\r\n');
  const origin = new URL(page.url()).origin;
  expect(file.props.get('DESCRIPTION')).toBe(
    `Please arrange for someone to take you home afterwards.\nSee or change it in My care: ${origin}/care`,
  );
  for (const shown of ['SUMMARY', 'DESCRIPTION', 'LOCATION']) expect(file.props.get(shown)).not.toMatch(PRIVATE);
  expect(file.filename).not.toMatch(PRIVATE);
  expect(file.text.replace(/\r\n /g, '')).not.toMatch(PRIVATE);

  // with the keyboard too; nothing on the page changed
  const again = await download(page, item, 'keyboard');
  expect(again.props.get('UID')).toBe(file.props.get('UID'));
  await expect(item.getByRole('alert')).toHaveCount(0);
  await expect(button).toBeFocused();
});

test('a session by video: "Video", when the link shows, and never the room’s link @phone', async ({ page, request }) => {
  const stamp = `${Date.now()}`.slice(-6);
  const admin = bearer(await staffToken(request, 'admin', undefined));
  const providerId = await newPractitioner(request, admin, `Noa Calendar${stamp}`);
  const room = `https://doxy.me/noa-${stamp}`;
  const set = await request.put(`/v1/clinics/${CLINIC}/providers/${providerId}/video-room`, { headers: admin, data: { url: room } });
  expect(set.ok(), await set.text()).toBe(true);
  const desk = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, desk, { firstName: 'Cal', lastName: `File${stamp}` });
  const session = await selfPayBooking(request, desk, clientId, { service: 'preparation', mode: 'telehealth', providerId });
  await signInAsClient(page, request, clientId);
  await page.goto('/care');

  const item = upcoming(page).getByRole('listitem').filter({ hasText: 'By video' });
  const file = await download(page, item, 'click');
  expect(file.props.get('DTSTART')).toBe(utc(session.startsAt));
  expect(file.props.get('SUMMARY')).toBe('Appointment at Hudson Wellness (demo)');
  expect(file.props.get('LOCATION')).toBe('Video');
  expect(file.props.get('DESCRIPTION')).toMatch(
    /^By video\. The link to join appears in My care 15 minutes before the start\.\nSee or change it/,
  );
  expect(file.text.replace(/\r\n /g, '')).not.toContain(room);
  expect(file.text.replace(/\r\n /g, '')).not.toMatch(PRIVATE);
  expect(file.text.replace(/\r\n /g, '')).not.toContain('Noa');
});
