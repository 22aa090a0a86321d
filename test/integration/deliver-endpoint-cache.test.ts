/**
 * The delivery worker's endpoint reads: a per-worker cache with a TTL on top of the per-batch reads,
 * eventually consistent reads whose misses are confirmed consistently, retries and manual attempts
 * skipping the cache, and the documented consequence (an edit reaches first attempts within the TTL):
 * a disabled endpoint stops receiving, a rotated secret signs with both keys. Also the log levels of
 * the delivery path (successes at DEBUG). Real DynamoDB Local, fauxqs and HTTP receiver.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Webhook } from 'standardwebhooks';
import { createSqsTaskVisibility } from '../../functions/adapters/sqs/queues.ts';
import { AttemptStatus, TriggerType, type Endpoint } from '../../functions/core/model.ts';
import type { EndpointStore, MessageStore, ReadConsistency, Stores } from '../../functions/core/ports.ts';
import { createDeliveryHandler } from '../../functions/deliver/handler.ts';
import { captureFunctionLogs } from '../../bench/log-capture.ts';
import { createMessage, newSecret, status } from './deliver-fixtures.ts';
import { startDeliveryHarness, type DeliveryHarness } from './deliver-harness.ts';

let h: DeliveryHarness;

beforeAll(async () => {
  h = await startDeliveryHarness('epcache-');
});

afterAll(async () => {
  await h.stop();
});

afterEach(async () => {
  expect(await h.queueIsEmpty()).toBe(true);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Reads {
  endpoints: (boolean | undefined)[];
  messages: (boolean | undefined)[];
}

/**
 * The real stores, with endpoint and message reads recorded (their `consistent` option). With
 * `lagging`, an eventually consistent read misses, as a replica that has not seen the write would.
 */
function recordingStores(lagging = false): { stores: Stores; reads: Reads } {
  const reads: Reads = { endpoints: [], messages: [] };
  const base = h.env.stores;
  const miss = (options?: ReadConsistency) => lagging && options?.consistent === false;
  const endpoints: EndpointStore = {
    ...base.endpoints,
    get: async (appId, id, options) => {
      reads.endpoints.push(options?.consistent);
      return miss(options) ? undefined : base.endpoints.get(appId, id, options);
    },
  };
  const messages: MessageStore = {
    ...base.messages,
    get: async (appId, id, options) => {
      reads.messages.push(options?.consistent);
      return miss(options) ? undefined : base.messages.get(appId, id, options);
    },
  };
  return { stores: { ...base, endpoints, messages }, reads };
}

function handler(stores: Stores, endpointCacheSeconds: number, logger = h.env.logger) {
  return createDeliveryHandler({
    stores,
    sender: h.sender,
    visibility: createSqsTaskVisibility(h.env.sqs, h.env.queues.delivery),
    retryScheduleSeconds: [1, 1],
    logger,
    random: () => 0.5,
    endpointCacheSeconds,
  });
}

async function deliverOne(run: ReturnType<typeof handler>, endpoint: Endpoint, triggerType: TriggerType = TriggerType.Scheduled) {
  const message = await createMessage(h.env.stores, h.appId);
  await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType });
  await h.runOnce(run);
  return message;
}

async function disable(endpoint: Endpoint): Promise<void> {
  await h.env.stores.endpoints.update({ ...endpoint, disabled: true }, endpoint);
}

describe('endpoint cache', () => {
  it('reads an endpoint once per TTL across batches, eventually consistent', async () => {
    const endpoint = await h.endpointWithReceiver();
    const { stores, reads } = recordingStores();
    const run = handler(stores, 60);
    await deliverOne(run, endpoint);
    await deliverOne(run, endpoint);
    await deliverOne(run, endpoint);
    expect(h.hitsOf(endpoint)).toHaveLength(3);
    expect(reads.endpoints).toEqual([false]);
    expect(reads.messages).toEqual([false, false, false]);
  });

  it('is off at 0 seconds: every batch reads the endpoint', async () => {
    const endpoint = await h.endpointWithReceiver();
    const { stores, reads } = recordingStores();
    const run = handler(stores, 0);
    await deliverOne(run, endpoint);
    await deliverOne(run, endpoint);
    expect(reads.endpoints).toEqual([false, false]);
  });

  it('confirms an eventually consistent miss with a consistent read (a lagging replica drops nothing)', async () => {
    const endpoint = await h.endpointWithReceiver();
    const { stores, reads } = recordingStores(true);
    const message = await deliverOne(handler(stores, 60), endpoint);
    expect(h.hitsOf(endpoint).map((r) => r.headers['webhook-id'])).toEqual([message.id]);
    expect(reads.endpoints).toEqual([false, true]);
    expect(reads.messages).toEqual([false, true]);
  });

  it('a disabled endpoint stops receiving within the TTL', async () => {
    const endpoint = await h.endpointWithReceiver();
    const run = handler(h.env.stores, 3);
    await deliverOne(run, endpoint);
    await disable(endpoint);
    // Within the TTL the worker still has the enabled endpoint (the documented consequence).
    await deliverOne(run, endpoint);
    expect(h.hitsOf(endpoint)).toHaveLength(2);
    await sleep(3_100);
    const late = await deliverOne(run, endpoint);
    expect(h.hitsOf(endpoint)).toHaveLength(2);
    expect(await h.attemptsOf(late.id)).toEqual([]);
  });

  it('after a rotation with a grace period, signs with both keys once the TTL has passed', async () => {
    const endpoint = await h.endpointWithReceiver();
    const oldKey = endpoint.secrets[0]!.key;
    const run = handler(h.env.stores, 1);
    await deliverOne(run, endpoint);
    const newKey = newSecret();
    const graceEnds = new Date(Date.now() + 3_600_000).toISOString();
    await h.env.stores.endpoints.update({ ...endpoint, secrets: [{ key: newKey, expiresAt: null }, { key: oldKey, expiresAt: graceEnds }] }, endpoint);
    await sleep(1_100);
    const message = await deliverOne(run, endpoint);

    const hit = h.hitsOf(endpoint).at(-1)!;
    expect(hit.headers['webhook-id']).toBe(message.id);
    expect(String(hit.headers['webhook-signature']).split(' ')).toHaveLength(2);
    const headers = {
      'webhook-id': String(hit.headers['webhook-id']),
      'webhook-timestamp': String(hit.headers['webhook-timestamp']),
      'webhook-signature': String(hit.headers['webhook-signature']),
    };
    expect(new Webhook(newKey).verify(hit.body, headers)).toEqual(message.payload);
    expect(new Webhook(oldKey).verify(hit.body, headers)).toEqual(message.payload);
  });

  it('a retry skips the cache: an endpoint disabled after a failure gets no second attempt', async () => {
    const endpoint = await h.endpointWithReceiver();
    h.receiver.script(h.pathOf(endpoint), status(500, 'down'));
    const run = handler(h.env.stores, 60);
    const message = await deliverOne(run, endpoint);
    expect((await h.statusOf(message.id, endpoint.id))?.status).toBe(AttemptStatus.Pending);
    await disable(endpoint);
    await sleep(1_000); // the 1 s retry delay
    const { response } = await h.runOnce(run);
    expect(response.batchItemFailures).toEqual([]);
    expect(h.hitsOf(endpoint)).toHaveLength(1);
    expect(await h.attemptsOf(message.id)).toHaveLength(1);
  });

  it('a manual attempt reads the endpoint strongly consistent, past the cache', async () => {
    const endpoint = await h.endpointWithReceiver();
    const { stores, reads } = recordingStores();
    const run = handler(stores, 60);
    await deliverOne(run, endpoint);
    await disable(endpoint);
    await deliverOne(run, endpoint, TriggerType.Manual);
    expect(reads.endpoints).toEqual([false, true]);
    expect(h.hitsOf(endpoint)).toHaveLength(1);
    // The manual read refreshed the worker's cache: the next first attempt sees the disable too
    // (and, dropping, confirms it with a consistent read).
    await deliverOne(run, endpoint);
    expect(h.hitsOf(endpoint)).toHaveLength(1);
    expect(reads.endpoints).toEqual([false, true, true]);
  });

  it('never drops on the cache\'s word: a re-enabled endpoint gets the next message within the TTL', async () => {
    const endpoint = await h.endpointWithReceiver({ disabled: true });
    const run = handler(h.env.stores, 60);
    await deliverOne(run, endpoint);
    expect(h.hitsOf(endpoint)).toHaveLength(0);
    await h.env.stores.endpoints.update({ ...endpoint, disabled: false }, endpoint);
    const message = await deliverOne(run, endpoint);
    expect(h.hitsOf(endpoint).map((r) => r.headers['webhook-id'])).toEqual([message.id]);
  });
});

describe('delivery logs at the deployed level (INFO)', () => {
  it('a success writes no log line; a failure does', async () => {
    const endpoint = await h.endpointWithReceiver();
    const capture = captureFunctionLogs();
    try {
      const run = handler(h.env.stores, 0, new Logger({ serviceName: 'epcache-logs', logLevel: 'INFO' }));
      await deliverOne(run, endpoint);
      expect(h.hitsOf(endpoint)).toHaveLength(1);
      expect(capture.totalBytes()).toBe(0);

      h.receiver.script(h.pathOf(endpoint), status(400, 'bad'));
      await deliverOne(run, endpoint, TriggerType.Manual);
      expect(capture.bytesByService()['epcache-logs']).toBeGreaterThan(0);
    } finally {
      capture.restore();
    }
  });
});
