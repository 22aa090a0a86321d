/**
 * Property-based fuzzing of the API (fast-check): malformed and hostile requests — random JSON,
 * wrong types in every known field, huge strings, deep nesting, invalid JSON, odd methods, paths,
 * path parameters, query strings and headers, with the admin token, an app-scoped token or none —
 * go through the real api handler over DynamoDB Local. Whatever a caller sends: no 5xx, and every
 * answer is JSON in Svix's shape ({code, detail}, or 422 {detail: [{loc, msg, type}]}). A fixed seed
 * and a fixed number of runs, so every run tries the same cases however loaded the machine is (no time
 * budget that would test fewer cases when it is slow); FUZZ_SEED and FUZZ_RUNS explore further. A
 * failure prints fast-check's seed and shrunk case.
 */
import fc from 'fast-check';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ROUTES } from '../../functions/api/routes/index.ts';
import { TEST_TOKEN, apiEvent, bareContext } from '../support/api-event.ts';
import { startApiHarness, type ApiHarness } from './api-fixtures.ts';

let h: ApiHarness;
const ids: Record<string, string> = {};
let appToken = '';
let casesRun = 0;
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

beforeAll(async () => {
  h = await startApiHarness();
  const app = await h.api('POST', '/app', { body: { name: 'Fuzz', uid: 'fuzz-app' } });
  await h.api('POST', '/event-type', { body: { name: 'fuzz.event', description: 'x' } });
  const ep = await h.api('POST', `/app/${app.body.id}/endpoint`, { body: { url: 'https://example.com/hook', uid: 'fuzz-ep' } });
  const msg = await h.api('POST', `/app/${app.body.id}/msg`, { body: { eventType: 'fuzz.event', payload: { a: 1 }, eventId: 'fuzz-evt' } });
  Object.assign(ids, { app: app.body.id, ep: ep.body.id, msg: msg.body.id });
  appToken = (await h.api('POST', `/auth/app-portal-access/${app.body.id}`, { body: {} })).body.token;
});

afterAll(async () => {
  await h.stop();
});

const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '', ' ', '.', '..', '%', '%00', '%2F', '\u0000', '\ud800', '../../etc/passwd', 'app_', 'ep_', 'msg_', '-', '-msg_x', 'null',
    '__proto__', 'constructor', 'hasOwnProperty', '1e309', 'NaN', '-0', "' OR 1=1 --", '<script>', '#', 'TOKEN#x', 'APP', 'a'.repeat(300),
    'é'.repeat(700), 'x'.repeat(3000), 'sluice_app_', 'whsec_', 'http://169.254.169.254/', 'fuzz-app', 'fuzz-ep', 'fuzz-evt',
  ),
  fc.integer().map(String),
);

const validish = fc.constantFrom(
  'fuzz.event', 'fuzz-app', 'https://example.com/hook', 'http://127.0.0.1:1/', '2024-01-01T00:00:00Z', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
);

const deep = fc.integer({ min: 20, max: 3000 }).map((n) => {
  let v: unknown = 1;
  for (let i = 0; i < Math.min(n, 200); i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
});

const wild: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: validish },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(1e300, -1e-300, 2 ** 64, Number.MAX_SAFE_INTEGER + 2),
  deep,
  fc.integer({ min: 1_000, max: 400_000 }).map((n) => 'y'.repeat(n)),
  fc.array(hostileString, { maxLength: 300 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 60 }),
);

const FIELDS = [
  'name', 'uid', 'url', 'description', 'metadata', 'headers', 'eventType', 'payload', 'eventTypes', 'filterTypes', 'channels',
  'secret', 'schemas', 'since', 'until', 'key', 'gracePeriodSeconds', 'expiry', 'capabilities', 'readOnly', 'application',
  'tags', 'throttleRate', 'rateLimit', 'version', 'deliverAt', 'payloadRetentionPeriod', 'payloadRetentionHours', 'disabled',
  'archived', 'deprecated', 'groupName', 'featureFlags', 'sessionId', 'sessionIds', 'eventId', '__proto__',
] as const;

const knownShape = fc.dictionary(fc.constantFrom(...FIELDS), wild, { maxKeys: 8 }).map((o) => JSON.stringify(o));

const body = fc.oneof(
  { weight: 4, arbitrary: knownShape },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)) },
  fc.string({ maxLength: 50 }),
  fc.constantFrom('{', '[', '{"a":', 'nul', '"\\ud800"', '{"__proto__":{"polluted":1}}', '1e999', '[1,]', '{"payload":{}}', '\u0000'),
  fc.integer({ min: 65, max: 100_000 }).map((n) => `{"payload":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.constant(undefined),
);

const param = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(() => ids.app!, () => 'fuzz-app', () => ids.ep!, () => 'fuzz-ep', () => ids.msg!, () => 'fuzz-evt', () => 'fuzz.event').map((f) => f()) },
  { weight: 2, arbitrary: hostileString.map((s) => encodeURIComponent(s.toWellFormed())) },
  hostileString,
);

const routePath = fc.tuple(fc.constantFrom(...ROUTES.map((r) => r.pattern)), fc.array(param, { minLength: 4, maxLength: 4 })).map(([pattern, values]) => {
  let i = 0;
  return `/api/v1${pattern.replace(/\{[^}]+\}/g, () => values[i++] ?? 'x')}`;
});

const path = fc.oneof(
  { weight: 5, arbitrary: routePath },
  fc.array(hostileString, { maxLength: 6 }).map((segments) => `/api/v1/${segments.join('/')}`),
  fc.constantFrom('/', '', '//api//v1//app//', '/api/v2/app', '/api/v1', '/api/v1/app/../event-type', '/API/V1/APP'),
);

const QUERY_NAMES = ['limit', 'iterator', 'order', 'before', 'after', 'with_content', 'event_types', 'event_types[]', 'channel', 'tag', 'status',
  'status_code_class', 'get_if_exists', 'include_archived', 'expunge', 'with_msg', 'endpoint_id', 'expanded_statuses'] as const;
const query = fc.dictionary(
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...QUERY_NAMES) }, hostileString),
  fc.oneof(
    hostileString,
    fc.integer().map(String),
    fc.constantFrom('true', 'false', '0', '-1', '251', '1e3', 'ascending', 'descending', '2020-01-01T00:00:00Z', '9999-12-31T23:59:59Z',
      '0000-01-01T00:00:00Z', '-', 'msg_', Array.from({ length: 500 }, (_, i) => `t${i}`).join(',')),
    fc.array(hostileString, { minLength: 2, maxLength: 5 }),
  ),
  { maxKeys: 5 },
);

const authorization = fc.oneof(
  { weight: 6, arbitrary: fc.constant(`Bearer ${TEST_TOKEN}`) },
  { weight: 3, arbitrary: fc.constant('APP') },
  fc.constant(undefined),
  hostileString,
  fc.constantFrom('Basic dXNlcjpwYXNz', `Bearer ${TEST_TOKEN} extra`, 'Bearer ', 'bearer sluice_app_x', `Bearer ${TEST_TOKEN.toUpperCase()}`),
);

const headers = fc.dictionary(
  fc.oneof(fc.constantFrom('content-type', 'idempotency-key', 'accept', 'host', 'x-forwarded-proto', 'svix-req-id', 'content-length'), hostileString),
  hostileString,
  { maxKeys: 6 },
);

const request = fc.record({
  method: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') }, fc.constantFrom('HEAD', 'OPTIONS', 'TRACE', 'get', 'Post', '')),
  path,
  query,
  headers,
  authorization,
  body,
  base64: fc.boolean(),
});

type Request = typeof request extends fc.Arbitrary<infer T> ? T : never;

function toEvent(r: Request): APIGatewayProxyEvent {
  const event = apiEvent(r.method, r.path, { token: null, headers: r.headers as Record<string, string> });
  const auth = r.authorization === 'APP' ? `Bearer ${appToken}` : r.authorization;
  if (auth !== undefined) event.headers['authorization'] = auth;
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(r.query)) {
    const values = Array.isArray(v) ? v : [v];
    multi[k] = values;
    single[k] = values.at(-1)!;
  }
  event.queryStringParameters = Object.keys(single).length > 0 ? single : null;
  event.multiValueQueryStringParameters = Object.keys(multi).length > 0 ? multi : null;
  if (r.body !== undefined) {
    event.body = r.base64 ? Buffer.from(r.body).toString('base64') : r.body;
    event.isBase64Encoded = r.base64;
  }
  return event;
}

function checkShape(status: number, text: string, headers: Record<string, unknown> = {}): void {
  if (status === 204) {
    expect(text).toBe('');
    return;
  }
  // A successful answer may be a page (the API docs); every error is JSON.
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (status < 400 && typeof type === 'string' && !type.includes('json')) return;
  const json = JSON.parse(text) as Record<string, unknown>;
  if (status < 400) return;
  if (status === 422) {
    expect(Array.isArray(json.detail)).toBe(true);
    for (const issue of json.detail as Record<string, unknown>[]) {
      expect(Array.isArray(issue.loc)).toBe(true);
      expect(typeof issue.msg).toBe('string');
      expect(typeof issue.type).toBe('string');
    }
    return;
  }
  expect(typeof json.code).toBe('string');
  expect(typeof json.detail).toBe('string');
}

test('no request makes the API answer 5xx, and every answer has the Svix shape', async () => {
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      casesRun++;
      const result = await h.handler(toEvent(r), bareContext);
      if (result.statusCode >= 500) throw new Error(`${result.statusCode} for ${r.method} ${r.path}: ${result.body}`);
      checkShape(result.statusCode, result.body, result.headers);
    }),
    { numRuns: RUNS, seed: SEED },
  );
  expect(casesRun).toBe(RUNS);
});

test('directed: the inputs most likely to break a store or a serializer', async () => {
  const cases: Request[] = [
    { method: 'GET', path: `/api/v1/app/${ids.app}/msg`, query: { event_types: Array.from({ length: 1000 }, (_, i) => `t${i}`).join(',') }, headers: {}, authorization: `Bearer ${TEST_TOKEN}`, body: undefined, base64: false },
    { method: 'GET', path: `/api/v1/app/${ids.app}/attempt/endpoint/${ids.ep}`, query: { event_types: Array.from({ length: 1000 }, (_, i) => `t${i}`).join(',') }, headers: {}, authorization: `Bearer ${TEST_TOKEN}`, body: undefined, base64: false },
    { method: 'GET', path: '/api/v1/app', query: { iterator: '-' }, headers: {}, authorization: `Bearer ${TEST_TOKEN}`, body: undefined, base64: false },
    { method: 'GET', path: `/api/v1/app/${ids.app}/msg`, query: { before: '9999-12-31T23:59:59Z', after: '0001-01-01T00:00:00Z' }, headers: {}, authorization: `Bearer ${TEST_TOKEN}`, body: undefined, base64: false },
    { method: 'POST', path: '/api/v1/app', query: {}, headers: { 'idempotency-key': 'k'.repeat(5000) }, authorization: `Bearer ${TEST_TOKEN}`, body: '{"name":"x"}', base64: false },
    { method: 'POST', path: `/api/v1/app/${ids.app}/msg`, query: {}, headers: {}, authorization: `Bearer ${TEST_TOKEN}`, body: '{"eventType":"fuzz.event","payload":{"__proto__":{"x":1}},"application":{"name":"x","metadata":{"":"x"}}}', base64: false },
  ];
  for (const r of cases) {
    const result = await h.handler(toEvent(r), bareContext);
    if (process.env.FUZZ_DEBUG) console.info(r.path, result.statusCode, result.body.slice(0, 200));
    expect([r.path, result.statusCode < 500]).toEqual([r.path, true]);
    checkShape(result.statusCode, result.body);
  }
});
