/**
 * Endpoint signing secrets: generation, validation of caller-supplied keys, reading, rotation.
 * Rotation keeps the previous key valid for a grace period, so receivers can switch without gaps.
 */
import { randomBytes } from 'node:crypto';
import { BadRequestError, ValidationError } from '../errors.ts';
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

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(GENERATED_BYTES).toString('base64');
}

/** Validates a caller-supplied key and returns it in `whsec_` form; 422 at `loc` if invalid. */
export function normaliseSecret(secret: string, loc: (string | number)[]): string {
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

export interface RotateInput {
  key?: string | null | undefined;
  gracePeriodSeconds: number;
}

/** The secrets after a rotation at `now`: the new key first, then still-valid old ones. */
export function rotatedSecrets(secrets: SigningSecret[], input: RotateInput, now: Date): SigningSecret[] {
  const key = input.key == null ? generateSecret() : normaliseSecret(input.key, ['body', 'key']);
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
