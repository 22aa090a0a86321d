/**
 * The delivery handler end to end: real fauxqs delivery queue, real DynamoDB Local stores, the real
 * node:http webhook sender, and a node:http receiver that verifies signatures with `standardwebhooks`.
 * Success, retries through the visibility timeout, exhaustion, manual attempts, timeouts and 410.
 */
import { createSqsTaskVisibility } from '../../functions/adapters/sqs/queues.ts';
import { AttemptStatus, TriggerType } from '../../functions/core/model.ts';
import { createMessage, status } from './deliver-fixtures.ts';
import { startDeliveryHarness, type DeliveryHarness } from './deliver-harness.ts';
import { receiveEvent } from './sqs-event-helpers.ts';

let h: DeliveryHarness;

beforeAll(async () => {
  h = await startDeliveryHarness('deliver-');
});

afterAll(async () => {
  await h.stop();
});

afterEach(async () => {
  expect(await h.queueIsEmpty()).toBe(true);
});

describe('delivery handler', () => {
  it('delivers a signed webhook and records a successful attempt', async () => {
    const endpoint = await h.endpointWithReceiver({ headers: { 'X-Tenant': 'acme' } });
    const message = await createMessage(h.env.stores, h.appId, { channels: ['ch1'], tags: ['t1'] });
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    const { response } = await h.runOnce(h.handler());
    expect(response.batchItemFailures).toEqual([]);

    const [hit] = h.hitsOf(endpoint);
    expect(hit?.verifyError).toBeUndefined();
    expect(hit?.verified).toEqual(message.payload);
    expect(hit?.body).toBe(JSON.stringify(message.payload));
    expect(hit?.headers['svix-id']).toBe(message.id);
    expect(hit?.headers['x-tenant']).toBe('acme');

    const [attempt, ...more] = await h.attemptsOf(message.id);
    expect(more).toEqual([]);
    expect(attempt).toMatchObject({
      endpointId: endpoint.id,
      url: endpoint.url,
      status: AttemptStatus.Success,
      responseStatusCode: 200,
      response: 'ok',
      attemptNumber: 1,
      triggerType: TriggerType.Scheduled,
      eventType: 'invoice.paid',
      channels: ['ch1'],
      tags: ['t1'],
    });
    expect(attempt!.responseDurationMs).toBeGreaterThanOrEqual(0);
    // A first attempt that succeeds writes the attempt only (one write unit): no status to track.
    expect(await h.statusOf(message.id, endpoint.id)).toBeUndefined();
  });

  it('retries a failure through the visibility timeout, then succeeds on the next receive', async () => {
    const endpoint = await h.endpointWithReceiver();
    h.receiver.script(h.pathOf(endpoint), status(500, 'boom'), status(200, 'ok'));
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    const run = h.handler([1, 1]);
    const first = await h.runOnce(run);
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: first.event.Records[0]!.messageId }]);
    const pending = await h.statusOf(message.id, endpoint.id);
    expect(pending).toMatchObject({ status: AttemptStatus.Pending, attempts: 1 });
    expect(Date.parse(pending!.nextAttemptAt!)).toBeGreaterThan(Date.now() - 1000);
    // Hidden for the delay, not handed straight back.
    expect((await receiveEvent(h.env.sqs, h.env.queues.delivery, { waitSeconds: 0 })).Records).toEqual([]);

    const second = await h.runOnce(run);
    expect(second.event.Records[0]!.messageId).toBe(first.event.Records[0]!.messageId);
    expect(second.event.Records[0]!.attributes.ApproximateReceiveCount).toBe('2');
    expect(second.response.batchItemFailures).toEqual([]);

    const attempts = await h.attemptsOf(message.id);
    expect(attempts.map((a) => [a.attemptNumber, a.status, a.responseStatusCode, a.response])).toEqual([
      [1, AttemptStatus.Fail, 500, 'boom'],
      [2, AttemptStatus.Success, 200, 'ok'],
    ]);
    expect(h.hitsOf(endpoint).every((h) => h.verifyError === undefined)).toBe(true);
    expect(await h.statusOf(message.id, endpoint.id)).toMatchObject({ status: AttemptStatus.Success, attempts: 2, nextAttemptAt: null });
  });

  it('records Fail and removes the task once the schedule is exhausted', async () => {
    const endpoint = await h.endpointWithReceiver();
    h.receiver.script(h.pathOf(endpoint), status(503, 'down'));
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    const run = h.handler([1]);
    expect((await h.runOnce(run)).response.batchItemFailures).toHaveLength(1);
    expect((await h.runOnce(run)).response.batchItemFailures).toEqual([]);

    const attempts = await h.attemptsOf(message.id);
    expect(attempts.map((a) => [a.attemptNumber, a.status])).toEqual([
      [1, AttemptStatus.Fail],
      [2, AttemptStatus.Fail],
    ]);
    expect(await h.statusOf(message.id, endpoint.id)).toMatchObject({ status: AttemptStatus.Fail, attempts: 2, nextAttemptAt: null });
  });

  it('makes exactly one attempt for a manual task', async () => {
    const endpoint = await h.endpointWithReceiver();
    h.receiver.script(h.pathOf(endpoint), status(500));
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Manual });

    expect((await h.runOnce(h.handler())).response.batchItemFailures).toEqual([]);
    const attempts = await h.attemptsOf(message.id);
    expect(attempts.map((a) => [a.triggerType, a.status])).toEqual([[TriggerType.Manual, AttemptStatus.Fail]]);
    expect(await h.statusOf(message.id, endpoint.id)).toMatchObject({ status: AttemptStatus.Fail, nextAttemptAt: null });
  });

  it('waits at least 60 s after a timeout', async () => {
    const endpoint = await h.endpointWithReceiver();
    h.receiver.script(h.pathOf(endpoint), () => undefined); // never answers
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    const before = Date.now();
    const { event, response } = await h.runOnce(h.handler([1]));
    expect(response.batchItemFailures).toHaveLength(1);
    const [attempt] = await h.attemptsOf(message.id);
    expect(attempt).toMatchObject({ status: AttemptStatus.Fail, responseStatusCode: 0, response: 'No response within 0.7 s' });
    const next = Date.parse((await h.statusOf(message.id, endpoint.id))!.nextAttemptAt!);
    expect(next - before).toBeGreaterThanOrEqual(59_000);
    // The task itself is hidden for those 60 s (schedule said 1 s): the real ChangeMessageVisibility value.
    expect(h.visibilityChanges.filter((c) => c.receiptHandle === event.Records[0]!.receiptHandle).map((c) => c.seconds)).toEqual([60]);
    expect((await receiveEvent(h.env.sqs, h.env.queues.delivery, { waitSeconds: 0 })).Records).toEqual([]);
    // Clean up: hand the hidden task back now and let an empty schedule end it.
    await createSqsTaskVisibility(h.env.sqs, h.env.queues.delivery).delay(event.Records[0]!.receiptHandle, 0);
    expect((await h.runOnce(h.handler([]))).response.batchItemFailures).toEqual([]);
  });

  it('does not retry 410 Gone', async () => {
    const endpoint = await h.endpointWithReceiver();
    h.receiver.script(h.pathOf(endpoint), status(410, 'gone'));
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    expect((await h.runOnce(h.handler())).response.batchItemFailures).toEqual([]);
    expect((await h.attemptsOf(message.id)).map((a) => [a.status, a.responseStatusCode])).toEqual([[AttemptStatus.Fail, 410]]);
    expect(await h.statusOf(message.id, endpoint.id)).toMatchObject({ status: AttemptStatus.Fail, nextAttemptAt: null });
  });
});
