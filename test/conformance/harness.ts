/**
 * What the conformance suites share: a local stack (the real front, handlers, pollers and emulators),
 * raw HTTP calls as any client makes them, and the real `svix` SDK pointed at it.
 */
import { Svix } from 'svix';
import { startSluice, type RunningSluice, type SluiceOptions } from '../../local/stack.ts';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  body: unknown;
}

export interface HttpOptions {
  /** Serialised as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
  /** Default: the stack's admin token; null sends no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface Conformance {
  sluice: RunningSluice;
  svix: Svix;
  /** `path` below the server root, e.g. `/api/v1/app`. */
  http(method: string, path: string, options?: HttpOptions): Promise<HttpAnswer>;
  svixFor(token: string): Svix;
  stop(): Promise<void>;
}

export async function startConformance(options: SluiceOptions = {}): Promise<Conformance> {
  const sluice = await startSluice({ port: 0, retryScheduleSeconds: [1, 1], allowPrivateNetworks: true, logLevel: 'ERROR', ...options });
  const http = async (method: string, path: string, o: HttpOptions = {}): Promise<HttpAnswer> => {
    const headers: Record<string, string> = { ...o.headers };
    const token = o.token === undefined ? sluice.adminToken : o.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = o.raw;
    if (body === undefined && o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${sluice.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
  const svixFor = (token: string): Svix => new Svix(token, { serverUrl: sluice.url });
  return { sluice, svix: svixFor(sluice.adminToken), http, svixFor, stop: () => sluice.stop() };
}

export const unique = (): string => Math.random().toString(36).slice(2, 10);

/** Calls `fn` until it stops throwing (eventual reads: attempts, queued deliveries). */
export async function retrying<T>(fn: () => Promise<T>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

/** Expects `answer` to have `status`; the failure shows the body. */
export function expectStatus(answer: HttpAnswer, status: number): HttpAnswer {
  expect({ status: answer.status, body: answer.body ?? answer.text }).toMatchObject({ status });
  return answer;
}

interface ListPage {
  data: unknown[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

/**
 * Svix's shared list checks (common_test_list in its e2e utils), over HTTP: ten items created one by
 * one, then limits, `done`, iterator and prevIterator paging, a malformed iterator (422), the opposite
 * order when the list has one, and the limit cap (250; 300 is a 422). The store must hold no other
 * items of this kind.
 */
export async function commonListChecks(
  c: Conformance,
  path: string,
  body: (i: number) => unknown,
  options: { sortAscending: boolean; reversible: boolean },
): Promise<void> {
  const items: unknown[] = [];
  for (let i = 0; i < 10; i++) items.push(expectStatus(await c.http('POST', path, { body: body(i) }), 201).body);
  const get = async (query: string): Promise<ListPage> => expectStatus(await c.http('GET', `${path}?${query}`), 200).body as ListPage;

  const original = await get('with_content=true');
  expect(original.data).toHaveLength(10);
  expect(original.data).toEqual(options.sortAscending ? items : [...items].reverse());

  const one = await get('limit=1');
  expect(one.data).toHaveLength(1);
  expect(one.done).toBe(false);
  for (const limit of [50, 10]) {
    const page = await get(`limit=${limit}`);
    expect(page.data).toHaveLength(10);
    expect(page.done).toBe(true);
  }
  const six = await get('limit=6');
  expect(six.data).toHaveLength(6);
  expect(six.done).toBe(false);
  const rest = await get(`limit=6&iterator=${encodeURIComponent(six.iterator!)}`);
  expect(rest.data).toHaveLength(4);
  expect(rest.done).toBe(true);
  const previous = await get(`limit=3&iterator=${encodeURIComponent(rest.prevIterator!)}`);
  expect(previous.data).toHaveLength(3);
  expect(previous.data[0]).toEqual(original.data[3]);

  expectStatus(await c.http('GET', `${path}?limit=6&iterator=${encodeURIComponent('BAD-$$$ITERATOR')}`), 422);

  if (options.reversible) {
    const opposite = options.sortAscending ? 'descending' : 'ascending';
    const first = await get(`limit=3&order=${opposite}`);
    const second = await get(`limit=3&order=${opposite}&iterator=${encodeURIComponent(first.iterator!)}`);
    const back = await get(`limit=3&order=${opposite}&iterator=${encodeURIComponent(second.prevIterator!)}`);
    for (let i = 0; i < 3; i++) {
      expect(first.data[i]).toEqual(original.data[9 - i]);
      expect(second.data[i]).toEqual(original.data[6 - i]);
      expect(back.data[i]).toEqual(original.data[9 - i]);
    }
  }

  for (let i = 10; i < 251; i++) expectStatus(await c.http('POST', path, { body: body(i) }), 201);
  // Sluice's limits are hard, as Svix allows: over 250 is a 422 (a soft cap would answer 250 items).
  expectStatus(await c.http('GET', `${path}?limit=300`), 422);
  expect((await get('limit=250')).data).toHaveLength(250);
}

/** Empties the stack of applications and event types, as a fresh Svix organisation starts. */
export async function freshOrganisation(c: Conformance): Promise<void> {
  for (;;) {
    const apps = expectStatus(await c.http('GET', '/api/v1/app?limit=250'), 200).body as ListPage;
    if (apps.data.length === 0) break;
    for (const app of apps.data as { id: string }[]) expectStatus(await c.http('DELETE', `/api/v1/app/${app.id}`), 204);
  }
  for (;;) {
    const types = expectStatus(await c.http('GET', '/api/v1/event-type?limit=250&include_archived=true'), 200).body as ListPage;
    if (types.data.length === 0) break;
    for (const et of types.data as { name: string }[]) expectStatus(await c.http('DELETE', `/api/v1/event-type/${et.name}?expunge=true`), 204);
  }
}
