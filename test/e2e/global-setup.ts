// One local server for the whole browser run: the web app built if stale, a fresh DynamoDB Local
// in a temporary folder, the demo data, a free port. Tests read its URL from E2E_BASE_URL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '#infra/local/server.ts';
import { ensureWebBuilt } from '#infra/local/web-static.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  // the functions' INFO lines (each booking, each SMS) would bury the test report
  process.env.LOG_LEVEL ??= 'WARN';
  await ensureWebBuilt((line) => process.stdout.write(`${line}\n`));
  const dataDir = mkdtempSync(join(tmpdir(), 'kapstone-e2e-'));
  const server = await startLocalServer({ port: 0, dataDir, fresh: true, log: () => undefined });
  process.env.E2E_BASE_URL = server.url;
  process.stdout.write(`browser tests against ${server.url} (fresh database in ${dataDir})\n`);
  return async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
