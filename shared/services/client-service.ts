// Client records, clearance and the derived course-of-care status.
import type { Appointment, Clearance, ClearanceStatus, Client, RideHome } from '#domain/types.ts';
import { ConflictError, ValidationError } from '#domain/errors.ts';
import { deriveClientStatus, type ClientStatus } from '#domain/client-status.ts';
import { clearanceHistory } from '#domain/clearance-history.ts';
import { localDate } from '#domain/time.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { AuditEntry, AuditTarget } from '#domain/audit.ts';
import type { ClientSearchHit, StoredClient } from '#db/client-repo.ts';
import { MAX_SEARCH_RESULTS, searchTerms } from '#domain/client-search.ts';
import { asUnavailable, withOptimisticRetry } from '#db/errors.ts';
import type { Clock } from '#adapters/clock.ts';
import { keyedIds, type IdGenerator } from '#adapters/ids.ts';
import type { UserDirectory } from '#adapters/user-directory.ts';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Repositories } from './context.ts';

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

/**
 * Profiles one search may read before it answers what it found (10 Query pages of 500): bounds a
 * broad query's time on a clinic of many thousand clients (docs/access-patterns.md).
 */
const SEARCH_MAX_READ = 5_000;

const clientTarget = (c: Pick<Client, 'id' | 'clinicId'>): AuditTarget => ({
  clientId: c.id,
  clinicId: c.clinicId,
  record: { type: 'client', id: c.id },
});

/**
 * What ClientService uses: clinics (time zone), client records, their audit trail, the clock and
 * ids; and for sign-up, the user directory that is told the new record's id (absent where nobody
 * signs up, such as the local seed) and the logger a failed link is reported to.
 */
export type ClientServiceDeps = Pick<Repositories, 'clinics' | 'clients' | 'audit'> & {
  clock: Clock;
  ids: IdGenerator;
  users?: UserDirectory | undefined;
  logger?: Pick<Logger, 'warn'> | undefined;
};

export class ClientService {
  constructor(private readonly deps: ClientServiceDeps) {}

  /**
   * Staff create records for their clinic; a signed-in user with no record yet creates its own,
   * under the e-mail address its identity provider verified (so nobody can take someone else's).
   * The answer never depends on whether an address is known (shared/db/client-repo.ts).
   * `retrySeed` (a request with an Idempotency-Key): the record's id derives from it, so that a
   * retry of a create whose answer was lost finds the record made (landedBefore), as a booking does.
   */
  async create(caller: Caller, input: CreateClientInput, opts: { id?: string; retrySeed?: string | undefined } = {}): Promise<Client> {
    const signingUp = caller.signingUp;
    if (signingUp) {
      const verified = caller.signedIn.verifiedEmail;
      if (!verified) throw new ValidationError([{ path: 'email', message: 'Your sign-in has no verified e-mail address' }]);
      if (verified !== input.email)
        throw new ValidationError([{ path: 'email', message: 'Must be the e-mail address you signed in with' }]);
    } else {
      caller.assert({ clinicId: input.clinicId });
    }
    const clinic = await this.deps.clinics.get(input.clinicId);
    if (!clinic) throw new ValidationError([{ path: 'clinicId', message: 'No such clinic' }]);
    this.assertBornBefore(input.dateOfBirth, localDate(this.deps.clock.now(), clinic.timezone));
    const client: Client = {
      id: opts.id ?? (opts.retrySeed === undefined ? this.deps.ids : keyedIds(opts.retrySeed))('cli'),
      clinicId: input.clinicId,
      firstName: input.firstName,
      lastName: input.lastName,
      email: input.email,
      phone: input.phone,
      dateOfBirth: input.dateOfBirth,
      smsConsent: input.smsConsent,
      rideHome: input.rideHome,
      intakeCompleted: false,
      createdAt: this.deps.clock.now(),
      version: 1,
    };
    let made: Client = client;
    try {
      await this.deps.clients.create(client, {
        userSub: signingUp ? caller.signedIn.sub : undefined,
        audit: caller.auditEntry(clientTarget(client), client.createdAt),
      });
    } catch (err) {
      const landed = await this.landedBefore(err, client, opts.retrySeed !== undefined);
      if (!landed) throw err;
      made = landed;
    }
    if (signingUp) await this.linkUser(caller.signedIn.sub, made.id);
    return made;
  }

  /**
   * The record `client.id` names, when a failure may hide that it was made: the write's answer
   * lost (503: the transaction may have committed), or, for a keyed request, the id already taken
   * by an earlier attempt of the same request whose answer was lost (409). Then that record, if it
   * is this request's (same clinic and details), is the answer. Read strongly; a failed read leaves
   * the first error.
   */
  private async landedBefore(err: unknown, client: Client, keyed: boolean): Promise<Client | undefined> {
    if (!(keyed && err instanceof ConflictError) && !asUnavailable(err)) return undefined;
    const stored = await this.deps.clients.get(client.id).catch(() => null);
    const same =
      stored &&
      stored.clinicId === client.clinicId &&
      stored.email === client.email &&
      stored.firstName === client.firstName &&
      stored.lastName === client.lastName &&
      stored.dateOfBirth === client.dateOfBirth;
    return same ? stored : undefined;
  }

  /**
   * Tells the user directory (Cognito on AWS) the record the user just created, once the record
   * and its `USER#<sub>` link are committed, so that the user's next token carries `clientId`.
   * A failure does not fail the sign-up: the committed link already lets the user act as this
   * client (the router reads it for a token without `clientId`), and a retried sign-up would be
   * refused as the client it now is. It is logged, ids only (docs/decisions.md, "Sign-up links
   * the Cognito user").
   */
  private async linkUser(sub: string, clientId: string): Promise<void> {
    if (!this.deps.users) return;
    try {
      await this.deps.users.linkClient(sub, clientId);
    } catch (err) {
      const code = (err as { code?: unknown; name?: unknown } | null)?.code ?? (err as { name?: unknown } | null)?.name;
      this.deps.logger?.warn('client id not set on the user', {
        metric: 'UserLinkFailed',
        clientId,
        sub,
        code: typeof code === 'string' ? code : 'Error',
      });
    }
  }

  private assertBornBefore(dateOfBirth: string, today: string): void {
    if (dateOfBirth >= today) throw new ValidationError([{ path: 'dateOfBirth', message: 'Must be in the past' }]);
  }

  /** Loads a client the caller may act on under its route's grants. */
  async load(caller: Caller, clientId: string): Promise<StoredClient> {
    const client = await this.deps.clients.require(clientId);
    caller.assert({ clientId: client.id, clinicId: client.clinicId });
    return client;
  }

  async getWithStatus(caller: Caller, clientId: string): Promise<{ client: Client; status: ClientStatus }> {
    const client = await this.load(caller, clientId);
    return { client, status: await this.statusOf(client) };
  }

  async statusOf(client: Client): Promise<ClientStatus> {
    const clinic = await this.deps.clinics.require(client.clinicId);
    const appts = await this.deps.clients.appointments(client.id);
    return deriveClientStatus(client, appts, localDate(this.deps.clock.now(), clinic.timezone));
  }

  /** A partial update, re-applied on a fresh read if the record moved on meanwhile (PATCH semantics). */
  async update(caller: Caller, clientId: string, patch: PatchClientInput): Promise<{ client: Client; status: ClientStatus }> {
    const first = await this.load(caller, clientId);
    const clinic = await this.deps.clinics.require(first.clinicId);
    if (patch.dateOfBirth) this.assertBornBefore(patch.dateOfBirth, localDate(this.deps.clock.now(), clinic.timezone));
    const { rideHome, ...rest } = patch;
    const saved = await withOptimisticRetry(async () => {
      const before = await this.deps.clients.require(clientId);
      const after: Client = { ...before };
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) (after as unknown as Record<string, unknown>)[k] = v;
      if (rideHome === null) delete after.rideHome;
      else if (rideHome !== undefined) after.rideHome = rideHome;
      return this.deps.clients.update(before, after, caller.auditEntry(clientTarget(before), this.deps.clock.now()));
    });
    return { client: saved, status: await this.statusOf(saved) };
  }

  /** Medical clearance gates dosing (docs/domain.md, "Course of care"): recorded by a clinician of the clinic. */
  async recordClearance(caller: Caller, clientId: string, input: ClearanceInput): Promise<{ client: Client; status: ClientStatus }> {
    const first = await this.load(caller, clientId);
    const clinic = await this.deps.clinics.require(first.clinicId);
    if (input.validUntil && input.validUntil < localDate(this.deps.clock.now(), clinic.timezone)) {
      throw new ValidationError([{ path: 'validUntil', message: 'Must not be in the past' }]);
    }
    const clearance: Clearance & { id: string } = {
      id: this.deps.ids('clr'),
      status: input.status,
      screenedFor: input.screenedFor,
      validUntil: input.validUntil,
      notes: input.notes,
      recordedBy: caller.signedIn.sub,
      recordedAt: this.deps.clock.now(),
    };
    const saved = await withOptimisticRetry(async () =>
      this.deps.clients.recordClearance(
        await this.deps.clients.require(clientId),
        clearance,
        caller.auditEntry(clientTarget(first), clearance.recordedAt),
      ),
    );
    return { client: saved, status: await this.statusOf(saved) };
  }

  /**
   * Every clearance recorded for the client, newest first (shared/domain/clearance-history.ts): to
   * those who see what was screened and the notes (the route's grants are the policy's
   * CLEARANCE_DETAILS_GRANTS). Recorders are named by their user id: the API knows no staff names.
   */
  async clearances(caller: Caller, clientId: string): Promise<{ client: Client; clearances: Clearance[]; timezone: string }> {
    const client = await this.load(caller, clientId);
    const [clinic, entries] = await Promise.all([this.deps.clinics.require(client.clinicId), this.deps.clients.clearances(client.id)]);
    return { client, clearances: clearanceHistory(entries, client.clearance), timezone: clinic.timezone };
  }

  /**
   * The clinic's clients matching what staff typed (shared/domain/client-search.ts), by last name
   * then first name, at most MAX_SEARCH_RESULTS. Staff of the clinic and admin; the route audits
   * every client listed (a name is health information in this context).
   */
  async search(caller: Caller, clinicId: string, query: string): Promise<ClientSearchHit[]> {
    caller.assert({ clinicId });
    await this.deps.clinics.require(clinicId);
    const terms = searchTerms(query);
    if (terms.length === 0) throw new ValidationError([{ path: 'q', message: 'Type at least one letter or digit' }]);
    return this.deps.clients.search(clinicId, terms, { limit: MAX_SEARCH_RESULTS, maxRead: SEARCH_MAX_READ });
  }

  async appointments(caller: Caller, clientId: string): Promise<{ client: Client; appointments: Appointment[]; timezone: string }> {
    const client = await this.load(caller, clientId);
    const [clinic, appointments] = await Promise.all([
      this.deps.clinics.require(client.clinicId),
      this.deps.clients.appointments(client.id),
    ]);
    return { client, appointments, timezone: clinic.timezone };
  }

  /** Who read or changed the client's health or payment information, newest first. */
  async auditTrail(
    caller: Caller,
    clientId: string,
    cursor?: string,
  ): Promise<{ client: Client; entries: AuditEntry[]; nextCursor: string | null; timezone: string }> {
    const client = await this.load(caller, clientId);
    const [clinic, page] = await Promise.all([
      this.deps.clinics.require(client.clinicId),
      this.deps.audit.list(client.id, cursor === undefined ? {} : { cursor }),
    ]);
    return { client, entries: page.entries, nextCursor: page.nextCursor, timezone: clinic.timezone };
  }
}
