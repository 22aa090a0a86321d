/** Builds the fan-out function's handler. */
import { createDynamoStores } from '../../adapters/dynamo/index.ts';
import { createSqsDeliveryQueue, createSqsTaskVisibility } from '../../adapters/sqs/queues.ts';
import { createFanoutHandler } from '../../fanout/handler.ts';
import type { Config } from '../config.ts';
import { defaultLogger, type AwsClients } from './clients.ts';

export function buildFanoutHandler(config: Config, clients: AwsClients, logger = defaultLogger('sluice-fanout')) {
  return createFanoutHandler({
    stores: createDynamoStores(clients.dynamo, config.tableName),
    deliveryQueue: createSqsDeliveryQueue(clients.sqs, config.deliveryQueueUrl),
    visibility: createSqsTaskVisibility(clients.sqs, config.fanoutQueueUrl),
    logger,
  });
}
