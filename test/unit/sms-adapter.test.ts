// The SNS sender (aws-sdk-client-mock): what it publishes and how SNS's errors are read — whether
// a failed send may have gone out decides between a retry and a dead letter. And the rate limiter
// that spaces sends.
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  InternalErrorException,
  InvalidParameterException,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { OutboxSmsSender, SmsSendError } from '#adapters/sms.ts';
import { classifySnsError, SnsSmsSender } from '#adapters/sns-sms.ts';
import { RateLimiter, type Timer } from '#services/reminder-job.ts';

const sns = mockClient(SNSClient);
afterEach(() => sns.reset());
const client = () => new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const meta = { appointmentId: 'apt_1', kind: 'reminder' as const };

describe('SnsSmsSender', () => {
  it('publishes to the number as Transactional, with the sender id and origination number when set', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const sender = new SnsSmsSender(client(), { senderId: 'Kapstone', originationNumber: '+18005550100' });
    expect(await sender.send('+12125550123', 'text', meta)).toEqual({ messageId: 'm-1' });
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input).toEqual({
      PhoneNumber: '+12125550123',
      Message: 'text',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'Kapstone' },
        'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+18005550100' },
      },
    });
    expect(input.TopicArn).toBeUndefined();
  });

  it('asks SNS whether a number opted out', async () => {
    sns.on(CheckIfPhoneNumberIsOptedOutCommand, { phoneNumber: '+12125550123' }).resolves({ isOptedOut: true });
    sns.on(CheckIfPhoneNumberIsOptedOutCommand, { phoneNumber: '+12125550124' }).resolves({ isOptedOut: false });
    const sender = new SnsSmsSender(client());
    expect(await sender.isOptedOut('+12125550123')).toBe(true);
    expect(await sender.isOptedOut('+12125550124')).toBe(false);
  });

  it.each([
    ['throttling', new ThrottledException({ message: 'slow down', $metadata: { httpStatusCode: 400 } }), 'retry'],
    ['a 429', Object.assign(new Error('x'), { name: 'Whatever', $metadata: { httpStatusCode: 429 } }), 'retry'],
    ['its 5xx', new InternalErrorException({ message: 'boom', $metadata: { httpStatusCode: 500 } }), 'retry'],
    ['an invalid number', new InvalidParameterException({ message: 'bad number', $metadata: { httpStatusCode: 400 } }), 'permanent'],
    ['no answer', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }), 'unknown'],
  ])('maps %s to %s', async (_what, err, outcome) => {
    sns.on(PublishCommand).rejects(err);
    const failure = await new SnsSmsSender(client()).send('+12125550123', 'text', meta).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SmsSendError);
    expect((failure as SmsSendError).outcome).toBe(outcome);
    expect(classifySnsError(err).outcome).toBe(outcome);
  });

  it('an opt-out check that fails is retried later, never read as "not opted out"', async () => {
    sns.on(CheckIfPhoneNumberIsOptedOutCommand).rejects(Object.assign(new Error('x'), { name: 'TimeoutError' }));
    await expect(new SnsSmsSender(client()).isOptedOut('+12125550123')).rejects.toMatchObject({ outcome: 'retry' });
  });
});

describe('OutboxSmsSender', () => {
  it('keeps what was sent, oldest first, and plays the opt-out list', async () => {
    let now = Date.parse('2026-12-01T12:00:00Z');
    const outbox = new OutboxSmsSender(() => now, 2);
    await outbox.send('+1', 'a', meta);
    now += 1000;
    await outbox.send('+2', 'b', { appointmentId: 'apt_2', kind: 'confirmation' });
    await outbox.send('+3', 'c', meta);
    expect(outbox.list().map((e) => [e.to, e.body, e.sentAt, e.kind])).toEqual([
      ['+2', 'b', '2026-12-01T12:00:01.000Z', 'confirmation'],
      ['+3', 'c', '2026-12-01T12:00:01.000Z', 'reminder'],
    ]);
    // in the clinic's zone when the job names it, with its offset
    await outbox.send('+4', 'd', { ...meta, at: Date.parse('2026-12-01T12:00:00Z'), timezone: 'America/New_York' });
    expect(outbox.list().at(-1)?.sentAt).toBe('2026-12-01T07:00:00-05:00');
    outbox.optOut('+2');
    expect(await outbox.isOptedOut('+2')).toBe(true);
    outbox.optOut('+2', false);
    expect(await outbox.isOptedOut('+2')).toBe(false);
  });
});

describe('RateLimiter', () => {
  it('spaces concurrent takers at the rate and refuses a slot past the deadline', async () => {
    let t = 0;
    // sleeping moves the clock to the end of the sleep (the takers wake in order)
    const timer: Timer = { now: () => t, sleep: async (ms) => void (t = Math.max(t, t + ms)) };
    const limiter = new RateLimiter(4, timer);
    // reservations happen synchronously, in call order, whatever the concurrency
    const res = await Promise.all(Array.from({ length: 10 }, () => limiter.take(2_000)));
    expect(res.filter(Boolean)).toHaveLength(9); // slots 0, 250, …, 2000; the tenth would be 2250
    t = 50_000;
    expect(await limiter.take(60_000)).toBe(true);
    expect(() => new RateLimiter(0, timer)).toThrow(RangeError);
  });

  it('sends never crowd more than the rate into any second: not after a late timer, not with slow claims', async () => {
    // a discrete-event clock: each sleep wakes at its end; the first one 300 ms late (a busy event loop)
    let t = 0;
    const wakes: Array<{ at: number; wake: () => void }> = [];
    let late = 300;
    const timer: Timer = {
      now: () => t,
      sleep: (ms) =>
        new Promise<void>((wake) => {
          wakes.push({ at: t + ms + late, wake });
          late = 0;
        }),
    };
    const limiter = new RateLimiter(10, timer);
    const sent: number[] = [];
    // what runs between a slot and its send (the claim) takes 0–90 ms, longer for the earlier ones
    const takers = Array.from({ length: 60 }, async (_, i) => {
      if (!(await limiter.take(100_000))) return;
      await timer.sleep(90 - ((i * 37) % 91));
      await limiter.sending();
      sent.push(t);
    });
    // run the clock: wake the earliest sleeper, let its taker go on, until all are done
    for (let guard = 0; guard < 100_000 && sent.length < 60; guard++) {
      await new Promise((r) => setImmediate(r));
      wakes.sort((a, b) => a.at - b.at);
      const next = wakes.shift();
      if (!next) continue;
      t = Math.max(t, next.at);
      next.wake();
    }
    await Promise.all(takers);
    expect(sent).toHaveLength(60);
    const inAnySecond = Math.max(...sent.map((from) => sent.filter((x) => x >= from && x < from + 1000).length));
    expect(inAnySecond).toBeLessThanOrEqual(10);
    // and the cap is still reached: 60 sends take about 6 s, not much more
    expect(Math.max(...sent) - Math.min(...sent)).toBeLessThan(6_500);
  });
});
