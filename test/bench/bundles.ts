// The Lambda bundles, built the way `cdk synth` builds them: esbuild with lambdaBuildOptions
// (infra/lib/bundling.ts, the very options KapstoneFunction builds its asset with, so the two
// cannot drift), in memory. A bundle is index.mjs plus chunks/*.mjs (code splitting: what only
// `import()` reaches is a chunk of its own), each with its .map beside it.
// Sizes are of the deployed .mjs files (minified, banner and sourceMappingURL comment included),
// raw and gzipped (zlib.gzipSync, default level, per file, summed): those loaded at import
// (index.mjs and the chunks it imports statically, transitively) and those of the whole asset.
// coldStarts() writes those same files (and a baseline's) to a temp dir and times a fresh `node`
// importing each index.mjs, as a Lambda cold start does before the first invocation.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, version as esbuildVersion, type BuildOptions, type Metafile } from 'esbuild';
import { lambdaBuildOptions } from '#infra/lib/bundling.ts';
import { apiEvent, type EventOptions } from '#test/helpers/events.ts';
import { percentile } from './stats.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * The `node` that imports the bundles in coldStarts(): this one, or BENCH_NODE (a path to another
 * binary, e.g. the Lambda runtime's major version when this machine has another one).
 */
export const COLD_NODE = process.env.BENCH_NODE ?? process.execPath;
export const coldNodeVersion = (): string =>
  COLD_NODE === process.execPath ? process.version : execFileSync(COLD_NODE, ['--version'], { encoding: 'utf8' }).trim();

export interface BundleResult {
  fn: string;
  entry: string;
  /** Minified .mjs bytes loaded at import: index.mjs and the chunks it imports statically. */
  rawBytes: number;
  /** The same files gzipped (each on its own, summed): what the size target is about. */
  gzipBytes: number;
  /** Every .mjs of the asset, gzipped: what is deployed (the zip holds the maps too). */
  totalGzipBytes: number;
  /** .mjs files in the asset, and how many of them load at import. */
  jsFiles: number;
  jsFilesAtImport: number;
  /** All source maps, bytes (separate files, not read at run time). */
  mapBytes: number;
  /** Inputs (repo-relative, as esbuild names them) under node_modules/stripe/, anywhere in the asset. */
  stripeInputs: string[];
  /** Bytes of the minified output that came from node_modules/stripe/, and of those loaded at import. */
  stripeBytes: number;
  stripeBytesAtImport: number;
  /**
   * Inputs with bytes in the asset that only non-Lambda code needs (OFF_LAMBDA_PATH): infra/,
   * test/ and scripts/ code, the response schemas (OpenAPI and tests only) and zod's JSON Schema
   * generator. Empty when all is well.
   */
  offPathInputs: string[];
  /** Bytes of the minified output loaded at import, per package under node_modules (largest first). */
  byPackage: Array<[string, number]>;
  /**
   * pdf-lib's share (the PDFs, billing only): its inputs with bytes in the asset and those bytes,
   * minified, counting what only it pulls in (PDF_LIB_INPUT); and what it adds to the asset
   * gzipped: the asset's gzip size minus that of the same bundle built with pdf-lib external.
   * 0 without it.
   */
  pdfLibInputs: string[];
  pdfLibBytes: number;
  pdfLibGzipBytes: number;
  buildMs: number;
  /** The asset's files (path relative to the asset's root), for coldStarts(). */
  files: Array<{ path: string; contents: Uint8Array }>;
}

/** The options every bundle here is built with: the deployed ones, in memory. */
function benchOptions(entry: string, fn: string): BuildOptions & { outdir: string } {
  const outdir = join(REPO_ROOT, 'cdk.out', 'bench-bundles', fn); // never written (write: false)
  return { ...lambdaBuildOptions(entry, outdir), write: false, metafile: true, logLevel: 'silent' };
}

/** What the bench says of the settings (one line of its notes). */
export function describeBundling(): string {
  const o = lambdaBuildOptions('functions/scheduling/handler.ts', '/asset');
  return [
    `format ${o.format}`,
    `target ${String(o.target)}`,
    `platform ${o.platform}`,
    o.bundle ? 'bundle' : 'no bundle',
    o.splitting ? `splitting (chunks ${o.chunkNames})` : 'no splitting',
    o.minify ? 'minify' : 'no minify',
    `sourcemap ${String(o.sourcemap)} (sourcesContent ${String(o.sourcesContent)})`,
    `mainFields ${(o.mainFields ?? []).join(',')}`,
    `banner createRequire shim ${o.banner?.js ? 'yes' : 'no'}`,
    `external [${(o.external ?? []).join(', ')}]`,
  ].join(', ');
}

/** Every functions/<name>/handler.ts, the API's functions (scheduling, payments, billing) first. */
export function lambdaEntries(): Array<{ fn: string; entry: string }> {
  const dir = join(REPO_ROOT, 'functions');
  const order = ['scheduling', 'payments', 'billing', 'reminders'];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'handler.ts')))
    .map((d) => ({ fn: d.name, entry: `functions/${d.name}/handler.ts` }))
    .sort((a, b) => rank(a.fn) - rank(b.fn) || a.fn.localeCompare(b.fn));
  function rank(fn: string) {
    const i = order.indexOf(fn);
    return i < 0 ? order.length : i;
  }
}

/** What no Lambda bundle may hold: only the OpenAPI generator, the local runtime, tests and scripts use it. */
const OFF_LAMBDA_PATH = [/^(infra|test|scripts)\//, /^shared\/http\/schemas\/responses\.ts$/, /node_modules\/zod\/.*to-json-schema/];

/** pdf-lib and what only it pulls in: @pdf-lib/standard-fonts and upng, pako, its own tslib 1 copy. */
const PDF_LIB_INPUT = /(?:^|\/)node_modules\/(?:pdf-lib|@pdf-lib\/[^/]+|pako)\//;

const packageOf = (input: string): string | undefined => {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m?.[1];
};

/** The metafile's outputs loaded when index.mjs is imported: it and what it imports statically. */
function loadedAtImport(meta: Metafile): Set<string> {
  const index = Object.keys(meta.outputs).find((p) => /(^|\/)index\.mjs$/.test(p));
  if (!index) throw new Error(`esbuild metafile has no index.mjs output: ${Object.keys(meta.outputs).join(', ')}`);
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const i of meta.outputs[path]!.imports) if (i.kind === 'import-statement' && !i.external && meta.outputs[i.path]) visit(i.path);
  };
  visit(index);
  return seen;
}

/** Builds one function's asset in memory and measures it. */
async function bundleOf(fn: string, entry: string): Promise<BundleResult> {
  const t0 = performance.now();
  const options = benchOptions(entry, fn);
  const result = await build(options);
  const buildMs = performance.now() - t0;
  const meta: Metafile = result.metafile!;
  const outputs = result.outputFiles ?? [];
  const atImport = loadedAtImport(meta);
  const metaPath = (abs: string) => relative(REPO_ROOT, abs);
  const js = outputs.filter((f) => f.path.endsWith('.mjs'));
  const gz = new Map(js.map((f) => [metaPath(f.path), gzipSync(f.contents).byteLength]));
  const sum = (paths: Iterable<string>, of: (p: string) => number) => [...paths].reduce((t, p) => t + of(p), 0);
  const jsOutputs = Object.entries(meta.outputs).filter(([p]) => p.endsWith('.mjs'));
  const inputsOf = (which: (p: string) => boolean) =>
    jsOutputs.filter(([p]) => which(p)).flatMap(([, o]) => Object.entries(o.inputs).filter(([, v]) => v.bytesInOutput > 0));
  const all = inputsOf(() => true);
  const initial = inputsOf((p) => atImport.has(p));

  const stripe = (list: typeof all) => list.filter(([p]) => p.includes('node_modules/stripe/'));
  const perPackage = new Map<string, number>();
  for (const [p, v] of initial) {
    const pkg = packageOf(p);
    if (pkg) perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + v.bytesInOutput);
  }
  const pdfLib = all.filter(([p]) => PDF_LIB_INPUT.test(p));
  const totalGzipBytes = sum(gz.keys(), (p) => gz.get(p)!);
  let pdfLibGzipBytes = 0;
  if (pdfLib.length > 0) {
    const without = await build({ ...options, external: [...(options.external ?? []), 'pdf-lib'], sourcemap: false, metafile: false });
    const rest = (without.outputFiles ?? []).filter((f) => f.path.endsWith('.mjs'));
    pdfLibGzipBytes = totalGzipBytes - rest.reduce((t, f) => t + gzipSync(f.contents).byteLength, 0);
  }
  return {
    fn,
    entry,
    rawBytes: sum(atImport, (p) => meta.outputs[p]!.bytes),
    gzipBytes: sum(atImport, (p) => gz.get(p) ?? 0),
    totalGzipBytes,
    jsFiles: js.length,
    jsFilesAtImport: atImport.size,
    mapBytes: outputs.filter((f) => f.path.endsWith('.map')).reduce((t, f) => t + f.contents.byteLength, 0),
    stripeInputs: [...new Set(stripe(all).map(([p]) => p))],
    stripeBytes: stripe(all).reduce((t, [, v]) => t + v.bytesInOutput, 0),
    stripeBytesAtImport: stripe(initial).reduce((t, [, v]) => t + v.bytesInOutput, 0),
    offPathInputs: [...new Set(all.filter(([p]) => OFF_LAMBDA_PATH.some((re) => re.test(p))).map(([p]) => p))],
    byPackage: [...perPackage.entries()].sort((a, b) => b[1] - a[1]),
    pdfLibInputs: [...new Set(pdfLib.map(([p]) => p))],
    pdfLibBytes: pdfLib.reduce((t, [, v]) => t + v.bytesInOutput, 0),
    pdfLibGzipBytes,
    buildMs,
    files: outputs.map((f) => ({ path: relative(options.outdir, f.path), contents: f.contents })),
  };
}

export async function bundleSizes(): Promise<{ esbuild: string; bundles: BundleResult[] }> {
  const bundles: BundleResult[] = [];
  for (const { fn, entry } of lambdaEntries()) bundles.push(await bundleOf(fn, entry));
  return { esbuild: esbuildVersion, bundles };
}

export const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

// ---------------------------------------------------------------------------------------------
// Cold start: import time of each bundle in a fresh node process.

/**
 * The yardstick: test/bench/baseline-handler.ts, a handler that needs only the DynamoDB document
 * client, built with the same settings. A function's import time is judged as a multiple of its.
 */
export const BASELINE = 'baseline';

/**
 * Runs in the fresh process: the time of `await import(bundle)` (module load, top-level code and
 * awaits); then, given a FIRST_REQUEST (argv[2]), the time of that first invocation.
 */
const IMPORT_SCRIPT = [
  'const c0 = process.cpuUsage();',
  'const t0 = performance.now();',
  'const m = await import(process.argv[1]);',
  'const ms = performance.now() - t0;',
  'const c = process.cpuUsage(c0);',
  "if (typeof m.handler !== 'function') throw new Error('the bundle exports no handler');",
  'let firstMs = null;',
  'if (process.argv[2]) {',
  '  const { event, status } = JSON.parse(process.argv[2]);',
  '  const t1 = performance.now();',
  '  const res = await m.handler(event, {});',
  '  firstMs = performance.now() - t1;',
  '  if (res?.statusCode !== status) throw new Error(`first request answered ${res?.statusCode}, expected ${status}: ${res?.body}`);',
  '}',
  'process.stdout.write(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, firstMs }));',
].join('\n');

/**
 * A first request per function that reaches no database, timed after the import in the same
 * process: a cross-check that work moved out of the import (docs/decisions.md, "Cold start") is
 * shown where it went, not hidden. payments' webhook with a bad signature is refused only after
 * the Stripe SDK is loaded and the secret read (from the local stub); scheduling's liveness route
 * runs the router and the query validation.
 */
export const FIRST_REQUESTS: Record<string, { label: string; method: string; path: string; options: EventOptions; status: number }> = {
  scheduling: { label: 'GET /v1/health', method: 'GET', path: '/v1/health', options: {}, status: 200 },
  payments: {
    label: 'POST /v1/webhooks/stripe, bad signature (loads Stripe, reads the secret)',
    method: 'POST',
    path: '/v1/webhooks/stripe',
    options: { body: {}, headers: { 'stripe-signature': 't=1,v1=00' } },
    status: 400,
  },
};

export interface ColdStart {
  fn: string;
  gzipBytes: number;
  /** In-process import time per run, ms (node's own start-up excluded). */
  importMs: number[];
  /** CPU time (user + system, all threads) of the import per run, ms: a cross-check less sensitive to load. */
  cpuMs: number[];
  /** Whole process per run (spawn to exit, node start-up included), ms. */
  processMs: number[];
  /** The FIRST_REQUESTS invocation after the import, per run, ms (empty for functions without one). */
  firstMs: number[];
  p50: number;
  cpuP50: number;
  processP50: number;
}

export async function baselineBundle(): Promise<BundleResult> {
  const result = await bundleOf(BASELINE, 'test/bench/baseline-handler.ts');
  return { ...result, entry: '(lib-dynamodb + client-dynamodb, trivial handler)' };
}

/**
 * Writes the bundles and the baseline to a temp dir (all their files, as in the Lambda asset) and
 * imports each index.mjs `runs` times, each time in a fresh `node` (after one untimed warm-up
 * each; rounds interleave the bundles so that drift hits all alike). The environment is a
 * Lambda's, not this process's: the variables the stack sets, fake credentials, and no
 * NODE_OPTIONS (infra/lib/kapstone-function.ts sets none: no --enable-source-maps). Stripe's keys
 * are read from Secrets Manager by the payments handler on its first Stripe request (its
 * FIRST_REQUESTS) and by the refund job on its first run with a refund due: that call goes to a stub on
 * 127.0.0.1 here, so its SDK work is timed but not AWS's network latency. After its import a
 * function with a FIRST_REQUESTS entry is invoked once with it, timed apart (`firstMs`).
 */
export async function coldStarts(
  bundles: BundleResult[],
  runs = 7,
): Promise<{ baseline: ColdStart; baselineTotalGzipBytes: number; functions: ColdStart[]; node: string }> {
  const baseline = await baselineBundle();
  const all = [baseline, ...bundles];
  const dir = mkdtempSync(join(tmpdir(), 'kapstone-cold-'));
  const secrets = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:kapstone-bench',
          Name: 'kapstone-bench',
          SecretString: JSON.stringify({ secretKey: 'sk_test_bench', webhookSecret: 'whsec_bench' }),
        }),
      );
    });
  });
  await new Promise<void>((ok) => secrets.listen(0, '127.0.0.1', ok));
  try {
    const port = (secrets.address() as AddressInfo).port;
    const files = new Map<string, string>();
    for (const b of all) {
      const sub = join(dir, b.fn);
      mkdirSync(sub);
      for (const f of b.files) {
        mkdirSync(dirname(join(sub, f.path)), { recursive: true });
        writeFileSync(join(sub, f.path), f.contents);
      }
      files.set(b.fn, pathToFileURL(join(sub, 'index.mjs')).href);
    }
    const env = (fn: string): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      TZ: 'UTC',
      LANG: 'C.UTF-8',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDBENCH',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_SESSION_TOKEN: 'bench',
      AWS_LAMBDA_FUNCTION_NAME: `kapstone-bench-${fn}`,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${port}`,
      TABLE_NAME: 'kapstone-bench',
      LOG_LEVEL: 'INFO',
      POWERTOOLS_SERVICE_NAME: fn,
      USER_POOL_ID: 'us-east-1_bench',
      USER_POOL_CLIENT_ID: 'benchclient',
      STRIPE_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:kapstone-bench',
      APP_BASE_URL: 'https://example.com',
      // the billing function and the export job (infra/lib/exports.ts)
      EXPORT_FUNCTION_NAME: 'kapstone-bench-exports',
      EXPORT_BUCKET: 'kapstone-bench-exports',
      EXPORT_KEY_ARN: 'arn:aws:kms:us-east-1:000000000000:key/bench',
    });
    const firstRequest = new Map<string, string>(
      Object.entries(FIRST_REQUESTS).map(([fn, r]) => {
        const built = apiEvent(r.method, r.path, r.options);
        if (!built || built.fn !== fn) throw new Error(`FIRST_REQUESTS.${fn}: ${r.method} ${r.path} is not a route of ${fn}`);
        return [fn, JSON.stringify({ event: built.event, status: r.status })];
      }),
    );
    // async (not spawnSync): the Secrets Manager stub answers from this process's event loop
    const once = (fn: string) =>
      new Promise<{ importMs: number; cpuMs: number; processMs: number; firstMs: number | null }>((ok, fail) => {
        const t0 = performance.now();
        execFile(
          COLD_NODE,
          ['--input-type=module', '-e', IMPORT_SCRIPT, files.get(fn)!, ...(firstRequest.has(fn) ? [firstRequest.get(fn)!] : [])],
          { cwd: join(dir, fn), env: env(fn), timeout: 60_000 },
          (err, stdout, stderr) => {
            const processMs = performance.now() - t0;
            if (err) return fail(new Error(`importing the ${fn} bundle failed: ${err.message}\n${stderr}`));
            try {
              const out = JSON.parse(stdout) as { ms: number; cpuMs: number; firstMs: number | null };
              ok({ importMs: out.ms, cpuMs: out.cpuMs, processMs, firstMs: out.firstMs });
            } catch {
              fail(new Error(`importing the ${fn} bundle printed no timing: ${stdout}\n${stderr}`));
            }
          },
        );
      });
    for (const b of all) await once(b.fn); // warm-up: file cache, lazy esbuild/node state
    const samples = new Map(
      all.map((b) => [b.fn, { importMs: [] as number[], cpuMs: [] as number[], processMs: [] as number[], firstMs: [] as number[] }]),
    );
    for (let round = 0; round < runs; round++) {
      // rotate the order each round: no bundle always runs right after the same one
      for (let i = 0; i < all.length; i++) {
        const b = all[(round + i) % all.length]!;
        const r = await once(b.fn);
        const s = samples.get(b.fn)!;
        s.importMs.push(r.importMs);
        s.cpuMs.push(r.cpuMs);
        s.processMs.push(r.processMs);
        if (r.firstMs !== null) s.firstMs.push(r.firstMs);
      }
    }
    const result = (b: BundleResult): ColdStart => {
      const s = samples.get(b.fn)!;
      return {
        fn: b.fn,
        gzipBytes: b.gzipBytes,
        ...s,
        p50: percentile(s.importMs, 50),
        cpuP50: percentile(s.cpuMs, 50),
        processP50: percentile(s.processMs, 50),
      };
    };
    return {
      baseline: result(baseline),
      baselineTotalGzipBytes: baseline.totalGzipBytes,
      functions: bundles.map(result),
      node: coldNodeVersion(),
    };
  } finally {
    secrets.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
