/**
 * The work queues (fan-out, delivery, the slow lane, and the FIFO pair of ordered endpoints), each with its dead-letter queue, built from the QueueSpec
 * in functions/shared/names.ts that local/resources.ts also uses.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  QUEUE_MAX_MESSAGE_BYTES,
  QUEUE_RETENTION_SECONDS,
  QUEUES,
  dlqName,
  queueName,
  visibilityTimeoutSeconds,
  type QueueSpec,
} from '../functions/shared/names.ts';

export interface WorkQueueProps {
  readonly spec: QueueSpec;
}

/** A queue and its DLQ. */
export class WorkQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly spec: QueueSpec;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;
    // Prefixed with the stack name so two stages (e.g. SluiceDev, SluiceProd) fit in one account/region.
    const prefix = `${Stack.of(this).stackName}-`;
    const common = {
      // The maxima: a DLQ keeps a poison task as long as SQS allows, and a task never outgrows a queue.
      retentionPeriod: Duration.seconds(QUEUE_RETENTION_SECONDS),
      maxMessageSizeBytes: QUEUE_MAX_MESSAGE_BYTES,
      // SSE-SQS: encrypted at rest with no KMS key to grant or pay for.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // FIFO (ordered endpoints): high-throughput mode, whose limits apply per message group (one per
      // app in fan-out, one per endpoint in delivery) rather than to the whole queue.
      ...(spec.fifo === true
        ? { fifo: true, deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP, fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID }
        : {}),
    };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', { ...common, queueName: prefix + dlqName(spec) });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...common,
      queueName: prefix + queueName(spec),
      // AWS's guidance for Lambda consumers: at least 6× the function timeout, so a task isn't handed to a
      // second invocation while the first (with its batching and retries) may still be working on it.
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(spec)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
    });
  }
}

export class Queues extends Construct {
  readonly fanout: WorkQueue;
  readonly delivery: WorkQueue;
  /** The slow lane: deliveries to endpoints that hang or answer slowly (functions/core/isolation/). */
  readonly deliverySlow: WorkQueue;
  /** Ordered endpoints (functions/core/ordering/): FIFO fan-out (a group per app) and delivery (a group per endpoint). */
  readonly fanoutOrdered: WorkQueue;
  readonly deliveryOrdered: WorkQueue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.fanout = new WorkQueue(this, 'Fanout', { spec: QUEUES.fanout });
    this.delivery = new WorkQueue(this, 'Delivery', { spec: QUEUES.delivery });
    this.deliverySlow = new WorkQueue(this, 'DeliverySlow', { spec: QUEUES.deliverySlow });
    this.fanoutOrdered = new WorkQueue(this, 'FanoutOrdered', { spec: QUEUES.fanoutOrdered });
    this.deliveryOrdered = new WorkQueue(this, 'DeliveryOrdered', { spec: QUEUES.deliveryOrdered });
  }

  /** Every work queue, by label (alarms, dashboard, the ops route). */
  get all(): Record<string, WorkQueue> {
    return {
      Fanout: this.fanout,
      Delivery: this.delivery,
      DeliverySlow: this.deliverySlow,
      FanoutOrdered: this.fanoutOrdered,
      DeliveryOrdered: this.deliveryOrdered,
    };
  }
}
