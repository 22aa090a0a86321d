/**
 * Poison tasks and DLQ redrive against the local stack:
 * - a malformed task on either queue, and a delivery task for a message that does not exist, reach
 *   the DLQ within seconds (handed back with visibility 0 on every failed receive);
 * - `npm run redrive -- --queue delivery` (bin/redrive.ts, run as its own process and attached to the
 *   running stack's fauxqs) moves the DLQ's tasks back: a good one is delivered, a poison one returns
 *   to the DLQ.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Svix } from 'svix';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { STACK_ENV } from '../../local/runtime-file.ts';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { eventually, startReceiver, type Receiver } from '../support/receiver.ts';

const run = promisify(execFile);

let sluice: RunningSluice;
let receiver: Receiver;
let sqs: SQSClient;

beforeAll(async () => {
  [sluice, receiver] = await Promise.all([startSluice({ port: 0, retryScheduleSeconds: [1], logLevel: 'SILENT' }), startReceiver()]);
  sqs = new SQSClient({ endpoint: sluice.endpoints.sqs, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, useQueueUrlAsEndpoint: false });
});

afterAll(async () => {
  sqs?.destroy();
  await receiver?.close();
  await sluice?.stop();
});

async function depth(queueUrl: string): Promise<number> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
}

const send = (queueUrl: string, body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));

test('poison tasks reach the DLQs within seconds', async () => {
  const started = Date.now();
  await send(sluice.queueUrls.fanout, 'not json');
  await send(sluice.queueUrls.delivery, '{"appId": 1}');
  await send(
    sluice.queueUrls.delivery,
    JSON.stringify({ appId: 'app_2ZzZzZzZzZzZzZzZzZzZzZzZzZz', msgId: 'msg_2ZzZzZzZzZzZzZzZzZzZzZzZzZz', endpointId: 'ep_2ZzZzZzZzZzZzZzZzZzZzZzZzZz', triggerType: 0 }),
  );
  await eventually(async () => ((await depth(sluice.queueUrls.fanoutDlq)) === 1 ? true : undefined), 20_000);
  await eventually(async () => ((await depth(sluice.queueUrls.deliveryDlq)) === 2 ? true : undefined), 20_000);
  // maxReceiveCount is 25 for delivery: at the queue's 360 s visibility timeout that would take hours.
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(await depth(sluice.queueUrls.delivery)).toBe(0);
});

test('npm run redrive moves the delivery DLQ back: good tasks are delivered, poison returns to the DLQ', async () => {
  const svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
  const app = await svix.application.create({ name: 'redrive' });
  await svix.endpoint.create(app.id, { url: `${receiver.url}/fanned-out` });
  const msg = await svix.message.create(app.id, { eventType: 'after.outage', payload: { redriven: true } });
  await receiver.waitFor('/fanned-out', 1); // the fan-out is done
  // An endpoint created after the fan-out, so only the redriven task can reach it.
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}/redriven` });
  await send(sluice.queueUrls.deliveryDlq, JSON.stringify({ appId: app.id, msgId: msg.id, endpointId: endpoint.id, triggerType: 0 }));
  expect(await depth(sluice.queueUrls.deliveryDlq)).toBe(3);

  const { stdout } = await run(process.execPath, ['bin/redrive.ts', '--queue', 'delivery'], {
    env: { ...process.env, [STACK_ENV]: JSON.stringify({ endpoints: sluice.endpoints, queueUrls: sluice.queueUrls, tableName: sluice.tableName, secretsKey: sluice.secretsKey }), NODE_OPTIONS: '' },
  });
  expect(stdout).toContain('local mode');
  expect(stdout).toContain('moved 3 task(s)');

  const [hit] = await receiver.waitFor('/redriven', 1, 10_000);
  expect(JSON.parse(hit!.body)).toEqual({ redriven: true });
  expect(hit!.headers['webhook-id']).toBe(msg.id);
  await eventually(async () => ((await depth(sluice.queueUrls.deliveryDlq)) === 2 ? true : undefined), 20_000);
  const attempts = await svix.messageAttempt.listByEndpoint(app.id, endpoint.id);
  expect(attempts.data.map((a) => [a.status, a.triggerType])).toEqual([[0, 0]]);
});

test('redrive without --queue explains its usage', async () => {
  await expect(run(process.execPath, ['bin/redrive.ts'], { env: { ...process.env, NODE_OPTIONS: '' } })).rejects.toMatchObject({
    stderr: expect.stringContaining('usage: npm run redrive -- --queue delivery|deliverySlow|fanout'),
  });
});
