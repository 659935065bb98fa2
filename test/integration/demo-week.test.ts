// The demo week (infra/local/demo-week.ts): `npm start` seeds a third clinic whose last and next
// working days are full, through the services the API uses. Seeding must work whatever the day and
// hour `npm start` runs at (a weekday morning, mid-session, a weekend, late at night, the week
// daylight saving starts), leave each session in the state its time calls for, and never run twice.
import { describe, expect, it } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import { OutboxSmsSender } from '#adapters/sms.ts';
import { createReminderJob } from '#functions/reminders/app.ts';
import { DEMO_WEEK_SIGN_IN, seedDemoWeek, workingDay } from '#infra/local/demo-week.ts';
import { createTestApi, finance, frontdesk } from '#test/helpers/api.ts';

const CHI = 'demo-chi';
const zoneDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(ms);

describe('workingDay', () => {
  it('counts Monday to Friday from today, a weekend day counting from the Monday after', () => {
    expect(workingDay('2026-12-01', 0)).toBe('2026-12-01'); // a Tuesday
    expect(workingDay('2026-12-01', 4)).toBe('2026-12-07');
    expect(workingDay('2026-12-01', -2)).toBe('2026-11-27');
    expect(workingDay('2026-12-05', 0)).toBe('2026-12-07'); // Saturday → Monday
    expect(workingDay('2026-12-06', -1)).toBe('2026-12-04'); // Sunday: the Friday before that Monday
  });
});

describe('the demo week', () => {
  it.each([
    ['a Tuesday before opening', '2026-12-01T12:00:00Z'],
    ['a Tuesday mid-morning, a dosing session under way', '2026-12-01T16:30:00Z'],
    ['a Saturday', '2026-12-05T18:00:00Z'],
    ['late on a Monday night', '2026-12-01T05:30:00Z'],
    ['the Monday after daylight saving began', '2026-03-09T15:00:00Z'],
  ])('is seeded on %s, each session in the state its time calls for, once', async (_when, iso) => {
    const now = Date.parse(iso);
    const api = await createTestApi({ now });
    try {
      const deps = { doc: api.table.doc, tableName: api.table.tableName, clock: api.clock };
      await seedDemoWeek(deps);
      const appointments = (await api.items()).filter((i) => i.type === 'appointment' && i.clinicId === CHI) as unknown as {
        startsAt: number;
        endsAt: number;
        status: string;
        mode: string;
        clientId: string;
        service: string;
      }[];
      expect(appointments).toHaveLength(25);
      for (const a of appointments) {
        if (a.status === 'no_show' || a.status === 'cancelled') continue;
        const expected = a.endsAt <= now ? 'completed' : a.startsAt <= now && a.mode === 'in_person' ? 'checked_in' : 'booked';
        expect(`${a.clientId} ${a.service} ${new Date(a.startsAt).toISOString()} ${a.status}`).toBe(
          `${a.clientId} ${a.service} ${new Date(a.startsAt).toISOString()} ${expected}`,
        );
      }
      expect(appointments.filter((a) => a.status === 'no_show').map((a) => a.clientId)).toEqual(['demo-chi-client-fontaine']);
      expect(appointments.filter((a) => a.status === 'cancelled').map((a) => a.clientId)).toEqual(['demo-chi-client-patel']);

      // tomorrow's dosing session is flagged: the ride home came off the record after it was booked
      const tomorrow = workingDay(workingDay(zoneDate(now), 0), 1);
      const schedule = await api.call('GET', `/v1/clinics/${CHI}/schedule?date=${tomorrow}`, { as: frontdesk(CHI) });
      expect(schedule.status).toBe(200);
      const dosing = schedule.body.appointments.find((a: { service: string }) => a.service === 'exploration');
      expect(dosing).toMatchObject({ client: { id: 'demo-chi-client-nair' } });
      expect(dosing.flags).toContain('ride_home_missing');

      // what took place was paid at the desk
      const invoices = await api.call('GET', '/v1/clients/demo-chi-client-ellis/invoices', { as: finance(CHI) });
      const completed = appointments.filter((a) => a.clientId === 'demo-chi-client-ellis' && a.status === 'completed').length;
      expect(completed).toBeGreaterThan(0);
      const items = invoices.body as { status: string }[];
      expect(items.filter((i) => i.status === 'paid')).toHaveLength(completed);

      // the server's reminder job then runs: every SMS the bookings queued was decided in its time
      // (no consent: skipped), none is left to be dead-lettered as too late
      const job = createReminderJob({
        ...deps,
        logger: new Logger({ serviceName: 'test', logLevel: 'CRITICAL' }),
        sender: new OutboxSmsSender(() => api.clock.now()),
        options: { ratePerSecond: 1000, rescheduleHint: 'call us' },
      });
      const run = await job.run({ budgetMs: 20_000 });
      expect(run.deadLettered).toBe(0);
      expect(run.sent).toEqual([]);
      const sms = (await api.items()).filter((i) => typeof i.SK === 'string' && i.SK.startsWith('SMS#'));
      expect(sms.length).toBeGreaterThan(0);
      expect(sms.filter((i) => i.state === 'dead')).toEqual([]);
      expect((await api.items()).filter((i) => i.type === 'sms_dead_letter')).toEqual([]);

      // the clients the local sign-in offers exist
      for (const c of DEMO_WEEK_SIGN_IN) {
        expect((await api.call('GET', `/v1/clients/${c.id}`, { as: frontdesk(CHI) })).body).toMatchObject({ id: c.id, clinicId: CHI });
      }

      const before = (await api.items()).length;
      await seedDemoWeek(deps);
      expect((await api.items()).length).toBe(before);
    } finally {
      await api.close();
    }
  });
});
