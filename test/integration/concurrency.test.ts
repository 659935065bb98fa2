// Double booking must be impossible whatever the concurrency (docs/domain.md, "No double booking: slot locks"): these
// fire many bookings at DynamoDB Local at once and count what got through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, asClient, clinician, createTestApi, frontdesk, signUp, type Reply, type TestApi } from '#test/helpers/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => api.close());

const NYC = 'demo-nyc';

function tally(replies: Reply[]) {
  const created = replies.filter((r) => r.status === 201);
  const refused = replies.filter((r) => r.status === 409 && r.body.error.code === 'slot_unavailable');
  return { created, refused, other: replies.filter((r) => !created.includes(r) && !refused.includes(r)) };
}

function clients(n: number, clinicId = NYC): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, () => signUp(api, { clinicId, rideHome: { name: 'Ride', phone: '+12125550100' } })));
}

/** A video preparation session with demo-nyc's first therapist, booked by the front desk. */
const videoPreparation = (clientId: string, startsAt: string) =>
  api.call('POST', '/v1/appointments', {
    as: frontdesk(),
    body: { clinicId: NYC, clientId, providerId: 'demo-nyc-ther-1', service: 'preparation', mode: 'telehealth', startsAt },
  });

describe('one therapist slot', () => {
  it('50 parallel bookings give exactly one success, five times over', async () => {
    const people = await clients(50);
    for (const day of ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11']) {
      const startsAt = `${day}T11:00:00-05:00`;
      const replies = await Promise.all(
        people.map((clientId) =>
          api.call('POST', '/v1/appointments', {
            as: frontdesk(),
            body: { clinicId: NYC, clientId, providerId: 'demo-nyc-ther-1', service: 'preparation', mode: 'telehealth', startsAt },
          }),
        ),
      );
      const { created, refused, other } = tally(replies);
      expect(other.map((r) => r.status)).toEqual([]);
      expect(created).toHaveLength(1);
      expect(refused).toHaveLength(49);
      const day_ = await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as: frontdesk(), query: { date: day } });
      expect(day_.body.appointments.filter((a: { providerId: string }) => a.providerId === 'demo-nyc-ther-1')).toHaveLength(1);
    }
  }, 180_000);

  it('overlapping but different starts race too: one wins', async () => {
    const people = await clients(12);
    const starts = ['09:00', '09:15', '09:30', '09:45'];
    const replies = await Promise.all(
      people.map((clientId, i) =>
        api.call('POST', '/v1/appointments', {
          as: frontdesk(),
          body: {
            clinicId: NYC,
            clientId,
            providerId: 'demo-nyc-ther-1',
            service: 'preparation',
            mode: 'telehealth',
            startsAt: `2026-12-14T${starts[i % 4]}:00-05:00`,
          },
        }),
      ),
    );
    const { created, other } = tally(replies);
    expect(other).toEqual([]);
    expect(created).toHaveLength(1);
  });
});

describe('one client', () => {
  it('a client racing itself across two therapists gets exactly one appointment', async () => {
    for (const day of ['2026-12-15', '2026-12-16', '2026-12-17']) {
      const [clientId] = await clients(1);
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.call('POST', '/v1/appointments', {
            as: asClient(clientId!),
            body: {
              clinicId: NYC,
              clientId,
              providerId: i % 2 === 0 ? 'demo-nyc-ther-1' : 'demo-nyc-ther-2',
              service: 'preparation',
              mode: 'telehealth',
              startsAt: `${day}T13:00:00-05:00`,
            },
          }),
        ),
      );
      const { created, other } = tally(replies);
      expect(other).toEqual([]);
      expect(created).toHaveLength(1);
      const mine = await api.call('GET', `/v1/clients/${clientId}/appointments`, { as: asClient(clientId!) });
      expect(mine.body).toHaveLength(1);
    }
  });
});

describe('rooms', () => {
  it('one therapy room, many therapists: exactly one in-person session gets it', async () => {
    const clinic = await api.call('POST', '/v1/clinics', {
      as: admin,
      body: { name: 'Race clinic', timezone: 'America/Chicago', currency: 'USD', country: 'US' },
    });
    const clinicId = clinic.body.id as string;
    const room = await api.call('POST', `/v1/clinics/${clinicId}/rooms`, { as: admin, body: { name: 'Only room', kind: 'therapy' } });
    expect(room.status).toBe(201);
    const therapists: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await api.call('POST', `/v1/clinics/${clinicId}/providers`, {
        as: admin,
        body: {
          name: `T${i}`,
          role: 'therapist',
          credentials: 'LCSW',
          telehealth: true,
          weeklyHours: [{ day: 'mon', start: '09:00', end: '17:00' }],
        },
      });
      therapists.push(res.body.id);
    }
    const people = await clients(8, clinicId);
    for (const startsAt of ['2026-12-07T10:00:00-06:00', '2026-12-14T10:00:00-06:00', '2026-12-21T10:00:00-06:00']) {
      const replies = await Promise.all(
        therapists.map((providerId, i) =>
          api.call('POST', '/v1/appointments', {
            as: admin,
            body: { clinicId, clientId: people[i], providerId, service: 'preparation', mode: 'in_person', startsAt },
          }),
        ),
      );
      const { created, other } = tally(replies);
      expect(other).toEqual([]);
      expect(created).toHaveLength(1);
      expect(created[0]!.body.roomId).toBe(room.body.id);
    }
  });

  it('two dosing rooms, three therapists: exactly two explorations at once', async () => {
    const people = await clients(3);
    // make each ready for an exploration: intake done, cleared, two preparations booked
    for (const [i, clientId] of people.entries()) {
      await api.call('POST', `/v1/clients/${clientId}/clearance`, {
        as: clinician(),
        body: { status: 'cleared', screenedFor: ['hypertension'] },
      });
      const days = ['2026-12-01', '2026-12-02', '2026-12-03'];
      const services = ['intake', 'preparation', 'preparation'];
      for (const [j, day] of days.entries()) {
        const res = await api.call('POST', '/v1/appointments', {
          as: frontdesk(),
          body: {
            clinicId: NYC,
            clientId,
            providerId: 'demo-nyc-presc-1',
            service: services[j],
            mode: 'telehealth',
            startsAt: `${day}T${String(8 + i).padStart(2, '0')}:00:00-05:00`,
          },
        });
        // the prescriber does not run therapy sessions: book those with the two therapists by video
        if (res.status !== 201) {
          const retry = await api.call('POST', '/v1/appointments', {
            as: frontdesk(),
            body: {
              clinicId: NYC,
              clientId,
              providerId: i % 2 ? 'demo-nyc-ther-2' : 'demo-nyc-ther-1',
              service: services[j],
              mode: 'telehealth',
              startsAt: `2026-12-2${j + 1}T${String(10 + i * 2).padStart(2, '0')}:00:00-05:00`,
            },
          });
          expect(retry.status).toBe(201);
        }
      }
    }
    // a third therapist for the race
    const third = await api.call('POST', `/v1/clinics/${NYC}/providers`, {
      as: admin,
      body: {
        name: 'Third Therapist',
        role: 'therapist',
        credentials: 'LMFT',
        telehealth: false,
        weeklyHours: [{ day: 'tue', start: '09:00', end: '17:00' }],
      },
    });
    const providers = ['demo-nyc-ther-1', 'demo-nyc-ther-2', third.body.id];
    const replies = await Promise.all(
      people.map((clientId, i) =>
        api.call('POST', '/v1/appointments', {
          as: frontdesk(),
          body: {
            clinicId: NYC,
            clientId,
            providerId: providers[i],
            service: 'exploration',
            mode: 'in_person',
            startsAt: '2026-12-29T13:00:00-05:00',
          },
        }),
      ),
    );
    const { created, refused, other } = tally(replies);
    expect(other.map((r) => r.body)).toEqual([]);
    expect(created).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(new Set(created.map((r) => r.body.roomId))).toEqual(new Set(['demo-nyc-room-d1', 'demo-nyc-room-d2']));
  });
});

describe('moving under contention', () => {
  it('a move and a booking racing for the same time: one wins, the loser changes nothing', async () => {
    const [a, b] = await clients(2);
    const first = await api.call('POST', '/v1/appointments', {
      as: frontdesk(),
      body: {
        clinicId: NYC,
        clientId: a,
        providerId: 'demo-nyc-ther-2',
        service: 'preparation',
        mode: 'telehealth',
        startsAt: '2026-12-30T10:00:00-05:00',
      },
    });
    const id = first.body.id;
    const [move, book] = await Promise.all([
      api.call('POST', `/v1/appointments/${id}/reschedule`, { as: frontdesk(), body: { startsAt: '2026-12-30T14:00:00-05:00' } }),
      api.call('POST', '/v1/appointments', {
        as: frontdesk(),
        body: {
          clinicId: NYC,
          clientId: b,
          providerId: 'demo-nyc-ther-2',
          service: 'preparation',
          mode: 'telehealth',
          startsAt: '2026-12-30T14:00:00-05:00',
        },
      }),
    ]);
    // exactly one of them got the 14:00 slot
    expect([move.status === 200, book.status === 201].filter(Boolean)).toHaveLength(1);
    expect(move.status === 409 || book.status === 409).toBe(true);
    const after = await api.call('GET', `/v1/appointments/${id}`, { as: frontdesk() });
    expect(after.body.startsAt).toBe(move.status === 200 ? '2026-12-30T14:00:00-05:00' : '2026-12-30T10:00:00-05:00');
    // whichever lost, the old 10:00 time is free exactly when the move won
    const probe = await api.call('POST', '/v1/appointments', {
      as: frontdesk(),
      body: {
        clinicId: NYC,
        clientId: b,
        providerId: 'demo-nyc-ther-2',
        service: 'preparation',
        mode: 'telehealth',
        startsAt: '2026-12-30T10:00:00-05:00',
      },
    });
    expect(probe.status).toBe(move.status === 200 ? 201 : 409);
  });

  it('the same move sent eight times at once moves once and sends one "moved" SMS, never one from a time to itself (the losers answer 200 too)', async () => {
    for (const [day, from, to_] of [
      ['2027-01-05', '09', '11'],
      ['2027-01-05', '13', '15'],
      ['2027-01-06', '09', '11'],
      ['2027-01-06', '13', '15'],
      ['2027-01-07', '09', '11'],
      ['2027-01-07', '13', '15'],
    ] as const) {
      const a = await signUp(api, { smsConsent: true });
      const first = await videoPreparation(a, `${day}T${from}:00:00-05:00`);
      expect([first.status, first.body.error]).toEqual([201, undefined]);
      const id = first.body.id as string;
      const to = `${day}T${to_}:00:00-05:00`;
      const replies = await Promise.all(
        Array.from({ length: 8 }, () => api.call('POST', `/v1/appointments/${id}/reschedule`, { as: frontdesk(), body: { startsAt: to } })),
      );
      expect(replies.map((r) => [r.status, r.body.startsAt ?? r.body.error])).toEqual(Array.from({ length: 8 }, () => [200, to]));
      const notices = (await api.items()).filter((i) => i.PK === `APPT#${id}` && String(i.SK).startsWith('SMS#NOTICE#'));
      expect(notices.map((n) => n.kind).sort()).toEqual(['confirmation', 'moved']);
      expect(notices.every((n) => n.previousStartsAt !== n.startsAt)).toBe(true);
    }
  });

  it('two moves of one appointment to the same time, one naming another provider: both answer 200, none a false 409', async () => {
    for (const day of ['2027-01-12', '2027-01-13', '2027-01-14', '2027-01-19', '2027-01-20', '2027-01-21']) {
      const a = await signUp(api);
      const first = await videoPreparation(a, `${day}T09:00:00-05:00`);
      expect([first.status, first.body.error]).toEqual([201, undefined]);
      const to = `${day}T11:00:00-05:00`;
      const [same, other] = await Promise.all([
        api.call('POST', `/v1/appointments/${first.body.id}/reschedule`, { as: frontdesk(), body: { startsAt: to } }),
        api.call('POST', `/v1/appointments/${first.body.id}/reschedule`, {
          as: frontdesk(),
          body: { startsAt: to, providerId: 'demo-nyc-ther-2' },
        }),
      ]);
      expect([same.status, same.body.error, other.status, other.body.error]).toEqual([200, undefined, 200, undefined]);
      const after = await api.call('GET', `/v1/appointments/${first.body.id}`, { as: frontdesk() });
      expect(after.body.startsAt).toBe(to);
    }
  });
});
