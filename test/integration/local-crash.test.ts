/**
 * `npm start` killed hard: the real `node local/main.ts` in a child process, SIGKILLed mid-delivery.
 * Nothing it started may outlive it (the DynamoDB Local JVM above all); while it runs, a second stack on
 * the same state directory refuses; and a restart delivers what was in flight and what was queued
 * within a minute (the in-flight tasks would otherwise wait out their 6-minute visibility timeout),
 * while a queued retry keeps its schedule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandOf } from '../../local/process-check.ts';
import { callApi, descendantsOf, isRunning, runLocalMainToExit, startLocalMain, type LocalMain } from '../support/local-main.ts';
import { eventually, startReceiver, type Receiver } from '../support/receiver.ts';

const RETRY_DELAY_SECONDS = 20;

let dataDir: string;
let receiver: Receiver;
/** Accepts webhooks and, while `hanging`, never answers them: their attempts are in flight. */
let slow: Server;
let slowUrl: string;
let hanging = true;
const slowHits: { msgId: string; answered: boolean }[] = [];
const stacks: LocalMain[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
  receiver = await startReceiver();
  slow = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      slowHits.push({ msgId: String(req.headers['webhook-id']), answered: !hanging });
      if (!hanging) res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/slow`;
});

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
  slow.closeAllConnections();
  await new Promise((resolve) => slow.close(resolve));
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<LocalMain> {
  const stack = await startLocalMain({ PORT: '0', SLUICE_DATA_DIR: dataDir, SLUICE_RETRY_SCHEDULE: String(RETRY_DELAY_SECONDS), POWERTOOLS_LOG_LEVEL: 'WARN' });
  stacks.push(stack);
  return stack;
}

let first: LocalMain;
let appId: string;
let inFlight: string[];
let retried: string;

test('a second stack on the same state directory refuses in one line while the first runs', async () => {
  first = await start();
  const second = await runLocalMainToExit({ PORT: '0', SLUICE_DATA_DIR: dataDir });
  expect(second.code).toBe(1);
  const lines = second.output.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^sluice: failed to start: .+ is in use by another Sluice \\(pid ${first.pid}, .*SLUICE_DATA_DIR`));
  // It opened nothing: the first still serves.
  expect((await callApi(first, 'GET', '/app')).status).toBe(200);
}, 180_000);

test('SIGKILL of the main process leaves no emulator process behind', async () => {
  appId = (await callApi(first, 'POST', '/app', { name: 'crash: in flight' })).json.id;
  expect((await callApi(first, 'POST', `/app/${appId}/endpoint`, { url: slowUrl })).status).toBe(201);
  const retryApp = (await callApi(first, 'POST', '/app', { name: 'crash: retry' })).json.id;
  expect((await callApi(first, 'POST', `/app/${retryApp}/endpoint`, { url: `${receiver.url}/retry` })).status).toBe(201);
  receiver.script('/retry', [500, 200]);

  // A retry queued for later, and three attempts in flight (their receiver holds them) at the kill.
  retried = (await callApi(first, 'POST', `/app/${retryApp}/msg`, { eventType: 'retry', payload: {} })).json.id;
  await receiver.waitFor('/retry', 1);
  inFlight = [];
  for (let i = 0; i < 3; i++) inFlight.push((await callApi(first, 'POST', `/app/${appId}/msg`, { eventType: 'in-flight', payload: { i } })).json.id);
  await eventually(async () => (inFlight.every((id) => slowHits.some((h) => h.msgId === id)) ? true : undefined), 30_000);

  const started = descendantsOf(first.pid);
  expect(started.some((pid) => commandOf(pid)?.includes('DynamoDBLocal.jar'))).toBe(true);
  first.child.kill('SIGKILL');
  await first.exited;
  stacks.splice(stacks.indexOf(first), 1);
  await eventually(async () => (started.every((pid) => !isRunning(pid)) ? true : undefined), 30_000);
}, 180_000);

test('a restart delivers what was in flight within a minute, and the queued retry on its schedule', async () => {
  hanging = false;
  const restarted = await start();
  const readyAt = Date.now();
  expect(restarted.output()).toMatch(/Resumed [1-9]\d* task\(s\)/);

  await eventually(async () => (inFlight.every((id) => slowHits.some((h) => h.msgId === id && h.answered)) ? true : undefined), 60_000);
  const [failedFirst, retry] = await receiver.waitFor('/retry', 2, 60_000);
  expect(Date.now() - readyAt).toBeLessThan(60_000);
  expect(retry!.headers['webhook-id']).toBe(retried);
  // Not released early: SQS kept its delay (the schedule's 20 s, ±20 % jitter).
  expect(retry!.receivedAt - failedFirst!.receivedAt).toBeGreaterThanOrEqual(RETRY_DELAY_SECONDS * 0.8 * 1000);

  // The interrupted attempts were never logged, so each message's delivery is its attempt 1.
  for (const msgId of inFlight) {
    const attempts = await callApi(restarted, 'GET', `/app/${appId}/attempt/msg/${msgId}`);
    expect(attempts.json.data.map((a: { status: number }) => a.status)).toEqual([0]);
  }
}, 180_000);
