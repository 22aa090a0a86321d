/**
 * The noisy-neighbour scenario of tenant isolation (functions/core/isolation/endpoint-lanes.ts), shared
 * by test/integration/isolation-noisy-neighbour.test.ts and `npm run bench:chaos`: apps whose
 * endpoints accept connections and never answer (raw TCP listeners) get a flood of messages, then one
 * healthy app publishes at a steady rate; the result is that app's publish→delivery latencies.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Svix } from 'svix';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { startReceiver } from './receiver.ts';

export interface NoisyNeighbourOptions {
  /** Apps with one hanging endpoint each. */
  noisyApps: number;
  /** Messages published to each noisy app before the healthy traffic starts. */
  floodPerApp: number;
  healthyMessages: number;
  healthyPerSecond: number;
  /** false: the stack runs with one lane (no slow lane), to measure what isolation buys. */
  lanes?: boolean;
  publishConcurrency?: number;
  log?: (line: string) => void;
}

export interface NoisyNeighbourReport {
  lanes: boolean;
  noisyApps: number;
  floodMessages: number;
  healthyMessages: number;
  healthyPerSecond: number;
  /** Connections the hanging endpoints were holding when the healthy traffic was done. */
  hangingConnections: number;
  /** Healthy publish→delivery, ms. */
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  latenciesMs: number[];
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

async function blackHole(): Promise<{ url: string; sockets: Set<Socket>; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/never`,
    sockets,
    close: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

export async function runNoisyNeighbour(options: NoisyNeighbourOptions): Promise<NoisyNeighbourReport> {
  const lanes = options.lanes ?? true;
  const log = options.log ?? (() => undefined);
  const concurrency = options.publishConcurrency ?? 20;
  const hole = await blackHole();
  const receiver = await startReceiver();
  let sluice: RunningSluice | undefined;
  try {
    sluice = await startSluice({ logLevel: 'SILENT', singleLane: !lanes });
    const svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
    const noisy = await Promise.all(Array.from({ length: options.noisyApps }, (_, i) => svix.application.create({ name: `Noisy ${i}` })));
    await Promise.all(noisy.map((app) => svix.endpoint.create(app.id, { url: hole.url })));
    const healthy = await svix.application.create({ name: 'Healthy' });
    await svix.endpoint.create(healthy.id, { url: `${receiver.url}/healthy` });

    const flood = noisy.flatMap((app) => Array.from({ length: options.floodPerApp }, (_, n) => ({ appId: app.id, n })));
    for (let i = 0; i < flood.length; i += concurrency) {
      await Promise.all(flood.slice(i, i + concurrency).map(({ appId, n }) => svix.message.create(appId, { eventType: 'flood', payload: { n } })));
    }
    log(`flooded ${noisy.length} hanging endpoints with ${flood.length} messages; healthy traffic starts`);

    const publishedAt = new Map<string, number>();
    const publishes: Promise<void>[] = [];
    const intervalMs = 1000 / options.healthyPerSecond;
    const start = Date.now();
    for (let i = 0; i < options.healthyMessages; i++) {
      const wait = start + i * intervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const sent = Date.now();
      publishes.push(svix.message.create(healthy.id, { eventType: 'steady', payload: { i } }).then((msg) => void publishedAt.set(msg.id, sent)));
    }
    await Promise.all(publishes);
    const hits = await receiver.waitFor('/healthy', options.healthyMessages, 120_000);
    const hangingConnections = hole.sockets.size;
    const latenciesMs = hits.map((hit) => hit.receivedAt - publishedAt.get(String(hit.headers['webhook-id']))!);
    const sorted = [...latenciesMs].sort((a, b) => a - b);
    return {
      lanes,
      noisyApps: options.noisyApps,
      floodMessages: flood.length,
      healthyMessages: options.healthyMessages,
      healthyPerSecond: options.healthyPerSecond,
      hangingConnections,
      latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1)! },
      latenciesMs,
    };
  } finally {
    // Hung attempts end at once when their sockets go, so the stack stops without waiting them out.
    hole.close();
    await receiver.close();
    await sluice?.stop();
  }
}
