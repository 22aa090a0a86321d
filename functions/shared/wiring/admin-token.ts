/** Where the api function gets the admin token from: the config (local) or Secrets Manager (AWS). */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../config.ts';
import { ADMIN_TOKEN_SECRET } from '../names.ts';

type SecretsReader = Pick<SecretsManagerClient, 'send'>;

async function readSecret(arn: string, secrets: SecretsReader): Promise<string> {
  const result = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
  const text = result.SecretString;
  if (text === undefined) throw new Error('The admin token secret has no SecretString');
  let token: unknown;
  try {
    token = (JSON.parse(text) as Record<string, unknown>)[ADMIN_TOKEN_SECRET.jsonKey];
  } catch {
    throw new Error(`The admin token secret is not JSON {"${ADMIN_TOKEN_SECRET.jsonKey}": "…"}`);
  }
  if (typeof token !== 'string' || token.length < 16) {
    throw new Error(`The admin token secret has no "${ADMIN_TOKEN_SECRET.jsonKey}" string of at least 16 characters`);
  }
  return token;
}

/**
 * The admin token: config.adminToken when set (local mode), else the Secrets Manager secret at
 * config.adminTokenSecretArn, whose SecretString is `{"token": "…"}` (ADMIN_TOKEN_SECRET).
 */
export async function resolveAdminToken(config: Config, secrets?: SecretsReader): Promise<string> {
  if (config.adminToken !== undefined) return config.adminToken;
  if (config.adminTokenSecretArn === undefined) throw new Error('No admin token and no admin token secret configured');
  return readSecret(config.adminTokenSecretArn, secrets ?? new SecretsManagerClient({}));
}

/** Re-reads happen at most this often, however many wrong tokens arrive. */
export const ADMIN_TOKEN_REFRESH_INTERVAL_MS = 60_000;

/**
 * Rotation without a redeploy (AWS): the api calls this when a presented token does not match the
 * admin token it holds. It re-reads the secret at most once per interval (concurrent callers share
 * one read) and resolves the current token, or undefined when it may not ask yet or the read failed
 * (a Secrets Manager outage must not turn into 500s: the caller just gets its 401). With a token from
 * the config (local mode) there is nothing to re-read: undefined (restart with the new token).
 */
export function adminTokenRefresher(
  config: Config,
  secrets?: SecretsReader,
  options: { intervalMs?: number; now?: () => number } = {},
): (() => Promise<string | undefined>) | undefined {
  const arn = config.adminTokenSecretArn;
  if (config.adminToken !== undefined || arn === undefined) return undefined;
  const client = secrets ?? new SecretsManagerClient({});
  const interval = options.intervalMs ?? ADMIN_TOKEN_REFRESH_INTERVAL_MS;
  const now = options.now ?? Date.now;
  let last = now();
  let inFlight: Promise<string | undefined> | undefined;
  return () => {
    if (inFlight !== undefined) return inFlight;
    if (now() - last < interval) return Promise.resolve(undefined);
    last = now();
    inFlight = readSecret(arn, client)
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
