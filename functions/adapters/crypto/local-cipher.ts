/**
 * Local mode's SecretCipher: AES-256-GCM with one 32-byte key kept in a file under the state
 * directory (.sluice/secrets-key, mode 0600), generated on first start. It stands in for KMS, which
 * has no emulator here: the same sealed format family (`sluice1.local.…`) and the same context binding,
 * but the key sits on disk next to the data, so it protects against a copied table dump only.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SEALED_PREFIX, type SecretCipher } from '../../core/secrets/secret-cipher.ts';
import { aesGcmDecrypt, aesGcmEncrypt } from './aes-gcm.ts';

const PREFIX = `${SEALED_PREFIX}local.`;
const KEY_BYTES = 32;

export function createLocalSecretCipher(key: Uint8Array): SecretCipher {
  if (key.length !== KEY_BYTES) throw new Error(`the local secrets key must be ${KEY_BYTES} bytes`);
  return {
    async encrypt(plaintext, context) {
      const { iv, ciphertext, tag } = aesGcmEncrypt(key, plaintext, context);
      return `${PREFIX}${iv}.${ciphertext}.${tag}`;
    },
    async decrypt(sealed, context) {
      if (!sealed.startsWith(PREFIX)) throw new Error('not a value sealed by the local cipher');
      const [iv, ciphertext, tag] = sealed.slice(PREFIX.length).split('.');
      if (iv === undefined || ciphertext === undefined || tag === undefined) throw new Error('malformed sealed value');
      return aesGcmDecrypt(key, { iv, ciphertext, tag }, context);
    },
  };
}

/** Reads the key saved at `file` (base64), or generates and saves one (mode 0600). */
export function loadOrCreateLocalSecretsKey(file: string): Buffer {
  try {
    const saved = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (saved.length === KEY_BYTES) return saved;
    throw new Error(`${file} does not hold a ${KEY_BYTES}-byte base64 key`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(KEY_BYTES);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

export const randomLocalSecretsKey = (): Buffer => randomBytes(KEY_BYTES);
