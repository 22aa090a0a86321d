/**
 * Conformance port of Svix's server/svix-server/tests/it/e2e_message.rs (svix/svix-webhooks) over
 * HTTP against the local stack. Cases that read Svix's database directly (the retention cleaner's
 * rows) are covered by Sluice's own retention tests instead (test/integration/retention-payload.test.ts).
 */
import { conformanceStack, createApp, createEndpoint, createMessage, unique, withRetries } from './attempt-harness.ts';

const { api, receiver } = conformanceStack([0]);

test('create, read, list, channel filter', async () => {
  const app = await createApp(api, 'v1MessageCRTestApp');
  await createEndpoint(api, app.id, 'http://localhost:2/bad/url/');
  const m1 = await createMessage(api, app.id, { test: 'value' });
  const m2 = await createMessage(api, app.id, { test: 'value2' });
  const m3 = await createMessage(api, app.id, { test: 'data3' }, 'balloon.popped', ['news']);
  expect(await api.get(`app/${app.id}/msg/${m1.id}/`)).toEqual(m1);
  expect(await api.get(`app/${app.id}/msg/${m2.id}/`)).toEqual(m2);
  const list = await api.get(`app/${app.id}/msg/`);
  expect(list.data).toHaveLength(3);
  for (const m of [m1, m2, m3]) expect(list.data).toContainEqual(m);
  expect((await api.get(`app/${app.id}/msg/?channel=news`)).data).toEqual([m3]);
});

test('with_content=false leaves the payload out of create, get and list', async () => {
  const app = await createApp(api, 'v1MessageCRTestApp');
  const m1 = await api.post(`app/${app.id}/msg/?with_content=false`, { eventType: 'event.type', payload: { test: 'value' } }, 202);
  expect(m1.payload).toEqual({});
  expect((await api.get(`app/${app.id}/msg/${m1.id}/`)).payload).toEqual({ test: 'value' });
  expect((await api.get(`app/${app.id}/msg/${m1.id}/?with_content=false`)).payload).toEqual({});
  expect((await api.get(`app/${app.id}/msg/?with_content=false`)).data).toEqual([m1]);
});

test('a failed message gets recorded, and a retry that succeeds too (multiple endpoints)', async () => {
  const app = await createApp(api, 'v1MessageCRTestApp');
  const ok1 = await receiver(200);
  const failing = await receiver(500);
  const ok3 = await receiver(200);
  const endpoints = [];
  for (const r of [ok1, failing, ok3]) endpoints.push(await createEndpoint(api, app.id, r.endpoint));
  const failedEp = endpoints[1]!;
  const payload = { test: 'value1' };
  const msg = await createMessage(api, app.id, payload);
  await withRetries(async () => {
    for (const r of [ok1, failing, ok3]) expect(r.bodies[0]).toEqual(payload);
  });
  await withRetries(async () => {
    const attempts = await api.get(`app/${app.id}/attempt/msg/${msg.id}/`);
    expect(attempts.data.some((a: { responseStatusCode: number }) => a.responseStatusCode === 500)).toBe(true);
  });
  // Svix's next scheduled attempt succeeds; here the schedule (one immediate retry) is spent first
  // and a resend stands in for it.
  await withRetries(async () => {
    const attempts = await api.get(`app/${app.id}/attempt/msg/${msg.id}/?endpoint_id=${failedEp.id}`);
    expect(attempts.data).toHaveLength(2);
  });
  failing.status = 200;
  await api.post(`app/${app.id}/msg/${msg.id}/endpoint/${failedEp.id}/resend/`, {}, 202);
  await withRetries(async () => {
    const attempts = await api.get(`app/${app.id}/attempt/msg/${msg.id}/?endpoint_id=${failedEp.id}`);
    expect(attempts.data.some((a: { responseStatusCode: number }) => a.responseStatusCode === 200)).toBe(true);
  });
  expect(failing.bodies.at(-1)).toEqual(payload);
});

test('expunge message payload: reads show {"expired": true}, resend is 400 missing_payload', async () => {
  const app = await createApp(api, 'testApp');
  const ep = await createEndpoint(api, app.id, 'http://localhost:2/bad/url/');
  const payload = { sensitive: 'data' };
  const msg = await createMessage(api, app.id, payload);
  expect(msg.payload).toEqual(payload);
  expect((await api.get(`app/${app.id}/msg/${msg.id}/`)).payload).toEqual(payload);
  await api.call('DELETE', `app/${app.id}/msg/${msg.id}/content/`, 204);
  expect((await api.get(`app/${app.id}/msg/${msg.id}/`)).payload).toEqual({ expired: true });
  expect((await api.get(`app/${app.id}/msg/`)).data[0].payload).toEqual({ expired: true });
  const resend = await api.post(`app/${app.id}/msg/${msg.id}/endpoint/${ep.id}/resend/`, {}, 400);
  expect(resend.code).toBe('missing_payload');
  await api.call('DELETE', `app/${app.id}/msg/msg_3MxJMZ4rae1NjH7Z1Ih1vUiqIAu/content/`, 404);
});

test('a duplicate eventId is 409, a too-large payload 413', async () => {
  const app = await createApp(api, 'v1MessageCRTestApp');
  const body = { eventType: 'user.signup', payload: { test: 'value' }, payloadRetentionPeriod: 5, eventId: 'test1' };
  await api.post(`app/${app.id}/msg/`, body, 202);
  await api.post(`app/${app.id}/msg/`, body, 409);
  // Svix's test sends ~9 MB: over Sluice's request body limit (5 MiB payloads with the S3 bucket), the same 413.
  await api.post(`app/${app.id}/msg/`, { eventType: 'e', payload: { large_payload: 'payload-'.repeat(1_200_000) } }, 413);
});

test('raw payload: the receiver gets exactly transformationsParams.rawPayload', async () => {
  const app = await createApp(api, 'testRawPayload');
  const rec = await receiver(200);
  await createEndpoint(api, app.id, rec.endpoint);
  const payload = { test: 'value1' };
  await api.post(`app/${app.id}/msg/`, { eventType: 'payload.raw', payload: {}, transformationsParams: { rawPayload: JSON.stringify(payload) } }, 202);
  await withRetries(async () => expect(rec.bodies[0]).toEqual(payload));
});

test('create a message with its application', async () => {
  const uid = `app-created-in-cmg-${unique()}`;
  await api.post(`app/${uid}/msg/`, { eventType: 'test.event', payload: { test: 'value' } }, 404);
  await api.post(`app/${uid}/msg/`, { eventType: 'test.event', payload: { test: 'value1' }, application: { name: 'Test App Created With Message', uid } }, 202);
  expect(await api.get(`app/${uid}/`)).toMatchObject({ uid, name: 'Test App Created With Message' });
  await api.post(`app/${uid}/msg/`, { eventType: 'test.event', payload: { test: 'value2' }, application: { name: 'Updated name will be ignored', uid } }, 202);
  expect((await api.get(`app/${uid}/`)).name).toBe('Test App Created With Message');
  await api.post('app/different-uid/msg/', { eventType: 'test.event', payload: { test: 'value' }, payloadRetentionPeriod: 5, application: { name: 'Test App', uid } }, 422);
  // Departure (functions/core/applications/service.ts, implicitApplicationUid): Svix answers 422
  // application_uid_missing when the body's application has no uid; Sluice names the new application
  // by the path's uid, which is what the caller asked for.
  const pathUid = `new-app-uid-${unique()}`;
  await api.post(`app/${pathUid}/msg/`, { eventType: 'test.event', payload: { test: 'value' }, payloadRetentionPeriod: 5, application: { name: 'Test App Without UID' } }, 202);
  expect((await api.get(`app/${pathUid}/`)).uid).toBe(pathUid);
});
