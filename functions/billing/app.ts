// Builds the billing function from its dependencies. handler.ts calls this once at cold start with
// the real AWS clients; the local server and tests call it with DynamoDB Local.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import { createApiHandler, type TokenVerifier } from '#http/api.ts';
import { createServiceContext, routerStores } from '#services/context.ts';
import { InvoiceService } from '#services/invoice-service.ts';
import { billingRoutes } from './routes.ts';

export interface BillingDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  /** Real time for rate limits when `clock` may be moved (the local dev clock). */
  realClock?: Clock | undefined;
  logger: Logger;
  /** Verifies optional bearer tokens on public routes (Cognito on AWS, the local key locally). */
  verifyToken?: TokenVerifier | undefined;
}

export function createBillingHandler(deps: BillingDeps) {
  const ctx = createServiceContext(deps);
  const { repos } = ctx;
  const invoices = new InvoiceService({ invoices: repos.invoices, clinics: repos.clinics, clients: repos.clients });
  return createApiHandler({
    fn: 'billing',
    handlers: billingRoutes(invoices),
    logger: deps.logger,
    verifyToken: deps.verifyToken,
    realClock: deps.realClock,
    ...routerStores(ctx),
  });
}
