/**
 * Shared by the conformance ports of Svix's server e2e tests (attempt/endpoint/message): the local
 * stack, a JSON client over HTTP with the admin token that asserts the status as Svix's tests do,
 * and receivers on 127.0.0.1 whose status and body can be changed mid-test (Svix's TestReceiver).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSluice } from '../../local/stack.ts';
import { createSvixOpenApiValidator } from '../support/svix-openapi-validator.ts';

export type Sluice = Awaited<ReturnType<typeof startSluice>>;
/** A JSON answer, read field by field as Svix's tests do (the contract is the JSON, not a TS type). */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function startStack(retryScheduleSeconds: number[]): Promise<Sluice> {
  return startSluice({ port: 0, retryScheduleSeconds, allowPrivateNetworks: true, logLevel: 'SILENT' });
}

export interface Client {
  call(method: string, path: string, status: number, body?: unknown): Promise<Json>;
  get(path: string, status?: number): Promise<Json>;
  post(path: string, body: unknown, status: number): Promise<Json>;
}

const contract = createSvixOpenApiValidator();

/**
 * `path` is below /api/v1; a trailing slash (Svix's tests write them) is kept, as Sluice ignores it.
 * Every success is also checked against Svix's OpenAPI document (../shared/svix-openapi.json), so a
 * case passes only when the body has the contract's shape too.
 */
export function client(sluice: Sluice): Client {
  async function call(method: string, path: string, status: number, body?: unknown): Promise<Json> {
    const res = await fetch(`${sluice.url}/api/v1/${path.replace(/^\//, '')}`, {
      method,
      headers: { authorization: `Bearer ${sluice.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${res.status} ${text.slice(0, 500)}`);
    const [route = '', query] = path.split('?');
    const documented = `/api/v1/${route.replace(/^\//, '').replace(/\/$/, '')}${query === undefined ? '' : `?${query}`}`;
    // Successes only: Svix's own server answers statuses its document leaves out (400 on rotate-max and
    // stats, which these tests expect), and background tasks are only in the cloud's document.
    const checked = res.status < 300 && contract.operationFor(method, documented) !== undefined;
    const { problems } = checked ? contract.check(method, documented, res.status, text) : { problems: [] };
    if (problems.length > 0) throw new Error(`${method} ${path} → ${res.status}: not the contract's shape: ${problems.join('; ')}`);
    return text === '' ? undefined : JSON.parse(text);
  }
  return { call, get: (path, status = 200) => call('GET', path, status), post: (path, body, status) => call('POST', path, status, body) };
}

export interface TestReceiver {
  endpoint: string;
  status: number;
  /** When set, answers the n-th request (0-based) with this status instead of `status`. */
  statusFor?: (n: number) => number;
  body: string;
  bodies: unknown[];
  headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function testReceiver(status = 200, body = ''): Promise<TestReceiver> {
  const receiver: TestReceiver = { endpoint: '', status, body, bodies: [], headers: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const n = receiver.bodies.length;
      receiver.bodies.push(text === '' ? null : JSON.parse(text));
      receiver.headers.push(req.headers);
      res.writeHead(receiver.statusFor?.(n) ?? receiver.status, { 'content-type': 'application/json' }).end(receiver.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  receiver.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return receiver;
}

/**
 * One stack for a test file (started in beforeAll, stopped in afterAll with every receiver made
 * through it): `api` is usable from the tests once beforeAll has run.
 */
export function conformanceStack(retryScheduleSeconds: number[] = [0]): {
  api: Client;
  receiver: (status?: number, body?: string) => Promise<TestReceiver>;
} {
  let live: Client | undefined;
  let sluice: Sluice | undefined;
  const receivers: TestReceiver[] = [];
  beforeAll(async () => {
    sluice = await startStack(retryScheduleSeconds);
    live = client(sluice);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await sluice?.stop();
  });
  const started = (): Client => {
    if (live === undefined) throw new Error('conformanceStack: the stack is not started (use api inside tests)');
    return live;
  };
  return {
    api: {
      call: (...args) => started().call(...args),
      get: (...args) => started().get(...args),
      post: (...args) => started().post(...args),
    },
    receiver: async (status = 200, body = '') => {
      const r = await testReceiver(status, body);
      receivers.push(r);
      return r;
    },
  };
}

/** Svix's run_with_retries: polls until `probe` stops throwing (20 s here: a loaded 2-core machine). */
export async function withRetries<T>(probe: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export const unique = (): string => Math.random().toString(36).slice(2, 10);

/** Svix's common_calls: an app, an endpoint, a message of type event.type. */
export const createApp = (c: Client, name: string): Promise<{ id: string }> => c.post('app/', { name }, 201);
export const createEndpoint = (c: Client, appId: string, url: string, extra: object = {}): Promise<{ id: string }> =>
  c.post(`app/${appId}/endpoint/`, { url, version: 1, ...extra }, 201);
export const createMessage = (c: Client, appId: string, payload: object, eventType = 'event.type', channels?: string[]): Promise<Json> =>
  c.post(`app/${appId}/msg/`, { eventType, payload, ...(channels === undefined ? {} : { channels }) }, 202);

export function expectLength(list: { data: unknown[] }, n: number): void {
  if (list.data.length !== n) throw new Error(`list len ${list.data.length}, not ${n}`);
}
