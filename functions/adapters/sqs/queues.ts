/**
 * The task queues over SQS. Bodies are the JSON of the task types in functions/core/tasks/tasks.ts.
 */
import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeliveryQueue, DeliveryTask, FanoutQueue, FanoutSendOptions, FanoutTask, OperationalQueue, OperationalWebhookTask, TaskVisibility } from '../../core/tasks/tasks.ts';

/** SendMessageBatch takes at most 10 entries. */
const BATCH_LIMIT = 10;
/** Rounds of re-sending the entries a batch call reported as failed, before giving up. */
const BATCH_RETRY_ROUNDS = 3;
/** Batch calls in flight at once for one sendAll (an app with thousands of endpoints). */
const BATCH_CONCURRENCY = 5;
/** SQS's maximum visibility timeout (12 h). */
const MAX_VISIBILITY_SECONDS = 43_200;
/** SQS's maximum DelaySeconds (15 min). */
const MAX_DELAY_SECONDS = 900;

/**
 * `orderedQueueUrl`: the FIFO fan-out queue (QUEUES.fanoutOrdered), where tasks sent `ordered` go,
 * one message group per app and deduplicated by message id (a publish retried by the SDK after a lost
 * answer is already a new message, so this only drops the API's own repeats).
 */
export function createSqsFanoutQueue(sqs: SQSClient, queueUrl: string, orderedQueueUrl?: string): FanoutQueue {
  return {
    async send(task: FanoutTask, options: FanoutSendOptions = {}): Promise<void> {
      const delay = Math.max(0, Math.min(Math.ceil(options.delaySeconds ?? 0), MAX_DELAY_SECONDS));
      if (options.ordered === true && orderedQueueUrl !== undefined && delay === 0 && task.kind === 'message') {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: orderedQueueUrl,
            MessageBody: JSON.stringify(task),
            MessageGroupId: task.appId,
            MessageDeduplicationId: task.msgId,
          }),
        );
        return;
      }
      await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(task), ...(delay > 0 ? { DelaySeconds: delay } : {}) }),
      );
    },
  };
}

type EntryOf = (task: DeliveryTask, i: number) => SendMessageBatchRequestEntry;

const plainEntry: EntryOf = (task, i) => ({ Id: String(i), MessageBody: JSON.stringify(task) });

/**
 * The ordered delivery queue's entries: one message group per endpoint (endpoint ids are unique
 * across apps), deduplicated per (message, endpoint), so a fan-out repeated after a crash within
 * SQS's 5-minute window queues nothing twice.
 */
const orderedEntry: EntryOf = (task, i) => ({
  ...plainEntry(task, i),
  MessageGroupId: task.endpointId,
  MessageDeduplicationId: `${task.msgId}.${task.endpointId}`,
});

/** Sends one chunk (≤ 10); re-sends the entries SQS rejected a few times, then throws. */
async function sendChunk(sqs: SQSClient, queueUrl: string, tasks: DeliveryTask[], entryOf: EntryOf): Promise<void> {
  let pending: SendMessageBatchRequestEntry[] = tasks.map(entryOf);
  for (let round = 0; ; round++) {
    const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
    const failed = result.Failed ?? [];
    if (failed.length === 0) return;
    // A sender fault (malformed entry) will not get better by retrying.
    const permanent = failed.find((f) => f.SenderFault === true);
    if (permanent !== undefined || round + 1 >= BATCH_RETRY_ROUNDS) {
      const f = permanent ?? failed[0]!;
      throw new Error(`SQS rejected ${failed.length} of ${pending.length} delivery tasks: ${f.Code} ${f.Message ?? ''}`.trim());
    }
    const failedIds = new Set(failed.map((f) => f.Id));
    pending = pending.filter((entry) => failedIds.has(entry.Id));
    await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
  }
}

export function createSqsDeliveryQueue(sqs: SQSClient, queueUrl: string): DeliveryQueue {
  return {
    async sendAll(tasks: DeliveryTask[]): Promise<void> {
      const chunks: DeliveryTask[][] = [];
      for (let i = 0; i < tasks.length; i += BATCH_LIMIT) chunks.push(tasks.slice(i, i + BATCH_LIMIT));
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < chunks.length) await sendChunk(sqs, queueUrl, chunks[next++]!, plainEntry);
      };
      await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, chunks.length) }, worker));
    },
  };
}

/**
 * The FIFO delivery queue of ordered endpoints (QUEUES.deliveryOrdered). Chunks go one after another:
 * concurrent batch calls could reorder two tasks of one endpoint.
 */
export function createSqsOrderedDeliveryQueue(sqs: SQSClient, queueUrl: string): DeliveryQueue {
  return {
    async sendAll(tasks: DeliveryTask[]): Promise<void> {
      for (let i = 0; i < tasks.length; i += BATCH_LIMIT) await sendChunk(sqs, queueUrl, tasks.slice(i, i + BATCH_LIMIT), orderedEntry);
    },
  };
}

export function createSqsTaskVisibility(sqs: SQSClient, queueUrl: string): TaskVisibility {
  return {
    async delay(receiptHandle: string, seconds: number): Promise<void> {
      const timeout = Math.max(0, Math.min(Math.round(seconds), MAX_VISIBILITY_SECONDS));
      await sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: timeout }),
      );
    },
  };
}

/** Operational webhook tasks go to the delivery queue, whose consumer sends and retries them. */
export function createSqsOperationalQueue(sqs: SQSClient, deliveryQueueUrl: string): OperationalQueue {
  return {
    async send(task: OperationalWebhookTask): Promise<void> {
      await sqs.send(new SendMessageCommand({ QueueUrl: deliveryQueueUrl, MessageBody: JSON.stringify(task) }));
    },
  };
}
