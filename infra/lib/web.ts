// The clients' web app on AWS: the built files (web/dist) in a private S3 bucket behind a
// CloudFront distribution that reads them through Origin Access Control, HTTPS only, with strict
// security headers on every answer; and the app's runtime config (/config.json: the API's URL, the
// user pool and app client, the region) written at deploy time, so one build serves every stage.
//
// The API on the same origin. The distribution also sends /v1/* to the HTTP API (the edge's own
// origin and behaviour: infra/lib/edge.ts, behind the same WAF web ACL), so the app calls the API
// without CORS. The alternative — the app calling the edge distribution's URL — cannot be built in
// one stack: the app's Content-Security-Policy must name the API's domain and the API's CORS must
// name the app's domain, and CloudFormation cannot create two resources that each reference the
// other's generated name. One origin also spares every authorized call its CORS preflight.
//
// The SPA fallback is a CloudFront Function on the app's behaviour (a path without a file
// extension is served index.html, as infra/local/web-static.ts does), not the distribution's
// custom error responses: those apply to every behaviour and would turn the API's own 403 and 404
// JSON answers into index.html. A missing file is S3's 404 (the OAC may list the bucket).
//
// Deploying the files: the built app when `distDir` holds one (index.html); otherwise a placeholder
// page, so `cdk synth` works offline and in tests without building the app (`npm run web:build`
// before `cdk deploy`: docs/web.md). Hashed files under assets/ are immutable (cached a year, never
// pruned, so an open tab can still load the files of the version it started with); the rest,
// config.json included, is revalidated, and each deploy invalidates the distribution's cache.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { AccessLevel } from 'aws-cdk-lib/aws-cloudfront';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** What the app reads from /config.json at start (web/src/config.ts). */
export interface WebRuntimeConfig {
  /** '' : the app's own origin (this distribution forwards /v1/* to the API). */
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
}

export interface WebProps {
  stage: string;
  /** The API's origin and behaviour (infra/lib/edge.ts), used for /v1/*. */
  apiBehavior: BehaviorOptions;
  /** The edge's CLOUDFRONT-scoped web ACL: the same rate limits and managed rules for the app and its API calls. */
  webAclArn: string;
  config: WebRuntimeConfig;
  /** The built app (web/dist). Without an index.html there, a placeholder page is deployed. */
  distDir: string;
}

/** Served while no built app was deployed: says what to do, names nothing else. */
const PLACEHOLDER = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kapstone</title></head>
<body><main><h1>The app is not deployed yet</h1><p>Build it (<code>npm run web:build</code>), then deploy the stack again.</p></main></body></html>
`;

/**
 * Viewer request on the app's behaviour: a path whose last segment has no file extension is a
 * route of the app (/care, /invoices/inv_1) and gets index.html; files are served as they are.
 */
export const SPA_ROUTING = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

export class Web extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  readonly deployment: BucketDeployment;
  /** Whether `distDir` held a built app (else the placeholder was deployed). */
  readonly built: boolean;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const region = Stack.of(this).region;

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // a deploy that went wrong can be put back from the previous versions for a month
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    Validations.of(this.bucket).acknowledge(
      {
        id: 'AwsSolutions-S1',
        reason:
          "The app's public build output (HTML, JavaScript, CSS, config.json) and nothing else; CloudFront reads it " +
          'through OAC and the WAF log records every request for it, so S3 access logs would add no audit trail.',
      },
      {
        id: 'HIPAA.Security-S3BucketLoggingEnabled',
        reason:
          'Holds no health information, only the built app that every visitor downloads; each request reaches it ' +
          'through CloudFront, whose WAF web ACL logs it, and only the deployment writes here (CloudTrail).',
      },
      {
        id: 'HIPAA.Security-S3BucketReplicationEnabled',
        reason:
          'The content is rebuilt and redeployed from the repository by every deploy; a replica would hold ' +
          'nothing that cannot be recreated, and versioning already keeps the previous deploy for a month.',
      },
      {
        id: 'HIPAA.Security-S3DefaultEncryptionKMS',
        reason:
          'Encrypted at rest with S3-managed keys: the files are the public app, served to anyone who opens it; a ' +
          'customer managed key would protect nothing secret and make CloudFront need a grant on the key.',
      },
    );

    const cognito = `https://cognito-idp.${region}.amazonaws.com`;
    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      // the API is on this origin (/v1/*); sign-in talks to Cognito's API
      ...(props.config.apiUrl ? [`connect-src 'self' ${props.config.apiUrl} ${cognito}`] : [`connect-src 'self' ${cognito}`]),
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      'upgrade-insecure-requests',
    ].join('; ');
    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Kapstone ${props.stage}: security headers of the web app`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true }],
      },
    });

    const spaRouting = new CloudFrontFunction(this, 'SpaRouting', {
      comment: 'Paths of the app (no file extension) get index.html',
      code: FunctionCode.fromInline(SPA_ROUTING),
      runtime: FunctionRuntime.JS_2_0,
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Kapstone ${props.stage}: web app, and the API under /v1/`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        // LIST: a missing file is S3's 404, not a 403 that looks like a permission problem
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, { originAccessLevels: [AccessLevel.READ, AccessLevel.LIST] }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: this.headers,
        functionAssociations: [{ function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: { '/v1/*': { ...props.apiBehavior, responseHeadersPolicy: this.headers } },
      webAclId: props.webAclArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
      // North America and Europe: where the clinics and their clients are (as the edge).
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: false,
    });
    // LIST is what lets S3 answer a missing file with 404; the root is index.html (defaultRootObject), never a listing
    Annotations.of(this.distribution).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
      'defaultRootObject is index.html and the SPA function rewrites every extensionless path to it, so no request lists the bucket',
    );
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: clients of a clinic open the app and book from wherever they are (travel included); ' +
          'abuse is bounded by the per-IP WAF rate rules this distribution shares with the edge.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          "The WAF web ACL on this distribution logs every request it sees (the edge's encrypted WAF log, credentials " +
          'redacted) and the API logs every call it serves; a standard-log S3 bucket would duplicate both and need ACLs.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate, with which CloudFront fixes the viewer ' +
          'security policy and no minimum can be set; a custom domain with an ACM certificate and TLSv1.2_2021 raises it.',
      },
    );

    // the files: assets/* immutable and kept across deploys, then the rest (index.html last)
    this.built = existsSync(join(props.distDir, 'index.html'));
    if (!this.built) {
      Annotations.of(this).addInfo(`No built web app in ${props.distDir}: a placeholder page is deployed (npm run web:build first).`);
    }
    const assetsDir = join(props.distDir, 'assets');
    const assets =
      this.built && existsSync(assetsDir)
        ? new BucketDeployment(this, 'Assets', {
            destinationBucket: this.bucket,
            destinationKeyPrefix: 'assets/',
            // source maps stay in the build: the deployed app does not publish its sources
            sources: [Source.asset(assetsDir, { exclude: ['*.map'] })],
            cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
            prune: false,
          })
        : undefined;
    const site: ISource[] = this.built
      ? [Source.asset(props.distDir, { exclude: ['assets', 'config.json', '*.map'] })]
      : [Source.data('index.html', PLACEHOLDER)];
    this.deployment = new BucketDeployment(this, 'Site', {
      destinationBucket: this.bucket,
      sources: [...site, Source.jsonData('config.json', props.config)],
      // pruning the old index.html and the like, never the hashed files of older versions
      exclude: ['assets/*'],
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
    if (assets) this.deployment.node.addDependency(assets);
    this.acknowledgeDeploymentHandler();
  }

  /** CDK's BucketDeployment handler (one per stack): runs only while CloudFormation deploys the files. */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) return;
    const wildcard = (what: string, reason: string) => ({ id: `AwsSolutions-IAM5[${what}]`, reason });
    const copies =
      "CDK's BucketDeployment grant, to copy the app's files from the deployment's staged zip into the web " +
      'bucket and prune stale ones (aws s3 sync); its role runs only during deploys and reaches no other bucket.';
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "The deploy-time handler of CDK's BucketDeployment comes with the basic execution policy (its own logs); it " +
          'runs only while CloudFormation deploys the web app and holds no access to any health data.',
      },
      wildcard('Action::s3:GetBucket*', copies),
      wildcard('Action::s3:GetObject*', copies),
      wildcard('Action::s3:List*', copies),
      wildcard('Action::s3:Abort*', copies),
      wildcard('Action::s3:DeleteObject*', copies),
      wildcard(
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        "Reads the app's staged zip from the CDK bootstrap asset bucket, where `cdk deploy` uploads it; the key is a content hash known only at deploy time.",
      ),
      wildcard(
        `Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`,
        "Writes the app's files into the web bucket, any key of it: the build decides the file names (content hashes).",
      ),
      wildcard(
        'Resource::*',
        'cloudfront:CreateInvalidation and GetInvalidation after each deploy (so visitors get the new index.html and ' +
          'config.json): CDK grants them on every distribution, and they change no data and read no file.',
      ),
      {
        id: 'AwsSolutions-L1',
        reason:
          "The handler's runtime (Python with the AWS CLI layer) is chosen and pinned by aws-cdk-lib's BucketDeployment " +
          'and moves with CDK upgrades; it runs only during deploys and serves no request.',
      },
      {
        id: 'HIPAA.Security-IAMNoInlinePolicy',
        reason:
          "CDK's BucketDeployment writes its grants (read the staged zip, write the web bucket, invalidate the " +
          'distribution) as the handler role’s inline policy; the role is used by nothing else.',
      },
      {
        id: 'HIPAA.Security-LambdaDLQ',
        reason:
          'Invoked by CloudFormation during deploys only; a failure fails the stack operation, which CloudFormation ' +
          'rolls back and reports, so there is no lost event for a dead-letter queue to keep.',
      },
      {
        id: 'HIPAA.Security-LambdaConcurrency',
        reason:
          'Runs once per deploy that changes the web app, called by CloudFormation alone; it serves no traffic that a ' +
          'concurrency limit would bound.',
      },
      {
        id: 'HIPAA.Security-LambdaInsideVPC',
        reason:
          'Copies public build files between two S3 buckets and asks CloudFront for an invalidation, over TLS with ' +
          'IAM-signed requests; it touches no health data and the stack has no VPC resource for it to reach.',
      },
    );
  }

  /** https://<distribution domain> (no trailing slash: the API appends paths to it). */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
