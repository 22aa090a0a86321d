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
