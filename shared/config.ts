// Environment, read once and checked at cold start: a missing or malformed variable fails the
// function's start, not some request later.
import * as z from '#http/schemas/zod.ts';

const schema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  /** Set only locally (DynamoDB Local); on AWS the SDK's default endpoint is used. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']), 'INFO'),
  /** SMS per second the origination number may send (the reminder job's rate cap). */
  SMS_RATE_PER_SECOND: z._default(z.coerce.number().check(z.positive(), z.lte(1000)), 1),
  /** Notices (confirmation / moved / cancelled; not reminders) per client per clinic-local day. */
  SMS_DAILY_NOTICE_CAP: z._default(z.coerce.number().check(z.int(), z.positive(), z.lte(1000)), 50),
  /** Origination number (E.164) registered for Kapstone's SMS; unset: the account default. */
  SMS_ORIGINATION_NUMBER: z.optional(z.string().check(z.regex(/^\+[1-9]\d{6,14}$/))),
  /** Alphanumeric sender id, where the destination country allows one. */
  SMS_SENDER_ID: z.optional(z.string().check(z.regex(/^[A-Za-z0-9]{1,11}$/))),
  /** "How to reschedule" in every SMS. */
  SMS_RESCHEDULE_HINT: z._default(z.string().check(z.minLength(1), z.maxLength(80)), 'use the online booking page or call the clinic'),
  /** Cognito user pool and app client whose tokens the HTTP functions verify (optional bearer on public routes). */
  USER_POOL_ID: z.optional(z.string().check(z.minLength(1))),
  USER_POOL_CLIENT_ID: z.optional(z.string().check(z.minLength(1))),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
