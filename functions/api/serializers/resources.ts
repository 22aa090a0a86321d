/**
 * Domain → wire for applications, endpoints and event types. Every required field is always
 * present (strict SDKs fail without them); v1-era aliases are emitted next to their new names.
 */
import type { Application, Endpoint, EventType } from '../../core/model.ts';
import { parseDestinationArn } from '../../core/destinations/arn.ts';

/** What an EndpointOut shows beyond the endpoint itself: deployment facts. */
export interface EndpointView {
  /** The principal destination roles must trust (the delivery role); absent: null. */
  destinationPrincipalArn?: string | undefined;
}

/**
 * An AWS-native destination as the API shows it: its type read from the ARN, and everything the
 * customer's trust policy needs (the principal to trust and the external id to require).
 */
function destinationOut(endpoint: Endpoint, view: EndpointView) {
  const destination = endpoint.destination;
  if (destination === undefined || destination === null) return null;
  return {
    type: parseDestinationArn(destination.arn)?.type ?? 'unknown',
    arn: destination.arn,
    roleArn: destination.roleArn,
    externalId: destination.externalId,
    principalArn: view.destinationPrincipalArn ?? null,
  };
}

export function applicationOut(app: Application) {
  return {
    id: app.id,
    uid: app.uid,
    name: app.name,
    throttleRate: app.throttleRate,
    rateLimit: app.throttleRate,
    metadata: app.metadata ?? {},
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
  };
}

/** Never includes secrets or headers (GET …/secret is the only way to read a secret). */
export function endpointOut(endpoint: Endpoint, view: EndpointView = {}) {
  return {
    id: endpoint.id,
    uid: endpoint.uid,
    url: endpoint.url,
    description: endpoint.description,
    disabled: endpoint.disabled,
    eventTypes: endpoint.eventTypes,
    filterTypes: endpoint.eventTypes,
    channels: endpoint.channels,
    // Sluice's payload filter (not in Svix's EndpointOut; SDKs ignore the extra field).
    filter: endpoint.filter ?? null,
    // Sluice's ordered endpoints (not in Svix's open-source EndpointOut either).
    ordering: endpoint.ordering ?? 'unordered',
    // Sluice's AWS-native destinations: null for an HTTP endpoint.
    destination: destinationOut(endpoint, view),
    throttleRate: endpoint.throttleRate,
    rateLimit: endpoint.throttleRate,
    version: 1,
    metadata: endpoint.metadata ?? {},
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

/** `withContent: false` leaves out the (possibly large) JSON schemas, as Svix does. */
export function eventTypeOut(eventType: EventType, withContent = true) {
  return {
    name: eventType.name,
    description: eventType.description,
    archived: eventType.archived,
    deprecated: eventType.deprecated,
    ...(withContent ? { schemas: eventType.schemas } : {}),
    groupName: eventType.groupName,
    featureFlags: eventType.featureFlags,
    // The open-source server's single flag (svix-openapi.json's EventTypeOut).
    featureFlag: eventType.featureFlags?.[0] ?? null,
    createdAt: eventType.createdAt,
    updatedAt: eventType.updatedAt,
  };
}
