/** Lambda entry of the api function: built once per cold start, then reused by every invocation. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadConfig } from '../shared/config.ts';
import { adminTokenRefresher, resolveAdminToken } from '../shared/wiring/admin-token.ts';
import { buildApiHandler } from '../shared/wiring/api.ts';
import { createAwsClients } from '../shared/wiring/clients.ts';
import { kmsSecretCipherFor } from '../shared/wiring/secret-cipher.ts';

const config = loadConfig();
const secrets = config.adminToken === undefined ? new SecretsManagerClient({}) : undefined;
const adminToken = await resolveAdminToken(config, secrets);

export const handler = buildApiHandler(config, createAwsClients(), adminToken, undefined, {
  cipher: kmsSecretCipherFor(config),
  refreshAdminToken: adminTokenRefresher(config, secrets),
});
