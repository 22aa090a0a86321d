/**
 * Svix behaviours the issue measured as different, checked over raw HTTP and with the SDKs against the
 * local stack: malformed iterators, PUT as a full replacement, URL normalisation, malformed JSON and
 * content types, empty event-type filters, health, and CORS (preflights, headers on every answer,
 * including errors and the front's own 413).
 */
import { Svix as SvixV1 } from 'svix-v1';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { expectStatus, retrying, startConformance, unique, type Conformance } from './harness.ts';

let c: Conformance;
let receiver: Receiver;

beforeAll(async () => {
  [c, receiver] = await Promise.all([startConformance(), startReceiver()]);
});

afterAll(async () => {
  await receiver?.close();
  await c?.stop();
});

test('a malformed iterator is a 422 at ["query", "iterator"] on every list', async () => {
  const eventType = `iter.${unique()}`;
  await c.svix.eventType.create({ name: eventType, description: 'x' });
  const app = await c.svix.application.create({ name: 'iter' });
  const endpoint = await c.svix.endpoint.create(app.id, { url: `${receiver.url}/iter` });
  const msg = await c.svix.message.create(app.id, { eventType, payload: {} });
  const lists = [
    '/api/v1/app',
    '/api/v1/event-type',
    `/api/v1/app/${app.id}/endpoint`,
    `/api/v1/app/${app.id}/msg`,
    `/api/v1/app/${app.id}/attempt/endpoint/${endpoint.id}`,
    `/api/v1/app/${app.id}/attempt/msg/${msg.id}`,
  ];
  for (const list of lists) {
    // Event-type cursors are names, so `app_short` is a fine one there; elsewhere it is not an id of the list's kind.
    const bads = ['BAD-$$$ITERATOR', 'msg_!!!!!!!!!!!!!!!!!!!!!!!!!!!', ...(list === '/api/v1/event-type' ? [] : ['app_short', '-ep_123'])];
    for (const bad of bads) {
      const answer = await c.http('GET', `${list}?iterator=${encodeURIComponent(bad)}`);
      expect({ list, bad, status: answer.status, loc: (answer.body as { detail?: { loc: unknown }[] }).detail?.[0]?.loc }).toEqual({
        list,
        bad,
        status: 422,
        loc: ['query', 'iterator'],
      });
    }
  }
  // Well-formed cursors of the right kind still page (forwards and backwards).
  const page = expectStatus(await c.http('GET', `/api/v1/app/${app.id}/endpoint?limit=1`), 200).body as { iterator: string; prevIterator: string };
  expectStatus(await c.http('GET', `/api/v1/app/${app.id}/endpoint?iterator=${page.iterator}`), 200);
  expectStatus(await c.http('GET', `/api/v1/app/${app.id}/endpoint?iterator=${page.prevIterator}`), 200);
  expectStatus(await c.http('GET', `/api/v1/event-type?iterator=${eventType}`), 200);
});

test('PUT replaces the whole endpoint: absent fields return to their defaults', async () => {
  const app = await c.svix.application.create({ name: 'put' });
  const endpoint = await c.svix.endpoint.create(app.id, {
    url: `${receiver.url}/put`,
    uid: 'put-ep',
    description: 'first',
    channels: ['c1'],
    throttleRate: 5,
    metadata: { a: 'b' },
  });
  const replaced = expectStatus(await c.http('PUT', `/api/v1/app/${app.id}/endpoint/${endpoint.id}`, { body: { url: `${receiver.url}/put2` } }), 200).body;
  expect(replaced).toMatchObject({ id: endpoint.id, uid: null, description: '', channels: null, throttleRate: null, metadata: {}, disabled: false });
  await expect(c.svix.endpoint.get(app.id, 'put-ep')).rejects.toMatchObject({ code: 404 });
  // The application too.
  const put = expectStatus(await c.http('PUT', `/api/v1/app/${app.id}`, { body: { name: 'renamed' } }), 200).body;
  expect(put).toMatchObject({ id: app.id, uid: null, name: 'renamed', metadata: {} });
});

test('endpoint URLs are stored normalised, as Svix stores them', async () => {
  const app = await c.svix.application.create({ name: 'urls' });
  const created = expectStatus(await c.http('POST', `/api/v1/app/${app.id}/endpoint`, { body: { url: 'http://bad.url2' } }), 201).body as { id: string; url: string };
  expect(created.url).toBe('http://bad.url2/');
  const patched = await c.svix.endpoint.patch(app.id, created.id, { url: 'HTTPS://Example.COM:443/a/../b?x=1' });
  expect(patched.url).toBe('https://example.com/b?x=1');
});

test('malformed JSON is a 422 value_error.jsondecode; the Content-Type is not looked at', async () => {
  const bad = expectStatus(await c.http('POST', '/api/v1/app', { raw: '{"name": ', headers: { 'content-type': 'application/json' } }), 422);
  expect(bad.body).toEqual({ detail: [{ loc: ['body'], msg: expect.stringContaining('not valid JSON'), type: 'value_error.jsondecode' }] });
  // Svix reads the body as JSON whatever the header says (curl -d sends form-urlencoded).
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
    const ok = expectStatus(await c.http('POST', '/api/v1/app', { raw: JSON.stringify({ name: `typed ${type}` }), headers: { 'content-type': type } }), 201);
    expect(ok.body).toMatchObject({ name: `typed ${type}` });
  }
  expectStatus(await c.http('POST', '/api/v1/app', { raw: '' }), 422);
});

test('an empty eventTypes / filterTypes list means every event type', async () => {
  const app = await c.svix.application.create({ name: 'filters' });
  const viaHttp = expectStatus(await c.http('POST', `/api/v1/app/${app.id}/endpoint`, { body: { url: `${receiver.url}/all`, eventTypes: [] } }), 201).body;
  expect(viaHttp).toMatchObject({ eventTypes: null, filterTypes: null });
  // svix-react's new-endpoint form and the v1 SDK send filterTypes: [].
  const v1 = new SvixV1(c.sluice.adminToken, { serverUrl: c.sluice.url });
  const viaV1 = await v1.endpoint.create(app.id, { url: `${receiver.url}/all-v1`, filterTypes: [] });
  expect(viaV1.filterTypes ?? null).toBeNull();
  expect(expectStatus(await c.http('PATCH', `/api/v1/app/${app.id}/endpoint/${viaV1.id}`, { body: { filterTypes: [] } }), 200).body).toMatchObject({ eventTypes: null });
  // Such an endpoint receives any event type.
  await c.svix.message.create(app.id, { eventType: `anything.${unique()}`, payload: { x: 1 } });
  await receiver.waitFor('/all-v1', 1);
});

test('health: GET and HEAD /health and /health/ping answer 204 without a token', async () => {
  for (const path of ['/api/v1/health', '/api/v1/health/', '/api/v1/health/ping', '/api/v1/health/ping/']) {
    for (const method of ['GET', 'HEAD']) {
      const answer = await c.http(method, path, { token: null });
      expect({ path, method, status: answer.status, text: answer.text }).toEqual({ path, method, status: 204, text: '' });
    }
  }
  await c.svix.health.get();
});

test('CORS: preflights are answered, and every answer carries the headers (errors and the front\'s 413 too)', async () => {
  const origin = 'https://dashboard.customer.example';
  const preflight = await c.http('OPTIONS', '/api/v1/app/some-app/endpoint', {
    token: null,
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
  expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
  expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();

  const app = await c.svix.application.create({ name: 'cors' });
  const { token } = await c.svix.authentication.appPortalAccess(app.id, {});
  const answers = [
    await c.http('GET', `/api/v1/app/${app.id}/endpoint`, { token, headers: { origin } }),
    await c.http('GET', '/api/v1/app', { token: 'nope', headers: { origin } }),
    await c.http('GET', `/api/v1/app/app-missing-${unique()}`, { headers: { origin } }),
    await c.http('POST', '/api/v1/app', { raw: '{', headers: { origin } }),
    await c.http('GET', '/api/v1/health', { token: null, headers: { origin } }),
    await c.http('POST', '/api/v1/app', { raw: 'x'.repeat(11 * 1024 * 1024), headers: { origin } }),
  ];
  expect(answers.map((a) => [a.status, a.headers.get('access-control-allow-origin')])).toEqual([
    [200, '*'],
    [401, '*'],
    [404, '*'],
    [422, '*'],
    [204, '*'],
    [413, '*'],
  ]);
});

test('CORS with a list of origins: a listed origin is echoed, another gets no CORS headers', async () => {
  const listed = await startConformance({ environment: { corsOrigins: ['https://allowed.example'] } });
  try {
    const ask = (origin: string) =>
      listed.http('OPTIONS', '/api/v1/app', { token: null, headers: { origin, 'access-control-request-method': 'GET' } });
    const allowed = await ask('https://allowed.example');
    expect([allowed.status, allowed.headers.get('access-control-allow-origin'), allowed.headers.get('vary')]).toEqual([204, 'https://allowed.example', 'Origin']);
    const refused = await ask('https://evil.example');
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([204, null]);
    const get = await listed.http('GET', '/api/v1/app', { headers: { origin: 'https://allowed.example' } });
    expect([get.status, get.headers.get('access-control-allow-origin')]).toEqual([200, 'https://allowed.example']);
    const other = await listed.http('GET', '/api/v1/app', { headers: { origin: 'https://evil.example' } });
    expect([other.status, other.headers.get('access-control-allow-origin')]).toEqual([200, null]);
  } finally {
    await listed.stop();
  }
});

test('the iterator of attempt lists moves on (retrying reads until the attempt is logged)', async () => {
  const app = await c.svix.application.create({ name: 'attempt-iter' });
  const endpoint = await c.svix.endpoint.create(app.id, { url: `${receiver.url}/attempt-iter` });
  const msg = await c.svix.message.create(app.id, { eventType: 'a.b', payload: {} });
  const list = await retrying(async () => {
    const l = await c.svix.messageAttempt.listByEndpoint(app.id, endpoint.id);
    if (l.data.length === 0) throw new Error('no attempt yet');
    return l;
  });
  expect(list.data[0]!.msgId).toBe(msg.id);
  expectStatus(await c.http('GET', `/api/v1/app/${app.id}/attempt/endpoint/${endpoint.id}?iterator=${list.iterator}`), 200);
});
