/**
 * The whole pipeline, driven the way users drive it: the real `svix` SDK (v2) over HTTP against the
 * local stack (API front, fan-out and delivery pollers, DynamoDB Local, fauxqs), delivering to a real
 * HTTP receiver; every webhook is verified with the SDK's Webhook class and with `standardwebhooks`.
 */
import { ApiException, Svix, Webhook } from 'svix';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { startSluice } from '../../local/stack.ts';
import { eventually, startReceiver, type Receiver, type ReceivedWebhook } from '../support/receiver.ts';

type Sluice = Awaited<ReturnType<typeof startSluice>>;

let sluice: Sluice;
let receiver: Receiver;
let svix: Svix;

beforeAll(async () => {
  [sluice, receiver] = await Promise.all([
    // SILENT: the stack's INFO logs (JSON) would otherwise land in the test output.
    startSluice({ port: 0, retryScheduleSeconds: [1, 1, 1], allowPrivateNetworks: true, logLevel: 'SILENT' }),
    startReceiver(),
  ]);
  svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
});

afterAll(async () => {
  await receiver?.close();
  await sluice?.stop();
});

function headerRecord(hit: ReceivedWebhook): Record<string, string> {
  return Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]));
}

function expectVerified(hit: ReceivedWebhook, secret: string): void {
  const headers = headerRecord(hit);
  expect(() => new Webhook(secret).verify(hit.body, headers)).not.toThrow();
  expect(() => new StandardWebhook(secret).verify(hit.body, headers)).not.toThrow();
}

async function apiError(call: Promise<unknown>): Promise<ApiException<{ code?: string; detail?: unknown }>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) return error as ApiException<{ code?: string; detail?: unknown }>;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const unique = (): string => Math.random().toString(36).slice(2, 10);

test('applications: create, get by id and uid, get-or-create, list, patch, delete', async () => {
  const uid = `acme-${unique()}`;
  const app = await svix.application.create({ name: 'Acme', uid, metadata: { plan: 'pro' } });
  expect(app.id).toMatch(/^app_[0-9A-Za-z]{27}$/);
  expect(app.createdAt).toBeInstanceOf(Date);
  expect(Number.isNaN(app.createdAt.getTime())).toBe(false);
  expect(app.metadata).toEqual({ plan: 'pro' });

  expect((await svix.application.get(uid)).id).toBe(app.id);
  expect((await svix.application.getOrCreate({ name: 'Other', uid })).id).toBe(app.id);

  const conflict = await apiError(svix.application.create({ name: 'Dup', uid }));
  expect(conflict.code).toBe(409);
  expect(conflict.body.code).toBe('conflict');

  const patched = await svix.application.patch(app.id, { name: 'Acme Inc' });
  expect(patched.name).toBe('Acme Inc');
  expect(patched.metadata).toEqual({ plan: 'pro' });

  const listed = await svix.application.list({ limit: 250 });
  expect(listed.data.map((a) => a.id)).toContain(app.id);

  await svix.application.delete(app.id);
  expect((await apiError(svix.application.get(app.id))).code).toBe(404);
});

test('pagination walks forward with iterator and back with prevIterator', async () => {
  const prefix = unique();
  const created: Awaited<ReturnType<typeof svix.application.create>>[] = [];
  for (let i = 0; i < 5; i++) created.push(await svix.application.create({ name: `page-${prefix}-${i}` }));
  const mine = (ids: string[]): string[] => ids.filter((id) => created.some((a) => a.id === id));

  const first = await svix.application.list({ limit: 2, iterator: created[0]!.id.replace(/.$/, '0') });
  expect(first.data).toHaveLength(2);
  expect(first.done).toBe(false);
  const second = await svix.application.list({ limit: 2, iterator: first.iterator });
  expect(mine(second.data.map((a) => a.id))).toEqual([created[2]!.id, created[3]!.id].filter((id) => id > first.iterator!));
  const back = await svix.application.list({ limit: 2, iterator: second.prevIterator });
  expect(back.data.map((a) => a.id)).toEqual(first.data.map((a) => a.id));
});

test('errors come back in the Svix shape', async () => {
  const bad = new Svix('sluice_admin_wrong-token-000000000000', { serverUrl: sluice.url });
  const unauthorized = await apiError(bad.application.list());
  expect(unauthorized.code).toBe(401);
  expect(unauthorized.body).toEqual({ code: 'authentication_failed', detail: 'Invalid token' });

  const missing = await apiError(svix.application.get('app_2ZzZzZzZzZzZzZzZzZzZzZzZzZz'));
  expect(missing.code).toBe(404);
  expect(missing.body).toEqual({ code: 'not_found', detail: 'Entity not found' });

  const app = await svix.application.create({ name: 'errors' });
  const invalid = await apiError(svix.endpoint.create(app.id, { url: 'ftp://example.com/hook' }));
  expect(invalid.code).toBe(422);
  const detail = invalid.body.detail as { loc: string[]; msg: string; type: string }[];
  expect(detail[0]?.loc).toEqual(['body', 'url']);

  const unknownType = await apiError(svix.endpoint.create(app.id, { url: `${receiver.url}/x`, eventTypes: ['no.such.type'] }));
  expect(unknownType.code).toBe(422);

  const notObject = await apiError(svix.message.create(app.id, { eventType: 'a.b', payload: [1, 2] as unknown as Record<string, unknown> }));
  expect(notObject.code).toBe(422);
});

test('event types: create, duplicate, list', async () => {
  const name = `invoice.paid-${unique()}`;
  const created = await svix.eventType.create({ name, description: 'An invoice was paid' });
  expect(created.name).toBe(name);
  expect(created.deprecated).toBe(false);
  const duplicate = await apiError(svix.eventType.create({ name, description: 'again' }));
  expect(duplicate.code).toBe(409);
  expect(duplicate.body.code).toBe('event_type_exists');
  const listed = await svix.eventType.list({ limit: 250 });
  expect(listed.data.map((e) => e.name)).toContain(name);
  expect((await svix.eventType.get(name)).description).toBe('An invoice was paid');
});

test('a published message reaches every matching endpoint, signed, and its attempts are logged', async () => {
  const type = `user.signup-${unique()}`;
  await svix.eventType.create({ name: type, description: 'signup' });
  await svix.eventType.create({ name: `${type}.other`, description: 'other' });
  const app = await svix.application.create({ name: 'delivery' });
  const all = await svix.endpoint.create(app.id, { url: `${receiver.url}/all-${app.id}`, uid: 'all' });
  const typed = await svix.endpoint.create(app.id, { url: `${receiver.url}/typed-${app.id}`, eventTypes: [type] });
  const otherType = await svix.endpoint.create(app.id, { url: `${receiver.url}/other-${app.id}`, eventTypes: [`${type}.other`] });
  const channeled = await svix.endpoint.create(app.id, { url: `${receiver.url}/chan-${app.id}`, channels: ['project_1'] });
  const disabled = await svix.endpoint.create(app.id, { url: `${receiver.url}/off-${app.id}`, disabled: true });
  expect(all.eventTypes ?? null).toBeNull();
  expect(typed.eventTypes).toEqual([type]);
  expect((await svix.endpoint.get(app.id, 'all')).id).toBe(all.id);

  const payload = { email: 'a@b.c', nested: { n: 1, list: [1, 'two', null] }, unicode: 'żółw 🐢' };
  const msg = await svix.message.create(app.id, { eventType: type, eventId: `evt-${unique()}`, payload, channels: ['project_1'] });
  expect(msg.id).toMatch(/^msg_/);

  const [allHit] = await receiver.waitFor(`/all-${app.id}`, 1);
  const [typedHit] = await receiver.waitFor(`/typed-${app.id}`, 1);
  const [chanHit] = await receiver.waitFor(`/chan-${app.id}`, 1);
  for (const [hit, endpoint] of [
    [allHit!, all],
    [typedHit!, typed],
    [chanHit!, channeled],
  ] as const) {
    expect(JSON.parse(hit.body)).toEqual(payload);
    expect(hit.headers['webhook-id']).toBe(msg.id);
    expect(hit.headers['svix-id']).toBe(msg.id);
    expectVerified(hit, (await svix.endpoint.getSecret(app.id, endpoint.id)).key);
  }

  const byEventId = await svix.message.get(app.id, msg.eventId!);
  expect(byEventId.id).toBe(msg.id);

  const attempts = await eventually(async () => {
    const list = await svix.messageAttempt.listByMsg(app.id, msg.id);
    return list.data.length === 3 ? list : undefined;
  });
  expect(attempts.data.every((a) => a.status === 0 && a.responseStatusCode === 200)).toBe(true);
  expect(new Set(attempts.data.map((a) => a.endpointId))).toEqual(new Set([all.id, typed.id, channeled.id]));
  const byEndpoint = await svix.messageAttempt.listByEndpoint(app.id, typed.id);
  expect(byEndpoint.data).toHaveLength(1);
  expect(byEndpoint.data[0]).toMatchObject({ msgId: msg.id, status: 0, triggerType: 0, url: typed.url });

  // Nothing for the endpoint of another type, nor the disabled one.
  await new Promise((r) => setTimeout(r, 500));
  expect(receiver.received.filter((r) => r.path === `/other-${app.id}` || r.path === `/off-${app.id}`)).toHaveLength(0);
  expect((await svix.messageAttempt.listByEndpoint(app.id, otherType.id)).data).toHaveLength(0);
  expect((await svix.messageAttempt.listByEndpoint(app.id, disabled.id)).data).toHaveLength(0);
});

test('a receiver that fails twice gets three attempts, logged with their statuses', async () => {
  const app = await svix.application.create({ name: 'flaky' });
  const path = `/flaky-${app.id}`;
  receiver.script(path, [500, 503, 200]);
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}${path}` });
  const msg = await svix.message.create(app.id, { eventType: 'flaky.event', payload: { n: 1 } });

  const hits = await receiver.waitFor(path, 3);
  const secret = (await svix.endpoint.getSecret(app.id, endpoint.id)).key;
  for (const hit of hits) expectVerified(hit, secret);
  // Every attempt carries the message id and verifies (above) with its own timestamp; that the timestamp
  // is the attempt's and not the first one's is shown under a controlled clock in deliver-retry-delays.test.ts.
  expect(new Set(hits.map((h) => h.headers['webhook-id']))).toEqual(new Set([msg.id]));
  expect(hits[1]!.receivedAt - hits[0]!.receivedAt).toBeGreaterThanOrEqual(700);

  const attempts = await eventually(async () => {
    const list = await svix.messageAttempt.listByEndpoint(app.id, endpoint.id);
    return list.data.length === 3 ? list : undefined;
  });
  // Newest first.
  expect(attempts.data.map((a) => [a.status, a.responseStatusCode])).toEqual([
    [0, 200],
    [2, 503],
    [2, 500],
  ]);
  expect(attempts.data.map((a) => a.statusText)).toEqual(['success', 'fail', 'fail']);
});

test('after rotation both signatures verify during the grace period', async () => {
  const app = await svix.application.create({ name: 'rotation' });
  const path = `/rotate-${app.id}`;
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}${path}` });
  const oldSecret = (await svix.endpoint.getSecret(app.id, endpoint.id)).key;
  expect(oldSecret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
  await svix.endpoint.rotateSecret(app.id, endpoint.id, {});
  const newSecret = (await svix.endpoint.getSecret(app.id, endpoint.id)).key;
  expect(newSecret).not.toBe(oldSecret);

  await svix.message.create(app.id, { eventType: 'rotation.event', payload: { rotated: true } });
  const [hit] = await receiver.waitFor(path, 1);
  expect(String(hit!.headers['webhook-signature']).split(' ')).toHaveLength(2);
  expectVerified(hit!, newSecret);
  expectVerified(hit!, oldSecret);
});

test('publishing is idempotent: the same key twice, even concurrently, makes one message', async () => {
  const app = await svix.application.create({ name: 'idempotent' });
  const idempotencyKey = `key-${unique()}`;
  const body = { eventType: 'order.created', payload: { order: 42 } };
  const [a, b] = await Promise.all([
    svix.message.create(app.id, body, { idempotencyKey }),
    svix.message.create(app.id, body, { idempotencyKey }),
  ]);
  const c = await svix.message.create(app.id, body, { idempotencyKey });
  expect(b.id).toBe(a.id);
  expect(c.id).toBe(a.id);
  const list = await svix.message.list(app.id);
  expect(list.data.map((m) => m.id)).toEqual([a.id]);

  const eventId = `evt-${unique()}`;
  await svix.message.create(app.id, { ...body, eventId });
  const duplicate = await apiError(svix.message.create(app.id, { ...body, eventId }));
  expect(duplicate.code).toBe(409);
});

test('resend delivers again as a manual attempt', async () => {
  const app = await svix.application.create({ name: 'resend' });
  const path = `/resend-${app.id}`;
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}${path}` });
  const msg = await svix.message.create(app.id, { eventType: 'resend.event', payload: { again: true } });
  await receiver.waitFor(path, 1);
  await svix.messageAttempt.resend(app.id, msg.id, endpoint.id);
  await receiver.waitFor(path, 2);
  const attempts = await eventually(async () => {
    const list = await svix.messageAttempt.listByMsg(app.id, msg.id);
    return list.data.length === 2 ? list : undefined;
  });
  expect(attempts.data.map((a) => a.triggerType).sort()).toEqual([0, 1]);
});
