/**
 * Messages, stored so that retention purges the PAYLOAD, not the message:
 *
 * - MSG#<appId> / <msgId>: the message record (what lists read). Its TTL is RECORD_RETENTION_MS after
 *   publishing, or the payload's expiry if that is later.
 * - The payload, when it is kept at least as long as the record (the default: both 90 days), lives
 *   inline in the record (`payloadInline`): a publish writes one item and a delivery reads one. An
 *   expunge removes it from the record.
 * - MSGPAY#<appId> / <msgId>: otherwise (a retention shorter than the record's), the whole message
 *   with its payload, TTL = payloadExpiresAt, so DynamoDB's TTL deletes the payload and leaves the
 *   record. Messages stored before 2026-12 all have this item; every read still finds it.
 * - MSGEVT#<appId> / <eventId>: the eventId index, with the record's TTL.
 * - A payload over INLINE_PAYLOAD_BYTES (256 KiB, raw payload included) is in an object instead
 *   (core/messages/payload-objects.ts, S3), when the store has one: the record holds its key
 *   (`payloadObject`) and size (`payloadBytes`), whatever the retention. The object is written first.
 *
 * TTL deletion runs up to a few days late, so every read treats an item whose TTL has passed as gone:
 * an expired payload reads as null (the API shows `{"expired": true}`) whether or not it was deleted.
 *
 * The payload is stored as a JSON string: it round-trips any JSON exactly (empty objects, numbers
 * beyond DynamoDB's precision rules, deep nesting) and keeps marshalling out of the hot path.
 */
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { Message } from '../../core/model.ts';
import type { MessageStore } from '../../core/ports.ts';
import { ConflictError } from '../../core/errors.ts';
import { INLINE_PAYLOAD_BYTES, type PayloadObjects } from '../../core/messages/payload-objects.ts';
import { isId } from '../../core/ids.ts';
import { batchGet } from './batch.ts';
import { itemOf, keyOf, type Item } from './codec.ts';
import { ignoreConditionFailure, onConditionFailure } from './errors.ts';
import { messageFilter } from './filter.ts';
import { TTL, epochSeconds, key, partition } from './keys.ts';
import {
  INLINE,
  LIST_OBJECT_BUDGET_BYTES,
  OBJECT_BYTES,
  OBJECT_KEY,
  expired,
  fromPayloadItem,
  fromRecordItem,
  holdsPayload,
  objectKeyIn,
  objectKeyOf,
  payloadBytesOf,
  payloadFitsRecord,
  recordExpiry,
  type PayloadObject,
  type StoredMessage,
} from './message-items.ts';

export { LIST_OBJECT_BUDGET_BYTES, RECORD_RETENTION_MS, payloadFitsRecord, recordExpiry } from './message-items.ts';
import { queryPage } from './paging.ts';
import { getItem, onTable, resolveIndex, type Table } from './table.ts';

/** `objects`: where payloads over INLINE_PAYLOAD_BYTES go; without it every payload is in DynamoDB. */
export function createMessageStore(table: Table, objects?: PayloadObjects): MessageStore {
  const live = (item: Item | undefined): Item | undefined => (item === undefined || expired(item, Date.now()) ? undefined : item);

  /** The record with the payload of its object (none once expired, expunged or deleted by the lifecycle rule). */
  async function withObjectPayload(item: Item, objectKey: string): Promise<Message> {
    const record = fromRecordItem(item);
    if (objects === undefined || Date.parse(record.payloadExpiresAt) <= Date.now()) return record;
    const text = await objects.get(objectKey);
    if (text === undefined) return record;
    const { payload, rawPayload } = JSON.parse(text) as PayloadObject;
    return { ...record, payload, ...(rawPayload === undefined ? {} : { rawPayload }) };
  }

  async function payloadItem(appId: string, msgId: string, consistent: boolean): Promise<Message | undefined> {
    const item = live(await getItem(table, key.messagePayload(appId, msgId), consistent));
    return item === undefined ? undefined : fromPayloadItem(item);
  }

  async function getById(appId: string, msgId: string, withPayload: boolean, consistent: boolean): Promise<Message | undefined> {
    let item = live(await getItem(table, key.message(appId, msgId), consistent));
    // An eventually consistent miss may be a replica that has not seen the write yet: confirm it (a
    // real miss, for an unknown id or after retention, is rare on the paths that read this way).
    if (item === undefined && !consistent) item = live(await getItem(table, key.message(appId, msgId), true));
    if (item === undefined) return undefined;
    const objectKey = objectKeyIn(item);
    if (withPayload && objectKey !== undefined) return withObjectPayload(item, objectKey);
    if (!withPayload || holdsPayload(item) || objectKey !== undefined) return fromRecordItem(item, withPayload);
    // The payload in its own item. The record was seen, so a miss there is retention, expunge or a
    // replica behind: only a consistent read may say the payload is gone.
    const full = (await payloadItem(appId, msgId, consistent)) ?? (consistent ? undefined : await payloadItem(appId, msgId, true));
    return full ?? fromRecordItem(item);
  }

  /** The payloads (and raw payloads) of `records`: inline ones as they are, the others by one BatchGetItem per 100. */
  async function withPayloads(appId: string, records: Item[]): Promise<Message[]> {
    const inObjects = await objectPayloads(records);
    const separate = records.filter((item) => !holdsPayload(item) && objectKeyIn(item) === undefined).map((item) => fromRecordItem(item));
    const items = separate.length === 0 ? [] : await batchGet(table.client, table.name, separate.map((m) => keyOf(key.messagePayload(appId, m.id))));
    const now = Date.now();
    const full = new Map(items.filter((item) => !expired(item, now)).map((item) => {
      const message = fromPayloadItem(item);
      return [message.id, message] as const;
    }));
    return records.map((item) => {
      if (holdsPayload(item)) return fromRecordItem(item, true);
      const fromObject = inObjects.get(item);
      if (fromObject !== undefined) return fromObject;
      const m = fromRecordItem(item);
      const stored = full.get(m.id);
      if (stored === undefined) return m;
      return { ...m, payload: stored.payload, ...(stored.rawPayload == null ? {} : { rawPayload: stored.rawPayload }) };
    });
  }

  /** The messages of `records` whose payloads are objects, read while LIST_OBJECT_BUDGET_BYTES lasts (in order). */
  async function objectPayloads(records: Item[]): Promise<Map<Item, Message>> {
    const found = new Map<Item, Message>();
    let budget = LIST_OBJECT_BUDGET_BYTES;
    const reads: Promise<void>[] = [];
    for (const item of records) {
      const objectKey = objectKeyIn(item);
      if (objectKey === undefined) continue;
      const bytes = Number(item[OBJECT_BYTES]?.N ?? 0);
      if (bytes > budget) {
        const record = fromRecordItem(item);
        // Omitted only while there is something to omit: an expired payload reads as expired.
        found.set(item, Date.parse(record.payloadExpiresAt) > Date.now() ? { ...record, payloadOmitted: true } : record);
        continue;
      }
      budget -= bytes;
      reads.push(withObjectPayload(item, objectKey).then((message) => void found.set(item, message)));
    }
    await Promise.all(reads);
    return found;
  }

  /** Writes the payload's object and answers the record's fields, when the payload belongs in one. */
  async function putObject(message: Message, stored: StoredMessage): Promise<Record<string, unknown> | undefined> {
    const bytes = payloadBytesOf(stored);
    if (objects === undefined || bytes <= INLINE_PAYLOAD_BYTES) return undefined;
    const body: PayloadObject = { payload: message.payload, ...(message.rawPayload == null ? {} : { rawPayload: message.rawPayload }) };
    const objectKey = objectKeyOf(message);
    await objects.put(objectKey, JSON.stringify(body));
    const { payload: _payload, rawPayload: _rawPayload, ...rest } = stored;
    return { ...rest, [OBJECT_KEY]: objectKey, [OBJECT_BYTES]: bytes };
  }

  return {
    async create(message) {
      const stored: StoredMessage = { ...message, payload: message.payload === null ? null : JSON.stringify(message.payload) };
      const recordTtl = { [TTL]: recordExpiry(message) };
      // The object first, as the payload item below: whoever finds the record finds its payload.
      const withObject = await putObject(message, stored);
      const inline = withObject === undefined && payloadFitsRecord(message);
      let recordFields: Record<string, unknown>;
      if (withObject !== undefined) {
        recordFields = withObject;
      } else if (inline) {
        recordFields = { ...stored, [INLINE]: true };
      } else {
        // This record never holds the payload, raw or parsed: retention and expunge remove only MSGPAY.
        const { payload: _payload, rawPayload: _rawPayload, ...rest } = stored;
        recordFields = rest;
        // The payload first: whoever finds the record then finds the payload (until retention ends).
        await table.client.send(
          new PutItemCommand({
            TableName: table.name,
            Item: itemOf(key.messagePayload(message.appId, message.id), stored, { [TTL]: epochSeconds(message.payloadExpiresAt) }),
          }),
        );
      }
      const puts: TransactWriteItem[] = [
        { Put: { TableName: table.name, Item: itemOf(key.message(message.appId, message.id), recordFields, recordTtl), ConditionExpression: 'attribute_not_exists(pk)' } },
      ];
      if (message.eventId !== null) {
        puts.push({
          Put: {
            TableName: table.name,
            Item: itemOf(key.messageEventId(message.appId, message.eventId), { msgId: message.id }, recordTtl),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      const conflict = () => new ConflictError('A message with this id or eventId already exists');
      try {
        // One conditional PutItem costs half of a one-item transaction.
        const only = puts.length === 1 ? puts[0]!.Put! : undefined;
        const write: Promise<unknown> =
          only !== undefined
            ? table.client.send(new PutItemCommand(only))
            : table.client.send(new TransactWriteItemsCommand({ TransactItems: puts }));
        await onConditionFailure(write, conflict);
      } catch (error) {
        if (withObject !== undefined) await objects!.delete(objectKeyOf(message)).catch(() => undefined);
        else if (!inline) {
          await table.client
            .send(new DeleteItemCommand({ TableName: table.name, Key: keyOf(key.messagePayload(message.appId, message.id)) }))
            .catch(() => undefined);
        }
        throw error;
      }
    },

    async get(appId, idOrEventId, options = {}) {
      const withPayload = options.withPayload ?? true;
      const consistent = options.consistent ?? true;
      if (isId('message', idOrEventId)) return getById(appId, idOrEventId, withPayload, consistent);
      const msgId = await resolveIndex(table, key.messageEventId(appId, idOrEventId), 'msgId');
      return msgId === undefined ? undefined : getById(appId, msgId, withPayload, consistent);
    },

    async delete(message) {
      if (objects !== undefined) await objects.delete(objectKeyOf(message));
      const keys = [key.message(message.appId, message.id), key.messagePayload(message.appId, message.id)];
      if (message.eventId !== null) keys.push(key.messageEventId(message.appId, message.eventId));
      await table.client.send(
        new TransactWriteItemsCommand({ TransactItems: keys.map((Key) => ({ Delete: { TableName: table.name, Key: keyOf(Key) } })) }),
      );
    },

    async expungePayload(appId, msgId) {
      // An object first: the record still names it until it is gone.
      if (objects !== undefined) {
        const record = await table.client.send(
          new GetItemCommand({ TableName: table.name, Key: keyOf(key.message(appId, msgId)), ConsistentRead: true, ProjectionExpression: '#object', ExpressionAttributeNames: { '#object': OBJECT_KEY } }),
        );
        const objectKey = record.Item === undefined ? undefined : objectKeyIn(record.Item);
        if (objectKey !== undefined) await objects.delete(objectKey);
      }
      // The other places a payload can be: its own item, and the record (which stays, without it).
      await Promise.all([
        table.client.send(new DeleteItemCommand({ TableName: table.name, Key: keyOf(key.messagePayload(appId, msgId)) })),
        ignoreConditionFailure(
          table.client.send(
            new UpdateItemCommand({
              TableName: table.name,
              Key: keyOf(key.message(appId, msgId)),
              UpdateExpression: 'REMOVE payload, rawPayload, #inline, #object, #bytes',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#inline': INLINE, '#object': OBJECT_KEY, '#bytes': OBJECT_BYTES },
            }),
          ),
        ),
      ]);
    },

    async getMany(appId, msgIds, options = {}) {
      const ids = [...new Set(msgIds)];
      if (ids.length === 0) return [];
      const items = await batchGet(table.client, table.name, ids.map((id) => keyOf(key.message(appId, id))));
      const now = Date.now();
      const records = items.filter((item) => !expired(item, now));
      return options.withPayload === true ? withPayloads(appId, records) : records.map((item) => fromRecordItem(item));
    },

    async list(appId, query, filter, options = {}) {
      const page = await queryPage(onTable(table, partition.messages(appId)), query, messageFilter(filter));
      const now = Date.now();
      const records = page.items.filter((item) => !expired(item, now));
      return {
        items: options.withPayload === false ? records.map((item) => fromRecordItem(item)) : await withPayloads(appId, records),
        more: page.more,
      };
    },
  };
}
