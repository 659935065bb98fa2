// Journey (e): the profile — phone, consent to texts, the ride-home contact; read afresh each time
// it opens and saved as what the client changed only (the front desk may change the record
// meanwhile); half a ride-home contact said before sending; the e-mail address on a phone.
import type { Page } from '@playwright/test';
import { expect, linesOf, signUp, test } from './fixtures.ts';
import { staffHeaders } from './staff-api.ts';

test('change phone, text consent and the ride-home contact; a bad number is explained @phone', async ({ page, look }) => {
  await signUp(page);
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
  await expect(page.getByLabel('Mobile phone')).toHaveValue('(212) 555-0177');
  await look('profile');

  await page.getByLabel('Their name').fill('Sam Tester');
  await page.getByLabel('Their phone').fill('12');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('Your profile was not saved');
  await expect(page.getByLabel('Their phone')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Their phone')).toBeFocused(); // the field to correct, not the page's start
  await look('profile-error');

  // a toll-free number is a US number, but not one for a person: said so, not "Enter a US or Canadian phone number"
  await page.getByLabel('Their phone').fill('(800) 555-0199');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Their phone')).toHaveAccessibleDescription(
    'Enter a US or Canadian mobile or landline number: toll-free and other special numbers can’t be used.',
  );
  await expect(page.getByLabel('Their phone')).toBeFocused();

  await page.getByLabel('Mobile phone').fill('212 555 0188');
  await page.getByLabel('Text me confirmations and reminders').uncheck();
  await page.getByLabel('Their phone').fill('(646) 555-0199');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your profile was saved.' })).toBeFocused();

  await page.reload();
  await expect(page.getByLabel('Mobile phone')).toHaveValue('(212) 555-0188');
  await expect(page.getByLabel('Text me confirmations and reminders')).not.toBeChecked();
  await expect(page.getByLabel('Their name')).toHaveValue('Sam Tester');
  await expect(page.getByLabel('Their phone')).toHaveValue('(646) 555-0199');
});

/** The signed-in client's id, from the token the app keeps in the tab. */
async function clientIdOf(page: Page): Promise<string> {
  const token = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, string>;
  return claims['custom:clientId'] ?? '';
}

test('a change the front desk made meanwhile shows when Profile opens again, and saving another field never undoes it', async ({
  page,
  request,
  look,
}) => {
  await signUp(page);
  const clientId = await clientIdOf(page);
  const desk = await staffHeaders(request, 'frontdesk');
  const record = async () => {
    const res = await request.get(`/v1/clients/${clientId}`, { headers: desk });
    expect(res.ok()).toBe(true);
    return (await res.json()) as { smsConsent: boolean; rideHome: { name: string; phone: string } | null };
  };
  const deskSets = async (phone: string) => {
    const res = await request.patch(`/v1/clients/${clientId}`, { headers: desk, data: { rideHome: { name: 'Sam Tester', phone } } });
    expect(res.status(), await res.text()).toBe(200);
  };
  const nav = page.getByRole('navigation', { name: 'Main' });

  await nav.getByRole('link', { name: 'Profile' }).click();
  await page.getByLabel('Their name').fill('Sam Tester');
  await page.getByLabel('Their phone').fill('(646) 555-0199');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your profile was saved.' })).toBeFocused();

  // the front desk changes the ride-home phone while the client is on My care
  await nav.getByRole('link', { name: 'My care' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();
  await deskSets('+16465550123');
  await nav.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByLabel('Their phone')).toHaveValue('(646) 555-0123');

  // and again while the Profile is open: the client's save sends only what the client changed
  await deskSets('+16465550145');
  const sent = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith(`/v1/clients/${clientId}`));
  await page.getByLabel('Text me confirmations and reminders').uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  expect((await sent).postDataJSON()).toEqual({ smsConsent: false });
  await expect(page.getByRole('status').filter({ hasText: 'Your profile was saved.' })).toBeFocused();
  // the form shows the record as saved, the front desk's phone in it
  await expect(page.getByLabel('Their phone')).toHaveValue('(646) 555-0145');
  expect(await record()).toMatchObject({ smsConsent: false, rideHome: { name: 'Sam Tester', phone: '+16465550145' } });

  // nothing changed: nothing sent, and said so
  let patches = 0;
  page.on('request', (r) => {
    if (r.method() === 'PATCH') patches++;
  });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Nothing was changed: there is nothing to save.' })).toBeVisible();

  // half a ride-home contact is said under the missing field before anything is sent
  await page.getByLabel('Their phone').fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Their phone')).toHaveAccessibleDescription(
    'Enter their phone too, or clear the name to remove the contact.',
  );
  await expect(page.getByLabel('Their phone')).toBeFocused();
  await expect(page.getByRole('alert')).toContainText('Your profile was not saved');
  await look('profile-half-contact');
  await page.getByLabel('Their name').fill('');
  await page.getByLabel('Their phone').fill('(646) 555-0100');
  await expect(page.getByLabel('Their phone')).not.toHaveAttribute('aria-invalid'); // a ride-home field's change settles the pair
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Their name')).toHaveAccessibleDescription(
    'Enter their name too, or clear the phone to remove the contact.',
  );
  await expect(page.getByLabel('Their name')).toBeFocused();
  expect(patches).toBe(0);
  expect((await record()).rideHome).toEqual({ name: 'Sam Tester', phone: '+16465550145' });
});

test('at 390 px the e-mail address wraps after its @, before a dot or after a hyphen, never inside "example.com"', async ({
  page,
  request,
  look,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUp(page);
  // an address as people have them (the sign-up's test address breaks after its hyphens anyway)
  const email = `robin.tester.${Math.floor(100_000 + Math.random() * 900_000)}@example.com`;
  const changed = await request.patch(`/v1/clients/${await clientIdOf(page)}`, {
    headers: await staffHeaders(request, 'frontdesk'),
    data: { email },
  });
  expect(changed.status(), await changed.text()).toBe(200);
  await page.getByRole('link', { name: 'Profile' }).click();
  const lines = await linesOf(page.locator('dd', { hasText: email }));
  expect(lines.join('')).toBe(email);
  expect(lines.length, 'the address is wider than its place here').toBeGreaterThan(1);
  expect(lines.at(-1)).toBe('example.com');
  for (const [i, line] of lines.entries()) {
    const before = lines[i - 1];
    if (before !== undefined)
      expect(line.startsWith('.') || before.endsWith('@') || before.endsWith('-'), `a break before "${line}"`).toBe(true);
  }
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);
  await look('profile-390');
});
