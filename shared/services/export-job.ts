// The ledger export job: writes one clinic's ledger for a range of clinic-local dates as a CSV file
// (docs/api.md, "Ledger export"), then marks the export ready with its row count, or
// failed. On AWS it is the exports function, invoked asynchronously by the billing function
// (functions/exports/handler.ts); locally the local server runs it in its own process.
//
// How it streams, whatever the clinic's size (memory stays flat: no list of all rows or invoices):
//   1. the clinic's invoices are read by issue date (GSI2, InvoiceRepository.issuedBefore), a page
//      at a time, from the first ever up to the end of `to` — an invoice issued before `from` can
//      still have a payment or refund inside the range;
//   2. each invoice's ledger entries (ledgerEntries, the domain's) outside [from, to] are dropped;
//      the others become CSV rows (ledgerCsvRow) and wait in a LedgerOrderBuffer, which lets out in
//      date order every row dated before the page's first issue date (no later page can hold an
//      entry older than that);
//   3. the rows go through csv-stringify (header row, RFC 4180 quoting, CRLF) into the ExportStore
//      as they come, with back-pressure all the way back to the Query.
// Client names come from the client records (a projection of the names only), looked up once per
// client and kept in a bounded cache (NAME_CACHE_SIZE).
//
// Audit (HIPAA §164.312(b)): the trail is kept per client, and the file holds each listed client's
// name and payments, so every client whose rows are in the file gets an entry ('export.ledger', the
// export as the record, the person who asked as the actor), written when the job first reads the
// client's name. A client met again after leaving the bounded cache gets a second entry: a
// duplicate, never a gap.
//
// Logs carry ids and counts only (export, clinic), never a name or an amount.
import { Readable, pipeline } from 'node:stream';
import type { Logger } from '@aws-lambda-powertools/logger';
import { stringify } from 'csv-stringify';
import type { Clock } from '#adapters/clock.ts';
import type { ExportStore } from '#adapters/export-store.ts';
import type { AuditEntry } from '#domain/audit.ts';
import { ledgerEntries, type LedgerEntry } from '#domain/invoices.ts';
import { LEDGER_CSV_COLUMNS, LedgerOrderBuffer, inRange, ledgerCsvRow, type ExportRecord } from '#domain/ledger-export.ts';
import { localDayEnd } from '#domain/time.ts';
import type { ExportRepository } from '#db/export-repo.ts';
import type { StoredInvoice } from '#db/invoice-repo.ts';
import type { Repositories } from './context.ts';

export type ExportJobDeps = Pick<Repositories, 'clinics' | 'clients' | 'invoices' | 'audit'> & { exports: ExportRepository; clock: Clock };

/** Client names kept per export; a clinic with more clients than this in one range reads some twice. */
export const NAME_CACHE_SIZE = 10_000;

/** The audit action of the entries the job writes. */
export const EXPORT_AUDIT_ACTION = 'export.ledger';

export type ExportJobResult =
  | { outcome: 'ready'; rows: number; bytes: number }
  | { outcome: 'failed' }
  /** Not run: no such export, or another job has it (a repeated delivery), or it is over. */
  | { outcome: 'skipped' };

/**
 * The CSV of a stream of rows (cells in LEDGER_CSV_COLUMNS order): the header first, RFC 4180
 * (fields with a comma, a quote or a line break quoted, quotes doubled, CRLF between records),
 * UTF-8. An error of `rows` destroys the returned stream with that error.
 */
export function ledgerCsv(rows: AsyncIterable<string[]> | Iterable<string[]>): Readable {
  // quote_record_delimiter: a lone \n or \r in a cell is quoted too (with an explicit record
  // delimiter csv-stringify would otherwise quote only a whole CRLF)
  const csv = stringify({ header: true, columns: [...LEDGER_CSV_COLUMNS], record_delimiter: 'windows', quote_record_delimiter: true });
  return pipeline(Readable.from(rows), csv, () => undefined);
}

/** A bounded cache of client names (least recently used out first) that reports each client it reads. */
class ClientNames {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly deps: Pick<ExportJobDeps, 'clients'>,
    private readonly onRead: (clientIds: string[]) => Promise<void>,
    private readonly size: number,
  ) {}

  /** Makes sure the names of `clientIds` are at hand (reading those not cached), then `nameOf` them. */
  async load(clientIds: Iterable<string>): Promise<void> {
    const missing: string[] = [];
    for (const id of clientIds) {
      const name = this.names.get(id);
      if (name === undefined) missing.push(id);
      else {
        // most recently used last: Map keeps insertion order
        this.names.delete(id);
        this.names.set(id, name);
      }
    }
    if (missing.length > 0) {
      const [found] = await Promise.all([this.deps.clients.namesOf(missing), this.onRead(missing)]);
      for (const id of missing) this.names.set(id, found.get(id) ?? '');
    }
    for (const id of this.names.keys()) {
      if (this.names.size <= this.size) break;
      this.names.delete(id);
    }
  }

  nameOf(clientId: string): string {
    return this.names.get(clientId) ?? '';
  }
}

export class ExportJob {
  constructor(
    private readonly deps: ExportJobDeps,
    private readonly store: ExportStore,
    private readonly logger: Logger,
    private readonly options: { nameCacheSize?: number } = {},
  ) {}

  /**
   * Makes the file of export `exportId` and records the outcome. Never throws for a failure of the
   * export itself (it is recorded as failed); `signal` aborts it (the Lambda's time running out),
   * which fails it too.
   */
  async run(exportId: string, opts: { signal?: AbortSignal | undefined } = {}): Promise<ExportJobResult> {
    const started = this.deps.clock.now();
    const record = await this.deps.exports.get(exportId);
    if (!record || !(await this.deps.exports.claim(exportId, started))) {
      this.logger.warn('export not run: unknown, taken or over', { exportId });
      return { outcome: 'skipped' };
    }
    const facts = { exportId, clinicId: record.clinicId };
    const counts = { rows: 0, late: 0, invoices: 0 };
    try {
      const clinic = await this.deps.clinics.require(record.clinicId);
      const body = ledgerCsv(this.rows(record, clinic.timezone, counts, opts.signal));
      const abort = () => body.destroy(new Error('The export job ran out of time'));
      opts.signal?.addEventListener('abort', abort, { once: true });
      let bytes: number;
      try {
        ({ bytes } = await this.store.upload(record.file, body));
      } finally {
        opts.signal?.removeEventListener('abort', abort);
      }
      const finished = this.deps.clock.now();
      if (!(await this.deps.exports.finish(exportId, { rows: counts.rows, bytes }, finished))) {
        this.logger.warn('export written but no longer running', facts);
        return { outcome: 'skipped' };
      }
      this.logger.info('export ready', { ...facts, ...counts, bytes, ms: finished - started });
      return { outcome: 'ready', rows: counts.rows, bytes };
    } catch (err) {
      // the error's name and code only: an SDK message may quote what it was given
      const error = err instanceof Error ? err.name : typeof err;
      const code = (err as { code?: unknown; Code?: unknown })?.code ?? (err as { Code?: unknown })?.Code;
      this.logger.error('export failed', { ...facts, error, ...(typeof code === 'string' ? { code } : {}), rows: counts.rows });
      await this.deps.exports.fail(exportId, this.deps.clock.now()).catch(() => undefined);
      return { outcome: 'failed' };
    }
  }

  /** The export's rows, in date order, as the pages of invoices come in. */
  private async *rows(
    record: ExportRecord,
    zone: string,
    counts: { rows: number; late: number; invoices: number },
    signal: AbortSignal | undefined,
  ): AsyncGenerator<string[]> {
    const buffer = new LedgerOrderBuffer();
    const names = new ClientNames(this.deps, (ids) => this.audit(record, ids), this.options.nameCacheSize ?? NAME_CACHE_SIZE);
    const until = localDayEnd(record.to, zone);
    for await (const page of this.deps.invoices.issuedBefore(record.clinicId, until)) {
      signal?.throwIfAborted();
      if (page.length === 0) continue;
      counts.invoices += page.length;
      for (const row of buffer.takeBefore(page[0]!.createdAt)) {
        counts.rows++;
        yield row;
      }
      // the entries in range first, so that only the clients with rows are looked up (and audited)
      const kept: Array<[LedgerEntry, StoredInvoice]> = [];
      const clients = new Set<string>();
      for (const invoice of page) {
        for (const entry of ledgerEntries(invoice, zone)) {
          if (!inRange(entry, record.from, record.to)) continue;
          kept.push([entry, invoice]);
          clients.add(invoice.clientId);
        }
      }
      await names.load(clients);
      for (const [entry, invoice] of kept) buffer.push(entry.at, ledgerCsvRow(entry, invoice, names.nameOf(invoice.clientId)));
    }
    for (const row of buffer.drain()) {
      counts.rows++;
      yield row;
    }
    counts.late = buffer.late;
    if (buffer.late > 0) this.logger.warn('export rows out of date order', { exportId: record.id, late: buffer.late });
  }

  /** One audit entry per client whose rows are going into the file, on behalf of who asked. */
  private async audit(record: ExportRecord, clientIds: string[]): Promise<void> {
    const at = this.deps.clock.now();
    const entries: AuditEntry[] = clientIds.map((clientId) => ({
      at,
      clientId,
      clinicId: record.clinicId,
      actor: { sub: record.requestedBy, roles: [...record.requestedRoles] },
      action: EXPORT_AUDIT_ACTION,
      record: { type: 'export', id: record.id },
      // the request that asked for the export (an export recorded before it was kept: its id)
      requestId: record.requestId ?? record.id,
    }));
    await this.deps.audit.append(entries);
  }
}
