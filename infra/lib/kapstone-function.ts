// A Lambda function with the house defaults fixed in one place, so a new service's function is
// its entry path, its environment and its grants — nothing else to get wrong.
//
// What it fixes: Node.js 22 on arm64, an ESM bundle built by esbuild with code splitting
// (infra/lib/bundling.ts; source maps deployed beside it but not applied at run time), X-Ray
// tracing, its own log group with a retention, and an execution role that may write to that log
// group only (instead of AWSLambdaBasicExecutionRole, which allows every log group in the account).
//
// Not a NodejsFunction: that construct always hands esbuild one `--outfile`, and esbuild splits
// code only into an output directory. The asset is built the way NodejsFunction builds its own
// (local esbuild, the project root as the asset's source, hashed by its output), by
// lambdaBuildOptions, which the bench builds with too.
import { AssetHashType, DockerImage, type ILocalBundling, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing, type FunctionOptions } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { lambdaBuildOptions, PROJECT_ROOT } from './bundling.ts';

export interface KapstoneFunctionProps extends Omit<FunctionOptions, 'runtime' | 'architecture' | 'logGroup' | 'logRetention' | 'role'> {
  /** Absolute path of the TypeScript entry; it must export `handler`. */
  entry: string;
  /** @default three months */
  logRetention?: RetentionDays;
  /** Customer managed key of the log group (its key policy must let CloudWatch Logs use it). */
  logEncryptionKey?: IKey;
}

/** Node 22 is the runtime the bundle targets; ESBUILD_TARGET in infra/lib/bundling.ts must follow it. */
const RUNTIME = Runtime.NODEJS_22_X;

/** The function's code: `entry` bundled by esbuild on this machine at synth (infra/lib/bundling.ts). */
function bundledCode(entry: string): Code {
  return Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // required by the type, never pulled: local bundling below always runs (esbuild is a
      // dependency of the project), and a failed build fails the synth instead of falling back
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      local: new LocalEsbuild(entry),
    },
  });
}

/**
 * Builds on this machine. A class with the entry as a property, not an object literal: CDK caches
 * staged assets by the JSON of their bundling options, where a bare `tryBundle` function does not
 * show, so every function would get the first one's bundle.
 */
class LocalEsbuild implements ILocalBundling {
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    buildSync(lambdaBuildOptions(this.entry, outputDir));
    return true;
  }
}

export class KapstoneFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, props: KapstoneFunctionProps) {
    const { entry, logRetention, logEncryptionKey, environment, ...rest } = props;

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
      code: bundledCode(entry),
      handler: 'index.handler',
      logGroup,
      role,
      // No NODE_OPTIONS by default: --enable-source-maps costs every cold start (infra/lib/bundling.ts).
      environment: { ...environment },
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
