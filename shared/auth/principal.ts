// Claims → principal. On AWS the claims come from API Gateway's JWT authorizer (Cognito tokens);
// locally the dev server verifies its own tokens and fills the same place in the event.
import { ROLES, STAFF_ROLES, type Role } from '#domain/types.ts';
import { ForbiddenError, UnauthenticatedError } from '#domain/errors.ts';

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

export const isAdmin = (p: Principal | null): boolean => !!p?.roles.includes('admin');
export const isStaff = (p: Principal | null): boolean => !!p?.roles.some((r) => STAFF_ROLES.includes(r));
export const hasRole = (p: Principal | null, roles: readonly Role[]): boolean => !!p?.roles.some((r) => roles.includes(r));

export function requirePrincipal(p: Principal | null): Principal {
  if (!p) throw new UnauthenticatedError();
  return p;
}

/** The caller must hold one of `roles` (admin always passes). */
export function requireRole(p: Principal | null, roles: readonly Role[]): Principal {
  const principal = requirePrincipal(p);
  if (!isAdmin(principal) && !hasRole(principal, roles)) throw new ForbiddenError();
  return principal;
}

/** Staff act only on their own clinic's records; admin on every clinic. */
export function staffOfClinic(p: Principal | null, clinicId: string): boolean {
  if (!p) return false;
  if (isAdmin(p)) return true;
  return isStaff(p) && p.clinicId === clinicId;
}

/** A client acts only on its own records. */
export function isClientSelf(p: Principal | null, clientId: string): boolean {
  return !!p && p.roles.includes('client') && p.clientId === clientId;
}
