// describeError (web/src/api/errors.ts): one sentence for the person, and how long to wait when the
// API says so (Retry-After) rather than "in a moment".
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.ts';
import { describeError, ExplainedError } from '../src/api/errors.ts';

const error = (status: number, code: string, message: string, retryAfterSeconds?: number) =>
  new ApiError(status, code, message, undefined, [], undefined, retryAfterSeconds);

describe('describeError and Retry-After', () => {
  it('busy for a moment: "in a moment"; busy until a held key is free: about how long', () => {
    expect(describeError(error(503, 'unavailable', 'The service is busy', 2))).toBe(
      'The system is busy right now. Please try again in a moment.',
    );
    expect(describeError(error(503, 'unavailable', 'The service is busy', 28))).toBe(
      'The system is busy right now. Please try again in about 30 seconds.',
    );
  });

  it('the same create still at work: wait, then check, in plain words (not the key)', () => {
    const held = describeError(error(409, 'conflict', 'A request with this Idempotency-Key is still in progress', 22));
    expect(held).toBe(
      'Your earlier attempt is still being processed. Please wait about 25 seconds, then check whether it went through before trying again.',
    );
    expect(describeError(error(409, 'conflict', 'A request with this Idempotency-Key is still in progress', 1))).toContain(
      'wait a few seconds',
    );
    // another conflict says what the API said
    expect(describeError(error(409, 'conflict', 'This appointment is already cancelled'))).toBe('This appointment is already cancelled');
  });

  it('over a limit: in minutes', () => {
    expect(describeError(error(429, 'rate_limited', 'Too many', 3000))).toBe('Too many attempts. Please try again in 50 minutes.');
    expect(describeError(error(429, 'rate_limited', 'Too many', 30))).toBe('Too many attempts. Please try again in 1 minute.');
  });

  it('a refusal the page put in the client’s terms is said as it is; its code stays for the page to act on', () => {
    const taken = error(409, 'slot_unavailable', 'The slot is no longer available');
    expect(describeError(taken)).toBe('Someone has just taken this time. Please choose another one.');
    const own = new ExplainedError(taken, 'You already have a session at that time: Preparation session, Mon, Dec 14, 2026, 10:00 AM.');
    expect(describeError(own)).toBe('You already have a session at that time: Preparation session, Mon, Dec 14, 2026, 10:00 AM.');
    expect(own.code).toBe('slot_unavailable');
  });
});
