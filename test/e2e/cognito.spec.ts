// Sign-up and sign-in on AWS: the app with the Cognito provider (config.json names a user pool),
// in a real browser, against a fake user pool (cognito-fake.ts: the SRP exchange is the real one,
// the ID tokens are ones the local API accepts). A new client signs up with e-mail and password,
// confirms the e-mailed code, creates its record, and the refreshed token names it; signs out
// (tokens gone, the refresh token revoked) and signs in again on the password page. A wrong
// password is said in plain words; a front-desk account lands on the staff side; an account whose
// e-mailed code was never entered confirms it on the sign-in page and goes on to its record. A
// token the API refuses is renewed with the refresh token: a read is asked again, and a booking
// is sent once more (same body and Idempotency-Key: one appointment); with the refresh token
// revoked too, the booking is not sent again and the session has ended.
import type { APIRequestContext, Page } from '@playwright/test';
import { FakeCognito } from './cognito-fake.ts';
import { expect, someTime, test } from './fixtures.ts';
import { newClient, staffHeaders } from './staff-api.ts';

const PASSWORD = 'Blue-harbour-2031!';
let counter = 0;
const uniqueEmail = (who: string) => `e2e-cognito-${who}-${Date.now()}-${process.pid}-${++counter}@example.com`;

/** What the tab keeps: sessionStorage's keys (sorted) and how many items localStorage has. */
const stored = async (page: Page) => ({
  session: (await page.evaluate<string[]>('Object.keys(sessionStorage)')).sort(),
  local: await page.evaluate<number>('localStorage.length'),
});

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

test('a client signs up with e-mail and password, confirms the code, creates its record; signs out and in again', async ({
  page,
  request,
  look,
}) => {
  const cognito = new FakeCognito(request);
  await cognito.install(page);
  const email = uniqueEmail('client');

  // the sign-in page is the e-mail + password form (the Cognito provider)
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveAttribute('autocomplete', 'current-password');
  await look('cognito-sign-in');

  // 1. the account: e-mail and password (a password the pool refuses is said in plain words)
  await page.getByRole('link', { name: 'Create your client account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create your client account' })).toBeVisible();
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Choose a password of at least 12 characters with an upper-case letter, a lower-case letter, a digit and a symbol.',
  );
  await page.getByLabel('Password').fill(PASSWORD);
  await look('cognito-sign-up');
  await page.getByRole('button', { name: 'Continue' }).click();

  // 2. the e-mailed code: a wrong one, a new one sent, the right one
  const codeField = page.getByLabel('Code from the e-mail');
  await expect(codeField).toBeVisible();
  await expect(codeField).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(page.getByRole('status')).toContainText(/We e-mailed a code to e\*\*\*@e\*\*\*/);
  const first = cognito.codeFor(email);
  await codeField.fill(first === '123456' ? '654321' : '123456');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not right. Check the latest e-mail from us and type the code again.');
  await look('cognito-code-wrong');
  await page.getByRole('button', { name: 'Send a new code' }).click();
  await expect.poll(() => cognito.calls.filter((c) => c === 'ResendConfirmationCode').length).toBe(1);
  await codeField.fill(cognito.codeFor(email));
  await page.getByRole('button', { name: 'Confirm' }).click();

  // 3. signed in (SRP) without a record yet: the record form, the e-mail already filled in
  await expect(page.getByLabel('Date of birth')).toBeVisible();
  await expect(page.getByLabel('E-mail')).toHaveValue(email);
  await page.getByLabel('Clinic').selectOption({ label: 'Hudson Wellness (demo)' });
  await page.getByLabel('First name').fill('Sam');
  await page.getByLabel('Last name').fill('Cognito');
  await page.getByLabel('Mobile phone').fill('(212) 555-0178');
  await page.getByLabel('Date of birth').fill('1988-03-14');
  await look('cognito-record');
  const created = page.waitForResponse((r) => r.url().endsWith('/v1/clients') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Create account' }).click();
  const record = (await (await created).json()) as { id: string };
  expect((await created).status()).toBe(201);

  // 4. the app refreshed the token: it names the new client; booking and My care work as that client
  await expect(page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
  await expect(page.locator('.week button.time').first()).toBeVisible();
  const token = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  expect(claims(token)).toMatchObject({ 'custom:clientId': record.id, 'cognito:groups': ['client'] });
  // only the ID token and the refresh token are kept (no id hint: the refreshed token carries it)
  expect(await stored(page)).toEqual({ session: ['kapstone.refresh', 'kapstone.token'], local: 0 });
  await look('cognito-book');
  await page.getByRole('link', { name: 'My care' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await look('cognito-care');
  expect(cognito.calls).toEqual([
    'SignUp', // refused by the pool: the password breaks its rules
    'SignUp',
    'ConfirmSignUp',
    'ResendConfirmationCode',
    'ConfirmSignUp',
    'InitiateAuth:USER_SRP_AUTH',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'InitiateAuth:REFRESH_TOKEN_AUTH',
  ]);

  // 5. sign out: the tokens are gone and the refresh token is revoked
  const refreshToken = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.refresh')")) ?? '';
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  expect(await stored(page)).toEqual({ session: [], local: 0 });
  await expect.poll(() => cognito.revoked.has(refreshToken)).toBe(true);

  // 6. a wrong password is refused in plain words; the right one signs in as the client
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('Wrong-password-2031!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const refused = page.getByRole('alert');
  await expect(refused).toContainText('Could not sign in');
  await expect(refused).toContainText('The e-mail address or password is not right. Check both and try again.');
  await look('cognito-wrong-password');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();
  await expect(page).toHaveURL(/\/care$/);
  expect(claims((await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '')).toMatchObject({
    'custom:clientId': record.id,
  });
  expect(await stored(page)).toEqual({ session: ['kapstone.refresh', 'kapstone.token'], local: 0 });
  expect(cognito.unexpected).toEqual([]);
});

test('a front-desk account signs in with its password and lands on the staff side', async ({ page, request, look }) => {
  const cognito = new FakeCognito(request);
  await cognito.install(page);
  const email = uniqueEmail('frontdesk');
  cognito.addUser(email, PASSWORD, 'frontdesk', { clinicId: 'demo-nyc' });

  await page.goto('/staff/day');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fstaff%2Fday$/);
  // the forgotten-password step is on the same page, and back
  await page.getByRole('button', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('button', { name: 'E-mail me a code' })).toBeVisible();
  await look('cognito-forgot');
  await page.getByRole('button', { name: 'Back to sign-in' }).click();
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff\/day$/);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Day' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Clients' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'My care' })).toHaveCount(0);
  expect(claims((await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '')).toMatchObject({
    'cognito:groups': ['frontdesk'],
    'custom:clinicId': 'demo-nyc',
  });
  expect(await stored(page)).toEqual({ session: ['kapstone.refresh', 'kapstone.token'], local: 0 });
  await look('cognito-staff');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  expect(await stored(page)).toEqual({ session: [], local: 0 });
  expect(cognito.unexpected).toEqual([]);
});

test('a signed-in person is not sent back to sign in when the ID token nears its end: the app renews it', async ({ page, request }) => {
  const cognito = new FakeCognito(request);
  await cognito.install(page);
  const email = uniqueEmail('renew');
  cognito.addUser(email, PASSWORD, 'frontdesk', { clinicId: 'demo-nyc' });
  // the page's timers on a clock the test can move (time still flows until it is moved)
  await page.clock.install();
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff\/day$/);
  const first = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  const exp = Number(claims(first).exp) * 1000;
  const refreshes = () => cognito.refreshCount();
  const before = refreshes();
  // a second later (so that the renewed token differs), move the page to 4 minutes before the expiry
  await page.waitForTimeout(1_100);
  await page.clock.fastForward(exp - 4 * 60_000 - (await page.evaluate<number>('Date.now()')));
  await expect.poll(refreshes).toBe(before + 1);
  await expect.poll(() => page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")).not.toBe(first);
  const renewed = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  expect(claims(renewed)).toMatchObject({ sub: claims(first).sub, 'cognito:groups': ['frontdesk'] });
  expect(Number(claims(renewed).exp)).toBeGreaterThan(Number(claims(first).exp));
  // still signed in: the staff navigation, no "session has ended"
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Day' })).toBeVisible();
  await expect(page.getByText('Your session has ended')).toHaveCount(0);
  expect(cognito.unexpected).toEqual([]);
});

test('a token the API refuses while the refresh token is good: renewed once and the page loads, not signed out', async ({
  page,
  request,
}) => {
  const cognito = new FakeCognito(request);
  await cognito.install(page);
  const email = uniqueEmail('refused');
  cognito.addUser(email, PASSWORD, 'frontdesk', { clinicId: 'demo-nyc' });
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff\/day$/);
  const refreshes = () => cognito.refreshCount();
  const before = refreshes();

  // the ID token stops being good (its signature no longer the pool's); the day is read again
  const first = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  await page.waitForTimeout(1_100); // so that the renewed token differs
  const refused = await breakStoredToken(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Day' })).toBeVisible();
  await expect.poll(refreshes).toBe(before + 1);
  // the fake counts the renewal when it answers it, a moment before the page stores the new token
  const stored = async () => (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  await expect.poll(stored).not.toBe(refused);
  const renewed = await stored();
  expect(refreshes()).toBe(before + 1);
  expect(claims(renewed)).toMatchObject({ sub: claims(first).sub, 'cognito:groups': ['frontdesk'] });
  // the day read with the renewed token: no refusal on screen, still signed in
  await expect(page.getByText(/^Updated \d{1,2}:\d{2} [AP]M/)).toBeVisible();
  await expect(page.getByText('Your session has ended')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(cognito.unexpected).toEqual([]);
});

test('an account whose code was never entered: the code on the sign-in page, then the client record', async ({ page, request, look }) => {
  const cognito = new FakeCognito(request);
  await cognito.install(page);
  const email = uniqueEmail('unconfirmed');
  cognito.addUser(email, PASSWORD, 'client', { confirmed: false });

  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Your e-mail address is not confirmed yet. Enter the code we e-mailed you.');
  await expect(page.getByText(`Enter the code we e-mailed to ${email} to confirm your address.`)).toBeVisible();
  await look('cognito-confirm-on-sign-in');
  await page.getByLabel('Code').fill(cognito.codeFor(email));
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();

  // signed in without a record: the record form of the sign-up page, then booking as the client
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByLabel('Date of birth')).toBeVisible();
  await page.getByLabel('Clinic').selectOption({ label: 'Hudson Wellness (demo)' });
  await page.getByLabel('First name').fill('Kim');
  await page.getByLabel('Last name').fill('Unconfirmed');
  // the address the sign-in verified, filled in and not editable (the record must use it)
  await expect(page.getByLabel('E-mail')).toHaveValue(email);
  await expect(page.getByLabel('E-mail')).toHaveAttribute('readonly', '');
  await page.getByLabel('Mobile phone').fill('(212) 555-0179');
  await page.getByLabel('Date of birth').fill('1979-11-02');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
  expect(claims((await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '')).toMatchObject({
    'custom:clientId': expect.stringMatching(/.+/),
  });
  expect(cognito.calls).toEqual([
    'InitiateAuth:USER_SRP_AUTH',
    'RespondToAuthChallenge:PASSWORD_VERIFIER', // UserNotConfirmedException
    'ConfirmSignUp',
    'InitiateAuth:USER_SRP_AUTH',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'InitiateAuth:REFRESH_TOKEN_AUTH',
  ]);
  expect(cognito.unexpected).toEqual([]);
});

/**
 * A client of Hudson Wellness (added by the front desk) with a Cognito account naming its record,
 * signed in on the password page and on the booking page with an open time chosen; the intake it
 * is about to book. Returns its id and the booking requests the page sends (method, token,
 * Idempotency-Key, body, status).
 */
async function clientAboutToBook(page: Page, request: APIRequestContext, cognito: FakeCognito, who: string) {
  const clientId = await newClient(request, await staffHeaders(request, 'frontdesk'), { firstName: 'Renee', lastName: 'Cognito' });
  const email = uniqueEmail(who);
  cognito.addUser(email, PASSWORD, 'client').clientId = clientId;
  const bookings: { authorization: string; key: string; body: string; status: Promise<number> }[] = [];
  page.on('request', (req) => {
    if (req.method() !== 'POST' || !req.url().endsWith('/v1/appointments')) return;
    bookings.push({
      authorization: req.headers().authorization ?? '',
      key: req.headers()['idempotency-key'] ?? '',
      body: req.postData() ?? '',
      status: req.response().then((r) => r?.status() ?? 0),
    });
  });
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My care' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Book' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
  await (await someTime(page)).click();
  await expect(page.getByRole('button', { name: 'Book this time' })).toBeVisible();
  return { clientId, bookings };
}

/** The token the tab keeps, its signature broken: the API refuses it (401) as it would a revoked or expired one. */
async function breakStoredToken(page: Page): Promise<string> {
  const live = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  const broken = `${live.slice(0, -6)}${live.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'}`;
  await page.evaluate(`sessionStorage.setItem('kapstone.token', ${JSON.stringify(broken)})`);
  return broken;
}

const appointmentsOf = async (request: APIRequestContext, clientId: string) => {
  const res = await request.get(`/v1/clients/${clientId}/appointments`, { headers: await staffHeaders(request, 'frontdesk') });
  expect(res.ok()).toBe(true);
  return (await res.json()) as { id: string; status: string }[];
};

test('a booking refused with 401 while the refresh token is good: the token renewed, the same booking sent once more, one appointment', async ({
  page,
  request,
  look,
}) => {
  const cognito = new FakeCognito(request);
  await cognito.install(page);
  const { clientId, bookings } = await clientAboutToBook(page, request, cognito, 'write-renewed');
  const refreshes = () => cognito.refreshCount();
  let before = refreshes();
  let broken = await breakStoredToken(page);
  await page.getByRole('button', { name: 'Book this time' }).click();
  // a parallel spec may take the time (or the room) meanwhile: the resend is refused as taken, nothing
  // is booked, and the case is tried again at another time
  const booked = page.getByRole('heading', { level: 1, name: 'You are booked' });
  const taken = page.getByRole('alert').filter({ hasText: 'Someone has just taken this time' });
  for (let attempt = 1; attempt < 4; attempt++) {
    await expect(booked.or(taken)).toBeVisible();
    if (await booked.isVisible()) break;
    expect(await Promise.all(bookings.map((b) => b.status))).toEqual([401, 409]);
    expect(await appointmentsOf(request, clientId)).toEqual([]);
    bookings.length = 0;
    before = refreshes();
    await (await someTime(page)).click();
    broken = await breakStoredToken(page);
    await page.getByRole('button', { name: 'Book this time' }).click();
  }
  await expect(booked).toBeVisible();
  await expect(page.getByText('Your session has ended')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await look('cognito-write-renewed');

  // the same request twice: refused with the broken token, then created with the renewed one
  expect(bookings).toHaveLength(2);
  const [first, second] = bookings as [(typeof bookings)[0], (typeof bookings)[0]];
  expect([await first.status, await second.status]).toEqual([401, 201]);
  expect(first.authorization).toBe(`Bearer ${broken}`);
  const renewed = (await page.evaluate<string | null>("sessionStorage.getItem('kapstone.token')")) ?? '';
  expect(second.authorization).toBe(`Bearer ${renewed}`);
  expect(renewed).not.toBe(broken);
  expect(claims(renewed)).toMatchObject({ 'custom:clientId': clientId });
  expect(first.key).toMatch(/.+/);
  expect(second.key).toBe(first.key);
  expect(JSON.parse(first.body)).toMatchObject({ clientId, clinicId: 'demo-nyc', service: 'intake' });
  expect(second.body).toBe(first.body);
  expect(refreshes()).toBe(before + 1);

  // one appointment, not two
  const appointments = await appointmentsOf(request, clientId);
  expect(appointments).toHaveLength(1);
  expect(appointments[0]).toMatchObject({ status: 'booked' });
  expect(cognito.unexpected).toEqual([]);
});

test('a booking refused with 401 when the refresh token is revoked too: not sent again, the session ended, nothing booked', async ({
  page,
  request,
}) => {
  const cognito = new FakeCognito(request);
  await cognito.install(page);
  const { clientId, bookings } = await clientAboutToBook(page, request, cognito, 'write-ended');
  // signed out elsewhere: the refresh token no longer renews anything
  cognito.revoked.add((await page.evaluate<string | null>("sessionStorage.getItem('kapstone.refresh')")) ?? '');

  await breakStoredToken(page);
  await page.getByRole('button', { name: 'Book this time' }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'This time could not be booked' });
  await expect(refused).toContainText('Your session has ended. Please sign in again.');
  await expect(refused.getByRole('link', { name: 'sign in again' })).toBeVisible();
  expect(await stored(page)).toEqual({ session: [], local: 0 });
  expect(bookings).toHaveLength(1);
  expect(await bookings[0]!.status).toBe(401);
  // a renewal was tried (the library asks again for about 5 s before it gives up on a refusal)
  expect(cognito.calls).toContain('InitiateAuth:REFRESH_TOKEN_AUTH');
  expect(await appointmentsOf(request, clientId)).toEqual([]);
  expect(cognito.unexpected).toEqual([]);
});
