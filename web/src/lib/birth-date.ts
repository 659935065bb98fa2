// A date of birth checked before it is sent: the API refuses one that is not in the past (today
// or later in the clinic's zone, shared/services/client-service.ts) or before 1900 (its dates run
// 1900–2199, shared/http/schemas/scheduling.ts) in its own words ("Must be in the past", "Must be
// between 1900-01-01 and 2199-12-31"); a person hears it plainly, and the date field offers no
// later day and no earlier year.
import { addDays } from './format.ts';

/** The last date of birth the API takes on the clinic's `today`: the day before. A date field's `max`. */
export const latestBirthDate = (today: string): string => addDays(today, -1);

/** The first date of birth the API takes. A date field's `min`. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

/** A real calendar date written YYYY-MM-DD (not 2023-02-30). */
const isCalendarDate = (date: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
};

/** What is wrong with a date of birth (YYYY-MM-DD) on the clinic's `today`, in plain words; undefined when nothing is (or it is empty). */
export function birthDateProblem(dateOfBirth: string, today: string): string | undefined {
  if (dateOfBirth === '') return undefined;
  if (!isCalendarDate(dateOfBirth)) return 'Enter a real date of birth.';
  // a year typed short ("0199" for 1990) or a digit off: the API takes 1900 on
  if (dateOfBirth < EARLIEST_BIRTH_DATE) return 'Check the year: the date of birth must be 1900 or later.';
  if (dateOfBirth > today) return 'Date of birth can’t be in the future.';
  if (dateOfBirth === today) return 'Date of birth must be before today.';
  return undefined;
}
