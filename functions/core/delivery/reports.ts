/**
 * What follows a failed attempt besides the retry: the endpoint's health (auto-disable, 410 Gone) and
 * the operational webhooks (message.attempt.failing on the 4th failure, message.attempt.exhausted
 * when the schedule ends in failure, endpoint.disabled).
 *
 * message.attempt.exhausted is at-least-once: if queueing it fails, the error fails the task, and the
 * task's next receive (which finds the schedule exhausted in the log) queues it again. The others are
 * best-effort: a failure to queue them is logged, never retried at the cost of the delivery itself.
 */
import type { DeliveryDeps } from './deliver-task.ts';
import type { Endpoint, Message, MessageAttempt } from '../model.ts';
import { TriggerType } from '../model.ts';
import {
  FAILING_EVENT_AT_FAILURE,
  endpointDisabledEvent,
  messageAttemptEvent,
  type OperationalEvent,
} from '../operational/events.ts';

type ReportDeps = Pick<DeliveryDeps, 'lookups' | 'attempts' | 'health' | 'operational' | 'log'>;

export interface ReportOptions {
  endpointGone?: boolean;
  /** A retry is scheduled. */
  retrying?: boolean;
  /** The schedule had already ended in failure: repeat message.attempt.exhausted. */
  exhaustedAgain?: boolean;
}

async function appRef(deps: ReportDeps, appId: string): Promise<{ id: string; uid: string | null }> {
  const app = await deps.lookups.application(appId).catch(() => undefined);
  return { id: appId, uid: app?.uid ?? null };
}

async function bestEffort(deps: ReportDeps, what: string, extra: Record<string, unknown>, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    deps.log.error(`${what} failed`, { ...extra, error: String(error) });
  }
}

export async function reportOutcome(
  deps: ReportDeps,
  message: Message,
  endpoint: Endpoint,
  attempt: MessageAttempt | undefined,
  options: ReportOptions,
): Promise<void> {
  const ids = { appId: message.appId, msgId: message.id, endpointId: endpoint.id };
  const operational = deps.operational;
  const emit = async (event: OperationalEvent): Promise<void> => {
    if (operational?.enabled !== true) return;
    await operational.emit(event);
    deps.log.info('Operational webhook queued', { ...ids, type: event.type });
  };

  if (options.exhaustedAgain === true) {
    if (operational?.enabled !== true) return;
    const last = (await deps.attempts.history(message.appId, message.id, endpoint.id)).last;
    if (last !== undefined) await emit(messageAttemptEvent('message.attempt.exhausted', await appRef(deps, message.appId), message, last));
    return;
  }
  if (attempt === undefined) return;

  const health = deps.health;
  if (health !== undefined) {
    await bestEffort(deps, 'Endpoint health update', ids, async () => {
      if (options.endpointGone === true) {
        deps.log.warn('Endpoint answered 410 Gone: disabling it', ids);
        if (await health.gone(message.appId, endpoint.id)) {
          await emit(endpointDisabledEvent(await appRef(deps, message.appId), endpoint, null));
        }
        return;
      }
      const result = await health.failed(message.appId, endpoint.id);
      if (result.disabled) {
        deps.log.warn('Endpoint disabled: failing without a success for too long', { ...ids, failSince: result.failSince });
        await emit(endpointDisabledEvent(await appRef(deps, message.appId), endpoint, result.failSince));
      }
    });
  }

  if (attempt.triggerType !== TriggerType.Scheduled) return;
  if (options.retrying !== true) {
    // At-least-once: an error here fails the task, whose next receive repeats the notice.
    await emit(messageAttemptEvent('message.attempt.exhausted', await appRef(deps, message.appId), message, attempt));
  } else if (attempt.attemptNumber === FAILING_EVENT_AT_FAILURE) {
    await bestEffort(deps, 'Queueing message.attempt.failing', ids, async () =>
      emit(messageAttemptEvent('message.attempt.failing', await appRef(deps, message.appId), message, attempt)),
    );
  }
}
