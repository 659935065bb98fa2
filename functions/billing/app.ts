// Builds the billing function from its dependencies. handler.ts calls this once at cold start with
// the real AWS clients; the local server and tests call it with DynamoDB Local.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import { BILLING_ROUTES } from '#http/route-table/billing.ts';
import { createApiHandler, type TokenVerifier } from '#http/api.ts';
import { createServiceContext, routerStores } from '#services/context.ts';
import { InvoiceService } from '#services/invoice-service.ts';
import { SuperbillService } from '#services/superbill-service.ts';
import { RevenueService } from '#services/revenue-service.ts';
import { ExportService, type ExportRunner } from '#services/export-service.ts';
import { OwedRefundService } from '#services/owed-refund-service.ts';
import { DeskPaymentService } from '#services/desk-payment-service.ts';
import { ExportRepository } from '#db/export-repo.ts';
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
  /**
   * The ledger export job as this function reaches it: started without waiting (on AWS an
   * asynchronous invocation of the exports function, locally the job in the server's process),
   * and the download links of its files. Absent (tests of other routes): exports are recorded and
   * stay running.
   */
  exports?: ExportRunner | undefined;
}

export function createBillingHandler(deps: BillingDeps) {
  const ctx = createServiceContext(deps);
  const { repos } = ctx;
  const invoices = new InvoiceService({ invoices: repos.invoices, clinics: repos.clinics, clients: repos.clients });
  const superbills = new SuperbillService({
    clients: repos.clients,
    clinics: repos.clinics,
    invoices: repos.invoices,
    packages: repos.packages,
  });
  const revenue = new RevenueService({
    clinics: repos.clinics,
    invoices: repos.invoices,
    packages: repos.packages,
    appointments: repos.appointments,
  });
  const exports = new ExportService(
    { clinics: repos.clinics, exports: new ExportRepository(deps.doc, deps.tableName), clock: ctx.clock, ids: ctx.ids },
    deps.exports,
  );
  const owedRefunds = new OwedRefundService({ invoices: repos.invoices, clinics: repos.clinics, clock: ctx.clock });
  const deskPayments = new DeskPaymentService({
    invoices: repos.invoices,
    clinics: repos.clinics,
    packages: repos.packages,
    clock: ctx.clock,
    ids: ctx.ids,
  });
  return createApiHandler({
    routes: BILLING_ROUTES,
    handlers: billingRoutes(invoices, superbills, revenue, exports, owedRefunds, deskPayments),
    logger: deps.logger,
    verifyToken: deps.verifyToken,
    realClock: deps.realClock,
    ...routerStores(ctx),
  });
}
