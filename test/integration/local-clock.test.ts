// The local dev clock (POST /v1/dev/clock): every service of `npm start` reads one clock that can
// be moved to the day of an appointment, so a demo can record a no-show; tokens and rate limits
// keep real time; { now: null } returns to real time.
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { startLocalServer, type LocalServer } from '#infra/local/server.ts';
import { callLocal } from '#test/helpers/local-http.ts';

let server: LocalServer;

beforeAll(async () => {
  process.env.LOG_LEVEL = 'ERROR';
  server = await startLocalServer({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `clock_${randomUUID().slice(0, 8)}`,
    port: 0,
    log: () => undefined,
    reminderIntervalMs: 0,
  });
});
afterAll(async () => server?.close());

const call = (method: string, path: string, body?: unknown, token?: string) => callLocal(server.url, method, path, body, token);

/** A front-desk token of demo-nyc and a client it created (no SMS consent). */
async function deskAndClient(firstName: string, phone: string) {
  const desk = (await call('POST', '/v1/dev/token', { role: 'frontdesk', clinicId: 'demo-nyc' })).json.token as string;
  const client = await call(
    'POST',
    '/v1/clients',
    {
      clinicId: 'demo-nyc',
      firstName,
      lastName: 'Ck',
      email: `${firstName.toLowerCase()}.${randomUUID().slice(0, 6)}@example.com`,
      phone,
      dateOfBirth: '1990-01-01',
      smsConsent: false,
    },
    desk,
  );
  expect(client.status).toBe(201);
  return { desk, client };
}

describe('POST /v1/dev/clock', () => {
  it('moves every service to the day of an appointment, and back to real time', async () => {
    const { desk, client } = await deskAndClient('Clo', '+12125550166');
    // a Wednesday 11:00 in New York, three weeks or so from today
    const start = DateTime.now()
      .setZone('America/New_York')
      .plus({ weeks: 3 })
      .set({ weekday: 3, hour: 11, minute: 0, second: 0, millisecond: 0 });
    const booked = await call(
      'POST',
      '/v1/appointments',
      {
        clientId: client.json.id,
        clinicId: 'demo-nyc',
        service: 'preparation',
        providerId: 'demo-nyc-ther-2',
        startsAt: start.toISO(),
        mode: 'telehealth',
      },
      desk,
    );
    expect(booked.status).toBe(201);
    const noShow = () => call('POST', `/v1/appointments/${booked.json.id}/no-show`, {}, desk);
    expect((await noShow()).status).toBe(409); // it has not started yet

    const moved = await call('POST', '/v1/dev/clock', { now: start.plus({ minutes: 20 }).toISO() });
    expect(moved.status).toBe(200);
    expect(moved.json.shifted).toBe(true);
    expect(Math.abs(Date.parse(moved.json.now) - start.plus({ minutes: 20 }).toMillis())).toBeLessThan(5_000);
    // the token minted before the move still works (tokens keep real time)
    expect((await noShow()).json.status).toBe('no_show');

    const back = await call('POST', '/v1/dev/clock', { now: null });
    expect(back.json.shifted).toBe(false);
    expect(Math.abs(Date.parse(back.json.now) - Date.now())).toBeLessThan(5_000);
    expect((await call('GET', '/v1/dev/clock')).json.shifted).toBe(false);
  });

  it('a payment Stripe reports while the clock is moved is dated by it, as the invoice (signatures keep real time)', async () => {
    const { desk, client } = await deskAndClient('Pay', '+12125550167');
    const ahead = DateTime.now().setZone('America/New_York').plus({ days: 10 }).set({ hour: 9, minute: 30, second: 0, millisecond: 0 });
    expect((await call('POST', '/v1/dev/clock', { now: ahead.toISO() })).status).toBe(200);
    try {
      const programs = (await call('GET', '/v1/clinics/demo-nyc/programs')).json as Array<{ id: string }>;
      const bought = await call(
        'POST',
        '/v1/packages',
        { clientId: client.json.id, programId: programs[0]!.id, payment: 'pay_in_full' },
        desk,
      );
      expect(bought.status, JSON.stringify(bought.json)).toBe(201);
      const paid = await call('POST', `/v1/dev/checkout/${bought.json.checkoutSessionId}/complete`, { outcome: 'paid' });
      expect(paid.status).toBe(200);
      const pkg = await call('GET', `/v1/packages/${bought.json.package.id}`, undefined, desk);
      expect(pkg.json.status).toBe('active');
      expect(pkg.json.payments[0].at.slice(0, 10)).toBe(ahead.toISODate());
      const invoice = await call('GET', `/v1/invoices/${pkg.json.invoiceId}`, undefined, desk);
      expect(invoice.json.payments[0].at.slice(0, 10)).toBe(ahead.toISODate());
      expect(invoice.json.issuedAt.slice(0, 10)).toBe(ahead.toISODate());
    } finally {
      await call('POST', '/v1/dev/clock', { now: null });
    }
  });

  it('refuses what is not an instant with an offset, or null', async () => {
    for (const now of ['2027-01-01', 'tomorrow', 42]) {
      const res = await call('POST', '/v1/dev/clock', { now });
      expect([res.status, res.json.error.details[0].path]).toEqual([400, 'now']);
    }
  });
});
