/**
 * `npm run worker`: a process that runs only the queue workers (fan-out and delivery pollers with the
 * real handlers) against an ALREADY RUNNING local stack, like one more Lambda container. Kill it with
 * SIGKILL mid-batch and start another: that is what the chaos suite does.
 *
 * Where the stack is: SLUICE_LOCAL_STACK (JSON: {endpoints, queueUrls, tableName, secretsKey}, as
 * local/workers.ts StackAddress), else `<SLUICE_DATA_DIR or .sluice>/runtime.json` written by `npm start`.
 * Settings: the usual environment (SLUICE_RETRY_SCHEDULE, SLUICE_ATTEMPT_TIMEOUT_MS, …) and
 * SLUICE_LOCAL_POLLERS, e.g. "delivery=4,fanout=0" (default delivery=4,fanout=2).
 * Prints one line `sluice-worker ready <pid>` on stdout once polling.
 */
import { loadConfig } from '../functions/shared/config.ts';
import { ENV } from '../functions/shared/names.ts';
import { localStackAddress } from './runtime-file.ts';
import { reliabilityFromConfig, startWorkers, type StackAddress } from './workers.ts';

export const POLLERS_ENV = 'SLUICE_LOCAL_POLLERS';

function stackAddress(env: NodeJS.ProcessEnv): StackAddress {
  const stack = localStackAddress(env);
  if (stack === undefined) throw new Error('No running Sluice found (.sluice/runtime.json); start one with npm start');
  return stack;
}

function pollers(text: string | undefined): { fanout?: number; delivery?: number; deliverySlow?: number } {
  const out: { fanout?: number; delivery?: number; deliverySlow?: number } = {};
  for (const part of (text ?? '').split(',').filter((p) => p.trim() !== '')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    const n = Number(value);
    if ((name !== 'fanout' && name !== 'delivery' && name !== 'deliverySlow') || !Number.isInteger(n) || n < 0) {
      throw new Error(`${POLLERS_ENV}: expected e.g. "delivery=4,deliverySlow=2,fanout=0", got "${text}"`);
    }
    out[name] = n;
  }
  return out;
}

async function main(): Promise<void> {
  const stack = stackAddress(process.env);
  const config = loadConfig({
    ...process.env,
    [ENV.adminToken]: 'unused-by-workers-0000',
    [ENV.fanoutQueueUrl]: stack.queueUrls.fanout,
    [ENV.deliveryQueueUrl]: stack.queueUrls.delivery,
  });
  const privateNetworks = process.env[ENV.allowPrivateNetworks];
  const workers = await startWorkers({
    stack,
    retryScheduleSeconds: config.retryScheduleSeconds,
    allowPrivateNetworks: privateNetworks === undefined || privateNetworks === '' ? true : config.allowPrivateNetworks,
    pollers: pollers(process.env[POLLERS_ENV]),
    ...reliabilityFromConfig(config),
    // Every other setting as parsed (endpoint cache, https rule, allowed subnets, …), as npm start passes them.
    environment: config,
  });
  const stop = (): void => {
    workers.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(`sluice-worker ready ${process.pid}`);
}

main().catch((error: unknown) => {
  console.error('sluice-worker: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
