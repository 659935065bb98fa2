// One ledger export in a process of its own, as a Lambda runs it: started by test/bench/export.ts
// (`node --import tsx`) against the DynamoDB Local that process seeded. Prints one JSON line: the
// job's result, wall time, its CPU time, the time with a DynamoDB call in flight, the calls made, and this
// process's memory (RSS and V8 heap) before the run and at its peak (sampled every 20 ms).
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { systemClock } from '#adapters/clock.ts';
import { LocalExportStore } from '#adapters/export-store.ts';
import { createDocumentClient } from '#db/client.ts';
import { createExportJob } from '#functions/exports/app.ts';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const doc = createDocumentClient({ region: 'local', endpoint: env('BENCH_DDB_ENDPOINT') });
const calls: Array<{ command: string; start: number; end: number }> = [];
type Send = (command: { constructor: { name: string } }, ...rest: unknown[]) => Promise<unknown>;
const target = doc as unknown as { send: Send };
const send = target.send.bind(doc);
target.send = async (command, ...rest) => {
  const start = performance.now();
  try {
    return await send(command, ...rest);
  } finally {
    calls.push({ command: command.constructor.name, start, end: performance.now() });
  }
};

const job = createExportJob({
  doc,
  tableName: env('BENCH_TABLE'),
  clock: systemClock,
  logger: new Logger({ serviceName: 'bench-exports', logLevel: 'WARN' }),
  store: new LocalExportStore({ dir: env('BENCH_EXPORT_DIR'), baseUrl: () => 'http://127.0.0.1:3000' }),
});

const before = process.memoryUsage();
let rssPeak = before.rss;
let heapPeak = before.heapUsed + before.external;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  rssPeak = Math.max(rssPeak, m.rss);
  heapPeak = Math.max(heapPeak, m.heapUsed + m.external);
}, 20);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await job.run(env('BENCH_EXPORT_ID'));
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
const after = process.memoryUsage();
rssPeak = Math.max(rssPeak, after.rss);

let dbMs = 0;
let until = -Infinity;
for (const c of calls.sort((a, b) => a.start - b.start)) {
  if (c.end <= until) continue;
  dbMs += c.end - Math.max(c.start, until);
  until = c.end;
}
const byCommand: Record<string, number> = {};
for (const c of calls) byCommand[c.command] = (byCommand[c.command] ?? 0) + 1;
doc.destroy();
process.stdout.write(
  `${JSON.stringify({ result, ms, cpuMs: (cpu.user + cpu.system) / 1000, dbMs, byCommand, rssBefore: before.rss, rssPeak, heapBefore: before.heapUsed + before.external, heapPeak })}\n`,
);
