/**
 * POST /app/{app}/endpoint/{ep}/send-example {eventType, exampleIndex}: publishes the event type's
 * schema example (`schemas["1"].examples[exampleIndex]`) as a message to that one endpoint, as
 * Svix's send-example does (a scheduled delivery, retried like any other, skipped if the endpoint is
 * disabled). `svix.ping` needs no event type and sends `{"success": true}`.
 *
 * Svix's open-source server answers 400 `invalid_scheme` when the schema has no example; Sluice
 * answers 422 at ["body", "exampleIndex"] (the index names no example, a validation error).
 */
import { NotFoundError, ValidationError } from '../errors.ts';
import { TriggerType, type Message } from '../model.ts';
import type { Stores } from '../ports.ts';
import type { DeliveryQueue } from '../tasks/tasks.ts';
import { requireEndpoint } from '../endpoints/service.ts';
import { DEFAULT_RETENTION_HOURS, newMessage, storeMessage } from './service.ts';

export const PING_EVENT_TYPE = 'svix.ping';
const PING_PAYLOAD = { success: true };

/** The example at `index` of an event type's version-1 schema, or undefined. */
export function schemaExample(schemas: Record<string, unknown> | null, index: number): Record<string, unknown> | undefined {
  const v1 = schemas?.['1'];
  const examples = typeof v1 === 'object' && v1 !== null ? (v1 as { examples?: unknown }).examples : undefined;
  const example = Array.isArray(examples) ? (examples[index] as unknown) : undefined;
  return typeof example === 'object' && example !== null && !Array.isArray(example) ? (example as Record<string, unknown>) : undefined;
}

export async function sendExample(
  deps: { stores: Stores; deliveryQueue: DeliveryQueue },
  appIdOrUid: string,
  endpointIdOrUid: string,
  input: { eventType: string; exampleIndex: number },
): Promise<Message> {
  const { app, endpoint } = await requireEndpoint(deps.stores, appIdOrUid, endpointIdOrUid);
  let payload: Record<string, unknown>;
  if (input.eventType === PING_EVENT_TYPE) {
    payload = PING_PAYLOAD;
  } else {
    const eventType = await deps.stores.eventTypes.get(input.eventType);
    if (eventType === undefined) throw new NotFoundError();
    const example = schemaExample(eventType.schemas, input.exampleIndex);
    if (example === undefined) {
      throw ValidationError.at(['body', 'exampleIndex'], `event type ${input.eventType} has no schema example at index ${input.exampleIndex}`);
    }
    payload = example;
  }
  const message = newMessage(
    app.id,
    { eventType: input.eventType, payload, eventId: null, channels: null, tags: null, deliverAt: null, retentionHours: DEFAULT_RETENTION_HOURS },
    new Date(),
  );
  await storeMessage(deps.stores, message);
  // Straight to this endpoint's delivery task: no fan-out, so no other endpoint receives the example.
  try {
    await deps.deliveryQueue.sendAll([{ appId: app.id, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled }]);
  } catch (error) {
    // As a failed publish: no stored message that nothing will deliver.
    await deps.stores.messages.delete(message).catch(() => undefined);
    throw error;
  }
  return message;
}
