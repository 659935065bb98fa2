// The front desk's day view flags (scheduleFlags), including the minimum-necessary rule: whoever
// does not see clinical status (finance) gets only 'unpaid'.
import { describe, expect, it } from 'vitest';
import { scheduleFlags, type ScheduleFlag, type ScheduleFlagInput } from '#domain/schedule.ts';
import type { Package, PackageStatus } from '#domain/packages.ts';
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
const PRICE = 100_000;
/** A package in `status`, paid `paid` in full charges less `refunded`, cancelled with `usedValue` fixed when given. */
function pk(status: PackageStatus, money: { paid?: number; refunded?: number; usedValue?: number } = {}): ScheduleFlagInput['package'] {
  const payments: Package['payments'] = [];
  if (money.paid) payments.push({ ref: 'cs_1', kind: 'full', amount: { amount: money.paid, currency: 'USD' }, status: 'succeeded', at: 0 });
  if (money.refunded)
    payments.push({ ref: 're_1', kind: 'refund', amount: { amount: money.refunded, currency: 'USD' }, status: 'succeeded', at: 1 });
  return {
    status,
    price: { amount: PRICE, currency: 'USD' },
    payments,
    cancellation: money.usedValue === undefined ? undefined : { at: 1, usedValue: money.usedValue, refunds: [] },
  };
}
const ready: NonNullable<ScheduleFlagInput['client']> = {
  clearance: cleared(),
  rideHome: { name: 'Sam', phone: '+12125550123' },
  intakeCompleted: true,
};

function flags(
  over: Partial<ScheduleFlagInput> & { status?: AppointmentStatus; service?: 'exploration' | 'preparation' } = {},
): ScheduleFlag[] {
  const { status = 'booked', service = 'exploration', ...rest } = over;
  return scheduleFlags({
    appointment: appt(service, START, { status }),
    client: ready,
    package: pk('active'),
    lateCancellationForfeitsCredit: true,
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
        package: pk('active'),
        lateCancellationForfeitsCredit: true,
        zone: NY,
        seesClinicalStatus: true,
      }),
    ).toEqual([]);
  });

  it('ride_home_missing: no ride home on file', () => {
    expect(flags({ client: { clearance: cleared(), intakeCompleted: true } })).toEqual(['ride_home_missing']);
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
    for (const [status, unpaid] of cases) {
      expect(flags({ service: 'preparation', package: status && pk(status) })).toEqual(unpaid ? ['unpaid'] : []);
    }
  });

  it('a cancelled package is paid up when what the client paid and kept covers the value the cancel fixed as used', () => {
    const unpaid = (p: ScheduleFlagInput['package']) => flags({ status: 'completed', service: 'preparation', package: p });
    // paid in full, cancelled: before the refund of the rest and after it
    expect(unpaid(pk('cancelled', { paid: PRICE, usedValue: 35_000 }))).toEqual([]);
    expect(unpaid(pk('cancelled', { paid: PRICE, refunded: PRICE - 35_000, usedValue: 35_000 }))).toEqual([]);
    expect(unpaid(pk('cancelled', { paid: 35_000, usedValue: 35_000 }))).toEqual([]);
    // installments cancelled short of what the sessions used are worth; or its value not fixed yet
    expect(unpaid(pk('cancelled', { paid: 20_000, usedValue: 35_000 }))).toEqual(['unpaid']);
    expect(unpaid(pk('cancelled', { paid: PRICE }))).toEqual(['unpaid']);
    // the rest a cancel left owing, paid since on the package's invoice (its own checkout)
    const shortOf = pk('cancelled', { paid: 20_000, usedValue: 35_000 });
    expect(flags({ status: 'completed', service: 'preparation', package: shortOf, packageInvoiceHeld: 35_000 })).toEqual([]);
    expect(flags({ status: 'completed', service: 'preparation', package: shortOf, packageInvoiceHeld: 34_999 })).toEqual(['unpaid']);
    // a no-show spent its credit: the same test
    expect(flags({ status: 'no_show', service: 'preparation', package: pk('cancelled', { paid: PRICE, usedValue: 35_000 }) })).toEqual([]);
    expect(flags({ status: 'no_show', service: 'preparation', package: pk('cancelled', { paid: 0, usedValue: 35_000 }) })).toEqual([
      'unpaid',
    ]);
  });

  it('flags come in a fixed order', () => {
    expect(flags({ client: null, package: undefined })).toEqual(['clearance_missing', 'ride_home_missing', 'unpaid']);
  });

  it('minimum necessary: a viewer who does not see clinical status (finance) gets only unpaid', () => {
    expect(flags({ client: null, package: undefined, seesClinicalStatus: false })).toEqual(['unpaid']);
    expect(flags({ client: null, package: pk('active'), seesClinicalStatus: false })).toEqual([]);
  });

  it('cancelled and no-show appointments get no clinical flag; booked, checked-in and completed ones do', () => {
    for (const status of ['cancelled', 'no_show'] as const) expect(flags({ status, client: null })).toEqual([]);
    for (const status of ['booked', 'checked_in', 'completed'] as const)
      expect(flags({ status, client: null })).toEqual(['clearance_missing', 'ride_home_missing']);
  });

  it('unpaid on a package session that spent its credit: a no-show and a late cancel that forfeits it too, never one whose credit went back', () => {
    for (const status of ['booked', 'checked_in', 'completed', 'no_show'] as const)
      expect(flags({ status, service: 'preparation', package: pk('past_due') })).toEqual(['unpaid']);
    expect(flags({ status: 'cancelled', service: 'preparation', package: pk('past_due') })).toEqual([]);
    const lateCancel = (forfeits: boolean, p = pk('past_due')) =>
      scheduleFlags({
        appointment: appt('preparation', START, { status: 'cancelled', late: true }),
        client: ready,
        package: p,
        lateCancellationForfeitsCredit: forfeits,
        zone: NY,
        seesClinicalStatus: true,
      });
    expect(lateCancel(true)).toEqual(['unpaid']);
    expect(lateCancel(false)).toEqual([]);
    expect(lateCancel(true, pk('cancelled', { paid: 20_000, usedValue: 35_000 }))).toEqual(['unpaid']);
    expect(lateCancel(true, pk('active'))).toEqual([]);
    // a no-show's package paid up, or paid for and cancelled since: nothing owed
    for (const p of [pk('cancelled', { paid: PRICE, usedValue: 35_000 }), pk('active'), pk('completed')])
      expect(flags({ status: 'no_show', service: 'preparation', package: p })).toEqual([]);
    expect(flags({ status: 'no_show', service: 'preparation', package: pk('pending_payment') })).toEqual(['unpaid']);
    expect(flags({ status: 'cancelled', service: 'preparation', package: undefined })).toEqual([]);
  });

  it('unpaid on a late-cancelled or no-show self-pay session while its fee is owed; none once paid or voided', () => {
    for (const status of ['cancelled', 'no_show'] as const) {
      const fee = (invoiceBalance: number | undefined) =>
        scheduleFlags({
          appointment: appt('preparation', START, { status, invoiceId: 'inv-1' }),
          client: ready,
          package: undefined,
          invoiceBalance,
          lateCancellationForfeitsCredit: true,
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
        package: undefined,
        invoiceBalance,
        lateCancellationForfeitsCredit: true,
        zone: NY,
        seesClinicalStatus: false,
      });
    expect(selfPay(17_500)).toEqual(['unpaid']);
    expect(selfPay(undefined)).toEqual(['unpaid']);
    expect(selfPay(0)).toEqual([]);
    expect(selfPay(-500)).toEqual([]);
  });
  describe('the course of care, checked again on the day (what booking required may have been undone since)', () => {
    const policy = { requiredPreparationSessions: 2 };
    const day = (n: number) => at(`2026-11-${String(n).padStart(2, '0')}`, '10:00');
    const exploration = appt('exploration', START);
    const before = [appt('intake', day(20), { status: 'completed' }), appt('preparation', day(24)), appt('preparation', day(27))];
    const course = (appointments: ReturnType<typeof appt>[], intakeCompleted = false) =>
      flags({
        appointment: exploration,
        client: { ...ready, intakeCompleted },
        course: { appointments: [exploration, ...appointments], policy },
      });

    it('everything in place (the exploration itself among the appointments): no flag', () => {
      expect(course(before)).toEqual([]);
      // an intake only booked, before the exploration, counts
      expect(course([appt('intake', day(20)), ...before.slice(1)])).toEqual([]);
    });

    it('intake_missing: none done or booked before it (cancelled, no-show, or moved after it); a completed one counts wherever it is', () => {
      const [, ...preps] = before;
      expect(course(preps)).toEqual(['intake_missing']);
      expect(course([appt('intake', day(20), { status: 'cancelled' }), ...preps])).toEqual(['intake_missing']);
      expect(course([appt('intake', day(20), { status: 'no_show' }), ...preps])).toEqual(['intake_missing']);
      expect(course([appt('intake', START + 24 * 3_600_000), ...preps])).toEqual(['intake_missing']);
      expect(course(preps, true)).toEqual([]); // the client's intake is on record as done
    });

    it('preparation_missing: fewer than the policy asks before it (one cancelled or moved after it)', () => {
      const [intake, prep1, prep2] = before;
      expect(course([intake!, prep1!])).toEqual(['preparation_missing']);
      expect(course([intake!, prep1!, { ...prep2!, status: 'cancelled' }])).toEqual(['preparation_missing']);
      expect(course([intake!, prep1!, { ...prep2!, startsAt: START + 3_600_000 }])).toEqual(['preparation_missing']);
      expect(course([intake!, prep1!, prep2!, appt('preparation', day(28), { status: 'completed' })])).toEqual([]);
    });

    it("in the booking rules' order, before unpaid; clinical, so never for finance; none without the course read", () => {
      const bare = { appointment: exploration, client: { clearance: undefined, rideHome: undefined, intakeCompleted: false } };
      const all = flags({ ...bare, package: undefined, course: { appointments: [exploration], policy } });
      expect(all).toEqual(['intake_missing', 'clearance_missing', 'preparation_missing', 'ride_home_missing', 'unpaid']);
      expect(flags({ ...bare, package: undefined, course: { appointments: [], policy }, seesClinicalStatus: false })).toEqual(['unpaid']);
      expect(flags({ ...bare, course: undefined })).toEqual(['clearance_missing', 'ride_home_missing']);
    });

    it('only for an exploration still on the plan', () => {
      for (const status of ['cancelled', 'no_show'] as const)
        expect(flags({ appointment: { ...exploration, status }, course: { appointments: [], policy } })).toEqual([]);
      const prep = appt('preparation', START);
      expect(flags({ appointment: prep, course: { appointments: [], policy } })).toEqual([]);
    });
  });
});
