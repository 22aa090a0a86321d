/**
 * BatchWriteItem / BatchGetItem in chunks of the service's limits (25 writes, 100 keys), retrying
 * the unprocessed remainder with a short exponential backoff, as AWS asks callers to.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { Item } from './codec.ts';

const WRITE_CHUNK = 25;
const GET_CHUNK = 100;
const MAX_ROUNDS = 8;

const backoff = (round: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round) * (0.5 + Math.random() / 2)));

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function batchWrite(client: DynamoDBClient, tableName: string, requests: WriteRequest[]): Promise<void> {
  for (const chunk of chunks(requests, WRITE_CHUNK)) {
    let pending: WriteRequest[] = chunk;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed`);
      if (round > 0) await backoff(round);
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = out.UnprocessedItems?.[tableName] ?? [];
    }
  }
}

/**
 * batchWrite() of `groups`, packed into as few requests as fit without splitting a group across two
 * requests (a group larger than one request is written on its own, in chunks): items that only make
 * sense together, e.g. attempts and the index entry that finds them, are not left half-written by a
 * worker that dies between two requests.
 */
export async function batchWriteGroups(client: DynamoDBClient, tableName: string, groups: readonly WriteRequest[][]): Promise<void> {
  let request: WriteRequest[] = [];
  for (const group of groups) {
    if (request.length + group.length > WRITE_CHUNK && request.length > 0) {
      await batchWrite(client, tableName, request);
      request = [];
    }
    request.push(...group);
  }
  if (request.length > 0) await batchWrite(client, tableName, request);
}

/** The items found for `keys` (in no particular order; missing keys are simply absent). */
export async function batchGet(
  client: DynamoDBClient,
  tableName: string,
  keys: Item[],
  options: { consistent?: boolean } = {},
): Promise<Item[]> {
  const found: Item[] = [];
  for (const chunk of chunks(keys, GET_CHUNK)) {
    let pending: KeysAndAttributes | undefined = { Keys: chunk, ConsistentRead: options.consistent ?? false };
    for (let round = 0; pending?.Keys !== undefined && pending.Keys.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchGetItem left ${pending.Keys.length} keys unprocessed`);
      if (round > 0) await backoff(round);
      const out: BatchGetItemCommandOutput = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: pending } }));
      found.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName];
    }
  }
  return found;
}
