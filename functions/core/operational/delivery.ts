/**
 * Sends one operational webhook task to the operator's URL: signed like every webhook (Standard
 * Webhooks, the configured `whsec_` secret), retried on the delivery schedule through the queue's
 * visibility timeout. There is no attempt log for them: the attempt number is the queue's receive
 * count (a crashed worker may shorten their schedule by one; the log-exact numbering is for customers'
 * webhooks). Given up after the schedule, with an error log.
 */
import type { TaskLog } from '../delivery/task-log.ts';
import type { WebhookSender } from '../delivery/sender.ts';
import { nextRetryDelaySeconds } from '../delivery/retry-policy.ts';
import { webhookHeaders } from '../signing/webhook-headers.ts';
import type { OperationalWebhookTask } from '../tasks/tasks.ts';

export interface OperationalTarget {
  url: string;
  secret: string;
}

export interface OperationalDeliveryDeps {
  sender: WebhookSender;
  target: OperationalTarget | undefined;
  retryScheduleSeconds: readonly number[];
  minDelayAfterOverloadSeconds?: number | undefined;
  now: () => Date;
  random: () => number;
  log: TaskLog;
}

export type OperationalResult = { kind: 'done' } | { kind: 'retry'; delaySeconds: number };

export async function deliverOperational(
  deps: OperationalDeliveryDeps,
  task: OperationalWebhookTask,
  receiveCount: number,
): Promise<OperationalResult> {
  const extra = { webhookId: task.id, type: task.event.type, attemptNumber: receiveCount };
  if (deps.target === undefined) {
    deps.log.warn('Operational webhook dropped: no operational webhook URL is configured', extra);
    return { kind: 'done' };
  }
  const now = deps.now();
  const body = JSON.stringify(task.event);
  const headers = webhookHeaders({
    msgId: task.id,
    timestampSeconds: Math.floor(now.getTime() / 1000),
    body,
    secrets: [{ key: deps.target.secret, expiresAt: null }],
    endpointHeaders: {},
    now,
  });
  const outcome = await deps.sender.send({ url: deps.target.url, headers, body });
  if (outcome.kind === 'success') {
    deps.log.info('Operational webhook delivered', extra);
    return { kind: 'done' };
  }
  const delaySeconds = nextRetryDelaySeconds({
    attemptNumber: receiveCount,
    schedule: deps.retryScheduleSeconds,
    outcome,
    retryAfterSeconds: outcome.kind === 'http-error' ? outcome.retryAfterSeconds : undefined,
    random: deps.random,
    minDelayAfterOverloadSeconds: deps.minDelayAfterOverloadSeconds,
  });
  const status = outcome.kind === 'http-error' ? outcome.statusCode : 0;
  if (delaySeconds === null) {
    deps.log.error('Operational webhook failed for good', { ...extra, status });
    return { kind: 'done' };
  }
  deps.log.warn('Operational webhook failed; will retry', { ...extra, status, delaySeconds });
  return { kind: 'retry', delaySeconds };
}
