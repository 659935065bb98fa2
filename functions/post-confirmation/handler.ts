// Lambda entry of Cognito's PostConfirmation trigger (infra/lib/kapstone-stack.ts): the client is
// built once per cold start.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createPostConfirmationHandler } from './app.ts';

export const handler = createPostConfirmationHandler(new CognitoIdentityProviderClient({ maxAttempts: 2 }));
