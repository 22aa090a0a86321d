/**
 * Endpoint signing secrets: generation, validation of caller-supplied keys, reading, rotation.
 * Rotation keeps the previous key valid for a grace period, so receivers can switch without gaps.
 * A secret is symmetric (`whsec_`, HMAC-SHA256) or, as in Svix, asymmetric (`whsk_`, Ed25519, see
 * ../signing/ed25519.ts): a caller-supplied `whsk_` key makes the endpoint sign with `v1a`, and
 * `GET …/secret` then answers its public key `whpk_…`. Rotation may switch kinds either way; the
 * old key of either kind keeps signing through the grace period. Generated keys are `whsec_`
 * unless the deployment's default signature type (SLUICE_DEFAULT_SIGNATURE_TYPE, Svix's
 * `default_signature_type`) says ed25519.
 */
import { randomBytes } from 'node:crypto';
import { BadRequestError, ValidationError } from '../errors.ts';
import {
  asymmetricSecretProblem,
  generateAsymmetricSecret,
  isAsymmetricSecret,
  publicKeyOf,
} from '../signing/ed25519.ts';
import type { Endpoint, SigningSecret } from '../model.ts';
import type { Stores } from '../ports.ts';

export const SECRET_PREFIX = 'whsec_';
export const SECRET_PATTERN = /^(whsec_)?[A-Za-z0-9+/=]{32,100}$/;
const GENERATED_BYTES = 24;
const MIN_BYTES = 24;
const MAX_BYTES = 75;
export const DEFAULT_GRACE_PERIOD_SECONDS = 86_400;
export const MAX_GRACE_PERIOD_SECONDS = 604_800;
/** More rotated-out keys than this still valid at once is refused. */
const MAX_OLD_SECRETS = 10;

/** The kind of key generated when the caller gives none (Svix's `default_signature_type`). */
export type SignatureType = 'hmac' | 'ed25519';

export function generateSecret(type: SignatureType = 'hmac'): string {
  if (type === 'ed25519') return generateAsymmetricSecret();
  return SECRET_PREFIX + randomBytes(GENERATED_BYTES).toString('base64');
}

/**
 * Validates a caller-supplied key and returns it as stored (`whsec_…`, or `whsk_…` as given); 422 at
 * `loc` if invalid.
 */
export function normaliseSecret(secret: string, loc: (string | number)[]): string {
  if (isAsymmetricSecret(secret)) {
    const problem = asymmetricSecretProblem(secret);
    if (problem !== undefined) throw ValidationError.at(loc, `invalid whsk_ key: ${problem}`);
    return secret;
  }
  if (!SECRET_PATTERN.test(secret)) {
    throw ValidationError.at(loc, `must match ${SECRET_PATTERN.source}`);
  }
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const length = Buffer.from(encoded, 'base64').length;
  if (length < MIN_BYTES || length > MAX_BYTES) {
    throw ValidationError.at(loc, `must decode to between ${MIN_BYTES} and ${MAX_BYTES} bytes`);
  }
  return SECRET_PREFIX + encoded;
}

/** The secret that signs new attempts. */
export function currentSecret(endpoint: Endpoint): string {
  const current = endpoint.secrets.find((s) => s.expiresAt === null) ?? endpoint.secrets[0];
  if (current === undefined) throw new Error(`endpoint ${endpoint.id} has no signing secret`);
  return current.key;
}

/**
 * What `GET …/secret` shows: the `whsec_` secret itself, or the public key `whpk_…` of a `whsk_` one
 * (the private key never leaves Sluice; the receiver only needs the public half).
 */
export function verificationKey(endpoint: Endpoint): string {
  const key = currentSecret(endpoint);
  return isAsymmetricSecret(key) ? publicKeyOf(key) : key;
}

export interface RotateInput {
  key?: string | null | undefined;
  gracePeriodSeconds: number;
  /** The kind of key generated when `key` is null; default hmac. */
  signatureType?: SignatureType | undefined;
}

/** The secrets after a rotation at `now`: the new key first, then still-valid old ones. */
export function rotatedSecrets(secrets: SigningSecret[], input: RotateInput, now: Date): SigningSecret[] {
  const key = input.key == null ? generateSecret(input.signatureType) : normaliseSecret(input.key, ['body', 'key']);
  const expiresAt = new Date(now.getTime() + input.gracePeriodSeconds * 1000).toISOString();
  const nowIso = now.toISOString();
  const old = secrets
    .map((s) => (s.expiresAt === null ? { key: s.key, expiresAt } : s))
    .filter((s) => s.expiresAt !== null && s.expiresAt > nowIso);
  if (old.length > MAX_OLD_SECRETS) {
    throw new BadRequestError(`Too many previous secrets still valid (max ${MAX_OLD_SECRETS})`, 'limit_reached');
  }
  return [{ key, expiresAt: null }, ...old];
}

export async function rotateEndpointSecret(stores: Stores, endpoint: Endpoint, input: RotateInput): Promise<void> {
  const now = new Date();
  const secrets = rotatedSecrets(endpoint.secrets, input, now);
  await stores.endpoints.update({ ...endpoint, secrets, updatedAt: now.toISOString() }, endpoint);
}
