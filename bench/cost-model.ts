/**
 * From what the meter counted during a run (SDK calls, capacity units, invocations and their
 * durations, log bytes) to AWS requests and US dollars per delivered webhook. Pure arithmetic, so it
 * is unit-tested (test/unit/bench-cost-model.test.ts).
 *
 * "Billed requests" follow the definition: SQS requests (64 KB chunks) + DynamoDB request
 * units (read and write) + Lambda invocations. Empty receives (a poller's long poll that found
 * nothing) are left out of the per-delivery figures: on AWS they are the event source mapping's idle
 * polling, a fixed monthly cost that does not grow with traffic (see idleSqsUsdPerMonth).
 */
import type { FunctionName, InvocationCount, OperationCount } from './aws-meter.ts';
import { PRICES, type Prices } from './prices.ts';

export interface Usage {
  /** Webhooks that reached the receiver (the unit everything is divided by). */
  deliveries: number;
  /** Messages published (= API Gateway requests in these runs). */
  messages: number;
  apiRequests: number;
  operations: readonly OperationCount[];
  invocations: readonly InvocationCount[];
  /** Memory size of each function (MB), as the stack sets it. */
  memoryMb: Readonly<Record<FunctionName, number>>;
  /** Application log bytes the functions wrote (Powertools JSON lines). */
  logBytes: number;
}

export interface Assumptions {
  /** Lambda's own log lines per invocation (START / END / REPORT), in bytes. */
  platformLogBytesPerInvocation: number;
  /** One API Gateway access log line (lib/api.ts format), in bytes. */
  accessLogBytesPerApiRequest: number;
  /** api cold starts per million deliveries, each reading the admin token from Secrets Manager once. */
  apiColdStartsPerMillionDeliveries: number;
  /**
   * CloudWatch EMF metric lines (not written in local runs, which record into Prometheus instead):
   * bytes per delivery (the delivery function) and per published message (api + fan-out). Absent: 0.
   */
  emfBytesPerDelivery?: number;
  emfBytesPerMessage?: number;
  /** How busy auto scaling keeps provisioned capacity, for the provisioned variants (default 0.7, its target). */
  provisionedUtilization?: number;
}

/**
 * EMF bytes as measured by test/unit/metrics-emf.test.ts (namespace Sluice/Sluice): a full batch of 10
 * records shares one line per dimension set, a lone record pays for a whole line.
 */
export const EMF_BYTES = {
  /** The delivery function, per successful first attempt. */
  delivery: { batchOf10: 57, alone: 464 },
  /** The api function, per publish (one line per invocation). */
  apiPerPublish: 217,
  /** The fan-out function, per message. */
  fanout: { batchOf10: 50, alone: 451 },
} as const;

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  // None: lib/sluice-function.ts deploys every function with JSON logs and systemLogLevel WARN, and
  // Lambda's platform.start / platform.report records are INFO, so they are not ingested (with the
  // default text format they were ~350 bytes per invocation). Lambda still writes WARN-level platform
  // records (timeouts, crashes), which are failures, not per-delivery traffic.
  platformLogBytesPerInvocation: 0,
  // The JSON line of lib/api.ts with a request id, IP, time, method, path, status, sizes, latencies, user agent.
  accessLogBytesPerApiRequest: 380,
  // Generous: a cold start per 1,000 deliveries. Each costs one GetSecretValue ($0.000005).
  apiColdStartsPerMillionDeliveries: 1000,
  // Under load (the bench's figures): batches of 10.
  emfBytesPerDelivery: EMF_BYTES.delivery.batchOf10,
  emfBytesPerMessage: EMF_BYTES.apiPerPublish + EMF_BYTES.fanout.batchOf10,
};

export interface PerDelivery {
  sqsRequests: number;
  readUnits: number;
  writeUnits: number;
  lambdaInvocations: number;
  /** The metric: sqsRequests + readUnits + writeUnits + lambdaInvocations. */
  billedRequests: number;
  lambdaGbSeconds: number;
  logBytes: number;
}

export interface CostLines {
  apiGateway: number;
  lambdaRequests: number;
  lambdaCompute: number;
  sqs: number;
  dynamoWrites: number;
  dynamoReads: number;
  logs: number;
  secretsManager: number;
  /** KMS requests made by the functions' clients (endpoint secrets), if any were counted. */
  kms: number;
  total: number;
}

/**
 * The same traffic priced for each deployment option: the gateway (`-c api=rest|http`) and the
 * table's capacity (`-c capacity=on-demand|provisioned`, provisioned units kept `utilization` busy by
 * auto scaling: a steady load; spikes above what auto scaling follows would be throttled instead).
 */
export interface CostVariants {
  utilization: number;
  restOnDemand: number;
  httpOnDemand: number;
  restProvisioned: number;
  httpProvisioned: number;
}

/** USD per million units used, for a provisioned unit costing `usdPerUnitHour` and kept `utilization` busy. */
export function provisionedUsdPerMillionUnits(usdPerUnitHour: number, utilization: number): number {
  return (usdPerUnitHour / (3600 * utilization)) * 1e6;
}

export interface CostReport {
  /** Priced for the other deployment options (usdPerMillion is REST + on-demand). */
  variants: CostVariants;
  perDelivery: PerDelivery;
  /** Billed requests per delivery, by function (what to optimise where). */
  billedRequestsByFunction: Record<FunctionName, number>;
  /** USD per million delivered webhooks, by line. */
  usdPerMillion: CostLines;
  /** EventBridge API destinations for the same traffic: one event per message, one invocation per delivery. */
  eventBridgeUsdPerMillion: number;
  /** Empty receives during the run (excluded above), and what idle polling costs per month on AWS. */
  emptyReceives: number;
  /** Average records per SQS-triggered invocation (batch fill). */
  averageBatch: Partial<Record<FunctionName, number>>;
}

const FUNCTIONS: readonly FunctionName[] = ['api', 'fanout', 'deliver'];

function billedSqs(op: OperationCount): number {
  return op.service === 'sqs' ? op.billedRequests - op.emptyReceives : 0;
}

export function costReport(usage: Usage, assumptions: Assumptions = DEFAULT_ASSUMPTIONS, prices: Prices = PRICES): CostReport {
  const n = usage.deliveries;
  if (n <= 0) throw new Error('costReport: no deliveries to divide by');
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

  const sqsRequests = sum(usage.operations.map(billedSqs));
  const readUnits = sum(usage.operations.map((o) => o.readUnits));
  const writeUnits = sum(usage.operations.map((o) => o.writeUnits));
  const invocations = sum(usage.invocations.map((i) => i.invocations));
  const gbSeconds = sum(usage.invocations.map((i) => (i.billedMs / 1000) * (usage.memoryMb[i.fn] / 1024)));
  const logBytes =
    usage.logBytes +
    invocations * assumptions.platformLogBytesPerInvocation +
    usage.apiRequests * assumptions.accessLogBytesPerApiRequest +
    n * (assumptions.emfBytesPerDelivery ?? 0) +
    usage.messages * (assumptions.emfBytesPerMessage ?? 0);

  const byFunction = {} as Record<FunctionName, number>;
  const averageBatch: Partial<Record<FunctionName, number>> = {};
  for (const fn of FUNCTIONS) {
    const ops = usage.operations.filter((o) => o.fn === fn);
    const inv = usage.invocations.find((i) => i.fn === fn);
    byFunction[fn] = (sum(ops.map((o) => billedSqs(o) + o.readUnits + o.writeUnits)) + (inv?.invocations ?? 0)) / n;
    if (inv !== undefined && inv.records > 0) averageBatch[fn] = inv.records / inv.invocations;
  }

  const perMillion = (count: number, usdPerMillion: number): number => (count / n) * usdPerMillion;
  const lines: Omit<CostLines, 'total'> = {
    apiGateway: perMillion(usage.apiRequests, prices.apiGateway.usdPerMillionRestRequests),
    lambdaRequests: perMillion(invocations, prices.lambda.usdPerMillionRequests),
    lambdaCompute: (gbSeconds / n) * 1e6 * prices.lambda.usdPerGbSecondArm,
    sqs: perMillion(sqsRequests, prices.sqs.usdPerMillionRequests),
    dynamoWrites: perMillion(writeUnits, prices.dynamodb.usdPerMillionWriteUnits),
    dynamoReads: perMillion(readUnits, prices.dynamodb.usdPerMillionReadUnits),
    logs: (logBytes / n) * 1e6 / 1e9 * prices.cloudWatchLogs.usdPerGbIngested,
    secretsManager: (assumptions.apiColdStartsPerMillionDeliveries * prices.secretsManager.usdPerTenThousandCalls) / 10_000,
    kms: perMillion(sum(usage.operations.filter((o) => o.service === 'kms').map((o) => o.calls)), prices.kms.usdPerTenThousandRequests * 100),
  };
  const total = sum(Object.values(lines));
  const utilization = assumptions.provisionedUtilization ?? 0.7;
  const httpGateway = perMillion(usage.apiRequests, prices.apiGateway.usdPerMillionHttpRequests);
  const provisionedDynamo =
    perMillion(writeUnits, provisionedUsdPerMillionUnits(prices.dynamodb.usdPerWcuHour, utilization)) +
    perMillion(readUnits, provisionedUsdPerMillionUnits(prices.dynamodb.usdPerRcuHour, utilization));
  const onDemandDynamo = lines.dynamoWrites + lines.dynamoReads;
  const variants: CostVariants = {
    utilization,
    restOnDemand: total,
    httpOnDemand: total - lines.apiGateway + httpGateway,
    restProvisioned: total - onDemandDynamo + provisionedDynamo,
    httpProvisioned: total - lines.apiGateway + httpGateway - onDemandDynamo + provisionedDynamo,
  };

  return {
    perDelivery: {
      sqsRequests: sqsRequests / n,
      readUnits: readUnits / n,
      writeUnits: writeUnits / n,
      lambdaInvocations: invocations / n,
      billedRequests: (sqsRequests + readUnits + writeUnits + invocations) / n,
      lambdaGbSeconds: gbSeconds / n,
      logBytes: logBytes / n,
    },
    billedRequestsByFunction: byFunction,
    usdPerMillion: { ...lines, total },
    variants,
    eventBridgeUsdPerMillion:
      (usage.messages / n) * prices.eventBridge.usdPerMillionEvents + prices.eventBridge.usdPerMillionApiDestinationInvocations,
    emptyReceives: sum(usage.operations.map((o) => o.emptyReceives)),
    averageBatch,
  };
}

/**
 * What the two event source mappings' idle long polling costs per month on AWS: Lambda starts with
 * `pollers` concurrent 20-second long polls per queue, each an SQS request when it returns empty.
 */
export function idleSqsUsdPerMonth(queues = 2, pollers = 5, prices: Prices = PRICES): number {
  const pollsPerMonth = queues * pollers * (30 * 24 * 3600) / 20;
  return (pollsPerMonth / 1e6) * prices.sqs.usdPerMillionRequests;
}

/** Lambda gives a function one full vCPU at 1,769 MB, and a proportional share below. */
export const MB_PER_VCPU = 1769;

/**
 * Lambda GB-seconds per delivery as AWS would bill them, estimated rather than taken from the local
 * run (where every call queues behind two saturated emulators): each invocation waits on I/O as long
 * as an idle invocation did locally (DynamoDB Local and fauxqs answer an idle call in a few ms, as
 * DynamoDB and SQS do in-region), plus Sluice's own CPU time, which runs at memory/1769 MB of a vCPU,
 * so CPU work costs cpu-seconds × 1769/1024 GB-s whatever the memory size.
 */
export function estimatedLambdaGbSeconds(input: {
  invocationsPerDelivery: Partial<Record<FunctionName, number>>;
  idleHandlerMs: Readonly<Record<FunctionName, number>>;
  memoryMb: Readonly<Record<FunctionName, number>>;
  cpuMsPerDelivery: number;
}): number {
  let gbSeconds = (input.cpuMsPerDelivery / 1000) * (MB_PER_VCPU / 1024);
  for (const fn of FUNCTIONS) {
    gbSeconds += (input.invocationsPerDelivery[fn] ?? 0) * (input.idleHandlerMs[fn] / 1000) * (input.memoryMb[fn] / 1024);
  }
  return gbSeconds;
}
