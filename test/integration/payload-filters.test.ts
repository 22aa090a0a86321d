/**
 * Payload filters end to end on the local stack (API front, fan-out and delivery pollers, DynamoDB
 * Local, fauxqs): endpoints with filters receive exactly the messages their filter lets through at a
 * real receiver, messages being published with the `svix` SDK. Endpoints with a filter are created
 * over plain HTTP (the SDK's EndpointIn has no `filter` field, and drops unknown ones); the SDK still
 * reads them. Also: the 422 locations, PATCH null clearing, the filter test operation, and the
 * routing explanation.
 */
import { Svix } from 'svix';
import { startSluice } from '../../local/stack.ts';
import { eventually, startReceiver, type Receiver } from '../support/receiver.ts';

type Sluice = Awaited<ReturnType<typeof startSluice>>;
type Json = Record<string, unknown>;

let sluice: Sluice;
let receiver: Receiver;
let svix: Svix;

beforeAll(async () => {
  [sluice, receiver] = await Promise.all([
    startSluice({ port: 0, retryScheduleSeconds: [1, 1, 1], allowPrivateNetworks: true, logLevel: 'SILENT' }),
    startReceiver(),
  ]);
  svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
});

afterAll(async () => {
  await receiver?.close();
  await sluice?.stop();
});

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${sluice.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${sluice.adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Json) };
}

const unique = (): string => Math.random().toString(36).slice(2, 10);

/** Resolves once no queue holds a task (none visible, in flight or delayed). */
async function queuesDrained(): Promise<void> {
  await eventually(async () => {
    const { json } = await api('GET', '/ops/queues');
    const queues = json.data as { visible: number; inFlight: number; delayed: number }[];
    return queues.every((q) => q.visible + q.inFlight + q.delayed === 0) ? true : undefined;
  }, 30_000, 200);
}

const receivedIds = (path: string): string[] =>
  receiver.received.filter((hit) => hit.path === path).map((hit) => String(hit.headers['webhook-id'])).sort();

test('endpoints get exactly the messages their filter lets through', async () => {
  const app = await svix.application.create({ name: 'Filters', uid: `filters-${unique()}` });
  const path = (name: string) => `/${app.id}/${name}`;
  const endpoint = async (name: string, filter?: Json, channels?: string[]) => {
    const created = await api('POST', `/app/${app.id}/endpoint`, { url: `${receiver.url}${path(name)}`, ...(filter ? { filter } : {}), ...(channels ? { channels } : {}) });
    expect(created.status).toBe(201);
    expect(created.json.filter).toEqual(filter ?? null);
    return created.json.id as string;
  };
  await endpoint('plain');
  await endpoint('big', { payload: { amount: [{ numeric: ['>=', 100] }] } });
  await endpoint('eu-vip', { payload: { customer: { region: [{ prefix: 'eu-' }] } } }, ['vip']);
  await endpoint('urgent-or-live', { $or: [{ tags: ['urgent'] }, { payload: { status: [{ 'anything-but': ['draft', 'test'] }] } }] });
  await endpoint('png-orders', { eventType: [{ wildcard: 'order.*' }], payload: { files: { name: [{ suffix: { 'equals-ignore-case': '.png' } }] } } });

  const samples: { eventType: string; payload: Json; channels?: string[]; tags?: string[] }[] = [
    { eventType: 'order.created', payload: { amount: 250, status: 'draft', customer: { region: 'eu-west' }, files: [{ name: 'a.PNG' }] }, channels: ['vip'] },
    { eventType: 'order.created', payload: { amount: 99.5, status: 'live', customer: { region: 'us-east' }, files: [{ name: 'a.pdf' }] }, channels: ['vip'] },
    { eventType: 'invoice.paid', payload: { amount: '500', status: 'test', customer: { region: 'eu-north' }, files: [{ name: 'x.png' }] }, tags: ['urgent'] },
    { eventType: 'order.updated', payload: { amount: 100, customer: [{ region: 'us-west' }, { region: 'eu-south' }], files: [] }, channels: ['vip'] },
  ];
  const ids: string[] = [];
  for (const sample of samples) ids.push((await svix.message.create(app.id, sample)).id);

  await receiver.waitFor(path('plain'), samples.length);
  await queuesDrained();
  const expected = (indexes: number[]) => indexes.map((i) => ids[i]!).sort();
  expect(receivedIds(path('plain'))).toEqual(expected([0, 1, 2, 3]));
  // amount >= 100: 250 and 100 (99.5 is below, "500" is a string and numeric only matches numbers).
  expect(receivedIds(path('big'))).toEqual(expected([0, 3]));
  // channel vip and an eu- region, the second reached through an array of customers.
  expect(receivedIds(path('eu-vip'))).toEqual(expected([0, 3]));
  // tagged urgent, or a status other than draft/test (a message without status has no value: not routed).
  expect(receivedIds(path('urgent-or-live'))).toEqual(expected([1, 2]));
  // an order.* event with a .png file in any casing.
  expect(receivedIds(path('png-orders'))).toEqual(expected([0]));

  // The routing explanation says why, for every endpoint.
  const routing = await api('GET', `/app/${app.id}/msg/${ids[1]}/routing`);
  expect(routing.status).toBe(200);
  expect(routing.json.payloadAvailable).toBe(true);
  const reasons = Object.fromEntries((routing.json.data as { endpointId: string; reason: string | null; routed: boolean }[]).map((r) => [r.endpointId, [r.routed, r.reason]]));
  const endpoints = (await svix.endpoint.list(app.id)).data;
  const byName = (name: string) => endpoints.find((e) => e.url.endsWith(`/${name}`))!.id;
  expect(reasons).toEqual({
    [byName('plain')]: [true, null],
    [byName('big')]: [false, 'filter'],
    [byName('eu-vip')]: [false, 'filter'],
    [byName('urgent-or-live')]: [true, null],
    [byName('png-orders')]: [false, 'filter'],
  });
  const noChannel = await api('GET', `/app/${app.id}/msg/${ids[2]}/routing`);
  expect((noChannel.json.data as { endpointId: string; reason: string | null }[]).find((r) => r.endpointId === byName('eu-vip'))?.reason).toBe('channels');

  // Resend skips filters, as it skips event-type and channel filters.
  await svix.messageAttempt.resend(app.id, ids[1]!, byName('big'));
  await receiver.waitFor(path('big'), 3);
}, 120_000);

test('invalid filters are a 422 located inside the filter; PATCH null clears; PUT without one removes it', async () => {
  const app = await svix.application.create({ name: 'Filter 422', uid: `filter-422-${unique()}` });
  const url = `${receiver.url}/${app.id}/unused`;
  const bad = await api('POST', `/app/${app.id}/endpoint`, { url, filter: { payload: { amount: [{ numeric: ['>', 'zero'] }] } } });
  expect(bad.status).toBe(422);
  expect(bad.json.detail).toEqual([{ loc: ['body', 'filter', 'payload', 'amount', 0, 'numeric', 1], msg: 'must be a number', type: 'value_error.filter' }]);
  const notObject = await api('POST', `/app/${app.id}/endpoint`, { url, filter: ['x'] });
  expect(notObject.status).toBe(422);
  expect((notObject.json.detail as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'filter']);
  const huge = await api('POST', `/app/${app.id}/endpoint`, { url, filter: { payload: { s: ['x'.repeat(5_000)] } } });
  expect(huge.status).toBe(422);

  const filter = { payload: { ok: [true] } };
  const created = await api('POST', `/app/${app.id}/endpoint`, { url, filter });
  expect(created.status).toBe(201);
  const id = created.json.id as string;
  const patchBad = await api('PATCH', `/app/${app.id}/endpoint/${id}`, { filter: { payload: { s: [{ wildcard: 'a**' }] } } });
  expect(patchBad.status).toBe(422);
  expect((patchBad.json.detail as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'filter', 'payload', 's', 0, 'wildcard']);
  // A PATCH that leaves `filter` out keeps it (the SDK's patch sends no filter field).
  await svix.endpoint.patch(app.id, id, { description: 'kept' });
  expect((await api('GET', `/app/${app.id}/endpoint/${id}`)).json.filter).toEqual(filter);
  const cleared = await api('PATCH', `/app/${app.id}/endpoint/${id}`, { filter: null });
  expect(cleared.status).toBe(200);
  expect(cleared.json.filter).toBeNull();
  await api('PATCH', `/app/${app.id}/endpoint/${id}`, { filter });
  const put = await api('PUT', `/app/${app.id}/endpoint/${id}`, { url });
  expect(put.json.filter).toBeNull();
});

test('POST /filter/test evaluates a filter against a sample message', async () => {
  const filter = { eventType: ['invoice.paid'], payload: { amount: [{ numeric: ['>', 0, '<=', 5] }] } };
  const yes = await api('POST', '/filter/test', { filter, message: { eventType: 'invoice.paid', payload: { amount: 5 } } });
  expect(yes).toEqual({ status: 200, json: { matches: true } });
  const no = await api('POST', '/filter/test', { filter, message: { eventType: 'invoice.paid', payload: { amount: 6 } } });
  expect(no).toEqual({ status: 200, json: { matches: false } });
  const tagged = await api('POST', '/filter/test', { filter: { tags: ['a'], channels: [{ exists: false }] }, message: { eventType: 'x', payload: {}, tags: ['a'] } });
  expect(tagged.json).toEqual({ matches: true });
  const invalid = await api('POST', '/filter/test', { filter: { payload: { a: [{ regex: 'x' }] } }, message: { eventType: 'x', payload: {} } });
  expect(invalid.status).toBe(422);
  expect((invalid.json.detail as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'filter', 'payload', 'a', 0, 'regex']);
  const noMessage = await api('POST', '/filter/test', { filter });
  expect(noMessage.status).toBe(422);
  expect((noMessage.json.detail as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'message']);
});
