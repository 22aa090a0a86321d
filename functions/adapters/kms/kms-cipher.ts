/**
 * The SecretCipher on AWS: envelope encryption under a customer-managed KMS key.
 *
 * Cost and latency decide the shape. Calling KMS Encrypt/Decrypt for every endpoint read would put a
 * KMS round trip (and $0.03 per 10,000 calls) on every delivery. Instead:
 * - encrypt: one GenerateDataKey per container (renewed hourly) gives a 256-bit data key; each secret
 *   is sealed locally with AES-256-GCM under it, and the KMS-wrapped data key travels with the value:
 *   `sluice1.kms.<wrapped key>.<iv>.<ciphertext>.<tag>`.
 * - decrypt: the wrapped key is unwrapped with one KMS Decrypt and cached (by its bytes) for the
 *   container's life, so a delivery worker pays one Decrypt per data key it meets, not per webhook.
 * The KMS encryption context is fixed (`purpose`), so IAM can limit a role to this use of the key;
 * the per-item binding (which endpoint a value belongs to) is the AES-GCM additional data.
 */
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { SEALED_PREFIX, type SecretCipher } from '../../core/secrets/secret-cipher.ts';
import { SECRETS_KMS_CONTEXT } from '../../shared/names.ts';
import { aesGcmDecrypt, aesGcmEncrypt } from '../crypto/aes-gcm.ts';

const PREFIX = `${SEALED_PREFIX}kms.`;
/** The KMS encryption context of every data key (the stack's IAM grants require it). */
export const KMS_ENCRYPTION_CONTEXT = SECRETS_KMS_CONTEXT;
const DATA_KEY_MAX_AGE_MS = 3_600_000;
/** Distinct data keys kept unwrapped; beyond this the oldest is forgotten (and re-fetched if met again). */
const MAX_CACHED_KEYS = 256;

interface DataKey {
  plaintext: Uint8Array;
  wrapped: string;
  createdAt: number;
}

export interface KmsCipherOptions {
  now?: () => number;
}

export function createKmsSecretCipher(kms: Pick<KMSClient, 'send'>, keyId: string, options: KmsCipherOptions = {}): SecretCipher {
  const now = options.now ?? Date.now;
  let current: Promise<DataKey> | undefined;
  const unwrapped = new Map<string, Promise<Uint8Array>>();

  async function generate(): Promise<DataKey> {
    const out = await kms.send(
      new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { ...KMS_ENCRYPTION_CONTEXT } }),
    );
    if (out.Plaintext === undefined || out.CiphertextBlob === undefined) throw new Error('KMS GenerateDataKey returned no key');
    const wrapped = Buffer.from(out.CiphertextBlob).toString('base64url');
    unwrapped.set(wrapped, Promise.resolve(out.Plaintext));
    return { plaintext: out.Plaintext, wrapped, createdAt: now() };
  }

  async function dataKey(): Promise<DataKey> {
    const key = await (current ??= generate().catch((error: unknown) => {
      current = undefined;
      throw error;
    }));
    if (now() - key.createdAt < DATA_KEY_MAX_AGE_MS) return key;
    current = undefined;
    return dataKey();
  }

  function unwrap(wrapped: string): Promise<Uint8Array> {
    let hit = unwrapped.get(wrapped);
    if (hit === undefined) {
      if (unwrapped.size >= MAX_CACHED_KEYS) unwrapped.delete(unwrapped.keys().next().value!);
      hit = kms
        .send(
          new DecryptCommand({
            CiphertextBlob: Buffer.from(wrapped, 'base64url'),
            EncryptionContext: { ...KMS_ENCRYPTION_CONTEXT },
            KeyId: keyId,
          }),
        )
        .then((out) => {
          if (out.Plaintext === undefined) throw new Error('KMS Decrypt returned no key');
          return out.Plaintext;
        });
      hit.catch(() => unwrapped.delete(wrapped));
      unwrapped.set(wrapped, hit);
    }
    return hit;
  }

  return {
    async encrypt(plaintext, context) {
      const key = await dataKey();
      const { iv, ciphertext, tag } = aesGcmEncrypt(key.plaintext, plaintext, context);
      return `${PREFIX}${key.wrapped}.${iv}.${ciphertext}.${tag}`;
    },
    async decrypt(sealed, context) {
      if (!sealed.startsWith(PREFIX)) throw new Error('not a value sealed by the KMS cipher');
      const [wrapped, iv, ciphertext, tag] = sealed.slice(PREFIX.length).split('.');
      if (wrapped === undefined || iv === undefined || ciphertext === undefined || tag === undefined) {
        throw new Error('malformed sealed value');
      }
      return aesGcmDecrypt(await unwrap(wrapped), { iv, ciphertext, tag }, context);
    },
  };
}
