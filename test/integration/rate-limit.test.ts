// The per-caller rate limiter on DynamoDB Local: a fixed-window counter taken with a conditional
// ADD, exact under concurrency; a new window, another key or another limit name starts afresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTestTable, type TestTable } from '#test/helpers/db.ts';
import { RateLimitRepository } from '#db/rate-limit-repo.ts';
import { keys } from '#db/keys.ts';
import { TABLE } from '#db/table.ts';

let t: TestTable;
let limiter: RateLimitRepository;

beforeAll(async () => {
  t = await createTestTable();
  limiter = new RateLimitRepository(t.doc, t.tableName);
});
afterAll(async () => t.drop());

const RULE = { limit: 5, windowSeconds: 3600 };
/** 10:15:30 UTC: 2,670 s before the hour's window ends at 11:00. */
const NOW = Date.parse('2026-12-01T10:15:30Z');
const WINDOW_START = Date.parse('2026-12-01T10:00:00Z');
const WINDOW_END = Date.parse('2026-12-01T11:00:00Z');
let n = 0;
/** An opaque caller key, as the router derives it (a hash, never a sub or an address). */
const callerKey = () => `k${(++n).toString(16).padStart(8, '0')}`;

describe('RateLimitRepository', () => {
  it('20 parallel takes with limit 5: exactly 5 allowed, 15 refused with a positive Retry-After', async () => {
    const key = callerKey();
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.take(key, 'signup', RULE, NOW)));
    const allowed = results.filter((r) => r.allowed);
    const refused = results.filter((r): r is { allowed: false; retryAfterSeconds: number } => !r.allowed);
    expect(allowed).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect(r.retryAfterSeconds).toBe((WINDOW_END - NOW) / 1000);
    // the counter stopped at the limit: refused takes do not count
    const item = await t.doc.send(
      new GetCommand({ TableName: t.tableName, Key: keys.rateLimit('signup', key, 3600, WINDOW_START), ConsistentRead: true }),
    );
    expect(item.Item?.count).toBe(5);
  });

  it('the counter expires by TTL a little after its window', async () => {
    const key = callerKey();
    await limiter.take(key, 'sms', RULE, NOW);
    const item = await t.doc.send(
      new GetCommand({ TableName: t.tableName, Key: keys.rateLimit('sms', key, 3600, WINDOW_START), ConsistentRead: true }),
    );
    const expiresAt = item.Item?.[TABLE.ttlAttribute] as number;
    expect(expiresAt).toBeGreaterThan(WINDOW_END / 1000);
    expect(expiresAt).toBeLessThanOrEqual(WINDOW_END / 1000 + 300);
    // the key holds only the opaque caller key, the limit name and the window
    expect(Object.values(keys.rateLimit('sms', key, 3600, WINDOW_START)).join(' ')).toBe(
      `RATE#sms#${key}#3600#2026-12-01T10:00:00.000Z RATE`,
    );
  });

  it('Retry-After is the time to the end of the window, at least 1 s', async () => {
    const key = callerKey();
    const rule = { limit: 1, windowSeconds: 60 };
    const t0 = Date.parse('2026-12-01T10:15:59.400Z');
    expect(await limiter.take(key, 'signup', rule, t0)).toEqual({ allowed: true });
    // 600 ms left in the window: rounded up to 1 s, never 0
    expect(await limiter.take(key, 'signup', rule, t0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await limiter.take(key, 'signup', rule, Date.parse('2026-12-01T10:16:00Z'))).toEqual({ allowed: true }); // the next minute
  });

  it('a new window allows again', async () => {
    const key = callerKey();
    for (let i = 0; i < 5; i++) expect(await limiter.take(key, 'signup', RULE, NOW)).toEqual({ allowed: true });
    expect(await limiter.take(key, 'signup', RULE, WINDOW_END - 1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await limiter.take(key, 'signup', RULE, WINDOW_END)).toEqual({ allowed: true });
    const again = await Promise.all(Array.from({ length: 8 }, () => limiter.take(key, 'signup', RULE, WINDOW_END + 1000)));
    expect(again.filter((r) => r.allowed)).toHaveLength(4);
  });

  it('separate keys and separate limit names are independent', async () => {
    const [a, b] = [callerKey(), callerKey()];
    const take = (key: string, name: string) => limiter.take(key, name, RULE, NOW);
    const results = await Promise.all([
      ...Array.from({ length: 7 }, () => take(a, 'signup')),
      ...Array.from({ length: 7 }, () => take(b, 'signup')),
      ...Array.from({ length: 7 }, () => take(a, 'sms')),
    ]);
    const allowedOf = (from: number) => results.slice(from, from + 7).filter((r) => r.allowed).length;
    expect([allowedOf(0), allowedOf(7), allowedOf(14)]).toEqual([5, 5, 5]);
    // the same name and key under a window of another length is a counter of its own
    expect(await limiter.take(a, 'signup', { limit: 5, windowSeconds: 60 }, NOW)).toEqual({ allowed: true });
  });

  it('throttling propagates (the router maps it); invalid rules and keys are refused', async () => {
    const throttle = Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' });
    const doc = { send: async () => Promise.reject(throttle) } as unknown as DynamoDBDocumentClient;
    await expect(new RateLimitRepository(doc, 'x').take(callerKey(), 'signup', RULE, NOW)).rejects.toBe(throttle);
    await expect(limiter.take(callerKey(), 'signup', { limit: 0, windowSeconds: 60 }, NOW)).rejects.toThrow(RangeError);
    await expect(limiter.take(callerKey(), 'signup', { limit: 1, windowSeconds: 0.5 }, NOW)).rejects.toThrow(RangeError);
    await expect(limiter.take('a#b', 'signup', RULE, NOW)).rejects.toThrow(RangeError);
    await expect(limiter.take(callerKey(), '', RULE, NOW)).rejects.toThrow(RangeError);
  });
});
