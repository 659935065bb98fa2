// Lambda entry of the billing service (invoices, read-only): configuration and clients are built
// once per cold start.
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '#shared/config.ts';
import { createDocumentClient } from '#db/client.ts';
import { systemClock } from '#adapters/clock.ts';
import { cognitoTokenVerifier } from '#adapters/token-verifier.ts';
import { createBillingHandler } from './app.ts';

const config = loadConfig();
const logger = new Logger({ serviceName: 'billing', logLevel: config.LOG_LEVEL });

export const handler = createBillingHandler({
  doc: createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }),
  tableName: config.TABLE_NAME,
  clock: systemClock,
  logger,
  verifyToken: cognitoTokenVerifier({ userPoolId: config.USER_POOL_ID, clientId: config.USER_POOL_CLIENT_ID }),
});
