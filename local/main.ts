/**
 * `npm start`: runs Sluice on this machine with its state under .sluice/ (dynamodb/, sqs/,
 * admin-token, secrets-key), so apps, endpoints, messages and queued retries survive a restart.
 *
 * Environment (the names the Lambdas use, see functions/shared/names.ts): PORT (default 8787),
 * SLUICE_ADMIN_TOKEN (else generated once and kept in .sluice/admin-token), SLUICE_RETRY_SCHEDULE,
 * SLUICE_ALLOW_PRIVATE_NETWORKS (default true here, so receivers on localhost work), SLUICE_ALLOWED_SUBNETS,
 * SLUICE_REQUIRE_HTTPS,
 * POWERTOOLS_LOG_LEVEL; and, local only, SLUICE_DATA_DIR to move the state directory.
 */
import { resolve } from 'node:path';
import { readLocalSettings } from './local-settings.ts';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file.ts';
import { startSluice, type RunningSluice } from './stack.ts';

async function main(): Promise<void> {
  const settings = readLocalSettings(process.env, resolve(import.meta.dirname, '..'));
  let sluice: RunningSluice | undefined = undefined;
  let stopping = false;
  const shutdown = (signal: string): void => {
    // Before the stack is up, or on a second signal: exit now. The 'exit' hook of the DynamoDB Local
    // launcher still kills the JVM, and fauxqs lives in this process.
    if (sluice === undefined || stopping) {
      console.error(`\n${signal}${stopping ? ' again' : ''}: exiting without waiting.`);
      process.exit(130);
    }
    stopping = true;
    console.error(`\n${signal}: stopping (finishing in-flight work; ${signal} again to force)…`);
    sluice.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  sluice = await startSluice(settings);
  // Lets `npm run redrive` and `npm run worker` attach to this stack's emulators.
  const { endpoints, queueUrls, tableName, secretsKey } = sluice;
  writeRuntimeFile(settings.dataDir, { endpoints, queueUrls, tableName, secretsKey, pid: process.pid, apiUrl: sluice.url });
  process.once('exit', () => removeRuntimeFile(settings.dataDir));
  console.log(
    [
      '',
      `Sluice is running at ${sluice.url}  (state: ${settings.dataDir})`,
      `Admin token: ${sluice.adminToken}`,
      `Try: curl -H "Authorization: Bearer ${sluice.adminToken}" ${sluice.url}/api/v1/app`,
      `Svix SDK: new Svix("${sluice.adminToken}", { serverUrl: "${sluice.url}" })`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error('sluice: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
