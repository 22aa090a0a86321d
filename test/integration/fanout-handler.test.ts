/**
 * The fan-out handler against fauxqs and DynamoDB Local: routing to matching endpoints only,
 * recover re-queueing only failed deliveries, poison tasks reported failed; and one message
 * followed all the way through fan-out and delivery to a real receiver.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createWebhookSender } from '../../functions/adapters/http/webhook-sender.ts';
import { createSqsDeliveryQueue, createSqsFanoutQueue, createSqsTaskVisibility } from '../../functions/adapters/sqs/queues.ts';
import { createDeliveryHandler } from '../../functions/deliver/handler.ts';
import { createFanoutHandler } from '../../functions/fanout/handler.ts';
import { newId } from '../../functions/core/ids.ts';
import { AttemptStatus, TriggerType, type AttemptStatus as Status, type Endpoint } from '../../functions/core/model.ts';
import type { Stores } from '../../functions/core/ports.ts';
import { createMessage as publishMessage } from '../../functions/core/messages/service.ts';
import type { DeliveryTask, FanoutTask } from '../../functions/core/tasks/tasks.ts';
import {
  createApp,
  createEndpoint,
  createMessage,
  newSecret,
  queueDepth,
  settle,
  startReceiver,
  startTestEnv,
  type Receiver,
  type TestEnv,
} from './deliver-fixtures.ts';
import { lambdaContext, receiveAtLeast, receiveEvent } from './sqs-event-helpers.ts';

let env: TestEnv;
let receiver: Receiver;

beforeAll(async () => {
  [env, receiver] = await Promise.all([startTestEnv('fanout-'), startReceiver()]);
});

afterAll(async () => {
  await receiver.close();
  await env.stop();
});

afterEach(async () => {
  expect(await queueDepth(env.sqs, env.queues.fanout)).toBe(0);
  expect(await queueDepth(env.sqs, env.queues.delivery)).toBe(0);
});

const fanout = () => createFanoutHandler({ stores: env.stores, deliveryQueue: createSqsDeliveryQueue(env.sqs, env.queues.delivery), logger: env.logger });

async function runFanout(...tasks: FanoutTask[]) {
  for (const task of tasks) await createSqsFanoutQueue(env.sqs, env.queues.fanout).send(task);
  const event = await receiveAtLeast(env.sqs, env.queues.fanout, tasks.length);
  const response = await fanout()(event, lambdaContext('fanout'));
  await settle(env.sqs, env.queues.fanout, event, response);
  return { event, response };
}

/** Drains the delivery queue and returns the tasks that were in it. */
async function drainDeliveryTasks(expected: number): Promise<DeliveryTask[]> {
  const event = await receiveAtLeast(env.sqs, env.queues.delivery, expected, 3_000);
  await settle(env.sqs, env.queues.delivery, event, { batchItemFailures: [] });
  const extra = await receiveEvent(env.sqs, env.queues.delivery, { waitSeconds: 0 });
  expect(extra.Records).toEqual([]);
  return event.Records.map((r) => JSON.parse(r.body) as DeliveryTask);
}

describe('fan-out handler', () => {
  it('queues a scheduled delivery for each matching endpoint only', async () => {
    const app = await createApp(env.stores);
    const url = 'http://127.0.0.1:9/unused';
    const ep = async (name: string, o: Partial<Endpoint>) =>
      [name, (await createEndpoint(env.stores, app.id, { url, ...o })).id] as const;
    const endpoints = await Promise.all([
      ep('all', {}),
      ep('type-match', { eventTypes: ['invoice.paid', 'x.y'] }),
      ep('type-miss', { eventTypes: ['user.signup'] }),
      ep('channel-match', { channels: ['project_2', 'project_1'] }),
      ep('channel-miss', { channels: ['project_9'] }),
      ep('both-match', { eventTypes: ['invoice.paid'], channels: ['project_1'] }),
      ep('disabled', { disabled: true }),
    ]);
    const other = await createApp(env.stores);
    await createEndpoint(env.stores, other.id, { url });
    const message = await createMessage(env.stores, app.id, { eventType: 'invoice.paid', channels: ['project_1'] });

    const { response } = await runFanout({ kind: 'message', appId: app.id, msgId: message.id });
    expect(response.batchItemFailures).toEqual([]);

    const tasks = await drainDeliveryTasks(4);
    const names = new Map(endpoints.map(([name, id]) => [id, name]));
    expect(tasks.map((t) => names.get(t.endpointId)).sort()).toEqual(['all', 'both-match', 'channel-match', 'type-match']);
    for (const t of tasks) expect(t).toMatchObject({ appId: app.id, msgId: message.id, triggerType: TriggerType.Scheduled });
  });

  it('does not route a message without channels to endpoints that filter on channels', async () => {
    const app = await createApp(env.stores);
    const url = 'http://127.0.0.1:9/unused';
    const plain = await createEndpoint(env.stores, app.id, { url });
    await createEndpoint(env.stores, app.id, { url, channels: ['project_1'] });
    const message = await createMessage(env.stores, app.id, { channels: null });
    await runFanout({ kind: 'message', appId: app.id, msgId: message.id });
    expect((await drainDeliveryTasks(1)).map((t) => t.endpointId)).toEqual([plain.id]);
  });

  it('reads an app\'s endpoints once per batch, however many of its messages the batch holds', async () => {
    const app = await createApp(env.stores);
    const url = 'http://127.0.0.1:9/unused';
    await Promise.all([createEndpoint(env.stores, app.id, { url }), createEndpoint(env.stores, app.id, { url })]);
    const messages = await Promise.all([1, 2, 3].map(() => createMessage(env.stores, app.id)));
    const reads: string[] = [];
    const endpoints = env.stores.endpoints;
    const stores: Stores = { ...env.stores, endpoints: { ...endpoints, all: (appId) => (reads.push(appId), endpoints.all(appId)) } };
    for (const m of messages) await createSqsFanoutQueue(env.sqs, env.queues.fanout).send({ kind: 'message', appId: app.id, msgId: m.id });
    const event = await receiveAtLeast(env.sqs, env.queues.fanout, 3);
    const deliveryQueue = createSqsDeliveryQueue(env.sqs, env.queues.delivery);
    const response = await createFanoutHandler({ stores, deliveryQueue, logger: env.logger })(event, lambdaContext('fanout'));
    await settle(env.sqs, env.queues.fanout, event, response);
    expect(response.batchItemFailures).toEqual([]);
    expect(reads).toEqual([app.id]);
    expect(await drainDeliveryTasks(6)).toHaveLength(6);
  });

  it('queues nothing when no endpoint matches', async () => {
    const app = await createApp(env.stores);
    const message = await createMessage(env.stores, app.id);
    const { response } = await runFanout({ kind: 'message', appId: app.id, msgId: message.id });
    expect(response.batchItemFailures).toEqual([]);
    await drainDeliveryTasks(0);
  });

  it('reports a missing message and a malformed task as failed (→ DLQ), and still processes the rest', async () => {
    const app = await createApp(env.stores);
    const endpoint = await createEndpoint(env.stores, app.id, { url: 'http://127.0.0.1:9/unused' });
    const message = await createMessage(env.stores, app.id);
    await env.sqs.send(new SendMessageCommand({ QueueUrl: env.queues.fanout, MessageBody: '{"kind":"message"}' }));
    await env.sqs.send(new SendMessageCommand({ QueueUrl: env.queues.fanout, MessageBody: 'not json' }));
    const { event, response } = await runFanout(
      { kind: 'message', appId: app.id, msgId: newId('message') },
      { kind: 'message', appId: app.id, msgId: message.id },
    );
    const bodies = new Map(event.Records.map((r) => [r.messageId, r.body]));
    const failed = response.batchItemFailures.map((f) => bodies.get(f.itemIdentifier));
    expect(failed).toHaveLength(3);
    expect(failed).not.toContain(JSON.stringify({ kind: 'message', appId: app.id, msgId: message.id }));
    expect((await drainDeliveryTasks(1)).map((t) => t.endpointId)).toEqual([endpoint.id]);

    // Drop the failed ones so the queue is empty for the next test.
    const failedIds = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    const visibility = createSqsTaskVisibility(env.sqs, env.queues.fanout);
    for (const r of event.Records.filter((r) => failedIds.has(r.messageId))) await visibility.delay(r.receiptHandle, 0);
    const again = await receiveAtLeast(env.sqs, env.queues.fanout, 3);
    await settle(env.sqs, env.queues.fanout, again, { batchItemFailures: [] });
  });

  it('recover re-queues, as manual tasks, only the failed deliveries inside the window', async () => {
    const app = await createApp(env.stores);
    const endpoint = await createEndpoint(env.stores, app.id, { url: 'http://127.0.0.1:9/unused' });
    const hour = 3_600_000;
    const now = Date.now();
    const inWindow = (offsetHours: number): string => newId('message', new Date(now - offsetHours * hour));
    const record = async (msgId: string, status: Status): Promise<void> => {
      const at = new Date().toISOString();
      await env.stores.attempts.record(
        {
          id: newId('attempt'),
          appId: app.id,
          msgId,
          endpointId: endpoint.id,
          url: endpoint.url,
          timestamp: at,
          responseStatusCode: 500,
          response: '',
          responseDurationMs: 1,
          status,
          triggerType: TriggerType.Scheduled,
          attemptNumber: 1,
          eventType: 'invoice.paid',
          channels: null,
          tags: null,
        },
        { appId: app.id, msgId, endpointId: endpoint.id, status, attempts: 1, lastAttemptAt: at, nextAttemptAt: null },
      );
    };
    const failedA = inWindow(2);
    const failedB = inWindow(3);
    await record(failedA, AttemptStatus.Fail);
    await record(failedB, AttemptStatus.Fail);
    await record(inWindow(2.5), AttemptStatus.Success);
    await record(inWindow(1), AttemptStatus.Pending);
    await record(inWindow(10), AttemptStatus.Fail); // before `since`

    const { response } = await runFanout({
      kind: 'recover',
      taskId: newId('task'),
      appId: app.id,
      endpointId: endpoint.id,
      since: new Date(now - 5 * hour).toISOString(),
      until: new Date(now).toISOString(),
    });
    expect(response.batchItemFailures).toEqual([]);
    const tasks = await drainDeliveryTasks(2);
    expect(tasks.map((t) => t.msgId).sort()).toEqual([failedA, failedB].sort());
    for (const t of tasks) expect(t).toMatchObject({ appId: app.id, endpointId: endpoint.id, triggerType: TriggerType.Manual });
  });

  it('carries a message from fan-out through delivery to a verified receiver', async () => {
    const app = await createApp(env.stores);
    const secret = newSecret();
    receiver.secret('/e2e', secret);
    await createEndpoint(env.stores, app.id, { url: receiver.url('/e2e'), secrets: [{ key: secret, expiresAt: null }], eventTypes: ['invoice.paid'] });
    const message = await createMessage(env.stores, app.id);
    await runFanout({ kind: 'message', appId: app.id, msgId: message.id });

    const sender = createWebhookSender({ timeoutMs: 2_000 });
    try {
      const deliver = createDeliveryHandler({
        stores: env.stores,
        sender,
        visibility: createSqsTaskVisibility(env.sqs, env.queues.delivery),
        retryScheduleSeconds: [1],
        logger: env.logger,
      });
      const event = await receiveAtLeast(env.sqs, env.queues.delivery, 1);
      const response = await deliver(event, lambdaContext('deliver'));
      await settle(env.sqs, env.queues.delivery, event, response);
      expect(response.batchItemFailures).toEqual([]);
    } finally {
      await sender.close();
    }
    const hits = receiver.received.filter((r) => r.path === '/e2e');
    expect(hits).toHaveLength(1);
    expect(hits[0]?.verifyError).toBeUndefined();
    expect(hits[0]?.verified).toEqual(message.payload);
  });
});

describe('fan-out task routing fields', () => {
  /** The real stores, counting message reads. */
  function countingStores() {
    const reads = { messages: 0 };
    const stores: Stores = {
      ...env.stores,
      messages: { ...env.stores.messages, get: (...args) => (reads.messages++, env.stores.messages.get(...args)) },
    };
    return { stores, reads };
  }

  async function fanOutWith(stores: Stores, task: FanoutTask) {
    await createSqsFanoutQueue(env.sqs, env.queues.fanout).send(task);
    const event = await receiveAtLeast(env.sqs, env.queues.fanout, 1);
    const handler = createFanoutHandler({ stores, deliveryQueue: createSqsDeliveryQueue(env.sqs, env.queues.delivery), logger: env.logger });
    const response = await handler(event, lambdaContext('fanout'));
    await settle(env.sqs, env.queues.fanout, event, response);
    return response;
  }

  it('the api puts the message type and channels in the task, and fan-out routes by them without reading the message', async () => {
    const app = await createApp(env.stores);
    const url = 'http://127.0.0.1:9/unused';
    const match = await createEndpoint(env.stores, app.id, { url, eventTypes: ['invoice.paid'], channels: ['project_1'] });
    await createEndpoint(env.stores, app.id, { url, channels: ['project_9'] });
    const sent: FanoutTask[] = [];
    const message = await publishMessage({ stores: env.stores, fanoutQueue: { send: async (t) => void sent.push(t) } }, app.id, {
      eventType: 'invoice.paid',
      payload: { n: 1 },
      eventId: null,
      channels: ['project_1'],
      tags: null,
      deliverAt: null,
      retentionHours: 1,
    });
    expect(sent).toEqual([{ kind: 'message', appId: app.id, msgId: message.id, eventType: 'invoice.paid', channels: ['project_1'] }]);

    const { stores, reads } = countingStores();
    expect((await fanOutWith(stores, sent[0]!)).batchItemFailures).toEqual([]);
    expect(reads.messages).toBe(0);
    expect((await drainDeliveryTasks(1)).map((t) => t.endpointId)).toEqual([match.id]);
  });

  it('routes a task without channels (null) by its type alone, and still reads the message for a task queued without the fields', async () => {
    const app = await createApp(env.stores);
    const url = 'http://127.0.0.1:9/unused';
    const plain = await createEndpoint(env.stores, app.id, { url });
    await createEndpoint(env.stores, app.id, { url, channels: ['project_1'] });
    const message = await createMessage(env.stores, app.id, { channels: null });

    const { stores, reads } = countingStores();
    await fanOutWith(stores, { kind: 'message', appId: app.id, msgId: message.id, eventType: message.eventType, channels: null });
    expect(reads.messages).toBe(0);
    expect((await drainDeliveryTasks(1)).map((t) => t.endpointId)).toEqual([plain.id]);

    await fanOutWith(stores, { kind: 'message', appId: app.id, msgId: message.id });
    expect(reads.messages).toBe(1);
    expect((await drainDeliveryTasks(1)).map((t) => t.endpointId)).toEqual([plain.id]);
  });
});
