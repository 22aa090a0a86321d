/**
 * The two queue consumers: fan-out (message → one delivery task per matching endpoint) and delivery
 * (one signed POST per task; a failure delays the task's visibility to schedule the retry).
 *
 * No batching window on either event source: at low traffic a window adds its whole length to every
 * webhook's first attempt, and at high traffic the pollers fill batches of 10 without one.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { QUEUES } from '../functions/shared/names.ts';
import { grantDestinationAccess } from './destinations.ts';
import type { WorkQueue } from './queues.ts';
import { SluiceFunction } from './sluice-function.ts';

/** Concurrent invocations the slow lane may use (each up to 10 attempts). */
export const DEFAULT_SLOW_LANE_MAX_CONCURRENCY = 5;

export interface WorkersProps {
  readonly table: dynamodb.ITable;
  readonly fanoutQueue: WorkQueue;
  readonly deliveryQueue: WorkQueue;
  /** The slow lane's queue: consumed by the same delivery function through its own, capped event source. */
  readonly deliverySlowQueue: WorkQueue;
  /** Ordered endpoints' FIFO queues: consumed by the same functions, each through its own event source. */
  readonly fanoutOrderedQueue: WorkQueue;
  readonly deliveryOrderedQueue: WorkQueue;
  /** The slow lane's concurrency cap (Lambda's MaximumConcurrency, 2 at least). */
  readonly deliverySlowMaxConcurrency?: number;
  /** Shared environment (ENV.*), built by the stack. */
  readonly environment: Record<string, string>;
  readonly fanoutMaxConcurrency?: number;
  readonly deliveryMaxConcurrency?: number;
  /** The delivery function queues operational webhooks on its own queue. */
  readonly operationalWebhooks?: boolean;
  readonly removalPolicy?: RemovalPolicy;
  readonly tracing?: boolean;
}

export class Workers extends Construct {
  readonly fanout: SluiceFunction;
  readonly delivery: SluiceFunction;
  /** The principal customers trust in their AWS-native destinations' roles: the delivery role's ARN. */
  readonly destinationPrincipalArn: string;

  constructor(scope: Construct, id: string, props: WorkersProps) {
    super(scope, id);
    const common = {
      environment: props.environment,
      removalPolicy: props.removalPolicy,
      tracing: props.tracing,
    };

    this.fanout = new SluiceFunction(this, 'Fanout', {
      ...common,
      entry: 'functions/fanout/index.ts',
      tracedEntry: 'functions/fanout/traced.ts',
      description: 'Sluice fan-out: routes each published message to the matching endpoints',
      serviceName: 'sluice-fanout',
      timeout: Duration.seconds(QUEUES.fanout.consumerTimeoutSeconds),
      // Reads and SendMessageBatch calls only: I/O bound, the smallest size that keeps the CPU share sane.
      memorySize: 256,
    });
    this.fanout.function.addEventSource(
      new eventSources.SqsEventSource(props.fanoutQueue.queue, {
        batchSize: QUEUES.fanout.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: props.fanoutMaxConcurrency,
      }),
    );
    // Reads messages and endpoints, writes nothing; queues delivery tasks. (Consuming its own queue is
    // granted by the event source: ReceiveMessage, DeleteMessage, ChangeMessageVisibility, GetQueue*.)
    props.table.grantReadData(this.fanout.function);
    props.deliveryQueue.queue.grantSendMessages(this.fanout.function);
    // Endpoints marked slow are routed straight to the slow lane.
    props.deliverySlowQueue.queue.grantSendMessages(this.fanout.function);
    // Apps with ordered endpoints: their messages, one group per app, fanned out in publish order by the
    // same handler (it tells the queues apart by the record's source), into one group per endpoint.
    this.fanout.function.addEventSource(
      new eventSources.SqsEventSource(props.fanoutOrderedQueue.queue, { batchSize: QUEUES.fanoutOrdered.batchSize, reportBatchItemFailures: true }),
    );
    props.deliveryOrderedQueue.queue.grantSendMessages(this.fanout.function);

    this.delivery = new SluiceFunction(this, 'Delivery', {
      ...common,
      entry: 'functions/deliver/index.ts',
      tracedEntry: 'functions/deliver/traced.ts',
      description: 'Sluice delivery: signs and POSTs one webhook per task, records the attempt, schedules retries',
      serviceName: 'sluice-deliver',
      timeout: Duration.seconds(QUEUES.delivery.consumerTimeoutSeconds),
      // Up to 10 concurrent HTTPS requests with signing: more memory buys proportionally more CPU.
      memorySize: 512,
    });
    this.delivery.function.addEventSource(
      new eventSources.SqsEventSource(props.deliveryQueue.queue, {
        batchSize: QUEUES.delivery.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: props.deliveryMaxConcurrency,
      }),
    );
    // The slow lane: the same handler (it tells the lanes apart by the record's queue), with capped
    // concurrency, so hanging endpoints share a few invocations and never the fast lane's.
    this.delivery.function.addEventSource(
      new eventSources.SqsEventSource(props.deliverySlowQueue.queue, {
        batchSize: QUEUES.deliverySlow.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: props.deliverySlowMaxConcurrency ?? DEFAULT_SLOW_LANE_MAX_CONCURRENCY,
      }),
    );
    // Ordered endpoints: SQS hands out one batch per endpoint (message group) at a time, so an ordered
    // endpoint has one request in flight, whatever the concurrency.
    this.delivery.function.addEventSource(
      new eventSources.SqsEventSource(props.deliveryOrderedQueue.queue, { batchSize: QUEUES.deliveryOrdered.batchSize, reportBatchItemFailures: true }),
    );
    // Fast-lane tasks of slow endpoints are moved to the slow lane.
    props.deliverySlowQueue.queue.grantSendMessages(this.delivery.function);
    // Records attempts and endpoint state. ChangeMessageVisibility (the retry delay) on its own queue
    // comes with the event source's consume grant.
    props.table.grantReadWriteData(this.delivery.function);
    // Operational webhooks (endpoint.disabled, …) are tasks on the delivery queue, retried like webhooks.
    if (props.operationalWebhooks === true) props.deliveryQueue.queue.grantSendMessages(this.delivery.function);
    // AWS-native destinations (SQS, SNS, EventBridge in the customer's account): assume the customer's role.
    this.destinationPrincipalArn = grantDestinationAccess(this.delivery);
  }
}
