/**
 * The operator's CloudWatch dashboard: Sluice's own metrics (published, fanned out, attempts by
 * outcome, latency, retries, exhausted, disabled, poison), every queue's depth and oldest task, the
 * DLQs, the functions' errors, throttles, duration and concurrency, API Gateway's 4xx/5xx/latency, and
 * the alarms. The stack prints its URL (DashboardUrl).
 */
import { Aws, Duration, Fn } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ApiMetrics } from './api.ts';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { WorkQueue } from './queues.ts';
import type { SluiceMetrics } from './sluice-metrics.ts';

export interface DashboardProps {
  readonly dashboardName: string;
  readonly metrics: SluiceMetrics;
  /** Label → queue. */
  readonly queues: Record<string, WorkQueue>;
  /** Label → function. */
  readonly functions: Record<string, lambda.IFunction>;
  readonly api: ApiMetrics;
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

const graph = (title: string, left: cloudwatch.IMetric[], options: Partial<cloudwatch.GraphWidgetProps> = {}): cloudwatch.GraphWidget =>
  new cloudwatch.GraphWidget({ title, left, width: WIDTH, height: HEIGHT, ...options });

export class Dashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** The console URL of the dashboard. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const m = props.metrics;
    const fns = Object.entries(props.functions);
    const queues = Object.entries(props.queues);
    const api = props.api;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });

    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '# Sluice\nPublished messages flow api → fan-out queue → fan-out → delivery queue → delivery. ' +
          'Per-endpoint questions (worst endpoints, why message X failed): the Logs Insights queries in the README.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Messages published / delivery tasks queued', [
        m.metric('MessagesPublished', { label: 'published' }),
        m.metric('EndpointsMatched', { label: 'delivery tasks queued' }),
        m.metric('IdempotentReplays', { label: 'idempotent replays' }),
      ]),
      graph('Attempts by outcome and trigger', [m.search('Attempts', ['outcome', 'trigger'], 'Sum', PERIOD, '')], { stacked: true }),
      graph('First-attempt failures (%)', [m.firstAttemptFailurePercent(PERIOD, 1)], { leftYAxis: { min: 0, max: 100 } }),
    );
    this.dashboard.addWidgets(
      graph('Publish → delivery latency (first attempts)', ['p50', 'p90', 'p99'].map((statistic) =>
        m.metric('DeliveryLatency', { dimensions: { outcome: 'success', trigger: 'scheduled' }, statistic, label: statistic }),
      )),
      graph('Attempt duration by outcome (p90)', [m.search('AttemptDuration', ['outcome', 'trigger'], 'p90', PERIOD, '')]),
      graph('Retries, holds and give-ups', [
        m.metric('RetriesScheduled', { label: 'retries scheduled' }),
        m.metric('ThrottleHolds', { label: 'throttle holds' }),
        m.metric('ScheduledHolds', { label: 'deliverAt holds' }),
        m.metric('Exhausted', { label: 'exhausted' }),
        m.search('EndpointsDisabled', ['reason'], 'Sum', PERIOD, ''),
        m.search('SlowLaneDiversions', ['reason'], 'Sum', PERIOD, ''),
        m.metric('PoisonTasks', { dimensions: { service: 'sluice-deliver' }, label: 'poison (delivery)' }),
        m.metric('PoisonTasks', { dimensions: { service: 'sluice-fanout' }, label: 'poison (fan-out)' }),
        m.metric('TasksDropped', { label: 'dropped' }),
      ]),
    );
    this.dashboard.addWidgets(
      ...queues.map(([label, q]) =>
        graph(`${label} queue`, [
          q.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: 'visible' }),
          q.queue.metricApproximateNumberOfMessagesNotVisible({ period: PERIOD, statistic: 'Maximum', label: 'in flight / waiting to retry' }),
          q.queue.metric('ApproximateNumberOfMessagesDelayed', { period: PERIOD, statistic: 'Maximum', label: 'delayed' }),
        ], {
          right: [q.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum', label: 'oldest task (s)' })],
        }),
      ),
      graph('Dead-letter queues', queues.map(([label, q]) =>
        q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: `${label} DLQ` }),
      )),
    );
    this.dashboard.addWidgets(
      graph('Function errors', fns.map(([label, fn]) => fn.metricErrors({ period: PERIOD, statistic: 'Sum', label }))),
      graph('Function throttles', fns.map(([label, fn]) => fn.metricThrottles({ period: PERIOD, statistic: 'Sum', label }))),
      graph('Function duration (p50 / p99)', fns.flatMap(([label, fn]) =>
        ['p50', 'p99'].map((statistic) => fn.metricDuration({ period: PERIOD, statistic, label: `${label} ${statistic}` })),
      )),
      graph('Function concurrency', fns.map(([label, fn]) =>
        fn.metric('ConcurrentExecutions', { period: PERIOD, statistic: 'Maximum', label }),
      )),
      graph('API requests, 4xx, 5xx', [
        api.metricCount({ period: PERIOD, statistic: 'Sum', label: 'requests' }),
        api.metricClientError({ period: PERIOD, statistic: 'Sum', label: '4xx' }),
        api.metricServerError({ period: PERIOD, statistic: 'Sum', label: '5xx' }),
      ]),
      graph('API latency (p50 / p99)', [
        api.metricLatency({ period: PERIOD, statistic: 'p50', label: 'latency p50' }),
        api.metricLatency({ period: PERIOD, statistic: 'p99', label: 'latency p99' }),
        api.metricIntegrationLatency({ period: PERIOD, statistic: 'p99', label: 'integration p99' }),
      ]),
    );
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }));

    this.url = Fn.join('', [
      'https://', Aws.REGION, '.console.aws.amazon.com/cloudwatch/home?region=', Aws.REGION,
      '#dashboards:name=', props.dashboardName,
    ]);
  }
}
