// When My care offers "Add to calendar" and what its button is called (web/src/lib/calendar-rules.ts).
import { describe, expect, it } from 'vitest';
import { calendarButtonLabel, offersCalendarFile } from '../src/lib/calendar-rules.ts';

describe('offersCalendarFile', () => {
  const start = '2026-12-08T10:00:00-05:00';
  it.each([
    ['booked', Date.parse(start) - 1, true],
    // begun (the client late, not checked in yet): too late for a calendar
    ['booked', Date.parse(start), false],
    ['checked_in', Date.parse(start) - 1, false],
    ['cancelled', Date.parse(start) - 1, false],
    ['completed', Date.parse(start) - 1, false],
    ['no_show', Date.parse(start) - 1, false],
  ] as const)('%s, %d: %s', (status, now, offered) => {
    expect(offersCalendarFile({ status, startsAt: start }, now)).toBe(offered);
  });
});

describe('calendarButtonLabel', () => {
  it('starts with the visible words and names the session by its clinic-local date and time', () => {
    // \s: newer ICU puts a narrow no-break space before AM
    expect(calendarButtonLabel({ startsAt: '2026-12-08T10:00:00-05:00' }, 'America/New_York').replace(/\s/g, ' ')).toBe(
      'Add to calendar: Tue, Dec 8, 2026, 10:00 AM',
    );
    expect(calendarButtonLabel({ startsAt: '2026-12-08T22:30:00-05:00' }, 'America/New_York')).toMatch(/Dec 8, 2026, 10:30\sPM$/);
  });
});
