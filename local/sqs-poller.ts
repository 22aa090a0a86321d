/**
 * A local stand-in for Lambda's SQS event source mapping: a few concurrent loops long-poll the queue,
 * hand each batch to the handler as an SQSEvent, and delete the records the handler did not report in
 * `batchItemFailures`. As in Lambda, a handler that throws (or reports an id that is not in the batch)
 * fails the whole batch: nothing is deleted, and SQS hands the records back after their visibility
 * timeout, counting the receive (the redrive policy then moves poison tasks to the DLQ).
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { LOCAL_REGION } from './emulators/credentials.ts';
import { lambdaContext } from './lambda-context.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface PollerLogger {
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

export interface SqsPollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  handler: SqsHandler;
  /** Function name in the handler's Context and in logs. */
  functionName: string;
  batchSize: number;
  /** Concurrent poll loops, like the concurrent invocations Lambda scales to. */
  concurrency: number;
  /**
   * Batches being handled at once across the loops (default: `concurrency`, each loop waits for its
   * batch). Higher, a loop goes on receiving while its earlier batches still run, as Lambda starts
   * more invocations while some are busy: a batch held by one slow record does not stop the queue.
   */
  maxBatchesInFlight?: number;
  /** The function timeout Context.getRemainingTimeInMillis counts down from. */
  timeoutSeconds: number;
  /** Long-poll wait; short so stop() returns quickly. */
  waitTimeSeconds?: number;
  logger?: PollerLogger;
}

export interface SqsPoller {
  /** Stops polling and resolves once the in-flight batches are handled and deleted. */
  stop(): Promise<void>;
}

const ERROR_BACKOFF_MS = 500;

export async function startSqsPoller(options: SqsPollerOptions): Promise<SqsPoller> {
  const { sqs, queueUrl } = options;
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = attributes.Attributes?.QueueArn ?? queueUrl;
  let stopping = false;
  const abort = new AbortController();
  const maxInFlight = Math.max(1, options.maxBatchesInFlight ?? options.concurrency);
  const running = new Set<Promise<void>>();
  // Loops waiting for a slot; all are woken when one frees (each checks again).
  let waiting: (() => void)[] = [];
  const wakeAll = (): void => {
    const woken = waiting;
    waiting = [];
    woken.forEach((wake) => wake());
  };
  const freeSlot = (): Promise<void> =>
    running.size < maxInFlight ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve));

  const loop = async (): Promise<void> => {
    while (!stopping) {
      try {
        // Receive only what can be handled now: a received batch's visibility clock is running.
        while (running.size >= maxInFlight && !stopping) await freeSlot();
        if (stopping) break;
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: options.waitTimeSeconds ?? 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0) continue;
        const batch = handleBatch(options, queueArn, messages).finally(() => {
          running.delete(batch);
          wakeAll();
        });
        running.add(batch);
        if (maxInFlight <= options.concurrency) await batch;
      } catch (error) {
        if (stopping) break;
        options.logger?.warn(`${options.functionName}: poll failed`, error as Error);
        await sleep(ERROR_BACKOFF_MS, abort.signal);
      }
    }
  };

  const loops = Array.from({ length: Math.max(1, options.concurrency) }, () => loop());
  return {
    stop: async () => {
      stopping = true;
      abort.abort();
      wakeAll();
      await Promise.all(loops);
      await Promise.all([...running]);
    },
  };
}

async function handleBatch(options: SqsPollerOptions, queueArn: string, messages: Message[]): Promise<void> {
  const event: SQSEvent = { Records: messages.map((m) => toRecord(m, queueArn)) };
  let response: SQSBatchResponse | void;
  try {
    response = await options.handler(event, lambdaContext(options.functionName, options.timeoutSeconds * 1000));
  } catch (error) {
    options.logger?.error(`${options.functionName}: handler failed, the batch will be retried`, error as Error);
    return;
  }
  const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  const ids = new Set(event.Records.map((r) => r.messageId));
  if ([...failed].some((id) => !ids.has(id))) {
    // Lambda treats an unknown or empty itemIdentifier as a failure of the whole batch.
    options.logger?.error(`${options.functionName}: batchItemFailures names an unknown id, the batch will be retried`);
    return;
  }
  const done = event.Records.filter((r) => !failed.has(r.messageId));
  if (done.length === 0) return;
  const result = await options.sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: options.queueUrl,
      Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
    }),
  );
  if ((result.Failed ?? []).length > 0) {
    options.logger?.warn(`${options.functionName}: some deletes failed, those records will come back`, result.Failed);
  }
}

/** The record shape Lambda builds from a received message. */
export function toRecord(message: Message, queueArn: string): SQSRecord {
  const system = message.Attributes ?? {};
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
      SentTimestamp: system.SentTimestamp ?? String(Date.now()),
      SenderId: system.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(system.AWSTraceHeader === undefined ? {} : { AWSTraceHeader: system.AWSTraceHeader }),
      ...(system.MessageGroupId === undefined ? {} : { MessageGroupId: system.MessageGroupId }),
      ...(system.MessageDeduplicationId === undefined ? {} : { MessageDeduplicationId: system.MessageDeduplicationId }),
      ...(system.SequenceNumber === undefined ? {} : { SequenceNumber: system.SequenceNumber }),
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes === undefined ? {} : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
