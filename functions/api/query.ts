/** Query-string parsing shared by the list routes; bad values are 422 at ["query", name]. */
import { ValidationError } from '../core/errors.ts';
import { boundaryId, type IdKind } from '../core/ids.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, type ListParams, type SortOrder } from '../core/pagination.ts';
import { parseDateTime } from '../core/validation/dates.ts';
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

/**
 * limit / iterator / order, plus `before`/`after` turned into id bounds for time-keyed lists.
 * `order` is only read when the list lets the caller choose it.
 */
export function listParams(
  query: Query,
  options: { defaultOrder: SortOrder; orderable: boolean; idKind?: IdKind },
): ListParams {
  const params: ListParams = {
    limit: queryInt(query, 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT,
    iterator: queryString(query, 'iterator'),
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
    if (before !== undefined) params.upper = boundaryId(options.idKind, before, 'end');
  }
  return params;
}
