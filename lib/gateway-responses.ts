/**
 * API Gateway's own error responses (the ones that never reach the api function: throttling, a body
 * over the payload limit, an integration timeout, …) rewritten as Svix error bodies `{code, detail}`.
 * The Svix JS SDK JSON-parses every 4xx body and reads `code`/`detail`; API Gateway's default
 * `{"message": "…"}` would leave both undefined, and a non-JSON body throws SyntaxError
 * (svix-api.md §6.2). Python parses 5xx bodies too, so 5xx get the same shape.
 */
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { CORS_EXPOSED_HEADERS, DEFAULT_CORS_ORIGINS, type CorsOrigins } from '../functions/api/cors.ts';

export interface SvixGatewayResponse {
  readonly type: apigw.ResponseType;
  /** Overrides API Gateway's default status for this type; omitted = keep the default. */
  readonly statusCode?: string;
  readonly code: string;
  readonly detail: string;
}

/**
 * Fixed `detail` strings rather than $context.error.messageString: the latter is not JSON-escaped, so
 * a message with a quote would break the body, and the messages are API Gateway's wording, not Svix's.
 */
export const SVIX_GATEWAY_RESPONSES: readonly SvixGatewayResponse[] = [
  { type: apigw.ResponseType.DEFAULT_4XX, code: 'generic_error', detail: 'The request was rejected' },
  { type: apigw.ResponseType.DEFAULT_5XX, code: 'internal_error', detail: 'Internal server error' },
  // With an ANY proxy on / and /{proxy+} this is an unknown route or method: Svix says 404 not_found.
  { type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, statusCode: '404', code: 'not_found', detail: 'Entity not found' },
  { type: apigw.ResponseType.RESOURCE_NOT_FOUND, code: 'not_found', detail: 'Entity not found' },
  { type: apigw.ResponseType.UNAUTHORIZED, code: 'authentication_failed', detail: 'Invalid token' },
  { type: apigw.ResponseType.EXPIRED_TOKEN, code: 'authentication_failed', detail: 'Invalid token' },
  { type: apigw.ResponseType.INVALID_SIGNATURE, code: 'authentication_failed', detail: 'Invalid token' },
  { type: apigw.ResponseType.INVALID_API_KEY, code: 'authentication_failed', detail: 'Invalid token' },
  { type: apigw.ResponseType.ACCESS_DENIED, code: 'insufficient_access', detail: 'Insufficient access for the given operation' },
  { type: apigw.ResponseType.WAF_FILTERED, code: 'insufficient_access', detail: 'Request blocked' },
  { type: apigw.ResponseType.BAD_REQUEST_BODY, code: 'generic_error', detail: 'Invalid request body' },
  { type: apigw.ResponseType.BAD_REQUEST_PARAMETERS, code: 'generic_error', detail: 'Invalid request parameters' },
  { type: apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE, code: 'generic_error', detail: 'Unsupported media type' },
  { type: apigw.ResponseType.REQUEST_TOO_LARGE, code: 'payload_too_large', detail: 'Request payload is too large' },
  { type: apigw.ResponseType.THROTTLED, code: 'rate_limited', detail: 'Too many requests' },
  { type: apigw.ResponseType.QUOTA_EXCEEDED, code: 'rate_limited', detail: 'Too many requests' },
  // 504 after 29 s. The SDK retries POSTs with the same idempotency-key, which makes this safe.
  { type: apigw.ResponseType.INTEGRATION_TIMEOUT, code: 'timeout', detail: 'The request timed out' },
  { type: apigw.ResponseType.INTEGRATION_FAILURE, code: 'internal_error', detail: 'Internal server error' },
  { type: apigw.ResponseType.API_CONFIGURATION_ERROR, code: 'internal_error', detail: 'Internal server error' },
  { type: apigw.ResponseType.AUTHORIZER_FAILURE, code: 'internal_error', detail: 'Internal server error' },
  { type: apigw.ResponseType.AUTHORIZER_CONFIGURATION_ERROR, code: 'internal_error', detail: 'Internal server error' },
];

/** The mapping template: a literal JSON body (VTL passes text without `$`/`#` through unchanged). */
export function svixErrorTemplate(r: Pick<SvixGatewayResponse, 'code' | 'detail'>): string {
  return JSON.stringify({ code: r.code, detail: r.detail });
}

/**
 * CORS headers on the gateway's own answers, so a browser page sees a throttle or a timeout as the
 * error it is (not as an opaque network failure). Values are API Gateway mapping expressions: a quoted
 * literal, or the request's Origin echoed when only listed origins are allowed (these answers are fixed
 * error bodies with no data, so echoing costs nothing; the function's own answers check the list).
 */
export function gatewayCorsHeaders(origins: CorsOrigins): Record<string, string> {
  const allowOrigin = origins === '*' ? "'*'" : 'method.request.header.Origin';
  return {
    'Access-Control-Allow-Origin': allowOrigin,
    'Access-Control-Expose-Headers': `'${CORS_EXPOSED_HEADERS}'`,
    ...(origins === '*' ? {} : { Vary: "'Origin'" }),
  };
}

export function addSvixGatewayResponses(api: apigw.RestApi, origins: CorsOrigins = DEFAULT_CORS_ORIGINS): void {
  const responseHeaders = gatewayCorsHeaders(origins);
  for (const r of SVIX_GATEWAY_RESPONSES) {
    api.addGatewayResponse(`GatewayResponse${r.type.responseType}`, {
      type: r.type,
      ...(r.statusCode === undefined ? {} : { statusCode: r.statusCode }),
      responseHeaders,
      templates: { 'application/json': svixErrorTemplate(r) },
    });
  }
}
