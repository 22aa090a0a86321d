/**
 * Local mode has the numbers AWS has: the local stack (emulators, pollers, real receivers on 127.0.0.1)
 * publishes messages, some to an endpoint that always answers 500, and the counts come back from
 * GET /metrics (Prometheus text, admin token as bearer), fed by the same metric calls as EMF on AWS.
 * Also GET /api/v1/ops/queues (admin only): every queue with its DLQ.
 */
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { sampleSum } from '../support/prometheus-text.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';

let sluice: RunningSluice;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.script('/failing', [500]);
  // One retry 1 s after the first failure, then the schedule is exhausted.
  sluice = await startSluice({ logLevel: 'ERROR', retryScheduleSeconds: [1] });
}, 60_000);

afterAll(async () => {
  await sluice?.stop();
  await receiver?.close();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${sluice.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${sluice.adminToken}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : JSON.parse(text) };
}

const scrape = async (token = sluice.adminToken): Promise<Response> =>
  fetch(`${sluice.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('GET /metrics needs the admin token', async () => {
  expect((await fetch(`${sluice.url}/metrics`)).status).toBe(401);
  expect((await scrape('sluice_admin_not-the-token-000000000000000000000')).status).toBe(401);
  const ok = await scrape();
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
});

test('published, delivered, failed, retried and exhausted counts come back from /metrics', async () => {
  const good = await api('POST', '/app', { name: 'Metrics good' });
  const bad = await api('POST', '/app', { name: 'Metrics bad' });
  expect((await api('POST', `/app/${good.json.id}/endpoint`, { url: `${receiver.url}/ok` })).status).toBe(201);
  expect((await api('POST', `/app/${bad.json.id}/endpoint`, { url: `${receiver.url}/failing` })).status).toBe(201);

  for (let i = 0; i < 4; i++) expect((await api('POST', `/app/${good.json.id}/msg`, { eventType: 'm.ok', payload: { i } })).status).toBe(202);
  for (let i = 0; i < 3; i++) expect((await api('POST', `/app/${bad.json.id}/msg`, { eventType: 'm.bad', payload: { i } })).status).toBe(202);
  // The same publish twice with one idempotency-key: one message, one replay.
  const key = { 'idempotency-key': 'metrics-replay-1' };
  const first = await api('POST', `/app/${good.json.id}/msg`, { eventType: 'm.ok', payload: { replay: true } }, key);
  const again = await api('POST', `/app/${good.json.id}/msg`, { eventType: 'm.ok', payload: { replay: true } }, key);
  expect(again.json.id).toBe(first.json.id);

  await receiver.waitFor('/ok', 5);
  await receiver.waitFor('/failing', 6);
  await eventually(async () => (await sluice.metrics.total('Exhausted')) >= 3, 'three exhausted schedules');

  const text = await (await scrape()).text();
  const deliver = { service: 'sluice-deliver' };
  expect(sampleSum(text, 'sluice_messages_published_total', { service: 'sluice-api' })).toBe(8);
  expect(sampleSum(text, 'sluice_idempotent_replays_total')).toBe(1);
  expect(sampleSum(text, 'sluice_fanout_tasks_total', { kind: 'message' })).toBe(8);
  expect(sampleSum(text, 'sluice_endpoints_matched_total')).toBe(8);
  expect(sampleSum(text, 'sluice_attempts_total', { ...deliver, outcome: 'success', trigger: 'scheduled' })).toBe(5);
  expect(sampleSum(text, 'sluice_attempts_total', { ...deliver, outcome: 'http_5xx', trigger: 'scheduled' })).toBe(6);
  expect(sampleSum(text, 'sluice_first_attempts_total', { outcome: 'success' })).toBe(5);
  expect(sampleSum(text, 'sluice_first_attempts_total', { outcome: 'http_5xx' })).toBe(3);
  expect(sampleSum(text, 'sluice_retries_scheduled_total')).toBe(3);
  expect(sampleSum(text, 'sluice_exhausted_total')).toBe(3);
  expect(sampleSum(text, 'sluice_attempt_duration_seconds_count', { outcome: 'http_5xx' })).toBe(6);
  // Latency is observed for successful first attempts only.
  expect(sampleSum(text, 'sluice_delivery_latency_seconds_count')).toBe(5);
  expect(sampleSum(text, 'sluice_delivery_latency_seconds_sum')).toBeGreaterThan(0);
  expect(sampleSum(text, 'sluice_poison_tasks_total')).toBe(0);
}, 60_000);

test('GET /api/v1/ops/queues: every queue and its DLQ, admin only', async () => {
  const stats = await api('GET', '/ops/queues');
  expect(stats.status).toBe(200);
  expect(stats.json.data.map((q: Json) => q.name)).toEqual(['fanout', 'delivery', 'delivery-slow', 'fanout-ordered', 'delivery-ordered']);
  for (const q of stats.json.data) {
    for (const field of ['visible', 'inFlight', 'delayed', 'dlqVisible']) expect(Number.isInteger(q[field])).toBe(true);
  }

  const app = await api('POST', '/app', { name: 'Ops scope' });
  const access = await api('POST', `/auth/app-portal-access/${app.json.id}`, {});
  expect(access.status).toBe(200);
  const asApp = await fetch(`${sluice.url}/api/v1/ops/queues`, { headers: { authorization: `Bearer ${access.json.token}` } });
  expect(asApp.status).toBe(403);
  expect((await fetch(`${sluice.url}/api/v1/ops/queues`)).status).toBe(401);
});
