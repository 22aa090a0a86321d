/**
 * Every answer an SDK-driven session gets validates against svix-openapi.json's response schemas (ajv,
 * formats on; test/support/svix-openapi-validator.ts). The real `svix` SDK drives the local stack
 * through a recording `fetch`, over the whole surface: applications, event types, endpoints (secret,
 * rotation, headers, stats, recover, send-example), messages, attempts (both listings, one attempt,
 * attempted messages and destinations, resend, expunge), app-portal access, health, deletes, and the
 * error answers (401, 404, 409, 422).
 */
import { ApiException, Svix } from 'svix';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { createSvixOpenApiValidator } from '../support/svix-openapi-validator.ts';
import { retrying, startConformance, unique, type Conformance } from './harness.ts';

interface Exchange {
  method: string;
  path: string;
  status: number;
  body: string;
}

let c: Conformance;
let receiver: Receiver;
const exchanges: Exchange[] = [];

/** A fetch that records what the SDK sent and got (the body is read from a clone). */
const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await fetch(request.clone());
  const url = new URL(request.url);
  exchanges.push({ method: request.method, path: url.pathname + url.search, status: response.status, body: await response.clone().text() });
  return response;
};

const expectFailure = async (call: Promise<unknown>, status: number): Promise<void> => {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    expect((error as ApiException<unknown>).code).toBe(status);
    return;
  }
  throw new Error(`expected a ${status}`);
};

beforeAll(async () => {
  [c, receiver] = await Promise.all([startConformance(), startReceiver()]);
});

afterAll(async () => {
  await receiver?.close();
  await c?.stop();
});

test('an SDK session over the whole API: every answer matches the document', async () => {
  const svix = new Svix(c.sluice.adminToken, { serverUrl: c.sluice.url, fetch: recordingFetch });
  const eventType = `doc.check.${unique()}`;

  await svix.health.get();
  const schemas = { '1': { type: 'object', properties: { n: { type: 'number' } }, examples: [{ n: 1 }] } };
  await svix.eventType.create({ name: eventType, description: 'checked against the document', schemas });
  await svix.eventType.get(eventType);
  await svix.eventType.list({ limit: 10 });
  await svix.eventType.upsert(eventType, { description: 'updated', schemas });
  await svix.eventType.patch(eventType, { deprecated: true });
  await expectFailure(svix.eventType.create({ name: eventType, description: 'again' }), 409);

  const app = await svix.application.create({ name: 'Doc check', uid: `doc-${unique()}`, metadata: { plan: 'pro' } });
  await svix.application.getOrCreate({ name: 'Doc check', uid: app.uid! });
  await svix.application.get(app.id);
  await svix.application.list({ limit: 5 });
  await svix.application.upsert(app.id, { name: 'Doc check 2', uid: app.uid! });
  await svix.application.patch(app.id, { metadata: { plan: 'team' } });
  await expectFailure(svix.application.get(`app-missing-${unique()}`), 404);
  await expectFailure(svix.application.create({ name: '' }), 422);

  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}/doc`, eventTypes: [eventType], uid: `ep-${unique()}` });
  await svix.endpoint.get(app.id, endpoint.id);
  await svix.endpoint.list(app.id);
  await svix.endpoint.upsert(app.id, endpoint.id, { url: `${receiver.url}/doc`, eventTypes: [eventType], uid: endpoint.uid! });
  await svix.endpoint.patch(app.id, endpoint.id, { description: 'patched' });
  await svix.endpoint.getSecret(app.id, endpoint.id);
  await svix.endpoint.rotateSecret(app.id, endpoint.id, {});
  await svix.endpoint.setHeaders(app.id, endpoint.id, { headers: { 'X-Doc': 'yes' } });
  await svix.endpoint.patchHeaders(app.id, endpoint.id, { headers: { 'X-More': '1' } });
  await svix.endpoint.getHeaders(app.id, endpoint.id);

  const msg = await svix.message.create(app.id, { eventType, payload: { n: 1 }, eventId: `evt-${unique()}` });
  await svix.message.get(app.id, msg.id);
  await svix.message.list(app.id, { limit: 5 });
  const attempt = await retrying(async () => {
    const list = await svix.messageAttempt.listByMsg(app.id, msg.id);
    if (list.data[0] === undefined) throw new Error('no attempt yet');
    return list.data[0];
  });
  await svix.messageAttempt.listByEndpoint(app.id, endpoint.id);
  await svix.messageAttempt.get(app.id, msg.id, attempt.id);
  await svix.messageAttempt.listAttemptedMessages(app.id, endpoint.id);
  await svix.messageAttempt.listAttemptedDestinations(app.id, msg.id);
  await svix.messageAttempt.resend(app.id, msg.id, endpoint.id);
  await svix.endpoint.getStats(app.id, endpoint.id);
  await svix.endpoint.recover(app.id, endpoint.id, { since: new Date(Date.now() - 3_600_000) });
  await svix.endpoint.sendExample(app.id, endpoint.id, { eventType, exampleIndex: 0 });
  await svix.authentication.appPortalAccess(app.id, {});
  await svix.messageAttempt.expungeContent(app.id, msg.id, attempt.id);
  await svix.message.expungeContent(app.id, msg.id);

  await expectFailure(new Svix('sluice_admin_wrong_token_000000', { serverUrl: c.sluice.url, fetch: recordingFetch }).application.list(), 401);

  await svix.endpoint.delete(app.id, endpoint.id);
  await svix.eventType.delete(eventType);
  await svix.application.delete(app.id);

  const validator = createSvixOpenApiValidator();
  const problems = exchanges.flatMap((e) => validator.check(e.method, e.path, e.status, e.body).problems);
  const operations = new Set(exchanges.map((e) => validator.operationFor(e.method, e.path)?.operationId));
  expect(operations.size).toBeGreaterThanOrEqual(38);
  expect(problems).toEqual([]);
});
