/**
 * Background tasks (recover's `qtask_…`): one item each in the BGTASK partition (the admin's list)
 * with a gsi1 copy under BGTASKAPP#<appId> (an app token's list). The api writes a task when it
 * starts one; the worker that runs it settles it once (finished or failed). Items expire after
 * TASK_RETENTION_DAYS through the table's TTL.
 */
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { BackgroundTask } from '../../core/model.ts';
import type { BackgroundTaskFilter, BackgroundTaskStore } from '../../core/ports.ts';
import { NotFoundError } from '../../core/errors.ts';
import { decode, itemOf, keyOf } from './codec.ts';
import { onConditionFailure } from './errors.ts';
import { filterBuilder } from './filter.ts';
import { GSI1, TTL, epochSeconds, key, partition } from './keys.ts';
import { queryPage } from './paging.ts';
import { getItem, onGsi1, onTable, type Table } from './table.ts';

export const TASK_RETENTION_DAYS = 90;

function taskFilter(filter: BackgroundTaskFilter) {
  const builder = filterBuilder();
  if (filter.status !== undefined) builder.equals('status', filter.status);
  if (filter.task !== undefined) builder.equals('task', filter.task);
  return builder.build();
}

export function createBackgroundTaskStore(table: Table): BackgroundTaskStore {
  return {
    async put(task) {
      const expiresAt = epochSeconds(task.createdAt) + TASK_RETENTION_DAYS * 86_400;
      await table.client.send(
        new PutItemCommand({
          TableName: table.name,
          Item: itemOf(key.backgroundTask(task.id), task, {
            [GSI1.partitionKey]: partition.backgroundTasksByApp(task.appId),
            [GSI1.sortKey]: task.id,
            [TTL]: expiresAt,
          }),
        }),
      );
    },

    async get(taskId) {
      const item = await getItem(table, key.backgroundTask(taskId));
      return item && decode<BackgroundTask>(item);
    },

    async settle(taskId, status, data, updatedAt) {
      const names: Record<string, string> = { '#status': 'status', '#data': 'data' };
      const values: Record<string, unknown> = { ':status': status, ':updatedAt': updatedAt };
      // Merged key by key, so what the api stored (the request) stays next to what the worker adds.
      const sets = Object.entries(data).map(([name, value], i) => {
        names[`#d${i}`] = name;
        values[`:d${i}`] = value;
        return `#data.#d${i} = :d${i}`;
      });
      await onConditionFailure(
        table.client.send(
          new UpdateItemCommand({
            TableName: table.name,
            Key: keyOf(key.backgroundTask(taskId)),
            UpdateExpression: ['SET #status = :status', 'updatedAt = :updatedAt', ...sets].join(', '),
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
          }),
        ),
        () => new NotFoundError(`Background task ${taskId} not found`),
      );
    },

    async list(query, filter) {
      const target =
        filter.appId === undefined ? onTable(table, partition.backgroundTasks) : onGsi1(table, partition.backgroundTasksByApp(filter.appId));
      const page = await queryPage(target, query, taskFilter(filter));
      return { items: page.items.map((item) => decode<BackgroundTask>(item)), more: page.more };
    },
  };
}
