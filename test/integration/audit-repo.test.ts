// The audit trail store on DynamoDB Local: append-only, newest first, paged, kept six years.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createTestTable, type TestTable } from '#test/helpers/db.ts';
import { AuditKeyCollisionError, AuditRepository, auditExpiresAt, type AuditEntry } from '#db/audit-repo.ts';
import { keys } from '#db/keys.ts';
import { TABLE } from '#db/table.ts';
import { ServiceUnavailableError, ValidationError } from '#domain/errors.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let t: TestTable;
let audit: AuditRepository;

beforeAll(async () => {
  t = await createTestTable();
  audit = new AuditRepository(t.doc, t.tableName);
});
afterAll(async () => t.drop());

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const entry = (clientId: string, at: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  at,
  clientId,
  clinicId: 'demo-nyc',
  actor: { sub: 'fd-demo-nyc', roles: ['frontdesk'] },
  action: 'client.read',
  record: { type: 'client', id: clientId },
  requestId: `req-${at}`,
  ...over,
});

const itemsOf = async (clientId: string) =>
  (
    await t.doc.send(
      new QueryCommand({
        TableName: t.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditPartition(clientId).PK },
      }),
    )
  ).Items ?? [];

describe('AuditRepository', () => {
  it('appends entries and lists them newest first, ids only', async () => {
    const a = entry('k-order', T0);
    const b = entry('k-order', T0 + 1_000, { action: 'appointments.read', record: { type: 'appointment', id: 'apt-1' } });
    const c = entry('k-order', T0 + 2_000, { actor: { sub: 'admin-1', roles: ['admin'] } });
    await audit.append([b, a]);
    await audit.append([c]);
    await audit.append([entry('k-other', T0 + 5_000)]);
    const page = await audit.list('k-order');
    expect(page.entries).toEqual([c, b, a]);
    expect(page.nextCursor).toBeNull();
  });

  it('stores only the entry fields (nothing extra a caller passes), under AUDIT#<client>', async () => {
    const withName = { ...entry('k-fields', T0), clientName: 'Jane Doe' } as AuditEntry;
    await audit.append([withName]);
    const [item] = await itemsOf('k-fields');
    expect(item!.PK).toBe('AUDIT#k-fields');
    expect(item!.SK).toBe(`2026-12-01T12:00:00.000Z#req-${T0}#0000`);
    expect(JSON.stringify(item)).not.toContain('Jane');
    expect((await audit.list('k-fields')).entries).toEqual([entry('k-fields', T0)]);
  });

  it('sets the TTL to six calendar years after the entry, never earlier', async () => {
    await audit.append([entry('k-ttl', T0)]);
    const [item] = await itemsOf('k-ttl');
    const expiresAt = item![TABLE.ttlAttribute] as number;
    expect(expiresAt).toBe(Date.parse('2032-12-01T12:00:00.000Z') / 1000);
    // at least 6 × 365 days plus the leap days in between (2028)
    expect(expiresAt * 1000 - T0).toBeGreaterThanOrEqual((6 * 365 + 1) * 86_400_000);
    // a 29 February entry is kept to 1 March six years on, not deleted on 28 February
    expect(auditExpiresAt(Date.parse('2028-02-29T10:00:00.500Z'))).toBe(Date.parse('2034-03-01T10:00:01Z') / 1000);
  });

  it('pages with an opaque cursor: default 100, at most 500, no empty last page', async () => {
    const many = Array.from({ length: 230 }, (_, i) => entry('k-pages', T0 + i * 1_000));
    await audit.append(many);
    const newestFirst = [...many].reverse();

    const first = await audit.list('k-pages');
    expect(first.entries).toEqual(newestFirst.slice(0, 100));
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await audit.list('k-pages', { cursor: first.nextCursor! });
    expect(second.entries).toEqual(newestFirst.slice(100, 200));
    const third = await audit.list('k-pages', { cursor: second.nextCursor! });
    expect(third.entries).toEqual(newestFirst.slice(200));
    expect(third.nextCursor).toBeNull();

    const exact = await audit.list('k-pages', { limit: 115 });
    const rest = await audit.list('k-pages', { limit: 115, cursor: exact.nextCursor! });
    expect(rest.entries).toHaveLength(115);
    expect(rest.nextCursor).toBeNull(); // 230 = 2 × 115: no empty third page

    expect((await audit.list('k-pages', { limit: 10_000 })).entries).toHaveLength(230); // capped at 500
    await expect(audit.list('k-pages', { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('60 entries in one append (one request touching many clients) all land', async () => {
    const requestId = 'req-schedule';
    const batch = Array.from({ length: 60 }, (_, i) =>
      entry(`k-day-${i % 20}`, T0, { requestId, action: 'schedule.read', record: { type: 'appointment', id: `apt-${i}` } }),
    );
    await audit.append(batch);
    let total = 0;
    for (let c = 0; c < 20; c++) {
      const { entries } = await audit.list(`k-day-${c}`);
      expect(entries).toHaveLength(3);
      total += entries.length;
    }
    expect(total).toBe(60);
    // same instant and request: the index keeps the keys apart
    const sks = (await itemsOf('k-day-0')).map((i) => i.SK as string);
    expect(new Set(sks).size).toBe(3);
  });

  it('the same entry appended again (a retried request) is ignored, never overwritten', async () => {
    const e = entry('k-dup', T0);
    await audit.append([e]);
    const key = keys.auditEntry('k-dup', T0, e.requestId, 0);
    const before = (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }))).Item;
    await expect(audit.append([e])).resolves.toBeUndefined();
    expect(await itemsOf('k-dup')).toEqual([before]);

    // a different entry under the same key is refused, and the stored one stays
    const other = { ...e, action: 'client.update', actor: { sub: 'intruder', roles: ['admin'] } };
    await expect(audit.append([other])).rejects.toBeInstanceOf(AuditKeyCollisionError);
    expect(await itemsOf('k-dup')).toEqual([before]);
    expect((await audit.list('k-dup')).entries).toEqual([e]);
  });

  it('a malformed or foreign cursor is a ValidationError on cursor, not a 500', async () => {
    await audit.append([entry('k-cursor', T0), entry('k-cursor', T0 + 1)]);
    const { nextCursor } = await audit.list('k-cursor', { limit: 1 });
    expect(nextCursor).not.toBeNull();
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const cursor of [
      'not a cursor!',
      '',
      'AAAA',
      Buffer.from('{"PK":').toString('base64url'),
      b64([1, 2]),
      b64({ PK: 'AUDIT#k-cursor' }),
      b64({ PK: 'AUDIT#k-cursor', SK: 5 }),
      b64({ PK: 'AUDIT#k-cursor', SK: 'x', GSI1PK: 'CLINICS' }),
      b64({ PK: 'CLIENT#k-cursor', SK: 'PROFILE' }),
    ]) {
      const err = await audit.list('k-cursor', { cursor }).catch((e: unknown) => e);
      expect(err, cursor).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).details[0]!.path).toBe('cursor');
    }
    // another client's cursor does not open this client's trail (or the other way round)
    const err = await audit.list('k-order', { cursor: nextCursor! }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
  });

  it('retries a throttled put with backoff (bounded), then answers 503', async () => {
    const throttle = () => Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    let calls = 0;
    const flaky = { send: async (cmd: unknown) => (++calls <= 2 ? Promise.reject(throttle()) : t.doc.send(cmd as never)) };
    await new AuditRepository(flaky as unknown as DynamoDBDocumentClient, t.tableName).append([entry('k-throttle', T0)]);
    expect(calls).toBe(3);
    expect((await audit.list('k-throttle')).entries).toHaveLength(1);

    let attempts = 0;
    const down = {
      send: async () => {
        attempts++;
        throw throttle();
      },
    };
    const err = await new AuditRepository(down as unknown as DynamoDBDocumentClient, t.tableName)
      .append([entry('k-throttle', T0 + 1)])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(attempts).toBe(5);
  });
});
