// Builds the payments function from its dependencies: handler.ts with Stripe's keys from Secrets
// Manager; the local server and tests with the real Stripe SDK pointed at a local Stripe stub.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import type { IdGenerator } from '#adapters/ids.ts';
import type { PaymentGateway } from '#adapters/payment-gateway.ts';
import { PAYMENT_ROUTES } from '#http/route-table/payments.ts';
import { createApiHandler, type TokenVerifier } from '#http/api.ts';
import { appointmentServiceOf, createServiceContext, routerStores } from '#services/context.ts';
import { PackageService } from '#services/package-service.ts';
import { InvoicePaymentService } from '#services/invoice-payment-service.ts';
import { paymentRoutes } from './routes.ts';

export interface PaymentsDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  /** Real time for webhook signatures and rate limits when `clock` may be moved (local dev clock). */
  realClock?: Clock | undefined;
  logger: Logger;
  gateway: PaymentGateway;
  /** Where Stripe Checkout returns the browser to. */
  appBaseUrl: string;
  ids?: IdGenerator;
  /** Verifies optional bearer tokens on public routes (Cognito on AWS, the local key locally). */
  verifyToken?: TokenVerifier | undefined;
}

export function createPaymentsHandler(deps: PaymentsDeps) {
  const ctx = createServiceContext(deps);
  const { repos, clock, ids } = ctx;
  // cancelling a package cancels its future appointments through the appointment service
  const appointments = appointmentServiceOf(ctx);
  const packages = new PackageService(
    { clinics: repos.clinics, clients: repos.clients, packages: repos.packages, invoices: repos.invoices, audit: repos.audit, clock, ids },
    deps.gateway,
    appointments,
    { appBaseUrl: deps.appBaseUrl },
  );
  const invoices = new InvoicePaymentService({ invoices: repos.invoices, clinics: repos.clinics, packages: repos.packages }, deps.gateway, {
    appBaseUrl: deps.appBaseUrl,
  });
  return createApiHandler({
    routes: PAYMENT_ROUTES,
    handlers: paymentRoutes(packages, invoices, deps.gateway, deps.realClock ?? deps.clock),
    realClock: deps.realClock,
    logger: deps.logger,
    verifyToken: deps.verifyToken,
    ...routerStores(ctx),
  });
}
