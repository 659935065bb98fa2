// "10,000 reminders due at once, SNS mocked": the real reminder job (createReminderJob, the real
// SnsSmsSender over an SNSClient mocked with aws-sdk-client-mock, answering Publish at once and
// CheckIfPhoneNumberIsOptedOut false) drains a burst at its configured rate on DynamoDB Local.
//
// Setup (untimed): N appointments of consenting clients, each with one 48 h reminder due a minute
// ago, written with BatchWriteItem in parallel chunks. The SMS items come from smsPlanWrite (what
// a booking writes), the appointment and client items from the key builders in the shape their
// repositories write (type + keys + the record), so the job finds and re-reads them as in
// production. Each client has a number of its own: a Publish is told apart by PhoneNumber.
// Measured: the job run again and again (advancing `now` by a minute, as EventBridge would) until
// nothing is left; the time of every Publish as the mock sees it.
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { fixedClock } from '#adapters/clock.ts';
import { SnsSmsSender } from '#adapters/sns-sms.ts';
import { keys } from '#db/keys.ts';
import { SmsRepository, smsPlanWrite } from '#db/sms-repo.ts';
import type { Appointment, Client } from '#domain/types.ts';
import { createReminderJob } from '#functions/reminders/app.ts';
import type { BenchApi } from './harness.ts';

export interface SmsBurstOptions {
  n: number;
  ratePerSecond: number;
  concurrency?: number;
  /** Each run's time budget (the job's default is 50 s). */
  budgetMs?: number;
}

export interface SmsBurstResult {
  n: number;
  rate: number;
  concurrency: number;
  budgetMs: number;
  setupS: number;
  /** First run start to last run end, s. */
  drainS: number;
  /** n / drainS. */
  achieved: number;
  /** (published - 1) / (last Publish - first Publish), per s: the steady rate without the run's ramp. */
  steady: number;
  maxInAnySecond: number;
  runs: Array<{ sent: number; remaining: boolean; s: number }>;
  published: number;
  /** Distinct appointments in the runs' `sent` lists. */
  jobSentDistinct: number;
  distinct: number;
  duplicates: number;
  /** Our reminders never published. */
  missing: number;
  /** Publishes to a number that is not one of ours. */
  strangers: number;
  skipped: number;
  retried: number;
  deadLettered: number;
  /** Due-index entries left at a far-future `now` afterwards. */
  leftDue: number;
  /** SMS items read back in state 'sent' (all N, consistent reads). */
  sentState: number;
}

/** 2026-12-01 10:00 in New York (15:00Z), a Tuesday: out of the clinic's quiet hours. */
const JOB_NOW = Date.parse('2026-12-01T15:00:00Z');
const CLINIC = 'demo-nyc';
const PROVIDER = 'demo-nyc-ther-1';
const HOUR = 3_600_000;

const phoneOf = (i: number) => `+1212${String(3_000_000 + i)}`; // +1 212 300-0000 …

async function batchWrite(api: BenchApi, items: Array<Record<string, unknown>>, parallel = 16): Promise<void> {
  const chunks: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      let requests = chunks[next++]!.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 10) throw new Error('BatchWriteItem kept leaving items unprocessed');
        const res = await api.doc.send(new BatchWriteCommand({ RequestItems: { [api.tableName]: requests } }));
        requests = (res.UnprocessedItems?.[api.tableName] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

export async function benchSmsBurst(api: BenchApi, o: SmsBurstOptions): Promise<SmsBurstResult> {
  const concurrency = o.concurrency ?? 8;
  const budgetMs = o.budgetMs ?? 50_000;
  const t0 = performance.now();
  const created = JOB_NOW - 3 * 24 * HOUR;
  const startsAt = JOB_NOW + 48 * HOUR + HOUR; // Thu 11:00 New York
  const sendAt = JOB_NOW - 60_000; // due a minute ago
  const items: Array<Record<string, unknown>> = [];
  const phoneToAppt = new Map<string, string>();
  for (let i = 0; i < o.n; i++) {
    const phone = phoneOf(i);
    if (i === 0 || i === o.n - 1) {
      if (!isValidPhoneNumber(phone)) throw new Error(`bench phone ${phone} is not a valid number: the job would skip it`);
    }
    const tag = String(i).padStart(5, '0');
    const client: Client & { scheduleVersion: number } = {
      id: `bench-sms-client-${tag}`,
      clinicId: CLINIC,
      firstName: 'Bench',
      lastName: `Client ${tag}`,
      email: `bench-sms-${tag}@example.com`,
      phone,
      dateOfBirth: '1980-01-01',
      smsConsent: true,
      intakeCompleted: false,
      createdAt: created,
      version: 1,
      scheduleVersion: 1,
    };
    const appt: Appointment = {
      id: `bench-sms-appt-${tag}`,
      clinicId: CLINIC,
      clientId: client.id,
      providerId: PROVIDER,
      roomId: null,
      service: 'intake',
      mode: 'telehealth',
      startsAt,
      endsAt: startsAt + HOUR,
      status: 'booked',
      smsReminderOffsets: [48],
      createdAt: created,
      updatedAt: created,
      version: 1,
    };
    phoneToAppt.set(phone, appt.id);
    // as ClientRepository.profileItem / AppointmentRepository.mainItem write them
    items.push({ ...keys.client(client.id), type: 'client', ...client });
    items.push({
      ...keys.appointment(appt.id),
      ...keys.appointmentByClinic(appt.clinicId, appt.startsAt, appt.id),
      type: 'appointment',
      ...appt,
    });
    const plan = smsPlanWrite({ after: appt, plan: [{ offsetHours: 48, sendAt }], previousOffsets: [] });
    items.push(...plan.puts);
  }
  await batchWrite(api, items);
  const repo = new SmsRepository(api.doc, api.tableName);
  const before = await countDue(repo, JOB_NOW);
  if (before !== o.n) throw new Error(`expected ${o.n} SMS due at the job's now, the index has ${before}`);
  api.takeCalls();
  const setupS = (performance.now() - t0) / 1000;

  const sns = mockClient(SNSClient);
  const times: number[] = [];
  const perPhone = new Map<string, number>();
  let strangers = 0;
  let m = 0;
  sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
    times.push(performance.now());
    const phone = input.PhoneNumber ?? '';
    if (!phoneToAppt.has(phone)) strangers += 1;
    perPhone.set(phone, (perPhone.get(phone) ?? 0) + 1);
    return { MessageId: `bench-${++m}` };
  });
  sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolves({ isOptedOut: false });

  const runs: SmsBurstResult['runs'] = [];
  let skipped = 0;
  let retried = 0;
  let deadLettered = 0;
  const sentAppts = new Map<string, number>();
  let drainS: number;
  try {
    const job = createReminderJob({
      doc: api.doc,
      tableName: api.tableName,
      clock: fixedClock(JOB_NOW),
      logger: new Logger({ serviceName: 'bench', logLevel: 'CRITICAL' }),
      sender: new SnsSmsSender(new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), {
        originationNumber: '+18005550100',
      }),
      options: { ratePerSecond: o.ratePerSecond, rescheduleHint: 'call 212-555-0100', concurrency },
    });
    const start = performance.now();
    let now = JOB_NOW;
    for (;;) {
      const rs = performance.now();
      const r = await job.run({ now, budgetMs });
      runs.push({ sent: r.sent.length, remaining: r.remaining, s: (performance.now() - rs) / 1000 });
      skipped += r.skipped.length;
      retried += r.retried;
      deadLettered += r.deadLettered;
      for (const s of r.sent) sentAppts.set(s.appointmentId, (sentAppts.get(s.appointmentId) ?? 0) + 1);
      api.takeCalls(); // the harness records every DynamoDB call: do not keep them
      if (!r.remaining) break;
      if (runs.length > 20) throw new Error('the SMS job did not drain in 20 runs');
      now += 60_000; // the next EventBridge minute
    }
    drainS = (performance.now() - start) / 1000;
  } finally {
    sns.restore();
  }

  // Exactly once: every one of ours published once, nothing else, none left due, all marked sent.
  let duplicates = 0;
  let missing = 0;
  for (const phone of phoneToAppt.keys()) {
    const c = perPhone.get(phone) ?? 0;
    if (c === 0) missing += 1;
    if (c > 1) duplicates += c - 1;
  }
  const leftDue = await countDue(repo, JOB_NOW + 365 * 24 * HOUR);
  let sentState = 0;
  const ids = [...phoneToAppt.values()];
  for (let i = 0; i < ids.length; i += 50) {
    const got = await Promise.all(ids.slice(i, i + 50).map((id) => repo.get(keys.smsReminder(id, 48))));
    sentState += got.filter((s) => s?.state === 'sent').length;
  }
  api.takeCalls();

  const sorted = [...times].sort((a, b) => a - b);
  let maxInAnySecond = 0;
  for (let lo = 0, hi = 0; lo < sorted.length; lo++) {
    while (hi < sorted.length && sorted[hi]! < sorted[lo]! + 1000) hi++;
    maxInAnySecond = Math.max(maxInAnySecond, hi - lo);
  }
  const span = sorted.length > 1 ? (sorted.at(-1)! - sorted[0]!) / 1000 : Number.NaN;
  return {
    n: o.n,
    rate: o.ratePerSecond,
    concurrency,
    budgetMs,
    setupS,
    drainS,
    achieved: o.n / drainS,
    steady: (sorted.length - 1) / span,
    maxInAnySecond,
    runs,
    published: times.length,
    jobSentDistinct: sentAppts.size,
    distinct: perPhone.size,
    duplicates,
    missing,
    strangers,
    skipped,
    retried,
    deadLettered,
    leftDue,
    sentState,
  };
}

async function countDue(repo: SmsRepository, now: number): Promise<number> {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await repo.due(now, 1000, start);
    n += page.items.length;
    start = page.next;
  } while (start);
  return n;
}
