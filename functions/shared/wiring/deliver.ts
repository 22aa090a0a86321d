/** Builds the delivery function's handler, with its outbound HTTP sender and its SSRF guard. */
import { createDynamoStores } from '../../adapters/dynamo/index.ts';
import { createWebhookSender, type ResolveAll } from '../../adapters/http/webhook-sender.ts';
import { createSqsDeliveryQueue, createSqsTaskVisibility } from '../../adapters/sqs/queues.ts';
import type { SecretCipher } from '../../core/secrets/secret-cipher.ts';
import type { Metrics } from '../../core/metrics/metrics.ts';
import type { Tracing } from '../../core/tracing/tracing.ts';
import { createEmfMetrics } from '../../adapters/metrics/emf.ts';
import { createDeliveryHandler } from '../../deliver/handler.ts';
import type { Config } from '../config.ts';
import { DELIVERY } from '../names.ts';
import { addressPolicyFor } from './address-policy.ts';
import { payloadObjectsFor } from './payload-objects.ts';
import { defaultLogger, type AwsClients } from './clients.ts';
import { reliabilityDeps } from './reliability.ts';
import { lazyDestinationSender, type AwsDestinationOptions } from './destinations.ts';

export interface DeliveryWiringOptions {
  /** Decrypts endpoint secrets (KMS on AWS, the local AES key in local mode). */
  cipher?: SecretCipher;
  /** DNS seam for tests; default: the OS resolver. */
  resolveAll?: ResolveAll;
  /** Default: CloudWatch EMF (log lines); local mode passes its Prometheus registry. */
  metrics?: Metrics;
  /** X-Ray spans (the traced entry); absent: none. */
  tracing?: Tracing | undefined;
  /** AWS-native destinations: local mode points STS, SQS, SNS and EventBridge at the emulators. */
  destinations?: AwsDestinationOptions | undefined;
}

export function buildDeliveryHandler(
  config: Config,
  clients: AwsClients,
  logger = defaultLogger('sluice-deliver'),
  options: DeliveryWiringOptions = {},
) {
  const policy = addressPolicyFor(config);
  const sender = createWebhookSender({
    ...(config.attemptTimeoutMs === undefined ? {} : { timeoutMs: config.attemptTimeoutMs }),
    // With private networks allowed every address passes, so the guard is left out entirely.
    ...(policy.allowPrivateNetworks ? {} : { checkAddress: policy.checkAddress }),
    checkUrl: policy.checkUrl,
    ...(options.resolveAll === undefined ? {} : { resolveAll: options.resolveAll }),
  });
  const destinations = lazyDestinationSender({
    ...(config.attemptTimeoutMs === undefined ? {} : { timeoutMs: config.attemptTimeoutMs }),
    ...options.destinations,
  });
  const handler = createDeliveryHandler({
    destinations,
    stores: createDynamoStores(clients.dynamo, config.tableName, { cipher: options.cipher, payloadObjects: payloadObjectsFor(config, clients) }),
    sender,
    visibility: createSqsTaskVisibility(clients.sqs, config.deliveryQueueUrl),
    ...(config.deliverySlowQueueUrl === undefined
      ? {}
      : {
          slowLane: {
            queue: createSqsDeliveryQueue(clients.sqs, config.deliverySlowQueueUrl),
            visibility: createSqsTaskVisibility(clients.sqs, config.deliverySlowQueueUrl),
          },
        }),
    ...(config.deliveryOrderedQueueUrl === undefined
      ? {}
      : { ordered: { visibility: createSqsTaskVisibility(clients.sqs, config.deliveryOrderedQueueUrl) } }),
    retryScheduleSeconds: config.retryScheduleSeconds,
    endpointCacheSeconds: config.endpointCacheSeconds ?? DELIVERY.defaultEndpointCacheSeconds,
    logger,
    metrics: options.metrics ?? createEmfMetrics({ serviceName: 'sluice-deliver' }),
    ...(options.tracing === undefined ? {} : { tracing: options.tracing }),
    ...reliabilityDeps(config, clients),
  });
  return Object.assign(handler, { close: () => Promise.all([sender.close(), destinations.close()]).then(() => undefined) });
}
