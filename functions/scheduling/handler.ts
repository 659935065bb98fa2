// Lambda entry of the scheduling service: configuration and clients are built once per cold start.
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '#shared/config.ts';
import { createDocumentClient } from '#db/client.ts';
import { systemClock } from '#adapters/clock.ts';
import { cognitoTokenVerifier } from '#adapters/token-verifier.ts';
import { cognitoUserDirectory } from '#adapters/user-directory.ts';
import { createSchedulingHandler } from './app.ts';

const config = loadConfig();
const logger = new Logger({ serviceName: 'scheduling', logLevel: config.LOG_LEVEL });

export const handler = createSchedulingHandler({
  doc: createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }),
  tableName: config.TABLE_NAME,
  clock: systemClock,
  logger,
  verifyToken: cognitoTokenVerifier({ userPoolId: config.USER_POOL_ID, clientId: config.USER_POOL_CLIENT_ID }),
  // sign-up sets the user's custom:clientId (AdminUpdateUserAttributes, infra/lib/kapstone-stack.ts)
  users: cognitoUserDirectory({ region: config.AWS_REGION, userPoolId: config.USER_POOL_ID }),
});
