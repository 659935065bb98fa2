// What each staff role sees: the header links of its role only (pages/staff/nav.ts), and a page
// it may not use, reached by URL, says so in plain words on arrival (the API's 403: "You do not
// have access to this.") before anything can be filled in, inside the app's frame, whose navigation
// still works; and no link on a page it may use leads to such a refusal.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { newClient, selfPayBooking, staffHeaders } from './staff-api.ts';

type Role = 'frontdesk' | 'clinician' | 'finance';

/** A page the role may not use, reached by URL: it says so on arrival, before anything can be filled in. */
interface Refused {
  path: string;
}

const CASES: { role: Role; links: string[]; refused: Refused[] }[] = [
  {
    role: 'frontdesk',
    links: ['Day', 'Time off', 'Clients', 'Waitlist', 'Invoices'],
    refused: [{ path: '/staff/revenue' }, { path: '/staff/settings' }, { path: '/staff/exports' }],
  },
  {
    role: 'clinician',
    links: ['Day', 'Time off', 'Clients'],
    refused: [
      { path: '/staff/settings/rooms' },
      { path: '/staff/exports' },
      { path: '/staff/clients/new' },
      { path: '/staff/invoices' },
      { path: '/staff/waitlist' },
    ],
  },
  {
    role: 'finance',
    links: ['Clients', 'Invoices', 'Exports', 'Revenue'],
    refused: [{ path: '/staff/settings/policy' }, { path: '/staff/clients/new' }],
  },
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

    for (const [i, { path }] of refused.entries()) {
      await page.goto(path);
      await expect(page.getByRole('alert')).toContainText('You do not have access to this.');
      // nothing to fill in or choose first, only to be refused on sending it
      await expect(page.getByRole('main').locator('input, select, textarea')).toHaveCount(0);
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

test('booking, moving and a superbill by URL: refused before any input for the roles that may not', async ({ page, request, look }) => {
  const headers = await staffHeaders(request, 'frontdesk');
  const clientId = await newClient(request, headers, { firstName: 'Ash', lastName: 'Gate' });
  const { id: appointmentId } = await selfPayBooking(request, headers, clientId);
  const cases: { role: Role; paths: string[] }[] = [
    { role: 'finance', paths: [`/staff/clients/${clientId}/book`, `/staff/appointments/${appointmentId}/reschedule`] },
    {
      role: 'clinician',
      paths: [`/staff/clients/${clientId}/book`, `/staff/appointments/${appointmentId}/reschedule`, `/staff/clients/${clientId}/superbill`],
    },
    { role: 'frontdesk', paths: [`/staff/clients/${clientId}/superbill`] },
  ];
  for (const { role, paths } of cases) {
    await signInAs(page, role);
    for (const path of paths) {
      await page.goto(path);
      await expect(page.getByRole('alert')).toContainText('You do not have access to this.');
      await expect(page.getByRole('main').locator('input, select, textarea, button')).toHaveCount(0);
      await expect(page.locator('.week button.time')).toHaveCount(0);
    }
    await look(`access-${role}-by-url`);
    await page.getByRole('button', { name: 'Sign out' }).click();
  }
});
