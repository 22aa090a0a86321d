/** Builds the api function's handler. */
import { createDynamoStores } from '../../adapters/dynamo/index.ts';
import { createSqsDeliveryQueue, createSqsFanoutQueue, createSqsOperationalQueue } from '../../adapters/sqs/queues.ts';
import { createApiHandler } from '../../api/handler.ts';
import type { SecretCipher } from '../../core/secrets/secret-cipher.ts';
import type { Metrics } from '../../core/metrics/metrics.ts';
import type { Tracing } from '../../core/tracing/tracing.ts';
import { createEmfMetrics } from '../../adapters/metrics/emf.ts';
import { createSqsQueueStats } from '../../adapters/sqs/queue-stats.ts';
import { orderedQueuesConfigured, type Config } from '../config.ts';
import { addressPolicyFor } from './address-policy.ts';
import { payloadObjectsFor } from './payload-objects.ts';
import { defaultLogger, type AwsClients } from './clients.ts';

export interface ApiWiringOptions {
  /** Seals endpoint secrets at rest (KMS on AWS, the local key in local mode). */
  cipher?: SecretCipher | undefined;
  /** Re-reads a rotated admin token (adminTokenRefresher). */
  refreshAdminToken?: (() => Promise<string | undefined>) | undefined;
  /** Default: CloudWatch EMF (log lines); local mode passes its Prometheus registry. */
  metrics?: Metrics | undefined;
  /** X-Ray spans (the traced entry); absent: none. */
  tracing?: Tracing | undefined;
}

export function buildApiHandler(
  config: Config,
  clients: AwsClients,
  adminToken: string,
  logger = defaultLogger('sluice-api'),
  options: ApiWiringOptions = {},
) {
  return createApiHandler({
    stores: createDynamoStores(clients.dynamo, config.tableName, { cipher: options.cipher, payloadObjects: payloadObjectsFor(config, clients) }),
    bigPayloads: config.payloadBucket !== undefined,
    fanoutQueue: createSqsFanoutQueue(clients.sqs, config.fanoutQueueUrl, config.fanoutOrderedQueueUrl),
    orderedEndpoints: orderedQueuesConfigured(config),
    destinationPrincipalArn: config.destinationPrincipalArn,
    deliveryQueue: createSqsDeliveryQueue(clients.sqs, config.deliveryQueueUrl),
    adminToken,
    // endpoint.created/updated/deleted ride the delivery queue, like the workers' operational webhooks.
    operationalQueue: config.operationalWebhook === undefined ? undefined : createSqsOperationalQueue(clients.sqs, config.deliveryQueueUrl),
    addressPolicy: addressPolicyFor(config),
    corsOrigins: config.corsOrigins,
    signatureType: config.defaultSignatureType,
    metrics: options.metrics ?? createEmfMetrics({ serviceName: 'sluice-api' }),
    queueStats: createSqsQueueStats(clients.sqs, {
      fanout: config.fanoutQueueUrl,
      delivery: config.deliveryQueueUrl,
      ...(config.deliverySlowQueueUrl === undefined ? {} : { 'delivery-slow': config.deliverySlowQueueUrl }),
      ...(config.fanoutOrderedQueueUrl === undefined ? {} : { 'fanout-ordered': config.fanoutOrderedQueueUrl }),
      ...(config.deliveryOrderedQueueUrl === undefined ? {} : { 'delivery-ordered': config.deliveryOrderedQueueUrl }),
    }),
    cipher: options.cipher,
    ...(options.refreshAdminToken === undefined ? {} : { refreshAdminToken: options.refreshAdminToken }),
    logger,
    ...(options.tracing === undefined ? {} : { tracing: options.tracing }),
  });
}
