/**
 * The public API: a gateway → the api function (Lambda proxy). Which gateway is a deploy option
 * (`-c api=rest|http`, lib/stack-props.ts):
 *
 * - REST API (v1, the default, ./rest-api.ts): $3.50 per million requests (first tier, us-east-1).
 *   Only REST has Gateway Responses, so the gateway's own errors (throttled, payload too large,
 *   integration timeout) are Svix's `{code, detail}` like everything else (svix-api.md §6.2). It also
 *   has per-method throttling, usage plans, WAF and resource policies, and the portal is read from S3
 *   by the gateway itself (./portal.ts).
 * - HTTP API (v2, ./http-api.ts): $1.00 per million requests, a few ms less latency. Its own errors are
 *   fixed `{"message": …}` bodies (listed in ./http-api.ts): the SDKs see the right status without
 *   `code`/`detail`. The portal's files come from a small function (no S3 integration in HTTP APIs).
 *   At K endpoints per message it saves $2.50/K per million deliveries (bench/: $0.25 at K=10, $2.50 at K=1).
 *
 * CORS: both pass OPTIONS to the function, which answers preflights and sets the CORS headers on every
 * answer (functions/api/middleware/cors.ts), so local mode and AWS answer alike; the REST API's own
 * error responses get them from ./gateway-responses.ts.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { CorsOrigins } from '../functions/api/cors.ts';
import { createHttpApi } from './http-api.ts';
import type { WorkQueue } from './queues.ts';
import { createRestApi } from './rest-api.ts';
import type { ApiKind, ApiThrottle } from './stack-props.ts';
import { SluiceFunction } from './sluice-function.ts';

export { STAGE_NAME } from './rest-api.ts';

/** API Gateway's hard integration timeout; the function gets no longer. */
export const API_TIMEOUT_SECONDS = 29;

/** The gateway metrics the dashboard and alarms read; both gateways have them under these names. */
export interface ApiMetrics {
  metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

export interface ApiProps {
  readonly kind?: ApiKind;
  readonly table: dynamodb.ITable;
  readonly fanoutQueue: WorkQueue;
  readonly deliveryQueue: WorkQueue;
  readonly adminTokenSecret: secretsmanager.ISecret;
  readonly environment: Record<string, string>;
  readonly throttle: ApiThrottle;
  /** Browser origins allowed (the function answers CORS itself; the gateway's own errors get headers here). */
  readonly corsOrigins?: CorsOrigins;
  /** Origins allowed to frame the portal (the HTTP API's portal-files function sets the CSP itself). */
  readonly frameAncestors?: readonly string[];
  readonly removalPolicy?: RemovalPolicy;
  readonly tracing?: boolean;
}

export class Api extends Construct {
  readonly kind: ApiKind;
  readonly handler: SluiceFunction;
  /** The REST API (api=rest), else undefined. */
  readonly restApi: apigw.LambdaRestApi | undefined;
  /** The HTTP API and the function serving the portal's files (api=http), else undefined. */
  readonly httpApi: apigwv2.HttpApi | undefined;
  readonly portalFiles: SluiceFunction | undefined;
  readonly metrics: ApiMetrics;
  readonly accessLogGroup: logs.LogGroup;
  /** The base URL without a trailing slash: the Svix SDK's `serverUrl` (v1 SDKs don't trim it). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.kind = props.kind ?? 'rest';
    this.handler = new SluiceFunction(this, 'Handler', {
      entry: 'functions/api/index.ts',
      tracedEntry: 'functions/api/traced.ts',
      description: 'Sluice API: the Svix-compatible REST API',
      serviceName: 'sluice-api',
      timeout: Duration.seconds(API_TIMEOUT_SECONDS),
      // Latency-bound (every request waits for DynamoDB): more memory means more CPU for JSON and zod.
      memorySize: 512,
      environment: props.environment,
      removalPolicy: props.removalPolicy,
      tracing: props.tracing,
    });
    const fn = this.handler.function;
    props.table.grantReadWriteData(fn);
    // Publish and recover queue fan-out tasks; resend queues a delivery task directly.
    props.fanoutQueue.queue.grantSendMessages(fn);
    props.deliveryQueue.queue.grantSendMessages(fn);
    props.adminTokenSecret.grantRead(fn);

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
    });
    if (this.kind === 'http') {
      const http = createHttpApi(this, {
        handler: fn,
        accessLogGroup: this.accessLogGroup,
        throttle: props.throttle,
        frameAncestors: props.frameAncestors ?? ["'self'"],
        removalPolicy: props.removalPolicy,
      });
      this.restApi = undefined;
      this.httpApi = http.api;
      this.portalFiles = http.portalFiles;
      this.metrics = http.api;
      this.url = http.url;
    } else {
      const rest = createRestApi(this, {
        handler: fn,
        accessLogGroup: this.accessLogGroup,
        throttle: props.throttle,
        corsOrigins: props.corsOrigins,
        tracing: props.tracing,
      });
      this.restApi = rest.api;
      this.httpApi = undefined;
      this.portalFiles = undefined;
      this.metrics = rest.api;
      this.url = rest.url;
    }
  }
}
