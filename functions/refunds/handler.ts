// Lambda entry of the refund job, invoked by an EventBridge schedule every five minutes
// (infra/lib/refunds.ts; reserved concurrency 1). Stripe's keys come from Secrets Manager, read,
// and the Stripe SDK loaded, on the first run of the process that finds a refund due: most runs
// find none (docs/decisions.md, "Cold start"). A secret that cannot be read fails that run (the
// job-errors alarm) before any invoice is touched; the next run tries again.
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig, loadEnv, nonEmpty } from '#shared/config.ts';
import { createDocumentClient } from '#db/client.ts';
import { systemClock } from '#adapters/clock.ts';
import { onFirstUse } from '#adapters/on-first-use.ts';
import { stripeGatewayFromSecret } from '#adapters/stripe-on-demand.ts';
import { createRefundJob } from './app.ts';

const config = loadConfig();
const env = loadEnv({ STRIPE_SECRET_ARN: nonEmpty });
const logger = new Logger({ serviceName: 'refunds', logLevel: config.LOG_LEVEL });

const job = createRefundJob({
  doc: createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }),
  tableName: config.TABLE_NAME,
  clock: systemClock,
  logger,
  gateway: onFirstUse(() => stripeGatewayFromSecret({ region: config.AWS_REGION, secretArn: env.STRIPE_SECRET_ARN })),
});

export const handler = async () => {
  const result = await job.run();
  // by count only: ids stay in the log lines of the job
  return { refunded: result.refunded.length, retried: result.retried.length, deadLettered: result.deadLettered.length };
};
