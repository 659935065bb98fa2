// The ledger export end to end on DynamoDB Local: POST /v1/clinics/{clinicId}/exports through the
// real billing function, the real export job run in this process (as the local server runs it)
// writing to the local store, GET /v1/exports/{exportId} polled until ready, and the CSV read back
// (through the local server's download route too): header, date order, what falls in the range,
// each fully-covered invoice's rows adding up to its balance, quoting and the formula guard, the
// audit entries, and who may read it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createBillingHandler } from '#functions/billing/app.ts';
import { createExportJob } from '#functions/exports/app.ts';
import { LocalExportStore, type ExportStore } from '#adapters/export-store.ts';
import { applyCancellation, applyPackageCancel, applyPayment, applyRefund, totals, type Invoice } from '#domain/invoices.ts';
import { LEDGER_CSV_COLUMNS } from '#domain/ledger-export.ts';
import { RESPONSES } from '#http/schemas/responses.ts';
import { keys } from '#db/keys.ts';
import type { StoredInvoice } from '#db/invoice-repo.ts';
import { EXPORT_DEV_ROUTES } from '#infra/local/dev-exports.ts';
import type { DevContext } from '#infra/local/dev-routes.ts';
import { issueLocalToken } from '#infra/local/auth.ts';
import { admin, createTestApi, finance, frontdesk, signUp, type As, type TestApi } from '#test/helpers/api.ts';
import { apiEvent } from '#test/helpers/events.ts';
import { programInvoice, sessionInvoice, storeInvoices } from '#test/helpers/invoices.ts';

const NYC = 'demo-nyc';
const TOR = 'demo-tor';
const FROM = '2026-11-01';
const TO = '2026-11-30';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Noon in New York (EST, −05:00) on a November day. */
const noon = (day: string) => Date.parse(`${day}T17:00:00Z`);
const usd = (amount: number) => ({ amount, currency: 'USD' as const });

let api: TestApi;
let dir: string;
let store: LocalExportStore;
const runs: Array<Promise<unknown>> = [];
let billing: ReturnType<typeof createBillingHandler>;

const logger = new Logger({ serviceName: 'test', logLevel: (process.env.TEST_LOG_LEVEL as 'ERROR') ?? 'CRITICAL' });

/** The billing function with exports wired as the local server wires them, on `exportStore`. */
function billingWith(exportStore: ExportStore, start?: (exportId: string) => Promise<void>) {
  const job = createExportJob({ doc: api.table.doc, tableName: api.table.tableName, clock: api.clock, logger, store: exportStore });
  return createBillingHandler({
    doc: api.table.doc,
    tableName: api.table.tableName,
    clock: api.clock,
    logger,
    exports: {
      start:
        start ??
        (async (exportId) => {
          runs.push(job.run(exportId)); // not awaited by the request
        }),
      url: (file, filename) => exportStore.url(file, filename),
    },
  });
}

async function call(method: string, path: string, as?: As, body?: unknown, handler = billing) {
  const built = apiEvent(method, path, { ...(as ? { as } : {}), ...(body === undefined ? {} : { body }) });
  if (!built) throw new Error(`no route ${method} ${path}`);
  const res = await handler(built.event, {} as Context);
  return {
    status: res.statusCode ?? 0,
    body: typeof res.body === 'string' && res.body !== '' ? JSON.parse(res.body) : undefined,
    headers: (res.headers ?? {}) as Record<string, string>,
  };
}

async function startExport(as: As, body: Record<string, unknown> = { kind: 'ledger', from: FROM, to: TO }, handler = billing) {
  return call('POST', `/v1/clinics/${NYC}/exports`, as, body, handler);
}

/** Polls GET /v1/exports/{id} as `as` until it is no longer running. */
async function settled(id: string, as: As, handler = billing) {
  for (let i = 0; i < 200; i++) {
    const res = await call('GET', `/v1/exports/${id}`, as, undefined, handler);
    if (res.status !== 200 || res.body.status !== 'running') return res;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`export ${id} still running`);
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(csv: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < csv.length) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' && csv[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the CSV does not end with CRLF');
  return records;
}

const col = (name: (typeof LEDGER_CSV_COLUMNS)[number]) => LEDGER_CSV_COLUMNS.indexOf(name);
const cents = (amount: string) => {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(amount);
  if (!m) throw new Error(`not an amount: ${amount}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
};

let ada: string;
let hostile: string;
/** Invoices whose every entry lies in November: their rows must add up to their balance. */
let covered: StoredInvoice[];
let issuedBefore: StoredInvoice;
let paidAfter: StoredInvoice;
let issuedAfter: StoredInvoice;
let toronto: StoredInvoice;
const asker = finance(NYC); // sub fin-demo-nyc
/** The real time the local store's links are signed and checked at; undefined: Date.now(). */
let linkNow: number | undefined;
let link: URL;

beforeAll(async () => {
  api = await createTestApi();
  dir = mkdtempSync(join(tmpdir(), 'kapstone-ledger-'));
  store = new LocalExportStore({ dir, baseUrl: () => 'http://127.0.0.1:3000', now: () => linkNow ?? Date.now() });
  billing = billingWith(store);
  ada = await signUp(api, { firstName: 'Ada', lastName: 'Lovelace' });
  // a name a spreadsheet would run, with a comma and a quote to quote
  hostile = await signUp(api, { firstName: '=HYPERLINK("http://x")', lastName: "O'Brien, Jr" });
  const torClient = await signUp(api, { clinicId: TOR, firstName: 'Tor', lastName: 'Onto' });

  // issued in October, paid in November: only the payment is in the range
  let before: Invoice = sessionInvoice({ clientId: ada, at: noon('2026-10-20') });
  before = applyPayment(before, { reference: 'pi_before', amount: usd(17_500), at: noon('2026-11-05'), method: 'card' });
  // paid, cancelled late (fee), the surplus refunded: all in November
  let late: Invoice = sessionInvoice({ clientId: hostile, at: noon('2026-11-02') });
  late = applyPayment(late, { reference: 'pi_late', amount: usd(17_500), at: noon('2026-11-03'), method: 'card' });
  late = applyCancellation(late, { appointmentId: late.appointmentId!, kind: 'late', fee: usd(5_000), at: noon('2026-11-10') });
  late = applyRefund(late, { reference: 're_late', amount: usd(12_500), at: noon('2026-11-12'), status: 'succeeded' });
  // a description with a comma, quotes, a line break and a formula
  late = { ...late, lines: late.lines.map((l) => (l.service === 'late_cancellation' ? { ...l, description: '=1+2, "fee"\nlate' } : l)) };
  // a program bought, part-paid, cancelled with a credit and a refund
  let program: Invoice = programInvoice({ clientId: ada, at: noon('2026-11-04'), price: 120_000 });
  program = applyPayment(program, { reference: 'pi_prog', amount: usd(60_000), at: noon('2026-11-04') + HOUR, method: 'bnpl' });
  program = applyPackageCancel(program, { used: usd(30_000), at: noon('2026-11-20') });
  program = applyRefund(program, { reference: 're_prog', amount: usd(30_000), at: noon('2026-11-21'), status: 'succeeded' });
  // cancelled on time, never paid: a charge and its void
  let voided: Invoice = sessionInvoice({ clientId: ada, at: noon('2026-11-15') });
  voided = applyCancellation(voided, { appointmentId: voided.appointmentId!, kind: 'on_time', at: noon('2026-11-16') });
  // issued on the last day (late evening, still the 30th in New York), paid in December
  let after: Invoice = sessionInvoice({ clientId: hostile, at: Date.parse('2026-12-01T04:30:00Z') });
  after = applyPayment(after, { reference: 'pi_after', amount: usd(17_500), at: Date.parse('2026-12-01T10:00:00Z'), method: 'card' });
  // issued after the range, and another clinic's in the range
  const december = sessionInvoice({ clientId: ada, at: Date.parse('2026-12-01T11:00:00Z') });
  const tor = sessionInvoice({ clientId: torClient, clinicId: TOR, at: noon('2026-11-10') });

  const stored = await storeInvoices(api, [before, late, program, voided, after, december, tor]);
  const at = (i: number) => stored[i]!;
  [issuedBefore, paidAfter, issuedAfter, toronto] = [at(0), at(4), at(5), at(6)];
  covered = [at(1), at(2), at(3)];
});

afterAll(async () => {
  await Promise.allSettled(runs);
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a ledger export', () => {
  let id: string;
  /** The correlation id of the POST that asked for the export. */
  let askedIn: string;
  let file: string;
  let rows: string[][];

  it('is accepted (202, running), recorded with its asker and a 30-day TTL, and becomes ready', async () => {
    const started = await startExport(asker);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ kind: 'ledger', status: 'running', from: FROM, to: TO });
    expect(RESPONSES['POST /v1/clinics/{clinicId}/exports']!.safeParse(started.body).success).toBe(true);
    expect(started.headers['cache-control']).toBe('no-store');
    id = started.body.id;
    askedIn = started.headers['x-correlation-id'] ?? '';
    expect(askedIn).not.toBe('');

    const item = (await api.table.doc.send(new GetCommand({ TableName: api.table.tableName, Key: keys.export(id) }))).Item!;
    expect(item).toMatchObject({ clinicId: NYC, requestedBy: 'fin-demo-nyc', from: FROM, to: TO, kind: 'ledger' });
    expect(item.expiresAt).toBe(Math.ceil((item.createdAt + 30 * DAY) / 1000));

    const ready = await settled(id, asker);
    expect(ready.status).toBe(200);
    expect(ready.headers['cache-control']).toBe('no-store');
    expect(RESPONSES['GET /v1/exports/{exportId}']!.safeParse(ready.body).success).toBe(true);
    expect(ready.body).toMatchObject({ id, status: 'ready', rows: expect.any(Number) });
    const url = new URL(ready.body.url);
    expect(`${url.origin}${url.pathname}`).toMatch(/^http:\/\/127\.0\.0\.1:3000\/v1\/dev\/exports\/[^/]+\.csv$/);
    file = url.pathname.split('/').pop()!;
    link = url;
    const opened = await store.open(file);
    rows = parseCsv(await text(opened!.stream));
    expect(rows.length - 1).toBe(ready.body.rows);
  });

  it('starts with the header, and lists rows in date order', () => {
    expect(rows[0]).toEqual([...LEDGER_CSV_COLUMNS]);
    const dates = rows.slice(1).map((r) => r[col('date')]!);
    expect(dates.length).toBeGreaterThan(0);
    expect(dates).toEqual([...dates].sort());
    expect(dates.every((d) => d >= FROM && d <= TO)).toBe(true);
  });

  it('holds exactly the entries in the range: an earlier invoice’s payment, a later payment left out, no other clinic', () => {
    const byInvoice = (inv: StoredInvoice) => rows.slice(1).filter((r) => r[col('invoice_id')] === inv.id);
    expect(byInvoice(issuedBefore).map((r) => [r[col('entry')], r[col('date')], r[col('amount')], r[col('method')]])).toEqual([
      ['payment', '2026-11-05', '-175.00', 'card'],
    ]);
    expect(byInvoice(paidAfter).map((r) => [r[col('entry')], r[col('date')], r[col('amount')]])).toEqual([['charge', TO, '175.00']]);
    expect(byInvoice(issuedAfter)).toEqual([]);
    expect(byInvoice(toronto)).toEqual([]);
    expect(rows.slice(1).every((r) => r[col('invoice_id')] !== toronto.id && r[col('currency')] === 'USD')).toBe(true);
  });

  it('adds up, for each invoice whose entries all fall in the range, to its balance', () => {
    for (const inv of covered) {
      const own = rows.slice(1).filter((r) => r[col('invoice_id')] === inv.id);
      expect(own.length).toBeGreaterThan(1);
      expect(
        own.reduce((s, r) => s + cents(r[col('amount')]!), 0),
        inv.id,
      ).toBe(totals(inv).balance);
      expect(own.every((r) => r[col('invoice_number')] === inv.number && r[col('client_id')] === inv.clientId)).toBe(true);
    }
    const kinds = new Set(rows.slice(1).map((r) => r[col('entry')]));
    expect([...kinds].sort()).toEqual(['charge', 'credit', 'payment', 'refund', 'void']);
  });

  it('quotes what needs quoting and guards formulas in names and descriptions, never amounts', () => {
    const late = covered[0]!;
    const own = rows.slice(1).filter((r) => r[col('invoice_id')] === late.id);
    expect(new Set(own.map((r) => r[col('client_name')]))).toEqual(new Set([`'=HYPERLINK("http://x") O'Brien, Jr`]));
    const fee = own.find((r) => r[col('service')] === 'late_cancellation')!;
    expect(fee[col('description')]).toBe(`'=1+2, "fee"\nlate`);
    expect(own.find((r) => r[col('entry')] === 'payment')![col('amount')]).toBe('-175.00');
    const adaRows = rows.slice(1).filter((r) => r[col('client_id')] === ada);
    expect(new Set(adaRows.map((r) => r[col('client_name')]))).toEqual(new Set(['Ada Lovelace']));
  });

  it('records in each listed client’s audit trail that the asker exported them', async () => {
    for (const clientId of [ada, hostile]) {
      const trail = await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin });
      expect(trail.body.entries).toContainEqual(
        expect.objectContaining({
          action: 'export.ledger',
          record: { type: 'export', id },
          actor: expect.objectContaining({ sub: 'fin-demo-nyc' }),
          requestId: askedIn,
        }),
      );
    }
  });

  it('runs once: a second delivery of the same job (asynchronous invocations are at least once) is skipped, nothing written again', async () => {
    const uploads: string[] = [];
    const watched: ExportStore = {
      upload: async (key, body) => {
        uploads.push(key);
        return store.upload(key, body);
      },
      url: (key) => store.url(key),
    };
    const again = createExportJob({ doc: api.table.doc, tableName: api.table.tableName, clock: api.clock, logger, store: watched });
    expect(await again.run(id)).toEqual({ outcome: 'skipped' });
    expect(uploads).toEqual([]); // the file is not made again
    const trail = await api.call('GET', `/v1/clients/${ada}/audit`, { as: admin });
    const entries = trail.body.entries.filter(
      (e: { action: string; record: { id: string } }) => e.action === 'export.ledger' && e.record.id === id,
    );
    expect(entries).toHaveLength(1);
    expect((await settled(id, asker)).body).toMatchObject({ status: 'ready', rows: rows.length - 1 });
  });

  it('is read by the finance user who asked and admin; another finance user, the front desk and another clinic get 403', async () => {
    expect((await call('GET', `/v1/exports/${id}`, admin)).body).toMatchObject({ id, status: 'ready', url: expect.any(String) });
    const colleague = await call('GET', `/v1/exports/${id}`, { role: 'finance', clinicId: NYC, sub: 'fin-colleague' });
    expect([colleague.status, colleague.body.error.code]).toEqual([403, 'forbidden']);
    const desk = await call('GET', `/v1/exports/${id}`, frontdesk(NYC));
    expect([desk.status, desk.body.error.code]).toEqual([403, 'forbidden']);
    const other = await call('GET', `/v1/exports/${id}`, finance(TOR));
    expect([other.status, other.body.error.code]).toEqual([403, 'forbidden']);
    expect((await call('GET', '/v1/exports/exp_unknown', asker)).status).toBe(404);
    expect((await call('GET', `/v1/exports/${id}`)).status).toBe(401);
  });

  it('is downloaded from the local server by the asker or admin with the bearer token, or by its signed link until it expires; nobody else, and no other path', async () => {
    const route = EXPORT_DEV_ROUTES[0]!;
    const ctx = {
      doc: api.table.doc,
      tableName: api.table.tableName,
      clock: api.clock,
      logger,
      handlers: {},
      exports: store,
    } as unknown as DevContext;
    const get = async (
      name: string,
      as?: { role: 'finance' | 'admin' | 'frontdesk'; clinicId?: string; sub: string },
      query: Record<string, string> = {},
    ) => {
      const headers: Record<string, string> = as ? { authorization: `Bearer ${await issueLocalToken(as)}` } : {};
      try {
        const out = await route.handle({ pathParams: { file: name }, query, headers, rawBody: undefined, json: () => undefined }, ctx);
        return { status: out.status, headers: out.headers ?? {}, body: out.stream ? await text(out.stream) : '' };
      } catch (err) {
        return { status: (err as { status?: number }).status ?? 500, headers: {}, body: '' };
      }
    };
    const mine = await get(file, { role: 'finance', clinicId: NYC, sub: 'fin-demo-nyc' });
    expect(mine.status).toBe(200);
    expect(mine.headers).toMatchObject({ 'content-type': 'text/csv; charset=utf-8', 'cache-control': 'no-store' });
    expect(parseCsv(mine.body)).toEqual(rows);
    expect((await get(file, { role: 'admin', sub: 'admin-1' })).status).toBe(200);
    expect((await get(file, { role: 'finance', clinicId: NYC, sub: 'fin-colleague' })).status).toBe(403);
    expect((await get(file, { role: 'frontdesk', clinicId: NYC, sub: 'fd-demo-nyc' })).status).toBe(403);
    expect((await get(file)).status).toBe(401);
    for (const name of ['../../package.json', `${file}/..`, file.replace('.csv', '.txt'), `${id}.aaaaaaaaaaaaaaaaaaaa.csv`]) {
      expect((await get(name, { role: 'admin', sub: 'admin-1' })).status, name).toBe(404);
    }

    // the link the API answered works on its own, like a pre-signed S3 link, for five minutes
    const signed = Object.fromEntries(link.searchParams);
    expect(Object.keys(signed).sort()).toEqual(['expires', 'signature']);
    const alone = await get(file, undefined, signed);
    expect(alone.status).toBe(200);
    expect(parseCsv(alone.body)).toEqual(rows);
    const flipped = signed.signature!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect((await get(file, undefined, { ...signed, signature: flipped })).status).toBe(401);
    expect((await get(file, undefined, { ...signed, expires: String(Number(signed.expires) + 60) })).status).toBe(401);
    expect((await get(`${id}.aaaaaaaaaaaaaaaaaaaa.csv`, undefined, signed)).status).toBe(401);
    linkNow = Number(signed.expires) * 1000;
    try {
      expect((await get(file, undefined, signed)).status).toBe(401);
      // the asker's token still works
      expect((await get(file, { role: 'finance', clinicId: NYC, sub: 'fin-demo-nyc' }, signed)).status).toBe(200);
    } finally {
      linkNow = undefined;
    }
  });
});

describe('what an export refuses', () => {
  it.each([
    ['a range over 366 days', { kind: 'ledger', from: '2025-11-01', to: '2026-11-02' }, 'to'],
    ['an end before the start', { kind: 'ledger', from: FROM, to: '2026-10-31' }, 'to'],
    ['another kind', { kind: 'journal', from: FROM, to: TO }, 'kind'],
    ['an unknown field', { kind: 'ledger', from: FROM, to: TO, format: 'xlsx' }, ''],
  ])('%s: 400 naming the field', async (_name, body, path) => {
    const res = await startExport(asker, body);
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
    if (path !== '') expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('366 days exactly are fine', async () => {
    expect((await startExport(asker, { kind: 'ledger', from: '2025-12-01', to: '2026-12-01' })).status).toBe(202);
  });

  it('the front desk, clinicians and another clinic’s finance may not start one', async () => {
    expect((await startExport(frontdesk(NYC))).status).toBe(403);
    expect((await startExport({ role: 'clinician', clinicId: NYC, sub: 'doc-1' })).status).toBe(403);
    expect((await startExport(finance(TOR))).status).toBe(403);
  });
});

describe('when it cannot be made', () => {
  it('a store that fails makes the export failed, with no rows and no link', async () => {
    const broken: ExportStore = {
      upload: async (_key, body) => {
        body.destroy();
        throw new Error('the bucket is gone');
      },
      url: async () => 'http://never',
    };
    const handler = billingWith(broken);
    const started = await startExport(asker, { kind: 'ledger', from: FROM, to: TO }, handler);
    const done = await settled(started.body.id, asker, handler);
    expect(done.body).toEqual({ id: started.body.id, kind: 'ledger', status: 'failed', from: FROM, to: TO });
  });

  it('a job that cannot be started is a 503, and the export is failed, not left running', async () => {
    const handler = billingWith(store, async () => {
      throw new Error('Lambda refused');
    });
    const res = await startExport(asker, { kind: 'ledger', from: FROM, to: TO }, handler);
    expect([res.status, res.body.error.code]).toEqual([503, 'unavailable']);
    const items = (await api.items()).filter((i) => i.type === 'export' && i.status === 'failed');
    expect(items.length).toBeGreaterThanOrEqual(1);
  });

  it('an export still running long after it was asked for shows as failed', async () => {
    const handler = billingWith(store, async () => undefined); // never runs
    const started = await startExport(asker, { kind: 'ledger', from: FROM, to: TO }, handler);
    const now = api.clock.now();
    try {
      api.clock.set(now + 81 * 60_000);
      expect((await call('GET', `/v1/exports/${started.body.id}`, asker, undefined, handler)).body.status).toBe('failed');
    } finally {
      api.clock.set(now);
    }
  });
});
