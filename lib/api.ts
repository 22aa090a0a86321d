/**
 * The public API: API Gateway → the api function (Lambda proxy), stage `prod`.
 *
 * REST API (v1), not HTTP API (v2), on purpose:
 * - HTTP API costs $1.00 per million requests, REST $3.50 (first tier, us-east-1); at a million
 *   publishes a month that is $2.50 — noise next to the Lambda, SQS and DynamoDB bill of the same traffic.
 * - Only REST has Gateway Responses. The gateway's own errors (throttled, payload too large, integration
 *   timeout, unknown route) must be JSON `{code, detail}` or the Svix SDKs throw SyntaxError or lose the
 *   error (svix-api.md §6.2). HTTP API returns its fixed `{"message": "…"}` and can't be changed.
 * - REST also has stage and per-method throttling, usage plans, WAF and resource policies, which a
 *   self-hosted service exposed to the internet may need; HTTP API has only route throttling.
 * - HTTP API's lower latency (~a few ms) doesn't matter: publishes are async (202) and the receivers'
 *   webhooks don't go through the gateway at all.
 * REGIONAL endpoint: callers are servers, usually in the same region; an edge CloudFront hop only adds latency.
 * CORS: the proxy passes OPTIONS to the function, which answers preflights and sets the CORS headers on
 * every answer (functions/api/middleware/cors.ts); the gateway's own error responses get them from
 * ./gateway-responses.ts. No gateway-side preflight mocks, so local mode and AWS answer alike.
 */
import { Duration, Fn, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DEFAULT_CORS_ORIGINS, type CorsOrigins } from '../functions/api/cors.ts';
import { addSvixGatewayResponses } from './gateway-responses.ts';
import { acknowledge } from './nag.ts';
import type { WorkQueue } from './queues.ts';
import type { ApiThrottle } from './stack-props.ts';
import { SluiceFunction } from './sluice-function.ts';

export const STAGE_NAME = 'prod';

/** API Gateway's hard integration timeout; the function gets no longer. */
export const API_TIMEOUT_SECONDS = 29;

export interface ApiProps {
  readonly table: dynamodb.ITable;
  readonly fanoutQueue: WorkQueue;
  readonly deliveryQueue: WorkQueue;
  readonly adminTokenSecret: secretsmanager.ISecret;
  readonly environment: Record<string, string>;
  readonly throttle: ApiThrottle;
  /** Browser origins allowed (the function answers CORS itself; the gateway's own errors get headers here). */
  readonly corsOrigins?: CorsOrigins;
  readonly removalPolicy?: RemovalPolicy;
  readonly tracing?: boolean;
}

export class Api extends Construct {
  readonly handler: SluiceFunction;
  readonly restApi: apigw.LambdaRestApi;
  readonly accessLogGroup: logs.LogGroup;
  /** The stage URL without a trailing slash: the Svix SDK's `serverUrl` (v1 SDKs don't trim it). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.handler = new SluiceFunction(this, 'Handler', {
      entry: 'functions/api/index.ts',
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
    const f = apigw.AccessLogField;
    this.restApi = new apigw.LambdaRestApi(this, 'RestApi', {
      handler: fn,
      proxy: true,
      restApiName: `${Stack.of(this).stackName}-api`,
      description: 'Sluice: Svix-compatible webhook API',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Access logging needs the account-level CloudWatch role; without it the first deploy fails.
      cloudWatchRole: true,
      deployOptions: {
        stageName: STAGE_NAME,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
        // Execution logs for errors only (cdk-nag APIG6), never request/response data: bodies carry
        // endpoint secrets and headers carry bearer tokens.
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: props.tracing === true,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        // One JSON line per request. No headers: the Authorization header is the admin token.
        accessLogFormat: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: f.contextRequestId(),
            ip: f.contextIdentitySourceIp(),
            requestTime: f.contextRequestTime(),
            method: f.contextHttpMethod(),
            path: f.contextPath(),
            status: f.contextStatus(),
            responseLength: f.contextResponseLength(),
            latencyMs: f.contextResponseLatency(),
            integrationLatencyMs: f.contextIntegrationLatency(),
            errorType: f.contextErrorResponseType(),
            userAgent: f.contextIdentityUserAgent(),
          }),
        ),
      },
    });
    addSvixGatewayResponses(this.restApi, props.corsOrigins ?? DEFAULT_CORS_ORIGINS);
    this.acknowledgeNagFindings();

    const stack = Stack.of(this);
    this.url = Fn.join('', [
      'https://', this.restApi.restApiId, '.execute-api.', stack.region, '.', stack.urlSuffix, '/', STAGE_NAME,
    ]);
  }

  /** cdk-nag AwsSolutions findings on the REST API that are design decisions, with the reasons. */
  private acknowledgeNagFindings(): void {
    const api = this.restApi;
    acknowledge(api, 'AwsSolutions-APIG2', 'Requests are validated in the api function (zod), which answers with Svix\'s 422 body {detail:[{loc,msg,type}]} that the Svix SDKs parse; API Gateway request models can\'t produce that shape. Oversized bodies are refused by the gateway (REQUEST_TOO_LARGE → 413 payload_too_large).');
    for (const method of api.methods) {
      acknowledge(method, 'AwsSolutions-APIG4', 'Authorization is done by the api function on every route: bearer admin token (Secrets Manager) or app-scoped token (sha256 lookup, per-route scope). A gateway authorizer would add a second lookup and latency, and could not answer in Svix\'s error shape.');
      acknowledge(method, 'AwsSolutions-COG4', 'Clients are servers using Svix SDKs with bearer tokens, not Cognito users; see APIG4 for how requests are authorized.');
    }
    acknowledge(api.deploymentStage, 'AwsSolutions-APIG3', 'WAF is optional for a self-hosted install (a web ACL costs $5/month plus rules). Stage throttling bounds abuse; operators who want WAF associate a web ACL with this stage.');
    const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole !== undefined) {
      acknowledge(cloudWatchRole, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]', 'The account-level role API Gateway needs to write access logs; AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for it, and only API Gateway can assume the role.');
    }
  }
}
