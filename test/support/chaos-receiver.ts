/**
 * A webhook receiver that misbehaves on purpose (chaos suite and bench/chaos.ts). Each request is, with
 * probability `faultRate`, given one fault drawn evenly from:
 * - `500`: answers 500;
 * - `429`: answers 429 with `Retry-After: 1`;
 * - `hang`: never answers (the socket is closed `hangMs` later, after the sender's deadline);
 * - `reset`: destroys the connection without answering;
 * - `slow`: answers 200 after `slowMs` (inside the deadline: a success, just late).
 * Otherwise it answers 200 at once. Decisions come from a seeded PRNG, so runs are repeatable.
 *
 * It counts, per (path, webhook-id), the 2xx answers it finished writing (`accepted`): a webhook
 * counts as delivered once accepted, and every acceptance after the first is a duplicate. With
 * `secretFor`, it verifies each request's Standard Webhooks signature first, as a real receiver would:
 * a request that does not verify is answered 400 and counted (`badSignatures`), never accepted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

export const FAULTS = ['500', '429', 'hang', 'reset', 'slow'] as const;
export type Fault = (typeof FAULTS)[number];

export interface ChaosReceiverOptions {
  faultRate: number;
  seed?: number;
  hangMs?: number;
  slowMs?: number;
  /** The signing secret of the endpoint at `path`; absent: signatures are not checked. */
  secretFor?: (path: string) => string | undefined;
}

export interface ChaosReceiver {
  url: string;
  /** Requests received, all paths. */
  requests(): number;
  /** Faults injected, by kind. */
  faults(): Record<Fault, number>;
  /** Requests whose signature did not verify (or whose path had no known secret), when `secretFor` is set. */
  badSignatures(): number;
  /** `${path} ${webhook-id}` → 2xx answers written. */
  accepted: Map<string, number>;
  close(): Promise<void>;
}

/** mulberry32: a tiny, good-enough seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export async function startChaosReceiver(options: ChaosReceiverOptions): Promise<ChaosReceiver> {
  const random = seededRandom(options.seed ?? 1);
  const hangMs = options.hangMs ?? 3_000;
  const slowMs = options.slowMs ?? 200;
  const accepted = new Map<string, number>();
  const faults = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let requests = 0;
  let badSignatures = 0;
  const verifiers = new Map<string, Webhook>();
  const verifies = (path: string, body: string, headers: Record<string, string>): boolean => {
    const secret = options.secretFor?.(path);
    if (secret === undefined) return false;
    let verifier = verifiers.get(secret);
    if (verifier === undefined) verifiers.set(secret, (verifier = new Webhook(secret)));
    try {
      verifier.verify(body, headers);
      return true;
    } catch {
      return false;
    }
  };

  const later = (ms: number, work: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const path = req.url ?? '/';
      if (options.secretFor !== undefined && !verifies(path, Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>)) {
        badSignatures++;
        res.writeHead(400, { 'content-type': 'text/plain' }).end('bad signature');
        return;
      }
      const key = `${path} ${String(req.headers['webhook-id'])}`;
      const ok = (): void => {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok', () => accepted.set(key, (accepted.get(key) ?? 0) + 1));
      };
      if (random() >= options.faultRate) return ok();
      const fault = FAULTS[Math.floor(random() * FAULTS.length)]!;
      faults[fault]++;
      switch (fault) {
        case '500':
          res.writeHead(500, { 'content-type': 'text/plain' }).end('injected 500');
          return;
        case '429':
          res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '1' }).end('injected 429');
          return;
        case 'hang':
          later(hangMs, () => req.socket.destroy());
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'slow':
          later(slowMs, () => {
            if (!req.socket.destroyed) ok();
          });
          return;
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    faults: () => ({ ...faults }),
    badSignatures: () => badSignatures,
    accepted,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
