/**
 * Endpoint signing secrets encrypted at rest: with a SecretCipher, the item holds `sealedSecrets`
 * (the JSON of Endpoint.secrets, sealed and bound to the endpoint) instead of `secrets`. Reads open it
 * transparently, so the api and the delivery function see plain Endpoint objects.
 *
 * - Items written without a cipher (or before encryption was turned on) keep a plain `secrets`
 *   attribute and are read as they are; they are sealed the next time they are written.
 * - A store without a cipher (the fan-out function, which routes but never signs and has no KMS
 *   permission) reads a sealed item with `secrets: []`. Such a store must not write endpoints back;
 *   fan-out only reads.
 */
import type { Endpoint } from '../../core/model.ts';
import type { SecretCipher } from '../../core/secrets/secret-cipher.ts';

export const SEALED_SECRETS_ATTRIBUTE = 'sealedSecrets';

const contextOf = (endpoint: Pick<Endpoint, 'appId' | 'id'>): string => `endpoint:${endpoint.appId}/${endpoint.id}`;

export interface EndpointSealing {
  /** The record to store for `endpoint`. */
  seal(endpoint: Endpoint): Promise<object>;
  /** The endpoint a stored record (table attributes already stripped) stands for. */
  open(record: Record<string, unknown>): Promise<Endpoint>;
}

export function endpointSealing(cipher: SecretCipher | undefined): EndpointSealing {
  return {
    async seal(endpoint) {
      if (cipher === undefined) return endpoint;
      const { secrets, ...rest } = endpoint;
      return { ...rest, [SEALED_SECRETS_ATTRIBUTE]: await cipher.encrypt(JSON.stringify(secrets), contextOf(endpoint)) };
    },
    async open(record) {
      const sealed = record[SEALED_SECRETS_ATTRIBUTE];
      if (typeof sealed !== 'string') return record as unknown as Endpoint;
      const { [SEALED_SECRETS_ATTRIBUTE]: _sealed, ...rest } = record;
      const endpoint = rest as unknown as Endpoint;
      if (cipher === undefined) return { ...endpoint, secrets: [] };
      return { ...endpoint, secrets: JSON.parse(await cipher.decrypt(sealed, contextOf(endpoint))) as Endpoint['secrets'] };
    },
  };
}
