/** Domain → wire for messages and attempts. */
import { ATTEMPT_STATUS_TEXT, type Message, type MessageAttempt } from '../../core/model.ts';
import { payloadExpired } from '../../core/messages/service.ts';

/** A raw payload (transformationsParams.rawPayload) reads as the JSON object it holds, as in Svix. */
function rawPayloadObject(message: Message): Record<string, unknown> | undefined {
  if (message.rawPayload == null) return undefined;
  try {
    const parsed: unknown = JSON.parse(message.rawPayload);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Why a big payload is not in a list page (functions/adapters/dynamo/messages.ts, LIST_OBJECT_BUDGET_BYTES). */
export const OMITTED_FROM_LIST = 'too big to list with the others: GET the message by its id for its payload';

/**
 * `withContent: false` (the v2 SDK default) still sends `payload: {}`, as the open-source server
 * does; a purged payload reads `{"expired": true}`, a big one a list page left out `{"omitted": "…"}`.
 */
export function messageOut(message: Message, withContent: boolean) {
  let payload: Record<string, unknown>;
  if (!withContent) payload = {};
  else if (message.payloadOmitted === true) payload = { omitted: OMITTED_FROM_LIST };
  else if (payloadExpired(message)) payload = { expired: true };
  else payload = rawPayloadObject(message) ?? message.payload ?? { expired: true };
  return {
    id: message.id,
    eventId: message.eventId,
    eventType: message.eventType,
    payload,
    channels: message.channels,
    tags: message.tags,
    timestamp: message.timestamp,
    deliverAt: message.deliverAt,
  };
}

export function attemptOut(attempt: MessageAttempt, msg?: Message, withContent = true) {
  return {
    id: attempt.id,
    msgId: attempt.msgId,
    endpointId: attempt.endpointId,
    url: attempt.url,
    timestamp: attempt.timestamp,
    response: attempt.response,
    responseStatusCode: attempt.responseStatusCode,
    responseDurationMs: attempt.responseDurationMs,
    status: attempt.status,
    statusText: ATTEMPT_STATUS_TEXT[attempt.status],
    triggerType: attempt.triggerType,
    ...(msg === undefined ? {} : { msg: messageOut(msg, withContent) }),
  };
}
