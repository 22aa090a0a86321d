/**
 * DLQ redrive: moves the tasks of a dead-letter queue back to its work queue.
 *
 * - AWS: SQS's own StartMessageMoveTask (asynchronous, server-side), then ListMessageMoveTasks until
 *   it has finished. Queue ARNs are looked up by name: `<stack>-sluice-<queue>[-dlq]`, as lib/queues.ts
 *   names them.
 * - Local: fauxqs has no StartMessageMoveTask, so the tasks are moved with ReceiveMessage →
 *   SendMessageBatch → DeleteMessageBatch: a task is deleted from the DLQ only once the work queue has
 *   it (at worst a crash in between leaves it in both: at-least-once, like every queue hop here).
 *
 * A moved task starts with a receive count of 0 again. Delivery tasks number their attempts from the
 * attempt log, not the receive count, so a redriven task continues its schedule where it stopped.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { QUEUES, dlqName } from '../functions/shared/names.ts';

export type QueueName = keyof typeof QUEUES;

export interface RedriveResult {
  moved: number;
}

/** Moves every task of `dlqUrl` to `queueUrl` by receive/send/delete (local mode). */
export async function moveMessages(sqs: SQSClient, dlqUrl: string, queueUrl: string, log: (line: string) => void = () => undefined): Promise<RedriveResult> {
  let moved = 0;
  let emptyReceives = 0;
  // Two empty short polls in a row: fauxqs answers exactly, but a moment's lag costs nothing here.
  while (emptyReceives < 2) {
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['MessageGroupId'] }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) {
      emptyReceives++;
      continue;
    }
    emptyReceives = 0;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes === undefined || Object.keys(m.MessageAttributes).length === 0 ? {} : { MessageAttributes: m.MessageAttributes }),
          // A FIFO queue's task goes back to its group (a redrive is a new send, so a new dedup id).
          ...(m.Attributes?.MessageGroupId === undefined ? {} : { MessageGroupId: m.Attributes.MessageGroupId, MessageDeduplicationId: `redrive-${m.MessageId}` }),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = messages.filter((_, i) => ok.has(String(i)));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: dlqUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
      );
    }
    moved += done.length;
    if ((sent.Failed ?? []).length > 0) log(`${sent.Failed!.length} tasks could not be sent; they stay in the DLQ and are retried`);
  }
  log(`moved ${moved} task(s)`);
  return { moved };
}

async function queueArn(sqs: SQSClient, name: string): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  if (url === undefined) throw new Error(`Queue ${name} not found`);
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`Queue ${name} has no ARN`);
  return { url, arn };
}

/** AWS: starts SQS's move task from the DLQ of `queue` back to it, and waits for it unless `wait` is false. */
export async function startMoveTask(
  sqs: SQSClient,
  stackName: string,
  queue: QueueName,
  options: { wait?: boolean; pollMs?: number; log?: (line: string) => void } = {},
): Promise<RedriveResult> {
  const log = options.log ?? (() => undefined);
  const spec = QUEUES[queue];
  const source = await queueArn(sqs, `${stackName}-${dlqName(spec)}`);
  const destination = await queueArn(sqs, `${stackName}-${spec.name}`);
  const started = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: source.arn, DestinationArn: destination.arn }));
  log(`started move task ${started.TaskHandle ?? ''}: ${source.arn} → ${destination.arn}`);
  if (options.wait === false) return { moved: 0 };
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2_000));
    const tasks = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: source.arn, MaxResults: 1 }))).Results ?? [];
    const task = tasks[0];
    if (task === undefined) continue;
    log(`${task.Status}: ${task.ApproximateNumberOfMessagesMoved ?? 0} of ${task.ApproximateNumberOfMessagesToMove ?? '?'} moved`);
    if (task.Status === 'COMPLETED') return { moved: task.ApproximateNumberOfMessagesMoved ?? 0 };
    if (task.Status === 'FAILED' || task.Status === 'CANCELLED') {
      throw new Error(`Move task ${task.Status}: ${task.FailureReason ?? 'no reason given'}`);
    }
  }
}
