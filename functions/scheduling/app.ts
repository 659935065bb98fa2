// Builds the scheduling function from its dependencies. handler.ts calls this once at cold start
// with the real AWS clients; the local server and tests call it with DynamoDB Local.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import type { IdGenerator } from '#adapters/ids.ts';
import { createApiHandler } from '#http/api.ts';
import { guardRoutes } from '#http/route-guards.ts';
import { createServiceContext } from '#services/context.ts';
import { ClinicService } from '#services/clinic-service.ts';
import { ClientService } from '#services/client-service.ts';
import { AppointmentService } from '#services/appointment-service.ts';
import { schedulingRoutes } from './routes.ts';
import { noQuerySchema, REQUEST_SCHEMAS } from '#http/schemas/scheduling.ts';

export interface SchedulingDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  logger: Logger;
  ids?: IdGenerator;
  /** After a change queued an SMS due at once (local runtime: runs the reminder job). */
  onSmsQueued?: () => void;
}

/** Creating writes honour Idempotency-Key (api-contract.md, Conventions). */
const CREATES = ['POST /v1/clinics', 'POST /v1/clinics/{clinicId}/providers', 'POST /v1/clinics/{clinicId}/rooms', 'POST /v1/clients', 'POST /v1/clients/{clientId}/clearance', 'POST /v1/appointments'];

export function createSchedulingHandler(deps: SchedulingDeps) {
  const ctx = createServiceContext(deps);
  const routes = guardRoutes(
    schedulingRoutes({
      clinics: new ClinicService(ctx),
      clients: new ClientService(ctx),
      appointments: new AppointmentService(ctx),
    }),
    { creates: CREATES, requestSchemas: REQUEST_SCHEMAS, noQuery: noQuerySchema, idempotency: ctx.repos.idempotency, clock: ctx.clock },
  );
  return createApiHandler(routes, deps.logger);
}
