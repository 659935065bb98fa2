// The Cognito user directory (aws-sdk-client-mock): the one call sign-up makes, and how its
// failures come out (a UserDirectoryError with the SDK error's name, nothing Cognito said).
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  TooManyRequestsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoUserDirectory, createCognitoClient } from '#adapters/cognito-user-directory.ts';
import { cognitoUserDirectory, localUserDirectory, UserDirectoryError } from '#adapters/user-directory.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
afterEach(() => cognito.reset());

const POOL = 'us-east-1_Example1';
const SUB = '8f1c2a54-1111-4c7e-9a51-6a3f0e2b7c11';
const directory = () => new CognitoUserDirectory(createCognitoClient('us-east-1'), POOL);

describe('CognitoUserDirectory.linkClient', () => {
  it('sets custom:clientId on the user named by its sub, in the pool, and nothing else', async () => {
    cognito.on(AdminUpdateUserAttributesCommand).resolves({});
    await directory().linkClient(SUB, 'cli_123');
    const calls = cognito.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0]).toBeInstanceOf(AdminUpdateUserAttributesCommand);
    expect(calls[0]!.args[0].input).toStrictEqual({
      UserPoolId: POOL,
      Username: SUB,
      UserAttributes: [{ Name: 'custom:clientId', Value: 'cli_123' }],
    });
  });

  it('is idempotent: linking again sends the same request, which Cognito takes again', async () => {
    cognito.on(AdminUpdateUserAttributesCommand).resolves({});
    const d = directory();
    await d.linkClient(SUB, 'cli_123');
    await d.linkClient(SUB, 'cli_123');
    const [first, second] = cognito.commandCalls(AdminUpdateUserAttributesCommand).map((c) => c.args[0].input);
    expect(second).toStrictEqual(first);
  });

  it.each([
    ['an unknown user', new UserNotFoundException({ message: `User ${SUB} does not exist.`, $metadata: { httpStatusCode: 400 } })],
    ['throttling', new TooManyRequestsException({ message: 'Too many requests', $metadata: { httpStatusCode: 429 } })],
    ['no answer', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })],
  ])('fails on %s with a UserDirectoryError naming the error, not what Cognito said', async (_what, err) => {
    cognito.on(AdminUpdateUserAttributesCommand).rejects(err);
    const failure = await directory()
      .linkClient(SUB, 'cli_123')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserDirectoryError);
    expect((failure as UserDirectoryError).code).toBe(err.name);
    expect((failure as Error).message).not.toContain(SUB);
  });

  it('tries a call twice at most (each attempt bounded by its connect and request timeouts)', async () => {
    expect(await createCognitoClient('us-east-1').config.maxAttempts()).toBe(2);
  });
});

describe('cognitoUserDirectory (loaded on first use)', () => {
  it('links through the pool it is given', async () => {
    cognito.on(AdminUpdateUserAttributesCommand).resolves({});
    await cognitoUserDirectory({ region: 'us-east-1', userPoolId: POOL }).linkClient(SUB, 'cli_9');
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)[0]!.args[0].input).toMatchObject({ UserPoolId: POOL, Username: SUB });
  });

  it('without a pool id fails every link (a logged failure), and calls nothing', async () => {
    const failure = await cognitoUserDirectory({ region: 'us-east-1' })
      .linkClient(SUB, 'cli_9')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserDirectoryError);
    expect((failure as UserDirectoryError).code).toBe('NoUserPool');
    expect(cognito.calls()).toHaveLength(0);
  });
});

describe('localUserDirectory', () => {
  it('does nothing (local tokens get their clientId from POST /v1/dev/token)', async () => {
    await expect(localUserDirectory.linkClient(SUB, 'cli_1')).resolves.toBeUndefined();
    expect(cognito.calls()).toHaveLength(0);
  });
});
