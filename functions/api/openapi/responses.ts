/**
 * The response bodies, as zod/mini schemas, for the OpenAPI document only (the serializers in
 * ../serializers/ build the bodies). They cannot drift unnoticed: test/integration/openapi.test.ts
 * validates real responses of an SDK-driven scenario against the document with ajv.
 */
import * as z from 'zod/mini';

const dateTime = z.iso.datetime({ offset: true });
const nullable = <T extends z.core.SomeType>(schema: T) => z.nullable(schema);
const strings = z.array(z.string());
const metadata = z.record(z.string(), z.string());

export const ApplicationOut = z.object({
  id: z.string(),
  uid: nullable(z.string()),
  name: z.string(),
  throttleRate: nullable(z.int()),
  rateLimit: nullable(z.int()),
  metadata,
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const EndpointOut = z.object({
  id: z.string(),
  uid: nullable(z.string()),
  url: z.string(),
  description: z.string(),
  disabled: z.boolean(),
  eventTypes: nullable(strings),
  filterTypes: nullable(strings),
  channels: nullable(strings),
  filter: nullable(z.record(z.string(), z.unknown())),
  // Sluice's ordered endpoints: "fifo" delivers strictly in publish order, one request in flight at a time.
  ordering: z.enum(['fifo', 'unordered']),
  // Sluice's AWS-native destinations: the queue, topic or bus (also the url), the role Sluice assumes
  // and the external id the role's trust policy must require. Null for an HTTP endpoint.
  destination: nullable(
    z.object({
      type: z.enum(['sqs', 'sns', 'events', 'unknown']),
      arn: z.string(),
      roleArn: z.string(),
      externalId: z.string(),
      // The principal the role must trust (the stack's DestinationPrincipalArn); null where not configured.
      principalArn: nullable(z.string()),
    }),
  ),
  throttleRate: nullable(z.int()),
  rateLimit: nullable(z.int()),
  version: z.int(),
  metadata,
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const EndpointSecretOut = z.object({ key: z.string() });

export const EventTypeOut = z.object({
  name: z.string(),
  description: z.string(),
  archived: z.boolean(),
  deprecated: z.boolean(),
  schemas: z.optional(nullable(z.record(z.string(), z.unknown()))),
  groupName: nullable(z.string()),
  featureFlags: nullable(strings),
  /** The open-source server's single flag. */
  featureFlag: nullable(z.string()),
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const MessageOut = z.object({
  id: z.string(),
  eventId: nullable(z.string()),
  eventType: z.string(),
  payload: z.record(z.string(), z.unknown()),
  channels: nullable(strings),
  tags: nullable(strings),
  timestamp: dateTime,
  deliverAt: nullable(dateTime),
});

export const AttemptOut = z.object({
  id: z.string(),
  msgId: z.string(),
  endpointId: z.string(),
  url: z.string(),
  timestamp: dateTime,
  response: z.string(),
  responseStatusCode: z.int(),
  responseDurationMs: z.int(),
  /** 0 success, 1 pending, 2 fail, 3 sending, 4 canceled. */
  status: z.int().check(z.gte(0), z.lte(4)),
  statusText: z.string(),
  /** 0 scheduled, 1 manual. */
  triggerType: z.int().check(z.gte(0), z.lte(1)),
  msg: z.optional(MessageOut),
});

const deliveryState = {
  status: z.int().check(z.gte(0), z.lte(4)),
  statusText: z.string(),
  nextAttempt: nullable(dateTime),
};

/** An endpoint a message was sent to, with how that delivery stands. */
export const MessageEndpointOut = z.object({ ...EndpointOut.def.shape, ...deliveryState });

/** A message sent to an endpoint, with how that delivery stands. */
export const EndpointMessageOut = z.object({ ...MessageOut.def.shape, ...deliveryState });

export const EndpointStatsOut = z.object({ success: z.int(), pending: z.int(), sending: z.int(), fail: z.int(), canceled: z.int() });

export const EndpointHeadersOut = z.object({ headers: z.record(z.string(), z.string()), sensitive: strings });

export const AppPortalAccessOut = z.object({ url: z.string(), token: z.string() });

/** What recover answers with at once (202); the task is then polled at /background-task/{task_id}. */
export const RecoverOut = z.object({
  id: z.string(),
  status: z.enum(['running', 'finished', 'failed']),
  task: z.string(),
  updatedAt: z.optional(dateTime),
});

/** A background task as GET /background-task lists it. */
export const BackgroundTaskOut = z.object({
  id: z.string(),
  status: z.enum(['running', 'finished', 'failed']),
  task: z.string(),
  data: z.record(z.string(), z.unknown()),
  updatedAt: dateTime,
});

export const QueueStatsOut = z.object({
  data: z.array(
    z.object({
      name: z.string(),
      visible: z.int(),
      inFlight: z.int(),
      delayed: z.int(),
      dlqVisible: z.int(),
    }),
  ),
});

/** Svix's list envelope. */
export const listOf = <T extends z.core.SomeType>(item: T) =>
  z.object({ data: z.array(item), iterator: nullable(z.string()), prevIterator: nullable(z.string()), done: z.boolean() });

export const EmptyObject = z.object({});

/** `{code, detail}`: every error but 422. */
export const HttpErrorOut = z.object({ code: z.string(), detail: z.string() });

/** 422: FastAPI-style `{detail: [{loc, msg, type}]}`, which the SDKs model as HTTPValidationError. */
export const ValidationErrorOut = z.object({
  detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.int()])), msg: z.string(), type: z.string() })),
});
