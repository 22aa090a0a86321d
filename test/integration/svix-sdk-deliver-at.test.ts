/**
 * MessageIn.deliverAt through the local stack with the real `svix` SDK: a scheduled message reaches
 * the receiver no earlier than its deliverAt (the fan-out task is delayed in SQS), a fan-out task
 * received early is held until then, an unscheduled one arrives at once, and more than 24 h ahead is
 * refused. The content of a scheduled webhook is the same as any other's.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ApiException, Svix, Webhook } from 'svix';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startSluice } from '../../local/stack.ts';
import { startReceiver, type Receiver, type ReceivedWebhook } from '../support/receiver.ts';

type Sluice = Awaited<ReturnType<typeof startSluice>>;

let sluice: Sluice;
let receiver: Receiver;
let svix: Svix;

beforeAll(async () => {
  [sluice, receiver] = await Promise.all([startSluice({ port: 0, allowPrivateNetworks: true }), startReceiver()]);
  svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
});

afterAll(async () => {
  await receiver?.close();
  await sluice?.stop();
});

const headerRecord = (hit: ReceivedWebhook): Record<string, string> =>
  Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]));

test('deliverAt: held until due, unscheduled at once, refused beyond 24 h', async () => {
  const app = await svix.application.create({ name: 'Scheduled' });
  const path = `/scheduled-${app.id}`;
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}${path}` });
  const secret = (await svix.endpoint.getSecret(app.id, endpoint.id)).key;

  const publishedAt = Date.now();
  const deliverAt = new Date(publishedAt + 3_000);
  const scheduled = await svix.message.create(app.id, { eventType: 'report.ready', payload: { n: 1 }, deliverAt });
  const immediate = await svix.message.create(app.id, { eventType: 'report.ready', payload: { n: 2 } });
  expect(scheduled.deliverAt?.toISOString()).toBe(deliverAt.toISOString());
  expect((await svix.message.get(app.id, scheduled.id)).deliverAt?.toISOString()).toBe(deliverAt.toISOString());

  // The same message's fan-out task sent again WITHOUT a delay, as if SQS handed it over early:
  // fan-out must hold it until deliverAt (a second, at-least-once delivery of the same webhook-id).
  const sqs = new SQSClient({ endpoint: sluice.endpoints.sqs, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const task = { kind: 'message', appId: app.id, msgId: scheduled.id, eventType: 'report.ready', channels: null, deliverAt: deliverAt.toISOString() };
    await sqs.send(new SendMessageCommand({ QueueUrl: sluice.queueUrls.fanout, MessageBody: JSON.stringify(task) }));
  } finally {
    sqs.destroy();
  }

  const tooFar = await svix.message
    .create(app.id, { eventType: 'report.ready', payload: {}, deliverAt: new Date(Date.now() + 25 * 3_600_000) })
    .then(
      () => undefined,
      (error: unknown) => error as ApiException<{ detail?: { loc: string[] }[] }>,
    );
  expect(tooFar).toBeInstanceOf(ApiException);
  expect(tooFar?.code).toBe(422);
  expect(tooFar?.body.detail?.[0]?.loc).toEqual(['body', 'deliverAt']);

  // The only deadline (generous for a loaded machine); what matters is the order, checked below.
  const hits = await receiver.waitFor(path, 3, 15_000);
  const byId = (id: string) => hits.filter((h) => h.headers['webhook-id'] === id);
  const [now] = byId(immediate.id);
  const later = byId(scheduled.id);
  expect(later).toHaveLength(2);
  for (const hit of later) {
    // Delays are whole seconds rounded up, so nothing arrives before deliverAt (50 ms for clock reads).
    expect(hit.receivedAt).toBeGreaterThanOrEqual(deliverAt.getTime() - 50);
    expect(JSON.parse(hit.body)).toEqual({ n: 1 });
    expect(() => new Webhook(secret).verify(hit.body, headerRecord(hit))).not.toThrow();
  }
  // Unscheduled at once: before the scheduled one, published first, came due.
  expect(now!.receivedAt).toBeLessThan(later[0]!.receivedAt);
});
