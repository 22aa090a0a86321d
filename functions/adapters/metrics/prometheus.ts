/**
 * The metrics port as a Prometheus registry (prom-client), for local mode: the three local functions
 * share one registry, each with its `service` label, and the local front serves it at GET /metrics.
 * Counters are `sluice_<name>_total`; durations are histograms in seconds (`sluice_<name>_seconds`),
 * as Prometheus names them. Only local/ imports this module, so prom-client stays out of the Lambdas.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { METRIC_NAMES, METRICS, type MetricName } from '../../core/metrics/catalog.ts';
import type { Dimensions, Metrics } from '../../core/metrics/metrics.ts';

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export function prometheusName(name: MetricName): string {
  return METRICS[name].unit === 'Count' ? `sluice_${snake(name)}_total` : `sluice_${snake(name)}_seconds`;
}

/** Milliseconds → seconds; from 5 ms to the 15 s attempt deadline, and on to a minute for latency. */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];

export interface PrometheusMetrics {
  readonly registry: Registry;
  /** The port for one function; `service` becomes a label. */
  forService(serviceName: string): Metrics;
  /** Sum of a counter over the series whose labels match `where` (for the status line and tests). */
  total(name: MetricName, where?: Dimensions): Promise<number>;
  /** The text exposition format. */
  text(): Promise<string>;
  readonly contentType: string;
}

export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  const counters = new Map<MetricName, Counter>();
  const histograms = new Map<MetricName, Histogram>();
  for (const name of METRIC_NAMES) {
    const def = METRICS[name];
    const labelNames = ['service', ...def.dimensions];
    const help = def.meaning;
    if (def.unit === 'Count') counters.set(name, new Counter({ name: prometheusName(name), help, labelNames, registers: [registry] }));
    else histograms.set(name, new Histogram({ name: prometheusName(name), help, labelNames, buckets: SECONDS_BUCKETS, registers: [registry] }));
  }

  const labels = (service: string, dimensions: Dimensions = {}): Record<string, string> => ({ service, ...dimensions });

  return {
    registry,
    contentType: registry.contentType,
    forService: (service) => ({
      count: (name, value = 1, dimensions) => counters.get(name)?.inc(labels(service, dimensions), value),
      timing: (name, ms, dimensions) => {
        const histogram = histograms.get(name);
        if (histogram !== undefined) histogram.observe(labels(service, dimensions), Math.max(0, ms) / 1000);
        else counters.get(name)?.inc(labels(service, dimensions));
      },
      flush: () => undefined,
    }),
    total: async (name, where = {}) => {
      const metric = counters.get(name);
      if (metric === undefined) return 0;
      const { values } = await metric.get();
      return values
        .filter((v) => Object.entries(where).every(([k, want]) => v.labels[k] === want))
        .reduce((sum, v) => sum + v.value, 0);
    },
    text: () => registry.metrics(),
  };
}
