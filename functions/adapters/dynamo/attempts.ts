/**
 * The attempt log, written once per attempt (issue: half the bill per delivery):
 *
 * - ATT#<appId>#<endpointId> / <attemptId>: the attempt, whole. The by-endpoint list is a Query here.
 * - ATTIDX#<appId>#<msgId> / <first attemptId>: one index item per message per recorded batch, with a
 *   compact line per attempt (id, endpoint, status, response code, trigger) and the message's event
 *   type, channels and tags. A message's attempts are few (fan-out × schedule): the by-message reads
 *   Query its index items (strongly consistent: attempt numbers read their own writes), filter and page
 *   in memory (core/attempts/attempt-filter.ts), then BatchGet the page's attempts. A K-endpoint
 *   message delivered in one batch costs K + 1 write units instead of the 2K of a full gsi1 copy;
 *   listings, which are rare next to attempts, pay with cheap reads.
 * - DEST#<appId>#<endpointId> / <msgId>: the message's latest state for that endpoint, only when there
 *   is one to track (retries, failures, manual attempts).
 *
 * recordAll() writes all of a batch's items in BatchWriteItem calls (25 per call) rather than a
 * transaction: none has a condition (attempt ids are new, the status is last-writer-wins), a
 * transaction would double the write units on the busiest path, and a half-done batch is retried by
 * SQS and re-recorded. A message's items (attempts, statuses, index entry) always share a request, so
 * a worker that dies between two requests leaves no attempt its message's index cannot find. Two
 * statuses for the same (message, endpoint) in one batch keep the later.
 *
 * Attempts written before this layout carry gsi1 keys (ATTMSG#<appId>#<msgId>): every by-message read
 * also reads that gsi1 partition, so a deployed stack keeps its whole attempt log across the upgrade.
 */
import { UpdateItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { AttemptStatus, TriggerType, type DeliveryStatus, type MessageAttempt } from '../../core/model.ts';
import type { AttemptFilter, AttemptHistory, AttemptRecord, AttemptStore, PageQuery, Slice } from '../../core/ports.ts';
import { NotFoundError } from '../../core/errors.ts';
import { byId, matchesAttemptFilter, pageById, type FilterableAttempt } from '../../core/attempts/attempt-filter.ts';
import { batchGet, batchWriteGroups } from './batch.ts';
import { decode, itemOf, keyOf, type Item } from './codec.ts';
import { attemptFilter } from './filter.ts';
import { key, partition } from './keys.ts';
import { onConditionFailure } from './errors.ts';
import { queryAll, queryPage, walkPages, type PartitionQuery } from './paging.ts';
import { getItem, onGsi1, onTable, type Table } from './table.ts';

/** What the index holds of one attempt: enough to filter, count and find it. */
interface AttemptRef extends FilterableAttempt {
  triggerType: TriggerType;
  /** Set for attempts read whole (the legacy gsi1 copies). */
  whole?: MessageAttempt;
}

interface IndexItem {
  appId: string;
  msgId: string;
  eventType: string;
  channels: string[] | null;
  tags: string[] | null;
  /** "<attemptId> <endpointId> <status> <responseStatusCode> <triggerType>" per attempt. */
  refs: string[];
}

const refLine = (a: MessageAttempt): string => `${a.id} ${a.endpointId} ${a.status} ${a.responseStatusCode} ${a.triggerType}`;

function refsOf(index: IndexItem): AttemptRef[] {
  return index.refs.map((line) => {
    const [id = '', endpointId = '', status, code, trigger] = line.split(' ');
    return {
      id,
      endpointId,
      status: Number(status),
      responseStatusCode: Number(code),
      triggerType: Number(trigger) as TriggerType,
      eventType: index.eventType,
      channels: index.channels,
      tags: index.tags,
    };
  });
}

const refOfWhole = (a: MessageAttempt): AttemptRef => ({ ...a, whole: a });

/** The index item of one message's attempts in a recorded batch. */
function indexItem(attempts: readonly MessageAttempt[]): Item {
  const sorted = [...attempts].sort(byId);
  const first = sorted[0]!;
  const index: IndexItem = {
    appId: first.appId,
    msgId: first.msgId,
    eventType: first.eventType,
    channels: first.channels,
    tags: first.tags,
    refs: sorted.map(refLine),
  };
  return itemOf(key.attemptIndex(first.appId, first.msgId, first.id), index);
}

/** The statuses to store; the later attempt's wins when two are for the same (message, endpoint). */
function latestStatuses(records: readonly AttemptRecord[]): DeliveryStatus[] {
  const latest = new Map<string, AttemptRecord & { status: DeliveryStatus }>();
  for (const record of records) {
    if (record.status === null) continue;
    const seen = latest.get(record.attempt.endpointId);
    if (seen === undefined || seen.attempt.id < record.attempt.id) latest.set(record.attempt.endpointId, { ...record, status: record.status });
  }
  return [...latest.values()].map((r) => r.status);
}

/**
 * The writes of a recorded batch, one group per message: its attempts, their statuses and the index
 * item that finds them, so they go out in the same request (adapters/dynamo/batch.ts batchWriteGroups).
 */
function writeGroups(records: readonly AttemptRecord[]): WriteRequest[][] {
  const byMessage = new Map<string, AttemptRecord[]>();
  for (const record of records) {
    const message = `${record.attempt.appId} ${record.attempt.msgId}`;
    byMessage.set(message, [...(byMessage.get(message) ?? []), record]);
  }
  return [...byMessage.values()].map((group) => {
    const attempts = group.map((r) => r.attempt);
    const items = [
      ...attempts.map((a) => itemOf(key.attempt(a.appId, a.endpointId, a.id), a)),
      ...latestStatuses(group).map((s) => itemOf(key.status(s.appId, s.endpointId, s.msgId), s)),
      indexItem(attempts),
    ];
    return items.map((Item) => ({ PutRequest: { Item } }));
  });
}

export function createAttemptStore(table: Table): AttemptStore {
  async function list(target: PartitionQuery, query: PageQuery, filter: AttemptFilter): Promise<Slice<MessageAttempt>> {
    const page = await queryPage(target, query, attemptFilter(filter));
    return { items: page.items.map((item) => decode<MessageAttempt>(item)), more: page.more };
  }

  /** Every attempt of a message as refs: its index items (consistent) and any legacy gsi1 copies. */
  async function refsOfMessage(appId: string, msgId: string): Promise<AttemptRef[]> {
    const [indexes, legacy] = await Promise.all([
      queryAll(onTable(table, partition.attemptIndex(appId, msgId), true)),
      queryAll(onGsi1(table, partition.legacyAttemptsByMessage(appId, msgId))),
    ]);
    const refs = new Map<string, AttemptRef>();
    for (const item of indexes) for (const ref of refsOf(decode<IndexItem>(item))) refs.set(ref.id, ref);
    for (const item of legacy) {
      const attempt = decode<MessageAttempt>(item);
      refs.set(attempt.id, refOfWhole(attempt));
    }
    return [...refs.values()].sort(byId);
  }

  /** The whole attempts of `refs`, in their order (an attempt deleted since is left out). */
  async function wholeOf(appId: string, msgId: string, refs: readonly AttemptRef[], consistent = false): Promise<MessageAttempt[]> {
    const missing = refs.filter((r) => r.whole === undefined);
    const items = await batchGet(table.client, table.name, missing.map((r) => keyOf(key.attempt(appId, r.endpointId, r.id))), { consistent });
    const found = new Map(items.map((item) => {
      const attempt = decode<MessageAttempt>(item);
      return [attempt.id, attempt] as const;
    }));
    return refs.flatMap((r) => r.whole ?? found.get(r.id) ?? []).filter((a) => a.msgId === msgId);
  }

  const store: AttemptStore = {
    async record(attempt, status) {
      await store.recordAll([{ attempt, status }]);
    },

    async recordAll(records) {
      await batchWriteGroups(table.client, table.name, writeGroups(records));
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
      const mine = (await refsOfMessage(appId, msgId)).filter((r) => r.endpointId === endpointId);
      const scheduled = mine.filter((r) => r.triggerType === TriggerType.Scheduled);
      const lastRef = scheduled.at(-1);
      return {
        scheduled: scheduled.length,
        succeeded: mine.some((r) => r.status === AttemptStatus.Success),
        last: lastRef === undefined ? undefined : (await wholeOf(appId, msgId, [lastRef], true))[0],
      };
    },

    listByEndpoint(appId, endpointId, query, filter) {
      return list(onTable(table, partition.attemptsByEndpoint(appId, endpointId)), query, filter);
    },

    async listByMessage(appId, msgId, query, filter) {
      const refs = (await refsOfMessage(appId, msgId)).filter((r) => matchesAttemptFilter(filter, r));
      const page = pageById(refs, query);
      return { items: await wholeOf(appId, msgId, page.items), more: page.more };
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
      const ref = (await refsOfMessage(appId, msgId)).find((r) => r.id === attemptId);
      return ref === undefined ? undefined : (await wholeOf(appId, msgId, [ref]))[0];
    },

    async allForMessage(appId, msgId) {
      return wholeOf(appId, msgId, await refsOfMessage(appId, msgId));
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
  return store;
}
