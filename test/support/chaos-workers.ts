/** Delivery worker processes for the chaos run (local/worker-process.ts), attached to a running stack. */
import { spawn, type ChildProcess } from 'node:child_process';
import { STACK_ENV } from '../../local/runtime-file.ts';
import type { RunningSluice } from '../../local/stack.ts';
import type { StackAddress } from '../../local/workers.ts';
import type { ChaosOptions } from './chaos-harness.ts';

const WORKER_SCRIPT = new URL('../../local/worker-process.ts', import.meta.url).pathname;

export interface Worker {
  child: ChildProcess;
  exited: Promise<void>;
}

/** Every worker process ever started by this module, so the run can close their pipes. */
const spawned = new Set<ChildProcess>();

export function startWorker(sluice: RunningSluice, options: ChaosOptions): Promise<Worker> {
  const child = spawn(process.execPath, [WORKER_SCRIPT], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      // Only the address (a StackAddress): the running stack also holds live objects (metrics registry …).
      [STACK_ENV]: JSON.stringify({ endpoints: sluice.endpoints, queueUrls: sluice.queueUrls, tableName: sluice.tableName, secretsKey: sluice.secretsKey } satisfies StackAddress),
      SLUICE_LOCAL_POLLERS: `delivery=${options.pollersPerWorker},fanout=0`,
      SLUICE_RETRY_SCHEDULE: options.schedule.join(','),
      SLUICE_ATTEMPT_TIMEOUT_MS: String(options.attemptTimeoutMs),
      SLUICE_OVERLOAD_MIN_DELAY_SECONDS: '1',
      SLUICE_ALLOW_PRIVATE_NETWORKS: 'true',
      POWERTOOLS_LOG_LEVEL: process.env.CHAOS_WORKER_LOG_LEVEL ?? 'SILENT',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker did not start in 20 s')), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (process.env.CHAOS_WORKER_LOG_LEVEL !== undefined) process.stderr.write(chunk);
      if (chunk.toString().includes('sluice-worker ready')) {
        clearTimeout(timer);
        resolve({ child, exited });
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}


/** Closes the stdout pipes of every worker started (the killed ones included), so the run leaves no handles. */
export function closeWorkerPipes(): void {
  for (const child of spawned) {
    child.stdout?.destroy();
    spawned.delete(child);
  }
}
