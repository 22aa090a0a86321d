/**
 * The delivery consumer: one SQS batch of delivery tasks, each one HTTP attempt. A failed attempt
 * with a retry left stays on the queue: its visibility timeout becomes the retry delay and it is
 * reported in batchItemFailures, so SQS hands the same task back when the delay is over.
 *
 * The attempt number is the task's ApproximateReceiveCount: every retry is one more receive of the
 * same SQS message. A worker that crashed mid-attempt also counts as a receive, so after a crash
 * the schedule moves one step on (and ends one attempt early); the queue's maxReceiveCount is set
 * well above the schedule's length so such tasks still end as a recorded failure, not in the DLQ.
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createBatchLookups } from '../core/delivery-lookups.ts';
import type { WebhookSender } from '../core/delivery-sender.ts';
import { deliverTask, type DeliveryDeps } from '../core/delivery.ts';
import type { Stores } from '../core/ports.ts';
import type { TaskVisibility } from '../core/tasks.ts';
import { parseTaskBody, processSqsRecords, type RecordResult } from '../adapters/sqs/batch.ts';
import { DeliveryTaskSchema } from './task-schema.ts';

export interface DeliveryHandlerDeps {
  stores: Stores;
  sender: WebhookSender;
  visibility: TaskVisibility;
  retryScheduleSeconds: number[];
  logger?: Logger;
  now?: () => Date;
  random?: () => number;
}

function attemptNumberOf(record: SQSRecord): number {
  const count = Number(record.attributes.ApproximateReceiveCount);
  return Number.isInteger(count) && count >= 1 ? count : 1;
}

export function createDeliveryHandler(deps: DeliveryHandlerDeps): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const logger = deps.logger ?? new Logger({ serviceName: 'sluice-deliver' });

  async function processBatch(event: SQSEvent): Promise<SQSBatchResponse> {
    const delivery: DeliveryDeps = {
      lookups: createBatchLookups(deps.stores),
      attempts: deps.stores.attempts,
      sender: deps.sender,
      retryScheduleSeconds: deps.retryScheduleSeconds,
      now: deps.now ?? (() => new Date()),
      random: deps.random ?? Math.random,
      log: logger,
    };

    async function processRecord(record: SQSRecord): Promise<RecordResult> {
      const task = parseTaskBody(record.body, (v) => DeliveryTaskSchema.safeParse(v));
      const result = await deliverTask(delivery, task, attemptNumberOf(record));
      switch (result.kind) {
        case 'dropped':
          logger.info('Delivery task dropped: nothing to deliver', { ...task, reason: result.reason });
          return 'done';
        case 'delivered':
        case 'failed':
          return 'done';
        case 'retry':
          await deps.visibility.delay(record.receiptHandle, result.delaySeconds);
          return 'retry';
      }
    }

    return processSqsRecords(event.Records, processRecord, logger);
  }

  return middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger))
    .handler(processBatch);
}
