/**
 * `<dataDir>/runtime.json`: where a running `npm start` can be reached (emulator endpoints, queue URLs,
 * table, the local secrets key, its pid). Written once the stack is up, removed when it stops, so other
 * local processes (`npm run redrive`, `npm run worker`) can attach to the same emulators.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StackAddress } from './workers.ts';

/** JSON StackAddress of a running local stack, for processes that attach to it (tests pass it). */
export const STACK_ENV = 'SLUICE_LOCAL_STACK';

export interface RuntimeInfo extends StackAddress {
  pid: number;
  apiUrl: string;
}

export const runtimeFile = (dataDir: string): string => join(dataDir, 'runtime.json');

export function writeRuntimeFile(dataDir: string, info: RuntimeInfo): void {
  writeFileSync(runtimeFile(dataDir), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

export function removeRuntimeFile(dataDir: string): void {
  rmSync(runtimeFile(dataDir), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running stack's info, or undefined when none is running (no file, or its process is gone). */
export function readRuntimeFile(dataDir: string): RuntimeInfo | undefined {
  let info: RuntimeInfo;
  try {
    info = JSON.parse(readFileSync(runtimeFile(dataDir), 'utf8')) as RuntimeInfo;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return alive(info.pid) ? info : undefined;
}

/**
 * The local stack to attach to: SLUICE_LOCAL_STACK, else the runtime file of `npm start` under
 * `dataDir` (default <repo>/.sluice). Undefined when neither exists.
 */
export function localStackAddress(env: NodeJS.ProcessEnv, dataDir = resolve(import.meta.dirname, '..', env.SLUICE_DATA_DIR ?? '.sluice')): StackAddress | undefined {
  const given = env[STACK_ENV];
  if (given !== undefined && given !== '') return JSON.parse(given) as StackAddress;
  return readRuntimeFile(dataDir);
}
