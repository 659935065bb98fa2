// Claims → principal. On AWS the claims come from API Gateway's JWT authorizer (Cognito tokens);
// locally the dev server verifies its own tokens and fills the same place in the event.
import { ROLES, type Role } from '#domain/types.ts';

export interface Principal {
  sub: string;
  roles: Role[];
  clinicId?: string | undefined;
  clientId?: string | undefined;
  /** Only an address the identity provider verified (Cognito `email_verified`). */
  verifiedEmail?: string | undefined;
}

type Claims = Record<string, unknown>;

/**
 * API Gateway HTTP APIs hand array claims over as text: `cognito:groups` arrives as
 * "[admin frontdesk]", split here on whitespace (a Cognito group name holds none). Also a JSON
 * array and a real array. Each group must be exactly a role's name: a group named
 * "client,admin" (Cognito allows commas) is no role at all, never two, and only strings count
 * (an array nested in the claim is not read as its text).
 */
export function parseGroups(raw: unknown): Role[] {
  const strings = (list: unknown[]) => list.filter((x): x is string => typeof x === 'string');
  let parts: string[] = [];
  if (Array.isArray(raw)) parts = strings(raw);
  else if (typeof raw === 'string') {
    const text = raw.trim();
    if (text.startsWith('[') && text.includes('"')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) parts = strings(parsed);
      } catch {
        parts = [];
      }
    } else parts = text.replace(/^\[|\]$/g, '').split(/\s+/);
  }
  return parts.filter((p): p is Role => (ROLES as readonly string[]).includes(p));
}

export function principalFromClaims(claims: Claims | undefined): Principal | null {
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return null;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    sub: claims.sub,
    roles: parseGroups(claims['cognito:groups']),
    clinicId: str(claims['custom:clinicId']),
    clientId: str(claims['custom:clientId']),
    verifiedEmail: claims.email_verified === true || claims.email_verified === 'true' ? str(claims.email)?.toLowerCase() : undefined,
  };
}
