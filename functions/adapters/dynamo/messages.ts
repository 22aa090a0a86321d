/**
 * Messages: items in MSG#<appId> plus an MSGEVT#<appId> eventId index, written in one transaction.
 * The payload is stored as a JSON string: it round-trips any JSON exactly (empty objects, numbers
 * beyond DynamoDB's precision rules, deep nesting) and keeps marshalling out of the hot path.
 */
import { TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Message } from '../../core/model.ts';
import type { MessageStore } from '../../core/ports.ts';
import { ConflictError } from '../../core/errors.ts';
import { isId } from '../../core/ids.ts';
import { decode, itemOf, keyOf, type Item } from './codec.ts';
import { onConditionFailure } from './errors.ts';
import { messageFilter } from './filter.ts';
import { TTL, epochSeconds, key, partition } from './keys.ts';
import { queryPage } from './paging.ts';
import { getItem, onTable, resolveIndex, type Table } from './table.ts';

type StoredMessage = Omit<Message, 'payload'> & { payload: string | null };

function toStored(message: Message): StoredMessage {
  return { ...message, payload: message.payload === null ? null : JSON.stringify(message.payload) };
}

function fromItem(item: Item): Message {
  const stored = decode<StoredMessage>(item);
  return { ...stored, payload: stored.payload === null ? null : (JSON.parse(stored.payload) as Message['payload']) };
}

export function createMessageStore(table: Table): MessageStore {
  async function getById(appId: string, msgId: string): Promise<Message | undefined> {
    const item = await getItem(table, key.message(appId, msgId));
    return item && fromItem(item);
  }

  return {
    async create(message) {
      // For now the whole item expires with its payload; retention handling is refined later.
      const expiry = { [TTL]: epochSeconds(message.payloadExpiresAt) };
      const items: TransactWriteItem[] = [
        {
          Put: {
            TableName: table.name,
            Item: itemOf(key.message(message.appId, message.id), toStored(message), expiry),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
      if (message.eventId !== null) {
        items.push({
          Put: {
            TableName: table.name,
            Item: itemOf(key.messageEventId(message.appId, message.eventId), { msgId: message.id }, expiry),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      await onConditionFailure(
        table.client.send(new TransactWriteItemsCommand({ TransactItems: items })),
        () => new ConflictError('A message with this id or eventId already exists'),
      );
    },

    async get(appId, idOrEventId) {
      if (isId('message', idOrEventId)) return getById(appId, idOrEventId);
      const msgId = await resolveIndex(table, key.messageEventId(appId, idOrEventId), 'msgId');
      return msgId === undefined ? undefined : getById(appId, msgId);
    },

    async delete(message) {
      const keys = [key.message(message.appId, message.id)];
      if (message.eventId !== null) keys.push(key.messageEventId(message.appId, message.eventId));
      await table.client.send(
        new TransactWriteItemsCommand({ TransactItems: keys.map((Key) => ({ Delete: { TableName: table.name, Key: keyOf(Key) } })) }),
      );
    },

    async list(appId, query, filter) {
      const page = await queryPage(onTable(table, partition.messages(appId)), query, messageFilter(filter));
      return { items: page.items.map(fromItem), more: page.more };
    },
  };
}
