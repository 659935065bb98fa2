// The seam between the app and whoever signs people in. Locally that is the local server's
// `POST /v1/dev/token` ("choose who you are", local-provider.ts); on AWS it will be Cognito
// (sign-up with e-mail + password and a verification code, sign-in for clients and staff), a
// second implementation of this interface that the pages do not need to know about.

import type { Role } from './session.ts';

/** A person the local sign-in page offers: a demo client of a clinic, or a staff role there. */
export interface DemoClient {
  id: string;
  clinicId: string;
  name: string;
}

/** What the local provider signs in as; a Cognito provider would take credentials instead. */
export type LocalIdentity =
  | { kind: 'client'; clientId: string }
  | { kind: 'new-client'; email: string }
  | { kind: 'staff'; role: Exclude<Role, 'client'>; clinicId?: string };

export interface AuthProvider {
  /** 'local': the choose-who-you-are page; 'cognito': e-mail and password (not built yet). */
  readonly kind: 'local' | 'cognito';
  /** Demo people to choose from (local only). */
  demoClients(): Promise<DemoClient[]>;
  /** Signs in; resolves to the token. */
  signIn(identity: LocalIdentity): Promise<string>;
  /**
   * A new token after the person's client record was created from the app, so that it carries
   * `custom:clientId` (on AWS the API sets the attribute; the app then refreshes the token).
   */
  refresh(current: string, clientId: string): Promise<string>;
  signOut(): Promise<void>;
}
