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
 */
import type { DeliveryStatus, MessageAttempt } from '../../core/model.ts';
import type { AttemptFilter, AttemptStore, PageQuery, Slice } from '../../core/ports.ts';
import { batchWrite } from './batch.ts';
import { decode, itemOf } from './codec.ts';
import { attemptFilter } from './filter.ts';
import { GSI1, key, partition } from './keys.ts';
import { queryAll, queryPage, type PartitionQuery } from './paging.ts';
import { onGsi1, onTable, type Table } from './table.ts';

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
      const statusItem = itemOf(key.status(status.appId, status.endpointId, status.msgId), status);
      await batchWrite(table.client, table.name, [
        { PutRequest: { Item: attemptItem } },
        { PutRequest: { Item: statusItem } },
      ]);
    },

    listByEndpoint(appId, endpointId, query, filter) {
      return list(onTable(table, partition.attemptsByEndpoint(appId, endpointId)), query, filter);
    },

    listByMessage(appId, msgId, query, filter) {
      return list(onGsi1(table, partition.attemptsByMessage(appId, msgId)), query, filter);
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
