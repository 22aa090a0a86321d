/**
 * Svix-style keyset pagination, pure: turns the list query (limit, iterator, order, key bounds) into
 * a store PageQuery and a store Slice back into the wire list `{data, iterator, prevIterator, done}`.
 *
 * - `iterator` is the key of the last item on the page (set even when done; null on an empty page).
 * - `prevIterator` is "-" + the key of the first item; passing it as `iterator` pages backwards.
 * - Keys are ids (they sort by time) or, for event types, names.
 */
import type { PageQuery, Slice } from './ports.ts';

export type SortOrder = 'ascending' | 'descending';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

export interface ListParams {
  limit: number;
  /** As the client sent it: a key, "-" + key (backwards), or undefined for the first page. */
  iterator?: string | undefined;
  order: SortOrder;
  /** Inclusive key bounds (from `after`/`before` dates). */
  lower?: string | undefined;
  upper?: string | undefined;
}

export interface ListOut<T> {
  data: T[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

export interface PlannedPage {
  query: PageQuery;
  /** True when the store is read in the opposite order; the slice must be reversed afterwards. */
  backwards: boolean;
}

const flip = (order: SortOrder): SortOrder => (order === 'ascending' ? 'descending' : 'ascending');

export function planPage(params: ListParams): PlannedPage {
  // As Svix: `after` alone (no iterator, no `before`) on a newest-first list reads forward in time from
  // `after`, so the page holds the items just after it (still shown newest first).
  const afterOnly = params.iterator === undefined && params.lower !== undefined && params.upper === undefined && params.order === 'descending';
  const backwards = afterOnly || (params.iterator !== undefined && params.iterator.startsWith('-'));
  const cursor = params.iterator?.startsWith('-') === true ? params.iterator.slice(1) : params.iterator;
  const query: PageQuery = { limit: params.limit, order: backwards ? flip(params.order) : params.order };
  if (cursor !== undefined && cursor !== '') query.from = cursor;
  if (params.lower !== undefined) query.lower = params.lower;
  if (params.upper !== undefined) query.upper = params.upper;
  return { query, backwards };
}

/** Builds the wire list from a slice read as `plan` said; `key` gives an item's cursor key. */
export function toListOut<T>(slice: Slice<T>, plan: PlannedPage, key: (item: T) => string): ListOut<T> {
  // A backwards read returns the items nearest the cursor first: restore the requested order.
  const items = plan.backwards ? [...slice.items].reverse() : slice.items;
  const first = items[0];
  const last = items.at(-1);
  return {
    data: items,
    iterator: last === undefined ? null : key(last),
    prevIterator: first === undefined ? null : `-${key(first)}`,
    done: !slice.more,
  };
}

/** Plans the page, reads it with `fetch`, and builds the wire list. */
export async function paginate<T>(
  params: ListParams,
  fetch: (query: PageQuery) => Promise<Slice<T>>,
  key: (item: T) => string,
): Promise<ListOut<T>> {
  const plan = planPage(params);
  return toListOut(await fetch(plan.query), plan, key);
}

/** Maps a list's items (domain → wire) and keeps its cursors. */
export function mapList<T, O>(list: ListOut<T>, serialize: (item: T) => O): ListOut<O> {
  return { ...list, data: list.data.map(serialize) };
}
