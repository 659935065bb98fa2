import { describe, expect, it } from 'vitest';
import { deriveClientStatus } from '#domain/client-status.ts';
import type { Clearance } from '#domain/types.ts';
import { appt, client } from './fixtures.ts';

const T = Date.UTC(2026, 5, 1, 14);
const cleared = (validUntil?: string): Clearance => ({
  status: 'cleared',
  screenedFor: ['blood_pressure'],
  validUntil,
  recordedBy: 'clinician-1',
  recordedAt: 0,
});

describe('deriveClientStatus', () => {
  it('a new client: nothing done, no clearance', () => {
    expect(deriveClientStatus(client(), [], '2026-06-01')).toEqual({
      intakeCompleted: false,
      clearance: { status: 'none', validUntil: null },
      preparationCount: 0,
      explorationCount: 0,
      preparationCompleted: 0,
      explorationCompleted: 0,
    });
  });

  it('intake is done when recorded on the client or when an intake appointment completed', () => {
    expect(deriveClientStatus(client({ intakeCompleted: true }), [], '2026-06-01').intakeCompleted).toBe(true);
    expect(deriveClientStatus(client(), [appt('intake', T, { status: 'completed' })], '2026-06-01').intakeCompleted).toBe(true);
    expect(deriveClientStatus(client(), [appt('intake', T)], '2026-06-01').intakeCompleted).toBe(false);
    expect(deriveClientStatus(client(), [appt('intake', T, { status: 'checked_in' })], '2026-06-01').intakeCompleted).toBe(false);
    expect(deriveClientStatus(client(), [appt('medical_evaluation', T, { status: 'completed' })], '2026-06-01').intakeCompleted).toBe(
      false,
    );
  });

  it('counts active preparations and explorations, and completed ones separately', () => {
    const appointments = [
      appt('preparation', T, { status: 'completed' }),
      appt('preparation', T, { status: 'checked_in' }),
      appt('preparation', T, { status: 'booked' }),
      appt('preparation', T, { status: 'cancelled' }),
      appt('preparation', T, { status: 'no_show' }),
      appt('exploration', T, { status: 'completed' }),
      appt('exploration', T, { status: 'completed' }),
      appt('exploration', T, { status: 'booked' }),
      appt('exploration', T, { status: 'cancelled' }),
      appt('integration', T, { status: 'completed' }),
    ];
    const s = deriveClientStatus(client(), appointments, '2026-06-01');
    expect(s.preparationCount).toBe(3);
    expect(s.preparationCompleted).toBe(1);
    expect(s.explorationCount).toBe(3);
    expect(s.explorationCompleted).toBe(2);
  });

  it('clearance: cleared through validUntil inclusive, then expired; not_cleared stays so', () => {
    const c = client({ clearance: cleared('2026-06-30') });
    expect(deriveClientStatus(c, [], '2026-06-30').clearance).toEqual({ status: 'cleared', validUntil: '2026-06-30' });
    expect(deriveClientStatus(c, [], '2026-07-01').clearance).toEqual({ status: 'expired', validUntil: '2026-06-30' });
    expect(deriveClientStatus(client({ clearance: cleared() }), [], '2030-01-01').clearance).toEqual({
      status: 'cleared',
      validUntil: null,
    });
    const refused = client({ clearance: { ...cleared('2026-06-30'), status: 'not_cleared' } });
    expect(deriveClientStatus(refused, [], '2026-07-01').clearance).toEqual({ status: 'not_cleared', validUntil: '2026-06-30' });
  });
});
