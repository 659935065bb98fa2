// The clearance history in words (web/src/pages/staff/clearance-history-rules.ts): who recorded a
// clearance, and until when it held.
import { describe, expect, it } from 'vitest';
import { recorderWords, validUntilWords } from '../src/pages/staff/clearance-history-rules.ts';

describe('the clearance history in words', () => {
  it('says who: a name when given, "You" for the reader, else a short user id', () => {
    expect(recorderWords({ id: '9a8b7c6d-5e4f-3a2b', name: 'Dr. Ada Cole' }, 'me')).toBe('Dr. Ada Cole');
    expect(recorderWords({ id: '9a8b7c6d-5e4f-3a2b' }, '9a8b7c6d-5e4f-3a2b')).toBe('You');
    expect(recorderWords({ id: '9a8b7c6d-5e4f-3a2b' }, 'me')).toBe('User 9a8b7c6d');
    expect(recorderWords({ id: 'dev-admin-1' }, 'me')).toBe('User dev-admin-1'); // short ids whole
  });

  it('says until when: a date, no end date, or a dash for one that did not clear', () => {
    const date = (d: string) => `on ${d}`;
    expect(validUntilWords({ status: 'cleared', validUntil: '2027-06-30' }, date)).toBe('on 2027-06-30');
    expect(validUntilWords({ status: 'cleared', validUntil: null }, date)).toBe('No end date');
    expect(validUntilWords({ status: 'not_cleared', validUntil: null }, date)).toBe('—');
  });
});
