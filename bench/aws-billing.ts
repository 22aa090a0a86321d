/**
 * How AWS bills the calls the meter sees: SQS by started 64 KB of payload per request, DynamoDB by
 * the capacity units it reports (ReturnConsumedCapacity INDEXES).
 */
export const SQS_CHUNK_BYTES = 64 * 1024;

/** DynamoDB operations that accept ReturnConsumedCapacity. */
export const CAPACITY_OPERATIONS = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan',
  'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems',
]);
export const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

type Fields = Record<string, unknown>;

interface Units {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}
/** One table's ConsumedCapacity with INDEXES: the total, and the indexes' share. */
interface Capacity extends Units {
  GlobalSecondaryIndexes?: Record<string, Units>;
  LocalSecondaryIndexes?: Record<string, Units>;
}

const bytes = (s: unknown): number => (typeof s === 'string' ? Buffer.byteLength(s) : 0);

/** Payload bytes SQS bills for one call: message bodies sent, or received. */
export function sqsPayloadBytes(operation: string, input: Fields, output: Fields | undefined): number {
  if (operation === 'SendMessage') return bytes(input['MessageBody']);
  if (operation === 'SendMessageBatch') {
    return ((input['Entries'] as Fields[] | undefined) ?? []).reduce((n, e) => n + bytes(e['MessageBody']), 0);
  }
  if (operation === 'ReceiveMessage') {
    return ((output?.['Messages'] as Fields[] | undefined) ?? []).reduce((n, m) => n + bytes(m['Body']), 0);
  }
  return 0;
}

/** Read, write and index-write units of one DynamoDB answer; undefined when it reports none. */
export function consumedUnits(operation: string, output: Fields): { read: number; write: number; indexWrite: number } | undefined {
  const consumed = output['ConsumedCapacity'];
  if (consumed === undefined || consumed === null) return undefined;
  const tables = (Array.isArray(consumed) ? consumed : [consumed]) as Capacity[];
  const isRead = READ_OPERATIONS.has(operation);
  const units = { read: 0, write: 0, indexWrite: 0 };
  for (const c of tables) {
    units.read += c.ReadCapacityUnits ?? (isRead ? (c.CapacityUnits ?? 0) : 0);
    units.write += c.WriteCapacityUnits ?? (isRead ? 0 : (c.CapacityUnits ?? 0));
    if (!isRead) {
      for (const index of [...Object.values(c.GlobalSecondaryIndexes ?? {}), ...Object.values(c.LocalSecondaryIndexes ?? {})]) {
        units.indexWrite += index.WriteCapacityUnits ?? index.CapacityUnits ?? 0;
      }
    }
  }
  return units;
}
