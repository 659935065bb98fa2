// The Time off page's checks before sending (web/src/lib/time-off-rules.ts): the clinic-local date
// and time as an instant in the clinic's zone (across a clock change too), the API's limits in the
// form's words, what is sent, and how a span is said on the page and the day view.
import { describe, expect, it } from 'vitest';
import {
  checkTimeOff,
  emptyTimeOffForm,
  EVERY_PRACTITIONER,
  overlaps,
  periodZoneText,
  spanOnDay,
  spanText,
  timeOffWords,
  withFromDate,
  type TimeOffForm,
} from '../src/lib/time-off-rules.ts';

const NY = 'America/New_York';
const now = Date.parse('2026-12-01T12:00:00Z');
const form: TimeOffForm = {
  providerId: 'demo-nyc-ther-1',
  fromDate: '2026-12-14',
  fromTime: '09:00',
  toDate: '2026-12-14',
  toTime: '13:00',
  label: '',
};
const problems = (changes: Partial<TimeOffForm>, at = now) => checkTimeOff({ ...form, ...changes }, NY, at).problems;
/** Says the same as a narrow no-break space before AM/PM (Intl's). */
const plain = (s: string) => s.replace(/\u202f/g, ' ');

describe('time off, checked before it is sent', () => {
  it('sends the clinic-local times as instants of the clinic’s zone, the label trimmed, none when empty', () => {
    expect(checkTimeOff({ ...form, label: '  Conference ' }, NY, now)).toEqual({
      problems: {},
      parts: {},
      request: {
        providerId: 'demo-nyc-ther-1',
        body: { startsAt: '2026-12-14T14:00:00.000Z', endsAt: '2026-12-14T18:00:00.000Z', label: 'Conference' },
      },
    });
    expect(checkTimeOff({ ...form, label: '   ' }, NY, now).request?.body).toEqual({
      startsAt: '2026-12-14T14:00:00.000Z',
      endsAt: '2026-12-14T18:00:00.000Z',
    });
  });

  it('every practitioner (the clinic closed): one request without a practitioner, the same span', () => {
    const every = { ...form, providerId: EVERY_PRACTITIONER };
    expect(checkTimeOff(every, NY, now).request).toEqual({
      providerId: null,
      body: { startsAt: '2026-12-14T14:00:00.000Z', endsAt: '2026-12-14T18:00:00.000Z' },
    });
    expect(checkTimeOff(form, NY, now).request?.providerId).toBe('demo-nyc-ther-1');
  });

  it('takes each end’s own offset: across the spring clock change, 9:00 AM is 14:00 UTC before and 13:00 UTC after', () => {
    const body = checkTimeOff({ ...form, fromDate: '2027-03-12', toDate: '2027-03-16', toTime: '09:00' }, NY, now).request?.body;
    expect(body).toEqual({ startsAt: '2027-03-12T14:00:00.000Z', endsAt: '2027-03-16T13:00:00.000Z' });
    // and in Toronto's zone, its own
    expect(checkTimeOff({ ...form, fromDate: '2027-07-01', toDate: '2027-07-01' }, 'America/Toronto', now).request?.body.startsAt).toBe(
      '2027-07-01T13:00:00.000Z',
    );
  });

  it('refuses a time the clocks skip', () => {
    expect(problems({ fromDate: '2027-03-14', fromTime: '02:30', toDate: '2027-03-14' }).startsAt).toMatch(/does not exist on this date/);
    expect(problems({ fromDate: '2027-03-13', toDate: '2027-03-14', toTime: '02:00' }).endsAt).toMatch(/does not exist on this date/);
  });

  it('names the input to correct when the date or the time alone is wrong; both for a span refused as a whole', () => {
    const parts = (changes: Partial<TimeOffForm>) => checkTimeOff({ ...form, ...changes }, NY, now).parts;
    expect(parts({ fromDate: '' })).toEqual({ startsAt: 'date' });
    expect(parts({ toTime: '' })).toEqual({ endsAt: 'time' });
    expect(parts({ fromDate: '', fromTime: '' })).toEqual({});
    expect(parts({ fromTime: '09:10' })).toEqual({ startsAt: 'time' });
    expect(parts({ fromDate: '2027-03-14', fromTime: '02:30', toDate: '2027-03-14' })).toEqual({ startsAt: 'time' });
    expect(parts({ toTime: '08:00' })).toEqual({});
  });

  it('asks for a practitioner, and each end’s day and time', () => {
    expect(problems({ providerId: '' })).toEqual({ providerId: 'Choose the practitioner.' });
    expect(problems({ fromDate: '' })).toEqual({ startsAt: 'Enter the day and time the time off starts.' });
    expect(problems({ fromTime: '' })).toEqual({ startsAt: 'Enter the day and time the time off starts.' });
    expect(problems({ toDate: '', toTime: '' })).toEqual({ endsAt: 'Enter the day and time the practitioner is back.' });
    expect(checkTimeOff({ ...form, providerId: '' }, NY, now).request).toBeUndefined();
  });

  it('each end on a quarter hour, as a session’s start', () => {
    expect(problems({ fromTime: '09:10' })).toEqual({ startsAt: 'Use a quarter hour: :00, :15, :30 or :45.' });
    expect(problems({ toTime: '12:59' })).toEqual({ endsAt: 'Use a quarter hour: :00, :15, :30 or :45.' });
    expect(problems({ fromTime: '09:45', toTime: '12:15' })).toEqual({});
  });

  it('the end after the start', () => {
    expect(problems({ toTime: '09:00' })).toEqual({ endsAt: 'The end must be after the start.' });
    expect(problems({ toDate: '2026-12-13' })).toEqual({ endsAt: 'The end must be after the start.' });
  });

  it('the end in the future: time off already over changes nothing; one under way may be entered', () => {
    expect(problems({}, Date.parse('2026-12-14T18:00:00Z'))).toEqual({
      endsAt: 'This time off is already over: the end must be in the future.',
    });
    expect(problems({}, Date.parse('2026-12-14T17:59:00Z'))).toEqual({});
  });

  it(`at most 93 days, counted in hours as the API does (a clock change in between shortens the days by one hour)`, () => {
    const long = { fromDate: '2026-12-14', fromTime: '09:00', toDate: '2027-03-17' };
    // 93 calendar days and the hour the clocks went forward: exactly 93 × 24 hours
    expect(problems({ ...long, toTime: '10:00' })).toEqual({});
    expect(problems({ ...long, toTime: '10:15' })).toEqual({ endsAt: 'At most 93 days: enter a longer absence in parts.' });
  });

  it('a label of at most 60 characters', () => {
    expect(problems({ label: 'x'.repeat(60) })).toEqual({});
    expect(problems({ label: 'x'.repeat(61) })).toEqual({ label: 'At most 60 characters.' });
  });

  it('says the API’s refusals in the form’s words, and any other as it is', () => {
    expect(timeOffWords('Must be on a 15-minute boundary')).toBe('Use a quarter hour: :00, :15, :30 or :45.');
    expect(timeOffWords('Must be after startsAt')).toBe('The end must be after the start.');
    expect(timeOffWords('Must be in the future: time off already over changes nothing')).toMatch(/already over/);
    expect(timeOffWords('At most 93 days after startsAt: enter a longer absence in parts')).toBe(
      'At most 93 days: enter a longer absence in parts.',
    );
    expect(timeOffWords('At most 60 characters')).toBe('At most 60 characters');
  });
});

describe('the form', () => {
  it('opens on a working day’s hours, with no day or practitioner chosen', () => {
    expect(emptyTimeOffForm()).toEqual({ providerId: '', fromDate: '', fromTime: '09:00', toDate: '', toTime: '17:00', label: '' });
  });

  it('the last day follows the first until it is chosen, and never stays before it', () => {
    const first = withFromDate(emptyTimeOffForm(), '2026-12-14');
    expect(first.toDate).toBe('2026-12-14');
    const chosen = { ...first, toDate: '2026-12-18' };
    expect(withFromDate(chosen, '2026-12-15').toDate).toBe('2026-12-18');
    expect(withFromDate(chosen, '2026-12-20').toDate).toBe('2026-12-20');
    expect(withFromDate(chosen, '').toDate).toBe('2026-12-18');
  });
});

describe('a span in words', () => {
  it('on the Time off page', () => {
    expect(plain(spanText({ startsAt: '2026-12-14T09:00:00-05:00', endsAt: '2026-12-14T13:00:00-05:00' }, NY))).toBe(
      'Mon, Dec 14, 2026, 9:00 AM – 1:00 PM',
    );
    expect(plain(spanText({ startsAt: '2026-12-14T13:00:00-05:00', endsAt: '2026-12-16T17:00:00-05:00' }, NY))).toBe(
      'Mon, Dec 14, 2026, 1:00 PM – Wed, Dec 16, 2026, 5:00 PM',
    );
    // midnight to midnight: the days themselves, the end's day not among them
    expect(spanText({ startsAt: '2026-12-14T00:00:00-05:00', endsAt: '2026-12-15T00:00:00-05:00' }, NY)).toBe('Dec 14, 2026, all day');
    expect(spanText({ startsAt: '2027-03-12T00:00:00-05:00', endsAt: '2027-03-16T00:00:00-04:00' }, NY)).toBe(
      'Mar 12, 2027 – Mar 15, 2027, whole days',
    );
  });

  it('on one day of the day view', () => {
    const day = '2026-12-15';
    const say = (startsAt: string, endsAt: string) => plain(spanOnDay({ startsAt, endsAt }, day, NY));
    expect(say('2026-12-15T09:00:00-05:00', '2026-12-15T13:00:00-05:00')).toBe('9:00 AM – 1:00 PM');
    expect(say('2026-12-14T09:00:00-05:00', '2026-12-15T13:00:00-05:00')).toBe('until 1:00 PM');
    expect(say('2026-12-15T13:00:00-05:00', '2026-12-17T09:00:00-05:00')).toBe('from 1:00 PM');
    expect(say('2026-12-14T09:00:00-05:00', '2026-12-17T09:00:00-05:00')).toBe('all day');
    expect(say('2026-12-15T00:00:00-05:00', '2026-12-16T00:00:00-05:00')).toBe('all day');
  });

  it('overlaps: a session may end as time off starts, or start as it ends', () => {
    const off = { startsAt: '2026-12-15T09:00:00-05:00', endsAt: '2026-12-15T13:00:00-05:00' };
    expect(overlaps(off, { startsAt: '2026-12-15T08:00:00-05:00', endsAt: '2026-12-15T09:00:00-05:00' })).toBe(false);
    expect(overlaps(off, { startsAt: '2026-12-15T13:00:00-05:00', endsAt: '2026-12-15T14:00:00-05:00' })).toBe(false);
    expect(overlaps(off, { startsAt: '2026-12-15T12:30:00-05:00', endsAt: '2026-12-15T13:30:00-05:00' })).toBe(true);
    // the same instants in another offset
    expect(overlaps(off, { startsAt: '2026-12-15T13:00:00Z', endsAt: '2026-12-15T14:30:00Z' })).toBe(true);
  });
});

describe('the zone of the period listed', () => {
  it('named once, or with the clock change in it and from when', () => {
    expect(periodZoneText(NY, '2027-01-10', '2027-02-09')).toBe('New York time (Eastern Standard Time)');
    expect(periodZoneText(NY, '2027-02-25', '2027-03-27')).toBe(
      'New York time (Eastern Standard Time; Eastern Daylight Time from Mar 14, 2027)',
    );
    expect(periodZoneText('America/Toronto', '2026-10-20', '2026-11-19')).toBe(
      'Toronto time (Eastern Daylight Time; Eastern Standard Time from Nov 1, 2026)',
    );
  });
});
