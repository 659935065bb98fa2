// Environment, read once and checked at cold start: a missing or malformed variable fails the
// function's start, not some request later.
import { z } from 'zod';

const schema = z.object({
  TABLE_NAME: z.string().min(1),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Set only locally (DynamoDB Local); on AWS the SDK's default endpoint is used. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** SMS per second the origination number may send (the reminder job's rate cap). */
  SMS_RATE_PER_SECOND: z.coerce.number().positive().max(1000).default(1),
  /** Notices (confirmation / moved / cancelled; not reminders) per client per clinic-local day. */
  SMS_DAILY_NOTICE_CAP: z.coerce.number().int().positive().max(1000).default(10),
  /** Origination number (E.164) registered for Kapstone's SMS; unset: the account default. */
  SMS_ORIGINATION_NUMBER: z.string().regex(/^\+[1-9]\d{6,14}$/).optional(),
  /** Alphanumeric sender id, where the destination country allows one. */
  SMS_SENDER_ID: z.string().regex(/^[A-Za-z0-9]{1,11}$/).optional(),
  /** "How to reschedule" in every SMS. */
  SMS_RESCHEDULE_HINT: z.string().min(1).max(80).default('use the online booking page or call the clinic'),
  /** Cognito user pool and app client whose tokens the HTTP functions verify (optional bearer on public routes). */
  USER_POOL_ID: z.string().min(1).optional(),
  USER_POOL_CLIENT_ID: z.string().min(1).optional(),
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
