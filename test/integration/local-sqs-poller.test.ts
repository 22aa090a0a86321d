/**
 * The local SQS event source mapping against a real fauxqs queue: partial batch failures delete only
 * the successful records, failed ones come back after their visibility timeout with a higher receive
 * count, and a handler that throws deletes nothing.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startSqsEmulator, type SqsEmulator } from '../../local/emulators/sqs.ts';
import { startSqsPoller, type SqsHandler, type SqsPoller } from '../../local/sqs-poller.ts';

let emulator: SqsEmulator;
let sqs: SQSClient;
let queueCount = 0;
const running: SqsPoller[] = [];

beforeAll(async () => {
  emulator = await startSqsEmulator();
  sqs = new SQSClient({ endpoint: emulator.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  sqs.destroy();
  await emulator.stop();
});

/** A fresh queue whose received messages come back after 1 s. */
async function queueWith(bodies: string[]): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `poller-test-${++queueCount}`, Attributes: { VisibilityTimeout: '1' } }),
  );
  await sqs.send(
    new SendMessageBatchCommand({ QueueUrl, Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })) }),
  );
  return QueueUrl!;
}

async function poll(queueUrl: string, handler: SqsHandler, concurrency = 1): Promise<void> {
  running.push(
    await startSqsPoller({
      sqs,
      queueUrl,
      handler,
      functionName: 'test',
      batchSize: 10,
      concurrency,
      timeoutSeconds: 30,
      waitTimeSeconds: 1,
    }),
  );
}

async function visibleAndInFlight(queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('records are SQS event records like Lambda builds them', async () => {
  const queueUrl = await queueWith(['{"kind":"message"}']);
  const events: SQSEvent[] = [];
  await poll(queueUrl, async (event) => {
    events.push(event);
    return { batchItemFailures: [] };
  });
  await waitFor(() => events.length === 1);
  const record: SQSRecord = events[0]!.Records[0]!;
  expect(record.body).toBe('{"kind":"message"}');
  expect(record.eventSource).toBe('aws:sqs');
  expect(record.eventSourceARN).toMatch(/^arn:aws:sqs:.*:poller-test-\d+$/);
  expect(record.attributes.ApproximateReceiveCount).toBe('1');
  expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(Date.now() - 60_000);
  expect(Number(record.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThan(Date.now() - 60_000);
  expect(record.messageId).not.toBe('');
  expect(record.receiptHandle).not.toBe('');
  await waitFor(async () => (await visibleAndInFlight(queueUrl)) === 0);
});

test('only the records not reported in batchItemFailures are deleted; failed ones come back', async () => {
  const queueUrl = await queueWith(['ok-1', 'fail-1', 'ok-2', 'fail-2', 'ok-3']);
  const seen: { body: string; receiveCount: string }[] = [];
  await poll(queueUrl, async (event) => {
    for (const r of event.Records) seen.push({ body: r.body, receiveCount: r.attributes.ApproximateReceiveCount });
    const failures = event.Records.filter((r) => r.body.startsWith('fail') && r.attributes.ApproximateReceiveCount === '1');
    return { batchItemFailures: failures.map((r) => ({ itemIdentifier: r.messageId })) };
  });
  await waitFor(() => seen.length >= 7);
  await waitFor(async () => (await visibleAndInFlight(queueUrl)) === 0);
  // Each ok record once; each failed one twice, the second time with receive count 2.
  expect(seen.filter((s) => s.body.startsWith('ok')).map((s) => s.receiveCount)).toEqual(['1', '1', '1']);
  const failed = seen.filter((s) => s.body.startsWith('fail'));
  expect(failed.map((s) => `${s.body}:${s.receiveCount}`).sort()).toEqual(['fail-1:1', 'fail-1:2', 'fail-2:1', 'fail-2:2']);
});

test('a handler that throws deletes nothing: the whole batch comes back', async () => {
  const queueUrl = await queueWith(['a', 'b']);
  const receiveCounts: string[] = [];
  await poll(queueUrl, async (event) => {
    for (const r of event.Records) receiveCounts.push(`${r.body}:${r.attributes.ApproximateReceiveCount}`);
    if (event.Records.some((r) => r.attributes.ApproximateReceiveCount === '1')) throw new Error('crash');
    return { batchItemFailures: [] };
  });
  await waitFor(async () => receiveCounts.length >= 4 && (await visibleAndInFlight(queueUrl)) === 0);
  expect(receiveCounts.sort()).toEqual(['a:1', 'a:2', 'b:1', 'b:2']);
});

test('an itemIdentifier that is not in the batch fails the whole batch, as in Lambda', async () => {
  const queueUrl = await queueWith(['x']);
  const receiveCounts: string[] = [];
  await poll(queueUrl, async (event) => {
    for (const r of event.Records) receiveCounts.push(r.attributes.ApproximateReceiveCount);
    return { batchItemFailures: receiveCounts.length === 1 ? [{ itemIdentifier: 'not-a-message-id' }] : [] };
  });
  await waitFor(async () => receiveCounts.length >= 2 && (await visibleAndInFlight(queueUrl)) === 0);
  expect(receiveCounts).toEqual(['1', '2']);
});

test('stop() waits for the batch in flight, which is then deleted', async () => {
  const queueUrl = await queueWith(['slow']);
  let started = false;
  let finished = false;
  const poller = await startSqsPoller({
    sqs,
    queueUrl,
    functionName: 'test',
    batchSize: 10,
    concurrency: 3,
    timeoutSeconds: 30,
    handler: async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 500));
      finished = true;
      return { batchItemFailures: [] };
    },
  });
  await waitFor(() => started);
  await poller.stop();
  expect(finished).toBe(true);
  expect(await visibleAndInFlight(queueUrl)).toBe(0);
});
