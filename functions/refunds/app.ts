// Builds the refund job from its dependencies. handler.ts calls this once at cold start with the
// real AWS clients and Stripe; the local server and tests call it with DynamoDB Local and the real
// Stripe SDK pointed at the local Stripe stub.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import type { PaymentGateway } from '#adapters/payment-gateway.ts';
import { InvoiceRepository } from '#db/invoice-repo.ts';
import { RefundJob } from '#services/refund-job.ts';

export interface RefundJobDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  logger: Logger;
  gateway: PaymentGateway;
}

export function createRefundJob(deps: RefundJobDeps): RefundJob {
  return new RefundJob({ invoices: new InvoiceRepository(deps.doc, deps.tableName), clock: deps.clock }, deps.gateway, deps.logger);
}
