// When My care offers "Add to calendar", and what the button is called for a screen reader. Apart
// from calendar-file.ts, which builds the file: that module (and the denylist it reads) is loaded
// only on click, this one is in the page's own bundle.
import type { Appointment } from './clinic-data.ts';
import { formatDateTime } from './format.ts';

/** A session still booked that has not started: one a calendar can still use. */
export const offersCalendarFile = (a: Pick<Appointment, 'status' | 'startsAt'>, now: number): boolean =>
  a.status === 'booked' && Date.parse(a.startsAt) > now;

/** The button's accessible name: its visible words first, then which session (in the clinic's time). */
export const calendarButtonLabel = (a: Pick<Appointment, 'startsAt'>, timeZone: string): string =>
  `Add to calendar: ${formatDateTime(a.startsAt, timeZone)}`;
