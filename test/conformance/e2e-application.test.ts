/**
 * Svix's server e2e tests for applications (server/svix-server/tests/it/e2e_application.rs), ported in
 * our own code: raw HTTP with the trailing-slash paths Svix's tests use, and the `svix` SDK. Each test
 * starts from an empty organisation, as each Svix test starts its own server.
 *
 * Departures (README, "Departures from Svix"): Sluice has one organisation per deployment, so
 * test_uid_across_users becomes "a uid is unique within the deployment"; PUT of an unknown `app_…` id
 * is a 404 (Svix creates an application with a new id), and PUT of an unknown uid creates the
 * application with that uid (Svix ignores the path there).
 */
import { ApiException } from 'svix';
import { commonListChecks, expectStatus, freshOrganisation, startConformance, type Conformance } from './harness.ts';

interface AppOut {
  id: string;
  uid: string | null;
  name: string;
  rateLimit: number | null;
  throttleRate: number | null;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

let c: Conformance;

beforeAll(async () => {
  c = await startConformance();
});

afterAll(async () => {
  await c?.stop();
});

beforeEach(async () => {
  await freshOrganisation(c);
});

const post = async (body: unknown, status: number, query = ''): Promise<AppOut> =>
  expectStatus(await c.http('POST', `/api/v1/app/${query}`, { body }), status).body as AppOut;
const put = async (idOrUid: string, body: unknown, status: number): Promise<AppOut> =>
  expectStatus(await c.http('PUT', `/api/v1/app/${idOrUid}/`, { body }), status).body as AppOut;
const patch = async (idOrUid: string, body: unknown): Promise<AppOut> =>
  expectStatus(await c.http('PATCH', `/api/v1/app/${idOrUid}/`, { body }), 200).body as AppOut;
const get = async (idOrUid: string, status = 200): Promise<AppOut> =>
  expectStatus(await c.http('GET', `/api/v1/app/${idOrUid}/`), status).body as AppOut;
const del = async (idOrUid: string): Promise<void> => {
  expectStatus(await c.http('DELETE', `/api/v1/app/${idOrUid}/`), 204);
};

test('patch: each field alone, the others unchanged (test_patch)', async () => {
  const app = await post({ name: 'first_name' }, 201);
  // PUT with an id that does not exist creates: Sluice takes the path as the new application's uid.
  const upserted = await put('fake-id', { name: 'first_name' }, 201);
  expect(upserted.uid).toBe('fake-id');

  await patch(app.id, { name: 'second_name' });
  let out = await get(app.id);
  expect(out).toMatchObject({ name: 'second_name', rateLimit: null, uid: null, metadata: {} });

  await patch(app.id, { rateLimit: 1 });
  out = await get(app.id);
  expect(out).toMatchObject({ rateLimit: 1, throttleRate: 1, name: 'second_name', uid: null });

  await patch(app.id, { rateLimit: null });
  out = await get(app.id);
  expect(out).toMatchObject({ rateLimit: null, name: 'second_name', uid: null });

  await patch(app.id, { uid: 'test_uid' });
  out = await get(app.id);
  expect(out).toMatchObject({ uid: 'test_uid', name: 'second_name', rateLimit: null });

  await patch(app.id, { uid: null });
  out = await get(app.id);
  expect(out).toMatchObject({ uid: null, name: 'second_name', rateLimit: null });

  await patch(app.id, { metadata: { foo: 'bar', bizz: 'baz' } });
  out = await get(app.id);
  expect(out.metadata).toEqual({ foo: 'bar', bizz: 'baz' });
  expect(out).toMatchObject({ name: 'second_name', rateLimit: null });
});

test('create, read, update, delete (test_crud)', async () => {
  const app1 = await post({ name: 'v1ApplicationCrudTest11' }, 201);
  expect(app1.name).toBe('v1ApplicationCrudTest11');
  const app2 = await post({ name: 'v1ApplicationCrudTest21' }, 201);
  expect(app2.name).toBe('v1ApplicationCrudTest21');

  expect(await get(app1.id)).toEqual(app1);
  expect(await get(app2.id)).toEqual(app2);
  // The SDK reads the same application.
  expect((await c.svix.application.get(app1.id)).name).toBe(app1.name);

  const updated1 = await put(app1.id, { name: 'v1ApplicationCrudTest12' }, 200);
  const updated2 = await put(app2.id, { name: 'v1ApplicationCrudTest22' }, 200);
  expect(await get(app1.id)).toEqual(updated1);
  expect(await get(app2.id)).toEqual(updated2);

  await del(app1.id);
  await del(app2.id);
  await get(app1.id, 404);
  await get(app2.id, 404);

  const app = await post({ name: 'Apps all around' }, 201);
  expect(app.metadata).toEqual({});
  expect((await patch(app.id, { metadata: { bizz: 'bar' } })).metadata).toEqual({ bizz: 'bar' });

  const upserted = await put('one_upserted_boi', { name: 'Apps for two', metadata: { foo: 'bar' } }, 201);
  expect(upserted.metadata).toEqual({ foo: 'bar' });
  const replaced = await put(upserted.id, { name: 'New Name', metadata: { new: 'data' } }, 200);
  expect(replaced.metadata).toEqual({ new: 'data' });
  expect(replaced.name).toBe('New Name');
});

test('list: limits, paging both ways, a malformed iterator, order (test_list)', async () => {
  await commonListChecks(c, '/api/v1/app/', (i) => ({ name: `App ${i}` }), { sortAscending: true, reversible: true });
});

test('uid: unique, movable, removable, reusable after delete (test_uid)', async () => {
  const app = await post({ name: 'App 1', uid: 'app1' }, 201);
  expect(app.id).not.toBe(app.uid);
  await post({ name: 'App 1', uid: 'app1' }, 409);

  // Can't take an existing uid, with or without a uid of one's own.
  let app2 = await post({ name: 'App 2' }, 201);
  await put(app2.id, { name: 'App 2', uid: 'app1' }, 409);
  app2 = await post({ name: 'App 2', uid: 'app2' }, 201);
  await put(app2.id, { name: 'App 2', uid: 'app1' }, 409);

  await del(app.id);
  app2 = await put(app2.id, { name: 'App 2', uid: 'app1' }, 200);
  await del(app2.uid!);

  const again = await post({ name: 'App 1', uid: 'app1' }, 201);
  await put(again.id, { name: 'App 1', uid: 'app1' }, 200);
  const moved = await put(again.id, { name: 'App 1', uid: 'app3' }, 200);
  const read = await get(again.id);
  expect(read.id).toBe(moved.id);
  expect(read.uid).toBe('app3');

  // PUT without a uid removes it: the whole resource is replaced.
  const cleared = await put(again.id, { name: 'App 1' }, 200);
  expect(cleared.uid).toBeNull();
  expect((await get(again.id)).uid).toBeNull();
  await get('app3', 404);
});

test('a uid is unique within the deployment (Sluice: one organisation; test_uid_across_users)', async () => {
  await post({ name: 'App 1', uid: 'app1' }, 201);
  // Svix scopes uids to an organisation and a second organisation may reuse one; a Sluice deployment is
  // one organisation, so the same uid is a conflict whoever asks.
  const conflict = await c.svix.application.create({ name: 'App 1', uid: 'app1' }).catch((e: unknown) => e);
  expect(conflict).toBeInstanceOf(ApiException);
  expect((conflict as ApiException<{ code: string }>).code).toBe(409);
  expect((conflict as ApiException<{ code: string }>).body.code).toBe('conflict');
});

test('get_if_exists returns the existing application unchanged (test_get_or_create)', async () => {
  const app = await post({ name: 'App 1', uid: 'app1', metadata: { foo: 'bar' } }, 201);
  expect(app.metadata).toEqual({ foo: 'bar' });
  await post({ name: 'App 1', uid: 'app1' }, 409);
  const same = await post({ name: 'App 1 - SLIGHTLY DIFFERENT, BUT WON\'T BE PERSISTED', uid: 'app1' }, 200, '?get_if_exists=true');
  expect(same).toEqual(app);
  // The SDK's getOrCreate is the same call.
  expect((await c.svix.application.getOrCreate({ name: 'other', uid: 'app1' })).id).toBe(app.id);
});

test('an idempotency key replays the first answer (test_idempotency, with a cache)', async () => {
  const first = expectStatus(await c.http('POST', '/api/v1/app/', { body: { name: 'Some unique name' }, headers: { 'idempotency-key': '1' } }), 201).body;
  const second = expectStatus(await c.http('POST', '/api/v1/app/', { body: { name: 'Some less unique name' }, headers: { 'idempotency-key': '1' } }), 201).body;
  expect(second).toEqual(first);
});
