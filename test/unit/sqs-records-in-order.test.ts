/**
 * processSqsRecordsInOrder, the FIFO batch runner of ordered endpoints: one group's records run one
 * after another, groups side by side; the first record that is not done stops its group and hands the
 * rest back (visibility 0, last first) unattempted. The visibility port is a recording stand-in (the
 * order of its calls is the point); the integration test ordered-endpoints.test.ts runs it on fauxqs.
 */
import type { SQSRecord } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { processSqsRecordsInOrder, type RecordResult } from '../../functions/adapters/sqs/batch.ts';

const logger = new Logger({ logLevel: 'SILENT' });

const record = (id: string, group: string): SQSRecord =>
  ({ messageId: id, receiptHandle: `rh-${id}`, body: '{}', attributes: { MessageGroupId: group, ApproximateReceiveCount: '1' } }) as unknown as SQSRecord;

function recorder() {
  const handedBack: string[] = [];
  return { handedBack, visibility: { delay: async (handle: string, seconds: number) => void handedBack.push(`${handle}@${seconds}`) } };
}

test('a group runs in order; its first failure stops it and hands the rest back last first; other groups go on', async () => {
  const records = [record('a1', 'A'), record('b1', 'B'), record('a2', 'A'), record('a3', 'A'), record('b2', 'B'), record('a4', 'A')];
  const started: string[] = [];
  let running = 0;
  let maxRunningInA = 0;
  const outcome: Record<string, RecordResult> = { a2: 'retry' };
  const { handedBack, visibility } = recorder();
  const result = await processSqsRecordsInOrder(
    records,
    async (r) => {
      started.push(r.messageId);
      if (r.messageId.startsWith('a')) maxRunningInA = Math.max(maxRunningInA, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (r.messageId.startsWith('a')) running--;
      return outcome[r.messageId] ?? 'done';
    },
    logger,
    { visibility, budgetMs: 60_000 },
  );
  expect(started.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2']);
  expect(started.filter((id) => id.startsWith('b'))).toEqual(['b1', 'b2']);
  expect(maxRunningInA).toBe(1);
  expect(handedBack).toEqual(['rh-a4@0', 'rh-a3@0']);
  expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['a2', 'a3', 'a4']);
});

test('a thrown error stops the group like a retry', async () => {
  const { handedBack, visibility } = recorder();
  const result = await processSqsRecordsInOrder(
    [record('x1', 'X'), record('x2', 'X')],
    async (r) => {
      if (r.messageId === 'x1') throw new Error('table unavailable');
      return 'done';
    },
    logger,
    { visibility, budgetMs: 60_000 },
  );
  expect(handedBack).toEqual(['rh-x2@0']);
  expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['x1', 'x2']);
});

test('past the budget no record starts: the rest of the group is handed back unattempted', async () => {
  let clock = 0;
  const { handedBack, visibility } = recorder();
  const started: string[] = [];
  const result = await processSqsRecordsInOrder(
    [record('s1', 'S'), record('s2', 'S'), record('s3', 'S')],
    async (r) => {
      started.push(r.messageId);
      clock += 600;
      return 'done';
    },
    logger,
    { visibility, budgetMs: 1_000, now: () => clock },
  );
  expect(started).toEqual(['s1', 's2']);
  expect(handedBack).toEqual(['rh-s3@0']);
  expect(result.batchItemFailures).toEqual([{ itemIdentifier: 's3' }]);
});
