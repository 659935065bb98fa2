// Idempotency-Key on creating writes: the same key with the same body returns the first result and
// creates nothing new; the same key with another body is a 409 conflict (docs/api.md).
import { createHash } from 'node:crypto';
import type { Clock } from '#adapters/clock.ts';
import { AppError, ConflictError, KeyInUseError, ValidationError } from '#domain/errors.ts';
import type { AuditTarget } from '#domain/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import type { ApiRequest, ApiResult, RouteHandler } from './api.ts';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * How long a repeat waits for the first request with its key to finish, asking every POLL_MS, so
 * that a double click or a client's parallel retry gets the first answer rather than a 409. A
 * create takes tens of milliseconds; past this (well inside the functions' 10 s) it is a 409.
 */
const IDEMPOTENCY_WAIT_MS = 5_000;
const POLL_MS = 50;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(req: Pick<ApiRequest, 'body' | 'pathParams'>): string {
  return createHash('sha256')
    .update(canonical({ body: req.body ?? null, path: req.pathParams }))
    .digest('hex');
}

/** A key someone already holds: still working on it, or done with the answer it gave. */
export type IdempotencyRecord =
  | { state: 'in_progress'; requestHash: string; retryAfterSeconds?: number | undefined }
  | { state: 'done'; requestHash: string; status: number; body: unknown; audit?: AuditTarget[] | undefined };

/**
 * What the wrapper needs of the store. Declared here, by its user: the DynamoDB implementation
 * (shared/db/idempotency-repo.ts) matches it structurally and imports nothing from this layer.
 * `claim` resolves null when the key is now the caller's, the record holding it otherwise.
 */
export interface IdempotencyStore {
  /**
   * How long a claim holds its key when its request could not give it back (the database down):
   * from `leaseSeconds + 1` seconds after the claim, the key may be taken over.
   */
  readonly leaseSeconds: number;
  claim(scope: string, key: string, requestHash: string, now: number): Promise<IdempotencyRecord | null>;
  /** `audit`: whose records the answer shows (ids only), so that a replay is audited as a read of them. */
  complete(scope: string, key: string, status: number, body: unknown, audit?: AuditTarget[]): Promise<void>;
  release(scope: string, key: string): Promise<void>;
}

/**
 * Who a key belongs to: the user, with the clinic and roles its token grants. A user whose clinic
 * or roles changed (a staff member moved to another clinic) is another caller for its earlier
 * keys, so a replay never shows what its current token may not see. A client's own record is
 * bound to the user for good (one record per user), and is left out: the retry of a sign-up whose
 * token now finds the record it made is the same caller.
 */
export function callerScope(p: Principal): string {
  return [p.sub, p.clinicId ?? '', [...p.roles].sort().join(',')].join(';');
}

/**
 * What the ids of a keyed create derive from (keyedIds in shared/adapters/ids.ts): the caller,
 * the route and the key, so that every retry of it makes the same ids; undefined without a key.
 */
export function retrySeed(req: Pick<ApiRequest, 'headers' | 'principal' | 'routeKey'>): string | undefined {
  const key = req.headers['idempotency-key'];
  return key === undefined || !req.principal ? undefined : `${callerScope(req.principal)}#${req.routeKey}#${key}`;
}

export function idempotent(repo: IdempotencyStore, clock: Clock, handler: RouteHandler): RouteHandler {
  return async (req: ApiRequest): Promise<ApiResult> => {
    const key = req.headers['idempotency-key'];
    // Records are scoped by caller: an anonymous call has no caller to scope by, so it stores none.
    if (key === undefined || !req.principal) return handler(req);
    if (!KEY_PATTERN.test(key)) {
      throw new ValidationError([{ path: 'Idempotency-Key', message: 'Must be 1 to 255 printable characters' }]);
    }
    // Keys are per caller and route: one caller's key can never replay another caller's answer.
    const scope = `${callerScope(req.principal)}#${req.routeKey}`;
    const hash = requestHash(req);
    // a claim whose answer is lost (the database down) may still have been made (applied after
    // the API stopped waiting): the key may then be held for a whole lease
    let claimedAt = clock.now();
    const claim = () =>
      repo.claim(scope, key, hash, claimedAt).catch((err: unknown) => {
        throw new KeyStillHeld(err, repo.leaseSeconds + 1);
      });
    let existing = await claim();
    // the first request is still at work: wait for its answer (or for its key back, then run)
    const waitUntil = Date.now() + IDEMPOTENCY_WAIT_MS;
    while (existing?.state === 'in_progress' && existing.requestHash === hash && Date.now() < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      claimedAt = clock.now();
      existing = await claim();
    }
    if (existing) {
      if (existing.requestHash !== hash) throw new ConflictError('This Idempotency-Key was used with another request body');
      // still held: by a request at work, or by one whose giving back was lost (the database down)
      if (existing.state === 'in_progress') throw new KeyInUseError(existing.retryAfterSeconds ?? 1);
      // the replayed answer shows the records again: audited again, under this request (api.ts `record`)
      return {
        status: existing.status,
        body: existing.body,
        headers: { 'idempotent-replayed': 'true' },
        ...(existing.audit ? { audit: existing.audit } : {}),
      };
    }
    // the key stays this request's until the claim runs out when it cannot be given back or completed
    const held = (cause: unknown) =>
      new KeyStillHeld(cause, Math.max(1, Math.floor(claimedAt / 1000) + repo.leaseSeconds + 1 - Math.floor(clock.now() / 1000)));
    let result: ApiResult;
    try {
      result = await handler(req);
    } catch (err) {
      const given = await repo.release(scope, key).then(
        () => true,
        () => false,
      );
      // a refusal is the answer either way (a retry of it before the claim runs out is a 409)
      if (given || (err instanceof AppError && err.status < 500)) throw err;
      throw held(err);
    }
    if (result.status < 300) {
      const audit = result.audit?.map(({ clientId, clinicId, record }) => ({ clientId, clinicId, record }));
      // the change is made but its answer not kept: a retry once the claim runs out makes it again
      // (a booking or client record finds the one made: docs/api.md, "Idempotency keys")
      await repo.complete(scope, key, result.status, result.body, audit).catch((err: unknown) => {
        throw held(err);
      });
    } else await repo.release(scope, key).catch(() => undefined);
    return result;
  };
}

/**
 * A failed request whose Idempotency-Key could not be given back (or its answer kept, or whose
 * claim of it got no answer), because the database failed too: the router answers `cause` as it
 * would, and when that is a 503 its Retry-After is when a retry with the key can run at the latest
 * (before then the key may still be in progress: a 409).
 */
export class KeyStillHeld extends Error {
  constructor(
    override readonly cause: unknown,
    readonly retryAfterSeconds: number,
  ) {
    super('The Idempotency-Key is held until its claim runs out');
    this.name = 'KeyStillHeld';
  }
}
