// The chart's access log in words (web/src/pages/staff/access-log-rules.ts): who, what, which record.
import { describe, expect, it } from 'vitest';
import { actionWords, actorWords, recordHref, recordWords } from '../src/pages/staff/access-log-rules.ts';

describe('the access log in words', () => {
  it('says an action in words, and shows an unknown one as the API names it (every route’s: test/unit/web-checks.test.ts)', () => {
    expect(actionWords('client.read')).toBe('Opened the client’s record');
    expect(actionWords('payment.refund')).toBe('Made a refund (automatic)');
    expect(actionWords('something.new')).toBe('something.new');
  });

  it('says who: the client, a staff role with a short user id, or a job', () => {
    expect(actorWords({ sub: 'c0ffee00-1234', roles: ['client'] })).toBe('The client');
    expect(actorWords({ sub: '9a8b7c6d-5e4f-3a2b', roles: ['frontdesk'] })).toBe('Front desk · user 9a8b7c6d');
    expect(actorWords({ sub: 'system', roles: ['admin'] })).toBe('Admin · user system'); // short ids whole
    expect(actorWords({ sub: 'dev-admin-1', roles: ['admin'] })).toBe('Admin · user dev-admin-1');
    expect(actorWords({ sub: 'refund-job', roles: [] })).toBe('The refund job');
    expect(actorWords({ sub: 'nightly', roles: [] })).toBe('System (nightly)');
  });

  it('links an invoice to its page and names each kind of record', () => {
    expect(recordHref({ type: 'invoice', id: 'inv_1' })).toBe('/staff/invoices/inv_1');
    expect(recordHref({ type: 'client', id: 'cli_1' })).toBeUndefined();
    expect(recordWords({ type: 'diagnoses', id: 'cli_1' })).toBe('Diagnosis codes');
    expect(recordWords({ type: 'other', id: 'x' })).toBe('other');
  });
});
