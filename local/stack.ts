/**
 * The embedded stack: DynamoDB Local and fauxqs, the table and queues from the shared definitions,
 * the three handlers built by the same composition root the Lambdas use, an API Gateway-style front
 * and Lambda-style SQS pollers. `npm start` (local/main.ts) and the integration tests run this.
 */
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from '../functions/shared/config.ts';
import { DELIVERY, QUEUES, TABLE } from '../functions/shared/names.ts';
import {
  buildApiHandler,
  buildDeliveryHandler,
  buildFanoutHandler,
  createAwsClients,
  destroyAwsClients,
} from '../functions/shared/wiring.ts';
import { generateAdminToken } from './admin-token.ts';
import { startApiGatewayFront } from './api-gateway-front.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './emulators/credentials.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './emulators/dynamodb-local.ts';
import { startSqsEmulator, type SqsEmulator } from './emulators/sqs.ts';
import { ensureQueues, ensureTable, type QueueUrls } from './resources.ts';
import { startSqsPoller, type SqsPoller } from './sqs-poller.ts';

export interface SluiceOptions {
  /** API port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  /** State directory (dynamodb/ and sqs/ inside); undefined keeps everything in memory. */
  dataDir?: string;
  /** Generated when absent. */
  adminToken?: string;
  retryScheduleSeconds?: number[];
  /** Local default true, so receivers on localhost work. */
  allowPrivateNetworks?: boolean;
  /** Concurrent poll loops per queue (Lambda's concurrent invocations). */
  pollers?: { fanout?: number; delivery?: number };
  /** Powertools level (DEBUG, INFO, WARN, ERROR, SILENT); default POWERTOOLS_LOG_LEVEL, else INFO. */
  logLevel?: string;
  tableName?: string;
}

export interface RunningSluice {
  url: string;
  adminToken: string;
  endpoints: { dynamodb: string; sqs: string };
  queueUrls: QueueUrls;
  tableName: string;
  stop(): Promise<void>;
}

export async function startSluice(options: SluiceOptions = {}): Promise<RunningSluice> {
  const stack = new Cleanup();
  try {
    return await start(options, stack);
  } catch (error) {
    await stack.run();
    throw error;
  }
}

async function start(options: SluiceOptions, stack: Cleanup): Promise<RunningSluice> {
  const logLevel = options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO';
  const logger = (serviceName: string): Logger => new Logger({ serviceName, logLevel: logLevel as 'INFO' });
  const runnerLogger = logger('sluice-local');
  const dataDir = options.dataDir;

  const [dynamo, sqs] = await Promise.all([
    startDynamoDbLocal(dataDir === undefined ? {} : { dataDir: join(dataDir, 'dynamodb') }).then((d: DynamoDbLocal) => {
      stack.push(() => d.stop());
      return d;
    }),
    startSqsEmulator(dataDir === undefined ? {} : { dataDir: join(dataDir, 'sqs') }).then((s: SqsEmulator) => {
      stack.push(() => s.stop());
      return s;
    }),
  ]);

  const tableName = options.tableName ?? TABLE.defaultName;
  const adminToken = options.adminToken ?? generateAdminToken();
  const clientsFor = () =>
    createAwsClients({
      dynamoEndpoint: dynamo.endpoint,
      sqsEndpoint: sqs.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  const bootstrap = clientsFor();
  stack.push(() => destroyAwsClients(bootstrap));
  const [queueUrls] = await Promise.all([ensureQueues(bootstrap.sqs), ensureTable(bootstrap.dynamo, tableName)]);

  // The same Config shape loadConfig() produces in a Lambda.
  const config: Config = {
    tableName,
    fanoutQueueUrl: queueUrls.fanout,
    deliveryQueueUrl: queueUrls.delivery,
    adminToken,
    adminTokenSecretArn: undefined,
    retryScheduleSeconds: options.retryScheduleSeconds ?? [...DELIVERY.defaultRetryScheduleSeconds],
    allowPrivateNetworks: options.allowPrivateNetworks ?? true,
  };
  // One client set per function, as each Lambda has its own.
  const apiClients = clientsFor();
  const fanoutClients = clientsFor();
  const deliveryClients = clientsFor();
  stack.push(() => [apiClients, fanoutClients, deliveryClients].forEach(destroyAwsClients));

  const deliver = buildDeliveryHandler(config, deliveryClients, logger('sluice-deliver'));
  stack.push(() => deliver.close());
  const fanout = buildFanoutHandler(config, fanoutClients, logger('sluice-fanout'));
  const api = buildApiHandler(config, apiClients, adminToken, logger('sluice-api'));

  const pollers: SqsPoller[] = [];
  stack.push(() => Promise.all(pollers.map((p) => p.stop())).then(() => undefined));
  pollers.push(
    await startSqsPoller({
      sqs: fanoutClients.sqs,
      queueUrl: queueUrls.fanout,
      handler: fanout,
      functionName: 'sluice-fanout',
      batchSize: QUEUES.fanout.batchSize,
      concurrency: options.pollers?.fanout ?? 2,
      timeoutSeconds: QUEUES.fanout.consumerTimeoutSeconds,
      logger: runnerLogger,
    }),
    await startSqsPoller({
      sqs: deliveryClients.sqs,
      queueUrl: queueUrls.delivery,
      handler: deliver,
      functionName: 'sluice-deliver',
      batchSize: QUEUES.delivery.batchSize,
      concurrency: options.pollers?.delivery ?? 4,
      timeoutSeconds: QUEUES.delivery.consumerTimeoutSeconds,
      logger: runnerLogger,
    }),
  );

  const front = await startApiGatewayFront({ handler: api, port: options.port ?? 0, logger: runnerLogger });
  stack.push(() => front.stop());

  let stopped: Promise<void> | undefined;
  return {
    url: front.url,
    adminToken,
    endpoints: { dynamodb: dynamo.endpoint, sqs: sqs.endpoint },
    queueUrls,
    tableName,
    stop: () => (stopped ??= stack.run()),
  };
}

/** Stop steps, run in reverse order of start: front, pollers, handlers, clients, emulators. */
class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  push(step: () => unknown): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step();
      } catch (error) {
        console.error('sluice: error while stopping', error);
      }
    }
  }
}
