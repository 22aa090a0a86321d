/**
 * GET /metrics on the local front: the Prometheus text format of the registry the local functions
 * record into (functions/adapters/metrics/prometheus.ts), behind the admin token as a bearer token, so
 * a local Prometheus can scrape it with `authorization: {credentials: <token>}`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrometheusMetrics } from '../functions/adapters/metrics/prometheus.ts';

export const METRICS_PATH = '/metrics';

export interface MetricsEndpoint {
  handles(path: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

export function metricsEndpoint(metrics: PrometheusMetrics, adminToken: string): MetricsEndpoint {
  const expected = sha256(adminToken);
  const json = (res: ServerResponse, status: number, code: string, detail: string): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code, detail }));
  };
  return {
    handles: (path) => path === METRICS_PATH,
    serve: async (req, res) => {
      req.resume();
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, 'method_not_allowed', 'Method not allowed');
      const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? '')?.[1]?.trim();
      if (token === undefined || !timingSafeEqual(sha256(token), expected)) return json(res, 401, 'authentication_failed', 'Invalid token');
      const text = await metrics.text();
      res.writeHead(200, { 'content-type': metrics.contentType });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
  };
}
