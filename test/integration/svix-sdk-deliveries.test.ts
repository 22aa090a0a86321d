/**
 * The operations added for Svix parity (issue 8), each called through the real v2 (`svix`) and v1
 * (`svix-v1`) SDKs against the local stack, delivering to a real receiver on 127.0.0.1: attempt get,
 * attempted messages and destinations, endpoint stats, expunges, endpoint headers (case kept on the
 * wire, read from the raw request), send-example, background tasks after recover, rawPayload.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Svix, Webhook } from 'svix';
import { Svix as SvixV1 } from 'svix-v1';
import { startSluice } from '../../local/stack.ts';
import { eventually, startReceiver, type Receiver } from '../support/receiver.ts';

let sluice: Awaited<ReturnType<typeof startSluice>>;
let receiver: Receiver;
let svix: Svix;
let svixV1: SvixV1;
/** A raw receiver: records each request's rawHeaders (names as sent on the wire). */
let raw: { server: Server; url: string; rawHeaders: string[][] };

beforeAll(async () => {
  [sluice, receiver] = await Promise.all([startSluice({ port: 0, retryScheduleSeconds: [1], allowPrivateNetworks: true }), startReceiver()]);
  svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
  svixV1 = new SvixV1(sluice.adminToken, { serverUrl: sluice.url });
  const rawHeaders: string[][] = [];
  const server = createServer((req, res) => {
    rawHeaders.push(req.rawHeaders);
    req.resume().on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  raw = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, rawHeaders };
});

afterAll(async () => {
  await new Promise((resolve) => raw?.server.close(resolve));
  await receiver?.close();
  await sluice?.stop();
});

const unique = (): string => Math.random().toString(36).slice(2, 10);

async function appWithEndpoint(path: string): Promise<{ appId: string; endpointId: string }> {
  const app = await svix.application.create({ name: `deliveries-${unique()}` });
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}${path}` });
  return { appId: app.id, endpointId: endpoint.id };
}

test('attempt get, attempted messages and destinations, stats, attempt expunge: v2 and v1 SDKs', async () => {
  const path = `/d-${unique()}`;
  receiver.script(path, [200]);
  const { appId, endpointId } = await appWithEndpoint(path);
  const msg = await svix.message.create(appId, { eventType: 'invoice.paid', payload: { n: 1 } });
  await receiver.waitFor(path, 1);
  const [attempt] = (await eventually(async () => {
    const list = await svix.messageAttempt.listByMsg(appId, msg.id);
    return list.data.length === 1 ? list : undefined;
  })).data;

  for (const client of [svix, svixV1]) {
    const got = await client.messageAttempt.get(appId, msg.id, attempt!.id);
    expect(got).toMatchObject({ id: attempt!.id, msgId: msg.id, endpointId, status: 0, response: 'ok', responseStatusCode: 200 });
    expect(got.timestamp).toBeInstanceOf(Date);

    const messages = await client.messageAttempt.listAttemptedMessages(appId, endpointId);
    expect(messages.data).toHaveLength(1);
    expect(messages.data[0]).toMatchObject({ id: msg.id, eventType: 'invoice.paid', status: 0, statusText: 'success', nextAttempt: null });
    expect(messages.done).toBe(true);

    const destinations = await client.messageAttempt.listAttemptedDestinations(appId, msg.id);
    expect(destinations.data).toHaveLength(1);
    expect(destinations.data[0]).toMatchObject({ id: endpointId, url: `${receiver.url}${path}`, status: 0, statusText: 'success' });
    expect(destinations.data[0]!.createdAt).toBeInstanceOf(Date);

    expect(await client.endpoint.getStats(appId, endpointId)).toEqual({ success: 1, pending: 0, sending: 0, fail: 0, canceled: 0 });
  }
  const since = new Date(Date.now() - 3_600_000);
  expect(await svix.endpoint.getStats(appId, endpointId, { since, until: new Date(since.getTime() + 1000) })).toMatchObject({ success: 0 });

  await svix.messageAttempt.expungeContent(appId, msg.id, attempt!.id);
  expect((await svixV1.messageAttempt.get(appId, msg.id, attempt!.id)).response).toBe('EXPUNGED');
  // The gsi1 copy (the by-message list) shows it too.
  expect((await svix.messageAttempt.listByMsg(appId, msg.id, { withContent: true })).data[0]!.response).toBe('EXPUNGED');
});

test('message expunge: reads show {"expired": true}, resend answers 400 missing_payload (v2 and v1)', async () => {
  const path = `/x-${unique()}`;
  const { appId, endpointId } = await appWithEndpoint(path);
  const first = await svix.message.create(appId, { eventType: 'invoice.paid', payload: { secret: 'a' } });
  const second = await svix.message.create(appId, { eventType: 'invoice.paid', payload: { secret: 'b' } });
  await svix.message.expungeContent(appId, first.id);
  await svixV1.message.expungeContent(appId, second.id);
  for (const id of [first.id, second.id]) {
    expect((await svix.message.get(appId, id, { withContent: true })).payload).toEqual({ expired: true });
    const error = await svix.messageAttempt.resend(appId, id, endpointId).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 400, body: { code: 'missing_payload' } });
  }
});

test('endpoint headers: get/set/patch through both SDKs, sensitive names hidden, names sent with their case', async () => {
  const app = await svix.application.create({ name: `headers-${unique()}` });
  const endpoint = await svix.endpoint.create(app.id, { url: `${raw.url}/hook` });
  await svix.endpoint.setHeaders(app.id, endpoint.id, { headers: { 'X-Api-Test': 'one', Authorization: 'Bearer s3cret' } });
  expect(await svix.endpoint.getHeaders(app.id, endpoint.id)).toEqual({ headers: { 'X-Api-Test': 'one' }, sensitive: ['Authorization'] });
  await svixV1.endpoint.patchHeaders(app.id, endpoint.id, { headers: { 'X-Second': '2', Authorization: null as unknown as string } });
  expect(await svixV1.endpoint.getHeaders(app.id, endpoint.id)).toEqual({ headers: { 'X-Api-Test': 'one', 'X-Second': '2' }, sensitive: [] });
  await svix.endpoint.patchHeaders(app.id, endpoint.id, { headers: {}, deleteHeaders: ['x-second'] });
  await svixV1.endpoint.updateHeaders(app.id, endpoint.id, { headers: { 'X-Api-Test': 'two', 'x-lower': 'l' } });

  const before = raw.rawHeaders.length;
  await svix.message.create(app.id, { eventType: 'invoice.paid', payload: {} });
  await eventually(async () => (raw.rawHeaders.length > before ? true : undefined));
  const sent = raw.rawHeaders[before]!;
  const names = sent.filter((_, i) => i % 2 === 0);
  expect(names).toContain('X-Api-Test');
  expect(names).toContain('x-lower');
  expect(sent[sent.indexOf('X-Api-Test') + 1]).toBe('two');
  expect(names.filter((n) => n.toLowerCase() === 'x-api-test')).toHaveLength(1);

  const refused = await svix.endpoint.setHeaders(app.id, endpoint.id, { headers: { 'x-svix-foo': '1' } }).catch((e: unknown) => e);
  expect(refused).toMatchObject({ code: 422 });
});

test('send-example delivers svix.ping and a schema example to one endpoint only; 422 without such an example', async () => {
  const type = `example.${unique()}`;
  await svix.eventType.create({ name: type, description: 'has examples', schemas: { '1': { type: 'object', examples: [{ first: true }, { second: true }] } } });
  const pathA = `/ex-a-${unique()}`;
  const pathB = `/ex-b-${unique()}`;
  const app = await svix.application.create({ name: `example-${unique()}` });
  const a = await svix.endpoint.create(app.id, { url: `${receiver.url}${pathA}` });
  await svix.endpoint.create(app.id, { url: `${receiver.url}${pathB}` });

  const ping = await svix.endpoint.sendExample(app.id, a.id, { eventType: 'svix.ping' });
  expect(ping).toMatchObject({ eventType: 'svix.ping', payload: {} });
  expect(ping.id).toMatch(/^msg_/);
  await svixV1.endpoint.sendExample(app.id, a.id, { eventType: type, exampleIndex: 1 });
  const hits = await receiver.waitFor(pathA, 2);
  const secret = (await svix.endpoint.getSecret(app.id, a.id)).key;
  const bodies = hits.map((hit) => {
    new Webhook(secret).verify(hit.body, Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)])));
    return JSON.parse(hit.body) as unknown;
  });
  expect(bodies).toEqual(expect.arrayContaining([{ success: true }, { second: true }]));
  expect(receiver.received.filter((r) => r.path === pathB)).toHaveLength(0);

  const missing = await svix.endpoint.sendExample(app.id, a.id, { eventType: type, exampleIndex: 5 }).catch((e: unknown) => e);
  expect(missing).toMatchObject({ code: 422 });
});

test('recover returns a qtask that background-task get/list show finished with the count (v2 and v1)', async () => {
  const path = `/r-${unique()}`;
  receiver.script(path, [500, 500, 200]);
  const { appId, endpointId } = await appWithEndpoint(path);
  const msg = await svix.message.create(appId, { eventType: 'invoice.paid', payload: { r: 1 } });
  await eventually(async () => {
    const list = await svix.messageAttempt.listAttemptedMessages(appId, endpointId, { status: 2 });
    return list.data.length === 1 ? list : undefined;
  });
  const task = await svix.endpoint.recover(appId, endpointId, { since: new Date(Date.now() - 60_000) });
  expect(task.id).toMatch(/^qtask_[0-9A-Za-z]{27}$/);
  const finished = await eventually(async () => {
    const got = await svix.backgroundTask.get(task.id);
    return got.status === 'finished' ? got : undefined;
  });
  expect(finished).toMatchObject({ id: task.id, task: 'endpoint.recover', data: { endpointId, requeued: 1 } });
  expect(finished.updatedAt).toBeInstanceOf(Date);
  expect((await svixV1.backgroundTask.get(task.id)).status).toBe('finished');
  expect((await svix.backgroundTask.list({ limit: 250 })).data.map((t) => t.id)).toContain(task.id);
  expect((await svixV1.backgroundTask.list({ status: 'finished' as never })).data.map((t) => t.id)).toContain(task.id);
  await receiver.waitFor(path, 3);
  const destinations = await eventually(async () => {
    const list = await svix.messageAttempt.listAttemptedDestinations(appId, msg.id);
    return list.data[0]?.status === 0 ? list : undefined;
  });
  expect(destinations.data[0]).toMatchObject({ id: endpointId, statusText: 'success' });
});

test('transformationsParams.rawPayload: the receiver gets exactly that string, signed over it', async () => {
  const path = `/raw-${unique()}`;
  const { appId, endpointId } = await appWithEndpoint(path);
  const rawPayload = '{"b": 2,  "a":1}';
  const msg = await svix.message.create(appId, { eventType: 'payload.raw', payload: {}, transformationsParams: { rawPayload } });
  const [hit] = await receiver.waitFor(path, 1);
  expect(hit!.body).toBe(rawPayload);
  const secret = (await svix.endpoint.getSecret(appId, endpointId)).key;
  expect(() => new Webhook(secret).verify(hit!.body, Object.fromEntries(Object.entries(hit!.headers).map(([k, v]) => [k, String(v)])))).not.toThrow();
  expect((await svix.message.get(appId, msg.id, { withContent: true })).payload).toEqual({ a: 1, b: 2 });
});
