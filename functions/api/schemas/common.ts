/** Field schemas shared by the request bodies (Svix's limits). */
import * as z from 'zod/mini';
import { UID_MAX_LENGTH, UID_PATTERN } from '../../core/services/uids.ts';

export const CHANNEL_PATTERN = /^[a-zA-Z0-9\-_.:+]+$/;
const TAG_PATTERN = /^[a-zA-Z0-9\-_./\\#]+$/;

export const name = z.string().check(z.minLength(1), z.maxLength(UID_MAX_LENGTH), z.regex(UID_PATTERN));

/** A uid that must not look like an id of its own kind (`app_…`, `ep_…`). */
export const uidFor = (prefix: string) =>
  z.string().check(
    z.minLength(1),
    z.maxLength(UID_MAX_LENGTH),
    z.regex(UID_PATTERN),
    z.refine((v) => !v.startsWith(prefix), {
      message: `uid must not start with '${prefix}'`,
      params: { type: 'invalid_uid_prefix' },
      abort: true,
    }),
  );

export const throttleRate = z.int().check(z.gte(1), z.lte(65_535));
export const stringMap = z.record(z.string(), z.string());

export const channels = z.array(z.string().check(z.minLength(1), z.maxLength(128), z.regex(CHANNEL_PATTERN))).check(
  z.minLength(1),
  z.maxLength(10),
);

export const tags = z.array(z.string().check(z.minLength(1), z.maxLength(128), z.regex(TAG_PATTERN))).check(
  z.maxLength(5),
);

/** Event-type names, ≥1 and unique. */
export const eventTypeNames = z.array(name).check(
  z.minLength(1),
  z.refine((names) => new Set(names).size === names.length, { message: 'event types must be unique' }),
);

/** Optional and nullable (`null` clears, absent keeps, in patches). */
export const nullish = <T extends z.core.SomeType>(schema: T) => z.optional(z.nullable(schema));
