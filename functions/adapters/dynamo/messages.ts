/**
 * Messages, stored so that retention purges the PAYLOAD, not the message:
 *
 * - MSG#<appId> / <msgId>: the message record without its payload (what lists read). Its TTL is
 *   RECORD_RETENTION_MS after publishing, or the payload's expiry if that is later.
 * - MSGPAY#<appId> / <msgId>: the whole message with its payload, TTL = payloadExpiresAt. A delivery
 *   reads only this item (one GetItem), and DynamoDB's TTL deletes it when retention ends.
 * - MSGEVT#<appId> / <eventId>: the eventId index, with the record's TTL.
 *
 * TTL deletion runs up to a few days late, so every read treats an item whose TTL has passed as gone:
 * an expired payload reads as null (the API shows `{"expired": true}`) whether or not it was deleted.
 *
 * The payload is stored as a JSON string: it round-trips any JSON exactly (empty objects, numbers
 * beyond DynamoDB's precision rules, deep nesting) and keeps marshalling out of the hot path.
 */
import { DeleteItemCommand, PutItemCommand, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Message } from '../../core/model.ts';
import type { MessageStore } from '../../core/ports.ts';
import { ConflictError } from '../../core/errors.ts';
import { isId } from '../../core/ids.ts';
import { batchGet } from './batch.ts';
import { decode, itemOf, keyOf, type Item } from './codec.ts';
import { onConditionFailure } from './errors.ts';
import { messageFilter } from './filter.ts';
import { TTL, epochSeconds, key, partition } from './keys.ts';
import { queryPage } from './paging.ts';
import { getItem, onTable, resolveIndex, type Table } from './table.ts';

/** Message records (without payload) are kept this long at least: Svix's 90-day message history. */
export const RECORD_RETENTION_MS = 90 * 86_400_000;

type StoredMessage = Omit<Message, 'payload'> & { payload: string | null };

/** Epoch seconds when the message record expires. */
export function recordExpiry(message: Pick<Message, 'timestamp' | 'payloadExpiresAt'>): number {
  const record = Date.parse(message.timestamp) + RECORD_RETENTION_MS;
  return Math.max(epochSeconds(message.payloadExpiresAt), Math.floor(record / 1000));
}

/** True when the item's TTL has passed (DynamoDB may not have deleted it yet). */
function expired(item: Item, nowMs: number): boolean {
  const ttl = Number(item[TTL]?.N);
  return Number.isFinite(ttl) && ttl * 1000 <= nowMs;
}

function fromPayloadItem(item: Item): Message {
  const stored = decode<StoredMessage>(item);
  return { ...stored, payload: stored.payload === null ? null : (JSON.parse(stored.payload) as Message['payload']) };
}

function fromRecordItem(item: Item): Message {
  return { ...decode<Omit<Message, 'payload'>>(item), payload: null };
}

export function createMessageStore(table: Table): MessageStore {
  async function record(appId: string, msgId: string, consistent: boolean): Promise<Message | undefined> {
    const item = await getItem(table, key.message(appId, msgId), consistent);
    return item === undefined || expired(item, Date.now()) ? undefined : fromRecordItem(item);
  }

  async function getById(appId: string, msgId: string, withPayload: boolean, consistent: boolean): Promise<Message | undefined> {
    if (withPayload) {
      const item = await getItem(table, key.messagePayload(appId, msgId), consistent);
      if (item !== undefined && !expired(item, Date.now())) return fromPayloadItem(item);
      // An eventually consistent miss may be a replica that has not seen the payload yet, while it
      // has the record: that must never read as an expired payload. Confirm with consistent reads
      // (a real miss, after retention or for an unknown id, is rare on the paths that read this way).
      if (item === undefined && !consistent) return getById(appId, msgId, withPayload, true);
    }
    return record(appId, msgId, consistent);
  }

  /** The payloads (and raw payloads) of `messages` (one BatchGetItem per 100); expired ones stay null. */
  async function attachPayloads(appId: string, messages: Message[]): Promise<Message[]> {
    if (messages.length === 0) return messages;
    const items = await batchGet(table.client, table.name, messages.map((m) => keyOf(key.messagePayload(appId, m.id))));
    const now = Date.now();
    const full = new Map(items.filter((item) => !expired(item, now)).map((item) => {
      const message = fromPayloadItem(item);
      return [message.id, message] as const;
    }));
    return messages.map((m) => {
      const stored = full.get(m.id);
      if (stored === undefined) return { ...m, payload: null };
      return { ...m, payload: stored.payload, ...(stored.rawPayload == null ? {} : { rawPayload: stored.rawPayload }) };
    });
  }

  return {
    async create(message) {
      const stored: StoredMessage = { ...message, payload: message.payload === null ? null : JSON.stringify(message.payload) };
      // The record never holds the payload, raw or parsed: retention and expunge remove only MSGPAY.
      const { payload: _payload, rawPayload: _rawPayload, ...recordFields } = stored;
      const recordTtl = { [TTL]: recordExpiry(message) };
      // The payload first: whoever finds the record then finds the payload (until retention ends).
      await table.client.send(
        new PutItemCommand({
          TableName: table.name,
          Item: itemOf(key.messagePayload(message.appId, message.id), stored, { [TTL]: epochSeconds(message.payloadExpiresAt) }),
        }),
      );
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
        await table.client
          .send(new DeleteItemCommand({ TableName: table.name, Key: keyOf(key.messagePayload(message.appId, message.id)) }))
          .catch(() => undefined);
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
      const keys = [key.message(message.appId, message.id), key.messagePayload(message.appId, message.id)];
      if (message.eventId !== null) keys.push(key.messageEventId(message.appId, message.eventId));
      await table.client.send(
        new TransactWriteItemsCommand({ TransactItems: keys.map((Key) => ({ Delete: { TableName: table.name, Key: keyOf(Key) } })) }),
      );
    },

    async expungePayload(appId, msgId) {
      await table.client.send(new DeleteItemCommand({ TableName: table.name, Key: keyOf(key.messagePayload(appId, msgId)) }));
    },

    async getMany(appId, msgIds, options = {}) {
      const ids = [...new Set(msgIds)];
      if (ids.length === 0) return [];
      const items = await batchGet(table.client, table.name, ids.map((id) => keyOf(key.message(appId, id))));
      const now = Date.now();
      const records = items.filter((item) => !expired(item, now)).map(fromRecordItem);
      return options.withPayload === true ? attachPayloads(appId, records) : records;
    },

    async list(appId, query, filter, options = {}) {
      const page = await queryPage(onTable(table, partition.messages(appId)), query, messageFilter(filter));
      const now = Date.now();
      const records = page.items.filter((item) => !expired(item, now)).map(fromRecordItem);
      return { items: options.withPayload === false ? records : await attachPayloads(appId, records), more: page.more };
    },
  };
}
