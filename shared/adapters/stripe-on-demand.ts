// Stripe on the first request that needs it, not at cold start (docs/decisions.md, "Cold start").
//
// The payments function serves routes that never reach Stripe (the programs, a package read) next
// to routes that do. Reading Stripe's keys from Secrets Manager and loading the Stripe SDK at
// import made every cold start pay for both. Here the secret is read, and the SDKs that read it and
// talk to Stripe are loaded, when `stripeGatewayFromSecret` is called: functions/payments/handler.ts
// calls it through onFirstUse (./on-first-use.ts), on the first request that needs Stripe.
import type { PaymentGateway } from './payment-gateway.ts';
import { readStripeKeys } from './secrets.ts';
import type { StripeGateway } from './stripe-gateway.ts';

/**
 * The StripeGateway with the keys read from the secret `secretArn` (./secrets.ts): the Secrets
 * Manager client is made and the Stripe SDK imported here, on demand. A secret that cannot be read
 * or is malformed rejects with the SecretError loadStripeKeys throws. The Secrets Manager client
 * itself is imported statically: behind import() its package would be bundled whole (esbuild keeps
 * every re-export of a lazily loaded module), twice its size.
 */
export async function stripeGatewayFromSecret(opts: { region: string; secretArn: string }): Promise<StripeGateway> {
  const { StripeGateway } = await import('./stripe-gateway.ts');
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
