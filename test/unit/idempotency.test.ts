// The Idempotency-Key wrapper (shared/http/idempotency.ts) when the store fails after the claim:
// a key that could not be given back or completed stays the request's until its claim runs out, so
// a 503 says to come back then (a retry before it would be a 409 "still in progress"); a refusal is
// answered as it is. A small fake store: what is tested is the wrapper's decision, not DynamoDB
// (test/integration/dependency-failures.test.ts drives the real store on DynamoDB Local).
import { describe, expect, it } from 'vitest';
import { fixedClock } from '#adapters/clock.ts';
import { RuleViolation, ServiceUnavailableError } from '#domain/errors.ts';
import type { ApiRequest, ApiResult } from '#http/api.ts';
import { idempotent, KeyStillHeld, type IdempotencyStore } from '#http/idempotency.ts';

const CLAIMED_AT = Date.parse('2026-12-01T15:00:00.400Z');

function store(fails: { claim?: boolean; release?: boolean; complete?: boolean } = {}) {
  const calls: string[] = [];
  const failing = async (what: string, fail?: boolean) => {
    calls.push(what);
    if (fail) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  };
  const repo: IdempotencyStore = {
    leaseSeconds: 30,
    claim: async () => (await failing('claim', fails.claim), null),
    complete: () => failing('complete', fails.complete),
    release: () => failing('release', fails.release),
  };
  return { repo, calls };
}

const request = {
  headers: { 'idempotency-key': 'k-1' },
  principal: { sub: 'u-1', roles: ['frontdesk'], clinicId: 'c-1' },
  routeKey: 'POST /v1/appointments',
  body: { a: 1 },
  pathParams: {},
} as unknown as ApiRequest;

/** Runs the wrapped handler with the clock `elapsedMs` after the claim when it fails. */
async function run(repo: IdempotencyStore, handler: (clock: ReturnType<typeof fixedClock>) => Promise<ApiResult>) {
  const clock = fixedClock(CLAIMED_AT);
  return idempotent(repo, clock, () => handler(clock))(request).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
}

describe('idempotent: the store failing after the claim', () => {
  it('a failed request gives its key back and fails as it did', async () => {
    const { repo, calls } = store();
    const failed = new ServiceUnavailableError();
    expect(await run(repo, () => Promise.reject(failed))).toEqual({ error: failed });
    expect(calls).toEqual(['claim', 'release']);
  });

  it('a failed request whose key could not be given back: held until the claim runs out, counted from the claim', async () => {
    const { repo } = store({ release: true });
    const failed = new ServiceUnavailableError();
    const outcome = await run(repo, async (clock) => {
      clock.advance(3_000); // the request failed 3 s after its claim
      throw failed;
    });
    expect(outcome).toEqual({ error: expect.any(KeyStillHeld) });
    const held = (outcome as { error: KeyStillHeld }).error;
    // claimed in second 15:00:00, taken over from 15:00:31: 28 s from 15:00:03
    expect([held.cause, held.retryAfterSeconds]).toEqual([failed, 28]);
  });

  it('a claim that got no answer may have been made: held for a whole lease, and nothing run', async () => {
    const { repo, calls } = store({ claim: true });
    let ran = false;
    const outcome = await run(repo, async () => {
      ran = true;
      return { status: 201, body: {} };
    });
    expect(ran).toBe(false);
    expect(calls).toEqual(['claim']);
    expect((outcome as { error: KeyStillHeld }).error).toMatchObject({
      retryAfterSeconds: 31,
      cause: expect.objectContaining({ code: 'ECONNRESET' }),
    });
  });

  it('a refusal whose key could not be given back is still the refusal', async () => {
    const { repo } = store({ release: true });
    const refused = new RuleViolation('minimum_notice', 'Too soon');
    expect(await run(repo, () => Promise.reject(refused))).toEqual({ error: refused });
  });

  it('a done change whose answer could not be kept: held, so that a retry comes once the claim runs out', async () => {
    const { repo, calls } = store({ complete: true });
    const outcome = await run(repo, async () => ({ status: 201, body: { id: 'apt_1' } }));
    expect(calls).toEqual(['claim', 'complete']);
    expect((outcome as { error: KeyStillHeld }).error).toMatchObject({
      retryAfterSeconds: 31,
      cause: expect.objectContaining({ code: 'ECONNRESET' }),
    });
  });

  it('an answer that is not a success is answered even when its key could not be given back', async () => {
    const { repo, calls } = store({ release: true });
    const answer = { status: 409, body: { error: { code: 'slot_unavailable' } } };
    expect(await run(repo, async () => answer)).toEqual({ result: answer });
    expect(calls).toEqual(['claim', 'release']);
  });
});
