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

/**
 * Free text (names, descriptions, metadata) must be well-formed Unicode without NUL: a lone surrogate
 * has no UTF-8 form (stores and clients would turn it into U+FFFD or refuse it) and NUL ends strings
 * in C-based tools. A 422 says so instead of storing something no client reads back as sent.
 */
export const plainText = z.refine<string>((v) => v.isWellFormed() && !v.includes('\0'), {
  message: 'must be valid Unicode text (no lone surrogates) without NUL characters',
});

export const throttleRate = z.int().check(z.gte(1), z.lte(65_535));
const mapSize = (max: number) =>
  z.refine<Record<string, string>>((m) => Object.keys(m).length <= max, { message: `must have at most ${max} entries` });

/** `metadata`: string → string, bounded (DynamoDB also refuses empty keys, so they are a 422 here). */
export const stringMap = z
  .record(
    z.string().check(z.minLength(1), z.maxLength(LIMITS.metadataKeyLength), plainText),
    z.string().check(z.maxLength(LIMITS.metadataValueLength), plainText),
  )
  .check(mapSize(LIMITS.metadataKeys));

export const description = z.string().check(z.maxLength(LIMITS.descriptionLength), plainText);

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
  // Svix's server refuses these too (caching and content metadata a receiver must not be told).
  'trailers',
  'age',
  'cache-control',
  'clear-site-data',
  'expires',
  'pragma',
  'warning',
  'content-encoding',
  'content-language',
  'content-location',
]);

/** Prefixes Svix's server refuses: its own and the cloud providers' infrastructure headers. */
export const FORBIDDEN_ENDPOINT_HEADER_PREFIXES: readonly string[] = ['x-amz-', 'x-amzn-', 'x-google', 'x-goog-', 'x-gfe', 'x-azure-', 'x-fd-', 'x-svix-', 'svix-'];

const forbiddenHeaderName = (name: string): boolean => {
  const lower = name.toLowerCase();
  return FORBIDDEN_ENDPOINT_HEADERS.has(lower) || FORBIDDEN_ENDPOINT_HEADER_PREFIXES.some((p) => lower.startsWith(p));
};

/** A custom header's name: a valid token, bounded, none that override ours or Svix refuses (422). */
export const endpointHeaderName = z.string().check(
  z.minLength(1),
  z.maxLength(LIMITS.headerNameLength),
  z.regex(HEADER_NAME),
  z.refine((n) => !forbiddenHeaderName(n), {
    message: 'this header is set by Sluice or the infrastructure (signature, framing, hop-by-hop, svix-/cloud prefixes) and cannot be set',
  }),
);

export const endpointHeaderValue = z.string().check(z.maxLength(LIMITS.headerValueLength), z.regex(HEADER_VALUE));

/** Custom endpoint headers: valid names and values, bounded, none that override ours (422). */
export const endpointHeaders = z.record(endpointHeaderName, endpointHeaderValue).check(mapSize(LIMITS.headerCount));

export const channels = z.array(z.string().check(z.minLength(1), z.maxLength(128), z.regex(CHANNEL_PATTERN))).check(
  z.minLength(1),
  z.maxLength(10),
);

export const tags = z.array(z.string().check(z.minLength(1), z.maxLength(128), z.regex(TAG_PATTERN))).check(
  z.maxLength(5),
);

/**
 * Event-type names, unique. An empty list is accepted and means "every event type", like null:
 * browser clients (svix-react's new-endpoint form) send `filterTypes: []` for "no filter".
 */
export const eventTypeNames = z.array(name).check(
  z.maxLength(LIMITS.eventTypeFilters),
  z.refine((names) => new Set(names).size === names.length, { message: 'event types must be unique' }),
);

/** Optional and nullable (`null` clears, absent keeps, in patches). */
export const nullish = <T extends z.core.SomeType>(schema: T) => z.optional(z.nullable(schema));
