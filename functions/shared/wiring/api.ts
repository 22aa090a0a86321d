/** Builds the api function's handler. */
import { createDynamoStores } from '../../adapters/dynamo/index.ts';
import { createSqsDeliveryQueue, createSqsFanoutQueue } from '../../adapters/sqs/queues.ts';
import { createApiHandler } from '../../api/handler.ts';
import type { Config } from '../config.ts';
import { defaultLogger, type AwsClients } from './clients.ts';

export function buildApiHandler(config: Config, clients: AwsClients, adminToken: string, logger = defaultLogger('sluice-api')) {
  return createApiHandler({
    stores: createDynamoStores(clients.dynamo, config.tableName),
    fanoutQueue: createSqsFanoutQueue(clients.sqs, config.fanoutQueueUrl),
    deliveryQueue: createSqsDeliveryQueue(clients.sqs, config.deliveryQueueUrl),
    adminToken,
    logger,
  });
}
