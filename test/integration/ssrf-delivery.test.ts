/**
 * The SSRF policy end to end, in the embedded stack run with the AWS defaults (private networks NOT
 * allowed) and one allow-listed loopback address: the API refuses private IP literals in any notation
 * with a 422 at ["body","url"] (POST, PUT and PATCH), and a host name that resolves to a refused
 * address is not contacted at delivery: the attempt is recorded as failed, status code 0, with the
 * reason. A fake resolver gives the names their answers, so nothing leaves 127.0.0.1.
 */
import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSluice, type RunningSluice } from '../../local/stack.ts';

let sluice: RunningSluice;
let trap: Server;
let allowed: Server;
let trapPort: number;
let allowedPort: number;
let trapHits = 0;
let allowedHits = 0;

/** evil → 127.0.0.1 (loopback: refused); good → 127.0.0.2 (the allow-listed address). */
const DNS: Record<string, LookupAddress[]> = {
  'hooks.evil.test': [{ address: '127.0.0.1', family: 4 }],
  'mixed.evil.test': [{ address: '127.0.0.2', family: 4 }, { address: '127.0.0.1', family: 4 }],
  'hooks.good.test': [{ address: '127.0.0.2', family: 4 }],
};

async function listen(server: Server, host: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  trap = createServer((req, res) => {
    trapHits++;
    req.resume();
    res.writeHead(200).end();
  });
  allowed = createServer((req, res) => {
    allowedHits++;
    req.resume();
    res.writeHead(204).end();
  });
  [trapPort, allowedPort] = await Promise.all([listen(trap, '127.0.0.1'), listen(allowed, '127.0.0.2')]);
  sluice = await startSluice({
    logLevel: 'SILENT',
    allowPrivateNetworks: false,
    allowedSubnets: ['127.0.0.2/32'],
    retryScheduleSeconds: [600],
    resolveAll: async (hostname) => {
      const answer = DNS[hostname];
      if (answer === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return answer;
    },
  });
});

afterAll(async () => {
  await sluice.stop();
  await Promise.all([trap, allowed].map((s) => new Promise((resolve) => s.close(resolve))));
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${sluice.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${sluice.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : JSON.parse(text) };
}

async function attemptsOf(appId: string, endpointId: string, count: number): Promise<Json[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const list = await api('GET', `/app/${appId}/attempt/endpoint/${endpointId}`);
    if (list.json.data?.length >= count || Date.now() > deadline) return list.json.data ?? [];
    await new Promise((r) => setTimeout(r, 100));
  }
}

let appId: string;
beforeAll(async () => {
  appId = (await api('POST', '/app', { name: 'Victim' })).json.id;
});

describe('the API refuses private IP literals (422 at ["body","url"])', () => {
  const literals = (): string[] => [
    `http://127.0.0.1:${trapPort}/`,
    `http://2130706433:${trapPort}/`,
    `http://0x7f000001:${trapPort}/`,
    `http://0177.0.0.1:${trapPort}/`,
    `http://127.1:${trapPort}/`,
    `http://[::1]:${trapPort}/`,
    `http://[::ffff:127.0.0.1]:${trapPort}/`,
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'http://10.0.0.5/',
    'http://localhost/',
  ];

  test('POST …/endpoint', async () => {
    for (const url of literals()) {
      const res = await api('POST', `/app/${appId}/endpoint`, { url });
      expect(res.status).toBe(422);
      expect(res.json.detail[0]).toMatchObject({ loc: ['body', 'url'], type: 'value_error.url' });
      expect(res.json.detail[0].msg).toMatch(/not a public address/);
    }
  });

  test('PUT and PATCH …/endpoint/{id}', async () => {
    const ep = await api('POST', `/app/${appId}/endpoint`, { url: 'https://hooks.example.com/a', uid: 'put-patch' });
    expect(ep.status).toBe(201);
    for (const url of literals()) {
      const put = await api('PUT', `/app/${appId}/endpoint/put-patch`, { url });
      expect([put.status, put.json.detail?.[0]?.loc]).toEqual([422, ['body', 'url']]);
      const patch = await api('PATCH', `/app/${appId}/endpoint/put-patch`, { url });
      expect([patch.status, patch.json.detail?.[0]?.loc]).toEqual([422, ['body', 'url']]);
    }
    // The endpoint kept its URL.
    expect((await api('GET', `/app/${appId}/endpoint/put-patch`)).json.url).toBe('https://hooks.example.com/a');
  });

  test('an allow-listed literal is accepted', async () => {
    expect((await api('POST', `/app/${appId}/endpoint`, { url: `http://127.0.0.2:${allowedPort}/` })).status).toBe(201);
  });
});

describe('delivery', () => {
  test.each([
    ['a name that resolves to loopback', 'hooks.evil.test'],
    ['a name that resolves to an allowed and a refused address', 'mixed.evil.test'],
  ])('%s: a failed attempt with the reason, nothing sent', async (_label, host) => {
    const app = (await api('POST', '/app', { name: host })).json.id as string;
    const ep = await api('POST', `/app/${app}/endpoint`, { url: `http://${host}:${trapPort}/hook` });
    expect(ep.status).toBe(201);
    expect((await api('POST', `/app/${app}/msg`, { eventType: 'x.y', payload: { secret: 'internal' } })).status).toBe(202);
    const [attempt] = await attemptsOf(app, ep.json.id, 1);
    expect(attempt).toMatchObject({ responseStatusCode: 0, status: 2, statusText: 'fail' });
    expect(attempt!.response).toMatch(/^Destination address not allowed \(SLUICE_ADDRESS_REFUSED\): .*127\.0\.0\.1 is refused/);
    expect(trapHits).toBe(0);
  });

  test('a name that resolves to the allow-listed address is delivered', async () => {
    const app = (await api('POST', '/app', { name: 'Good' })).json.id as string;
    const ep = await api('POST', `/app/${app}/endpoint`, { url: `http://hooks.good.test:${allowedPort}/hook` });
    await api('POST', `/app/${app}/msg`, { eventType: 'x.y', payload: { ok: true } });
    const [attempt] = await attemptsOf(app, ep.json.id, 1);
    expect(attempt).toMatchObject({ responseStatusCode: 204, status: 0 });
    expect(allowedHits).toBe(1);
  });
});
