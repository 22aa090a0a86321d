/**
 * The API's input limits, in one place (documented in the README). They keep every item under
 * DynamoDB's 400 KB, every key under its 1,024-byte sort-key limit, and every body within what the
 * workers can sign and send; anything over a limit is a 4xx in Svix's error shape, never a 500.
 */
import { INLINE_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES } from '../core/messages/payload-objects.ts';

export const LIMITS = {
  /** Whole request body (Svix's, and SQS's, limit). Over it: 413 payload_too_large. */
  requestBodyBytes: 1024 * 1024,
  /** A message payload, serialized. Over it: 413 payload_too_large. Svix documents ~350 KB. */
  payloadBytes: INLINE_PAYLOAD_BYTES,
  /** With a payload bucket (bigPayloadLimits): a payload up to 5 MiB, kept in S3 past 256 KiB. */
  bigPayloadBytes: MAX_PAYLOAD_BYTES,
  /** … and the request that carries it: the payload, its raw form or both, and the rest of the message. */
  bigPayloadRequestBodyBytes: MAX_PAYLOAD_BYTES + 256 * 1024,
  /** JSON nesting of a request body, checked before parsing. Over it: 422 at ["body"]. */
  jsonDepth: 64,
  /** Event-type JSON schemas: serialized size and nesting (DynamoDB nests maps at most 32 deep). */
  schemasBytes: 64 * 1024,
  schemasDepth: 24,
  /** Names, uids, eventIds, event-type names (Svix's). */
  nameLength: 256,
  /** Descriptions of endpoints and event types (Svix sets none; this bounds the item size). */
  descriptionLength: 1024,
  /** Endpoint URLs (Svix's). */
  urlLength: 65_536,
  /** metadata maps on applications and endpoints. */
  metadataKeys: 50,
  metadataKeyLength: 256,
  metadataValueLength: 512,
  /** Custom endpoint headers. */
  headerCount: 20,
  headerNameLength: 256,
  headerValueLength: 4096,
  /** eventTypes / filterTypes on an endpoint, featureFlags on an event type. */
  eventTypeFilters: 250,
  featureFlags: 50,
  /** Path parameters (ids, uids, names) longer than this can't exist: 404. */
  pathParamLength: 256,
  /** Query values (the iterator is an id or a name, optionally with a '-' prefix). */
  iteratorLength: 300,
  queryValueLength: 8192,
  /** event_types in a list filter (DynamoDB caps a filter expression at 4 KB). */
  queryListItems: 100,
  /** Request headers (API Gateway allows 10 KB of headers; the local front 16 KB). */
  requestHeaderCount: 100,
  requestHeaderBytes: 16 * 1024,
} as const;

/** The body and payload limits of a deployment: bigger with a payload bucket (big payloads go to S3). */
export interface BodyLimits {
  requestBodyBytes: number;
  payloadBytes: number;
}

export const bodyLimits = (bigPayloads: boolean): BodyLimits =>
  bigPayloads
    ? { requestBodyBytes: LIMITS.bigPayloadRequestBodyBytes, payloadBytes: LIMITS.bigPayloadBytes }
    : { requestBodyBytes: LIMITS.requestBodyBytes, payloadBytes: LIMITS.payloadBytes };

/**
 * The deepest nesting of `[`/`{` in JSON text, scanning characters (strings skipped) without
 * parsing: it runs before JSON.parse, and stops as soon as `max` is exceeded. JSON.parse itself
 * copes with deep input (V8's parser is iterative), but JSON.stringify, the zod walk and DynamoDB's
 * marshalling recurse, so a 100,000-deep body would otherwise end as a stack overflow.
 */
export function exceedsJsonDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** Nesting depth of a parsed value, iteratively, stopping past `max`. */
export function valueExceedsDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}
