/**
 * The REST API (API Gateway v1) in front of the api function: the default gateway (lib/api.ts weighs
 * it against the HTTP API). Lambda proxy on / and /{proxy+}, stage `prod`, REGIONAL endpoint (callers
 * are servers, usually in the same region; an edge CloudFront hop only adds latency), stage throttling,
 * JSON access logs, and Gateway Responses that give the gateway's own errors Svix's `{code, detail}`.
 */
import { Fn, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DEFAULT_CORS_ORIGINS, type CorsOrigins } from '../functions/api/cors.ts';
import { addSvixGatewayResponses } from './gateway-responses.ts';
import { acknowledge } from './nag.ts';
import type { ApiThrottle } from './stack-props.ts';

export const STAGE_NAME = 'prod';

export interface RestApiProps {
  readonly handler: lambda.IFunction;
  readonly accessLogGroup: logs.ILogGroup;
  readonly throttle: ApiThrottle;
  readonly corsOrigins?: CorsOrigins;
  readonly tracing?: boolean;
}

/** Creates the REST API in `scope` (ids as before the HTTP option existed: a deployed stack keeps its API and URL). */
export function createRestApi(scope: Construct, props: RestApiProps): { api: apigw.LambdaRestApi; url: string } {
  const f = apigw.AccessLogField;
  const api = new apigw.LambdaRestApi(scope, 'RestApi', {
    handler: props.handler,
    proxy: true,
    restApiName: `${Stack.of(scope).stackName}-api`,
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
      accessLogDestination: new apigw.LogGroupLogDestination(props.accessLogGroup),
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
  addSvixGatewayResponses(api, props.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  acknowledgeNagFindings(api);
  const stack = Stack.of(scope);
  const url = Fn.join('', ['https://', api.restApiId, '.execute-api.', stack.region, '.', stack.urlSuffix, '/', STAGE_NAME]);
  return { api, url };
}

/** cdk-nag AwsSolutions findings on the REST API that are design decisions, with the reasons. */
function acknowledgeNagFindings(api: apigw.LambdaRestApi): void {
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
