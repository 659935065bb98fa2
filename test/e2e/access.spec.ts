// What each staff role sees: the header links of its role only (pages/staff/nav.ts), and a page
// it may not use, reached by URL, says so in plain words (the API's 403: "You do not have access
// to this.") inside the app's frame, whose navigation still works.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

type Role = 'frontdesk' | 'clinician' | 'finance';

/**
 * A refused page says so on arrival, or — where the page reads nothing the role is refused (the
 * exports have no list to read) — when the role asks for what the page is for (`press`).
 */
interface Refused {
  path: string;
  press?: string;
}

const CASES: { role: Role; links: string[]; refused: Refused[] }[] = [
  { role: 'frontdesk', links: ['Day', 'Clients', 'Invoices'], refused: [{ path: '/staff/revenue' }, { path: '/staff/settings' }] },
  {
    role: 'clinician',
    links: ['Day', 'Clients'],
    refused: [{ path: '/staff/settings/rooms' }, { path: '/staff/exports', press: 'Start export' }],
  },
  { role: 'finance', links: ['Clients', 'Invoices', 'Exports', 'Revenue'], refused: [{ path: '/staff/settings/policy' }] },
];

const ROLE_LABELS: Record<Role, string> = { frontdesk: 'Front desk', clinician: 'Clinician', finance: 'Finance' };

async function signInAs(page: Page, role: Role) {
  await page.goto('/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Hudson Wellness (demo)' });
  await page.getByRole('button', { name: 'Continue as staff' }).click();
  await expect(page).toHaveURL(/\/staff\//);
}

for (const { role, links, refused } of CASES) {
  test(`${role}: the header shows its links only; a page it may not use says so`, async ({ page, look }) => {
    await signInAs(page, role);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link')).toHaveText(links);
    // the header says who is signed in, and keeps one width on every staff page (the day view's)
    await expect(page.getByRole('banner')).toContainText(ROLE_LABELS[role]);
    const headerWidth = async () => (await page.locator('.header-row').boundingBox())?.width;
    const landingWidth = await headerWidth();
    await expect(nav.getByRole('link', { name: 'Settings' })).toHaveCount(0);

    for (const [i, { path, press }] of refused.entries()) {
      await page.goto(path);
      if (press) await page.getByRole('button', { name: press }).click();
      await expect(page.getByRole('alert')).toContainText('You do not have access to this.');
      // the frame is still there and works
      await expect(nav.getByRole('link')).toHaveText(links);
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
      await look(`access-${role}-${i + 1}`);
    }
    await nav.getByRole('link', { name: 'Clients' }).click();
    await expect(page).toHaveURL(/\/staff\/clients$/);
    await expect(nav.getByRole('link', { name: 'Clients' })).toHaveAttribute('aria-current', 'page');
    expect(await headerWidth()).toBe(landingWidth);
  });
}
