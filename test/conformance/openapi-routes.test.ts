/**
 * Every operation of the Svix open-source server's OpenAPI document (../shared/svix-openapi.json) must
 * have a route: each is called over HTTP against a running local stack, with the admin token and path
 * parameters naming entities that exist (an application, event type, endpoint, message and attempt
 * made first), so a `404` can only mean the route is missing. Bodies are left out: a route that exists
 * answers 2xx, 4xx validation or 403, never 404. DELETEs run last, the application's last of all.
 *
 * Sluice answers an unknown path with the same `404 not_found` body as an unknown entity (the SDKs need
 * JSON either way), which is why the entities are real rather than the answers told apart.
 */
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { loadSvixOpenApi, operationsOf, type Operation } from '../support/svix-openapi-validator.ts';
import { retrying, startConformance, unique, type Conformance } from './harness.ts';

/** DELETEs in an order that keeps what later calls need: contents, endpoint, event type, then the app. */
const DELETE_ORDER = ['/content', '/endpoint/{endpoint_id}', '/event-type/', '/app/{app_id}'];
const deleteRank = (op: Operation): number => {
  if (op.method !== 'DELETE') return -1;
  const i = DELETE_ORDER.findIndex((suffix) => op.path.includes(suffix));
  return i === -1 ? DELETE_ORDER.length : i;
};

let c: Conformance;
let receiver: Receiver;

beforeAll(async () => {
  [c, receiver] = await Promise.all([startConformance(), startReceiver()]);
});

afterAll(async () => {
  await receiver?.close();
  await c?.stop();
});

test('every operation in svix-openapi.json has a route', async () => {
  const eventType = `route.check.${unique()}`;
  await c.svix.eventType.create({ name: eventType, description: 'route walk' });
  const app = await c.svix.application.create({ name: 'Route walk', uid: `routes-${unique()}` });
  const endpoint = await c.svix.endpoint.create(app.id, { url: `${receiver.url}/routes` });
  const msg = await c.svix.message.create(app.id, { eventType, payload: { walk: true } });
  const attempt = await retrying(async () => {
    const list = await c.svix.messageAttempt.listByMsg(app.id, msg.id);
    if (list.data[0] === undefined) throw new Error('no attempt yet');
    return list.data[0];
  });
  const params: Record<string, string> = {
    app_id: app.id,
    endpoint_id: endpoint.id,
    msg_id: msg.id,
    attempt_id: attempt.id,
    event_type_name: eventType,
  };

  const operations = operationsOf(loadSvixOpenApi()).sort((a, b) => deleteRank(a) - deleteRank(b));
  expect(operations.length).toBeGreaterThanOrEqual(41);
  const answers: { op: string; status: number }[] = [];
  for (const op of operations) {
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`no value for path parameter ${name} of ${op.path}`);
      return encodeURIComponent(value);
    });
    const answer = await c.http(op.method, path);
    answers.push({ op: `${op.method} ${op.path}`, status: answer.status });
  }
  // The control: a path no operation has is a 404 here, so a missing route cannot go unseen.
  expect((await c.http('GET', `/api/v1/app/${app.id}/no-such-route`)).status).toBe(404);
  // Named in the failure: `{ missing: ["GET /api/v1/…", …] }`.
  const missing = answers.filter((a) => a.status === 404).map((a) => a.op).sort();
  expect({ missing }).toEqual({ missing: [] });
  // Nothing else may fail for lack of a route either: 405 would mean the path exists with other methods only.
  expect(answers.filter((a) => a.status === 405)).toEqual([]);
});
