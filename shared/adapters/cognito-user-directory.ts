// The user directory on AWS: the Cognito user pool of infra/lib/auth.ts. Loaded by
// cognitoUserDirectory (./user-directory.ts) with the first sign-up of a process.
//
// Username: the user's `sub`. The pool signs in with e-mail as its username attribute
// (`signInAliases: { email: true }`), so Cognito made up each user's username itself, and the
// admin API accepts a local user's `sub` in its place. The `sub` never changes, while the e-mail
// address may, and it is what the principal carries (shared/auth/principal.ts); `cognito:username`
// (ID token) or `username` (access token) would be one more claim to carry for nothing.
import { AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { UserDirectoryError, type UserDirectory } from './user-directory.ts';

/** The attribute that names a user's client record (infra/lib/auth.ts; read by shared/auth/principal.ts). */
export const CLIENT_ID_ATTRIBUTE = 'custom:clientId';

/**
 * Bounded like the DynamoDB client (shared/db/client.ts): a Cognito that does not answer costs a
 * sign-up at most about 5 s (two attempts of 2 s, and a back-off), inside the function's 10 s.
 */
export function createCognitoClient(region: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region,
    maxAttempts: 2,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
}

export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async linkClient(sub: string, clientId: string): Promise<void> {
    try {
      await this.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: this.userPoolId,
          Username: sub,
          UserAttributes: [{ Name: CLIENT_ID_ATTRIBUTE, Value: clientId }],
        }),
      );
    } catch (err) {
      // Cognito's message may name the user: only the error's name goes on.
      const name = (err as { name?: unknown } | null)?.name;
      throw new UserDirectoryError('Cognito did not set the client id on the user', typeof name === 'string' ? name : 'Error');
    }
  }
}
