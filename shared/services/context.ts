// The small factory the functions' app.ts (and the local seed) build services from: repositories
// on one table, a clock and an id generator. Each service declares the part it uses
// (`Pick<Repositories, …> & { clock, ids }`, e.g. ClinicServiceDeps) and is handed only that;
// service unit tests hand in fakes (test/unit/services/), integration tests DynamoDB Local.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#adapters/clock.ts';
import { newId, type IdGenerator } from '#adapters/ids.ts';
import { ClinicRepository } from '#db/clinic-repo.ts';
import { ClientRepository } from '#db/client-repo.ts';
import { AppointmentRepository } from '#db/appointment-repo.ts';
import { IdempotencyRepository } from '#db/idempotency-repo.ts';
import { PackageRepository } from '#db/package-repo.ts';
import { RateLimitRepository } from '#db/rate-limit-repo.ts';
import { AuditRepository } from '#db/audit-repo.ts';
import { InvoiceRepository } from '#db/invoice-repo.ts';
import { WaitlistRepository } from '#db/waitlist-repo.ts';
import { unavailableFailure } from '#db/errors.ts';
import { AppointmentService } from './appointment-service.ts';

export interface Repositories {
  clinics: ClinicRepository;
  clients: ClientRepository;
  appointments: AppointmentRepository;
  idempotency: IdempotencyRepository;
  packages: PackageRepository;
  rateLimits: RateLimitRepository;
  audit: AuditRepository;
  invoices: InvoiceRepository;
  waitlist: WaitlistRepository;
}

export interface ServiceContext {
  repos: Repositories;
  clock: Clock;
  ids: IdGenerator;
  /**
   * Called after a committed change queued an SMS due at once (a notice). Locally the server runs
   * the reminder job then; on AWS the every-minute schedule picks it up.
   */
  onSmsQueued?: (() => void) | undefined;
}

export function createServiceContext(opts: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  ids?: IdGenerator;
  onSmsQueued?: (() => void) | undefined;
}): ServiceContext {
  const { doc, tableName } = opts;
  return {
    repos: {
      clinics: new ClinicRepository(doc, tableName),
      clients: new ClientRepository(doc, tableName),
      appointments: new AppointmentRepository(doc, tableName),
      idempotency: new IdempotencyRepository(doc, tableName),
      packages: new PackageRepository(doc, tableName),
      rateLimits: new RateLimitRepository(doc, tableName),
      audit: new AuditRepository(doc, tableName),
      invoices: new InvoiceRepository(doc, tableName),
      waitlist: new WaitlistRepository(doc, tableName),
    },
    clock: opts.clock,
    ids: opts.ids ?? newId,
    onSmsQueued: opts.onSmsQueued,
  };
}

/**
 * What the router needs of the stores, the same for every HTTP function: idempotency records,
 * rate-limit counters, the audit trail, a signed-up user's link to its record, and the mapping
 * of an unavailable database to 503.
 */
export function routerStores(ctx: ServiceContext) {
  const { repos } = ctx;
  return {
    clock: ctx.clock,
    idempotency: repos.idempotency,
    rateLimits: repos.rateLimits,
    audit: repos.audit,
    linkedClientId: (sub: string) => repos.clients.clientIdOfUser(sub),
    unavailable: unavailableFailure,
  };
}

/** The appointment service with the stores it uses (both HTTP functions book, move and cancel). */
export function appointmentServiceOf(ctx: ServiceContext): AppointmentService {
  const { repos, clock, ids, onSmsQueued } = ctx;
  return new AppointmentService({
    appointments: repos.appointments,
    clinics: repos.clinics,
    clients: repos.clients,
    packages: repos.packages,
    invoices: repos.invoices,
    clock,
    ids,
    onSmsQueued,
  });
}
