/**
 * The delivery handler with two lanes (functions/core/isolation/endpoint-lanes.ts), against the
 * emulators: a fast-lane task of an endpoint marked slow is moved to the slow lane, not attempted;
 * there it keeps its place in the schedule (its attempt number comes from the log, though it is a
 * new queue message), and its retry is scheduled on the slow lane's queue.
 */
import { createSqsDeliveryQueue, createSqsTaskVisibility } from '../../functions/adapters/sqs/queues.ts';
import { TriggerType } from '../../functions/core/model.ts';
import { createMessage, status } from './deliver-fixtures.ts';
import { startDeliveryHarness, type DeliveryHarness } from './deliver-harness.ts';
import { lambdaContext, receiveAtLeast } from './sqs-event-helpers.ts';
import { settle } from './deliver-fixtures.ts';

let h: DeliveryHarness;

beforeAll(async () => {
  h = await startDeliveryHarness('lanes_');
});

afterAll(async () => {
  await h?.stop();
});

test('a retry of an endpoint marked slow moves to the slow lane and is numbered from the log there', async () => {
  const { env } = h;
  const slowVisibility: { seconds: number }[] = [];
  const slowQueueVisibility = createSqsTaskVisibility(env.sqs, env.queues.deliverySlow);
  const run = h.handler([1, 1], env.stores, {
    slowLane: {
      queue: createSqsDeliveryQueue(env.sqs, env.queues.deliverySlow),
      visibility: {
        async delay(receiptHandle, seconds) {
          slowVisibility.push({ seconds });
          await slowQueueVisibility.delay(receiptHandle, seconds);
        },
      },
    },
  });
  const endpoint = await h.endpointWithReceiver();
  h.receiver.script(h.pathOf(endpoint), status(500, 'down'), status(500, 'down'), status(200, 'ok'));
  const message = await createMessage(env.stores, h.appId);
  await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

  // Attempt 1 in the fast lane fails; its retry is due in 1 s on the fast queue.
  const first = await h.runOnce(run);
  expect(first.response.batchItemFailures).toHaveLength(1);
  expect(h.hitsOf(endpoint)).toHaveLength(1);

  // Meanwhile the endpoint was found slow: the retry is moved, not attempted, in the fast lane.
  await env.stores.endpoints.setSlowUntil(h.appId, endpoint.id, new Date(Date.now() + 600_000).toISOString());
  const moved = await h.runOnce(run);
  expect(moved.response.batchItemFailures).toEqual([]);
  expect(h.hitsOf(endpoint)).toHaveLength(1);
  expect(await h.queueIsEmpty()).toBe(true);

  // In the slow lane: attempt 2 (from the log, although this queue message is received for the first time).
  const slowEvent = await receiveAtLeast(env.sqs, env.queues.deliverySlow, 1);
  expect(JSON.parse(slowEvent.Records[0]!.body)).toMatchObject({ msgId: message.id, diverted: true });
  const slowResponse = await run(slowEvent, lambdaContext('deliver'));
  await settle(env.sqs, env.queues.deliverySlow, slowEvent, slowResponse);
  expect(slowResponse.batchItemFailures).toHaveLength(1);
  expect(slowVisibility).toEqual([{ seconds: 1 }]);
  const attempts = await h.attemptsOf(message.id);
  expect(attempts.map((a) => a.attemptNumber).sort()).toEqual([1, 2]);

  // A marked endpoint's task in the slow lane is attempted there, not moved again.
  const retryEvent = await receiveAtLeast(env.sqs, env.queues.deliverySlow, 1, 15_000);
  const retryResponse = await run(retryEvent, lambdaContext('deliver'));
  await settle(env.sqs, env.queues.deliverySlow, retryEvent, retryResponse);
  expect(retryResponse.batchItemFailures).toEqual([]);
  expect((await h.attemptsOf(message.id)).map((a) => a.attemptNumber).sort()).toEqual([1, 2, 3]);
  // It answered quickly: the mark is gone, so fan-out routes the endpoint's next messages to the fast lane.
  expect((await env.stores.endpoints.get(h.appId, endpoint.id))?.slowUntil).toBeUndefined();
});
