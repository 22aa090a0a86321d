/** Query-string parsing shared by the list routes; bad values are 422 at ["query", name]. */
import { ValidationError } from '../core/errors.ts';
import { boundaryId, isId, lastIdBefore, type IdKind } from '../core/ids.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, type ListParams, type SortOrder } from '../core/pagination.ts';
import { parseDateTime } from '../core/validation/dates.ts';
import { isValidUid } from '../core/validation/uids.ts';
import type { Query } from './types.ts';

const invalid = (name: string, msg: string): ValidationError => ValidationError.at(['query', name], msg);

export function queryInt(query: Query, name: string, min: number, max: number): number | undefined {
  const text = query.get(name);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(name, `must be an integer between ${min} and ${max}`);
  }
  return value;
}

export function queryBool(query: Query, name: string, fallback: boolean): boolean {
  const text = query.get(name);
  if (text === undefined || text === '') return fallback;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw invalid(name, 'must be true or false');
}

export function queryDate(query: Query, name: string): Date | undefined {
  const text = query.get(name);
  if (text === undefined || text === '') return undefined;
  const date = parseDateTime(text);
  if (date === undefined) throw invalid(name, 'must be an RFC 3339 date-time');
  return date;
}

export function queryString(query: Query, name: string): string | undefined {
  const text = query.get(name);
  return text === undefined || text === '' ? undefined : text;
}

/** `event_types=a,b` (the SDKs), repeated `event_types`, or repeated `event_types[]`. */
export function queryList(query: Query, name: string): string[] | undefined {
  const values = [...query.all(name), ...query.all(`${name}[]`)]
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return values.length === 0 ? undefined : values;
}

/** What a list's iterator holds: an id of one kind (`app_…`), or a name (event types). */
export type CursorKind = IdKind | 'name';

/**
 * `iterator`: a cursor of the list's kind, optionally preceded by "-" (a prevIterator, paging
 * backwards). Anything else is a 422, as in Svix, rather than an empty or arbitrary page.
 */
export function queryIterator(query: Query, cursor: CursorKind | undefined): string | undefined {
  const iterator = queryString(query, 'iterator');
  if (iterator === undefined || cursor === undefined) return iterator;
  const key = iterator.startsWith('-') ? iterator.slice(1) : iterator;
  const valid = cursor === 'name' ? isValidUid(key) : isId(cursor, key);
  if (!valid) throw invalid('iterator', cursor === 'name' ? 'must be an event type name' : `must be a ${cursor} id`);
  return iterator;
}

/**
 * limit / iterator / order, plus `before`/`after` turned into id bounds for time-keyed lists.
 * `order` is only read when the list lets the caller choose it. `cursor` (default: `idKind`) is what
 * the iterator must be.
 */
export function listParams(
  query: Query,
  options: { defaultOrder: SortOrder; orderable: boolean; idKind?: IdKind; cursor?: CursorKind },
): ListParams {
  const params: ListParams = {
    limit: queryInt(query, 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT,
    iterator: queryIterator(query, options.cursor ?? options.idKind),
    order: options.defaultOrder,
  };
  if (options.orderable) {
    const order = queryString(query, 'order');
    if (order !== undefined && order !== 'ascending' && order !== 'descending') {
      throw invalid('order', 'must be ascending or descending');
    }
    params.order = order ?? options.defaultOrder;
  }
  if (options.idKind !== undefined) {
    const after = queryDate(query, 'after');
    const before = queryDate(query, 'before');
    if (after !== undefined) params.lower = boundaryId(options.idKind, after, 'start');
    // Svix's bounds: `after` keeps items of its own millisecond slot, `before` excludes them.
    if (before !== undefined) params.upper = lastIdBefore(options.idKind, before);
  }
  return params;
}
