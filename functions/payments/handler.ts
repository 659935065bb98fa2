// Lambda entry of the payments service. Stripe's keys come from Secrets Manager (KMS-encrypted),
// read once per cold start; nothing else in the code base sees them.
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadConfig } from '#shared/config.ts';
import * as z from '#http/schemas/zod.ts';
import { createDocumentClient } from '#db/client.ts';
import { systemClock } from '#adapters/clock.ts';
import { cognitoTokenVerifier } from '#adapters/token-verifier.ts';
import { StripeGateway } from '#adapters/stripe-gateway.ts';
import { loadStripeKeys } from '#adapters/secrets.ts';
import { createPaymentsHandler } from './app.ts';

const config = loadConfig();
const env = z.object({ STRIPE_SECRET_ARN: z.string().check(z.minLength(1)), APP_BASE_URL: z.url() }).parse(process.env);
const logger = new Logger({ serviceName: 'payments', logLevel: config.LOG_LEVEL });

const keys = await loadStripeKeys(new SecretsManagerClient({ region: config.AWS_REGION }), env.STRIPE_SECRET_ARN);

export const handler = createPaymentsHandler({
  doc: createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }),
  tableName: config.TABLE_NAME,
  clock: systemClock,
  logger,
  verifyToken: cognitoTokenVerifier({ userPoolId: config.USER_POOL_ID, clientId: config.USER_POOL_CLIENT_ID }),
  gateway: new StripeGateway({ secretKey: keys.secretKey, webhookSecret: keys.webhookSecret }),
  appBaseUrl: env.APP_BASE_URL,
});
