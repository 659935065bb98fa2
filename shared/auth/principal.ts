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
 * "[admin frontdesk]". Accept that, a JSON array, a comma list and a real array.
 */
export function parseGroups(raw: unknown): Role[] {
  let parts: string[] = [];
  if (Array.isArray(raw)) parts = raw.map(String);
  else if (typeof raw === 'string') {
    const text = raw.trim();
    if (text.startsWith('[') && text.includes('"')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) parts = parsed.map(String);
      } catch {
        parts = [];
      }
    } else parts = text.replace(/^\[|\]$/g, '').split(/[\s,]+/);
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
