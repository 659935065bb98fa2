// The superbill (GET /v1/clients/{clientId}/superbill) through the billing handler on its own
// DynamoDB Local: JSON and PDF for a client with a year of sessions, and what loading pdf-lib
// costs a fresh process (the PDF answer's first call pays it: the module is imported on first use).
//
// Setup (untimed): one client of the demo New York clinic with diagnosis codes and SESSIONS
// completed telehealth sessions from December 2026 to November 2027, two or three a week: most
// self-pay (every other one paid on its invoice), the rest paid by a 6-exploration extra-support
// package bought in full (its preparations and integrations). Then the year's superbill is asked
// for WARMUP + N times as JSON and as a PDF, alternating; only the handler's run is timed. Every
// answer must be a 200 whose JSON lists every session.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { InvoiceRepository } from '#db/invoice-repo.ts';
import { applyPayment } from '#domain/invoices.ts';
import type { As, BenchApi } from './harness.ts';
import { BENCH_NOW } from './harness.ts';
import { CLINIC, FRONTDESK, ZONE, createClients } from './booking.ts';
import { percentile, summarize, type Summary } from './stats.ts';

const SESSIONS = 100;
const PACKAGE_SESSIONS = 9; // the package's 3 preparations and 6 integrations
const WARMUP = 10;
const N = 60;
const IMPORT_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7);
const THERAPIST = 'demo-nyc-ther-2'; // weekdays 10:00–18:00, video
const CLINICIAN: As = { role: 'clinician', clinicId: CLINIC, sub: 'doc-demo-nyc' };
const FINANCE: As = { role: 'finance', clinicId: CLINIC, sub: 'fin-demo-nyc' };
const YEAR = { from: '2026-12-01', to: '2027-11-30' };

export interface SuperbillBenchResult {
  json: Summary;
  pdf: Summary;
  /** Fresh `node` processes, ms from before to after `await import('pdf-lib')`. */
  pdfLibImportMs: number[];
  lines: number;
  setupS: number;
}

/** Mon, Wed and some Fridays at 10:00–16:00 from December 2026 on: distinct, within the therapist's hours. */
function sessionStarts(count: number): string[] {
  const out: string[] = [];
  let n = 0;
  for (let day = DateTime.fromISO('2026-12-02', { zone: ZONE }); out.length < count; day = day.plus({ days: 1 })) {
    if (![1, 3, 5].includes(day.weekday) || (day.weekday === 5 && day.weekNumber % 2 === 0)) continue;
    const startsAt = day.set({ hour: 10 + (n++ % 6), minute: 0, second: 0, millisecond: 0 }).toISO({ suppressMilliseconds: true });
    if (!startsAt) throw new Error('bad session time');
    out.push(startsAt);
  }
  return out;
}

/** pdf-lib imported in fresh node processes: the median is what a first PDF answer adds to a warm function. */
function pdfLibImports(runs: number): number[] {
  const script = "const t0 = performance.now(); await import('pdf-lib'); process.stdout.write(String(performance.now() - t0));";
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`importing pdf-lib failed: ${res.stderr}`);
    out.push(Number(res.stdout));
  }
  return out;
}

export async function benchSuperbill(api: BenchApi): Promise<SuperbillBenchResult> {
  const t0 = performance.now();
  const payments = api.payments;
  if (!payments?.local.stub) throw new Error('superbill bench needs startBenchApi({ payments: true })');
  const [clientId] = await createClients(api, 1, 'sb');
  if (!clientId) throw new Error('no client');
  const codes = await api.call('PUT', `/v1/clients/${clientId}/diagnoses`, { as: CLINICIAN, body: { codes: ['F33.2', 'F43.10'] } });
  if (codes.status !== 200) throw new Error(`diagnoses answered ${codes.status}`);

  // the package: 6 explorations, extra support (3 preparations, 6 integrations), paid in full
  const programs = await api.call('GET', `/v1/clinics/${CLINIC}/programs`);
  const program = (programs.body as Array<{ id: string; explorations: number; tier: string }>).find(
    (p) => p.explorations === 6 && p.tier === 'extra_support',
  );
  if (!program) throw new Error('no 6-exploration extra-support program');
  const bought = await api.call('POST', '/v1/packages', {
    as: FRONTDESK,
    body: { clientId, programId: program.id, payment: 'pay_in_full' },
  });
  if (bought.status !== 201) throw new Error(`purchase answered ${bought.status}: ${JSON.stringify(bought.body)}`);
  await payments.local.deliver(payments.local.stub.completeCheckout(bought.body.checkoutSessionId as string, 'paid'), payments.handler);
  const packageId = bought.body.package.id as string;

  const invoices = new InvoiceRepository(api.doc, api.tableName);
  const starts = sessionStarts(SESSIONS);
  const SELF_PAY = ['preparation', 'integration', 'ongoing_care', 'intake'] as const;
  for (const [i, startsAt] of starts.entries()) {
    const packaged = i % Math.floor(SESSIONS / PACKAGE_SESSIONS) === 0 && i / Math.floor(SESSIONS / PACKAGE_SESSIONS) < PACKAGE_SESSIONS;
    const k = i / Math.floor(SESSIONS / PACKAGE_SESSIONS);
    const service = packaged ? (k < 3 ? 'preparation' : 'integration') : SELF_PAY[i % SELF_PAY.length];
    api.clock.set(BENCH_NOW);
    const booked = await api.call('POST', '/v1/appointments', {
      as: FRONTDESK,
      body: {
        clinicId: CLINIC,
        clientId,
        providerId: THERAPIST,
        service,
        mode: 'telehealth',
        startsAt,
        ...(packaged ? { packageId } : {}),
      },
    });
    if (booked.status !== 201) throw new Error(`booking ${i} (${startsAt}) answered ${booked.status}: ${JSON.stringify(booked.body)}`);
    const { id, invoiceId } = booked.body as { id: string; invoiceId: string | null };
    if (invoiceId && i % 2 === 0) {
      const before = await invoices.require(invoiceId);
      const amount = before.lines[0]!.amount;
      await invoices.replace(
        before,
        applyPayment(before, { reference: `pi_sb_${i}`, amount: { amount, currency: 'USD' }, at: BENCH_NOW, method: 'card' }),
      );
    }
    api.clock.set(Date.parse(startsAt) + 30 * 60_000);
    const done = await api.call('POST', `/v1/appointments/${id}/complete`, { as: FRONTDESK });
    if (done.status !== 200) throw new Error(`completing ${i} answered ${done.status}: ${JSON.stringify(done.body)}`);
  }
  api.clock.set(BENCH_NOW);

  const path = `/v1/clients/${clientId}/superbill?from=${YEAR.from}&to=${YEAR.to}`;
  const jsonEvent = api.event('GET', path, { as: FINANCE });
  const pdfEvent = api.event('GET', path, { as: FINANCE, headers: { accept: 'application/pdf' } });
  const check = await api.invoke(jsonEvent);
  if (check.status !== 200) throw new Error(`superbill answered ${check.status}: ${JSON.stringify(check.body)}`);
  const lines = (check.body as { lines: unknown[] }).lines.length;
  if (lines !== SESSIONS) throw new Error(`the superbill lists ${lines} sessions, not ${SESSIONS}`);
  const setupS = (performance.now() - t0) / 1000;

  const json: number[] = [];
  const pdf: number[] = [];
  const time = async (event: typeof jsonEvent) => {
    const start = performance.now();
    const res = await api.invoke(event);
    const ms = performance.now() - start;
    if (res.status !== 200) throw new Error(`superbill answered ${res.status}`);
    return ms;
  };
  for (let i = 0; i < WARMUP + N; i++) {
    const order = i % 2 === 0 ? [jsonEvent, pdfEvent] : [pdfEvent, jsonEvent];
    for (const event of order) {
      const ms = await time(event);
      if (i >= WARMUP) (event === jsonEvent ? json : pdf).push(ms);
    }
  }
  return { json: summarize(json), pdf: summarize(pdf), pdfLibImportMs: pdfLibImports(IMPORT_RUNS), lines, setupS };
}

/** The median of a sample (for the pdf-lib import runs). */
export const median = (xs: readonly number[]): number => percentile(xs, 50);
