// Lambda entry of the billing service (invoices, read-only; finance exports started here, made by
// the exports function): configuration and clients are built once per cold start, those of the
// exports on the first export request (shared/adapters/export-runner.ts).
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig, loadEnv, nonEmpty } from '#shared/config.ts';
import { createDocumentClient } from '#db/client.ts';
import { systemClock } from '#adapters/clock.ts';
import { cognitoTokenVerifier } from '#adapters/token-verifier.ts';
import { awsExportRunner } from '#adapters/export-runner.ts';
import { createBillingHandler } from './app.ts';

const config = loadConfig();
const logger = new Logger({ serviceName: 'billing', logLevel: config.LOG_LEVEL });
const env = loadEnv({ EXPORT_FUNCTION_NAME: nonEmpty, EXPORT_BUCKET: nonEmpty });

export const handler = createBillingHandler({
  doc: createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }),
  tableName: config.TABLE_NAME,
  clock: systemClock,
  logger,
  verifyToken: cognitoTokenVerifier({ userPoolId: config.USER_POOL_ID, clientId: config.USER_POOL_CLIENT_ID }),
  exports: awsExportRunner({ region: config.AWS_REGION, functionName: env.EXPORT_FUNCTION_NAME, bucket: env.EXPORT_BUCKET, logger }),
});
