/**
 * Alarms, and the deployment settings read from CDK context (`-c key=value`). One synth, with bundling
 * skipped (`aws:cdk:bundling-stacks: []`), of a stack configured entirely through context; the
 * validation rules are checked on resolveSettings directly.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DELIVERY, ENV } from '../../functions/shared/names.ts';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { DEFAULT_API_THROTTLE, DEFAULT_PROVISIONED, resolveSettings } from '../../lib/stack-props.ts';
import { appWithContext, logicalId } from './template-helpers.ts';

let stack: SluiceStack;
let template: Template;

beforeAll(() => {
  const app = appWithContext({
    'aws:cdk:bundling-stacks': [],
    retrySchedule: '5,300,1800',
    allowPrivateNetworks: 'true',
    alarmEmail: 'ops@example.com',
    apiRateLimit: '50',
    apiBurstLimit: '100',
    removalPolicy: 'destroy',
    deliveryMaxConcurrency: '20',
  });
  stack = new SluiceStack(app, 'Sluice');
  template = Template.fromStack(stack);
});

describe('alarms', () => {
  test.each([
    ['fan-out', () => stack.queues.fanout.deadLetterQueue],
    ['delivery', () => stack.queues.delivery.deadLetterQueue],
  ])('%s DLQ: alarm at one visible message', (_label, dlq) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(dlq()), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test.each([
    ['api', () => stack.api.handler.function],
    ['fan-out', () => stack.workers.fanout.function],
    ['delivery', () => stack.workers.delivery.function],
  ])('%s function: alarm on errors', (_label, fn) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fn()) } }],
      Threshold: 1,
    });
  });

  test('with alarmEmail, every alarm notifies the e-mail topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    const topic = { Ref: logicalId(stack.alarms.topic!) };
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    // A DLQ alarm per queue, backlog age, first-attempt failure rate, API 5xx, errors + throttles of 3 functions.
    expect(alarms).toHaveLength(Object.keys(stack.queues.all).length + 9);
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([topic]);
  });
});

describe('settings from context', () => {
  test('retry schedule and private networks reach every function', () => {
    for (const fn of [stack.api.handler.function, stack.workers.fanout.function, stack.workers.delivery.function]) {
      const vars = template.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
      expect(vars[ENV.retrySchedule]).toBe('5,300,1800');
      expect(vars[ENV.allowPrivateNetworks]).toBe('true');
    }
  });

  test('API throttling', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]?.Properties;
    expect(stage.MethodSettings[0]).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
  });

  test('removalPolicy destroy applies to the table', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });

  test('maximum concurrency on the delivery event source only', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.workers.delivery.function) },
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    const fanout = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).find(
      (m) => m.Properties.FunctionName.Ref === logicalId(stack.workers.fanout.function),
    );
    expect(fanout?.Properties.ScalingConfig).toBeUndefined();
  });
});

describe('resolveSettings', () => {
  const context = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

  test('defaults', () => {
    expect(resolveSettings({}, context({}))).toEqual({
      corsOrigins: '*',
      defaultSignatureType: 'hmac',
      retrySchedule: DELIVERY.defaultRetryScheduleSeconds,
      allowPrivateNetworks: false,
      allowedSubnets: [],
      requireHttps: false,
      alarmEmail: undefined,
      apiThrottle: DEFAULT_API_THROTTLE,
      removalPolicy: RemovalPolicy.RETAIN,
      fanoutMaxConcurrency: undefined,
      deliveryMaxConcurrency: undefined,
      tracing: false,
      disableAfterDays: DELIVERY.defaultDisableAfterDays,
      operationalWebhook: undefined,
      api: 'rest',
      capacity: { mode: 'on-demand' },
    });
  });

  test('capacity: provisioned with the default bounds, or the ones given', () => {
    expect(resolveSettings({}, context({ capacity: 'provisioned' })).capacity).toEqual({ mode: 'provisioned', ...DEFAULT_PROVISIONED });
    expect(resolveSettings({}, context({ capacity: 'provisioned', readCapacity: '2-20', writeCapacity: '10-300', capacityTargetUtilization: '50' })).capacity).toEqual({
      mode: 'provisioned',
      read: { min: 2, max: 20 },
      write: { min: 10, max: 300 },
      targetUtilization: 50,
    });
  });

  test('props win over context; cdk.json arrays and booleans are accepted', () => {
    const s = resolveSettings({ allowPrivateNetworks: false }, context({ retrySchedule: [1, 2], allowPrivateNetworks: true, tracing: true }));
    expect(s.retrySchedule).toEqual([1, 2]);
    expect(s.allowPrivateNetworks).toBe(false);
    expect(s.tracing).toBe(true);
  });

  test.each([
    [{ retrySchedule: '5,x' }, /retrySchedule/],
    [{ retrySchedule: '43201' }, /retrySchedule/],
    [{ retrySchedule: '-1' }, /retrySchedule/],
    [{ retrySchedule: Array(22).fill('1').join(',') }, /retrySchedule/],
    [{ allowPrivateNetworks: 'yes' }, /allowPrivateNetworks/],
    [{ removalPolicy: 'keep' }, /removalPolicy/],
    [{ apiRateLimit: '1.5' }, /apiRateLimit/],
    [{ deliveryMaxConcurrency: '1' }, /deliveryMaxConcurrency/],
    [{ fanoutMaxConcurrency: '1001' }, /fanoutMaxConcurrency/],
    [{ alarmEmail: 'not-an-address' }, /alarmEmail/],
    [{ api: 'graphql' }, /api must be rest or http/],
    [{ capacity: 'reserved' }, /capacity must be on-demand or provisioned/],
    [{ capacity: 'provisioned', writeCapacity: '100-5' }, /writeCapacity/],
    [{ capacity: 'provisioned', readCapacity: 'lots' }, /readCapacity/],
    [{ capacity: 'provisioned', capacityTargetUtilization: '99' }, /capacityTargetUtilization/],
  ])('rejects %p', (values, message) => {
    expect(() => resolveSettings({}, context(values))).toThrow(message);
  });

  test('the longest schedule allowed still fits the delivery maxReceiveCount and the queue retention', () => {
    const longest = Array<number>(20).fill(43_200);
    expect(resolveSettings({ retrySchedule: longest }, context({})).retrySchedule).toEqual(longest);
    // Synthesized with it: 21 receives (+ room for crashed invocations) under the DLQ's maxReceiveCount,
    // and the 10 days of delays inside the queue's retention.
    const longStack = new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [], retrySchedule: longest.join(',') }), 'Longest');
    const queue = Template.fromStack(longStack).toJSON().Resources[logicalId(longStack.queues.delivery.queue)].Properties;
    expect(queue.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(longest.length + 1 + 3);
    expect(queue.MessageRetentionPeriod).toBeGreaterThan(longest.reduce((a, b) => a + b, 0));
  });
});
