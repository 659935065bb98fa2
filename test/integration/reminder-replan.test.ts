// A clinic's reminders re-planned when PATCH /v1/clinics/{clinicId} changes its reminder offsets or
// quiet hours (docs/domain.md, "SMS notices and reminders"), end to end on DynamoDB Local with SNS mocked: what
// the reminder job then sends, and when. Each test has a table of its own, so that the clinic's
// policy starts at the defaults ([48, 2] hours, quiet 21:00-08:00) and no other test's PATCH
// re-plans its appointments.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { SnsSmsSender } from '#adapters/sns-sms.ts';
import { AppointmentRepository } from '#db/appointment-repo.ts';
import { SmsRepository } from '#db/sms-repo.ts';
import { createReminderJob } from '#functions/reminders/app.ts';
import { admin, createTestApi, DEFAULT_NOW, frontdesk, signUp, type TestApi } from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const MIN = 60_000;
const HOUR = 60 * MIN;

const sns = mockClient(SNSClient);
const logger = new Logger({ serviceName: 'test', logLevel: 'CRITICAL' as 'ERROR' });
let api: TestApi;
let sms: SmsRepository;
let appts: AppointmentRepository;
let messageN = 0;

beforeEach(async () => {
  api = await createTestApi();
  sms = new SmsRepository(api.table.doc, api.table.tableName);
  appts = new AppointmentRepository(api.table.doc, api.table.tableName);
  sns.reset();
  sns.on(PublishCommand).callsFake(() => ({ MessageId: `m-${++messageN}` }));
  sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolves({ isOptedOut: false });
});
afterEach(async () => {
  sns.reset();
  await api.close();
});

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

function job() {
  return createReminderJob({
    doc: api.table.doc,
    tableName: api.table.tableName,
    clock: api.clock,
    logger,
    sender: new SnsSmsSender(new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), {
      originationNumber: '+18005550100',
    }),
    options: { ratePerSecond: 1000, rescheduleHint: 'call 212-555-0100' },
  });
}

let phoneN = 2000;
async function client(clinicId = NYC) {
  return signUp(api, { clinicId, phone: `+1212555${String(++phoneN).padStart(4, '0')}` });
}

async function book(startsAt: string, opts: { clinicId?: string; providerId?: string } = {}) {
  const clinicId = opts.clinicId ?? NYC;
  const clientId = await client(clinicId);
  const res = await api.call('POST', '/v1/appointments', {
    as: frontdesk(clinicId),
    body: { clientId, clinicId, service: 'intake', providerId: opts.providerId ?? `${clinicId}-ther-1`, startsAt, mode: 'telehealth' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

async function patchPolicy(policy: Record<string, unknown>, clinicId = NYC) {
  const res = await api.call('PATCH', `/v1/clinics/${clinicId}`, { as: admin, body: { policy } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

async function move(id: string, startsAt: string) {
  const res = await api.call('POST', `/v1/appointments/${id}/reschedule`, { as: frontdesk(), body: { startsAt } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/**
 * Runs the job at DEFAULT_NOW or the clock's now (the notices), then at each of `times` in order;
 * answers, per appointment of `ids`, the reminders sent: the run's time and the text.
 */
async function timeline(ids: string[], times: number[]): Promise<Map<string, Array<{ at: string; text: string }>>> {
  const j = job();
  const out = new Map(ids.map((id) => [id, [] as Array<{ at: string; text: string }>]));
  for (const now of [api.clock.now(), ...[...new Set(times)].sort((a, b) => a - b)]) {
    const before = sns.commandCalls(PublishCommand).length;
    const run = await j.run({ now });
    const texts = sns
      .commandCalls(PublishCommand)
      .slice(before)
      .map((c) => c.args[0].input.Message!);
    run.sent.forEach((s, i) => {
      if (s.kind === 'reminder' && out.has(s.appointmentId)) out.get(s.appointmentId)!.push({ at: iso(now), text: texts[i] ?? '' });
    });
  }
  return out;
}

/** Every time a reminder of the offsets could fall before each start, and the minute before each. */
const candidates = (starts: number[], offsets: number[]) =>
  starts.flatMap((s) => offsets.flatMap((o) => [s - o * HOUR - MIN, s - o * HOUR])).filter((t) => t > DEFAULT_NOW);

describe('a PATCH of reminder offsets or quiet hours re-plans the reminders already planned', () => {
  it('quiet hours 21:00-10:00 after booking: the 2 h reminder of an 11:00 appointment goes at 20:59 the evening before', async () => {
    // Wed Dec 9 11:00 New York: planned at booking for Mon 11:00 (48 h) and Wed 09:00 (2 h)
    const id = await book('2026-12-09T11:00:00-05:00');
    expect(
      (await sms.ofAppointment(id))
        .filter((s) => s.kind === 'reminder')
        .map((s) => iso(s.sendAt))
        .sort(),
    ).toEqual(['2026-12-07T16:00:00.000Z', '2026-12-09T14:00:00.000Z']);

    await patchPolicy({ quietHours: { start: '21:00', end: '10:00' } });

    const sent = await timeline(
      [id],
      [
        at('2026-12-07T11:00:00-05:00'),
        at('2026-12-08T20:58:00-05:00'),
        at('2026-12-08T20:59:00-05:00'),
        at('2026-12-09T09:00:00-05:00'),
        at('2026-12-09T10:00:00-05:00'),
        at('2026-12-09T10:59:00-05:00'),
      ],
    );
    expect(sent.get(id)!.map((s) => s.at)).toEqual([iso(at('2026-12-07T11:00:00-05:00')), iso(at('2026-12-08T20:59:00-05:00'))]);
    expect(sent.get(id)![1]!.text).toContain('Wed Dec 9, 11:00 AM EST');
  });

  it('offsets [48, 2] → [24] after booking: exactly one reminder goes, 24 h before; none 48 h or 2 h before', async () => {
    const start = at('2026-12-10T14:00:00-05:00');
    const id = await book('2026-12-10T14:00:00-05:00');
    await patchPolicy({ reminderOffsetsHours: [24] });
    const sent = await timeline([id], candidates([start], [48, 24, 2]));
    expect(sent.get(id)!.map((s) => s.at)).toEqual([iso(start - 24 * HOUR)]);
    const items = (await sms.ofAppointment(id)).filter((s) => s.kind === 'reminder');
    expect(items.map((s) => [s.offsetHours, s.state])).toEqual([[24, 'sent']]);
    expect((await appts.get(id))!.smsReminderOffsets).toEqual([24]);
  });

  it('[48, 2] → [48, 3] after the 48 h reminder went: it is not sent again, the 3 h one goes, the 2 h one does not', async () => {
    const start = at('2026-12-10T14:00:00-05:00');
    const id = await book('2026-12-10T14:00:00-05:00');
    const first = await timeline([id], [start - 48 * HOUR]);
    expect(first.get(id)!.map((s) => s.at)).toEqual([iso(start - 48 * HOUR)]);

    api.clock.set(start - 40 * HOUR);
    await patchPolicy({ reminderOffsetsHours: [48, 3] });
    const items = (await sms.ofAppointment(id)).filter((s) => s.kind === 'reminder');
    expect(items.map((s) => [s.offsetHours, s.state, iso(s.sendAt)])).toEqual([
      [3, 'pending', iso(start - 3 * HOUR)],
      [48, 'sent', iso(start - 48 * HOUR)],
    ]);

    const sent = await timeline([id], candidates([start], [48, 3, 2]));
    expect(sent.get(id)!.map((s) => s.at)).toEqual([iso(start - 3 * HOUR)]);
    expect(sns.commandCalls(PublishCommand).filter((c) => c.args[0].input.Message!.includes('reminder'))).toHaveLength(2);
  });

  it('cancelled and past appointments and another clinic’s are left as they were; a booked one to come is re-planned', async () => {
    const upcoming = await book('2026-12-09T10:00:00-05:00');
    const cancelled = await book('2026-12-09T12:00:00-05:00');
    expect((await api.call('POST', `/v1/appointments/${cancelled}/cancel`, { as: frontdesk(), body: {} })).status).toBe(200);
    // tomorrow 10:00, still booked (nobody checked it in) when the change comes after its start
    const past = await book('2026-12-02T10:00:00-05:00');
    const toronto = await book('2026-12-09T10:00:00-05:00', { clinicId: 'demo-tor' });
    const snapshot = async (id: string) => ({ appointment: await appts.get(id), sms: await sms.ofAppointment(id) });
    const untouched = [cancelled, past, toronto];

    api.clock.set(at('2026-12-02T11:30:00-05:00'));
    const before = await Promise.all(untouched.map(snapshot));
    await patchPolicy({ reminderOffsetsHours: [24], quietHours: { start: '22:00', end: '07:00' } });
    expect(await Promise.all(untouched.map(snapshot))).toEqual(before);
    // the past one's 2 h reminder (its 48 h one had passed at booking) is still pending: not touched either
    expect(before[1]!.sms.filter((s) => s.kind === 'reminder').map((s) => [s.offsetHours, s.state])).toEqual([[2, 'pending']]);

    const items = (await sms.ofAppointment(upcoming)).filter((s) => s.kind === 'reminder');
    expect(items.map((s) => [s.offsetHours, iso(s.sendAt)])).toEqual([[24, iso(at('2026-12-08T10:00:00-05:00'))]]);
  });

  it('quiet hours changed late the evening before: the 2 h reminder whose new time has passed still goes, held to the end of quiet hours', async () => {
    const start = at('2026-12-09T11:00:00-05:00');
    const id = await book('2026-12-09T11:00:00-05:00');
    await timeline([id], [start - 48 * HOUR]);
    api.clock.set(at('2026-12-08T21:30:00-05:00'));
    // 20:59 tonight has passed: the 09:00 reminder stays planned rather than being dropped
    await patchPolicy({ quietHours: { start: '21:00', end: '10:00' } });
    const sent = await timeline([id], [...candidates([start], [2]), at('2026-12-09T10:00:00-05:00'), at('2026-12-09T10:30:00-05:00')]);
    expect(sent.get(id)!.map((s) => s.at)).toHaveLength(1);
    expect(Date.parse(sent.get(id)![0]!.at)).toBeGreaterThanOrEqual(at('2026-12-09T10:00:00-05:00'));
    expect(Date.parse(sent.get(id)![0]!.at)).toBeLessThan(start);
  });

  it('a reminder that went before the appointment moved does not block its offset when the policy plans it again', async () => {
    const first = at('2026-12-04T11:00:00-05:00');
    const id = await book('2026-12-04T11:00:00-05:00');
    expect((await timeline([id], [first - 48 * HOUR])).get(id)!).toHaveLength(1);
    api.clock.set(first - 40 * HOUR);
    await patchPolicy({ reminderOffsetsHours: [2] });
    await move(id, '2026-12-11T11:00:00-05:00');
    await patchPolicy({ reminderOffsetsHours: [48, 2] });
    const start = at('2026-12-11T11:00:00-05:00');
    const sent = await timeline([id], candidates([start], [48, 2]));
    expect(sent.get(id)!.map((s) => s.at)).toEqual([iso(start - 48 * HOUR), iso(start - 2 * HOUR)]);
  });

  it('sending the same change again writes nothing more: the re-plan is idempotent', async () => {
    const id = await book('2026-12-10T14:00:00-05:00');
    await patchPolicy({ reminderOffsetsHours: [24, 3] });
    const once = await sms.ofAppointment(id);
    await patchPolicy({ reminderOffsetsHours: [24, 3] });
    expect(await sms.ofAppointment(id)).toEqual(once);
    expect(once.filter((s) => s.kind === 'reminder').map((s) => s.offsetHours)).toEqual([3, 24]);
  });
});

/** A promise resolved from outside. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

type Cmd = { constructor: { name: string }; input: Record<string, any> };

/**
 * Holds and watches the table calls of the API (tests only): a call matching a `hold` waits for its
 * promise (once; 3 s at most); a call matching a `watch` that succeeds resolves it; `failed` counts held calls
 * that then failed. Returns the undo.
 */
function intercept(rules: {
  hold: Array<{ match: (c: Cmd) => boolean; until: Promise<void>; failed?: { n: number } }>;
  watch: Array<{ match: (c: Cmd) => boolean; then: () => void }>;
}) {
  const doc = api.table.doc as unknown as { send: (c: Cmd, ...rest: unknown[]) => Promise<unknown> };
  const send = doc.send.bind(doc);
  const held = new Set<number>();
  doc.send = async (c: Cmd, ...rest: unknown[]) => {
    const i = rules.hold.findIndex((h, k) => !held.has(k) && h.match(c));
    if (i >= 0) {
      held.add(i);
      // never released (the awaited call did not happen): let it go after a while, the assertions tell
      await Promise.race([rules.hold[i]!.until, new Promise((r) => setTimeout(r, 3_000))]);
    }
    try {
      const res = await send(c, ...rest);
      for (const w of rules.watch) if (w.match(c)) w.then();
      return res;
    } catch (err) {
      if (i >= 0 && rules.hold[i]!.failed) rules.hold[i]!.failed.n++;
      throw err;
    }
  };
  return () => {
    doc.send = send;
  };
}

const isTx = (c: Cmd) => c.constructor.name === 'TransactWriteCommand';
/** The re-plan's transaction of one appointment (AppointmentRepository.replanReminders). */
const replanTx = (id: string) => (c: Cmd) =>
  isTx(c) &&
  c.input.TransactItems[0]?.Update?.UpdateExpression === 'SET smsReminderOffsets = :o' &&
  c.input.TransactItems[0].Update.Key.PK === `APPT#${id}`;
/** A move's transaction of one appointment (its main item put over the version read). */
const moveTx = (id: string) => (c: Cmd) => isTx(c) && c.input.TransactItems[0]?.Put?.Item?.PK === `APPT#${id}`;
/** The re-plan's read of one appointment with its reminders. */
const replanRead = (id: string) => (c: Cmd) =>
  c.constructor.name === 'QueryCommand' &&
  c.input.KeyConditionExpression === 'PK = :pk' &&
  c.input.ExpressionAttributeValues[':pk'] === `APPT#${id}`;
/** The clinic's own item saved by the PATCH. */
const clinicSave = (c: Cmd) => c.constructor.name === 'PutCommand' && c.input.Item?.PK === `CLINIC#${NYC}` && c.input.Item?.SK === 'CLINIC';

describe('a re-plan racing moves of the same appointments', () => {
  it('ends with exactly each moved appointment’s plan under the new offsets: no reminder for an old time or an old offset is ever sent', async () => {
    // Wed Dec 9, every two hours from 09:00, moved to the same hours on Thu Dec 10
    const hours = [9, 11, 13, 15];
    const ids = [];
    for (const h of hours) ids.push(await book(`2026-12-09T${String(h).padStart(2, '0')}:00:00-05:00`));
    const [early, between, rest1, rest2] = ids as [string, string, string, string];
    const target = (h: number) => `2026-12-10T${String(h).padStart(2, '0')}:00:00-05:00`;

    const earlyMoved = deferred();
    const clinicSaved = deferred();
    const betweenRead = deferred();
    const betweenMoved = deferred();
    const betweenReplanFailed = { n: 0 };
    const undo = intercept({
      hold: [
        // `early`: its move commits before the clinic is saved, so with the old offsets: the re-plan must put it right
        { match: clinicSave, until: earlyMoved.promise },
        // `between`: the re-plan reads it, then its move commits, then the re-plan's write is refused and it reads again
        { match: moveTx(between), until: betweenRead.promise },
        { match: replanTx(between), until: betweenMoved.promise, failed: betweenReplanFailed },
      ],
      watch: [
        { match: moveTx(early), then: earlyMoved.resolve },
        { match: clinicSave, then: clinicSaved.resolve },
        { match: replanRead(between), then: betweenRead.resolve },
        { match: moveTx(between), then: betweenMoved.resolve },
      ],
    });
    try {
      await Promise.all([
        patchPolicy({ reminderOffsetsHours: [24] }),
        move(early, target(9)),
        clinicSaved.promise.then(() => move(between, target(11))),
        // the others: moved alongside, in whatever order the race gives
        move(rest1, target(13)),
        move(rest2, target(15)),
      ]);
    } finally {
      undo();
    }
    const oldStarts = hours.map((h) => at(`2026-12-09T${String(h).padStart(2, '0')}:00:00-05:00`));
    const newStarts = hours.map((h) => at(target(h)));
    const sent = await timeline(ids, candidates([...oldStarts, ...newStarts], [48, 24, 2]));
    ids.forEach((id, i) => {
      const mine = sent.get(id)!;
      expect(
        mine.map((s) => s.at),
        id,
      ).toEqual([iso(newStarts[i]! - 24 * HOUR)]);
      expect(mine[0]!.text).toContain(`Thu Dec 10, ${hours[i]! > 12 ? hours[i]! - 12 : hours[i]}:00 ${hours[i]! >= 12 ? 'PM' : 'AM'} EST`);
    });
    // the interleaving asked for did happen: the re-plan's first write of `between` was refused
    expect(betweenReplanFailed.n).toBe(1);
  });
});
