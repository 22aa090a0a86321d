/**
 * The api handler over REAL stores (DynamoDB Local) and REAL queues (fauxqs), called with
 * synthetic API Gateway events, for the api-*.test.ts files.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsDeliveryQueue, createSqsFanoutQueue } from '../../functions/adapters/sqs/queues.ts';
import { createApiHandler, type ApiDeps } from '../../functions/api/handler.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startSqsEmulator } from '../../local/emulators/sqs.ts';
import { ensureQueues, type QueueUrls } from '../../local/resources.ts';
import { TEST_TOKEN, call, type EventOptions, type Handler, type ParsedResult } from '../support/api-event.ts';
import { startDynamoStores, type DynamoHarness } from './dynamo-fixtures.ts';

export interface ApiHarness {
  handler: Handler;
  deps: ApiDeps;
  dynamo: DynamoHarness;
  queues: QueueUrls;
  /** What the handler logged at ERROR (kept, not printed: a test that causes a 500 asserts on it). */
  loggedErrors: unknown[][];
  /** Calls the handler with a /api/v1-relative path. */
  api(method: string, path: string, options?: EventOptions): Promise<ParsedResult>;
  /** Receives (and deletes) every task now in a queue, parsed. */
  drain(queueUrl: string): Promise<unknown[]>;
  stop(): Promise<void>;
}

export async function startApiHarness(): Promise<ApiHarness> {
  const [dynamo, sqsEmulator] = await Promise.all([startDynamoStores('sluice-api-test'), startSqsEmulator()]);
  const sqs = new SQSClient({ endpoint: sqsEmulator.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const queues = await ensureQueues(sqs, `api-${process.pid}-`);
  const loggedErrors: unknown[][] = [];
  const deps: ApiDeps = {
    stores: dynamo.stores,
    fanoutQueue: createSqsFanoutQueue(sqs, queues.fanout),
    deliveryQueue: createSqsDeliveryQueue(sqs, queues.delivery),
    adminToken: TEST_TOKEN,
    // Only error() is called (middleware/error-mapper.ts); a stand-in for Powertools' Logger that keeps the
    // entries instead of writing them, so an expected 500 does not print a stack into the test output.
    logger: { error: (...args: unknown[]) => void loggedErrors.push(args) } as never,
  };
  const handler = createApiHandler(deps);

  const drain = async (queueUrl: string): Promise<unknown[]> => {
    const tasks: unknown[] = [];
    for (;;) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      const messages = out.Messages ?? [];
      if (messages.length === 0) return tasks;
      for (const m of messages) {
        tasks.push(JSON.parse(m.Body!));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
  };

  return {
    handler,
    deps,
    dynamo,
    queues,
    loggedErrors,
    api: (method, path, options) => call(handler, method, `/api/v1${path}`, options),
    drain,
    async stop() {
      sqs.destroy();
      await Promise.all([dynamo.stop(), sqsEmulator.stop()]);
    },
  };
}

export const unique = (): string => Math.random().toString(36).slice(2, 10);
