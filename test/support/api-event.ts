/**
 * Synthetic API Gateway (REST, v1 proxy) events for calling the api handler directly, and a bare
 * Lambda context without getRemainingTimeInMillis (the handler must cope with one).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

export const TEST_TOKEN = 'testsk_0123456789abcdef';

export interface EventOptions {
  body?: unknown;
  /** Sent as-is instead of JSON.stringify(body). */
  rawBody?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  /** Defaults to TEST_TOKEN; null sends no authorization header. */
  token?: string | null;
  idempotencyKey?: string;
}

export function apiEvent(method: string, path: string, options: EventOptions = {}): APIGatewayProxyEvent {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const token = options.token === undefined ? TEST_TOKEN : options.token;
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
  const body = options.rawBody ?? (options.body === undefined ? null : JSON.stringify(options.body));
  if (body !== null) headers['content-type'] = 'application/json';

  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(options.query ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    multi[key] = values;
    single[key] = values.at(-1)!;
  }
  const hasQuery = Object.keys(single).length > 0;
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: hasQuery ? single : null,
    multiValueQueryStringParameters: hasQuery ? multi : null,
    pathParameters: { proxy: path.replace(/^\/+/, '') },
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

/** A context with only the fields a test cares about: no getRemainingTimeInMillis. */
export const bareContext = { awsRequestId: 'test', functionName: 'sluice-api' } as unknown as Context;

export type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface ParsedResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  body: any;
  headers: APIGatewayProxyResult['headers'];
}

/** Calls the handler and parses the JSON body (undefined for an empty one). */
export async function call(handler: Handler, method: string, path: string, options?: EventOptions): Promise<ParsedResult> {
  const result = await handler(apiEvent(method, path, options), bareContext);
  return {
    status: result.statusCode,
    body: result.body === '' ? undefined : JSON.parse(result.body),
    headers: result.headers,
  };
}
