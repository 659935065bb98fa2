// The HTTP API: one API Gateway route per entry of shared/http/routes.ts, each behind Cognito's
// JWT authorizer or explicitly public, integrated with the function the entry names.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type CorsPreflightOptions,
  type IHttpRouteAuthorizer,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeKey, type FunctionName, type RouteDef } from '#http/routes.ts';

/** Local-only helpers, never deployed to AWS (docs/operations.md, "Local development helpers"). */
export const DEV_ROUTE_PREFIX = '/v1/dev';

/** Default for every route; a handful of clinics stays far below it, a runaway client does not. */
export const DEFAULT_THROTTLE: Required<ThrottleSettings> = { rateLimit: 100, burstLimit: 200 };

/**
 * Routes with a `rateLimit` (sign-up, and the bookings that send SMS): they cost money or spam a
 * phone per call, so the stage caps them well below the default, for all callers together. The
 * per-caller limits are the router's (shared/auth/policy.ts) and the WAF's (infra/lib/edge.ts).
 */
export const RATE_LIMITED_ROUTE_THROTTLE: Required<ThrottleSettings> = { rateLimit: 10, burstLimit: 20 };

/** Headers a browser app sends besides the CORS-safelisted ones (docs/security.md, "Edge: WAF, CloudFront, throttling"). */
const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'idempotency-key'];

/**
 * One JSON object per request. No bodies and no query strings; the ids in a path are opaque,
 * so an access log line holds no health data.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    sub: '$context.authorizer.claims.sub',
  }),
);

export interface ApiProps {
  stage: string;
  routes: readonly RouteDef[];
  functions: ReadonlyMap<FunctionName, IFunction>;
  userPool: IUserPool;
  userPoolClient: IUserPoolClient;
  /** Browser origins allowed to call the API; empty means no CORS (browsers are refused). */
  corsOrigins: readonly string[];
  throttle?: ThrottleSettings;
  /** Throttle of the routes that have a `rateLimit`. @default RATE_LIMITED_ROUTE_THROTTLE */
  rateLimitedThrottle?: ThrottleSettings;
  /** Customer managed key of the access log group. */
  logEncryptionKey?: IKey;
}

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    const devRoutes = props.routes.filter((r) => r.path === DEV_ROUTE_PREFIX || r.path.startsWith(`${DEV_ROUTE_PREFIX}/`));
    if (devRoutes.length > 0) {
      throw new Error(`Dev-only routes must never be deployed: ${devRoutes.map(routeKey).join(', ')}`);
    }

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `kapstone-${props.stage}`,
      description: `Kapstone ${props.stage} HTTP API (docs/api.md)`,
      // The stage is built below, with access logs and throttling.
      createDefaultStage: false,
      ...(props.corsOrigins.length > 0 ? { corsPreflight: corsFor(props.routes, props.corsOrigins) } : {}),
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      ...(props.logEncryptionKey ? { encryptionKey: props.logEncryptionKey } : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });

    // Issuer is the user pool; audience is the app client, so tokens of other pools or clients
    // are refused before any function runs.
    const jwt = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.userPool, {
      userPoolClients: [props.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });
    const none = new HttpNoneAuthorizer();
    // Stage route settings, by route key: HttpStage has no per-route throttle, so they go on the
    // CfnStage (RouteSettings is free-form JSON there, hence CloudFormation's own key names).
    const throttled = props.rateLimitedThrottle ?? RATE_LIMITED_ROUTE_THROTTLE;
    const routeSettings: Record<string, { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }> = {};

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: FunctionName): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        const fn = props.functions.get(name);
        if (!fn) throw new Error(`No function '${name}' for the routes that name it`);
        // One invoke permission for the whole API instead of one per route: every route of
        // this API reaches the same function anyway, and the function policy stays small.
        integration = new HttpLambdaIntegration(`${name}-integration`, fn, { scopePermissionToRoute: false });
        integrations.set(name, integration);
      }
      return integration;
    };

    for (const route of props.routes) {
      const authorizer: IHttpRouteAuthorizer = route.auth === 'jwt' ? jwt : none;
      const created = new HttpRoute(this, `${route.method}${route.path}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrationFor(route.fn),
        authorizer,
      });
      if (route.rateLimit) {
        routeSettings[routeKey(route)] = { ThrottlingRateLimit: throttled.rateLimit, ThrottlingBurstLimit: throttled.burstLimit };
        // A stage's route settings may name only routes that already exist.
        this.stage.node.addDependency(created);
      }
      if (route.auth === 'none') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            `${routeKey(route)} is public by its grant (docs/security.md, "The access policy": anyone); it is marked ` +
            "auth: 'none' in shared/http/routes.ts and the handler sees no claims on it.",
        });
      }
    }
    if (Object.keys(routeSettings).length > 0) {
      (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
    }
  }

  /** The invoke URL of the default stage, ending in "/". */
  get url(): string {
    return this.stage.url;
  }
}

function corsFor(routes: readonly RouteDef[], origins: readonly string[]): CorsPreflightOptions {
  const methods = [...new Set(routes.map((r) => r.method))];
  return {
    allowOrigins: [...origins],
    allowMethods: methods.map((m) => CorsHttpMethod[m]),
    allowHeaders: CORS_ALLOW_HEADERS,
    // Bearer tokens, no cookies: credentials mode is never needed.
    allowCredentials: false,
    maxAge: Duration.hours(1),
  };
}
