/**
 * The one composition root: turns a Config and SDK clients into the three handlers. Nothing here reads
 * process.env.
 *
 * - The Lambda entries (functions/{api,fanout,deliver}/index.ts) call it once at cold start, so clients
 *   and connections are reused across invocations. Each entry imports its own module under ./wiring/,
 *   not this file: esbuild keeps every imported module with side effects, so importing all three
 *   builders would put the KMS client (api and delivery only) and the Secrets Manager client (api
 *   only) in every bundle.
 * - The local runner (local/stack.ts) imports this file, with clients pointed at the emulators.
 */
export { createAwsClients, destroyAwsClients, type AwsClientOverrides, type AwsClients } from './wiring/clients.ts';
export { resolveAdminToken } from './wiring/admin-token.ts';
export { buildApiHandler } from './wiring/api.ts';
export { buildFanoutHandler } from './wiring/fanout.ts';
export { buildDeliveryHandler } from './wiring/deliver.ts';
