/**
 * The webhook receiver both measurements feed: a lean node:http server on 127.0.0.1 that answers 200
 * and records, per request, its path, webhook-id and arrival time (performance.now(), the same clock
 * the publishers use, as everything runs in this process). No signature check: verifying would cost
 * the same in both measurements and says nothing about Sluice.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  path: string;
  webhookId: string;
  at: number;
}

export interface BenchReceiver {
  url: string;
  arrivals: Arrival[];
  /** Resolves once `count` requests have arrived in all (rejects after `timeoutMs`). */
  waitForCount(count: number, timeoutMs: number): Promise<void>;
  /** Resolves once `check` (called again after every arrival) returns true. */
  waitUntil(check: () => boolean, timeoutMs: number, what: () => string): Promise<void>;
  /** Records an arrival that did not come over HTTP (a message drained from a destination queue). */
  record(arrival: Arrival): void;
  /** Resolves on the next arrival of `webhookId` at `path`. */
  waitFor(path: string, webhookId: string, timeoutMs: number): Promise<Arrival>;
  clear(): void;
  close(): Promise<void>;
}

export async function startBenchReceiver(): Promise<BenchReceiver> {
  let arrivals: Arrival[] = [];
  let wake: (() => void)[] = [];
  const record = (arrival: Arrival): void => {
    arrivals.push(arrival);
    if (wake.length > 0) {
      const waiting = wake;
      wake = [];
      for (const w of waiting) w();
    }
  };
  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const id = req.headers['webhook-id'];
      const at = performance.now();
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok');
      record({ path: req.url ?? '/', webhookId: typeof id === 'string' ? id : '', at });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function until(done: () => Arrival | boolean, timeoutMs: number, what: () => string): Promise<Arrival | boolean> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`receiver: ${what()} within ${timeoutMs} ms`)), timeoutMs);
      const check = (): void => {
        const result = done();
        if (result !== false) {
          clearTimeout(deadline);
          resolve(result);
        } else {
          wake.push(check);
        }
      };
      check();
    });
  }

  return {
    url: `http://127.0.0.1:${port}`,
    get arrivals() {
      return arrivals;
    },
    record,
    async waitUntil(check, timeoutMs, what) {
      await until(() => check(), timeoutMs, what);
    },
    async waitForCount(count, timeoutMs) {
      await until(() => arrivals.length >= count, timeoutMs, () => `got ${arrivals.length} of ${count} requests`);
    },
    async waitFor(path, webhookId, timeoutMs) {
      let seen = 0;
      const found = await until(
        () => {
          for (; seen < arrivals.length; seen++) {
            const a = arrivals[seen]!;
            if (a.path === path && a.webhookId === webhookId) return a;
          }
          return false;
        },
        timeoutMs,
        () => `no ${webhookId} at ${path}`,
      );
      return found as Arrival;
    },
    clear() {
      arrivals = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
