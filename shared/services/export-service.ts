// Finance exports through the billing API (docs/api.md, "Ledger export"): asking for
// one, and reading how it is getting on. The file itself is made by the export job
// (./export-job.ts), started here without waiting for it: on AWS an asynchronous invocation of the
// exports function, locally the same job in the local server's process (functions/billing/app.ts).
//
// Who: finance and admin ask (the route's grants; staff of the clinic only, through the Caller);
// only the user who asked, or admin, may read an export (Caller.assertRequester).
import type { Clock } from '#adapters/clock.ts';
import type { IdGenerator } from '#adapters/ids.ts';
import { NotFoundError, ServiceUnavailableError, assertNoIssues } from '#domain/errors.ts';
import { exportRangeIssues, exportStatusAt, type ExportKind, type ExportRecord, type ExportStatus } from '#domain/ledger-export.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { ExportRepository } from '#db/export-repo.ts';
import type { Repositories } from './context.ts';

/** The job's side of an export, as the billing function reaches it (on AWS or locally). */
export interface ExportRunner {
  /** Starts the job for a new export and returns once it is started, not done. */
  start(exportId: string): Promise<void>;
  /** A link to download a finished export's file, saved as `filename`. */
  url(file: string, filename: string): Promise<string>;
}

export type ExportServiceDeps = Pick<Repositories, 'clinics'> & { exports: ExportRepository; clock: Clock; ids: IdGenerator };

export interface ExportRequest {
  kind: ExportKind;
  /** Clinic-local dates, both included. */
  from: string;
  to: string;
}

export interface ExportState {
  record: ExportRecord;
  /** The status to show now (exportStatusAt). */
  status: ExportStatus;
  /** Ready only: where to download it. */
  url?: string | undefined;
}

export class ExportService {
  /**
   * `runner` absent: exports are recorded but no job is started, so they stay running (the test
   * API of routes other than these, test/helpers/api.ts).
   */
  constructor(
    private readonly deps: ExportServiceDeps,
    private readonly runner?: ExportRunner | undefined,
  ) {}

  /** Records a new export of the clinic's ledger for `from`..`to`, and starts its job. */
  /** `requestId`: the asking request's correlation id, which the job's audit entries carry. */
  async start(caller: Caller, clinicId: string, req: ExportRequest, requestId?: string): Promise<ExportRecord> {
    const clinic = await this.deps.clinics.require(clinicId);
    caller.assert({ clinicId: clinic.id });
    assertNoIssues(exportRangeIssues(req.from, req.to));
    const { sub, roles } = caller.signedIn;
    const id = this.deps.ids('exp');
    const record: ExportRecord = {
      id,
      clinicId: clinic.id,
      kind: req.kind,
      from: req.from,
      to: req.to,
      requestedBy: sub,
      requestedRoles: [...roles],
      ...(requestId === undefined ? {} : { requestId }),
      status: 'running',
      // `<exportId>.<secret>.csv`: the secret part keeps file names unguessable
      file: `${id}.${this.deps.ids('f')}.csv`,
      createdAt: this.deps.clock.now(),
    };
    await this.deps.exports.create(record);
    if (this.runner) {
      try {
        await this.runner.start(id);
      } catch {
        // nothing will make it: say so now rather than leave it running until it is given up on
        // (the runner logged why)
        await this.deps.exports.fail(id, this.deps.clock.now());
        throw new ServiceUnavailableError('The export could not be started, try again shortly');
      }
    }
    return record;
  }

  /** An export its asker (or admin) may read, with its status now and, when ready, its download link. */
  async get(caller: Caller, exportId: string): Promise<ExportState> {
    const record = await this.deps.exports.require(exportId);
    caller.assertRequester({ clinicId: record.clinicId, requestedBy: record.requestedBy });
    const status = exportStatusAt(record, this.deps.clock.now());
    // its file is gone (the bucket's lifecycle): nothing to show but that it existed
    if (status === 'expired') throw new NotFoundError('export');
    if (status !== 'ready' || !this.runner) return { record, status };
    return { record, status, url: await this.runner.url(record.file, `ledger-${record.clinicId}-${record.from}-${record.to}.csv`) };
  }
}
