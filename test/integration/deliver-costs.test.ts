/**
 * What the README promises a delivery costs in DynamoDB requests, and that a throttle hold is not an
 * attempt, through the delivery handler on DynamoDB Local and fauxqs. The stores run on a real
 * DynamoDB client with an SDK middleware that records every command it sends (the calls still go to
 * DynamoDB Local), so the tests see the requests themselves:
 * - a first attempt that succeeds: one PutItem (the attempt), no status read;
 * - a failure: the attempt and the delivery status in ONE BatchWriteItem;
 * - every later receive: the status read once, strongly consistent.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createSqsTaskVisibility } from '../../functions/adapters/sqs/queues.ts';
import { createDynamoStores } from '../../functions/adapters/dynamo/index.ts';
import { createThrottleStore } from '../../functions/adapters/dynamo/throttle.ts';
import { AttemptStatus, TriggerType } from '../../functions/core/model.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { createMessage, status } from './deliver-fixtures.ts';
import { startDeliveryHarness, type DeliveryHarness } from './deliver-harness.ts';

const PREFIX = 'deliver-costs-';
const TABLE = `${PREFIX}table`; // deliver-fixtures names the table after the prefix

let h: DeliveryHarness;
let recordingClient: DynamoDBClient;
const commands: { name: string; input: Record<string, unknown> }[] = [];

beforeAll(async () => {
  h = await startDeliveryHarness(PREFIX);
  // A second client to the same DynamoDB Local (the harness's client is shared with its own stores).
  const endpoint = await h.env.dynamo.config.endpoint!();
  recordingClient = new DynamoDBClient({ endpoint: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  recordingClient.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push({ name: String(context.commandName), input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'recordDynamoCommands' },
  );
});

afterAll(async () => {
  recordingClient.destroy();
  await h.stop();
});

afterEach(async () => {
  expect(await h.queueIsEmpty()).toBe(true);
});

/** The stores every handler here uses: the real adapters on the recording client. */
const recorded = () => createDynamoStores(recordingClient, TABLE);

/** The recorded commands of one kind. */
const writesOf = (name: string) => commands.filter((c) => c.name === name);

describe('DynamoDB requests per delivery', () => {
  it('a first attempt that succeeds writes the attempt and its message index entry in one request, and reads no status', async () => {
    const endpoint = await h.endpointWithReceiver();
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });
    commands.length = 0;
    expect((await h.runOnce(h.handler([1], recorded()))).response.batchItemFailures).toEqual([]);

    const writes = commands.filter((c) => ['PutItemCommand', 'BatchWriteItemCommand', 'UpdateItemCommand', 'TransactWriteItemsCommand'].includes(c.name));
    expect(writes.map((c) => c.name)).toEqual(['BatchWriteItemCommand']);
    const written = Object.values(writes[0]!.input.RequestItems as Record<string, { PutRequest: { Item: Record<string, { S?: string }> } }[]>).flat();
    expect(written.map((w) => w.PutRequest.Item['pk']?.S)).toEqual([`ATT#${h.appId}#${endpoint.id}`, `ATTIDX#${h.appId}#${message.id}`]);
    // Reads: the message and the endpoint, nothing about the delivery's status.
    expect(commands.filter((c) => c.name === 'GetItemCommand' || c.name === 'BatchGetItemCommand' || c.name === 'QueryCommand')).toHaveLength(2);
  });

  it('a batch that delivers one message to three endpoints logs it in one request: three attempts and one index entry', async () => {
    const endpoints = [await h.endpointWithReceiver(), await h.endpointWithReceiver(), await h.endpointWithReceiver()];
    const message = await createMessage(h.env.stores, h.appId);
    for (const endpoint of endpoints) {
      await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });
    }
    commands.length = 0;
    expect((await h.runOnce(h.handler([1], recorded()), 3)).response.batchItemFailures).toEqual([]);
    const batches = writesOf('BatchWriteItemCommand');
    expect(writesOf('PutItemCommand')).toEqual([]);
    expect(batches).toHaveLength(1);
    const items = Object.values(batches[0]!.input.RequestItems as Record<string, { PutRequest: { Item: Record<string, { S?: string }> } }[]>).flat();
    const keys = items.map((w) => w.PutRequest.Item['pk']?.S);
    expect(keys.filter((k) => k?.startsWith('ATT#'))).toHaveLength(3);
    expect(keys.filter((k) => k === `ATTIDX#${h.appId}#${message.id}`)).toHaveLength(1);
    expect(keys).toHaveLength(4);
    const listed = await h.env.stores.attempts.listByMessage(h.appId, message.id, { limit: 10, order: 'ascending' }, {});
    expect(listed.items.map((a) => a.endpointId).sort()).toEqual(endpoints.map((e) => e.id).sort());
  });

  it('a failure writes attempt and status in one BatchWriteItem; the next receive reads the status once, consistently', async () => {
    const endpoint = await h.endpointWithReceiver();
    h.receiver.script(h.pathOf(endpoint), status(500), status(200));
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    commands.length = 0;
    expect((await h.runOnce(h.handler([1], recorded()))).response.batchItemFailures).toHaveLength(1);
    const batches = writesOf('BatchWriteItemCommand');
    expect(writesOf('PutItemCommand')).toEqual([]);
    expect(batches).toHaveLength(1);
    const items = Object.values(batches[0]!.input.RequestItems as Record<string, { PutRequest: { Item: Record<string, { S?: string }> } }[]>).flat();
    // The attempt item, the delivery-status item and the message's index entry, nothing else (3 write units for small items).
    expect(items.map((w) => w.PutRequest.Item['pk']?.S)).toEqual([
      `ATT#${h.appId}#${endpoint.id}`,
      `DEST#${h.appId}#${endpoint.id}`,
      `ATTIDX#${h.appId}#${message.id}`,
    ]);
    const recordedStatus = await h.statusOf(message.id, endpoint.id);
    expect(recordedStatus).toMatchObject({ status: AttemptStatus.Pending, attempts: 1 });

    commands.length = 0;
    expect((await h.runOnce(h.handler([1], recorded()))).response.batchItemFailures).toEqual([]);
    // The delivery status item (DEST#<app>#<endpoint>, sk = message id); the message's own reads are not counted.
    const statusReads = commands.filter((c) => c.name === 'GetItemCommand' && JSON.stringify(c.input.Key).includes(`"DEST#${h.appId}#${endpoint.id}"`));
    expect(statusReads).toHaveLength(1);
    expect(statusReads[0]!.input.ConsistentRead).toBe(true);
    expect(commands.filter((c) => c.name === 'QueryCommand')).toEqual([]); // the attempt log is not read
  });
});

describe('a throttle hold is not an attempt', () => {
  it('a task held for a later slot logs nothing, sends nothing, and its first real attempt is number 1', async () => {
    const throttleStore = createThrottleStore({ client: h.env.dynamo, name: TABLE });
    const endpoint = await h.endpointWithReceiver({ throttleRate: 1 });
    const message = await createMessage(h.env.stores, h.appId);
    const t0 = Date.now();
    // Another worker has taken the next 10 s of slots: this task's slot is 10 s away, beyond the 3 s wait.
    for (let i = 0; i < 10; i++) await throttleStore.claim(h.appId, endpoint.id, t0, 1_000);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    const held = await h.runOnce(h.handler([1], undefined, { throttleStore, now: () => new Date(t0) }));
    expect(held.response.batchItemFailures).toHaveLength(1);
    expect(h.visibilityChanges.at(-1)).toEqual({ receiptHandle: held.event.Records[0]!.receiptHandle, seconds: 9 });
    expect(h.hitsOf(endpoint)).toEqual([]);
    expect(await h.attemptsOf(message.id)).toEqual([]);
    expect(await h.statusOf(message.id, endpoint.id)).toMatchObject({ attempts: 0, lastAttemptAt: null, throttleSlotMs: t0 + 10_000 });

    // Its slot has come (the clock says so; the queue is told to hand it back now).
    await createSqsTaskVisibility(h.env.sqs, h.env.queues.delivery).delay(held.event.Records[0]!.receiptHandle, 0);
    const sent = await h.runOnce(h.handler([1], undefined, { throttleStore, now: () => new Date(t0 + 10_000) }));
    expect(sent.response.batchItemFailures).toEqual([]);
    expect(sent.event.Records[0]!.attributes.ApproximateReceiveCount).toBe('2');
    expect(h.hitsOf(endpoint)).toHaveLength(1);
    expect((await h.attemptsOf(message.id)).map((a) => [a.attemptNumber, a.status])).toEqual([[1, AttemptStatus.Success]]);
  });
});
