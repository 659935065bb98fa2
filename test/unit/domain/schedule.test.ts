// The front desk's day view flags (scheduleFlags), including the minimum-necessary rule: whoever
// does not see clinical status (finance) gets only 'unpaid'.
import { describe, expect, it } from 'vitest';
import { scheduleFlags, type ScheduleFlag, type ScheduleFlagInput } from '#domain/schedule.ts';
import type { PackageStatus } from '#domain/packages.ts';
import type { AppointmentStatus, Clearance } from '#domain/types.ts';
import { appt, at, NY } from './fixtures.ts';

const START = at('2026-12-03', '10:00');
const cleared = (validUntil?: string): Clearance => ({
  status: 'cleared',
  screenedFor: [],
  recordedBy: 'u1',
  recordedAt: 0,
  ...(validUntil === undefined ? {} : { validUntil }),
});
const ready: ScheduleFlagInput['client'] = { clearance: cleared(), rideHome: { name: 'Sam', phone: '+12125550123' } };

function flags(
  over: Partial<ScheduleFlagInput> & { status?: AppointmentStatus; service?: 'exploration' | 'preparation' } = {},
): ScheduleFlag[] {
  const { status = 'booked', service = 'exploration', ...rest } = over;
  return scheduleFlags({
    appointment: appt(service, START, { status }),
    client: ready,
    packageStatus: 'active',
    zone: NY,
    seesClinicalStatus: true,
    ...rest,
  });
}

describe('scheduleFlags', () => {
  it('an exploration with everything in order, paid: no flag', () => {
    expect(flags()).toEqual([]);
  });

  it('clearance_missing: none, not cleared, or expired before the session date (validUntil inclusive, clinic-local)', () => {
    expect(flags({ client: { ...ready, clearance: undefined } })).toEqual(['clearance_missing']);
    expect(flags({ client: { ...ready, clearance: { ...cleared(), status: 'not_cleared' } } })).toEqual(['clearance_missing']);
    expect(flags({ client: { ...ready, clearance: cleared('2026-12-02') } })).toEqual(['clearance_missing']);
    expect(flags({ client: { ...ready, clearance: cleared('2026-12-03') } })).toEqual([]);
    // 19:30 in New York on Dec 3 is Dec 4 in UTC: still valid through Dec 3 there
    const evening = appt('exploration', at('2026-12-03', '19:30'));
    expect(
      scheduleFlags({
        appointment: evening,
        client: { ...ready, clearance: cleared('2026-12-03') },
        packageStatus: 'active',
        zone: NY,
        seesClinicalStatus: true,
      }),
    ).toEqual([]);
  });

  it('ride_home_missing: no ride home on file', () => {
    expect(flags({ client: { clearance: cleared() } })).toEqual(['ride_home_missing']);
  });

  it('a client that could not be read: both clinical flags', () => {
    expect(flags({ client: null })).toEqual(['clearance_missing', 'ride_home_missing']);
  });

  it('the clinical flags are for explorations only', () => {
    expect(flags({ service: 'preparation', client: null })).toEqual([]);
  });

  it('unpaid: not booked against a package that is paid up', () => {
    const cases: Array<[PackageStatus | undefined, boolean]> = [
      [undefined, true],
      ['pending_payment', true],
      ['past_due', true],
      ['cancelled', true],
      ['active', false],
      ['completed', false],
    ];
    for (const [packageStatus, unpaid] of cases) {
      expect(flags({ service: 'preparation', packageStatus })).toEqual(unpaid ? ['unpaid'] : []);
    }
  });

  it('flags come in a fixed order', () => {
    expect(flags({ client: null, packageStatus: undefined })).toEqual(['clearance_missing', 'ride_home_missing', 'unpaid']);
  });

  it('minimum necessary: a viewer who does not see clinical status (finance) gets only unpaid', () => {
    expect(flags({ client: null, packageStatus: undefined, seesClinicalStatus: false })).toEqual(['unpaid']);
    expect(flags({ client: null, packageStatus: 'active', seesClinicalStatus: false })).toEqual([]);
  });

  it('cancelled and no-show appointments get no clinical flag; booked, checked-in and completed ones do', () => {
    for (const status of ['cancelled', 'no_show'] as const) expect(flags({ status, client: null })).toEqual([]);
    for (const status of ['booked', 'checked_in', 'completed'] as const)
      expect(flags({ status, client: null })).toEqual(['clearance_missing', 'ride_home_missing']);
  });

  it('unpaid on a package session: a no-show too (its credit is spent), never a cancelled one (the package answers for it)', () => {
    for (const status of ['booked', 'checked_in', 'completed', 'no_show'] as const)
      expect(flags({ status, service: 'preparation', packageStatus: 'past_due' })).toEqual(['unpaid']);
    expect(flags({ status: 'cancelled', service: 'preparation', packageStatus: 'past_due' })).toEqual([]);
    // a no-show's package cancelled and settled since, or paid up: nothing owed
    for (const packageStatus of ['cancelled', 'active', 'completed'] as const)
      expect(flags({ status: 'no_show', service: 'preparation', packageStatus })).toEqual([]);
    expect(flags({ status: 'no_show', service: 'preparation', packageStatus: 'pending_payment' })).toEqual(['unpaid']);
    expect(flags({ status: 'cancelled', service: 'preparation', packageStatus: undefined })).toEqual([]);
  });

  it('unpaid on a late-cancelled or no-show self-pay session while its fee is owed; none once paid or voided', () => {
    for (const status of ['cancelled', 'no_show'] as const) {
      const fee = (invoiceBalance: number | undefined) =>
        scheduleFlags({
          appointment: appt('preparation', START, { status, invoiceId: 'inv-1' }),
          client: ready,
          packageStatus: undefined,
          invoiceBalance,
          zone: NY,
          seesClinicalStatus: true,
        });
      expect(fee(10_000)).toEqual(['unpaid']);
      expect(fee(0)).toEqual([]);
      expect(fee(-17_500)).toEqual([]); // cancelled on time: refund still to be made
    }
  });

  it('unpaid for a self-pay session (invoiceId): its invoice balance above 0, or the invoice not read; the package is not looked at', () => {
    const selfPay = (invoiceBalance: number | undefined) =>
      scheduleFlags({
        appointment: appt('preparation', START, { invoiceId: 'inv-1' }),
        client: ready,
        packageStatus: undefined,
        invoiceBalance,
        zone: NY,
        seesClinicalStatus: false,
      });
    expect(selfPay(17_500)).toEqual(['unpaid']);
    expect(selfPay(undefined)).toEqual(['unpaid']);
    expect(selfPay(0)).toEqual([]);
    expect(selfPay(-500)).toEqual([]);
  });
});
