/**
 * The throttle's slot claims against DynamoDB Local: several independent workers (each its own
 * Throttle, hence its own cache) claiming slots for one endpoint at once never share a slot, and
 * slots are `1000 / rate` ms apart, so sends can never exceed the rate whatever the worker count.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createThrottleStore } from '../../functions/adapters/dynamo/throttle.ts';
import { createThrottle, holdSeconds, intervalMs, THROTTLE_RETURN_LEAD_MS } from '../../functions/core/throttle/throttle.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/emulators/dynamodb-local.ts';
import { ensureTable } from '../../local/resources.ts';

let ddb: DynamoDbLocal;
let client: DynamoDBClient;
const table = { name: 'throttle-table' } as { name: string; client: DynamoDBClient };

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  client = new DynamoDBClient({ endpoint: ddb.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  table.client = client;
  await ensureTable(client, table.name);
});

afterAll(async () => {
  client?.destroy();
  await ddb?.stop();
});

test('concurrent workers get distinct slots, one interval apart', async () => {
  const rate = 20;
  const workers = Array.from({ length: 4 }, () => createThrottle({ store: createThrottleStore(table), now: () => new Date() }));
  const claims = await Promise.all(
    Array.from({ length: 40 }, (_, i) => workers[i % workers.length]!.claim('app_1', 'ep_shared', rate)),
  );
  expect(claims.every((s) => s !== undefined)).toBe(true);
  const slots = (claims as number[]).sort((a, b) => a - b);
  expect(new Set(slots).size).toBe(slots.length);
  for (let i = 1; i < slots.length; i++) {
    expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(intervalMs(rate) - 1e-6);
  }
  // 40 slots at 20/s span at least 1.95 s: the schedule is the rate, not the workers' speed.
  expect(slots.at(-1)! - slots[0]!).toBeGreaterThanOrEqual(39 * intervalMs(rate) - 1e-6);
});

test('endpoints are throttled independently, and an idle endpoint starts at once', async () => {
  const throttle = createThrottle({ store: createThrottleStore(table), now: () => new Date() });
  const before = Date.now();
  const [a, b] = await Promise.all([throttle.claim('app_1', 'ep_a', 1), throttle.claim('app_1', 'ep_b', 1)]);
  expect(a).toBeGreaterThanOrEqual(before);
  expect(b).toBeGreaterThanOrEqual(before);
  expect(Math.abs(a! - b!)).toBeLessThan(1_000);
  const next = await throttle.claim('app_1', 'ep_a', 1);
  expect(next! - a!).toBeGreaterThanOrEqual(1_000 - 1e-6);
});

test('a held task comes back shortly before its slot', () => {
  const now = 1_000_000;
  for (const ahead of [3_001, 5_500, 60_000]) {
    const back = now + holdSeconds(now + ahead, now) * 1000;
    expect(back).toBeLessThanOrEqual(now + ahead - THROTTLE_RETURN_LEAD_MS);
    expect(back).toBeGreaterThan(now + ahead - THROTTLE_RETURN_LEAD_MS - 1000);
  }
});
