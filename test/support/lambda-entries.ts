/**
 * The three Lambda entry files (functions/{api,fanout,deliver}/<entry>.ts) loaded as Lambda loads them:
 * configuration from the environment the stack sets (plus the SDK's standard AWS_ENDPOINT_URL_*
 * variables, pointed at the emulators), top-level initialisation at import, `handler` exported; driven
 * through the local front and SQS pollers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startApiGatewayFront, type ApiGatewayFront } from '../../local/api-gateway-front.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startDynamoDbLocal } from '../../local/emulators/dynamodb-local.ts';
import { startSqsEmulator } from '../../local/emulators/sqs.ts';
import { ensureQueues, ensureTable } from '../../local/resources.ts';
import { startSqsPoller, type SqsHandler } from '../../local/sqs-poller.ts';
import type { ApiHandler } from '../../functions/api/handler.ts';

export interface LambdaEntries {
  front: ApiGatewayFront;
  /** Sends a JSON POST with the admin token below /api/v1. */
  post(path: string, body: unknown): Promise<{ status: number; json: Record<string, string> }>;
  stop(): Promise<void>;
}

/**
 * `entry` picks the files (`index`: every deploy; `traced`: `-c tracing=true`); `env` is added to
 * the environment before they load (and taken away again by stop()).
 */
export async function startLambdaEntries(options: { name: string; token: string; entry: 'index' | 'traced'; env?: Record<string, string> }): Promise<LambdaEntries> {
  const savedEnv = { ...process.env };
  const [dynamo, sqsEmulator] = await Promise.all([startDynamoDbLocal(), startSqsEmulator()]);
  const setup = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamoClient = new DynamoDBClient({ ...setup, endpoint: dynamo.endpoint });
  const sqs = new SQSClient({ ...setup, endpoint: sqsEmulator.endpoint });
  await ensureTable(dynamoClient, `sluice-${options.name}`);
  dynamoClient.destroy();
  const queues = await ensureQueues(sqs, `${options.name}-`);

  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: sqsEmulator.endpoint,
    SLUICE_TABLE_NAME: `sluice-${options.name}`,
    SLUICE_FANOUT_QUEUE_URL: queues.fanout,
    SLUICE_DELIVERY_QUEUE_URL: queues.delivery,
    SLUICE_ADMIN_TOKEN: options.token,
    SLUICE_RETRY_SCHEDULE: '1',
    SLUICE_ALLOW_PRIVATE_NETWORKS: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    ...options.env,
  });
  const entry = options.entry;
  const [api, fanout, deliver] = await Promise.all([
    import(`../../functions/api/${entry}.ts`) as Promise<{ handler: ApiHandler }>,
    import(`../../functions/fanout/${entry}.ts`) as Promise<{ handler: SqsHandler }>,
    import(`../../functions/deliver/${entry}.ts`) as Promise<{ handler: SqsHandler }>,
  ]);

  const front = await startApiGatewayFront({ handler: api.handler });
  const common = { sqs, batchSize: 10, concurrency: 1, timeoutSeconds: 30 };
  const pollers = [
    await startSqsPoller({ ...common, queueUrl: queues.fanout, handler: fanout.handler, functionName: 'fanout' }),
    await startSqsPoller({ ...common, queueUrl: queues.delivery, handler: deliver.handler, functionName: 'deliver' }),
  ];

  return {
    front,
    async post(path, body) {
      const response = await fetch(`${front.url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as Record<string, string> };
    },
    async stop() {
      await Promise.all(pollers.map((p) => p.stop()));
      await front.stop();
      sqs.destroy();
      await Promise.all([dynamo.stop(), sqsEmulator.stop()]);
      process.env = savedEnv;
    },
  };
}
