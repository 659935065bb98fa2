// The refund job on AWS (shared/services/refund-job.ts): its function, the schedule, the right to
// read the Stripe secret, and the alarms.
//
// Decisions, as for the SMS job (infra/lib/reminders.ts):
// - Every five minutes, reserved concurrency 1: runs never overlap, and a refund owed waits at most
//   one tick after the cancel that made it (each attempt carries its idempotency key anyway).
// - No SQS DLQ: the work is the to-do entries in the table (a failed run leaves them due for the
//   next tick); a refund given up on is marked on its invoice and logged with
//   `metric: "RefundDeadLettered"`, which a metric filter counts and an alarm fires on. A second
//   alarm fires when the job itself fails.
import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterPattern } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { jobErrorsAlarm, logLineAlarm } from './job-alarms.ts';
import { KapstoneFunction } from './kapstone-function.ts';

export interface RefundsProps {
  stage: string;
  entry: string;
  environment: Record<string, string>;
  stripeSecret: ISecret;
  logEncryptionKey?: IKey;
  alarmTopic?: ITopic;
}

export const REFUND_DEAD_LETTER_METRIC = { namespace: 'Kapstone/Billing', name: 'RefundDeadLettered' } as const;

export class Refunds extends Construct {
  readonly fn: KapstoneFunction;
  readonly deadLetterAlarm: Alarm;
  readonly jobErrorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: RefundsProps) {
    super(scope, id);
    const { stage } = props;
    this.fn = new KapstoneFunction(this, 'Function', {
      description: `Kapstone ${stage}: refunds owed on invoices (every five minutes)`,
      entry: props.entry,
      timeout: Duration.seconds(60),
      reservedConcurrentExecutions: 1,
      ...(props.logEncryptionKey ? { logEncryptionKey: props.logEncryptionKey } : {}),
      environment: { ...props.environment, POWERTOOLS_SERVICE_NAME: 'refunds', STRIPE_SECRET_ARN: props.stripeSecret.secretArn },
    });
    props.stripeSecret.grantRead(this.fn);

    new Rule(this, 'Schedule', {
      description: `Kapstone ${stage}: runs the refund job every five minutes`,
      schedule: Schedule.rate(Duration.minutes(5)),
      // a missed run is made up by the next one (refunds owed stay due): no overlapping retries
      targets: [new LambdaFunction(this.fn, { retryAttempts: 0 })],
    });
    Validations.of(this.fn).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason:
        "The job's only input is EventBridge's tick, which carries no data: a failed run is redone by the next " +
        'tick (refunds owed stay due in the table), a refund given up on is marked on its invoice, and both raise ' +
        'an alarm (JobErrorsAlarm, DeadLetterAlarm). A queue of ticks would hold nothing to replay.',
    });

    this.deadLetterAlarm = logLineAlarm(
      this,
      { filter: 'DeadLetters', alarm: 'DeadLetterAlarm' },
      {
        logGroup: this.fn.logGroup,
        filterPattern: FilterPattern.stringValue('$.metric', '=', REFUND_DEAD_LETTER_METRIC.name),
        metric: REFUND_DEAD_LETTER_METRIC,
        description: `Kapstone ${stage}: a refund owed to a client was given up on (see the invoice's refundState and the refunds log)`,
        topic: props.alarmTopic,
      },
    );
    this.jobErrorsAlarm = jobErrorsAlarm(
      this,
      this.fn,
      `Kapstone ${stage}: the refund job failed (no refund is made while it does)`,
      props.alarmTopic,
    );
  }
}
