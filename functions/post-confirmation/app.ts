// Cognito's PostConfirmation trigger: a user who signed itself up and confirmed its e-mail joins
// the `client` group, so its tokens carry `cognito:groups: ["client"]` and the API admits it as a
// client signing up (shared/auth/policy.ts, the 'signup' grant). Staff are created by an admin
// with their group and confirmed by AdminCreateUser (trigger source PostConfirmation_ConfirmSignUp
// is never theirs); a forgotten password's confirmation (PostConfirmation_ConfirmForgotPassword)
// changes no group.
import { AdminAddUserToGroupCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';

/** The group a self-signed-up user joins: the clients'. */
export const SELF_SIGN_UP_GROUP = 'client';

export function createPostConfirmationHandler(cognito: Pick<CognitoIdentityProviderClient, 'send'>) {
  return async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => {
    if (event.triggerSource === 'PostConfirmation_ConfirmSignUp') {
      // adding a member twice is a success: a retried trigger changes nothing
      await cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: event.userPoolId, Username: event.userName, GroupName: SELF_SIGN_UP_GROUP }),
      );
    }
    // Cognito expects the event back
    return event;
  };
}
