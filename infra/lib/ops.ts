// What operators get from the stack besides the API: the key that encrypts every CloudWatch log
// group (function logs, the API's access log, the WAF log) and the SNS topic every alarm
// notifies. Operators subscribe their paging (email, chat, pager) to the topic.
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface OpsProps {
  stage: string;
}

export class Ops extends Construct {
  /** Encrypts the stack's log groups (HIPAA: logs may hold ids and IPs) and the alarm topic. */
  readonly telemetryKey: Key;
  /** Every alarm of the stack notifies this topic. */
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: OpsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Kept when the stack goes, like the log groups it encrypts: without it they are unreadable.
    this.telemetryKey = new Key(this, 'TelemetryKey', {
      description: `Kapstone ${props.stage}: encrypts the CloudWatch log groups and the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts with the key on behalf of log groups of this account and region
    // only (the documented key policy for log group encryption).
    this.telemetryKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    // CloudWatch alarms publish to the encrypted topic: they need a data key of this key.
    this.telemetryKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `Kapstone ${props.stage} alarms`,
      masterKey: this.telemetryKey,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one: let this account's CloudWatch alarms publish.
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
  }
}
