// The SMS helpers of `npm start` over HTTP: a booking's confirmation reaches the outbox by itself
// (the server runs the job after the change), POST /v1/dev/reminders/run sends what is due at a
// given `now`, GET /v1/dev/outbox lists it oldest first, and the local opt-out list is honoured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { localSmsRatePerSecond, startLocalServer, type LocalServer } from '#infra/local/server.ts';
import { callLocal } from '#test/helpers/local-http.ts';

let server: LocalServer;

beforeAll(async () => {
  process.env.LOG_LEVEL = 'ERROR'; // the job's per-run lines are noise here (this file runs in its own process)
  server = await startLocalServer({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `sms_${randomUUID().slice(0, 8)}`,
    port: 0,
    log: () => undefined,
  });
});
afterAll(async () => server?.close());

const call = (method: string, path: string, body?: unknown, tokenValue?: string) => callLocal(server.url, method, path, body, tokenValue);

type Outbox = Array<{ to: string; body: string; sentAt: string; appointmentId: string; kind: string }>;

async function outboxFor(appointmentId: string): Promise<Outbox> {
  const res = await call('GET', '/v1/dev/outbox');
  expect(res.status).toBe(200);
  return (res.json as Outbox).filter((e) => e.appointmentId === appointmentId);
}

describe('local SMS', () => {
  it('confirmation at once, reminders on a run for a given now, opt-out honoured', async () => {
    const fd = (await call('POST', '/v1/dev/token', { role: 'frontdesk', clinicId: 'demo-nyc' })).json.token as string;
    const signUp = async (phone: string) =>
      (
        await call(
          'POST',
          '/v1/clients',
          {
            clinicId: 'demo-nyc',
            firstName: 'Local',
            lastName: 'Tester',
            email: `t.${randomUUID().slice(0, 6)}@example.com`,
            phone,
            dateOfBirth: '1990-01-01',
            smsConsent: true,
          },
          fd,
        )
      ).json.id as string;
    // a Tuesday 10:00 in New York, two weeks or so from today
    const start = DateTime.now()
      .setZone('America/New_York')
      .plus({ weeks: 2 })
      .set({ weekday: 2, hour: 10, minute: 0, second: 0, millisecond: 0 });
    const book = async (clientId: string, at: DateTime) => {
      const res = await call(
        'POST',
        '/v1/appointments',
        {
          clientId,
          clinicId: 'demo-nyc',
          service: 'intake',
          providerId: 'demo-nyc-ther-1',
          startsAt: at.toISO({ suppressMilliseconds: true }),
          mode: 'telehealth',
        },
        fd,
      );
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      return res.json.id as string;
    };

    const clientId = await signUp('+12125550142');
    const id = await book(clientId, start);
    let entries: Outbox = [];
    for (let i = 0; i < 50 && entries.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      entries = await outboxFor(id);
    }
    expect(entries).toEqual([
      {
        to: '+12125550142',
        body: expect.stringContaining('is confirmed, by video'),
        sentAt: expect.any(String),
        appointmentId: id,
        kind: 'confirmation',
      },
    ]);

    const twoHoursBefore = start.minus({ hours: 2 }).toUTC().toISO()!;
    const run = await call('POST', '/v1/dev/reminders/run', { now: twoHoursBefore });
    expect(run.status).toBe(200);
    // 48 h and 2 h are both due at that `now`: only the latest goes, the 48 h one is superseded
    expect(run.json.sent.filter((s: { appointmentId: string }) => s.appointmentId === id)).toHaveLength(1);
    expect(
      run.json.skipped.filter((s: { appointmentId: string }) => s.appointmentId === id).map((s: { reason: string }) => s.reason),
    ).toEqual(['superseded_by_later_reminder']);
    entries = await outboxFor(id);
    expect(entries.map((e) => e.kind)).toEqual(['confirmation', 'reminder']);
    // the outbox says when the run sent it: at the run's `now`, as its answer does, in the clinic's
    // zone with its offset (as the API gives times)
    const sentAt = start.minus({ hours: 2 }).toISO({ suppressMilliseconds: true })!;
    expect(sentAt).toMatch(/-0[45]:00$/);
    expect(entries[1]!.sentAt).toBe(sentAt);
    expect(run.json.sent.find((s: { appointmentId: string }) => s.appointmentId === id).sentAt).toBe(sentAt);
    expect(entries[0]!.sentAt).toMatch(/-0[45]:00$/);
    expect((await call('POST', '/v1/dev/reminders/run', { now: twoHoursBefore })).json.sent).toEqual([]);

    // a number on the local opt-out list gets nothing
    expect((await call('POST', '/v1/dev/sms/opt-outs', { phone: '+12125550143' })).status).toBe(200);
    const other = await book(await signUp('+12125550143'), start.plus({ hours: 3 }));
    // (the server may already have run the job after the booking: either run skips it)
    expect((await call('POST', '/v1/dev/reminders/run', {})).status).toBe(200);
    expect((await call('POST', '/v1/dev/reminders/run', { now: start.toUTC().toISO() })).status).toBe(200);
    expect(await outboxFor(other)).toEqual([]);

    expect((await call('POST', '/v1/dev/reminders/run', { now: 'tomorrow' })).status).toBe(400);

    // quick changes: one notice each, in order, in the outbox by themselves
    const quick = await book(await signUp('+12125550144'), start.plus({ days: 1 }));
    for (const hours of [1, 2]) {
      const to = start.plus({ days: 1, hours }).toISO({ suppressMilliseconds: true });
      expect((await call('POST', `/v1/appointments/${quick}/reschedule`, { startsAt: to }, fd)).status).toBe(200);
    }
    expect((await call('POST', `/v1/appointments/${quick}/cancel`, {}, fd)).status).toBe(200);
    for (let i = 0; i < 50 && entries.length < 4; i++) {
      await new Promise((r) => setTimeout(r, 100));
      entries = await outboxFor(quick);
    }
    expect(entries.map((e) => e.kind)).toEqual(['confirmation', 'moved', 'moved', 'cancelled']);
  });

  it('drains into the outbox at 100 SMS a second unless SMS_RATE_PER_SECOND is set', () => {
    expect(localSmsRatePerSecond({}, 1)).toBe(100);
    expect(localSmsRatePerSecond({ SMS_RATE_PER_SECOND: '1' }, 1)).toBe(1);
  });
});
