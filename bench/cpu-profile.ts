/**
 * Where the CPU goes while the local stack delivers: a V8 CPU profile of this process (the same data
 * as `node --cpu-prof`, taken in-process over just the measured phase) summarised by owner: Sluice's
 * code, the AWS SDK it calls, fauxqs (the SQS emulator, in this process), the local stand-ins for API
 * Gateway and the event source mappings, the harness (publishers, receiver); plus the CPU time of
 * DynamoDB Local's JVM (a child process), read from /proc.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSplit {
  /** Milliseconds of CPU (sampled) by owner. */
  byOwner: Record<string, number>;
  /** Node packages that fell in no known owner, for the curious. */
  otherPackages: Record<string, number>;
  sampledMs: number;
}

const SDK = /^(@aws-sdk|@smithy|@aws-crypto|@aws)\/|^(fast-xml-parser|strnum|tslib|bowser|uuid)$/;
const FUNCTION_LIBRARIES = /^(@aws-lambda-powertools|@middy)\/|^zod$/;
const FAUXQS = /^(@fastify)\/|^(fauxqs|fastify|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|fast-uri|toad-cache|valibot|pino|pino-std-serializers|abstract-logging|process-warning|rfdc|secure-json-parse|ret|safe-regex2|json-schema-ref-resolver|ajv|fast-decode-uri-component|fastq|reusify|cookie|semver|fast-redact|on-exit-leak-free|thread-stream|sonic-boom|quick-format-unescaped|atomic-sleep|real-require|safe-stable-stringify|content-type|fast-deep-equal|dequal|better-sqlite3)$/;

function packageOf(path: string): string | undefined {
  const at = path.lastIndexOf('/node_modules/');
  if (at === -1) return undefined;
  const parts = path.slice(at + '/node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** The owner of a frame, or undefined for Node's own (internal) code, which is charged to its caller. */
export function ownerOf(url: string): string | undefined {
  if (url === '' || url.startsWith('node:')) return undefined;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = packageOf(path);
  if (pkg !== undefined) {
    if (SDK.test(pkg)) return 'aws-sdk';
    if (FUNCTION_LIBRARIES.test(pkg)) return 'sluice (libraries)';
    if (FAUXQS.test(pkg)) return 'fauxqs';
    return `other:${pkg}`;
  }
  if (!path.startsWith(REPO)) return undefined;
  const rel = path.slice(REPO.length);
  if (rel.startsWith('functions/')) return 'sluice';
  if (rel.startsWith('local/')) return 'local stand-ins';
  return 'harness';
}

export function splitProfile(profile: Profile): CpuSplit {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const ownerCache = new Map<number, string>();
  const resolve = (id: number): string => {
    const cached = ownerCache.get(id);
    if (cached !== undefined) return cached;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    let owner: string;
    if (name === '(garbage collector)') owner = 'gc';
    else if (name === '(idle)') owner = 'idle';
    else if (name === '(program)' || name === '(root)') owner = 'native (unattributed)';
    else {
      const own = ownerOf(node.callFrame.url);
      const up = parent.get(id);
      owner = own ?? (up === undefined || byId.get(up)!.callFrame.functionName === '(root)' ? 'node (unattributed)' : resolve(up));
    }
    ownerCache.set(id, owner);
    return owner;
  };
  const byOwner: Record<string, number> = {};
  const otherPackages: Record<string, number> = {};
  let sampledMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const owner = resolve(id);
    if (owner.startsWith('other:')) otherPackages[owner.slice(6)] = (otherPackages[owner.slice(6)] ?? 0) + ms;
    const key = owner.startsWith('other:') ? 'other packages' : owner;
    byOwner[key] = (byOwner[key] ?? 0) + ms;
    if (owner !== 'idle') sampledMs += ms;
  });
  return { byOwner, otherPackages, sampledMs };
}

export interface Profiler {
  stop(saveTo?: string): Promise<CpuSplit>;
}

export async function startProfiler(samplingIntervalUs = 1000): Promise<Profiler> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
  await session.post('Profiler.start');
  return {
    async stop(saveTo) {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
      await session.post('Profiler.disable');
      session.disconnect();
      if (saveTo !== undefined) writeFileSync(saveTo, JSON.stringify(profile));
      return splitProfile(profile);
    },
  };
}

/** CPU milliseconds (user + system) used so far by this process's child processes named `name`. */
export function childProcessCpuMs(name: string): number {
  const ticksPerSecond = 100; // USER_HZ on Linux
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return Number.NaN; // not Linux
  }
  const processes = new Map<number, { comm: string; ppid: number; cpuMs: number }>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid … utime(14) stime(15): comm may hold spaces, so split after the ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    processes.set(Number(entry), { comm, ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000 });
  }
  // Descendants, not only children: the JVM runs under its watchdog shell (local/emulators/jvm-watchdog.ts).
  const descends = (pid: number): boolean => {
    for (let p = processes.get(pid)?.ppid, hops = 0; p !== undefined && p > 1 && hops < 8; p = processes.get(p)?.ppid, hops++) {
      if (p === process.pid) return true;
    }
    return false;
  };
  let total = 0;
  for (const [pid, info] of processes) if (info.comm === name && descends(pid)) total += info.cpuMs;
  return total;
}

/** This process's CPU milliseconds (all threads: JS, libuv pool, GC helpers). */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
