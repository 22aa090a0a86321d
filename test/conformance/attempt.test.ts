/**
 * Conformance port of Svix's server/svix-server/tests/it/e2e_attempt.rs (svix/svix-webhooks),
 * driven over HTTP against the local stack with Svix's retry schedule for tests (one immediate retry).
 * Deliberate departures are asserted as Sluice's behaviour, with the reason next to them.
 */
import { type Json, conformanceStack, createApp, createEndpoint, createMessage, expectLength, unique, withRetries } from './attempt-harness.ts';

const { api, receiver } = conformanceStack([0]);

const ids = (list: { data: { id: string }[] }): string[] => list.data.map((x) => x.id);
const msgIds = (list: { data: { msgId: string }[] }): string[] => list.data.map((x) => x.msgId);

test('expunge attempt response body', async () => {
  const app = await createApp(api, 'app1');
  const rec = await receiver(200, JSON.stringify({ sensitive: 'data' }));
  const ep = await createEndpoint(api, app.id, rec.endpoint);
  const msg = await createMessage(api, app.id, { test: 'data1' });
  const attempt = await withRetries(async () => {
    const list = await api.get(`app/${app.id}/attempt/endpoint/${ep.id}/`);
    expectLength(list, 1);
    return list.data[0];
  });
  expect(JSON.parse(attempt.response)).toEqual({ sensitive: 'data' });
  await api.call('DELETE', `app/${app.id}/msg/${msg.id}/attempt/${attempt.id}/content/`, 204);
  expect((await api.get(`app/${app.id}/msg/${msg.id}/attempt/${attempt.id}/`)).response).toBe('EXPUNGED');
});

test('list attempted messages (by id and uid, channel and event_types filters)', async () => {
  const app = await createApp(api, 'app1');
  const ep1 = await createEndpoint(api, app.id, (await receiver()).endpoint);
  const ep2 = await createEndpoint(api, app.id, (await receiver()).endpoint, { uid: 'test' });
  const msg1 = await createMessage(api, app.id, { test: 'data1' });
  const msg2 = await createMessage(api, app.id, { test: 'data2' });
  const msg3 = await createMessage(api, app.id, { test: 'data3' }, 'balloon.popped', ['news']);
  await withRetries(async () => {
    for (const ep of [ep1.id, ep2.id, 'test']) {
      const list = await api.get(`app/${app.id}/endpoint/${ep}/msg/`);
      expectLength(list, 3);
      // The message fields are the message's own (MessageOut flattened in).
      for (const msg of [msg1, msg2, msg3]) expect(list.data).toContainEqual(expect.objectContaining({ ...msg, status: 0, statusText: 'success' }));
    }
  });
  const news = await api.get(`app/${app.id}/endpoint/${ep1.id}/msg/?channel=news`);
  expect(ids(news)).toEqual([msg3.id]);
  expect(ids(await api.get(`app/${app.id}/endpoint/${ep1.id}/msg/?event_types=balloon.popped`))).toEqual([msg3.id]);
  expect(ids(await api.get(`app/${app.id}/endpoint/${ep1.id}/msg/?event_types=event.type`)).sort()).toEqual([msg1.id, msg2.id].sort());
  expect(await api.get(`app/${app.id}/endpoint/${ep1.id}/msg/?event_types=event.type,balloon.popped`)).toMatchObject({ data: expect.any(Array) });
  expectLength(await api.get(`app/${app.id}/endpoint/${ep1.id}/msg/?event_types=event.type,balloon.popped`), 3);
});

test('list attempted messages: failed, and none left sending', async () => {
  const app = await createApp(api, 'app1');
  const rec = await receiver(200);
  const ep = await createEndpoint(api, app.id, rec.endpoint);
  const msg1 = await createMessage(api, app.id, { test: 'data1' });
  const msg2 = await createMessage(api, app.id, { test: 'data2' });
  await withRetries(async () => {
    const list = await api.get(`app/${app.id}/endpoint/${ep.id}/msg/?status=0`);
    expect(ids(list).sort()).toEqual([msg1.id, msg2.id].sort());
  });
  rec.status = 500;
  const msg3 = await createMessage(api, app.id, { test: 'data3' });
  const msg4 = await createMessage(api, app.id, { test: 'data4' });
  await withRetries(async () => {
    const list = await api.get(`app/${app.id}/endpoint/${ep.id}/msg/?status=2`);
    expect(ids(list).sort()).toEqual([msg3.id, msg4.id].sort());
  });
  expectLength(await api.get(`app/${app.id}/endpoint/${ep.id}/msg/?status=3`), 0);
  // Svix never reports Pending here any more: the filter is always empty.
  expectLength(await api.get(`app/${app.id}/endpoint/${ep.id}/msg/?status=1`), 0);
});

test('list attempted messages: a success after a failure is not sending', async () => {
  const app = await createApp(api, 'app1');
  const rec = await receiver(500);
  // The first attempt fails and the (immediate) retry succeeds: flipping the status from the test
  // after the first body raced the retry, which could fail too and end the message as failed.
  rec.statusFor = (n) => (n === 0 ? 500 : 200);
  const ep = await createEndpoint(api, app.id, rec.endpoint);
  await createMessage(api, app.id, { test: 'data1' });
  await withRetries(async () => expect(rec.bodies.length).toBeGreaterThanOrEqual(2));
  await withRetries(async () => expectLength(await api.get(`app/${app.id}/endpoint/${ep.id}/msg/?status=0`), 1));
  expectLength(await api.get(`app/${app.id}/endpoint/${ep.id}/msg/?status=3`), 0);
});

test('list attempted destinations: by endpoint id ascending, pages both ways', async () => {
  const app = await createApp(api, 'testListAttemptedDestinations');
  const eps = [];
  for (let i = 0; i < 3; i++) eps.push(await createEndpoint(api, app.id, (await receiver(200, '{"ok": true}')).endpoint));
  const msg = await createMessage(api, app.id, { test: 'data' });
  const all = await withRetries(async () => {
    const list = await api.get(`app/${app.id}/msg/${msg.id}/endpoint/`);
    expectLength(list, 3);
    return list;
  });
  expect(ids(all)).toEqual(eps.map((e) => e.id));
  expect(all.data[0]).toMatchObject({ status: 0, statusText: 'success', url: expect.any(String), createdAt: expect.any(String) });

  // Departure: Svix soft-deletes endpoints and keeps listing a deleted one; Sluice deletes endpoints
  // for good, so it has nothing to show for it and leaves it out.
  await api.call('DELETE', `app/${app.id}/endpoint/${eps[1]!.id}/`, 204);
  expect(ids(await api.get(`app/${app.id}/msg/${msg.id}/endpoint/`))).toEqual([eps[0]!.id, eps[2]!.id]);

  const first = await api.get(`app/${app.id}/msg/${msg.id}/endpoint/?limit=1`);
  expect(ids(first)).toEqual([eps[0]!.id]);
  expect(first.done).toBe(false);
  const second = await api.get(`app/${app.id}/msg/${msg.id}/endpoint/?limit=1&iterator=${first.iterator}`);
  expect(ids(second)).toEqual([eps[2]!.id]);
  expect(second.done).toBe(true);
  const back = await api.get(`app/${app.id}/msg/${msg.id}/endpoint/?limit=1&iterator=-${eps[2]!.id}`);
  expect(ids(back)).toEqual([eps[0]!.id]);
  expect(back.done).toBe(true);
});

test('list attempts by endpoint with channel and event_types filters', async () => {
  const app = await createApp(api, 'v1AttemptListAttemptsByEndpointTestApp');
  const ep1 = await createEndpoint(api, app.id, (await receiver()).endpoint);
  const ep2 = await createEndpoint(api, app.id, (await receiver()).endpoint);
  const msgs = [
    await createMessage(api, app.id, { test: 'data1' }),
    await createMessage(api, app.id, { test: 'data2' }),
    await createMessage(api, app.id, { test: 'data3' }, 'user.exploded', ['obits']),
  ];
  await withRetries(async () => {
    for (const ep of [ep1.id, ep2.id]) expectLength(await api.get(`app/${app.id}/attempt/endpoint/${ep}/`), 3);
  });
  for (const ep of [ep1.id, ep2.id]) expect(msgIds(await api.get(`app/${app.id}/attempt/endpoint/${ep}/`)).sort()).toEqual(msgs.map((m) => m.id).sort());
  const base = `app/${app.id}/attempt/endpoint/${ep2.id}/`;
  expectLength(await api.get(`${base}?channel=foo`), 0);
  expectLength(await api.get(`${base}?channel=obits`), 1);
  expectLength(await api.get(`${base}?event_types=user.exploded`), 1);
  expectLength(await api.get(`${base}?event_types[]=event.type`), 2);
  expectLength(await api.get(`${base}?event_types=event.type,user.exploded`), 3);
});

test('message attempts: success once; 403, 500 and no listener fail every scheduled attempt', async () => {
  const cases: [number, number, number][] = [[200, 0, 1], [403, 2, 2], [500, 2, 2]];
  for (const [code, status, count] of cases) {
    const app = await createApp(api, 'app');
    const ep = await createEndpoint(api, app.id, (await receiver(code)).endpoint);
    const msg = await createMessage(api, app.id, { test: 'data' });
    const list = await withRetries(async () => {
      const l = await api.get(`app/${app.id}/attempt/msg/${msg.id}/`);
      expectLength(l, count);
      return l;
    });
    for (const a of list.data) expect(a).toMatchObject({ status, responseStatusCode: code, endpointId: ep.id });
  }
  const closed = await receiver();
  await closed.close();
  const app = await createApp(api, 'app');
  const ep = await createEndpoint(api, app.id, closed.endpoint);
  const msg = await createMessage(api, app.id, { test: 'data1' });
  const list = await withRetries(async () => {
    const l = await api.get(`app/${app.id}/attempt/msg/${msg.id}/`);
    expectLength(l, 2);
    return l;
  });
  for (const a of list.data) expect(a).toMatchObject({ status: 2, responseStatusCode: 0, endpointId: ep.id });
});

test('combined before/after filtering, then iterating from its cursors', async () => {
  const app = await createApp(api, 'test_app');
  const ep = await createEndpoint(api, app.id, (await receiver()).endpoint);
  const waitFor = (n: number) => withRetries(async () => expectLength(await api.get(`app/${app.id}/attempt/endpoint/${ep.id}/`), n));
  await createMessage(api, app.id, { test: 1 });
  await waitFor(1);
  const ts1 = new Date().toISOString();
  for (let i = 1; i <= 2; i++) await createMessage(api, app.id, { test: i + 1 });
  await waitFor(3);
  const ts2 = new Date().toISOString();
  for (let i = 1; i <= 3; i++) await createMessage(api, app.id, { test: i + 3 });
  await waitFor(6);
  const all = await api.get(`app/${app.id}/attempt/endpoint/${ep.id}/?limit=10`);
  expect(all.done).toBe(true);
  expectLength(all, 6);
  const window = await api.get(`app/${app.id}/attempt/endpoint/${ep.id}/?limit=10&before=${ts2}&after=${ts1}`);
  expect(window.done).toBe(true);
  expectLength(window, 2);
  const newer = await api.get(`app/${app.id}/attempt/endpoint/${ep.id}/?iterator=${window.prevIterator}`);
  expect(newer.done).toBe(true);
  expectLength(newer, 3);
  const older = await api.get(`app/${app.id}/attempt/endpoint/${ep.id}/?iterator=${window.iterator}`);
  expect(older.done).toBe(true);
  expectLength(older, 1);
});

async function sixBySix(eventTypeOfLast?: string): Promise<{ appId: string; eps: { id: string }[]; msgs: Json[] }> {
  const app = await createApp(api, 'app1');
  const eps: { id: string }[] = [];
  for (let i = 0; i < 6; i++) eps.push(await createEndpoint(api, app.id, (await receiver()).endpoint));
  const msgs = [];
  for (let i = 1; i <= 6; i++) {
    // As Svix's test: a little apart, so `before`/`after` on their timestamps give clean counts.
    await new Promise((r) => setTimeout(r, 10));
    msgs.push(i === 6 && eventTypeOfLast !== undefined ? await createMessage(api, app.id, { test: 'data6' }, eventTypeOfLast, ['news']) : await createMessage(api, app.id, { test: i }));
  }
  await withRetries(async () => {
    for (const ep of eps) expectLength(await api.get(`app/${app.id}/attempt/endpoint/${ep.id}/`), 6);
  });
  return { appId: app.id, eps, msgs };
}

async function paginationChecks(base: string): Promise<Json> {
  const all = await api.get(base);
  const firstThree = await api.get(`${base}?limit=3`);
  expectLength(all, 6);
  expect(firstThree.data).toEqual(all.data.slice(0, 3));
  const lastThreeManual = await api.get(`${base}?limit=3&iterator=${all.data[2].id}`);
  const lastThreeIter = await api.get(`${base}?limit=3&iterator=${firstThree.iterator}`);
  expect(lastThreeManual.data).toEqual(lastThreeIter.data);
  expect(lastThreeManual.data).toEqual(all.data.slice(3, 6));
  expect(lastThreeManual.done).toBe(true);
  const twoAndThree = await api.get(`${base}?limit=2&iterator=${lastThreeManual.prevIterator}`);
  expect(twoAndThree.data).toEqual(all.data.slice(1, 3));
  expect(twoAndThree.done).toBe(false);
  const one = await api.get(`${base}?limit=2&iterator=${twoAndThree.prevIterator}`);
  expect(one.data).toEqual([all.data[0]]);
  expect(one.done).toBe(true);
  return all;
}

test('pagination by endpoint: limit, iterator, prevIterator, after (inclusive) and before (exclusive)', async () => {
  const { appId, eps } = await sixBySix();
  for (const ep of eps) {
    const base = `app/${appId}/attempt/endpoint/${ep.id}/`;
    const all = await paginationChecks(base);
    const after = await api.get(`${base}?after=${all.data[3].timestamp}`);
    expect(after.data).toEqual(all.data.slice(0, 4));
    const before = await api.get(`${base}?before=${all.data[2].timestamp}`);
    expect(before.data).toEqual(all.data.slice(3, 6));
  }
});

test('pagination by message, and before/after ±5 ms around the attempts', async () => {
  const { appId, eps, msgs } = await sixBySix('balloon.popped');
  for (const ep of eps) expectLength(await api.get(`app/${appId}/attempt/endpoint/${ep.id}/?channel=news`), 1);
  const shift = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
  for (const msg of msgs) {
    const base = `app/${appId}/attempt/msg/${msg.id}/`;
    const all = await paginationChecks(base);
    expect((await api.get(`${base}?after=${shift(all.data[5].timestamp, -5)}`)).data).toEqual(all.data);
    expectLength(await api.get(`${base}?after=${shift(all.data[0].timestamp, 5)}`), 0);
    expect((await api.get(`${base}?before=${shift(all.data[0].timestamp, 5)}`)).data).toEqual(all.data);
    expectLength(await api.get(`${base}?before=${shift(all.data[5].timestamp, -5)}`), 0);
  }
});

test('pagination forward and back over 28 attempts', async () => {
  const app = await createApp(api, 'test_app');
  const ep = await createEndpoint(api, app.id, (await receiver()).endpoint);
  for (let i = 1; i <= 28; i++) await createMessage(api, app.id, { test: i });
  await withRetries(async () => expectLength(await api.get(`app/${app.id}/attempt/endpoint/${ep.id}/?limit=50`), 28), 40_000);
  const forward: unknown[] = [];
  let page: Json = { done: false, iterator: null };
  let prevIterator: string | null = null;
  while (!page.done) {
    page = await api.get(`app/${app.id}/attempt/endpoint/${ep.id}/?limit=10${page.iterator ? `&iterator=${page.iterator}` : ''}`);
    forward.push(...page.data);
    prevIterator = page.prevIterator;
  }
  expect(forward).toHaveLength(28);
  const backwards: unknown[] = [];
  let done = false;
  while (!done) {
    const out = await api.get(`app/${app.id}/attempt/endpoint/${ep.id}/?limit=10${prevIterator ? `&iterator=${prevIterator}` : ''}`);
    backwards.push(...out.data);
    done = out.done;
    prevIterator = out.prevIterator;
  }
  // The prevIterator of the last forward page (8 items) leads back over the 20 before it.
  expect(backwards).toHaveLength(20);
  expect(forward.slice(0, 10)).toEqual(backwards.slice(10, 20));
  expect(forward.slice(10, 20)).toEqual(backwards.slice(0, 10));
});

test('a message id the list does not know, and an unknown attempt, are 404', async () => {
  const app = await createApp(api, `a-${unique()}`);
  const msg = await createMessage(api, app.id, { x: 1 });
  await api.get(`app/${app.id}/msg/${msg.id}/attempt/atmpt_3MxJMZ4rae1NjH7Z1Ih1vUiqIAu/`, 404);
  await api.call('DELETE', `app/${app.id}/msg/${msg.id}/attempt/atmpt_3MxJMZ4rae1NjH7Z1Ih1vUiqIAu/content`, 404);
});
