/**
 * The one error mapper: SluiceError → Svix's `{code, detail}` (422: `{detail: [{loc, msg, type}]}`);
 * anything else → a 500 whose body says nothing about the cause, which goes to the logs only.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { SluiceError, ValidationError } from '../../core/errors.ts';
import { toProxyResult } from '../response.ts';
import type { ApiEvent, ApiResult } from '../types.ts';

export const INTERNAL_ERROR_BODY = { code: 'internal_error', detail: 'Internal Server Error' } as const;

/**
 * DynamoDB refuses an item over 400 KB with a ValidationException. The input limits (../limits.ts)
 * keep items well below that; should a combination of fields still get there, the caller sent too
 * much (413), it is not a server fault. Matched by shape: this module imports no AWS SDK.
 */
function isItemTooLarge(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationException' && /item size (to update )?has exceeded/i.test(error.message);
}

/** The response for `error`; `unexpected` marks the ones that are bugs or outages (500). */
export function errorResult(error: unknown): ApiResult & { unexpected: boolean } {
  if (isItemTooLarge(error)) {
    return { status: 413, body: { code: 'payload_too_large', detail: 'Request payload is too large' }, unexpected: false };
  }
  if (error instanceof ValidationError) return { status: 422, body: { detail: error.issues }, unexpected: false };
  if (error instanceof SluiceError) {
    return { status: error.status, body: { code: error.code, detail: error.message }, unexpected: false };
  }
  return { status: 500, body: INTERNAL_ERROR_BODY, unexpected: true };
}

export function errorMapper(logger?: Logger): MiddlewareObj<ApiEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      const result = errorResult(request.error);
      if (result.unexpected) {
        const error = request.error instanceof Error ? request.error : new Error(String(request.error));
        if (logger !== undefined) logger.error('unhandled error in api request', error);
        else console.error('unhandled error in api request', error);
      }
      request.response = toProxyResult(result);
      return request.response;
    },
  };
}
