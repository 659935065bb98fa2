// Minimum necessary (shared/auth/policy.ts `visibility`): what a caller may see of a record it is
// already allowed to read. The access matrix proves who reaches a record; this table proves what
// each of them sees of it, including a principal that would reach another client's record through
// some future route.
import { describe, expect, it } from 'vitest';
import { allows, visibility } from '#shared/auth/policy.ts';
import { ROUTE_BY_KEY } from '#http/routes.ts';
import type { Principal } from '#shared/auth/principal.ts';

const REC = { clinicId: 'c1', clientId: 'cl1' };
const who = (roles: Principal['roles'], over: Partial<Principal> = {}): Principal => ({ sub: `u-${roles.join('-')}`, roles, ...over });

describe('visibility', () => {
  it.each<
    [
      string,
      Principal | null,
      { clearanceDetails: boolean; clinicalStatus: boolean; billingProfile: boolean; cancelReason: boolean; videoRoomLink: boolean },
    ]
  >([
    [
      'anonymous',
      null,
      { clearanceDetails: false, clinicalStatus: false, billingProfile: false, cancelReason: false, videoRoomLink: false },
    ],
    [
      'the client itself',
      who(['client'], { clientId: 'cl1' }),
      { clearanceDetails: true, clinicalStatus: true, billingProfile: false, cancelReason: false, videoRoomLink: false },
    ],
    [
      'another client',
      who(['client'], { clientId: 'cl2' }),
      { clearanceDetails: false, clinicalStatus: false, billingProfile: false, cancelReason: false, videoRoomLink: false },
    ],
    [
      'a client without a record yet',
      who(['client']),
      { clearanceDetails: false, clinicalStatus: false, billingProfile: false, cancelReason: false, videoRoomLink: false },
    ],
    [
      'a clinician of the clinic',
      who(['clinician'], { clinicId: 'c1' }),
      { clearanceDetails: true, clinicalStatus: true, billingProfile: true, cancelReason: true, videoRoomLink: true },
    ],
    [
      'a clinician of another clinic',
      who(['clinician'], { clinicId: 'c2' }),
      { clearanceDetails: false, clinicalStatus: false, billingProfile: false, cancelReason: false, videoRoomLink: false },
    ],
    [
      'the front desk of the clinic',
      who(['frontdesk'], { clinicId: 'c1' }),
      { clearanceDetails: false, clinicalStatus: true, billingProfile: true, cancelReason: true, videoRoomLink: true },
    ],
    [
      'the front desk of another clinic',
      who(['frontdesk'], { clinicId: 'c2' }),
      { clearanceDetails: false, clinicalStatus: false, billingProfile: false, cancelReason: false, videoRoomLink: false },
    ],
    [
      'finance of the clinic',
      who(['finance'], { clinicId: 'c1' }),
      { clearanceDetails: false, clinicalStatus: false, billingProfile: true, cancelReason: true, videoRoomLink: true },
    ],
    [
      'admin',
      who(['admin']),
      { clearanceDetails: true, clinicalStatus: true, billingProfile: true, cancelReason: true, videoRoomLink: true },
    ],
  ])('%s', (_, principal, seen) => {
    expect(visibility(principal, REC)).toEqual(seen);
    // the clearance history holds every clearance's details: its route admits exactly who sees them
    expect(allows(ROUTE_BY_KEY.get('GET /v1/clients/{clientId}/clearances')!.allow, principal, REC)).toBe(seen.clearanceDetails);
  });
});
