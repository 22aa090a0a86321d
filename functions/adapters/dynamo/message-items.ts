/**
 * How a message is laid out in its items (functions/adapters/dynamo/messages.ts has the whole picture):
 * the record's TTL, where its payload is (inline, its own item, or an object), and decoding them.
 */
import type { Message } from '../../core/model.ts';
import { payloadObjectKey } from '../../core/messages/payload-objects.ts';
import { decode, type Item } from './codec.ts';
import { TTL, epochSeconds } from './keys.ts';

/** Message records (without payload) are kept this long at least: Svix's 90-day message history. */
export const RECORD_RETENTION_MS = 90 * 86_400_000;

export type StoredMessage = Omit<Message, 'payload'> & { payload: string | null };

/** Set on a record that holds its payload (and raw payload) itself. */
export const INLINE = 'payloadInline';
/** Set on a record whose payload is in an object: the object's key, and the payload's size in bytes. */
export const OBJECT_KEY = 'payloadObject';
export const OBJECT_BYTES = 'payloadBytes';

/**
 * A list page reads payloads kept in objects up to this many bytes in all (Lambda answers at most
 * 6 MB); the others are left out of the page (`payloadOmitted`) and read with the message itself.
 */
export const LIST_OBJECT_BUDGET_BYTES = 2 * 1024 * 1024;

/** What an object holds: the payload as published, and the raw payload if there was one. */
export interface PayloadObject {
  payload: Message['payload'];
  rawPayload?: string;
}

export const payloadBytesOf = (stored: StoredMessage): number =>
  Buffer.byteLength(stored.payload ?? '') + (stored.rawPayload == null ? 0 : Buffer.byteLength(stored.rawPayload));

export const objectKeyOf = (message: Pick<Message, 'appId' | 'id' | 'timestamp' | 'payloadExpiresAt'>): string =>
  payloadObjectKey(message.appId, message.id, Date.parse(message.payloadExpiresAt) - Date.parse(message.timestamp));

/** Epoch seconds when the message record expires. */
export function recordExpiry(message: Pick<Message, 'timestamp' | 'payloadExpiresAt'>): number {
  const record = Date.parse(message.timestamp) + RECORD_RETENTION_MS;
  return Math.max(epochSeconds(message.payloadExpiresAt), Math.floor(record / 1000));
}

/** True when the payload lives as long as the record: it can live in the record, and be purged with it. */
export function payloadFitsRecord(message: Pick<Message, 'timestamp' | 'payloadExpiresAt'>): boolean {
  return epochSeconds(message.payloadExpiresAt) >= recordExpiry(message);
}

/** True when the item's TTL has passed (DynamoDB may not have deleted it yet). */
export function expired(item: Item, nowMs: number): boolean {
  const ttl = Number(item[TTL]?.N);
  return Number.isFinite(ttl) && ttl * 1000 <= nowMs;
}

export function fromPayloadItem(item: Item): Message {
  const stored = decode<StoredMessage>(item);
  return { ...stored, payload: stored.payload === null ? null : (JSON.parse(stored.payload) as Message['payload']) };
}

/** The record; with `withPayload`, the payload it holds inline (null when it holds none). */
export function fromRecordItem(item: Item, withPayload = false): Message {
  const {
    [INLINE]: _inline,
    [OBJECT_KEY]: _object,
    [OBJECT_BYTES]: _bytes,
    payload,
    rawPayload,
    ...record
  } = decode<StoredMessage & { [INLINE]?: boolean; [OBJECT_KEY]?: string; [OBJECT_BYTES]?: number }>(item);
  if (!withPayload || payload == null) return { ...record, payload: null };
  return { ...record, payload: JSON.parse(payload) as Message['payload'], ...(rawPayload == null ? {} : { rawPayload }) };
}

export const holdsPayload = (item: Item): boolean => item[INLINE]?.BOOL === true;
export const objectKeyIn = (item: Item): string | undefined => item[OBJECT_KEY]?.S;
