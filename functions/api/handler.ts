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
import { noopMetrics, type Metrics } from '../core/metrics/metrics.ts';
import type { QueueStats } from '../core/queues/queue-stats.ts';
import type { SecretCipher } from '../core/secrets/secret-cipher.ts';
import type { DeliveryQueue, FanoutQueue, OperationalQueue } from '../core/tasks/tasks.ts';
import { noTracing, type Tracing } from '../core/tracing/tracing.ts';
import { baseUrlOf } from './base-url.ts';
import { bearerAuth } from './middleware/auth.ts';
import { DEFAULT_CORS_ORIGINS, type CorsOrigins } from './cors.ts';
import { withCors } from './middleware/cors.ts';
import { errorMapper } from './middleware/error-mapper.ts';
import { idempotency, IDEMPOTENCY_DEFAULTS, type IdempotencyOptions } from './middleware/idempotency.ts';
import { jsonBody } from './middleware/json-body.ts';
import { bodyLimits } from './limits.ts';
import { requestLimits } from './middleware/request-limits.ts';
import { requestState } from './middleware/request-state.ts';
import { createApiMetrics } from './metrics.ts';
import { toProxyResult } from './response.ts';
import { ROUTES } from './routes/index.ts';
import type { ApiEvent, ApiRequest, RequestState, RouteDeps } from './types.ts';

export interface ApiDeps {
  stores: Stores;
  fanoutQueue: FanoutQueue;
  deliveryQueue: DeliveryQueue;
  adminToken: string;
  /** Origins allowed to call from a browser (SLUICE_CORS_ORIGINS); default `*`. */
  corsOrigins?: CorsOrigins | undefined;
  /** Operational webhooks (endpoint.created/updated/deleted) go here; absent: none are sent. */
  operationalQueue?: OperationalQueue | undefined;
  /** Secrets generated for endpoints (SLUICE_DEFAULT_SIGNATURE_TYPE); default hmac. */
  signatureType?: 'hmac' | 'ed25519' | undefined;
  /** Re-reads a rotated admin token (at most once a minute); see functions/shared/wiring/admin-token.ts. */
  refreshAdminToken?: () => Promise<string | undefined>;
  /** SSRF policy for endpoint URLs (422 at create/update). Absent: any http(s) URL is accepted. */
  addressPolicy?: AddressPolicy;
  logger?: Logger;
  /** Seals idempotency records that hold a secret (app tokens); without one such answers are not kept. */
  cipher?: SecretCipher | undefined;
  /** Tests shorten the idempotency waits. */
  idempotency?: Partial<IdempotencyOptions>;
  /** Where publishes and idempotent replays are counted (./metrics.ts); absent: nowhere. */
  metrics?: Metrics;
  /** Queue depths for GET /ops/queues; absent: that route answers 404. */
  queueStats?: QueueStats;
  /**
   * Payloads over 256 KiB (up to 5 MiB) are accepted: the stores keep them in a payload bucket. Absent:
   * a 1 MiB body and a 256 KiB payload at most.
   */
  bigPayloads?: boolean;
  /** Ordered endpoints may be created (the FIFO queues exist); absent: `ordering: "fifo"` is a 422. */
  orderedEndpoints?: boolean;
  /** The principal AWS-native destinations' roles trust, shown with each destination; absent: null. */
  destinationPrincipalArn?: string | undefined;
  /** Where each request's route, app and message ids are annotated (X-Ray with -c tracing=true); absent: nowhere. */
  tracing?: Tracing;
}

/** The publish route: its answer names the message the trace annotates. */
const PUBLISH_PATTERN = '/app/{app_id}/msg';

const idOf = (body: unknown): string | undefined => {
  const id = (body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
};

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export function createApiHandler(deps: ApiDeps): ApiHandler {
  const limits = bodyLimits(deps.bigPayloads === true);
  const routeDeps: RouteDeps = {
    payloadLimitBytes: limits.payloadBytes,
    orderedEndpoints: deps.orderedEndpoints === true,
    endpointView: { destinationPrincipalArn: deps.destinationPrincipalArn },
    stores: deps.stores,
    fanoutQueue: deps.fanoutQueue,
    deliveryQueue: deps.deliveryQueue,
    addressPolicy: deps.addressPolicy,
    queueStats: deps.queueStats,
    operationalQueue: deps.operationalQueue,
    signatureType: deps.signatureType,
    reportError: (message, error) => (deps.logger === undefined ? console.error(message, error) : deps.logger.error(message, error)),
  };
  const metrics = deps.metrics ?? noopMetrics;
  const tracing = deps.tracing ?? noTracing;
  const apiMetrics = createApiMetrics(metrics);

  const requestOf = (event: ApiEvent, state: RequestState, params: Record<string, string>): ApiRequest => ({
    method: event.httpMethod.toUpperCase(),
    path: state.path,
    params,
    query: state.query,
    body: state.body,
    principal: state.principal,
    baseUrl: baseUrlOf(event),
  });

  const dispatch = async (event: ApiEvent): Promise<APIGatewayProxyResult> => {
    const state = event.sluiceState;
    if (state === undefined) throw new Error('request state missing: the requestState middleware did not run');
    if ('error' in state.match) throw state.match.error;
    const { route, params } = state.match;
    tracing.annotate({ route: `${route.method} ${route.pattern}`, appId: params['app_id'], messageId: params['msg_id'] });
    const result = await route.handler(requestOf(event, state, params), routeDeps);
    if (route.method === 'POST' && route.pattern === PUBLISH_PATTERN) tracing.annotate({ messageId: idOf(result.body) });
    state.replay = result.replay;
    return toProxyResult(result);
  };

  /** An idempotent replay of an answer kept as a reference: the matched route renders it again. */
  const rerender = async (event: ApiEvent, ref: Record<string, string>): Promise<APIGatewayProxyResult | undefined> => {
    const state = event.sluiceState;
    if (state === undefined || 'error' in state.match || state.match.route.rerender === undefined) return undefined;
    return toProxyResult(await state.match.route.rerender(ref, requestOf(event, state, state.match.params), routeDeps));
  };

  // timeoutEarlyInMillis 0: no early-timeout timer, so the handler also runs with a bare context
  // (local runner, tests) that has no getRemainingTimeInMillis.
  const handler = middy<ApiEvent, APIGatewayProxyResult>(dispatch, { timeoutEarlyInMillis: 0 })
    .use(errorMapper(deps.logger))
    .use(requestState(ROUTES))
    .use(requestLimits())
    .use(bearerAuth({ adminToken: deps.adminToken, refreshAdminToken: deps.refreshAdminToken, stores: deps.stores }))
    .use(jsonBody(limits.requestBodyBytes))
    .use(idempotency(deps.stores.idempotency, { ...IDEMPOTENCY_DEFAULTS, ...deps.idempotency }, { cipher: deps.cipher, rerender }))
    .use(apiMetrics.middleware);

  // Metrics are flushed here, not in an `after` middleware: middy skips those for early (replayed) responses.
  // CORS wraps everything (./middleware/cors.ts): preflights and error responses included.
  return withCors(deps.corsOrigins ?? DEFAULT_CORS_ORIGINS, async (event, context) => {
    let response: APIGatewayProxyResult | undefined;
    try {
      response = await handler(event as ApiEvent, context);
      return response;
    } finally {
      apiMetrics.observe(event as ApiEvent, response);
      metrics.flush();
    }
  });
}
