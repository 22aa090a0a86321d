/** The client and table name every store works against, plus the reads they all share. */
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { keyOf, stringAttr, type Item } from './codec.ts';
import { GSI1, PK, SK, type Key } from './keys.ts';
import type { PartitionQuery } from './paging.ts';

export interface Table {
  client: DynamoDBClient;
  name: string;
}

/** GetItem; consistent by default because the API reads its own writes by id. */
export async function getItem(table: Table, key: Key, consistent = true): Promise<Item | undefined> {
  const out = await table.client.send(
    new GetItemCommand({ TableName: table.name, Key: keyOf(key), ConsistentRead: consistent }),
  );
  return out.Item;
}

/** Follows an index item (uid, eventId) to the id it holds in `attribute`. */
export async function resolveIndex(table: Table, indexKey: Key, attribute: string): Promise<string | undefined> {
  return stringAttr(await getItem(table, indexKey), attribute);
}

export function onTable(table: Table, pk: string, consistent = false): PartitionQuery {
  return { client: table.client, tableName: table.name, pkName: PK, skName: SK, pk, consistent };
}

export function onGsi1(table: Table, pk: string): PartitionQuery {
  return {
    client: table.client,
    tableName: table.name,
    index: GSI1,
    pkName: GSI1.partitionKey,
    skName: GSI1.sortKey,
    pk,
  };
}
