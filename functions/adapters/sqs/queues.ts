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

export function createSqsFanoutQueue(sqs: SQSClient, queueUrl: string): FanoutQueue {
  return {
    async send(task: FanoutTask, options: FanoutSendOptions = {}): Promise<void> {
      const delay = Math.max(0, Math.min(Math.ceil(options.delaySeconds ?? 0), MAX_DELAY_SECONDS));
      await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(task), ...(delay > 0 ? { DelaySeconds: delay } : {}) }),
      );
    },
  };
}

/** Sends one chunk (≤ 10); re-sends the entries SQS rejected a few times, then throws. */
async function sendChunk(sqs: SQSClient, queueUrl: string, tasks: DeliveryTask[]): Promise<void> {
  let pending: SendMessageBatchRequestEntry[] = tasks.map((task, i) => ({ Id: String(i), MessageBody: JSON.stringify(task) }));
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
        while (next < chunks.length) await sendChunk(sqs, queueUrl, chunks[next++]!);
      };
      await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, chunks.length) }, worker));
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
