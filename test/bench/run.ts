// Kapstone benchmark: `npm run bench` (not part of `npm test`).
//
// 1. availability for one therapist over 31 days (pure computeAvailability)
// 2. availability for a clinic of 20 therapists × 6 rooms over the same 31 days
// 3. POST /v1/appointments through the scheduling handler on DynamoDB Local
// 4. the raw TransactWriteItems a booking writes, on the same DynamoDB Local
// 5. booking / raw: what the booking path costs on top of its one unavoidable write
// 6. a signed checkout.session.completed through the payments webhook on the same DynamoDB Local
//    (signature verification, event claim, package update; each package bought first, untimed)
// then a table for the SMS job: 10,000 reminders due at once, drained by the real job (SNS mocked)
// on a fresh DynamoDB Local at its rate cap (test/bench/sms.ts);
// then a table for cold start: each Lambda bundle as `cdk synth` builds it (esbuild, minified,
// code splitting), the gzip size of the files it loads at import and of the whole asset, and its
// import time in a fresh node (median of 7, BENCH_COLD_RUNS), next to a
// baseline bundle that holds only the DynamoDB document client (test/bench/bundles.ts), and a
// check that the scheduling bundle carries no Stripe SDK; a note times a first request that needs
// no database after the import (FIRST_REQUESTS), so that work moved out of the import shows.
//
// `npm run bench -- bundles` runs the cold-start table alone (no DynamoDB Local; seconds).
// `npm run bench -- superbill` runs the superbill rows alone (test/bench/superbill.ts: a year of
// sessions as JSON and as a PDF through the billing handler, on a DynamoDB Local of their own,
// and pdf-lib's import time in fresh processes); with no section they follow the runtime table.
// `npm run bench -- web` runs the web app's rows alone (test/bench/web.ts: its initial JavaScript
// gzipped from a `vite build` into a temporary folder, the booking page's first open times and the
// staff day view in Chromium against a local server of its own); with no section they come last.
// `npm run bench -- export` runs the ledger export table (test/bench/export.ts: 1,000,000 rows by
// default, BENCH_EXPORT_ROWS to change it, seeded on a DynamoDB Local of its own and exported
// through the real job); its seed takes minutes, so it runs only when named.
//
// Starts its own DynamoDB Local (in memory) and stops it at the end, also on error. Prints three
// tables; exit code 0 when a target is missed (the `ok` column says so), non-zero on an error.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { computeAvailability } from '#domain/availability.ts';
import { clinicCase, singleTherapistCase, FROM, TO, ZONE as AVAIL_ZONE, SERVICE } from './availability-fixtures.ts';
import { startBenchApi, type BenchApi, type CallRecord } from './harness.ts';
import { bookingBody, bookingSlots, FRONTDESK, rawTransaction, createClients, type TransactionTemplate } from './booking.ts';
import { cpuSync, fmtMs, percentile, summarize, timeSync, type Summary } from './stats.ts';
import { benchWebhook, type WebhookResult } from './webhook.ts';
import { bundleSizes, coldStarts, describeBundling, FIRST_REQUESTS, kb, type ColdStart } from './bundles.ts';
import { benchSmsBurst, type SmsBurstResult } from './sms.ts';
import { benchSuperbill, median } from './superbill.ts';
import { benchExport, EXPORT_COLUMNS } from './export.ts';
import { benchWeb, WEB_COLUMNS } from './web.ts';

const PURE_WARMUP = 200;
const PURE_N = 300;
const DB_WARMUP_ROUNDS = 60; // each round: one booking (~5 calls) and one raw write
const DB_N = 150;
const KEYED_N = 20; // extra bookings with an Idempotency-Key, for a note
const INVOICE_READ_WARMUP = 30; // of the bookings' invoices, read before the measured ones
const AVAIL_TARGET_MS = 10;
const RATIO_TARGET = 1.3;
const WEBHOOK_WARMUP = 20; // packages bought and delivered before the measured ones
const WEBHOOK_N = 120;
// The SMS burst: env-overridable so a faster machine can push the cap (BENCH_SMS_N, BENCH_SMS_RATE,
// BENCH_SMS_CONCURRENCY, BENCH_SMS_BUDGET_MS).
const SMS_N = Number(process.env.BENCH_SMS_N ?? 10_000);
const SMS_RATE = Number(process.env.BENCH_SMS_RATE ?? 200);
const SMS_CONCURRENCY = Number(process.env.BENCH_SMS_CONCURRENCY ?? 64);
const SMS_BUDGET_MS = Number(process.env.BENCH_SMS_BUDGET_MS ?? 50_000); // the job's default
const SMS_RATE_TOLERANCE = 1.02; // achieved ≤ cap × this
const SMS_CLOSE = 0.9; // achieved ≥ cap × this
// Cold start: import time of each bundle, median of COLD_RUNS fresh processes, as a multiple of the
// baseline bundle's (payments may load the Stripe SDK), and the gzip size of each.
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7);
const COLD_RATIO_TARGET = 1.2;
const COLD_RATIO_TARGET_BY_FN: Record<string, number> = { payments: 1.5 };
const GZIP_TARGET_KB = 200;

interface Row {
  case: string;
  n: string;
  p50: string;
  p95: string;
  target: string;
  ok: string;
}

interface SmsRow {
  case: string;
  value: string;
  target: string;
  ok: string;
}

interface SizeRow {
  case: string;
  gzip: string;
  asset: string;
  p50: string;
  ratio: string;
  target: string;
  ok: string;
}

const notes: string[] = [];
const note = (s: string) => notes.push(s);

// ---------------------------------------------------------------------------------------------
// Pure availability (rows 1 and 2), interleaved so that JIT and GC drift hit both alike.

function benchAvailability(): { single: Summary; clinic: Summary } {
  const one = singleTherapistCase();
  const many = clinicCase();
  const slotsOne = computeAvailability(one.input).length;
  const slotsMany = computeAvailability(many.input).length;
  if (slotsOne === 0 || slotsMany === 0) throw new Error('availability fixtures offer no slot at all: check the generator');
  note(
    `row 1 input: ${one.providers} therapist, ${one.rooms} rooms, ${one.busyBlocks} busy blocks (${one.blocksWithRoom} in a room), ` +
      `${SERVICE} in person, ${FROM}..${TO} ${AVAIL_ZONE} (DST change inside), 30-min step → ${slotsOne} slots`,
  );
  note(
    `row 2 input: ${many.providers} therapists, ${many.rooms} rooms (3 dosing, 3 therapy), ${many.busyBlocks} busy blocks ` +
      `(${many.blocksWithRoom} in a room), same service/range → ${slotsMany} slots`,
  );
  for (let i = 0; i < PURE_WARMUP; i++) {
    computeAvailability(one.input);
    computeAvailability(many.input);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < PURE_N; i++) {
    if (i % 2 === 0) {
      a.push(timeSync(() => computeAvailability(one.input)));
      b.push(timeSync(() => computeAvailability(many.input)));
    } else {
      b.push(timeSync(() => computeAvailability(many.input)));
      a.push(timeSync(() => computeAvailability(one.input)));
    }
  }
  // Cross-check on CPU time (not the table's numbers): on a loaded machine a long call is far more
  // likely to be preempted than a short one, which skews the wall-time ratio of rows 2 and 1.
  const ca: number[] = [];
  const cb: number[] = [];
  for (let i = 0; i < 100; i++) {
    ca.push(cpuSync(() => computeAvailability(one.input)));
    cb.push(cpuSync(() => computeAvailability(many.input)));
  }
  const c1 = percentile(ca, 50);
  const c2 = percentile(cb, 50);
  note(
    `availability CPU time (cross-check, n=100 each): row 1 p50 ${fmtMs(c1)} ms, row 2 p50 ${fmtMs(c2)} ms, ratio ${(c2 / c1).toFixed(1)}×`,
  );
  return { single: summarize(a), clinic: summarize(b) };
}

// ---------------------------------------------------------------------------------------------
// Booking through the handler vs the raw transaction (rows 3–5), in alternating rounds.

interface DbResult {
  booking: Summary;
  raw: Summary;
  /** GET /v1/invoices/{id} of the bookings' invoices. */
  invoiceRead: Summary;
  /** Per measured booking: its time and the DynamoDB calls it made. */
  bookings: Array<{ ms: number; calls: CallRecord[] }>;
  rawWriteMs: number[];
  template: TransactionTemplate;
}

const sumMs = (calls: CallRecord[]) => calls.reduce((t, c) => t + c.ms, 0);
/** Wall time with at least one call in flight (calls issued together overlap). */
function inFlightMs(calls: CallRecord[]): number {
  let total = 0;
  let until = -Infinity;
  for (const c of [...calls].sort((a, b) => a.start - b.start)) {
    if (c.end <= until) continue;
    total += c.end - Math.max(c.start, until);
    until = c.end;
  }
  return total;
}
/** How the calls ran: `A + B` were in flight together, `→` one after the other. */
function shape(calls: CallRecord[]): string {
  const groups: CallRecord[][] = [];
  let until = -Infinity;
  for (const c of calls) {
    if (c.start < until && groups.length > 0) groups.at(-1)!.push(c);
    else groups.push([c]);
    until = Math.max(until, c.end);
  }
  return groups.map((g) => g.map((c) => shortName(c.command)).join(' + ')).join(' → ');
}
const shortName = (command: string) => command.replace(/Command$/, '');

async function benchBooking(api: BenchApi): Promise<DbResult> {
  const rounds = DB_WARMUP_ROUNDS + DB_N;
  const slots = bookingSlots(rounds + KEYED_N);
  let t0 = performance.now();
  const bookingClients = await createClients(api, rounds + KEYED_N, 'b');
  const rawClients = await createClients(api, rounds, 'r');
  api.takeCalls();
  note(`setup: ${bookingClients.length + rawClients.length} fresh clients created in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Events are built ahead: building an API Gateway event is API Gateway's work, not the function's.
  const events = slots.map((slot, i) =>
    api.event('POST', '/v1/appointments', { as: FRONTDESK, body: bookingBody(bookingClients[i]!, slot) }),
  );

  let template: TransactionTemplate | undefined;
  const bookingMs: number[] = [];
  const rawMs: number[] = [];
  const bookings: DbResult['bookings'] = [];
  const rawWriteMs: number[] = [];
  const invoiceIds: string[] = [];

  const book = async (i: number, measured: boolean) => {
    api.takeCalls();
    const start = performance.now();
    const res = await api.invoke(events[i]!);
    const ms = performance.now() - start;
    const calls = api.takeCalls();
    if (res.status !== 201) {
      throw new Error(`booking ${i} (${slots[i]!.startsAt}, ${slots[i]!.providerId}) answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    const invoiceId = (res.body as { invoiceId?: string | null }).invoiceId;
    if (invoiceId) invoiceIds.push(invoiceId);
    if (!measured) {
      const writes = calls.filter((c) => c.command === 'TransactWriteCommand');
      const last = writes.at(-1);
      if (!last?.input) throw new Error(`booking ${i} made no TransactWriteItems call; calls: ${calls.map((c) => c.command).join(', ')}`);
      const body = res.body as { id: string; clientId: string; providerId: string; roomId: string | null; invoiceId: string | null };
      template = {
        input: last.input as TransactionTemplate['input'],
        appointmentId: body.id,
        clientId: body.clientId,
        providerId: body.providerId,
        roomId: body.roomId,
        invoiceId: body.invoiceId,
      };
    } else {
      bookingMs.push(ms);
      bookings.push({ ms, calls });
    }
  };

  const rawWrite = async (i: number, measured: boolean) => {
    if (!template) throw new Error('no booking transaction captured yet');
    const input = rawTransaction(template, i, rawClients[i]!);
    api.takeCalls();
    const start = performance.now();
    await api.doc.send(new TransactWriteCommand(input as ConstructorParameters<typeof TransactWriteCommand>[0]));
    const ms = performance.now() - start;
    const calls = api.takeCalls();
    if (measured) {
      rawMs.push(ms);
      rawWriteMs.push(sumMs(calls));
    }
  };

  // Warm-up (the JVM behind DynamoDB Local needs a few hundred operations): booking first, so a
  // template exists, then alternating; the input is captured only here.
  t0 = performance.now();
  api.capture = true;
  for (let i = 0; i < DB_WARMUP_ROUNDS; i++) {
    if (i % 2 === 0) {
      await book(i, false);
      await rawWrite(i, false);
    } else {
      await rawWrite(i, false);
      await book(i, false);
    }
  }
  api.capture = false;
  const warmupS = (performance.now() - t0) / 1000;
  t0 = performance.now();

  for (let r = 0; r < DB_N; r++) {
    const i = DB_WARMUP_ROUNDS + r;
    if (r % 2 === 0) {
      await book(i, true);
      await rawWrite(i, true);
    } else {
      await rawWrite(i, true);
      await book(i, true);
    }
  }

  note(
    `DynamoDB rounds: warm-up ${DB_WARMUP_ROUNDS} rounds in ${warmupS.toFixed(1)} s, measured ${DB_N} rounds in ${((performance.now() - t0) / 1000).toFixed(1)} s (booking and raw alternate which goes first)`,
  );

  // A few more bookings with an Idempotency-Key header, as real API clients send it: not in the
  // table (the raw case has no counterpart for the key's two extra writes), only a note.
  const keyedMs: number[] = [];
  let keyedCalls: CallRecord[] = [];
  for (let k = 0; k < KEYED_N; k++) {
    const i = rounds + k;
    const e = api.event('POST', '/v1/appointments', {
      as: FRONTDESK,
      body: bookingBody(bookingClients[i]!, slots[i]!),
      headers: { 'idempotency-key': `bench-${i}` },
    });
    api.takeCalls();
    const start = performance.now();
    const res = await api.invoke(e);
    keyedMs.push(performance.now() - start);
    keyedCalls = api.takeCalls();
    if (res.status !== 201) throw new Error(`booking ${i} with Idempotency-Key answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  note(
    `with an Idempotency-Key header (as real clients send it; not in the table) a booking makes ${keyedCalls.length} calls: ` +
      `${shape(keyedCalls)}; p50 ${fmtMs(percentile(keyedMs, 50))} ms, p95 ${fmtMs(percentile(keyedMs, 95))} ms (n=${KEYED_N}, after the rounds)`,
  );

  // Reading an invoice back (GET /v1/invoices/{id}, the billing function: two GetItems and the audit
  // entry): every self-pay booking above made one; read as the front desk, events built ahead.
  const reads = invoiceIds.map((id) => api.event('GET', `/v1/invoices/${id}`, { as: FRONTDESK }));
  const invoiceReadMs: number[] = [];
  for (let i = 0; i < reads.length; i++) {
    const start = performance.now();
    const res = await api.invoke(reads[i]!);
    const ms = performance.now() - start;
    if (res.status !== 200) throw new Error(`invoice read ${i} answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (i >= INVOICE_READ_WARMUP) invoiceReadMs.push(ms);
  }
  return {
    booking: summarize(bookingMs),
    raw: summarize(rawMs),
    invoiceRead: summarize(invoiceReadMs),
    bookings,
    rawWriteMs,
    template: template!,
  };
}

function describeBookingCalls(r: DbResult): void {
  const shapes = new Map<string, number>();
  for (const b of r.bookings) shapes.set(shape(b.calls), (shapes.get(shape(b.calls)) ?? 0) + 1);
  for (const [sh, count] of [...shapes.entries()].sort((a, b) => b[1] - a[1])) {
    const calls = sh.split(/ → | \+ /).length;
    note(`booking DynamoDB calls (${count}/${r.bookings.length} requests): ${calls} calls: ${sh}   (A + B: concurrent, →: in sequence)`);
  }
  // Median latency of each call, by position, among the requests with the most common sequence.
  const names = (calls: CallRecord[]) => calls.map((c) => c.command).join(',');
  const counts = new Map<string, CallRecord[][]>();
  for (const b of r.bookings) counts.set(names(b.calls), [...(counts.get(names(b.calls)) ?? []), b.calls]);
  const same = [...counts.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  if (same.length > 0) {
    const parts = same[0]!.map(
      (c, ix) =>
        `${shortName(c.command)} ${fmtMs(
          percentile(
            same.map((calls) => calls[ix]!.ms),
            50,
          ),
        )}`,
    );
    note(`booking call latencies, p50 ms each: ${parts.join(', ')}`);
  }
  const inDb = r.bookings.map((b) => inFlightMs(b.calls));
  const outside = r.bookings.map((b) => b.ms - inFlightMs(b.calls));
  note(
    `booking wall time with a DynamoDB call in flight: p50 ${fmtMs(percentile(inDb, 50))} ms (sum of call times p50 ` +
      `${fmtMs(
        percentile(
          r.bookings.map((b) => sumMs(b.calls)),
          50,
        ),
      )} ms); outside DynamoDB (handler CPU: middy, zod, rules, ` +
      `marshalling): p50 ${fmtMs(percentile(outside, 50))} ms, p95 ${fmtMs(percentile(outside, 95))} ms`,
  );
  note(`raw case: the TransactWriteItems call alone p50 ${fmtMs(percentile(r.rawWriteMs, 50))} ms`);
  const items = r.template.input.TransactItems;
  const bytes = JSON.stringify(items).length;
  note(`booking transaction: ${items.length} items (~${(bytes / 1024).toFixed(1)} KB as JSON), replayed as the raw case with fresh ids`);
}

function describeWebhookCalls(h: WebhookResult): void {
  note(
    `webhook: ${h.warmup} warm-up + ${h.handler.n} measured packages ("${h.programName}", pay in full, ${h.amount}), each bought through ` +
      `POST /v1/packages (Stripe SDK → local stub; ${h.purchaseS.toFixed(1)} s in all, untimed), completed as paid, its one ` +
      `checkout.session.completed delivered once and the package read back active (untimed); phase ${h.phaseS.toFixed(1)} s`,
  );
  const shapes = new Map<string, number>();
  for (const c of h.calls) shapes.set(shape(c), (shapes.get(shape(c)) ?? 0) + 1);
  for (const [sh, count] of [...shapes.entries()].sort((a, b) => b[1] - a[1])) {
    note(`webhook DynamoDB calls (${count}/${h.calls.length} deliveries): ${sh.split(/ → | \+ /).length} calls: ${sh}`);
  }
  const inDb = h.calls.map((c) => inFlightMs(c));
  const outside = h.calls.map((c, i) => h.handlerMs[i]! - inFlightMs(c));
  note(
    `webhook handler wall time with a DynamoDB call in flight p50 ${fmtMs(percentile(inDb, 50))} ms; outside DynamoDB (signature check, ` +
      `parsing, middy, marshalling) p50 ${fmtMs(percentile(outside, 50))} ms, p95 ${fmtMs(percentile(outside, 95))} ms; the whole deliver() (signing the event with the ` +
      `webhook secret, building the API Gateway event, the handler, reading the reply) p50 ${fmtMs(h.deliver.p50)} ms, p95 ${fmtMs(h.deliver.p95)} ms`,
  );
}

// ---------------------------------------------------------------------------------------------

const TIME_COLUMNS: Array<[keyof Row, string, 'l' | 'r']> = [
  ['case', 'case', 'l'],
  ['n', 'n', 'r'],
  ['p50', 'p50 ms', 'r'],
  ['p95', 'p95 ms', 'r'],
  ['target', 'target', 'l'],
  ['ok', 'ok', 'l'],
];
const SMS_COLUMNS: Array<[keyof SmsRow, string, 'l' | 'r']> = [
  ['case', 'SMS job: reminders due at once, SNS mocked', 'l'],
  ['value', 'value', 'r'],
  ['target', 'target', 'l'],
  ['ok', 'ok', 'l'],
];
const SIZE_COLUMNS: Array<[keyof SizeRow, string, 'l' | 'r']> = [
  ['case', 'function (bundle as cdk synth builds it)', 'l'],
  ['gzip', 'gzip KB at import', 'r'],
  ['asset', 'asset gzip KB', 'r'],
  ['p50', `import ms p50 (n=${COLD_RUNS})`, 'r'],
  ['ratio', '× baseline', 'r'],
  ['target', 'target', 'l'],
  ['ok', 'ok', 'l'],
];

function printTable<R extends object>(cols: Array<[keyof R, string, 'l' | 'r']>, rows: R[]): void {
  const text = (r: R, k: keyof R) => String(r[k]);
  const width = cols.map(([k, h]) => Math.max(h.length, ...rows.map((r) => text(r, k).length)));
  const cell = (text: string, i: number) => (cols[i]![2] === 'r' ? text.padStart(width[i]!) : text.padEnd(width[i]!));
  const line = (values: string[]) => `| ${values.map(cell).join(' | ')} |`;
  console.log(line(cols.map(([, h]) => h)));
  console.log(`|${width.map((w, i) => (cols[i]![2] === 'r' ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|')}|`);
  for (const r of rows) console.log(line(cols.map(([k]) => text(r, k))));
}

const yes = (b: boolean) => (b ? 'yes' : 'NO');

/** The bundle table (cold start): built as `cdk synth` builds them, imported next to the baseline. */
async function benchBundles(): Promise<SizeRow[]> {
  let phase = performance.now();
  const sizes = await bundleSizes();
  note(
    `bundles: esbuild ${sizes.esbuild} (JS API, in memory) in ${((performance.now() - phase) / 1000).toFixed(1)} s, settings from lambdaBuildOptions (infra/lib/bundling.ts): ${describeBundling()}`,
  );
  const scheduling = sizes.bundles.find((b) => b.fn === 'scheduling');
  const paymentsBundle = sizes.bundles.find((b) => b.fn === 'payments');
  if (!scheduling || !paymentsBundle)
    throw new Error(`expected scheduling and payments bundles, built: ${sizes.bundles.map((b) => b.fn).join(', ')}`);
  // The check below is only worth something if it can see Stripe where Stripe is.
  if (paymentsBundle.stripeInputs.length === 0)
    throw new Error('no node_modules/stripe input in the payments bundle: the Stripe check cannot see Stripe');
  for (const b of sizes.bundles) {
    const top = b.byPackage
      .slice(0, 4)
      .map(([p, bytes]) => `${p} ${kb(bytes)}`)
      .join(', ');
    note(
      `bundle ${b.fn} (${b.entry}): ${b.jsFiles} .mjs files, ${b.jsFilesAtImport} loaded at import: ${kb(b.rawBytes)} KB, gzip ${kb(b.gzipBytes)} KB ` +
        `(whole asset gzip ${kb(b.totalGzipBytes)} KB; source maps ${kb(b.mapBytes)} KB, separate files); ` +
        `largest packages loaded at import, minified KB: ${top || 'none'}` +
        (b.stripeInputs.length > 0
          ? `; Stripe SDK ${kb(b.stripeBytes)} KB from ${b.stripeInputs.length} files, ${kb(b.stripeBytesAtImport)} KB of it loaded at import`
          : '; no Stripe'),
    );
    // the PDFs (billing): pdf-lib is reached by import() only, so it is a chunk read by the first
    // PDF request, but it is still deployed
    if (b.pdfLibInputs.length > 0) {
      note(
        `bundle ${b.fn}: pdf-lib (with @pdf-lib/*, pako, its tslib; ${b.pdfLibInputs.length} files) ${kb(b.pdfLibBytes)} KB minified, ` +
          `+${kb(b.pdfLibGzipBytes)} KB gzip (${((b.pdfLibGzipBytes / b.totalGzipBytes) * 100).toFixed(0)} % of the asset's ${kb(b.totalGzipBytes)} KB; ` +
          `measured against the same bundle built with pdf-lib external)`,
      );
    }
  }
  phase = performance.now();
  const cold = await coldStarts(sizes.bundles, COLD_RUNS);
  const coldMs = (c: ColdStart) => c.importMs.map((ms) => ms.toFixed(0)).join(' ');
  note(
    `cold start: each bundle (all its files) written to a temp dir and imported by a fresh \`node --input-type=module -e\` ` +
      `(${cold.node}${process.env.BENCH_NODE ? ` from BENCH_NODE` : ''}, no NODE_OPTIONS, the stack's environment with fake credentials; the Secrets Manager read goes to a ` +
      `local stub), 1 warm-up + ${COLD_RUNS} runs each, interleaved, in ${((performance.now() - phase) / 1000).toFixed(1)} s; import ms is ` +
      `\`await import()\` inside the process (whole process incl. node start-up p50: ` +
      `${[cold.baseline, ...cold.functions].map((c) => `${c.fn} ${c.processP50.toFixed(0)}`).join(', ')} ms)`,
  );
  note(`cold start runs, import ms: ${[cold.baseline, ...cold.functions].map((c) => `${c.fn} [${coldMs(c)}]`).join('; ')}`);
  note(
    `cold start cross-check, import CPU ms p50 (user + system, all threads; less sensitive to load): ` +
      [cold.baseline, ...cold.functions]
        .map((c) => `${c.fn} ${c.cpuP50.toFixed(0)} (${(c.cpuP50 / cold.baseline.cpuP50).toFixed(2)}×)`)
        .join(', '),
  );
  const firsts = cold.functions.filter((c) => c.firstMs.length > 0);
  if (firsts.length > 0) {
    note(
      `first request after the import, same process, no database (cross-check, not a target): ` +
        firsts
          .map((c) => {
            const first = percentile(c.firstMs, 50);
            return `${c.fn} ${FIRST_REQUESTS[c.fn]!.label} p50 ${fmtMs(first)} ms (import + it ${fmtMs(c.p50 + first)} ms)`;
          })
          .join('; '),
    );
  }

  const sizeRows: SizeRow[] = [
    {
      case: 'baseline (lib-dynamodb + client-dynamodb only)',
      gzip: kb(cold.baseline.gzipBytes),
      asset: kb(cold.baselineTotalGzipBytes),
      p50: fmtMs(cold.baseline.p50),
      ratio: '1.00×',
      target: '-',
      ok: '-',
    },
    ...cold.functions.map((c) => {
      const ratio = c.p50 / cold.baseline.p50;
      const ratioTarget = COLD_RATIO_TARGET_BY_FN[c.fn] ?? COLD_RATIO_TARGET;
      return {
        case: c.fn,
        gzip: kb(c.gzipBytes),
        asset: kb(sizes.bundles.find((b) => b.fn === c.fn)!.totalGzipBytes),
        p50: fmtMs(c.p50),
        ratio: `${ratio.toFixed(2)}×`,
        target: `≤ ${ratioTarget.toFixed(1)}× baseline, ≤ ${GZIP_TARGET_KB} KB gzip at import`,
        ok: yes(ratio <= ratioTarget && c.gzipBytes <= GZIP_TARGET_KB * 1024),
      };
    }),
  ];
  sizeRows.push({
    case: 'scheduling bundle without Stripe',
    gzip: '-',
    asset: '-',
    p50: '-',
    ratio: '-',
    target: 'no node_modules/stripe input',
    ok: yes(scheduling.stripeInputs.length === 0),
  });
  const offPath = sizes.bundles.filter((b) => b.offPathInputs.length > 0);
  sizeRows.push({
    case: 'no bundle holds off-Lambda code',
    gzip: '-',
    asset: '-',
    p50: '-',
    ratio: '-',
    target: 'no infra/, test/, scripts/, response-schema or JSON Schema input',
    ok: yes(offPath.length === 0),
  });
  for (const b of offPath) note(`${b.fn} bundle holds code only non-Lambda paths need: ${b.offPathInputs.slice(0, 5).join(', ')}`);
  if (scheduling.stripeInputs.length > 0) {
    note(
      `scheduling bundle pulls in Stripe: ${scheduling.stripeInputs.length} files (${kb(scheduling.stripeBytes)} KB minified), e.g. ${scheduling.stripeInputs.slice(0, 3).join(', ')}`,
    );
  }
  return sizeRows;
}

/** Tables 1 and 2: availability, booking and webhook on DynamoDB Local, then the SMS job. */
async function benchRuntime(): Promise<{ rows: Row[]; smsRows: SmsRow[] }> {
  let phase = performance.now();
  const avail = benchAvailability();
  note(`pure availability: ${((performance.now() - phase) / 1000).toFixed(1)} s`);

  let api: BenchApi | undefined;
  const stopOnSignal = (signal: NodeJS.Signals) => {
    void (api ? api.close() : Promise.resolve()).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  let db: DbResult;
  let hook: WebhookResult;
  let sms: SmsBurstResult;
  try {
    phase = performance.now();
    api = await startBenchApi({ payments: true });
    note(
      `DynamoDB Local: ${api.endpoint} (in memory), table "${api.tableName}", started and seeded in ${((performance.now() - phase) / 1000).toFixed(1)} s`,
    );
    db = await benchBooking(api);
    hook = await benchWebhook(api, WEBHOOK_WARMUP, WEBHOOK_N);
    await api.close();
    api = undefined;
    // A fresh DynamoDB Local: the bookings above left their own SMS due, which the job would send too.
    phase = performance.now();
    api = await startBenchApi();
    const startS = (performance.now() - phase) / 1000;
    sms = await benchSmsBurst(api, { n: SMS_N, ratePerSecond: SMS_RATE, concurrency: SMS_CONCURRENCY, budgetMs: SMS_BUDGET_MS });
    note(
      `SMS burst: a second DynamoDB Local started and seeded in ${startS.toFixed(1)} s; ${sms.n} clients, appointments and 48 h reminders ` +
        `(smsPlanWrite items) written by BatchWriteItem in ${sms.setupS.toFixed(1)} s (untimed); job: SnsSmsSender on a mocked SNSClient, ` +
        `ratePerSecond ${sms.rate}, concurrency ${sms.concurrency}, budget ${(sms.budgetMs / 1000).toFixed(0)} s per run, \`now\` +1 min per run; ` +
        `runs (SMS sent / wall s each): ${sms.runs.map((r) => `${r.sent}/${r.s.toFixed(1)}`).join(', ')}; ` +
        `skipped ${sms.skipped}, retried ${sms.retried}, dead-lettered ${sms.deadLettered}, Publish to numbers not ours ${sms.strangers}`,
    );
  } finally {
    await api?.close();
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
  }
  describeBookingCalls(db);
  describeWebhookCalls(hook);

  const clinicTarget = AVAIL_TARGET_MS * avail.single.p50;
  const p50Ratio = db.booking.p50 / db.raw.p50;
  const p95Ratio = db.booking.p95 / db.raw.p95;
  const rows: Row[] = [
    {
      case: 'availability 31 d, 1 therapist, 200 busy',
      n: String(avail.single.n),
      p50: fmtMs(avail.single.p50),
      p95: fmtMs(avail.single.p95),
      target: `p50 ≤ ${AVAIL_TARGET_MS} ms`,
      ok: yes(avail.single.p50 <= AVAIL_TARGET_MS),
    },
    {
      case: 'availability 31 d, 20 therapists × 6 rooms',
      n: String(avail.clinic.n),
      p50: fmtMs(avail.clinic.p50),
      p95: fmtMs(avail.clinic.p95),
      target: `p50 ≤ 10 × row 1 = ${fmtMs(clinicTarget)} ms`,
      ok: yes(avail.clinic.p50 <= clinicTarget),
    },
    {
      case: 'booking POST /v1/appointments (handler)',
      n: String(db.booking.n),
      p50: fmtMs(db.booking.p50),
      p95: fmtMs(db.booking.p95),
      target: 'all 201',
      ok: 'yes',
    },
    {
      case: 'raw TransactWriteItems, same items',
      n: String(db.raw.n),
      p50: fmtMs(db.raw.p50),
      p95: fmtMs(db.raw.p95),
      target: '-',
      ok: '-',
    },
    {
      case: 'ratio booking / raw',
      n: String(Math.min(db.booking.n, db.raw.n)),
      p50: `${p50Ratio.toFixed(2)}×`,
      p95: `${p95Ratio.toFixed(2)}×`,
      target: `p50 ratio ≤ ${RATIO_TARGET.toFixed(1)}×`,
      ok: yes(p50Ratio <= RATIO_TARGET),
    },
    {
      case: 'invoice read GET /v1/invoices/{id} (handler)',
      n: String(db.invoiceRead.n),
      p50: fmtMs(db.invoiceRead.p50),
      p95: fmtMs(db.invoiceRead.p95),
      target: 'all 200',
      ok: 'yes',
    },
    {
      case: 'webhook checkout.session.completed (verify + state change)',
      n: String(hook.handler.n),
      p50: fmtMs(hook.handler.p50),
      p95: fmtMs(hook.handler.p95),
      target: 'all 200, package active',
      ok: 'yes',
    },
  ];
  const smsRows: SmsRow[] = [
    { case: `reminders due at once (n)`, value: String(sms.n), target: '-', ok: '-' },
    // informational: on a 2-core machine DynamoDB Local, not the cap, bounds the drain (≈ 100/s)
    { case: 'total drain time, s', value: sms.drainS.toFixed(1), target: '-', ok: '-' },
    {
      case: 'sends per second achieved (n / drain time)',
      value: sms.achieved.toFixed(1),
      target: `≤ cap ${sms.rate} × ${SMS_RATE_TOLERANCE}`,
      ok: yes(sms.achieved <= sms.rate * SMS_RATE_TOLERANCE),
    },
    {
      case: 'achieved / cap',
      value: `${((sms.achieved / sms.rate) * 100).toFixed(0)} %`,
      target: `- (cap-bound when ≥ ${(SMS_CLOSE * 100).toFixed(0)} %)`,
      ok: sms.achieved >= sms.rate * SMS_CLOSE ? 'cap-bound' : 'machine-bound',
    },
    { case: 'steady rate, first to last Publish, /s', value: sms.steady.toFixed(1), target: '-', ok: '-' },
    {
      case: 'max Publish in any 1 s window',
      value: String(sms.maxInAnySecond),
      target: `≤ cap ${sms.rate}`,
      ok: yes(sms.maxInAnySecond <= sms.rate),
    },
    {
      case: 'Publish calls / distinct numbers',
      value: `${sms.published} / ${sms.distinct}`,
      target: `${sms.n} / ${sms.n}, none missing`,
      ok: yes(sms.published === sms.n && sms.distinct === sms.n && sms.missing === 0 && sms.strangers === 0),
    },
    { case: 'duplicates (Publish beyond the 1st per number)', value: String(sms.duplicates), target: '0', ok: yes(sms.duplicates === 0) },
    {
      case: 'job result: distinct appointments sent',
      value: String(sms.jobSentDistinct),
      target: `${sms.n}, nothing skipped/retried/dead`,
      ok: yes(sms.jobSentDistinct === sms.n && sms.skipped + sms.retried + sms.deadLettered === 0),
    },
    { case: "left due in GSI1 'SMS_DUE' afterwards", value: String(sms.leftDue), target: '0', ok: yes(sms.leftDue === 0) },
    { case: "SMS items read back state 'sent'", value: String(sms.sentState), target: String(sms.n), ok: yes(sms.sentState === sms.n) },
  ];
  return { rows, smsRows };
}

/** The superbill rows, on a DynamoDB Local of their own (test/bench/superbill.ts). */
async function runSuperbill(): Promise<Row[]> {
  const phase = performance.now();
  const api = await startBenchApi({ payments: true });
  let r;
  try {
    r = await benchSuperbill(api);
  } finally {
    await api.close();
  }
  note(
    `superbill: a third DynamoDB Local; 1 client, ${r.lines} completed telehealth sessions over a year (9 paid by a package, ` +
      `the rest self-pay, every other one paid) set up in ${r.setupS.toFixed(1)} s; GET /v1/clients/{id}/superbill for the year ` +
      `as finance, JSON and PDF alternating; whole section ${((performance.now() - phase) / 1000).toFixed(1)} s`,
  );
  note(`pdf-lib import in fresh node processes, ms: ${r.pdfLibImportMs.map((ms) => ms.toFixed(1)).join(', ')}`);
  const imports = summarize(r.pdfLibImportMs);
  return [
    {
      case: `superbill JSON, ${r.lines} sessions (handler)`,
      n: String(r.json.n),
      p50: fmtMs(r.json.p50),
      p95: fmtMs(r.json.p95),
      target: 'all 200',
      ok: 'yes',
    },
    {
      case: `superbill PDF, same (handler)`,
      n: String(r.pdf.n),
      p50: fmtMs(r.pdf.p50),
      p95: fmtMs(r.pdf.p95),
      target: 'all 200',
      ok: 'yes',
    },
    {
      case: 'pdf-lib import, fresh node (median)',
      n: String(imports.n),
      p50: fmtMs(median(r.pdfLibImportMs)),
      p95: fmtMs(imports.p95),
      target: '-',
      ok: '-',
    },
  ];
}

/** Sections `npm run bench -- <section>` may run alone; with none, all of them but `export` (named only). */
const SECTIONS = ['bundles', 'superbill', 'web', 'export'] as const;

async function main(): Promise<void> {
  const started = performance.now();
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !(SECTIONS as readonly string[]).includes(a));
  if (unknown.length > 0)
    throw new Error(`unknown bench section ${unknown.join(', ')}: run with none (all) or one of ${SECTIONS.join(', ')}`);
  const only = args.length > 0 ? new Set(args) : undefined;
  const cpus = os.cpus();
  console.log(
    `Kapstone bench: node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load avg ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}` +
      (only ? `; only: ${[...only].join(', ')}` : ''),
  );

  const runtime = only ? undefined : await benchRuntime();
  const superbillRows = !only || only.has('superbill') ? await runSuperbill() : undefined;
  const sizeRows = !only || only.has('bundles') ? await benchBundles() : undefined;
  const webRows = !only || only.has('web') ? await benchWeb(note) : undefined;
  const exportRows = only?.has('export') ? await benchExport(note) : undefined;
  if (runtime) {
    console.log('');
    printTable(TIME_COLUMNS, runtime.rows);
    console.log('');
    printTable(SMS_COLUMNS, runtime.smsRows);
  }
  if (superbillRows) {
    console.log('');
    printTable(TIME_COLUMNS, superbillRows);
  }
  if (sizeRows) {
    console.log('');
    printTable(SIZE_COLUMNS, sizeRows);
  }
  if (webRows) {
    console.log('');
    printTable(WEB_COLUMNS, webRows);
  }
  if (exportRows) {
    console.log('');
    printTable(EXPORT_COLUMNS, exportRows);
  }
  console.log('');
  for (const n of notes) console.log(`- ${n}`);
  console.log(
    `- total ${((performance.now() - started) / 1000).toFixed(1)} s; load avg now ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (err: unknown) => {
    console.error('bench failed:', err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  },
);
