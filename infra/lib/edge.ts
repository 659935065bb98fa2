// The edge in front of the HTTP API: a CloudFront distribution that passes every request through
// (no caching; the viewer's headers, query string and cookies reach the API, Host aside) and a
// WAF web ACL on it, with per-IP rate limits and AWS's managed rules. The web app's distribution
// (infra/lib/web.ts) sends its /v1/* the same way (apiBehavior), behind the same web ACL.
//
// Region: a web ACL for CloudFront (scope CLOUDFRONT) can only be created in us-east-1, and so
// can its CloudWatch log group. The stack stays environment-agnostic (it synthesizes offline, and
// its region-dependent names stay `AWS::Region` tokens); instead it refuses to be deployed
// anywhere but us-east-1: at synth time when a region is given, and at deploy time through a
// template rule (see KapstoneStack). A separate us-east-1 edge stack would need both stacks bound
// to explicit regions (crossRegionReferences), which an environment-agnostic app cannot do.
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { RouteDef } from '#http/routes.ts';

/** The region of every CLOUDFRONT-scoped WAF resource. */
export const EDGE_REGION = 'us-east-1';

export interface EdgeRateLimit {
  /** Requests per IP within the window before WAF answers 429. */
  limit: number;
  windowSeconds: 60 | 120 | 300 | 600;
}

/** Any request, per client IP: far above a clinic's front desk, well below a scraper or a flood. */
export const EDGE_RATE_LIMIT: EdgeRateLimit = { limit: 1000, windowSeconds: 300 };

/**
 * Sign-up and the bookings that send SMS (routes with a `rateLimit`), per client IP. A front desk
 * books for many clients from one address, so this stays above a busy desk's pace (10 a minute);
 * the router's per-caller limits (shared/auth/policy.ts) are the fine-grained ones.
 */
export const EDGE_RATE_LIMITED_ROUTES_LIMIT: EdgeRateLimit = { limit: 50, windowSeconds: 300 };

/**
 * A WAF regular expression matching an API Gateway route path: `{param}` is one path segment;
 * an optional trailing slash. No groups (WAF supports no capturing subexpressions).
 */
export function pathRegex(path: string): string {
  const escaped = path
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return `^${escaped}/?$`;
}

export interface EdgeProps {
  stage: string;
  httpApi: IHttpApi;
  routes: readonly RouteDef[];
  /** Customer managed key of the WAF log group. */
  logEncryptionKey?: IKey;
}

export class Edge extends Construct {
  readonly webAcl: CfnWebACL;
  readonly distribution: Distribution;
  readonly wafLogs: LogGroup;
  /**
   * How a distribution passes a request to the API: the origin and behaviour of this one. The web
   * app's distribution (infra/lib/web.ts) uses it for /v1/*, so the app calls the API on its own
   * origin, behind this same web ACL.
   */
  readonly apiBehavior: BehaviorOptions;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const metric = (name: string) => `kapstone-${props.stage}-${name}`;
    // Sampled requests would show every header, Authorization included, to anyone who may read
    // the web ACL; the log below has the same requests with the credentials redacted.
    const visibility = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: metric(name),
      sampledRequestsEnabled: false,
    });
    const tooMany: CfnWebACL.RuleActionProperty = { block: { customResponse: { responseCode: 429 } } };

    const limited = props.routes.filter((r) => r.rateLimit !== undefined);
    const stripe = props.routes.filter((r) => r.allow.includes('stripe'));

    const rules: CfnWebACL.RuleProperty[] = [];
    if (limited.length > 0) {
      rules.push({
        name: 'RateLimitedRoutesPerIp',
        priority: rules.length,
        action: tooMany,
        statement: {
          rateBasedStatement: {
            limit: EDGE_RATE_LIMITED_ROUTES_LIMIT.limit,
            evaluationWindowSec: EDGE_RATE_LIMITED_ROUTES_LIMIT.windowSeconds,
            aggregateKeyType: 'IP',
            scopeDownStatement: routesStatement(limited),
          },
        },
        visibilityConfig: visibility('rate-limited-routes'),
      });
    }
    rules.push({
      name: 'AllRequestsPerIp',
      priority: rules.length,
      action: tooMany,
      statement: {
        rateBasedStatement: {
          limit: EDGE_RATE_LIMIT.limit,
          evaluationWindowSec: EDGE_RATE_LIMIT.windowSeconds,
          aggregateKeyType: 'IP',
        },
      },
      visibilityConfig: visibility('all-requests'),
    });
    // Both managed groups block (their rules' own action): Log4j/JNDI, Java deserialization and
    // the like are never legitimate here, and the API takes small JSON bodies only. Exceptions:
    // - SizeRestrictions_BODY (over 8 KB) counts instead: Stripe's event payloads can be larger;
    // - the common rule set skips the Stripe webhook, whose raw body is checked by its signature
    //   and may hold text (names, URLs) that its generic XSS/RFI rules would mistake for attacks,
    //   which would stall payment updates until Stripe gives up.
    rules.push({
      name: 'AwsKnownBadInputs',
      priority: rules.length,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
      visibilityConfig: visibility('known-bad-inputs'),
    });
    rules.push({
      name: 'AwsCommonRuleSet',
      priority: rules.length,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: 'AWSManagedRulesCommonRuleSet',
          ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
          ...(stripe.length > 0 ? { scopeDownStatement: { notStatement: { statement: routesStatement(stripe) } } } : {}),
        },
      },
      visibilityConfig: visibility('common-rule-set'),
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `kapstone-${props.stage}-edge`,
      description: `Kapstone ${props.stage}: rate limits and AWS managed rules in front of the API`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      rules,
      visibilityConfig: visibility('web-acl'),
    });

    // WAF's log: every request the ACL sees, blocked ones included, with the client IP, URI,
    // method, headers and the rule that decided. Credentials and query strings are redacted (the
    // API's access log leaves query strings out too). The name prefix is WAF's requirement.
    const logGroupName = `aws-waf-logs-kapstone-${props.stage}`;
    this.wafLogs = new LogGroup(this, 'WafLogs', {
      logGroupName,
      retention: RetentionDays.THREE_MONTHS,
      ...(props.logEncryptionKey ? { encryptionKey: props.logEncryptionKey } : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logging = new CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group's ARN without the ':*' that CloudFormation's Arn attribute has.
      logDestinationConfigs: [
        stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'cookie' } },
        { singleHeader: { Name: 'stripe-signature' } },
        { queryString: {} },
      ],
    });
    logging.node.addDependency(this.wafLogs);

    // The API's default endpoint: https://{api-id}.execute-api.{region}.amazonaws.com, stage $default.
    const apiDomain = `${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    this.apiBehavior = {
      origin: new HttpOrigin(apiDomain, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        readTimeout: Duration.seconds(30),
      }),
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // Every answer is per caller (and often health data): nothing is cached at the edge.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // All viewer headers (Authorization, Idempotency-Key, Stripe-Signature, Origin...), query
      // strings and cookies; not Host, which API Gateway needs to be its own domain.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      // No plain-HTTP request ever carries a token: refused, not redirected.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Kapstone ${props.stage}: HTTP API behind WAF`,
      defaultBehavior: this.apiBehavior,
      webAclId: this.webAcl.attrArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
      // North America and Europe: where the clinics and their clients are.
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: false,
    });

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: clients of a clinic book and pay from wherever they are (travel included); ' +
          'abuse is bounded by the per-IP WAF rate rules and the API throttles instead of by country.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'The WAF web ACL on this distribution logs every request it sees, blocked ones included (client IP, ' +
          'URI, method, headers with credentials redacted, decision) to an encrypted log group, and the API ' +
          'logs every request it serves; a standard-log S3 bucket would duplicate both and need ACLs enabled.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate, with which CloudFront fixes the ' +
          'viewer security policy (TLSv1) and no minimum can be set; a custom domain with an ACM certificate ' +
          'and TLSv1.2_2021 is the way to raise it. The origin side is TLSv1.2 only.',
      },
    );
  }

  /** https://<distribution domain>/ */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}

/** Requests to any of these routes: the method and the path (URL-decoded) both match. */
function routesStatement(routes: readonly RouteDef[]): CfnWebACL.StatementProperty {
  const byMethod = new Map<string, string[]>();
  for (const r of routes) byMethod.set(r.method, [...(byMethod.get(r.method) ?? []), r.path]);
  const perMethod = [...byMethod].map(([method, paths]): CfnWebACL.StatementProperty => ({
    andStatement: {
      statements: [
        {
          byteMatchStatement: {
            fieldToMatch: { method: {} },
            positionalConstraint: 'EXACTLY',
            searchString: method,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
        anyOf(
          paths.map((path) => ({
            regexMatchStatement: {
              fieldToMatch: { uriPath: {} },
              regexString: pathRegex(path),
              textTransformations: [{ priority: 0, type: 'URL_DECODE' }],
            },
          })),
        ),
      ],
    },
  }));
  return anyOf(perMethod);
}

/** WAF's OrStatement needs two statements at least. */
function anyOf(statements: CfnWebACL.StatementProperty[]): CfnWebACL.StatementProperty {
  if (statements.length === 0) throw new Error('anyOf needs a statement');
  return statements.length === 1 ? statements[0]! : { orStatement: { statements } };
}
