// The Cognito AuthProvider (web/src/auth/cognito.ts) with amazon-cognito-identity-js replaced by
// a fake pool at module level: sign-up → code → sign-in → refresh naming the new client, and the
// service's refusals in plain words.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const jwt = (claims: Record<string, unknown>) =>
  `h.${Buffer.from(JSON.stringify({ exp: 4_000_000_000, ...claims })).toString('base64url')}.s`;
const fail = (code: string, message = code) => Object.assign(new Error(message), { code, name: code });

const fake = vi.hoisted(() => ({
  users: new Map<string, { password: string; confirmed: boolean; code: string; clientId?: string }>(),
  calls: [] as string[],
}));

vi.mock('amazon-cognito-identity-js', () => {
  const session = (email: string) => {
    const u = fake.users.get(email)!;
    const id = jwt({
      sub: `sub-${email}`,
      'cognito:username': email,
      'cognito:groups': ['client'],
      ...(u.clientId ? { 'custom:clientId': u.clientId } : {}),
    });
    return { getIdToken: () => ({ getJwtToken: () => id }), getRefreshToken: () => ({ getToken: () => `refresh-${email}` }) };
  };
  class CognitoUserPool {
    signUp(email: string, password: string, _a: unknown, _v: unknown, cb: (e: unknown, r?: unknown) => void) {
      fake.calls.push('SignUp');
      if (fake.users.has(email)) return cb(fail('UsernameExistsException'));
      fake.users.set(email, { password, confirmed: false, code: '123456' });
      cb(null, { codeDeliveryDetails: { Destination: 'n***@e***' } });
    }
  }
  class CognitoUser {
    private readonly email: string;
    constructor(d: { Username: string }) {
      this.email = d.Username;
    }
    confirmRegistration(code: string, _f: boolean, cb: (e: unknown) => void) {
      fake.calls.push('ConfirmSignUp');
      const u = fake.users.get(this.email)!;
      if (code !== u.code) return cb(fail('CodeMismatchException', 'Invalid verification code provided, please try again.'));
      u.confirmed = true;
      cb(null);
    }
    resendConfirmationCode(cb: (e: unknown, d?: unknown) => void) {
      fake.calls.push('ResendConfirmationCode');
      cb(null, { CodeDeliveryDetails: { Destination: 'n***@e***' } });
    }
    authenticateUser(details: { password: string }, cb: { onSuccess: (s: unknown) => void; onFailure: (e: unknown) => void }) {
      fake.calls.push('SRP');
      const u = fake.users.get(this.email);
      if (!u || u.password !== details.password) return cb.onFailure(fail('NotAuthorizedException', 'Incorrect username or password.'));
      if (!u.confirmed) return cb.onFailure(fail('UserNotConfirmedException'));
      cb.onSuccess(session(this.email));
    }
    refreshSession(token: { token: string }, cb: (e: unknown, s?: unknown) => void) {
      fake.calls.push(`Refresh:${token.token}`);
      cb(null, session(this.email));
    }
    getSignInUserSession() {
      return null;
    }
    signOut() {
      fake.calls.push('SignOut');
    }
  }
  class AuthenticationDetails {
    readonly password: string;
    constructor(d: { Password: string }) {
      this.password = d.Password;
    }
  }
  class CognitoRefreshToken {
    readonly token: string;
    constructor(d: { RefreshToken: string }) {
      this.token = d.RefreshToken;
    }
  }
  class CognitoUserAttribute {}
  return { CognitoUserPool, CognitoUser, AuthenticationDetails, CognitoRefreshToken, CognitoUserAttribute };
});

const { cognitoAuthProvider } = await import('../../web/src/auth/cognito.ts');
const { AuthError } = await import('../../web/src/auth/provider.ts');
const { sessionOf } = await import('../../web/src/auth/session.ts');

const store = new Map<string, string>();
vi.stubGlobal('sessionStorage', {
  getItem: (k: string) => store.get(k) ?? null,
  setItem: (k: string, v: string) => store.set(k, v),
  removeItem: (k: string) => store.delete(k),
});

const provider = () => cognitoAuthProvider({ userPoolId: 'us-east-1_test', userPoolClientId: 'client' });
const EMAIL = 'new@example.com';
const PASSWORD = 'Correct-horse-9!';

beforeEach(() => {
  fake.users.clear();
  fake.calls.length = 0;
  store.clear();
});

describe('cognitoAuthProvider', () => {
  it('signs up, confirms the code, signs in, and refreshes into a token naming the new client', async () => {
    const auth = provider();
    expect(auth.kind).toBe('cognito');
    expect(await auth.account!.signUp(EMAIL, PASSWORD)).toEqual({ destination: 'n***@e***' });
    expect(await auth.account!.resendCode(EMAIL)).toEqual({ destination: 'n***@e***' });
    await auth.account!.confirmSignUp(EMAIL, ' 123456 ');
    const first = await auth.signIn({ kind: 'password', email: EMAIL, password: PASSWORD });
    expect(sessionOf(first)).toMatchObject({ role: 'client', clientId: undefined });
    expect(store.get('kapstone.refresh')).toBe(`refresh-${EMAIL}`);

    // the API's POST /v1/clients answers 201 and sets custom:clientId on the user
    fake.users.get(EMAIL)!.clientId = 'cli_1';
    const fresh = await auth.refresh(first, 'cli_1');
    expect(sessionOf(fresh)).toMatchObject({ role: 'client', clientId: 'cli_1' });
    expect(fake.calls).toEqual(['SignUp', 'ResendConfirmationCode', 'ConfirmSignUp', 'SRP', `Refresh:refresh-${EMAIL}`]);

    await auth.signOut();
    expect(store.has('kapstone.refresh')).toBe(false);
    await expect(auth.refresh(fresh, 'cli_1')).rejects.toThrow('Please sign in again');
  });

  it('says a wrong code in plain words', async () => {
    const auth = provider();
    await auth.account!.signUp(EMAIL, PASSWORD);
    const err = await auth.account!.confirmSignUp(EMAIL, '000000').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ code: 'CodeMismatchException', message: expect.stringMatching(/^That code is not right/) });
  });

  it('says a refused sign-in in plain words, and an unconfirmed account asks for the code', async () => {
    const auth = provider();
    await auth.account!.signUp(EMAIL, PASSWORD);
    await expect(auth.signIn({ kind: 'password', email: EMAIL, password: PASSWORD })).rejects.toMatchObject({
      code: 'UserNotConfirmedException',
    });
    await auth.account!.confirmSignUp(EMAIL, '123456');
    const err = await auth.signIn({ kind: 'password', email: EMAIL, password: 'wrong' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'The e-mail address or password is not right. Check both and try again.',
    });
    expect((err as Error).message).not.toContain('Incorrect username');
    const again = await auth.account!.signUp(EMAIL, PASSWORD).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'UsernameExistsException' });
  });

  it('keeps the record id from the 201 when the refreshed token still lacks it', async () => {
    vi.useFakeTimers();
    try {
      const auth = provider();
      await auth.account!.signUp(EMAIL, PASSWORD);
      await auth.account!.confirmSignUp(EMAIL, '123456');
      const first = await auth.signIn({ kind: 'password', email: EMAIL, password: PASSWORD });
      const pending = auth.refresh(first, 'cli_2');
      await vi.advanceTimersByTimeAsync(1_000);
      const token = await pending;
      expect(sessionOf(token)?.clientId).toBeUndefined();
      const { sessionWithHint } = await import('../../web/src/auth/session.ts');
      expect(sessionWithHint(token, 'cli_2')).toMatchObject({ role: 'client', clientId: 'cli_2' });
    } finally {
      vi.useRealTimers();
    }
  });
});
