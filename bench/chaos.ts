/**
 * `npm run bench:chaos`: the big chaos run. The local stack (API, fan-out, DynamoDB Local, fauxqs) in
 * this process, the delivery workers in child processes attached to the same emulators, a receiver
 * injecting faults into 30 % of requests (500, 429 + Retry-After, hang past the attempt timeout,
 * connection reset, slow answer), and worker processes SIGKILLed mid-batch and replaced. Publishes
 * 10,000 messages to 3 endpoints with a compressed retry schedule and prints delivered, lost (must be
 * 0), duplicates, attempts per delivery and time to drain; JSON to bench/results/chaos.json.
 * Options: --messages 10000 --endpoints 3 --fault-rate 0.3 --workers 2 --pollers 4 --kills 0.2,0.55
 * The orchestration is test/support/chaos-harness.ts (the small version runs in `npm test`).
 *
 * Then the noisy-neighbour scenario (tenant isolation, test/support/noisy-neighbour.ts) at scale:
 * --noisy-apps 20 apps whose endpoints hang get --noisy-flood 100 messages each, then a healthy app
 * publishes --healthy 300 messages at --healthy-rate 10/s; with the default timeouts (15 s per attempt).
 * For the ratio, the small scenario (1 hanging app × 300, 60 healthy at 4/s) runs with and without
 * the slow lane. --scenario chaos|noisy|all (default all).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runChaos, type ChaosReport } from '../test/support/chaos-harness.ts';
import { runNoisyNeighbour, type NoisyNeighbourReport } from '../test/support/noisy-neighbour.ts';
import { machineInfo } from './machine.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '10000' },
    endpoints: { type: 'string', default: '3' },
    'fault-rate': { type: 'string', default: '0.3' },
    workers: { type: 'string', default: '2' },
    pollers: { type: 'string', default: '4' },
    kills: { type: 'string', default: '0.2,0.55' },
    seed: { type: 'string', default: '2026' },
    scenario: { type: 'string', default: 'all' },
    'noisy-apps': { type: 'string', default: '20' },
    'noisy-flood': { type: 'string', default: '100' },
    healthy: { type: 'string', default: '300' },
    'healthy-rate': { type: 'string', default: '10' },
  },
});

const options = {
  messages: Number(values.messages),
  endpoints: Number(values.endpoints),
  faultRate: Number(values['fault-rate']),
  seed: Number(values.seed),
  // 13 attempts ~1–2 s apart: with 30 % faults a pair fails them all with probability 0.3^13 ≈ 2e-7.
  schedule: [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2],
  // Hangs cost 2 s, not 15 s; still long enough for a busy 2-core machine to answer in time.
  attemptTimeoutMs: 2_000,
  // Visibility timeout 30 s: a killed worker's tasks come back after 30 s.
  consumerTimeoutSeconds: 5,
  workers: Number(values.workers),
  pollersPerWorker: Number(values.pollers),
  killAt: values.kills.split(',').filter((k) => k !== '').map(Number),
  publishConcurrency: 16,
  drainTimeoutMs: 60 * 60_000,
  log: (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
};

function table(report: ChaosReport): string {
  const rows: [string, string][] = [
    ['messages × endpoints', `${report.messages} × ${report.endpoints} = ${report.expected}`],
    ['fault rate', `${report.faultRate * 100} % (${Object.entries(report.faults).map(([k, v]) => `${k}: ${v}`).join(', ')})`],
    ['workers killed (SIGKILL)', String(report.workersKilled)],
    ['delivered', String(report.delivered)],
    ['exhausted (recorded as failed)', String(report.exhausted)],
    ['lost', String(report.lost)],
    ['duplicates', `${report.duplicates} (${report.duplicatePercent} %)`],
    ['requests at the receiver', String(report.requests)],
    ['attempts per delivery', String(report.attemptsPerDelivery)],
    ['publish time', `${report.publishSeconds} s`],
    ['time to drain (from the first publish)', `${report.drainSeconds} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

const machine = machineInfo();
console.log(`Chaos run on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}, load ${machine.loadAverage1m}`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const { log: _log, ...settings } = options;

if (values.scenario !== 'noisy') {
  const report = await runChaos(options);
  console.log(`\nChaos results\n${table(report)}\n`);
  const file = new URL('./results/chaos.json', import.meta.url);
  writeFileSync(file, `${JSON.stringify({ machine, settings, report }, null, 2)}\n`);
  console.log(`JSON: ${file.pathname}`);
  if (report.lost > 0) {
    console.error(`LOST ${report.lost} webhooks`);
    process.exitCode = 1;
  }
}

if (values.scenario !== 'chaos') {
  const atScale = await runNoisyNeighbour({
    noisyApps: Number(values['noisy-apps']),
    floodPerApp: Number(values['noisy-flood']),
    healthyMessages: Number(values.healthy),
    healthyPerSecond: Number(values['healthy-rate']),
    log: options.log,
  });
  const small = { noisyApps: 1, floodPerApp: 300, healthyMessages: 60, healthyPerSecond: 4, log: options.log };
  const withLanes = await runNoisyNeighbour(small);
  const oneLane = await runNoisyNeighbour({ ...small, lanes: false });
  const row = (name: string, r: NoisyNeighbourReport): string =>
    `  ${name.padEnd(44)} p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`;
  console.log(
    [
      '',
      'Noisy neighbour: healthy publish→delivery while other apps\' endpoints hang (15 s attempt timeout)',
      row(`${atScale.noisyApps} hanging apps × ${atScale.floodMessages / atScale.noisyApps}, ${atScale.healthyMessages} healthy at ${atScale.healthyPerSecond}/s`, atScale),
      row('1 hanging app × 300, 60 healthy at 4/s', withLanes),
      row('the same with one lane (no isolation)', oneLane),
      `  p95 ratio one lane ÷ two lanes: ${(oneLane.latencyMs.p95 / Math.max(1, withLanes.latencyMs.p95)).toFixed(1)}×`,
      '',
    ].join('\n'),
  );
  const strip = ({ latenciesMs: _l, ...rest }: NoisyNeighbourReport) => rest;
  const file = new URL('./results/noisy-neighbour.json', import.meta.url);
  writeFileSync(file, `${JSON.stringify({ machine, atScale: strip(atScale), small: { withLanes: strip(withLanes), oneLane: strip(oneLane) } }, null, 2)}\n`);
  console.log(`JSON: ${file.pathname}`);
}
