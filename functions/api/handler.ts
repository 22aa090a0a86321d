/**
 * The REST API (Svix-compatible) as one Lambda handler behind API Gateway's proxy integration.
 * Middlewares, in order: error mapping (outermost), request state (path, route, query), request
 * limits (headers, path and query lengths), bearer auth (admin or app-scoped token, route scope),
 * JSON body, idempotency. The handler then runs the matched route: parse → service → serialize.
 */
import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { AddressPolicy } from '../core/network/address-policy.ts';
import type { Stores } from '../core/ports.ts';
import type { DeliveryQueue, FanoutQueue } from '../core/tasks/tasks.ts';
import { baseUrlOf } from './base-url.ts';
import { bearerAuth } from './middleware/auth.ts';
import { errorMapper } from './middleware/error-mapper.ts';
import { idempotency, IDEMPOTENCY_DEFAULTS, type IdempotencyOptions } from './middleware/idempotency.ts';
import { jsonBody } from './middleware/json-body.ts';
import { requestLimits } from './middleware/request-limits.ts';
import { requestState } from './middleware/request-state.ts';
import { toProxyResult } from './response.ts';
import { ROUTES } from './routes/index.ts';
import type { ApiEvent, RouteDeps } from './types.ts';

export interface ApiDeps {
  stores: Stores;
  fanoutQueue: FanoutQueue;
  deliveryQueue: DeliveryQueue;
  adminToken: string;
  /** Re-reads a rotated admin token (at most once a minute); see functions/shared/wiring/admin-token.ts. */
  refreshAdminToken?: () => Promise<string | undefined>;
  /** SSRF policy for endpoint URLs (422 at create/update). Absent: any http(s) URL is accepted. */
  addressPolicy?: AddressPolicy;
  logger?: Logger;
  /** Tests shorten the idempotency waits. */
  idempotency?: Partial<IdempotencyOptions>;
}

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export function createApiHandler(deps: ApiDeps): ApiHandler {
  const routeDeps: RouteDeps = {
    stores: deps.stores,
    fanoutQueue: deps.fanoutQueue,
    deliveryQueue: deps.deliveryQueue,
    addressPolicy: deps.addressPolicy,
  };

  const dispatch = async (event: ApiEvent): Promise<APIGatewayProxyResult> => {
    const state = event.sluiceState;
    if (state === undefined) throw new Error('request state missing: the requestState middleware did not run');
    if ('error' in state.match) throw state.match.error;
    const { route, params } = state.match;
    const result = await route.handler(
      {
        method: event.httpMethod.toUpperCase(),
        path: state.path,
        params,
        query: state.query,
        body: state.body,
        principal: state.principal,
        baseUrl: baseUrlOf(event),
      },
      routeDeps,
    );
    return toProxyResult(result);
  };

  // timeoutEarlyInMillis 0: no early-timeout timer, so the handler also runs with a bare context
  // (local runner, tests) that has no getRemainingTimeInMillis.
  const handler = middy<ApiEvent, APIGatewayProxyResult>(dispatch, { timeoutEarlyInMillis: 0 })
    .use(errorMapper(deps.logger))
    .use(requestState(ROUTES))
    .use(requestLimits())
    .use(bearerAuth({ adminToken: deps.adminToken, refreshAdminToken: deps.refreshAdminToken, stores: deps.stores }))
    .use(jsonBody())
    .use(idempotency(deps.stores.idempotency, { ...IDEMPOTENCY_DEFAULTS, ...deps.idempotency }));

  return (event, context) => handler(event as ApiEvent, context);
}
