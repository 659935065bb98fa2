// Environment, read once and checked at cold start: a missing or malformed variable fails the
// function's start, not some request later, with every problem named at once.
//
// Checked by the few readers below rather than with zod: this module is on every function's
// import path, and for the reminder and refund jobs it was the only thing that loaded zod, whose
// code and schema objects cost them about 2.5 ms of each cold start for eleven strings
// (docs/decisions.md, "Cold start", "No zod in the jobs"). Requests are still validated with zod; the
// export job's event is checked by hand too (functions/exports/app.ts exportIdOf).

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface Config {
  TABLE_NAME: string;
  AWS_REGION: string;
  /** Set only locally (DynamoDB Local); on AWS the SDK's default endpoint is used. */
  DYNAMODB_ENDPOINT?: string | undefined;
  LOG_LEVEL: LogLevel;
  /** SMS per second the origination number may send (the reminder job's rate cap). */
  SMS_RATE_PER_SECOND: number;
  /** Notices (confirmation / moved / cancelled; not reminders) per client per clinic-local day. */
  SMS_DAILY_NOTICE_CAP: number;
  /** Origination number (E.164) registered for Kapstone's SMS; unset: the account default. */
  SMS_ORIGINATION_NUMBER?: string | undefined;
  /** Alphanumeric sender id, where the destination country allows one. */
  SMS_SENDER_ID?: string | undefined;
  /** "How to reschedule" in every SMS. */
  SMS_RESCHEDULE_HINT: string;
  /** Cognito user pool and app client whose tokens the HTTP functions verify (optional bearer on public routes). */
  USER_POOL_ID?: string | undefined;
  USER_POOL_CLIENT_ID?: string | undefined;
}

const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** A variable's check: why its (set) value is wrong, or undefined when it is fine. */
export type Check = (value: string) => string | undefined;

export const nonEmpty: Check = (v) => (v.length > 0 ? undefined : 'must not be empty');
const maxLength =
  (n: number): Check =>
  (v) =>
    nonEmpty(v) ?? (v.length <= n ? undefined : `must be at most ${n} characters`);
const matching =
  (pattern: RegExp, what: string): Check =>
  (v) =>
    pattern.test(v) ? undefined : `must be ${what}`;
/** An absolute http(s) URL: the endpoints and base addresses the functions read. */
export const url: Check = (v) => (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol) ? undefined : 'must be an http(s) URL');
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    values.includes(v) ? undefined : `must be one of ${values.join(', ')}`;
/** A number written the way Number() reads it (surrounding spaces allowed), within (0, max]. */
const positive =
  (max: number, integer: boolean): Check =>
  (v) => {
    const n = v.trim() === '' ? NaN : Number(v);
    if (!Number.isFinite(n)) return 'must be a number';
    if (integer && !Number.isInteger(n)) return 'must be a whole number';
    return n > 0 && n <= max ? undefined : `must be above 0 and at most ${max}`;
  };

/** Reads variables, checks them, and collects every problem (so that one start names them all). */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The variable's value once checked; `fallback` when it is not set (no fallback: required). */
  read(name: string, check: Check, fallback?: string): string {
    const value = this.env[name];
    if (value === undefined) {
      if (fallback === undefined) this.problems.push(`${name}: required`);
      return fallback ?? '';
    }
    const problem = check(value);
    if (problem) this.problems.push(`${name}: ${problem}`);
    return value;
  }

  optional(name: string, check: Check): string | undefined {
    return this.env[name] === undefined ? undefined : this.read(name, check);
  }

  /** Throws naming every variable that is missing or malformed (never a value: some are ARNs). */
  done(): void {
    if (this.problems.length > 0) throw new Error(`Invalid configuration: ${this.problems.join('; ')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = new EnvReader(env);
  const config: Config = {
    TABLE_NAME: r.read('TABLE_NAME', nonEmpty),
    AWS_REGION: r.read('AWS_REGION', nonEmpty, 'us-east-1'),
    DYNAMODB_ENDPOINT: r.optional('DYNAMODB_ENDPOINT', url),
    LOG_LEVEL: r.read('LOG_LEVEL', oneOf(LOG_LEVELS), 'INFO') as LogLevel,
    SMS_RATE_PER_SECOND: Number(r.read('SMS_RATE_PER_SECOND', positive(1000, false), '1')),
    SMS_DAILY_NOTICE_CAP: Number(r.read('SMS_DAILY_NOTICE_CAP', positive(1000, true), '50')),
    SMS_ORIGINATION_NUMBER: r.optional('SMS_ORIGINATION_NUMBER', matching(/^\+[1-9]\d{6,14}$/, 'an E.164 number')),
    SMS_SENDER_ID: r.optional('SMS_SENDER_ID', matching(/^[A-Za-z0-9]{1,11}$/, '1 to 11 letters or digits')),
    SMS_RESCHEDULE_HINT: r.read('SMS_RESCHEDULE_HINT', maxLength(80), 'use the online booking page or call the clinic'),
    USER_POOL_ID: r.optional('USER_POOL_ID', nonEmpty),
    USER_POOL_CLIENT_ID: r.optional('USER_POOL_CLIENT_ID', nonEmpty),
  };
  r.done();
  return config;
}

/**
 * A function's own variables beyond Config (its secret's ARN, its bucket…), all required and
 * checked the same way: `loadEnv({ STRIPE_SECRET_ARN: nonEmpty, APP_BASE_URL: url })`.
 */
export function loadEnv<const K extends string>(checks: Record<K, Check>, env: NodeJS.ProcessEnv = process.env): Record<K, string> {
  const r = new EnvReader(env);
  const values = {} as Record<K, string>;
  for (const name of Object.keys(checks) as K[]) values[name] = r.read(name, checks[name]);
  r.done();
  return values;
}
