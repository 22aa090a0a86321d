/**
 * Operational webhooks: what Sluice tells the operator (not the customers) about deliveries, with the
 * payloads Svix documents (`{type, data}`; see the svix SDK's EndpointDisabledEvent and
 * MessageAttemptExhaustedEvent/FailingEvent models). They go to one URL configured at deploy, signed
 * like every webhook (Standard Webhooks), through the delivery queue so they are retried too.
 */
import { createHash } from 'node:crypto';
import type { Application, Endpoint, Message, MessageAttempt } from '../model.ts';
import type { OperationalQueue, OperationalWebhookTask } from '../tasks/tasks.ts';

/** `message.attempt.failing` is sent on this failure of a message to an endpoint (Svix: the fourth). */
export const FAILING_EVENT_AT_FAILURE = 4;

export interface AttemptRef {
  id: string;
  timestamp: string;
  responseStatusCode: number;
}

export interface EndpointDisabledEvent {
  type: 'endpoint.disabled';
  data: {
    appId: string;
    appUid: string | null;
    endpointId: string;
    endpointUid: string | null;
    /** When the run of failures began; null when a 410 Gone disabled the endpoint at once. */
    failSince: string | null;
    trigger: 'automatic' | 'manual';
  };
}

export interface MessageAttemptEvent {
  type: 'message.attempt.exhausted' | 'message.attempt.failing';
  data: {
    appId: string;
    appUid: string | null;
    endpointId: string;
    msgId: string;
    msgEventId: string | null;
    lastAttempt: AttemptRef;
  };
}

/** `endpoint.created`, `endpoint.updated` (secret rotation included) and `endpoint.deleted`, sent by the API. */
export interface EndpointChangeEvent {
  type: 'endpoint.created' | 'endpoint.updated' | 'endpoint.deleted';
  data: {
    appId: string;
    appUid: string | null;
    endpointId: string;
    endpointUid: string | null;
  };
}

export type OperationalEvent = EndpointDisabledEvent | MessageAttemptEvent | EndpointChangeEvent;

type AppRef = Pick<Application, 'id' | 'uid'>;

export function endpointDisabledEvent(app: AppRef, endpoint: Pick<Endpoint, 'id' | 'uid'>, failSince: string | null): EndpointDisabledEvent {
  return {
    type: 'endpoint.disabled',
    data: { appId: app.id, appUid: app.uid, endpointId: endpoint.id, endpointUid: endpoint.uid, failSince, trigger: 'automatic' },
  };
}

export function endpointChangeEvent(
  type: EndpointChangeEvent['type'],
  app: AppRef,
  endpoint: Pick<Endpoint, 'id' | 'uid'>,
): EndpointChangeEvent {
  return { type, data: { appId: app.id, appUid: app.uid, endpointId: endpoint.id, endpointUid: endpoint.uid } };
}

export function messageAttemptEvent(
  type: MessageAttemptEvent['type'],
  app: AppRef,
  message: Pick<Message, 'id' | 'eventId'>,
  attempt: Pick<MessageAttempt, 'id' | 'timestamp' | 'responseStatusCode' | 'endpointId'>,
): MessageAttemptEvent {
  return {
    type,
    data: {
      appId: app.id,
      appUid: app.uid,
      endpointId: attempt.endpointId,
      msgId: message.id,
      msgEventId: message.eventId,
      lastAttempt: { id: attempt.id, timestamp: attempt.timestamp, responseStatusCode: attempt.responseStatusCode },
    },
  };
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The webhook-id of an event: `msg_` + 27 base62 characters of a hash of what identifies it, so a
 * repeat of the same event (a worker that crashed after queueing it re-queues it) carries the same id
 * and a receiver deduplicates it like any webhook.
 */
export function operationalEventId(event: OperationalEvent): string {
  const identity =
    event.type === 'endpoint.disabled'
      ? [event.type, event.data.appId, event.data.endpointId, event.data.failSince ?? 'gone']
      : 'msgId' in event.data
        ? [event.type, event.data.appId, event.data.msgId, event.data.endpointId]
        : [event.type, event.data.appId, event.data.endpointId];
  let n = BigInt(`0x${createHash('sha256').update(identity.join('/')).digest('hex').slice(0, 40)}`);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return `msg_${out.padStart(27, '0')}`;
}

/**
 * `id` overrides the derived webhook-id, for events that can repeat with the same data (every
 * `endpoint.updated` of one endpoint looks alike, yet each is its own event).
 */
export function operationalTask(event: OperationalEvent, id: string = operationalEventId(event)): OperationalWebhookTask {
  return { kind: 'operational', id, event };
}

/** Emits operational events; a no-op when no operational webhook URL is configured. */
export interface OperationalEvents {
  readonly enabled: boolean;
  emit(event: OperationalEvent): Promise<void>;
}

export function createOperationalEvents(queue: OperationalQueue | undefined): OperationalEvents {
  return {
    enabled: queue !== undefined,
    async emit(event) {
      if (queue !== undefined) await queue.send(operationalTask(event));
    },
  };
}
