// The SMS helpers of the local runtime (docs/operations.md, "Local development helpers"): the outbox the
// local sender writes to, a run of the reminder job as if it were a given time, and a way to put
// a number on Kapstone's own opt-out list (what a client asking the clinic to stop texting does;
// SNS's list is played by the outbox sender and is empty locally).
import { z } from 'zod';
import { ConflictError } from '#domain/errors.ts';
import { parseWith } from '#http/validation.ts';
import { SmsRepository } from '#db/sms-repo.ts';
import type { DevContext, DevRoute } from './dev-routes.ts';

const runSchema = z.strictObject({ now: z.iso.datetime({ offset: true }).optional() });
const optOutSchema = z.strictObject({ phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'E.164'), optedOut: z.boolean().default(true) });

function reminders(ctx: DevContext) {
  if (!ctx.reminders) throw new ConflictError('The reminder job is not running in this server');
  return ctx.reminders;
}

export const REMINDER_DEV_ROUTES: DevRoute[] = [
  {
    method: 'GET',
    path: '/v1/dev/outbox',
    handle: async (_req, ctx) => ({ status: 200, body: reminders(ctx).outbox.list() }),
  },
  {
    method: 'POST',
    path: '/v1/dev/reminders/run',
    handle: async (req, ctx) => {
      const { now } = parseWith(runSchema, req.json() ?? {});
      const result = await reminders(ctx).job.run(now === undefined ? {} : { now: Date.parse(now) });
      return {
        status: 200,
        body: {
          sent: result.sent.map(({ to, body, sentAt, appointmentId, kind }) => ({ to, body, sentAt, appointmentId, kind })),
          skipped: result.skipped,
          retried: result.retried,
          deadLettered: result.deadLettered,
          remaining: result.remaining,
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v1/dev/sms/opt-outs',
    handle: async (req, ctx) => {
      const { phone, optedOut } = parseWith(optOutSchema, req.json() ?? {});
      await new SmsRepository(ctx.doc, ctx.tableName).setOptOut(phone, optedOut, ctx.clock.now());
      return { status: 200, body: { phone, optedOut } };
    },
  },
];
