/**
 * Shared set-up for the fan-out and delivery integration tests: DynamoDB Local + fauxqs with the real
 * stores and queues, entity builders, and a real node:http receiver that verifies every webhook's
 * signature with the `standardwebhooks` package.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { createDynamoStores } from '../../functions/adapters/dynamo/index.ts';
import { newId } from '../../functions/core/ids.ts';
import type { Application, Endpoint, Message } from '../../functions/core/model.ts';
import type { Stores } from '../../functions/core/ports.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/emulators/dynamodb-local.ts';
import { startSqsEmulator, type SqsEmulator } from '../../local/emulators/sqs.ts';
import { ensureQueues, ensureTable, type QueueUrls } from '../../local/resources.ts';

export interface TestEnv {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  stores: Stores;
  queues: QueueUrls;
  logger: Logger;
  stop(): Promise<void>;
}

export async function startTestEnv(prefix: string): Promise<TestEnv> {
  const [ddbLocal, sqsEmulator]: [DynamoDbLocal, SqsEmulator] = await Promise.all([startDynamoDbLocal(), startSqsEmulator()]);
  const dynamo = new DynamoDBClient({ endpoint: ddbLocal.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const sqs = new SQSClient({ endpoint: sqsEmulator.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const tableName = `${prefix}table`;
  await ensureTable(dynamo, tableName);
  const queues = await ensureQueues(sqs, prefix);
  return {
    dynamo,
    sqs,
    stores: createDynamoStores(dynamo, tableName),
    queues,
    logger: new Logger({ serviceName: prefix, logLevel: 'SILENT' }),
    async stop() {
      dynamo.destroy();
      sqs.destroy();
      await Promise.all([ddbLocal.stop(), sqsEmulator.stop()]);
    },
  };
}

/** Does what Lambda's event source mapping does after an invocation: deletes the records not reported failed. */
export async function settle(sqs: SQSClient, queueUrl: string, event: SQSEvent, response: SQSBatchResponse): Promise<void> {
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const done = event.Records.filter((r) => !failed.has(r.messageId));
  if (done.length === 0) return;
  await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
    }),
  );
}

/** Visible + in-flight + delayed messages of a queue. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return (
    Number(a.ApproximateNumberOfMessages ?? 0) +
    Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(a.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

export const newSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export async function createApp(stores: Stores): Promise<Application> {
  const now = new Date().toISOString();
  const app: Application = { id: newId('application'), uid: null, name: 'Acme', throttleRate: null, metadata: {}, createdAt: now, updatedAt: now };
  await stores.applications.create(app);
  return app;
}

export async function createEndpoint(stores: Stores, appId: string, overrides: Partial<Endpoint> & { url: string }): Promise<Endpoint> {
  const now = new Date().toISOString();
  const endpoint: Endpoint = {
    id: newId('endpoint'),
    appId,
    uid: null,
    description: '',
    disabled: false,
    eventTypes: null,
    channels: null,
    throttleRate: null,
    metadata: {},
    headers: {},
    secrets: [{ key: newSecret(), expiresAt: null }],
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await stores.endpoints.create(endpoint);
  return endpoint;
}

export async function createMessage(stores: Stores, appId: string, overrides: Partial<Message> = {}): Promise<Message> {
  const now = new Date();
  const message: Message = {
    id: newId('message', now),
    appId,
    eventType: 'invoice.paid',
    payload: { invoice: 'in_1', amount: 4200, note: 'naïve ✓' },
    eventId: null,
    channels: null,
    tags: null,
    timestamp: now.toISOString(),
    deliverAt: null,
    payloadExpiresAt: new Date(now.getTime() + 90 * 86_400_000).toISOString(),
    ...overrides,
  };
  await stores.messages.create(message);
  return message;
}

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The payload standardwebhooks verified, or the verification error. */
  verified: unknown;
  verifyError: string | undefined;
}

export interface Receiver {
  url(path: string): string;
  /** Answers requests to `path` in turn with these responders; the last one repeats. */
  script(path: string, ...responders: ((res: ServerResponse) => void)[]): void;
  /** Verifies requests to `path` with this secret. */
  secret(path: string, secret: string): void;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

export const status = (code: number, body = '') => (res: ServerResponse): void => {
  res.writeHead(code, { 'content-type': 'text/plain' }).end(body);
};

export async function startReceiver(): Promise<Receiver> {
  const scripts = new Map<string, ((res: ServerResponse) => void)[]>();
  const secrets = new Map<string, string>();
  const received: ReceivedWebhook[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      let verified: unknown;
      let verifyError: string | undefined;
      try {
        verified = new Webhook(secrets.get(path) ?? newSecret()).verify(body, req.headers as Record<string, string>);
      } catch (error) {
        verifyError = String(error);
      }
      received.push({ path, headers: req.headers, body, verified, verifyError });
      const script = scripts.get(path) ?? [status(200, 'ok')];
      const responder = script.length > 1 ? script.shift()! : script[0]!;
      responder(res);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    script: (path, ...responders) => void scripts.set(path, responders),
    secret: (path, secret) => void secrets.set(path, secret),
    received,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
