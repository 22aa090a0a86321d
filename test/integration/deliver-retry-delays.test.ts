/**
 * The retry delay from the receiver's answer to the queue, through the real pieces: the node:http
 * sender parses `Retry-After`, the retry policy clamps it, and the delivery handler sets it as the
 * task's visibility timeout with a real ChangeMessageVisibility on fauxqs. The harness records each
 * visibility change it forwards, so these tests see the exact number SQS was given (a hidden task
 * alone would not tell 1 s from 150 s). Also: every attempt is signed afresh, with its own timestamp.
 */
import type { ServerResponse } from 'node:http';
import { createSqsTaskVisibility } from '../../functions/adapters/sqs/queues.ts';
import { TriggerType } from '../../functions/core/model.ts';
import { createMessage, status } from './deliver-fixtures.ts';
import { startDeliveryHarness, type DeliveryHarness } from './deliver-harness.ts';

let h: DeliveryHarness;

beforeAll(async () => {
  // The sender's deadline is 0.7 s, so the hanging receiver below times out quickly.
  h = await startDeliveryHarness('deliver-delays-');
});

afterAll(async () => {
  await h.stop();
});

afterEach(async () => {
  expect(await h.queueIsEmpty()).toBe(true);
});

const answer =
  (code: number, headers: Record<string, string>) =>
  (res: ServerResponse): void => {
    res.writeHead(code, { 'content-type': 'text/plain', ...headers }).end('busy');
  };

/**
 * One failed first attempt against a receiver answering `responder`; returns the visibility timeout the
 * handler gave the task and the stored nextAttemptAt, then ends the task (hands it back at once and
 * lets an empty schedule drop it) so the queue is empty for the next test.
 */
async function failOnce(responder: (res: ServerResponse) => void, schedule: number[]): Promise<{ seconds: number; nextInSeconds: number }> {
  const endpoint = await h.endpointWithReceiver();
  h.receiver.script(h.pathOf(endpoint), responder);
  const message = await createMessage(h.env.stores, h.appId);
  await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

  const changesBefore = h.visibilityChanges.length;
  const before = Date.now();
  const { event, response } = await h.runOnce(h.handler(schedule));
  expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
  const changes = h.visibilityChanges.slice(changesBefore);
  expect(changes.map((c) => c.receiptHandle)).toEqual([event.Records[0]!.receiptHandle]);
  const next = Date.parse((await h.statusOf(message.id, endpoint.id))!.nextAttemptAt!);

  await createSqsTaskVisibility(h.env.sqs, h.env.queues.delivery).delay(event.Records[0]!.receiptHandle, 0);
  expect((await h.runOnce(h.handler([]))).response.batchItemFailures).toEqual([]);
  return { seconds: changes[0]!.seconds, nextInSeconds: (next - before) / 1000 };
}

describe('retry delays reach ChangeMessageVisibility', () => {
  it('a 429 with Retry-After waits as long as the receiver asked, within [delay, 2 × delay]', async () => {
    const { seconds, nextInSeconds } = await failOnce(answer(429, { 'retry-after': '150' }), [100]);
    expect(seconds).toBe(150);
    // The status the next receive relies on says the same.
    expect(nextInSeconds).toBeGreaterThan(145);
    expect(nextInSeconds).toBeLessThan(155);
  });

  it('a 503 asking for more than twice the scheduled delay gets twice the delay', async () => {
    expect((await failOnce(answer(503, { 'retry-after': '500' }), [100])).seconds).toBe(200);
  });

  it('a Retry-After sooner than planned does not bring the retry forward', async () => {
    expect((await failOnce(answer(503, { 'retry-after': '3' }), [100])).seconds).toBe(100);
  });

  it('a Retry-After given as an HTTP date counts from now', async () => {
    const at = new Date(Date.now() + 130_000).toUTCString();
    const { seconds } = await failOnce(answer(503, { 'retry-after': at }), [100]);
    // The date has whole seconds and the request takes a moment: 130 s give or take two.
    expect(seconds).toBeGreaterThanOrEqual(127);
    expect(seconds).toBeLessThanOrEqual(131);
  });

  it('a 429 without Retry-After waits at least 60 s, however short the schedule', async () => {
    expect((await failOnce(answer(429, {}), [1])).seconds).toBe(60);
  });

  it('a timeout waits at least 60 s', async () => {
    expect((await failOnce(() => undefined, [1])).seconds).toBe(60);
  });

  it('a plain 500 waits the scheduled delay', async () => {
    expect((await failOnce(status(500, 'boom'), [7])).seconds).toBe(7);
  });
});

describe('signing', () => {
  it('re-signs every attempt: same webhook-id, that attempt\'s own timestamp and signature', async () => {
    const endpoint = await h.endpointWithReceiver();
    h.receiver.script(h.pathOf(endpoint), status(500), status(200));
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    // Two clocks two minutes apart (inside the receiver's 5-minute verification tolerance).
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    const first = await h.runOnce(h.handler([1], undefined, { now: () => new Date(t0) }));
    expect(first.response.batchItemFailures).toHaveLength(1);
    const second = await h.runOnce(h.handler([1], undefined, { now: () => new Date(t0 + 120_000) }));
    expect(second.response.batchItemFailures).toEqual([]);

    const hits = h.hitsOf(endpoint);
    expect(hits).toHaveLength(2);
    expect(hits.map((hit) => hit.verifyError)).toEqual([undefined, undefined]);
    expect(hits.map((hit) => hit.headers['webhook-id'])).toEqual([message.id, message.id]);
    expect(hits.map((hit) => Number(hit.headers['webhook-timestamp']))).toEqual([t0 / 1000, t0 / 1000 + 120]);
    expect(hits[1]!.headers['webhook-signature']).not.toBe(hits[0]!.headers['webhook-signature']);
    expect(hits.map((hit) => hit.headers['svix-timestamp'])).toEqual(hits.map((hit) => hit.headers['webhook-timestamp']));
  });
});
