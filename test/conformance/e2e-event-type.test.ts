/**
 * Svix's server e2e tests for event types (server/svix-server/tests/it/e2e_event_type.rs), ported in
 * our own code over HTTP and with the `svix` SDK; each test starts from an empty organisation.
 * Svix's open-source server takes one `featureFlag`; the v2 SDK sends `featureFlags`: both are tested.
 */
import { commonListChecks, expectStatus, freshOrganisation, startConformance, type Conformance } from './harness.ts';

interface EventTypeOut {
  name: string;
  description: string;
  archived: boolean;
  deprecated: boolean;
  schemas?: Record<string, unknown> | null;
  featureFlag: string | null;
  featureFlags: string[] | null;
  createdAt: string;
  updatedAt: string;
}

interface List<T> {
  data: T[];
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

const eventTypeIn = (name: string, schemas: unknown = null) => ({ name, description: 'test-event-description', archived: false, deprecated: false, schemas });
const get = async (name: string, token?: string, status = 200): Promise<EventTypeOut> =>
  expectStatus(await c.http('GET', `/api/v1/event-type/${name}/`, token === undefined ? {} : { token }), status).body as EventTypeOut;
const patch = async (name: string, body: unknown): Promise<EventTypeOut> =>
  expectStatus(await c.http('PATCH', `/api/v1/event-type/${name}/`, { body }), 200).body as EventTypeOut;

const GEO_SCHEMA = {
  '1': {
    type: 'object',
    title: 'Longitude and Latitude Values',
    description: 'A geographical coordinate.',
    required: ['latitude', 'longitude'],
    properties: {
      latitude: { type: 'number', minimum: -90, maximum: 90 },
      longitude: { type: 'number', minimum: -180, maximum: 180 },
    },
  },
};

test('patch: each field alone, the others unchanged (test_patch)', async () => {
  const et = expectStatus(await c.http('POST', '/api/v1/event-type/', { body: eventTypeIn('test-event-type', GEO_SCHEMA) }), 201).body as EventTypeOut;
  expectStatus(await c.http('PUT', '/api/v1/event-type/fake-id/', { body: eventTypeIn('test-event-type') }), 201);

  await patch(et.name, { description: 'updated_description' });
  let out = await get(et.name);
  expect(out.description).toBe('updated_description');
  expect(out.archived).toBe(et.archived);
  expect(out.schemas).toEqual(et.schemas);

  await patch(et.name, { schemas: {} });
  out = await get(et.name);
  expect(out.schemas).toEqual({});
  expect(out).toMatchObject({ archived: et.archived, description: 'updated_description' });

  await patch(et.name, { schemas: null });
  out = await get(et.name);
  expect(out.schemas).toBeNull();
  expect(out).toMatchObject({ archived: et.archived, description: 'updated_description' });

  await patch(et.name, { archived: true });
  out = await get(et.name);
  expect(out.archived).toBe(true);
  expect(out.schemas).toBeNull();
  expect(out.description).toBe('updated_description');
});

test('create, read, list with and without content (test_event_type_create_read_list)', async () => {
  const et = expectStatus(await c.http('POST', '/api/v1/event-type/', { body: eventTypeIn('test-event-type') }), 201).body as EventTypeOut;
  expect(await get(et.name)).toEqual(et);

  const withContent = expectStatus(await c.http('GET', '/api/v1/event-type/?with_content=true'), 200).body as List<EventTypeOut>;
  expect(withContent.data).toEqual([et]);
  // The v2 SDK sends with_content=false: the schemas are left out, the rest is the same.
  const listed = await c.svix.eventType.list();
  expect(listed.data).toHaveLength(1);
  expect(listed.data[0]).toMatchObject({ name: et.name, description: et.description, archived: false, schemas: undefined });
});

test('a flagged event type is seen only by tokens with its flag (test_event_type_feature_flags)', async () => {
  const flagged = expectStatus(
    await c.http('POST', '/api/v1/event-type/', { body: { name: 'event-type-with-flag', description: 'test-event-description', featureFlag: 'foo-feature' } }),
    201,
  ).body as EventTypeOut;
  expect(flagged).toMatchObject({ featureFlag: 'foo-feature', featureFlags: ['foo-feature'] });
  expectStatus(await c.http('POST', '/api/v1/event-type/', { body: { name: 'no-flag-event', description: 'test-event-description' } }), 201);
  const app = await c.svix.application.create({ name: 'TEST_APP_NAME' });

  for (const [flags, shouldSee] of [
    [[], false],
    [['bar-feature'], false],
    [['foo-feature', 'bar-feature'], true],
    [['foo-feature'], true],
  ] as const) {
    const { token } = await c.svix.authentication.appPortalAccess(app.id, { featureFlags: [...flags] });
    const list = expectStatus(await c.http('GET', '/api/v1/event-type/', { token }), 200).body as List<EventTypeOut>;
    if (shouldSee) {
      expect(await get(flagged.name, token)).toEqual(flagged);
      expect(list.data).toHaveLength(2);
      expect(list.data).toContainEqual(flagged);
    } else {
      await get(flagged.name, token, 404);
      expect(list.data).toHaveLength(1);
      expect(list.data).not.toContainEqual(flagged);
    }
  }
  // The admin token sees every event type; the v2 SDK's featureFlags list is kept as given.
  expect((await c.svix.eventType.list()).data).toHaveLength(2);
  const multi = await c.svix.eventType.create({ name: 'multi-flag', description: 'two flags', featureFlags: ['a-flag', 'b-flag'] });
  expect(multi.featureFlags).toEqual(['a-flag', 'b-flag']);
});

test('a flagged page still fills to its limit for a token that sees fewer types', async () => {
  for (let i = 0; i < 6; i++) {
    const body = { name: `paged-${i}`, description: 'p', ...(i % 2 === 0 ? { featureFlag: 'hidden' } : {}) };
    expectStatus(await c.http('POST', '/api/v1/event-type/', { body }), 201);
  }
  const app = await c.svix.application.create({ name: 'pager' });
  const { token } = await c.svix.authentication.appPortalAccess(app.id, {});
  const first = expectStatus(await c.http('GET', '/api/v1/event-type/?limit=2', { token }), 200).body as List<EventTypeOut> & { done: boolean; iterator: string };
  expect(first.data.map((e) => e.name)).toEqual(['paged-1', 'paged-3']);
  expect(first.done).toBe(false);
  const second = expectStatus(await c.http('GET', `/api/v1/event-type/?limit=2&iterator=${first.iterator}`, { token }), 200).body as List<EventTypeOut> & { done: boolean };
  expect(second.data.map((e) => e.name)).toEqual(['paged-5']);
  expect(second.done).toBe(true);
});

test('list: limits, paging, a malformed iterator (test_list)', async () => {
  await commonListChecks(c, '/api/v1/event-type/', (i) => eventTypeIn(`test-event-type-${i}`), { sortAscending: true, reversible: false });
});

test('a schema that is not valid JSON Schema is a 422 (test_schema)', async () => {
  const answer = expectStatus(
    await c.http('POST', '/api/v1/event-type/', { body: { name: 'bad-schema', description: 'I have a bad schema', schemas: { '1': { readOnly: 15 } } } }),
    422,
  );
  expect(answer.body).toEqual({ detail: [{ loc: ['body', 'schemas', '1', 'readOnly'], msg: expect.any(String), type: 'value_error.jsonschema' }] });
  // The same check on PUT and PATCH, and through the SDK.
  expectStatus(await c.http('POST', '/api/v1/event-type/', { body: { name: 'good-schema', description: 'ok', schemas: GEO_SCHEMA } }), 201);
  expectStatus(await c.http('PUT', '/api/v1/event-type/good-schema/', { body: { description: 'x', schemas: { '1': { type: 'strin' } } } }), 422);
  expectStatus(await c.http('PATCH', '/api/v1/event-type/good-schema/', { body: { schemas: { '1': { pattern: '((' } } } }), 422);
  const error = await c.svix.eventType.create({ name: 'sdk-bad', description: 'x', schemas: { '1': { required: 'latitude' } } }).catch((e: unknown) => e);
  expect((error as { code?: number }).code).toBe(422);
});
