/**
 * Sluice's own CloudWatch metrics (the EMF lines of functions/adapters/metrics/emf.ts) as CDK metric
 * objects, for the dashboard and the alarms. Names, units and dimensions come from the catalog the
 * functions record with (functions/core/metrics/catalog.ts).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ATTEMPT_OUTCOMES, METRICS, type AttemptOutcome, type MetricName } from '../functions/core/metrics/catalog.ts';

export interface SluiceMetricOptions {
  readonly dimensions?: Record<string, string>;
  readonly statistic?: string;
  readonly period?: Duration;
  readonly label?: string;
}

/** Which function records `name` (the `service` dimension). PoisonTasks: pass `service` explicitly. */
function serviceOf(name: MetricName): string {
  return METRICS[name].service.split(',')[0]!.trim();
}

export class SluiceMetrics {
  readonly namespace: string;

  constructor(namespace: string) {
    this.namespace = namespace;
  }

  metric(name: MetricName, options: SluiceMetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: name,
      dimensionsMap: { service: serviceOf(name), ...options.dimensions },
      statistic: options.statistic ?? (METRICS[name].unit === 'Count' ? 'Sum' : 'p50'),
      period: options.period ?? Duration.minutes(5),
      ...(options.label === undefined ? {} : { label: options.label }),
    });
  }

  /** One metric per outcome of scheduled first attempts, keyed by a metric-math id. */
  firstAttemptsByOutcome(period: Duration): Record<string, cloudwatch.IMetric> {
    return Object.fromEntries(
      ATTEMPT_OUTCOMES.map((outcome) => [mathId(outcome), this.metric('FirstAttempts', { dimensions: { outcome, trigger: 'scheduled' }, period })]),
    );
  }

  /**
   * The share (%) of scheduled first attempts that failed, or 0 while fewer than `minAttempts` were
   * made in the period (one failure among three is not an incident).
   */
  firstAttemptFailurePercent(period: Duration, minAttempts: number): cloudwatch.MathExpression {
    const metrics = this.firstAttemptsByOutcome(period);
    const total = Object.keys(metrics).map((id) => `FILL(${id}, 0)`).join(' + ');
    const success = `FILL(${mathId('success')}, 0)`;
    return new cloudwatch.MathExpression({
      expression: `IF((${total}) >= ${minAttempts}, 100 * ((${total}) - ${success}) / (${total}), 0)`,
      usingMetrics: metrics,
      period,
      label: 'First-attempt failures (%)',
    });
  }

  /** A SEARCH over every dimension value of `name` (dashboards only: alarms cannot SEARCH). */
  search(name: MetricName, dimensions: readonly string[], statistic: string, period: Duration, label: string): cloudwatch.MathExpression {
    const schema = ['service', ...dimensions].join(',');
    return new cloudwatch.MathExpression({
      expression: `SEARCH('{${this.namespace},${schema}} MetricName="${name}"', '${statistic}', ${period.toSeconds()})`,
      usingMetrics: {},
      period,
      label,
    });
  }
}

/** Metric-math ids must start with a lowercase letter and hold only letters, digits and _. */
const mathId = (outcome: AttemptOutcome): string => `o_${outcome}`;
