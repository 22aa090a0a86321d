/**
 * The chaos run shared by the small suite (test/integration/chaos-*.test.ts) and the big one
 * (bench/chaos.ts): the local stack (API, fan-out, emulators) in this process; the delivery workers
 * in CHILD processes (local/worker-process.ts) attached to the same emulators, so one can be
 * SIGKILLed mid-batch and replaced; a receiver that injects faults (./chaos-receiver.ts). It publishes
 * N messages to K endpoints and waits until both queues are empty, then counts:
 * - delivered: (message, endpoint) pairs the receiver accepted (answered 2xx) at least once;
 * - exhausted: pairs Sluice recorded as failed for good (status Fail: the schedule ran out);
 * - lost: pairs neither delivered nor recorded as failed (must be 0);
 * - duplicates: acceptances beyond the first of a pair (a worker killed after the receiver answered);
 * - badSignatures: requests whose Standard Webhooks signature did not verify (must be 0).
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createDynamoStores } from '../../functions/adapters/dynamo/index.ts';
import { boundaryId } from '../../functions/core/ids.ts';
import { AttemptStatus } from '../../functions/core/model.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { startChaosReceiver, type Fault } from './chaos-receiver.ts';
import { closeWorkerPipes, startWorker, type Worker } from './chaos-workers.ts';

export interface ChaosOptions {
  messages: number;
  endpoints: number;
  faultRate: number;
  seed?: number;
  /** Compressed retry schedule (seconds). */
  schedule: number[];
  attemptTimeoutMs: number;
  /** The delivery consumer's timeout; the queue's visibility timeout is 6× this. */
  consumerTimeoutSeconds: number;
  workers: number;
  pollersPerWorker: number;
  /** When the receiver has seen this fraction of `messages × endpoints` requests, SIGKILL a worker and start another. */
  killAt: number[];
  publishConcurrency: number;
  drainTimeoutMs: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  messages: number;
  endpoints: number;
  expected: number;
  delivered: number;
  exhausted: number;
  lost: number;
  duplicates: number;
  duplicatePercent: number;
  badSignatures: number;
  requests: number;
  attemptsPerDelivery: number;
  faults: Record<Fault, number>;
  workersKilled: number;
  publishSeconds: number;
  drainSeconds: number;
  schedule: number[];
  faultRate: number;
}

async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0);
}

/** One API call over a keep-alive agent that is closed with the run (fetch's pool would outlive it). */
function api(agent: Agent, sluice: RunningSluice, method: string, path: string, body: unknown): Promise<{ id: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${sluice.url}/api/v1${path}`,
      {
        method,
        agent,
        headers: { authorization: `Bearer ${sluice.adminToken}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as { id: string });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const expected = options.messages * options.endpoints;
  // Each endpoint's secret, given at creation, so the receiver verifies every request it gets.
  const secrets = new Map<string, string>();
  const receiver = await startChaosReceiver({
    secretFor: (path) => secrets.get(path),
    faultRate: options.faultRate,
    seed: options.seed ?? 42,
    hangMs: options.attemptTimeoutMs + 1_000,
    slowMs: Math.floor(options.attemptTimeoutMs / 3),
  });
  const sluice = await startSluice({
    port: 0,
    logLevel: 'SILENT',
    retryScheduleSeconds: options.schedule,
    pollers: { fanout: 2, delivery: 0, deliverySlow: 0 },
    reliability: {
      queueSpecs: {
        delivery: { consumerTimeoutSeconds: options.consumerTimeoutSeconds },
        deliverySlow: { consumerTimeoutSeconds: options.consumerTimeoutSeconds },
      },
    },
  });
  const sqs = new SQSClient({ endpoint: sluice.endpoints.sqs, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, useQueueUrlAsEndpoint: false });
  const dynamo = new DynamoDBClient({ endpoint: sluice.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const workers: Worker[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: options.publishConcurrency });
  let killed = 0;
  try {
    workers.push(...(await Promise.all(Array.from({ length: options.workers }, () => startWorker(sluice, options)))));
    log(`stack up; ${options.workers} worker process(es) of ${options.pollersPerWorker} pollers`);
    const app = await api(agent, sluice, 'POST', '/app', { name: 'chaos' });
    const endpoints: string[] = [];
    for (let i = 0; i < options.endpoints; i++) {
      const secret = `whsec_${randomBytes(24).toString('base64')}`;
      secrets.set(`/ep-${i}`, secret);
      endpoints.push((await api(agent, sluice, 'POST', `/app/${app.id}/endpoint`, { url: `${receiver.url}/ep-${i}`, secret })).id);
    }

    // Kill a worker (SIGKILL: no cleanup, in-flight tasks abandoned) at each threshold, start another.
    const thresholds = [...options.killAt].sort((a, b) => a - b);
    const killer = setInterval(() => {
      if (thresholds.length === 0 || receiver.requests() < thresholds[0]! * expected) return;
      thresholds.shift();
      const victim = workers.shift();
      if (victim === undefined) return;
      victim.child.kill('SIGKILL');
      killed++;
      log(`SIGKILLed worker ${victim.child.pid} at ${receiver.requests()} requests; starting a replacement`);
      startWorker(sluice, options).then((w) => workers.push(w), (e: unknown) => log(`replacement failed: ${String(e)}`));
    }, 50);

    const started = Date.now();
    let next = 0;
    const msgIds: string[] = [];
    await Promise.all(
      Array.from({ length: options.publishConcurrency }, async () => {
        while (next < options.messages) {
          const i = next++;
          msgIds.push((await api(agent, sluice, 'POST', `/app/${app.id}/msg`, { eventType: 'chaos.event', payload: { i } })).id);
        }
      }),
    );
    const publishSeconds = (Date.now() - started) / 1000;
    log(`published ${options.messages} messages in ${publishSeconds.toFixed(1)} s`);

    // Drained: both queues empty (visible, in flight, delayed) twice in a row, and every kill done.
    let calm = 0;
    while (calm < 2) {
      if (Date.now() - started > options.drainTimeoutMs) throw new Error(`not drained within ${options.drainTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 500));
      const depth =
        (await queueDepth(sqs, sluice.queueUrls.delivery)) +
        (await queueDepth(sqs, sluice.queueUrls.deliverySlow)) +
        (await queueDepth(sqs, sluice.queueUrls.fanout));
      calm = depth === 0 && thresholds.length === 0 ? calm + 1 : 0;
    }
    clearInterval(killer);
    const drainSeconds = (Date.now() - started) / 1000;

    // Sluice's own record: pairs that ended in failure (schedule exhausted).
    const stores = createDynamoStores(dynamo, sluice.tableName);
    const lower = boundaryId('message', new Date(started - 60_000), 'start');
    const upper = boundaryId('message', new Date(), 'end');
    const failed = new Set<string>();
    for (const endpointId of endpoints) {
      for (const s of await stores.attempts.statusesForEndpoint(app.id, endpointId, lower, upper)) {
        if (s.status === AttemptStatus.Fail) failed.add(`${endpointId} ${s.msgId}`);
      }
    }
    let delivered = 0;
    let duplicates = 0;
    let exhausted = 0;
    let lost = 0;
    for (const msgId of msgIds) {
      for (const [i, endpointId] of endpoints.entries()) {
        const accepted = receiver.accepted.get(`/ep-${i} ${msgId}`) ?? 0;
        if (accepted > 0) {
          delivered++;
          duplicates += accepted - 1;
        } else if (failed.has(`${endpointId} ${msgId}`)) {
          exhausted++;
        } else {
          lost++;
        }
      }
    }
    return {
      messages: options.messages,
      endpoints: options.endpoints,
      expected,
      delivered,
      exhausted,
      lost,
      duplicates,
      duplicatePercent: delivered === 0 ? 0 : Number(((100 * duplicates) / delivered).toFixed(3)),
      badSignatures: receiver.badSignatures(),
      requests: receiver.requests(),
      attemptsPerDelivery: delivered === 0 ? 0 : Number((receiver.requests() / delivered).toFixed(3)),
      faults: receiver.faults(),
      workersKilled: killed,
      publishSeconds: Number(publishSeconds.toFixed(1)),
      drainSeconds: Number(drainSeconds.toFixed(1)),
      schedule: options.schedule,
      faultRate: options.faultRate,
    };
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(workers.map((w) => w.exited)), new Promise((r) => (grace = setTimeout(r, 5_000)))]);
    clearTimeout(grace);
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    closeWorkerPipes();
    agent.destroy();
    sqs.destroy();
    dynamo.destroy();
    await receiver.close();
    await sluice.stop();
  }
}
