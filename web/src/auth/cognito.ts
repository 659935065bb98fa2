// The AuthProvider on AWS: the Cognito user pool of infra/lib/auth.ts, through
// `amazon-cognito-identity-js` (AWS's SRP implementation for the browser: the password never
// leaves the page). Clients sign up with e-mail + password and confirm the code e-mailed to them;
// clients and staff sign in on the same form, the role coming from the ID token's
// `cognito:groups`. A new client then creates its record (POST /v1/clients, the sign-up page), the
// API sets `custom:clientId` on the user, and `refresh` gets an ID token that carries it.
//
// Storage: the app keeps the ID token (session.ts, sessionStorage) and this file keeps the refresh
// token next to it (sessionStorage, gone with the tab, cleared on sign-out). The library's own
// token cache would go to localStorage by default; it is given an in-memory store instead.
import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
  type IAuthenticationCallback,
} from 'amazon-cognito-identity-js';
import { tabStorage } from './session.ts';
import { AuthError, type AccountFlows, type AuthProvider, type LocalIdentity, type PasswordIdentity } from './provider.ts';

const REFRESH_KEY = 'kapstone.refresh';

export interface CognitoSettings {
  userPoolId: string;
  userPoolClientId: string;
}

/** The service's refusals in words a person understands (the password rules: infra/lib/auth.ts). */
const PLAIN: Record<string, string> = {
  NotAuthorizedException: 'The e-mail address or password is not right. Check both and try again.',
  UserNotFoundException: 'The e-mail address or password is not right. Check both and try again.',
  UserNotConfirmedException: 'Your e-mail address is not confirmed yet. Enter the code we e-mailed you.',
  CodeMismatchException: 'That code is not right. Check the latest e-mail from us and type the code again.',
  ExpiredCodeException: 'That code has expired. Ask for a new one and use it within 24 hours.',
  UsernameExistsException: 'An account with this e-mail address already exists. Sign in instead, or reset your password.',
  InvalidPasswordException:
    'Choose a password of at least 12 characters with an upper-case letter, a lower-case letter, a digit and a symbol.',
  InvalidParameterException: 'Check the e-mail address and the password: one of them is not in a form we accept.',
  LimitExceededException: 'Too many attempts. Please wait a few minutes and try again.',
  TooManyRequestsException: 'Too many attempts. Please wait a few minutes and try again.',
  TooManyFailedAttemptsException: 'Too many attempts. Please wait a few minutes and try again.',
  PasswordResetRequiredException: 'Your password has to be reset. Choose "Forgot your password?" to get a code by e-mail.',
  CodeDeliveryFailureException: 'We could not send the code to this e-mail address. Check it and try again.',
  NetworkError: 'The sign-in service could not be reached. Check your connection and try again.',
  NewPasswordRequired: 'Choose a new password to finish signing in.',
  MfaRequired: 'Enter the 6-digit code from your authenticator app.',
  NoRefreshToken: 'Your sign-in has ended. Please sign in again.',
};

/** Any error of the library (`{ code, name, message }`) as an AuthError with plain words. */
export function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  const e = (err ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : '';
  // the same code says "too many attempts" once the password was wrong too often
  if (code === 'NotAuthorizedException' && /attempts exceeded/i.test(message))
    return new AuthError(code, PLAIN.TooManyFailedAttemptsException!);
  return new AuthError(code, PLAIN[code] ?? 'The sign-in service did not answer as expected. Please try again in a moment.');
}

/** The library's token cache, kept in memory (never localStorage). */
class MemoryStorage implements ICognitoStorage {
  private readonly items = new Map<string, string>();
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

const refreshStore = {
  read: () => {
    try {
      return tabStorage().getItem(REFRESH_KEY);
    } catch {
      return null;
    }
  },
  write: (token: string) => tabStorage().setItem(REFRESH_KEY, token),
  clear: () => tabStorage().removeItem(REFRESH_KEY),
};

function claimsOf(token: string): Record<string, unknown> {
  try {
    const part = token.split('.')[1] ?? '';
    const bytes = Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const destinationOf = (data: unknown): { destination?: string } => {
  const d = (data as { CodeDeliveryDetails?: { Destination?: unknown }; codeDeliveryDetails?: { Destination?: unknown } } | null) ?? {};
  const dest = (d.CodeDeliveryDetails ?? d.codeDeliveryDetails)?.Destination;
  return typeof dest === 'string' ? { destination: dest } : {};
};

export function cognitoAuthProvider(settings: CognitoSettings): AuthProvider {
  const storage = new MemoryStorage();
  const pool = new CognitoUserPool({ UserPoolId: settings.userPoolId, ClientId: settings.userPoolClientId, Storage: storage });
  const userOf = (username: string) => new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  /** The user of the last sign-in: a pending challenge (new password, MFA) continues on it. */
  let current: CognitoUser | null = null;

  const signedIn = (session: CognitoUserSession): string => {
    refreshStore.write(session.getRefreshToken().getToken());
    return session.getIdToken().getJwtToken();
  };

  /** A new ID token for the person of `currentToken`, from the refresh token this tab keeps. */
  const refreshOnce = (currentToken: string) => {
    const refreshToken = refreshStore.read();
    if (!refreshToken) return Promise.reject(new AuthError('NoRefreshToken', PLAIN.NoRefreshToken!));
    const claims = claimsOf(currentToken);
    const username =
      typeof claims['cognito:username'] === 'string' ? claims['cognito:username'] : typeof claims.sub === 'string' ? claims.sub : '';
    return new Promise<string>((resolve, reject) => {
      userOf(username).refreshSession(
        new CognitoRefreshToken({ RefreshToken: refreshToken }),
        (err: unknown, session: CognitoUserSession) => (err ? reject(toAuthError(err)) : resolve(signedIn(session))),
      );
    });
  };

  /** The callbacks of a sign-in step: a token, or an AuthError naming the step still needed. */
  const authCallbacks = (resolve: (token: string) => void, reject: (err: AuthError) => void): IAuthenticationCallback => ({
    onSuccess: (session) => resolve(signedIn(session)),
    onFailure: (err) => reject(toAuthError(err)),
    newPasswordRequired: () => reject(new AuthError('NewPasswordRequired', PLAIN.NewPasswordRequired!)),
    totpRequired: () => reject(new AuthError('MfaRequired', PLAIN.MfaRequired!)),
    mfaRequired: () => reject(new AuthError('MfaRequired', PLAIN.MfaRequired!)),
  });

  const pending = (): CognitoUser => {
    if (!current) throw new AuthError('NoRefreshToken', 'Please start signing in again.');
    return current;
  };

  const account: AccountFlows = {
    signUp: (email, password) =>
      new Promise((resolve, reject) => {
        const attributes = [new CognitoUserAttribute({ Name: 'email', Value: email })];
        pool.signUp(email, password, attributes, [], (err, result) =>
          err ? reject(toAuthError(err)) : resolve(destinationOf({ CodeDeliveryDetails: result?.codeDeliveryDetails })),
        );
      }),
    confirmSignUp: (email, code) =>
      new Promise((resolve, reject) => {
        userOf(email).confirmRegistration(code.trim(), true, (err) => (err ? reject(toAuthError(err)) : resolve()));
      }),
    resendCode: (email) =>
      new Promise((resolve, reject) => {
        userOf(email).resendConfirmationCode((err, data) => (err ? reject(toAuthError(err)) : resolve(destinationOf(data))));
      }),
    forgotPassword: (email) =>
      new Promise((resolve, reject) => {
        userOf(email).forgotPassword({
          onSuccess: (data) => resolve(destinationOf(data)),
          onFailure: (err) => reject(toAuthError(err)),
          inputVerificationCode: (data) => resolve(destinationOf(data)),
        });
      }),
    confirmForgotPassword: (email, code, newPassword) =>
      new Promise((resolve, reject) => {
        userOf(email).confirmPassword(code.trim(), newPassword, {
          onSuccess: () => resolve(),
          onFailure: (err) => reject(toAuthError(err)),
        });
      }),
    completeNewPassword: (newPassword) =>
      new Promise((resolve, reject) => {
        pending().completeNewPasswordChallenge(newPassword, {}, authCallbacks(resolve, reject));
      }),
    confirmMfa: (code) =>
      new Promise((resolve, reject) => {
        const { onSuccess, onFailure } = authCallbacks(resolve, reject);
        pending().sendMFACode(code.trim(), { onSuccess, onFailure }, 'SOFTWARE_TOKEN_MFA');
      }),
  };

  return {
    kind: 'cognito',
    account,
    async demoClients() {
      return [];
    },
    signIn(who: LocalIdentity | PasswordIdentity) {
      if (who.kind !== 'password') return Promise.reject(new Error('On AWS people sign in with their e-mail and password'));
      return new Promise<string>((resolve, reject) => {
        current = userOf(who.email.trim());
        // SRP (USER_SRP_AUTH, the library's default): the app client has no secret (infra/lib/auth.ts)
        current.authenticateUser(
          new AuthenticationDetails({ Username: who.email.trim(), Password: who.password }),
          authCallbacks(resolve, reject),
        );
      });
    },
    async refresh(currentToken, clientId) {
      // the API set custom:clientId before answering 201, so the fresh token normally carries it;
      // one more try after a second, else the caller keeps the record's id (AppProvider.signedIn's
      // hint; the API links a client's token to its record by `sub` as well)
      const first = await refreshOnce(currentToken);
      if (claimsOf(first)['custom:clientId'] === clientId) return first;
      await new Promise((r) => setTimeout(r, 1_000));
      return refreshOnce(currentToken);
    },
    renew: (currentToken) => refreshOnce(currentToken),
    async signOut() {
      // revokes the refresh token when this tab signed in (the app client has token revocation
      // on), without waiting for it; the ID token lapses within the hour. The library revokes only
      // when given a callback: signOut() without one just forgets the tokens in the page
      current?.signOut(() => undefined);
      current = null;
      refreshStore.clear();
      storage.clear();
    },
  };
}
