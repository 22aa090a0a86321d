/**
 * What the delivery handler records per task, mapped from the result it already has (no second
 * bookkeeping): attempts by outcome and trigger with their duration, first-attempt outcomes and the
 * publish→delivery latency, retries, throttle holds, exhausted schedules, disabled endpoints, drops
 * and poison tasks. Names and units: functions/core/metrics/catalog.ts.
 */
import type { DeliveryResult } from '../core/delivery/deliver-task.ts';
import type { DeliveryLookups } from '../core/delivery/lookups.ts';
import type { EndpointHealthTracker } from '../core/endpoints/health.ts';
import type { AttemptOutcome, AttemptTrigger } from '../core/metrics/catalog.ts';
import type { Metrics } from '../core/metrics/metrics.ts';
import { AttemptStatus, TriggerType, type MessageAttempt } from '../core/model.ts';
import { countPoisonTasks } from '../shared/poison-metrics.ts';

/**
 * The outcome from what the attempt log keeps. Status 0 means no HTTP answer; the sender's messages
 * (functions/adapters/http/webhook-sender.ts) tell a timeout, a refusal by the network guard
 * (SLUICE_ADDRESS_REFUSED, or a URL refused before connecting) and a payload that was not sent apart.
 */
export function attemptOutcome(attempt: Pick<MessageAttempt, 'status' | 'responseStatusCode' | 'response'>): AttemptOutcome {
  if (attempt.status === AttemptStatus.Success) return 'success';
  const code = attempt.responseStatusCode;
  if (code >= 500) return 'http_5xx';
  if (code >= 400) return 'http_4xx';
  if (code > 0) return 'http_other';
  const text = attempt.response;
  if (text.startsWith('No response within')) return 'timeout';
  if (text.startsWith('Not sent:')) return 'not_sent';
  if (text.includes('SLUICE_ADDRESS_REFUSED') || /is refused: |Unsupported URL scheme/.test(text)) return 'refused';
  return 'connection_error';
}

const triggerOf = (attempt: MessageAttempt): AttemptTrigger => (attempt.triggerType === TriggerType.Manual ? 'manual' : 'scheduled');

export interface DeliveryMetrics {
  /** Remembers each message's publish time (or deliverAt) as the batch reads it, for the latency. */
  trackMessages(lookups: DeliveryLookups): DeliveryLookups;
  /** Counts endpoints the tracker disables. */
  meterHealth<T extends EndpointHealthTracker | undefined>(health: T): T;
  /** One task's result. */
  result(result: DeliveryResult): void;
  /** Counts PoisonTaskErrors thrown by `process` (and rethrows them). */
  countPoison<A extends unknown[], R>(process: (...args: A) => Promise<R>): (...args: A) => Promise<R>;
}

/** Recent messages whose due time is remembered (a few batches' worth; the oldest go first). */
const MAX_TRACKED = 1000;

export function createDeliveryMetrics(metrics: Metrics): DeliveryMetrics {
  // msgId → ms since epoch the message became due. Insertion-ordered and capped, so a long-lived
  // worker can't grow it; shared by concurrent batches (local pollers share one handler).
  const dueAt = new Map<string, number>();

  function recordAttempt(attempt: MessageAttempt): void {
    const dims = { outcome: attemptOutcome(attempt), trigger: triggerOf(attempt) };
    metrics.count('Attempts', 1, dims);
    if (dims.outcome !== 'not_sent') metrics.timing('AttemptDuration', attempt.responseDurationMs, dims);
    if (attempt.attemptNumber !== 1 || attempt.triggerType !== TriggerType.Scheduled) return;
    metrics.count('FirstAttempts', 1, dims);
    const due = dueAt.get(attempt.msgId);
    if (dims.outcome === 'success' && due !== undefined) {
      metrics.timing('DeliveryLatency', Date.parse(attempt.timestamp) + attempt.responseDurationMs - due, dims);
    }
  }

  return {
    trackMessages: (lookups) => ({
      ...lookups,
      message: async (appId, msgId) => {
        const message = await lookups.message(appId, msgId);
        if (message !== undefined && !dueAt.has(msgId)) {
          if (dueAt.size >= MAX_TRACKED) dueAt.delete(dueAt.keys().next().value!);
          const published = Date.parse(message.timestamp);
          const deliverAt = message.deliverAt === null ? Number.NaN : Date.parse(message.deliverAt);
          dueAt.set(msgId, Number.isFinite(deliverAt) ? Math.max(published, deliverAt) : published);
        }
        return message;
      },
    }),
    meterHealth: (health) => {
      if (health === undefined) return health;
      const tracker: EndpointHealthTracker = {
        succeeded: (appId, endpointId) => health.succeeded(appId, endpointId),
        failed: async (appId, endpointId) => {
          const result = await health.failed(appId, endpointId);
          if (result.disabled) metrics.count('EndpointsDisabled', 1, { reason: 'failing' });
          return result;
        },
        gone: async (appId, endpointId) => {
          const disabled = await health.gone(appId, endpointId);
          if (disabled) metrics.count('EndpointsDisabled', 1, { reason: 'gone' });
          return disabled;
        },
      };
      return tracker as typeof health;
    },
    result: (result) => {
      switch (result.kind) {
        case 'dropped':
          metrics.count('TasksDropped');
          return;
        case 'held':
          metrics.count('ThrottleHolds');
          return;
        case 'diverted':
          metrics.count('SlowLaneDiversions', 1, { reason: result.reason });
          return;
        case 'delivered':
          recordAttempt(result.attempt);
          return;
        case 'retry':
          recordAttempt(result.attempt);
          metrics.count('RetriesScheduled');
          return;
        case 'failed':
          recordAttempt(result.attempt);
          if (result.attempt.triggerType === TriggerType.Scheduled && !result.endpointGone) metrics.count('Exhausted');
          return;
      }
    },
    countPoison: (process) => countPoisonTasks(metrics, process),
  };
}
