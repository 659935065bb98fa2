// Builds the payments function from its dependencies: handler.ts with Stripe's keys from Secrets
// Manager; the local server and tests with the real Stripe SDK pointed at a local Stripe stub.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import type { IdGenerator } from '#adapters/ids.ts';
import type { PaymentGateway } from '#adapters/payment-gateway.ts';
import { createApiHandler } from '#http/api.ts';
import { guardRoutes } from '#http/route-guards.ts';
import { createServiceContext } from '#services/context.ts';
import { AppointmentService } from '#services/appointment-service.ts';
import { PackageService } from '#services/package-service.ts';
import { paymentRoutes } from './routes.ts';
import { emptySchema, REQUEST_SCHEMAS } from '#http/schemas/payments.ts';

export interface PaymentsDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  logger: Logger;
  gateway: PaymentGateway;
  /** Where Stripe Checkout returns the browser to. */
  appBaseUrl: string;
  ids?: IdGenerator;
}

export function createPaymentsHandler(deps: PaymentsDeps) {
  const ctx = createServiceContext(deps);
  const packages = new PackageService(ctx, deps.gateway, new AppointmentService(ctx), { appBaseUrl: deps.appBaseUrl });
  const routes = guardRoutes(paymentRoutes(packages, deps.gateway, deps.clock), {
    creates: ['POST /v1/clinics/{clinicId}/programs', 'POST /v1/packages'],
    requestSchemas: REQUEST_SCHEMAS,
    noQuery: emptySchema,
    idempotency: ctx.repos.idempotency,
    clock: ctx.clock,
  });
  return createApiHandler(routes, deps.logger);
}
