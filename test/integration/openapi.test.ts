/**
 * Sluice's own OpenAPI 3.1 document (functions/api/openapi/): generated from the live route table, so
 * every routed operation is in it and every documented operation is routed; served at
 * GET /api/v1/openapi.json without a token; passes `redocly lint`; and the answers of an SDK-driven
 * scenario (the real svix SDK against the local stack, through a recording proxy) validate against it
 * with ajv (JSON Schema 2020-12, formats on).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Svix } from 'svix';
import { API_PREFIX, matchRoute } from '../../functions/api/router.ts';
import { ROUTES } from '../../functions/api/routes/index.ts';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'];

let sluice: RunningSluice;
let receiver: Receiver;
let proxy: RecordingProxy;
let doc: Json;

beforeAll(async () => {
  receiver = await startReceiver();
  sluice = await startSluice({ logLevel: 'ERROR' });
  proxy = await startRecordingProxy(sluice.url);
  const response = await fetch(`${sluice.url}${API_PREFIX}/openapi.json`);
  expect(response.status).toBe(200);
  doc = (await response.json()) as Json;
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await sluice?.stop();
  await receiver?.close();
});

const operations = (): { method: string; path: string; op: Json }[] =>
  Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json).filter(([m]) => METHODS.includes(m)).map(([method, op]) => ({ method: method.toUpperCase(), path, op: op as Json })),
  );

describe('the document', () => {
  test('is OpenAPI 3.1, public, and names the server it was fetched from', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: sluice.url, description: 'This Sluice' }]);
  });

  test('every route of the router is an operation of the document', () => {
    const documented = new Set(operations().map((o) => `${o.method} ${o.path}`));
    const missing = ROUTES.map((r) => `${r.method} ${API_PREFIX}${r.pattern}`).filter((key) => !documented.has(key));
    expect(missing).toEqual([]);
  });

  test('every documented operation is routed, and operation ids are unique', () => {
    const unrouted = operations().filter(({ method, path }) => {
      const concrete = path.slice(API_PREFIX.length).replace(/\{[^}]+\}/g, 'x');
      const match = matchRoute(ROUTES, method, concrete);
      return !('route' in match) || `${match.route.method} ${API_PREFIX}${match.route.pattern}` !== `${method} ${path}`;
    });
    expect(unrouted).toEqual([]);
    const ids = operations().map((o) => o.op.operationId as string);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('request bodies are the zod schemas the routes validate with', () => {
    const publish = doc.paths[`${API_PREFIX}/app/{app_id}/msg`].post.requestBody.content['application/json'].schema;
    expect(publish.required).toEqual(expect.arrayContaining(['eventType', 'payload']));
    expect(publish.properties.payload).toEqual({ type: 'object' });
    expect(publish.properties.payloadRetentionPeriod.anyOf[0]).toEqual({ type: 'integer', minimum: 1, maximum: 90 });
  });

  test('passes redocly lint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc, null, 2));
      const run = await promisify(execFile)(join(process.cwd(), 'node_modules/.bin/redocly'), ['lint', file, '--format=stylish'], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NODE_OPTIONS: '' },
      }).catch((error: { stdout: string; stderr: string }) => ({ ...error, failed: true }));
      expect({ failed: 'failed' in run, output: run.stdout + run.stderr }).toMatchObject({ failed: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** Validates a recorded answer against the document's response for its operation and status. */
function responseValidator(): (exchange: { method: string; path: string; status: number; body: string }) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its function is the default export under Node, `.default` under TypeScript.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => unknown;
  addFormats(ajv);
  ajv.addSchema({ $id: 'sluice-openapi', components: doc.components });
  const cache = new Map<string, ValidateFunction>();
  const resolve = (response: Json): Json => {
    const ref = response.$ref as string | undefined;
    return ref === undefined ? response : (doc.components.responses[ref.split('/').pop()!] as Json);
  };
  return ({ method, path, status, body }) => {
    const concrete = path.split('?')[0]!.replace(/\/+$/, '');
    const match = operations().find((o) => o.method === method && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(concrete));
    if (match === undefined) return [`${method} ${path}: no operation`];
    const declared = match.op.responses[String(status)] as Json | undefined;
    if (declared === undefined) return [`${method} ${path}: status ${status} not documented`];
    const schema = resolve(declared).content?.['application/json']?.schema as Json | undefined;
    if (schema === undefined) return body === '' ? [] : [`${method} ${path} ${status}: a body where the document says none`];
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (validate === undefined) {
      validate = ajv.compile(JSON.parse(key.replace(/"#\/components\//g, '"sluice-openapi#/components/')) as object);
      cache.set(key, validate);
    }
    if (validate(JSON.parse(body))) return [];
    return (validate.errors ?? []).map((e) => `${method} ${path} ${status}: ${e.instancePath || '(root)'} ${e.message ?? ''}`);
  };
}

test('the answers of an SDK-driven scenario validate against the document', async () => {
  const svix = new Svix(sluice.adminToken, { serverUrl: proxy.url });
  await svix.health.get();
  const app = await svix.application.create({ name: 'OpenAPI Co', uid: `openapi-${Date.now()}`, metadata: { tier: 'gold' } });
  await svix.application.getOrCreate({ name: 'OpenAPI Co', uid: app.uid! });
  await svix.application.list({ limit: 5 });
  await svix.application.get(app.id);
  await svix.application.patch(app.id, { name: 'OpenAPI Co (renamed)' });
  await svix.eventType.create({ name: `openapi.${Date.now()}`, description: 'An event' });
  await svix.eventType.list({ limit: 5 });
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}/openapi`, description: 'Main', channels: ['eu'] });
  await svix.endpoint.list(app.id);
  await svix.endpoint.get(app.id, endpoint.id);
  await svix.endpoint.patch(app.id, endpoint.id, { description: 'Main endpoint' });
  await svix.endpoint.getSecret(app.id, endpoint.id);
  await svix.endpoint.rotateSecret(app.id, endpoint.id, {});
  const msg = await svix.message.create(app.id, { eventType: 'invoice.paid', eventId: `evt-${Date.now()}`, payload: { amount: 42 }, channels: ['eu'] });
  await receiver.waitFor('/openapi', 1);
  await svix.message.list(app.id);
  await svix.message.get(app.id, msg.id);
  await svix.messageAttempt.listByEndpoint(app.id, endpoint.id);
  await svix.messageAttempt.listByMsg(app.id, msg.id);
  await svix.messageAttempt.resend(app.id, msg.id, endpoint.id);
  await svix.endpoint.recover(app.id, endpoint.id, { since: new Date(Date.now() - 3_600_000) });
  await svix.authentication.appPortalAccess(app.id, {});
  // Errors are answers too: 404, 409 and 422 in Svix's shapes.
  await expect(svix.application.get('app_2doesnotexist0000000000000')).rejects.toBeDefined();
  await expect(svix.message.create(app.id, { eventType: 'invoice.paid', eventId: msg.eventId!, payload: {} })).rejects.toBeDefined();
  await expect(svix.endpoint.create(app.id, { url: 'not a url' })).rejects.toBeDefined();
  await svix.endpoint.delete(app.id, endpoint.id);
  await svix.application.delete(app.id);
  const ops = await fetch(`${proxy.url}${API_PREFIX}/ops/queues`, { headers: { authorization: `Bearer ${sluice.adminToken}` } });
  expect(ops.status).toBe(200);

  const check = responseValidator();
  const problems = proxy.exchanges.flatMap(check);
  expect(problems).toEqual([]);
  const statuses = new Set(proxy.exchanges.map((e) => e.status));
  for (const status of [200, 201, 202, 204, 404, 409, 422]) expect(statuses).toContain(status);
  expect(proxy.exchanges.length).toBeGreaterThanOrEqual(28);
}, 60_000);

test('GET /api/v1/docs: the reference page, public, with the renderer served next to it', async () => {
  const page = await fetch(`${sluice.url}${API_PREFIX}/docs`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const html = await page.text();
  expect(html).toContain('<redoc spec-url="openapi.json"');
  expect(html).toContain('src="docs/redoc.standalone.js"');
  const script = await fetch(`${sluice.url}${API_PREFIX}/docs/redoc.standalone.js`);
  expect(script.status).toBe(200);
  expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
  expect((await script.text()).length).toBeGreaterThan(500_000);
});
