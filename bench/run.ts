/**
 * `npm run bench`: cold start (bundles and init time), then the local stack end to end (idle latency,
 * throughput and AWS usage at K = 1 and K = 10, a profiled pass, the raw signed-POST limit). Prints
 * markdown tables and writes bench/results/latest.json and latest.md. Reports only: no threshold
 * fails the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureColdStart } from './cold-start.ts';
import { machineInfo } from './machine.ts';
import { renderMarkdown, type BenchResults } from './report.ts';
import { runStackBenchmarks } from './stack-run.ts';

const HELP = `Usage: npm run bench -- [options]

  --only <list>            sections to run, comma-separated: cold,e2e (default both)
  --messages <n>           messages per throughput run, K=1, 3 and 10 alike (default 600, 300, 300)
  --publishers <n>         concurrent publishers on the API (default 8)
  --idle <n>               messages for the idle latency run (default 40)
  --profile-messages <n>   messages in the profiled K=10 pass, 0 to skip (default 100)
  --raw <n>                raw signed POSTs (default 20000)
  --delivery-pollers <n>   delivery poll loops (default 8); raw concurrency = this × 10
  --fanout-pollers <n>     fan-out poll loops (default 2)
  --init-runs <n>          fresh processes per bundle for init time (default 9, at least 7 recommended)
  --out <dir>              where latest.json / latest.md go (default bench/results)
  --no-write               print only
`;

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'cold,e2e' },
    messages: { type: 'string' },
    publishers: { type: 'string', default: '8' },
    idle: { type: 'string', default: '40' },
    'profile-messages': { type: 'string', default: '100' },
    raw: { type: 'string', default: '20000' },
    'delivery-pollers': { type: 'string', default: '8' },
    'fanout-pollers': { type: 'string', default: '2' },
    'init-runs': { type: 'string', default: '9' },
    out: { type: 'string', default: fileURLToPath(new URL('./results', import.meta.url)) },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

function int(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${value}`);
  return n;
}

const sections = new Set(values.only.split(',').map((s) => s.trim()));
const messages = int('messages', values.messages, 1);
const settings = {
  messagesK1: messages ?? 600,
  messagesK3: messages ?? 300,
  messagesK10: messages ?? 300,
  messagesOrdered: Math.min(messages ?? 200, 200),
  messagesBig: Math.min(messages ?? 40, 40),
  messagesDestination: messages ?? 300,
  publishers: int('publishers', values.publishers, 1)!,
  idleMessages: int('idle', values.idle, 1)!,
  profileMessages: int('profile-messages', values['profile-messages'])!,
  rawRequests: int('raw', values.raw, 100)!,
  deliveryPollers: int('delivery-pollers', values['delivery-pollers'], 1)!,
  fanoutPollers: int('fanout-pollers', values['fanout-pollers'], 1)!,
  initRuns: int('init-runs', values['init-runs'], 1)!,
  cores: cpus().length,
};
const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);

const results: BenchResults = { machine: machineInfo(), settings };
log(`${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}, load ${results.machine.loadAverage1m}`);

if (sections.has('cold')) {
  log(`cold start: building bundles, ${settings.initRuns} init runs each…`);
  results.coldStart = await measureColdStart({ runs: settings.initRuns, log });
}
if (sections.has('e2e')) {
  const profileOut = join(tmpdir(), `sluice-bench-k10-${Date.now()}.cpuprofile`);
  results.stack = await runStackBenchmarks({
    messagesK1: settings.messagesK1,
    messagesK3: settings.messagesK3,
    messagesK10: settings.messagesK10,
    messagesOrdered: settings.messagesOrdered,
    messagesBig: settings.messagesBig,
    messagesDestination: settings.messagesDestination,
    publishers: settings.publishers,
    idleMessages: settings.idleMessages,
    profileMessages: settings.profileMessages,
    rawRequests: settings.rawRequests,
    pollers: { fanout: settings.fanoutPollers, delivery: settings.deliveryPollers },
    profileOut: settings.profileMessages > 0 ? profileOut : undefined,
    log,
  });
  if (results.stack.profile?.profileFile !== undefined) log(`CPU profile of the K=10 pass: ${results.stack.profile.profileFile}`);
  if (results.stack.missingCapacity > 0) log(`warning: ${results.stack.missingCapacity} DynamoDB answers had no ConsumedCapacity`);
}

const markdown = renderMarkdown(results);
process.stdout.write(`\n${markdown}`);
if (!values['no-write']) {
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(values.out, 'latest.md'), markdown);
  log(`wrote ${join(values.out, 'latest.json')} and latest.md`);
}
