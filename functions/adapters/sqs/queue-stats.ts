/**
 * QueueStats over SQS GetQueueAttributes: three approximate counts per queue plus its DLQ's visible
 * count, four calls in parallel. The DLQ's URL is the queue's with the dead-letter suffix
 * (functions/shared/names.ts dlqName), as both the stack and local mode name them.
 */
import { GetQueueAttributesCommand, type QueueAttributeName, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueLabel, QueueStat, QueueStats } from '../../core/queues/queue-stats.ts';
import { QUEUES, dlqName } from '../../shared/names.ts';

const ATTRIBUTES = {
  visible: 'ApproximateNumberOfMessages',
  inFlight: 'ApproximateNumberOfMessagesNotVisible',
  delayed: 'ApproximateNumberOfMessagesDelayed',
} as const satisfies Record<string, QueueAttributeName>;

const FIFO_SUFFIX = '.fifo';

/**
 * `…/123456789012/Sluice-sluice-delivery` → `…/123456789012/Sluice-sluice-delivery-dlq`, and a FIFO
 * queue's `…-ordered.fifo` → `…-ordered-dlq.fifo`.
 */
export function deadLetterQueueUrl(queueUrl: string): string {
  const slash = queueUrl.lastIndexOf('/');
  const name = queueUrl.slice(slash + 1);
  const fifo = name.endsWith(FIFO_SUFFIX);
  return queueUrl.slice(0, slash + 1) + dlqName({ ...QUEUES.delivery, name: fifo ? name.slice(0, -FIFO_SUFFIX.length) : name, fifo });
}


/** `queues`: label → queue URL, in the order the answer lists them. */
export function createSqsQueueStats(sqs: SQSClient, queues: Readonly<Record<QueueLabel, string>>): QueueStats {
  const attributes = async (queueUrl: string, names: QueueAttributeName[]): Promise<Record<string, number>> => {
    const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: names }));
    return Object.fromEntries(names.map((n) => [n, Number(out.Attributes?.[n] ?? 0) || 0]));
  };
  const one = async (name: QueueLabel, url: string): Promise<QueueStat> => {
    const [main, dlq] = await Promise.all([
      attributes(url, Object.values(ATTRIBUTES)),
      attributes(deadLetterQueueUrl(url), [ATTRIBUTES.visible]),
    ]);
    return {
      name,
      visible: main[ATTRIBUTES.visible] ?? 0,
      inFlight: main[ATTRIBUTES.inFlight] ?? 0,
      delayed: main[ATTRIBUTES.delayed] ?? 0,
      dlqVisible: dlq[ATTRIBUTES.visible] ?? 0,
    };
  };
  return {
    read: () => Promise.all(Object.entries(queues).map(([name, url]) => one(name, url))),
  };
}
