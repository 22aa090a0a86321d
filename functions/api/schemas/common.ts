/** Field schemas shared by the request bodies (Svix's limits). */
import * as z from 'zod/mini';
import { RESERVED_HEADERS } from '../../core/signing/webhook-headers.ts';
import { UID_MAX_LENGTH, UID_PATTERN } from '../../core/validation/uids.ts';
import { LIMITS } from '../limits.ts';

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
const mapSize = (max: number) =>
  z.refine<Record<string, string>>((m) => Object.keys(m).length <= max, { message: `must have at most ${max} entries` });

/** `metadata`: string → string, bounded (DynamoDB also refuses empty keys, so they are a 422 here). */
export const stringMap = z
  .record(
    z.string().check(z.minLength(1), z.maxLength(LIMITS.metadataKeyLength)),
    z.string().check(z.maxLength(LIMITS.metadataValueLength)),
  )
  .check(mapSize(LIMITS.metadataKeys));

export const description = z.string().check(z.maxLength(LIMITS.descriptionLength));

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, space and tab; no CR, LF or NUL (header injection). */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** Names an endpoint's headers may not set: the signature headers and what the HTTP client owns. */
export const FORBIDDEN_ENDPOINT_HEADERS: ReadonlySet<string> = new Set([
  ...RESERVED_HEADERS,
  'proxy-authorization',
  'proxy-authenticate',
  'x-forwarded-for',
  'x-forwarded-host',
]);

/** Custom endpoint headers: valid names and values, bounded, none that override ours (422). */
export const endpointHeaders = z
  .record(
    z.string().check(
      z.minLength(1),
      z.maxLength(LIMITS.headerNameLength),
      z.regex(HEADER_NAME),
      z.refine((n) => !FORBIDDEN_ENDPOINT_HEADERS.has(n.toLowerCase()), {
        message: 'this header is set by Sluice (signature, framing or hop-by-hop) and cannot be overridden',
      }),
    ),
    z.string().check(z.maxLength(LIMITS.headerValueLength), z.regex(HEADER_VALUE)),
  )
  .check(mapSize(LIMITS.headerCount));

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
  z.maxLength(LIMITS.eventTypeFilters),
  z.refine((names) => new Set(names).size === names.length, { message: 'event types must be unique' }),
);

/** Optional and nullable (`null` clears, absent keeps, in patches). */
export const nullish = <T extends z.core.SomeType>(schema: T) => z.optional(z.nullable(schema));
