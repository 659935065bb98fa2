// SMS reminders and notices end to end on DynamoDB Local, SNS mocked (aws-sdk-client-mock): the
// plan written with the booking, moved with it, dropped with it; the job sending each SMS once,
// under overlap, throttling, failures, a crash between send and mark, opt-outs and the rate cap.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  InternalErrorException,
  PublishCommand,
  SNSClient,
  ThrottledException,
  type PublishCommandInput,
} from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { SnsSmsSender } from '#adapters/sns-sms.ts';
import { keys } from '#db/keys.ts';
import { SmsRepository, type SmsRecord } from '#db/sms-repo.ts';
import { deniedWordsIn } from '#domain/sms.ts';
import { appointmentCondition } from '#domain/sms-decision.ts';
import { createReminderJob } from '#functions/reminders/app.ts';
import type { ReminderJob, ReminderJobOptions, RunResult, Timer } from '#services/reminder-job.ts';
import { admin, asClient, createTestApi, DEFAULT_NOW, frontdesk, signUp, type TestApi } from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const THER = 'demo-nyc-ther-1';
const MIN = 60_000;
const HOUR = 60 * MIN;

const sns = mockClient(SNSClient);
const logger = new Logger({ serviceName: 'test', logLevel: 'CRITICAL' as 'ERROR' });
let api: TestApi;
let repo: SmsRepository;

beforeAll(async () => {
  api = await createTestApi();
  repo = new SmsRepository(api.table.doc, api.table.tableName);
});
afterAll(async () => api.close());

/** Messages published so far, as the mock saw them. */
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
let messageN = 0;

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).callsFake(() => ({ MessageId: `m-${++messageN}` }));
  sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolves({ isOptedOut: false });
  api.clock.set(DEFAULT_NOW);
});
afterEach(() => sns.reset());

function job(options: Partial<ReminderJobOptions> = {}, timer?: Timer): ReminderJob {
  return createReminderJob({
    doc: api.table.doc,
    tableName: api.table.tableName,
    clock: api.clock,
    logger,
    sender: new SnsSmsSender(new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), {
      originationNumber: '+18005550100',
    }),
    options: { ratePerSecond: 1000, rescheduleHint: 'call 212-555-0100', ...options },
    ...(timer ? { timer } : {}),
  });
}

let phoneN = 1000;
/** A consenting client with a number of its own (so that sends can be told apart). */
async function client(overrides: Record<string, unknown> = {}) {
  const phone = `+1212555${String(++phoneN).padStart(4, '0')}`;
  const id = await signUp(api, { phone, ...overrides });
  return { id, phone };
}

async function book(clientId: string, startsAt: string, service = 'intake', mode = 'telehealth', as: 'frontdesk' | 'client' = 'frontdesk') {
  const res = await api.call('POST', '/v1/appointments', {
    as: as === 'client' ? asClient(clientId) : frontdesk(),
    body: { clientId, clinicId: NYC, service, providerId: THER, startsAt, mode },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const at = (iso: string) => Date.parse(iso);
const sentTo = (phone: string) => published().filter((p) => p.PhoneNumber === phone);
const reminders = async (id: string) => (await repo.ofAppointment(id)).filter((s) => s.kind === 'reminder');

describe('planning with the appointment', () => {
  it('plans the 48 h and 2 h reminders on the wall clock, the 2 h one moved out of quiet hours', async () => {
    const { id: clientId } = await client();
    // Fri 09:00 New York: 48 h before is Wed 09:00; 2 h before is 07:00, in quiet hours
    // (21:00–08:00), so it goes at 20:59 the evening before.
    const id = await book(clientId, '2026-12-04T09:00:00-05:00');
    const items = await repo.ofAppointment(id);
    const plan = items.filter((s) => s.kind === 'reminder').map((s) => [s.offsetHours, new Date(s.sendAt).toISOString(), s.state]);
    expect(plan.sort()).toEqual(
      [
        [2, '2026-12-04T01:59:00.000Z', 'pending'],
        [48, '2026-12-02T14:00:00.000Z', 'pending'],
      ].sort(),
    );
    const notice = items.find((s) => s.kind === 'confirmation');
    expect(notice).toMatchObject({ state: 'pending', sendAt: DEFAULT_NOW, apptVersion: 1 });
  });

  it('across the fall-back change 48 h before is the same wall-clock time, and a reminder already past is not planned', async () => {
    api.clock.set(at('2026-10-30T12:00:00Z'));
    const { id: clientId } = await client();
    // Mon Nov 2 10:00 EST; DST ended Sun Nov 1: 48 h on the wall clock is Sat Oct 31 10:00 EDT
    const id = await book(clientId, '2026-11-02T10:00:00-05:00');
    const plan = (await reminders(id)).map((s) => new Date(s.sendAt).toISOString()).sort();
    expect(plan).toEqual(['2026-10-31T14:00:00.000Z', '2026-11-02T13:00:00.000Z']);

    api.clock.set(at('2026-12-01T12:00:00Z'));
    // tomorrow 10:00: 48 h before has passed, only the 2 h one
    const soon = await book(clientId, '2026-12-02T10:00:00-05:00', 'ongoing_care');
    expect((await reminders(soon)).map((s) => s.offsetHours)).toEqual([2]);
  });
});

describe('sending', () => {
  it("a clinic's SMS name (smsName, an extension) is what its SMS say; removed, they say the name again", async () => {
    const { id: clientId, phone } = await client();
    const named = await api.call('PATCH', `/v1/clinics/${NYC}`, { as: admin, body: { smsName: 'Hudson' } });
    expect([named.status, named.body.smsName]).toEqual([200, 'Hudson']);
    try {
      const id = await book(clientId, '2026-12-08T09:00:00-05:00', 'intake', 'in_person');
      expect((await job().run()).sent.filter((s) => s.appointmentId === id).map((s) => s.kind)).toEqual(['confirmation']);
      expect(sentTo(phone)[0]!.Message).toMatch(/^Hudson: your appointment on Tue Dec 8, 9:00 AM EST is confirmed/);
    } finally {
      const removed = await api.call('PATCH', `/v1/clinics/${NYC}`, { as: admin, body: { smsName: null } });
      expect([removed.status, removed.body.smsName]).toEqual([200, null]);
    }
  });

  it('sends the confirmation at once and each reminder at its time, once, in neutral words', async () => {
    const { id: clientId, phone } = await client({ firstName: 'Zelda', lastName: 'Quixote' });
    // Mon Dec 7 09:00: 48 h before is Sat 09:00 EST (14:00Z); 2 h before falls in quiet hours → Sun 20:59
    const id = await book(clientId, '2026-12-07T09:00:00-05:00', 'intake', 'in_person');
    const j = job();
    const mine = (r: { sent: Array<{ appointmentId: string; kind: string }> }) =>
      r.sent.filter((s) => s.appointmentId === id).map((s) => s.kind);

    expect(mine(await j.run())).toEqual(['confirmation']);
    let msgs = sentTo(phone);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.Message).toContain('Hudson Wellness (demo): your appointment on Mon Dec 7, 9:00 AM EST is confirmed, at the clinic');
    expect(msgs[0]!.MessageAttributes?.['AWS.SNS.SMS.SMSType']).toEqual({ DataType: 'String', StringValue: 'Transactional' });
    expect(msgs[0]!.MessageAttributes?.['AWS.MM.SMS.OriginationNumber']?.StringValue).toBe('+18005550100');

    // one minute before the 48 h reminder: nothing; at it: the reminder; again: nothing
    expect(mine(await j.run({ now: at('2026-12-05T13:59:00Z') }))).toEqual([]);
    expect(mine(await j.run({ now: at('2026-12-05T14:00:00Z') }))).toEqual(['reminder']);
    expect(mine(await j.run({ now: at('2026-12-05T14:05:00Z') }))).toEqual([]);
    expect(mine(await j.run({ now: at('2026-12-07T01:58:00Z') }))).toEqual([]);
    expect(mine(await j.run({ now: at('2026-12-07T01:59:00Z') }))).toEqual(['reminder']);

    msgs = sentTo(phone);
    expect(msgs).toHaveLength(3);
    for (const m of msgs) {
      expect(deniedWordsIn(m.Message!)).toEqual([]);
      expect(m.Message).not.toMatch(/Zelda|Quixote|1985/);
    }
    expect((await repo.ofAppointment(id)).every((s) => s.state === 'sent' && s.GSI1SK === undefined)).toBe(true);
  });

  it('after an outage only the latest due reminder goes: never the same text twice in a row', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-09T11:00:00-05:00');
    const j = job();
    await j.run(); // the confirmation
    // the job was down from before the 48 h reminder until after the 2 h one
    const r = await j.run({ now: at('2026-12-09T09:30:00-05:00') });
    expect(r.sent.filter((s) => s.appointmentId === id).map((s) => s.kind)).toEqual(['reminder']);
    expect(r.skipped.filter((s) => s.appointmentId === id)).toEqual([
      { appointmentId: id, kind: 'reminder', reason: 'superseded_by_later_reminder' },
    ]);
    expect(sentTo(phone).filter((m) => m.Message?.includes('reminder'))).toHaveLength(1);
    const states = (await reminders(id)).map((s) => [s.offsetHours, s.state]).sort();
    expect(states).toEqual([
      [2, 'sent'],
      [48, 'skipped'],
    ]);
  });

  it('an exploration reminder asks for a ride home', async () => {
    // straight into the items: the course-of-care rules are not the subject here
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-07T13:00:00-05:00', 'ongoing_care');
    await setAppointment(id, { service: 'exploration', mode: 'in_person' });
    await job().run({ now: at('2026-12-07T16:00:00Z') });
    const reminder = sentTo(phone).find((p) => p.Message?.includes('reminder'));
    expect(reminder?.Message).toContain('arrange for someone to take you home');
  });

  it('two overlapping runs send every due SMS exactly once', async () => {
    const booked: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { id: clientId } = await client();
      booked.push(await book(clientId, `2026-12-08T${10 + i}:00:00-05:00`));
    }
    const [a, b] = [job(), job()];
    // at the 48 h reminders of them all, with the confirmations still due too
    const now = at('2026-12-06T20:00:00Z');
    const [ra, rb] = await Promise.all([a.run({ now }), b.run({ now })]);
    const sent = [...ra.sent, ...rb.sent].filter((s) => booked.includes(s.appointmentId));
    expect(sent).toHaveLength(12);
    const publishedHere = published().filter((p) =>
      booked.some((id) => sent.some((s) => s.appointmentId === id && s.to === p.PhoneNumber)),
    );
    expect(publishedHere).toHaveLength(12);
    expect(new Set(sent.map((s) => `${s.appointmentId}/${s.kind}`)).size).toBe(12);
    // and a third run, retried, sends nothing more
    expect((await a.run({ now })).sent).toEqual([]);
  });
});

describe('moves, cancels and status changes between planning and sending', () => {
  it('a move replaces the plan: nothing for the old time, the moved notice and the new reminders go', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-09T10:00:00-05:00');
    const res = await api.call('POST', `/v1/appointments/${id}/reschedule`, {
      as: asClient(clientId),
      body: { startsAt: '2026-12-10T14:00:00-05:00' },
    });
    expect(res.status).toBe(200);

    const plan = (await reminders(id)).map((s) => [s.offsetHours, new Date(s.sendAt).toISOString(), s.apptVersion]);
    expect(plan.sort()).toEqual([
      [2, '2026-12-10T17:00:00.000Z', 2],
      [48, '2026-12-08T19:00:00.000Z', 2],
    ]);

    const j = job();
    const first = await j.run();
    // each change sends its own notice, in order, even though the move came before the job ran:
    // the confirmation of the old time, then the move's notice naming both times
    expect(first.sent.filter((s) => s.appointmentId === id).map((s) => s.kind)).toEqual(['confirmation', 'moved']);
    expect(first.skipped.filter((s) => s.appointmentId === id)).toEqual([]);
    expect(sentTo(phone)[0]!.Message).toContain('on Wed Dec 9, 10:00 AM EST is confirmed');
    expect(sentTo(phone)[1]!.Message).toContain('on Wed Dec 9, 10:00 AM EST has moved to Thu Dec 10, 2:00 PM EST');

    // in time order: the old 48 h time (nothing), the new one, the old 2 h time (nothing), the new one
    const mine = async (iso: string) => (await j.run({ now: at(iso) })).sent.filter((s) => s.appointmentId === id);
    expect(await mine('2026-12-07T15:00:00Z')).toEqual([]);
    expect(await mine('2026-12-08T19:00:00Z')).toHaveLength(1);
    expect(await mine('2026-12-09T13:00:00Z')).toEqual([]);
    expect(await mine('2026-12-10T17:00:00Z')).toHaveLength(1);
    const texts = sentTo(phone).map((m) => m.Message!);
    expect(texts).toHaveLength(4);
    expect(texts.slice(1).every((t) => t.includes('Thu Dec 10, 2:00 PM EST'))).toBe(true);
  });

  it('a move whose new reminder lands on the same quiet-hours minute: what a run read of the old plan cannot touch the new one', async () => {
    const { id: clientId, phone } = await client();
    // 09:00 → 09:30: the 2 h reminders (07:00, 07:30) both go at 20:59 the evening before
    const id = await book(clientId, '2026-12-23T09:00:00-05:00');
    const old = (await reminders(id)).find((r) => r.offsetHours === 2)!;
    expect(
      (await api.call('POST', `/v1/appointments/${id}/reschedule`, { as: frontdesk(), body: { startsAt: '2026-12-23T09:30:00-05:00' } }))
        .status,
    ).toBe(200);
    const fresh = (await reminders(id)).find((r) => r.offsetHours === 2)!;
    expect(fresh.sendAt).toBe(old.sendAt);
    // a run that read the old item finds it superseded and marks it skipped: no effect on the new one
    expect(await repo.markSkipped(old, 'superseded', old.sendAt)).toBe(false);
    expect(await repo.claim(old, { claimId: 'x', leaseUntil: old.sendAt + HOUR, appointment: appointmentCondition(old) })).toBe('lost');
    const run = await job().run({ now: old.sendAt });
    // both reminders of the new plan are due by then: the 48 h one is superseded by the 2 h one
    expect(
      run.sent
        .filter((s) => s.appointmentId === id)
        .map((s) => s.kind)
        .sort(),
    ).toEqual(['confirmation', 'moved', 'reminder']);
    // (the confirmation of the old time, never sent before the move, still goes: each change sends its notice)
    expect(
      run.skipped
        .filter((s) => s.appointmentId === id)
        .map((s) => `${s.kind}:${s.reason}`)
        .sort(),
    ).toEqual(['reminder:superseded_by_later_reminder']);
    expect(
      sentTo(phone)
        .filter((m) => m.Message!.includes('reminder'))
        .every((m) => m.Message!.includes('9:30 AM EST')),
    ).toBe(true);
  });

  it('a cancel drops the plan in the same write and sends one cancelled notice, after the confirmation', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-11T11:00:00-05:00');
    const res = await api.call('POST', `/v1/appointments/${id}/cancel`, { as: asClient(clientId), body: {} });
    expect(res.status).toBe(200);
    expect(await reminders(id)).toEqual([]);

    const j = job();
    const run = await j.run();
    expect(run.sent.filter((s) => s.appointmentId === id).map((s) => s.kind)).toEqual(['confirmation', 'cancelled']);
    expect(sentTo(phone)[1]!.Message).toContain('Fri Dec 11, 11:00 AM EST is cancelled');
    for (const now of ['2026-12-09T16:00:00Z', '2026-12-11T14:00:00Z', '2026-12-12T00:00:00Z']) await j.run({ now: at(now) });
    expect(sentTo(phone)).toHaveLength(2);
  });

  it('a notice refused for now holds back the next change’s notice: the client never gets them out of order', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2027-01-20T10:00:00-05:00');
    const moved = await api.call('POST', `/v1/appointments/${id}/reschedule`, {
      as: frontdesk(),
      body: { startsAt: '2027-01-20T12:00:00-05:00' },
    });
    expect(moved.status).toBe(200);
    const throttled = () => new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    sns.on(PublishCommand, { PhoneNumber: phone }).rejectsOnce(throttled()).resolves({ MessageId: 'later' });
    const first = await job().run();
    // the confirmation was refused for now: the move's notice did not overtake it
    expect(first.sent.filter((s) => s.appointmentId === id)).toEqual([]);
    // a run before the confirmation's retry is due still holds the move's notice back
    const between = await job().run({ now: DEFAULT_NOW + 30_000 });
    expect(between.sent.filter((s) => s.appointmentId === id)).toEqual([]);
    const later = await job().run({ now: DEFAULT_NOW + 2 * MIN });
    expect(later.sent.filter((s) => s.appointmentId === id).map((s) => s.kind)).toEqual(['confirmation', 'moved']);
    expect(
      sentTo(phone)
        .slice(-2)
        .map((m) => m.Message),
    ).toEqual([expect.stringContaining('10:00 AM EST is confirmed'), expect.stringContaining('has moved to Wed Jan 20, 12:00 PM EST')]);
  });

  it('quick changes before the job runs: one notice per change, in order, each with its own times', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-15T10:00:00-05:00');
    for (const startsAt of ['2026-12-15T11:00:00-05:00', '2026-12-15T12:00:00-05:00']) {
      expect((await api.call('POST', `/v1/appointments/${id}/reschedule`, { as: frontdesk(), body: { startsAt } })).status).toBe(200);
    }
    expect((await api.call('POST', `/v1/appointments/${id}/cancel`, { as: frontdesk(), body: {} })).status).toBe(200);
    const run = await job({ concurrency: 4 }).run();
    expect(run.sent.filter((s) => s.appointmentId === id).map((s) => s.kind)).toEqual(['confirmation', 'moved', 'moved', 'cancelled']);
    expect(sentTo(phone).map((m) => m.Message)).toEqual([
      expect.stringContaining('on Tue Dec 15, 10:00 AM EST is confirmed'),
      expect.stringContaining('on Tue Dec 15, 10:00 AM EST has moved to Tue Dec 15, 11:00 AM EST'),
      expect.stringContaining('on Tue Dec 15, 11:00 AM EST has moved to Tue Dec 15, 12:00 PM EST'),
      expect.stringContaining('on Tue Dec 15, 12:00 PM EST is cancelled'),
    ]);
  });

  it('a no-show or a check-in drops what was still pending: nothing more goes', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-02T15:00:00-05:00');
    await job().run(); // the confirmation
    expect(sentTo(phone)).toHaveLength(1);
    api.clock.set(at('2026-12-02T20:10:00Z'));
    expect((await api.call('POST', `/v1/appointments/${id}/no-show`, { as: frontdesk() })).status).toBe(200);
    expect(await reminders(id)).toEqual([]);
    await job().run({ now: at('2026-12-02T20:15:00Z') });
    expect(sentTo(phone)).toHaveLength(1);

    const { id: other, phone: otherPhone } = await client();
    const id2 = await book(other, '2026-12-03T10:00:00-05:00', 'intake', 'in_person');
    api.clock.set(at('2026-12-03T14:50:00Z'));
    expect((await api.call('POST', `/v1/appointments/${id2}/check-in`, { as: frontdesk() })).status).toBe(200);
    expect(await reminders(id2)).toEqual([]);
    await job().run();
    // its confirmation is superseded by the check-in, and no reminder is left
    expect(sentTo(otherPhone)).toEqual([]);
  });

  it('a reminder for an appointment cancelled after it was read is not sent (the claim re-checks)', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-14T10:00:00-05:00');
    await job().run();
    const [reminder] = (await reminders(id)).filter((r) => r.offsetHours === 48);
    await api.call('POST', `/v1/appointments/${id}/cancel`, { as: asClient(clientId), body: {} });
    // the item as a run read it before the cancel (the plan item is gone now, so the claim fails)
    const outcome = await repo.claim(reminder!, {
      claimId: 'c',
      leaseUntil: DEFAULT_NOW + HOUR,
      appointment: appointmentCondition(reminder!),
    });
    expect(outcome).not.toBe('claimed');
    await job().run({ now: at('2026-12-12T15:00:00Z') });
    expect(sentTo(phone).map((m) => m.Message)).toEqual([expect.stringContaining('confirmed'), expect.stringContaining('cancelled')]);
  });
});

describe('consent and opt-out', () => {
  it('nothing to a client without consent; recorded as skipped', async () => {
    const { id: clientId, phone } = await client({ smsConsent: false });
    const id = await book(clientId, '2026-12-15T10:00:00-05:00');
    const run = await job().run();
    expect(sentTo(phone)).toEqual([]);
    expect(run.skipped).toContainEqual({ appointmentId: id, kind: 'confirmation', reason: 'no_consent' });
  });

  it('nothing to a stored number that is not a valid US or Canadian one; recorded as skipped', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-15T14:00:00-05:00');
    // a number stored before the rules changed (the API refuses it today): no area code 555
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await api.table.doc.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: keys.client(clientId),
        UpdateExpression: 'SET phone = :p',
        ExpressionAttributeValues: { ':p': '+15555550100' },
      }),
    );
    const run = await job().run();
    expect(sentTo(phone)).toEqual([]);
    expect(sentTo('+15555550100')).toEqual([]);
    expect(run.skipped).toContainEqual({ appointmentId: id, kind: 'confirmation', reason: 'no_valid_number' });
  });

  it('nothing to a number SNS says opted out, nor to one on our own opt-out list', async () => {
    const { id: clientId, phone } = await client();
    sns.on(CheckIfPhoneNumberIsOptedOutCommand, { phoneNumber: phone }).resolves({ isOptedOut: true });
    const id = await book(clientId, '2026-12-15T11:00:00-05:00');
    const run = await job().run();
    expect(sentTo(phone)).toEqual([]);
    expect(run.skipped).toContainEqual({ appointmentId: id, kind: 'confirmation', reason: 'opted_out' });
    expect((await repo.ofAppointment(id)).find((s) => s.kind === 'confirmation')).toMatchObject({
      state: 'skipped',
      skipReason: 'opted_out',
    });

    const other = await client();
    await repo.setOptOut(other.phone, true, DEFAULT_NOW);
    const id2 = await book(other.id, '2026-12-15T12:00:00-05:00');
    const run2 = await job().run();
    expect(sentTo(other.phone)).toEqual([]);
    expect(run2.skipped).toContainEqual({ appointmentId: id2, kind: 'confirmation', reason: 'opted_out' });
  });
});

describe('failures', () => {
  it('throttling is retried with backoff and then sent once', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-16T10:00:00-05:00');
    const throttled = () => new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    sns.on(PublishCommand, { PhoneNumber: phone }).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ MessageId: 'finally' });
    const j = job();
    let run = await j.run();
    expect(run.retried).toBe(1);
    let notice = (await repo.ofAppointment(id)).find((s) => s.kind === 'confirmation')!;
    expect(notice).toMatchObject({ state: 'pending', attempts: 1, dueAt: DEFAULT_NOW + MIN, lastError: 'ThrottledException' });
    expect((await j.run({ now: DEFAULT_NOW + 30_000 })).retried).toBe(0); // not due yet
    run = await j.run({ now: DEFAULT_NOW + MIN });
    expect(run.retried).toBe(1);
    notice = (await repo.ofAppointment(id)).find((s) => s.kind === 'confirmation')!;
    expect(notice.dueAt).toBe(DEFAULT_NOW + MIN + 2 * MIN);
    run = await j.run({ now: DEFAULT_NOW + 3 * MIN });
    expect(run.sent.map((s) => s.messageId)).toEqual(['finally']);
    expect(sentTo(phone)).toHaveLength(3);
    expect((await j.run({ now: DEFAULT_NOW + HOUR })).sent.filter((s) => s.appointmentId === id)).toEqual([]);
  });

  it('a retried reminder never goes in quiet hours: it waits for their end', async () => {
    const { id: clientId, phone } = await client();
    // Tue Dec 22 09:00: the 2 h reminder (07:00, quiet) is planned at 20:59 on Mon Dec 21
    const id = await book(clientId, '2026-12-22T09:00:00-05:00');
    const planned = (await reminders(id)).find((r) => r.offsetHours === 2)!;
    expect(new Date(planned.sendAt).toISOString()).toBe('2026-12-22T01:59:00.000Z');
    // the third SMS to this number (the 2 h reminder, after the confirmation and the 48 h one) is throttled once
    let n = 0;
    sns.on(PublishCommand, { PhoneNumber: phone }).callsFake(() => {
      n += 1;
      if (n === 3) throw new ThrottledException({ message: 'slow', $metadata: { httpStatusCode: 400 } });
      return { MessageId: `q-${n}` };
    });
    await job().run({ now: planned.sendAt - MIN }); // the confirmation and the 48 h reminder
    expect(sentTo(phone)).toHaveLength(2);
    const j = job();
    expect((await j.run({ now: planned.sendAt })).retried).toBeGreaterThanOrEqual(1);
    // due again at 21:00 local, in quiet hours: put off to 08:00, not sent
    const quiet = await j.run({ now: planned.sendAt + MIN });
    expect(quiet.sent.filter((s) => s.appointmentId === id)).toEqual([]);
    const waiting = (await reminders(id)).find((r) => r.offsetHours === 2)!;
    expect(new Date(waiting.dueAt).toISOString()).toBe('2026-12-22T13:00:00.000Z');
    expect(waiting.attempts).toBe(1);
    const morning = await j.run({ now: at('2026-12-22T13:00:00Z') });
    expect(morning.sent.filter((s) => s.appointmentId === id).map((s) => s.kind)).toEqual(['reminder']);
  });

  it('a failure that persists ends in a dead-letter record after the last attempt', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-16T11:00:00-05:00');
    sns
      .on(PublishCommand, { PhoneNumber: phone })
      .rejects(new InternalErrorException({ message: 'boom', $metadata: { httpStatusCode: 500 } }));
    const j = job({ maxAttempts: 3 });
    let now = DEFAULT_NOW;
    for (let i = 0; i < 5; i++) {
      await j.run({ now });
      now += HOUR;
    }
    expect(sentTo(phone)).toHaveLength(3);
    const notice = (await repo.ofAppointment(id)).find((s) => s.kind === 'confirmation')!;
    expect(notice).toMatchObject({ state: 'dead', attempts: 3 });
    expect(notice.GSI1SK).toBeUndefined();
    const letters = (await repo.deadLetters()).filter((d) => d.appointmentId === id);
    expect(letters).toEqual([
      expect.objectContaining({ kind: 'confirmation', reason: 'failed', attempts: 3, lastError: 'InternalErrorException' }),
    ]);
  });

  it('an invalid number SNS refuses is dead-lettered at once, not retried', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-16T12:00:00-05:00');
    const err = Object.assign(new Error('Invalid parameter: PhoneNumber'), {
      name: 'InvalidParameterException',
      $metadata: { httpStatusCode: 400 },
    });
    sns.on(PublishCommand, { PhoneNumber: phone }).rejects(err);
    const run = await job().run();
    expect(run.deadLettered).toBeGreaterThanOrEqual(1);
    expect((await repo.deadLetters()).filter((d) => d.appointmentId === id)).toEqual([expect.objectContaining({ reason: 'refused' })]);
  });

  it('a crash between send and mark: never sent again, dead-lettered as outcome_unknown after the lease', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-17T10:00:00-05:00');
    // the run "dies" after SNS took the message: the mark never lands
    const crashing = job();
    const realMark = crashing.sms.markSent.bind(crashing.sms);
    crashing.sms.markSent = async () => {
      throw new Error('process killed');
    };
    await crashing.run();
    crashing.sms.markSent = realMark;
    expect(sentTo(phone)).toHaveLength(1);
    const claimed = (await repo.ofAppointment(id)).find((s) => s.kind === 'confirmation')!;
    expect(claimed.state).toBe('sending');

    // a retried or overlapping run inside the lease: not even looked at
    expect((await job().run({ now: DEFAULT_NOW + MIN })).sent.filter((s) => s.appointmentId === id)).toEqual([]);
    // after the lease: not resent; dead-lettered for an operator (alarm)
    const after = await job().run({ now: DEFAULT_NOW + 10 * MIN });
    expect(after.sent.filter((s) => s.appointmentId === id)).toEqual([]);
    expect(sentTo(phone)).toHaveLength(1);
    expect((await repo.deadLetters()).filter((d) => d.appointmentId === id)).toEqual([
      expect.objectContaining({ reason: 'outcome_unknown' }),
    ]);
    expect((await job().run({ now: DEFAULT_NOW + HOUR })).sent.filter((s) => s.appointmentId === id)).toEqual([]);
  });

  it('a send with no answer from SNS is not retried (it may have gone out)', async () => {
    const { id: clientId, phone } = await client();
    const id = await book(clientId, '2026-12-17T11:00:00-05:00');
    sns.on(PublishCommand, { PhoneNumber: phone }).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    await job().run();
    await job().run({ now: DEFAULT_NOW + HOUR });
    expect(sentTo(phone)).toHaveLength(1);
    expect((await repo.deadLetters()).filter((d) => d.appointmentId === id)).toEqual([
      expect.objectContaining({ reason: 'outcome_unknown' }),
    ]);
  });
});

describe('rate cap', () => {
  it('a burst drains at the configured rate, none lost, the rest left for the next run', async () => {
    // a simulated clock for elapsed time: sleeping advances it
    let t = 0;
    const timer: Timer = { now: () => t, sleep: async (ms) => void (t = Math.max(t, t + ms)) };
    const phones = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const c = await client();
      phones.add(c.phone);
      await book(c.id, `2026-12-${i < 8 ? 18 : 21}T${String(9 + (i % 8)).padStart(2, '0')}:00:00-05:00`);
    }
    const times: number[] = [];
    sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      if (phones.has(input.PhoneNumber!)) times.push(t);
      return { MessageId: `r-${times.length}` };
    });
    const j = job({ ratePerSecond: 2, concurrency: 1 }, timer);
    // 10 confirmations due (plus what earlier tests left), 3 s of budget: about 6 go now
    const first = await j.run({ budgetMs: 3_000 });
    expect(first.remaining).toBe(true);
    let rest = await j.run({ budgetMs: 60_000 });
    while (rest.remaining) rest = await j.run({ budgetMs: 60_000 });
    expect(times).toHaveLength(10);
    const perSecond = new Map<number, number>();
    for (const s of times) perSecond.set(Math.floor(s / 1000), (perSecond.get(Math.floor(s / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(2);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(500);
    expect(new Set(sentTo([...phones][0]!).map((p) => p.Message)).size).toBe(1);
  });
});

describe('daily notice cap', () => {
  // a cap of 10 here (the default, SMS_DAILY_NOTICE_CAP, is 50), unless a test says otherwise
  const CAP = 10;
  const NY_DAY = '2026-12-01'; // DEFAULT_NOW is 07:00 in New York
  const of = (runs: RunResult[], ids: string[]) => ({
    sent: runs.flatMap((r) => r.sent).filter((s) => ids.includes(s.appointmentId)).length,
    capped: runs.flatMap((r) => r.skipped).filter((s) => ids.includes(s.appointmentId) && s.reason === 'daily_cap').length,
  });
  const statesOf = async (ids: string[]) =>
    (await Promise.all(ids.map((id) => repo.ofAppointment(id))))
      .flat()
      .map((s) => (s.state === 'skipped' ? `skipped:${s.skipReason}` : s.state))
      .sort();
  const expected = (sent: number, capped: number) => [...Array(sent).fill('sent'), ...Array(capped).fill('skipped:daily_cap')].sort();

  it('15 notices for one client in a day: exactly the cap goes, the rest are recorded as skipped daily_cap; another client is unaffected', async () => {
    const a = await client();
    const b = await client();
    const mineA = await notices(a.id, 15);
    const mineB = await notices(b.id, 3);
    const run = await job({ dailyNoticeCap: CAP }).run();
    expect(of([run], mineA)).toEqual({ sent: CAP, capped: 5 });
    expect(of([run], mineB)).toEqual({ sent: 3, capped: 0 });
    expect(sentTo(a.phone)).toHaveLength(CAP);
    expect(sentTo(b.phone)).toHaveLength(3);
    expect(await statesOf(mineA)).toEqual(expected(CAP, 5));
    // the skipped ones left the due index: not looked at again
    const skipped = (await Promise.all(mineA.map((id) => repo.ofAppointment(id)))).flat().filter((s) => s.state === 'skipped');
    expect(skipped.every((s) => s.GSI1SK === undefined)).toBe(true);
    expect(await repo.dailyCount(a.id, NY_DAY)).toBe(CAP);
    expect(await repo.dailyCount(b.id, NY_DAY)).toBe(3);
    expect(
      (await job({ dailyNoticeCap: CAP }).run({ now: DEFAULT_NOW + MIN })).sent.filter((s) => mineA.includes(s.appointmentId)),
    ).toEqual([]);
  });

  it('reminders are not capped: one due the same day still goes after the cap is reached', async () => {
    const c = await client();
    const capped = await notices(c.id, CAP + 1);
    // a reminder at 13:00 New York for a 15:00 appointment, planned without a notice
    const [withReminder] = await notices(c.id, 1, { notice: false, reminderAt: at('2026-12-01T18:00:00Z') });
    await job({ dailyNoticeCap: CAP }).run();
    expect(await repo.dailyCount(c.id, NY_DAY)).toBe(CAP);
    expect(await statesOf(capped)).toEqual(expected(CAP, 1));
    const run = await job({ dailyNoticeCap: CAP }).run({ now: at('2026-12-01T18:00:00Z') });
    expect(run.sent.filter((s) => s.appointmentId === withReminder).map((s) => s.kind)).toEqual(['reminder']);
    expect(sentTo(c.phone)).toHaveLength(CAP + 1);
    expect(await repo.dailyCount(c.id, NY_DAY)).toBe(CAP);
  });

  it('the day is the clinic-local one: still capped at 23:30 in New York (already the next day in UTC), sent again after midnight there', async () => {
    const c = await client();
    const morning = await notices(c.id, 12);
    expect(of([await job({ dailyNoticeCap: CAP }).run()], morning)).toEqual({ sent: CAP, capped: 2 });
    const evening = await notices(c.id, 2);
    // 2026-12-02T04:30Z is 23:30 on Dec 1 in New York
    expect(of([await job({ dailyNoticeCap: CAP }).run({ now: at('2026-12-02T04:30:00Z') })], evening)).toEqual({ sent: 0, capped: 2 });
    const nextDay = await notices(c.id, 3);
    // 05:00Z is midnight in New York: a new clinic-local day
    expect(of([await job({ dailyNoticeCap: CAP }).run({ now: at('2026-12-02T05:00:00Z') })], nextDay)).toEqual({ sent: 3, capped: 0 });
    expect(sentTo(c.phone)).toHaveLength(CAP + 3);
    expect(await repo.dailyCount(c.id, NY_DAY)).toBe(CAP);
    expect(await repo.dailyCount(c.id, '2026-12-02')).toBe(3);
  });

  it('two concurrent job runs over the same due notices still send exactly the cap', async () => {
    const d = await client();
    const ids = await notices(d.id, 15);
    const [ra, rb] = await Promise.all([job({ dailyNoticeCap: CAP }).run(), job({ dailyNoticeCap: CAP }).run()]);
    // an item whose claim met the other run's write is left pending for the next run: drain it
    const rc = await job({ dailyNoticeCap: CAP }).run();
    expect(of([ra, rb, rc], ids)).toEqual({ sent: CAP, capped: 5 });
    const sent = [ra, rb, rc].flatMap((r) => r.sent).filter((s) => ids.includes(s.appointmentId));
    expect(new Set(sent.map((s) => s.appointmentId)).size).toBe(CAP);
    expect(sentTo(d.phone)).toHaveLength(CAP);
    expect(await statesOf(ids)).toEqual(expected(CAP, 5));
    expect(await repo.dailyCount(d.id, NY_DAY)).toBe(CAP);
  });

  it('claims racing past the read of the count: the counter condition in the claim transaction alone holds the cap', async () => {
    const e = await client();
    const ids = await notices(e.id, 6);
    const items = (await Promise.all(ids.map((id) => repo.ofAppointment(id)))).flat();
    const outcomes = await Promise.all(
      items.map((s, i) =>
        repo.claim(s, {
          claimId: `cap-${i}`,
          leaseUntil: DEFAULT_NOW + HOUR,
          appointment: appointmentCondition(s),
          dailyCap: { day: NY_DAY, cap: 4 },
        }),
      ),
    );
    expect(outcomes.filter((o) => o === 'claimed')).toHaveLength(4);
    expect(outcomes.filter((o) => o === 'daily_cap')).toHaveLength(2);
    expect(await repo.dailyCount(e.id, NY_DAY)).toBe(4);
    // a refused claim changed nothing: the SMS is still pending on its index entry
    const refused = items.filter((_, i) => outcomes[i] === 'daily_cap');
    for (const s of refused) expect(await repo.get(s)).toMatchObject({ state: 'pending', GSI1SK: s.GSI1SK });
    // tidy up, so that later runs of this file do not pick these up
    await Promise.all(
      items.map((s, i) =>
        outcomes[i] === 'claimed' ? repo.markSent(s, `cap-${i}`, DEFAULT_NOW, 'x') : repo.markSkipped(s, 'daily_cap', DEFAULT_NOW),
      ),
    );
  });

  it('a notice given back for a retry keeps its slot: counted once, however many attempts', async () => {
    const f = await client();
    const [id] = await notices(f.id, 1);
    const throttled = () => new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    sns.on(PublishCommand, { PhoneNumber: f.phone }).rejectsOnce(throttled()).resolves({ MessageId: 'at-last' });
    const j = job({ dailyNoticeCap: CAP });
    expect((await j.run()).retried).toBeGreaterThanOrEqual(1);
    expect(await repo.get({ PK: `APPT#${id}`, SK: 'SMS#NOTICE#000001' })).toMatchObject({ state: 'pending', capDay: NY_DAY, attempts: 1 });
    expect(await repo.dailyCount(f.id, NY_DAY)).toBe(1);
    const run = await j.run({ now: DEFAULT_NOW + MIN });
    expect(run.sent.filter((s) => s.appointmentId === id).map((s) => s.messageId)).toEqual(['at-last']);
    expect(await repo.dailyCount(f.id, NY_DAY)).toBe(1);
  });

  it('a client booking and cancelling in a loop gets no more than the cap of notices a day', async () => {
    const g = await client();
    const j = job({ dailyNoticeCap: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await book(g.id, '2026-12-29T14:00:00-05:00', 'intake', 'telehealth', 'client');
      ids.push(id);
      await j.run();
      expect((await api.call('POST', `/v1/appointments/${id}/cancel`, { as: asClient(g.id), body: {} })).status).toBe(200);
      await j.run();
    }
    expect(sentTo(g.phone).map((m) => (m.Message!.includes('cancelled') ? 'cancelled' : 'confirmed'))).toEqual([
      'confirmed',
      'cancelled',
      'confirmed',
    ]);
    expect(await statesOf(ids)).toEqual([...Array(3).fill('sent'), ...Array(3).fill('skipped:daily_cap')].sort());

    // what the clinic changes is not capped: the client hears of the front desk's booking and move
    const byDesk = await book(g.id, '2026-12-30T14:00:00-05:00');
    const moved = await api.call('POST', `/v1/appointments/${byDesk}/reschedule`, {
      as: frontdesk(),
      body: { startsAt: '2026-12-30T15:00:00-05:00' },
    });
    expect(moved.status).toBe(200);
    expect((await j.run()).sent.filter((m) => m.appointmentId === byDesk).map((m) => m.kind)).toEqual(['confirmation', 'moved']);
    expect(await repo.dailyCount(g.id, '2026-12-01')).toBe(3);
  });
});

describe('transaction size', () => {
  it('the worst move (180 min, every lock moved, 5 old and 5 new offsets, a notice) commits in one transaction', async () => {
    const { AppointmentRepository } = await import('#db/appointment-repo.ts');
    const { ClinicRepository } = await import('#db/clinic-repo.ts');
    const { smsPlanWrite } = await import('#db/sms-repo.ts');
    const appts = new AppointmentRepository(api.table.doc, api.table.tableName);
    const clinic = await new ClinicRepository(api.table.doc, api.table.tableName).require(NYC);
    const { id: clientId } = await client();
    const start = at('2027-01-11T15:00:00Z');
    const before = {
      id: 'apt_worst',
      clinicId: NYC,
      clientId,
      providerId: THER,
      roomId: 'demo-nyc-room-d1',
      service: 'exploration' as const,
      mode: 'in_person' as const,
      startsAt: start,
      endsAt: start + 3 * HOUR,
      status: 'booked' as const,
      createdAt: DEFAULT_NOW,
      updatedAt: DEFAULT_NOW,
      version: 1,
      smsReminderOffsets: [1, 2, 3, 4, 5],
    };
    const oldPlan = before.smsReminderOffsets.map((o) => ({ offsetHours: o, sendAt: start - o * HOUR }));
    await appts.create(
      before,
      { expectClinicId: NYC },
      undefined,
      smsPlanWrite({ after: before, plan: oldPlan, previousOffsets: [], notice: { kind: 'confirmation', now: DEFAULT_NOW } }),
    );
    const movedStart = start + 2 * 24 * HOUR;
    const after = { ...before, startsAt: movedStart, endsAt: movedStart + 3 * HOUR, version: 2, smsReminderOffsets: [24, 48, 72, 96, 120] };
    const newPlan = after.smsReminderOffsets.map((o) => ({ offsetHours: o, sendAt: movedStart - o * HOUR }));
    const sms = smsPlanWrite({
      after,
      plan: newPlan,
      previousOffsets: before.smsReminderOffsets,
      notice: { kind: 'moved', now: DEFAULT_NOW, previousStartsAt: start },
    });
    expect(sms.puts.length + sms.deletes.length).toBe(11);
    await appts.replace(before, after, { expectClinicId: NYC, expectClinicVersion: { clinicId: NYC, version: clinic.version } }, { sms });
    const items = await repo.ofAppointment('apt_worst');
    expect(
      items
        .filter((i) => i.kind === 'reminder')
        .map((i) => i.offsetHours)
        .sort((a, b) => a! - b!),
    ).toEqual([24, 48, 72, 96, 120]);
    expect(
      items
        .filter((i) => i.kind !== 'reminder')
        .map((i) => i.kind)
        .sort(),
    ).toEqual(['confirmation', 'moved']);
  });
});

let capSeq = 0;
/**
 * `n` booked appointments of one client, each with a confirmation notice due at DEFAULT_NOW (and,
 * with `reminderAt`, a 2 h reminder then), written straight into the table as a booking writes
 * them: a loop of bookings through the API would meet the course-of-care rules, not the subject.
 */
async function notices(clientId: string, n: number, opts: { notice?: boolean; reminderAt?: number } = {}): Promise<string[]> {
  const { AppointmentRepository } = await import('#db/appointment-repo.ts');
  const { smsPlanWrite } = await import('#db/sms-repo.ts');
  const appts = new AppointmentRepository(api.table.doc, api.table.tableName);
  return Promise.all(
    Array.from({ length: n }, async () => {
      const seq = ++capSeq;
      // each its own provider and hour: no lock in common with any other test
      const startsAt = opts.reminderAt === undefined ? at('2027-03-01T15:00:00Z') + seq * HOUR : opts.reminderAt + 2 * HOUR;
      const a = {
        id: `apt_cap_${seq}`,
        clinicId: NYC,
        clientId,
        providerId: `cap-provider-${seq}`,
        roomId: null,
        service: 'ongoing_care' as const,
        mode: 'telehealth' as const,
        startsAt,
        endsAt: startsAt + HOUR,
        status: 'booked' as const,
        createdAt: DEFAULT_NOW,
        updatedAt: DEFAULT_NOW,
        version: 1,
        smsReminderOffsets: opts.reminderAt === undefined ? [] : [2],
      };
      const plan = opts.reminderAt === undefined ? [] : [{ offsetHours: 2, sendAt: opts.reminderAt }];
      const notice = opts.notice === false ? {} : { notice: { kind: 'confirmation' as const, now: DEFAULT_NOW } };
      await appts.create(a, { expectClinicId: NYC }, undefined, smsPlanWrite({ after: a, plan, previousOffsets: [], ...notice }));
      return a.id;
    }),
  );
}

/** Changes an appointment item in place (tests only). */
async function setAppointment(id: string, fields: Record<string, unknown>) {
  const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  const names = Object.fromEntries(Object.keys(fields).map((k, i) => [`#f${i}`, k]));
  const values = Object.fromEntries(Object.values(fields).map((v, i) => [`:v${i}`, v]));
  await api.table.doc.send(
    new UpdateCommand({
      TableName: api.table.tableName,
      Key: { PK: `APPT#${id}`, SK: 'APPT' },
      UpdateExpression: `SET ${Object.keys(fields)
        .map((_, i) => `#f${i} = :v${i}`)
        .join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}

export type { SmsRecord };
