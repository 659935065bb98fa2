// The local server's job runs (infra/local/job-runs.ts): one at a time, a run asked for meanwhile
// happens once afterwards, and a dev route's change never interleaves with a run.
import { describe, expect, it } from 'vitest';
import { JobRuns, type JobRunKind } from '#infra/local/job-runs.ts';

/** A job whose runs end when the test says; `log` records starts and ends. */
function controlledJob() {
  const log: string[] = [];
  const ends: Array<() => void> = [];
  let n = 0;
  const run = (kind: JobRunKind) => {
    const id = ++n;
    log.push(kind === 'all' ? `start ${id}` : `start ${id} (sms)`);
    return new Promise<void>((resolve) => ends.push(() => (log.push(`end ${id}`), resolve())));
  };
  return { log, run, endNext: () => ends.shift()!() };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('local job runs', () => {
  it('runs asked for during a run happen once, after it', async () => {
    const job = controlledJob();
    const runs = new JobRuns(job.run);
    runs.request();
    runs.request();
    runs.request();
    expect(job.log).toEqual(['start 1']);
    job.endNext();
    await tick();
    expect(job.log).toEqual(['start 1', 'end 1', 'start 2']);
    job.endNext();
    await tick();
    expect(job.log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('a change that queued an SMS runs the SMS job alone; asked for both meanwhile, the next run is of every job', async () => {
    const job = controlledJob();
    const runs = new JobRuns(job.run);
    runs.request('sms');
    runs.request('sms');
    job.endNext();
    await tick();
    runs.request('sms');
    runs.request('all');
    runs.request('sms');
    job.endNext();
    await tick();
    job.endNext();
    await tick();
    expect(job.log).toEqual(['start 1 (sms)', 'end 1', 'start 2 (sms)', 'end 2', 'start 3', 'end 3']);
  });

  it('a change between runs waits for the run in progress, and holds back the next until it is done', async () => {
    const job = controlledJob();
    const runs = new JobRuns(job.run);
    runs.request();
    let finishChange!: () => void;
    const change = runs.betweenRuns(async () => {
      job.log.push('change');
      await new Promise<void>((r) => (finishChange = r));
      job.log.push('change done');
      return 'given up';
    });
    await tick();
    expect(job.log).toEqual(['start 1']); // not during the run
    job.endNext();
    await tick();
    expect(job.log).toEqual(['start 1', 'end 1', 'change']);
    runs.request(); // e.g. the change's own write asks for a run
    await tick();
    expect(job.log).toEqual(['start 1', 'end 1', 'change']);
    finishChange();
    expect(await change).toBe('given up');
    await tick();
    expect(job.log).toEqual(['start 1', 'end 1', 'change', 'change done', 'start 2']);
  });

  it('a change that fails still lets the runs go on; its failure is its caller’s', async () => {
    const job = controlledJob();
    const runs = new JobRuns(job.run);
    await expect(runs.betweenRuns(async () => Promise.reject(new Error('409')))).rejects.toThrow('409');
    runs.request();
    expect(job.log).toEqual(['start 1']);
  });
});
