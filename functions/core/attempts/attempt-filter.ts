/**
 * The attempt lists' filters and keyset paging, evaluated in memory: for a message's attempts, which
 * are few (fan-out × retry schedule) and read from the compact per-message index of the attempt log
 * rather than queried with a FilterExpression. Same semantics as the DynamoDB filter of the
 * by-endpoint list (adapters/dynamo/filter.ts).
 */
import type { AttemptFilter, PageQuery, Slice } from '../ports.ts';

/** The fields of an attempt the filters read. */
export interface FilterableAttempt {
  id: string;
  endpointId: string;
  status: number;
  responseStatusCode: number;
  eventType: string;
  channels: readonly string[] | null;
  tags: readonly string[] | null;
}

/** statusCodeClass c selects responseStatusCode in [c·100, c·100+99]; 0 selects "no response" (0). */
export function matchesAttemptFilter(filter: AttemptFilter, attempt: FilterableAttempt): boolean {
  if (filter.status !== undefined && attempt.status !== filter.status) return false;
  if (filter.statusCodeClass !== undefined) {
    const c = filter.statusCodeClass;
    const code = attempt.responseStatusCode;
    if (c === 0 ? code !== 0 : code < c * 100 || code > c * 100 + 99) return false;
  }
  if (filter.endpointId !== undefined && attempt.endpointId !== filter.endpointId) return false;
  if (filter.eventTypes !== undefined && filter.eventTypes.length > 0 && !filter.eventTypes.includes(attempt.eventType)) return false;
  if (filter.channel !== undefined && !(attempt.channels ?? []).includes(filter.channel)) return false;
  if (filter.tag !== undefined && !(attempt.tags ?? []).includes(filter.tag)) return false;
  return true;
}

/** Ascending by id (ids are KSUIDs: by time). */
export const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * One keyset page of `items` (any order in, `query.order` out) by `id`: `lower`/`upper` inclusive,
 * `from` exclusive in the direction of the order, `more` exact.
 */
export function pageById<T extends { id: string }>(items: readonly T[], query: PageQuery): Slice<T> {
  const ascending = query.order === 'ascending';
  const inRange = items.filter(
    ({ id }) =>
      (query.lower === undefined || id >= query.lower) &&
      (query.upper === undefined || id <= query.upper) &&
      (query.from === undefined || (ascending ? id > query.from : id < query.from)),
  );
  inRange.sort((a, b) => byId(a, b) * (ascending ? 1 : -1));
  return { items: inRange.slice(0, query.limit), more: inRange.length > query.limit };
}
