/**
 * Which endpoints receive a message (Svix's routing rule). Resend and recover bypass the type and
 * channel filters, so they do not go through here.
 */
import type { Endpoint, Message } from '../model.ts';

export type RoutableEndpoint = Pick<Endpoint, 'disabled' | 'eventTypes' | 'channels'>;
export type RoutableMessage = Pick<Message, 'eventType' | 'channels'>;

/**
 * True when the endpoint is enabled, its event-type filter is absent/empty or names the message's
 * type, and its channel filter is absent/empty or shares a channel with the message. A message
 * without channels does not reach an endpoint that filters on channels.
 */
export function endpointMatches(endpoint: RoutableEndpoint, message: RoutableMessage): boolean {
  if (endpoint.disabled) return false;
  const types = endpoint.eventTypes;
  if (types !== null && types !== undefined && types.length > 0 && !types.includes(message.eventType)) return false;
  const wanted = endpoint.channels;
  if (wanted === null || wanted === undefined || wanted.length === 0) return true;
  const has = message.channels ?? [];
  return has.some((channel) => wanted.includes(channel));
}
