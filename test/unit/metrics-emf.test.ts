/**
 * The EMF lines a delivery produces: the delivery handler's metric mapping (functions/deliver/metrics.ts)
 * feeding the Powertools EMF adapter, flushed as the handler does at the end of a batch. The lines are
 * read from stdout, where Lambda would ship them to CloudWatch Logs, and parsed as CloudWatch would.
 * Also the EMF bytes per delivery, which bench/cost-model.ts prices.
 */
import { createEmfMetrics } from '../../functions/adapters/metrics/emf.ts';
import type { DeliveryResult } from '../../functions/core/delivery/deliver-task.ts';
import type { DeliveryLookups } from '../../functions/core/delivery/lookups.ts';
import { AttemptStatus, TriggerType, type Message, type MessageAttempt } from '../../functions/core/model.ts';
import { attemptOutcome, createDeliveryMetrics } from '../../functions/deliver/metrics.ts';
import { EMF_BYTES } from '../../bench/cost-model.ts';

interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

/** Runs `work`, returning what it wrote to stdout, line by line. */
function captureStdout(work: () => void): string[] {
  const original = process.stdout.write.bind(process.stdout);
  const chunks: string[] = [];
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    work();
  } finally {
    process.stdout.write = original;
  }
  return chunks.join('').split('\n').filter((line) => line !== '');
}

const published = new Date('2026-12-03T10:00:00.000Z');

function message(id: string): Message {
  return {
    id,
    appId: 'app_1',
    eventType: 'invoice.paid',
    payload: { a: 1 },
    eventId: null,
    channels: null,
    tags: null,
    timestamp: published.toISOString(),
    deliverAt: null,
    payloadExpiresAt: '2026-12-10T10:00:00.000Z',
  };
}

function attempt(msgId: string, fields: Partial<MessageAttempt>): MessageAttempt {
  return {
    id: `atmpt_${msgId}`,
    appId: 'app_1',
    msgId,
    endpointId: 'ep_1',
    url: 'https://receiver.example/hook',
    // 250 ms after publish; the attempt then takes responseDurationMs.
    timestamp: new Date(published.getTime() + 250).toISOString(),
    responseStatusCode: 200,
    response: 'ok',
    responseDurationMs: 40,
    status: AttemptStatus.Success,
    triggerType: TriggerType.Scheduled,
    attemptNumber: 1,
    eventType: 'invoice.paid',
    channels: null,
    tags: null,
    ...fields,
  };
}

const lookups = (): DeliveryLookups => ({
  message: async (_appId, msgId) => message(msgId),
  endpoint: async () => undefined,
  application: async () => undefined,
});

/** One batch through the mapping, as the handler runs it: read the message, map the result, flush. */
async function batch(results: DeliveryResult[]): Promise<EmfLine[]> {
  const metrics = createEmfMetrics({ serviceName: 'sluice-deliver', namespace: 'Sluice/Test' });
  const meter = createDeliveryMetrics(metrics);
  const tracked = meter.trackMessages(lookups());
  for (const result of results) {
    if ('attempt' in result) await tracked.message('app_1', result.attempt.msgId);
    meter.result(result);
  }
  return captureStdout(() => metrics.flush()).map((line) => JSON.parse(line) as EmfLine);
}

const lineWith = (lines: EmfLine[], dims: Record<string, string>): EmfLine => {
  const found = lines.find((l) => Object.entries(dims).every(([k, v]) => l[k] === v));
  if (found === undefined) throw new Error(`no EMF line with ${JSON.stringify(dims)} in ${JSON.stringify(lines)}`);
  return found;
};

test('a successful first attempt: one EMF line with attempts, duration, first attempts and latency', async () => {
  const [line, ...rest] = await batch([{ kind: 'delivered', attempt: attempt('msg_1', {}) }]);
  expect(rest).toHaveLength(0);
  const directive = line!._aws.CloudWatchMetrics[0]!;
  expect(directive.Namespace).toBe('Sluice/Test');
  expect(directive.Dimensions).toEqual([['service', 'outcome', 'trigger']]);
  expect(directive.Metrics).toEqual(
    expect.arrayContaining([
      { Name: 'Attempts', Unit: 'Count' },
      { Name: 'AttemptDuration', Unit: 'Milliseconds' },
      { Name: 'FirstAttempts', Unit: 'Count' },
      { Name: 'DeliveryLatency', Unit: 'Milliseconds' },
    ]),
  );
  expect(line).toMatchObject({ service: 'sluice-deliver', outcome: 'success', trigger: 'scheduled', Attempts: 1, AttemptDuration: 40, FirstAttempts: 1 });
  // Published at t, attempt started at t + 250 ms and took 40 ms.
  expect(line!.DeliveryLatency).toBe(290);
});

test('a batch: outcomes and triggers in their own lines, counters without dimensions in the service line', async () => {
  const lines = await batch([
    { kind: 'delivered', attempt: attempt('msg_1', {}) },
    { kind: 'delivered', attempt: attempt('msg_2', { responseDurationMs: 60 }) },
    { kind: 'retry', delaySeconds: 5, attempt: attempt('msg_3', { status: AttemptStatus.Fail, responseStatusCode: 503, response: 'down' }) },
    { kind: 'retry', delaySeconds: 60, attempt: attempt('msg_4', { status: AttemptStatus.Fail, responseStatusCode: 0, response: 'No response within 15 s', attemptNumber: 2 }) },
    { kind: 'failed', endpointGone: false, attempt: attempt('msg_5', { status: AttemptStatus.Fail, responseStatusCode: 404, response: '', triggerType: TriggerType.Manual }) },
    { kind: 'failed', endpointGone: false, attempt: attempt('msg_6', { status: AttemptStatus.Fail, responseStatusCode: 500, response: '', attemptNumber: 8 }) },
    { kind: 'held', delaySeconds: 2 },
    { kind: 'dropped', reason: 'endpoint disabled' },
  ]);
  expect(lineWith(lines, { outcome: 'success', trigger: 'scheduled' })).toMatchObject({ Attempts: [1, 1], AttemptDuration: [40, 60], FirstAttempts: [1, 1] });
  expect(lineWith(lines, { outcome: 'http_5xx', trigger: 'scheduled' })).toMatchObject({ Attempts: [1, 1], FirstAttempts: 1 });
  expect(lineWith(lines, { outcome: 'timeout', trigger: 'scheduled' })).toMatchObject({ Attempts: 1 });
  expect(lineWith(lines, { outcome: 'timeout' }).FirstAttempts).toBeUndefined();
  // A manual attempt is not a first attempt, and a failed one is not an exhausted schedule.
  expect(lineWith(lines, { outcome: 'http_4xx', trigger: 'manual' })).toMatchObject({ Attempts: 1 });
  const service = lines.find((l) => l.outcome === undefined)!;
  expect(service._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
  expect(service).toMatchObject({ RetriesScheduled: [1, 1], Exhausted: 1, ThrottleHolds: 1, TasksDropped: 1 });
  expect(lines).toHaveLength(5);
});

test('a flush with nothing recorded writes nothing', () => {
  const metrics = createEmfMetrics({ serviceName: 'sluice-deliver', namespace: 'Sluice/Test' });
  expect(captureStdout(() => metrics.flush())).toEqual([]);
});

test.each([
  [{ status: AttemptStatus.Success, responseStatusCode: 204, response: '' }, 'success'],
  [{ status: AttemptStatus.Fail, responseStatusCode: 302, response: '' }, 'http_other'],
  [{ status: AttemptStatus.Fail, responseStatusCode: 429, response: '' }, 'http_4xx'],
  [{ status: AttemptStatus.Fail, responseStatusCode: 0, response: 'No response within 15 s' }, 'timeout'],
  [{ status: AttemptStatus.Fail, responseStatusCode: 0, response: 'Destination address not allowed (SLUICE_ADDRESS_REFUSED): 10.0.0.1 is private' }, 'refused'],
  [{ status: AttemptStatus.Fail, responseStatusCode: 0, response: 'Delivery to x.example is refused: the URL must use https' }, 'refused'],
  [{ status: AttemptStatus.Fail, responseStatusCode: 0, response: 'Connection refused (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:1' }, 'connection_error'],
  [{ status: AttemptStatus.Fail, responseStatusCode: 0, response: 'Not sent: the message payload expired at …' }, 'not_sent'],
] as const)('outcome of %p is %s', (fields, outcome) => {
  expect(attemptOutcome(fields)).toBe(outcome);
});

/**
 * The bytes CloudWatch Logs ingests per delivery, for the cost model: a full batch of 10 successful
 * first attempts (the steady state under load), and a lone delivery (a batch of one, low traffic).
 */
test('EMF bytes per delivery match the cost model', async () => {
  const bytes = (lines: EmfLine[]): number => lines.reduce((sum, l) => sum + Buffer.byteLength(JSON.stringify(l)) + 1, 0);
  const ten = await batch(Array.from({ length: 10 }, (_, i) => ({ kind: 'delivered', attempt: attempt(`msg_${i}`, {}) }) as DeliveryResult));
  const one = await batch([{ kind: 'delivered', attempt: attempt('msg_x', {}) }]);
  const perDeliveryBatched = bytes(ten) / 10;
  const perDeliveryAlone = bytes(one);
  // The cost model carries these figures; within 10 % (namespace, ids and timestamps vary in length).
  expect(perDeliveryBatched).toBeGreaterThan(EMF_BYTES.delivery.batchOf10 * 0.9);
  expect(perDeliveryBatched).toBeLessThan(EMF_BYTES.delivery.batchOf10 * 1.1);
  expect(perDeliveryAlone).toBeGreaterThan(EMF_BYTES.delivery.alone * 0.9);
  expect(perDeliveryAlone).toBeLessThan(EMF_BYTES.delivery.alone * 1.1);
});
