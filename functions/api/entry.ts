/** The api function's Lambda handler, built once per cold start (./index.ts; ./traced.ts with X-Ray). */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { FunctionTracer } from '../core/tracing/tracing.ts';
import { loadConfig } from '../shared/config.ts';
import { adminTokenRefresher, resolveAdminToken } from '../shared/wiring/admin-token.ts';
import { buildApiHandler } from '../shared/wiring/api.ts';
import { createAwsClients } from '../shared/wiring/clients.ts';
import { kmsSecretCipherFor } from '../shared/wiring/secret-cipher.ts';
import { tracedClients, tracedHandler } from '../shared/wiring/tracing.ts';

export async function apiEntry(tracer?: FunctionTracer) {
  const config = loadConfig();
  const secrets = config.adminToken === undefined ? new SecretsManagerClient({}) : undefined;
  const adminToken = await resolveAdminToken(config, secrets);
  const handler = buildApiHandler(config, tracedClients(createAwsClients(), tracer), adminToken, undefined, {
    cipher: kmsSecretCipherFor(config),
    refreshAdminToken: adminTokenRefresher(config, secrets),
    tracing: tracer?.tracing,
  });
  return tracedHandler(handler, tracer);
}
