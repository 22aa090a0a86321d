/**
 * Attempt numbers come from the attempt log, not from the queue's receive count: a worker that dies
 * mid-attempt (simulated by abandoning a handler whose request never returns, so nothing is recorded
 * and the task is not settled) leaves the log gap-free, and a worker that dies after logging does not
 * cause a second POST. Also: DNS and connection errors are retried like a 5xx, and 410 Gone disables
 * the endpoint at once and queues endpoint.disabled. Real fauxqs, DynamoDB Local and HTTP receiver.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createEndpointHealthStore } from '../../functions/adapters/dynamo/endpoint-health.ts';
import { createWebhookSender } from '../../functions/adapters/http/webhook-sender.ts';
import { createSqsOperationalQueue, createSqsTaskVisibility } from '../../functions/adapters/sqs/queues.ts';
import type { WebhookSender } from '../../functions/core/delivery/sender.ts';
import { AttemptStatus, TriggerType } from '../../functions/core/model.ts';
import { createDeliveryHandler } from '../../functions/deliver/handler.ts';
import { createMessage, settle, status } from './deliver-fixtures.ts';
import { startDeliveryHarness, type DeliveryHarness } from './deliver-harness.ts';
import { lambdaContext, receiveAtLeast } from './sqs-event-helpers.ts';

let h: DeliveryHarness;

beforeAll(async () => {
  h = await startDeliveryHarness('reliability-');
});

afterAll(async () => {
  await h.stop();
});

afterEach(async () => {
  expect(await h.queueIsEmpty()).toBe(true);
});

function handlerWith(sender: WebhookSender, schedule = [1, 1, 1], operational = false) {
  return createDeliveryHandler({
    stores: h.env.stores,
    sender,
    visibility: createSqsTaskVisibility(h.env.sqs, h.env.queues.delivery),
    retryScheduleSeconds: schedule,
    logger: h.env.logger,
    random: () => 0.5,
    healthStore: createEndpointHealthStore({ client: h.env.dynamo, name: 'reliability-table' }),
    ...(operational ? { operationalQueue: createSqsOperationalQueue(h.env.sqs, h.env.queues.delivery) } : {}),
  });
}

/** A sender whose request never returns: the worker "dies" during the attempt. */
const hangingSender: WebhookSender = { send: () => new Promise(() => undefined) };

/** Receives the task, starts the handler on it and abandons it: no record, no settle (like a SIGKILL). */
async function crashDuringAttempt(run: ReturnType<typeof handlerWith>): Promise<string> {
  const event = await receiveAtLeast(h.env.sqs, h.env.queues.delivery, 1);
  void run(event, lambdaContext('deliver'));
  await new Promise((r) => setTimeout(r, 200));
  // The queue hands the task back once the dead invocation's visibility timeout passes; here at once.
  await createSqsTaskVisibility(h.env.sqs, h.env.queues.delivery).delay(event.Records[0]!.receiptHandle, 0);
  return event.Records[0]!.messageId;
}

describe('attempts counted exactly', () => {
  it('a worker dying mid-attempt skips no number and does not shorten the schedule', async () => {
    const endpoint = await h.endpointWithReceiver();
    h.receiver.script(h.pathOf(endpoint), status(500, 'first'), status(500, 'second'), status(200, 'ok'));
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    const run = handlerWith(h.sender, [1, 1]);
    expect((await h.runOnce(run)).response.batchItemFailures).toHaveLength(1); // attempt 1: 500
    await new Promise((r) => setTimeout(r, 1_100));
    await crashDuringAttempt(handlerWith(hangingSender, [1, 1])); // attempt 2 dies: nothing logged
    const second = await h.runOnce(run); // receive 3: still attempt 2
    expect(second.event.Records[0]!.attributes.ApproximateReceiveCount).toBe('3');
    expect(second.response.batchItemFailures).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_100));
    // With the receive count as the number, this would be attempt 4 and past a [1, 1] schedule's end.
    expect((await h.runOnce(run)).response.batchItemFailures).toEqual([]);

    const attempts = await h.attemptsOf(message.id);
    expect(attempts.map((a) => [a.attemptNumber, a.status, a.response])).toEqual([
      [1, AttemptStatus.Fail, 'first'],
      [2, AttemptStatus.Fail, 'second'],
      [3, AttemptStatus.Success, 'ok'],
    ]);
    expect(await h.statusOf(message.id, endpoint.id)).toMatchObject({ status: AttemptStatus.Success, attempts: 3 });
  });

  it('a worker dying after logging a success does not send again', async () => {
    const endpoint = await h.endpointWithReceiver();
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    const run = handlerWith(h.sender);
    const event = await receiveAtLeast(h.env.sqs, h.env.queues.delivery, 1);
    expect((await run(event, lambdaContext('deliver'))).batchItemFailures).toEqual([]);
    // Died before the event source mapping deleted the task: it comes back.
    await createSqsTaskVisibility(h.env.sqs, h.env.queues.delivery).delay(event.Records[0]!.receiptHandle, 0);
    const again = await h.runOnce(run);
    expect(again.response.batchItemFailures).toEqual([]);
    expect(h.hitsOf(endpoint)).toHaveLength(1);
    expect((await h.attemptsOf(message.id)).map((a) => a.attemptNumber)).toEqual([1]);
  });

  it('a worker dying after logging the last failure repeats message.attempt.exhausted, under the same webhook-id', async () => {
    const endpoint = await h.endpointWithReceiver();
    h.receiver.script(h.pathOf(endpoint), status(500, 'down'));
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    const run = handlerWith(h.sender, [], true); // a single attempt
    const event = await receiveAtLeast(h.env.sqs, h.env.queues.delivery, 1);
    expect((await run(event, lambdaContext('deliver'))).batchItemFailures).toEqual([]);
    // Died before the task was deleted: it comes back, finds the schedule exhausted, sends nothing.
    await createSqsTaskVisibility(h.env.sqs, h.env.queues.delivery).delay(event.Records[0]!.receiptHandle, 0);
    const again = await receiveAtLeast(h.env.sqs, h.env.queues.delivery, 2);
    const task = again.Records.find((r) => r.messageId === event.Records[0]!.messageId)!;
    const notices = again.Records.filter((r) => r !== task);
    const replay = await run({ Records: [task] }, lambdaContext('deliver'));
    expect(replay.batchItemFailures).toEqual([]);
    await settle(h.env.sqs, h.env.queues.delivery, { Records: [task] }, replay);
    expect(h.hitsOf(endpoint)).toHaveLength(1);
    expect((await h.attemptsOf(message.id)).map((a) => a.attemptNumber)).toEqual([1]);

    const repeat = await receiveAtLeast(h.env.sqs, h.env.queues.delivery, 1);
    const all = [...notices, ...repeat.Records];
    const ids = all.map((r) => (JSON.parse(r.body) as { id: string; event: { type: string } }));
    expect(ids.map((b) => b.event.type)).toEqual(['message.attempt.exhausted', 'message.attempt.exhausted']);
    expect(ids[0]!.id).toBe(ids[1]!.id);
    await settle(h.env.sqs, h.env.queues.delivery, { Records: all }, { batchItemFailures: [] });
  });

  it('retries connection refused and DNS failures like a 5xx', async () => {
    const refusedEndpoint = await h.endpointWithReceiver({ url: 'http://127.0.0.1:9/closed-port' });
    const dnsSender = createWebhookSender({
      timeoutMs: 700,
      checkAddress: () => undefined,
      resolveAll: async (host) => {
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      },
    });
    const dnsEndpoint = await h.endpointWithReceiver({ url: 'http://hooks.example.test/webhook' });
    const message = await createMessage(h.env.stores, h.appId);
    try {
      for (const [endpoint, sender] of [[refusedEndpoint, h.sender], [dnsEndpoint, dnsSender]] as const) {
        await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });
        const run = handlerWith(sender, [1]);
        expect((await h.runOnce(run)).response.batchItemFailures).toHaveLength(1);
        const pending = await h.statusOf(message.id, endpoint.id);
        expect(pending).toMatchObject({ status: AttemptStatus.Pending, attempts: 1 });
        await new Promise((r) => setTimeout(r, 1_100));
        expect((await h.runOnce(run)).response.batchItemFailures).toEqual([]); // attempt 2, the last
      }
      const byEndpoint = (id: string) => h.attemptsOf(message.id).then((all) => all.filter((a) => a.endpointId === id));
      const refused = await byEndpoint(refusedEndpoint.id);
      expect(refused.map((a) => [a.attemptNumber, a.responseStatusCode])).toEqual([[1, 0], [2, 0]]);
      expect(refused[0]!.response).toMatch(/ECONNREFUSED/);
      const dns = await byEndpoint(dnsEndpoint.id);
      expect(dns.map((a) => a.attemptNumber)).toEqual([1, 2]);
      expect(dns[0]!.response).toMatch(/ENOTFOUND|DNS/);
    } finally {
      await dnsSender.close();
    }
  });

  it('410 Gone disables the endpoint at once and queues endpoint.disabled and message.attempt.exhausted', async () => {
    const endpoint = await h.endpointWithReceiver();
    h.receiver.script(h.pathOf(endpoint), status(410, 'gone'));
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    expect((await h.runOnce(handlerWith(h.sender, [1], true))).response.batchItemFailures).toEqual([]);
    expect((await h.env.stores.endpoints.get(h.appId, endpoint.id))?.disabled).toBe(true);

    const queued = await h.env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: h.env.queues.delivery, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const bodies = (queued.Messages ?? []).map((m) => JSON.parse(m.Body!) as { kind: string; event: { type: string; data: Record<string, unknown> } });
    expect(bodies.map((b) => b.event.type).sort()).toEqual(['endpoint.disabled', 'message.attempt.exhausted']);
    const disabled = bodies.find((b) => b.event.type === 'endpoint.disabled')!;
    expect(disabled.event.data).toMatchObject({ appId: h.appId, endpointId: endpoint.id, failSince: null, trigger: 'automatic' });
    await settle(h.env.sqs, h.env.queues.delivery, { Records: (queued.Messages ?? []).map((m) => ({ receiptHandle: m.ReceiptHandle!, messageId: m.MessageId! })) } as never, { batchItemFailures: [] });

    // The next task for it is dropped: nothing sent.
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });
    expect((await h.runOnce(handlerWith(h.sender))).response.batchItemFailures).toEqual([]);
    expect(h.hitsOf(endpoint)).toHaveLength(1);
  });
});
