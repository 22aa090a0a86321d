/**
 * Asymmetric endpoint secrets (Svix's `whsk_`/`whpk_`): Ed25519, in the libsodium layout Svix uses.
 * The secret `whsk_…` is base64 of 64 bytes (the 32-byte seed, then the 32-byte public key); the
 * public key a receiver verifies with is `whpk_` + base64 of those last 32 bytes. Signatures are
 * `v1a,` + base64 of the Ed25519 signature over the same `{id}.{timestamp}.{body}` as `v1`.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export const ASYMMETRIC_SECRET_PREFIX = 'whsk_';
export const ASYMMETRIC_PUBLIC_PREFIX = 'whpk_';
const SEED_BYTES = 32;
const KEY_BYTES = 64;
/** DER header of a PKCS#8 Ed25519 private key; the 32-byte seed follows it. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const isAsymmetricSecret = (key: string): boolean => key.startsWith(ASYMMETRIC_SECRET_PREFIX);

function privateKeyOfSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function rawPublicKey(privateKey: KeyObject): Buffer {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}

/** A new `whsk_` secret. */
export function generateAsymmetricSecret(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
  return ASYMMETRIC_SECRET_PREFIX + Buffer.concat([seed, rawPublicKey(privateKey)]).toString('base64');
}

/**
 * Why a `whsk_` secret is unusable, or undefined if it is fine: 64 bytes of base64 whose second half
 * is the public key of the first (Svix refuses a key that fails to sign and verify a test message).
 */
export function asymmetricSecretProblem(key: string): string | undefined {
  const encoded = key.slice(ASYMMETRIC_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return 'must be base64 after whsk_';
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== KEY_BYTES) return `must decode to ${KEY_BYTES} bytes (an Ed25519 seed and its public key)`;
  const derived = rawPublicKey(privateKeyOfSeed(bytes.subarray(0, SEED_BYTES)));
  if (!derived.equals(bytes.subarray(SEED_BYTES))) return 'the public key does not belong to the seed';
  return undefined;
}

/** The receiver's verification key (`whpk_…`) of a `whsk_` secret. */
export function publicKeyOf(key: string): string {
  const bytes = Buffer.from(key.slice(ASYMMETRIC_SECRET_PREFIX.length), 'base64');
  return ASYMMETRIC_PUBLIC_PREFIX + bytes.subarray(SEED_BYTES).toString('base64');
}

/** Parsed private keys, by secret: a worker signs with the same few keys over and over. */
const privateKeys = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 1_000;

function privateKeyOf(key: string): KeyObject {
  let privateKey = privateKeys.get(key);
  if (privateKey === undefined) {
    const bytes = Buffer.from(key.slice(ASYMMETRIC_SECRET_PREFIX.length), 'base64');
    privateKey = privateKeyOfSeed(bytes.subarray(0, SEED_BYTES));
    if (privateKeys.size >= MAX_CACHED_KEYS) privateKeys.clear();
    privateKeys.set(key, privateKey);
  }
  return privateKey;
}

/** base64 Ed25519 signature of `content` with the `whsk_` secret `key`. */
export function ed25519Signature(key: string, content: Buffer): string {
  return sign(null, content, privateKeyOf(key)).toString('base64');
}
