/**
 * Svix's server e2e tests for operational webhooks (server/svix-server/tests/it/e2e_operational_webhooks.rs),
 * ported in our own code: a real receiver stands for the operator's URL; every webhook it gets is
 * verified with the configured secret (svix's Webhook) before its body is read.
 *
 * Departure (README): Svix delivers operational webhooks through a management organisation whose
 * applications and event types live in the same server (test_operational_webhooks_event_types_exist);
 * Sluice sends them to one URL configured at deploy, so there are no such event types to read.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'svix';
import { eventually, startReceiver, type Receiver, type ReceivedWebhook } from '../support/receiver.ts';
import { expectStatus, startConformance, unique, type Conformance } from './harness.ts';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

interface OpsEvent {
  type: string;
  data: Record<string, unknown>;
}

let c: Conformance;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  c = await startConformance({
    // 1 + 5 attempts, as Svix's test: failing on the 4th failure, exhausted after the 6th.
    retryScheduleSeconds: [0, 0, 0, 0, 0],
    reliability: { operationalWebhook: { url: `${receiver.url}/ops`, secret: SECRET } },
  });
});

afterAll(async () => {
  await receiver?.close();
  await c?.stop();
});

function verified(hit: ReceivedWebhook): OpsEvent & { webhookId: string } {
  const headers = Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]));
  // Throws unless signed with the operator's secret (v2's verify returns nothing: the body is read after).
  new Webhook(SECRET).verify(hit.body, headers);
  return { ...(JSON.parse(hit.body) as OpsEvent), webhookId: headers['webhook-id']! };
}

/** The operational webhooks about `endpointId`, in arrival order, once each. */
function eventsFor(endpointId: string): OpsEvent[] {
  const seen = new Set<string>();
  const out: OpsEvent[] = [];
  for (const hit of receiver.received.filter((r) => r.path === '/ops')) {
    const { webhookId, ...event } = verified(hit);
    if (event.data.endpointId !== endpointId || seen.has(webhookId)) continue;
    seen.add(webhookId);
    out.push(event);
  }
  return out;
}

const waitForEvents = (endpointId: string, count: number): Promise<OpsEvent[]> =>
  eventually(async () => {
    const events = eventsFor(endpointId);
    return events.length >= count ? events : undefined;
  }, 20_000);

test('endpoint.created, .updated (PUT, PATCH, rotation) and .deleted, with Svix data (test_endpoint_create_update_and_delete)', async () => {
  const app = await c.svix.application.create({ name: 'TestOperationalWebhookApplicationRegular', uid: `ops-${unique()}` });
  const created = expectStatus(await c.http('POST', `/api/v1/app/${app.id}/endpoint/`, { body: { url: `${receiver.url}/regular`, uid: 'ep-ops' } }), 201)
    .body as { id: string; uid: string };
  const data = { appId: app.id, appUid: app.uid, endpointId: created.id, endpointUid: 'ep-ops' };
  expect(await waitForEvents(created.id, 1)).toEqual([{ type: 'endpoint.created', data }]);

  const updated = expectStatus(
    await c.http('PUT', `/api/v1/app/${app.id}/endpoint/${created.id}/`, { body: { url: `${receiver.url}/regular`, description: 'Updated description', uid: 'ep-ops' } }),
    200,
  ).body as { id: string };
  expect(updated.id).toBe(created.id);
  expect((await waitForEvents(created.id, 2))[1]).toEqual({ type: 'endpoint.updated', data });

  expectStatus(await c.http('POST', `/api/v1/app/${app.id}/endpoint/${created.id}/secret/rotate/`, { body: {} }), 204);
  expect((await waitForEvents(created.id, 3))[2]).toEqual({ type: 'endpoint.updated', data });

  await c.svix.endpoint.patch(app.id, created.id, { description: 'patched' });
  expect((await waitForEvents(created.id, 4))[3]).toEqual({ type: 'endpoint.updated', data });

  expectStatus(await c.http('DELETE', `/api/v1/app/${app.id}/endpoint/${created.id}/`), 204);
  expect((await waitForEvents(created.id, 5))[4]).toEqual({ type: 'endpoint.deleted', data });

  // A PUT that creates is endpoint.created; an endpoint without a uid reports null.
  const upserted = expectStatus(await c.http('PUT', `/api/v1/app/${app.id}/endpoint/by-put/`, { body: { url: `${receiver.url}/regular` } }), 201).body as { id: string };
  expect(await waitForEvents(upserted.id, 1)).toEqual([{ type: 'endpoint.created', data: { ...data, endpointId: upserted.id, endpointUid: 'by-put' } }]);
  const plain = await c.svix.endpoint.create(app.id, { url: `${receiver.url}/regular` });
  expect(await waitForEvents(plain.id, 1)).toEqual([{ type: 'endpoint.created', data: { ...data, endpointId: plain.id, endpointUid: null } }]);
});

test('message.attempt.failing, then .exhausted (test_message_attempt_operational_webhooks)', async () => {
  const app = await c.svix.application.create({ name: 'TestOperationalWebhookApplicationRegular' });
  receiver.script('/failing', [500]);
  const endpoint = await c.svix.endpoint.create(app.id, { url: `${receiver.url}/failing` });
  expect((await waitForEvents(endpoint.id, 1))[0]).toMatchObject({ type: 'endpoint.created' });

  const msg = await c.svix.message.create(app.id, { eventType: 'event.type', payload: { test: 'data' } });
  const events = await waitForEvents(endpoint.id, 3);
  expect(events.map((e) => e.type)).toEqual(['endpoint.created', 'message.attempt.failing', 'message.attempt.exhausted']);
  for (const event of events.slice(1)) {
    expect(event.data).toMatchObject({ appId: app.id, appUid: null, msgId: msg.id, endpointId: endpoint.id });
  }
});
