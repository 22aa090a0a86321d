/**
 * What the operator must hear about: a task in a dead-letter queue (a message that will not be
 * delivered without a redrive), a function that throws (the handlers report per-record failures, so an
 * invocation error is a bug or a timeout), and gateway 5xx. With `alarmEmail`, alarms notify an SNS topic.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { WorkQueue } from './queues.ts';

export interface AlarmsProps {
  /** Label → queue, e.g. { Fanout: queues.fanout }. */
  readonly queues: Record<string, WorkQueue>;
  /** Label → function. */
  readonly functions: Record<string, lambda.IFunction>;
  readonly restApi?: apigw.RestApi;
  readonly alarmEmail?: string;
}

const PERIOD = Duration.minutes(5);

export class Alarms extends Construct {
  readonly topic: sns.Topic | undefined;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    if (props.alarmEmail !== undefined) {
      // Not KMS-encrypted: CloudWatch can't publish to a topic under the aws/sns key, and alarm text is
      // no secret.
      this.topic = new sns.Topic(this, 'Topic', { displayName: 'Sluice alarms', enforceSSL: true });
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    for (const [label, q] of Object.entries(props.queues)) {
      this.add(`${label}DeadLetters`, {
        alarmDescription: `Tasks in the ${q.spec.name} dead-letter queue: they will not be processed until redriven`,
        metric: q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        threshold: 1,
      });
    }
    for (const [label, fn] of Object.entries(props.functions)) {
      this.add(`${label}Errors`, {
        alarmDescription: `The ${label} function failed invocations (uncaught error or timeout)`,
        metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        threshold: 1,
      });
    }
    if (props.restApi !== undefined) {
      this.add('Api5xx', {
        alarmDescription: 'The API answered 5xx (function errors, timeouts, gateway failures)',
        metric: props.restApi.metricServerError({ period: PERIOD, statistic: 'Sum' }),
        threshold: 1,
      });
    }
  }

  private add(id: string, props: Pick<cloudwatch.AlarmProps, 'alarmDescription' | 'metric' | 'threshold'>): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data = no messages / no invocations: healthy, not unknown.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (this.topic !== undefined) {
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      alarm.addOkAction(new actions.SnsAction(this.topic));
    }
    this.alarms.push(alarm);
  }
}
