// A NodejsFunction with the house defaults fixed in one place, so a new service's function is
// its entry path, its environment and its grants — nothing else to get wrong.
//
// What it fixes: Node.js 22 on arm64, ESM bundle (minified; source maps deployed beside it but
// not applied at run time, see DEFAULT_BUNDLING), X-Ray tracing,
// its own log group with a retention, and an execution role that may write to that log group
// only (instead of AWSLambdaBasicExecutionRole, which allows every log group in the account).
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface KapstoneFunctionProps extends Omit<
  NodejsFunctionProps,
  'entry' | 'runtime' | 'architecture' | 'logGroup' | 'logRetention' | 'role' | 'code'
> {
  /** Absolute path of the TypeScript entry; it must export `handler` (or the `handler` prop). */
  entry: string;
  /** @default three months */
  logRetention?: RetentionDays;
  /** Customer managed key of the log group (its key policy must let CloudWatch Logs use it). */
  logEncryptionKey?: IKey;
}

/** Node 22 is the runtime the bundle targets; esbuild's target below must follow it. */
const RUNTIME = Runtime.NODEJS_22_X;
const ESBUILD_TARGET = 'node22';

/**
 * The bundle is ESM, but some dependencies (the AWS SDK among them) are CommonJS and call
 * `require` for Node built-ins; esbuild leaves those calls in place, so `require` has to exist.
 */
const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export const DEFAULT_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: ESBUILD_TARGET,
  minify: true,
  // Source maps are built and deployed (index.mjs.map beside index.mjs in the asset and the
  // function's zip, linked by the sourceMappingURL comment) but NOT applied at run time:
  // NODE_OPTIONS has no --enable-source-maps. Measured (Node 20.20, x64, medians of 7 fresh
  // processes) on a 1.5 MB bundle with a 1.8 MB map (the payments bundle is about that size):
  // the flag costs +15 ms on every cold import (78.7 → 93.5 ms), +81 ms on the first Error.stack
  // of each process (1.4 → 82.9 ms: the map is parsed then, i.e. on the first error logged
  // after a cold start) and ~3× per later stack (1,000 stacks: 10.8 → 30.7 ms). Traces are
  // therefore minified (index.mjs:1:<column>); to debug, set NODE_OPTIONS=--enable-source-maps
  // on that one function (its `environment` prop, or the console: no rebuild, the map is
  // deployed), or resolve the columns offline with the asset's index.mjs.map.
  sourceMap: true,
  // Mapping a trace needs only the mappings; embedding every source would quadruple the map
  // (in the zip, and for Node to parse whenever the flag above is turned on).
  sourcesContent: false,
  // Prefer packages' ESM builds: they tree-shake far better than their CommonJS ones.
  mainFields: ['module', 'main'],
  banner: REQUIRE_SHIM,
  // Everything is bundled, the AWS SDK v3 included: the function then runs the exact SDK
  // versions pinned in package-lock.json and tested locally, not whatever the runtime ships.
  externalModules: [],
};

export class KapstoneFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: KapstoneFunctionProps) {
    const { logRetention, logEncryptionKey, environment, bundling, ...rest } = props;

    // Created beside the function (they must exist before `super`, so they cannot be its
    // children). Logs are kept when the stack goes: the retention bounds how long.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: logRetention ?? RetentionDays.THREE_MONTHS,
      ...(logEncryptionKey ? { encryptionKey: logEncryptionKey } : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}: its own log group, tracing, and the grants given to it`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      memorySize: 1024,
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      ...rest,
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      handler: rest.handler ?? 'handler',
      logGroup,
      role,
      // No NODE_OPTIONS by default: --enable-source-maps costs every cold start (DEFAULT_BUNDLING).
      environment: { ...environment },
      bundling: { ...DEFAULT_BUNDLING, ...bundling },
    });

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x (LTS until 2027-04) on purpose: the bundle targets node22 and the ' +
        'team tests on Node 20/22. Moving to nodejs24.x is a deliberate change of RUNTIME and ' +
        'ESBUILD_TARGET in infra/lib/kapstone-function.ts, not something to happen silently.',
    });
    // cdk-nag cannot tell which action a '*' resource belongs to, so this covers every '*' in
    // the role's policy: test/infra/stack.test.ts checks that only the X-Ray actions have one.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not ' +
        'support resource-level permissions (AWS service authorization reference for X-Ray).',
    });
    Validations.of(role).acknowledge({
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason:
        "The role's policy is the CDK grants of this one function (its log group, its table and key, " +
        'its secret): it is attached to this role alone and lives and dies with it, so a managed ' +
        'policy would add a reusable object with nothing to reuse it.',
    });
    Validations.of(this).acknowledge({
      id: 'HIPAA.Security-LambdaInsideVPC',
      reason:
        'The functions call only public AWS APIs (DynamoDB, Secrets Manager, SNS, X-Ray) over TLS with ' +
        'IAM-signed requests, and Stripe; the stack has no VPC resource (database, cache) to reach. ' +
        'Stripe needs internet egress anyway, so a VPC would add NAT gateways and endpoints, not isolation.',
    });
  }
}
