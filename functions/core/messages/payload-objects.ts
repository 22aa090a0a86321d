/**
 * Payloads too big for the message record (a claim check): kept as objects in S3 on AWS, in fauxqs's
 * S3 locally. The record keeps the object's key and size; tasks still carry ids only.
 *
 * An object's key starts with its retention in whole days (`retention-7d/…`): the bucket has one
 * lifecycle rule per prefix (1 to PAYLOAD_OBJECT_RETENTION_DAYS), so S3 deletes each object once its
 * retention has passed. Reads do not wait for that: a payload past payloadExpiresAt reads as gone.
 */
export interface PayloadObjects {
  put(key: string, body: string): Promise<void>;
  /** The object's text; undefined when there is none (expunged, or deleted by its lifecycle rule). */
  get(key: string): Promise<string | undefined>;
  /** Deletes the object; deleting one that is not there is not an error. */
  delete(key: string): Promise<void>;
}

/** Payloads kept at most 90 days (Svix's payloadRetentionPeriod): one lifecycle rule per day count. */
export const PAYLOAD_OBJECT_RETENTION_DAYS = 90;

/** Payloads up to this (serialized, raw payload included) stay in DynamoDB; bigger ones go to an object. */
export const INLINE_PAYLOAD_BYTES = 256 * 1024;

/** The biggest payload an object holds (API Gateway takes 10 MB, a synchronous Lambda invoke 6 MB). */
export const MAX_PAYLOAD_BYTES = 5 * 1024 * 1024;

/** The lifecycle prefix of objects kept `days` days. */
export const retentionPrefix = (days: number): string => `retention-${days}d/`;

/** The object of a message's payload, under the prefix of its retention (rounded up to whole days). */
export function payloadObjectKey(appId: string, msgId: string, retentionMs: number): string {
  const days = Math.min(PAYLOAD_OBJECT_RETENTION_DAYS, Math.max(1, Math.ceil(retentionMs / 86_400_000)));
  return `${retentionPrefix(days)}${appId}/${msgId}.json`;
}
