// Integration sessions still to book (web/src/lib/integration-rules.ts): each dosing session wants
// one within the policy's days after it; one integration session counts for the latest dosing
// session before it; a window that has ended is no longer suggested. The window a booking link
// names: its days in the clinic's dates across a change of clock, the week the view opens on, and
// an id that is not (or no longer) one of the client's dosing sessions still due is ignored.
import { describe, expect, it } from 'vitest';
import { integrationsToBook, linkedWindow, windowAfter, windowWeek } from '../src/lib/integration-rules.ts';

type A = {
  id: string;
  service: 'exploration' | 'integration';
  status: 'booked' | 'checked_in' | 'completed' | 'cancelled' | 'no_show';
  startsAt: string;
};
const at = (id: string, service: A['service'], date: string, status: A['status'] = 'booked'): A => ({
  id,
  service,
  status,
  startsAt: `${date}T10:00:00-05:00`,
});
const due = (appointments: A[], today = '2026-12-01', within = 7) =>
  integrationsToBook(appointments, within, today).map((d) => [d.exploration.id, d.from, d.by]);

describe('integration sessions to book', () => {
  it('a dosing session without one: from its day to its day plus the policy’s days', () => {
    expect(due([at('x1', 'exploration', '2026-12-07')])).toEqual([['x1', '2026-12-07', '2026-12-14']]);
    expect(due([at('x1', 'exploration', '2026-12-07')], '2026-12-01', 3)).toEqual([['x1', '2026-12-07', '2026-12-10']]);
  });

  it('one within the window covers it, on its last day too; one after the window does not', () => {
    expect(due([at('x1', 'exploration', '2026-12-07'), at('i1', 'integration', '2026-12-14')])).toEqual([]);
    expect(due([at('x1', 'exploration', '2026-12-07'), at('i1', 'integration', '2026-12-15')])).toEqual([
      ['x1', '2026-12-07', '2026-12-14'],
    ]);
  });

  it('one integration session counts for the latest dosing session before it only', () => {
    const two = [at('x1', 'exploration', '2026-12-07'), at('x2', 'exploration', '2026-12-09'), at('i1', 'integration', '2026-12-10')];
    expect(due(two)).toEqual([['x1', '2026-12-07', '2026-12-14']]);
    // one before the first dosing session counts for none
    expect(due([at('i0', 'integration', '2026-12-05'), at('x1', 'exploration', '2026-12-07')])).toEqual([
      ['x1', '2026-12-07', '2026-12-14'],
    ]);
  });

  it('cancelled and missed sessions count for nothing, on either side', () => {
    expect(due([at('x1', 'exploration', '2026-12-07', 'cancelled')])).toEqual([]);
    expect(due([at('x1', 'exploration', '2026-12-07'), at('i1', 'integration', '2026-12-08', 'cancelled')])).toEqual([
      ['x1', '2026-12-07', '2026-12-14'],
    ]);
    expect(due([at('x1', 'exploration', '2026-12-07', 'completed'), at('i1', 'integration', '2026-12-08', 'completed')])).toEqual([]);
  });

  it('a window that has ended is not suggested any more; one ending today still is', () => {
    const done = [at('x1', 'exploration', '2026-11-20', 'completed')];
    expect(due(done, '2026-11-27')).toEqual([['x1', '2026-11-20', '2026-11-27']]);
    expect(due(done, '2026-11-28')).toEqual([]);
  });
});

describe('the window a booking link names', () => {
  const window = (startsAt: string, within = 7) => windowAfter({ startsAt }, within);

  it('from the day after the dosing session to its day plus the policy’s days', () => {
    expect(window('2026-12-08T10:00:00-05:00')).toEqual({ after: '2026-12-08', first: '2026-12-09', last: '2026-12-15' });
    expect(window('2026-12-08T10:00:00-05:00', 3)).toEqual({ after: '2026-12-08', first: '2026-12-09', last: '2026-12-11' });
  });

  it('in New York’s dates across a change of clock, not hours added to the instant', () => {
    // just after midnight as the clocks fall back (Nov 1, 2026): seven times 24 hours later is still Nov 7 in New York
    expect(window('2026-11-01T00:30:00-04:00')).toEqual({ after: '2026-11-01', first: '2026-11-02', last: '2026-11-08' });
    // late on the evening before they spring forward (Mar 8, 2026): already Mar 8 in UTC, and seven
    // times 24 hours later is already Mar 15 in New York
    expect(window('2026-03-07T23:30:00-05:00')).toEqual({ after: '2026-03-07', first: '2026-03-08', last: '2026-03-14' });
  });

  it('opens on the week that holds its first day (weeks start on Monday), or this week once it has begun', () => {
    const lastDay = '2027-03-01';
    // Wed Dec 9 – Tue Dec 15: the week of Mon Dec 7, weeks ahead of today
    expect(windowWeek(window('2026-12-08T10:00:00-05:00'), '2026-11-10', lastDay)).toBe('2026-12-07');
    // a first day on a Sunday is the end of its week
    expect(windowWeek(window('2026-11-28T10:00:00-05:00'), '2026-11-10', lastDay)).toBe('2026-11-23');
    // today inside the window, on the Monday after its first day: this week
    expect(windowWeek(window('2026-12-08T10:00:00-05:00'), '2026-12-14', lastDay)).toBe('2026-12-14');
  });

  it('opens on none when no day of it can be booked: over, or past the booking window', () => {
    const dec8 = window('2026-12-08T10:00:00-05:00');
    expect(windowWeek(dec8, '2026-12-15', '2027-03-01')).toBe('2026-12-14');
    expect(windowWeek(dec8, '2026-12-16', '2027-03-01')).toBeUndefined();
    expect(windowWeek(dec8, '2026-11-10', '2026-12-08')).toBeUndefined();
  });

  describe('the dosing session a link named', () => {
    const course = [at('x1', 'exploration', '2026-12-08'), at('x2', 'exploration', '2026-12-20'), at('i0', 'integration', '2026-12-21')];
    const linked = (id: string | undefined, appointments: A[] = course, today = '2026-12-01') => linkedWindow(appointments, id, 7, today);

    it('one of the client’s still due: its window', () => {
      expect(linked('x1')).toEqual({ after: '2026-12-08', first: '2026-12-09', last: '2026-12-15' });
    });

    it('a stale or foreign id is ignored: none, another client’s, an integration session, one covered, cancelled or over', () => {
      expect(linked(undefined)).toBeUndefined();
      expect(linked('x9')).toBeUndefined();
      expect(linked('i0')).toBeUndefined();
      expect(linked('x2')).toBeUndefined();
      expect(linked('x1', [at('x1', 'exploration', '2026-12-08', 'cancelled')])).toBeUndefined();
      expect(linked('x1', course, '2026-12-16')).toBeUndefined();
    });
  });
});
