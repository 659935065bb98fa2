// What the staff pages offer for one appointment (web/src/pages/staff/appointment-rules.ts): only
// what its status, mode and time still allow — no Reschedule or Cancel once it has started, no
// Check in once its local day is over (the arrival recorded afterwards instead) — and what a
// no-show costs, said before it is marked.
import { describe, expect, it } from 'vitest';
import type { ClinicSetup } from '../src/lib/clinic-data.ts';
import { checkInClosed, noShowTerms, validFor, whenIs } from '../src/pages/staff/appointment-rules.ts';

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
