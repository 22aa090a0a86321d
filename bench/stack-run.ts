/**
 * The local-stack part of the benchmark, in one stack start: idle latency, throughput and AWS usage at
 * K = 1, 3 and 10, then K = 1 with each of issue 13's features (an ordered endpoint, 1 MiB payloads, a
 * payload filter, an SQS destination), a profiled K = 10 pass (where the CPU goes), then, with the stack
 * stopped, the raw signed-POST limit on the same receiver. Each run is measured by ./scenario.ts.
 */
import { cpus } from 'node:os';
import { startSluice, type RunningSluice } from '../local/stack.ts';
import { QUEUES } from '../functions/shared/names.ts';
import { bigPayload, createApiClient, createBenchApp, newEndpointSecret, type ApiClient } from './api-client.ts';
import { startDestinationQueue, type DestinationQueue } from './destination-queue.ts';
import { AwsMeter, type FunctionName } from './aws-meter.ts';
import { estimatedLambdaGbSeconds } from './cost-model.ts';
import { PRICES } from './prices.ts';
import { runIdleLatency, runThroughput } from './e2e.ts';
import { captureFunctionLogs } from './log-capture.ts';
import { runRawLimit, type RawResult } from './raw-limit.ts';
import { startBenchReceiver } from './receiver.ts';
import { MEMORY_MB, TIMEOUT_MS, profiled, scenario, waitQuiet, type ProfileResult, type ScenarioResult } from './scenario.ts';

export type { ScenarioResult } from './scenario.ts';

export interface StackBenchOptions {
  messagesK1: number;
  messagesK3: number;
  messagesK10: number;
  /** Messages of the ordered and big-payload runs (K=1 each). */
  messagesOrdered: number;
  messagesBig: number;
  /** Messages of the SQS-destination run (K=1). */
  messagesDestination: number;
  publishers: number;
  idleMessages: number;
  profileMessages: number;
  rawRequests: number;
  pollers: { fanout: number; delivery: number };
  profileOut: string | undefined;
  log: (line: string) => void;
}

export interface StackBenchResult {
  idle: Awaited<ReturnType<typeof runIdleLatency>> & {
    /** Per function and call: calls per idle message and their average latency (ms). */
    callMs: { fn: FunctionName; call: string; perMessage: number; avgMs: number }[];
  };
  k1: ScenarioResult;
  k3: ScenarioResult;
  k10: ScenarioResult;
  /** K=1, the endpoint ordered (`ordering: "fifo"`): the FIFO queues' path. */
  ordered: ScenarioResult;
  /** K=1, ~1 MiB payloads: the payload bucket's path (S3 calls are not metered: see the report). */
  bigPayload: ScenarioResult;
  /** K=1, the endpoint with a payload filter every message passes (fan-out reads each message). */
  filtered: ScenarioResult;
  /** K=1, the endpoint an SQS queue (an AWS-native destination, through an assumed role). */
  sqsDestination: ScenarioResult;
  profile: ProfileResult | undefined;
  raw: RawResult;
  /** Sluice deliveries/s at K = 10 ÷ raw signed POSTs/s. */
  ratioK10: number;
  /**
   * The most the emulators alone would allow at K = 10 if Sluice's own code cost nothing: every core
   * of the machine given to DynamoDB Local's JVM and fauxqs, at their CPU per delivery.
   */
  emulatorCeiling: { cpuMsPerDelivery: number; deliveriesPerSecond: number; ratioOfRaw: number };
  /**
   * The same comparison in CPU time, which a busy machine skews less than throughput: raw CPU per
   * POST ÷ Sluice's CPU per K = 10 delivery (this process + DynamoDB Local), with and without the
   * emulators' share.
   */
  cpuRatioK10: { all: number; withoutEmulators: number };
  /** K = 10 Lambda compute as AWS would bill it (cost-model.ts estimatedLambdaGbSeconds), when the profile ran. */
  awsLambdaEstimateK10: { gbSecondsPerDelivery: number; usdPerMillion: number; totalUsdPerMillion: number } | undefined;
  missingCapacity: number;
}

/** An EventBridge pattern every sample payload (bench/api-client.ts) passes: a prefix, a range and an exists. */
const PASSING_FILTER = {
  payload: {
    invoice: { id: [{ prefix: 'in_' }], amount: [{ numeric: ['>', 0] }] },
    metadata: { source: [{ exists: true }] },
  },
};

export async function runStackBenchmarks(options: StackBenchOptions): Promise<StackBenchResult> {
  const { log } = options;
  const meter = new AwsMeter();
  const receiver = await startBenchReceiver();
  const logs = captureFunctionLogs();
  let sluice: RunningSluice | undefined;
  let api: ApiClient | undefined;
  let destinationQueue: DestinationQueue | undefined;
  try {
    log('starting the local stack (DynamoDB Local, fauxqs)…');
    sluice = await startSluice({
      retryScheduleSeconds: [1, 1, 1],
      pollers: options.pollers,
      // INFO, as deployed: the log lines are counted (CloudWatch Logs ingestion), not printed.
      logLevel: 'INFO',
      instrument: meter.instrumentation,
    });
    api = createApiClient(sluice.url, sluice.adminToken, options.publishers);
    const secret = newEndpointSecret();
    const [k1, k3, k10] = [
      await createBenchApp(api, receiver.url, 'bench-k1', 1, secret),
      await createBenchApp(api, receiver.url, 'bench-k3', 3, secret),
      await createBenchApp(api, receiver.url, 'bench-k10', 10, secret),
    ];
    const orderedApp = await createBenchApp(api, receiver.url, 'bench-ordered', 1, secret, { ordering: 'fifo' });
    const bigApp = await createBenchApp(api, receiver.url, 'bench-big', 1, secret);
    const filteredApp = await createBenchApp(api, receiver.url, 'bench-filtered', 1, secret, { filter: PASSING_FILTER });
    destinationQueue = await startDestinationQueue(sluice, api, receiver, 'bench-sqs-destination', secret);
    const ctx = { api, receiver, meter, logs };

    log('warm-up…');
    await runThroughput({ ...ctx, app: k10, messages: 30, publishers: options.publishers, timeoutMs: TIMEOUT_MS });
    await runThroughput({ ...ctx, app: k1, messages: 30, publishers: options.publishers, timeoutMs: TIMEOUT_MS });
    await runThroughput({ ...ctx, app: k3, messages: 30, publishers: options.publishers, timeoutMs: TIMEOUT_MS });

    log(`idle latency: ${options.idleMessages} messages, one at a time…`);
    await waitQuiet(meter);
    meter.reset();
    const idleRun = await runIdleLatency({ ...ctx, app: k1, messages: options.idleMessages, pauseMs: 100, meter });
    // Each call's latency on an idle stack: what one more (or one fewer) sequential call costs.
    const idleCallMs = meter
      .snapshot()
      .operations.filter((o) => o.operation !== 'ReceiveMessage')
      .map((o) => ({ fn: o.fn, call: `${o.service}.${o.operation}`, perMessage: o.calls / options.idleMessages, avgMs: o.totalMs / o.calls }));
    const idle = { ...idleRun, callMs: idleCallMs };

    log(`throughput K=1: ${options.messagesK1} messages…`);
    const s1 = await scenario(ctx, k1, options.messagesK1, options.publishers);
    log(`  ${s1.throughput.deliveriesPerSecond.toFixed(0)} deliveries/s`);
    log(`throughput K=3: ${options.messagesK3} messages…`);
    const s3 = await scenario(ctx, k3, options.messagesK3, options.publishers);
    log(`  ${s3.throughput.deliveriesPerSecond.toFixed(0)} deliveries/s`);
    log(`throughput K=10: ${options.messagesK10} messages…`);
    const s10 = await scenario(ctx, k10, options.messagesK10, options.publishers);
    log(`  ${s10.throughput.deliveriesPerSecond.toFixed(0)} deliveries/s`);

    log(`ordered endpoint K=1: ${options.messagesOrdered} messages…`);
    await runThroughput({ ...ctx, app: orderedApp, messages: 10, publishers: options.publishers, timeoutMs: TIMEOUT_MS });
    const ordered = await scenario(ctx, orderedApp, options.messagesOrdered, options.publishers);
    log(`  ${ordered.throughput.deliveriesPerSecond.toFixed(0)} deliveries/s`);
    log(`1 MiB payloads K=1: ${options.messagesBig} messages…`);
    const big = await scenario(ctx, bigApp, options.messagesBig, options.publishers, bigPayload);
    log(`  ${big.throughput.deliveriesPerSecond.toFixed(0)} deliveries/s`);
    log(`payload filter K=1: ${options.messagesK1} messages…`);
    const filtered = await scenario(ctx, filteredApp, options.messagesK1, options.publishers);
    log(`  ${filtered.throughput.deliveriesPerSecond.toFixed(0)} deliveries/s`);
    log(`SQS destination K=1: ${options.messagesDestination} messages…`);
    await runThroughput({ ...ctx, app: destinationQueue.app, messages: 10, publishers: options.publishers, timeoutMs: TIMEOUT_MS });
    const sqsDestination = await scenario(ctx, destinationQueue.app, options.messagesDestination, options.publishers);
    log(`  ${sqsDestination.throughput.deliveriesPerSecond.toFixed(0)} deliveries/s`);
    await destinationQueue.stop();
    destinationQueue = undefined;

    let profile: ProfileResult | undefined;
    if (options.profileMessages > 0) {
      log(`profiled K=10 pass: ${options.profileMessages} messages…`);
      profile = await profiled(ctx, k10, options.profileMessages, options.publishers, options.profileOut);
    }
    const missingCapacity = meter.missingCapacity;

    log('stopping the stack…');
    api.close();
    api = undefined;
    await sluice.stop();
    sluice = undefined;

    const concurrency = options.pollers.delivery * QUEUES.delivery.batchSize;
    log(`raw signed POSTs: ${options.rawRequests} at concurrency ${concurrency}…`);
    const raw = await runRawLimit({ receiver, secret, concurrency, requests: options.rawRequests });
    let awsLambdaEstimateK10: StackBenchResult['awsLambdaEstimateK10'];
    if (profile !== undefined && idle.handlerMs !== undefined) {
      const n = s10.throughput.deliveries;
      const gbSeconds = estimatedLambdaGbSeconds({
        invocationsPerDelivery: Object.fromEntries(s10.usage.invocations.map((i) => [i.fn, i.invocations / n])),
        idleHandlerMs: idle.handlerMs,
        memoryMb: MEMORY_MB,
        cpuMsPerDelivery: profile.sluiceMsPerDelivery,
      });
      const usd = gbSeconds * 1e6 * PRICES.lambda.usdPerGbSecondArm;
      awsLambdaEstimateK10 = {
        gbSecondsPerDelivery: gbSeconds,
        usdPerMillion: usd,
        totalUsdPerMillion: s10.cost.usdPerMillion.total - s10.cost.usdPerMillion.lambdaCompute + usd,
      };
    }
    const emulatorMs = s10.cpu.dynamoDbLocalMs + (profile?.msPerDelivery['fauxqs'] ?? 0);
    const ceiling = (cpus().length * 1000) / emulatorMs;
    return {
      idle,
      k1: s1,
      k3: s3,
      k10: s10,
      ordered,
      bigPayload: big,
      filtered,
      sqsDestination,
      profile,
      raw,
      ratioK10: s10.throughput.deliveriesPerSecond / raw.requestsPerSecond,
      awsLambdaEstimateK10,
      emulatorCeiling: { cpuMsPerDelivery: emulatorMs, deliveriesPerSecond: ceiling, ratioOfRaw: ceiling / raw.requestsPerSecond },
      cpuRatioK10: {
        all: raw.cpuMsPerRequest / (s10.cpu.nodeMs + s10.cpu.dynamoDbLocalMs),
        withoutEmulators: raw.cpuMsPerRequest / (s10.cpu.nodeMs + s10.cpu.dynamoDbLocalMs - emulatorMs),
      },
      missingCapacity,
    };
  } finally {
    await destinationQueue?.stop();
    api?.close();
    await sluice?.stop();
    logs.restore();
    await receiver.close();
  }
}
