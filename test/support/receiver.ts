/**
 * A real webhook receiver on 127.0.0.1 for tests and benchmarks: records every request (raw body and
 * headers) and answers each path with a scripted sequence of statuses.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  received: ReceivedWebhook[];
  /** Statuses to answer `path` with, in order; the last one repeats. Default: 200. */
  script(path: string, statuses: number[]): void;
  /** Resolves once `path` has received `count` requests (rejects after `timeoutMs`). */
  waitFor(path: string, count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const scripts = new Map<string, number[]>();
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const hit: ReceivedWebhook = { path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() };
      const seen = received.filter((r) => r.path === path).length;
      received.push(hit);
      const statuses = scripts.get(path) ?? [200];
      const status = statuses[Math.min(seen, statuses.length - 1)] ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `failing with ${status}`);
      for (const wake of waiters.splice(0)) wake();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const waitFor = (path: string, count: number, timeoutMs = 20_000): Promise<ReceivedWebhook[]> =>
    new Promise((resolve, reject) => {
      const deadline = setTimeout(() => {
        const got = received.filter((r) => r.path === path).length;
        reject(new Error(`receiver: ${path} got ${got} of ${count} requests in ${timeoutMs} ms`));
      }, timeoutMs);
      const check = (): void => {
        const hits = received.filter((r) => r.path === path);
        if (hits.length >= count) {
          clearTimeout(deadline);
          resolve(hits);
        } else {
          waiters.push(check);
        }
      };
      check();
    });

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script: (path, statuses) => scripts.set(path, statuses),
    waitFor,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `probe` until it returns a value other than undefined (or throws after `timeoutMs`). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
