// The seam between the app and whoever signs people in. Locally that is the local server's
// `POST /v1/dev/token` ("choose who you are", local-provider.ts); on AWS it is Cognito
// (cognito.ts: sign-up with e-mail + password and a verification code, sign-in for clients and
// staff), a second implementation of this interface. Only main.tsx chooses between them; the
// sign-in and sign-up pages read `kind` to show the matching form.

import type { Role } from './session.ts';

/** A person the local sign-in page offers: a demo client of a clinic, or a staff role there. */
export interface DemoClient {
  id: string;
  clinicId: string;
  name: string;
}

/** What the local provider signs in as. */
export type LocalIdentity =
  | { kind: 'client'; clientId: string }
  | { kind: 'new-client'; email: string }
  | { kind: 'staff'; role: Exclude<Role, 'client'>; clinicId?: string };

/** What the Cognito provider signs in with (clients and staff alike). */
export interface PasswordIdentity {
  kind: 'password';
  email: string;
  password: string;
}

/**
 * A refusal of the sign-in service, already in plain words (`message`); `code` is the service's
 * name for it (e.g. `CodeMismatchException`), or one of the steps a sign-in can still need:
 * `UserNotConfirmedException` (enter the e-mailed code), `NewPasswordRequired` (a staff account's
 * temporary password), `MfaRequired` (the authenticator app's code).
 */
export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/** The e-mail + password account flows (Cognito only). */
export interface AccountFlows {
  /** Creates the account; resolves to where the code went (a masked e-mail address), if said. */
  signUp(email: string, password: string): Promise<{ destination?: string }>;
  confirmSignUp(email: string, code: string): Promise<void>;
  resendCode(email: string): Promise<{ destination?: string }>;
  forgotPassword(email: string): Promise<{ destination?: string }>;
  confirmForgotPassword(email: string, code: string, newPassword: string): Promise<void>;
  /** Finishes a sign-in that answered `NewPasswordRequired`; resolves to the token. */
  completeNewPassword(newPassword: string): Promise<string>;
  /** Finishes a sign-in that answered `MfaRequired`; resolves to the token. */
  confirmMfa(code: string): Promise<string>;
}

export interface AuthProvider {
  /** 'local': the choose-who-you-are page; 'cognito': e-mail and password. */
  readonly kind: 'local' | 'cognito';
  /** Demo people to choose from (local only; the Cognito provider has none). */
  demoClients(): Promise<DemoClient[]>;
  /** Signs in; resolves to the token (an ID token on AWS). Each provider refuses the other's kind. */
  signIn(identity: LocalIdentity | PasswordIdentity): Promise<string>;
  /** Sign-up, verification code, forgotten password (Cognito only). */
  readonly account?: AccountFlows;
  /**
   * A new token after the person's client record was created from the app, so that it carries
   * `custom:clientId` (on AWS the API sets the attribute; the app then refreshes the token).
   */
  refresh(current: string, clientId: string): Promise<string>;
  /**
   * A new token for the same person before `current` expires (Cognito: the refresh token; an ID
   * token lasts an hour). Absent where tokens outlast a working day (the local provider's 12 h).
   */
  renew?(current: string): Promise<string>;
  signOut(): Promise<void>;
}
