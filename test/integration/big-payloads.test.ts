/**
 * Payloads over 256 KiB (up to 5 MiB) through the whole local stack, with the real svix SDK: the api
 * keeps them in fauxqs's S3 (the claim check), the workers read them from there, and the webhook is the
 * same bytes as a small payload's would be, verified by `standardwebhooks`. Resend, list pages, expunge,
 * the 413 over 5 MiB, and retention (read through the store with a payload that expires in a second).
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Svix } from 'svix';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { createMessageStore } from '../../functions/adapters/dynamo/messages.ts';
import { createS3PayloadObjects } from '../../functions/adapters/s3/payload-objects.ts';
import { OMITTED_FROM_LIST } from '../../functions/api/serializers/messages.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { LOCAL_PAYLOAD_BUCKET } from '../../local/resources.ts';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { startReceiver, type ReceivedWebhook, type Receiver } from '../support/receiver.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MiB = 1024 * 1024;

let sluice: RunningSluice;
let receiver: Receiver;
let svix: Svix;
let s3: S3Client;
let appId: string;
let endpointId: string;

/** Equal as JSON, without a multi-megabyte diff when not. */
const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A payload whose JSON is about `bytes` long, unique per `tag`. */
const payloadOf = (tag: string, bytes: number) => ({ tag, blob: 'x'.repeat(bytes), nested: { n: 1.5, list: [1, 'two', null, true] } });

async function objectKeys(): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_PAYLOAD_BUCKET }));
  return (listed.Contents ?? []).map((o) => o.Key!);
}

function verify(hit: ReceivedWebhook): unknown {
  const headers = Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]));
  return new StandardWebhook(SECRET).verify(hit.body, headers);
}

beforeAll(async () => {
  [sluice, receiver] = await Promise.all([
    startSluice({ port: 0, retryScheduleSeconds: [1], allowPrivateNetworks: true, logLevel: 'SILENT' }),
    startReceiver(),
  ]);
  svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
  s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: sluice.endpoints.sqs, forcePathStyle: true });
  appId = (await svix.application.create({ name: 'Big payloads' })).id;
  endpointId = (await svix.endpoint.create(appId, { url: `${receiver.url}/big`, secret: SECRET })).id;
});

afterAll(async () => {
  s3?.destroy();
  await receiver?.close();
  await sluice?.stop();
});

test('a 4 MiB payload is stored in S3, delivered byte-exact and signed, resent, and read back', async () => {
  const payload = payloadOf('four', 4 * MiB);
  const message = await svix.message.create(appId, { eventType: 'big.one', payload });
  expect(await objectKeys()).toEqual([`retention-90d/${appId}/${message.id}.json`]);

  const [hit] = await receiver.waitFor('/big', 1, 30_000);
  expect(hit!.body === JSON.stringify(payload)).toBe(true); // what a small payload's webhook would be
  expect(sameJson(verify(hit!), payload)).toBe(true);

  const read = await svix.message.get(appId, message.id, { withContent: true });
  expect(sameJson(read.payload, payload)).toBe(true);

  await svix.messageAttempt.resend(appId, message.id, endpointId);
  const hits = await receiver.waitFor('/big', 2, 30_000);
  expect(hits[1]!.body === hits[0]!.body).toBe(true);
  expect(sameJson(verify(hits[1]!), payload)).toBe(true);
});

test('a list page carries big payloads up to its budget and says which it left out', async () => {
  const small = await svix.message.create(appId, { eventType: 'big.list', payload: payloadOf('medium', 300 * 1024) });
  const page = await svix.message.list(appId, { withContent: true, limit: 10 });
  const byId = new Map(page.data.map((m) => [m.id, m.payload]));
  expect(sameJson(byId.get(small.id), payloadOf('medium', 300 * 1024))).toBe(true); // in S3 too, within the budget
  const omitted = page.data.filter((m) => JSON.stringify(m.payload) === JSON.stringify({ omitted: OMITTED_FROM_LIST }));
  expect(omitted.map((m) => m.eventType)).toEqual(['big.one']); // 4 MiB: more than a page may carry
});

test('over 5 MiB is a 413 in the Svix error shape, and nothing is stored', async () => {
  const before = await objectKeys();
  const response = await fetch(`${sluice.url}/api/v1/app/${appId}/msg`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sluice.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ eventType: 'big.toobig', payload: payloadOf('too-big', 5 * MiB) }),
  });
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ code: 'payload_too_large' });
  expect(await objectKeys()).toEqual(before);
});

test('expunge deletes the object; the message reads as expunged', async () => {
  const message = await svix.message.create(appId, { eventType: 'big.expunge', payload: payloadOf('expunged', 512 * 1024) });
  const objectKey = `retention-90d/${appId}/${message.id}.json`;
  expect(await objectKeys()).toContain(objectKey);
  await svix.message.expungeContent(appId, message.id);
  expect(await objectKeys()).not.toContain(objectKey);
  await expect(s3.send(new GetObjectCommand({ Bucket: LOCAL_PAYLOAD_BUCKET, Key: objectKey }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  expect((await svix.message.get(appId, message.id, { withContent: true })).payload).toEqual({ expired: true });
});

test('a big payload expires with its retention (the object under its retention prefix, reads gone at once)', async () => {
  const dynamo = new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: sluice.endpoints.dynamodb });
  const store = createMessageStore({ client: dynamo, name: 'sluice' }, createS3PayloadObjects(LOCAL_PAYLOAD_BUCKET, async () => s3));
  const now = Date.now();
  const message = {
    id: 'msg_2ZbigRetentionTest000000000',
    appId,
    eventType: 'big.retention',
    payload: payloadOf('short-lived', 300 * 1024),
    eventId: null,
    channels: null,
    tags: null,
    timestamp: new Date(now).toISOString(),
    deliverAt: null,
    payloadExpiresAt: new Date(now + 1500).toISOString(),
  };
  await store.create(message);
  expect(await objectKeys()).toContain(`retention-1d/${appId}/${message.id}.json`); // S3 lifecycle: 1 day
  expect(sameJson((await store.get(appId, message.id))?.payload, message.payload)).toBe(true);
  await new Promise((r) => setTimeout(r, 1600));
  const after = await store.get(appId, message.id);
  expect([after?.id, after?.payload]).toEqual([message.id, null]);
  dynamo.destroy();
});
