// A client's diagnosis codes (ICD-10-CM), for insurance: recorded by a clinician of the client's
// clinic (or admin), read by the client, clinicians, finance and admin, never by the front desk
// (the route's grants). They live on an item of their own (keys.diagnoses), not on the client
// record. Diagnoses are PHI: nothing here logs them, and no error message carries a code.
import type { Client } from '#domain/types.ts';
import type { AuditTarget } from '#domain/audit.ts';
import type { ClientDiagnoses } from '#domain/diagnoses.ts';
import type { Caller } from '#shared/auth/policy.ts';
import { withOptimisticRetry } from '#db/errors.ts';
import { ConflictError } from '#domain/errors.ts';
import type { Clock } from '#adapters/clock.ts';
import type { Repositories } from './context.ts';

/** The audit trail's record of a client's diagnoses. */
export const diagnosesTarget = (c: Pick<Client, 'id' | 'clinicId'>): AuditTarget => ({
  clientId: c.id,
  clinicId: c.clinicId,
  record: { type: 'diagnoses', id: c.id },
});

export interface DiagnosesRead {
  client: Client;
  /** null: none recorded yet. */
  diagnoses: ClientDiagnoses | null;
  /** The clinic's zone, for showing `updatedAt`. */
  timezone: string;
}

/** What DiagnosisService uses: clients (and their diagnoses item), clinics (time zone) and the clock. */
export type DiagnosisServiceDeps = Pick<Repositories, 'clinics' | 'clients'> & { clock: Clock };

export class DiagnosisService {
  constructor(private readonly deps: DiagnosisServiceDeps) {}

  private async load(caller: Caller, clientId: string): Promise<Client> {
    const client = await this.deps.clients.require(clientId);
    caller.assert({ clinicId: client.clinicId, clientId: client.id });
    return client;
  }

  async read(caller: Caller, clientId: string): Promise<DiagnosesRead> {
    const client = await this.load(caller, clientId);
    const [clinic, diagnoses] = await Promise.all([this.deps.clinics.require(client.clinicId), this.deps.clients.diagnoses(client.id)]);
    return { client, diagnoses, timezone: clinic.timezone };
  }

  /**
   * Replaces the client's codes with `codes` (validated by the route's schema: 1–12 ICD-10-CM codes,
   * no duplicates, the primary first), re-applied on a fresh read if they changed meanwhile. The
   * change's audit entry commits with it. `expectedVersion`: the version the editor was shown (0:
   * none); when the codes changed since (another clinician saved), 409 and nothing is written,
   * rather than dropping that clinician's codes unseen.
   */
  async replace(
    caller: Caller,
    clientId: string,
    codes: string[],
    expectedVersion?: number,
  ): Promise<DiagnosesRead & { diagnoses: ClientDiagnoses }> {
    const client = await this.load(caller, clientId);
    const clinic = await this.deps.clinics.require(client.clinicId);
    const diagnoses = await withOptimisticRetry(async () => {
      const before = await this.deps.clients.diagnoses(client.id);
      if (expectedVersion !== undefined && expectedVersion !== (before?.version ?? 0)) {
        throw new ConflictError('The diagnosis codes were changed by someone else meanwhile: read them again before saving');
      }
      const now = this.deps.clock.now();
      const next: ClientDiagnoses = {
        clientId: client.id,
        clinicId: client.clinicId,
        codes: [...codes],
        updatedAt: now,
        updatedBy: caller.signedIn.sub,
        version: (before?.version ?? 0) + 1,
      };
      return this.deps.clients.putDiagnoses(next, before?.version, caller.auditEntry(diagnosesTarget(client), now));
    });
    return { client, diagnoses, timezone: clinic.timezone };
  }
}
