// The function assets as `cdk synth` builds them (infra/lib/bundling.ts: esbuild with code
// splitting) load in Node: each index.mjs exports its handler, and every chunk imports without an
// error. The bench imports only index.mjs (and what a first request pulls in); a chunk reached by
// import() alone — pdf-lib's, the Cognito client's, Stripe's, the SDK's credential providers' — is
// otherwise first loaded on AWS, by the request that needs it. A chunk that cannot load (a name
// clashing with the banner's `require`, a top-level error) fails here instead.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { lambdaBuildOptions } from '#infra/lib/bundling.ts';
import { lambdaEntries } from '#test/bench/bundles.ts';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'kapstone-assets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Imports index.mjs, checks its handler, then every chunk; prints how many files loaded. */
const LOAD = [
  'const [dir, ...chunks] = process.argv.slice(1);',
  "const m = await import(new URL('index.mjs', dir).href);",
  "if (typeof m.handler !== 'function') throw new Error('index.mjs exports no handler');",
  'for (const c of chunks) await import(new URL(c, dir).href);',
  'process.stdout.write(String(1 + chunks.length));',
].join('\n');

// the environment each function checks at import (shared/config.ts and their own variables)
const ENV = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  TABLE_NAME: 'kapstone-assets-test',
  STRIPE_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:assets-test',
  APP_BASE_URL: 'https://example.com',
  EXPORT_FUNCTION_NAME: 'kapstone-assets-test-exports',
  EXPORT_BUCKET: 'kapstone-assets-test-exports',
  EXPORT_KEY_ARN: 'arn:aws:kms:us-east-1:000000000000:key/assets-test',
};

describe('function assets', () => {
  const entries = lambdaEntries();

  it('are one per functions/<name>/handler.ts', () => {
    expect(entries.map((e) => e.fn).sort()).toEqual([
      'billing',
      'exports',
      'payments',
      'post-confirmation',
      'refunds',
      'reminders',
      'scheduling',
    ]);
  });

  it.each(entries)('$fn: index.mjs exports its handler and every chunk loads', async ({ fn, entry }) => {
    const dir = join(root, fn);
    await build({ ...lambdaBuildOptions(entry, dir), logLevel: 'silent' });
    const chunks = readdirSync(join(dir, 'chunks')).filter((f) => f.endsWith('.mjs'));
    // splitting is on: what import() reaches is a file of its own
    expect(chunks.length).toBeGreaterThan(0);
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', LOAD, pathToFileURL(`${dir}/`).href, ...chunks.map((c) => `chunks/${c}`)],
      { env: ENV, timeout: 60_000 },
    );
    expect(Number(stdout)).toBe(1 + chunks.length);
  });
});
