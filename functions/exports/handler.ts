// Lambda entry of the ledger export job (shared/services/export-job.ts), invoked asynchronously by
// the billing function with `{ exportId }` (infra/lib/exports.ts: no retries, reserved concurrency
// 2). Clients and configuration are built once per cold start.
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { loadConfig, loadEnv, nonEmpty } from '#shared/config.ts';
import { createDocumentClient } from '#db/client.ts';
import { systemClock } from '#adapters/clock.ts';
import { S3ExportStore } from '#adapters/s3-export-store.ts';
import { createExportJob, exportIdOf } from './app.ts';

/** Stop this long before the Lambda's own timeout, so that the export is recorded as failed. */
const MARGIN_MS = 20_000;

const config = loadConfig();
const env = loadEnv({ EXPORT_BUCKET: nonEmpty, EXPORT_KEY_ARN: nonEmpty });
const logger = new Logger({ serviceName: 'exports', logLevel: config.LOG_LEVEL });

const job = createExportJob({
  doc: createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }),
  tableName: config.TABLE_NAME,
  clock: systemClock,
  logger,
  store: new S3ExportStore({
    client: new S3Client({ region: config.AWS_REGION }),
    bucket: env.EXPORT_BUCKET,
    kmsKeyArn: env.EXPORT_KEY_ARN,
  }),
});

export const handler = async (event: unknown, context?: Partial<Context>) => {
  const exportId = exportIdOf(event);
  if (exportId === undefined) {
    logger.error('export job invoked without an export id');
    return { outcome: 'skipped' };
  }
  const remaining = context?.getRemainingTimeInMillis?.();
  const signal = remaining === undefined ? undefined : AbortSignal.timeout(Math.max(1_000, remaining - MARGIN_MS));
  return job.run(exportId, { signal });
};
