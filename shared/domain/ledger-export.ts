// The finance ledger export (docs/api.md, "Ledger export"): what an export is, the
// range it may cover, how one ledger entry becomes one CSV row, and the buffer that puts rows of
// many invoices into date order while they are read a page at a time. Pure: no clock, no I/O.
//
// The columns, their order and the cell rules are the API's (docs/api.md, "Ledger export"):
//   date,invoice_number,invoice_id,client_id,client_name,entry,service,cpt_code,billable,
//   description,amount,currency,method,reference
// - amount: a signed decimal with two places, made from integer minor units by string arithmetic
//   (never a float: 1234567.89 and -0.05 must come out exactly);
// - a cell a spreadsheet would read as a formula (starting with =, +, -, @, tab or carriage return)
//   gets a leading ' — every cell but `amount`, whose sign is its meaning. The full-width forms
//   of = + - @ are guarded too: some spreadsheets fold them to the ASCII characters before reading
//   a formula (OWASP, "CSV Injection").
import { refundMethod, type Invoice, type InvoiceLine, type LedgerEntry } from '#domain/invoices.ts';
import { dateRangeIssues } from '#domain/time.ts';
import type { FieldIssue } from '#domain/errors.ts';

export const EXPORT_KINDS = ['ledger'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_STATUSES = ['running', 'ready', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** The longest range an export may cover, both days included (docs/api.md, "Ledger export"). */
export const EXPORT_MAX_DAYS = 366;

/** How long an export's file may be downloaded (the bucket's lifecycle deletes it after this). */
export const EXPORT_FILE_DAYS = 7;

/** How long the export's record is kept (who asked for what, and when): DynamoDB TTL. */
export const EXPORT_RECORD_DAYS = 30;

/** The job's time limit (the Lambda timeout, infra/lib/exports.ts). */
export const EXPORT_JOB_TIMEOUT_MINUTES = 15;

/** How long a job request may wait for a free job (Lambda's asynchronous queue: maximum event age). */
export const EXPORT_QUEUE_MINUTES = 60;

/**
 * An export still 'running' this long after it was asked for cannot finish any more: its request
 * outlived the queue, or its job was stopped (timeout, crash) before it could record the failure.
 * Shown as failed (exportStatusAt); the person starts a new one.
 */
export const EXPORT_GIVE_UP_MS = (EXPORT_QUEUE_MINUTES + EXPORT_JOB_TIMEOUT_MINUTES + 5) * 60_000;

const DAY_MS = 86_400_000;

export interface ExportRecord {
  id: string;
  clinicId: string;
  kind: ExportKind;
  /** Clinic-local dates, both included. */
  from: string;
  to: string;
  /** The `sub` of who asked: only they (and admin) may read it. */
  requestedBy: string;
  /** Their roles when they asked: the actor of the audit entries the job writes for them. */
  requestedRoles: string[];
  /** The correlation id of the request that asked: the request id of those audit entries. */
  requestId?: string | undefined;
  status: ExportStatus;
  /** The file's name in the export store, chosen when the export is asked for (random: not guessable). */
  file: string;
  createdAt: number;
  /** When a job took it on: a second delivery of the same request finds it taken. */
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  /** Ready only: data rows in the file (the header not counted), and its size. */
  rows?: number | undefined;
  bytes?: number | undefined;
}

/** Days from `from` to `to`, both included (0 or less when `to` is before `from`). */
/** Why a range cannot be exported (a 400 on `to`): none when it can. */
export function exportRangeIssues(from: string, to: string): FieldIssue[] {
  return dateRangeIssues(from, to, { days: EXPORT_MAX_DAYS, message: `An export covers at most ${EXPORT_MAX_DAYS} days` });
}

/**
 * The status to show at `now`: as stored, except that a 'running' export older than
 * EXPORT_GIVE_UP_MS is 'failed' (it cannot finish any more), and that a file past its download
 * life is gone ('expired': the API answers 404 for it).
 */
export function exportStatusAt(record: Pick<ExportRecord, 'status' | 'createdAt'>, now: number): ExportStatus | 'expired' {
  if (record.status === 'running' && now - record.createdAt > EXPORT_GIVE_UP_MS) return 'failed';
  if (record.status === 'ready' && now - record.createdAt >= EXPORT_FILE_DAYS * DAY_MS) return 'expired';
  return record.status;
}

/** When DynamoDB may delete the record (epoch seconds). */
export function exportExpiresAt(createdAt: number): number {
  return Math.ceil((createdAt + EXPORT_RECORD_DAYS * DAY_MS) / 1000);
}

// ---------------------------------------------------------------------------------------------
// Rows

export const LEDGER_CSV_COLUMNS = [
  'date',
  'invoice_number',
  'invoice_id',
  'client_id',
  'client_name',
  'entry',
  'service',
  'cpt_code',
  'billable',
  'description',
  'amount',
  'currency',
  'method',
  'reference',
] as const;

const AMOUNT_COLUMN = LEDGER_CSV_COLUMNS.indexOf('amount');

/** Integer minor units as a signed decimal with two places: -5 → "-0.05", 123456789 → "1234567.89". */
export function formatMinorUnits(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Not a whole number of minor units: ${minor}`);
  const digits = String(Math.abs(minor)).padStart(3, '0');
  return `${minor < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

// = + - @ tab CR, and the full-width = + - @
const FORMULA_START = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d, 0xff1d, 0xff0b, 0xff0d, 0xff20]);

/** The cell as a spreadsheet must see it: a leading ' when it would otherwise be read as a formula. */
export function guardFormula(cell: string): string {
  return cell.length > 0 && FORMULA_START.has(cell.charCodeAt(0)) ? `'${cell}` : cell;
}

/** What a row says about its invoice besides the entry: the invoice's client and its name. */
export type LedgerInvoice = Pick<Invoice, 'id' | 'number' | 'clientId' | 'lines' | 'payments' | 'refunds'>;

/**
 * The CSV cells of one ledger entry of `invoice`, in LEDGER_CSV_COLUMNS order. Line entries
 * (charge, credit, void) carry their line's service, CPT code, billable flag and description;
 * a payment its method; a refund how it was made (`stripe` for the refund job's, or the way
 * finance recorded: `cheque`, `bank_transfer`…), so that the accountant can match it with the
 * bank or Stripe. Every cell but the amount is guarded (guardFormula).
 */
export function ledgerCsvRow(entry: LedgerEntry, invoice: LedgerInvoice, clientName: string): string[] {
  let line: InvoiceLine | undefined;
  let method = '';
  if (entry.kind === 'payment') method = invoice.payments.find((p) => p.reference === entry.reference)?.method ?? '';
  else if (entry.kind === 'refund') {
    const refund = invoice.refunds.find((r) => r.reference === entry.reference);
    method = refund ? refundMethod(refund) : '';
  } else line = invoice.lines.find((l) => l.id === entry.reference);
  const cells = [
    entry.date,
    invoice.number ?? '',
    invoice.id,
    invoice.clientId,
    clientName,
    entry.kind,
    line?.service ?? '',
    line?.cptCode ?? '',
    line ? String(line.billable) : '',
    line?.description ?? '',
    formatMinorUnits(entry.amount),
    entry.currency,
    method,
    entry.reference,
  ];
  for (let i = 0; i < cells.length; i++) if (i !== AMOUNT_COLUMN) cells[i] = guardFormula(cells[i]!);
  return cells;
}

/** Whether an entry falls in the export's range (clinic-local dates, both included). */
export const inRange = (entry: Pick<LedgerEntry, 'date'>, from: string, to: string): boolean => entry.date >= from && entry.date <= to;

// ---------------------------------------------------------------------------------------------
// Date order across invoices, a page at a time

interface Buffered {
  at: number;
  /** Order of arrival: ties on `at` keep the order the entries were pushed in. */
  seq: number;
  row: string[];
}

const before = (a: Buffered, b: Buffered) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/**
 * Rows held until they can be written in date order. Invoices are read oldest issue first, and
 * every entry of an invoice is recorded at or after its issue (a line is added, voided or paid
 * after the invoice exists). So once the reader has reached invoices issued at `t`, no entry
 * still to come is dated before `t`: every held row before `t` can go (`takeBefore`). What stays
 * held are the rows dated after the newest issue read so far — payments, voids and refunds of
 * recent invoices — not the export. A binary min-heap by (at, arrival).
 *
 * A row pushed with an `at` before what was already taken would be written out of order; the
 * buffer writes it with the next rows (never drops it) and counts it in `late`.
 */
export class LedgerOrderBuffer {
  private readonly heap: Buffered[] = [];
  private seq = 0;
  private taken = -Infinity;
  /** Rows pushed dated before rows already taken (written as soon as possible, out of order). */
  late = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, row: string[]): void {
    if (at < this.taken) this.late++;
    const heap = this.heap;
    const item: Buffered = { at, seq: this.seq++, row };
    let i = heap.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  /** The held rows dated before `bound`, oldest first; they leave the buffer. */
  *takeBefore(bound: number): Generator<string[]> {
    while (this.heap.length > 0 && this.heap[0]!.at < bound) yield this.pop();
  }

  /** Every held row, oldest first (the reader has read everything). */
  *drain(): Generator<string[]> {
    while (this.heap.length > 0) yield this.pop();
  }

  private pop(): string[] {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const r = l + 1;
        const c = r < heap.length && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    if (top.at > this.taken) this.taken = top.at;
    return top.row;
  }
}
