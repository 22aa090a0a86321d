/**
 * Cold start: each function's bundle built as the CDK builds it (esbuild with lib/bundle-settings.ts,
 * the settings lib/sluice-function.ts gives NodejsFunction), its minified size and what fills it
 * (esbuild's metafile), and its module init time: the median, over fresh Node processes, of importing
 * the bundle with the function's environment set (Lambda's NODE_OPTIONS=--enable-source-maps
 * included). Measured for the deployed settings and for a variant that bundles the AWS SDK too, so
 * the choice in lib/bundle-settings.ts stays a measured one.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { BUNDLE_OUTPUT_FILE, BUNDLE_SETTINGS } from '../lib/bundle-settings.ts';
import { median } from './stats.ts';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('..', import.meta.url));

export const ENTRIES = {
  api: 'functions/api/index.ts',
  fanout: 'functions/fanout/index.ts',
  deliver: 'functions/deliver/index.ts',
} as const;

export type Variant = 'deployed' | 'sdk-bundled';

export interface BundleResult {
  fn: keyof typeof ENTRIES;
  variant: Variant;
  bytes: number;
  gzipBytes: number;
  /** The largest contributors to the minified output: package or source folder → bytes. */
  topInputs: { owner: string; bytes: number }[];
  initMs: { median: number; min: number; max: number; runs: number };
  /** CPU time of the same imports (median): robust to a busy machine, where wall time is not. */
  initCpuMs: number;
}

/** The environment each function gets from the stack; values only need to parse. */
const FUNCTION_ENV = {
  SLUICE_TABLE_NAME: 'sluice',
  SLUICE_FANOUT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/sluice-fanout',
  SLUICE_DELIVERY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/sluice-delivery',
  // Set so the api entry's resolveAdminToken does not call Secrets Manager.
  SLUICE_ADMIN_TOKEN: 'sluice_admin_benchmark-token-00000000000000000000',
  SLUICE_RETRY_SCHEDULE: '5,300,1800,7200,18000,36000,36000',
  SLUICE_ALLOW_PRIVATE_NETWORKS: 'false',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  NODE_OPTIONS: '--enable-source-maps',
};

/**
 * Imports the bundle and prints how long the import (module init, top-level await included) took:
 * wall time, and the process's CPU time over the same span (less skewed by other work on the machine).
 */
const PROBE =
  'const c = process.cpuUsage(); const t = performance.now(); await import(process.argv[1]); ' +
  'const u = process.cpuUsage(c); process.stdout.write(`${performance.now() - t} ${(u.user + u.system) / 1000}`);';

function ownerOfInput(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at !== -1) {
    const parts = path.slice(at + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const parts = path.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}/` : path;
}

async function build(fn: keyof typeof ENTRIES, variant: Variant, outDir: string): Promise<Omit<BundleResult, 'initMs' | 'initCpuMs'> & { file: string }> {
  const outfile = join(outDir, variant, fn, BUNDLE_OUTPUT_FILE);
  const result = await esbuild.build({
    ...BUNDLE_SETTINGS,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    banner: { js: BUNDLE_SETTINGS.banner },
    external: variant === 'deployed' ? [...BUNDLE_SETTINGS.external] : [],
    entryPoints: [join(REPO, ENTRIES[fn])],
    bundle: true,
    outfile,
    metafile: true,
    absWorkingDir: REPO,
  });
  const code = readFileSync(outfile);
  const output = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith(BUNDLE_OUTPUT_FILE))![1];
  const owners = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const owner = ownerOfInput(input);
    owners.set(owner, (owners.get(owner) ?? 0) + bytesInOutput);
  }
  const topInputs = [...owners.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([owner, bytes]) => ({ owner, bytes }));
  return { fn, variant, bytes: code.length, gzipBytes: gzipSync(code).length, topInputs, file: outfile };
}

async function initOnce(file: string): Promise<{ wall: number; cpu: number }> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE, file], {
    env: { PATH: process.env.PATH ?? '', ...FUNCTION_ENV },
    cwd: tmpdir(),
  });
  const [wall, cpu] = stdout.trim().split(' ').map(Number);
  if (!Number.isFinite(wall) || !Number.isFinite(cpu)) throw new Error(`init probe printed ${JSON.stringify(stdout)}`);
  return { wall: wall!, cpu: cpu! };
}

export async function measureColdStart(options: { runs: number; variants?: Variant[]; log?: (line: string) => void }): Promise<BundleResult[]> {
  const variants = options.variants ?? ['deployed', 'sdk-bundled'];
  const outDir = mkdtempSync(join(tmpdir(), 'sluice-bench-bundles-'));
  try {
    // Bundles with external packages resolve them as the runtime's /var/runtime/node_modules would
    // be: here, the project's node_modules.
    mkdirSync(outDir, { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(outDir, 'node_modules'), 'dir');
    const builds = [];
    for (const variant of variants) {
      for (const fn of Object.keys(ENTRIES) as (keyof typeof ENTRIES)[]) builds.push(await build(fn, variant, outDir));
    }
    const samples = new Map<string, { wall: number; cpu: number }[]>(builds.map((b) => [b.file, []]));
    // Interleaved, so drift in the machine's load spreads over every bundle alike.
    for (let i = 0; i < options.runs; i++) {
      for (const b of builds) samples.get(b.file)!.push(await initOnce(b.file));
      options.log?.(`cold start: round ${i + 1}/${options.runs}`);
    }
    return builds.map(({ file, ...b }) => {
      const runs = samples.get(file)!;
      const ms = runs.map((r) => r.wall);
      return {
        ...b,
        initMs: { median: median(ms), min: Math.min(...ms), max: Math.max(...ms), runs: ms.length },
        initCpuMs: median(runs.map((r) => r.cpu)),
      };
    });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
