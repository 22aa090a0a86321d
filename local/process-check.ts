/**
 * Is a recorded pid still the process that recorded it? A pid from a lock or pid file may belong to a
 * process that died long ago and to an unrelated one now, so besides "alive" the command line must
 * still look like ours. `ps -o command= -p` reads it on Linux and macOS alike.
 */
import { execFileSync } from 'node:child_process';

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's command line, or undefined when it is gone; '' when it cannot be read here (no ps). */
export function commandOf(pid: number): string | undefined {
  if (!isAlive(pid)) return undefined;
  try {
    const command = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return command === '' ? undefined : command;
  } catch (error) {
    // ps exits 1 for a pid that vanished in between; without ps at all, liveness is all we know.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? '' : undefined;
  }
}

/** True while `pid` runs a command containing `marker` (or runs at all, where ps is missing). */
export function isRunningAs(pid: number, marker: string): boolean {
  const command = commandOf(pid);
  return command !== undefined && (command === '' || command.includes(marker));
}
