// The directory of signed-in users (Cognito on AWS): after a user signed itself up, its identity
// is told which client record is its own, as `custom:clientId`, so that its next token carries it
// (docs/api.md: POST /v1/clients; docs/decisions.md, "Sign-up links the Cognito user").
//
// The record's `USER#<sub>` item in the table is what links the two (shared/db/client-repo.ts),
// and the router reads it for a token without `custom:clientId`: the attribute saves that read
// and lets the app know its record from its token. Only the API writes it; the app client may not
// (infra/lib/auth.ts).
import { onFirstUse } from './on-first-use.ts';

export interface UserDirectory {
  /**
   * Sets the user's `custom:clientId` to `clientId`. Idempotent: setting it again to the same
   * value changes nothing. Throws a UserDirectoryError when the directory refused or did not answer.
   */
  linkClient(sub: string, clientId: string): Promise<void>;
}

export class UserDirectoryError extends Error {
  override readonly name = 'UserDirectoryError';
  constructor(
    message: string,
    /** The directory's error name (e.g. UserNotFoundException, TimeoutError): for logs, never a user's detail. */
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * Locally there is no directory: `POST /v1/dev/token` mints a new token with the `clientId`
 * (infra/local/auth.ts), and meanwhile the router finds the record by its `USER#<sub>` link.
 */
export const localUserDirectory: UserDirectory = {
  linkClient: async () => undefined,
};

/**
 * The Cognito user pool's directory. The SDK client and its module are loaded with the first
 * sign-up of the process, not at cold start: most requests never link anyone (docs/decisions.md,
 * "Cold start"). Without a pool id every link fails (and is logged by the caller), rather than
 * the function failing to start for every route.
 */
export function cognitoUserDirectory(opts: { region: string; userPoolId?: string | undefined }): UserDirectory {
  const { region, userPoolId } = opts;
  const directory = onFirstUse(async () => {
    if (!userPoolId) throw new UserDirectoryError('No user pool is configured (USER_POOL_ID)', 'NoUserPool');
    const { CognitoUserDirectory, createCognitoClient } = await import('./cognito-user-directory.ts');
    return new CognitoUserDirectory(createCognitoClient(region), userPoolId);
  });
  return { linkClient: async (sub, clientId) => (await directory()).linkClient(sub, clientId) };
}
