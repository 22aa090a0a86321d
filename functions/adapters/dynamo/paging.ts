/**
 * One keyset page over a partition, as PageQuery (core/ports.ts) defines it.
 *
 * - `order` → ScanIndexForward.
 * - `lower`/`upper` (inclusive) and `from` (exclusive, in the direction of `order`) are folded into
 *   one inclusive sort-key range (BETWEEN / >= / <=), because a key condition allows a single
 *   sort-key clause. The cursor item itself, if it exists, is then dropped client-side.
 * - We ask for limit+1 items (after filtering) so `more` is exact: while fewer match, the next query
 *   page is read (LastEvaluatedKey), because DynamoDB's Limit counts items *before* the filter.
 * - A sparse filter could make that scan a whole partition, so at most PAGING_LIMITS.maxPages pages are
 *   read per call. If we stop there, the slice may hold fewer than `limit` items and reports
 *   `more: true`; the caller's next cursor (its last item) continues the scan.
 */
import { QueryCommand, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { PageQuery } from '../../core/ports.ts';
import type { Item } from './codec.ts';
import type { Filter } from './filter.ts';

export interface PagingLimits {
  /** Query pages read at most per call. */
  maxPages: number;
  /** Items read per query page when a filter is set: fewer round trips for sparse matches. */
  filteredPageSize: number;
}

export const PAGING_LIMITS: PagingLimits = { maxPages: 20, filteredPageSize: 100 };

export interface PartitionQuery {
  client: DynamoDBClient;
  tableName: string;
  /** gsi1, or undefined for the table. */
  index?: { name: string; partitionKey: string; sortKey: string };
  pkName: string;
  skName: string;
  pk: string;
  consistent?: boolean;
}

interface Range {
  lo?: string;
  hi?: string;
}

const max = (a: string | undefined, b: string | undefined): string | undefined =>
  a === undefined ? b : b === undefined ? a : a > b ? a : b;
const min = (a: string | undefined, b: string | undefined): string | undefined =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;

/** The inclusive sort-key range of a page request, or undefined when it is empty. */
export function keyRange(query: Pick<PageQuery, 'order' | 'from' | 'lower' | 'upper'>): Range | undefined {
  const range: Range =
    query.order === 'ascending'
      ? { lo: max(query.lower, query.from), hi: query.upper }
      : { lo: query.lower, hi: min(query.upper, query.from) };
  if (range.lo !== undefined && range.hi !== undefined && range.lo > range.hi) return undefined;
  return range;
}

function keyCondition(target: PartitionQuery, range: Range): Partial<QueryCommandInput> {
  const names: Record<string, string> = { '#pk': target.pkName };
  const values: QueryCommandInput['ExpressionAttributeValues'] = { ':pk': { S: target.pk } };
  let expression = '#pk = :pk';
  if (range.lo !== undefined || range.hi !== undefined) names['#sk'] = target.skName;
  if (range.lo !== undefined) values[':lo'] = { S: range.lo };
  if (range.hi !== undefined) values[':hi'] = { S: range.hi };
  if (range.lo !== undefined && range.hi !== undefined) expression += ' AND #sk BETWEEN :lo AND :hi';
  else if (range.lo !== undefined) expression += ' AND #sk >= :lo';
  else if (range.hi !== undefined) expression += ' AND #sk <= :hi';
  return { KeyConditionExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

export async function queryPage(
  target: PartitionQuery,
  query: PageQuery,
  filter?: Filter,
  limits: PagingLimits = PAGING_LIMITS,
): Promise<{ items: Item[]; more: boolean }> {
  const range = keyRange(query);
  if (range === undefined) return { items: [], more: false };
  const condition = keyCondition(target, range);
  const want = query.limit + 1;
  const skipCursor = query.from !== undefined ? 1 : 0;
  const input: QueryCommandInput = {
    TableName: target.tableName,
    IndexName: target.index?.name,
    ScanIndexForward: query.order === 'ascending',
    ConsistentRead: target.index === undefined ? (target.consistent ?? false) : undefined,
    Limit: filter === undefined ? want + skipCursor : Math.max(want + skipCursor, limits.filteredPageSize),
    KeyConditionExpression: condition.KeyConditionExpression,
    ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, ...filter?.names },
    ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ...filter?.values },
    FilterExpression: filter?.expression,
  };
  const matches: Item[] = [];
  let startKey: Item | undefined;
  let pages = 0;
  do {
    const out = await target.client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    pages++;
    startKey = out.LastEvaluatedKey;
    for (const item of out.Items ?? []) {
      if (query.from !== undefined && item[target.skName]?.S === query.from) continue;
      matches.push(item);
      if (matches.length === want) return { items: matches.slice(0, query.limit), more: true };
    }
  } while (startKey !== undefined && pages < limits.maxPages);
  return { items: matches, more: startKey !== undefined };
}

/** Every item of a partition (optionally within an inclusive sort-key range), all pages. */
export async function queryAll(target: PartitionQuery, range: Range = {}): Promise<Item[]> {
  if (range.lo !== undefined && range.hi !== undefined && range.lo > range.hi) return [];
  const condition = keyCondition(target, range);
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const out = await target.client.send(
      new QueryCommand({
        TableName: target.tableName,
        IndexName: target.index?.name,
        ConsistentRead: target.index === undefined ? (target.consistent ?? false) : undefined,
        ...condition,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/**
 * The Query pages of a partition within a page request's key range (`from` excluded), one array of
 * items per page, in `order`, for callers that decide themselves when they have read enough (the
 * attempt walks of core/attempts/). Each page is at most 1 MB (DynamoDB's limit) or `pageSize` items.
 */
export async function* walkPages(
  target: PartitionQuery,
  query: Pick<PageQuery, 'order' | 'from' | 'lower' | 'upper'>,
  filter?: Filter,
  pageSize?: number,
): AsyncGenerator<Item[]> {
  const range = keyRange(query);
  if (range === undefined) return;
  const condition = keyCondition(target, range);
  let startKey: Item | undefined;
  do {
    const out = await target.client.send(
      new QueryCommand({
        TableName: target.tableName,
        IndexName: target.index?.name,
        ScanIndexForward: query.order === 'ascending',
        ConsistentRead: target.index === undefined ? (target.consistent ?? false) : undefined,
        Limit: pageSize,
        KeyConditionExpression: condition.KeyConditionExpression,
        ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, ...filter?.names },
        ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ...filter?.values },
        FilterExpression: filter?.expression,
        ExclusiveStartKey: startKey,
      }),
    );
    startKey = out.LastEvaluatedKey;
    yield (out.Items ?? []).filter((item) => query.from === undefined || item[target.skName]?.S !== query.from);
  } while (startKey !== undefined);
}
