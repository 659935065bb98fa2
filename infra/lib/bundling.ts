// How every Lambda asset is built: one esbuild run per function with code splitting, so that a
// module the function reaches only through `import()` (Stripe, pdf-lib, the Cognito client, the
// SDK's rarely used credential providers) is a file of its own, read and parsed only by the
// request that needs it. infra/lib/kapstone-function.ts builds the asset with these options at
// synth; the bench (test/bench/bundles.ts) builds with the very same ones, so the two cannot drift.
// Why splitting, with the figures: docs/decisions.md, "Cold start".
import { resolve } from 'node:path';
import type { BuildOptions } from 'esbuild';

/** The runtime the bundle targets (infra/lib/kapstone-function.ts: RUNTIME must follow it). */
export const ESBUILD_TARGET = 'node22';

/** Where the project is: esbuild resolves entries, `#` imports and node_modules from here. */
export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * The bundle is ESM, but some dependencies (the AWS SDK among them) are CommonJS and call
 * `require` for Node built-ins; esbuild leaves those calls in place, so `require` has to exist.
 * esbuild puts the banner at the top of every output file, chunks included.
 */
export const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * The esbuild options of a function's asset: `index.mjs` (its `handler` export, what the Lambda
 * runtime loads) plus `chunks/*.mjs`, each with its `.map` beside it.
 *
 * - ESM, minified, everything bundled, the AWS SDK v3 included: the function runs the exact SDK
 *   versions pinned in package-lock.json and tested locally, not whatever the runtime ships.
 * - `splitting`: what `import()` reaches goes to a chunk, loaded on the first call that needs it.
 *   Without it esbuild inlines such modules as lazy initialisers in index.mjs: their top level
 *   does not run at import, but V8 still has to read and pre-parse their text at every cold start.
 * - Source maps are built and deployed but NOT applied at run time: no --enable-source-maps in
 *   NODE_OPTIONS. Measured (Node 20.20, x64, medians of 7 fresh processes) on a 1.5 MB bundle with
 *   a 1.8 MB map: the flag costs +15 ms on every cold import (78.7 → 93.5 ms), +81 ms on the first
 *   Error.stack of each process (1.4 → 82.9 ms: the map is parsed then, i.e. on the first error
 *   logged after a cold start) and ~3× per later stack (1,000 stacks: 10.8 → 30.7 ms). Traces are
 *   therefore minified (index.mjs:1:<column>); to debug, set NODE_OPTIONS=--enable-source-maps on
 *   that one function (its `environment` prop, or the console: no rebuild, the maps are deployed;
 *   the export job already has NODE_OPTIONS, its heap limits: append the flag there), or resolve
 *   the columns offline with the asset's maps.
 * - `sourcesContent: false`: mapping a trace needs only the mappings; embedding every source would
 *   quadruple the maps (in the zip, and for Node to parse whenever the flag above is turned on).
 * - `mainFields` prefers packages' ESM builds: they tree-shake far better than their CommonJS ones.
 */
export function lambdaBuildOptions(entry: string, outdir: string): BuildOptions & { outdir: string } {
  return {
    entryPoints: { index: resolve(PROJECT_ROOT, entry) },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: ESBUILD_TARGET,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_SHIM },
    absWorkingDir: PROJECT_ROOT,
    logLevel: 'warning',
  };
}
