// Where an e-mail address may wrap on a narrow screen (web/src/lib/format.ts emailParts, drawn
// with <wbr> by EmailAddress): after the @ and before a dot, never inside "example.com".
import { describe, expect, it } from 'vitest';
import { emailParts } from '../src/lib/format.ts';

describe('an e-mail address’s break points', () => {
  it('after the @ and before each dot', () => {
    expect(emailParts('robin.tester@example.com')).toEqual(['robin', '.tester@', 'example', '.com']);
    expect(emailParts('e2e-1764547200000-4242-1@example.com')).toEqual(['e2e-1764547200000-4242-1@', 'example', '.com']);
  });

  it('the pieces are the address, nothing added or lost', () => {
    for (const email of ['a@b.co', '.odd.@x..y.', 'no-at-sign', '']) expect(emailParts(email).join('')).toBe(email);
  });
});
