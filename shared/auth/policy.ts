// The one access policy. A route grants access to some of:
//
//   public     anyone, signed in or not
//   stripe     Stripe's signed deliveries (the signature is the credential; no JWT)
//   self       a client, on its own records only
//   signup     a signed-in client that has no client record yet, creating its own
//   frontdesk, clinician, finance
//              staff, on their own clinic's records only
//   admin      everything
//
// Two checks use a route's grants: `admits` before anything is read (does the caller hold any
// role the route grants at all? — else 401/403 before the body is parsed), and `Caller.assert`
// once the record is resolved (is it the caller's own, or its clinic's?). Services never name a
// role: they hand the record to the caller they were given. What a caller may *see* of a record
// (minimum necessary) is decided here too.
import { ForbiddenError, UnauthenticatedError } from '#domain/errors.ts';
import type { Role } from '#domain/types.ts';
import type { AuditEntry, AuditTarget } from '#domain/audit.ts';
import type { Principal } from './principal.ts';

export type Grant = 'public' | 'stripe' | 'self' | 'signup' | 'frontdesk' | 'clinician' | 'finance' | 'admin';

const STAFF_GRANTS = ['frontdesk', 'clinician', 'finance'] as const satisfies readonly Role[];

/** The record a request touches: the clinic it belongs to and, for client data, the client. */
export interface RecordScope {
  clinicId: string;
  clientId?: string | undefined;
}

const has = (p: Principal, role: Role) => p.roles.includes(role);

/** A route is open to callers without a token. */
export const isOpen = (grants: readonly Grant[]): boolean => grants.includes('public') || grants.includes('stripe');

/**
 * Could this caller be allowed on this route for some record? The check that runs before the
 * request is parsed: anonymous callers of a closed route are 401, signed-in callers holding no
 * granted role are 403.
 */
export function admits(grants: readonly Grant[], p: Principal | null): boolean {
  if (isOpen(grants)) return true;
  if (!p) return false;
  if (has(p, 'admin') && grants.includes('admin')) return true;
  if (grants.includes('self') && has(p, 'client') && p.clientId) return true;
  if (grants.includes('signup') && has(p, 'client') && !p.clientId) return true;
  return STAFF_GRANTS.some((r) => grants.includes(r) && has(p, r) && !!p.clinicId);
}

/** May the caller act on this record under these grants? */
export function allows(grants: readonly Grant[], p: Principal | null, rec: RecordScope): boolean {
  if (grants.includes('public')) return true;
  if (!p) return false;
  if (has(p, 'admin') && grants.includes('admin')) return true;
  if (grants.includes('self') && has(p, 'client') && p.clientId !== undefined && p.clientId === rec.clientId) return true;
  return STAFF_GRANTS.some((r) => grants.includes(r) && has(p, r) && p.clinicId === rec.clinicId);
}

/**
 * The caller of one request, bound to its route's grants: what services receive instead of a
 * bare principal, so that the route's declaration is the only place that says who may act.
 */
export class Caller {
  constructor(
    readonly principal: Principal | null,
    readonly grants: readonly Grant[],
    /** The route's audit action and the request: a change may write its entry in its own transaction. */
    private readonly auditing?: { action: string; requestId: string },
  ) {}

  /** The audit entry of this request for a record it changes at `at`, if the route is audited. */
  auditEntry(target: AuditTarget, at: number): AuditEntry | undefined {
    if (!this.auditing) return undefined;
    // a route Stripe calls is authenticated by Stripe's signature: Stripe is who acted
    const actor = this.actor ?? { sub: this.grants.includes('stripe') ? 'stripe' : 'anonymous', roles: [] };
    return { ...target, at, actor, action: this.auditing.action, requestId: this.auditing.requestId };
  }

  /** Signed in (every closed route has passed `admits` before a service runs). */
  get signedIn(): Principal {
    if (!this.principal) throw new UnauthenticatedError();
    return this.principal;
  }

  /**
   * The same caller under another route's grants, for a parameter that acts on a record of that
   * route: availability's `excluding` names an appointment the caller must be allowed to move
   * (docs/api.md), so it is checked under the reschedule route's grants, not availability's.
   */
  under(grants: readonly Grant[]): Caller {
    return new Caller(this.principal, grants, this.auditing);
  }

  /** `admits` for these grants, before any record is read: 401 anonymous, 403 no granted role. */
  assertAdmitted(): void {
    if (admits(this.grants, this.principal)) return;
    throw this.principal ? new ForbiddenError() : new UnauthenticatedError();
  }

  may(rec: RecordScope): boolean {
    return allows(this.grants, this.principal, rec);
  }

  /** Throws 403 unless the caller may act on the record. */
  assert(rec: RecordScope): Principal | null {
    if (!this.may(rec)) throw new ForbiddenError();
    return this.principal;
  }

  /**
   * Throws 403 unless the record is the caller's own request: staff of its clinic who asked for it
   * (same `sub`), or admin where the route grants admin. A finance export (docs/api.md, "Ledger export":
   * the finance user who asked, or admin) carries every client's name and payments, so another finance
   * user of the same clinic may not read it: 403, as for any record out of the caller's scope.
   */
  assertRequester(rec: RecordScope & { requestedBy: string }): void {
    const p = this.assert(rec);
    if (p && (p.sub === rec.requestedBy || (has(p, 'admin') && this.grants.includes('admin')))) return;
    throw new ForbiddenError();
  }

  /** The client itself (not staff acting for it): client-only rules apply (notice, window). */
  isSelf(clientId: string): boolean {
    const p = this.principal;
    return !!p && has(p, 'client') && p.clientId === clientId;
  }

  /** A signed-in client with no record yet, creating its own (docs/api.md: POST /v1/clients). */
  get signingUp(): boolean {
    const p = this.principal;
    return this.grants.includes('signup') && !!p && has(p, 'client') && !p.clientId && !has(p, 'admin') && !isStaffOfAny(p);
  }

  /** Staff who book for clients at this clinic: they may book inside the notice and beyond the window. */
  booksAsStaff(clinicId: string): boolean {
    const p = this.principal;
    return !!p && (has(p, 'admin') || (has(p, 'frontdesk') && p.clinicId === clinicId));
  }

  /** Bound by the per-caller limits: anonymous callers and clients, not staff (RATE_LIMITS). */
  get rateLimited(): boolean {
    return isRateLimited(this.principal);
  }

  /** Who acted, as the audit trail records it. */
  get actor(): { sub: string; roles: Role[] } | null {
    return this.principal ? { sub: this.principal.sub, roles: [...this.principal.roles] } : null;
  }

  /** A caller for work the system does on its own behalf (the local seed). */
  static system(): Caller {
    return new Caller({ sub: 'system', roles: ['admin'] }, ['admin']);
  }
}

function isStaffOfAny(p: Principal): boolean {
  return STAFF_GRANTS.some((r) => has(p, r));
}

/** Per-caller limits (docs/api.md, "Rate limits and Retry-After"): anonymous callers and clients; staff are not limited. */
export const RATE_LIMITS = {
  signup: { limit: 5, windowSeconds: 3600 },
  sms: { limit: 30, windowSeconds: 3600 },
} as const;

export function isRateLimited(p: Principal | null): boolean {
  return !p || !(has(p, 'admin') || isStaffOfAny(p));
}

// ---- Minimum necessary (HIPAA): what a caller sees of a record it may access -----------------

/**
 * Who sees what was screened for a clearance and its notes, on the client record and in its
 * clearance history: clinicians of the client's clinic, admin and the client itself. The one
 * rule behind `visibility().clearanceDetails` and the grants of GET /v1/clients/{id}/clearances.
 */
export const CLEARANCE_DETAILS_GRANTS: readonly Grant[] = ['self', 'clinician', 'admin'];

export interface Visibility {
  /** What was screened and the clearance notes: clinicians, admin and the client itself (CLEARANCE_DETAILS_GRANTS). */
  clearanceDetails: boolean;
  /** clearance_missing / ride_home_missing on the schedule (finance does not need them). */
  clinicalStatus: boolean;
  /** The clinic's billing profile (tax id, NPI, legal address) on GET /v1/clinics/{id}: its staff and admin. */
  billingProfile: boolean;
  /** The reason typed at a cancellation: its staff and admin, never the client (the desk's words may be internal). */
  cancelReason: boolean;
  /** A practitioner's video room link in the clinic's provider list: its staff and admin (a client gets it on its own video sessions). */
  videoRoomLink: boolean;
}

export function visibility(p: Principal | null, rec: RecordScope): Visibility {
  if (!p) return { clearanceDetails: false, clinicalStatus: false, billingProfile: false, cancelReason: false, videoRoomLink: false };
  const self = has(p, 'client') && p.clientId !== undefined && p.clientId === rec.clientId;
  const admin = has(p, 'admin');
  const ofClinic = p.clinicId === rec.clinicId;
  const clinician = has(p, 'clinician') && ofClinic;
  const frontdesk = has(p, 'frontdesk') && ofClinic;
  return {
    clearanceDetails: allows(CLEARANCE_DETAILS_GRANTS, p, rec),
    clinicalStatus: self || admin || clinician || frontdesk,
    billingProfile: admin || (ofClinic && isStaffOfAny(p)),
    cancelReason: admin || (ofClinic && isStaffOfAny(p)),
    videoRoomLink: admin || (ofClinic && isStaffOfAny(p)),
  };
}
