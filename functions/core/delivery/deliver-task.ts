/**
 * One delivery attempt of one message to one endpoint: number it (./plan.ts), respect the
 * endpoint's throttle (./throttle-step.ts), sign, send, record, keep the endpoint's health
 * (../endpoints/health.ts), tell the operator (../operational/events.ts), and decide whether (and when)
 * to try again. The caller turns the decision into queue operations: a retry becomes a
 * visibility-timeout change on the same SQS task, so SQS itself is the scheduler.
 */
import { DELIVERY } from '../../shared/names.ts';
import type { DeliveryLookups, EndpointRead } from './lookups.ts';
import type { TaskLog } from './task-log.ts';
import { planAttempt, statusAfter, type TaskReceipt } from './plan.ts';
import type { SendOutcome, WebhookSender } from './sender.ts';
import { throttleStep } from './throttle-step.ts';
import type { EndpointHealthTracker } from '../endpoints/health.ts';
import type { DivertReason, EndpointLanes } from '../isolation/endpoint-lanes.ts';
import { newId } from '../ids.ts';
import { AttemptStatus, TriggerType, type Endpoint, type Message, type MessageAttempt } from '../model.ts';
import type { OperationalEvents } from '../operational/events.ts';
import { PoisonTaskError } from '../tasks/poison.ts';
import type { AttemptStore } from '../ports.ts';
import { MAX_RETRY_DELAY_SECONDS, isEndpointGone, nextRetryDelaySeconds } from './retry-policy.ts';
import { webhookHeaders } from '../signing/webhook-headers.ts';
import type { DeliveryTask } from '../tasks/tasks.ts';
import type { Throttle } from '../throttle/throttle.ts';
import { reportOutcome } from './reports.ts';
import { sendToDestination, type DestinationSender } from '../destinations/sender.ts';

export type { TaskReceipt } from './plan.ts';

export interface DeliveryDeps {
  lookups: DeliveryLookups;
  attempts: AttemptStore;
  sender: WebhookSender;
  /** Sends to AWS-native destinations (endpoints with a `destination`); absent: those attempts fail. */
  destinations?: DestinationSender | undefined;
  retryScheduleSeconds: readonly number[];
  /** The floor after a timeout or 429 (default 60 s). */
  minDelayAfterOverloadSeconds?: number | undefined;
  now: () => Date;
  random: () => number;
  log: TaskLog;
  /** Enforces endpoints' throttleRate; absent: not enforced. */
  throttle?: Throttle | undefined;
  /** Auto-disable bookkeeping; absent: endpoints are never disabled automatically (410 still stops retries). */
  health?: EndpointHealthTracker | undefined;
  /** Operational webhooks; absent: none. */
  operational?: OperationalEvents | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /**
   * Tenant isolation (core/isolation/endpoint-lanes.ts). `lane` is the lane this task was received
   * in: only fast-lane tasks are diverted; attempts in both lanes are tracked. Absent: one lane.
   */
  lanes?: { lanes: EndpointLanes; lane: 'fast' | 'slow' } | undefined;
}

export type DeliveryResult =
  /** Nothing to deliver (endpoint deleted or disabled, already delivered or exhausted); nothing recorded. */
  | { kind: 'dropped'; reason: string }
  | { kind: 'delivered'; attempt: MessageAttempt }
  /** Failed; try again after `delaySeconds`. */
  | { kind: 'retry'; attempt: MessageAttempt; delaySeconds: number }
  /** Failed for good: schedule exhausted, manual attempt, payload expired or 410 Gone. */
  | { kind: 'failed'; attempt: MessageAttempt; endpointGone: boolean }
  /** Not attempted: the endpoint's throttle holds the task back for `delaySeconds` (not an attempt). */
  | { kind: 'held'; delaySeconds: number }
  /** Not attempted here: the endpoint belongs in the slow lane; the caller moves the task there. */
  | { kind: 'diverted'; reason: DivertReason };

const RESPONSE_LIMIT = DELIVERY.responseBodyMaxBytes;
const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
 * Delivers `task`. A missing message makes the task poison (PoisonTaskError): the API stores the
 * message before anything is queued for it, so the task can never succeed.
 */
export async function deliverTask(deps: DeliveryDeps, task: DeliveryTask, received: TaskReceipt): Promise<DeliveryResult> {
  const { appId, msgId, endpointId, triggerType } = task;
  // A diverted task's first receive in the slow lane may follow earlier attempts in the fast lane.
  const receipt = task.diverted === true ? { ...received, receiveCount: Math.max(2, received.receiveCount) } : received;
  const [message, endpoint] = await Promise.all([deps.lookups.message(appId, msgId), endpointFor(deps.lookups, task, receipt)]);
  if (message === undefined) throw new PoisonTaskError(`Message ${msgId} of app ${appId} not found`);
  if (endpoint === undefined) return { kind: 'dropped', reason: 'endpoint not found (deleted)' };
  if (endpoint.disabled) return { kind: 'dropped', reason: 'endpoint disabled' };
  if (deps.lanes?.lane === 'fast') {
    const reason = await deps.lanes.lanes.divert(endpoint);
    if (reason !== undefined) return { kind: 'diverted', reason };
  }

  const schedule = deps.retryScheduleSeconds;
  const plan = await planAttempt(deps, task, message, receipt, schedule.length + 1);
  if (plan.kind === 'done') {
    // A worker died after logging the last failure but before queueing the operator's notice: repeat it
    // (same webhook-id, so a receiver that got the first one deduplicates).
    if (plan.exhausted) await reportOutcome(deps, message, endpoint, undefined, { exhaustedAgain: true });
    return { kind: 'dropped', reason: plan.reason };
  }

  const base = (started: Date): Omit<MessageAttempt, 'responseStatusCode' | 'response' | 'responseDurationMs' | 'status'> => ({
    id: newId('attempt', started),
    appId,
    msgId,
    endpointId,
    url: endpoint.url,
    timestamp: started.toISOString(),
    triggerType,
    attemptNumber: plan.number,
    eventType: message.eventType,
    channels: message.channels,
    tags: message.tags,
  });

  const now = deps.now();
  if (message.payload === null || Date.parse(message.payloadExpiresAt) <= now.getTime()) {
    const attempt: MessageAttempt = {
      ...base(now),
      status: AttemptStatus.Fail,
      responseStatusCode: 0,
      response: `Not sent: the message payload expired at ${message.payloadExpiresAt} (retention period)`,
      responseDurationMs: 0,
    };
    await record(deps, attempt, statusAfter(attempt, plan.status, null) ?? undefined);
    return { kind: 'failed', attempt, endpointGone: false };
  }

  const gate = await throttleStep({ ...deps, throttle: deps.throttle, sleep: deps.sleep ?? sleepFor }, task, endpoint, receipt, plan.status);
  if (gate.kind === 'hold') return { kind: 'held', delaySeconds: Math.min(gate.delaySeconds, MAX_RETRY_DELAY_SECONDS) };

  const started = deps.now();
  const ended = deps.lanes?.lanes.track(endpoint);
  const outcome = endpoint.destination
    ? await sendToDestination(deps.destinations, message, endpoint, endpoint.destination, started)
    : await send(deps.sender, message, endpoint, started);
  await ended?.({ durationMs: outcome.durationMs, timedOut: outcome.kind === 'timeout' });
  const attempt: MessageAttempt = {
    ...base(started),
    ...attemptFields(outcome),
    status: outcome.kind === 'success' ? AttemptStatus.Success : AttemptStatus.Fail,
  };
  if (outcome.kind === 'success') {
    await record(deps, attempt, statusAfter(attempt, plan.status, null) ?? undefined);
    await deps.health?.succeeded(appId, endpointId);
    return { kind: 'delivered', attempt };
  }

  const delaySeconds =
    triggerType === TriggerType.Manual
      ? null
      : nextRetryDelaySeconds({
          attemptNumber: plan.number,
          schedule,
          outcome,
          retryAfterSeconds: outcome.kind === 'http-error' ? outcome.retryAfterSeconds : undefined,
          random: deps.random,
          minDelayAfterOverloadSeconds: deps.minDelayAfterOverloadSeconds,
        });
  const endpointGone = isEndpointGone(outcome);
  const nextAttemptAt = delaySeconds === null ? null : new Date(deps.now().getTime() + delaySeconds * 1000);
  await record(deps, attempt, statusAfter(attempt, plan.status, nextAttemptAt) ?? undefined);
  await reportOutcome(deps, message, endpoint, attempt, { endpointGone, retrying: delaySeconds !== null });
  if (delaySeconds === null) return { kind: 'failed', attempt, endpointGone };
  return { kind: 'retry', attempt, delaySeconds };
}

/**
 * First receives of scheduled tasks may use the worker's endpoint cache; a task received again (a
 * retry: the endpoint may have been fixed or disabled since) reads it fresh, and a manual attempt
 * reads it strongly consistent (a user often resends right after editing the endpoint).
 *
 * A cached copy older than the revision fan-out routed the task with is not used: a message published
 * after an edit (update, rotation, disable) was answered is always sent with the new settings.
 *
 * Only a decision to SEND may rest on the cache. Dropping is final, so a cached "disabled" or
 * "deleted" is confirmed by a consistent read first: a re-enabled endpoint gets the messages
 * published after it at once (fan-out, which reads endpoints consistently, queued them), not after
 * the TTL. Tasks for disabled endpoints are rare (fan-out skips them), so this costs little.
 */
async function endpointFor(lookups: DeliveryLookups, task: DeliveryTask, receipt: TaskReceipt): Promise<Endpoint | undefined> {
  const read: EndpointRead = task.triggerType === TriggerType.Manual ? 'consistent' : receipt.receiveCount > 1 ? 'fresh' : 'cached';
  let endpoint = await lookups.endpoint(task.appId, task.endpointId, read);
  // Older than the revision fan-out saw (an edit answered before the publish): read what fan-out read.
  if (endpoint !== undefined && (endpoint.revision ?? 0) < (task.endpointRevision ?? 0)) {
    endpoint = await lookups.endpoint(task.appId, task.endpointId, 'consistent');
  }
  if (read === 'consistent' || (endpoint !== undefined && !endpoint.disabled)) return endpoint;
  return lookups.endpoint(task.appId, task.endpointId, 'consistent');
}

/** The payload is serialized once and signed over exactly those bytes, with this attempt's timestamp. */
async function send(sender: WebhookSender, message: Message, endpoint: Endpoint, now: Date): Promise<SendOutcome> {
  // transformationsParams.rawPayload: the publisher's exact bytes, sent and signed as given.
  const body = message.rawPayload ?? JSON.stringify(message.payload);
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

/** Records the attempt (and the status, unless there is none to keep): one write request. */
async function record(deps: DeliveryDeps, attempt: MessageAttempt, status: Parameters<AttemptStore['record']>[1] | undefined): Promise<void> {
  await deps.attempts.record(attempt, status ?? null);
  // A success is the common case and already in the attempt log: DEBUG keeps it out of CloudWatch
  // Logs at the deployed level; failures stay INFO.
  const level = attempt.status === AttemptStatus.Success ? 'debug' : 'info';
  deps.log[level]('Delivery attempt recorded', {
    appId: attempt.appId,
    msgId: attempt.msgId,
    endpointId: attempt.endpointId,
    attemptNumber: attempt.attemptNumber,
    triggerType: attempt.triggerType,
    responseStatusCode: attempt.responseStatusCode,
    responseDurationMs: attempt.responseDurationMs,
    deliveryStatus: status?.status ?? attempt.status,
  });
}
