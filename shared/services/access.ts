// Record-level access (api-contract.md, Conventions): a client only its own records, staff only
// their own clinic's, admin everything. Out-of-scope records answer 403, consistently.
import { ForbiddenError } from '#domain/errors.ts';
import type { Role } from '#domain/types.ts';
import { hasRole, isAdmin, isClientSelf, requirePrincipal, staffOfClinic, type Principal } from '#shared/auth/principal.ts';

export interface ClientScoped {
  clientId: string;
  clinicId: string;
}

/** The client itself, or staff holding one of `staffRoles` at the record's clinic. */
export function assertClientOrStaff(p: Principal | null, rec: ClientScoped, staffRoles: readonly Role[]): Principal {
  const principal = requirePrincipal(p);
  if (isClientSelf(principal, rec.clientId)) return principal;
  if (isAdmin(principal)) return principal;
  if (hasRole(principal, staffRoles) && staffOfClinic(principal, rec.clinicId)) return principal;
  throw new ForbiddenError();
}

/** Staff holding one of `roles` at `clinicId` (admin anywhere). */
export function assertStaffOf(p: Principal | null, clinicId: string, roles: readonly Role[]): Principal {
  const principal = requirePrincipal(p);
  if (isAdmin(principal)) return principal;
  if (hasRole(principal, roles) && staffOfClinic(principal, clinicId)) return principal;
  throw new ForbiddenError();
}

export const ALL_STAFF: readonly Role[] = ['frontdesk', 'clinician', 'finance', 'admin'];
