// Lambda entry of the refund job, invoked by an EventBridge schedule every five minutes
// (infra/lib/refunds.ts; reserved concurrency 1). Stripe's keys come from Secrets Manager, read
// once per cold start, as in the payments function.
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadConfig } from '#shared/config.ts';
import * as z from '#http/schemas/zod.ts';
import { createDocumentClient } from '#db/client.ts';
import { systemClock } from '#adapters/clock.ts';
import { StripeGateway } from '#adapters/stripe-gateway.ts';
import { loadStripeKeys } from '#adapters/secrets.ts';
import { createRefundJob } from './app.ts';

const config = loadConfig();
const env = z.object({ STRIPE_SECRET_ARN: z.string().check(z.minLength(1)) }).parse(process.env);
const logger = new Logger({ serviceName: 'refunds', logLevel: config.LOG_LEVEL });

const keys = await loadStripeKeys(new SecretsManagerClient({ region: config.AWS_REGION }), env.STRIPE_SECRET_ARN);

const job = createRefundJob({
  doc: createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }),
  tableName: config.TABLE_NAME,
  clock: systemClock,
  logger,
  gateway: new StripeGateway({ secretKey: keys.secretKey, webhookSecret: keys.webhookSecret }),
});

export const handler = async () => {
  const result = await job.run();
  // by count only: ids stay in the log lines of the job
  return { refunded: result.refunded.length, retried: result.retried.length, deadLettered: result.deadLettered.length };
};
