/**
 * One measured run of the end-to-end benchmark on the running stack: publish `messages`, wait until
 * the pipeline is quiet, and read what it cost (AWS calls and their price, CPU per delivery); or the
 * same under the CPU profiler. bench/stack-run.ts sequences the runs.
 */
import type { ApiClient, BenchApp } from './api-client.ts';
import type { AwsMeter, FunctionName, MeterSnapshot } from './aws-meter.ts';
import { costReport, type CostReport } from './cost-model.ts';
import { childProcessCpuMs, processCpuMs, startProfiler, type CpuSplit } from './cpu-profile.ts';
import { runThroughput, type ThroughputResult } from './e2e.ts';
import type { LogCapture } from './log-capture.ts';
import type { BenchReceiver } from './receiver.ts';

/** Memory sizes the stack gives each function (lib/api.ts, lib/workers.ts), for GB-seconds. */
export const MEMORY_MB: Record<FunctionName, number> = { api: 512, fanout: 256, deliver: 512 };

export interface CpuPerDelivery {
  /** This process (Sluice's handlers, the SDK, fauxqs, the local stand-ins, the harness), ms per delivery. */
  nodeMs: number;
  /** DynamoDB Local's JVM, ms per delivery. */
  dynamoDbLocalMs: number;
}

export interface ScenarioResult {
  throughput: ThroughputResult;
  usage: MeterSnapshot & { logBytesByService: Record<string, number> };
  cost: CostReport;
  cpu: CpuPerDelivery;
}

export interface ProfileResult {
  deliveries: number;
  /** CPU ms per delivery by owner (sampled), and the same for DynamoDB Local's JVM. */
  msPerDelivery: Record<string, number>;
  otherPackagesMs: Record<string, number>;
  /** Sluice's own CPU per delivery: its code and libraries plus the AWS SDK calls it makes. */
  sluiceMsPerDelivery: number;
  deliveriesPerSecond: number;
  profileFile: string | undefined;
}

/** The longest one measured run may take. */
export const TIMEOUT_MS = 300_000;

export async function waitQuiet(meter: AwsMeter): Promise<void> {
  // Deletes of the last batch follow the handler; a quiet spell means the pipeline is drained.
  while (!meter.isQuiet(400)) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** One measured run: throughput, the AWS calls it made and their cost, and CPU per delivery. */
export async function scenario(
  ctx: { api: ApiClient; receiver: BenchReceiver; meter: AwsMeter; logs: LogCapture },
  app: BenchApp,
  messages: number,
  publishers: number,
  payloadOf?: (n: number) => Record<string, unknown>,
): Promise<ScenarioResult> {
  const { meter, logs } = ctx;
  await waitQuiet(meter);
  meter.reset();
  logs.reset();
  const cpu0 = processCpuMs();
  const jvm0 = childProcessCpuMs('java');
  const throughput = await runThroughput({ ...ctx, app, messages, publishers, timeoutMs: TIMEOUT_MS, ...(payloadOf === undefined ? {} : { payloadOf }) });
  await waitQuiet(meter);
  const cpu = processCpuMs() - cpu0;
  const jvm = childProcessCpuMs('java') - jvm0;
  const snapshot = meter.snapshot();
  const cost = costReport({
    deliveries: throughput.deliveries,
    messages,
    apiRequests: snapshot.invocations.find((i) => i.fn === 'api')?.invocations ?? 0,
    operations: snapshot.operations,
    invocations: snapshot.invocations,
    memoryMb: MEMORY_MB,
    logBytes: logs.totalBytes(),
  });
  return {
    throughput,
    usage: { ...snapshot, logBytesByService: logs.bytesByService() },
    cost,
    cpu: { nodeMs: cpu / throughput.deliveries, dynamoDbLocalMs: jvm / throughput.deliveries },
  };
}

/** A run under the CPU profiler: where each delivery's CPU goes. */
export async function profiled(
  ctx: { api: ApiClient; receiver: BenchReceiver; meter: AwsMeter; logs: LogCapture },
  app: BenchApp,
  messages: number,
  publishers: number,
  profileOut: string | undefined,
): Promise<ProfileResult> {
  await waitQuiet(ctx.meter);
  const jvm0 = childProcessCpuMs('java');
  const profiler = await startProfiler();
  const throughput = await runThroughput({ ...ctx, app, messages, publishers, timeoutMs: TIMEOUT_MS });
  await waitQuiet(ctx.meter);
  const split: CpuSplit = await profiler.stop(profileOut);
  const jvm = childProcessCpuMs('java') - jvm0;
  const n = throughput.deliveries;
  const msPerDelivery: Record<string, number> = {};
  for (const [owner, ms] of Object.entries(split.byOwner)) if (owner !== 'idle') msPerDelivery[owner] = ms / n;
  msPerDelivery['DynamoDB Local (JVM)'] = jvm / n;
  const sluice = (split.byOwner['sluice'] ?? 0) + (split.byOwner['sluice (libraries)'] ?? 0) + (split.byOwner['aws-sdk'] ?? 0);
  return {
    deliveries: n,
    msPerDelivery,
    otherPackagesMs: split.otherPackages,
    sluiceMsPerDelivery: sluice / n,
    deliveriesPerSecond: throughput.deliveriesPerSecond,
    profileFile: profileOut,
  };
}
