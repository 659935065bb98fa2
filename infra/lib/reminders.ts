// The SMS reminder job on AWS: its function, the every-minute schedule, the right to
// send SMS (and nothing else through SNS), the alarms, and SNS's account-level SMS settings with
// delivery-status logging.
//
// Decisions:
// - sns:Publish to a phone number has no resource ARN, so it can only be allowed on '*'. The
//   documented way to keep that to SMS is an explicit Deny of sns:Publish on every topic ARN
//   (arn:aws:sns:*:*:*): a Publish to a phone number names no topic and is still allowed, a
//   Publish to any topic or platform endpoint is denied whatever else the role is granted.
// - Reserved concurrency 1: runs never overlap on AWS (the job sends each SMS at most once under overlap
//   anyway: shared/services/reminder-job.ts), which also keeps the rate cap a single budget.
// - No SQS DLQ: a failed SMS is a dead-letter record in the table (SMS_DEAD_LETTER) plus a log
//   line `metric: "SmsDeadLettered"`; a metric filter counts those lines and an alarm fires on
//   the first. A second alarm fires when the job itself fails (Lambda Errors), since then nothing
//   is sent at all. Both notify the stack's alarm topic (job-alarms.ts); the operator subscribes
//   paging to that topic.
// - Delivery-status logging and the default SMS type are SNS account attributes that
//   CloudFormation cannot set: an AwsCustomResource calls SetSMSAttributes on create and update
//   (not on delete: the attributes belong to the account, another stack may rely on them).
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterPattern } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { jobErrorsAlarm, logLineAlarm } from './job-alarms.ts';
import { KapstoneFunction } from './kapstone-function.ts';

export interface RemindersProps {
  stage: string;
  entry: string;
  environment: Record<string, string>;
  /** SMS per second of the origination number. @default 1 */
  smsRatePerSecond?: number;
  /** Origination number registered for the account (toll-free, 10DLC or short code). */
  originationNumber?: string;
  /** Customer managed key of the function's log group. */
  logEncryptionKey?: IKey;
  /** Where the alarms notify (the operators' paging subscribes to it). */
  alarmTopic?: ITopic;
}

/** The construct id CDK gives the stack's single AwsCustomResource provider function. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

export const SMS_DEAD_LETTER_METRIC = { namespace: 'Kapstone/Sms', name: 'SmsDeadLettered' } as const;

export class Reminders extends Construct {
  readonly fn: KapstoneFunction;
  readonly deadLetterAlarm: Alarm;
  readonly jobErrorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: RemindersProps) {
    super(scope, id);
    const { stage } = props;

    this.fn = new KapstoneFunction(this, 'Function', {
      description: `Kapstone ${stage}: SMS reminders and notices (every minute)`,
      entry: props.entry,
      timeout: Duration.seconds(55),
      reservedConcurrentExecutions: 1,
      ...(props.logEncryptionKey ? { logEncryptionKey: props.logEncryptionKey } : {}),
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: 'reminders',
        SMS_RATE_PER_SECOND: String(props.smsRatePerSecond ?? 1),
        ...(props.originationNumber ? { SMS_ORIGINATION_NUMBER: props.originationNumber } : {}),
      },
    });

    new Rule(this, 'Schedule', {
      description: `Kapstone ${stage}: runs the SMS job every minute`,
      schedule: Schedule.rate(Duration.minutes(1)),
      // a missed run is made up by the next one (due SMS stay due): no retries that would overlap
      targets: [new LambdaFunction(this.fn, { retryAttempts: 0 })],
    });
    Validations.of(this.fn).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason:
        "The job's only input is EventBridge's every-minute tick, which carries no data: a failed run is " +
        'redone by the next tick (due SMS stay due), a failed SMS is a dead-letter item in the table, and ' +
        'both raise an alarm (JobErrorsAlarm, DeadLetterAlarm). A queue of ticks would hold nothing to replay.',
    });

    const sms = new Policy(this, 'SmsOnly', {
      statements: [
        new PolicyStatement({ actions: ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut'], resources: ['*'] }),
        new PolicyStatement({ effect: Effect.DENY, actions: ['sns:Publish'], resources: ['arn:aws:sns:*:*:*'] }),
      ],
    });
    const role = this.fn.role;
    if (!role) throw new Error('the reminders function has no role');
    sms.attachToRole(role);
    Validations.of(sms).acknowledge({
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason:
        'Kept apart from the grants so the SMS-only Deny and its Allow travel together; attached to the ' +
        "reminders function's role alone, a managed policy would be a reusable object nothing else may use.",
    });
    Validations.of(sms).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'SMS to a phone number (sns:Publish with PhoneNumber, CheckIfPhoneNumberIsOptedOut) has no resource ARN; ' +
        'the Deny on arn:aws:sns:*:*:* in the same policy keeps Publish to SMS only (no topic, no endpoint).',
    });

    // the alarm on dead letters: the job logs one JSON line per SMS given up
    this.deadLetterAlarm = logLineAlarm(
      this,
      { filter: 'DeadLetters', alarm: 'DeadLetterAlarm' },
      {
        logGroup: this.fn.logGroup,
        filterPattern: FilterPattern.stringValue('$.metric', '=', SMS_DEAD_LETTER_METRIC.name),
        metric: SMS_DEAD_LETTER_METRIC,
        description: `Kapstone ${stage}: an SMS was dead-lettered (see SMS_DEAD_LETTER items and the reminders log)`,
        topic: props.alarmTopic,
      },
    );
    this.jobErrorsAlarm = jobErrorsAlarm(
      this,
      this.fn,
      `Kapstone ${stage}: the SMS job failed (no SMS goes out while it does)`,
      props.alarmTopic,
    );

    this.smsSettings(stage);
  }

  /** SNS SMS account settings: Transactional by default, delivery status logged for every SMS. */
  private smsSettings(stage: string): void {
    const { region, account } = Stack.of(this);
    const statusRole = new Role(this, 'SmsDeliveryStatusRole', {
      assumedBy: new ServicePrincipal('sns.amazonaws.com'),
      description: `Kapstone ${stage}: lets SNS write SMS delivery status to CloudWatch Logs`,
    });
    statusRole.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'],
        resources: [`arn:aws:logs:${region}:${account}:log-group:sns/${region}/${account}/DirectPublishToPhoneNumber*`],
      }),
    );
    Validations.of(statusRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:aws:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber*]`,
      reason:
        'SNS names its SMS delivery-status log groups itself (DirectPublishToPhoneNumber and DirectPublishToPhoneNumber/Failure) ' +
        'and their streams; the wildcard covers those groups only.',
    });
    Validations.of(statusRole).acknowledge({
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason:
        "The role's one statement lets SNS write its own SMS delivery-status log groups; it belongs to this " +
        'service role alone (assumable by sns.amazonaws.com only) and goes with it.',
    });
    const attributes = {
      DefaultSMSType: 'Transactional',
      DeliveryStatusIAMRole: statusRole.roleArn,
      DeliveryStatusSuccessSamplingRate: '100',
    };
    const call = {
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes },
      physicalResourceId: PhysicalResourceId.of(`kapstone-${stage}-sms-attributes`),
    };
    const settings = new AwsCustomResource(this, 'SmsAttributes', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      policy: AwsCustomResourcePolicy.fromStatements([
        // SetSMSAttributes is an account-level call: it has no resource ARN
        new PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
        new PolicyStatement({ actions: ['iam:PassRole'], resources: [statusRole.roleArn] }),
      ]),
    });
    Validations.of(settings).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'sns:SetSMSAttributes sets account-level SMS settings and supports no resource ARN (SNS service authorization reference).',
    });
    Validations.of(settings).acknowledge({
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason:
        "CDK's AwsCustomResource writes the policy of this one deploy-time call (SetSMSAttributes, PassRole of the " +
        'status role) onto the shared provider role; it grants no data access and is not meant for reuse.',
    });
    // CDK's provider function for AwsCustomResource (one per stack): runs only during deploys.
    const provider = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "The deploy-time provider of CDK's AwsCustomResource comes with the basic execution policy (its own logs); " +
          'it runs only while CloudFormation sets the SMS attributes and holds no data access.',
      });
      Validations.of(provider).acknowledge(
        {
          id: 'HIPAA.Security-LambdaDLQ',
          reason:
            'Invoked by CloudFormation during deploys only; a failure fails the stack operation, which CloudFormation ' +
            'rolls back and reports, so there is no lost event for a dead-letter queue to keep.',
        },
        {
          id: 'HIPAA.Security-LambdaConcurrency',
          reason:
            'Runs once per deploy that changes the SMS attributes, called by CloudFormation alone; it serves no ' +
            'traffic that a concurrency limit would bound.',
        },
        {
          id: 'HIPAA.Security-LambdaInsideVPC',
          reason:
            "CDK's deploy-time provider calls only the public SNS API (SetSMSAttributes) over TLS with IAM-signed " +
            'requests; it touches no data and the stack has no VPC resource for it to reach.',
        },
      );
    }
  }
}
