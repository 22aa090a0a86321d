/**
 * Which endpoints receive a message (Svix's routing rule, plus Sluice's payload filters). Resend and
 * recover bypass the type, channel and payload filters, so they do not go through here.
 */
import { matchesFilter, type FilterableMessage } from '../filtering/filter.ts';
import type { Endpoint, Message } from '../model.ts';

export type RoutableEndpoint = Pick<Endpoint, 'disabled' | 'eventTypes' | 'channels'> & Partial<Pick<Endpoint, 'filter'>>;
export type RoutableMessage = Pick<Message, 'eventType' | 'channels'>;

/** Why an endpoint does not get a message, checked in this order. */
export type RoutingExclusion = 'disabled' | 'event-type' | 'channels' | 'filter';

/** The first reason among disabled, event type and channels that keeps `message` from `endpoint`; null if none. */
export function exclusionBeforeFilter(endpoint: RoutableEndpoint, message: RoutableMessage): Exclude<RoutingExclusion, 'filter'> | null {
  if (endpoint.disabled) return 'disabled';
  const types = endpoint.eventTypes;
  if (types !== null && types !== undefined && types.length > 0 && !types.includes(message.eventType)) return 'event-type';
  const wanted = endpoint.channels;
  if (wanted === null || wanted === undefined || wanted.length === 0) return null;
  const has = message.channels ?? [];
  return has.some((channel) => wanted.includes(channel)) ? null : 'channels';
}

/**
 * True when the endpoint is enabled, its event-type filter is absent/empty or names the message's
 * type, and its channel filter is absent/empty or shares a channel with the message. A message
 * without channels does not reach an endpoint that filters on channels. The payload filter is not
 * looked at (it needs the payload): see hasPayloadFilter and exclusionOf.
 */
export function endpointMatches(endpoint: RoutableEndpoint, message: RoutableMessage): boolean {
  return exclusionBeforeFilter(endpoint, message) === null;
}

export const hasPayloadFilter = (endpoint: RoutableEndpoint): boolean => endpoint.filter !== null && endpoint.filter !== undefined;

/** Every check, the payload filter last: why `message` does not reach `endpoint`, or null when it does. */
export function exclusionOf(endpoint: RoutableEndpoint, message: FilterableMessage): RoutingExclusion | null {
  const before = exclusionBeforeFilter(endpoint, message);
  if (before !== null) return before;
  return hasPayloadFilter(endpoint) && !matchesFilter(endpoint.filter, message) ? 'filter' : null;
}
