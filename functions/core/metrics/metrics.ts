/**
 * The metrics port: what the handlers and middlewares call where they already map an outcome. On AWS
 * the adapter writes CloudWatch embedded metric format (functions/adapters/metrics/emf.ts: log lines,
 * no API calls); locally it feeds a Prometheus registry (functions/adapters/metrics/prometheus.ts), so
 * `GET /metrics` and the status line show the numbers the same calls produce on AWS.
 *
 * Dimensions must stay low-cardinality (outcome, trigger): never an app, endpoint or message id.
 * Per-endpoint questions are answered from the logs (README: Logs Insights queries).
 */
import type { MetricName } from './catalog.ts';

export type Dimensions = Readonly<Record<string, string>>;

export interface Metrics {
  /** Adds `value` (default 1) to the counter `name`. */
  count(name: MetricName, value?: number, dimensions?: Dimensions): void;
  /** Records one observation of a duration, in milliseconds. */
  timing(name: MetricName, milliseconds: number, dimensions?: Dimensions): void;
  /** Publishes what was buffered (EMF: once per invocation); a no-op where nothing is buffered. */
  flush(): void;
}

export const noopMetrics: Metrics = {
  count: () => undefined,
  timing: () => undefined,
  flush: () => undefined,
};
