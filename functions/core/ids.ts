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

/** The 27-character KSUID for `time`, with the given 15 payload bytes. */
function ksuid(time: Date, payload: Uint8Array): string {
  const ms = time.getTime();
  const seconds = Math.floor(ms / 1000) - KSUID_EPOCH_SECONDS;
  const bytes = new Uint8Array(KSUID_BYTES);
  new DataView(bytes.buffer).setUint32(0, Math.max(0, Math.min(seconds, 0xffffffff)));
  bytes[4] = Math.floor(((ms % 1000) * 256) / 1000);
  bytes.set(payload.subarray(0, 15), 5);
  return encodeBase62(bytes);
}

export function newId(kind: IdKind, time: Date = new Date()): string {
  return ID_PREFIX[kind] + ksuid(time, randomBytes(15));
}

/**
 * The smallest (`'start'`) or largest (`'end'`) id of `kind` that can exist at `time`'s millisecond
 * slot: turns `before`/`after` dates into id ranges.
 */
export function boundaryId(kind: IdKind, time: Date, edge: 'start' | 'end'): string {
  return ID_PREFIX[kind] + ksuid(time, new Uint8Array(15).fill(edge === 'start' ? 0 : 0xff));
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
