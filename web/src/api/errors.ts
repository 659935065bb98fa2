// The API's error codes and rule names (docs/api.md, "Errors", with the 422 rules) in
// words a client understands. A rule refused a booking: say which rule, and what to do about it.
import { ApiError } from './client.ts';
import { AuthError } from '../auth/provider.ts';

const RULES: Record<string, string> = {
  intake_required: 'Your intake session comes first: book your intake before this session, or choose a time after your intake.',
  clearance_required: 'Your medical clearance is needed before a dosing session. Book a medical evaluation with a prescriber first.',
  preparation_required: 'Preparation sessions come before your first dosing session: please book them first.',
  ride_home_required:
    'Please add a ride-home contact to your profile before booking a dosing session: you cannot drive for at least 8 hours afterwards.',
  exploration_spacing: 'Dosing sessions need at least two days between them. Please choose a later time.',
  telehealth_not_allowed: 'This session cannot be held by video. Please choose an in-person time.',
  minimum_notice: 'This time is too soon to book online. Please choose a later time, or call the clinic.',
  booking_window: 'This time is too far ahead to book online yet. Please choose an earlier time.',
  outside_hours: 'The clinic is not open at that time. Please choose another time.',
  no_credit: 'Your package has no session of this kind left.',
  payment_past_due: 'A payment on your package is past due. Please settle it before booking a dosing session.',
  provider_not_eligible: 'This practitioner does not offer this kind of session. Please choose another.',
  sms_consent_required: 'Text reminders need your consent first: turn on text messages in your profile.',
  installments_not_eligible: 'This purchase cannot be paid in installments.',
  bnpl_unavailable:
    'Paying later through a pay-later service is not offered for this clinic’s country and currency. Please pay in full or in installments.',
  billing_profile_missing:
    'The clinic has not finished setting up the details this document prints (its legal name, address and tax number) yet. Please ask the clinic.',
  diagnosis_required: 'Your clinician has not recorded the diagnosis codes this document needs yet. Please ask the clinic.',
  provider_npi_missing: 'The clinic has not recorded a practitioner number this document needs yet. Please ask the clinic.',
};

const CODES: Record<string, string> = {
  slot_unavailable: 'Someone has just taken this time. Please choose another one.',
  unauthenticated: 'Your session has ended. Please sign in again.',
  forbidden: 'You do not have access to this.',
  not_found: 'We could not find this. It may have been removed.',
  network: 'We could not reach the clinic’s system. Check your connection and try again.',
  unavailable: 'The system is busy right now. Please try again in a moment.',
};

/** Rules whose message the API writes for the client itself (the reason is specific: "… 3, 6 or 12 monthly payments"). */
const OWN_WORDS = new Set(['installments_not_eligible']);

/** The API refused the token (401): the session has ended, and signing in again is the way on. */
export const sessionEnded = (err: unknown): boolean => err instanceof ApiError && err.status === 401;

/**
 * A refusal the page has put in the person's own terms from what it knows (their own session at
 * that time, the preparation sessions they have booked): said as it is. The API's status, code and
 * rule stay, so what a page does on a code (a time taken: the week read again) still happens.
 */
export class ExplainedError extends ApiError {
  constructor(err: ApiError, words: string) {
    super(err.status, err.code, words, err.rule, err.details, err.correlationId, err.retryAfterSeconds);
  }
}

/** One sentence for the person, whatever went wrong. */
export function describeError(err: unknown): string {
  if (err instanceof AuthError || err instanceof ExplainedError) return err.message;
  if (!(err instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (err.code === 'rule_violated' && err.rule) return (OWN_WORDS.has(err.rule) && err.message) || (RULES[err.rule] ?? err.message);
  if (err.code === 'rate_limited') {
    const minutes = err.retryAfterSeconds ? Math.ceil(err.retryAfterSeconds / 60) : undefined;
    return minutes
      ? `Too many attempts. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
      : 'Too many attempts. Please try again later.';
  }
  if (err.code === 'validation_failed' && err.details.length > 0) {
    return `Please check the ${err.details.map((d) => fieldName(d.path)).join(', ')}.`;
  }
  // the same create still at work (a 409 with Retry-After: its Idempotency-Key is held), or the
  // system busy until such a key is free: how long, rather than "in a moment"
  const wait = err.retryAfterSeconds && err.retryAfterSeconds > 5 ? `about ${Math.ceil(err.retryAfterSeconds / 5) * 5} seconds` : undefined;
  if (err.code === 'conflict' && err.retryAfterSeconds)
    return `Your earlier attempt is still being processed. Please wait ${wait ?? 'a few seconds'}, then check whether it went through before trying again.`;
  if (err.code === 'unavailable' && wait) return `The system is busy right now. Please try again in ${wait}.`;
  if (err.code === 'conflict') return err.message;
  const known = CODES[err.code];
  if (known) return known;
  if (err.status >= 500)
    return `Something went wrong on our side. Please try again${err.correlationId ? ` (reference ${err.correlationId})` : ''}.`;
  return err.message;
}

/** The message for one field of a form, from a 400's details. */
export function fieldError(err: unknown, path: string): string | undefined {
  if (!(err instanceof ApiError) || err.code !== 'validation_failed') return undefined;
  const message = err.details.find((d) => d.path === path)?.message;
  // a real number, but not one a person can be reached and texted at (#domain/phone.ts: toll-free,
  // premium-rate and other special numbers, or another country's)
  if (message && /phone$/i.test(path) && /mobile or landline/i.test(message))
    return 'Enter a US or Canadian mobile or landline number: toll-free and other special numbers can’t be used.';
  // the API speaks E.164; a person types (212) 555-0123
  if (message && /phone$/i.test(path)) return 'Enter a US or Canadian phone number, e.g. (212) 555-0123.';
  // the API speaks YYYY-MM-DD; a date field shows the browser's own format
  if (message && /YYYY-MM-DD/.test(message)) return 'Enter a date.';
  // the API's "Must be in the past" (its clock may be a day ahead of the browser's check)
  if (message && path === 'dateOfBirth' && /past/i.test(message)) return 'Date of birth must be before today.';
  // the API's "Must be between 1900-01-01 and 2199-12-31"
  if (message && path === 'dateOfBirth' && /between/i.test(message)) return 'Check the year: the date of birth must be 1900 or later.';
  return message;
}

const FIELD_NAMES: Record<string, string> = {
  firstName: 'first name',
  lastName: 'last name',
  email: 'e-mail',
  phone: 'phone',
  dateOfBirth: 'date of birth',
  'rideHome.name': 'ride-home contact’s name',
  'rideHome.phone': 'ride-home contact’s phone',
  startsAt: 'time',
  from: 'first date',
  to: 'last date',
  validUntil: 'date the clearance is valid until',
  screenedFor: 'items screened for',
  notes: 'notes',
  codes: 'diagnosis codes',
};
const fieldName = (path: string | undefined) => (path ? (FIELD_NAMES[path] ?? path) : 'request');
