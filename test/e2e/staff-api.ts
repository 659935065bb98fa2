// Data the staff specs set up through the API before driving the pages (finance.spec.ts,
// staff-money.spec.ts): a staff token, a new client of Hudson Wellness, a self-pay intake at a
// random open time (other specs book at the same clinic at once, so a taken time is tried again),
// and the local staff sign-in.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect } from './fixtures.ts';

export const CLINIC = 'demo-nyc';
const ZONE = 'America/New_York';

/** A clinic-local date (YYYY-MM-DD) in New York, `days` from today. */
export function nyDate(days = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

/** The authorization header of a local staff token of the clinic. */
export async function staffHeaders(request: APIRequestContext, role: 'frontdesk' | 'clinician'): Promise<Record<string, string>> {
  const res = await request.post('/v1/dev/token', { data: { role, clinicId: CLINIC } });
  expect(res.ok()).toBe(true);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

/** A new client of the clinic (a unique e-mail each time), added by the front desk: its id. */
export async function newClient(
  request: APIRequestContext,
  headers: Record<string, string>,
  name: { firstName: string; lastName: string },
): Promise<string> {
  const created = await request.post('/v1/clients', {
    headers,
    data: {
      clinicId: CLINIC,
      ...name,
      email: `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
      phone: '+12125550178',
      dateOfBirth: '1985-03-14',
      smsConsent: false,
    },
  });
  expect(created.ok(), await created.text()).toBe(true);
  return ((await created.json()) as { id: string }).id;
}

/** A self-pay intake at a random open time in the next four weeks: its invoice, nothing paid. */
export async function selfPayIntake(request: APIRequestContext, headers: Record<string, string>, clientId: string): Promise<string> {
  const open = await request.get(`/v1/clinics/${CLINIC}/availability`, { params: { service: 'intake', from: nyDate(1), to: nyDate(28) } });
  expect(open.ok(), await open.text()).toBe(true);
  const { slots } = (await open.json()) as { slots: { startsAt: string; providerId: string }[] };
  expect(slots.length).toBeGreaterThan(0);
  for (let attempt = 0; attempt < 6; attempt++) {
    const slot = slots[Math.floor(Math.random() * slots.length)]!;
    const booked = await request.post('/v1/appointments', {
      headers,
      data: { clientId, clinicId: CLINIC, service: 'intake', providerId: slot.providerId, startsAt: slot.startsAt, mode: 'in_person' },
    });
    if (booked.status() === 409) continue;
    expect(booked.ok(), await booked.text()).toBe(true);
    return ((await booked.json()) as { invoiceId: string }).invoiceId;
  }
  throw new Error('no open intake time');
}

/** Signs in on the local sign-in page as a staff role of Hudson Wellness, and waits for the staff side. */
export async function signInAsStaff(page: Page, role: 'finance' | 'frontdesk'): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Hudson Wellness (demo)' });
  await page.getByRole('button', { name: 'Continue as staff' }).click();
  await expect(page).toHaveURL(/\/staff\//);
}
