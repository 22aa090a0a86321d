/**
 * App-scoped tokens (Svix's app portal access) through the embedded stack and the real Svix SDK:
 * a token sees and changes its one application only. Every cross-application attempt is refused
 * (404, as Svix answers, whether or not the other application exists), organisation-level calls are
 * 403 insufficient_access, readOnly and capability-limited tokens refuse what they lack, logout and
 * expire-all revoke, expired tokens are 401, and only the token's sha256 is stored.
 */
import { createHash } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { Svix } from 'svix';
import { createDynamoStores } from '../../functions/adapters/dynamo/index.ts';
import { issueAppToken } from '../../functions/core/auth/app-tokens.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startSluice, type RunningSluice } from '../../local/stack.ts';

let sluice: RunningSluice;
let dynamo: DynamoDBClient;
let admin: Svix;
let appA: { id: string; uid: string };
let appB: { id: string; uid: string };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${sluice.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : JSON.parse(text) };
}

async function portalToken(appId: string, body: Json = {}): Promise<string> {
  const res = await call(sluice.adminToken, 'POST', `/auth/app-portal-access/${appId}`, body);
  expect(res.status).toBe(200);
  return res.json.token as string;
}

beforeAll(async () => {
  sluice = await startSluice({ logLevel: 'SILENT' });
  dynamo = new DynamoDBClient({ endpoint: sluice.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  admin = new Svix(sluice.adminToken, { serverUrl: sluice.url });
  const a = await admin.application.create({ name: 'Tenant A', uid: 'tenant-a' });
  const b = await admin.application.create({ name: 'Tenant B', uid: 'tenant-b' });
  appA = { id: a.id, uid: 'tenant-a' };
  appB = { id: b.id, uid: 'tenant-b' };
  await admin.eventType.create({ name: 'invoice.paid', description: 'paid' });
  await admin.endpoint.create(appB.id, { url: 'https://b.example.com/hook', uid: 'b-main' });
  // A's endpoint for the capability tests, made here so each test can run alone.
  await admin.endpoint.create(appA.id, { url: 'https://a.example.com/hook', uid: 'a-main' });
  await admin.message.create(appB.id, { eventType: 'invoice.paid', payload: { b: 1 }, eventId: 'b-evt' });
});

afterAll(async () => {
  dynamo.destroy();
  await sluice.stop();
});

describe('issuing (Svix SDK authentication.appPortalAccess)', () => {
  test('returns {url, token}; the token has no dots and carries the url fragment', async () => {
    const out = await admin.authentication.appPortalAccess(appA.id, { featureFlags: ['beta'] });
    expect(out.token).toMatch(/^sluice_app_[A-Za-z0-9_-]{43}$/);
    // The portal page beside the API; the token only in the fragment (see functions/api/portal-link.ts).
    const url = new URL(out.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${sluice.url}/portal`);
    expect(url.search).toBe('');
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect(fragment.get('key')).toBe(out.token);
    expect(fragment.get('app')).toBe(appA.id);
    expect(fragment.get('ff')).toBe('beta');
  });

  test('by uid, and with `application` for an app that does not exist yet', async () => {
    expect(await portalToken(appA.uid)).toMatch(/^sluice_app_/);
    const created = await call(sluice.adminToken, 'POST', '/auth/app-portal-access/tenant-c', { application: { name: 'Tenant C' } });
    expect(created.status).toBe(200);
    expect((await admin.application.get('tenant-c')).name).toBe('Tenant C');
    expect((await call(sluice.adminToken, 'POST', '/auth/app-portal-access/nope', {})).status).toBe(404);
  });

  test('validates expiry (1 h to 7 days) and capabilities', async () => {
    for (const body of [{ expiry: 60 }, { expiry: 700_000 }, { capabilities: ['Everything'] }, { readOnly: 'yes' }]) {
      expect((await call(sluice.adminToken, 'POST', `/auth/app-portal-access/${appA.id}`, body)).status).toBe(422);
    }
  });

  test('a token is valid for 7 days unless `expiry` says otherwise', async () => {
    const expiryOf = async (token: string): Promise<number> => {
      const hash = createHash('sha256').update(token).digest('hex');
      const items = (await dynamo.send(new ScanCommand({ TableName: sluice.tableName }))).Items ?? [];
      return Date.parse(items.find((i) => i.pk?.S === `TOKEN#${hash}`)!.expiry!.S!);
    };
    const before = Date.now();
    const byDefault = await expiryOf(await portalToken(appA.id));
    const oneHour = await expiryOf(await portalToken(appA.id, { expiry: 3_600 }));
    const after = Date.now();
    expect(byDefault).toBeGreaterThanOrEqual(before + 7 * 86_400_000 - 1_000);
    expect(byDefault).toBeLessThanOrEqual(after + 7 * 86_400_000);
    expect(oneHour).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000);
    expect(oneHour).toBeLessThanOrEqual(after + 3_600_000);
  });

  test('only the sha256 of a token is stored', async () => {
    const token = await portalToken(appA.id);
    const items = (await dynamo.send(new ScanCommand({ TableName: sluice.tableName }))).Items ?? [];
    expect(JSON.stringify(items)).not.toContain(token);
    const hash = createHash('sha256').update(token).digest('hex');
    expect(items.some((i) => i.pk?.S === `TOKEN#${hash}` && i.appId?.S === appA.id)).toBe(true);
  });
});

describe('a token for application A', () => {
  let token: string;
  let sdk: Svix;
  beforeAll(async () => {
    token = await portalToken(appA.id);
    sdk = new Svix(token, { serverUrl: sluice.url });
  });

  test('manages A through the SDK, by id or uid', async () => {
    const ep = await sdk.endpoint.create(appA.id, { url: 'https://a.example.com/managed', uid: 'a-managed' });
    expect((await sdk.endpoint.list(appA.uid)).data.map((e) => e.id)).toContain(ep.id);
    expect((await sdk.endpoint.getSecret(appA.id, 'a-managed')).key).toMatch(/^whsec_/);
    await sdk.endpoint.patch(appA.id, ep.id, { description: 'changed' });
    expect((await sdk.application.get(appA.uid)).id).toBe(appA.id);
    expect((await sdk.message.list(appA.id)).data).toEqual([]);
    expect((await sdk.eventType.list()).data.map((e) => e.name)).toContain('invoice.paid');
  });

  const crossApp = (app: string): [string, string, unknown?][] => [
    ['GET', `/app/${app}`],
    ['GET', `/app/${app}/endpoint`],
    ['POST', `/app/${app}/endpoint`, { url: 'https://evil.example/' }],
    ['GET', `/app/${app}/endpoint/b-main`],
    ['PUT', `/app/${app}/endpoint/b-main`, { url: 'https://evil.example/' }],
    ['PATCH', `/app/${app}/endpoint/b-main`, { url: 'https://evil.example/' }],
    ['DELETE', `/app/${app}/endpoint/b-main`],
    ['GET', `/app/${app}/endpoint/b-main/secret`],
    ['POST', `/app/${app}/endpoint/b-main/secret/rotate`, {}],
    ['POST', `/app/${app}/endpoint/b-main/recover`, { since: new Date(Date.now() - 3_600_000).toISOString() }],
    ['GET', `/app/${app}/msg`],
    ['GET', `/app/${app}/msg/b-evt`],
    ['POST', `/app/${app}/msg/b-evt/endpoint/b-main/resend`],
    ['GET', `/app/${app}/attempt/endpoint/b-main`],
    ['GET', `/app/${app}/attempt/msg/b-evt`],
  ];

  test.each([
    ['B by id', () => appB.id],
    ['B by uid', () => appB.uid],
    ['an application that does not exist', () => 'app_2ZZZZZZZZZZZZZZZZZZZZZZZZZZ'],
    ['a uid that does not exist', () => 'tenant-zzz'],
  ])('every route on %s: 404, indistinguishable from a missing application', async (_label, app) => {
    for (const [method, path, body] of crossApp(app())) {
      const res = await call(token, method, path, body);
      expect([method, path, res.status, res.json]).toEqual([method, path, 404, { code: 'not_found', detail: 'Entity not found' }]);
    }
    // B is untouched.
    expect((await admin.endpoint.get(appB.id, 'b-main')).url).toBe('https://b.example.com/hook');
  });

  test('organisation-level calls: 403 insufficient_access', async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', '/app'],
      ['POST', '/app', { name: 'Mine now' }],
      ['PUT', `/app/${appA.id}`, { name: 'Renamed' }],
      ['PATCH', `/app/${appA.id}`, { name: 'Renamed' }],
      ['DELETE', `/app/${appA.id}`],
      ['POST', `/app/${appA.id}/msg`, { eventType: 'invoice.paid', payload: {} }],
      ['POST', '/event-type', { name: 'evil.type', description: 'x' }],
      ['PUT', '/event-type/invoice.paid', { description: 'x' }],
      ['PATCH', '/event-type/invoice.paid', { description: 'x' }],
      ['DELETE', '/event-type/invoice.paid'],
      ['POST', `/auth/app-portal-access/${appA.id}`, {}],
      ['POST', `/auth/app-portal-access/${appB.id}`, {}],
      ['POST', `/auth/app/${appA.id}/expire-all`, {}],
    ];
    for (const [method, path, body] of calls) {
      const res = await call(token, method, path, body);
      expect([method, path, res.status, res.json.code]).toEqual([method, path, 403, 'insufficient_access']);
    }
    expect((await admin.application.get(appA.id)).name).toBe('Tenant A');
  });
});

describe('capabilities, readOnly, expiry and revocation', () => {
  test('readOnly: reads work, every write is 403', async () => {
    const token = await portalToken(appA.id, { readOnly: true });
    expect((await call(token, 'GET', `/app/${appA.id}/endpoint`)).status).toBe(200);
    expect((await call(token, 'GET', `/app/${appA.id}/endpoint/a-main/secret`)).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', `/app/${appA.id}/endpoint`, { url: 'https://a.example.com/2' }],
      ['PATCH', `/app/${appA.id}/endpoint/a-main`, { description: 'x' }],
      ['DELETE', `/app/${appA.id}/endpoint/a-main`],
      ['POST', `/app/${appA.id}/endpoint/a-main/secret/rotate`, {}],
      ['POST', `/app/${appA.id}/endpoint/a-main/recover`, { since: new Date().toISOString() }],
    ] as [string, string, unknown?][]) {
      expect([method, path, (await call(token, method, path, body)).status]).toEqual([method, path, 403]);
    }
  });

  test('ViewBase only: no secret', async () => {
    const token = await portalToken(appA.id, { capabilities: ['ViewBase'] });
    expect((await call(token, 'GET', `/app/${appA.id}/endpoint/a-main`)).status).toBe(200);
    expect((await call(token, 'GET', `/app/${appA.id}/endpoint/a-main/secret`)).status).toBe(403);
  });

  test('an expired token, an unknown one and a forged one are 401', async () => {
    const stores = createDynamoStores(dynamo, sluice.tableName);
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    const { token } = await issueAppToken(stores, appA.id, { expirySeconds: 3_600, capabilities: null, readOnly: false, featureFlags: [], sessionId: null }, twoHoursAgo);
    for (const t of [token, 'sluice_app_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', `${token.slice(0, -1)}x`]) {
      expect(await call(t, 'GET', `/app/${appA.id}/endpoint`)).toEqual({ status: 401, json: { code: 'authentication_failed', detail: 'Invalid token' } });
    }
  });

  test('logout (SDK authentication.logout) revokes the calling token only; the admin token cannot log out', async () => {
    const [one, two] = [await portalToken(appA.id), await portalToken(appA.id)];
    await new Svix(one, { serverUrl: sluice.url }).authentication.logout();
    expect((await call(one, 'GET', `/app/${appA.id}`)).status).toBe(401);
    expect((await call(two, 'GET', `/app/${appA.id}`)).status).toBe(200);
    expect((await call(sluice.adminToken, 'POST', '/auth/logout')).status).toBe(403);
    expect((await call(sluice.adminToken, 'GET', '/app')).status).toBe(200);
  });

  test('expire-all (SDK authentication.expireAll), optionally by session id', async () => {
    const s1 = await portalToken(appA.id, { sessionId: 's1' });
    const s2 = await portalToken(appA.id, { sessionId: 's2' });
    const onB = await portalToken(appB.id, { sessionId: 's1' });
    await admin.authentication.expireAll(appA.id, { sessionIds: ['s1'] });
    expect((await call(s1, 'GET', `/app/${appA.id}`)).status).toBe(401);
    expect((await call(s2, 'GET', `/app/${appA.id}`)).status).toBe(200);
    expect((await call(onB, 'GET', `/app/${appB.id}`)).status).toBe(200);
    await admin.authentication.expireAll(appA.uid);
    expect((await call(s2, 'GET', `/app/${appA.id}`)).status).toBe(401);
  });
});
