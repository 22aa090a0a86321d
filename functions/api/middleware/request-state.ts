/**
 * First middleware: normalises the path, matches the route and reads the query. A route miss is
 * kept and answered after authentication, so unauthenticated callers learn nothing about paths.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { apiPath, eventQuery, matchRoute } from '../router.ts';
import type { ApiEvent, Route } from '../types.ts';

export function requestState(routes: readonly Route[]): MiddlewareObj<ApiEvent, APIGatewayProxyResult> {
  return {
    before: (request) => {
      const event = request.event;
      const path = apiPath(event.path ?? '/');
      const { query, raw } = eventQuery(event);
      event.sluiceState = {
        path: path ?? event.path,
        match: matchRoute(routes, event.httpMethod, path),
        query,
        rawQuery: raw,
        body: undefined,
      };
    },
  };
}
