/**
 * State survives a restart of the embedded stack with the same data directory, on a new port: the
 * app is still there, and a retry that was queued before the stop is delivered after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSluice, type RunningSluice } from '../../local/stack.ts';

let dataDir: string;
let receiver: Server;
let receiverUrl: string;
let receiverStatus = 500;
const attempts: { status: number; msgId: string | undefined }[] = [];
const running: RunningSluice[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sluice-restart-'));
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      attempts.push({ status: receiverStatus, msgId: req.headers['webhook-id'] as string | undefined });
      res.writeHead(receiverStatus).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await new Promise((resolve) => receiver.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(adminToken?: string): Promise<RunningSluice> {
  const sluice = await startSluice({ dataDir, logLevel: 'WARN', retryScheduleSeconds: [3], ...(adminToken ? { adminToken } : {}) });
  running.push(sluice);
  return sluice;
}

async function call(sluice: RunningSluice, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, string> }> {
  const response = await fetch(`${sluice.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${sluice.adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, string> };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('apps and a queued retry survive a restart on a new port', async () => {
  const first = await start();
  const app = await call(first, 'POST', '/app', { name: 'Persistent', uid: 'persistent-app' });
  expect(app.status).toBe(201);
  expect((await call(first, 'POST', `/app/${app.json.id}/endpoint`, { url: receiverUrl })).status).toBe(201);
  const message = await call(first, 'POST', `/app/${app.json.id}/msg`, { eventType: 'restart.test', payload: {} });
  expect(message.status).toBe(202);

  // The first attempt fails; its retry is now a delayed task in the persisted delivery queue.
  await waitFor(() => attempts.length === 1, 15_000);
  await first.stop();
  running.splice(running.indexOf(first), 1);
  receiverStatus = 200;

  const second = await start(first.adminToken);
  expect(second.url).not.toBe(first.url);
  const again = await call(second, 'GET', '/app/persistent-app');
  expect(again.status).toBe(200);
  expect(again.json.id).toBe(app.json.id);

  await waitFor(() => attempts.length === 2, 20_000);
  expect(attempts).toEqual([
    { status: 500, msgId: message.json.id },
    { status: 200, msgId: message.json.id },
  ]);
});
