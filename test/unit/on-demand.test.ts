// What the Lambda entries make on first use instead of at cold start (docs/decisions.md, "Cold
// start"): onFirstUse keeps a success and retries after a failure; the payments function's Stripe
// gateway comes from the secret when first asked for; the gateway of its Stripe-free app refuses
// every call; the bearer-token verifier loads aws-jwt-verify with the first token.
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { onFirstUse } from '#adapters/on-first-use.ts';
import { gatewayRefusing, stripeGatewayFromSecret } from '#adapters/stripe-on-demand.ts';
import { SecretError } from '#adapters/secrets.ts';
import { StripeGateway } from '#adapters/stripe-gateway.ts';
import { InvalidSignatureError } from '#adapters/payment-gateway.ts';
import { cognitoTokenVerifier } from '#adapters/token-verifier.ts';
import { signEvent } from '#infra/local/stripe-stub.ts';

describe('onFirstUse', () => {
  it('runs load once, for concurrent first calls too, and keeps its result', async () => {
    let runs = 0;
    const get = onFirstUse(async () => {
      runs += 1;
      await new Promise((ok) => setTimeout(ok, 5));
      return { n: runs };
    });
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
    expect(runs).toBe(1);
  });

  it('does not keep a failure: its callers get the error, the next call runs load again', async () => {
    let runs = 0;
    const get = onFirstUse(async () => {
      runs += 1;
      await Promise.resolve();
      if (runs === 1) throw new Error('first run fails');
      return runs;
    });
    const [a, b] = await Promise.allSettled([get(), get()]);
    expect(a).toMatchObject({ status: 'rejected', reason: { message: 'first run fails' } });
    expect(b).toMatchObject({ status: 'rejected', reason: { message: 'first run fails' } });
    expect(await get()).toBe(2);
    expect(await get()).toBe(2);
    expect(runs).toBe(2);
  });
});

describe('stripeGatewayFromSecret', () => {
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => sm.reset());
  const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kapstone-stripe-AbCdEf';
  const opts = { region: 'us-east-1', secretArn: ARN };

  it('reads the secret by its ARN and gives a StripeGateway with its keys', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ secretKey: 'sk_test_123', webhookSecret: 'whsec_456' }) });
    const gateway = await stripeGatewayFromSecret(opts);
    expect(gateway).toBeInstanceOf(StripeGateway);
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: ARN }]);
    // the webhook secret is the secret's: an event signed with it passes, one signed otherwise does not
    const event = { id: 'evt_1', object: 'event', type: 'checkout.session.completed', created: 1, data: { object: { id: 'cs_1' } } };
    const nowSec = Math.floor(Date.now() / 1000);
    const good = signEvent(event, 'whsec_456', nowSec);
    expect(gateway.verifyWebhook(good.payload, good.header, nowSec * 1000).id).toBe('evt_1');
    const other = signEvent(event, 'whsec_other', nowSec);
    expect(() => gateway.verifyWebhook(other.payload, other.header, nowSec * 1000)).toThrow(InvalidSignatureError);
  });

  it('rejects with the SecretError of a malformed secret, and onFirstUse reads it again next time', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'sk_live_oops' })
      .resolves({ SecretString: JSON.stringify({ secretKey: 'sk_test_123', webhookSecret: 'whsec_456' }) });
    const gateway = onFirstUse(() => stripeGatewayFromSecret(opts));
    const err = await gateway().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretError);
    expect((err as Error).message).not.toContain('sk_live_oops');
    expect(await gateway()).toBeInstanceOf(StripeGateway);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

describe('gatewayRefusing', () => {
  it('throws on any use, naming the member, optional members included', () => {
    const gateway = gatewayRefusing('a Stripe-free route used Stripe');
    expect(() => gateway.bnplMethods('US', 'USD')).toThrow('a Stripe-free route used Stripe: PaymentGateway.bnplMethods called');
    expect(() => gateway.verifyWebhook('{}', 'sig', 0)).toThrow(/PaymentGateway\.verifyWebhook called/);
    expect(() => gateway.retrieveCheckoutPayment?.('cs_1')).toThrow(/PaymentGateway\.retrieveCheckoutPayment called/);
  });

  it('is no thenable: awaiting it gives the gateway itself', async () => {
    const gateway = gatewayRefusing('x');
    expect(await Promise.resolve(gateway)).toBe(gateway);
  });
});

describe('cognitoTokenVerifier', () => {
  it('is absent without a pool and a client', () => {
    expect(cognitoTokenVerifier({})).toBeUndefined();
    expect(cognitoTokenVerifier({ userPoolId: 'us-east-1_abc' })).toBeUndefined();
  });

  it('answers null for a token that is not a valid one (no JWKS fetched for a malformed token)', async () => {
    const verify = cognitoTokenVerifier({ userPoolId: 'us-east-1_abc', clientId: 'client' })!;
    expect(await verify('not-a-jwt')).toBeNull();
    expect(await verify('a.b.c')).toBeNull();
  });

  it('throws, rather than refuse the token, when the verifier cannot be made; the next token tries again', async () => {
    const verify = cognitoTokenVerifier({ userPoolId: 'not a pool id', clientId: 'client' })!;
    await expect(verify('a.b.c')).rejects.toThrow();
    await expect(verify('a.b.c')).rejects.toThrow();
  });
});
