// The ledger export job as the billing function reaches it on AWS (shared/services/export-service.ts
// ExportRunner): `start` invokes the exports function asynchronously (InvocationType 'Event': Lambda
// queues the request and answers 202 at once; the job runs after the API's answer), `url` signs a
// short-lived download link of a finished file (./s3-export-store.ts).
//
// Why a direct asynchronous invocation and not a queue (docs/decisions.md, "Ledger exports"): one
// request starts one job, nothing batches them, and a failed job is not retried but recorded as
// failed on the export, so a queue would only add a resource, a visibility timeout to tune and a
// second failure path; Lambda's own queue already holds a request while the job's reserved
// concurrency is busy.
//
// The Lambda and S3 clients are made on the first export request, not at cold start: most billing
// requests never need them (docs/decisions.md, "Cold start").
import type { Logger } from '@aws-lambda-powertools/logger';
import { onFirstUse } from './on-first-use.ts';

export interface AwsExportRunnerOptions {
  region: string;
  /** The exports function (name or ARN). */
  functionName: string;
  /** The bucket of the export files. */
  bucket: string;
  logger: Logger;
}

export function awsExportRunner(opts: AwsExportRunnerOptions): {
  start(exportId: string): Promise<void>;
  url(file: string, filename: string): Promise<string>;
} {
  const lambda = onFirstUse(async () => {
    const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
    // bounded like every other call of the API's functions: a slow Lambda API is a quick 503
    const client = new LambdaClient({
      region: opts.region,
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
    });
    return (exportId: string) =>
      client.send(
        new InvokeCommand({
          FunctionName: opts.functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify({ exportId })),
        }),
      );
  });
  const store = onFirstUse(async () => {
    const [{ S3Client }, { S3ExportStore }] = await Promise.all([import('@aws-sdk/client-s3'), import('./s3-export-store.ts')]);
    return new S3ExportStore({ client: new S3Client({ region: opts.region }), bucket: opts.bucket });
  });
  return {
    async start(exportId) {
      try {
        const res = await (await lambda())(exportId);
        if (res.StatusCode !== 202) throw new Error(`The asynchronous invocation answered ${String(res.StatusCode)}, not 202`);
      } catch (err) {
        opts.logger.error('export job not started', { exportId, error: err instanceof Error ? err.name : typeof err });
        throw err;
      }
    },
    async url(file, filename) {
      return (await store()).url(file, filename);
    },
  };
}
