/**
 * The embedded stack as `npm start` runs it: boots on free ports, answers the API with the admin token,
 * delivers a message through fan-out and delivery pollers to a real receiver on 127.0.0.1, and stops
 * cleanly (jest exits only if every server, poller and emulator has stopped).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSluice, type RunningSluice } from '../../local/stack.ts';

let sluice: RunningSluice;
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  sluice = await startSluice({ logLevel: 'WARN' });
});

afterAll(async () => {
  await sluice.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

/** Loosely typed on purpose: the test reads a few fields of Svix-shaped bodies. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(method: string, path: string, body?: unknown, token = sluice.adminToken): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${sluice.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

test('boots on free ports with a sluice_admin_ token and emulator endpoints on loopback', () => {
  expect(sluice.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(sluice.adminToken).toMatch(/^sluice_admin_[A-Za-z0-9_-]{43}$/);
  expect(sluice.endpoints.dynamodb).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(sluice.endpoints.sqs).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(sluice.queueUrls.fanout).toContain('sluice-fanout');
});

test('GET /api/v1/app answers with the admin token, and 401 without it', async () => {
  const ok = await api('GET', '/app');
  expect(ok.status).toBe(200);
  expect(Array.isArray(ok.json.data)).toBe(true);
  const denied = await api('GET', '/app', undefined, 'sluice_admin_wrong-token-0000000000000000000000000');
  expect(denied.status).toBe(401);
});

test('a published message reaches a receiver on 127.0.0.1 through the pollers', async () => {
  const app = await api('POST', '/app', { name: 'Local smoke' });
  expect(app.status).toBe(201);
  const endpoint = await api('POST', `/app/${app.json.id}/endpoint`, { url: receiverUrl });
  expect(endpoint.status).toBe(201);
  const message = await api('POST', `/app/${app.json.id}/msg`, { eventType: 'smoke.test', payload: { n: 1 } });
  expect(message.status).toBe(202);

  const deadline = Date.now() + 15_000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(received).toHaveLength(1);
  expect(received[0]!.headers['webhook-id']).toBe(message.json.id);
  expect(JSON.parse(received[0]!.body)).toEqual({ n: 1 });
});
