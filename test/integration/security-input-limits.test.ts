/**
 * Input limits (functions/api/limits.ts) through the real api handler over DynamoDB Local: every
 * oversized, over-deep or forbidden input is a 4xx in Svix's error shape, never a 500. Each case
 * would reach DynamoDB or the delivery worker (and fail there, or be sent) without its check.
 */
import { LIMITS } from '../../functions/api/limits.ts';
import { startApiHarness, type ApiHarness } from './api-fixtures.ts';

let h: ApiHarness;
let appId: string;

beforeAll(async () => {
  h = await startApiHarness();
  appId = (await h.api('POST', '/app', { body: { name: 'Limits' } })).body.id;
  await h.api('POST', '/event-type', { body: { name: 'order.created', description: 'x' } });
});
afterAll(async () => {
  await h.stop();
});

const nest = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const nestObject = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe('payload and body size', () => {
  test('a body over 1 MiB: 413 payload_too_large', async () => {
    const res = await h.api('POST', `/app/${appId}/msg`, { rawBody: JSON.stringify({ eventType: 'a', payload: { x: 'y'.repeat(LIMITS.requestBodyBytes) } }) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  test('a payload over 256 KiB (in a body under 1 MiB): 413; just under: accepted', async () => {
    const over = await h.api('POST', `/app/${appId}/msg`, { body: { eventType: 'a', payload: { x: 'y'.repeat(LIMITS.payloadBytes) } } });
    expect([over.status, over.body.code]).toEqual([413, 'payload_too_large']);
    const under = await h.api('POST', `/app/${appId}/msg`, { body: { eventType: 'a', payload: { x: 'y'.repeat(LIMITS.payloadBytes - 100) } } });
    expect(under.status).toBe(202);
  });

  test('an endpoint that would exceed DynamoDB’s 400 KB item: 413, not 500', async () => {
    const wide = 'ࠀ'; // 3 bytes in UTF-8
    // Every field within its own limit, all of them at once past the item limit.
    const types = Array.from({ length: LIMITS.eventTypeFilters }, (_, i) => `${'t'.repeat(250)}.${String(i).padStart(4, '0')}`);
    for (let i = 0; i < types.length; i += 25) {
      await Promise.all(types.slice(i, i + 25).map((name) => h.api('POST', '/event-type', { body: { name, description: '' } })));
    }
    const res = await h.api('POST', `/app/${appId}/endpoint`, {
      body: {
        filterTypes: types,
        description: wide.repeat(LIMITS.descriptionLength),
        url: `https://example.com/${wide.repeat(LIMITS.urlLength - 100)}`,
        metadata: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${i}${wide.repeat(250)}`, wide.repeat(512)])),
        headers: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`x-h${i}`, 'v'.repeat(4096)])),
      },
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ code: 'payload_too_large', detail: 'Request payload is too large' });
  });
});

describe('JSON nesting', () => {
  test('a 100,000-deep array: 422 at ["body"], without parsing it', async () => {
    const res = await h.api('POST', `/app/${appId}/msg`, { rawBody: `{"eventType":"a","payload":{"x":${nest(100_000)}}}` });
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({ loc: ['body'], type: 'value_error.jsondepth' });
  });

  test('64 levels pass, 65 do not; brackets inside strings do not count', async () => {
    expect((await h.api('POST', `/app/${appId}/msg`, { rawBody: `{"eventType":"a","payload":{"x":${nest(62)}}}` })).status).toBe(202);
    expect((await h.api('POST', `/app/${appId}/msg`, { rawBody: `{"eventType":"a","payload":{"x":${nest(63)}}}` })).status).toBe(422);
    expect((await h.api('POST', `/app/${appId}/msg`, { body: { eventType: 'a', payload: { x: '['.repeat(10_000) } } })).status).toBe(202);
  });

  test('event-type schemas: nesting, size, empty keys and numbers DynamoDB cannot store are 422', async () => {
    const cases: unknown[] = [
      { '1': nestObject(30) },
      { '1': { description: 'x'.repeat(LIMITS.schemasBytes) } },
      { '1': { '': 'empty key' } },
      { '1': { maximum: 1e300 } },
      { '1': { minimum: 1e-200 } },
    ];
    for (const [i, schemas] of cases.entries()) {
      const res = await h.api('POST', '/event-type', { body: { name: `schema.case${i}`, description: 'x', schemas } });
      expect([i, res.status, res.body.detail?.[0]?.loc?.slice(0, 2)]).toEqual([i, 422, ['body', 'schemas']]);
    }
    const fine = await h.api('POST', '/event-type', { body: { name: 'schema.fine', description: 'x', schemas: { '1': { type: 'object', maximum: 1.5, nested: nestObject(10) } } } });
    expect(fine.status).toBe(201);
  });
});

describe('strings, maps and arrays', () => {
  test.each([
    ['app name over 256', '/app', { name: 'n'.repeat(257) }, ['body', 'name']],
    ['app uid over 256', '/app', { name: 'a', uid: 'u'.repeat(257) }, ['body', 'uid']],
    ['metadata with 51 keys', '/app', { name: 'a', metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, ['body', 'metadata']],
    ['metadata with an empty key', '/app', { name: 'a', metadata: { '': 'v' } }, ['body', 'metadata', '']],
    ['metadata value over 512', '/app', { name: 'a', metadata: { k: 'v'.repeat(513) } }, ['body', 'metadata', 'k']],
    ['event-type description over 1024', '/event-type', { name: 'long.desc', description: 'd'.repeat(1025) }, ['body', 'description']],
    ['event-type name with a slash', '/event-type', { name: 'a/b', description: 'd' }, ['body', 'name']],
    ['event-type with 51 feature flags', '/event-type', { name: 'ff', description: 'd', featureFlags: Array.from({ length: 51 }, (_, i) => `f${i}`) }, ['body', 'featureFlags']],
  ])('%s: 422', async (_label, path, body, loc) => {
    const res = await h.api('POST', path, { body });
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toEqual(loc);
  });

  test.each([
    ['url over 65,536', { url: `https://e.com/${'a'.repeat(LIMITS.urlLength)}` }, ['body', 'url']],
    ['description over 1024', { url: 'https://e.com/', description: 'd'.repeat(1025) }, ['body', 'description']],
    ['251 event types', { url: 'https://e.com/', filterTypes: Array.from({ length: 251 }, (_, i) => `t${i}`) }, ['body', 'filterTypes']],
    ['11 channels', { url: 'https://e.com/', channels: Array.from({ length: 11 }, (_, i) => `c${i}`) }, ['body', 'channels']],
    ['21 headers', { url: 'https://e.com/', headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`x-h${i}`, 'v'])) }, ['body', 'headers']],
    ['a header value with CR LF', { url: 'https://e.com/', headers: { 'x-a': 'v\r\nx-injected: 1' } }, ['body', 'headers', 'x-a']],
    ['a header name with a space', { url: 'https://e.com/', headers: { 'x a': 'v' } }, ['body', 'headers', 'x a']],
    ['a secret over 128 characters', { url: 'https://e.com/', secret: `whsec_${'A'.repeat(200)}` }, ['body', 'secret']],
  ])('endpoint %s: 422', async (_label, body, loc) => {
    const res = await h.api('POST', `/app/${appId}/endpoint`, { body });
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toEqual(loc);
  });

  test.each([
    'webhook-signature', 'Webhook-Id', 'webhook-timestamp', 'svix-signature', 'Svix-Id', 'svix-timestamp',
    'content-type', 'Content-Length', 'host', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te',
    'trailer', 'expect', 'proxy-authorization', 'user-agent',
  ])('endpoint headers may not set %s (422)', async (name) => {
    const res = await h.api('POST', `/app/${appId}/endpoint`, { body: { url: 'https://e.com/', headers: { [name]: 'forged' } } });
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({ loc: ['body', 'headers', name] });
    expect(res.body.detail[0].msg).toMatch(/cannot be (overridden|set)/);
  });

  test('ordinary custom headers (Authorization included) are accepted', async () => {
    const res = await h.api('POST', `/app/${appId}/endpoint`, { body: { url: 'https://e.com/', headers: { Authorization: 'Bearer receiver-token', 'X-Tenant': '42' } } });
    expect(res.status).toBe(201);
    expect(res.body.headers).toBeUndefined();
  });
});

describe('paths, query and headers', () => {
  test('a path parameter longer than any id, uid or name: 404 (after authentication)', async () => {
    const long = 'a'.repeat(2000);
    expect((await h.api('GET', `/app/${long}`)).status).toBe(404);
    expect((await h.api('GET', `/app/${appId}/endpoint/${long}`)).status).toBe(404);
    expect((await h.api('GET', `/event-type/${long}`)).status).toBe(404);
    expect((await h.api('GET', `/app/${long}`, { token: 'wrong-token-000000000000' })).status).toBe(401);
  });

  test('an iterator longer than an id or name: 422 at ["query","iterator"]', async () => {
    for (const path of ['/app', `/app/${appId}/endpoint`, '/event-type', `/app/${appId}/msg`]) {
      const res = await h.api('GET', path, { query: { iterator: 'x'.repeat(2000) } });
      expect([path, res.status, res.body.detail?.[0]?.loc]).toEqual([path, 422, ['query', 'iterator']]);
    }
  });

  test('more than 100 request headers: 400 in the Svix shape', async () => {
    const headers = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`x-h${i}`, 'v']));
    const res = await h.api('GET', '/app', { headers });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'generic_error' });
  });
});
