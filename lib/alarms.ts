/**
 * Alarms an on-call person can act on (README "Alarms" has the runbook line of each):
 * - a task in a dead-letter queue (it will not run until redriven);
 * - the delivery backlog: the oldest delivery task waiting longer than `backlogAgeSeconds`;
 * - the share of first delivery attempts that fail, over `firstAttemptFailurePercent` (with at least
 *   `firstAttemptMinCount` attempts in the period, so a quiet stack doesn't page on one failure);
 * - API 5xx; function errors (the handlers report per-record failures, so an invocation error is a bug
 *   or a timeout); function throttles.
 * Every alarm notifies the SNS topic (and back when it clears); `alarmEmail` subscribes an address.
 * Thresholds come from props, else CDK context (`-c alarmBacklogAgeSeconds=…`), else the defaults.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ApiMetrics } from './api.ts';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type Node } from 'constructs';
import type { WorkQueue } from './queues.ts';
import type { SluiceMetrics } from './sluice-metrics.ts';

export interface AlarmThresholds {
  /** Oldest delivery task, seconds. Keep it above ~7 min: a retry counts in the age until its third receive (5 s + 5 min ± 20 %). */
  readonly backlogAgeSeconds: number;
  /** Failed share of scheduled first attempts in 5 minutes, percent. */
  readonly firstAttemptFailurePercent: number;
  /** Fewer first attempts than this in 5 minutes never alarm. */
  readonly firstAttemptMinCount: number;
  /** API 5xx answers in 5 minutes. */
  readonly api5xxCount: number;
  /** Failed invocations of one function in 5 minutes. */
  readonly functionErrorCount: number;
  /** Throttled invocations of one function in 5 minutes. */
  readonly functionThrottleCount: number;
}

export const DEFAULT_ALARM_THRESHOLDS: AlarmThresholds = {
  backlogAgeSeconds: 900,
  firstAttemptFailurePercent: 25,
  firstAttemptMinCount: 20,
  api5xxCount: 1,
  functionErrorCount: 1,
  functionThrottleCount: 1,
};

/** The context key of each threshold: `-c alarmBacklogAgeSeconds=600`. */
export const ALARM_CONTEXT_KEYS: Record<keyof AlarmThresholds, string> = {
  backlogAgeSeconds: 'alarmBacklogAgeSeconds',
  firstAttemptFailurePercent: 'alarmFirstAttemptFailurePercent',
  firstAttemptMinCount: 'alarmFirstAttemptMinCount',
  api5xxCount: 'alarmApi5xxCount',
  functionErrorCount: 'alarmFunctionErrorCount',
  functionThrottleCount: 'alarmFunctionThrottleCount',
};

/** Props over context over defaults; every threshold must be a positive number (percent ≤ 100). */
export function resolveAlarmThresholds(props: Partial<AlarmThresholds>, node: Pick<Node, 'tryGetContext'>): AlarmThresholds {
  const out = { ...DEFAULT_ALARM_THRESHOLDS };
  for (const key of Object.keys(ALARM_CONTEXT_KEYS) as (keyof AlarmThresholds)[]) {
    const raw: unknown = props[key] ?? node.tryGetContext(ALARM_CONTEXT_KEYS[key]);
    if (raw === undefined || raw === null || raw === '') continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || (key === 'firstAttemptFailurePercent' && value > 100)) {
      throw new Error(`${ALARM_CONTEXT_KEYS[key]} must be a positive number${key === 'firstAttemptFailurePercent' ? ' up to 100' : ''}, got "${String(raw)}"`);
    }
    out[key] = value;
  }
  return out;
}

export interface AlarmsProps {
  /** Label → queue, e.g. { Fanout: queues.fanout }. */
  readonly queues: Record<string, WorkQueue>;
  /** The queue whose oldest task is the delivery backlog. */
  readonly deliveryQueue: WorkQueue;
  /** Label → function. */
  readonly functions: Record<string, lambda.IFunction>;
  readonly api?: ApiMetrics;
  readonly metrics: SluiceMetrics;
  readonly alarmEmail?: string;
  readonly thresholds?: Partial<AlarmThresholds>;
}

const PERIOD = Duration.minutes(5);

type AlarmSpec = Pick<cloudwatch.AlarmProps, 'alarmDescription' | 'metric' | 'threshold'> &
  Partial<Pick<cloudwatch.AlarmProps, 'evaluationPeriods' | 'datapointsToAlarm' | 'comparisonOperator'>>;

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly thresholds: AlarmThresholds;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const t = resolveAlarmThresholds(props.thresholds ?? {}, this.node);
    this.thresholds = t;
    // Not KMS-encrypted: CloudWatch can't publish to a topic under the aws/sns key, and alarm text is
    // no secret. Always there, so a pager or chat integration can subscribe without a redeploy.
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Sluice alarms', enforceSSL: true });
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    for (const [label, q] of Object.entries(props.queues)) {
      this.add(`${label}DeadLetters`, {
        alarmDescription: `Tasks in the ${q.spec.name} dead-letter queue: they will not be processed until redriven (npm run redrive)`,
        metric: q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        threshold: 1,
      });
    }
    this.add('DeliveryBacklogAge', {
      alarmDescription: `The oldest delivery task has waited over ${t.backlogAgeSeconds} s for 5 minutes: delivery is falling behind`,
      // SQS reports every minute; five minutes in a row filters a burst that drains by itself.
      metric: props.deliveryQueue.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: t.backlogAgeSeconds,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.add('FirstAttemptFailureRate', {
      alarmDescription: `Over ${t.firstAttemptFailurePercent} % of first delivery attempts failed (at least ${t.firstAttemptMinCount} attempts) in two 5-minute periods in a row`,
      metric: props.metrics.firstAttemptFailurePercent(PERIOD, t.firstAttemptMinCount),
      threshold: t.firstAttemptFailurePercent,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    if (props.api !== undefined) {
      this.add('Api5xx', {
        alarmDescription: 'The API answered 5xx (function errors, timeouts, gateway failures)',
        metric: props.api.metricServerError({ period: PERIOD, statistic: 'Sum' }),
        threshold: t.api5xxCount,
      });
    }
    for (const [label, fn] of Object.entries(props.functions)) {
      this.add(`${label}Errors`, {
        alarmDescription: `The ${label} function failed invocations (uncaught error or timeout)`,
        metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        threshold: t.functionErrorCount,
      });
      this.add(`${label}Throttles`, {
        alarmDescription: `The ${label} function was throttled (account concurrency exhausted or a reserved-concurrency cap hit)`,
        metric: fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        threshold: t.functionThrottleCount,
      });
    }
  }

  private add(id: string, spec: AlarmSpec): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      ...spec,
      // No data = no messages / no invocations: healthy, not unknown.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
