// Programs, packages and payments (docs/domain.md, "Programs, packages and payments"; docs/api.md, "Payments flow in brief").
//
// A purchase creates the package (pending_payment) and a Stripe Checkout Session; the package
// turns active only from a verified webhook, never from the browser's return. Webhook events are
// turned into payment facts (shared/domain/package-rules.ts) whose application is idempotent and
// order-independent, so at-least-once, out-of-order and concurrent deliveries change state once.
//
// The one entry point the payments API uses; each part lives in its own module: programs
// (program-service.ts), buying (purchase-service.ts), cancelling and refunding
// (package-cancel-service.ts), another card for an installment plan (payment-method-service.ts),
// and payment facts from Stripe events (payment-facts.ts).
import type { PaymentGateway, GatewayEvent } from '#adapters/payment-gateway.ts';
import type { Package, Program } from '#domain/packages.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { Clock } from '#adapters/clock.ts';
import type { IdGenerator } from '#adapters/ids.ts';
import type { Repositories } from './context.ts';
import type { AppointmentService } from './appointment-service.ts';
import { ProgramService, type CreateProgramInput } from './program-service.ts';
import { PurchaseService, type PurchaseInput, type PurchaseOptions } from './purchase-service.ts';
import { PackageCancelService } from './package-cancel-service.ts';
import { PaymentEvents, type EventAuditEntry } from './payment-facts.ts';
import { PaymentMethodService } from './payment-method-service.ts';

export type { CreateProgramInput } from './program-service.ts';
export type { PurchaseInput } from './purchase-service.ts';
export type PackageServiceOptions = PurchaseOptions;

/** What PackageService and its parts use besides the gateway and the appointments: the sum of theirs. */
export type PackageServiceDeps = Pick<Repositories, 'clinics' | 'clients' | 'packages' | 'invoices' | 'audit'> & {
  clock: Clock;
  ids: IdGenerator;
};

export class PackageService {
  private readonly programService: ProgramService;
  private readonly purchases: PurchaseService;
  private readonly cancels: PackageCancelService;
  private readonly events: PaymentEvents;
  private readonly paymentMethods: PaymentMethodService;

  constructor(
    private readonly deps: PackageServiceDeps,
    gateway: PaymentGateway,
    appointments: Pick<AppointmentService, 'cancelForPackage'>,
    opts: PackageServiceOptions,
  ) {
    this.programService = new ProgramService(deps);
    this.purchases = new PurchaseService(deps, gateway, opts);
    this.cancels = new PackageCancelService(deps, gateway, appointments);
    this.events = new PaymentEvents(deps, gateway);
    this.paymentMethods = new PaymentMethodService(deps, gateway, opts);
  }

  programs(clinicId: string): Promise<Program[]> {
    return this.programService.programs(clinicId);
  }

  createProgram(caller: Caller, clinicId: string, input: CreateProgramInput): Promise<Program> {
    return this.programService.createProgram(caller, clinicId, input);
  }

  retireProgram(caller: Caller, clinicId: string, programId: string): Promise<void> {
    return this.programService.retireProgram(caller, clinicId, programId);
  }

  purchase(caller: Caller, input: PurchaseInput): ReturnType<PurchaseService['purchase']> {
    return this.purchases.purchase(caller, input);
  }

  /**
   * A client's packages, newest first (its index entries, then the packages in one batch), and its
   * clinic's zone, in which their times are shown.
   */
  async listByClient(caller: Caller, clientId: string): Promise<{ clinicId: string; packages: Package[]; timezone: string }> {
    const client = await this.deps.clients.require(clientId);
    caller.assert({ clinicId: client.clinicId, clientId: client.id });
    const [entries, clinic] = await Promise.all([this.deps.packages.ofClient(client.id), this.deps.clinics.require(client.clinicId)]);
    const packages = await this.deps.packages.getMany(entries.map((e) => e.packageId));
    return {
      clinicId: client.clinicId,
      packages: packages.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)),
      timezone: clinic.timezone,
    };
  }

  /** One package the caller may read, and its clinic's zone. */
  async get(caller: Caller, packageId: string): Promise<{ pkg: Package; timezone: string }> {
    const pkg = await this.deps.packages.require(packageId);
    caller.assert(pkg);
    const clinic = await this.deps.clinics.require(pkg.clinicId);
    return { pkg, timezone: clinic.timezone };
  }

  /** See PackageCancelService.cancel: a cancel that stopped half-way is finished by the next call; a finished one → 409 conflict. */
  cancel(caller: Caller, packageId: string): ReturnType<PackageCancelService['cancel']> {
    return this.cancels.cancel(caller, packageId);
  }

  /** See PackageCancelService.preview: what a cancel would refund, said before it is confirmed. */
  cancelPreview(caller: Caller, packageId: string): ReturnType<PackageCancelService['preview']> {
    return this.cancels.preview(caller, packageId);
  }

  /** See PaymentMethodService.checkout: a page that saves another card for the plan; 409 when the plan is not open. */
  paymentMethodCheckout(caller: Caller, packageId: string): ReturnType<PaymentMethodService['checkout']> {
    return this.paymentMethods.checkout(caller, packageId);
  }

  /** A verified Stripe event: see PaymentEvents.handleEvent. */
  handleEvent(event: GatewayEvent, entryFor: EventAuditEntry): ReturnType<PaymentEvents['handleEvent']> {
    return this.events.handleEvent(event, entryFor);
  }
}
