/**
 * SQS event processing with partial batch responses: every record runs concurrently; a record whose
 * processor returns 'retry' or throws is reported in batchItemFailures, so SQS hands back only that
 * record (after its visibility timeout) and, past maxReceiveCount, moves it to the DLQ.
 */
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { PoisonTaskError } from '../../core/tasks/poison.ts';
import type { TaskVisibility } from '../../core/tasks/tasks.ts';

/** 'done': delete the record; 'retry': leave it on the queue for another receive. */
export type RecordResult = 'done' | 'retry';

export async function processSqsRecords(
  records: readonly SQSRecord[],
  processRecord: (record: SQSRecord) => Promise<RecordResult>,
  logger: Logger,
): Promise<SQSBatchResponse> {
  const results = await Promise.allSettled(records.map((record) => processRecord(record)));
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  results.forEach((result, i) => {
    const record = records[i]!;
    if (result.status === 'fulfilled' && result.value === 'done') return;
    if (result.status === 'rejected') {
      logger.error('Task failed; leaving it on the queue', {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: result.reason as Error,
      });
    }
    batchItemFailures.push({ itemIdentifier: record.messageId });
  });
  return { batchItemFailures };
}

export interface InOrderOptions {
  /** The queue the records came from: records behind a stopped one are handed back through it. */
  visibility: TaskVisibility;
  /** No record of a group starts later than this into the batch (the rest are handed back). */
  budgetMs: number;
  now?: () => number;
}

/**
 * A FIFO queue's batch: the records of one message group run one after another, in the order SQS
 * handed them out (its order within the group); groups run side by side. The first record of a group
 * that is not 'done' (a retry, a throttle hold, an error) stops its group: the records behind it are
 * handed back unattempted and reported failed with it, as Lambda requires of FIFO event sources. The
 * stopped record stays in flight (its visibility is its retry delay), which keeps SQS from handing out
 * the rest of the group until it comes back first.
 *
 * Handing back is a visibility of 0, last record first: SQS keeps a group's order whatever the order of
 * the calls, and an emulator that puts each returned message at the head of its group (fauxqs) ends
 * up with the same order. A record not started within `budgetMs` is handed back the same way, so a
 * batch of slow successes still ends within the consumer's timeout.
 */
export async function processSqsRecordsInOrder(
  records: readonly SQSRecord[],
  processRecord: (record: SQSRecord) => Promise<RecordResult>,
  logger: Logger,
  options: InOrderOptions,
): Promise<SQSBatchResponse> {
  const now = options.now ?? Date.now;
  const started = now();
  const groups = new Map<string, SQSRecord[]>();
  for (const record of records) {
    const id = record.attributes.MessageGroupId ?? '';
    const group = groups.get(id);
    if (group === undefined) groups.set(id, [record]);
    else group.push(record);
  }
  const failed: string[] = [];

  async function handBack(waiting: SQSRecord[]): Promise<void> {
    for (const record of [...waiting].reverse()) {
      await options.visibility.delay(record.receiptHandle, 0).catch((error: unknown) => {
        // Not lost: it comes back after the queue's visibility timeout instead.
        logger.warn('Could not hand a record back to its FIFO group', { messageId: record.messageId, error: error as Error });
      });
    }
  }

  async function runGroup(group: SQSRecord[]): Promise<void> {
    for (let i = 0; i < group.length; i++) {
      const record = group[i]!;
      if (now() - started > options.budgetMs) {
        await handBack(group.slice(i));
        failed.push(...group.slice(i).map((r) => r.messageId));
        return;
      }
      let result: RecordResult;
      try {
        result = await processRecord(record);
      } catch (error) {
        logger.error('Task failed; leaving it (and its group) on the queue', {
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          error: error as Error,
        });
        result = 'retry';
      }
      if (result === 'done') continue;
      await handBack(group.slice(i + 1));
      failed.push(...group.slice(i).map((r) => r.messageId));
      return;
    }
  }

  await Promise.all([...groups.values()].map(runGroup));
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}

/** Parses a task body: JSON, then the schema. Throws PoisonTaskError (→ the record fails → DLQ) when malformed. */
export function parseTaskBody<T>(body: string, parse: (value: unknown) => { success: true; data: T } | { success: false; error: Error }): T {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new PoisonTaskError(`Task body is not JSON: ${body.slice(0, 200)}`);
  }
  const result = parse(value);
  if (!result.success) throw new PoisonTaskError(`Malformed task body: ${result.error.message}; body: ${body.slice(0, 200)}`);
  return result.data;
}

/**
 * Wraps a record processor so a poison task (PoisonTaskError) is made visible again at once before it
 * is reported failed: it then burns through the queue's maxReceiveCount in seconds and lands in the
 * DLQ (raising the DLQ alarm), instead of waiting maxReceiveCount visibility timeouts.
 */
export function failPoisonFast(
  processRecord: (record: SQSRecord) => Promise<RecordResult>,
  visibility: TaskVisibility | ((record: SQSRecord) => TaskVisibility) | undefined,
): (record: SQSRecord) => Promise<RecordResult> {
  return async (record) => {
    try {
      return await processRecord(record);
    } catch (error) {
      if (error instanceof PoisonTaskError && visibility !== undefined) {
        const target = typeof visibility === 'function' ? visibility(record) : visibility;
        await target.delay(record.receiptHandle, 0).catch(() => undefined);
      }
      throw error;
    }
  };
}
