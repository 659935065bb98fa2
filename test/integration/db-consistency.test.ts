// DynamoDB handled one way: the conditional-put lock (Idempotency-Keys and Stripe events), the one
// transaction-error mapper, keys built only in keys.ts, and shared/http declaring what it needs of
// the store instead of importing shared/db.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTestTable, type TestTable } from '#test/helpers/db.ts';
import { IdempotencyRepository } from '#db/idempotency-repo.ts';
import { PackageRepository } from '#db/package-repo.ts';
import { AppointmentRepository } from '#db/appointment-repo.ts';
import { ClientRepository } from '#db/client-repo.ts';
import { ClinicRepository } from '#db/clinic-repo.ts';
import { LOCK_PUT_ATTEMPTS } from '#db/conditional-lock.ts';
import { keys } from '#db/keys.ts';
import { ContentionError, StaleReadError, transactionError, withOptimisticRetry } from '#db/errors.ts';
import { ConflictError, NotFoundError, ServiceUnavailableError, SlotUnavailableError } from '#domain/errors.ts';
import type { Appointment, Client } from '#domain/types.ts';

let t: TestTable;
beforeAll(async () => {
  t = await createTestTable();
});
afterAll(async () => t.drop());

const NOW = Date.parse('2026-12-01T12:00:00Z');
const nowS = Math.floor(NOW / 1000);

type Send = (cmd: unknown) => Promise<any>;

/** The test table's document client with every call passed through `hook` (which may call the real one). */
function intercepted(hook: (cmd: unknown, send: Send) => Promise<unknown>): DynamoDBDocumentClient {
  const send: Send = (cmd) => t.doc.send(cmd as GetCommand);
  return new Proxy(t.doc, {
    get: (target, prop, receiver) => (prop === 'send' ? (cmd: unknown) => hook(cmd, send) : Reflect.get(target, prop, receiver)),
  });
}

const putsOn = (cmd: unknown, pk: string): cmd is PutCommand =>
  cmd instanceof PutCommand && (cmd.input.Item as { PK?: string } | undefined)?.PK === pk;
const getsOf = (cmd: unknown, pk: string): boolean => cmd instanceof GetCommand && (cmd.input.Key as { PK?: string }).PK === pk;
const isRefusal = (err: unknown) => (err as { name?: string })?.name === 'ConditionalCheckFailedException';

/**
 * A store whose refusal of a put carries no item (one that does not return ALL_OLD), and whose
 * holder is released right after refusing it: between the put and any read of the holder.
 */
function holderVanishesAfterRefusal(pk: string, sk: string, opts: { refill?: () => Promise<void> } = {}) {
  const calls = { puts: 0, gets: 0 };
  const doc = intercepted(async (cmd, send) => {
    if (getsOf(cmd, pk)) calls.gets += 1;
    if (!putsOn(cmd, pk)) return send(cmd);
    calls.puts += 1;
    await opts.refill?.();
    try {
      return await send(cmd);
    } catch (err) {
      if (isRefusal(err)) {
        await send(new DeleteCommand({ TableName: t.tableName, Key: { PK: pk, SK: sk } }));
        delete (err as { Item?: unknown }).Item;
      }
      throw err;
    }
  });
  return { doc, calls };
}

const stored = async (key: { PK: string; SK: string }) =>
  (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }))).Item;

describe('the conditional-put lock: a holder gone between the refusal and its read means free', () => {
  it('Stripe event: claimed, not "busy", when the claim that refused it was released meanwhile', async () => {
    const events = new PackageRepository(t.doc, t.tableName);
    expect(await events.claimEvent('evt_vanish', 'invoice.paid', NOW)).toBe('new'); // delivery A holds it
    const key = keys.stripeEvent('evt_vanish');
    const { doc } = holderVanishesAfterRefusal(key.PK, key.SK);
    // delivery B is refused while A holds it; A gives it back (releaseEvent) before B reads it
    expect(await new PackageRepository(doc, t.tableName).claimEvent('evt_vanish', 'invoice.paid', NOW + 1000)).toBe('new');
    expect(await stored(key)).toMatchObject({ state: 'processing', claimedAt: nowS + 1 });
  });

  it('Idempotency-Key: the key is really claimed (a record exists), not handed out without one', async () => {
    const idem = new IdempotencyRepository(t.doc, t.tableName);
    expect(await idem.claim('sub#POST /v1/x', 'k-vanish', 'h1', NOW)).toBeNull();
    const key = keys.idempotency('sub#POST /v1/x', 'k-vanish');
    const { doc } = holderVanishesAfterRefusal(key.PK, key.SK);
    expect(await new IdempotencyRepository(doc, t.tableName).claim('sub#POST /v1/x', 'k-vanish', 'h2', NOW + 1000)).toBeNull();
    // the second request's claim is stored: a third one with the key is told it is in progress
    expect(await stored(key)).toMatchObject({ state: 'in_progress', requestHash: 'h2' });
    expect(await idem.claim('sub#POST /v1/x', 'k-vanish', 'h2', NOW + 2000)).toMatchObject({ state: 'in_progress', requestHash: 'h2' });
  });

  it('gives up with a 503 after a bounded number of puts when the holder keeps vanishing', async () => {
    const key = keys.stripeEvent('evt_flapping');
    const refill = async () => {
      await t.doc.send(
        new PutCommand({
          TableName: t.tableName,
          Item: { ...key, type: 'stripe_event', state: 'processing', claimedAt: nowS, expiresAt: nowS + 3600 },
        }),
      );
    };
    const { doc, calls } = holderVanishesAfterRefusal(key.PK, key.SK, { refill });
    await expect(new PackageRepository(doc, t.tableName).claimEvent('evt_flapping', 'invoice.paid', NOW)).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
    expect(calls.puts).toBe(LOCK_PUT_ATTEMPTS);
  });
});

describe('the conditional-put lock reads the holder from the refusal itself (ALL_OLD)', () => {
  it('one call: no GetItem, and the holder is unmarshalled (a stored answer replays as it was)', async () => {
    const idem = new IdempotencyRepository(t.doc, t.tableName);
    const body = { id: 'x', amount: 12_500, tags: ['a', 'b'], nested: { ok: true, none: null } };
    expect(await idem.claim('s', 'k-all-old', 'h', NOW)).toBeNull();
    await idem.complete('s', 'k-all-old', 201, body);
    const key = keys.idempotency('s', 'k-all-old');
    let gets = 0;
    const doc = intercepted(async (cmd, send) => {
      if (getsOf(cmd, key.PK)) gets += 1;
      return send(cmd);
    });
    expect(await new IdempotencyRepository(doc, t.tableName).claim('s', 'k-all-old', 'h', NOW)).toEqual({
      state: 'done',
      requestHash: 'h',
      status: 201,
      body,
    });
    expect(gets).toBe(0);
  });

  it('a Stripe event: done, busy, and a stale claim taken over', async () => {
    const events = new PackageRepository(t.doc, t.tableName);
    expect(await events.claimEvent('evt_states', 'invoice.paid', NOW)).toBe('new');
    expect(await events.claimEvent('evt_states', 'invoice.paid', NOW + 1000)).toBe('busy');
    expect(await events.claimEvent('evt_states', 'invoice.paid', NOW + 61_000)).toBe('new'); // the first delivery crashed
    await events.finishEvent('evt_states', NOW + 62_000);
    expect(await events.claimEvent('evt_states', 'invoice.paid', NOW + 200_000)).toBe('done');
    await events.releaseEvent('evt_other');
    expect(await events.claimEvent('evt_other', 'invoice.paid', NOW)).toBe('new');
  });
});

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('transactionError: the one mapping of a cancelled transaction', () => {
  const roles = ['main', 'lock', 'audit'] as const;
  const stale = (failed: string[]) => (failed.includes('main') ? new StaleReadError() : undefined);

  it('a failed condition is what the caller names for that item, by role', () => {
    let seen: string[] = [];
    const mapped = transactionError(cancelled('None', 'ConditionalCheckFailed', 'None'), roles, (failed) => {
      seen = failed;
      return new SlotUnavailableError();
    });
    expect(seen).toEqual(['lock']);
    expect(mapped).toBeInstanceOf(SlotUnavailableError);
    expect(transactionError(cancelled('ConditionalCheckFailed', 'None', 'None'), roles, stale)).toBeInstanceOf(StaleReadError);
  });

  it('throttling is a 503, contention a ContentionError; a condition the caller does not name falls through', () => {
    expect(transactionError(cancelled('None', 'ThrottlingError', 'None'), roles, stale)).toBeInstanceOf(ServiceUnavailableError);
    expect(transactionError(cancelled('TransactionConflict', 'None', 'None'), roles, stale)).toBeInstanceOf(ContentionError);
    expect(transactionError(cancelled('TransactionConflict', 'ProvisionedThroughputExceeded', 'None'), roles, stale)).toBeInstanceOf(
      ServiceUnavailableError,
    );
    expect(transactionError(cancelled('None', 'ConditionalCheckFailed', 'TransactionConflict'), roles, stale)).toBeInstanceOf(
      ContentionError,
    );
    const other = cancelled('None', 'ValidationError', 'None');
    expect(transactionError(other, roles, stale)).toBe(other);
  });

  it('anything that is not a cancellation is returned as it came', () => {
    const err = new TypeError('bug');
    expect(transactionError(err, roles, stale)).toBe(err);
  });

  it('contention is retried with jitter by withOptimisticRetry', async () => {
    let calls = 0;
    const result = await withOptimisticRetry(async () => {
      calls += 1;
      if (calls < 3) throw transactionError(cancelled('TransactionConflict'), ['x'], () => undefined);
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });
});

describe('the repositories map their transactions through it', () => {
  const T0 = Date.parse('2027-01-04T15:00:00Z');
  const client = (id: string, clinicId: string): Client => ({
    id,
    clinicId,
    firstName: 'A',
    lastName: 'B',
    email: `${id}@example.com`,
    phone: '+12125550123',
    dateOfBirth: '1980-01-01',
    smsConsent: true,
    intakeCompleted: false,
    createdAt: 0,
    version: 1,
  });
  const appt = (id: string, clientId: string): Appointment => ({
    id,
    clinicId: 'm1',
    clientId,
    providerId: 'mp1',
    roomId: null,
    service: 'preparation',
    mode: 'telehealth',
    startsAt: T0,
    endsAt: T0 + 3_600_000,
    status: 'booked',
    createdAt: 0,
    updatedAt: 0,
    version: 1,
  });

  it("appointments: another clinic's client is a 404 before a taken lock (a 409 would tell that client is busy)", async () => {
    const clients = new ClientRepository(t.doc, t.tableName);
    const appts = new AppointmentRepository(t.doc, t.tableName);
    await clients.create(client('mk1', 'm1'));
    await clients.create(client('mk-other', 'm2'));
    await appts.create(appt('ma1', 'mk1'), { expectClinicId: 'm1' });
    // same provider and time (lock taken) and a client of clinic m2: 404, never 409
    await expect(appts.create(appt('ma2', 'mk-other'), { expectClinicId: 'm1' })).rejects.toBeInstanceOf(NotFoundError);
    // this clinic's client at the same time: the taken lock, by resource
    await clients.create(client('mk2', 'm1'));
    const err = await appts.create(appt('ma3', 'mk2'), { expectClinicId: 'm1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlotUnavailableError);
    expect((err as SlotUnavailableError).taken).toEqual(['provider']);
    expect(await appts.require('ma1')).toMatchObject({ id: 'ma1' });
    await expect(appts.require('ma2')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('clinic setup: unknown clinic 404, a taken id 409', async () => {
    const clinics = new ClinicRepository(t.doc, t.tableName);
    const provider = {
      id: 'mp9',
      clinicId: 'no-such-clinic',
      name: 'P',
      role: 'therapist' as const,
      credentials: 'LCSW',
      telehealth: true,
      weeklyHours: [],
    };
    await expect(clinics.putProvider(provider)).rejects.toBeInstanceOf(NotFoundError);
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...keys.clinic('m1'), type: 'clinic', id: 'm1', version: 1 } }));
    await clinics.putProvider({ ...provider, clinicId: 'm1' });
    await expect(clinics.putProvider({ ...provider, clinicId: 'm1' })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('one way to build keys and layers', () => {
  const root = join(import.meta.dirname, '..', '..');
  const tsFiles = (dir: string) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(dir, f));
  const code = (file: string) =>
    readFileSync(join(root, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:])\/\/.*$/gm, '$1');

  it('no key or key-condition bound is built outside shared/db/keys.ts', () => {
    const prefixes =
      /['"`](CLINICS?|CLIENT|USER|PROFILE|CLEARANCE|PROVIDER|ROOM|SERVICE|PROGRAM|APPT|LOCK|IDEMP|PACKAGE|STRIPE_EVENT|EVENT|AUDIT|SMS[A-Z_]*|OPT_OUT|RATE)(#|['"`])/;
    const offenders: string[] = [];
    for (const file of [...tsFiles('shared/db'), ...tsFiles('shared/services')]) {
      if (file.endsWith('keys.ts')) continue;
      code(file)
        .split('\n')
        .forEach((line, i) => {
          if (prefixes.test(line) || /\+\s*['"`]~/.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('shared/http imports nothing from shared/db (the router gets its 503 mapping from the function, RouterDeps.unavailable)', () => {
    const imports = /from ['"](#db\/|(\.\.\/)+db\/)/;
    const offenders = [...tsFiles('shared/http'), ...tsFiles('shared/http/schemas')].filter((f) => imports.test(code(f)));
    expect(offenders).toEqual([]);
  });
});
