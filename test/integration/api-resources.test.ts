/** Applications, event types, endpoints and secrets through the api handler, over real stores. */
import { apiEvent, bareContext } from '../support/api-event.ts';
import { startApiHarness, unique, type ApiHarness } from './api-fixtures.ts';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.stop();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('pipeline', () => {
  it('401, 404, 405, 400 and 413 in Svix shape', async () => {
    expect(await h.api('GET', '/app', { token: 'nope' })).toMatchObject({
      status: 401,
      body: { code: 'authentication_failed', detail: 'Invalid token' },
    });
    expect(await h.api('GET', '/nothing-here')).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(await h.api('PATCH', '/event-type')).toMatchObject({ status: 405, body: { code: 'method_not_allowed' } });
    expect(await h.api('POST', '/app', { rawBody: 'nope' })).toMatchObject({ status: 422, body: { detail: [{ loc: ['body'], type: 'value_error.jsondecode' }] } });
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 1) });
    expect(await h.api('POST', '/app', { rawBody: big })).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
  });
});

describe('applications', () => {
  it('create → 201 with every required field; get by id and uid; v1 double slash', async () => {
    const uid = `acme-${unique()}`;
    const created = await h.api('POST', '/app', { body: { name: 'Acme', uid, metadata: { plan: 'pro' } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Acme', uid, metadata: { plan: 'pro' }, throttleRate: null });
    expect(created.body.id).toMatch(/^app_[0-9A-Za-z]{27}$/);
    expect(created.body.createdAt).toMatch(ISO);
    expect(created.body.updatedAt).toMatch(ISO);

    expect((await h.api('GET', `/app/${created.body.id}`)).body).toEqual(created.body);
    expect((await h.api('GET', `/app/${uid}`)).body).toEqual(created.body);
    const v1 = await h.handler(apiEvent('GET', `//api/v1/app/${uid}/`), bareContext);
    expect(v1.statusCode).toBe(200);
  });

  it('metadata defaults to {}', async () => {
    expect((await h.api('POST', '/app', { body: { name: 'x' } })).body.metadata).toEqual({});
  });

  it('duplicate uid → 409 conflict; get_if_exists → 200 with the same app', async () => {
    const uid = `dup-${unique()}`;
    const first = await h.api('POST', '/app', { body: { name: 'A', uid } });
    const again = await h.api('POST', '/app', { body: { name: 'A', uid } });
    expect(again).toMatchObject({
      status: 409,
      body: { code: 'conflict', detail: 'An application with that id or uid already exists' },
    });
    const got = await h.api('POST', '/app', { body: { name: 'A', uid }, query: { get_if_exists: 'true' } });
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(first.body.id);
    const fresh = await h.api('POST', '/app', { body: { name: 'B', uid: `n-${unique()}` }, query: { get_if_exists: 'true' } });
    expect(fresh.status).toBe(201);
  });

  it('uid with its own prefix → 422 invalid_uid_prefix', async () => {
    const result = await h.api('POST', '/app', { body: { name: 'A', uid: 'app_x' } });
    expect(result.status).toBe(422);
    expect(result.body.detail[0]).toMatchObject({ loc: ['body', 'uid'], type: 'invalid_uid_prefix' });
  });

  it('PUT updates (200) or creates with the path as uid (201); PATCH; DELETE 204 then 404', async () => {
    const uid = `put-${unique()}`;
    const created = await h.api('PUT', `/app/${uid}`, { body: { name: 'Created' } });
    expect(created.status).toBe(201);
    expect(created.body.uid).toBe(uid);
    // PUT replaces the whole application (issue 8): the uid is kept only when the body repeats it.
    const updated = await h.api('PUT', `/app/${created.body.id}`, { body: { name: 'Renamed', uid, throttleRate: 10 } });
    expect(updated).toMatchObject({ status: 200, body: { name: 'Renamed', uid, throttleRate: 10, rateLimit: 10 } });
    const patched = await h.api('PATCH', `/app/${uid}`, { body: { metadata: { a: 'b' }, throttleRate: null } });
    expect(patched).toMatchObject({ status: 200, body: { name: 'Renamed', metadata: { a: 'b' }, throttleRate: null } });
    expect((await h.api('DELETE', `/app/${uid}`)).status).toBe(204);
    expect(await h.api('GET', `/app/${uid}`)).toMatchObject({ status: 404, body: { code: 'not_found', detail: 'Entity not found' } });
    expect((await h.api('PUT', '/app/app_2zzzzzzzzzzzzzzzzzzzzzzzzzz', { body: { name: 'x' } })).status).toBe(404);
  });

  it('lists ascending with iterator, prevIterator and done', async () => {
    const prefix = `page-${unique()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.api('POST', '/app', { body: { name: `${prefix}-${i}` } })).body.id);
    // Walk the whole list two at a time; our five appear in creation order.
    const seen: string[] = [];
    let iterator: string | undefined;
    let pages = 0;
    let last;
    do {
      last = await h.api('GET', '/app', { query: { limit: '2', ...(iterator ? { iterator } : {}) } });
      expect(last.status).toBe(200);
      expect(last.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...last.body.data.map((a: { id: string }) => a.id));
      iterator = last.body.iterator;
      pages++;
    } while (!last.body.done && pages < 100);
    expect(last.body.iterator).toBe(seen.at(-1));
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    expect([...seen].sort()).toEqual(seen);

    const firstTwo = await h.api('GET', '/app', { query: { limit: '2', iterator: ids[1]! } });
    const back = await h.api('GET', '/app', { query: { limit: '2', iterator: firstTwo.body.prevIterator } });
    expect(back.body.data.map((a: { id: string }) => a.id)).toEqual(seen.slice(seen.indexOf(ids[1]!) - 1, seen.indexOf(ids[1]!) + 1));
    const desc = await h.api('GET', '/app', { query: { limit: '250', order: 'descending' } });
    expect(desc.body.data.map((a: { id: string }) => a.id)).toEqual([...seen].reverse());
  });
});

describe('event types', () => {
  it('create 201, duplicate 409 event_type_exists, get, PUT, PATCH, archive, unarchive, expunge', async () => {
    const name = `user.signup-${unique()}`;
    const created = await h.api('POST', '/event-type', { body: { name, description: 'signed up', schemas: { '1': { type: 'object' } } } });
    expect(created).toMatchObject({ status: 201, body: { name, description: 'signed up', archived: false, deprecated: false } });
    expect(created.body.createdAt).toMatch(ISO);
    expect(await h.api('POST', '/event-type', { body: { name, description: 'again' } })).toMatchObject({
      status: 409,
      body: { code: 'event_type_exists' },
    });
    expect((await h.api('GET', `/event-type/${name}`)).body.schemas).toEqual({ '1': { type: 'object' } });
    expect(await h.api('PUT', `/event-type/${name}`, { body: { description: 'put' } })).toMatchObject({
      status: 200,
      body: { description: 'put' },
    });
    expect(await h.api('PATCH', `/event-type/${name}`, { body: { deprecated: true } })).toMatchObject({
      status: 200,
      body: { description: 'put', deprecated: true },
    });
    expect((await h.api('DELETE', `/event-type/${name}`)).status).toBe(204);
    expect((await h.api('GET', `/event-type/${name}`)).body.archived).toBe(true);
    const revived = await h.api('POST', '/event-type', { body: { name, description: 'back' } });
    expect(revived).toMatchObject({ status: 201, body: { archived: false, description: 'back' } });
    expect((await h.api('DELETE', `/event-type/${name}`, { query: { expunge: 'true' } })).status).toBe(204);
    expect((await h.api('GET', `/event-type/${name}`)).status).toBe(404);
    const upserted = await h.api('PUT', `/event-type/${name}`, { body: { description: 'new' } });
    expect(upserted.status).toBe(201);
  });

  it('lists by name, ascending, hiding archived unless asked; with_content=false drops schemas', async () => {
    const p = `zz-${unique()}`;
    for (const n of ['b', 'a', 'c']) {
      // Each schema version must be a JSON Schema object (a 422 otherwise).
      await h.api('POST', '/event-type', { body: { name: `${p}.${n}`, description: n, schemas: { '1': { type: 'object' } } } });
    }
    await h.api('DELETE', `/event-type/${p}.c`);
    const list = await h.api('GET', '/event-type', { query: { limit: '250', with_content: 'false' } });
    const names = list.body.data.map((e: { name: string }) => e.name).filter((n: string) => n.startsWith(p));
    expect(names).toEqual([`${p}.a`, `${p}.b`]);
    expect(list.body.data[0]).not.toHaveProperty('schemas');
    const all = await h.api('GET', '/event-type', { query: { limit: '250', include_archived: 'true' } });
    expect(all.body.data.filter((e: { name: string }) => e.name.startsWith(p))).toHaveLength(3);
    const page = await h.api('GET', '/event-type', { query: { limit: '1', iterator: `${p}.a` } });
    expect(page.body.data[0].name).toBe(`${p}.b`);
    expect(page.body.iterator).toBe(`${p}.b`);
  });
});

describe('endpoints', () => {
  let appId: string;
  const type = `order.paid-${unique()}`;

  beforeAll(async () => {
    appId = (await h.api('POST', '/app', { body: { name: 'Endpoints' } })).body.id;
    await h.api('POST', '/event-type', { body: { name: type, description: 'paid' } });
  });

  it('create 201 (v1 filterTypes), output aliases, no secret in the body', async () => {
    const uid = `ep-${unique()}`;
    const created = await h.api('POST', `/app/${appId}/endpoint`, {
      body: { url: 'https://example.com/h', uid, filterTypes: [type], channels: ['p1'], version: 1, rateLimit: 7 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: 'https://example.com/h',
      uid,
      description: '',
      disabled: false,
      eventTypes: [type],
      filterTypes: [type],
      channels: ['p1'],
      throttleRate: 7,
      rateLimit: 7,
      version: 1,
      metadata: {},
    });
    expect(created.body.id).toMatch(/^ep_/);
    expect(JSON.stringify(created.body)).not.toContain('whsec_');
    expect((await h.api('GET', `/app/${appId}/endpoint/${uid}`)).body.id).toBe(created.body.id);
  });

  it('unknown event type → 422 at ["body","eventTypes"]; bad url → 422', async () => {
    const bad = await h.api('POST', `/app/${appId}/endpoint`, { body: { url: 'https://e.com', eventTypes: ['nope.nope'] } });
    expect(bad).toMatchObject({ status: 422, body: { detail: [{ loc: ['body', 'eventTypes'] }] } });
    expect((await h.api('POST', `/app/${appId}/endpoint`, { body: { url: 'ftp://e.com' } })).status).toBe(422);
    expect((await h.api('POST', `/app/app_nope/endpoint`, { body: { url: 'https://e.com' } })).status).toBe(404);
  });

  it('secrets: supplied secret readable via GET …/secret; rotate 204 keeps the old one', async () => {
    const secret = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;
    const ep = (await h.api('POST', `/app/${appId}/endpoint`, { body: { url: 'https://e.com/s', secret } })).body;
    expect(await h.api('GET', `/app/${appId}/endpoint/${ep.id}/secret`)).toMatchObject({ status: 200, body: { key: secret } });
    const rotated = await h.api('POST', `/app/${appId}/endpoint/${ep.id}/secret/rotate`, { body: {} });
    expect(rotated.status).toBe(204);
    const next = (await h.api('GET', `/app/${appId}/endpoint/${ep.id}/secret`)).body.key;
    expect(next).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(next).not.toBe(secret);
    const stored = await h.dynamo.stores.endpoints.get(appId, ep.id);
    expect(stored!.secrets.map((s) => s.key)).toEqual([next, secret]);
    const chosen = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    await h.api('POST', `/app/${appId}/endpoint/${ep.id}/secret/rotate`, { body: { key: chosen, gracePeriodSeconds: 0 } });
    expect((await h.api('GET', `/app/${appId}/endpoint/${ep.id}/secret`)).body.key).toBe(chosen);
    expect((await h.api('POST', `/app/${appId}/endpoint`, { body: { url: 'https://e.com', secret: 'short' } })).status).toBe(422);
  });

  it('rotation refuses more than 10 valid old keys with 400 limit_reached', async () => {
    const ep = (await h.api('POST', `/app/${appId}/endpoint`, { body: { url: 'https://e.com/r' } })).body;
    for (let i = 0; i < 10; i++) {
      expect((await h.api('POST', `/app/${appId}/endpoint/${ep.id}/secret/rotate`, { body: {} })).status).toBe(204);
    }
    expect(await h.api('POST', `/app/${appId}/endpoint/${ep.id}/secret/rotate`, { body: {} })).toMatchObject({
      status: 400,
      body: { code: 'limit_reached' },
    });
  });

  it('PUT upsert 201/200, PATCH (null clears), DELETE 204', async () => {
    const uid = `up-${unique()}`;
    const created = await h.api('PUT', `/app/${appId}/endpoint/${uid}`, { body: { url: 'https://e.com/1', eventTypes: [type] } });
    expect(created).toMatchObject({ status: 201, body: { uid, url: 'https://e.com/1' } });
    // PUT replaces the whole endpoint (issue 8): the uid is kept only when the body repeats it.
    const updated = await h.api('PUT', `/app/${appId}/endpoint/${uid}`, { body: { url: 'https://e.com/2', disabled: true, uid } });
    expect(updated).toMatchObject({ status: 200, body: { id: created.body.id, uid, url: 'https://e.com/2', disabled: true, eventTypes: null } });
    const patched = await h.api('PATCH', `/app/${appId}/endpoint/${uid}`, { body: { description: 'd', channels: ['c'] } });
    expect(patched).toMatchObject({ status: 200, body: { url: 'https://e.com/2', description: 'd', channels: ['c'] } });
    const cleared = await h.api('PATCH', `/app/${appId}/endpoint/${uid}`, { body: { channels: null } });
    expect(cleared.body).toMatchObject({ channels: null, description: 'd' });
    expect((await h.api('DELETE', `/app/${appId}/endpoint/${uid}`)).status).toBe(204);
    expect((await h.api('GET', `/app/${appId}/endpoint/${uid}`)).status).toBe(404);
  });

  it('lists newest first by default', async () => {
    const app = (await h.api('POST', '/app', { body: { name: 'List' } })).body.id;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await h.api('POST', `/app/${app}/endpoint`, { body: { url: `https://e.com/${i}` } })).body.id);
    const page = await h.api('GET', `/app/${app}/endpoint`, { query: { limit: '2' } });
    expect(page.body.data.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
    expect(page.body).toMatchObject({ done: false, iterator: ids[1], prevIterator: `-${ids[2]}` });
    const rest = await h.api('GET', `/app/${app}/endpoint`, { query: { limit: '2', iterator: page.body.iterator } });
    expect(rest.body).toMatchObject({ data: [expect.objectContaining({ id: ids[0] })], done: true, iterator: ids[0] });
    const asc = await h.api('GET', `/app/${app}/endpoint`, { query: { order: 'ascending' } });
    expect(asc.body.data.map((e: { id: string }) => e.id)).toEqual(ids);
  });
});
