/**
 * The CloudWatch dashboard (lib/dashboard.ts): its widgets and the metrics they plot, its URL output,
 * and the EMF wiring every function needs for Sluice's own metrics to exist (the namespace variable
 * and the service name, which becomes the `service` dimension).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { METRICS_NAMESPACE_ENV } from '../../functions/core/metrics/catalog.ts';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { appWithContext, logicalId } from './template-helpers.ts';

let stack: SluiceStack;
let template: Template;
let body: { widgets: { type: string; properties: Record<string, any> }[] }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The dashboard body is a Fn::Join of strings and tokens: tokens become a readable placeholder. */
function dashboardBody(): typeof body {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const parts = dashboards[0]!.Properties.DashboardBody['Fn::Join'][1] as unknown[];
  const text = parts.map((p) => (typeof p === 'string' ? p : `<${JSON.stringify(p).replace(/"/g, "'")}>`)).join('');
  return JSON.parse(text);
}

beforeAll(() => {
  stack = new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [] }), 'Sluice');
  template = Template.fromStack(stack);
  body = dashboardBody();
});

const titles = (): string[] => body.widgets.map((w) => w.properties.title).filter((t) => t !== undefined);
const widget = (title: string) => {
  const found = body.widgets.find((w) => w.properties.title === title);
  if (found === undefined) throw new Error(`no widget "${title}" in ${titles().join(', ')}`);
  return found.properties;
};
/** [namespace, metricName, ...dimension pairs] of each plotted metric. */
const plotted = (title: string): string[][] => (widget(title).metrics as unknown[][]).filter((m) => typeof m[0] === 'string' && m.length > 1).map((m) => m.filter((x) => typeof x === 'string') as string[]);
const expressions = (title: string): string[] => (widget(title).metrics as unknown[][]).flatMap((m) => m.map((x) => (x as { expression?: string })?.expression).filter((e) => e !== undefined)) as string[];

test('named after the stack, with its URL as an output', () => {
  template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Sluice-sluice' });
  const url = JSON.stringify(template.findOutputs('DashboardUrl'));
  expect(url).toContain('.console.aws.amazon.com/cloudwatch/home?region=');
  expect(url).toContain('#dashboards:name=Sluice-sluice');
});

test('every widget the issue asks for', () => {
  expect(titles()).toEqual([
    'Messages published / delivery tasks queued',
    'Attempts by outcome and trigger',
    'First-attempt failures (%)',
    'Publish → delivery latency (first attempts)',
    'Attempt duration by outcome (p90)',
    'Retries, holds and give-ups',
    ...Object.keys(stack.queues.all).map((label) => `${label} queue`),
    'Dead-letter queues',
    'Function errors',
    'Function throttles',
    'Function duration (p50 / p99)',
    'Function concurrency',
    'API requests, 4xx, 5xx',
    'API latency (p50 / p99)',
    'Alarms',
  ]);
});

test("Sluice's own metrics, from the stack's namespace with the service dimension", () => {
  expect(plotted('Messages published / delivery tasks queued')).toEqual([
    ['Sluice/Sluice', 'MessagesPublished', 'service', 'sluice-api'],
    ['Sluice/Sluice', 'EndpointsMatched', 'service', 'sluice-fanout'],
    ['Sluice/Sluice', 'IdempotentReplays', 'service', 'sluice-api'],
  ]);
  expect(expressions('Attempts by outcome and trigger')).toEqual([`SEARCH('{Sluice/Sluice,service,outcome,trigger} MetricName="Attempts"', 'Sum', 300)`]);
  expect(expressions('First-attempt failures (%)')[0]).toMatch(/^IF\(/);
  const latency = widget('Publish → delivery latency (first attempts)').metrics as unknown[][];
  expect(latency.map((m) => (m.at(-1) as { stat: string }).stat)).toEqual(['p50', 'p90', 'p99']);
  const giveUps = plotted('Retries, holds and give-ups').map((m) => m[1]);
  expect(giveUps).toEqual(['RetriesScheduled', 'ThrottleHolds', 'ScheduledHolds', 'Exhausted', 'PoisonTasks', 'PoisonTasks', 'TasksDropped']);
  expect(expressions('Retries, holds and give-ups')).toEqual([
    expect.stringContaining('MetricName="EndpointsDisabled"'),
    expect.stringContaining('MetricName="SlowLaneDiversions"'),
  ]);
});

test('each queue: visible, in flight, delayed and the oldest task; every DLQ', () => {
  for (const [label, q] of Object.entries(stack.queues.all)) {
    const title = `${label} queue`;
    const metrics = plotted(title);
    expect(metrics.map((m) => m[1])).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateNumberOfMessagesDelayed',
      'ApproximateAgeOfOldestMessage',
    ]);
    expect(JSON.stringify(metrics)).toContain(logicalId(q.queue));
  }
  const dlqs = JSON.stringify(plotted('Dead-letter queues'));
  for (const q of Object.values(stack.queues.all)) expect(dlqs).toContain(logicalId(q.deadLetterQueue));
});

test('Lambda errors, throttles, duration and concurrency of all three functions; API Gateway 4xx/5xx/latency', () => {
  const fnIds = [stack.api.handler.function, stack.workers.fanout.function, stack.workers.delivery.function].map((f) => logicalId(f));
  for (const [title, metric, count] of [
    ['Function errors', 'Errors', 3],
    ['Function throttles', 'Throttles', 3],
    ['Function duration (p50 / p99)', 'Duration', 6],
    ['Function concurrency', 'ConcurrentExecutions', 3],
  ] as const) {
    const metrics = plotted(title);
    expect(metrics).toHaveLength(count);
    expect(metrics.every((m) => m[0] === 'AWS/Lambda' && m[1] === metric)).toBe(true);
    for (const id of fnIds) expect(JSON.stringify(metrics)).toContain(id);
  }
  expect(plotted('API requests, 4xx, 5xx').map((m) => m[1])).toEqual(['Count', '4XXError', '5XXError']);
  expect(plotted('API latency (p50 / p99)').map((m) => m[1])).toEqual(['Latency', 'Latency', 'IntegrationLatency']);
  expect(widget('Alarms').alarms).toHaveLength(stack.alarms.alarms.length);
});

test('every function publishes EMF metrics: the namespace variable and its service name', () => {
  for (const [fn, service] of [
    [stack.api.handler.function, 'sluice-api'],
    [stack.workers.fanout.function, 'sluice-fanout'],
    [stack.workers.delivery.function, 'sluice-deliver'],
  ] as const) {
    const vars = template.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
    expect(vars[METRICS_NAMESPACE_ENV]).toBe('Sluice/Sluice');
    expect(vars.POWERTOOLS_SERVICE_NAME).toBe(service);
  }
});

test('the api function may read the queue depths (GET /ops/queues), and only that on the DLQs', () => {
  const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
  expect(policies).toContain('sqs:GetQueueAttributes');
});
