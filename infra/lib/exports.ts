// The ledger export on AWS (shared/services/export-job.ts): the private bucket of the files, its
// KMS key, the bucket that keeps its access logs, the export job's function, and what the billing
// function may do with them (grantStart).
//
// Decisions (docs/decisions.md, "Ledger exports"):
// - The billing function starts the job by an asynchronous invocation (InvocationType Event), not
//   through a queue: one request, one job; Lambda's own queue holds requests while the job's
//   reserved concurrency (2) is busy, for at most EXPORT_QUEUE_MINUTES.
// - No retries (retryAttempts 0) and no dead-letter queue: a job that fails records the export as
//   failed itself, and one stopped before it could (timeout, crash) or whose request expired in the
//   queue is shown failed once EXPORT_GIVE_UP_MS has passed; either way the person starts a new
//   export, and a retry would only redo a whole export nobody waits for any more. The alarms fire
//   on the function's errors and on every failed export.
// - Files live EXPORT_FILE_DAYS (lifecycle; the API stops linking to them then), encrypted with
//   the bucket's own key (SSE-KMS, bucket key), never public, TLS only, no versions (a file is
//   written once; an old version would outlive the lifecycle). S3 server access logs (who fetched
//   which file, through which pre-signed link) go to a second bucket, kept six years like the
//   audit trail; S3 allows only SSE-S3 on a bucket receiving access logs.
// - Least privilege: the job reads the table (GetItem, BatchGetItem, Query on GSI2) and writes
//   only audit entries and export records (PutItem, UpdateItem on AUDIT#… and EXPORT#… keys), and
//   may only put objects under exports/; the billing function may invoke this one function and
//   read (to pre-sign links) objects under exports/.
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { jobErrorsAlarm, logLineAlarm } from './job-alarms.ts';
import { EXPORT_FILE_DAYS, EXPORT_JOB_TIMEOUT_MINUTES, EXPORT_QUEUE_MINUTES } from '#domain/ledger-export.ts';
import { KapstoneFunction } from './kapstone-function.ts';
import { EXPORT_JOB_NODE_OPTIONS } from '#functions/exports/node-options.ts';

export interface ExportsProps {
  stage: string;
  entry: string;
  environment: Record<string, string>;
  table: Table;
  tableKey: IKey;
  logEncryptionKey?: IKey;
  alarmTopic?: ITopic;
}

/** Where the files are in the bucket (shared/adapters/s3-export-store.ts EXPORT_PREFIX). */
const PREFIX = 'exports/';
/** Jobs at once: a clinic's month is seconds, a year minutes; more would only compete for the table. */
export const EXPORT_JOB_CONCURRENCY = 2;
/** Access logs of the files kept as long as the audit trail (HIPAA §164.316(b)(2): six years). */
const ACCESS_LOG_DAYS = 6 * 366;

export const EXPORT_FAILED_METRIC = { namespace: 'Kapstone/Billing', name: 'ExportFailed' } as const;

export class Exports extends Construct {
  readonly bucket: Bucket;
  readonly bucketKey: Key;
  readonly accessLogs: Bucket;
  readonly fn: KapstoneFunction;
  readonly failedAlarm: Alarm;
  readonly jobErrorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ExportsProps) {
    super(scope, id);
    const { stage } = props;

    this.bucketKey = new Key(this, 'BucketKey', {
      description: `Kapstone ${stage}: encrypts the finance export files`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // a bucket receiving S3 server access logs may use SSE-S3 only (S3 user guide, "Enabling
      // Amazon S3 server access logging")
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.bucketKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'exports-bucket/',
      lifecycleRules: [{ expiration: Duration.days(EXPORT_FILE_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const bucket of [this.bucket, this.accessLogs]) {
      Validations.of(bucket).acknowledge(
        {
          id: 'HIPAA.Security-S3BucketReplicationEnabled',
          reason:
            'Export files are copies made on demand from the table (itself backed up by PITR and AWS Backup) and ' +
            'deleted after days; their access logs are an operational record. A second copy in another region ' +
            'would only widen where PHI lives.',
        },
        {
          id: 'HIPAA.Security-S3BucketVersioningEnabled',
          reason:
            'Objects are written once and never changed; the lifecycle must delete them for good (an export file after ' +
            `${EXPORT_FILE_DAYS} days), which noncurrent versions would defeat.`,
        },
      );
    }
    Validations.of(this.accessLogs).acknowledge(
      {
        id: 'AwsSolutions-S1',
        reason: 'This is the access-log bucket of the export bucket; logging its own accesses would log into itself.',
      },
      {
        id: 'HIPAA.Security-S3BucketLoggingEnabled',
        reason: 'This is the access-log bucket of the export bucket; logging its own accesses would log into itself.',
      },
      {
        id: 'HIPAA.Security-S3DefaultEncryptionKMS',
        reason:
          'S3 delivers server access logs only to a bucket encrypted with SSE-S3 (AES-256), not SSE-KMS: the logs ' +
          'are encrypted at rest, with an S3-managed key.',
      },
    );

    this.fn = new KapstoneFunction(this, 'Function', {
      description: `Kapstone ${stage}: finance ledger exports (invoked by the billing function)`,
      entry: props.entry,
      timeout: Duration.minutes(EXPORT_JOB_TIMEOUT_MINUTES),
      reservedConcurrentExecutions: EXPORT_JOB_CONCURRENCY,
      ...(props.logEncryptionKey ? { logEncryptionKey: props.logEncryptionKey } : {}),
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: 'exports',
        // bounded V8 heap: flat memory whatever the export's size (functions/exports/node-options.ts)
        NODE_OPTIONS: EXPORT_JOB_NODE_OPTIONS,
        EXPORT_BUCKET: this.bucket.bucketName,
        EXPORT_KEY_ARN: this.bucketKey.keyArn,
      },
    });
    this.fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(EXPORT_QUEUE_MINUTES) });
    Validations.of(this.fn).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason:
        'Invoked asynchronously with { exportId } only, retries off: a failed export is recorded as failed on its ' +
        'record by the job, or shown failed once it cannot finish any more, and raises an alarm; the person ' +
        'starts a new one. A dead-letter queue would hold an id nobody replays.',
    });

    this.grantJob(props.table, props.tableKey);

    this.failedAlarm = logLineAlarm(
      this,
      { filter: 'Failures', alarm: 'FailedAlarm' },
      {
        logGroup: this.fn.logGroup,
        filterPattern: FilterPattern.stringValue('$.message', '=', 'export failed'),
        metric: EXPORT_FAILED_METRIC,
        description: `Kapstone ${stage}: a finance export failed (see the exports log: export and clinic ids)`,
        topic: props.alarmTopic,
      },
    );
    this.jobErrorsAlarm = jobErrorsAlarm(
      this,
      this.fn,
      `Kapstone ${stage}: the export job crashed or timed out (its export shows failed later)`,
      props.alarmTopic,
    );
  }

  /** The billing function starts exports and signs links to their files: this job and those files only. */
  grantStart(billing: IFunction & { role?: IRole | undefined }): void {
    const role = billing.role;
    if (!role) throw new Error(`${billing.node.path} has no role`);
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${PREFIX}*`)] }));
    this.bucketKey.grant(role, 'kms:Decrypt');
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf(this.bucket)}.Arn>/${PREFIX}*]`,
      reason: 'The pre-signed download links are for export files, whose names are random: objects under exports/ of this one bucket only.',
    });
  }

  /** The job: read the table, write audit entries and export records, put export files. */
  private grantJob(table: Table, tableKey: IKey): void {
    const role = this.fn.role;
    if (!role) throw new Error(`${this.fn.node.path} has no role`);
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'], resources: [table.tableArn] }));
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/GSI2`] }));
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*', 'EXPORT#*'] } },
      }),
    );
    tableKey.grant(role, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey');
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [this.bucket.arnForObjects(`${PREFIX}*`)] }),
    );
    // SSE-KMS uploads: a data key per object, and Decrypt for the parts of a multipart upload
    this.bucketKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf(this.bucket)}.Arn>/${PREFIX}*]`,
      reason: 'Export files get random names when asked for: the job may put objects under exports/ of this one bucket only.',
    });
  }

  private logicalIdOf(bucket: Bucket): string {
    return Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket);
  }
}
