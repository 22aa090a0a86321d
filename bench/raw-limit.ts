/**
 * The fastest this machine can deliver webhooks without Sluice: a plain node:http client signing each
 * POST like Standard Webhooks (HMAC-SHA256 over "{id}.{timestamp}.{body}", a fresh id and timestamp
 * per request) and sending it to the same receiver, over `concurrency` keep-alive connections.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { samplePayload } from './api-client.ts';
import { processCpuMs } from './cpu-profile.ts';
import type { BenchReceiver } from './receiver.ts';
import { summarize, type LatencySummary } from './stats.ts';

export interface RawResult {
  concurrency: number;
  requests: number;
  elapsedMs: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  /** CPU ms per request of this process (client and receiver together). */
  cpuMsPerRequest: number;
}

function signedPost(agent: Agent, url: URL, key: Buffer, n: number): Promise<number> {
  const id = `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify(samplePayload(n));
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Sluice-Webhooks/1.0',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': `v1,${signature}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`raw: ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `requests` signed POSTs from `concurrency` workers; `secret` is a `whsec_…` secret. */
export async function runRawLimit(options: {
  receiver: BenchReceiver;
  secret: string;
  concurrency: number;
  requests: number;
}): Promise<RawResult> {
  const { receiver, concurrency, requests } = options;
  const key = Buffer.from(options.secret.replace(/^whsec_/, ''), 'base64');
  const url = new URL(`${receiver.url}/raw/0`);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const run = async (count: number): Promise<number> => {
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < count) {
        const n = next++;
        latencies.push(await signedPost(agent, url, key, n));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    return performance.now() - started;
  };
  try {
    // Warm-up: connections opened, code paths compiled.
    await run(Math.min(2000, Math.ceil(requests / 5)));
    latencies.length = 0;
    receiver.clear();
    const cpu0 = processCpuMs();
    const elapsedMs = await run(requests);
    return {
      concurrency,
      requests,
      elapsedMs,
      requestsPerSecond: (requests / elapsedMs) * 1000,
      latencyMs: summarize(latencies),
      cpuMsPerRequest: (processCpuMs() - cpu0) / requests,
    };
  } finally {
    agent.destroy();
  }
}
