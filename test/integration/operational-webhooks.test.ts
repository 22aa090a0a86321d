/**
 * Operational webhooks against the local stack: sent to the URL configured at deploy, signed with
 * its secret (verified here with `standardwebhooks` and the svix SDK's Webhook), with Svix's payloads:
 * message.attempt.failing on the 4th failure, message.attempt.exhausted after the last, and
 * endpoint.disabled (plus exhausted) when a receiver answers 410 Gone. The operator's receiver fails
 * at first: operational webhooks are retried like any webhook.
 */
import { randomBytes } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Svix, Webhook } from 'svix';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { eventually, startReceiver, type Receiver, type ReceivedWebhook } from '../support/receiver.ts';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

let sluice: RunningSluice;
let receiver: Receiver;
let svix: Svix;

beforeAll(async () => {
  receiver = await startReceiver();
  sluice = await startSluice({
    port: 0,
    retryScheduleSeconds: [1, 1, 1, 1],
    logLevel: 'SILENT',
    reliability: { operationalWebhook: { url: `${receiver.url}/ops`, secret: SECRET } },
  });
  svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
});

afterAll(async () => {
  await receiver?.close();
  await sluice?.stop();
});

interface OpsEvent {
  type: string;
  data: Record<string, unknown> & { lastAttempt?: { id: string; timestamp: string; responseStatusCode: number } };
}

function verified(hit: ReceivedWebhook): OpsEvent {
  const headers = Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]));
  expect(() => new Webhook(SECRET).verify(hit.body, headers)).not.toThrow();
  return new StandardWebhook(SECRET).verify(hit.body, headers) as OpsEvent;
}

/** The operational webhooks received, verified, one per webhook-id (a retried one arrives twice). */
const opsEvents = (): OpsEvent[] => {
  const byId = new Map<string, OpsEvent>();
  for (const hit of receiver.received.filter((r) => r.path === '/ops')) byId.set(String(hit.headers['webhook-id']), verified(hit));
  return [...byId.values()];
};

test('failing on the 4th failure, exhausted after the last; retried until the operator accepts them', async () => {
  receiver.script('/ops', [503, 200]);
  const app = await svix.application.create({ name: 'ops', uid: `ops-${Date.now()}` });
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}/always-500` });
  receiver.script('/always-500', [500]);
  const msg = await svix.message.create(app.id, { eventType: 'invoice.paid', eventId: `evt-${Date.now()}`, payload: { a: 1 } });

  await receiver.waitFor('/always-500', 5, 15_000);
  const events = await eventually(async () => {
    const got = opsEvents().filter((e) => e.data.msgId === msg.id);
    return got.length >= 2 ? got : undefined;
  }, 15_000);
  const byType = new Map(events.map((e) => [e.type, e]));
  expect([...byType.keys()].sort()).toEqual(['message.attempt.exhausted', 'message.attempt.failing']);

  const attempts = (await svix.messageAttempt.listByMsg(app.id, msg.id)).data.sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(attempts).toHaveLength(5);
  for (const [type, attempt] of [['message.attempt.failing', attempts[3]!], ['message.attempt.exhausted', attempts[4]!]] as const) {
    expect(byType.get(type)).toEqual({
      type,
      data: {
        appId: app.id,
        appUid: app.uid,
        endpointId: endpoint.id,
        msgId: msg.id,
        msgEventId: msg.eventId,
        lastAttempt: { id: attempt.id, timestamp: attempt.timestamp.toISOString(), responseStatusCode: 500 },
      },
    });
  }
  // The 503 was retried: the operator got the first event on a second try, under the same webhook-id.
  const opsHits = receiver.received.filter((r) => r.path === '/ops');
  expect(opsHits.filter((h) => h.headers['webhook-id'] === opsHits[0]!.headers['webhook-id']).length).toBe(2);
  expect(String(opsHits[0]!.headers['webhook-id'])).toMatch(/^msg_[0-9A-Za-z]{27}$/);
});

test('410 Gone disables the endpoint and sends endpoint.disabled', async () => {
  receiver.script('/ops', [200]);
  const app = await svix.application.create({ name: 'gone' });
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}/gone`, uid: 'gone-endpoint' });
  receiver.script('/gone', [410]);
  await svix.message.create(app.id, { eventType: 'invoice.paid', payload: { a: 1 } });

  const disabled = await eventually(async () => {
    return opsEvents().find((e) => e.type === 'endpoint.disabled' && e.data.endpointId === endpoint.id);
  }, 10_000);
  expect(disabled).toEqual({
    type: 'endpoint.disabled',
    data: { appId: app.id, appUid: null, endpointId: endpoint.id, endpointUid: 'gone-endpoint', failSince: null, trigger: 'automatic' },
  });
  expect((await svix.endpoint.get(app.id, endpoint.id)).disabled).toBe(true);
  expect(receiver.received.filter((r) => r.path === '/gone')).toHaveLength(1);
});
