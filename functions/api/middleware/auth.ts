/**
 * Bearer-token authentication against the admin token. Both sides are hashed first so the
 * comparison is constant-time whatever the lengths.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { AuthenticationError } from '../../core/errors.ts';
import type { ApiEvent } from '../types.ts';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function headerValue(headers: ApiEvent['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  return match?.[1]?.trim();
}

export function bearerAuth(adminToken: string): MiddlewareObj<ApiEvent, APIGatewayProxyResult> {
  const expected = sha256(adminToken);
  return {
    before: (request) => {
      const state = request.event.sluiceState;
      if (state !== undefined && 'route' in state.match && state.match.route.public === true) return;
      const token = bearerToken(headerValue(request.event.headers, 'authorization'));
      const given = sha256(token ?? '');
      if (token === undefined || !timingSafeEqual(given, expected)) throw new AuthenticationError();
      if (state !== undefined) state.tokenScope = given.toString('hex');
    },
  };
}
