// The repositories on DynamoDB Local: what each writes, what its conditions refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTestTable, type TestTable } from '#test/helpers/db.ts';
import { ClinicRepository } from '#db/clinic-repo.ts';
import { ClientRepository } from '#db/client-repo.ts';
import { AppointmentRepository } from '#db/appointment-repo.ts';
import { IdempotencyRepository } from '#db/idempotency-repo.ts';
import { keys, LOCK_BLOCK_MS } from '#db/keys.ts';
import { StaleReadError } from '#db/errors.ts';
import { queryAll } from '#db/query-all.ts';
import { ConflictError, SlotUnavailableError } from '#domain/errors.ts';
import { resolvePolicy } from '#domain/policy.ts';
import { defaultCatalog } from '#domain/catalog.ts';
import type { Appointment, Client, Clinic } from '#domain/types.ts';

let t: TestTable;
let clinics: ClinicRepository;
let clients: ClientRepository;
let appts: AppointmentRepository;
let idem: IdempotencyRepository;

beforeAll(async () => {
  t = await createTestTable();
  clinics = new ClinicRepository(t.doc, t.tableName);
  clients = new ClientRepository(t.doc, t.tableName);
  appts = new AppointmentRepository(t.doc, t.tableName);
  idem = new IdempotencyRepository(t.doc, t.tableName);
});
afterAll(async () => t.drop());

const clinic = (id: string, name: string): Clinic => ({
  id,
  name,
  timezone: 'America/New_York',
  currency: 'USD',
  country: 'US',
  policy: resolvePolicy(undefined, 'USD'),
  version: 1,
});

const client = (id: string, email = `${id}@example.com`): Client => ({
  id,
  clinicId: 'c1',
  firstName: 'A',
  lastName: 'B',
  email,
  phone: '+12125550123',
  dateOfBirth: '1980-01-01',
  smsConsent: true,
  intakeCompleted: false,
  createdAt: 0,
  version: 1,
});

const T0 = Date.parse('2027-01-04T15:00:00Z');
const appt = (id: string, over: Partial<Appointment> = {}): Appointment => ({
  id,
  clinicId: 'c1',
  clientId: 'k1',
  providerId: 'p1',
  roomId: 'r1',
  service: 'preparation',
  mode: 'in_person',
  startsAt: T0,
  endsAt: T0 + 60 * 60_000,
  status: 'booked',
  createdAt: 0,
  updatedAt: 0,
  version: 1,
  ...over,
});

const lockHolder = async (resource: 'provider' | 'room' | 'client', id: string, block: number) => {
  const res = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.slotLock(resource, id, block), ConsistentRead: true }));
  return res.Item?.appointmentId as string | undefined;
};

describe('ClinicRepository', () => {
  it('creates a clinic with its catalog once, lists clinics by name and reads the setup in one query', async () => {
    await clinics.create(clinic('c1', 'Zeta'), defaultCatalog('USD'));
    await clinics.create(clinic('c2', 'Alpha'), defaultCatalog('USD'));
    await expect(clinics.create(clinic('c1', 'Again'), [])).rejects.toThrow();
    expect((await clinics.list()).map((c) => c.name)).toEqual(['Alpha', 'Zeta']);
    await clinics.putProvider({
      id: 'p1',
      clinicId: 'c1',
      name: 'P',
      role: 'therapist',
      credentials: 'LCSW',
      telehealth: true,
      weeklyHours: [],
    });
    await clinics.putRoom({ id: 'r1', clinicId: 'c1', name: 'R', kind: 'therapy' });
    const setup = await clinics.setup('c1');
    expect(setup.clinic.name).toBe('Zeta');
    expect(setup.providers.map((p) => p.id)).toEqual(['p1']);
    expect(setup.rooms.map((r) => r.id)).toEqual(['r1']);
    expect(setup.services).toHaveLength(6);
    expect(setup.clinic).not.toHaveProperty('PK');
  });

  it('updates on the version read, refusing a stale one', async () => {
    const c = await clinics.require('c2');
    const updated = await clinics.update({ ...c, name: 'Alpha Two' }, c.version);
    expect(updated.version).toBe(c.version + 1);
    await expect(clinics.update({ ...c, name: 'Lost update' }, c.version)).rejects.toBeInstanceOf(ConflictError);
    expect((await clinics.require('c2')).name).toBe('Alpha Two');
  });
});

describe('ClientRepository', () => {
  it('keeps one client record per signed-up user; addresses are not unique (a 409 would be an oracle)', async () => {
    await clients.create(client('k1'));
    await clients.create(client('k2'));
    await clients.create(client('k3', 'k1@example.com'));
    await clients.create(client('k4', 'k2@example.com'), { userSub: 'user-1' });
    expect(await clients.clientIdOfUser('user-1')).toBe('k4');
    expect(await clients.clientIdOfUser('user-2')).toBeUndefined();
    await expect(clients.create(client('k5'), { userSub: 'user-1' })).rejects.toBeInstanceOf(ConflictError);
    expect(await clients.get('k5')).toBeNull();
    const k2 = await clients.require('k2');
    const moved = await clients.update(k2, { ...k2, email: 'k1@example.com' });
    expect(moved.version).toBe(k2.version + 1);
    await expect(clients.update(k2, { ...k2, firstName: 'stale' })).rejects.toBeInstanceOf(StaleReadError);
  });

  it('records clearance history and the latest decision', async () => {
    const k1 = await clients.require('k1');
    const saved = await clients.recordClearance(k1, {
      id: 'clr_k1',
      status: 'cleared',
      screenedFor: ['hypertension'],
      recordedBy: 'doc',
      recordedAt: 1000,
    });
    expect(saved.clearance?.status).toBe('cleared');
    expect((await clients.require('k1')).clearance?.screenedFor).toEqual(['hypertension']);
  });

  describe('clearance history', () => {
    const first = { id: 'clr_1', status: 'not_cleared' as const, screenedFor: ['blood pressure'], recordedBy: 'doc-1', recordedAt: T0 };
    const second = {
      id: 'clr_2',
      status: 'cleared' as const,
      screenedFor: ['blood pressure', 'cardiac'],
      validUntil: '2027-06-30',
      notes: 'BP now fine',
      recordedBy: 'doc-2',
      recordedAt: T0 + 60_000,
    };
    const entryKeys = async (clientId: string) => {
      const out: string[] = [];
      for await (const item of queryAll(t.doc, {
        TableName: t.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: { ':pk': keys.client(clientId).PK, ':sk': 'CLEARANCE#' },
      }))
        out.push(item.SK as string);
      return out;
    };

    it('keeps every clearance recorded, newest first; the profile holds the latest', async () => {
      await clients.create(client('kh1'));
      await clients.recordClearance(await clients.require('kh1'), first);
      await clients.recordClearance(await clients.require('kh1'), second);
      expect(await clients.clearances('kh1')).toEqual([second, first]);
      expect((await clients.require('kh1')).clearance).toEqual(second);
      expect(await entryKeys('kh1')).toEqual([
        `CLEARANCE#${new Date(T0).toISOString()}#clr_1`,
        `CLEARANCE#${new Date(T0 + 60_000).toISOString()}#clr_2`,
      ]);
      expect(await clients.clearances('no-such-client')).toEqual([]);
    });

    it('a stale profile writes neither the entry nor the profile', async () => {
      await clients.create(client('kh2'));
      const read = await clients.require('kh2');
      await clients.update(read, { ...read, firstName: 'Moved on' });
      await expect(clients.recordClearance(read, first)).rejects.toBeInstanceOf(StaleReadError);
      expect(await entryKeys('kh2')).toEqual([]);
      expect((await clients.require('kh2')).clearance).toBeUndefined();
    });

    it('an entry already under the key is never overwritten, and the profile keeps its clearance', async () => {
      await clients.create(client('kh3'));
      await clients.recordClearance(await clients.require('kh3'), first);
      const before = await clients.require('kh3');
      await expect(clients.recordClearance(before, { ...first, status: 'cleared', notes: 'overwrite?' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await clients.clearances('kh3')).toEqual([first]);
      expect(await clients.require('kh3')).toEqual(before);
    });

    it('reads entries recorded before they had ids (no id in the key or the item) with the rest', async () => {
      await clients.create(client('kh4'));
      const { id: _, ...old } = first;
      await t.doc.send(
        new PutCommand({
          TableName: t.tableName,
          Item: { PK: keys.client('kh4').PK, SK: `CLEARANCE#${new Date(T0).toISOString()}`, type: 'clearance', clientId: 'kh4', ...old },
        }),
      );
      await clients.recordClearance(await clients.require('kh4'), second);
      expect(await clients.clearances('kh4')).toEqual([second, old]);
    });
  });
});

describe('AppointmentRepository', () => {
  it('never writes back a schedule version a booking has moved on from', async () => {
    const read = await clients.require('k4');
    await appts.create(
      appt('a0', { clientId: 'k4', providerId: 'p0', roomId: null, startsAt: T0 - 86_400_000, endsAt: T0 - 82_800_000 }),
      {},
    );
    // the profile read before the booking is stale now, although its `version` did not change
    await expect(clients.update(read, { ...read, firstName: 'Late' })).rejects.toBeInstanceOf(StaleReadError);
    expect((await clients.require('k4')).scheduleVersion).toBe(read.scheduleVersion + 1);
  });

  it('takes a package credit only while one is left, whatever the caller checked before: nothing written otherwise', async () => {
    const credits = (used: number) => ({
      exploration: { total: 1, used },
      preparation: { total: 0, used: 0 },
      integration: { total: 0, used: 0 },
    });
    await t.doc.send(
      new PutCommand({ TableName: t.tableName, Item: { ...keys.package('pk-last'), status: 'active', credits: credits(0), version: 1 } }),
    );
    const usedOf = async () =>
      (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.package('pk-last'), ConsistentRead: true }))).Item?.credits
        .exploration.used;
    const credit = { packageId: 'pk-last', service: 'exploration' as const, delta: 1 as const };
    const at = (h: number) => ({ startsAt: T0 + h * 3_600_000, endsAt: T0 + (h + 1) * 3_600_000 });
    const take = (id: string, h: number) =>
      appts.create(
        appt(id, { clientId: 'k2', providerId: 'p-credit', roomId: null, service: 'exploration', packageId: 'pk-last', ...at(h) }),
        {},
        credit,
      );
    await take('a-credit-1', 200);
    expect(await usedOf()).toBe(1);
    // the last credit is gone: the condition refuses, the appointment is not written
    await expect(take('a-credit-2', 210)).rejects.toBeInstanceOf(StaleReadError);
    expect(await usedOf()).toBe(1);
    expect(await appts.get('a-credit-2')).toBeNull();
  });

  it('books: the appointment, the client copy, a version bump and a lock per resource and block', async () => {
    const before = await clients.require('k1');
    await appts.create(appt('a1'), { expectScheduleVersion: before.scheduleVersion });
    expect((await appts.get('a1'))?.status).toBe('booked');
    const { client: after, appointments } = await clients.withAppointments('k1');
    expect(after?.scheduleVersion).toBe(before.scheduleVersion + 1);
    expect(appointments.map((a) => a.id)).toEqual(['a1']);
    for (let b = T0; b < T0 + 60 * 60_000; b += LOCK_BLOCK_MS) {
      expect(await lockHolder('provider', 'p1', b)).toBe('a1');
      expect(await lockHolder('room', 'r1', b)).toBe('a1');
      expect(await lockHolder('client', 'k1', b)).toBe('a1');
    }
    expect(await lockHolder('provider', 'p1', T0 + 60 * 60_000)).toBeUndefined();
  });

  it('refuses a booking on a stale client version, writing nothing', async () => {
    await expect(
      appts.create(appt('a-stale', { startsAt: T0 + 86_400_000, endsAt: T0 + 86_400_000 + 3_600_000 }), { expectScheduleVersion: 0 }),
    ).rejects.toBeInstanceOf(StaleReadError);
    expect(await appts.get('a-stale')).toBeNull();
    expect(await lockHolder('provider', 'p1', T0 + 86_400_000)).toBeUndefined();
  });

  it('names the taken resource when a lock is held', async () => {
    const err = await appts
      .create(appt('a2', { clientId: 'k2', roomId: 'r2', startsAt: T0 + 30 * 60_000, endsAt: T0 + 90 * 60_000 }), {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlotUnavailableError);
    expect((err as SlotUnavailableError).taken).toEqual(['provider']);
    expect(await appts.get('a2')).toBeNull();
  });

  it('moves: keeps shared blocks, releases old ones and takes new ones in one transaction', async () => {
    const a1 = (await appts.get('a1'))!;
    const moved = { ...a1, startsAt: T0 + 30 * 60_000, endsAt: T0 + 90 * 60_000, version: a1.version + 1 };
    await appts.replace(a1, moved, {});
    expect(await lockHolder('provider', 'p1', T0)).toBeUndefined();
    expect(await lockHolder('provider', 'p1', T0 + 30 * 60_000)).toBe('a1');
    expect(await lockHolder('room', 'r1', T0 + 75 * 60_000)).toBe('a1');
    // the stale copy cannot be written back
    await expect(appts.replace(a1, { ...a1, version: a1.version + 1 }, {})).rejects.toBeInstanceOf(StaleReadError);
  });

  it('cancels: releases every lock', async () => {
    const a1 = (await appts.get('a1'))!;
    await appts.replace(a1, { ...a1, status: 'cancelled', version: a1.version + 1 }, {}, { releaseAll: true });
    for (let b = T0; b < T0 + 2 * 3_600_000; b += LOCK_BLOCK_MS) {
      expect(await lockHolder('provider', 'p1', b)).toBeUndefined();
      expect(await lockHolder('client', 'k1', b)).toBeUndefined();
    }
    expect((await clients.appointments('k1'))[0]?.status).toBe('cancelled');
  });

  it('lists a clinic range by start, half-open', async () => {
    await appts.create(
      appt('b1', { clientId: 'k2', providerId: 'p2', roomId: null, startsAt: T0 + 3_600_000, endsAt: T0 + 7_200_000 }),
      {},
    );
    await appts.create(
      appt('b2', { clientId: 'k4', providerId: 'p3', roomId: null, startsAt: T0 + 7_200_000, endsAt: T0 + 10_800_000 }),
      {},
    );
    const ids = (await appts.byClinic('c1', T0 + 3_600_000, T0 + 7_200_000)).map((a) => a.id);
    expect(ids).toEqual(['b1']);
  });
});

describe('IdempotencyRepository', () => {
  it('claims once, replays the stored answer, frees a released key and takes over a stale claim', async () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(await idem.claim('s', 'k', 'h1', now)).toBeNull();
    expect(await idem.claim('s', 'k', 'h1', now)).toEqual({ state: 'in_progress', requestHash: 'h1', retryAfterSeconds: 31 });
    expect(await idem.claim('s', 'k', 'h1', now + 20_000)).toEqual({ state: 'in_progress', requestHash: 'h1', retryAfterSeconds: 11 });
    await idem.complete('s', 'k', 201, { id: 'x' });
    expect(await idem.claim('s', 'k', 'h1', now)).toEqual({ state: 'done', requestHash: 'h1', status: 201, body: { id: 'x' } });
    expect(await idem.claim('s', 'other', 'h', now)).toBeNull();
    await idem.release('s', 'other');
    expect(await idem.claim('s', 'other', 'h', now)).toBeNull();
    // a claim left by a crashed request is taken over after 30 s
    expect(await idem.claim('s', 'other', 'h', now + 31_000)).toBeNull();
  });
});

describe('clinic records saved before a policy field existed', () => {
  it('read with that field at its default', async () => {
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const old = clinic('c-old', 'Old');
    const { installments: _i, lateCancellationForfeitsCredit: _l, ...oldPolicy } = old.policy;
    await t.doc.send(
      new PutCommand({ TableName: t.tableName, Item: { ...keys.clinic('c-old'), type: 'clinic', ...old, policy: oldPolicy } }),
    );
    const read = await clinics.require('c-old');
    expect(read.policy.installments).toEqual({ minimumTotal: 100_000, allowedCounts: [3, 6, 12], minimumDownPaymentPercent: 20 });
    expect(read.policy.lateCancellationForfeitsCredit).toBe(true);
  });
});

describe('queryAll', () => {
  it('reads every page of a partition, in key order, until DynamoDB returns no LastEvaluatedKey', async () => {
    for (let i = 0; i < 7; i++) {
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { PK: 'PAGED#1', SK: `ITEM#${i}`, n: i } }));
    }
    const read: unknown[] = [];
    for await (const item of queryAll(
      t.doc,
      { TableName: t.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'PAGED#1' } },
      2,
    )) {
      read.push(item.n);
    }
    expect(read).toEqual([0, 1, 2, 3, 4, 5, 6]); // four pages of at most two
  });
});
