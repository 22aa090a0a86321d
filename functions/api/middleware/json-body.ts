/**
 * Parses the JSON body once, after authentication: over 1 MiB (5.25 MiB with a payload bucket) → 413, nested deeper than 64 levels →
 * 422 (checked on the text, before parsing), not JSON → 422 `value_error.jsondecode` at ["body"], the
 * status and type Svix's server answers with. The Content-Type is not looked at, as in Svix: the body
 * is read as JSON whatever the header says (clients such as curl send `application/x-www-form-urlencoded`
 * by default). Limits: ../limits.ts.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { PayloadTooLargeError, ValidationError } from '../../core/errors.ts';
import { LIMITS, exceedsJsonDepth } from '../limits.ts';
import type { ApiEvent } from '../types.ts';

function rawBody(event: ApiEvent): string | undefined {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function parseJsonBody(text: string | undefined, maxBytes: number = LIMITS.requestBodyBytes): unknown {
  if (text === undefined) return undefined;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new PayloadTooLargeError(`Request payload is too large (the limit is ${maxBytes} bytes)`);
  }
  if (text.trim() === '') return undefined;
  if (exceedsJsonDepth(text, LIMITS.jsonDepth)) {
    throw ValidationError.at(['body'], `JSON is nested deeper than ${LIMITS.jsonDepth} levels`, 'value_error.jsondepth');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'invalid JSON';
    throw ValidationError.at(['body'], `The request body is not valid JSON: ${reason}`, 'value_error.jsondecode');
  }
}

export function jsonBody(maxBytes: number = LIMITS.requestBodyBytes): MiddlewareObj<ApiEvent, APIGatewayProxyResult> {
  return {
    before: (request) => {
      const state = request.event.sluiceState;
      if (state !== undefined) state.body = parseJsonBody(rawBody(request.event), maxBytes);
    },
  };
}
