// Client records, clearance and the derived course-of-care status.
import type { Appointment, Clearance, ClearanceStatus, Client, RideHome } from '#domain/types.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '#domain/errors.ts';
import { deriveClientStatus, type ClientStatus } from '#domain/client-status.ts';
import { localDate } from '#domain/time.ts';
import { isAdmin, isStaff, staffOfClinic, type Principal } from '#shared/auth/principal.ts';
import type { StoredClient } from '#db/client-repo.ts';
import { withOptimisticRetry } from '#db/errors.ts';
import type { ServiceContext } from './context.ts';
import { ALL_STAFF, assertClientOrStaff, assertStaffOf } from './access.ts';

export interface CreateClientInput {
  clinicId: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  dateOfBirth: string;
  smsConsent: boolean;
  rideHome?: RideHome | undefined;
}

export type PatchClientInput = Partial<Omit<CreateClientInput, 'clinicId' | 'rideHome'>> & { rideHome?: RideHome | null | undefined };

export interface ClearanceInput {
  status: ClearanceStatus;
  screenedFor: string[];
  validUntil?: string | undefined;
  notes?: string | undefined;
}

export class ClientService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Anyone may sign up (api-contract.md); staff of another clinic may not create clients here. */
  async create(p: Principal | null, input: CreateClientInput, opts: { id?: string } = {}): Promise<Client> {
    if (p && isStaff(p) && !isAdmin(p) && !staffOfClinic(p, input.clinicId)) throw new ForbiddenError();
    const clinic = await this.ctx.repos.clinics.get(input.clinicId);
    if (!clinic) throw new ValidationError([{ path: 'clinicId', message: 'No such clinic' }]);
    this.assertBornBefore(input.dateOfBirth, localDate(this.ctx.clock.now(), clinic.timezone));
    const client: Client = {
      id: opts.id ?? this.ctx.ids('cli'),
      clinicId: input.clinicId,
      firstName: input.firstName,
      lastName: input.lastName,
      email: input.email,
      phone: input.phone,
      dateOfBirth: input.dateOfBirth,
      smsConsent: input.smsConsent,
      rideHome: input.rideHome,
      intakeCompleted: false,
      createdAt: this.ctx.clock.now(),
      version: 1,
    };
    await this.ctx.repos.clients.create(client);
    return client;
  }

  private assertBornBefore(dateOfBirth: string, today: string): void {
    if (dateOfBirth >= today) throw new ValidationError([{ path: 'dateOfBirth', message: 'Must be in the past' }]);
  }

  /** Loads a client the caller may see (the client itself or staff of its clinic). */
  async load(p: Principal | null, clientId: string): Promise<StoredClient> {
    const client = await this.ctx.repos.clients.get(clientId);
    if (!client) throw new NotFoundError('client');
    assertClientOrStaff(p, { clientId: client.id, clinicId: client.clinicId }, ALL_STAFF);
    return client;
  }

  async getWithStatus(p: Principal | null, clientId: string): Promise<{ client: Client; status: ClientStatus }> {
    const client = await this.load(p, clientId);
    return { client, status: await this.statusOf(client) };
  }

  async statusOf(client: Client): Promise<ClientStatus> {
    const clinic = await this.ctx.repos.clinics.require(client.clinicId);
    const appts = await this.ctx.repos.clients.appointments(client.id);
    return deriveClientStatus(client, appts, localDate(this.ctx.clock.now(), clinic.timezone));
  }

  /** A partial update, re-applied on a fresh read if the record moved on meanwhile (PATCH semantics). */
  async update(p: Principal | null, clientId: string, patch: PatchClientInput): Promise<{ client: Client; status: ClientStatus }> {
    const first = await this.load(p, clientId);
    const clinic = await this.ctx.repos.clinics.require(first.clinicId);
    if (patch.dateOfBirth) this.assertBornBefore(patch.dateOfBirth, localDate(this.ctx.clock.now(), clinic.timezone));
    const { rideHome, ...rest } = patch;
    const saved = await withOptimisticRetry(async () => {
      const before = await this.ctx.repos.clients.require(clientId);
      const after: Client = { ...before };
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) (after as unknown as Record<string, unknown>)[k] = v;
      if (rideHome === null) delete after.rideHome;
      else if (rideHome !== undefined) after.rideHome = rideHome;
      return this.ctx.repos.clients.update(before, after);
    });
    return { client: saved, status: await this.statusOf(saved) };
  }

  /** Medical clearance gates dosing (PRODUCT.md, Intake): recorded by a clinician of the clinic. */
  async recordClearance(p: Principal | null, clientId: string, input: ClearanceInput): Promise<{ client: Client; status: ClientStatus }> {
    const first = await this.ctx.repos.clients.get(clientId);
    if (!first) throw new NotFoundError('client');
    const principal = assertStaffOf(p, first.clinicId, ['clinician']);
    const clinic = await this.ctx.repos.clinics.require(first.clinicId);
    if (input.validUntil && input.validUntil < localDate(this.ctx.clock.now(), clinic.timezone)) {
      throw new ValidationError([{ path: 'validUntil', message: 'Must not be in the past' }]);
    }
    const clearance: Clearance = {
      status: input.status,
      screenedFor: input.screenedFor,
      validUntil: input.validUntil,
      notes: input.notes,
      recordedBy: principal.sub,
      recordedAt: this.ctx.clock.now(),
    };
    const saved = await withOptimisticRetry(async () =>
      this.ctx.repos.clients.recordClearance(await this.ctx.repos.clients.require(clientId), clearance),
    );
    return { client: saved, status: await this.statusOf(saved) };
  }

  async appointments(p: Principal | null, clientId: string): Promise<{ appointments: Appointment[]; timezone: string }> {
    const client = await this.load(p, clientId);
    const clinic = await this.ctx.repos.clinics.require(client.clinicId);
    return { appointments: await this.ctx.repos.clients.appointments(client.id), timezone: clinic.timezone };
  }
}
