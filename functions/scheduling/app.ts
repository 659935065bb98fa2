// Builds the scheduling function from its dependencies. handler.ts calls this once at cold start
// with the real AWS clients; the local server and tests call it with DynamoDB Local.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import type { IdGenerator } from '#adapters/ids.ts';
import type { UserDirectory } from '#adapters/user-directory.ts';
import { SCHEDULING_ROUTES } from '#http/route-table/scheduling.ts';
import { createApiHandler, type TokenVerifier } from '#http/api.ts';
import { appointmentServiceOf, createServiceContext, routerStores } from '#services/context.ts';
import { ClinicService } from '#services/clinic-service.ts';
import { ClientService } from '#services/client-service.ts';
import { DiagnosisService } from '#services/diagnosis-service.ts';
import { WaitlistService } from '#services/waitlist-service.ts';
import { schedulingRoutes } from './routes.ts';

export interface SchedulingDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  /** Real time for rate limits when `clock` may be moved (the local dev clock). */
  realClock?: Clock | undefined;
  logger: Logger;
  ids?: IdGenerator;
  /** Verifies optional bearer tokens on public routes (Cognito on AWS, the local key locally). */
  verifyToken?: TokenVerifier | undefined;
  /** After a change queued an SMS due at once (local runtime: runs the reminder job). */
  onSmsQueued?: () => void;
  /**
   * Told the record a user created for itself, so its next token carries `custom:clientId`
   * (Cognito on AWS, a no-op locally); without one nobody is told, and the router still finds the
   * record by the user's `USER#<sub>` link.
   */
  users?: UserDirectory | undefined;
}

export function createSchedulingHandler(deps: SchedulingDeps) {
  const ctx = createServiceContext(deps);
  const { repos, clock, ids } = ctx;
  const clinics = new ClinicService({ clinics: repos.clinics, appointments: repos.appointments, clock, ids });
  const clients = new ClientService({
    clinics: repos.clinics,
    clients: repos.clients,
    audit: repos.audit,
    clock,
    ids,
    users: deps.users,
    logger: deps.logger,
  });
  const diagnoses = new DiagnosisService({ clinics: repos.clinics, clients: repos.clients, clock });
  const appointments = appointmentServiceOf(ctx);
  const waitlist = new WaitlistService({
    clinics: repos.clinics,
    clients: repos.clients,
    appointments: repos.appointments,
    waitlist: repos.waitlist,
    clock,
    ids,
  });
  return createApiHandler({
    routes: SCHEDULING_ROUTES,
    handlers: schedulingRoutes({ clinics, clients, diagnoses, appointments, waitlist }),
    logger: deps.logger,
    verifyToken: deps.verifyToken,
    realClock: deps.realClock,
    ...routerStores(ctx),
  });
}
