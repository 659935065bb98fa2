// A date of birth checked before it is sent: the API refuses one that is not in the past (today
// or later in the clinic's zone, shared/services/client-service.ts) in its own words ("Must be in
// the past"); a person hears it plainly, and the date field offers no later day.
import { addDays } from './format.ts';

/** The last date of birth the API takes on the clinic's `today`: the day before. A date field's `max`. */
export const latestBirthDate = (today: string): string => addDays(today, -1);

/** What is wrong with a date of birth (YYYY-MM-DD) on the clinic's `today`, in plain words; undefined when nothing is (or it is empty). */
export function birthDateProblem(dateOfBirth: string, today: string): string | undefined {
  if (dateOfBirth === '') return undefined;
  if (dateOfBirth > today) return 'Date of birth can’t be in the future.';
  if (dateOfBirth === today) return 'Date of birth must be before today.';
  return undefined;
}
