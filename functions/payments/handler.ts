// Lambda entry of the payments service. Stripe's keys come from Secrets Manager (KMS-encrypted),
// read once per process; nothing else in the code base sees them.
//
// Cold start (docs/decisions.md, "Cold start"): the routes in WITHOUT_STRIPE (./without-stripe.ts)
// never reach the gateway, and are served by an app whose gateway refuses every call. Every other
// route, a route added later included, is served by an app with the real StripeGateway, built on
// the first such request: the secret is read and the Stripe SDK loaded then, once per process. A
// secret that cannot be read or is malformed fails that request (the Lambda runtime logs the
// SecretError, which names the secret and never a value from it) and the next Stripe request
// tries again, while the routes without Stripe keep working.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { loadConfig, loadEnv, nonEmpty, url } from '#shared/config.ts';
import type { ApiEvent } from '#http/api.ts';
import { createDocumentClient } from '#db/client.ts';
import { systemClock } from '#adapters/clock.ts';
import { cognitoTokenVerifier } from '#adapters/token-verifier.ts';
import { onFirstUse } from '#adapters/on-first-use.ts';
import { gatewayRefusing, stripeGatewayFromSecret } from '#adapters/stripe-on-demand.ts';
import { createPaymentsHandler, type PaymentsDeps } from './app.ts';
import { WITHOUT_STRIPE } from './without-stripe.ts';

const config = loadConfig();
const env = loadEnv({ STRIPE_SECRET_ARN: nonEmpty, APP_BASE_URL: url });
const logger = new Logger({ serviceName: 'payments', logLevel: config.LOG_LEVEL });

const deps: Omit<PaymentsDeps, 'gateway'> = {
  doc: createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }),
  tableName: config.TABLE_NAME,
  clock: systemClock,
  logger,
  verifyToken: cognitoTokenVerifier({ userPoolId: config.USER_POOL_ID, clientId: config.USER_POOL_CLIENT_ID }),
  appBaseUrl: env.APP_BASE_URL,
};

const withoutStripe = createPaymentsHandler({ ...deps, gateway: gatewayRefusing('a route in WITHOUT_STRIPE used Stripe') });
const withStripe = onFirstUse(async () =>
  createPaymentsHandler({
    ...deps,
    gateway: await stripeGatewayFromSecret({ region: config.AWS_REGION, secretArn: env.STRIPE_SECRET_ARN }),
  }),
);

export const handler = async (event: ApiEvent, context: Context) =>
  WITHOUT_STRIPE.has(event.routeKey) ? withoutStripe(event, context) : (await withStripe())(event, context);
