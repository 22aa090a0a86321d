/**
 * The delivery handler's test bench: emulators, receiver and sender started together, plus helpers
 * that queue tasks, run one receive → handler → settle cycle, and read back attempts and statuses.
 */
import { createWebhookSender, type ClosableWebhookSender } from '../../functions/adapters/http/webhook-sender.ts';
import { createSqsDeliveryQueue, createSqsTaskVisibility } from '../../functions/adapters/sqs/queues.ts';
import { createDeliveryHandler, type DeliveryHandlerDeps } from '../../functions/deliver/handler.ts';
import type { DeliveryStatus, Endpoint, MessageAttempt } from '../../functions/core/model.ts';
import type { Stores } from '../../functions/core/ports.ts';
import type { DeliveryTask } from '../../functions/core/tasks/tasks.ts';
import { createApp, createEndpoint, newSecret, queueDepth, settle, startReceiver, startTestEnv, type Receiver, type ReceivedWebhook, type TestEnv } from './deliver-fixtures.ts';
import { lambdaContext, receiveAtLeast } from './sqs-event-helpers.ts';

export type DeliveryRun = ReturnType<typeof createDeliveryHandler>;

export interface DeliveryHarness {
  env: TestEnv;
  receiver: Receiver;
  sender: ClosableWebhookSender;
  appId: string;
  /**
   * A handler with this schedule (default two 1 s retries) and no jitter (random 0.5); `extra`
   * overrides other deps (e.g. the clock).
   */
  handler(schedule?: number[], stores?: Stores, extra?: Partial<DeliveryHandlerDeps>): DeliveryRun;
  /** Every ChangeMessageVisibility the handlers made (the real SQS call is made too), in order. */
  visibilityChanges: { receiptHandle: string; seconds: number }[];
  /** An endpoint of the app pointing at its own receiver path, whose secret the receiver verifies. */
  endpointWithReceiver(overrides?: Partial<Endpoint>): Promise<Endpoint>;
  pathOf(endpoint: Endpoint): string;
  hitsOf(endpoint: Endpoint): ReceivedWebhook[];
  queue(...tasks: DeliveryTask[]): Promise<void>;
  /** Receives `count` tasks, runs `run` on them, and settles them like Lambda's event source mapping. */
  runOnce(run: DeliveryRun, count?: number): Promise<{ event: Awaited<ReturnType<typeof receiveAtLeast>>; response: Awaited<ReturnType<DeliveryRun>> }>;
  attemptsOf(msgId: string): Promise<MessageAttempt[]>;
  statusOf(msgId: string, endpointId: string): Promise<DeliveryStatus | undefined>;
  /** Every test leaves the delivery queue empty, so the next receives only its own tasks. */
  queueIsEmpty(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startDeliveryHarness(prefix: string, senderTimeoutMs = 700): Promise<DeliveryHarness> {
  const [env, receiver] = await Promise.all([startTestEnv(prefix), startReceiver()]);
  const sender = createWebhookSender({ timeoutMs: senderTimeoutMs });
  const appId = (await createApp(env.stores)).id;
  let pathCounter = 0;
  const pathOf = (endpoint: Endpoint): string => new URL(endpoint.url).pathname;
  const visibilityChanges: DeliveryHarness['visibilityChanges'] = [];
  const sqsVisibility = createSqsTaskVisibility(env.sqs, env.queues.delivery);
  const recordingVisibility: DeliveryHandlerDeps['visibility'] = {
    async delay(receiptHandle, seconds) {
      visibilityChanges.push({ receiptHandle, seconds });
      await sqsVisibility.delay(receiptHandle, seconds);
    },
  };

  return {
    env,
    receiver,
    sender,
    appId,
    visibilityChanges,
    handler: (schedule = [1, 1], stores = env.stores, extra = {}) =>
      createDeliveryHandler({
        stores,
        sender,
        visibility: recordingVisibility,
        retryScheduleSeconds: schedule,
        logger: env.logger,
        random: () => 0.5,
        ...extra,
      }),
    async endpointWithReceiver(overrides = {}) {
      const path = `/hook-${++pathCounter}`;
      const secret = newSecret();
      receiver.secret(path, secret);
      return createEndpoint(env.stores, appId, { url: receiver.url(path), secrets: [{ key: secret, expiresAt: null }], ...overrides });
    },
    pathOf,
    hitsOf: (endpoint) => receiver.received.filter((r) => r.path === pathOf(endpoint)),
    async queue(...tasks) {
      await createSqsDeliveryQueue(env.sqs, env.queues.delivery).sendAll(tasks);
    },
    async runOnce(run, count = 1) {
      const event = await receiveAtLeast(env.sqs, env.queues.delivery, count);
      if (event.Records.length !== count) throw new Error(`expected ${count} tasks, received ${event.Records.length}`);
      const response = await run(event, lambdaContext('deliver'));
      await settle(env.sqs, env.queues.delivery, event, response);
      return { event, response };
    },
    async attemptsOf(msgId) {
      return (await env.stores.attempts.listByMessage(appId, msgId, { limit: 50, order: 'ascending' }, {})).items;
    },
    async statusOf(msgId, endpointId) {
      return (await env.stores.attempts.statusesForEndpoint(appId, endpointId, msgId, msgId))[0];
    },
    async queueIsEmpty() {
      return (await queueDepth(env.sqs, env.queues.delivery)) === 0;
    },
    async stop() {
      await sender.close();
      await receiver.close();
      await env.stop();
    },
  };
}
