/**
 * Attempts live under their endpoint (ATT#<appId>#<endpointId>) and are projected under their message
 * through gsi1 (ATTMSG#<appId>#<msgId>). Each message's latest state per endpoint is a DeliveryStatus
 * item in DEST#<appId>#<endpointId>, keyed by msgId so recover can read a window of them.
 *
 * record() writes both items in ONE BatchWriteItem rather than a transaction: neither write has a
 * condition (the attempt id is new, the status is last-writer-wins), a transaction would cost twice
 * the write units on the busiest path, and a half-done pair (attempt without status) is harmless:
 * the unprocessed item is retried here, and a task that fails outright is retried by SQS and
 * re-records. BatchWriteItem has no conditions, so concurrent workers for the same message and
 * endpoint (rare: one task per pair) could leave the older status last; accepted.
 *
 * Without a status (the delivery found nothing to track: a first scheduled attempt that succeeded) it
 * is a single PutItem: one write unit per delivered webhook, the floor. See core/delivery/plan.ts.
 */
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { AttemptStatus, TriggerType, type DeliveryStatus, type MessageAttempt } from '../../core/model.ts';
import type { AttemptFilter, AttemptHistory, AttemptStore, PageQuery, Slice } from '../../core/ports.ts';
import { NotFoundError } from '../../core/errors.ts';
import { batchGet, batchWrite } from './batch.ts';
import { decode, itemOf, keyOf } from './codec.ts';
import { attemptFilter } from './filter.ts';
import { GSI1, key, partition } from './keys.ts';
import { onConditionFailure } from './errors.ts';
import { queryAll, queryPage, walkPages, type PartitionQuery } from './paging.ts';
import { getItem, onGsi1, onTable, type Table } from './table.ts';

export function createAttemptStore(table: Table): AttemptStore {
  async function list(target: PartitionQuery, query: PageQuery, filter: AttemptFilter): Promise<Slice<MessageAttempt>> {
    const page = await queryPage(target, query, attemptFilter(filter));
    return { items: page.items.map((item) => decode<MessageAttempt>(item)), more: page.more };
  }

  return {
    async record(attempt, status) {
      const attemptItem = itemOf(key.attempt(attempt.appId, attempt.endpointId, attempt.id), attempt, {
        [GSI1.partitionKey]: partition.attemptsByMessage(attempt.appId, attempt.msgId),
        [GSI1.sortKey]: attempt.id,
      });
      if (status === null) {
        await table.client.send(new PutItemCommand({ TableName: table.name, Item: attemptItem }));
        return;
      }
      const statusItem = itemOf(key.status(status.appId, status.endpointId, status.msgId), status);
      await batchWrite(table.client, table.name, [
        { PutRequest: { Item: attemptItem } },
        { PutRequest: { Item: statusItem } },
      ]);
    },

    async getStatus(appId, endpointId, msgId) {
      const item = await getItem(table, key.status(appId, endpointId, msgId));
      return item && decode<DeliveryStatus>(item);
    },

    async holdForThrottle(appId, endpointId, msgId, slotMs, taskId) {
      // Keeps whatever the status says about earlier attempts; creates a Pending one if there is none.
      await table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
          Key: keyOf(key.status(appId, endpointId, msgId)),
          UpdateExpression:
            'SET appId = :appId, msgId = :msgId, endpointId = :endpointId, #status = if_not_exists(#status, :pending), ' +
            'attempts = if_not_exists(attempts, :zero), lastAttemptAt = if_not_exists(lastAttemptAt, :null), ' +
            'nextAttemptAt = :next, throttleSlotMs = :slot, throttleTaskId = :task',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({
            ':appId': appId,
            ':msgId': msgId,
            ':endpointId': endpointId,
            ':pending': AttemptStatus.Pending,
            ':zero': 0,
            ':null': null,
            ':next': new Date(slotMs).toISOString(),
            ':slot': slotMs,
            ':task': taskId,
          }),
        }),
      );
    },

    async history(appId, msgId, endpointId): Promise<AttemptHistory> {
      const items = await queryAll(onGsi1(table, partition.attemptsByMessage(appId, msgId)));
      const mine = items.map((item) => decode<MessageAttempt>(item)).filter((a) => a.endpointId === endpointId);
      const scheduled = mine.filter((a) => a.triggerType === TriggerType.Scheduled);
      return {
        scheduled: scheduled.length,
        succeeded: mine.some((a) => a.status === AttemptStatus.Success),
        last: scheduled.at(-1),
      };
    },

    listByEndpoint(appId, endpointId, query, filter) {
      return list(onTable(table, partition.attemptsByEndpoint(appId, endpointId)), query, filter);
    },

    listByMessage(appId, msgId, query, filter) {
      return list(onGsi1(table, partition.attemptsByMessage(appId, msgId)), query, filter);
    },

    async statusesOf(appId, endpointId, msgIds) {
      const ids = [...new Set(msgIds)];
      if (ids.length === 0) return [];
      const items = await batchGet(table.client, table.name, ids.map((msgId) => keyOf(key.status(appId, endpointId, msgId))));
      return items.map((item) => decode<DeliveryStatus>(item));
    },

    async statusesOfMessage(appId, msgId, endpointIds) {
      const ids = [...new Set(endpointIds)];
      if (ids.length === 0) return [];
      const items = await batchGet(table.client, table.name, ids.map((endpointId) => keyOf(key.status(appId, endpointId, msgId))));
      return items.map((item) => decode<DeliveryStatus>(item));
    },

    async getForMessage(appId, msgId, attemptId) {
      const pages = walkPages(onGsi1(table, partition.attemptsByMessage(appId, msgId)), { order: 'ascending', lower: attemptId, upper: attemptId });
      for await (const items of pages) {
        const item = items[0];
        if (item !== undefined) return decode<MessageAttempt>(item);
      }
      return undefined;
    },

    async allForMessage(appId, msgId) {
      const items = await queryAll(onGsi1(table, partition.attemptsByMessage(appId, msgId)));
      return items.map((item) => decode<MessageAttempt>(item));
    },

    async replaceResponse(attempt, response) {
      await onConditionFailure(
        table.client.send(
          new UpdateItemCommand({
            TableName: table.name,
            Key: keyOf(key.attempt(attempt.appId, attempt.endpointId, attempt.id)),
            UpdateExpression: 'SET #response = :response',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#response': 'response' },
            ExpressionAttributeValues: { ':response': { S: response } },
          }),
        ),
        () => new NotFoundError(),
      );
    },

    async *walkByEndpoint(appId, endpointId, range, filter, pageSize) {
      const pages = walkPages(onTable(table, partition.attemptsByEndpoint(appId, endpointId)), range, attemptFilter(filter), pageSize);
      for await (const items of pages) yield items.map((item) => decode<MessageAttempt>(item));
    },

    async statusesForEndpoint(appId, endpointId, lowerMsgId, upperMsgId) {
      const items = await queryAll(onTable(table, partition.statuses(appId, endpointId)), {
        lo: lowerMsgId,
        hi: upperMsgId,
      });
      return items.map((item) => decode<DeliveryStatus>(item));
    },
  };
}
