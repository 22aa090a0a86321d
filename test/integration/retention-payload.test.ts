/**
 * Payload retention against the local stack (svix SDK): a `payloadRetentionHours` shorter than the
 * record's 90 days puts the payload in its own item with that TTL, while the message record stays. Time is moved by hand: the payload item's
 * TTL attribute is set into the past (what it looks like after an hour, before DynamoDB's TTL sweeper
 * has run), then the item is deleted (after the sweeper ran). Both read as `{"expired": true}`, the
 * message stays listed (and readable by eventId), and resend answers 400 missing_payload. (A delivery
 * task meeting an expired payload records a failed attempt: deliver-handler-edge-cases.test.ts.)
 */
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ApiException, Svix } from 'svix';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { eventually, startReceiver, type Receiver } from '../support/receiver.ts';

let sluice: RunningSluice;
let receiver: Receiver;
let svix: Svix;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  [sluice, receiver] = await Promise.all([startSluice({ port: 0, retryScheduleSeconds: [1], logLevel: 'SILENT' }), startReceiver()]);
  svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
  dynamo = new DynamoDBClient({ endpoint: sluice.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
});

afterAll(async () => {
  dynamo?.destroy();
  await receiver?.close();
  await sluice?.stop();
});

const itemKey = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });
const ttlOf = async (pk: string, sk: string): Promise<number> =>
  Number((await dynamo.send(new GetItemCommand({ TableName: sluice.tableName, Key: itemKey(pk, sk) }))).Item?.['expiresAt']?.N);

async function apiError(call: Promise<unknown>): Promise<ApiException<{ code?: string }>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) return error as ApiException<{ code?: string }>;
    throw error;
  }
  throw new Error('expected the call to fail');
}

test('an expired payload reads {"expired": true}, resend is refused, the message record remains', async () => {
  const app = await svix.application.create({ name: 'retention' });
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}/retention` });
  const msg = await svix.message.create(app.id, {
    eventType: 'doc.signed',
    eventId: 'evt-retention-1',
    payload: { secret: 'soon gone' },
    payloadRetentionHours: 1,
  });
  await receiver.waitFor('/retention', 1);
  expect((await svix.message.get(app.id, msg.id, { withContent: true })).payload).toEqual({ secret: 'soon gone' });

  // The layout: the payload item expires after 1 h, the record (and its eventId) after ≥ 90 days.
  const published = Math.floor(msg.timestamp.getTime() / 1000);
  const payloadTtl = await ttlOf(`MSGPAY#${app.id}`, msg.id);
  expect(payloadTtl).toBeGreaterThanOrEqual(published + 3_600 - 1);
  expect(payloadTtl).toBeLessThanOrEqual(published + 3_600 + 1);
  expect(await ttlOf(`MSG#${app.id}`, msg.id)).toBeGreaterThanOrEqual(published + 90 * 86_400 - 1);
  expect(await ttlOf(`MSGEVT#${app.id}`, 'evt-retention-1')).toBeGreaterThanOrEqual(published + 90 * 86_400 - 1);

  // An hour later: TTL passed, the sweeper has not run yet (the item is still there).
  await dynamo.send(
    new UpdateItemCommand({
      TableName: sluice.tableName,
      Key: itemKey(`MSGPAY#${app.id}`, msg.id),
      UpdateExpression: 'SET expiresAt = :past',
      ExpressionAttributeValues: { ':past': { N: String(Math.floor(Date.now() / 1000) - 1) } },
    }),
  );
  const checkExpired = async (): Promise<void> => {
    expect((await svix.message.get(app.id, msg.id, { withContent: true })).payload).toEqual({ expired: true });
    expect((await svix.message.get(app.id, 'evt-retention-1', { withContent: true })).payload).toEqual({ expired: true });
    const listed = await svix.message.list(app.id, { withContent: true });
    expect(listed.data.find((m) => m.id === msg.id)?.payload).toEqual({ expired: true });
    const refused = await apiError(svix.messageAttempt.resend(app.id, msg.id, endpoint.id));
    expect(refused.code).toBe(400);
    expect(refused.body.code).toBe('missing_payload');
  };
  await checkExpired();

  // The sweeper ran: the payload item is gone, the message is not.
  await dynamo.send(new DeleteItemCommand({ TableName: sluice.tableName, Key: itemKey(`MSGPAY#${app.id}`, msg.id) }));
  await checkExpired();
  expect((await svix.message.get(app.id, msg.id)).eventType).toBe('doc.signed');

  // A message with the default retention (90 days) delivers with its payload.
  const fresh = await svix.message.create(app.id, { eventType: 'doc.signed', payload: { kept: true } });
  const hits = await receiver.waitFor('/retention', 2);
  expect(JSON.parse(hits[1]!.body)).toEqual({ kept: true });
  // Kept as long as the record, the payload lives in the record (one item, one TTL), not in MSGPAY.
  expect(Number(await ttlOf(`MSG#${app.id}`, fresh.id))).toBeGreaterThanOrEqual(Math.floor(fresh.timestamp.getTime() / 1000) + 90 * 86_400 - 1);
  const freshPayloadItem = await dynamo.send(new GetItemCommand({ TableName: sluice.tableName, Key: itemKey(`MSGPAY#${app.id}`, fresh.id) }));
  expect(freshPayloadItem.Item).toBeUndefined();
  expect((await svix.messageAttempt.listByMsg(app.id, msg.id)).data).toHaveLength(1);
  await eventually(async () => ((await svix.messageAttempt.listByMsg(app.id, fresh.id)).data.length === 1 ? true : undefined));
});
