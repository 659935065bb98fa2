// Stripe on the first request that needs it, not at cold start (docs/decisions.md, "Cold start").
//
// The payments function serves routes that never reach Stripe (the programs, a package read) next
// to routes that do, and most runs of the refund job find no refund due. Reading Stripe's keys from
// Secrets Manager and loading the Stripe SDK at import made every cold start pay for both. Here the
// secret is read, and the SDKs that read it and talk to Stripe are loaded, when
// `stripeGatewayFromSecret` is called: the payments handler and the refund job call it through
// onFirstUse (./on-first-use.ts), on the first request or run that needs Stripe.
import type { PaymentGateway } from './payment-gateway.ts';
import type { StripeGateway } from './stripe-gateway.ts';

/**
 * The StripeGateway with the keys read from the secret `secretArn` (./secrets.ts): the Secrets
 * Manager client and the Stripe SDK are imported here, on demand, each a chunk of the asset of its
 * own (infra/lib/bundling.ts) that a cold start does not read. A secret that cannot be read or is
 * malformed rejects with the SecretError loadStripeKeys throws.
 */
export async function stripeGatewayFromSecret(opts: { region: string; secretArn: string }): Promise<StripeGateway> {
  const [{ StripeGateway }, { readStripeKeys }] = await Promise.all([import('./stripe-gateway.ts'), import('./secrets.ts')]);
  const keys = await readStripeKeys(opts.region, opts.secretArn);
  return new StripeGateway({ secretKey: keys.secretKey, webhookSecret: keys.webhookSecret });
}

/**
 * A gateway for an app that serves only routes declared free of Stripe: any use of it is a bug
 * (the route is wrongly declared) and throws, naming the member used, instead of reaching Stripe
 * without keys. Every member is refused, the optional ones too (they do not read as absent).
 */
export function gatewayRefusing(why: string): PaymentGateway {
  return new Proxy({} as PaymentGateway, {
    get: (_target, member) =>
      // not a thenable: `await` on it, or a Promise resolved with it, must not call `then`
      member === 'then'
        ? undefined
        : () => {
            throw new Error(`${why}: PaymentGateway.${String(member)} called`);
          },
  });
}
