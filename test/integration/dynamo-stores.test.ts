/** The DynamoDB stores' writes and lookups against a real DynamoDB Local. */
import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, NotFoundError } from '../../functions/core/errors.ts';
import { newId } from '../../functions/core/ids.ts';
import { AttemptStatus, type DeliveryStatus } from '../../functions/core/model.ts';
import { aMessage, anApp, anAttempt, anEndpoint, anEventType, startDynamoStores, type DynamoHarness } from './dynamo-fixtures.ts';

let h: DynamoHarness;
beforeAll(async () => {
  h = await startDynamoStores();
});
afterAll(async () => {
  await h.stop();
});

describe('applications', () => {
  test('create, get by id and by uid, returning exactly the domain object', async () => {
    const app = anApp({ uid: 'acme-1', metadata: { plan: 'pro' }, throttleRate: 10 });
    await h.stores.applications.create(app);
    expect(await h.stores.applications.get(app.id)).toEqual(app);
    expect(await h.stores.applications.get('acme-1')).toEqual(app);
    expect(await h.stores.applications.get('nobody')).toBeUndefined();
    expect(await h.stores.applications.get(newId('application'))).toBeUndefined();
  });

  test('a taken uid is a conflict, on create and on update', async () => {
    const first = anApp({ uid: 'taken-uid' });
    await h.stores.applications.create(first);
    const dup = anApp({ uid: 'taken-uid' });
    await expect(h.stores.applications.create(dup)).rejects.toThrow(ConflictError);
    await expect(h.stores.applications.create(dup)).rejects.toThrow('An application with that id or uid already exists');
    expect(await h.stores.applications.get(dup.id)).toBeUndefined();

    const other = anApp({ uid: 'other-uid' });
    await h.stores.applications.create(other);
    await expect(h.stores.applications.update({ ...other, uid: 'taken-uid' }, other)).rejects.toThrow(ConflictError);
    expect(await h.stores.applications.get('other-uid')).toEqual(other);
  });

  test('update moves the uid index; delete removes app, uid and endpoints', async () => {
    const app = anApp({ uid: 'before' });
    await h.stores.applications.create(app);
    const renamed = { ...app, uid: 'after', name: 'Renamed' };
    await h.stores.applications.update(renamed, app);
    expect(await h.stores.applications.get('before')).toBeUndefined();
    expect(await h.stores.applications.get('after')).toEqual(renamed);
    const cleared = { ...renamed, uid: null };
    await h.stores.applications.update(cleared, renamed);
    expect(await h.stores.applications.get('after')).toBeUndefined();
    expect(await h.stores.applications.get(app.id)).toEqual(cleared);

    await h.stores.applications.update(renamed, cleared);
    const endpoints = [anEndpoint(app.id, { uid: 'ep-a' }), anEndpoint(app.id)];
    for (const ep of endpoints) await h.stores.endpoints.create(ep);
    await h.stores.applications.delete(renamed);
    expect(await h.stores.applications.get(app.id)).toBeUndefined();
    expect(await h.stores.applications.get('after')).toBeUndefined();
    expect(await h.stores.endpoints.all(app.id)).toEqual([]);
    const uidEntry = await h.client.send(
      new GetItemCommand({ TableName: h.tableName, Key: { pk: { S: `EPUID#${app.id}` }, sk: { S: 'ep-a' } } }),
    );
    expect(uidEntry.Item).toBeUndefined();
    // The uid is free again.
    await h.stores.applications.create(anApp({ uid: 'after' }));
  });

  test('an update read before markOrdered keeps the mark (ordered fan-out must not stop), and a gone app is still not found', async () => {
    const app = anApp({ uid: 'racing-app' });
    await h.stores.applications.create(app);
    // The API read `app`, then an ordered endpoint was created (the mark), then the API wrote its edit.
    await h.stores.applications.markOrdered(app.id);
    await h.stores.applications.update({ ...app, name: 'Edited', uid: 'racing-app-2' }, app);
    const stored = await h.stores.applications.get(app.id);
    expect(stored).toEqual({ ...app, name: 'Edited', uid: 'racing-app-2', orderedDelivery: true });
    expect(await h.stores.applications.get('racing-app')).toBeUndefined();
    expect((await h.stores.applications.get('racing-app-2'))?.id).toBe(app.id);

    await h.stores.applications.delete(stored!);
    await expect(h.stores.applications.update({ ...app, name: 'Late' }, app)).rejects.toThrow(NotFoundError);
  });
});

describe('endpoints', () => {
  test('create, get by id or uid within the app, update, delete', async () => {
    const app = anApp();
    await h.stores.applications.create(app);
    const ep = anEndpoint(app.id, {
      uid: 'main',
      eventTypes: ['invoice.paid'],
      channels: ['project_1'],
      headers: { 'x-a': '1' },
      secrets: [
        { key: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', expiresAt: null },
        { key: 'whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xkb2xk', expiresAt: '2030-01-01T00:00:00.000Z' },
      ],
    });
    await h.stores.endpoints.create(ep);
    expect(await h.stores.endpoints.get(app.id, ep.id)).toEqual(ep);
    expect(await h.stores.endpoints.get(app.id, 'main')).toEqual(ep);
    expect(await h.stores.endpoints.get(newId('application'), 'main')).toBeUndefined();
    await expect(h.stores.endpoints.create(anEndpoint(app.id, { uid: 'main' }))).rejects.toThrow(ConflictError);
    // Same uid in another app is fine.
    await h.stores.endpoints.create(anEndpoint(newId('application'), { uid: 'main' }));

    const updated = { ...ep, uid: 'primary', disabled: true, eventTypes: null };
    await h.stores.endpoints.update(updated, ep);
    expect(await h.stores.endpoints.get(app.id, 'main')).toBeUndefined();
    expect(await h.stores.endpoints.get(app.id, 'primary')).toEqual({ ...updated, revision: 1 });
    expect(await h.stores.endpoints.all(app.id)).toEqual([{ ...updated, revision: 1 }]);

    await h.stores.endpoints.delete(updated);
    expect(await h.stores.endpoints.get(app.id, ep.id)).toBeUndefined();
    expect(await h.stores.endpoints.get(app.id, 'primary')).toBeUndefined();
  });

  test('all() reads past one query page', async () => {
    const appId = newId('application');
    // ~40 KB each: 30 of them exceed DynamoDB's 1 MB query page.
    const big = { 'x-big': 'x'.repeat(40_000) };
    const created = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const ep = anEndpoint(appId, { headers: big });
        await h.stores.endpoints.create(ep);
        return ep.id;
      }),
    );
    const firstPage = await h.client.send(
      new QueryCommand({
        TableName: h.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `EP#${appId}` } },
      }),
    );
    expect(firstPage.LastEvaluatedKey).toBeDefined();
    const all = await h.stores.endpoints.all(appId);
    expect(all.map((e) => e.id).sort()).toEqual(created.sort());
  });
});

describe('event types', () => {
  test('create conflicts with event_type_exists; put, get, delete; missing()', async () => {
    const et = anEventType('user.signup', { schemas: { '1': { type: 'object' } }, featureFlags: ['beta'] });
    await h.stores.eventTypes.create(et);
    expect(await h.stores.eventTypes.get('user.signup')).toEqual(et);
    const error = await h.stores.eventTypes.create(et).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('event_type_exists');

    await h.stores.eventTypes.create(anEventType('user.gone'));
    await h.stores.eventTypes.put({ ...anEventType('user.gone'), archived: true });
    expect(await h.stores.eventTypes.missing(['user.signup', 'user.gone', 'nope', 'user.signup'])).toEqual([
      'user.gone',
      'nope',
    ]);
    await h.stores.eventTypes.delete('user.signup');
    expect(await h.stores.eventTypes.get('user.signup')).toBeUndefined();
    expect(await h.stores.eventTypes.missing([])).toEqual([]);
  });
});

describe('messages', () => {
  test('payload round-trips exactly; get by id or eventId; duplicate eventId conflicts', async () => {
    const appId = newId('application');
    const payload = { empty: {}, list: [], nested: { a: [1, 'two', null, { b: true }] }, n: 1.5, s: '' };
    const msg = aMessage(appId, { payload, eventId: 'evt-1', channels: ['c1'], tags: ['t1'] });
    await h.stores.messages.create(msg);
    expect(await h.stores.messages.get(appId, msg.id)).toEqual(msg);
    expect(await h.stores.messages.get(appId, 'evt-1')).toEqual(msg);
    expect(await h.stores.messages.get(newId('application'), 'evt-1')).toBeUndefined();
    await expect(h.stores.messages.create(aMessage(appId, { eventId: 'evt-1' }))).rejects.toThrow(ConflictError);

    const purged = aMessage(appId, { payload: null });
    await h.stores.messages.create(purged);
    expect(await h.stores.messages.get(appId, purged.id)).toEqual(purged);

    // Kept as long as the record (the default 90 days), the payload lives in the record: one item.
    const raw = async (pk: string, sk: string) =>
      (await h.client.send(new GetItemCommand({ TableName: h.tableName, Key: { pk: { S: pk }, sk: { S: sk } } }))).Item;
    const record = await raw(`MSG#${appId}`, msg.id);
    expect(record?.['payload']?.S).toBe(JSON.stringify(payload));
    expect(Number(record?.['expiresAt']?.N)).toBeGreaterThanOrEqual(Math.floor((Date.parse(msg.timestamp) + 90 * 86_400_000) / 1000));
    expect(await raw(`MSGPAY#${appId}`, msg.id)).toBeUndefined();
    // Lists without content never show it.
    const listed = await h.stores.messages.list(appId, { limit: 10, order: 'descending' }, {}, { withPayload: false });
    expect(listed.items.find((m) => m.id === msg.id)?.payload).toBeNull();
  });

  test('a payload kept less long than the record lives in its own item, whose TTL is the retention', async () => {
    const appId = newId('application');
    const msg = aMessage(appId, { payload: { short: true }, rawPayload: '{"short":true}', payloadExpiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await h.stores.messages.create(msg);
    expect(await h.stores.messages.get(appId, msg.id)).toEqual(msg);
    expect((await h.stores.messages.list(appId, { limit: 10, order: 'descending' }, {})).items).toEqual([msg]);
    const raw = async (pk: string) =>
      (await h.client.send(new GetItemCommand({ TableName: h.tableName, Key: { pk: { S: pk }, sk: { S: msg.id } } }))).Item;
    const payloadItem = await raw(`MSGPAY#${appId}`);
    expect(payloadItem?.['payload']?.S).toBe(JSON.stringify({ short: true }));
    expect(Number(payloadItem?.['expiresAt']?.N)).toBe(Math.floor(Date.parse(msg.payloadExpiresAt) / 1000));
    const record = await raw(`MSG#${appId}`);
    expect(record?.['payload']).toBeUndefined();
    expect(record?.['rawPayload']).toBeUndefined();
    expect(Number(record?.['expiresAt']?.N)).toBeGreaterThanOrEqual(Math.floor((Date.parse(msg.timestamp) + 90 * 86_400_000) / 1000));
  });

  test('an expunge removes the payload wherever it lives, and the record stays', async () => {
    const appId = newId('application');
    const inline = aMessage(appId, { payload: { card: '4242' }, rawPayload: '{"card":"4242"}' });
    const separate = aMessage(appId, { payload: { card: '1881' }, payloadExpiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await Promise.all([h.stores.messages.create(inline), h.stores.messages.create(separate)]);
    await Promise.all([h.stores.messages.expungePayload(appId, inline.id), h.stores.messages.expungePayload(appId, separate.id)]);
    const { rawPayload: _raw, ...inlineRecord } = inline;
    expect(await h.stores.messages.get(appId, inline.id)).toEqual({ ...inlineRecord, payload: null });
    expect(await h.stores.messages.get(appId, separate.id)).toEqual({ ...separate, payload: null });
    const items = await h.client.send(new QueryCommand({
      TableName: h.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `MSG#${appId}` } },
    }));
    expect(items.Items).toHaveLength(2);
    expect(JSON.stringify(items.Items)).not.toMatch(/4242|1881/);
  });

  test('a message stored by the previous layout (record + payload item, whatever the retention) stays readable', async () => {
    const appId = newId('application');
    const msg = aMessage(appId, { payload: { old: 'layout' } });
    const { payload: _payload, ...recordFields } = msg;
    const ttl = Math.floor(Date.parse(msg.payloadExpiresAt) / 1000);
    await h.client.send(new PutItemCommand({ TableName: h.tableName, Item: marshall({ pk: `MSGPAY#${appId}`, sk: msg.id, ...msg, payload: JSON.stringify(msg.payload), expiresAt: ttl }) }));
    await h.client.send(new PutItemCommand({ TableName: h.tableName, Item: marshall({ pk: `MSG#${appId}`, sk: msg.id, ...recordFields, expiresAt: ttl }) }));
    expect(await h.stores.messages.get(appId, msg.id)).toEqual(msg);
    expect(await h.stores.messages.get(appId, msg.id, { consistent: false })).toEqual(msg);
    expect((await h.stores.messages.list(appId, { limit: 10, order: 'descending' }, {})).items).toEqual([msg]);
    expect(await h.stores.messages.getMany(appId, [msg.id], { withPayload: true })).toEqual([msg]);
  });
});

describe('idempotency', () => {
  test('claim, replay in progress, complete, replay done', async () => {
    const store = h.stores.idempotency;
    expect(await store.claim('k1', 5, 3600)).toBeUndefined();
    expect(await store.claim('k1', 5, 3600)).toEqual({ state: 'in-progress' });
    await store.complete('k1', 202, '{"id":"msg_x"}', 3600);
    expect(await store.claim('k1', 5, 3600)).toEqual({ state: 'done', status: 202, body: '{"id":"msg_x"}' });
    await store.release('k1'); // a completed record is not released
    expect(await store.claim('k1', 5, 3600)).toEqual({ state: 'done', status: 202, body: '{"id":"msg_x"}' });
  });

  test('release lets a retry claim again; an expired lock can be taken over', async () => {
    const store = h.stores.idempotency;
    expect(await store.claim('k2', 5, 3600)).toBeUndefined();
    await store.release('k2');
    expect(await store.claim('k2', 5, 3600)).toBeUndefined();

    expect(await store.claim('k3', 0, 3600)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.claim('k3', 5, 3600)).toBeUndefined();
    expect(await store.claim('k3', 5, 3600)).toEqual({ state: 'in-progress' });
  });

  test('of concurrent claims exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => h.stores.idempotency.claim('race', 5, 3600)));
    expect(results.filter((r) => r === undefined)).toHaveLength(1);
    expect(results.filter((r) => r?.state === 'in-progress')).toHaveLength(7);
  });

  test('very long keys are hashed into a valid key', async () => {
    const long = 'k'.repeat(5000);
    expect(await h.stores.idempotency.claim(long, 5, 3600)).toBeUndefined();
    expect(await h.stores.idempotency.claim(long, 5, 3600)).toEqual({ state: 'in-progress' });
    expect(await h.stores.idempotency.claim(`${long}x`, 5, 3600)).toBeUndefined();
  });
});

describe('delivery-path reads and writes', () => {
  /** Runs `work` with a middleware on the harness's client; removed afterwards. */
  async function withMiddleware<T>(
    name: string,
    middleware: (input: Record<string, unknown>, output: Record<string, unknown>, command: string) => void,
    work: () => Promise<T>,
    before?: (input: Record<string, unknown>) => void,
  ): Promise<T> {
    h.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        before?.(input);
        const result = await next(args);
        middleware(input, result.output as unknown as Record<string, unknown>, String(context.commandName));
        return result;
      },
      { step: 'initialize', name },
    );
    try {
      return await work();
    } finally {
      h.client.middlewareStack.remove(name);
    }
  }

  test('a batch of ten attempts of one message is eleven write units: each attempt once, one index entry, no gsi1 copy', async () => {
    const message = aMessage(newId('application'));
    const attempts = Array.from({ length: 10 }, () =>
      anAttempt(message, newId('endpoint'), {
        url: `https://hooks.example.com/${'p'.repeat(100)}`,
        response: JSON.stringify({ ok: true, detail: 'x'.repeat(200) }),
        eventType: 'invoice.paid.with.a.long.event.type.name',
        channels: ['project_1', 'project_2'],
        tags: ['tag_1'],
      }),
    );
    const consumed: unknown[] = [];
    await withMiddleware(
      'consumed-capacity',
      (_input, output) => consumed.push(...(output['ConsumedCapacity'] as unknown[])),
      () => h.stores.attempts.recordAll(attempts.map((attempt) => ({ attempt, status: null }))),
      (input) => {
        input['ReturnConsumedCapacity'] = 'INDEXES';
      },
    );
    expect(consumed).toEqual([expect.objectContaining({ CapacityUnits: 11, Table: { CapacityUnits: 11 } })]);
    expect(consumed[0]).not.toHaveProperty('GlobalSecondaryIndexes');
    // …and both views of the log still hold all ten.
    const byMessage = await h.stores.attempts.listByMessage(message.appId, message.id, { limit: 50, order: 'descending' }, {});
    expect(byMessage.items.map((a) => a.id)).toEqual(attempts.map((a) => a.id).sort().reverse());
    const byEndpoint = await h.stores.attempts.listByEndpoint(message.appId, attempts[3]!.endpointId, { limit: 50, order: 'descending' }, {});
    expect(byEndpoint.items).toEqual([attempts[3]]);
  });

  test("a message's attempts, statuses and index entry share one request, however the batch is split", async () => {
    const appId = newId('application');
    const messages = [aMessage(appId), aMessage(appId), aMessage(appId)];
    // 3 messages × (10 attempts + 10 statuses + 1 index entry) = 63 items: three requests, one per message.
    const records = messages.flatMap((message) =>
      Array.from({ length: 10 }, () => {
        const attempt = anAttempt(message, newId('endpoint'), { status: 2, responseStatusCode: 500 });
        const status: DeliveryStatus = { appId, msgId: message.id, endpointId: attempt.endpointId, status: AttemptStatus.Pending, attempts: 1, lastAttemptAt: attempt.timestamp, nextAttemptAt: null };
        return { attempt, status };
      }),
    );
    const requests: string[][] = [];
    await withMiddleware(
      'request-items',
      (input, _output, command) => {
        if (command !== 'BatchWriteItemCommand') return;
        const items = Object.values(input['RequestItems'] as Record<string, { PutRequest: { Item: { pk: { S: string } } } }[]>).flat();
        requests.push(items.map((w) => w.PutRequest.Item.pk.S));
      },
      () => h.stores.attempts.recordAll(records),
    );
    expect(requests).toHaveLength(3);
    for (const [i, message] of messages.entries()) {
      const keys = requests[i]!;
      expect(keys).toHaveLength(21);
      expect(keys.filter((k) => k === `ATTIDX#${appId}#${message.id}`)).toHaveLength(1);
      const endpoints = records.filter((r) => r.attempt.msgId === message.id).map((r) => r.attempt.endpointId);
      expect(keys.filter((k) => k.startsWith('ATT#')).sort()).toEqual(endpoints.map((e) => `ATT#${appId}#${e}`).sort());
    }
  });

  test('attempts written by the previous layout (with a gsi1 copy) stay readable next to new ones', async () => {
    const message = aMessage(newId('application'));
    const endpointId = newId('endpoint');
    // Exactly what the previous layout's record() wrote: the attempt under its endpoint, with gsi1 keys.
    const legacy = anAttempt(message, endpointId, { status: 2, responseStatusCode: 500 });
    await h.client.send(
      new PutItemCommand({
        TableName: h.tableName,
        Item: marshall({ ...legacy, pk: `ATT#${message.appId}#${endpointId}`, sk: legacy.id, gsi1pk: `ATTMSG#${message.appId}#${message.id}`, gsi1sk: legacy.id }),
      }),
    );
    const fresh = anAttempt(message, endpointId, { attemptNumber: 2 });
    await h.stores.attempts.record(fresh, null);

    const list = await h.stores.attempts.listByMessage(message.appId, message.id, { limit: 10, order: 'ascending' }, {});
    expect(list.items).toEqual([legacy, fresh]);
    const failed = await h.stores.attempts.listByMessage(message.appId, message.id, { limit: 10, order: 'ascending' }, { status: 2 });
    expect(failed.items).toEqual([legacy]);
    expect(await h.stores.attempts.getForMessage(message.appId, message.id, legacy.id)).toEqual(legacy);
    expect(await h.stores.attempts.allForMessage(message.appId, message.id)).toEqual([legacy, fresh]);
    expect(await h.stores.attempts.history(message.appId, message.id, endpointId)).toEqual({ scheduled: 2, succeeded: true, last: fresh });
  });

  test('an eventually consistent message read that misses (lagging replica) confirms it consistently', async () => {
    const inline = aMessage(newId('application'));
    const separate = aMessage(newId('application'), { payloadExpiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await Promise.all([h.stores.messages.create(inline), h.stores.messages.create(separate)]);
    const readLagging = async (message: typeof inline, lagging: string) => {
      const reads: string[] = [];
      const read = await withMiddleware(
        'lagging-replica',
        (input, output, command) => {
          if (command !== 'GetItemCommand') return;
          const pk = (input['Key'] as { pk?: { S?: string } }).pk?.S ?? '';
          reads.push(`${pk.split('#')[0]} ${input['ConsistentRead'] === true ? 'consistent' : 'eventual'}`);
          if (input['ConsistentRead'] === false && pk.startsWith(`${lagging}#`)) delete output['Item'];
        },
        () => h.stores.messages.get(message.appId, message.id, { consistent: false }),
      );
      return { read, reads };
    };
    // The payload in the record: one read when the replica has it, a consistent one when it does not.
    expect(await readLagging(inline, 'NONE')).toEqual({ read: inline, reads: ['MSG eventual'] });
    expect(await readLagging(inline, 'MSG')).toEqual({ read: inline, reads: ['MSG eventual', 'MSG consistent'] });
    // The payload in its own item: a miss there must not read as an expired payload.
    expect(await readLagging(separate, 'MSGPAY')).toEqual({ read: separate, reads: ['MSG eventual', 'MSGPAY eventual', 'MSGPAY consistent'] });
  });
});
