/** Builds the api function's handler. */
import { createDynamoStores } from '../../adapters/dynamo/index.ts';
import { createSqsDeliveryQueue, createSqsFanoutQueue } from '../../adapters/sqs/queues.ts';
import { createApiHandler } from '../../api/handler.ts';
import type { SecretCipher } from '../../core/secrets/secret-cipher.ts';
import type { Config } from '../config.ts';
import { addressPolicyFor } from './address-policy.ts';
import { defaultLogger, type AwsClients } from './clients.ts';

export interface ApiWiringOptions {
  /** Seals endpoint secrets at rest (KMS on AWS, the local key in local mode). */
  cipher?: SecretCipher | undefined;
  /** Re-reads a rotated admin token (adminTokenRefresher). */
  refreshAdminToken?: (() => Promise<string | undefined>) | undefined;
}

export function buildApiHandler(
  config: Config,
  clients: AwsClients,
  adminToken: string,
  logger = defaultLogger('sluice-api'),
  options: ApiWiringOptions = {},
) {
  return createApiHandler({
    stores: createDynamoStores(clients.dynamo, config.tableName, { cipher: options.cipher }),
    fanoutQueue: createSqsFanoutQueue(clients.sqs, config.fanoutQueueUrl),
    deliveryQueue: createSqsDeliveryQueue(clients.sqs, config.deliveryQueueUrl),
    adminToken,
    addressPolicy: addressPolicyFor(config),
    ...(options.refreshAdminToken === undefined ? {} : { refreshAdminToken: options.refreshAdminToken }),
    logger,
  });
}
