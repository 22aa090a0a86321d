/**
 * The HTTP API (API Gateway v2) in front of the api function: `-c api=http` (lib/api.ts weighs it
 * against the REST API). Every route and method goes to the api function through the `$default` route
 * with payload format 1.0, the event shape of a REST proxy, so the handler is the same; the portal's
 * two paths go to a small function that serves the build from its bundle (an HTTP API has no S3
 * integration). `$default` stage (no stage in the URL), stage throttling, JSON access logs.
 *
 * The gateway's own answers, which never reach a function, are HTTP API's fixed `{"message": "…"}`
 * bodies and cannot be changed: 429 `Too Many Requests` (throttled), 413 `Request Entity Too Large`
 * (over 10 MB), 503 `Service Unavailable` / 504 (integration failure or the 29 s timeout), 500
 * `Internal Server Error`. The Svix SDKs then throw an ApiException whose `code` and `detail` are
 * undefined; the status is right. Unknown routes and every other error come from the function, in
 * Svix's shape, as on the REST API.
 */
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ensurePortalBuilt, PORTAL_DIST } from '../portal/build.ts';
import { BUNDLED_PORTAL_DIR, FRAME_ANCESTORS_ENV, PORTAL_ASSETS_PREFIX, PORTAL_PATH } from '../portal/serving.ts';
import { relative } from 'node:path';
import { acknowledge } from './nag.ts';
import { PROJECT_ROOT, SluiceFunction } from './sluice-function.ts';
import type { ApiThrottle } from './stack-props.ts';

export interface HttpApiProps {
  readonly handler: lambda.IFunction;
  readonly accessLogGroup: logs.ILogGroup;
  readonly throttle: ApiThrottle;
  /** Origins allowed to frame the portal besides its own. */
  readonly frameAncestors: readonly string[];
  readonly removalPolicy?: RemovalPolicy;
}

export interface CreatedHttpApi {
  readonly api: apigwv2.HttpApi;
  readonly url: string;
  readonly portalFiles: SluiceFunction;
}

export function createHttpApi(scope: Construct, props: HttpApiProps): CreatedHttpApi {
  const api = new apigwv2.HttpApi(scope, 'HttpApi', {
    description: 'Sluice: Svix-compatible webhook API',
    // No gateway CORS: OPTIONS reaches the function, which answers preflights as it does locally.
    defaultIntegration: new HttpLambdaIntegration('Api', props.handler, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_1_0 }),
    createDefaultStage: false,
  });
  api.addStage('DefaultStage', {
    stageName: '$default',
    autoDeploy: true,
    throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
    accessLogSettings: {
      destination: new apigwv2.LogGroupLogDestination(props.accessLogGroup),
      // One JSON line per request. No headers: the Authorization header is the admin token.
      format: apigw.AccessLogFormat.custom(
        JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          requestTime: '$context.requestTime',
          method: '$context.httpMethod',
          path: '$context.path',
          status: '$context.status',
          responseLength: '$context.responseLength',
          latencyMs: '$context.responseLatency',
          integrationLatencyMs: '$context.integrationLatency',
          errorMessage: '$context.error.message',
          userAgent: '$context.identity.userAgent',
        }),
      ),
    },
  });

  // Synth must ship the current portal: build it when a source is newer than the build.
  ensurePortalBuilt();
  const portalFiles = new SluiceFunction(scope, 'PortalFiles', {
    entry: 'functions/portal/index.ts',
    description: 'Sluice portal: the app portal\'s static files (HTTP API deployments)',
    serviceName: 'sluice-portal',
    timeout: Duration.seconds(5),
    memorySize: 256,
    environment: { [FRAME_ANCESTORS_ENV]: props.frameAncestors.filter((s) => s !== "'self'").join(',') },
    removalPolicy: props.removalPolicy,
    copyIntoBundle: { from: relative(PROJECT_ROOT, PORTAL_DIST), to: BUNDLED_PORTAL_DIR },
  });
  const files = new HttpLambdaIntegration('PortalFiles', portalFiles.function, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_1_0 });
  api.addRoutes({ path: PORTAL_PATH, methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.HEAD], integration: files });
  api.addRoutes({ path: `${PORTAL_ASSETS_PREFIX}{file}`, methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.HEAD], integration: files });

  for (const route of api.node.findAll().filter((c): c is apigwv2.HttpRoute => c instanceof apigwv2.HttpRoute)) {
    acknowledge(route, 'AwsSolutions-APIG4', 'Authorization is done by the api function on every route (bearer admin token or app-scoped token, per-route scope); the portal routes serve public static files that hold no data and no token.');
  }
  return { api, url: api.apiEndpoint, portalFiles };
}
