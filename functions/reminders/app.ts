// Builds the reminder job from its dependencies. handler.ts calls this once at cold start with the
// real AWS clients; the local server and tests call it with DynamoDB Local and their own sender.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import type { SmsSender } from '#adapters/sms.ts';
import { AppointmentRepository } from '#db/appointment-repo.ts';
import { ClientRepository } from '#db/client-repo.ts';
import { ClinicRepository } from '#db/clinic-repo.ts';
import { SmsRepository } from '#db/sms-repo.ts';
import { ReminderJob, realTimer, type ReminderJobOptions, type Timer } from '#services/reminder-job.ts';

export interface ReminderDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  logger: Logger;
  sender: SmsSender;
  options: ReminderJobOptions;
  timer?: Timer;
}

export function createReminderJob(deps: ReminderDeps): ReminderJob {
  const { doc, tableName, clock } = deps;
  return new ReminderJob(
    {
      appointments: new AppointmentRepository(doc, tableName),
      clinics: new ClinicRepository(doc, tableName),
      clients: new ClientRepository(doc, tableName),
      clock,
    },
    new SmsRepository(deps.doc, deps.tableName),
    deps.sender,
    deps.logger,
    deps.options,
    deps.timer ?? realTimer,
  );
}
