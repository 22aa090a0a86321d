/**
 * The fan-out consumer: one SQS batch of fan-out tasks in, delivery tasks out. Parsing, logging
 * and the partial batch response live here; routing lives in functions/core/fanout/fanout.ts. A message
 * task received before its deliverAt is held (core/scheduled-delivery.ts): its visibility becomes the
 * rest of the wait and it is reported in batchItemFailures, which is not logged as a failure.
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { endpointsOncePerBatch, fanOutMessage, recoverFailedDeliveries, type FanoutDeps } from '../core/fanout/fanout.ts';
import { fanoutHoldSeconds } from '../core/fanout/scheduled-delivery.ts';
import { settleAfter } from '../core/background-tasks/service.ts';
import type { Stores } from '../core/ports.ts';
import type { DeliveryQueue, FanoutTask, TaskVisibility } from '../core/tasks/tasks.ts';
import { failPoisonFast, parseTaskBody, processSqsRecords, processSqsRecordsInOrder, type RecordResult } from '../adapters/sqs/batch.ts';
import { FanoutTaskSchema } from './task-schema.ts';
import { QUEUES, queueName } from '../shared/names.ts';
import { noopMetrics, type Metrics } from '../core/metrics/metrics.ts';
import { noTracing, type Tracing } from '../core/tracing/tracing.ts';
import { flushMetrics } from '../shared/flush-metrics.ts';
import { createFanoutMetrics } from './metrics.ts';

export interface FanoutHandlerDeps {
  stores: Stores;
  deliveryQueue: DeliveryQueue;
  /** The slow lane's queue: deliveries to endpoints marked slow go there (core/isolation/). Absent: one lane. */
  slowLaneQueue?: DeliveryQueue;
  /**
   * Ordered endpoints (core/ordering/): where their deliveries go (the FIFO delivery queue), and the
   * visibility of the FIFO fan-out queue's records, whose batches run each app's messages one after
   * another in publish order. Absent: ordered endpoints are delivered unordered.
   */
  ordered?: { deliveryQueue: DeliveryQueue; visibility: TaskVisibility };
  /**
   * The fan-out queue's visibility: poison tasks (malformed, unknown message) are handed back at once,
   * and a message task received before its deliverAt is held until then. Absent: a held task comes
   * back after the queue's default visibility timeout.
   */
  visibility?: TaskVisibility;
  logger?: Logger;
  now?: () => Date;
  /** Where tasks, matched endpoints, holds and poison tasks are counted (./metrics.ts); absent: nowhere. */
  metrics?: Metrics;
  /** Each task a span annotated with its message (X-Ray with -c tracing=true); absent: nowhere. */
  tracing?: Tracing;
}

/** Records of apps with ordered endpoints come from the FIFO queue QUEUES.fanoutOrdered. */
const isOrderedRecord = (record: SQSRecord): boolean => record.eventSourceARN.endsWith(queueName(QUEUES.fanoutOrdered));

/** An ordered fan-out batch starts no task later than this into the batch (half the consumer's timeout). */
const ORDERED_BUDGET_MS = (QUEUES.fanoutOrdered.consumerTimeoutSeconds * 1000) / 2;

export function createFanoutHandler(deps: FanoutHandlerDeps): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const logger = deps.logger ?? new Logger({ serviceName: 'sluice-fanout' });
  const now = deps.now ?? (() => new Date());
  const metrics = deps.metrics ?? noopMetrics;
  const meter = createFanoutMetrics(metrics);
  const tracing = deps.tracing ?? noTracing;

  async function processRecord(batch: FanoutDeps, record: SQSRecord): Promise<RecordResult> {
    const task = parseTaskBody(record.body, (v) => FanoutTaskSchema.safeParse(v));
    const annotations =
      task.kind === 'message'
        ? { messageId: task.msgId, appId: task.appId }
        : { backgroundTaskId: task.taskId, appId: task.appId, endpointId: task.endpointId };
    return tracing.span(`fanout ${task.kind}`, annotations, () => processTask(batch, record, task));
  }

  async function processTask(batch: FanoutDeps, record: SQSRecord, task: FanoutTask): Promise<RecordResult> {
    if (task.kind === 'message') {
      const holdSeconds = fanoutHoldSeconds(task.deliverAt, now());
      if (holdSeconds !== undefined) {
        // Not a failure: 'retry' leaves the task on the queue, which hands it back when the hold ends.
        logger.debug('Message held until its deliverAt', { appId: task.appId, msgId: task.msgId, deliverAt: task.deliverAt, holdSeconds });
        await deps.visibility?.delay(record.receiptHandle, holdSeconds);
        meter.held();
        return 'retry';
      }
      const queued = await fanOutMessage(batch, task);
      meter.fannedOut('message', queued);
      // One line per published message: DEBUG, so the deployed level (INFO) does not ingest it.
      logger.debug('Message fanned out', { appId: task.appId, msgId: task.msgId, deliveries: queued });
    } else {
      // The recover's background task (GET /background-task/{id}) turns finished, with the count, or failed.
      const { requeued: queued } = await settleAfter(deps.stores.backgroundTasks, task.taskId, now, async () => ({
        requeued: await recoverFailedDeliveries(batch, task),
      }));
      meter.fannedOut('recover', queued);
      logger.info('Endpoint recovery queued', { taskId: task.taskId, appId: task.appId, endpointId: task.endpointId, deliveries: queued });
    }
    return 'done';
  }

  // No early-timeout abort: a record still running when Lambda stops is simply received again.
  return middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger))
    .use(flushMetrics(metrics))
    .handler((event) => {
      const { messages, attempts, endpoints } = deps.stores;
      const batch: FanoutDeps = {
        stores: { messages, attempts, endpoints: endpointsOncePerBatch(endpoints) },
        deliveryQueue: deps.deliveryQueue,
        slowLaneQueue: deps.slowLaneQueue,
        orderedDeliveryQueue: deps.ordered?.deliveryQueue,
        now,
      };
      const ordered = deps.ordered;
      const inOrder = ordered !== undefined && event.Records.length > 0 && isOrderedRecord(event.Records[0]!);
      const visibility = inOrder ? ordered.visibility : deps.visibility;
      const process = failPoisonFast(meter.countPoison((record: SQSRecord) => processRecord(batch, record)), visibility);
      if (inOrder) return processSqsRecordsInOrder(event.Records, process, logger, { visibility: ordered.visibility, budgetMs: ORDERED_BUDGET_MS });
      return processSqsRecords(event.Records, process, logger);
    });
}
