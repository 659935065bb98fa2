// The web app's rows of the bench (`npm run bench -- web`; also in the full bench):
//
// (a) the initial JavaScript a first visit downloads, gzip: `vite build` into a temporary folder
//     (never web/dist, which `npm start` and the browser tests use), the entry script and the
//     modulepreload links of its index.html, each gzipped with node:zlib (level 9, as a CDN
//     compresses); target ≤ 150 KB. The staff side's chunks (a dynamic import) and the Cognito
//     provider's are listed for information.
// (b) time to the first open times on the booking page: the local server (fresh DynamoDB Local,
//     demo data, the app from the temporary build) and Chromium; a demo client's dev token put into
//     sessionStorage, /book opened in a fresh browser context each run (cold cache), timed from the
//     navigation's start to the first `.week button.time` painted (a MutationObserver, then the
//     next animation frame); the availability range the page asked for is said in a note. Median
//     of BENCH_WEB_RUNS (7) after one warm-up run. The same range asked of the API directly (31
//     days) is a second, informational row.
// (c) the staff day view: 20 providers, 6 rooms (2 dosing), 150 appointments and two practitioners'
//     time off on one day, answered by page.route (synthetic data of the API's shapes) for an admin; the day page marks
//     `kapstone:day-data` when the schedule arrives and `kapstone:day-rendered` once the grid with it
//     is painted; the row is the median of BENCH_WEB_RUNS page loads of the measure between them,
//     target < 200 ms. Without the marks the row says "marks missing". BENCH_WEB_SCREENSHOT=<file.png>
//     saves the last day page load, to see that it drew the synthetic day.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page, type Route } from '@playwright/test';
import { startLocalServer } from '#infra/local/server.ts';
import { defaultCatalog } from '#domain/catalog.ts';
import { fmtMs, percentile } from './stats.ts';

export interface WebRow {
  case: string;
  value: string;
  target: string;
  ok: string;
}

export const WEB_COLUMNS: Array<[keyof WebRow, string, 'l' | 'r']> = [
  ['case', 'web app (vite build, Chromium)', 'l'],
  ['value', 'value', 'r'],
  ['target', 'target', 'l'],
  ['ok', 'ok', 'l'],
];

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const INITIAL_JS_TARGET_KB = 150;
const DAY_TARGET_MS = 200;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CLINIC = 'demo-nyc';
const ZONE = 'America/New_York';
const DEMO_CLIENT = 'demo-nyc-client-1';
/** How long a day page load may take to set both marks before the row says they are missing. */
const MARK_WAIT_MS = 10_000;

/** An init script: the dev token in the tab's sessionStorage, as the app keeps it (auth/session.ts). */
const signedIn = (token: string) => `try { sessionStorage.setItem('kapstone.token', ${JSON.stringify(token)}); } catch {}`;

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const yes = (b: boolean) => (b ? 'yes' : 'NO');
const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

// ---------------------------------------------------------------------------------------------
// (a) the build and its initial JavaScript

interface BuildResult {
  outDir: string;
  buildS: number;
  initial: Array<{ file: string; raw: number; gzip: number }>;
  css: Array<{ file: string; raw: number; gzip: number }>;
  staff: Array<{ file: string; raw: number; gzip: number }>;
  cognito: Array<{ file: string; raw: number; gzip: number }>;
  allJsGzip: number;
  /** The modulepreload links and the manifest's static imports of the entry agree. */
  preloadsMatchManifest: boolean;
}

async function buildApp(): Promise<BuildResult> {
  const outDir = mkdtempSync(join(tmpdir(), 'kapstone-bench-web-'));
  const t0 = performance.now();
  // --emptyOutDir: vite refuses to empty a folder outside its root unless told to
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(ROOT, 'web/vite.config.ts'),
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--manifest',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  const buildS = (performance.now() - t0) / 1000;

  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  const entry = tags.filter((t) => t.startsWith('<script') && /type="module"/.test(t)).map((t) => attr(t, 'src'));
  const preloads = tags.filter((t) => /rel="modulepreload"/.test(t)).map((t) => attr(t, 'href'));
  const styles = tags.filter((t) => /rel="stylesheet"/.test(t)).map((t) => attr(t, 'href'));
  if (entry.length !== 1 || !entry[0]) throw new Error(`index.html of the build names ${entry.length} module scripts, expected 1`);
  const sized = (href: string) => {
    const file = href.replace(/^\//, '');
    return { file, raw: statSync(join(outDir, file)).size, gzip: gz(join(outDir, file)) };
  };
  const initial = [entry[0], ...preloads.filter((p): p is string => !!p)].map(sized);
  const css = styles.filter((s): s is string => !!s).map(sized);

  // the manifest: which chunks the staff side and the Cognito provider load on top
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const i of manifest[key]?.imports ?? []) closure(i, seen);
    return seen;
  };
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entryKey) throw new Error('the build manifest has no entry');
  const initialKeys = closure(entryKey);
  const initialFiles = new Set([...initialKeys].map((k) => manifest[k]!.file));
  const preloadsMatchManifest = initialFiles.size === initial.length && initial.every((f) => initialFiles.has(f.file.replace(/^\//, '')));
  const dynamicOnTop = (match: RegExp) => {
    const key = Object.keys(manifest).find((k) => manifest[k]!.isDynamicEntry && match.test(manifest[k]!.src ?? k));
    if (!key) return [];
    return [...closure(key)].filter((k) => !initialKeys.has(k)).map((k) => sized(manifest[k]!.file));
  };
  const staff = dynamicOnTop(/pages\/staff\/routes\.tsx$/);
  const cognito = dynamicOnTop(/auth\/cognito\.ts$/);
  const allJsGzip = Object.values(manifest)
    .map((c) => c.file)
    .filter((f, i, all) => f.endsWith('.js') && all.indexOf(f) === i)
    .reduce((t, f) => t + gz(join(outDir, f)), 0);
  return { outDir, buildS, initial, css, staff, cognito, allJsGzip, preloadsMatchManifest };
}

// ---------------------------------------------------------------------------------------------
// (b) the booking page's first open times

/** Records when the first open time is in the DOM and painted (ms since navigation start). */
const FIRST_SLOT_PROBE = `
(() => {
  const seen = () => document.querySelector('.week button.time');
  const done = () => requestAnimationFrame(() => { window.__firstSlotMs = performance.now(); });
  new MutationObserver((_, observer) => {
    if (seen()) { observer.disconnect(); done(); }
  }).observe(document, { childList: true, subtree: true });
})();
`;

interface BookResult {
  ms: number[];
  ranges: string[];
  availabilityMs: number[];
  apiMs: number[];
  apiSlots: number;
  apiRange: string;
}

async function benchBooking(browser: Browser, baseUrl: string, token: string, note: (s: string) => void): Promise<BookResult> {
  const ms: number[] = [];
  const ranges = new Set<string>();
  const availabilityMs: number[] = [];
  const availabilityStart: number[] = [];
  const availabilityEnd: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Europe/Berlin' });
    await context.addInitScript(signedIn(token));
    await context.addInitScript(FIRST_SLOT_PROBE);
    const page = await context.newPage();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.endsWith('/availability'))
        ranges.add(`${url.searchParams.get('from')}..${url.searchParams.get('to')} (${url.searchParams.get('service')})`);
    });
    await page.goto(`${baseUrl}/book?service=intake`);
    const at = await page.waitForFunction(() => (globalThis as unknown as { __firstSlotMs?: number }).__firstSlotMs, undefined, {
      timeout: 30_000,
    });
    const t = (await at.jsonValue()) as number;
    const avail = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/availability'))
        .map((e) => ({ start: e.startTime, end: (e as unknown as { responseEnd: number }).responseEnd })),
    );
    if (run > 0) {
      ms.push(t);
      for (const a of avail) {
        availabilityMs.push(a.end - a.start);
        availabilityStart.push(a.start);
        availabilityEnd.push(a.end);
      }
    }
    await context.close();
  }
  // the same question of the API for the API's whole range (31 days), from node
  const from = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const to = new Date(Date.parse(`${from}T12:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
  const url = `${baseUrl}/v1/clinics/${CLINIC}/availability?service=intake&mode=in_person&from=${from}&to=${to}`;
  const apiMs: number[] = [];
  let apiSlots = 0;
  for (let run = 0; run <= RUNS; run++) {
    const t0 = performance.now();
    const res = await fetch(url);
    const body = (await res.json()) as { slots?: unknown[] };
    if (!res.ok) throw new Error(`availability answered ${res.status}: ${JSON.stringify(body)}`);
    if (run > 0) apiMs.push(performance.now() - t0);
    apiSlots = body.slots?.length ?? 0;
  }
  note(
    `booking page: availability requests the page made: ${[...ranges].join('; ')}; p50 ms from navigation start: request sent ` +
      `${fmtMs(percentile(availabilityStart, 50))}, answered ${fmtMs(percentile(availabilityEnd, 50))}, first open time painted ` +
      `${fmtMs(percentile(ms, 50))}`,
  );
  return { ms, ranges: [...ranges], availabilityMs, apiMs, apiSlots, apiRange: `${from}..${to}` };
}

// ---------------------------------------------------------------------------------------------
// (c) the staff day view on synthetic data

interface DayData {
  date: string;
  clinic: unknown;
  services: unknown[];
  providers: unknown[];
  rooms: unknown[];
  programs: unknown[];
  schedule: { date: string; timezone: string; appointments: unknown[] };
  /** Two practitioners' time off that day: bands in their columns. */
  timeOff: unknown[];
}

/** The zone's offset on a date, as the API writes it (-05:00 / -04:00). */
function offsetOn(date: string): string {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' })
      .formatToParts(new Date(`${date}T12:00:00Z`))
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT-05:00';
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
}

/** 20 providers (16 therapists, 4 prescribers), 6 rooms (2 dosing), 150 appointments on a weekday. */
export function dayData(): DayData {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const noon = new Date(`${today}T12:00:00Z`);
  noon.setUTCDate(noon.getUTCDate() + ((3 - noon.getUTCDay() + 7) % 7 || 7)); // the next Wednesday
  const date = noon.toISOString().slice(0, 10);
  const off = offsetOn(date);
  const at = (minutes: number) =>
    `${date}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00${off}`;

  const clinic = {
    id: CLINIC,
    name: 'Hudson Wellness (bench)',
    timezone: ZONE,
    currency: 'USD',
    country: 'US',
    policy: {
      bookingWindowDays: 90,
      cancellationWindowHours: 48,
      checkInLeadMinutes: 30,
      explorationSpacingHours: 48,
      installments: { allowedCounts: [3, 6, 12], minimumDownPaymentPercent: 20, minimumTotal: 100_000 },
      integrationWithinDays: 14,
      lateCancellationFee: { amount: 10_000, currency: 'USD' },
      lateCancellationForfeitsCredit: true,
      minimumNoticeHours: 24,
      quietHours: { start: '21:00', end: '08:00' },
      reminderOffsetsHours: [48, 2],
      requiredPreparationSessions: 2,
      slotStepMinutes: 30,
    },
  };
  const services = defaultCatalog('USD');
  const weekly = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '08:00', end: '20:00' }));
  const providers = Array.from({ length: 20 }, (_, i) => {
    const prescriber = i >= 16;
    return {
      id: `prv_bench_${String(i + 1).padStart(2, '0')}`,
      clinicId: CLINIC,
      name: `${prescriber ? 'Dr. ' : ''}Provider ${String(i + 1).padStart(2, '0')}`,
      credentials: prescriber ? 'MD' : 'LCSW',
      role: prescriber ? 'prescriber' : 'therapist',
      telehealth: true,
      npi: null,
      licence: { jurisdiction: 'NY', number: `L${100_000 + i}` },
      weeklyHours: weekly,
    };
  });
  const rooms = [
    { id: 'room_bench_d1', clinicId: CLINIC, name: 'Dosing room 1', kind: 'dosing' },
    { id: 'room_bench_d2', clinicId: CLINIC, name: 'Dosing room 2', kind: 'dosing' },
    ...[1, 2, 3, 4].map((n) => ({ id: `room_bench_t${n}`, clinicId: CLINIC, name: `Therapy room ${n}`, kind: 'therapy' })),
  ];
  const programs = [
    {
      id: 'prg_bench_1',
      clinicId: CLINIC,
      name: 'Standard program',
      explorations: 1,
      tier: 'standard',
      includes: { preparation: 2, exploration: 1, integration: 2 },
      price: { amount: 180_000, currency: 'USD' },
      retired: false,
    },
  ];

  const appointments: unknown[] = [];
  const busy = new Map<string, Array<[number, number]>>(); // provider or room → [start, end) minutes
  const free = (id: string, s: number, e: number) => !(busy.get(id) ?? []).some(([a, b]) => s < b && a < e);
  const take = (id: string, s: number, e: number) => busy.set(id, [...(busy.get(id) ?? []), [s, e]]);
  const statuses = (start: number, n: number) =>
    n % 23 === 0 ? 'cancelled' : n % 37 === 0 ? 'no_show' : start < 11 * 60 ? 'completed' : start < 12 * 60 ? 'checked_in' : 'booked';
  const add = (p: (typeof providers)[number], service: string, start: number, minutes: number, roomId: string | null) => {
    const n = appointments.length + 1;
    const room = rooms.find((r) => r.id === roomId);
    const status = statuses(start, n);
    const packaged = service === 'exploration' || n % 4 === 0;
    appointments.push({
      id: `apt_bench_${String(n).padStart(3, '0')}`,
      clinicId: CLINIC,
      clientId: `cli_bench_${String(n).padStart(3, '0')}`,
      client: { id: `cli_bench_${String(n).padStart(3, '0')}`, name: `Client ${String(n).padStart(3, '0')}` },
      providerId: p.id,
      provider: { id: p.id, name: p.name },
      roomId,
      room: room ? { id: room.id, name: room.name } : null,
      service,
      mode: roomId ? 'in_person' : 'telehealth',
      startsAt: at(start),
      endsAt: at(start + minutes),
      status,
      explorationId: service === 'exploration' ? `exp_bench_${n}` : null,
      packageId: packaged ? 'pkg_bench' : null,
      invoiceId: packaged ? null : `inv_bench_${String(n).padStart(3, '0')}`,
      flags: [
        ...(service === 'exploration' && n % 2 === 0 ? (['ride_home_missing'] as const) : []),
        ...(!packaged && n % 5 === 0 ? (['unpaid'] as const) : []),
      ],
      ...(status === 'cancelled' ? { cancelledAt: at(7 * 60), late: n % 2 === 0 } : {}),
    });
    if (status !== 'cancelled') {
      take(p.id, start, start + minutes);
      if (roomId) take(roomId, start, start + minutes);
    }
  };
  // three explorations a day in each dosing room (3 h each), with therapists 1–6
  [8 * 60, 11 * 60 + 30, 15 * 60].forEach((start, i) => {
    add(providers[i * 2]!, 'exploration', start, 180, 'room_bench_d1');
    add(providers[i * 2 + 1]!, 'exploration', start, 180, 'room_bench_d2');
  });
  // then one-hour sessions, hour by hour: in a therapy room while one is free, else by video
  const kinds = ['intake', 'preparation', 'integration', 'ongoing_care'];
  for (let start = 8 * 60; appointments.length < 150 && start < 20 * 60; start += 60) {
    for (const p of providers) {
      if (appointments.length >= 150) break;
      if (!free(p.id, start, start + 60)) continue;
      const service = p.role === 'prescriber' ? 'medical_evaluation' : kinds[appointments.length % kinds.length]!;
      const room = rooms.find((r) => r.kind === 'therapy' && free(r.id, start, start + 60));
      add(p, service, start, 60, appointments.length % 3 === 0 ? null : (room?.id ?? null));
    }
  }
  if (appointments.length !== 150) throw new Error(`the synthetic day holds ${appointments.length} appointments, not 150`);
  const timeOff = [
    { providerId: 'prv_bench_03', from: 8 * 60, to: 13 * 60, label: 'Conference' },
    { providerId: 'prv_bench_11', from: 14 * 60, to: 20 * 60, label: null },
  ].map((t, i) => ({
    id: `off_bench_${i + 1}`,
    clinicId: CLINIC,
    providerId: t.providerId,
    startsAt: at(t.from),
    endsAt: at(t.to),
    label: t.label,
    createdAt: at(7 * 60),
  }));
  return { date, clinic, services, providers, rooms, programs, schedule: { date, timezone: ZONE, appointments }, timeOff };
}

/** A synthetic client of the day (the day page reads the exploration clients' status). */
const clientRecord = (id: string) => {
  const n = Number(id.replace('cli_bench_', ''));
  return {
    id,
    clinicId: CLINIC,
    firstName: 'Client',
    lastName: String(n).padStart(3, '0'),
    email: `client-${n}@example.com`,
    phone: `+1212555${String(1000 + n).slice(-4)}`,
    dateOfBirth: '1985-06-15',
    smsConsent: true,
    rideHome: n % 2 === 0 ? null : { name: 'Ride Home', phone: '+12125550100' },
    status: {
      clearance: n % 3 === 0 ? { status: 'expired', validUntil: '2020-01-31' } : { status: 'cleared', validUntil: '2099-06-30' },
      intakeCompleted: true,
      preparationCount: 2,
      preparationCompleted: 2,
      explorationCount: 1,
      explorationCompleted: 0,
    },
  };
};

interface DayResult {
  /** null: the page never set both marks. */
  ms: number[] | null;
  unrouted: string[];
  date: string;
}

async function benchDay(browser: Browser, baseUrl: string, token: string): Promise<DayResult> {
  const data = dayData();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Europe/Berlin' });
  await context.addInitScript(signedIn(token));
  const unrouted = new Set<string>();
  const json = (route: Route, body: unknown) => route.fulfill({ json: body });
  await context.route(`${baseUrl}/v1/**`, (route) => {
    const url = new URL(route.request().url());
    const p = url.pathname;
    const base = `/v1/clinics/${CLINIC}`;
    if (route.request().method() === 'GET') {
      if (p === '/v1/clinics')
        return json(route, [{ id: CLINIC, name: 'Hudson Wellness (bench)', timezone: ZONE, currency: 'USD', country: 'US' }]);
      if (p === base) return json(route, data.clinic);
      if (p === `${base}/services`) return json(route, data.services);
      if (p === `${base}/providers`) return json(route, data.providers);
      if (p === `${base}/rooms`) return json(route, data.rooms);
      if (p === `${base}/programs`) return json(route, data.programs);
      const client = /^\/v1\/clients\/(cli_bench_\d+)$/.exec(p)?.[1];
      if (client) return json(route, clientRecord(client));
      if (p === `${base}/schedule`)
        return json(
          route,
          url.searchParams.get('date') === data.date
            ? data.schedule
            : { ...data.schedule, date: url.searchParams.get('date'), appointments: [] },
        );
      if (p === `${base}/time-off`) return json(route, { timeOff: url.searchParams.get('from') === data.date ? data.timeOff : [] });
    }
    unrouted.add(`${route.request().method()} ${p}`);
    return route.fallback();
  });
  const page = await context.newPage();
  const ms: number[] = [];
  try {
    for (let run = 0; run <= RUNS; run++) {
      await page.goto(`${baseUrl}/staff/day?date=${data.date}&clinic=${CLINIC}`);
      const measured = await measureDay(page);
      if (measured === null) return { ms: null, unrouted: [...unrouted], date: data.date };
      if (run > 0) ms.push(measured);
    }
    // for a person to check that the page drew the synthetic day (not an error)
    if (process.env.BENCH_WEB_SCREENSHOT) await page.screenshot({ path: process.env.BENCH_WEB_SCREENSHOT, fullPage: true });
  } finally {
    await context.close();
  }
  return { ms, unrouted: [...unrouted], date: data.date };
}

/** The measure between the day page's two marks, or null when they do not come. */
async function measureDay(page: Page): Promise<number | null> {
  try {
    await page.waitForFunction(
      () =>
        performance.getEntriesByName('kapstone:day-data').length > 0 && performance.getEntriesByName('kapstone:day-rendered').length > 0,
      undefined,
      { timeout: MARK_WAIT_MS },
    );
  } catch {
    return null;
  }
  return page.evaluate(() => performance.measure('kapstone:day', 'kapstone:day-data', 'kapstone:day-rendered').duration);
}

// ---------------------------------------------------------------------------------------------

export async function benchWeb(note: (s: string) => void): Promise<WebRow[]> {
  const started = performance.now();
  const build = await buildApp();
  const rows: WebRow[] = [];
  let server: Awaited<ReturnType<typeof startLocalServer>> | undefined;
  let browser: Browser | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'kapstone-bench-web-db-'));
  try {
    const initialGzip = build.initial.reduce((t, f) => t + f.gzip, 0);
    const initialRaw = build.initial.reduce((t, f) => t + f.raw, 0);
    rows.push({
      case: `initial JS, gzip (entry + ${build.initial.length - 1} modulepreload)`,
      value: `${kb(initialGzip)} KB`,
      target: `≤ ${INITIAL_JS_TARGET_KB} KB`,
      ok: yes(initialGzip <= INITIAL_JS_TARGET_KB * 1024),
    });
    const staffGzip = build.staff.reduce((t, f) => t + f.gzip, 0);
    rows.push({
      case: `staff side on top, gzip (${build.staff.length} chunk${build.staff.length === 1 ? '' : 's'})`,
      value: `${kb(staffGzip)} KB`,
      target: '-',
      ok: '-',
    });
    note(
      `web build: vite build --outDir <temp> --emptyOutDir --manifest in ${build.buildS.toFixed(1)} s; initial JS ${kb(initialRaw)} KB ` +
        `minified, ${kb(initialGzip)} KB gzip (level 9): ${build.initial.map((f) => `${f.file} ${kb(f.gzip)}`).join(', ')}; CSS ` +
        `${build.css.map((f) => `${f.file} ${kb(f.gzip)} KB gzip`).join(', ')} (not counted); modulepreloads ${build.preloadsMatchManifest ? 'match' : 'DO NOT match'} the manifest's static imports of the entry`,
    );
    note(
      `web build: staff side (pages/staff/routes.tsx and the chunks it adds): ${build.staff.map((f) => `${f.file} ${kb(f.gzip)}`).join(', ') || 'none'}; ` +
        `Cognito provider (auth/cognito.ts, only with a user pool): ${build.cognito.map((f) => `${f.file} ${kb(f.gzip)}`).join(', ') || 'none'} KB gzip; ` +
        `all JS of the build ${kb(build.allJsGzip)} KB gzip`,
    );

    let phase = performance.now();
    server = await startLocalServer({ port: 0, dataDir, fresh: true, webDir: build.outDir, log: () => undefined, reminderIntervalMs: 0 });
    note(
      `web: local server (fresh DynamoDB Local, demo data, the temporary build) started in ${((performance.now() - phase) / 1000).toFixed(1)} s`,
    );
    const token = async (body: Record<string, string>) => {
      const res = await fetch(`${server!.url}/v1/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`/v1/dev/token answered ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    };
    browser = await chromium.launch({ executablePath: CHROMIUM });
    note(`web: Chromium ${browser.version()} (${CHROMIUM}), headless, 1280×900, no throttling; ${RUNS} measured runs after 1 warm-up`);

    phase = performance.now();
    const book = await benchBooking(
      browser,
      server.url,
      await token({ role: 'client', clientId: DEMO_CLIENT, sub: `demo-${DEMO_CLIENT}` }),
      note,
    );
    rows.push({
      case: `booking page: first open times shown (${book.ranges.length === 1 ? rangeDays(book.ranges[0]!) : 'see note'})`,
      value: `${fmtMs(percentile(book.ms, 50))} ms`,
      target: '-',
      ok: '-',
    });
    rows.push({
      case: `availability API, 31 days (intake, in person, ${book.apiSlots} slots)`,
      value: `${fmtMs(percentile(book.apiMs, 50))} ms`,
      target: '-',
      ok: '-',
    });
    note(
      `booking page (demo client ${DEMO_CLIENT}, /book?service=intake, fresh context each run) ms from navigation start to the first ` +
        `open time painted: [${book.ms.map((m) => m.toFixed(0)).join(', ')}]; its availability request(s) in the browser p50 ` +
        `${fmtMs(percentile(book.availabilityMs, 50))} ms; API alone for ${book.apiRange} (31 days, from node) ` +
        `[${book.apiMs.map((m) => m.toFixed(0)).join(', ')}] ms; phase ${((performance.now() - phase) / 1000).toFixed(1)} s`,
    );

    phase = performance.now();
    const day = await benchDay(browser, server.url, await token({ role: 'admin' }));
    rows.push(
      day.ms
        ? {
            case: 'staff day view: schedule answered → grid painted',
            value: `${fmtMs(percentile(day.ms, 50))} ms`,
            target: `< ${DAY_TARGET_MS} ms`,
            ok: yes(percentile(day.ms, 50) < DAY_TARGET_MS),
          }
        : {
            case: 'staff day view: schedule answered → grid painted',
            value: 'marks missing',
            target: `< ${DAY_TARGET_MS} ms`,
            ok: 'marks missing',
          },
    );
    note(
      `staff day view (admin, /staff/day?date=${day.date}&clinic=${CLINIC}; 20 providers, 6 rooms (2 dosing), 150 appointments, ` +
        `served by page.route): ` +
        (day.ms
          ? `performance.measure('kapstone:day-data' → 'kapstone:day-rendered') ms [${day.ms.map((m) => m.toFixed(1)).join(', ')}]`
          : `marks missing: the page did not set performance.mark('kapstone:day-data') and 'kapstone:day-rendered' within ${MARK_WAIT_MS / 1000} s`) +
        `; API calls not answered by the synthetic data: ${day.unrouted.join(', ') || 'none'}; phase ${((performance.now() - phase) / 1000).toFixed(1)} s`,
    );
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(build.outDir, { recursive: true, force: true });
  }
  note(`web section: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return rows;
}

/** "2026-03-02..2026-03-29 (intake)" → "28-day range" */
function rangeDays(range: string): string {
  const [from = '', to = ''] = range.split(' ')[0]!.split('..');
  const days = Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000) + 1;
  return `${days}-day range asked`;
}
