/**
 * Ordered (FIFO) endpoints through the whole local stack, on fauxqs's FIFO queues: 200 messages
 * published one after another reach an ordered endpoint whose receiver fails at random strictly in
 * publish order, one request in flight at a time, none lost and none overtaking a failed one; an
 * ordinary endpoint of the same app gets the same messages meanwhile, without waiting for the ordered one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Svix } from 'svix';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { adminApi } from '../support/admin-api.ts';

const MESSAGES = 200;
/** About one request in ten fails (a seeded generator: the same failures every run). */
const FAILURE_RATE = 0.1;

interface Arrival {
  path: string;
  seq: number;
  status: number;
  at: number;
}

/** Mulberry32: a small seeded PRNG. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let sluice: RunningSluice;
let server: Server;
let receiverUrl: string;
const arrivals: Arrival[] = [];
let inFlight = 0;
let maxInFlight = 0;
const random = seeded(20261204);

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seq = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { seq: number }).seq;
      const path = req.url ?? '';
      const ordered = path === '/ordered';
      if (ordered) maxInFlight = Math.max(maxInFlight, ++inFlight);
      const status = ordered && random() < FAILURE_RATE ? 503 : 200;
      // A little work per request, so concurrent requests would overlap and show.
      setTimeout(() => {
        if (ordered) inFlight--;
        arrivals.push({ path, seq, status, at: Date.now() });
        res.writeHead(status).end(status === 200 ? 'ok' : 'busy');
      }, ordered ? 5 : 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sluice = await startSluice({ port: 0, retryScheduleSeconds: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], allowPrivateNetworks: true, logLevel: 'SILENT' });
});

afterAll(async () => {
  await sluice?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

const api = adminApi(() => sluice);

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('ordering is "fifo" or "unordered"; anything else is a 422 at body.ordering', async () => {
  const svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
  const app = await svix.application.create({ name: 'Ordering validation' });
  const bad = await api('POST', `app/${app.id}/endpoint`, { url: `${receiverUrl}/x`, ordering: 'lifo' });
  expect(bad.status).toBe(422);
  expect(JSON.stringify(bad.body)).toContain('"ordering"');
  const plain = await api('POST', `app/${app.id}/endpoint`, { url: `${receiverUrl}/x` });
  expect(plain.body.ordering).toBe('unordered');
  const patched = await api('PATCH', `app/${app.id}/endpoint/${String(plain.body.id)}`, { ordering: 'fifo' });
  expect(patched.status).toBe(200);
  expect(patched.body.ordering).toBe('fifo');
  // The SDK reads an ordered endpoint like any other.
  expect((await svix.endpoint.get(app.id, String(plain.body.id))).url).toBe(`${receiverUrl}/x`);
});

test('200 messages reach a failing ordered endpoint in publish order, one at a time; an ordinary one is not held', async () => {
  const svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
  const app = await svix.application.create({ name: 'Ordered' });
  const ordered = await api('POST', `app/${app.id}/endpoint`, { url: `${receiverUrl}/ordered`, ordering: 'fifo' });
  expect(ordered.status).toBe(201);
  await svix.endpoint.create(app.id, { url: `${receiverUrl}/plain` });

  for (let seq = 0; seq < MESSAGES; seq++) await svix.message.create(app.id, { eventType: 'order.step', payload: { seq } });

  const accepted = (path: string): Arrival[] => arrivals.filter((a) => a.path === path && a.status === 200);
  await until(() => accepted('/plain').length >= MESSAGES, 60_000);
  const plainDoneAt = Date.now();
  await until(() => accepted('/ordered').length >= MESSAGES, 180_000);

  const orderedArrivals = arrivals.filter((a) => a.path === '/ordered');
  // It failed now and then, so retries (and waiting) really happened.
  expect(orderedArrivals.filter((a) => a.status !== 200).length).toBeGreaterThan(5);
  // Every request is for the message after the last accepted one (a retry of it, or the next): none
  // overtakes a failed one, none is skipped.
  let next = 0;
  for (const arrival of orderedArrivals) {
    expect(arrival.seq).toBe(next);
    if (arrival.status === 200) next++;
  }
  expect(accepted('/ordered').map((a) => a.seq)).toEqual(Array.from({ length: MESSAGES }, (_, i) => i));
  expect(maxInFlight).toBe(1);
  // The ordinary endpoint got all of them (in any order) before the ordered one was through.
  expect(new Set(accepted('/plain').map((a) => a.seq)).size).toBe(MESSAGES);
  expect(plainDoneAt).toBeLessThan(Math.max(...accepted('/ordered').map((a) => a.at)));

  // The attempt log has every failed try of the ordered endpoint, as for any endpoint.
  const failures = orderedArrivals.filter((a) => a.status !== 200).length;
  const attempts = await svix.messageAttempt.listByEndpoint(app.id, String(ordered.body.id), { limit: 250, status: 2 });
  expect(attempts.data.length).toBe(failures);
}, 240_000);
