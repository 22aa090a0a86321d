/**
 * The delivery consumer: one SQS batch of delivery tasks, each one HTTP attempt (plus, kind
 * 'operational', the operator's webhooks). A failed attempt with a retry left stays on the queue: its
 * visibility timeout becomes the retry delay and it is reported in batchItemFailures, so SQS hands the
 * same task back when the delay is over. A task held back by its endpoint's throttle goes back the
 * same way, without an attempt.
 *
 * Attempt numbers come from the attempt log, not from the receive count (core/delivery/plan.ts):
 * a receive may be a retry, a throttle hold or a crashed worker's task. Poison tasks (malformed, or
 * for a message that does not exist) are handed straight back (visibility 0) and reported failed,
 * so they reach the DLQ after maxReceiveCount receives within seconds.
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createBatchLookups } from '../core/delivery/lookups.ts';
import type { WebhookSender } from '../core/delivery/sender.ts';
import type { DestinationSender } from '../core/destinations/sender.ts';
import { createBatchRecorder } from '../core/attempts/batch-recorder.ts';
import { deliverTask, type DeliveryDeps, type DeliveryResult } from '../core/delivery/deliver-task.ts';
import { createEndpointCache } from '../core/delivery/endpoint-cache.ts';
import { createEndpointHealthTracker, type EndpointHealthStore } from '../core/endpoints/health.ts';
import { deliverOperational, type OperationalTarget } from '../core/operational/delivery.ts';
import { createOperationalEvents } from '../core/operational/events.ts';
import type { Stores } from '../core/ports.ts';
import type { DeliveryQueue, DeliveryTask, OperationalQueue, OperationalWebhookTask, TaskVisibility } from '../core/tasks/tasks.ts';
import { createEndpointLanes, type LaneSettings } from '../core/isolation/endpoint-lanes.ts';
import { DELIVERY, QUEUES, queueName } from '../shared/names.ts';
import { createThrottle, type ThrottleStore } from '../core/throttle/throttle.ts';
import { failPoisonFast, parseTaskBody, processSqsRecords, processSqsRecordsInOrder, type RecordResult } from '../adapters/sqs/batch.ts';
import { DeliveryQueueTaskSchema, isOperational } from './task-schema.ts';
import { noopMetrics, type Metrics } from '../core/metrics/metrics.ts';
import { noTracing, type Tracing } from '../core/tracing/tracing.ts';
import { flushMetrics } from '../shared/flush-metrics.ts';
import { createDeliveryMetrics } from './metrics.ts';

export interface DeliveryHandlerDeps {
  stores: Stores;
  sender: WebhookSender;
  /** Sends to AWS-native destinations (SQS, SNS, EventBridge); absent: those attempts fail. */
  destinations?: DestinationSender;
  visibility: TaskVisibility;
  retryScheduleSeconds: number[];
  logger?: Logger;
  now?: () => Date;
  random?: () => number;
  /** The floor after a timeout or 429 (default 60 s; lowered only to compress test schedules). */
  minDelayAfterOverloadSeconds?: number;
  /** Shared throttle state; absent: throttleRate is not enforced. */
  throttleStore?: ThrottleStore;
  /** Endpoint health; absent: no auto-disable (a 410 still ends the retries). */
  healthStore?: EndpointHealthStore;
  /** Failing this long without a success disables an endpoint (default 5 days). */
  disableAfterSeconds?: number;
  /** Where operational webhook tasks are queued, and where they are sent; both absent: none. */
  operationalQueue?: OperationalQueue;
  operationalTarget?: OperationalTarget;
  /**
   * Seconds this worker keeps an endpoint it read (core/delivery/endpoint-cache.ts): an endpoint edit reaches
   * first attempts within this time. Absent or 0: no cache (every batch reads its endpoints).
   */
  endpointCacheSeconds?: number;
  /** Where attempt outcomes, retries, holds … are counted (./metrics.ts); absent: nowhere. */
  metrics?: Metrics;
  /**
   * The slow lane (core/isolation/endpoint-lanes.ts): its queue, where fast-lane tasks of slow
   * endpoints are moved, and the visibility of its records (retries of tasks received there).
   * Absent: one lane, nothing is diverted.
   */
  slowLane?: { queue: DeliveryQueue; visibility: TaskVisibility; settings?: Partial<LaneSettings> };
  /**
   * The FIFO queue of ordered endpoints (core/ordering/): the visibility of its records. Its batches
   * run each endpoint's tasks one after another; a task that is not delivered holds the ones behind it.
   * Absent: no ordered queue is consumed.
   */
  ordered?: { visibility: TaskVisibility };
  /** Each task a span annotated with its message, endpoint and outcome (X-Ray with -c tracing=true); absent: nowhere. */
  tracing?: Tracing;
}

/** Records of the slow lane come from the queue named QUEUES.deliverySlow (stack-prefixed on AWS). */
const isSlowLaneRecord = (record: SQSRecord): boolean => record.eventSourceARN.endsWith(QUEUES.deliverySlow.name);
/** Records of ordered endpoints come from the FIFO queue QUEUES.deliveryOrdered. */
const isOrderedRecord = (record: SQSRecord): boolean => record.eventSourceARN.endsWith(queueName(QUEUES.deliveryOrdered));

/**
 * An ordered batch starts no attempt later than this into the batch: one more attempt (at most the
 * attempt timeout) and the bookkeeping still end within the consumer's timeout.
 */
const ORDERED_BUDGET_MS = QUEUES.deliveryOrdered.consumerTimeoutSeconds * 1000 - DELIVERY.attemptTimeoutMs - 10_000;

const DEFAULT_DISABLE_AFTER_SECONDS = 5 * 86_400;

/**
 * A batch's attempts are logged together (core/attempts/batch-recorder.ts); one waiting longer than
 * this for slower tasks of its batch is written without them.
 */
const ATTEMPT_LOG_MAX_WAIT_MS = 200;

function receiveCountOf(record: SQSRecord): number {
  const count = Number(record.attributes.ApproximateReceiveCount);
  return Number.isInteger(count) && count >= 1 ? count : 1;
}

export function createDeliveryHandler(deps: DeliveryHandlerDeps): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const logger = deps.logger ?? new Logger({ serviceName: 'sluice-deliver' });
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const metrics = deps.metrics ?? noopMetrics;
  const meter = createDeliveryMetrics(metrics);
  const tracing = deps.tracing ?? noTracing;
  // Per worker (Lambda container), kept across batches: the throttle's last known slot, the
  // endpoints' last known health, and the endpoints themselves for a few seconds.
  const throttle = deps.throttleStore === undefined ? undefined : createThrottle({ store: deps.throttleStore, now });
  const health = meter.meterHealth(
    deps.healthStore === undefined
      ? undefined
      : createEndpointHealthTracker({
          store: deps.healthStore,
          disableAfterMs: (deps.disableAfterSeconds ?? DEFAULT_DISABLE_AFTER_SECONDS) * 1000,
          now,
        }),
  );
  const operational = createOperationalEvents(deps.operationalQueue);
  const endpointCache = createEndpointCache(deps.endpointCacheSeconds ?? 0, () => now().getTime());
  const slowLane = deps.slowLane;
  const lanes =
    slowLane === undefined
      ? undefined
      : createEndpointLanes({
          settings: slowLane.settings,
          store: deps.stores.endpoints,
          now: () => now().getTime(),
          onStoreError: (error) => logger.warn('Could not record an endpoint as slow', { error: error as Error }),
        });
  const ordered = deps.ordered;
  const visibilityOf = (record: SQSRecord): TaskVisibility =>
    ordered !== undefined && isOrderedRecord(record)
      ? ordered.visibility
      : slowLane !== undefined && isSlowLaneRecord(record)
        ? slowLane.visibility
        : deps.visibility;
  const common = {
    sender: deps.sender,
    destinations: deps.destinations,
    retryScheduleSeconds: deps.retryScheduleSeconds,
    minDelayAfterOverloadSeconds: deps.minDelayAfterOverloadSeconds,
    now,
    random,
    log: logger,
  };

  async function processBatch(event: SQSEvent): Promise<SQSBatchResponse> {
    const delivery: DeliveryDeps = {
      ...common,
      lookups: meter.trackMessages(createBatchLookups(deps.stores, endpointCache)),
      attempts: deps.stores.attempts,
      throttle,
      health,
      operational,
    };

    // One queue per event source mapping: a batch is all ordered or not at all.
    const inOrder = ordered !== undefined && event.Records.length > 0 && isOrderedRecord(event.Records[0]!);
    // An ordered batch runs an endpoint's tasks one after another: batching their attempt writes would
    // make each wait for the next, so each attempt is written on its own.
    const recorder = inOrder ? undefined : createBatchRecorder(deps.stores.attempts, event.Records.length, ATTEMPT_LOG_MAX_WAIT_MS);

    async function processRecord(record: SQSRecord): Promise<RecordResult> {
      if (recorder === undefined) return processTask(record, delivery);
      const slot = recorder.forTask();
      try {
        return await processTask(record, { ...delivery, attempts: slot.attempts });
      } finally {
        slot.done();
      }
    }

    async function processTask(record: SQSRecord, taskDelivery: DeliveryDeps): Promise<RecordResult> {
      const task = parseTaskBody(record.body, (v) => DeliveryQueueTaskSchema.safeParse(v));
      const receiveCount = receiveCountOf(record);
      if (isOperational(task)) {
        return tracing.span('operational webhook', { eventType: task.event.type }, () => processOperational(record, task, receiveCount));
      }
      const lane = inOrder ? 'ordered' : isSlowLaneRecord(record) ? 'slow' : 'fast';
      return tracing.span('delivery attempt', { messageId: task.msgId, appId: task.appId, endpointId: task.endpointId, lane }, async () => {
        const outcome = await processDelivery(record, task, taskDelivery, receiveCount, lane);
        tracing.annotate({ outcome });
        return outcome === 'retry' || outcome === 'held' ? 'retry' : 'done';
      });
    }

    async function processOperational(record: SQSRecord, task: OperationalWebhookTask, receiveCount: number): Promise<RecordResult> {
      const result = await deliverOperational({ ...common, target: deps.operationalTarget }, task, receiveCount);
      if (result.kind === 'done') return 'done';
      await visibilityOf(record).delay(record.receiptHandle, result.delaySeconds);
      return 'retry';
    }

    /** One attempt (or none: held, diverted, dropped), and what becomes of its SQS record; returns what happened. */
    async function processDelivery(
      record: SQSRecord,
      task: DeliveryTask,
      taskDelivery: DeliveryDeps,
      receiveCount: number,
      lane: 'fast' | 'slow' | 'ordered',
    ): Promise<DeliveryResult['kind']> {
      // An ordered endpoint holds only its own queue (one message group), so it has no lanes.
      const result = await deliverTask(
        lanes === undefined || lane === 'ordered' ? taskDelivery : { ...taskDelivery, lanes: { lanes, lane } },
        task,
        { taskId: record.messageId, receiveCount },
      );
      meter.result(result);
      switch (result.kind) {
        case 'dropped':
          logger.info('Delivery task dropped: nothing to deliver', { ...task, reason: result.reason });
          break;
        case 'delivered':
        case 'failed':
          break;
        case 'retry':
          await visibilityOf(record).delay(record.receiptHandle, result.delaySeconds);
          break;
        case 'held':
          logger.debug('Delivery task held back by the endpoint throttle', { ...task, delaySeconds: result.delaySeconds });
          await visibilityOf(record).delay(record.receiptHandle, result.delaySeconds);
          break;
        case 'diverted':
          // Queued there before it is deleted here: a crash in between duplicates the task, never loses it.
          await slowLane!.queue.sendAll([{ ...task, diverted: true }]);
          logger.debug('Delivery task moved to the slow lane', { ...task, reason: result.reason });
          break;
      }
      return result.kind;
    }

    const process = failPoisonFast(meter.countPoison(processRecord), visibilityOf);
    if (inOrder) return processSqsRecordsInOrder(event.Records, process, logger, { visibility: ordered!.visibility, budgetMs: ORDERED_BUDGET_MS });
    return processSqsRecords(event.Records, process, logger);
  }

  return middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger))
    .use(flushMetrics(metrics))
    .handler(processBatch);
}
