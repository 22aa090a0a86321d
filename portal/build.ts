/**
 * Builds the portal (portal/dist) with Vite. `--if-stale` skips the build when dist is newer than every
 * source file, so `npm start`, `npm test` and `cdk synth` can all call it and pay only a stat walk.
 * Run with `node portal/build.ts [--if-stale]`; also exported for the browser tests and the CDK construct.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PORTAL_DIR = fileURLToPath(new URL('.', import.meta.url));
export const PORTAL_DIST = join(PORTAL_DIR, 'dist');
const SOURCES = ['index.html', 'vite.config.ts', 'src'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export function portalIsStale(): boolean {
  const built = join(PORTAL_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(PORTAL_DIR, s)) > builtAt);
}

export async function buildPortal(options: { ifStale?: boolean } = {}): Promise<boolean> {
  if (options.ifStale === true && !portalIsStale()) return false;
  const { build } = await import('vite');
  await build({ configFile: join(PORTAL_DIR, 'vite.config.ts'), root: PORTAL_DIR, logLevel: 'warn' });
  return true;
}

/**
 * The same, in a child process and synchronously: for callers that cannot run Vite in their own
 * realm (jest's VM modules break Rolldown's native bindings) or cannot await (a CDK construct).
 */
export function ensurePortalBuilt(): void {
  if (!portalIsStale()) return;
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--if-stale'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildPortal({ ifStale: process.argv.includes('--if-stale') }).then(
    (built) => {
      if (built) console.log(`portal: built into ${PORTAL_DIST}`);
    },
    (error: unknown) => {
      console.error('portal: build failed:', error);
      process.exit(1);
    },
  );
}
