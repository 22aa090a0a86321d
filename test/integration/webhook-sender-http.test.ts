/** The webhook sender (node:http/https) against a real node:http receiver on 127.0.0.1. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createWebhookSender, parseRetryAfter, type ClosableWebhookSender } from '../../functions/adapters/http/webhook-sender.ts';
import { freePort } from '../../local/emulators/free-port.ts';

type Route = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

let server: Server;
let base: string;
const routes = new Map<string, Route>();
const sockets = new Set<Socket>();
const remotePorts: number[] = [];
let lastBody: Buffer | undefined;
let lastHeaders: IncomingMessage['headers'] = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      lastBody = Buffer.concat(chunks);
      lastHeaders = req.headers;
      remotePorts.push(req.socket.remotePort ?? 0);
      const route = routes.get(req.url ?? '');
      if (route === undefined) {
        res.writeHead(404).end('no route');
        return;
      }
      route(req, lastBody, res);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

let sender: ClosableWebhookSender;
beforeEach(() => {
  sender = createWebhookSender({ timeoutMs: 1_000, responseBodyMaxBytes: 64 });
});
afterEach(async () => {
  await sender.close();
});

const headers = { 'content-type': 'application/json', 'webhook-id': 'msg_1' };

describe('webhook sender', () => {
  it('POSTs exactly the given bytes and reports a 2xx as success', async () => {
    routes.set('/ok', (_req, _body, res) => res.writeHead(204).end());
    const body = '{"b":1,  "a":"naïve ✓"}';
    const outcome = await sender.send({ url: `${base}/ok`, headers, body });
    expect(outcome).toMatchObject({ kind: 'success', statusCode: 204, body: '' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(lastBody?.equals(Buffer.from(body))).toBe(true);
    expect(lastHeaders['webhook-id']).toBe('msg_1');
    expect(lastHeaders['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('keeps the connection alive between attempts', async () => {
    routes.set('/ok', (_req, _body, res) => res.writeHead(200).end('fine'));
    remotePorts.length = 0;
    // A connection returns to the agent's pool a tick after the response ends, so back-to-back
    // requests may open a second one; after that, the pool's connections are reused.
    for (let i = 0; i < 6; i++) await sender.send({ url: `${base}/ok`, headers, body: '{}' });
    expect(remotePorts).toHaveLength(6);
    expect(new Set(remotePorts).size).toBeLessThanOrEqual(2);
  });

  it('reports a non-2xx status with its body and Retry-After', async () => {
    routes.set('/busy', (_req, _body, res) => res.writeHead(503, { 'retry-after': '120' }).end('try later'));
    const outcome = await sender.send({ url: `${base}/busy`, headers, body: '{}' });
    expect(outcome).toMatchObject({ kind: 'http-error', statusCode: 503, body: 'try later', retryAfterSeconds: 120 });
  });

  it('does not follow redirects: a 3xx is a failure', async () => {
    let followed = false;
    routes.set('/moved', (_req, _body, res) => res.writeHead(301, { location: `${base}/target` }).end());
    routes.set('/target', (_req, _body, res) => {
      followed = true;
      res.writeHead(200).end();
    });
    const outcome = await sender.send({ url: `${base}/moved`, headers, body: '{}' });
    expect(outcome).toMatchObject({ kind: 'http-error', statusCode: 301 });
    expect(followed).toBe(false);
  });

  it('keeps only the first bytes of a huge response and abandons the rest', async () => {
    let closedEarly = false;
    routes.set('/huge', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = (): void => {
        // 1 GiB if nobody stops us; the sender must hang up long before.
        while (sent < 16_384) {
          sent++;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => {
        closedEarly = sent < 16_384;
      });
      pump();
    });
    const outcome = await sender.send({ url: `${base}/huge`, headers, body: '{}' });
    expect(outcome).toMatchObject({ kind: 'success', statusCode: 200, body: 'x'.repeat(64) });
    await new Promise((r) => setTimeout(r, 100));
    expect(closedEarly).toBe(true);
  });

  it('cuts a multi-byte character at the limit without failing', async () => {
    routes.set('/utf8', (_req, _body, res) => res.writeHead(400).end('é'.repeat(100)));
    const outcome = await sender.send({ url: `${base}/utf8`, headers, body: '{}' });
    expect(outcome.kind).toBe('http-error');
    if (outcome.kind !== 'http-error') return;
    expect(outcome.body.startsWith('é'.repeat(32))).toBe(true);
  });

  it('turns a receiver that never answers into a timeout', async () => {
    routes.set('/slow', () => undefined);
    const outcome = await sender.send({ url: `${base}/slow`, headers, body: '{}' });
    expect(outcome).toMatchObject({ kind: 'timeout', message: 'No response within 1 s' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(900);
    expect(outcome.durationMs).toBeLessThan(5_000);
  });

  it('turns a body that stalls mid-way into a timeout', async () => {
    routes.set('/stall', (_req, _body, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    const outcome = await sender.send({ url: `${base}/stall`, headers, body: '{}' });
    expect(outcome.kind).toBe('timeout');
  });

  it('turns a refused connection into a network error with a clear message', async () => {
    const port = await freePort();
    const outcome = await sender.send({ url: `http://127.0.0.1:${port}/`, headers, body: '{}' });
    expect(outcome.kind).toBe('network-error');
    if (outcome.kind === 'network-error') expect(outcome.message).toMatch(/^Connection refused \(ECONNREFUSED\)/);
  });

  it('turns a dropped connection into a network error', async () => {
    routes.set('/drop', (req) => req.socket.destroy());
    const outcome = await sender.send({ url: `${base}/drop`, headers, body: '{}' });
    expect(outcome.kind).toBe('network-error');
    if (outcome.kind === 'network-error') expect(outcome.message).toMatch(/closed|reset/i);
  });

  it('turns an invalid URL into a network error, not an exception', async () => {
    const outcome = await sender.send({ url: 'not a url', headers, body: '{}' });
    expect(outcome.kind).toBe('network-error');
  });

  it('refuses a connection when the address check says so (the SSRF seam)', async () => {
    const guarded = createWebhookSender({ timeoutMs: 1_000, checkAddress: (address) => `blocked ${address}` });
    try {
      routes.set('/ok', (_req, _body, res) => res.writeHead(200).end());
      lastBody = undefined;
      const outcome = await guarded.send({ url: `${base}/ok`, headers, body: '{"secret":1}' });
      expect(outcome.kind).toBe('network-error');
      if (outcome.kind === 'network-error') expect(outcome.message).toContain('blocked 127.0.0.1');
      expect(lastBody).toBeUndefined();
    } finally {
      await guarded.close();
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:02:00 GMT', now)).toBe(120);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });
});
