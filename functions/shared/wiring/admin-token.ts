/** Where the api function gets the admin token from: the config (local) or Secrets Manager (AWS). */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../config.ts';
import { ADMIN_TOKEN_SECRET } from '../names.ts';

/**
 * The admin token: config.adminToken when set (local mode), else the Secrets Manager secret at
 * config.adminTokenSecretArn, whose SecretString is `{"token": "…"}` (ADMIN_TOKEN_SECRET).
 */
export async function resolveAdminToken(
  config: Config,
  secrets?: Pick<SecretsManagerClient, 'send'>,
): Promise<string> {
  if (config.adminToken !== undefined) return config.adminToken;
  if (config.adminTokenSecretArn === undefined) throw new Error('No admin token and no admin token secret configured');
  const result = await (secrets ?? new SecretsManagerClient({})).send(new GetSecretValueCommand({ SecretId: config.adminTokenSecretArn }));
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
