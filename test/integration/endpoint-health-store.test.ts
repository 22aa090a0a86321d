/**
 * Auto-disable's guard against stale caches, with the real DynamoDB adapter on DynamoDB Local: two
 * workers (two trackers, each its own cache) see one endpoint. Worker A remembers a run of failures;
 * meanwhile B sees a success (ending the run) and a new failure (starting another). When A's cached
 * run is older than the window, A must NOT disable: the conditional write sees the run has changed.
 * The endpoint is disabled only when the run that is really in the table spans the window.
 */
import { createEndpointHealthStore } from '../../functions/adapters/dynamo/endpoint-health.ts';
import { createEndpointHealthTracker } from '../../functions/core/endpoints/health.ts';
import { anApp, anEndpoint, startDynamoStores, type DynamoHarness } from './dynamo-fixtures.ts';

let h: DynamoHarness;

beforeAll(async () => {
  h = await startDynamoStores('sluice-health-test');
});

afterAll(async () => {
  await h.stop();
});

const WINDOW_MS = 10_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

async function anEnabledEndpoint(): Promise<{ appId: string; endpointId: string }> {
  const app = anApp();
  await h.stores.applications.create(app);
  const endpoint = anEndpoint(app.id);
  await h.stores.endpoints.create(endpoint);
  return { appId: app.id, endpointId: endpoint.id };
}

function twoWorkers(): { a: ReturnType<typeof createEndpointHealthTracker>; b: ReturnType<typeof createEndpointHealthTracker>; advance(ms: number): void } {
  let t = T0;
  const now = (): Date => new Date(t);
  const store = createEndpointHealthStore({ client: h.client, name: h.tableName });
  return {
    // A keeps what it saw for a minute (the production cap); B always reads.
    a: createEndpointHealthTracker({ store, disableAfterMs: WINDOW_MS, now, cacheMs: 60_000 }),
    b: createEndpointHealthTracker({ store, disableAfterMs: WINDOW_MS, now, cacheMs: 0 }),
    advance: (ms) => void (t += ms),
  };
}

test('a worker whose cached run of failures has ended since cannot disable the endpoint', async () => {
  const { appId, endpointId } = await anEnabledEndpoint();
  const w = twoWorkers();
  await w.a.failed(appId, endpointId); // run 1 starts at T0; A caches it
  w.advance(1_000);
  await w.b.succeeded(appId, endpointId); // run 1 ends
  w.advance(1_000);
  await w.b.failed(appId, endpointId); // run 2 starts at T0 + 2 s
  w.advance(8_500); // run 1 would be 10.5 s old, run 2 is 8.5 s old

  expect(await w.a.failed(appId, endpointId)).toEqual({ disabled: false });
  expect((await h.stores.endpoints.get(appId, endpointId))?.disabled).toBe(false);

  // Once run 2 spans the window, the endpoint is disabled, with run 2's start.
  w.advance(1_500);
  expect(await w.b.failed(appId, endpointId)).toEqual({ disabled: true, failSince: new Date(T0 + 2_000).toISOString() });
  expect((await h.stores.endpoints.get(appId, endpointId))?.disabled).toBe(true);
});

test('disabling ends the run, so a re-enabled endpoint starts afresh', async () => {
  const { appId, endpointId } = await anEnabledEndpoint();
  const w = twoWorkers();
  await w.b.failed(appId, endpointId);
  w.advance(WINDOW_MS);
  expect(await w.b.failed(appId, endpointId)).toMatchObject({ disabled: true });

  const endpoint = (await h.stores.endpoints.get(appId, endpointId))!;
  await h.stores.endpoints.update({ ...endpoint, disabled: false }, endpoint);
  w.advance(1_000);
  // The first failure after re-enabling starts a new run: nowhere near the window, not disabled.
  expect(await w.b.failed(appId, endpointId)).toEqual({ disabled: false });
  expect((await h.stores.endpoints.get(appId, endpointId))?.disabled).toBe(false);
});

test('an endpoint already disabled (by another worker, or by hand) is not disabled twice', async () => {
  const { appId, endpointId } = await anEnabledEndpoint();
  const w = twoWorkers();
  expect(await w.a.gone(appId, endpointId)).toBe(true);
  expect(await w.b.gone(appId, endpointId)).toBe(false);
});
