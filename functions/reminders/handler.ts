// Lambda entry of the reminder job, invoked by an EventBridge schedule every minute
// (infra/lib/reminders.ts; reserved concurrency 1, so runs never overlap on AWS — the job is
// exactly-once under overlap anyway). Each run stops taking new SMS 10 s before the function's
// timeout; what is left stays due for the next run.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { loadConfig } from '#shared/config.ts';
import { createDocumentClient } from '#db/client.ts';
import { systemClock } from '#adapters/clock.ts';
import { onFirstUse } from '#adapters/on-first-use.ts';
import type { SmsSender } from '#adapters/sms.ts';
import { createReminderJob } from './app.ts';

const config = loadConfig();
const logger = new Logger({ serviceName: 'reminders', logLevel: config.LOG_LEVEL });
const SAFETY_MS = 10_000;

// The SNS adapter (and the SNS client with it) is imported on the first SMS of the process, not at
// cold start: most runs find nothing due and never ask SNS (docs/decisions.md, "Cold start").
const snsSender = onFirstUse(async () =>
  (await import('#adapters/sns-sms.ts')).createSnsSmsSender(config.AWS_REGION, {
    senderId: config.SMS_SENDER_ID,
    originationNumber: config.SMS_ORIGINATION_NUMBER,
  }),
);
const sender: SmsSender = {
  send: async (to, body, meta) => (await snsSender()).send(to, body, meta),
  isOptedOut: async (phone) => (await snsSender()).isOptedOut(phone),
};

const job = createReminderJob({
  doc: createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }),
  tableName: config.TABLE_NAME,
  clock: systemClock,
  logger,
  sender,
  options: {
    ratePerSecond: config.SMS_RATE_PER_SECOND,
    rescheduleHint: config.SMS_RESCHEDULE_HINT,
    dailyNoticeCap: config.SMS_DAILY_NOTICE_CAP,
  },
});

export const handler = async (_event: ScheduledEvent, context: Context) => {
  const result = await job.run({ budgetMs: Math.max(1_000, context.getRemainingTimeInMillis() - SAFETY_MS) });
  // What went out, by count only: no number or text leaves the function.
  return {
    sent: result.sent.length,
    skipped: result.skipped.length,
    retried: result.retried,
    deadLettered: result.deadLettered,
    remaining: result.remaining,
  };
};
