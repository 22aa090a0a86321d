/**
 * One stack per state directory: `<dataDir>/sluice.lock` names the process that owns the database and
 * queue files. A second `npm start` on the same directory refuses with one line instead of opening the
 * same SQLite files from a second DynamoDB Local and a second fauxqs. A lock whose owner is gone (a
 * SIGKILL, a crash, a reboot) is stale and taken over.
 */
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isRunningAs } from './process-check.ts';

interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export interface StateLock {
  path: string;
  /** Removes the lock if it is still this process's. */
  release(): void;
}

export class StateLockedError extends Error {
  override readonly name = 'StateLockedError';
}

export const lockFile = (dataDir: string): string => join(dataDir, 'sluice.lock');

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/** The owner still holds the lock: its process runs node, here. Another host's lock is never stale to us. */
function held(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  return owner.pid === process.pid || isRunningAs(owner.pid, 'node');
}

export function acquireStateLock(dataDir: string, describe = 'Sluice'): StateLock {
  mkdirSync(dataDir, { recursive: true });
  const path = lockFile(dataDir);
  const me: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  // Written whole to a private file, then linked into place: link() fails if the lock exists, so no
  // reader ever sees a half-written lock, and of two starts at once exactly one wins.
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, `${JSON.stringify(me)}\n`, { mode: 0o600 });
  try {
    for (let tries = 0; tries < 3; tries++) {
      try {
        linkSync(draft, path);
        return { path, release: () => release(path) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(path);
      if (owner !== undefined && held(owner)) {
        const where = owner.hostname === me.hostname ? `pid ${owner.pid}` : `pid ${owner.pid} on ${owner.hostname}`;
        throw new StateLockedError(
          `${dataDir} is in use by another ${describe} (${where}, since ${owner.startedAt}): stop it first, or set SLUICE_DATA_DIR to another directory to run a second one`,
        );
      }
      rmSync(path, { force: true }); // stale: its owner is gone
    }
    throw new StateLockedError(`could not lock ${dataDir}: ${path} keeps reappearing`);
  } finally {
    rmSync(draft, { force: true });
  }
}

function release(path: string): void {
  if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
}
