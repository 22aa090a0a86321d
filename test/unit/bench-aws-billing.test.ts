/** How the benchmark's meter bills calls (bench/aws-billing.ts): SQS 64 KB chunks, DynamoDB units. */
import { consumedUnits, sqsPayloadBytes } from '../../bench/aws-billing.ts';

describe('consumedUnits', () => {
  test('a write with INDEXES: the total, with the global secondary index share', () => {
    const output = {
      ConsumedCapacity: { TableName: 't', CapacityUnits: 2, WriteCapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { gsi1: { WriteCapacityUnits: 1, CapacityUnits: 1 } } },
    };
    expect(consumedUnits('PutItem', output)).toEqual({ read: 0, write: 2, indexWrite: 1 });
  });

  test('reads count as read units; a transaction reports one entry per table', () => {
    expect(consumedUnits('GetItem', { ConsumedCapacity: { CapacityUnits: 0.5 } })).toEqual({ read: 0.5, write: 0, indexWrite: 0 });
    const transaction = { ConsumedCapacity: [{ CapacityUnits: 4 }, { CapacityUnits: 2 }] };
    expect(consumedUnits('TransactWriteItems', transaction)).toEqual({ read: 0, write: 6, indexWrite: 0 });
  });

  test('no ConsumedCapacity in the answer: undefined, not zero', () => {
    expect(consumedUnits('PutItem', {})).toBeUndefined();
  });
});

describe('sqsPayloadBytes', () => {
  test('bodies sent (one message or a batch) and bodies received, in UTF-8 bytes', () => {
    expect(sqsPayloadBytes('SendMessage', { MessageBody: 'héllo' }, undefined)).toBe(6);
    expect(sqsPayloadBytes('SendMessageBatch', { Entries: [{ MessageBody: 'ab' }, { MessageBody: 'cde' }] }, undefined)).toBe(5);
    expect(sqsPayloadBytes('ReceiveMessage', {}, { Messages: [{ Body: 'x'.repeat(70_000) }] })).toBe(70_000);
    expect(sqsPayloadBytes('DeleteMessageBatch', { Entries: [] }, {})).toBe(0);
  });
});
