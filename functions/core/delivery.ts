/**
 * One delivery attempt of one message to one endpoint: sign, send, record, and decide whether
 * (and when) to try again. The caller turns the decision into queue operations: a retry becomes a
 * visibility-timeout change on the same SQS task, so SQS itself is the scheduler.
 */
import { DELIVERY } from '../shared/names.ts';
import type { DeliveryLookups } from './delivery-lookups.ts';
import type { TaskLog } from './delivery-log.ts';
import type { SendOutcome, WebhookSender } from './delivery-sender.ts';
import { newId } from './ids.ts';
import { AttemptStatus, TriggerType, type Endpoint, type Message, type MessageAttempt } from './model.ts';
import type { AttemptStore } from './ports.ts';
import { isEndpointGone, nextRetryDelaySeconds } from './retry-policy.ts';
import { webhookHeaders } from './signing.ts';
import type { DeliveryTask } from './tasks.ts';

export interface DeliveryDeps {
  lookups: DeliveryLookups;
  attempts: AttemptStore;
  sender: WebhookSender;
  retryScheduleSeconds: readonly number[];
  now: () => Date;
  random: () => number;
  log: TaskLog;
}

export type DeliveryResult =
  /** Nothing to deliver (message or endpoint deleted, endpoint disabled); nothing recorded. */
  | { kind: 'dropped'; reason: string }
  | { kind: 'delivered'; attempt: MessageAttempt }
  /** Failed; try again after `delaySeconds`. */
  | { kind: 'retry'; attempt: MessageAttempt; delaySeconds: number }
  /** Failed for good: schedule exhausted, manual attempt, payload expired or 410 Gone. */
  | { kind: 'failed'; attempt: MessageAttempt; endpointGone: boolean };

const RESPONSE_LIMIT = DELIVERY.responseBodyMaxBytes;

function attemptFields(outcome: SendOutcome): Pick<MessageAttempt, 'responseStatusCode' | 'response' | 'responseDurationMs'> {
  const response = outcome.kind === 'success' || outcome.kind === 'http-error' ? outcome.body : outcome.message;
  return {
    responseStatusCode: outcome.kind === 'success' || outcome.kind === 'http-error' ? outcome.statusCode : 0,
    // The sender truncates bytes; this guards against a sender that does not.
    response: response.length > RESPONSE_LIMIT ? response.slice(0, RESPONSE_LIMIT) : response,
    responseDurationMs: outcome.durationMs,
  };
}

/**
 * Delivers `task`; `attemptNumber` is the 1-based number of this attempt within the task (the
 * queue's receive count of the task: every retry is one more receive of the same SQS message).
 */
export async function deliverTask(deps: DeliveryDeps, task: DeliveryTask, attemptNumber: number): Promise<DeliveryResult> {
  const { appId, msgId, endpointId, triggerType } = task;
  const [message, endpoint] = await Promise.all([
    deps.lookups.message(appId, msgId),
    deps.lookups.endpoint(appId, endpointId),
  ]);
  if (message === undefined) return { kind: 'dropped', reason: 'message not found' };
  if (endpoint === undefined) return { kind: 'dropped', reason: 'endpoint not found (deleted)' };
  if (endpoint.disabled) return { kind: 'dropped', reason: 'endpoint disabled' };

  const started = deps.now();
  const base = (): Omit<MessageAttempt, 'responseStatusCode' | 'response' | 'responseDurationMs' | 'status'> => ({
    id: newId('attempt', started),
    appId,
    msgId,
    endpointId,
    url: endpoint.url,
    timestamp: started.toISOString(),
    triggerType,
    attemptNumber,
    eventType: message.eventType,
    channels: message.channels,
    tags: message.tags,
  });

  if (message.payload === null || Date.parse(message.payloadExpiresAt) <= started.getTime()) {
    const attempt: MessageAttempt = {
      ...base(),
      status: AttemptStatus.Fail,
      responseStatusCode: 0,
      response: `Not sent: the message payload expired at ${message.payloadExpiresAt} (retention period)`,
      responseDurationMs: 0,
    };
    await record(deps, attempt, null);
    return { kind: 'failed', attempt, endpointGone: false };
  }

  const outcome = await send(deps.sender, message, endpoint, started);
  const succeeded = outcome.kind === 'success';
  const attempt: MessageAttempt = {
    ...base(),
    ...attemptFields(outcome),
    status: succeeded ? AttemptStatus.Success : AttemptStatus.Fail,
  };
  if (succeeded) {
    await record(deps, attempt, null);
    return { kind: 'delivered', attempt };
  }

  const delaySeconds =
    triggerType === TriggerType.Manual
      ? null
      : nextRetryDelaySeconds({
          attemptNumber,
          schedule: deps.retryScheduleSeconds,
          outcome,
          retryAfterSeconds: outcome.kind === 'http-error' ? outcome.retryAfterSeconds : undefined,
          random: deps.random,
        });
  const endpointGone = isEndpointGone(outcome);
  if (endpointGone) deps.log.warn('Endpoint answered 410 Gone; not retrying', { appId, endpointId, msgId, endpointGone });
  if (delaySeconds === null) {
    await record(deps, attempt, null);
    return { kind: 'failed', attempt, endpointGone };
  }
  await record(deps, attempt, new Date(deps.now().getTime() + delaySeconds * 1000));
  return { kind: 'retry', attempt, delaySeconds };
}

/** The payload is serialized once and signed over exactly those bytes, with this attempt's timestamp. */
async function send(sender: WebhookSender, message: Message, endpoint: Endpoint, now: Date): Promise<SendOutcome> {
  const body = JSON.stringify(message.payload);
  const headers = webhookHeaders({
    msgId: message.id,
    timestampSeconds: Math.floor(now.getTime() / 1000),
    body,
    secrets: endpoint.secrets,
    endpointHeaders: endpoint.headers,
    now,
  });
  return sender.send({ url: endpoint.url, headers, body });
}

/**
 * Records the attempt and the message's status for the endpoint: Success, Pending until
 * `nextAttemptAt`, or Fail when no attempt follows.
 */
async function record(deps: DeliveryDeps, attempt: MessageAttempt, nextAttemptAt: Date | null): Promise<void> {
  const status =
    attempt.status === AttemptStatus.Success
      ? AttemptStatus.Success
      : nextAttemptAt === null
        ? AttemptStatus.Fail
        : AttemptStatus.Pending;
  await deps.attempts.record(attempt, {
    appId: attempt.appId,
    msgId: attempt.msgId,
    endpointId: attempt.endpointId,
    status,
    attempts: attempt.attemptNumber,
    lastAttemptAt: attempt.timestamp,
    nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
  });
  deps.log.info('Delivery attempt recorded', {
    appId: attempt.appId,
    msgId: attempt.msgId,
    endpointId: attempt.endpointId,
    attemptNumber: attempt.attemptNumber,
    triggerType: attempt.triggerType,
    responseStatusCode: attempt.responseStatusCode,
    responseDurationMs: attempt.responseDurationMs,
    deliveryStatus: status,
  });
}
