/**
 * The v1 SDK (svix@1.99) against the local stack, for the calls it shares with v2: it sends
 * `filterTypes` and `version`, and with a trailing slash in serverUrl it requests `//api/v1/…`.
 */
import { Svix, Webhook } from 'svix-v1';
import { startSluice } from '../../local/stack.ts';
import { eventually, startReceiver, type Receiver } from '../support/receiver.ts';

let sluice: Awaited<ReturnType<typeof startSluice>>;
let receiver: Receiver;

beforeAll(async () => {
  [sluice, receiver] = await Promise.all([startSluice({ port: 0, retryScheduleSeconds: [1], allowPrivateNetworks: true }), startReceiver()]);
});

afterAll(async () => {
  await receiver?.close();
  await sluice?.stop();
});

test.each([
  ['without', ''],
  ['with', '/'],
])('the v1 SDK runs a whole scenario, serverUrl %s a trailing slash', async (_label, slash) => {
  const svix = new Svix(sluice.adminToken, { serverUrl: `${sluice.url}${slash}` });
  const suffix = Math.random().toString(36).slice(2, 8);
  const type = `user.signup-${suffix}`;
  await svix.eventType.create({ name: type, description: 'signup' });

  const app = await svix.application.getOrCreate({ name: 'v1 app', uid: `v1-${suffix}` });
  expect((await svix.application.getOrCreate({ name: 'v1 app', uid: `v1-${suffix}` })).id).toBe(app.id);
  const updated = await svix.application.update(app.id, { name: 'v1 app renamed', uid: `v1-${suffix}` });
  expect(updated.name).toBe('v1 app renamed');

  const path = `/v1-${suffix}`;
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}${path}`, filterTypes: [type], version: 1, uid: 'main' });
  expect(endpoint.filterTypes).toEqual([type]);
  expect(endpoint.version).toBe(1);
  const renamed = await svix.endpoint.update(app.id, 'main', { url: `${receiver.url}${path}`, filterTypes: [type], description: 'main', version: 1 });
  expect(renamed.description).toBe('main');
  expect((await svix.endpoint.list(app.id)).data.map((e) => e.id)).toEqual([endpoint.id]);

  const msg = await svix.message.create(app.id, { eventType: type, eventId: `evt-${suffix}`, payload: { hello: 'v1' } });
  const [hit] = await receiver.waitFor(path, 1);
  const secret = (await svix.endpoint.getSecret(app.id, endpoint.id)).key;
  const headers = Object.fromEntries(Object.entries(hit!.headers).map(([k, v]) => [k, String(v)]));
  expect(new Webhook(secret).verify(hit!.body, headers)).toEqual({ hello: 'v1' });

  // v1 sends no with_content: the payload comes back.
  expect((await svix.message.get(app.id, `evt-${suffix}`)).payload).toEqual({ hello: 'v1' });
  const attempts = await eventually(async () => {
    const list = await svix.messageAttempt.listByMsg(app.id, msg.id);
    return list.data.length === 1 ? list : undefined;
  });
  expect(attempts.data[0]).toMatchObject({ endpointId: endpoint.id, status: 0, responseStatusCode: 200 });
  expect((await svix.messageAttempt.listByEndpoint(app.id, endpoint.id)).data).toHaveLength(1);
});
