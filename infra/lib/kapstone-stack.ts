// Kapstone on AWS, one stack per stage: the table, Cognito, one function per service and the
// HTTP API in front of them, CloudFront with WAF in front of that, and the clients' web app
// (S3 behind CloudFront, the API under its /v1/). Environment-agnostic (no
// account, region or lookups), so it synthesizes offline; deployable to us-east-1 only, where
// CloudFront's web ACL must live (infra/lib/edge.ts).
import { Aws, CfnOutput, CfnRule, Duration, Fn, RemovalPolicy, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ROUTES, type FunctionName, type RouteDef } from '#http/routes.ts';
import { Api } from './api.ts';
import { Auth } from './auth.ts';
import { Data } from './data.ts';
import { EDGE_REGION, Edge } from './edge.ts';
import { KapstoneFunction } from './kapstone-function.ts';
import { Ops } from './ops.ts';
import { Reminders } from './reminders.ts';
import { Refunds } from './refunds.ts';
import { Exports } from './exports.ts';
import { Web } from './web.ts';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * Reserved concurrency of the API's functions: a ceiling far above a handful of clinics' peak
 * (the stage allows 100 requests/s at ~100 ms each, about 10 at once), which keeps a runaway
 * client or a retry storm from taking the account's whole Lambda concurrency, the table's
 * capacity and Stripe's rate limit with it. Billing only reads invoices (and appends audit
 * entries), a few calls a request: payments' ceiling is ample.
 */
export const API_RESERVED_CONCURRENCY: Readonly<Record<FunctionName, number>> = { scheduling: 50, payments: 20, billing: 20 };

/**
 * Payments calls Stripe several times in a row (a cancel refunds each payment; each call may take
 * one retry within ~6.5 s): 25 s, inside API Gateway's 30 s integration limit. A cancel that still
 * runs out of time has saved its progress and is finished by the next call. Scheduling and
 * billing call DynamoDB only: 10 s.
 */
export const API_TIMEOUT_SECONDS: Readonly<Record<FunctionName, number>> = { scheduling: 10, payments: 25, billing: 10 };

/** The repository root: it holds package-lock.json and functions/<name>/handler.ts. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface KapstoneStackProps extends StackProps {
  stage: string;
  logLevel: LogLevel;
  /** Browser origins allowed by CORS; empty for none. */
  corsOrigins: readonly string[];
  /** @default shared/http/routes.ts */
  routes?: readonly RouteDef[];
  /** The clients' web app, where Stripe Checkout returns the browser to. @default the web distribution's URL */
  appBaseUrl?: string;
  /** The built web app to deploy (infra/lib/web.ts: a placeholder page without one). @default web/dist */
  webDist?: string;
  /** The reminder job's SMS settings; unset ones take shared/config.ts's defaults. */
  sms?: SmsSettings;
}

export interface SmsSettings {
  ratePerSecond?: number;
  originationNumber?: string;
  senderId?: string;
  dailyNoticeCap?: number;
  rescheduleHint?: string;
}

export class KapstoneStack extends Stack {
  readonly data: Data;
  readonly auth: Auth;
  readonly api: Api;
  readonly functions: ReadonlyMap<FunctionName, KapstoneFunction>;
  readonly stripeSecret: Secret;
  readonly reminders: Reminders;
  readonly refunds: Refunds;
  readonly exports: Exports;
  readonly ops: Ops;
  readonly edge: Edge;
  readonly web: Web;

  constructor(scope: Construct, id: string, props: KapstoneStackProps) {
    const { stage, logLevel, corsOrigins, routes = ROUTES, appBaseUrl, webDist = join(REPO_ROOT, 'web', 'dist'), ...stackProps } = props;
    super(scope, id, { description: `Kapstone (${stage}): scheduling API, data and sign-in`, ...stackProps });

    // CloudFront's web ACL exists in us-east-1 only (infra/lib/edge.ts): refuse any other region
    // now when one is given, and at deploy time (a template rule) when the stack is agnostic.
    if (!Token.isUnresolved(this.region) && this.region !== EDGE_REGION) {
      throw new Error(`Kapstone deploys to ${EDGE_REGION} (CloudFront's WAF web ACL lives there), not ${this.region}`);
    }
    new CfnRule(this, 'EdgeRegion', {
      assertions: [
        {
          assert: Fn.conditionEquals(Aws.REGION, EDGE_REGION),
          assertDescription: `Kapstone deploys to ${EDGE_REGION} only: its CloudFront web ACL (scope CLOUDFRONT) must be created there.`,
        },
      ],
    });

    this.ops = new Ops(this, 'Ops', { stage });
    const logEncryptionKey = this.ops.telemetryKey;
    this.data = new Data(this, 'Data', { stage });
    this.auth = new Auth(this, 'Auth', { stage });

    // Stripe's secret key and webhook secret, as JSON { secretKey, webhookSecret }: set by an
    // operator after the first deploy; encrypted with a key of its own and read by the payments
    // function and the refund job only, each once per process, when it first needs Stripe.
    const stripeKey = new Key(this, 'StripeSecretKey', {
      description: `Kapstone ${stage}: encrypts the Stripe keys`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stripeSecret = new Secret(this, 'StripeSecret', {
      description: `Kapstone ${stage}: Stripe keys as JSON { secretKey, webhookSecret }`,
      encryptionKey: stripeKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.stripeSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Stripe keys are rolled in the Stripe dashboard, not by a Secrets Manager rotation Lambda; the operator updates the secret then.',
    });
    Validations.of(this.stripeSecret).acknowledge({
      id: 'HIPAA.Security-SecretsManagerRotationEnabled',
      reason:
        'The Stripe secret key and webhook secret are rolled in the Stripe dashboard, not by a Secrets Manager ' +
        'rotation Lambda; the operator rolls them there and then updates this secret (as for AwsSolutions-SMG4).',
    });

    const functions = new Map<FunctionName, KapstoneFunction>();
    for (const name of new Set(routes.map((r) => r.fn))) {
      const extraEnv: Record<string, string> =
        name === 'payments' ? { STRIPE_SECRET_ARN: this.stripeSecret.secretArn, ...(appBaseUrl ? { APP_BASE_URL: appBaseUrl } : {}) } : {};
      const fn = new KapstoneFunction(this, `${pascal(name)}Function`, {
        description: `Kapstone ${stage}: ${name} service`,
        entry: join(REPO_ROOT, 'functions', name, 'handler.ts'),
        reservedConcurrentExecutions: API_RESERVED_CONCURRENCY[name],
        timeout: Duration.seconds(API_TIMEOUT_SECONDS[name]),
        logEncryptionKey,
        environment: {
          TABLE_NAME: this.data.table.tableName,
          LOG_LEVEL: logLevel,
          POWERTOOLS_SERVICE_NAME: name,
          // the pool and client whose tokens the functions verify (optional bearer on public routes)
          USER_POOL_ID: this.auth.userPool.userPoolId,
          USER_POOL_CLIENT_ID: this.auth.appClient.userPoolClientId,
          ...extraEnv,
        },
      });
      Validations.of(fn).acknowledge({
        id: 'HIPAA.Security-LambdaDLQ',
        reason:
          'Invoked synchronously by API Gateway only (its one invoke permission): a failure is the HTTP response ' +
          'the caller gets and may retry, and a dead-letter queue receives failed asynchronous invocations only.',
      });
      this.grantTableData(fn);
      if (name === 'payments') this.stripeSecret.grantRead(fn);
      // a user who signed itself up is told its client record: custom:clientId, set by the API
      // alone (the app client may not write it), on this user pool only (docs/security.md, "Tokens")
      if (name === 'scheduling') this.auth.userPool.grant(fn, 'cognito-idp:AdminUpdateUserAttributes');
      functions.set(name, fn);
    }
    this.functions = functions;

    // Cognito's PostConfirmation trigger: a user who signed itself up joins the client group
    // (functions/post-confirmation). Its grant names the account's user pools by pattern, not this
    // pool's ARN: the pool refers to the function as its trigger, so the reverse reference would be
    // a circular dependency.
    const postConfirmation = new KapstoneFunction(this, 'PostConfirmationFunction', {
      description: `Kapstone ${stage}: puts a user who confirmed its own sign-up in the client group`,
      entry: join(REPO_ROOT, 'functions', 'post-confirmation', 'handler.ts'),
      reservedConcurrentExecutions: 5,
      timeout: Duration.seconds(5),
      logEncryptionKey,
      environment: { LOG_LEVEL: logLevel },
    });
    postConfirmation.addToRolePolicy(
      new PolicyStatement({
        actions: ['cognito-idp:AdminAddUserToGroup'],
        resources: [Stack.of(this).formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' })],
      }),
    );
    this.auth.userPool.addTrigger(UserPoolOperation.POST_CONFIRMATION, postConfirmation);
    Validations.of(postConfirmation).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason:
        'Invoked synchronously by Cognito during sign-up confirmation: a failure is reported to the user, who ' +
        'confirms again; a dead-letter queue receives failed asynchronous invocations only.',
    });
    const postConfirmationRole = postConfirmation.role;
    if (!postConfirmationRole) throw new Error('the post-confirmation function has no role');
    Validations.of(postConfirmationRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:<AWS::Region>:<AWS::AccountId>:userpool/*]',
      reason:
        "The user pool names this function as its trigger, so the function's policy cannot name the pool's ARN " +
        '(a circular reference); the one action, AdminAddUserToGroup, is limited to this account and region.',
    });

    // the SMS job: not behind the API, run by its schedule (infra/lib/reminders.ts)
    this.reminders = new Reminders(this, 'Reminders', {
      stage,
      entry: join(REPO_ROOT, 'functions', 'reminders', 'handler.ts'),
      environment: {
        TABLE_NAME: this.data.table.tableName,
        LOG_LEVEL: logLevel,
        ...(props.sms?.senderId ? { SMS_SENDER_ID: props.sms.senderId } : {}),
        ...(props.sms?.dailyNoticeCap ? { SMS_DAILY_NOTICE_CAP: String(props.sms.dailyNoticeCap) } : {}),
        ...(props.sms?.rescheduleHint ? { SMS_RESCHEDULE_HINT: props.sms.rescheduleHint } : {}),
      },
      ...(props.sms?.ratePerSecond ? { smsRatePerSecond: props.sms.ratePerSecond } : {}),
      ...(props.sms?.originationNumber ? { originationNumber: props.sms.originationNumber } : {}),
      logEncryptionKey,
      alarmTopic: this.ops.alarmTopic,
    });
    this.grantTableData(this.reminders.fn);

    // the refund job: run by its schedule, talks to Stripe (infra/lib/refunds.ts)
    this.refunds = new Refunds(this, 'Refunds', {
      stage,
      entry: join(REPO_ROOT, 'functions', 'refunds', 'handler.ts'),
      environment: { TABLE_NAME: this.data.table.tableName, LOG_LEVEL: logLevel },
      stripeSecret: this.stripeSecret,
      logEncryptionKey,
      alarmTopic: this.ops.alarmTopic,
    });
    this.grantTableData(this.refunds.fn);

    // the ledger export job: started by the billing function, writes CSV files to its own bucket
    // (infra/lib/exports.ts); its table grant is its own (read, and audit and export items only)
    this.exports = new Exports(this, 'Exports', {
      stage,
      entry: join(REPO_ROOT, 'functions', 'exports', 'handler.ts'),
      environment: { TABLE_NAME: this.data.table.tableName, LOG_LEVEL: logLevel },
      table: this.data.table,
      tableKey: this.data.tableKey,
      logEncryptionKey,
      alarmTopic: this.ops.alarmTopic,
    });
    const billing = functions.get('billing');
    if (billing) {
      billing.addEnvironment('EXPORT_FUNCTION_NAME', this.exports.fn.functionName);
      billing.addEnvironment('EXPORT_BUCKET', this.exports.bucket.bucketName);
      this.exports.grantStart(billing);
    }

    this.api = new Api(this, 'Api', {
      stage,
      routes,
      functions,
      userPool: this.auth.userPool,
      userPoolClient: this.auth.appClient,
      corsOrigins,
      logEncryptionKey,
    });
    this.edge = new Edge(this, 'Edge', { stage, httpApi: this.api.httpApi, routes, logEncryptionKey });
    this.web = new Web(this, 'Web', {
      stage,
      apiBehavior: this.edge.apiBehavior,
      webAclArn: this.edge.webAcl.attrArn,
      config: {
        apiUrl: '',
        region: this.region,
        userPoolId: this.auth.userPool.userPoolId,
        userPoolClientId: this.auth.appClient.userPoolClientId,
      },
      distDir: webDist,
    });
    // Checkout sends the browser back to the app: this distribution unless the app has a domain of its own
    if (!appBaseUrl) functions.get('payments')?.addEnvironment('APP_BASE_URL', this.web.url);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'EdgeUrl', { value: this.edge.url, description: 'Base URL of the API through CloudFront and WAF' });
    new CfnOutput(this, 'WebUrl', { value: this.web.url, description: "The clients' web app (and the API under /v1/)" });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.ops.alarmTopic.topicArn, description: 'Subscribe paging to this topic' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.appClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'StripeSecretArn', { value: this.stripeSecret.secretArn, description: 'Put { secretKey, webhookSecret } here' });
  }

  /** Item reads and writes on the table and its indexes, and use of the table's key: no more. */
  private grantTableData(fn: KapstoneFunction): void {
    this.data.table.grantReadWriteData(fn);
    const role = fn.role;
    if (!role) throw new Error(`${fn.node.path} has no role`);
    const tableId = this.getLogicalId(this.data.table.node.defaultChild as CfnTable);
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
        reason: 'Queries on the GSIs of shared/db/table.ts need the index ARNs; the wildcard covers indexes of this one table only.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        reason: 'Part of the DynamoDB grant for a customer managed key, on the table key only (no other key).',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: 'DynamoDB needs data keys of the table key to write items; limited to that one key.',
      },
    );
  }
}

const pascal = (s: string): string => s.replace(/(^|[-_])([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase());
