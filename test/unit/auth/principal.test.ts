// Claims → principal (shared/auth/principal.ts): the roles a token's `cognito:groups` grants, in
// every form it arrives in (API Gateway's flattened "[a b]", a JSON array, a real array), and
// nothing more: a group whose name merely contains a role's name grants nothing.
import { describe, expect, it } from 'vitest';
import { parseGroups, principalFromClaims } from '#shared/auth/principal.ts';

describe('parseGroups', () => {
  it('reads the forms the claim arrives in', () => {
    expect(parseGroups('[frontdesk finance]')).toEqual(['frontdesk', 'finance']); // API Gateway's flattening
    expect(parseGroups('[admin]')).toEqual(['admin']);
    expect(parseGroups('["client","admin"]')).toEqual(['client', 'admin']);
    expect(parseGroups(['clinician'])).toEqual(['clinician']);
    expect(parseGroups('client')).toEqual(['client']);
    expect(parseGroups(undefined)).toEqual([]);
  });

  it('a group must be exactly a role: commas and nested arrays grant nothing (no admin smuggled in)', () => {
    expect(parseGroups(['client,admin'])).toEqual([]);
    expect(parseGroups('[client,admin]')).toEqual([]); // a group named "client,admin", flattened
    expect(parseGroups([['admin']])).toEqual([]);
    expect(parseGroups('[["admin"]]')).toEqual([]);
    expect(parseGroups(['Admin', 'ADMIN', ' admin'])).toEqual([]);
    expect(parseGroups([{ toString: () => 'admin' }])).toEqual([]);
    expect(principalFromClaims({ sub: 'x', 'cognito:groups': ['client,admin'], 'custom:clientId': 'c1' })?.roles).toEqual([]);
  });
});
