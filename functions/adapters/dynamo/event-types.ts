/** Event types: one partition (ET) keyed by name. */
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { EventType } from '../../core/model.ts';
import type { EventTypeStore } from '../../core/ports.ts';
import { ConflictError } from '../../core/errors.ts';
import { batchGet } from './batch.ts';
import { decode, itemOf, keyOf } from './codec.ts';
import { onConditionFailure } from './errors.ts';
import { filterBuilder } from './filter.ts';
import { key, partition } from './keys.ts';
import { queryPage } from './paging.ts';
import { getItem, onTable, type Table } from './table.ts';

export function createEventTypeStore(table: Table): EventTypeStore {
  return {
    async create(eventType) {
      await onConditionFailure(
        table.client.send(
          new PutItemCommand({
            TableName: table.name,
            Item: itemOf(key.eventType(eventType.name), eventType),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
        () => new ConflictError('An event type with this name already exists', 'event_type_exists'),
      );
    },

    async get(name) {
      const item = await getItem(table, key.eventType(name));
      return item && decode<EventType>(item);
    },

    async put(eventType) {
      await table.client.send(
        new PutItemCommand({ TableName: table.name, Item: itemOf(key.eventType(eventType.name), eventType) }),
      );
    },

    async delete(name) {
      await table.client.send(new DeleteItemCommand({ TableName: table.name, Key: keyOf(key.eventType(name)) }));
    },

    async list({ includeArchived, ...query }) {
      const filter = includeArchived ? undefined : filterBuilder().equals('archived', false).build();
      const page = await queryPage(onTable(table, partition.eventTypes), query, filter);
      return { items: page.items.map((item) => decode<EventType>(item)), more: page.more };
    },

    async missing(names) {
      const unique = [...new Set(names)];
      // Consistent: an endpoint created right after its event type must not see it as missing.
      const found = await batchGet(
        table.client,
        table.name,
        unique.map((name) => keyOf(key.eventType(name))),
        { consistent: true },
      );
      const usable = new Set(found.map((item) => decode<EventType>(item)).filter((t) => !t.archived).map((t) => t.name));
      return unique.filter((name) => !usable.has(name));
    },
  };
}
