// The Lambda bundles, built the way `cdk synth` builds them: esbuild with the settings of
// infra/lib/kapstone-function.ts (DEFAULT_BUNDLING, read from there so the two cannot drift,
// plus what NodejsFunction always adds: --bundle --platform=node, output index.mjs), in memory.
// Sizes are of the deployed index.mjs (minified, banner and sourceMappingURL comment included),
// raw and gzipped (zlib.gzipSync, default level); the source map is a separate file.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, version as esbuildVersion, type BuildOptions, type Metafile } from 'esbuild';
import { DEFAULT_BUNDLING } from '#infra/lib/kapstone-function.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface BundleResult {
  fn: string;
  entry: string;
  rawBytes: number;
  gzipBytes: number;
  mapBytes: number;
  /** Inputs (repo-relative, as esbuild names them) under node_modules/stripe/. */
  stripeInputs: string[];
  /** Bytes of the minified output that came from node_modules/stripe/. */
  stripeBytes: number;
  /** Bytes of the minified output per package under node_modules (largest first). */
  byPackage: Array<[string, number]>;
  buildMs: number;
}

/** The esbuild options NodejsFunction derives from DEFAULT_BUNDLING; unknown settings fail loudly. */
export function esbuildOptions(): BuildOptions {
  const b = DEFAULT_BUNDLING as Record<string, unknown>;
  const known = new Set(['format', 'target', 'minify', 'sourceMap', 'sourcesContent', 'mainFields', 'banner', 'externalModules']);
  const unknown = Object.keys(b).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`DEFAULT_BUNDLING has settings the bench does not map to esbuild: ${unknown.join(', ')}`);
  if (b.format !== 'esm') throw new Error(`DEFAULT_BUNDLING.format is ${String(b.format)}; the bench assumes esm (index.mjs)`);
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: b.target as string,
    minify: b.minify === true,
    sourcemap: b.sourceMap === true,
    sourcesContent: b.sourcesContent !== false,
    mainFields: b.mainFields as string[],
    ...(typeof b.banner === 'string' ? { banner: { js: b.banner } } : {}),
    external: (b.externalModules as string[] | undefined) ?? ['@aws-sdk/*'],
    absWorkingDir: REPO_ROOT,
    write: false,
    metafile: true,
    logLevel: 'silent',
  };
}

/** Every functions/<name>/handler.ts, scheduling and payments first. */
export function lambdaEntries(): Array<{ fn: string; entry: string }> {
  const dir = join(REPO_ROOT, 'functions');
  const order = ['scheduling', 'payments', 'reminders'];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'handler.ts')))
    .map((d) => ({ fn: d.name, entry: `functions/${d.name}/handler.ts` }))
    .sort((a, b) => rank(a.fn) - rank(b.fn) || a.fn.localeCompare(b.fn));
  function rank(fn: string) {
    const i = order.indexOf(fn);
    return i < 0 ? order.length : i;
  }
}

const packageOf = (input: string): string | undefined => {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m?.[1];
};

export async function bundleSizes(): Promise<{ esbuild: string; options: BuildOptions; bundles: BundleResult[] }> {
  const options = esbuildOptions();
  const bundles: BundleResult[] = [];
  for (const { fn, entry } of lambdaEntries()) {
    const t0 = performance.now();
    const outfile = join(REPO_ROOT, 'cdk.out', 'bench-bundles', fn, 'index.mjs'); // never written (write: false)
    const result = await build({ ...options, entryPoints: [join(REPO_ROOT, entry)], outfile });
    const buildMs = performance.now() - t0;
    const js = result.outputFiles?.find((f) => f.path === outfile);
    const map = result.outputFiles?.find((f) => f.path === `${outfile}.map`);
    if (!js) throw new Error(`esbuild produced no ${outfile} for ${entry}: ${result.outputFiles?.map((f) => f.path).join(', ')}`);
    const meta: Metafile = result.metafile!;
    const output = Object.entries(meta.outputs).find(([path]) => path.endsWith('index.mjs'))?.[1];
    if (!output) throw new Error(`esbuild metafile of ${entry} has no index.mjs output`);
    const stripeInputs = Object.keys(meta.inputs).filter((p) => p.includes('node_modules/stripe/'));
    const stripeBytes = Object.entries(output.inputs)
      .filter(([p]) => p.includes('node_modules/stripe/'))
      .reduce((t, [, v]) => t + v.bytesInOutput, 0);
    const perPackage = new Map<string, number>();
    for (const [p, v] of Object.entries(output.inputs)) {
      const pkg = packageOf(p);
      if (pkg) perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + v.bytesInOutput);
    }
    bundles.push({
      fn,
      entry,
      rawBytes: js.contents.byteLength,
      gzipBytes: gzipSync(js.contents).byteLength,
      mapBytes: map?.contents.byteLength ?? 0,
      stripeInputs,
      stripeBytes,
      byPackage: [...perPackage.entries()].sort((a, b) => b[1] - a[1]),
      buildMs,
    });
  }
  return { esbuild: esbuildVersion, options, bundles };
}

export const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
