// Cognito's PostConfirmation trigger (functions/post-confirmation): a user who confirmed its own
// sign-up joins the client group; other confirmations change nothing. Cognito's API mocked.
import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { createPostConfirmationHandler } from '#functions/post-confirmation/app.ts';

const event = (triggerSource: PostConfirmationTriggerEvent['triggerSource']): PostConfirmationTriggerEvent => ({
  version: '1',
  region: 'us-east-1',
  userPoolId: 'us-east-1_pool',
  userName: 'a1b2c3d4-sub',
  triggerSource,
  callerContext: { awsSdkVersion: '3', clientId: 'app' },
  request: { userAttributes: { sub: 'a1b2c3d4-sub', email: 'new@example.com' } },
  response: {},
});

describe('PostConfirmation trigger', () => {
  it('a confirmed self sign-up joins the client group, and the event goes back to Cognito', async () => {
    const cognito = mockClient(CognitoIdentityProviderClient);
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    const e = event('PostConfirmation_ConfirmSignUp');
    expect(await createPostConfirmationHandler(new CognitoIdentityProviderClient({}))(e)).toBe(e);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input)).toEqual([
      { UserPoolId: 'us-east-1_pool', Username: 'a1b2c3d4-sub', GroupName: 'client' },
    ]);
    cognito.restore();
  });

  it('a confirmed forgotten password changes no group', async () => {
    const cognito = mockClient(CognitoIdentityProviderClient);
    await createPostConfirmationHandler(new CognitoIdentityProviderClient({}))(event('PostConfirmation_ConfirmForgotPassword'));
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
    cognito.restore();
  });

  it('a failure fails the trigger (Cognito reports it to the user, who confirms again)', async () => {
    const cognito = mockClient(CognitoIdentityProviderClient);
    cognito.on(AdminAddUserToGroupCommand).rejects(new Error('TooManyRequestsException'));
    await expect(
      createPostConfirmationHandler(new CognitoIdentityProviderClient({}))(event('PostConfirmation_ConfirmSignUp')),
    ).rejects.toThrow();
    cognito.restore();
  });
});
