// Builds the ledger export job from its dependencies. handler.ts calls this once at cold start with
// the real AWS clients and the S3 store; the local server and tests call it with DynamoDB Local and
// the local store (a folder).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import type { ExportStore } from '#adapters/export-store.ts';
import { AuditRepository } from '#db/audit-repo.ts';
import { ClientRepository } from '#db/client-repo.ts';
import { ClinicRepository } from '#db/clinic-repo.ts';
import { ExportRepository } from '#db/export-repo.ts';
import { InvoiceRepository } from '#db/invoice-repo.ts';
import { ExportJob } from '#services/export-job.ts';

export interface ExportJobDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  logger: Logger;
  store: ExportStore;
  /** Client names kept per export (NAME_CACHE_SIZE by default). */
  nameCacheSize?: number;
}

export function createExportJob(deps: ExportJobDeps): ExportJob {
  const { doc, tableName } = deps;
  return new ExportJob(
    {
      clinics: new ClinicRepository(doc, tableName),
      clients: new ClientRepository(doc, tableName),
      invoices: new InvoiceRepository(doc, tableName),
      audit: new AuditRepository(doc, tableName),
      exports: new ExportRepository(doc, tableName),
      clock: deps.clock,
    },
    deps.store,
    deps.logger,
    deps.nameCacheSize === undefined ? {} : { nameCacheSize: deps.nameCacheSize },
  );
}

const EXPORT_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The export id of the job's event, `{ exportId }` and nothing else, or undefined when the event is
 * not one. Checked by hand rather than with zod: this check is the only thing the job would load
 * zod for at a cold start (docs/decisions.md, "Cold start").
 */
export function exportIdOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return undefined;
  const keys = Object.keys(event);
  if (keys.length !== 1 || keys[0] !== 'exportId') return undefined;
  const { exportId } = event as { exportId: unknown };
  return typeof exportId === 'string' && EXPORT_ID.test(exportId) ? exportId : undefined;
}
