/** Builds the fan-out function's handler. */
import { createDynamoStores } from '../../adapters/dynamo/index.ts';
import { createSqsDeliveryQueue, createSqsOrderedDeliveryQueue, createSqsTaskVisibility } from '../../adapters/sqs/queues.ts';
import { createFanoutHandler } from '../../fanout/handler.ts';
import { orderedQueuesConfigured, type Config } from '../config.ts';
import type { Metrics } from '../../core/metrics/metrics.ts';
import type { Tracing } from '../../core/tracing/tracing.ts';
import { createEmfMetrics } from '../../adapters/metrics/emf.ts';
import { defaultLogger, type AwsClients } from './clients.ts';
import { payloadObjectsFor } from './payload-objects.ts';

export interface FanoutWiringOptions {
  /** Default: CloudWatch EMF (log lines); local mode passes its Prometheus registry. */
  metrics?: Metrics | undefined;
  /** X-Ray spans (the traced entry); absent: none. */
  tracing?: Tracing | undefined;
}

export function buildFanoutHandler(config: Config, clients: AwsClients, logger = defaultLogger('sluice-fanout'), options: FanoutWiringOptions = {}) {
  return createFanoutHandler({
    stores: createDynamoStores(clients.dynamo, config.tableName, { payloadObjects: payloadObjectsFor(config, clients) }),
    deliveryQueue: createSqsDeliveryQueue(clients.sqs, config.deliveryQueueUrl),
    ...(config.deliverySlowQueueUrl === undefined ? {} : { slowLaneQueue: createSqsDeliveryQueue(clients.sqs, config.deliverySlowQueueUrl) }),
    visibility: createSqsTaskVisibility(clients.sqs, config.fanoutQueueUrl),
    ...(orderedQueuesConfigured(config)
      ? {
          ordered: {
            deliveryQueue: createSqsOrderedDeliveryQueue(clients.sqs, config.deliveryOrderedQueueUrl!),
            visibility: createSqsTaskVisibility(clients.sqs, config.fanoutOrderedQueueUrl!),
          },
        }
      : {}),
    logger,
    metrics: options.metrics ?? createEmfMetrics({ serviceName: 'sluice-fanout' }),
    ...(options.tracing === undefined ? {} : { tracing: options.tracing }),
  });
}
