/**
 * The reworked alarms (lib/alarms.ts): each one, its metric and threshold, thresholds from CDK context
 * with defaults, the SNS topic every alarm notifies. Bundling is skipped: only the template is read.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { ALARM_CONTEXT_KEYS, DEFAULT_ALARM_THRESHOLDS, resolveAlarmThresholds } from '../../lib/alarms.ts';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { appWithContext, logicalId } from './template-helpers.ts';

type Resource = { Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(context: Record<string, unknown> = {}): { stack: SluiceStack; template: Template; alarms: Record<string, Resource> } {
  const stack = new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [], ...context }), 'Sluice');
  const template = Template.fromStack(stack);
  return { stack, template, alarms: template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource> };
}

const byDescription = (alarms: Record<string, Resource>, pattern: RegExp): Resource[] =>
  Object.values(alarms).filter((a) => pattern.test(String(a.Properties.AlarmDescription)));

describe('default thresholds', () => {
  const { stack, template, alarms } = synth();

  test('every alarm notifies the topic, when it fires and when it clears; no e-mail without alarmEmail', () => {
    const topic = { Ref: logicalId(stack.alarms.topic) };
    // A DLQ alarm per queue, backlog age, first-attempt failure rate, API 5xx, errors + throttles of 3 functions.
    expect(Object.keys(alarms)).toHaveLength(Object.keys(stack.queues.all).length + 9);
    for (const a of Object.values(alarms)) {
      expect(a.Properties.AlarmActions).toEqual([topic]);
      expect(a.Properties.OKActions).toEqual([topic]);
      expect(a.Properties.TreatMissingData).toBe('notBreaching');
    }
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasOutput('AlarmTopicArn', {});
  });

  test('every dead-letter queue: alarm at one visible task', () => {
    for (const q of Object.values(stack.queues.all)) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(q.deadLetterQueue), 'QueueName'] } }],
        Threshold: 1,
      });
    }
  });

  test('delivery backlog: the oldest delivery task over 900 s, five minutes in a row', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack.queues.delivery.queue), 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: DEFAULT_ALARM_THRESHOLDS.backlogAgeSeconds,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  test('first-attempt failure rate: metric math over every outcome of scheduled first attempts', () => {
    const [alarm] = byDescription(alarms, /first delivery attempts failed/);
    expect(alarm).toBeDefined();
    const p = alarm!.Properties;
    expect(p.Threshold).toBe(25);
    expect(p.EvaluationPeriods).toBe(2);
    const expression = p.Metrics.find((m: { Expression?: string }) => m.Expression !== undefined);
    expect(expression.Expression).toMatch(/^IF\(\(.+\) >= 20, 100 \* /);
    const inputs = p.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat !== undefined);
    const outcomes = inputs.map((m: any) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'outcome').Value); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(outcomes.sort()).toEqual(['connection_error', 'http_4xx', 'http_5xx', 'http_other', 'not_sent', 'refused', 'success', 'timeout']);
    for (const m of inputs) {
      expect(m.MetricStat.Metric).toMatchObject({ Namespace: 'Sluice/Sluice', MetricName: 'FirstAttempts' });
      expect(m.MetricStat.Metric.Dimensions).toEqual(expect.arrayContaining([{ Name: 'service', Value: 'sluice-deliver' }, { Name: 'trigger', Value: 'scheduled' }]));
      expect(m.ReturnData).toBe(false);
    }
  });

  test.each([
    ['api', () => stack.api.handler.function],
    ['fan-out', () => stack.workers.fanout.function],
    ['delivery', () => stack.workers.delivery.function],
  ])('%s function: errors and throttles at one per 5 minutes', (_label, fn) => {
    for (const MetricName of ['Errors', 'Throttles']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fn()) } }],
        Period: 300,
        Threshold: 1,
      });
    }
  });

  test('API 5xx', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Threshold: 1 });
  });
});

test('thresholds from context', () => {
  const { template, alarms } = synth({
    [ALARM_CONTEXT_KEYS.backlogAgeSeconds]: '600',
    [ALARM_CONTEXT_KEYS.firstAttemptFailurePercent]: '40',
    [ALARM_CONTEXT_KEYS.firstAttemptMinCount]: '50',
    [ALARM_CONTEXT_KEYS.api5xxCount]: '10',
    [ALARM_CONTEXT_KEYS.functionErrorCount]: '3',
    [ALARM_CONTEXT_KEYS.functionThrottleCount]: '5',
    alarmEmail: 'oncall@example.com',
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 600 });
  const [rate] = byDescription(alarms, /first delivery attempts failed/);
  expect(rate!.Properties.Threshold).toBe(40);
  expect(rate!.Properties.Metrics.find((m: { Expression?: string }) => m.Expression).Expression).toContain('>= 50,');
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5XXError', Threshold: 10 });
  expect(byDescription(alarms, /failed invocations/).map((a) => a.Properties.Threshold)).toEqual([3, 3, 3]);
  expect(byDescription(alarms, /was throttled/).map((a) => a.Properties.Threshold)).toEqual([5, 5, 5]);
  template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
});

describe('resolveAlarmThresholds', () => {
  const context = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

  test('props win over context, context over defaults', () => {
    const t = resolveAlarmThresholds({ api5xxCount: 7 }, context({ alarmApi5xxCount: '2', alarmBacklogAgeSeconds: 1200 }));
    expect(t).toEqual({ ...DEFAULT_ALARM_THRESHOLDS, api5xxCount: 7, backlogAgeSeconds: 1200 });
  });

  test.each([
    [{ alarmBacklogAgeSeconds: 'soon' }, /alarmBacklogAgeSeconds/],
    [{ alarmBacklogAgeSeconds: '0' }, /alarmBacklogAgeSeconds/],
    [{ alarmFirstAttemptFailurePercent: '101' }, /alarmFirstAttemptFailurePercent .*up to 100/],
    [{ alarmFunctionErrorCount: '-1' }, /alarmFunctionErrorCount/],
  ])('rejects %p', (values, message) => {
    expect(() => resolveAlarmThresholds({}, context(values))).toThrow(message);
  });
});
