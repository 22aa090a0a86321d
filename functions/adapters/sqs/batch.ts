/**
 * SQS event processing with partial batch responses: every record runs concurrently; a record whose
 * processor returns 'retry' or throws is reported in batchItemFailures, so SQS hands back only that
 * record (after its visibility timeout) and, past maxReceiveCount, moves it to the DLQ.
 */
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';

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

/** Parses a task body: JSON, then the schema. Throws (→ the record fails → DLQ) when malformed. */
export function parseTaskBody<T>(body: string, parse: (value: unknown) => { success: true; data: T } | { success: false; error: Error }): T {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Error(`Task body is not JSON: ${body.slice(0, 200)}`);
  }
  const result = parse(value);
  if (!result.success) throw new Error(`Malformed task body: ${result.error.message}; body: ${body.slice(0, 200)}`);
  return result.data;
}
