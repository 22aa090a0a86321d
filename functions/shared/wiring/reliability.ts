/**
 * The delivery function's reliability parts (issue 3): the throttle's and the endpoint health's
 * DynamoDB state, operational webhooks, and the retry knobs, from the Config. Kept apart from
 * ./deliver.ts so the sender and its SSRF guard stay in one place.
 */
import { createEndpointHealthStore } from '../../adapters/dynamo/endpoint-health.ts';
import { createThrottleStore } from '../../adapters/dynamo/throttle.ts';
import { createSqsOperationalQueue } from '../../adapters/sqs/queues.ts';
import type { DeliveryHandlerDeps } from '../../deliver/handler.ts';
import type { Config } from '../config.ts';
import type { AwsClients } from './clients.ts';

export type ReliabilityDeps = Pick<
  DeliveryHandlerDeps,
  'minDelayAfterOverloadSeconds' | 'throttleStore' | 'healthStore' | 'disableAfterSeconds' | 'operationalQueue' | 'operationalTarget'
>;

export function reliabilityDeps(config: Config, clients: AwsClients): ReliabilityDeps {
  const table = { client: clients.dynamo, name: config.tableName };
  const target = config.operationalWebhook;
  return {
    throttleStore: createThrottleStore(table),
    healthStore: createEndpointHealthStore(table),
    ...(config.disableAfterSeconds === undefined ? {} : { disableAfterSeconds: config.disableAfterSeconds }),
    ...(config.overloadMinDelaySeconds === undefined ? {} : { minDelayAfterOverloadSeconds: config.overloadMinDelaySeconds }),
    ...(target === undefined
      ? {}
      : { operationalQueue: createSqsOperationalQueue(clients.sqs, config.deliveryQueueUrl), operationalTarget: target }),
  };
}
