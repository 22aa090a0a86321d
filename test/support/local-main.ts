/**
 * `npm start` as a real child process (`node local/main.ts`) with its own PORT and SLUICE_DATA_DIR, for
 * tests that observe what the user would: the printed lines, the API, signals, what is left behind.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

const MAIN_SCRIPT = new URL('../../local/main.ts', import.meta.url).pathname;

/** Variables a developer's shell may set that would leak into the child's settings. */
const isSluiceSetting = (name: string): boolean =>
  name.startsWith('SLUICE_') || name === 'PORT' || name === 'POWERTOOLS_LOG_LEVEL' || name === 'NODE_OPTIONS';

export interface LocalMain {
  child: ChildProcess;
  pid: number;
  url: string;
  adminToken: string;
  /** The state directory the banner names. */
  dataDir: string;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (the graceful stop) and wait for the exit. */
  stop(): Promise<void>;
}

export interface MainProcess {
  child: ChildProcess;
  output(): string;
  exited: LocalMain['exited'];
}

/** Starts `node local/main.ts` with only `env` as its settings (plus PATH/HOME from this process). */
export function spawnLocalMain(env: Record<string, string>): MainProcess {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !isSluiceSetting(name)));
  const child = spawn(process.execPath, [MAIN_SCRIPT], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Spawns main and waits for its "Sluice is running at …" banner (rejects if it exits first). */
export async function startLocalMain(env: Record<string, string>, timeoutMs = 90_000): Promise<LocalMain> {
  const main = spawnLocalMain(env);
  const { child, output, exited } = main;
  const banner = await new Promise<{ url: string; adminToken: string; dataDir: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`local/main.ts did not start in ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const check = (): void => {
      const running = /Sluice is running at (\S+) +\(state: (.+)\)/.exec(output());
      const adminToken = /Admin token: (\S+)/.exec(output())?.[1];
      if (running === null || adminToken === undefined) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve({ url: running[1]!, dataDir: running[2]!, adminToken });
    };
    child.stdout?.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`local/main.ts exited (${code ?? signal}) before it was ready:\n${output()}`));
    });
  });
  return {
    ...main,
    pid: child.pid!,
    ...banner,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs main until it exits on its own (a start that must fail). */
export async function runLocalMainToExit(env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const main = spawnLocalMain(env);
  const timer = setTimeout(() => main.child.kill('SIGKILL'), timeoutMs);
  const { code } = await main.exited;
  clearTimeout(timer);
  return { code, output: main.output() };
}

/** Loosely typed on purpose: tests read a few fields of Svix-shaped bodies. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One API call with the admin token; the body parsed when there is one. */
export async function callApi(stack: { url: string; adminToken: string }, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${stack.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Json) };
}

/** Every process below `pid` (children, grandchildren…), from `ps` (Linux and macOS). */
export function descendantsOf(pid: number): number[] {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number): void => {
    for (const [child, ppid] of table) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Running (a zombie, dead but not yet reaped by whoever inherited it, counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false; // ps exits 1 when the pid is gone
  }
}
