/** ApiResult → the API Gateway proxy result: JSON bodies, and an empty body only for 204. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ApiResult } from './types.ts';

export function toProxyResult(result: ApiResult): APIGatewayProxyResult {
  if (result.status === 204) return { statusCode: 204, headers: {}, body: '' };
  if (result.raw !== undefined) return { statusCode: result.status, headers: { 'content-type': result.raw.contentType }, body: result.raw.body };
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(result.body ?? {}),
  };
}
