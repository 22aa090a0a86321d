/**
 * What the api function records: messages published, and idempotent replays. API Gateway's own
 * metrics already count requests, 4xx, 5xx and latency per stage, so they are not repeated here.
 *
 * The middleware is the last one, so its `before` runs only when the route is about to run: middy
 * skips the rest of the chain when the idempotency middleware answers with a replay. A 2xx POST with
 * an idempotency-key whose route did not run is therefore a replay, and a fresh 202 from the publish
 * route is a new message.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { Metrics } from '../core/metrics/metrics.ts';
import { headerValue } from './middleware/auth.ts';
import type { ApiEvent } from './types.ts';

const PUBLISH = { method: 'POST', pattern: '/app/{app_id}/msg' } as const;

export interface ApiMetrics {
  /** `.use()` it last. */
  middleware: MiddlewareObj<ApiEvent, APIGatewayProxyResult>;
  /** Called with every finished request. */
  observe(event: ApiEvent, response: APIGatewayProxyResult | undefined): void;
}

export function createApiMetrics(metrics: Metrics): ApiMetrics {
  const ran = new WeakSet<ApiEvent>();
  return {
    middleware: {
      before: (request) => {
        ran.add(request.event);
      },
    },
    observe: (event, response) => {
      const status = response?.statusCode ?? 0;
      if (status < 200 || status >= 300 || event.httpMethod.toUpperCase() !== 'POST') return;
      if (!ran.has(event)) {
        const key = headerValue(event.headers, 'idempotency-key');
        if (key !== undefined && key !== '') metrics.count('IdempotentReplays');
        return;
      }
      const match = event.sluiceState?.match;
      if (match !== undefined && 'route' in match && match.route.method === PUBLISH.method && match.route.pattern === PUBLISH.pattern) {
        metrics.count('MessagesPublished');
      }
    },
  };
}
