// The one DynamoDB table, built from shared/db/table.ts (the same definition the local runtime
// uses), encrypted with a key of our own, with point-in-time recovery and AWS Backup.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE } from '#db/table.ts';

export interface DataProps {
  stage: string;
}

/** Every key attribute is a string, as in shared/db/create-table.ts. */
const str = (name: string): Attribute => ({ name, type: AttributeType.STRING });

export class Data extends Construct {
  readonly table: Table;
  readonly tableKey: Key;
  readonly backupPlan: BackupPlan;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);

    // Customer managed so that key use shows up in CloudTrail and access to the data can be
    // cut by key policy; kept when the stack goes, like the table it protects.
    this.tableKey = new Key(this, 'TableKey', {
      description: `Kapstone ${props.stage}: encryption at rest of the DynamoDB table`,
      alias: `alias/kapstone/${props.stage}/table`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // `Table`, not `TableV2`: a global table cannot render a customer managed key in a
    // region-agnostic stack, and this stack must synthesize without an account or region.
    this.table = new Table(this, 'Table', {
      partitionKey: str(TABLE.partitionKey),
      sortKey: str(TABLE.sortKey),
      timeToLiveAttribute: TABLE.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const ix of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: ix.name,
        partitionKey: str(ix.partitionKey),
        sortKey: str(ix.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }

    // Point-in-time recovery covers the last 35 days to the second; AWS Backup adds snapshots
    // kept apart from the table (they survive the table's deletion): daily for 35 days and
    // monthly for a year, in a vault encrypted with the table's key and kept with the stack gone.
    const vault = new BackupVault(this, 'BackupVault', {
      encryptionKey: this.tableKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.backupPlan = new BackupPlan(this, 'BackupPlan', {
      backupPlanName: `kapstone-${props.stage}-table`,
      backupVault: vault,
      backupPlanRules: [
        BackupPlanRule.daily(),
        new BackupPlanRule({
          ruleName: 'Monthly1Year',
          scheduleExpression: Schedule.cron({ day: '1', hour: '5', minute: '0' }),
          deleteAfter: Duration.days(365),
        }),
      ],
    });
    const selection = this.backupPlan.addSelection('Table', { resources: [BackupResource.fromDynamoDbTable(this.table)] });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        "AWS Backup's own service-role policy for taking backups, maintained by AWS as the service adds " +
        'resource types; the role is assumable by backup.amazonaws.com only and selects this table alone.',
    });
  }
}
