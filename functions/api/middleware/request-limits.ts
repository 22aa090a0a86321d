/**
 * Limits on the parts of a request that are not its body (../limits.ts), checked right after the
 * route is matched. Too many or too large headers are refused at once (400). A path parameter or a
 * query value that is too long becomes the request's answer after authentication (404 or 422), like a
 * route miss, so unauthenticated callers still only see 401: no id, uid or name is that long, and a
 * longer value would otherwise reach DynamoDB as a key over its 1,024-byte limit (a 500).
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { BadRequestError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { LIMITS } from '../limits.ts';
import type { ApiEvent } from '../types.ts';

/** Comma-joined list filters, which become one DynamoDB filter expression. */
const LIST_PARAMETERS = new Set(['event_types', 'event_types[]']);

function checkHeaders(headers: ApiEvent['headers']): void {
  const entries = Object.entries(headers ?? {});
  if (entries.length > LIMITS.requestHeaderCount) {
    throw new BadRequestError(`Too many request headers (the limit is ${LIMITS.requestHeaderCount})`);
  }
  const bytes = entries.reduce((n, [k, v]) => n + k.length + (v?.length ?? 0), 0);
  if (bytes > LIMITS.requestHeaderBytes) {
    throw new BadRequestError(`Request headers are too large (the limit is ${LIMITS.requestHeaderBytes} bytes)`);
  }
}

export function requestLimits(): MiddlewareObj<ApiEvent, APIGatewayProxyResult> {
  return {
    before: (request) => {
      checkHeaders(request.event.headers);
      const state = request.event.sluiceState;
      if (state === undefined || 'error' in state.match) return;
      if (Object.values(state.match.params).some((p) => p.length > LIMITS.pathParamLength)) {
        state.match = { error: new NotFoundError() };
        return;
      }
      const query = request.event.multiValueQueryStringParameters ?? {};
      const single = request.event.queryStringParameters ?? {};
      const names = new Set([...Object.keys(query), ...Object.keys(single)]);
      // `event_types` and `event_types[]` are read as one list (../query.ts queryList), so they share the limit.
      let listItems = 0;
      for (const name of names) {
        const values = query[name] ?? [single[name] ?? ''];
        const max = name === 'iterator' ? LIMITS.iteratorLength : LIMITS.queryValueLength;
        if (name.length > LIMITS.queryValueLength || values.some((v) => v.length > max)) {
          state.match = { error: ValidationError.at(['query', name.slice(0, 64)], `must be at most ${max} characters`) };
          return;
        }
        if (LIST_PARAMETERS.has(name)) listItems += values.flatMap((v) => v.split(',')).filter((v) => v.trim() !== '').length;
        if (listItems > LIMITS.queryListItems) {
          state.match = { error: ValidationError.at(['query', name], `must list at most ${LIMITS.queryListItems} values`) };
          return;
        }
      }
    },
  };
}
