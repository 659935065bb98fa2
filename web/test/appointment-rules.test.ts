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
  cancelReasonText,
  chartLists,
  checkInClosed,
  firstNameOf,
  notMarked,
  notMarkedHint,
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

describe('the chart’s upcoming and past sessions', () => {
  // 10:00–11:00 on Monday, December 7, 2026 in New York, and sessions around it
  const session = (id: string, status: 'booked' | 'checked_in' | 'completed' | 'cancelled' | 'no_show', start: string, end: string) => ({
    id,
    status,
    startsAt: `2026-12-${start}-05:00`,
    endsAt: `2026-12-${end}-05:00`,
  });
  const ended = session('ended', 'booked', '07T10:00:00', '07T11:00:00');
  const arrived = session('arrived', 'checked_in', '07T09:00:00', '07T09:50:00');
  const running = session('running', 'checked_in', '07T10:30:00', '07T11:30:00');
  const later = session('later', 'booked', '09T10:00:00', '09T11:00:00');
  const done = session('done', 'completed', '04T10:00:00', '04T11:00:00');
  const dropped = session('dropped', 'cancelled', '10T10:00:00', '10T11:00:00');
  const ids = (list: { id: string }[]) => list.map((a) => a.id);

  it('upcoming holds only sessions that have not ended; an ended one still booked or checked in is past and not marked', () => {
    const now = at('2026-12-07T11:10:00-05:00');
    const { upcoming, past } = chartLists([later, dropped, done, ended, running, arrived], now);
    expect(ids(upcoming)).toEqual(['running', 'later']);
    // latest first; cancelled and finished ones stay there, unflagged
    expect(ids(past)).toEqual(['dropped', 'ended', 'arrived', 'done']);
    expect(past.filter((a) => notMarked(a, now)).map((a) => a.id)).toEqual(['ended', 'arrived']);
  });

  it('a session ends at its end time, not its start', () => {
    expect(ids(chartLists([ended], at('2026-12-07T10:59:00-05:00')).upcoming)).toEqual(['ended']);
    expect(notMarked(ended, at('2026-12-07T10:59:00-05:00'))).toBe(false);
    expect(ids(chartLists([ended], at('2026-12-07T11:00:00-05:00')).past)).toEqual(['ended']);
    expect(notMarked(ended, at('2026-12-07T11:00:00-05:00'))).toBe(true);
  });

  it('says what an unmarked session still needs', () => {
    const sameDay = whenIs(inPerson, ZONE, at('2026-12-07T12:00:00-05:00'));
    const nextDay = whenIs(inPerson, ZONE, at('2026-12-08T09:00:00-05:00'));
    expect(notMarkedHint(inPerson, sameDay)).toBe('Needs check-in or no-show');
    expect(notMarkedHint(inPerson, nextDay)).toBe(
      'Never checked in: check-in closed at the end of that day. Needs a recorded arrival or a no-show.',
    );
    expect(notMarkedHint(video, sameDay)).toBe('Needs completing or a no-show');
    expect(notMarkedHint({ ...inPerson, status: 'checked_in' }, nextDay)).toBe('Needs completing');
  });
});

describe('the reason a cancelled session was given', () => {
  it('shows what the desk typed, the program’s cancellation in words, and nothing when none was given', () => {
    expect(cancelReasonText({ status: 'cancelled', cancelReason: ' provider ill ' })).toBe('provider ill');
    expect(cancelReasonText({ status: 'cancelled', cancelReason: 'package cancelled' })).toBe('Program cancelled');
    expect(cancelReasonText({ status: 'cancelled', cancelReason: null })).toBeUndefined();
    expect(cancelReasonText({ status: 'cancelled', cancelReason: '  ' })).toBeUndefined();
    // a client's answer carries none
    expect(cancelReasonText({ status: 'cancelled' })).toBeUndefined();
    expect(cancelReasonText({ status: 'booked', cancelReason: 'travel' })).toBeUndefined();
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
