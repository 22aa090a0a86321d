/**
 * SendMessageBatch partial failures. fauxqs cannot be made to fail single entries transiently, so a
 * stub client scripts SQS's answers here; the happy path runs against fauxqs in
 * test/integration/sqs-queues.test.ts.
 */
import type { SendMessageBatchCommand, SendMessageBatchCommandOutput, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsDeliveryQueue } from '../../functions/adapters/sqs/queues.ts';
import type { DeliveryTask } from '../../functions/core/tasks/tasks.ts';

type Answer = (entryIds: string[]) => Partial<SendMessageBatchCommandOutput>;

function stubSqs(answers: Answer[]): { client: SQSClient; calls: string[][] } {
  const calls: string[][] = [];
  const client = {
    send: async (command: SendMessageBatchCommand) => {
      const ids = (command.input.Entries ?? []).map((e) => e.Id!);
      calls.push(ids);
      const answer = answers[calls.length - 1] ?? (() => ({ Successful: [], Failed: [] }));
      return answer(ids);
    },
  } as unknown as SQSClient;
  return { client, calls };
}

const tasks = (n: number): DeliveryTask[] =>
  Array.from({ length: n }, (_, i) => ({ appId: 'app', msgId: 'msg', endpointId: `ep_${i}`, triggerType: 0 }));
const fail = (ids: string[], senderFault = false) => () => ({
  Failed: ids.map((Id) => ({ Id, Code: 'InternalError', SenderFault: senderFault })),
});

describe('delivery queue: failed batch entries', () => {
  it('re-sends only the entries SQS rejected', async () => {
    const { client, calls } = stubSqs([fail(['1', '3']), () => ({ Failed: [] })]);
    await createSqsDeliveryQueue(client, 'q').sendAll(tasks(5));
    expect(calls).toEqual([['0', '1', '2', '3', '4'], ['1', '3']]);
  });

  it('gives up and throws after a few rounds', async () => {
    const { client, calls } = stubSqs([fail(['0']), fail(['0']), fail(['0']), fail(['0'])]);
    await expect(createSqsDeliveryQueue(client, 'q').sendAll(tasks(2))).rejects.toThrow(/SQS rejected 1 of 1/);
    expect(calls).toHaveLength(3);
  });

  it('does not retry a sender fault', async () => {
    const { client, calls } = stubSqs([fail(['1'], true)]);
    await expect(createSqsDeliveryQueue(client, 'q').sendAll(tasks(2))).rejects.toThrow(/InternalError/);
    expect(calls).toHaveLength(1);
  });

  it('splits into chunks of 10', async () => {
    const { client, calls } = stubSqs([]);
    await createSqsDeliveryQueue(client, 'q').sendAll(tasks(25));
    expect(calls.map((c) => c.length).sort()).toEqual([10, 10, 5]);
  });
});
