/**
 * The metrics port in CloudWatch embedded metric format, through Powertools Metrics: buffered during
 * an invocation and written as log lines by flush(), so metrics cost log bytes and no API calls.
 *
 * One EMF line carries one set of dimension values for all its metrics, so observations are grouped
 * by their dimensions: one Powertools instance per distinct set (a handful: the dimensions are
 * low-cardinality by design), kept for the container's lifetime. Repeated observations of a metric
 * within one line become a value array, so a batch of 10 successful deliveries is one or two lines.
 */
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS, type MetricName } from '../../core/metrics/catalog.ts';
import type { Dimensions, Metrics } from '../../core/metrics/metrics.ts';

export interface EmfMetricsOptions {
  /** Dimension `service`: the function (sluice-api, sluice-fanout, sluice-deliver). */
  serviceName: string;
  /** Default: POWERTOOLS_METRICS_NAMESPACE (set by the stack), else Powertools' default. */
  namespace?: string;
}

const UNITS = { Count: MetricUnit.Count, Milliseconds: MetricUnit.Milliseconds } as const;

/** Powertools flushes on its own at 100 values of one metric; our batches stay far below that. */
const dimensionKey = (dimensions: Dimensions): string =>
  Object.entries(dimensions)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');

export function createEmfMetrics(options: EmfMetricsOptions): Metrics {
  const groups = new Map<string, PowertoolsMetrics>();

  function group(dimensions: Dimensions): PowertoolsMetrics {
    const key = dimensionKey(dimensions);
    let metrics = groups.get(key);
    if (metrics === undefined) {
      metrics = new PowertoolsMetrics({
        serviceName: options.serviceName,
        ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
        defaultDimensions: { ...dimensions },
      });
      groups.set(key, metrics);
    }
    return metrics;
  }

  const add = (name: MetricName, value: number, dimensions: Dimensions = {}): void => {
    group(dimensions).addMetric(name, UNITS[METRICS[name].unit], value);
  };

  return {
    count: (name, value = 1, dimensions) => add(name, value, dimensions),
    timing: (name, milliseconds, dimensions) => add(name, Math.max(0, Math.round(milliseconds)), dimensions),
    flush: () => {
      for (const metrics of groups.values()) {
        // publishStoredMetrics warns when empty: only groups that saw something this invocation.
        if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      }
    },
  };
}
