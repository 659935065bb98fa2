// The waitlist in words and dates (web/src/lib/waitlist-rules.ts): the form's first dates, how far
// they may go for a client and for the desk, dates refused before they are sent, what became of an
// entry, the open times said to the client and the desk, the week the booking page opens on to
// book from an entry, and whether the open time the desk clicked is still there to choose.
import { describe, expect, it } from 'vitest';
import {
  defaultWaitlistDates,
  handedOverChoice,
  openNowWords,
  openTimesWords,
  waitlistBetween,
  waitlistDateBounds,
  waitlistDateProblems,
  waitlistDates,
  waitlistFieldWords,
  waitlistMode,
  waitlistOpening,
  waitlistPractitioner,
  waitlistRangeProblem,
  waitlistState,
  weekToOpen,
  type EntryLike,
} from '../src/lib/waitlist-rules.ts';

const entry: EntryLike = {
  service: 'preparation',
  mode: 'telehealth',
  providerId: null,
  from: '2026-12-09',
  to: '2026-12-20',
  status: 'waiting',
  openings: {
    count: 4,
    first: [
      { startsAt: '2026-12-15T09:00:00-05:00', providerId: 'p1' },
      { startsAt: '2026-12-16T09:00:00-05:00', providerId: 'p2' },
    ],
  },
};

describe('the dates the form offers first', () => {
  it('the week on screen and the next, from its Monday', () => {
    expect(defaultWaitlistDates('2026-12-07', '2026-12-01')).toEqual({ from: '2026-12-07', to: '2026-12-20' });
  });

  it('never from before today (this week, on its Thursday)', () => {
    expect(defaultWaitlistDates('2026-11-30', '2026-12-03')).toEqual({ from: '2026-12-03', to: '2026-12-13' });
  });
});

describe('a range refused before it is sent', () => {
  it('a last date before the first', () => {
    expect(waitlistRangeProblem('2026-12-10', '2026-12-09')).toBe('The last date must not be before the first.');
  });

  it('more than 31 dates, both ends counted', () => {
    expect(waitlistRangeProblem('2026-12-01', '2026-12-31')).toBeUndefined();
    expect(waitlistRangeProblem('2026-12-01', '2027-01-01')).toBe('Choose at most 31 days.');
  });

  it('one day, or a field still empty, is not refused here', () => {
    expect(waitlistRangeProblem('2026-12-10', '2026-12-10')).toBeUndefined();
    expect(waitlistRangeProblem('', '2026-12-10')).toBeUndefined();
  });
});

describe('the dates in words', () => {
  it('a span, the year once; across a new year both', () => {
    expect(waitlistDates('2026-12-09', '2026-12-20')).toBe('Dec 9 – Dec 20, 2026');
    expect(waitlistDates('2026-12-28', '2027-01-05')).toBe('Dec 28, 2026 – Jan 5, 2027');
    expect(waitlistDates('2026-12-09', '2026-12-09')).toBe('Dec 9, 2026');
  });

  it('in a sentence', () => {
    expect(waitlistBetween('2026-12-09', '2026-12-20')).toBe('between Dec 9 and Dec 20, 2026');
    expect(waitlistBetween('2026-12-28', '2027-01-05')).toBe('between Dec 28, 2026 and Jan 5, 2027');
    expect(waitlistBetween('2026-12-09', '2026-12-09')).toBe('on Dec 9, 2026');
  });
});

describe('the API’s word on a date field', () => {
  it('its dates as people read them, the rest as it is', () => {
    expect(waitlistFieldWords('Must be no later than 2027-03-01, the last day that can be booked')).toBe(
      'Must be no later than Mar 1, 2027, the last day that can be booked',
    );
    expect(waitlistFieldWords('Must not be in the past')).toBe('Must not be in the past');
  });
});

describe('whom and where', () => {
  it('a practitioner by name, or any', () => {
    expect(waitlistPractitioner('Dr. Maya Patel')).toBe('Dr. Maya Patel');
    expect(waitlistPractitioner(undefined)).toBe('any practitioner');
  });

  it('in person or by video', () => {
    expect(waitlistMode('in_person')).toBe('in person');
    expect(waitlistMode('telehealth')).toBe('by video');
  });
});

describe('what became of an entry', () => {
  it('waiting, booked, ended', () => {
    expect(waitlistState('waiting').label).toBe('Waiting');
    expect(waitlistState('booked')).toEqual({ label: 'Booked', tone: 'good' });
    expect(waitlistState('expired').label).toBe('Ended');
  });
});

describe('the open times said', () => {
  it('to the client: how many, one, or none yet with who calls', () => {
    expect(openTimesWords(entry, 'client')).toBe('4 times are open now.');
    expect(openTimesWords({ status: 'waiting', openings: { count: 1, first: [] } }, 'client')).toBe('1 time is open now.');
    expect(openTimesWords({ status: 'waiting', openings: { count: 0, first: [] } }, 'client')).toBe(
      'No time is open yet. The front desk will call you if one opens.',
    );
    expect(openTimesWords({ status: 'waiting', openings: { count: 0, first: [] } }, 'desk')).toBe('No time is open now.');
  });

  it('nothing for an entry booked or ended (the API sends no open times for them)', () => {
    expect(openTimesWords({ ...entry, status: 'booked' }, 'client')).toBeUndefined();
    expect(openTimesWords({ status: 'waiting', openings: null }, 'client')).toBeUndefined();
  });

  it('the desk’s column', () => {
    expect(openNowWords(3)).toBe('3 open now');
    expect(openNowWords(0)).toBe('None open now');
  });
});

describe('where the booking page opens from an entry', () => {
  it('its kind, place, any practitioner, on the week of its first open time', () => {
    expect(waitlistOpening(entry)).toEqual({ service: 'preparation', mode: 'telehealth', providerId: '', week: '2026-12-14' });
  });

  it('the week of the time chosen, in the clinic’s own date, and that time to choose', () => {
    const time = { startsAt: '2026-12-21T23:30:00-05:00', providerId: 'p2' };
    expect(waitlistOpening(entry, time)).toEqual({ service: 'preparation', mode: 'telehealth', providerId: '', week: '2026-12-21', time });
  });

  it("without a time clicked (a client's or the chart's Book), none to choose", () => {
    expect(waitlistOpening(entry)).not.toHaveProperty('time');
  });

  it('its practitioner; without open times, the week of its first date', () => {
    expect(waitlistOpening({ ...entry, providerId: 'p7', openings: null })).toEqual({
      service: 'preparation',
      mode: 'telehealth',
      providerId: 'p7',
      week: '2026-12-07',
    });
  });

  it('a week asked for is opened only from this week up to the last bookable day', () => {
    expect(weekToOpen('2026-12-14', '2026-11-30', '2027-03-01')).toBe('2026-12-14');
    expect(weekToOpen('2026-12-16', '2026-11-30', '2027-03-01')).toBe('2026-12-14');
    expect(weekToOpen('2026-11-23', '2026-11-30', '2027-03-01')).toBeUndefined();
    expect(weekToOpen('2027-03-08', '2026-11-30', '2027-03-01')).toBeUndefined();
    expect(weekToOpen(undefined, '2026-11-30', '2027-03-01')).toBeUndefined();
  });
});

describe('how far the form’s dates may go', () => {
  // Dec 1, 2026; the clinic books 90 days ahead: Mar 1, 2027 is the last day that can be booked
  const today = '2026-12-01';

  it('a client: the first date up to the booking window’s last day, said in its hint', () => {
    const b = waitlistDateBounds('2026-12-07', today, 90, 'client');
    expect(b.fromMax).toBe('2027-03-01');
    expect(b.fromHint).toBe('Up to Mar 1, 2027, the last day that can be booked.');
  });

  it('the desk: a year ahead, whatever the booking window', () => {
    const b = waitlistDateBounds('2026-12-07', today, 90, 'desk');
    expect(b.fromMax).toBe('2027-12-01');
    expect(b.fromHint).toBe('Up to Dec 1, 2027, a year ahead.');
  });

  it('the last date from the first to 31 dates in all, never before today, said in its hint', () => {
    expect(waitlistDateBounds('2026-12-07', today, 90, 'client').toHint).toBe('At most 31 days in all.');
    expect(waitlistDateBounds('2026-12-07', today, 90, 'client')).toMatchObject({ toMin: '2026-12-07', toMax: '2027-01-06' });
    expect(waitlistDateBounds('2026-11-20', today, 90, 'client')).toMatchObject({ toMin: today, toMax: '2026-12-20' });
    expect(waitlistDateBounds('', today, 90, 'client')).toMatchObject({ toMin: today, toMax: undefined });
  });
});

describe('dates refused before they are sent, each under its field', () => {
  const today = '2026-12-01';

  it('a first date past the last day that can be booked (a client), or past a year ahead (the desk)', () => {
    expect(waitlistDateProblems({ from: '2027-03-02', to: '2027-03-05' }, today, '2027-03-01', 'client')).toEqual({
      from: 'Choose a first date no later than Mar 1, 2027, the last day that can be booked.',
    });
    expect(waitlistDateProblems({ from: '2027-12-02', to: '2027-12-05' }, today, '2027-12-01', 'desk')).toEqual({
      from: 'Choose a first date no later than Dec 1, 2027, a year ahead.',
    });
  });

  it('the last day itself, and anything before it, is taken', () => {
    expect(waitlistDateProblems({ from: '2027-03-01', to: '2027-03-05' }, today, '2027-03-01', 'client')).toEqual({});
  });

  it('the last date before the first, or more than 31 dates, under the last date', () => {
    expect(waitlistDateProblems({ from: '2026-12-10', to: '2026-12-09' }, today, '2027-03-01', 'client')).toEqual({
      to: 'The last date must not be before the first.',
    });
    expect(waitlistDateProblems({ from: '2026-12-01', to: '2027-01-01' }, today, '2027-03-01', 'client')).toEqual({
      to: 'Choose at most 31 days.',
    });
  });

  it('a last date already past', () => {
    expect(waitlistDateProblems({ from: '2026-11-20', to: '2026-11-30' }, today, '2027-03-01', 'client')).toEqual({
      to: 'The last date must not be in the past.',
    });
  });

  it('both fields at once, each its own', () => {
    expect(waitlistDateProblems({ from: '2027-03-10', to: '2027-03-09' }, today, '2027-03-01', 'client')).toEqual({
      from: 'Choose a first date no later than Mar 1, 2027, the last day that can be booked.',
      to: 'The last date must not be before the first.',
    });
  });

  it('a field still empty: nothing said yet', () => {
    expect(waitlistDateProblems({ from: '', to: '' }, today, '2027-03-01', 'client')).toEqual({});
  });
});

describe('the open time the desk clicked, on the booking page', () => {
  const time = { startsAt: '2026-12-15T09:00:00-05:00', providerId: 'p2' };
  const slot = (startsAt: string, providerId: string) => ({ startsAt, endsAt: startsAt, providerId });
  const read = (slots: ReturnType<typeof slot>[]) => ({ from: '2026-12-14', to: '2027-01-10', slots });

  it('still offered: that slot is chosen', () => {
    const s = slot('2026-12-15T09:00:00-05:00', 'p2');
    expect(handedOverChoice(time, read([slot('2026-12-14T09:00:00-05:00', 'p2'), s]))).toEqual({ slot: s });
  });

  it('the same instant however written', () => {
    const s = slot('2026-12-15T14:00:00Z', 'p2');
    expect(handedOverChoice(time, read([s]))).toEqual({ slot: s });
  });

  it('with any practitioner: its own practitioner’s when still free, else the first at that instant (the one its button takes)', () => {
    const first = slot('2026-12-15T09:00:00-05:00', 'p1');
    const own = slot('2026-12-15T09:00:00-05:00', 'p2');
    expect(handedOverChoice(time, read([first, own]))).toEqual({ slot: own });
    expect(handedOverChoice(time, read([first]))).toEqual({ slot: first });
  });

  it('its date read and the time not among the times offered: taken', () => {
    expect(handedOverChoice(time, read([slot('2026-12-15T09:30:00-05:00', 'p2')]))).toBe('taken');
    expect(handedOverChoice(time, read([]))).toBe('taken');
  });

  it('its date not read (another week on screen): nothing to say', () => {
    expect(handedOverChoice(time, { from: '2027-01-11', to: '2027-02-07', slots: [] })).toBe('unread');
    expect(handedOverChoice(time, { from: '2026-11-16', to: '2026-12-14', slots: [] })).toBe('unread');
  });
});
