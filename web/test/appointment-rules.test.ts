// What the staff pages offer for one appointment (web/src/pages/staff/appointment-rules.ts): only
// what its status, mode and time still allow — no Reschedule or Cancel once it has started, no
// Check in once its local day is over (the arrival recorded afterwards instead) — and what a
// no-show costs, said before it is marked.
import { describe, expect, it } from 'vitest';
import type { ClinicSetup } from '../src/lib/clinic-data.ts';
import { ApiError } from '../src/api/client.ts';
import { describeError } from '../src/api/errors.ts';
import {
  actionRefusalWords,
  checkInClosed,
  firstNameOf,
  noShowTerms,
  rideHomeToConfirm,
  validFor,
  whenIs,
} from '../src/pages/staff/appointment-rules.ts';

const ZONE = 'America/New_York';
// Monday, December 7, 2026, 10:00 in New York
const startsAt = '2026-12-07T10:00:00-05:00';
const at = (iso: string) => new Date(iso);
const inPerson = { status: 'booked' as const, mode: 'in_person' as const, startsAt };
const video = { ...inPerson, mode: 'telehealth' as const };

describe('what an appointment allows, by the browser’s clock', () => {
  it('before the start: everything its status allows (what is still to open keeps its hint)', () => {
    const when = whenIs(inPerson, ZONE, at('2026-12-06T15:00:00-05:00'));
    expect(when).toEqual({ started: false, dayOver: false });
    expect(validFor(inPerson, when)).toEqual(['check_in', 'no_show', 'reschedule', 'cancel']);
    expect(validFor(video, when)).toEqual(['complete', 'no_show', 'reschedule', 'cancel']);
  });

  it('once started: no move, no cancel; a late arrival may still check in that day', () => {
    const when = whenIs(inPerson, ZONE, at('2026-12-07T10:05:00-05:00'));
    expect(when).toEqual({ started: true, dayOver: false });
    expect(validFor(inPerson, when)).toEqual(['check_in', 'no_show']);
    expect(validFor(video, when)).toEqual(['complete', 'no_show']);
    expect(checkInClosed(inPerson, when)).toBe(false);
  });

  it('the day after (in the clinic’s zone): check-in has closed; a session never checked in takes a recorded arrival or a no-show', () => {
    // 00:30 on the 8th in New York: the day is judged in the clinic's zone, whatever the browser's
    const when = whenIs(inPerson, ZONE, at('2026-12-08T00:30:00-05:00'));
    expect(when).toEqual({ started: true, dayOver: true });
    expect(validFor(inPerson, when)).toEqual(['record_arrival', 'no_show']);
    expect(checkInClosed(inPerson, when)).toBe(true);
    // a video session has no check-in: it completes straight from booked
    expect(validFor(video, when)).toEqual(['complete', 'no_show']);
    expect(checkInClosed(video, when)).toBe(false);
    // one that was checked in still completes
    expect(validFor({ ...inPerson, status: 'checked_in' }, when)).toEqual(['complete']);
    expect(checkInClosed({ ...inPerson, status: 'checked_in' }, when)).toBe(false);
    // 23:59 on the 7th is still its day
    expect(whenIs(inPerson, ZONE, at('2026-12-07T23:59:00-05:00')).dayOver).toBe(false);
  });

  it('an appointment that is done offers nothing', () => {
    const when = whenIs(inPerson, ZONE, at('2026-12-06T15:00:00-05:00'));
    for (const status of ['completed', 'cancelled', 'no_show'] as const) expect(validFor({ ...inPerson, status }, when)).toEqual([]);
  });
});

describe('what a no-show costs', () => {
  const setup = (amount: number) =>
    ({ clinic: { policy: { lateCancellationFee: { amount, currency: 'USD' } } } }) as unknown as ClinicSetup;

  it('a self-pay session: the clinic’s fee in place of its price', () => {
    const terms = noShowTerms(setup(10000), { invoiceId: 'inv_1', packageId: null });
    expect(terms.charges).toBe(true);
    expect(terms.text).toContain('missed-appointment fee of $100.00');
  });

  it('a session paid by a package: the credit is forfeited, no fee', () => {
    const terms = noShowTerms(setup(10000), { invoiceId: null, packageId: 'pkg_1' });
    expect(terms.charges).toBe(false);
    expect(terms.text).toContain('package credit is used up');
  });

  it('a clinic without a fee charges none', () => {
    expect(noShowTerms(setup(0), { invoiceId: 'inv_1', packageId: null }).charges).toBe(false);
  });
});

describe('checking a dosing session in with no ride home on file', () => {
  it('asks first only for an exploration flagged ride_home_missing', () => {
    expect(rideHomeToConfirm({ service: 'exploration', flags: ['ride_home_missing'] })).toBe(true);
    expect(rideHomeToConfirm({ service: 'exploration', flags: ['clearance_missing', 'ride_home_missing', 'unpaid'] })).toBe(true);
    expect(rideHomeToConfirm({ service: 'exploration', flags: ['unpaid'] })).toBe(false);
    // the chart's appointments carry no flags: nothing to ask
    expect(rideHomeToConfirm({ service: 'exploration' })).toBe(false);
    // only a dosing session keeps the client from driving home
    expect(rideHomeToConfirm({ service: 'preparation', flags: ['ride_home_missing'] })).toBe(false);
  });
});

describe('a refused check-in in the front desk’s words', () => {
  const clearance = new ApiError(422, 'rule_violated', 'The client has no valid medical clearance', 'clearance_required');
  const staffWords =
    'Riley can’t be checked in for a dosing session: no valid medical clearance. A clinician records it on the chart; otherwise move or cancel the session.';

  it('names the client and what the desk can do, never the client’s own "book a medical evaluation"', () => {
    expect(actionRefusalWords('check_in', clearance, firstNameOf('Riley Okafor'))).toBe(staffWords);
    expect(actionRefusalWords('record_arrival', clearance, 'Riley')).toBe(staffWords);
    expect(actionRefusalWords('check_in', clearance, undefined)).toMatch(/^The client can’t be checked in/);
    // the client's words, which the panel used to show
    expect(describeError(clearance)).toMatch(/^Your medical clearance is needed/);
  });

  it('leaves other refusals to the general staff words', () => {
    expect(actionRefusalWords('cancel', clearance, 'Riley')).toBeUndefined();
    expect(actionRefusalWords('check_in', new ApiError(409, 'conflict', 'Check-in opens at 8:00'), 'Riley')).toBeUndefined();
  });

  it('takes the first name of a full one', () => {
    expect(firstNameOf('  Riley   Okafor ')).toBe('Riley');
    expect(firstNameOf('')).toBeUndefined();
    expect(firstNameOf(undefined)).toBeUndefined();
  });
});
