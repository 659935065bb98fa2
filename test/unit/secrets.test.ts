// Stripe's keys from Secrets Manager (aws-sdk-client-mock): what is asked for, what a valid secret
// gives, and that a malformed or missing secret stops the cold start without showing its content.
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadStripeKeys, SecretError } from '#adapters/secrets.ts';

const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());
const client = () => new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kapstone-stripe-AbCdEf';

describe('loadStripeKeys', () => {
  it('reads the secret by its ARN and returns both keys', async () => {
    sm.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ secretKey: 'sk_test_123', webhookSecret: 'whsec_456', note: 'ignored' }),
    });
    expect(await loadStripeKeys(client(), ARN)).toEqual({ secretKey: 'sk_test_123', webhookSecret: 'whsec_456' });
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: ARN }]);
  });

  it.each([
    ['not JSON', 'sk_live_oops', /is not JSON/],
    ['a JSON array', '["sk_x","whsec_y"]', /is not a JSON object/],
    ['no webhook secret', JSON.stringify({ secretKey: 'sk_test_123' }), /lacks a valid webhookSecret \(whsec_…\)$/],
    [
      'keys swapped',
      JSON.stringify({ secretKey: 'whsec_456', webhookSecret: 'sk_test_123' }),
      /lacks a valid secretKey \(sk_…\), webhookSecret \(whsec_…\)$/,
    ],
    ['a key that is only its prefix', JSON.stringify({ secretKey: 'sk_', webhookSecret: 'whsec_456' }), /lacks a valid secretKey/],
    ['a key that is not text', JSON.stringify({ secretKey: 42, webhookSecret: 'whsec_456' }), /lacks a valid secretKey/],
  ])('malformed (%s): refused, naming the secret but none of its content', async (_what, secretString, message) => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretString });
    const err = await loadStripeKeys(client(), ARN).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(ARN);
    expect((err as Error).message).not.toMatch(/sk_test_123|whsec_456|sk_live_oops|42/);
  });

  it('missing (no such secret): refused, with the SDK error as its cause', async () => {
    const notFound = new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
    sm.on(GetSecretValueCommand).rejects(notFound);
    const err = await loadStripeKeys(client(), ARN).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretError);
    expect((err as Error).message).toBe(`Stripe secret ${ARN} could not be read (ResourceNotFoundException)`);
    expect((err as Error).cause).toBe(notFound);
  });

  it('missing (a binary secret, no SecretString): refused', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    await expect(loadStripeKeys(client(), ARN)).rejects.toThrow(`Stripe secret ${ARN} has no SecretString`);
  });
});
