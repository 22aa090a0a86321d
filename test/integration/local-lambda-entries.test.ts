/**
 * The three Lambda entry files, loaded as Lambda loads them: configuration from the environment the
 * stack sets (plus the SDK's standard AWS_ENDPOINT_URL_* variables, pointed at the emulators), top-level
 * initialisation at import, `handler` exported. Driven through the local front and pollers, a message
 * published through the api entry reaches a receiver through the fan-out and delivery entries.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startApiGatewayFront, type ApiGatewayFront } from '../../local/api-gateway-front.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/emulators/dynamodb-local.ts';
import { startSqsEmulator, type SqsEmulator } from '../../local/emulators/sqs.ts';
import { ensureQueues, ensureTable } from '../../local/resources.ts';
import { startSqsPoller, type SqsPoller } from '../../local/sqs-poller.ts';

const TOKEN = 'sluice_admin_entries-test-token-000000000000000000000';
let dynamo: DynamoDbLocal;
let sqsEmulator: SqsEmulator;
let sqs: SQSClient;
let front: ApiGatewayFront;
let receiver: Server;
let receiverUrl: string;
const pollers: SqsPoller[] = [];
const received: IncomingHttpHeaders[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  [dynamo, sqsEmulator] = await Promise.all([startDynamoDbLocal(), startSqsEmulator()]);
  const setup = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamoClient = new DynamoDBClient({ ...setup, endpoint: dynamo.endpoint });
  sqs = new SQSClient({ ...setup, endpoint: sqsEmulator.endpoint });
  await ensureTable(dynamoClient, 'sluice-entries');
  dynamoClient.destroy();
  const queues = await ensureQueues(sqs, 'entries-');

  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: sqsEmulator.endpoint,
    SLUICE_TABLE_NAME: 'sluice-entries',
    SLUICE_FANOUT_QUEUE_URL: queues.fanout,
    SLUICE_DELIVERY_QUEUE_URL: queues.delivery,
    SLUICE_ADMIN_TOKEN: TOKEN,
    SLUICE_RETRY_SCHEDULE: '1',
    SLUICE_ALLOW_PRIVATE_NETWORKS: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  const [api, fanout, deliver] = await Promise.all([
    import('../../functions/api/index.ts'),
    import('../../functions/fanout/index.ts'),
    import('../../functions/deliver/index.ts'),
  ]);

  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(req.headers);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  front = await startApiGatewayFront({ handler: api.handler });
  const common = { sqs, batchSize: 10, concurrency: 1, timeoutSeconds: 30 };
  pollers.push(
    await startSqsPoller({ ...common, queueUrl: queues.fanout, handler: fanout.handler, functionName: 'fanout' }),
    await startSqsPoller({ ...common, queueUrl: queues.delivery, handler: deliver.handler, functionName: 'deliver' }),
  );
});

afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  await front?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  sqs?.destroy();
  await Promise.all([dynamo?.stop(), sqsEmulator?.stop()]);
  process.env = savedEnv;
});

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, string> }> {
  const response = await fetch(`${front.url}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, string> };
}

test('the api, fan-out and delivery entries work together from their environment alone', async () => {
  const app = await post('/app', { name: 'Entries' });
  expect(app.status).toBe(201);
  expect((await post(`/app/${app.json.id}/endpoint`, { url: receiverUrl })).status).toBe(201);
  const message = await post(`/app/${app.json.id}/msg`, { eventType: 'entries.test', payload: { ok: true } });
  expect(message.status).toBe(202);

  const deadline = Date.now() + 15_000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(received.map((h) => h['webhook-id'])).toEqual([message.json.id]);
});
