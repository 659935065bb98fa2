// A National Provider Identifier checked in the browser before it is sent: the API's own rule
// (shared/domain/npi.ts, a pure module the app imports as it is), in words for the form.
import { isValidNpi } from '../../../shared/domain/npi.ts';

/** What is wrong with a typed NPI, or undefined. */
export function npiProblem(s: string): string | undefined {
  if (!/^\d{10}$/.test(s)) return 'An NPI is 10 digits.';
  if (!isValidNpi(s)) return 'This is not a valid NPI: its last digit (the check digit) does not match. Please check the number.';
  return undefined;
}
