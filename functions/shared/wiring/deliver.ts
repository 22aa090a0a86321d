/** Builds the delivery function's handler, with its outbound HTTP sender. */
import { createDynamoStores } from '../../adapters/dynamo/index.ts';
import { createWebhookSender } from '../../adapters/http/webhook-sender.ts';
import { createSqsTaskVisibility } from '../../adapters/sqs/queues.ts';
import { createDeliveryHandler } from '../../deliver/handler.ts';
import type { Config } from '../config.ts';
import { refusePrivateAddresses } from './address-policy.ts';
import { defaultLogger, type AwsClients } from './clients.ts';

export function buildDeliveryHandler(config: Config, clients: AwsClients, logger = defaultLogger('sluice-deliver')) {
  const sender = createWebhookSender(config.allowPrivateNetworks ? {} : { checkAddress: refusePrivateAddresses });
  const handler = createDeliveryHandler({
    stores: createDynamoStores(clients.dynamo, config.tableName),
    sender,
    visibility: createSqsTaskVisibility(clients.sqs, config.deliveryQueueUrl),
    retryScheduleSeconds: config.retryScheduleSeconds,
    logger,
  });
  return Object.assign(handler, { close: () => sender.close() });
}
