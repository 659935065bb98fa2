// The deployed shape of Kapstone, asserted on the synthesized template: the app is built by the
// same function infra/bin/app.ts calls, with cdk.json's context.
//
// Two things are switched off to keep this file fast; neither changes what is asserted here:
// - asset bundling (`aws:cdk:bundling-stacks: []`): the function's code asset is the unbundled
//   project folder instead of an esbuild run over the real entry (such an assembly is never
//   deployed);
// - CDK's built-in CloudFormation template validation (about 15–25 s on its own); `cdk synth`
//   still runs it, as errors (cdk.json: @aws-cdk/core:validateAgainstDefaultRules).
// cdk-nag stays on: it is registered by createKapstoneApp and runs at synth.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, RemovalPolicy, Stack, Validations, type AppProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { TABLE } from '#db/table.ts';
import { ROLES } from '#domain/types.ts';
import { ROUTES, routeKey, type RouteDef } from '#http/routes.ts';
import { DEFAULT_THROTTLE, RATE_LIMITED_ROUTE_THROTTLE } from '#infra/lib/api.ts';
import { EDGE_RATE_LIMIT, EDGE_RATE_LIMITED_ROUTES_LIMIT, pathRegex } from '#infra/lib/edge.ts';
import { createKapstoneApp } from '#infra/lib/kapstone-app.ts';
import { lambdaBuildOptions } from '#infra/lib/bundling.ts';
import { API_RESERVED_CONCURRENCY, KapstoneStack } from '#infra/lib/kapstone-stack.ts';
import { EXPORT_JOB_NODE_OPTIONS } from '#functions/exports/node-options.ts';

const CDK_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

function appProps(context: Record<string, unknown> = {}): AppProps {
  const outdir = mkdtempSync(join(tmpdir(), 'kapstone-cdk-'));
  outdirs.push(outdir);
  return {
    outdir,
    context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: false,
  };
}

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

const only = (resources: Record<string, Resource>): [string, Resource] => {
  const entries = Object.entries(resources);
  expect(entries).toHaveLength(1);
  return entries[0]!;
};
/** Resources of one type, by logical id. */
const find = (type: string) => template.findResources(type) as Record<string, Resource>;
const ref = (logicalId: string) => ({ Ref: logicalId });
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
/** Every value of `key` anywhere in a JSON tree. */
const valuesOf = (node: unknown, key: string): unknown[] =>
  node === null || typeof node !== 'object' ? [] : Object.entries(node).flatMap(([k, v]) => (k === key ? [v] : valuesOf(v, key)));

/** The export job's function, its bucket and that bucket's key (infra/lib/exports.ts), by logical id. */
const exportsFunctionId = () => Object.keys(find('AWS::Lambda::Function')).find((id) => id.startsWith('ExportsFunction'))!;
const exportsBucketId = () => Object.keys(find('AWS::S3::Bucket')).find((id) => id.startsWith('ExportsBucket'))!;
const exportsKeyId = (): string =>
  (template.toJSON().Resources[exportsBucketId()] as Resource).Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]
    .ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0];
/** The edge's distribution (the API behind WAF) and the web app's (infra/lib/web.ts), by logical id. */
const edgeDistributionId = () => Object.keys(find('AWS::CloudFront::Distribution')).find((id) => id.startsWith('EdgeDistribution'))!;
const webDistributionId = () => Object.keys(find('AWS::CloudFront::Distribution')).find((id) => id.startsWith('WebDistribution'))!;
/** The export files: objects under exports/ of the export bucket. */
const exportObjects = () => ({ 'Fn::Join': ['', [arnOf(exportsBucketId()), '/exports/*']] });

let app: App;
let stack: KapstoneStack;
let template: Template;
let tableId: string;
let keyId: string;

beforeAll(() => {
  ({ app, stack } = createKapstoneApp(appProps()));
  // Synthesizing runs the registered validation plugins (cdk-nag): in a test run a violation
  // makes this throw with the whole report in the message.
  app.synth();
  template = Template.fromStack(stack);
  [tableId] = only(find('AWS::DynamoDB::Table'));
  // the table's key (the Stripe secret has a key of its own)
  const table = template.toJSON().Resources[tableId] as Resource;
  keyId = table.Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];
});

describe('DynamoDB table', () => {
  it('is keyed and indexed exactly as shared/db/table.ts says, all attributes strings', () => {
    const keys = (pk: string, sk: string) => [
      { AttributeName: pk, KeyType: 'HASH' },
      { AttributeName: sk, KeyType: 'RANGE' },
    ];
    const attributes = [TABLE.partitionKey, TABLE.sortKey, ...TABLE.indexes.flatMap((ix) => [ix.partitionKey, ix.sortKey])];
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: keys(TABLE.partitionKey, TABLE.sortKey),
      AttributeDefinitions: Match.arrayEquals(attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
      GlobalSecondaryIndexes: TABLE.indexes.map((ix) => ({
        IndexName: ix.name,
        KeySchema: keys(ix.partitionKey, ix.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has point-in-time recovery and deletion protection, and is retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('is encrypted with its own customer managed key, which rotates and is retained', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arnOf(keyId) },
    });
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
    });
  });
});

describe('Cognito', () => {
  it('lets clients sign themselves up with their email, under a strong password policy', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      UsernameAttributes: ['email'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
    const [, pool] = only(find('AWS::Cognito::UserPool'));
    expect(pool.Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('has the mutable string attributes clinicId and clientId', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith(
        ['clinicId', 'clientId'].map((name) => Match.objectLike({ Name: name, AttributeDataType: 'String', Mutable: true })),
      ),
    });
  });

  it('has one group per role of the contract', () => {
    const groups = Object.values(find('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('has a public app client (no secret, SRP/password) that cannot write clinicId or clientId', () => {
    const [, client] = only(find('AWS::Cognito::UserPoolClient'));
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(client.Properties.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']));
    expect(client.Properties.WriteAttributes).not.toContain('custom:clinicId');
    expect(client.Properties.WriteAttributes).not.toContain('custom:clientId');
    expect(client.Properties.ReadAttributes).toEqual(expect.arrayContaining(['custom:clinicId', 'custom:clientId']));
  });
});

describe('HTTP API', () => {
  let poolId: string;
  let clientId: string;
  let authorizerId: string;
  let routes: Resource[];

  beforeAll(() => {
    [poolId] = only(find('AWS::Cognito::UserPool'));
    [clientId] = only(find('AWS::Cognito::UserPoolClient'));
    [authorizerId] = only(find('AWS::ApiGatewayV2::Authorizer'));
    routes = Object.values(find('AWS::ApiGatewayV2::Route'));
  });

  it('has a JWT authorizer whose issuer is the user pool and audience the app client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', ref(poolId)]] },
        Audience: [ref(clientId)],
      },
    });
  });

  it('has exactly one route per entry of shared/http/routes.ts', () => {
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s has the authorization its entry asks for', (key, route: RouteDef) => {
    const found = routes.find((r) => r.Properties.RouteKey === key);
    if (route.auth === 'jwt') {
      expect(found?.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: ref(authorizerId) });
    } else {
      expect(found?.Properties.AuthorizationType).toBe('NONE');
      expect(found?.Properties.AuthorizerId).toBeUndefined();
    }
  });

  it('deploys no /v1/dev route', () => {
    expect(routes.filter((r) => String(r.Properties.RouteKey).includes('/v1/dev'))).toEqual([]);
  });

  it('refuses to build a stack that would deploy a dev route', () => {
    const dev: RouteDef = { method: 'POST', path: '/v1/dev/token', auth: 'none', fn: 'scheduling', allow: ['public'] };
    const build = () =>
      new KapstoneStack(new App(appProps()), 'Kapstone-devroute', {
        stage: 'devroute',
        logLevel: 'INFO',
        corsOrigins: [],
        routes: [...ROUTES, dev],
      });
    expect(build).toThrow(/never be deployed: POST \/v1\/dev\/token/);
  });

  it('integrates every route with its own function (payload 2.0): one function per service', () => {
    const integrations = Object.entries(find('AWS::ApiGatewayV2::Integration'));
    // the API's functions; the reminders job and CDK's deploy-time provider are not behind the API
    const functions = Object.entries(find('AWS::Lambda::Function')).filter(([id]) => /^(Scheduling|Payments|Billing)Function/.test(id));
    expect(functions).toHaveLength(new Set(ROUTES.map((r) => r.fn)).size);
    for (const [, integration] of integrations) {
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    }
    const integrationOf = new Map(
      integrations.map(([id, i]) => [
        id,
        functions.find(([fnId]) => JSON.stringify(i.Properties.IntegrationUri) === JSON.stringify(arnOf(fnId)))?.[0],
      ]),
    );
    for (const r of routes) {
      const integrationId = r.Properties.Target['Fn::Join'][1][1].Ref as string;
      const fnId = integrationOf.get(integrationId);
      const def = ROUTES.find((d) => `${d.method} ${d.path}` === r.Properties.RouteKey);
      expect(fnId, r.Properties.RouteKey).toMatch(new RegExp(`^${def!.fn[0]!.toUpperCase()}${def!.fn.slice(1)}Function`));
    }
  });

  it('keeps Stripe keys in a KMS-encrypted secret that only the payments function and the refund job read', () => {
    const [secretId, secret] = only(find('AWS::SecretsManager::Secret'));
    expect(secret.Properties.KmsKeyId).toBeDefined();
    const fns = Object.entries(find('AWS::Lambda::Function'));
    const payments = fns.find(([id]) => id.startsWith('PaymentsFunction'))!;
    const scheduling = fns.find(([id]) => id.startsWith('SchedulingFunction'))!;
    expect(payments[1].Properties.Environment.Variables.STRIPE_SECRET_ARN).toEqual(ref(secretId));
    expect(scheduling[1].Properties.Environment.Variables.STRIPE_SECRET_ARN).toBeUndefined();
    const billing = fns.find(([id]) => id.startsWith('BillingFunction'))!;
    expect(billing[1].Properties.Environment.Variables.STRIPE_SECRET_ARN).toBeUndefined();
    const readers = Object.entries(find('AWS::IAM::Policy')).filter(([, p]) =>
      JSON.stringify(p.Properties.PolicyDocument).includes(secretId),
    );
    expect(readers).toHaveLength(2);
    expect(readers.map(([, p]) => JSON.stringify(p.Properties.Roles).match(/(Payments|Refunds)Function/)?.[1]).sort()).toEqual([
      'Payments',
      'Refunds',
    ]);
  });

  it('leaves Stripe out of the routes that need no token only where Stripe signs: the webhook has no JWT', () => {
    const webhook = routes.find((r) => r.Properties.RouteKey === 'POST /v1/webhooks/stripe');
    expect(webhook?.Properties.AuthorizationType).toBe('NONE');
  });

  it('logs access as JSON to a log group with a retention, and throttles by default', () => {
    const [, stage] = only(find('AWS::ApiGatewayV2::Stage'));
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) },
    });
    const logsId: string = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
    const logs = template.toJSON().Resources[logsId] as Resource;
    expect(logs.Type).toBe('AWS::Logs::LogGroup');
    expect(logs.Properties.RetentionInDays).toBeGreaterThan(0);
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: DEFAULT_THROTTLE.rateLimit,
      ThrottlingBurstLimit: DEFAULT_THROTTLE.burstLimit,
    });
  });

  it('gives every rate-limited route its own, stricter throttle, and no other route one', () => {
    const [, stage] = only(find('AWS::ApiGatewayV2::Stage'));
    const limited = ROUTES.filter((r) => r.rateLimit !== undefined).map(routeKey);
    expect(limited.length).toBeGreaterThan(0);
    expect(RATE_LIMITED_ROUTE_THROTTLE.rateLimit).toBeLessThan(DEFAULT_THROTTLE.rateLimit);
    expect(RATE_LIMITED_ROUTE_THROTTLE.burstLimit).toBeLessThan(DEFAULT_THROTTLE.burstLimit);
    const settings = stage.Properties.RouteSettings as Record<string, Record<string, unknown>>;
    expect(Object.keys(settings).sort()).toEqual([...limited].sort());
    for (const key of limited) {
      expect(settings[key], key).toEqual({
        ThrottlingRateLimit: RATE_LIMITED_ROUTE_THROTTLE.rateLimit,
        ThrottlingBurstLimit: RATE_LIMITED_ROUTE_THROTTLE.burstLimit,
      });
    }
    // route settings may only name routes that exist when the stage is deployed
    const [stageId] = only(find('AWS::ApiGatewayV2::Stage'));
    const dependsOn = (template.toJSON().Resources[stageId] as { DependsOn?: string[] }).DependsOn ?? [];
    const routeIds = Object.entries(find('AWS::ApiGatewayV2::Route'))
      .filter(([, r]) => limited.includes(r.Properties.RouteKey))
      .map(([id]) => id);
    expect(dependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('allows CORS only from configured origins, for the methods and headers the contract uses', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: Match.arrayWith([Match.stringLikeRegexp('^http://localhost:\\d+$')]),
        AllowMethods: Match.arrayEquals([...new Set(ROUTES.map((r) => r.method))]),
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'idempotency-key']),
        AllowCredentials: false,
      },
    });
    const prod = createKapstoneApp(appProps({ stage: 'prod' })).stack;
    expect((prod.api.httpApi.node.defaultChild as CfnApi).corsConfiguration).toBeUndefined();
  });
});

describe('scheduling function', () => {
  let fn: Resource;

  beforeAll(() => {
    [, fn] = Object.entries(find('AWS::Lambda::Function')).find(([id]) => id.startsWith('SchedulingFunction'))!;
  });

  it('runs Node.js 22 on arm64 with traced, bounded invocations', () => {
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
    });
    expect(fn.Properties.MemorySize).toBeGreaterThanOrEqual(512);
    expect(fn.Properties.MemorySize).toBeLessThanOrEqual(1024);
  });

  it('gets the environment shared/config.ts reads', () => {
    const [poolId] = only(find('AWS::Cognito::UserPool'));
    const [clientId] = only(find('AWS::Cognito::UserPoolClient'));
    expect(fn.Properties.Environment.Variables).toEqual({
      TABLE_NAME: ref(tableId),
      LOG_LEVEL: 'INFO',
      POWERTOOLS_SERVICE_NAME: 'scheduling',
      USER_POOL_ID: ref(poolId),
      USER_POOL_CLIENT_ID: ref(clientId),
    });
  });

  it('(like every function) deploys its source map but does not apply it at run time (no --enable-source-maps)', () => {
    // `true`: each file's .map beside it, linked by its sourceMappingURL comment
    expect(lambdaBuildOptions('functions/scheduling/handler.ts', '/out')).toMatchObject({ sourcemap: true, sourcesContent: false });
    const functions = Object.entries(find('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const [id, f] of functions)
      expect(String(f.Properties.Environment?.Variables?.NODE_OPTIONS ?? ''), id).not.toContain('source-maps');
  });

  it('(like every function) runs index.handler of an asset the house bundling builds, on Node 22 arm64', () => {
    // ours, not CDK's own helpers (bucket deployment, custom resources): each says it is Kapstone's
    const functions = Object.values(find('AWS::Lambda::Function')).filter((f) => /^Kapstone /.test(String(f.Properties.Description)));
    expect(functions).toHaveLength(7); // 3 behind the API, post-confirmation, 3 jobs
    for (const f of functions) {
      expect(f.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs22.x', Architectures: ['arm64'] });
      expect(f.Properties.Code.S3Key).toMatch(/\.zip$/);
    }
    // each its own bundle (CDK caches assets by their bundling options: the entry must be in them)
    expect(new Set(functions.map((f) => f.Properties.Code.S3Key)).size).toBe(functions.length);
  });

  it('(like every function behind the API) knows the user pool and app client, to verify optional bearer tokens', () => {
    const [poolId] = only(find('AWS::Cognito::UserPool'));
    const [clientId] = only(find('AWS::Cognito::UserPoolClient'));
    const apiFunctions = Object.entries(find('AWS::Lambda::Function')).filter(([id]) => /^(Scheduling|Payments|Billing)Function/.test(id));
    expect(apiFunctions).toHaveLength(new Set(ROUTES.map((r) => r.fn)).size);
    for (const [id, f] of apiFunctions) {
      expect(f.Properties.Environment.Variables, id).toMatchObject({ USER_POOL_ID: ref(poolId), USER_POOL_CLIENT_ID: ref(clientId) });
    }
  });

  it('has a reserved concurrency (each function behind the API)', () => {
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(API_RESERVED_CONCURRENCY.scheduling);
    const [, payments] = Object.entries(find('AWS::Lambda::Function')).find(([id]) => id.startsWith('PaymentsFunction'))!;
    expect(payments.Properties.ReservedConcurrentExecutions).toBe(API_RESERVED_CONCURRENCY.payments);
    const [, billing] = Object.entries(find('AWS::Lambda::Function')).find(([id]) => id.startsWith('BillingFunction'))!;
    expect(billing.Properties.ReservedConcurrentExecutions).toBe(API_RESERVED_CONCURRENCY.billing);
    expect(API_RESERVED_CONCURRENCY).toEqual({ scheduling: 50, payments: 20, billing: 20 });
  });

  it('logs to its own log group, which has a retention, is encrypted and outlives the stack', () => {
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
    const logGroup = template.toJSON().Resources[logGroupId] as Resource;
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    expect(logGroup.Properties.KmsKeyId).toBeDefined();
    expect(logGroup.DeletionPolicy).toBe('Retain');
  });

  // billing (invoice reads, audit appends) gets the grants scheduling has, and for the ledger
  // export only: invoking the export job, and reading (pre-signing) export files with their key;
  // scheduling also sets custom:clientId on a user who signed itself up
  it.each(['SchedulingFunction', 'BillingFunction'])(
    "%s may touch only its log group, the table and its indexes, the table key and X-Ray (billing: and the export job and files; scheduling: and the user pool's AdminUpdateUserAttributes)",
    (prefix) => {
      const [, subject] = Object.entries(find('AWS::Lambda::Function')).find(([id]) => id.startsWith(prefix))!;
      const roleId: string = subject.Properties.Role['Fn::GetAtt'][0];
      const role = template.toJSON().Resources[roleId] as Resource;
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();

      const policies = Object.values(find('AWS::IAM::Policy')).filter((p) =>
        (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify(ref(roleId))),
      );
      const statements: Statement[] = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
      const logGroupArn = arnOf(subject.Properties.LoggingConfig.LogGroup.Ref);
      const tableArns = [arnOf(tableId), { 'Fn::Join': ['', [arnOf(tableId), '/index/*']] }];

      for (const s of statements) {
        expect(s.Effect).toBe('Allow');
        const actions = asList(s.Action);
        const services = new Set(actions.map((a) => a.split(':')[0]));
        expect(services.size, `one service per statement: ${actions.join(', ')}`).toBe(1);
        const resources = asList(s.Resource);
        switch ([...services][0]) {
          case 'dynamodb':
            expect(resources).toEqual(tableArns);
            break;
          case 'kms':
            if (prefix === 'BillingFunction' && JSON.stringify(resources) === JSON.stringify([arnOf(exportsKeyId())])) {
              expect(actions).toEqual(['kms:Decrypt']);
              break;
            }
            expect(resources).toEqual([arnOf(keyId)]);
            expect(actions.sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']);
            break;
          case 'lambda':
            expect(prefix).toBe('BillingFunction');
            expect([actions, resources]).toEqual([['lambda:InvokeFunction'], [arnOf(exportsFunctionId())]]);
            break;
          case 's3':
            expect(prefix).toBe('BillingFunction');
            expect([actions, resources]).toEqual([['s3:GetObject'], [exportObjects()]]);
            break;
          case 'cognito-idp':
            expect(prefix).toBe('SchedulingFunction');
            expect([actions, resources]).toEqual([
              ['cognito-idp:AdminUpdateUserAttributes'],
              [arnOf(only(find('AWS::Cognito::UserPool'))[0])],
            ]);
            break;
          case 'logs':
            expect(resources).toEqual([logGroupArn]);
            expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
            break;
          case 'xray':
            // X-Ray has no resource-level permissions; only these two actions get '*'.
            expect(resources).toEqual(['*']);
            expect(actions.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
            break;
          default:
            expect.fail(`unexpected permission: ${JSON.stringify(s)}`);
        }
      }
      const dynamodb = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(dynamodb.flatMap((s) => asList(s.Action))).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
        ]),
      );
      expect(statements.some((s) => asList(s.Action).some((a) => a.startsWith('kms:')))).toBe(true);
    },
  );

  it("alone may set a user's attributes (custom:clientId at sign-up): AdminUpdateUserAttributes on this user pool, nothing else of Cognito", () => {
    const [poolId] = only(find('AWS::Cognito::UserPool'));
    const roleId: string = fn.Properties.Role['Fn::GetAtt'][0];
    const cognitoStatements = Object.values(find('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => asList(s.Action).some((a) => a.startsWith('cognito-idp:')))
        .map((s) => ({ roles: p.Properties.Roles as unknown[], statement: s })),
    );
    expect(cognitoStatements.filter((c) => c.statement.Action !== 'cognito-idp:AdminAddUserToGroup')).toEqual([
      {
        roles: [ref(roleId)],
        statement: { Effect: 'Allow', Action: 'cognito-idp:AdminUpdateUserAttributes', Resource: arnOf(poolId) },
      },
    ]);
  });

  it("Cognito's PostConfirmation trigger puts a self-signed-up user in the client group: its one grant, invoked by this pool only", () => {
    const [poolId, pool] = only(find('AWS::Cognito::UserPool'));
    const [fnId, trigger] = Object.entries(find('AWS::Lambda::Function')).find(([id]) => id.startsWith('PostConfirmationFunction'))!;
    expect(pool.Properties.LambdaConfig).toEqual({ PostConfirmation: arnOf(fnId) });
    const roleId: string = trigger.Properties.Role['Fn::GetAtt'][0];
    const cognito = Object.values(find('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([ref(roleId)]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((st) => asList(st.Action).some((a) => a.startsWith('cognito-idp:')));
    expect(cognito.map((st) => st.Action)).toEqual(['cognito-idp:AdminAddUserToGroup']);
    expect(JSON.stringify(cognito[0]!.Resource)).toContain(':userpool/*');
    // no table, no secret: nothing but its logs, X-Ray and the group call
    expect(
      JSON.stringify(Object.values(find('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))),
    ).not.toMatch(/dynamodb|secretsmanager/);
    const permissions = Object.values(find('AWS::Lambda::Permission')).filter(
      (p) => p.Properties.Principal === 'cognito-idp.amazonaws.com',
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.Properties).toMatchObject({ FunctionName: arnOf(fnId), SourceArn: arnOf(poolId) });
  });

  it('may be invoked by this API only (each function)', () => {
    // the schedules' and Cognito's own permissions are checked with their functions
    const permissions = Object.values(find('AWS::Lambda::Permission')).filter(
      (p) => p.Properties.Principal !== 'events.amazonaws.com' && p.Properties.Principal !== 'cognito-idp.amazonaws.com',
    );
    const [apiId] = only(find('AWS::ApiGatewayV2::Api'));
    expect(permissions).toHaveLength(new Set(ROUTES.map((r) => r.fn)).size);
    for (const permission of permissions) {
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(JSON.stringify(ref(apiId)));
    }
  });
});

describe('ledger export job', () => {
  let fnId: string;
  let fn: Resource;
  let bucket: Resource;
  beforeAll(() => {
    fnId = exportsFunctionId();
    fn = template.toJSON().Resources[fnId] as Resource;
    bucket = template.toJSON().Resources[exportsBucketId()] as Resource;
  });

  it('runs with a bounded V8 heap (flat memory whatever the export size), the flags the bench measures', () => {
    expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe(EXPORT_JOB_NODE_OPTIONS);
    expect(EXPORT_JOB_NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
  });

  it('keeps the files in a private bucket: its own rotating KMS key, no public access, TLS only, gone after 7 days', () => {
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(exportsKeyId()) } },
    ]);
    const key = template.toJSON().Resources[exportsKeyId()] as Resource;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(exportsKeyId()).not.toBe(keyId);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      { ExpirationInDays: 7, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
    ]);
    const policy = Object.values(find('AWS::S3::BucketPolicy')).find(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify(ref(exportsBucketId())),
    )!;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('logs every access to the files into a private, TLS-only bucket kept six years', () => {
    const logsId: string = bucket.Properties.LoggingConfiguration.DestinationBucketName.Ref;
    const logs = template.toJSON().Resources[logsId] as Resource;
    expect(logs.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(logs.Properties.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
    expect(logs.Properties.LifecycleConfiguration.Rules).toEqual([{ ExpirationInDays: 6 * 366, Status: 'Enabled' }]);
    const policy = Object.values(find('AWS::S3::BucketPolicy')).find(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify(ref(logsId)),
    )!;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
    );
  });

  it('runs functions/exports/handler.ts for up to 15 minutes, two at a time, invoked asynchronously without retries', () => {
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], ReservedConcurrentExecutions: 2, Timeout: 900 });
    expect(fn.Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: ref(tableId),
      POWERTOOLS_SERVICE_NAME: 'exports',
      EXPORT_BUCKET: ref(exportsBucketId()),
      EXPORT_KEY_ARN: arnOf(exportsKeyId()),
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(fnId),
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
    });
    // nothing but the billing function's role may invoke it: no resource policy at all
    const permissions = Object.values(find('AWS::Lambda::Permission')).filter((p) =>
      JSON.stringify(p.Properties.FunctionName).includes(fnId),
    );
    expect(permissions).toEqual([]);
  });

  it('tells the billing function which job to start and which bucket to sign links for', () => {
    const [, billing] = Object.entries(find('AWS::Lambda::Function')).find(([id]) => id.startsWith('BillingFunction'))!;
    expect(billing.Properties.Environment.Variables).toMatchObject({
      EXPORT_FUNCTION_NAME: ref(fnId),
      EXPORT_BUCKET: ref(exportsBucketId()),
    });
  });

  it('may read the table, write audit entries and export records only, and put export files', () => {
    const roleId: string = fn.Properties.Role['Fn::GetAtt'][0];
    const statements: Statement[] = Object.values(find('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify(ref(roleId))))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const of = (service: string) =>
      statements
        .filter((s) => asList(s.Action).every((a) => a.startsWith(`${service}:`)))
        .map((s) => ({
          actions: asList(s.Action).sort(),
          resources: asList(s.Resource),
          conditions: (s as { Condition?: unknown }).Condition,
        }));
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    expect(of('dynamodb')).toEqual([
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], resources: [arnOf(tableId)], conditions: undefined },
      { actions: ['dynamodb:Query'], resources: [{ 'Fn::Join': ['', [arnOf(tableId), '/index/GSI2']] }], conditions: undefined },
      {
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [arnOf(tableId)],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*', 'EXPORT#*'] } },
      },
    ]);
    expect(of('s3')).toEqual([
      { actions: ['s3:AbortMultipartUpload', 's3:PutObject'], resources: [exportObjects()], conditions: undefined },
    ]);
    expect(of('kms')).toEqual([
      {
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [arnOf(keyId)],
        conditions: undefined,
      },
      { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [arnOf(exportsKeyId())], conditions: undefined },
    ]);
    const services = new Set(statements.flatMap((s) => asList(s.Action).map((a) => a.split(':')[0])));
    expect([...services].sort()).toEqual(['dynamodb', 'kms', 'logs', 's3', 'xray']);
  });

  it('alarms on every failed export (metric filter on its log) and on the job crashing', () => {
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: ref(logGroupId),
      FilterPattern: '{ $.message = "export failed" }',
      MetricTransformations: [Match.objectLike({ MetricName: 'ExportFailed', MetricValue: '1' })],
    });
    const alarms = Object.values(find('AWS::CloudWatch::Alarm')).filter((a) => /export/i.test(String(a.Properties.AlarmDescription)));
    expect(alarms).toHaveLength(2);
    for (const a of alarms) expect(a.Properties.AlarmActions).toHaveLength(1);
  });
});

describe('refund job', () => {
  let fnId: string;
  let fn: Resource;
  beforeAll(() => {
    [fnId, fn] = Object.entries(find('AWS::Lambda::Function')).find(([id]) => id.startsWith('RefundsFunction'))!;
  });

  it('runs functions/refunds/handler.ts alone (reserved concurrency 1) with the table and the Stripe secret', () => {
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], ReservedConcurrentExecutions: 1, Timeout: 60 });
    const [secretId] = only(find('AWS::SecretsManager::Secret'));
    expect(fn.Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: ref(tableId),
      POWERTOOLS_SERVICE_NAME: 'refunds',
      STRIPE_SECRET_ARN: ref(secretId),
    });
  });

  it('is run every five minutes by an EventBridge rule, which alone may invoke it', () => {
    const [ruleId, rule] = only(
      Object.fromEntries(
        Object.entries(find('AWS::Events::Rule')).filter(([, r]) => r.Properties.ScheduleExpression === 'rate(5 minutes)'),
      ),
    );
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: arnOf(fnId) })]);
    const permissions = Object.values(find('AWS::Lambda::Permission')).filter(
      (p) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(arnOf(fnId)),
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.Properties).toMatchObject({ Principal: 'events.amazonaws.com', SourceArn: arnOf(ruleId) });
  });

  it('alarms on the first dead-lettered refund (metric filter on its log) and on the job failing', () => {
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: ref(logGroupId),
      FilterPattern: '{ $.metric = "RefundDeadLettered" }',
      MetricTransformations: [Match.objectLike({ MetricName: 'RefundDeadLettered', MetricValue: '1' })],
    });
    const alarms = Object.values(find('AWS::CloudWatch::Alarm')).filter((a) => /refund/i.test(String(a.Properties.AlarmDescription)));
    expect(alarms).toHaveLength(2);
    for (const a of alarms) expect(a.Properties.AlarmActions).toHaveLength(1);
  });
});

describe('reminders function', () => {
  let fnId: string;
  let fn: Resource;
  let roleId: string;
  const statementsOf = (rid: string): Array<Statement & { Condition?: unknown }> =>
    Object.values(find('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify(ref(rid))))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);

  beforeAll(() => {
    [fnId, fn] = Object.entries(find('AWS::Lambda::Function')).find(([id]) => id.startsWith('RemindersFunction'))!;
    roleId = fn.Properties.Role['Fn::GetAtt'][0];
  });

  it('runs functions/reminders/handler.ts alone (reserved concurrency 1) with the SMS rate in its environment', () => {
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], ReservedConcurrentExecutions: 1, Timeout: 55 });
    expect(fn.Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: ref(tableId),
      POWERTOOLS_SERVICE_NAME: 'reminders',
      SMS_RATE_PER_SECOND: '1',
    });
  });

  it('is run every minute by an EventBridge rule, which alone may invoke it', () => {
    const [ruleId] = only(
      Object.fromEntries(Object.entries(find('AWS::Events::Rule')).filter(([, r]) => r.Properties.ScheduleExpression === 'rate(1 minute)')),
    );
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: arnOf(fnId) })],
    });
    const permissions = Object.values(find('AWS::Lambda::Permission')).filter(
      (p) => p.Properties.Principal === 'events.amazonaws.com' && JSON.stringify(p.Properties.FunctionName) === JSON.stringify(arnOf(fnId)),
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.Properties.SourceArn).toEqual(arnOf(ruleId));
  });

  it('may publish SMS only: Publish on * with every topic ARN denied, and the table', () => {
    const statements = statementsOf(roleId);
    const sns = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('sns:')));
    const allow = sns.find((s) => s.Effect === 'Allow');
    expect(allow?.Resource).toBe('*');
    expect(asList(allow!.Action).sort()).toEqual(['sns:CheckIfPhoneNumberIsOptedOut', 'sns:Publish']);
    expect(sns).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Resource: 'arn:aws:sns:*:*:*' }));
    expect(sns).toHaveLength(2);
    expect(statements.some((s) => asList(s.Action).includes('dynamodb:Query'))).toBe(true);
    // and nothing of SNS for the API's functions
    for (const [, other] of Object.entries(find('AWS::Lambda::Function')).filter(([id]) =>
      /^(Scheduling|Payments|Billing)Function/.test(id),
    )) {
      const otherRole = other.Properties.Role['Fn::GetAtt'][0];
      expect(
        statementsOf(otherRole)
          .flatMap((s) => asList(s.Action))
          .filter((a) => a.startsWith('sns:')),
      ).toEqual([]);
    }
  });

  it('alarms on the first dead-lettered SMS (metric filter on its log) and on the job failing', () => {
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: ref(logGroupId),
      FilterPattern: '{ $.metric = "SmsDeadLettered" }',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'Kapstone/Sms', MetricName: 'SmsDeadLettered', MetricValue: '1' })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Kapstone/Sms',
      MetricName: 'SmsDeadLettered',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: ref(fnId) }],
    });
  });

  it('sets SNS SMS attributes: Transactional, delivery status logged for every SMS', () => {
    const [, settings] = only(find('Custom::AWS'));
    const create = JSON.stringify(settings.Properties.Create);
    expect(create).toContain('setSMSAttributes');
    expect(create).toContain('\\"DefaultSMSType\\":\\"Transactional\\"');
    expect(create).toContain('\\"DeliveryStatusSuccessSamplingRate\\":\\"100\\"');
    expect(create).toContain('DeliveryStatusIAMRole');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'sns.amazonaws.com' } })],
      }),
    });
  });
});

describe('HIPAA safeguards', () => {
  it('encrypts every log group with a rotating customer managed key that CloudWatch Logs may use', () => {
    const groups = Object.values(find('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThan(0);
    const keyIds = new Set(groups.map((g) => g.Properties.KmsKeyId?.['Fn::GetAtt']?.[0] as string | undefined));
    expect([...keyIds]).toHaveLength(1);
    const [logsKeyId] = [...keyIds];
    expect(logsKeyId).toBeDefined();
    expect(logsKeyId).not.toBe(keyId);
    const key = template.toJSON().Resources[logsKeyId!] as Resource;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(key.Properties.KeyPolicy)).toContain('kms:EncryptionContext:aws:logs:arn');
  });

  it('backs the table up with AWS Backup into a vault encrypted with the table key', () => {
    const [, selection] = only(find('AWS::Backup::BackupSelection'));
    expect(selection.Properties.BackupSelection.Resources).toEqual([arnOf(tableId)]);
    const [, vault] = only(find('AWS::Backup::BackupVault'));
    expect(vault.Properties.EncryptionKeyArn).toEqual(arnOf(keyId));
    const [, plan] = only(find('AWS::Backup::BackupPlan'));
    const lifetimes = (plan.Properties.BackupPlan.BackupPlanRule as Array<{ Lifecycle: { DeleteAfterDays: number } }>).map(
      (r) => r.Lifecycle.DeleteAfterDays,
    );
    expect(lifetimes.sort((a, b) => a - b)).toEqual([35, 365]);
  });

  it('sends every alarm to the alarm topic, which is KMS-encrypted', () => {
    const [topicId, topic] = only(find('AWS::SNS::Topic'));
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    const alarms = Object.values(find('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([ref(topicId)]);
    // CloudWatch may publish to the topic and use its key (a topic policy replaces SNS's default)
    const [, topicPolicy] = only(find('AWS::SNS::TopicPolicy'));
    expect(topicPolicy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
    );
    const topicKey = template.toJSON().Resources[topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0]] as Resource;
    expect(topicKey.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    );
  });
});

describe('edge (CloudFront and WAF)', () => {
  let aclId: string;
  let acl: Resource;
  let distribution: Resource;
  type WafRule = { Name: string; Priority: number; Statement: Record<string, any>; Action?: unknown; OverrideAction?: unknown };
  const rule = (name: string) => (acl.Properties.Rules as WafRule[]).find((r) => r.Name === name);

  beforeAll(() => {
    [aclId, acl] = only(find('AWS::WAFv2::WebACL'));
    distribution = find('AWS::CloudFront::Distribution')[edgeDistributionId()]!;
  });

  it('puts CloudFront in front of the API, passing everything through uncached over HTTPS', () => {
    const [apiId] = only(find('AWS::ApiGatewayV2::Api'));
    const config = distribution.Properties.DistributionConfig;
    const [origin] = config.Origins;
    expect(JSON.stringify(origin.DomainName)).toContain(JSON.stringify(ref(apiId)));
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.');
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      // Managed-CachingDisabled and Managed-AllViewerExceptHostHeader
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    });
    expect([...config.DefaultCacheBehavior.AllowedMethods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
  });

  it('associates the distribution with a CLOUDFRONT-scoped web ACL that allows by default', () => {
    expect(distribution.Properties.DistributionConfig.WebACLId).toEqual(arnOf(aclId));
    expect(acl.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    expect(acl.Properties.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true });
  });

  it('is deployable to us-east-1 only (a template rule), where a CLOUDFRONT web ACL must be', () => {
    const rules = template.toJSON().Rules as Record<string, { Assertions: Array<{ Assert: unknown }> }>;
    expect(Object.values(rules).flatMap((r) => r.Assertions.map((a) => a.Assert))).toContainEqual({
      'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'],
    });
    const elsewhere = () =>
      new KapstoneStack(new App(appProps()), 'Kapstone-euw1', {
        stage: 'euw1',
        logLevel: 'INFO',
        corsOrigins: [],
        env: { region: 'eu-west-1' },
      });
    expect(elsewhere).toThrow(/us-east-1/);
  });

  it('blocks any IP above the overall rate limit', () => {
    const r = rule('AllRequestsPerIp');
    expect(r?.Action).toMatchObject({ Block: {} });
    expect(r?.Statement.RateBasedStatement).toEqual({
      AggregateKeyType: 'IP',
      Limit: EDGE_RATE_LIMIT.limit,
      EvaluationWindowSec: EDGE_RATE_LIMIT.windowSeconds,
    });
  });

  it('blocks an IP sooner on the rate-limited routes (sign-up, SMS-sending bookings), matched by method and path', () => {
    expect(EDGE_RATE_LIMITED_ROUTES_LIMIT.limit).toBeLessThan(EDGE_RATE_LIMIT.limit);
    const r = rule('RateLimitedRoutesPerIp');
    expect(r?.Action).toMatchObject({ Block: {} });
    expect(r?.Priority).toBeLessThan(rule('AllRequestsPerIp')!.Priority);
    const rate = r!.Statement.RateBasedStatement;
    expect(rate).toMatchObject({
      AggregateKeyType: 'IP',
      Limit: EDGE_RATE_LIMITED_ROUTES_LIMIT.limit,
      EvaluationWindowSec: EDGE_RATE_LIMITED_ROUTES_LIMIT.windowSeconds,
    });
    const scope = JSON.stringify(rate.ScopeDownStatement);
    const regexes = valuesOf(rate.ScopeDownStatement, 'RegexString') as string[];
    const limited = ROUTES.filter((d) => d.rateLimit !== undefined);
    expect(regexes.sort()).toEqual(limited.map((d) => pathRegex(d.path)).sort());
    for (const method of new Set(limited.map((d) => d.method))) expect(scope).toContain(`"SearchString":"${method}"`);
    // the patterns match the rate-limited paths (a path parameter is one segment) and no other route's
    const matches = (path: string) => regexes.some((re) => new RegExp(re).test(path));
    const sample = (path: string) => path.replace(/\{[^}]+\}/g, 'id-1');
    const limitedPaths = new Set(limited.map((d) => d.path));
    for (const path of limitedPaths) expect(matches(sample(path)), path).toBe(true);
    for (const path of new Set(ROUTES.map((d) => d.path).filter((p) => !limitedPaths.has(p)))) {
      expect(matches(sample(path)), path).toBe(false);
    }
    expect(matches('/v1/appointments/a/b/cancel')).toBe(false);
  });

  it("runs AWS's common rule set and known bad inputs group, blocking", () => {
    const groups = (acl.Properties.Rules as WafRule[])
      .filter((r) => r.Statement.ManagedRuleGroupStatement)
      .map((r) => ({
        name: r.Statement.ManagedRuleGroupStatement.Name,
        vendor: r.Statement.ManagedRuleGroupStatement.VendorName,
        override: r.OverrideAction,
      }));
    expect(groups).toEqual(
      expect.arrayContaining([
        { name: 'AWSManagedRulesCommonRuleSet', vendor: 'AWS', override: { None: {} } },
        { name: 'AWSManagedRulesKnownBadInputsRuleSet', vendor: 'AWS', override: { None: {} } },
      ]),
    );
  });

  it('logs WAF decisions to an encrypted aws-waf-logs-* log group, credentials redacted', () => {
    const [, logging] = only(find('AWS::WAFv2::LoggingConfiguration'));
    expect(logging.Properties.ResourceArn).toEqual(arnOf(aclId));
    expect(JSON.stringify(logging.Properties.LogDestinationConfigs)).toContain(':log-group:aws-waf-logs-kapstone-dev');
    expect(logging.Properties.RedactedFields).toEqual(expect.arrayContaining([{ SingleHeader: { Name: 'authorization' } }]));
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: Match.objectLike({
        LogGroupName: 'aws-waf-logs-kapstone-dev',
        RetentionInDays: Match.anyValue(),
        KmsKeyId: Match.anyValue(),
      }),
      DeletionPolicy: 'Retain',
    });
  });
});

describe('web app (S3 and CloudFront: infra/lib/web.ts)', () => {
  let bucketId: string;
  let bucket: Resource;
  let distribution: Resource;
  let headers: Record<string, any>;
  beforeAll(() => {
    bucketId = Object.keys(find('AWS::S3::Bucket')).find((id) => id.startsWith('WebBucket'))!;
    bucket = find('AWS::S3::Bucket')[bucketId]!;
    distribution = find('AWS::CloudFront::Distribution')[webDistributionId()]!;
    const policyId: string = distribution.Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref;
    headers = find('AWS::CloudFront::ResponseHeadersPolicy')[policyId]!.Properties.ResponseHeadersPolicyConfig;
  });

  it('keeps the built app in a private bucket: no public access, encrypted, TLS only, read by this distribution alone', () => {
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      'AES256',
    );
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const policy = Object.values(find('AWS::S3::BucketPolicy')).find(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify(ref(bucketId)),
    )!;
    const statements = policy.Properties.PolicyDocument.Statement as Array<Statement & { Principal: unknown; Condition?: any }>;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allowed = statements.filter((st) => st.Effect === 'Allow');
    expect(allowed).toHaveLength(1);
    expect(allowed[0]!.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(asList(allowed[0]!.Action).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(JSON.stringify(allowed[0]!.Condition.StringEquals['AWS:SourceArn'])).toContain(JSON.stringify(ref(webDistributionId())));
  });

  it('serves it through Origin Access Control, redirecting HTTP to HTTPS, the app routed by a function (no error pages)', () => {
    const config = distribution.Properties.DistributionConfig;
    const s3 = (config.Origins as any[]).find((o) => o.S3OriginConfig);
    expect(s3.OriginAccessControlId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^WebDistributionOrigin1S3OriginAccessControl/), 'Id'],
    });
    expect(s3.S3OriginConfig.OriginAccessIdentity).toBe('');
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', TargetOriginId: s3.Id });
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.stringMatching(/^WebSpaRouting/), 'FunctionARN'] } },
    ]);
    // error responses would apply to /v1/* too and turn the API's 403/404 into index.html
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(config.WebACLId).toEqual(arnOf(only(find('AWS::WAFv2::WebACL'))[0]));
  });

  it('sends /v1/* to the API as the edge does: HTTPS only, uncached, every viewer header but Host', () => {
    const [apiId] = only(find('AWS::ApiGatewayV2::Api'));
    const config = distribution.Properties.DistributionConfig;
    const [api] = config.CacheBehaviors as any[];
    expect(config.CacheBehaviors).toHaveLength(1);
    expect(api).toMatchObject({
      PathPattern: '/v1/*',
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      ResponseHeadersPolicyId: config.DefaultCacheBehavior.ResponseHeadersPolicyId,
    });
    const origin = (config.Origins as any[]).find((o) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(origin.DomainName)).toContain(JSON.stringify(ref(apiId)));
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
  });

  it('answers with a strict Content-Security-Policy, HSTS, nosniff, no framing and no referrer', () => {
    const security = headers.SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "frame-ancestors 'none'",
      "connect-src 'self' https://cognito-idp.",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(security.ContentSecurityPolicy.Override).toBe(true);
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(security.StrictTransportSecurity.IncludeSubdomains).toBe(true);
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
  });

  it('writes /config.json at deploy time (user pool, app client, region; the API on the same origin) and invalidates the cache', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment')) as Resource[];
    const site = deployments.find((d) => d.Properties.DistributionId !== undefined)!;
    expect(site.Properties).toMatchObject({ Prune: true, Exclude: ['assets/*'], DistributionPaths: ['/*'] });
    expect(site.Properties.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    expect(site.Properties.DestinationBucketName).toEqual(ref(bucketId));
    // Source.jsonData: the deploy-time values are markers that CloudFormation resolves
    const markers = JSON.stringify(site.Properties.SourceMarkers);
    expect(markers).toContain(JSON.stringify(ref(only(find('AWS::Cognito::UserPool'))[0])));
    expect(markers).toContain(JSON.stringify(ref(only(find('AWS::Cognito::UserPoolClient'))[0])));
    expect(markers).toContain(JSON.stringify({ Ref: 'AWS::Region' }));
  });

  it('sends Stripe Checkout back to the app on this distribution when no appBaseUrl is given', () => {
    const [, payments] = Object.entries(find('AWS::Lambda::Function')).find(([id]) => id.startsWith('PaymentsFunction'))!;
    expect(payments.Properties.Environment.Variables.APP_BASE_URL).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [webDistributionId(), 'DomainName'] }]],
    });
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.WebUrl?.Value).toEqual(payments.Properties.Environment.Variables.APP_BASE_URL);
  });
});

describe('outputs', () => {
  it('give the API and edge URLs, user pool, app client, table name and alarm topic', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(
      ['AlarmTopicArn', 'ApiUrl', 'EdgeUrl', 'StripeSecretArn', 'TableName', 'UserPoolClientId', 'UserPoolId', 'WebUrl'].sort(),
    );
    expect(outputs.TableName?.Value).toEqual(ref(tableId));
    const distributionId = edgeDistributionId();
    expect(outputs.EdgeUrl?.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']] });
  });
});

describe('cdk-nag (AWS Solutions and HIPAA Security)', () => {
  /** Every acknowledgment in the app, as rule id → reason. */
  const acknowledgments = (root: IConstruct) =>
    root.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));

  const packs = [
    ['AWS Solutions', () => new AwsSolutionsChecks()],
    ['HIPAA Security', () => new HIPAASecurityChecks()],
  ] as const;

  it.each(packs)('%s: reports nothing left unacknowledged, errors or warnings', (_name, pack) => {
    const report = pack().validateScope(app);
    const left = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(left).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('runs the HIPAA pack at synth too, as createKapstoneApp registers it', () => {
    const teeth = createKapstoneApp(appProps({ stage: 'teeth' }));
    new LogGroup(teeth.stack, 'UnencryptedLogs', { removalPolicy: RemovalPolicy.DESTROY });
    expect(() => teeth.app.synth()).toThrow(/HIPAA\.Security-CloudWatchLogGroupEncrypted/);
  });

  it('still has teeth here (a key without rotation, a log group without a key are reported)', () => {
    const control = new App(appProps());
    const controlStack = new Stack(control, 'Control');
    new Key(controlStack, 'Key', { enableKeyRotation: false });
    new LogGroup(controlStack, 'Logs');
    control.synth({ skipValidation: true });
    expect(new AwsSolutionsChecks().validateScope(control).violations.map((v) => v.ruleName)).toContain('AwsSolutions-KMS5');
    const hipaa = new HIPAASecurityChecks().validateScope(control).violations;
    expect(hipaa.map((v) => v.ruleName)).toContain('HIPAA.Security-CloudWatchLogGroupEncrypted');
    expect(hipaa.every((v) => v.severity === 'error' || v.severity === 'warning')).toBe(true);
  });

  it('acknowledges only the reviewed rules, each with a real reason', () => {
    const acks = acknowledgments(app);
    for (const [id, reason] of acks) {
      expect(id).toMatch(/(AwsSolutions|HIPAA\.Security)-/);
      expect(reason.length, `reason of ${id}`).toBeGreaterThanOrEqual(60);
    }
    // A new acknowledgment is a security decision: add it here only after review.
    const publicRoutes = ROUTES.filter((r) => r.auth === 'none').length;
    const ids = acks.map(([id]) =>
      id
        .replace(/^Annotation::/, '')
        .replace(/<DataTable[0-9A-F]+\.Arn>/, '<Table.Arn>')
        .replace(/<ExportsBucket[0-9A-F]+\.Arn>/, '<ExportsBucket.Arn>')
        .replace(/<WebBucket[0-9A-F]+\.Arn>/, '<WebBucket.Arn>'),
    );
    expect(ids.sort()).toEqual(
      [
        'AwsSolutions-COG2',
        'AwsSolutions-L1',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<Table.Arn>/index/*]',
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        // the same runtime and grants for the payments function
        'AwsSolutions-L1',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<Table.Arn>/index/*]',
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        // the same runtime and grants for the billing function
        'AwsSolutions-L1',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<Table.Arn>/index/*]',
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        // the reminders function: the same runtime and grants, plus SMS (infra/lib/reminders.ts)
        'AwsSolutions-L1',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<Table.Arn>/index/*]',
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        'AwsSolutions-IAM5[Resource::*]', // sns:Publish to phone numbers, topics denied
        'AwsSolutions-IAM5[Resource::*]', // sns:SetSMSAttributes (account level)
        'AwsSolutions-IAM5[Resource::arn:aws:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber*]',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        // the refund job: the same runtime and grants as the API's functions, plus the Stripe secret (infra/lib/refunds.ts)
        'AwsSolutions-L1',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<Table.Arn>/index/*]',
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        'AwsSolutions-SMG4',
        // Cognito's PostConfirmation trigger: the same runtime and X-Ray; AdminAddUserToGroup on the account's pools (no circular reference)
        'AwsSolutions-L1',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:<AWS::Region>:<AWS::AccountId>:userpool/*]',
        // the ledger export job: the same runtime and X-Ray; export files under exports/ only (infra/lib/exports.ts)
        'AwsSolutions-L1',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<ExportsBucket.Arn>/exports/*]',
        // the billing function signs links to those files
        'AwsSolutions-IAM5[Resource::<ExportsBucket.Arn>/exports/*]',
        // the exports' access-log bucket does not log itself
        'AwsSolutions-S1',
        ...Array<string>(publicRoutes).fill('AwsSolutions-APIG4'),
        // AWS Backup's service role for the table's backups (infra/lib/data.ts)
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        // the distribution: no geo restriction, WAF logs instead of standard logs, default certificate (infra/lib/edge.ts)
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR3',
        'AwsSolutions-CFR4',
        // HIPAA Security
        'HIPAA.Security-SecretsManagerRotationEnabled', // the Stripe secret, as AwsSolutions-SMG4
        // each function: outside a VPC; its role's CDK grants are inline (infra/lib/kapstone-function.ts)
        ...Array<string>(7).fill('HIPAA.Security-LambdaInsideVPC'),
        ...Array<string>(7).fill('HIPAA.Security-IAMNoInlinePolicy'),
        // no DLQ: the API's functions are invoked synchronously, the SMS and refund jobs by a data-less
        // tick, the export job asynchronously without retries (a failed export is recorded as failed)
        ...Array<string>(7).fill('HIPAA.Security-LambdaDLQ'),
        // the export bucket and its access-log bucket: no replica, no versions (infra/lib/exports.ts)
        ...Array<string>(2).fill('HIPAA.Security-S3BucketReplicationEnabled'),
        ...Array<string>(2).fill('HIPAA.Security-S3BucketVersioningEnabled'),
        // the access-log bucket: does not log itself, and S3 delivers access logs to SSE-S3 buckets only
        'HIPAA.Security-S3BucketLoggingEnabled',
        'HIPAA.Security-S3DefaultEncryptionKMS',
        // the reminders' SMS-only policy, SNS's delivery-status role, the SMS attributes call
        ...Array<string>(3).fill('HIPAA.Security-IAMNoInlinePolicy'),
        // CDK's deploy-time AwsCustomResource provider function
        'HIPAA.Security-LambdaDLQ',
        'HIPAA.Security-LambdaConcurrency',
        'HIPAA.Security-LambdaInsideVPC',
        // the web app (infra/lib/web.ts): its bucket holds the public build only (no access log, no replica, SSE-S3)
        'AwsSolutions-S1',
        'HIPAA.Security-S3BucketLoggingEnabled',
        'HIPAA.Security-S3BucketReplicationEnabled',
        'HIPAA.Security-S3DefaultEncryptionKMS',
        // its distribution: as the edge's (no geo restriction, WAF logs, default certificate)
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR3',
        'AwsSolutions-CFR4',
        // CDK's deploy-time BucketDeployment handler: copies the build into the bucket, invalidates the distribution
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        'AwsSolutions-IAM5[Resource::<WebBucket.Arn>/*]',
        'AwsSolutions-IAM5[Resource::*]', // cloudfront:CreateInvalidation, GetInvalidation
        'AwsSolutions-L1',
        'HIPAA.Security-IAMNoInlinePolicy',
        'HIPAA.Security-LambdaDLQ',
        'HIPAA.Security-LambdaConcurrency',
        'HIPAA.Security-LambdaInsideVPC',
      ].sort(),
    );
  });
});

describe('app context', () => {
  it('names the stack after the stage and refuses a malformed one', () => {
    expect(stack.stackName).toBe('Kapstone-dev');
    expect(() => createKapstoneApp(appProps({ stage: 'Prod Stage' }))).toThrow(/stage/);
    expect(() => createKapstoneApp(appProps({ logLevel: 'verbose' }))).toThrow(/logLevel/);
  });

  it('gives payments time for its Stripe calls, inside API Gateway’s 30 s', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')) as Array<{
      Properties: { Description?: string; Timeout?: number };
    }>;
    const timeoutOf = (name: string) => fns.find((f) => f.Properties.Description?.endsWith(`${name} service`))?.Properties.Timeout;
    expect([timeoutOf('payments'), timeoutOf('scheduling'), timeoutOf('billing')]).toEqual([25, 10, 10]);
  });

  it('passes the SMS settings and the app URL to the functions that read them', () => {
    const { stack: custom } = createKapstoneApp(
      appProps({
        stage: 'smsctx',
        appBaseUrl: 'https://book.example.org',
        sms: JSON.stringify({ ratePerSecond: 5, dailyNoticeCap: 4, rescheduleHint: 'call us', originationNumber: '+18885550100' }),
      }),
    );
    const fns = Object.values(Template.fromStack(custom).findResources('AWS::Lambda::Function')) as Array<{
      Properties: { Environment?: { Variables?: Record<string, unknown> } };
    }>;
    const vars = fns.map((f) => f.Properties.Environment?.Variables ?? {});
    expect(vars).toContainEqual(
      expect.objectContaining({
        SMS_RATE_PER_SECOND: '5',
        SMS_DAILY_NOTICE_CAP: '4',
        SMS_RESCHEDULE_HINT: 'call us',
        SMS_ORIGINATION_NUMBER: '+18885550100',
      }),
    );
    expect(vars).toContainEqual(expect.objectContaining({ APP_BASE_URL: 'https://book.example.org' }));
    expect(() => createKapstoneApp(appProps({ stage: 'smsbad', sms: { rate: 5 } }))).toThrow(/sms/);
    expect(() => createKapstoneApp(appProps({ stage: 'urlbad', appBaseUrl: 'http://plain' }))).toThrow(/appBaseUrl/);
  });
});
