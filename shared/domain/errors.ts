// Named errors thrown by services and domain rules. The router (shared/http/api.ts) maps
// them to the status and body of docs/api.md, "Errors"; nothing else decides a status code.

export const BOOKING_RULES = [
  'telehealth_not_allowed',
  'minimum_notice',
  'booking_window',
  'outside_hours',
  'intake_required',
  'clearance_required',
  'preparation_required',
  'ride_home_required',
  'exploration_spacing',
  'no_credit',
  'payment_past_due',
] as const;
export type BookingRule = (typeof BOOKING_RULES)[number];

/** Every 422 rule name: the booking rules in reporting order (docs/api.md), then the rest. */
export type RuleName =
  | BookingRule
  | 'installments_not_eligible'
  | 'bnpl_unavailable'
  | 'sms_consent_required'
  | 'provider_not_eligible'
  // superbills and insurance receipts (shared/domain/superbill.ts)
  | 'billing_profile_missing'
  | 'diagnosis_required'
  | 'provider_npi_missing';

export interface FieldIssue {
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'validation_failed';
  constructor(
    readonly details: FieldIssue[],
    message = 'The request is not valid',
  ) {
    super(message);
  }
}

/** Throws a ValidationError with `issues` unless there are none: a rule's FieldIssue[] as a check. */
export function assertNoIssues(issues: FieldIssue[]): void {
  if (issues.length > 0) throw new ValidationError(issues);
}

export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  constructor(message = 'A valid bearer token is required') {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(message = 'You are not allowed to do this') {
    super(message);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(what = 'record') {
    super(`No such ${what}`);
  }
}

export type BookableResource = 'provider' | 'room' | 'client';

export class SlotUnavailableError extends AppError {
  readonly status = 409;
  readonly code = 'slot_unavailable';
  constructor(
    message = 'The therapist, room or client is not free at that time',
    /** Which resources were found taken, when known (a taken room alone lets the caller try another). */
    readonly taken: readonly BookableResource[] = [],
  ) {
    super(message);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
}

/**
 * An Idempotency-Key another request still holds: a 409 like any conflict, with Retry-After
 * saying when the key is free at the latest (its claim given back, or taken over as stale).
 */
export class KeyInUseError extends ConflictError {
  constructor(readonly retryAfterSeconds: number) {
    super('A request with this Idempotency-Key is still in progress');
  }
}

export class RuleViolation extends AppError {
  readonly status = 422;
  readonly code = 'rule_violated';
  constructor(
    readonly rule: RuleName,
    message: string,
  ) {
    super(message);
  }
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code: string = 'unavailable';
  constructor(message = 'The service is busy, try again shortly') {
    super(message);
  }
}

/**
 * The payment processor (Stripe) could not be reached, failed on its side or is rate limiting us,
 * after the SDK's own retries: a 503 with Retry-After like any unavailable dependency, under its
 * own code. Nothing of the processor's answer is shown; `cause` keeps it for the logs.
 */
export class PaymentUnavailableError extends ServiceUnavailableError {
  override readonly code = 'payment_unavailable';
  constructor(message = 'The payment processor is unavailable, try again shortly', options?: { cause?: unknown }) {
    super(message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** Over a per-caller limit (docs/api.md, "Rate limits and Retry-After"): answered with Retry-After. */
export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests, try again later',
  ) {
    super(message);
  }
}
