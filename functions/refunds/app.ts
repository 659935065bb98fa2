// Builds the refund job from its dependencies. handler.ts calls this once at cold start with the
// real AWS clients and a Stripe gateway made on the first run that has a refund to make; the local
// server and tests call it with DynamoDB Local and the real Stripe SDK pointed at the local stub.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import { AuditRepository } from '#db/audit-repo.ts';
import { InvoiceRepository } from '#db/invoice-repo.ts';
import { PackageRepository } from '#db/package-repo.ts';
import { RefundJob, type RefundGateway } from '#services/refund-job.ts';

export interface RefundJobDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  logger: Logger;
  /** The gateway, or how to get it when a run first needs it (once per process: onFirstUse). */
  gateway: RefundGateway | (() => Promise<RefundGateway>);
}

export function createRefundJob(deps: RefundJobDeps): RefundJob {
  const { gateway } = deps;
  return new RefundJob(
    {
      invoices: new InvoiceRepository(deps.doc, deps.tableName),
      packages: new PackageRepository(deps.doc, deps.tableName),
      audit: new AuditRepository(deps.doc, deps.tableName),
      clock: deps.clock,
    },
    typeof gateway === 'function' ? gateway : () => Promise.resolve(gateway),
    deps.logger,
  );
}
