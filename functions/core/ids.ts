import { randomBytes } from 'node:crypto';

/**
 * Svix-style ids: a prefix plus a 27-character base62 KSUID (the millisecond variant): 4 bytes of
 * seconds since the KSUID epoch, 1 byte of sub-second fraction, 15 random bytes. The base62 alphabet
 * is in ASCII order, so ids sort by creation time as plain strings and serve as page cursors.
 */

export const ID_PREFIX = {
  application: 'app_',
  endpoint: 'ep_',
  message: 'msg_',
  attempt: 'atmpt_',
  task: 'qtask_',
} as const;
export type IdKind = keyof typeof ID_PREFIX;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH_SECONDS = 1_400_000_000;
const KSUID_BYTES = 20;
const KSUID_CHARS = 27;
const KSUID_PATTERN = /^[0-9A-Za-z]{27}$/;

function encodeBase62(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(KSUID_CHARS, '0');
}

function decodeBase62(text: string): bigint {
  let n = 0n;
  for (const ch of text) n = n * 62n + BigInt(ALPHABET.indexOf(ch));
  return n;
}

/** The 20 KSUID bytes for `time`, with the given 15 payload bytes. */
function ksuidBytes(time: Date, payload: Uint8Array): Uint8Array {
  const ms = time.getTime();
  const seconds = Math.floor(ms / 1000) - KSUID_EPOCH_SECONDS;
  const bytes = new Uint8Array(KSUID_BYTES);
  new DataView(bytes.buffer).setUint32(0, Math.max(0, Math.min(seconds, 0xffffffff)));
  bytes[4] = Math.floor(((ms % 1000) * 256) / 1000);
  bytes.set(payload.subarray(0, 15), 5);
  return bytes;
}

/** Compares two byte arrays of equal length as big-endian numbers. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Adds one to a big-endian byte array in place. */
function increment(bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = (bytes[i]! + 1) & 0xff;
    if (bytes[i] !== 0) return;
  }
}

/**
 * The last id made by this process, per kind: ids made within one ~3.9 ms slot would otherwise order
 * randomly, so a new id that does not sort after the previous one takes the previous one plus one.
 * Ids from one process (one API or worker instance) then list in the order they were made.
 */
const lastIssued = new Map<IdKind, Uint8Array>();

export function newId(kind: IdKind, time: Date = new Date()): string {
  const bytes = ksuidBytes(time, randomBytes(15));
  const last = lastIssued.get(kind);
  // Only within the same slot: an id for an earlier time (backfill, tests) keeps its own time.
  if (last !== undefined && compareBytes(bytes.subarray(0, 5), last.subarray(0, 5)) === 0 && compareBytes(bytes, last) <= 0) {
    bytes.set(last);
    increment(bytes);
  }
  lastIssued.set(kind, bytes);
  return ID_PREFIX[kind] + encodeBase62(bytes);
}

/**
 * The smallest (`'start'`) or largest (`'end'`) id of `kind` that can exist at `time`'s millisecond
 * slot: turns `before`/`after` dates into id ranges.
 */
export function boundaryId(kind: IdKind, time: Date, edge: 'start' | 'end'): string {
  return ID_PREFIX[kind] + encodeBase62(ksuidBytes(time, new Uint8Array(15).fill(edge === 'start' ? 0 : 0xff)));
}

/**
 * The largest id of `kind` that sorts strictly before every id made at `time`'s slot: an inclusive
 * upper bound that keeps `before` exclusive, as Svix's `id < start_id(before)` does (an attempt whose
 * timestamp equals `before` is left out).
 */
export function lastIdBefore(kind: IdKind, time: Date): string {
  const bytes = ksuidBytes(time, new Uint8Array(15));
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] !== 0) {
      bytes[i] = bytes[i]! - 1;
      break;
    }
    bytes[i] = 0xff;
  }
  return ID_PREFIX[kind] + encodeBase62(bytes);
}

/** True if `value` has the prefix of `kind` followed by a well-formed KSUID. */
export function isId(kind: IdKind, value: string): boolean {
  const prefix = ID_PREFIX[kind];
  return value.startsWith(prefix) && KSUID_PATTERN.test(value.slice(prefix.length));
}

/** The creation time encoded in an id (millisecond variant, ~4 ms resolution). */
export function idTime(id: string): Date {
  const text = id.slice(id.indexOf('_') + 1);
  const n = decodeBase62(text);
  const seconds = Number(n >> 128n) + KSUID_EPOCH_SECONDS;
  const fraction = Number((n >> 120n) & 0xffn);
  return new Date(seconds * 1000 + Math.ceil((fraction * 1000) / 256));
}
