/**
 * An endpoint edit answered before a publish is seen by that message's first attempt, although the
 * delivery worker keeps endpoints cached (SLUICE_ENDPOINT_CACHE_SECONDS, 5 s by default): fan-out
 * puts the endpoint revision it read into each delivery task, and a cached copy serves only tasks
 * of its revision (core/delivery/deliver-task.ts endpointFor).
 */
import { Svix, Webhook } from 'svix';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { startReceiver, type Receiver, type ReceivedWebhook } from '../support/receiver.ts';

let sluice: RunningSluice;
let receiver: Receiver;
let svix: Svix;

beforeAll(async () => {
  [sluice, receiver] = await Promise.all([startSluice({ logLevel: 'SILENT', environment: { endpointCacheSeconds: 60 } }), startReceiver()]);
  svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
});

afterAll(async () => {
  await receiver?.close();
  await sluice?.stop();
});

const headersOf = (hit: ReceivedWebhook): Record<string, string> =>
  Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]));

async function publishAndReceive(appId: string, path: string, count: number): Promise<ReceivedWebhook> {
  const msg = await svix.message.create(appId, { eventType: 'edit.test', payload: { n: count } });
  const hits = await receiver.waitFor(path, count);
  const hit = hits.find((h) => h.headers['webhook-id'] === msg.id);
  if (hit === undefined) throw new Error(`message ${msg.id} not received at ${path}`);
  return hit;
}

test('a rotated secret signs the next message at once (the cached copy is older than the task)', async () => {
  const app = await svix.application.create({ name: 'Rotate' });
  const ep = await svix.endpoint.create(app.id, { url: `${receiver.url}/rotate` });
  const oldSecret = (await svix.endpoint.getSecret(app.id, ep.id)).key;
  const before = await publishAndReceive(app.id, '/rotate', 1);
  expect(() => new Webhook(oldSecret).verify(before.body, headersOf(before))).not.toThrow();

  await svix.endpoint.rotateSecret(app.id, ep.id, {});
  const newSecret = (await svix.endpoint.getSecret(app.id, ep.id)).key;
  expect(newSecret).not.toBe(oldSecret);
  const hit = await publishAndReceive(app.id, '/rotate', 2);
  expect(() => new Webhook(newSecret).verify(hit.body, headersOf(hit))).not.toThrow();
});

test('a changed URL gets the next message, and a disabled endpoint gets none', async () => {
  const app = await svix.application.create({ name: 'Move' });
  const ep = await svix.endpoint.create(app.id, { url: `${receiver.url}/before` });
  await publishAndReceive(app.id, '/before', 1);

  await svix.endpoint.patch(app.id, ep.id, { url: `${receiver.url}/after` });
  await publishAndReceive(app.id, '/after', 1);
  expect(receiver.received.filter((h) => h.path === '/before')).toHaveLength(1);

  await svix.endpoint.patch(app.id, ep.id, { disabled: true });
  await svix.message.create(app.id, { eventType: 'edit.test', payload: { n: 'late' } });
  // A message published after it, to a sibling endpoint, shows the stack has fanned both out.
  await svix.endpoint.create(app.id, { url: `${receiver.url}/sibling` });
  await publishAndReceive(app.id, '/sibling', 1);
  expect(receiver.received.filter((h) => h.path === '/after')).toHaveLength(1);
});
