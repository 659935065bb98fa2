// Stripe's keys from AWS Secrets Manager (KMS-encrypted), read once per process by the payments
// handler and the refund job, on their first request or run that needs Stripe
// (./stripe-on-demand.ts); nothing else in the code base sees them.
//
// The secret is a JSON object `{ "secretKey": "sk_…", "webhookSecret": "whsec_…" }`. A secret that
// cannot be read, is not JSON or lacks either key is refused with a SecretError that names the
// secret and what is wrong with it — never a value from it.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface StripeKeys {
  /** The API key, `sk_…`. */
  secretKey: string;
  /** The webhook endpoint's signing secret, `whsec_…`. */
  webhookSecret: string;
}

export class SecretError extends Error {
  override readonly name = 'SecretError';
}

const KEY_PREFIXES: Record<keyof StripeKeys, string> = { secretKey: 'sk_', webhookSecret: 'whsec_' };

/** Reads and checks Stripe's keys from the secret `arn`. */
export async function loadStripeKeys(client: SecretsManagerClient, arn: string): Promise<StripeKeys> {
  let text: string | undefined;
  try {
    text = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch (err) {
    throw new SecretError(`Stripe secret ${arn} could not be read (${err instanceof Error ? err.name : typeof err})`, { cause: err });
  }
  if (text === undefined) throw new SecretError(`Stripe secret ${arn} has no SecretString`);
  return parseStripeKeys(text, arn);
}

/** loadStripeKeys with a Secrets Manager client of its own, in `region`. */
export function readStripeKeys(region: string, arn: string): Promise<StripeKeys> {
  return loadStripeKeys(new SecretsManagerClient({ region }), arn);
}

function parseStripeKeys(text: string, arn: string): StripeKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SecretError(`Stripe secret ${arn} is not JSON`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SecretError(`Stripe secret ${arn} is not a JSON object`);
  const record = parsed as Record<string, unknown>;
  const wrong = (Object.keys(KEY_PREFIXES) as Array<keyof StripeKeys>).filter((k) => {
    const v = record[k];
    return typeof v !== 'string' || !v.startsWith(KEY_PREFIXES[k]) || v.length === KEY_PREFIXES[k].length;
  });
  if (wrong.length > 0) {
    const expected = wrong.map((k) => `${k} (${KEY_PREFIXES[k]}…)`).join(', ');
    throw new SecretError(`Stripe secret ${arn} lacks a valid ${expected}`);
  }
  return { secretKey: record.secretKey as string, webhookSecret: record.webhookSecret as string };
}
