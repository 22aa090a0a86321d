/**
 * Domain objects ⇄ DynamoDB items. Items hold every domain field plus the table's key attributes;
 * reads strip the table attributes so stores return exactly the domain type.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { PK, SK, TABLE_ATTRIBUTES, type Key } from './keys.ts';

export type Item = Record<string, AttributeValue>;

/** Marshals a plain record; undefined fields are dropped, null is kept (the domain uses null). */
export function encode(record: object): Item {
  return marshall(record as Record<string, unknown>, { removeUndefinedValues: true, convertTopLevelContainer: false });
}

export function decodeRaw(item: Item): Record<string, unknown> {
  return unmarshall(item);
}

/** An item as its domain type: table attributes (pk, sk, gsi1pk, gsi1sk, expiresAt) removed. */
export function decode<T>(item: Item): T {
  const record = unmarshall(item);
  for (const name of TABLE_ATTRIBUTES) delete record[name];
  return record as T;
}

/** The primary key attributes of `key`, for GetItem/DeleteItem/ExclusiveStartKey. */
export function keyOf(key: Key): Item {
  return { [PK]: { S: key.pk }, [SK]: { S: key.sk } };
}

/** A full item: the domain record with its key (and any extra table attributes) merged in. */
export function itemOf(key: Key, record: object, extra: Record<string, string | number> = {}): Item {
  return encode({ ...record, ...extra, [PK]: key.pk, [SK]: key.sk });
}

/** The string value of attribute `name`, or undefined. */
export function stringAttr(item: Item | undefined, name: string): string | undefined {
  const value = item?.[name];
  return value !== undefined && 'S' in value ? value.S : undefined;
}
