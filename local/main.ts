/**
 * `npm start`: runs Sluice on this machine with its state under .sluice/ (dynamodb/, sqs/,
 * admin-token, secrets-key), so apps, endpoints, messages and queued retries survive a restart.
 *
 * Environment (the names the Lambdas use, see functions/shared/names.ts): PORT (default 8787),
 * SLUICE_ADMIN_TOKEN (else generated once and kept in .sluice/admin-token), SLUICE_RETRY_SCHEDULE,
 * SLUICE_ALLOW_PRIVATE_NETWORKS (default true here, so receivers on localhost work), SLUICE_ALLOWED_SUBNETS,
 * SLUICE_REQUIRE_HTTPS,
 * POWERTOOLS_LOG_LEVEL; and, local only, SLUICE_DATA_DIR to move the state directory.
 *
 * One stack per state directory (local/state-lock.ts); the DynamoDB Local JVM ends with this process
 * however it ends (local/emulators/jvm-watchdog.ts); after a crash, the tasks that were in flight are
 * resumed at once (local/in-flight-journal.ts).
 */
import { resolve } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './emulators/credentials.ts';
import { trackInFlight } from './in-flight-journal.ts';
import { readLocalSettings } from './local-settings.ts';
import { assertPortFree, portInUse } from './port-check.ts';
import { acquireStateLock } from './state-lock.ts';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file.ts';
import { startSluice, type RunningSluice } from './stack.ts';
import { startStatusLine } from './status-line.ts';

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

  const lock = acquireStateLock(settings.dataDir);
  process.once('exit', () => lock.release());
  await assertPortFree(settings.port);
  const inFlight = trackInFlight(settings.dataDir);
  sluice = await startSluice({ ...settings, instrument: inFlight.instrument });
  await resumeInterrupted(inFlight, sluice.endpoints.sqs);
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
      // The token rides in the fragment: the browser never sends it; the page keeps it in the tab's memory.
      `Operator console: ${sluice.url}/portal#admin=${sluice.adminToken}`,
      `API reference: ${sluice.url}/api/v1/docs   Metrics: curl -H "Authorization: Bearer <token>" ${sluice.url}/metrics`,
      '',
    ].join('\n'),
  );
  // Every 5 s, when something changed: published, delivered, failing, queue depths.
  startStatusLine({ metrics: sluice.metrics, queues: sluice.queueStats });
}

async function resumeInterrupted(inFlight: ReturnType<typeof trackInFlight>, endpoint: string): Promise<void> {
  const sqs = new SQSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const resumed = await inFlight.resumeInterrupted(endpoint, sqs);
    if (resumed > 0) console.log(`Resumed ${resumed} task(s) the last run left in flight.`);
  } finally {
    sqs.destroy();
  }
}

/** One line a user can act on: the known causes say what to do, anything else says what broke. */
function startFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const port = (error as { port?: unknown } | undefined)?.port;
  if (code === 'EADDRINUSE' && typeof port === 'number') return portInUse(port);
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  console.error(`sluice: failed to start: ${startFailure(error)}`);
  process.exit(1);
});
