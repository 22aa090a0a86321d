/**
 * Messages, attempt logs, resend, recover and idempotency through the api handler, over real
 * stores (DynamoDB Local) and real queues (fauxqs).
 */
import { createHash } from 'node:crypto';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { keyOf } from '../../functions/adapters/dynamo/codec.ts';
import { TTL, key as dynamoKey } from '../../functions/adapters/dynamo/keys.ts';
import { createSqsFanoutQueue } from '../../functions/adapters/sqs/queues.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { createApiHandler } from '../../functions/api/handler.ts';
import { idempotencyStoreKey } from '../../functions/api/middleware/idempotency.ts';
import { newId } from '../../functions/core/ids.ts';
import type { Message } from '../../functions/core/model.ts';
import { TEST_TOKEN, call } from '../support/api-event.ts';
import { startApiHarness, unique, type ApiHarness } from './api-fixtures.ts';
import { anAttempt } from './dynamo-fixtures.ts';

let h: ApiHarness;
let appId: string;
let endpointId: string;
const type = `invoice.paid-${unique()}`;

beforeAll(async () => {
  h = await startApiHarness();
  appId = (await h.api('POST', '/app', { body: { name: 'Messages', uid: `msgs-${unique()}` } })).body.id;
  await h.api('POST', '/event-type', { body: { name: type, description: 'paid' } });
  endpointId = (await h.api('POST', `/app/${appId}/endpoint`, { body: { url: 'https://e.com/h', uid: 'main' } })).body.id;
});

afterAll(async () => {
  await h?.stop();
});

beforeEach(async () => {
  await h.drain(h.queues.fanout);
  await h.drain(h.queues.delivery);
});

const publish = (body: Record<string, unknown>, options: { query?: Record<string, string>; idempotencyKey?: string } = {}) =>
  h.api('POST', `/app/${appId}/msg`, { body: { eventType: type, payload: { n: 1 }, ...body }, ...options });

describe('message.create', () => {
  it('202 with the payload (no with_content), stores it, queues one fan-out task', async () => {
    const result = await publish({ eventId: `evt-${unique()}`, channels: ['p1'], tags: ['t1'] });
    expect(result.status).toBe(202);
    expect(result.body).toMatchObject({ eventType: type, payload: { n: 1 }, channels: ['p1'], tags: ['t1'], deliverAt: null });
    expect(result.body.id).toMatch(/^msg_[0-9A-Za-z]{27}$/);
    expect(result.body.timestamp).toMatch(/Z$/);
    expect(await h.drain(h.queues.fanout)).toEqual([{ kind: 'message', appId, msgId: result.body.id, eventType: type, channels: ['p1'] }]);
    const stored = await h.dynamo.stores.messages.get(appId, result.body.id);
    expect(stored?.payload).toEqual({ n: 1 });
  });

  it('with_content=false returns payload {}', async () => {
    const result = await publish({}, { query: { with_content: 'false' } });
    expect(result.body.payload).toEqual({});
  });

  it('a bad with_content is a 422 before anything is published: no message, no fan-out task', async () => {
    const eventId = `evt-${unique()}`;
    const result = await publish({ eventId }, { query: { with_content: 'maybe' } });
    expect(result.status).toBe(422);
    expect(result.body.detail[0].loc).toEqual(['query', 'with_content']);
    expect(await h.drain(h.queues.fanout)).toEqual([]);
    expect(await h.dynamo.stores.messages.get(appId, eventId)).toBeUndefined();
  });

  it('duplicate eventId → 409, and only one fan-out task', async () => {
    const eventId = `evt-${unique()}`;
    expect((await publish({ eventId })).status).toBe(202);
    expect(await publish({ eventId })).toMatchObject({ status: 409, body: { code: 'conflict' } });
    expect(await h.drain(h.queues.fanout)).toHaveLength(1);
  });

  it('422s: payload not an object, bad eventType, too many channels', async () => {
    expect((await publish({ payload: [1] })).body.detail[0].loc).toEqual(['body', 'payload']);
    expect((await publish({ eventType: 'a b' })).status).toBe(422);
    const channels = Array.from({ length: 11 }, (_, i) => `c${i}`);
    expect((await publish({ channels })).body.detail[0].loc).toEqual(['body', 'channels']);
  });

  it('unknown app → 404, unless `application` creates it (uid = path)', async () => {
    const uid = `auto-${unique()}`;
    const body = { eventType: type, payload: {} };
    expect((await h.api('POST', `/app/${uid}/msg`, { body })).status).toBe(404);
    const made = await h.api('POST', `/app/${uid}/msg`, { body: { ...body, application: { name: 'Auto' } } });
    expect(made.status).toBe(202);
    const app = await h.api('GET', `/app/${uid}`);
    expect(app.body).toMatchObject({ name: 'Auto', uid });
    const again = await h.api('POST', `/app/${uid}/msg`, { body: { ...body, application: { name: 'Ignored' } } });
    expect(again.status).toBe(202);
    expect((await h.api('GET', `/app/${uid}`)).body.name).toBe('Auto');
  });
});

describe('message.get and list', () => {
  it('gets by id and by eventId; with_content=false → {}; expired payload → {"expired":true}', async () => {
    const eventId = `evt-${unique()}`;
    const msg = (await publish({ eventId, payload: { secret: 1 } })).body;
    expect((await h.api('GET', `/app/${appId}/msg/${eventId}`)).body).toMatchObject({ id: msg.id, payload: { secret: 1 } });
    expect((await h.api('GET', `/app/${appId}/msg/${msg.id}`, { query: { with_content: 'false' } })).body.payload).toEqual({});
    expect((await h.api('GET', `/app/${appId}/msg/msg_nope`)).status).toBe(404);

    const old: Message = {
      id: newId('message'),
      appId,
      eventType: type,
      payload: { gone: true },
      eventId: null,
      channels: null,
      tags: null,
      timestamp: new Date().toISOString(),
      deliverAt: null,
      payloadExpiresAt: new Date(Date.now() - 1000).toISOString(),
    };
    await h.dynamo.stores.messages.create(old);
    expect((await h.api('GET', `/app/${appId}/msg/${old.id}`)).body.payload).toEqual({ expired: true });
    expect(await h.api('POST', `/app/${appId}/msg/${old.id}/endpoint/${endpointId}/resend`)).toMatchObject({
      status: 400,
      body: { code: 'missing_payload' },
    });
  });

  it('lists newest first with channel, event_types and date filters', async () => {
    const app = (await h.api('POST', '/app', { body: { name: 'L' } })).body.id;
    const send = (body: Record<string, unknown>) =>
      h.api('POST', `/app/${app}/msg`, { body: { eventType: 'a.x', payload: {}, ...body } });
    const m1 = (await send({ channels: ['c1'] })).body;
    const m2 = (await send({ eventType: 'b.y' })).body;
    const m3 = (await send({ channels: ['c1'], tags: ['t'] })).body;
    const ids = (r: { body: { data: { id: string }[] } }) => r.body.data.map((m) => m.id);

    const all = await h.api('GET', `/app/${app}/msg`, { query: { limit: '2', with_content: 'false' } });
    expect(ids(all)).toEqual([m3.id, m2.id]);
    expect(all.body).toMatchObject({ done: false, iterator: m2.id, prevIterator: `-${m3.id}` });
    expect(all.body.data[0].payload).toEqual({});
    const next = await h.api('GET', `/app/${app}/msg`, { query: { limit: '2', iterator: all.body.iterator } });
    expect(next.body).toMatchObject({ done: true, iterator: m1.id });
    expect(ids(next)).toEqual([m1.id]);
    const back = await h.api('GET', `/app/${app}/msg`, { query: { limit: '2', iterator: next.body.prevIterator } });
    expect(ids(back)).toEqual([m3.id, m2.id]);

    expect(ids(await h.api('GET', `/app/${app}/msg`, { query: { channel: 'c1' } }))).toEqual([m3.id, m1.id]);
    expect(ids(await h.api('GET', `/app/${app}/msg`, { query: { event_types: 'b.y,zzz' } }))).toEqual([m2.id]);
    expect(ids(await h.api('GET', `/app/${app}/msg`, { query: { 'event_types[]': ['a.x', 'q'] } }))).toEqual([m3.id, m1.id]);
    expect(ids(await h.api('GET', `/app/${app}/msg`, { query: { tag: 't' } }))).toEqual([m3.id]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(ids(await h.api('GET', `/app/${app}/msg`, { query: { after: future } }))).toEqual([]);
    expect(ids(await h.api('GET', `/app/${app}/msg`, { query: { before: '2020-01-01T00:00:00+00:00' } }))).toEqual([]);
    expect((await h.api('GET', `/app/${app}/msg`, { query: { before: 'yesterday' } })).status).toBe(422);
    const empty = await h.api('GET', `/app/${app}/msg`, { query: { after: future } });
    expect(empty.body).toEqual({ data: [], iterator: null, prevIterator: null, done: true });
  });
});

describe('the event_types filter', () => {
  const types = (n: number, prefix = 't'): string[] => Array.from({ length: n }, (_, i) => `${prefix}.${i}`);

  it('takes up to 100 values, however they are spelled; 101 is a 422', async () => {
    const list = (query: Record<string, string | string[]>) => h.api('GET', `/app/${appId}/msg`, { query });
    const attempts = (query: Record<string, string | string[]>) => h.api('GET', `/app/${appId}/attempt/endpoint/${endpointId}`, { query });
    expect((await list({ event_types: types(100).join(',') })).status).toBe(200);
    expect((await list({ event_types: types(100) })).status).toBe(200);
    expect((await attempts({ event_types: types(100).join(',') })).status).toBe(200);
    const over: Record<string, string | string[]>[] = [
      { event_types: types(101).join(',') },
      { event_types: types(101) },
      { 'event_types[]': types(101) },
      // The two spellings are one list (query.ts merges them), so they share the limit.
      { event_types: types(60, 'a'), 'event_types[]': types(60, 'b') },
    ];
    for (const query of over) {
      const res = await list(query);
      expect([Object.keys(query), res.status, res.body.detail?.[0]?.msg]).toEqual([Object.keys(query), 422, 'must list at most 100 values']);
    }
    expect((await attempts({ event_types: types(101) })).status).toBe(422);
  });
});

describe('attempts', () => {
  it('lists by endpoint and by message with filters, statusText and with_msg', async () => {
    const msg = (await publish({ channels: ['c9'] })).body;
    const stored = (await h.dynamo.stores.messages.get(appId, msg.id))!;
    const fail = anAttempt(stored, endpointId, { status: 2, responseStatusCode: 500, response: 'boom' });
    const ok = anAttempt(stored, endpointId, { status: 0, responseStatusCode: 200, attemptNumber: 2 });
    const status = { appId, msgId: msg.id, endpointId, attempts: 1, lastAttemptAt: fail.timestamp, nextAttemptAt: null };
    await h.dynamo.stores.attempts.record(fail, { ...status, status: 2 });
    await h.dynamo.stores.attempts.record(ok, { ...status, status: 0, attempts: 2 });

    const byEp = await h.api('GET', `/app/${appId}/attempt/endpoint/main`, { query: { with_content: 'false', expanded_statuses: 'true' } });
    expect(byEp.status).toBe(200);
    expect(byEp.body.data.map((a: { id: string }) => a.id)).toEqual([ok.id, fail.id]);
    expect(byEp.body.data[1]).toEqual({
      id: fail.id,
      msgId: msg.id,
      endpointId,
      url: fail.url,
      timestamp: fail.timestamp,
      response: 'boom',
      responseStatusCode: 500,
      responseDurationMs: fail.responseDurationMs,
      status: 2,
      statusText: 'fail',
      triggerType: 0,
    });
    const failed = await h.api('GET', `/app/${appId}/attempt/endpoint/${endpointId}`, { query: { status: '2', with_msg: 'true' } });
    expect(failed.body.data).toHaveLength(1);
    expect(failed.body.data[0].msg).toMatchObject({ id: msg.id, payload: { n: 1 } });
    const by5xx = await h.api('GET', `/app/${appId}/attempt/endpoint/${endpointId}`, { query: { status_code_class: '5' } });
    expect(by5xx.body.data.map((a: { id: string }) => a.id)).toEqual([fail.id]);
    const byChannel = await h.api('GET', `/app/${appId}/attempt/endpoint/${endpointId}`, { query: { channel: 'c9' } });
    expect(byChannel.body.data).toHaveLength(2);

    const byMsg = await h.api('GET', `/app/${appId}/attempt/msg/${msg.id}`, { query: { endpoint_id: 'main', limit: '1' } });
    expect(byMsg.body).toMatchObject({ done: false, iterator: ok.id });
    expect(byMsg.body.data[0].statusText).toBe('success');
    const none = await h.api('GET', `/app/${appId}/attempt/msg/${msg.id}`, { query: { endpoint_id: 'other' } });
    expect(none.body).toEqual({ data: [], iterator: null, prevIterator: null, done: true });
    expect((await h.api('GET', `/app/${appId}/attempt/msg/msg_missing`)).status).toBe(404);
    expect((await h.api('GET', `/app/${appId}/attempt/endpoint/nope`)).status).toBe(404);
    expect((await h.api('GET', `/app/${appId}/attempt/endpoint/${endpointId}`, { query: { status: '9' } })).status).toBe(422);
  });

  it('a bad with_content is a 422 on an empty attempt list too, not only when there are attempts to serialize', async () => {
    const msg = (await publish({})).body;
    const empty = await h.api('GET', `/app/${appId}/attempt/msg/${msg.id}`, { query: { with_content: 'maybe' } });
    expect(empty.status).toBe(422);
    expect(empty.body.detail[0].loc).toEqual(['query', 'with_content']);
  });
});

describe('resend and recover', () => {
  it('resend → 202 {} and one manual delivery task; 404s; disabled endpoint → 202 like Svix (the worker drops it)', async () => {
    const msg = (await publish({})).body;
    const result = await h.api('POST', `/app/${appId}/msg/${msg.id}/endpoint/main/resend`);
    expect(result).toMatchObject({ status: 202, body: {} });
    expect(await h.drain(h.queues.delivery)).toEqual([{ appId, msgId: msg.id, endpointId, triggerType: 1 }]);
    expect((await h.api('POST', `/app/${appId}/msg/msg_nope/endpoint/main/resend`)).status).toBe(404);
    expect((await h.api('POST', `/app/${appId}/msg/${msg.id}/endpoint/nope/resend`)).status).toBe(404);

    const off = (await h.api('POST', `/app/${appId}/endpoint`, { body: { url: 'https://e.com/off', disabled: true } })).body;
    expect(await h.api('POST', `/app/${appId}/msg/${msg.id}/endpoint/${off.id}/resend`)).toMatchObject({ status: 202, body: {} });
    // Queued like any resend; the delivery worker drops a task for a disabled endpoint (nothing sent or logged).
    expect(await h.drain(h.queues.delivery)).toEqual([{ appId, msgId: msg.id, endpointId: off.id, triggerType: 1 }]);
  });

  it('recover → 202 qtask and a recover task on the fan-out queue; bad windows → 422', async () => {
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const result = await h.api('POST', `/app/${appId}/endpoint/main/recover`, { body: { since } });
    expect(result.status).toBe(202);
    expect(result.body).toMatchObject({ status: 'running', task: 'endpoint.recover' });
    expect(result.body.id).toMatch(/^qtask_/);
    const [task] = (await h.drain(h.queues.fanout)) as Record<string, string>[];
    expect(task).toMatchObject({ kind: 'recover', taskId: result.body.id, appId, endpointId, since });
    expect(Date.parse(task!.until!)).toBeGreaterThan(Date.parse(since));

    const tooLong = new Date(Date.now() - 15 * 86_400_000).toISOString();
    expect((await h.api('POST', `/app/${appId}/endpoint/main/recover`, { body: { since: tooLong } })).status).toBe(422);
    const reversed = { since, until: new Date(Date.now() - 7_200_000).toISOString() };
    expect((await h.api('POST', `/app/${appId}/endpoint/main/recover`, { body: reversed })).status).toBe(422);
    expect((await h.api('POST', `/app/${appId}/endpoint/nope/recover`, { body: { since } })).status).toBe(404);
  });
});

describe('idempotency', () => {
  it('replays a finished POST: same status and body, no second message', async () => {
    const key = `key-${unique()}`;
    const first = await publish({}, { idempotencyKey: key });
    const again = await publish({}, { idempotencyKey: key });
    expect(again).toEqual(first);
    expect(await h.drain(h.queues.fanout)).toHaveLength(1);
    // Another path with the same key is a different request.
    const other = await h.api('POST', '/app', { body: { name: 'other' }, idempotencyKey: key });
    expect(other.status).toBe(201);
  });

  it('keeps a finished POST for 12 h; once that has passed the key publishes afresh', async () => {
    const key = `ttl-${unique()}`;
    const before = Math.floor(Date.now() / 1000);
    const first = await publish({}, { idempotencyKey: key });
    const after = Math.ceil(Date.now() / 1000);
    expect(first.status).toBe(202);
    const scope = createHash('sha256').update(TEST_TOKEN).digest('hex');
    const Key = keyOf(dynamoKey.idempotency(idempotencyStoreKey(scope, key, 'POST', `/app/${appId}/msg`, '')));
    const item = (await h.dynamo.client.send(new GetItemCommand({ TableName: h.dynamo.tableName, Key }))).Item!;
    expect(Number(item[TTL]!.N)).toBeGreaterThanOrEqual(before + 12 * 3600);
    expect(Number(item[TTL]!.N)).toBeLessThanOrEqual(after + 12 * 3600);

    // 12 h later: DynamoDB may not have swept the record yet (TTL lags), but it no longer counts.
    await h.dynamo.client.send(new PutItemCommand({ TableName: h.dynamo.tableName, Item: { ...item, [TTL]: { N: String(before - 1) } } }));
    const later = await publish({}, { idempotencyKey: key });
    expect(later.status).toBe(202);
    expect(later.body.id).not.toBe(first.body.id);
    expect(await h.drain(h.queues.fanout)).toHaveLength(2);
  });

  it('a concurrent duplicate publish waits and replays: one message', async () => {
    const key = `race-${unique()}`;
    const [a, b] = await Promise.all([publish({}, { idempotencyKey: key }), publish({}, { idempotencyKey: key })]);
    expect(a.status).toBe(202);
    expect(b).toEqual(a);
    expect(await h.drain(h.queues.fanout)).toEqual([{ kind: 'message', appId, msgId: a.body.id, eventType: type, channels: null }]);
  });

  it('errors are not cached: a failed request can be retried with the same key', async () => {
    const key = `fail-${unique()}`;
    expect((await publish({ payload: 'x' }, { idempotencyKey: key })).status).toBe(422);
    expect((await publish({}, { idempotencyKey: key })).status).toBe(202);
  });

  it('409 when the first request is still running after the wait', async () => {
    const key = `stuck-${unique()}`;
    const quick = createApiHandler({ ...h.deps, idempotency: { maxWaitMs: 300, pollMs: 50, lockSeconds: 30 } });
    const scope = createHash('sha256').update(TEST_TOKEN).digest('hex');
    const stored = idempotencyStoreKey(scope, key, 'POST', `/app/${appId}/msg`, '');
    expect(await h.dynamo.stores.idempotency.claim(stored, 30, 60)).toBeUndefined();
    const result = await call(quick, 'POST', `/api/v1/app/${appId}/msg`, { body: { eventType: type, payload: {} }, idempotencyKey: key });
    expect(result).toMatchObject({ status: 409, body: { code: 'conflict' } });
    expect(await h.drain(h.queues.fanout)).toHaveLength(0);
  });

  it('a publish whose fan-out task cannot be queued leaves no message, and its retry makes exactly one', async () => {
    const key = `sqs-down-${unique()}`;
    const deadSqs = new SQSClient({ endpoint: 'http://127.0.0.1:9', region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    const broken = createApiHandler({ ...h.deps, fanoutQueue: createSqsFanoutQueue(deadSqs, h.queues.fanout) });
    const eventId = `evt-${unique()}`;
    const body = { eventType: type, payload: { n: 1 }, eventId };
    const errorsBefore = h.loggedErrors.length;
    const failed = await call(broken, 'POST', `/api/v1/app/${appId}/msg`, { body, idempotencyKey: key });
    expect(failed.status).toBe(500);
    // The client gets a bare 500; the cause goes to the log.
    expect(h.loggedErrors.slice(errorsBefore).map(([message]) => message)).toEqual(['unhandled error in api request']);
    expect((await h.api('GET', `/app/${appId}/msg/${eventId}`)).status).toBe(404);
    deadSqs.destroy();

    const retried = await publish({ eventId }, { idempotencyKey: key });
    expect(retried.status).toBe(202);
    expect(await h.drain(h.queues.fanout)).toEqual([{ kind: 'message', appId, msgId: retried.body.id, eventType: type, channels: null }]);
  });

  it('GET ignores idempotency keys: a second GET with the same key sees the change in between', async () => {
    const key = `get-${unique()}`;
    const app = (await h.api('POST', '/app', { body: { name: 'before' } })).body.id as string;
    expect((await h.api('GET', `/app/${app}`, { idempotencyKey: key })).body).toMatchObject({ name: 'before' });
    expect((await h.api('PATCH', `/app/${app}`, { body: { name: 'after' } })).status).toBe(200);
    expect((await h.api('GET', `/app/${app}`, { idempotencyKey: key })).body).toMatchObject({ name: 'after' });
  });
});
