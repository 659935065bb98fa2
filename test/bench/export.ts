// The ledger export at size (`npm run bench -- export`): a clinic with BENCH_EXPORT_ROWS ledger rows
// (default 1,000,000: a quarter as many invoices, 4 entries each) seeded on DynamoDB Local (in
// memory) by BatchWriteItem in the repository's item shape, then exported through the real path
// (ExportJob: the GSI2 Query a page at a time, client names by BatchGet, audit entries, the date-order
// buffer, csv-stringify) into the local store (a file in a temp dir), in a fresh process of its own
// as a Lambda runs it (./export-run.ts). Measured: rows/s end to end, DynamoDB Local's share of that
// time (wall time with a call in flight), the peak RSS growth of the export's process from after its
// imports (DynamoDB Local is a separate Java process), and the CSV stage alone (ledgerCsvRow +
// csv-stringify over entries already in memory, into a byte counter). The file is read back: as many
// rows as reported, dates never going back.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, createReadStream } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defaultCatalog } from '#domain/catalog.ts';
import { applyPayment, applyRefund, ledgerEntries, newSessionInvoice, type Invoice } from '#domain/invoices.ts';
import { ledgerCsvRow } from '#domain/ledger-export.ts';
import { ExportRepository } from '#db/export-repo.ts';
import { keys } from '#db/keys.ts';
import { ledgerCsv } from '#services/export-job.ts';
import { startBenchApi } from './harness.ts';
import { EXPORT_JOB_NODE_OPTIONS } from '#functions/exports/node-options.ts';

export interface ExportRow {
  case: string;
  value: string;
  target: string;
  ok: string;
}

export const EXPORT_COLUMNS: Array<[keyof ExportRow, string, 'l' | 'r']> = [
  ['case', 'ledger export (DynamoDB Local, local store)', 'l'],
  ['value', 'value', 'r'],
  ['target', 'target', 'l'],
  ['ok', 'ok', 'l'],
];

export const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
const CLIENTS = Number(process.env.BENCH_EXPORT_CLIENTS ?? 5_000);
const CSV_STAGE_ROWS = Number(process.env.BENCH_EXPORT_CSV_ROWS ?? 400_000);
/** Optional: the export process's V8 old space cap, MiB (shows the job's live set is small). */
const HEAP_CAP = process.env.BENCH_EXPORT_HEAP_MB ? Number(process.env.BENCH_EXPORT_HEAP_MB) : undefined;
/** The job's V8 flags as its Lambda has them (NODE_OPTIONS); BENCH_EXPORT_NODE_FLAGS to try others ('' for none). */
const EXPORT_NODE_FLAGS = (process.env.BENCH_EXPORT_NODE_FLAGS ?? EXPORT_JOB_NODE_OPTIONS).split(' ').filter((f) => f !== '');
const SEED_CONCURRENCY = 8;
const CSV_TARGET = 200_000; // rows/s
const RSS_TARGET_MB = 50;
const FULL = 1_000_000;

const CLINIC = 'demo-nyc';
const ZONE = 'America/New_York';
const FROM = '2025-01-01';
const TO = '2025-12-31';
/** Issue times spread over the year, each invoice's last entry within 9 days: every row is in range. */
const FIRST_ISSUE = Date.parse('2025-01-02T15:00:00Z');
const LAST_ISSUE = Date.parse('2025-12-20T15:00:00Z');
const HOUR = 3_600_000;

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const service = defaultCatalog('USD').find((s) => s.code === 'preparation')!;

/** Invoice i: a session charge, two payments (card, then BNPL) and a refund: 4 ledger entries. */
function invoiceAt(i: number, n: number): Invoice {
  const at = FIRST_ISSUE + Math.floor(((LAST_ISSUE - FIRST_ISSUE) * i) / Math.max(1, n - 1));
  let inv = newSessionInvoice({
    id: `inv_b${i.toString(36).padStart(6, '0')}`,
    clinicId: CLINIC,
    clientId: `cli_b${(i % CLIENTS).toString(36)}`,
    currency: 'USD',
    at,
    zone: ZONE,
    service,
    appointment: {
      id: `apt_b${i.toString(36)}`,
      service: 'preparation',
      mode: i % 3 === 0 ? 'in_person' : 'telehealth',
      startsAt: at + 48 * HOUR,
    },
  });
  inv = applyPayment(inv, { reference: `pi_b${i.toString(36)}a`, amount: usd(10_000), at: at + 2 * HOUR, method: 'card' });
  inv = applyPayment(inv, { reference: `pi_b${i.toString(36)}b`, amount: usd(7_500), at: at + 3 * 24 * HOUR, method: 'bnpl' });
  return applyRefund(inv, { reference: `re_b${i.toString(36)}`, amount: usd(2_500), at: at + 8 * 24 * HOUR, status: 'succeeded' });
}

const invoiceItem = (inv: Invoice, i: number) => ({
  ...keys.invoice(inv.id),
  ...keys.invoiceByClinic(inv.clinicId, inv.createdAt, inv.id),
  ...keys.invoiceByClient(inv.clientId, inv.createdAt, inv.id),
  type: 'invoice',
  ...inv,
  number: String(i + 1),
  version: 1,
});

/** A client profile as ClientRepository stores it; every 40th name is one a spreadsheet would run, with a comma and a quote. */
const clientItem = (c: number) => {
  const id = `cli_b${c.toString(36)}`;
  return {
    ...keys.client(id),
    type: 'client',
    id,
    clinicId: CLINIC,
    firstName: c % 40 === 0 ? '=Ann "the' : `Client${c}`,
    lastName: c % 40 === 0 ? 'Hacker", Jr' : `Bench${c % 97}`,
    email: `client${c}@example.com`,
    phone: '+12125550123',
    dateOfBirth: '1985-04-12',
    smsConsent: false,
    intakeCompleted: true,
    createdAt: FIRST_ISSUE,
    version: 1,
    scheduleVersion: 0,
  };
};

async function batchWrite(doc: DynamoDBDocumentClient, table: string, items: Iterable<Record<string, unknown>>): Promise<number> {
  const it = items[Symbol.iterator]();
  let written = 0;
  const worker = async () => {
    for (;;) {
      const batch: Record<string, unknown>[] = [];
      while (batch.length < 25) {
        const r = it.next();
        if (r.done) break;
        batch.push(r.value);
      }
      if (batch.length === 0) return;
      let request: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> | undefined = {
        [table]: batch.map((Item) => ({ PutRequest: { Item } })),
      };
      for (let attempt = 0; request && (request[table]?.length ?? 0) > 0; attempt++) {
        const res = await doc.send(new BatchWriteCommand({ RequestItems: request }));
        request = res.UnprocessedItems as typeof request;
        if (request && (request[table]?.length ?? 0) > 0) await new Promise((r) => setTimeout(r, 10 * 2 ** Math.min(attempt, 6)));
      }
      written += batch.length;
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  return written;
}

function* range<T>(n: number, f: (i: number) => T): Generator<T> {
  for (let i = 0; i < n; i++) yield f(i);
}

interface ChildRun {
  result: { outcome: string; rows: number; bytes: number };
  ms: number;
  cpuMs: number;
  dbMs: number;
  byCommand: Record<string, number>;
  rssBefore: number;
  rssPeak: number;
  heapBefore: number;
  heapPeak: number;
}

/** Runs test/bench/export-run.ts in a fresh node (tsx as its loader) and reads its one JSON line. */
function runInChild(env: Record<string, string>): Promise<ChildRun> {
  const script = fileURLToPath(new URL('./export-run.ts', import.meta.url));
  const args = [...(HEAP_CAP ? [`--max-old-space-size=${HEAP_CAP}`] : []), ...EXPORT_NODE_FLAGS, '--import', 'tsx', script];
  return new Promise((ok, fail) => {
    execFile(
      process.execPath,
      args,
      { env: { ...process.env, ...env, NODE_OPTIONS: '' }, maxBuffer: 16 * 2 ** 20, timeout: 30 * 60_000 },
      (err, stdout, stderr) => {
        if (err) return fail(new Error(`the export process failed: ${err.message}\n${stderr}`));
        try {
          ok(JSON.parse(stdout.trim().split('\n').pop()!) as ChildRun);
        } catch {
          fail(new Error(`the export process printed no result: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

/** Rows of the file (CRLF lines less the header) and whether their dates never go back. */
async function checkFile(path: string): Promise<{ rows: number; ordered: boolean; bytes: number }> {
  let rows = -1;
  let last = '';
  let ordered = true;
  let bytes = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    bytes += Buffer.byteLength(line) + 1;
    rows++;
    if (rows === 0) continue;
    const date = line.slice(0, 10);
    if (date < last) ordered = false;
    last = date;
  }
  return { rows, ordered, bytes };
}

/** The CSV stage alone: entries already in memory → ledgerCsvRow → csv-stringify → a byte counter. */
async function csvStage(n: number): Promise<{ rowsPerS: number; bytes: number; formatOnlyPerS: number }> {
  const pool = Array.from({ length: 1_000 }, (_, i) => {
    const inv = { ...invoiceAt(i, 1_000), number: String(i + 1) };
    return { inv, entries: ledgerEntries(inv, ZONE), name: i % 40 === 0 ? '=Ann "the Hacker", Jr' : `Client${i} Bench${i % 97}` };
  });
  const rows = function* () {
    let emitted = 0;
    for (let p = 0; emitted < n; p = (p + 1) % pool.length) {
      const { inv, entries, name } = pool[p]!;
      for (const e of entries) {
        if (emitted++ >= n) return;
        yield ledgerCsvRow(e, inv, name);
      }
    }
  };
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done();
    },
  });
  const t0 = performance.now();
  await pipeline(ledgerCsv(rows()), sink);
  const s = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let k = 0;
  for (const r of rows()) k += r.length;
  const f = (performance.now() - t1) / 1000;
  if (k === 0) throw new Error('no rows formatted');
  return { rowsPerS: n / s, bytes, formatOnlyPerS: n / f };
}

export async function benchExport(note: (s: string) => void): Promise<ExportRow[]> {
  const invoices = Math.ceil(EXPORT_ROWS / 4);
  const expectedRows = invoices * 4;
  const out: ExportRow[] = [];

  // the CSV stage first, on a quiet process: 3 runs, the median
  const stages = [];
  for (let r = 0; r < 3; r++) stages.push(await csvStage(CSV_STAGE_ROWS));
  stages.sort((a, b) => a.rowsPerS - b.rowsPerS);
  const stage = stages[1]!;

  const dir = mkdtempSync(join(tmpdir(), 'kapstone-export-bench-'));
  let t = performance.now();
  const api = await startBenchApi();
  try {
    note(`export: DynamoDB Local started and the demo clinics seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    await batchWrite(api.doc, api.tableName, range(CLIENTS, clientItem));
    const clientsS = (performance.now() - t) / 1000;
    t = performance.now();
    await batchWrite(
      api.doc,
      api.tableName,
      range(invoices, (i) => invoiceItem(invoiceAt(i, invoices), i)),
    );
    const seedS = (performance.now() - t) / 1000;
    api.takeCalls();
    note(
      `export seed: ${CLIENTS} clients in ${clientsS.toFixed(1)} s, then ${invoices.toLocaleString('en-US')} invoices × 4 entries ` +
        `(charge, card payment, BNPL payment, refund; issued ${FROM}..${TO} in ${ZONE}) in ${seedS.toFixed(1)} s ` +
        `(${(invoices / seedS).toFixed(0)} items/s; BatchWriteItem, 25 a call, ${SEED_CONCURRENCY} at once)`,
    );

    const id = 'exp_bench';
    const file = `${id}.benchbenchbenchbench.csv`;
    await new ExportRepository(api.doc, api.tableName).create({
      id,
      clinicId: CLINIC,
      kind: 'ledger',
      from: FROM,
      to: TO,
      requestedBy: 'bench-finance',
      requestedRoles: ['finance'],
      status: 'running',
      file,
      createdAt: Date.now(),
    });
    const run = await runInChild({
      BENCH_DDB_ENDPOINT: api.endpoint,
      BENCH_TABLE: api.tableName,
      BENCH_EXPORT_ID: id,
      BENCH_EXPORT_DIR: dir,
    });
    const { result } = run;
    if (result.outcome !== 'ready') throw new Error(`the export did not finish: ${result.outcome}`);
    const totalMs = run.ms;
    const checked = await checkFile(join(dir, file));
    const rowsPerS = result.rows / (totalMs / 1000);
    const growthMb = (run.rssPeak - run.rssBefore) / 2 ** 20;
    const mib = (b: number) => (b / 2 ** 20).toFixed(0);
    note(
      `export run (its own process, as a Lambda runs it: node ${[...(HEAP_CAP ? [`--max-old-space-size=${HEAP_CAP}`] : []), ...EXPORT_NODE_FLAGS].join(' ')} --import tsx test/bench/export-run.ts): ` +
        `${result.rows.toLocaleString('en-US')} rows, ${(result.bytes / 2 ** 20).toFixed(1)} MiB in ${(totalMs / 1000).toFixed(1)} s; ` +
        `DynamoDB calls: ${Object.entries(run.byCommand)
          .map(([c, k]) => `${c.replace(/Command$/, '')} ${k}`)
          .join(', ')}; ` +
        `RSS after its imports ${mib(run.rssBefore)} MiB, peak ${mib(run.rssPeak)} MiB; V8 heap used + external ${mib(run.heapBefore)} → peak ` +
        `${mib(run.heapPeak)} MiB (mostly garbage between collections: the V8 heap grows with the allocation rate, not the row count)`,
    );
    note(
      `export CSV stage alone (${CSV_STAGE_ROWS.toLocaleString('en-US')} rows from 1,000 invoices in memory, this process, 3 runs, median): ` +
        `${stages.map((x) => x.rowsPerS.toFixed(0)).join(' / ')} rows/s; ledgerCsvRow alone ${stage.formatOnlyPerS.toFixed(0)} rows/s; ` +
        `${(stage.bytes / CSV_STAGE_ROWS).toFixed(0)} bytes a row`,
    );
    if (EXPORT_ROWS < FULL) {
      note(
        `EXTRAPOLATED, not measured: at ${FULL.toLocaleString('en-US')} rows the run would take about ` +
          `${(FULL / rowsPerS).toFixed(0)} s at the measured ${rowsPerS.toFixed(0)} rows/s (the job's work is linear in rows; ` +
          `its memory is bounded by the page, the name cache and the date-order buffer, not by the row count)`,
      );
    }
    note(
      `export time: ${(totalMs / 1000).toFixed(1)} s wall, of which the export process was on the CPU ${(run.cpuMs / 1000).toFixed(1)} s ` +
        `(all threads); a DynamoDB call was in flight ${((run.dbMs / totalMs) * 100).toFixed(0)} % of the wall time (the next page is read ` +
        `while one is processed, so this is near 100 % whatever the split); DynamoDB Local shares the machine's ${cpus().length} cores`,
    );
    out.push(
      {
        case: `rows exported (BENCH_EXPORT_ROWS${EXPORT_ROWS < FULL ? ', a smaller run' : ''})`,
        value: result.rows.toLocaleString('en-US'),
        target: expectedRows.toLocaleString('en-US'),
        ok: yes(result.rows === expectedRows),
      },
      {
        case: 'rows in the file, dates never going back',
        value: checked.rows.toLocaleString('en-US'),
        target: `= rows, ordered`,
        ok: yes(checked.rows === result.rows && checked.ordered),
      },
      { case: 'end to end, rows/s', value: rowsPerS.toFixed(0), target: '-', ok: '-' },
      { case: 'end to end, s', value: (totalMs / 1000).toFixed(1), target: '-', ok: '-' },
      {
        case: "DynamoDB Local's share (wall time the job was not on the CPU)",
        value: `${((1 - run.cpuMs / totalMs) * 100).toFixed(0)} %`,
        target: '-',
        ok: '-',
      },
      {
        case: 'CSV stage alone, rows/s (format + csv-stringify)',
        value: stage.rowsPerS.toFixed(0),
        target: `≥ ${CSV_TARGET.toLocaleString('en-US')}`,
        ok: yes(stage.rowsPerS >= CSV_TARGET),
      },
      {
        case: 'peak RSS growth of the export process, MiB',
        value: growthMb.toFixed(1),
        target: `≤ ${RSS_TARGET_MB}`,
        ok: yes(growthMb <= RSS_TARGET_MB),
      },
    );
    return out;
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const yes = (b: boolean) => (b ? 'yes' : 'NO');
