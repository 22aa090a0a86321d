/**
 * The results as markdown tables: printed to the terminal and written to bench/results/latest.md
 * (the JSON next to it holds every figure).
 */
import type { BundleResult } from './cold-start.ts';
import type { CostReport } from './cost-model.ts';
import type { MachineInfo } from './machine.ts';
import { PRICES } from './prices.ts';
import type { StackBenchResult, ScenarioResult } from './stack-run.ts';
import type { LatencySummary } from './stats.ts';

export interface BenchResults {
  machine: MachineInfo;
  settings: Record<string, unknown>;
  stack?: StackBenchResult;
  coldStart?: BundleResult[];
}

export const TARGETS = {
  billedRequestsPerDeliveryK10: 2.0,
  usdPerMillionK10: 1.0,
  ratioK10: 0.25,
  idleP50Ms: 50,
  bundleBytes: 300 * 1024,
  initMs: 150,
} as const;

const f = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const kb = (bytes: number): string => f(bytes / 1024, 1);
const mark = (ok: boolean): string => (ok ? '✅' : '❌');
const row = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][]): string[] =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)];
const lat = (l: LatencySummary): string[] => [f(l.p50), f(l.p95), f(l.p99)];

function machineLine(m: MachineInfo): string {
  return `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpuModel} (${m.cores} cores), ${m.memoryGb} GB, ` +
    `Node ${m.node}, ${m.os}; 1-min load average at start ${m.loadAverage1m}; code: ${m.commit}.`;
}

function e2eSection(s: StackBenchResult, settings: Record<string, unknown>): string[] {
  const scenarioRow = (label: string, r: ScenarioResult) => [
    label, r.throughput.deliveries, f(r.throughput.deliveriesPerSecond, 0), ...lat(r.throughput.latencyMs),
    f(r.cpu.nodeMs, 2), f(r.cpu.dynamoDbLocalMs, 2),
  ];
  const idleOk = s.idle.latencyMs.p50 < TARGETS.idleP50Ms;
  const ratioOk = s.ratioK10 >= TARGETS.ratioK10;
  const lines = [
    '### End to end (local stack)',
    '',
    `DynamoDB Local + fauxqs in memory, ${String(settings['publishers'])} concurrent publishers on the REST API (Svix SDK requests: ` +
      `app by uid, \`idempotency-key\` on every POST), pollers: fan-out ${String(settings['fanoutPollers'])}, ` +
      `delivery ${String(settings['deliveryPollers'])} × batches of 10; one node:http receiver on 127.0.0.1. ` +
      'Latency = receiver arrival − publish request sent.',
    '',
    ...table(
      ['run', 'deliveries', 'deliveries/s', 'p50 ms', 'p95 ms', 'p99 ms', 'CPU ms/delivery (Node process)', 'CPU ms/delivery (DynamoDB Local JVM)'],
      [
        ['idle: one message at a time, K=1', s.idle.messages, '–', ...lat(s.idle.latencyMs), '–', '–'],
        scenarioRow(`K=1: ${s.k1.throughput.messages} messages`, s.k1),
        scenarioRow(`K=3: ${s.k3.throughput.messages} messages`, s.k3),
        scenarioRow(`K=10: ${s.k10.throughput.messages} messages`, s.k10),
        scenarioRow(`K=1 ordered (fifo) endpoint: ${s.ordered.throughput.messages} messages`, s.ordered),
        scenarioRow(`K=1, 1 MiB payloads: ${s.bigPayload.throughput.messages} messages`, s.bigPayload),
        scenarioRow(`K=1, payload filter (every message passes): ${s.filtered.throughput.messages} messages`, s.filtered),
        scenarioRow(`K=1, SQS destination (assumed role): ${s.sqsDestination.throughput.messages} messages`, s.sqsDestination),
        [`raw signed POSTs, concurrency ${s.raw.concurrency}`, s.raw.requests, f(s.raw.requestsPerSecond, 0), ...lat(s.raw.latencyMs), '–', '–'],
      ],
    ),
    '',
    `- Idle publish→delivery p50: ${f(s.idle.latencyMs.p50)} ms (target < ${TARGETS.idleP50Ms} ms) ${mark(idleOk)}`,
    ...(s.idle.stages === undefined
      ? []
      : [
          `- Idle message, median ms after the publish request was sent: API handler returned ${f(s.idle.stages.apiReturned)}, ` +
            `fan-out started ${f(s.idle.stages.fanoutStarted)}, fan-out returned ${f(s.idle.stages.fanoutReturned)}, ` +
            `delivery started ${f(s.idle.stages.deliveryStarted)}, webhook arrived ${f(s.idle.stages.arrived)} ` +
            `(API answered the publisher in ${f(s.idle.publishMs.p50)} ms p50).`,
          `- Idle calls per message (average ms each): ` +
            s.idle.callMs.map((c) => `${c.fn} ${c.call} ×${f(c.perMessage, 1)} (${f(c.avgMs, 1)})`).join(', ') + '.',
        ]),
    `- K=10 deliveries/s ÷ raw signed POSTs/s: ${f(s.ratioK10 * 100)} % (target ≥ ${TARGETS.ratioK10 * 100} %) ${mark(ratioOk)}`,
  ];
  const c = s.emulatorCeiling;
  lines.push(
    `- Emulator ceiling: DynamoDB Local's JVM and fauxqs alone spend ${f(c.cpuMsPerDelivery, 2)} ms of CPU per K=10 delivery, so even ` +
      `if Sluice's code cost nothing and they had all ${String(settings['cores'])} cores, this machine could not exceed ` +
      `${f(c.deliveriesPerSecond, 0)} deliveries/s = ${f(c.ratioOfRaw * 100)} % of the raw figure${c.ratioOfRaw < TARGETS.ratioK10 ? ': the emulators are the limit here' : ''}.`,
  );
  lines.push(
    `- In CPU time (less skewed by a busy machine): a raw signed POST costs ${f(s.raw.cpuMsPerRequest, 3)} ms (client + receiver), ` +
      `a K=10 delivery ${f(s.k10.cpu.nodeMs + s.k10.cpu.dynamoDbLocalMs, 2)} ms (this process + DynamoDB Local): ` +
      `${f(s.cpuRatioK10.all * 100)} % of raw; without the emulators' share, ${f(s.cpuRatioK10.withoutEmulators * 100)} %.`,
  );
  if (s.profile !== undefined) {
    const p = s.profile;
    const owners = Object.entries(p.msPerDelivery).sort((a, b) => b[1] - a[1]);
    lines.push(
      `- Where the CPU goes at K=10 (profiled pass, ${p.deliveries} deliveries, CPU ms per delivery): ` +
        owners.map(([o, ms]) => `${o} ${f(ms, 2)}`).join(', ') + '.',
      `- Sluice's own CPU per delivery (its code and libraries + the AWS SDK calls it makes): ${f(p.sluiceMsPerDelivery, 2)} ms.`,
    );
  }
  return lines;
}

function costRow(label: string, c: CostReport, k10: boolean): (string | number)[] {
  const p = c.perDelivery;
  const reqOk = p.billedRequests <= TARGETS.billedRequestsPerDeliveryK10;
  const usdOk = c.usdPerMillion.total <= TARGETS.usdPerMillionK10;
  return [
    label, f(p.sqsRequests, 2), f(p.readUnits, 2), f(p.writeUnits, 2), f(p.lambdaInvocations, 2),
    `${f(p.billedRequests, 2)}${k10 ? ` ${mark(reqOk)}` : ''}`,
    `$${f(c.usdPerMillion.total, 2)}${k10 ? ` ${mark(usdOk)}` : ''}`,
    `$${f(c.eventBridgeUsdPerMillion, 2)}`,
  ];
}

function costSection(s: StackBenchResult): string[] {
  const k10 = s.k10.cost;
  const u = k10.usdPerMillion;
  const ops = s.k10.usage.operations
    .filter((o) => o.calls - o.emptyReceives > 0)
    .sort((a, b) => a.fn.localeCompare(b.fn) || a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
  const n = s.k10.throughput.deliveries;
  return [
    '### AWS requests and cost per delivery',
    '',
    `Counted on the local stack by an SDK middleware on every client and a wrapper on every handler; DynamoDB units as ` +
      `DynamoDB Local reports them (ReturnConsumedCapacity). Prices: ${PRICES.region} list prices checked ${PRICES.checkedOn} (bench/prices.ts). ` +
      `Targets at K=10: ≤ ${TARGETS.billedRequestsPerDeliveryK10} billed requests and ≤ $${f(TARGETS.usdPerMillionK10, 2)} per million deliveries.`,
    '',
    ...table(
      ['K', 'SQS requests', 'DynamoDB RRU', 'DynamoDB WRU', 'Lambda invocations', 'billed requests / delivery', '$ / million deliveries', 'EventBridge API destinations $ / million'],
      [
        costRow('1', s.k1.cost, false),
        costRow('3', s.k3.cost, false),
        costRow('10', k10, true),
        costRow('1, ordered (fifo)', s.ordered.cost, false),
        costRow('1, 1 MiB payloads', s.bigPayload.cost, false),
        costRow('1, payload filter', s.filtered.cost, false),
        costRow('1, SQS destination', s.sqsDestination.cost, false),
      ],
    ),
    '',
    `Ordered: its SQS requests go to FIFO queues, which cost $${f(PRICES.sqs.usdPerMillionFifoRequests, 2)} per million requests instead of ` +
      `$${f(PRICES.sqs.usdPerMillionRequests, 2)}; priced that way, the ordered run's SQS share is ` +
      `$${f(s.ordered.cost.perDelivery.sqsRequests * PRICES.sqs.usdPerMillionFifoRequests, 2)} per million deliveries, not ` +
      `$${f(s.ordered.cost.perDelivery.sqsRequests * PRICES.sqs.usdPerMillionRequests, 2)}. ` +
      `1 MiB payloads: the S3 calls are not metered (the payload client is created lazily, outside the meter); ` +
      `add one PUT per message ($${f(PRICES.s3.usdPerMillionPuts, 2)} per million) and one GET per delivery ($${f(PRICES.s3.usdPerMillionGets, 2)} per million), ` +
      `plus storage for the retention. ` +
      `SQS destination: the SendMessage into the customer's queue is billed to the customer's account (and not metered here: ` +
      `the destination client is the adapter's own); the AssumeRole calls (one per endpoint per hour) are free.`,
    '',
    `The same traffic priced for each deployment option ($ per million deliveries; \`-c api=rest|http\`, ` +
      `\`-c capacity=on-demand|provisioned\`, provisioned units kept ${f(k10.variants.utilization * 100, 0)} % busy by auto scaling: steady traffic):`,
    '',
    ...table(
      ['K', 'REST API, on-demand (default)', 'HTTP API, on-demand', 'REST API, provisioned', 'HTTP API, provisioned'],
      ([['1', s.k1.cost], ['3', s.k3.cost], ['10', k10]] as const).map(([k, c]) => [
        k,
        `$${f(c.variants.restOnDemand, 2)}`,
        `$${f(c.variants.httpOnDemand, 2)}`,
        `$${f(c.variants.restProvisioned, 2)}`,
        `$${f(c.variants.httpProvisioned, 2)}`,
      ]),
    ),
    '',
    `- K=10 dollars per million deliveries: API Gateway $${f(u.apiGateway, 3)}, DynamoDB writes $${f(u.dynamoWrites, 3)}, ` +
      `DynamoDB reads $${f(u.dynamoReads, 3)}, SQS $${f(u.sqs, 3)}, Lambda requests $${f(u.lambdaRequests, 3)}, ` +
      `Lambda GB-s $${f(u.lambdaCompute, 3)}, CloudWatch Logs $${f(u.logs, 3)}, Secrets Manager $${f(u.secretsManager, 3)}, KMS $${f(u.kms, 3)}.`,
    ...(s.awsLambdaEstimateK10 === undefined
      ? []
      : [
          `- Lambda GB-s above are the local handler durations, inflated by calls queueing behind the saturated emulators. ` +
            `Estimated as AWS would bill them (idle I/O wait per invocation + Sluice's ${f(s.profile?.sluiceMsPerDelivery ?? Number.NaN, 2)} ms CPU ` +
            `per delivery at 1 vCPU per 1,769 MB): $${f(s.awsLambdaEstimateK10.usdPerMillion, 3)} per million, ` +
            `making the K=10 total $${f(s.awsLambdaEstimateK10.totalUsdPerMillion, 2)} per million deliveries.`,
        ]),
    `- K=10 billed requests per delivery by function: ${Object.entries(k10.billedRequestsByFunction).map(([fn, v]) => `${fn} ${f(v, 2)}`).join(', ')}; ` +
      `average batch: ${Object.entries(k10.averageBatch).map(([fn, v]) => `${fn} ${f(v ?? 0, 1)}`).join(', ')}; ` +
      `log bytes per delivery ${f(k10.perDelivery.logBytes, 0)}; Lambda GB-s per delivery ${k10.perDelivery.lambdaGbSeconds.toExponential(2)}.`,
    '',
    `K=10 calls per delivery (${n} deliveries; empty receives excluded):`,
    '',
    ...table(
      ['function', 'service', 'operation', 'calls / delivery', 'billed SQS requests', 'RRU', 'WRU (of which GSI)', 'avg ms / call'],
      ops.map((o) => [
        o.fn, o.service, o.operation, f((o.calls - o.emptyReceives) / n, 3),
        o.service === 'sqs' ? f((o.billedRequests - o.emptyReceives) / n, 3) : '–',
        o.service === 'dynamo' ? f(o.readUnits / n, 3) : '–',
        o.service === 'dynamo' ? `${f(o.writeUnits / n, 3)} (${f(o.indexWriteUnits / n, 3)})` : '–',
        o.operation === 'ReceiveMessage' ? '(long poll)' : f(o.totalMs / o.calls, 1),
      ]),
    ),
  ];
}

function coldSection(bundles: BundleResult[]): string[] {
  const deployed = bundles.filter((b) => b.variant === 'deployed');
  const other = (fn: string) => bundles.find((b) => b.variant === 'sdk-bundled' && b.fn === fn);
  const runs = deployed[0]?.initMs.runs ?? 0;
  return [
    '### Cold start',
    '',
    `Bundles built with esbuild and the settings of lib/bundle-settings.ts (what \`cdk deploy\` ships: ESM, minified, ` +
      `\`@aws-sdk/client-*\` from the nodejs24.x runtime). Init = import of the bundle with the function's environment, ` +
      `median of ${runs} fresh Node processes (wall time; the CPU time beside it is less skewed by other work on the machine). ` +
      `Targets: < ${TARGETS.bundleBytes / 1024} KB, init < ${TARGETS.initMs} ms.`,
    '',
    ...table(
      ['function', 'bundle KB', 'gzip KB', 'init ms (median)', 'init CPU ms', 'SDK bundled too: KB', 'SDK bundled too: init ms (CPU)', 'largest parts (KB)'],
      deployed.map((b) => {
        const o = other(b.fn);
        return [
          b.fn,
          `${kb(b.bytes)} ${mark(b.bytes < TARGETS.bundleBytes)}`,
          kb(b.gzipBytes),
          `${f(b.initMs.median)} ${mark(b.initMs.median < TARGETS.initMs)}`,
          f(b.initCpuMs),
          o === undefined ? '–' : kb(o.bytes),
          o === undefined ? '–' : `${f(o.initMs.median)} (${f(o.initCpuMs)})`,
          b.topInputs.slice(0, 4).map((t) => `${t.owner} ${kb(t.bytes)}`).join(', '),
        ];
      }),
    ),
  ];
}

export function renderMarkdown(results: BenchResults): string {
  const lines = ['## Benchmarks', '', machineLine(results.machine), ''];
  if (results.stack !== undefined) {
    lines.push(...e2eSection(results.stack, results.settings), '', ...costSection(results.stack), '');
  }
  if (results.coldStart !== undefined) lines.push(...coldSection(results.coldStart), '');
  lines.push(`Reproduce: \`npm run bench\` (options: \`npm run bench -- --help\`).`, '');
  return lines.join('\n');
}
