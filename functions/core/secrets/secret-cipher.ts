/**
 * The port for encrypting small secrets at rest (endpoint signing secrets in DynamoDB). Adapters:
 * functions/adapters/kms/kms-cipher.ts (AWS: KMS envelope encryption) and
 * functions/adapters/crypto/local-cipher.ts (local mode: AES-256-GCM with a key file under .sluice/,
 * the documented stand-in, as there is no KMS emulator here).
 *
 * `context` binds a ciphertext to what it protects (e.g. `endpoint:<appId>/<endpointId>`): decrypting
 * with another context fails, so a sealed value copied onto another item is useless there.
 */
export interface SecretCipher {
  encrypt(plaintext: string, context: string): Promise<string>;
  /** Throws if the ciphertext was tampered with, or was sealed for another context or key. */
  decrypt(ciphertext: string, context: string): Promise<string>;
}

/** Every sealed value starts with this, so readers can tell sealed from legacy plaintext. */
export const SEALED_PREFIX = 'sluice1.';
