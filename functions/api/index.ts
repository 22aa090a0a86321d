/** Lambda entry of the api function: built once per cold start, then reused by every invocation. */
import { loadConfig } from '../shared/config.ts';
import { resolveAdminToken } from '../shared/wiring/admin-token.ts';
import { buildApiHandler } from '../shared/wiring/api.ts';
import { createAwsClients } from '../shared/wiring/clients.ts';

const config = loadConfig();
const adminToken = await resolveAdminToken(config);

export const handler = buildApiHandler(config, createAwsClients(), adminToken);
