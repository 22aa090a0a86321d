/**
 * The documentation of the routes in ../routes/, keyed `METHOD pattern`, with the request schemas
 * the routes validate with (../schemas/) and the response schemas of ./responses.ts. A route that is
 * neither here nor carries Route.doc still appears in the document with a generic entry.
 */
import { ApplicationInSchema, ApplicationPatchSchema } from '../schemas/application.ts';
import { AppPortalAccessInSchema, ApplicationTokenExpireInSchema } from '../schemas/auth.ts';
import { EndpointInSchema, EndpointPatchSchema, EndpointUpsertInSchema } from '../schemas/endpoint.ts';
import { EventTypeInSchema, EventTypePatchSchema, EventTypeUpsertInSchema } from '../schemas/event-type.ts';
import { MessageInSchema } from '../schemas/message.ts';
import { RecoverInSchema, RotateInSchema } from '../schemas/operations.ts';
import { EndpointHeadersInSchema, EndpointHeadersPatchInSchema } from '../schemas/endpoint-headers.ts';
import { EventExampleInSchema } from '../schemas/event-example.ts';
import {
  AppPortalAccessOut,
  ApplicationOut,
  AttemptOut,
  BackgroundTaskOut,
  RecoverOut,
  EmptyObject,
  EndpointHeadersOut,
  EndpointMessageOut,
  EndpointOut,
  EndpointStatsOut,
  MessageEndpointOut,
  EndpointSecretOut,
  EventTypeOut,
  MessageOut,
  QueueStatsOut,
  listOf,
} from './responses.ts';
import type { QueryParamDoc, RouteDoc } from './route-doc.ts';

const int = (minimum: number, maximum?: number) => ({ type: 'integer', minimum, ...(maximum === undefined ? {} : { maximum }) });
const str = { type: 'string' };
const bool = { type: 'boolean' };
const dateTime = { type: 'string', format: 'date-time' };

const q = (name: string, description: string, schema: Record<string, unknown>, array = false): QueryParamDoc => ({
  name,
  description,
  schema,
  ...(array ? { array } : {}),
});

const PAGE: QueryParamDoc[] = [
  q('limit', 'Page size (1–250, default 50)', int(1, 250)),
  q('iterator', 'The `iterator` (next page) or `prevIterator` (previous page) of the last answer', str),
];
const ORDER = q('order', 'Sort order', { type: 'string', enum: ['ascending', 'descending'] });
const TIME_BOUNDS = [q('before', 'Only items created before this time', dateTime), q('after', 'Only items created after this time', dateTime)];
const WITH_CONTENT = q('with_content', 'Include payloads / schemas (default true)', bool);
const MESSAGE_FILTERS = [
  q('channel', 'Only messages on this channel', str),
  q('tag', 'Only messages with this tag', str),
  q('event_types', 'Only these event types (repeatable, up to 100)', str, true),
];
const ATTEMPT_FILTERS = [
  q('status', 'Attempt status (0 success, 1 pending, 2 fail, 3 sending)', int(0, 4)),
  q('status_code_class', 'HTTP status class of the response (0: none, 1–5: 1xx–5xx)', int(0, 5)),
  ...MESSAGE_FILTERS,
  ...TIME_BOUNDS,
  WITH_CONTENT,
];

type Doc = Omit<RouteDoc, 'tag'>;
const tagged = (tag: string, docs: Record<string, Doc>): Record<string, RouteDoc> =>
  Object.fromEntries(Object.entries(docs).map(([key, doc]) => [key, { ...doc, tag }]));

const ONE_ENDPOINT = '/app/{app_id}/endpoint/{endpoint_id}';

export const OPERATIONS: Readonly<Record<string, RouteDoc>> = {
  ...tagged('Health', {
    'GET /health': { operationId: 'v1.health.get', summary: 'Health check', responses: { 204: null } },
    'HEAD /health': { operationId: 'v1.health.head', summary: 'Health check (HEAD)', responses: { 204: null } },
    'GET /health/ping': { operationId: 'v1.health.ping', summary: 'Ping', responses: { 204: null } },
    'HEAD /health/ping': { operationId: 'v1.health.ping-head', summary: 'Ping (HEAD)', responses: { 204: null } },
  }),
  ...tagged('Application', {
    'GET /app': { operationId: 'v1.application.list', summary: 'List applications', query: [...PAGE, ORDER, ...TIME_BOUNDS], responses: { 200: listOf(ApplicationOut) } },
    'POST /app': {
      operationId: 'v1.application.create',
      summary: 'Create an application',
      description: 'With `get_if_exists=true`, an application with the same uid is returned (200) instead of a 409.',
      body: ApplicationInSchema,
      query: [q('get_if_exists', 'Return the existing application with this uid', bool)],
      idempotent: true,
      responses: { 201: ApplicationOut, 200: ApplicationOut },
    },
    'GET /app/{app_id}': { operationId: 'v1.application.get', summary: 'Get an application', responses: { 200: ApplicationOut } },
    'PUT /app/{app_id}': { operationId: 'v1.application.update', summary: 'Create or replace an application', body: ApplicationInSchema, responses: { 200: ApplicationOut, 201: ApplicationOut } },
    'PATCH /app/{app_id}': { operationId: 'v1.application.patch', summary: 'Patch an application', body: ApplicationPatchSchema, responses: { 200: ApplicationOut } },
    'DELETE /app/{app_id}': { operationId: 'v1.application.delete', summary: 'Delete an application', responses: { 204: null } },
  }),
  ...tagged('Event Type', {
    'GET /event-type': {
      operationId: 'v1.event-type.list',
      summary: 'List event types',
      query: [...PAGE, ORDER, WITH_CONTENT, q('include_archived', 'Include archived event types', bool)],
      responses: { 200: listOf(EventTypeOut) },
    },
    'POST /event-type': { operationId: 'v1.event-type.create', summary: 'Create an event type', body: EventTypeInSchema, idempotent: true, responses: { 201: EventTypeOut } },
    'GET /event-type/{event_type_name}': { operationId: 'v1.event-type.get', summary: 'Get an event type', responses: { 200: EventTypeOut } },
    'PUT /event-type/{event_type_name}': { operationId: 'v1.event-type.update', summary: 'Create or replace an event type', body: EventTypeUpsertInSchema, responses: { 200: EventTypeOut, 201: EventTypeOut } },
    'PATCH /event-type/{event_type_name}': { operationId: 'v1.event-type.patch', summary: 'Patch an event type', body: EventTypePatchSchema, responses: { 200: EventTypeOut } },
    'DELETE /event-type/{event_type_name}': {
      operationId: 'v1.event-type.delete',
      summary: 'Archive (or with expunge=true delete) an event type',
      query: [q('expunge', 'Delete instead of archiving', bool)],
      responses: { 204: null },
    },
  }),
  ...tagged('Endpoint', {
    'GET /app/{app_id}/endpoint': { operationId: 'v1.endpoint.list', summary: 'List endpoints', query: [...PAGE, ORDER], responses: { 200: listOf(EndpointOut) } },
    'POST /app/{app_id}/endpoint': { operationId: 'v1.endpoint.create', summary: 'Create an endpoint', body: EndpointInSchema, idempotent: true, responses: { 201: EndpointOut } },
    [`GET ${ONE_ENDPOINT}`]: { operationId: 'v1.endpoint.get', summary: 'Get an endpoint', responses: { 200: EndpointOut } },
    [`PUT ${ONE_ENDPOINT}`]: { operationId: 'v1.endpoint.update', summary: 'Create or replace an endpoint', body: EndpointUpsertInSchema, responses: { 200: EndpointOut, 201: EndpointOut } },
    [`PATCH ${ONE_ENDPOINT}`]: { operationId: 'v1.endpoint.patch', summary: 'Patch an endpoint', body: EndpointPatchSchema, responses: { 200: EndpointOut } },
    [`DELETE ${ONE_ENDPOINT}`]: { operationId: 'v1.endpoint.delete', summary: 'Delete an endpoint', responses: { 204: null } },
    [`GET ${ONE_ENDPOINT}/secret`]: { operationId: 'v1.endpoint.get-secret', summary: "Get the endpoint's current signing secret", responses: { 200: EndpointSecretOut } },
    [`POST ${ONE_ENDPOINT}/secret/rotate`]: {
      operationId: 'v1.endpoint.rotate-secret',
      summary: 'Rotate the signing secret (the old one stays valid for the grace period)',
      body: RotateInSchema,
      idempotent: true,
      responses: { 204: null },
    },
    [`GET ${ONE_ENDPOINT}/headers`]: { operationId: 'v1.endpoint.get-headers', summary: "Get the endpoint's custom headers", responses: { 200: EndpointHeadersOut } },
    [`PUT ${ONE_ENDPOINT}/headers`]: { operationId: 'v1.endpoint.update-headers', summary: "Replace the endpoint's custom headers", body: EndpointHeadersInSchema, responses: { 204: null } },
    [`PATCH ${ONE_ENDPOINT}/headers`]: { operationId: 'v1.endpoint.patch-headers', summary: "Patch the endpoint's custom headers", body: EndpointHeadersPatchInSchema, responses: { 204: null } },
    [`GET ${ONE_ENDPOINT}/stats`]: {
      operationId: 'v1.endpoint.get-stats',
      summary: "Count the endpoint's attempts by status",
      query: [q('since', 'From this time', dateTime), q('until', 'Up to this time', dateTime)],
      responses: { 200: EndpointStatsOut },
    },
    [`POST ${ONE_ENDPOINT}/send-example`]: {
      operationId: 'v1.endpoint.send-example',
      summary: "Send an event type's example payload to the endpoint",
      body: EventExampleInSchema,
      idempotent: true,
      responses: { 200: MessageOut },
    },
    [`POST ${ONE_ENDPOINT}/recover`]: {
      operationId: 'v1.endpoint.recover',
      summary: 'Resend the failed messages of a time window',
      body: RecoverInSchema,
      idempotent: true,
      responses: { 202: RecoverOut },
    },
  }),
  ...tagged('Message', {
    'GET /app/{app_id}/msg': { operationId: 'v1.message.list', summary: 'List messages', query: [...PAGE, ...MESSAGE_FILTERS, ...TIME_BOUNDS, WITH_CONTENT], responses: { 200: listOf(MessageOut) } },
    'POST /app/{app_id}/msg': {
      operationId: 'v1.message.create',
      summary: 'Publish a message to every matching endpoint',
      body: MessageInSchema,
      query: [WITH_CONTENT],
      idempotent: true,
      responses: { 202: MessageOut },
    },
    'GET /app/{app_id}/msg/{msg_id}': { operationId: 'v1.message.get', summary: 'Get a message', query: [WITH_CONTENT], responses: { 200: MessageOut } },
    'DELETE /app/{app_id}/msg/{msg_id}/content': { operationId: 'v1.message.expunge-content', summary: "Delete a message's payload", responses: { 204: null } },
    'GET /app/{app_id}/msg/{msg_id}/endpoint': {
      operationId: 'v1.message-attempt.list-attempted-destinations',
      summary: 'List the endpoints a message was sent to',
      query: PAGE,
      responses: { 200: listOf(MessageEndpointOut) },
    },
    [`GET ${ONE_ENDPOINT}/msg`]: {
      operationId: 'v1.message-attempt.list-attempted-messages',
      summary: 'List the messages sent to an endpoint',
      query: [...PAGE, ...MESSAGE_FILTERS, ...TIME_BOUNDS, WITH_CONTENT, q('status', 'Delivery status', int(0, 4))],
      responses: { 200: listOf(EndpointMessageOut) },
    },
    'POST /app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend': {
      operationId: 'v1.message-attempt.resend',
      summary: 'Resend a message to one endpoint (a manual attempt)',
      idempotent: true,
      responses: { 202: EmptyObject },
    },
  }),
  ...tagged('Message Attempt', {
    'GET /app/{app_id}/attempt/endpoint/{endpoint_id}': {
      operationId: 'v1.message-attempt.list-by-endpoint',
      summary: "List an endpoint's attempts",
      query: [...PAGE, ...ATTEMPT_FILTERS, q('with_msg', 'Include each attempt\'s message', bool)],
      responses: { 200: listOf(AttemptOut) },
    },
    'GET /app/{app_id}/msg/{msg_id}/attempt/{attempt_id}': { operationId: 'v1.message-attempt.get', summary: 'Get an attempt', responses: { 200: AttemptOut } },
    'DELETE /app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/content': {
      operationId: 'v1.message-attempt.expunge-content',
      summary: "Delete an attempt's response body",
      responses: { 204: null },
    },
    'GET /app/{app_id}/attempt/msg/{msg_id}': {
      operationId: 'v1.message-attempt.list-by-msg',
      summary: "List a message's attempts",
      query: [...PAGE, ...ATTEMPT_FILTERS, q('endpoint_id', 'Only attempts to this endpoint', str)],
      responses: { 200: listOf(AttemptOut) },
    },
  }),
  ...tagged('Background Task', {
    'GET /background-task': {
      operationId: 'v1.background-task.list',
      summary: 'List background tasks (recover runs)',
      query: [
        ...PAGE,
        ORDER,
        q('status', 'Only tasks in this state', { type: 'string', enum: ['running', 'finished', 'failed'] }),
        q('task', 'Only tasks of this kind', str),
      ],
      responses: { 200: listOf(BackgroundTaskOut) },
    },
    'GET /background-task/{task_id}': { operationId: 'v1.background-task.get', summary: 'Get a background task', responses: { 200: BackgroundTaskOut } },
  }),
  ...tagged('Authentication', {
    'POST /auth/app-portal-access/{app_id}': {
      operationId: 'v1.authentication.app-portal-access',
      summary: 'Issue an app-scoped token (sluice_app_…)',
      body: AppPortalAccessInSchema,
      idempotent: true,
      responses: { 200: AppPortalAccessOut },
    },
    'POST /auth/dashboard-access/{app_id}': {
      operationId: 'v1.authentication.dashboard-access',
      summary: 'Issue an app-scoped token (deprecated alias of app-portal-access)',
      idempotent: true,
      responses: { 200: AppPortalAccessOut },
    },
    'POST /auth/logout': { operationId: 'v1.authentication.logout', summary: 'Revoke the calling app token', idempotent: true, responses: { 204: null } },
    'POST /auth/app/{app_id}/expire-all': {
      operationId: 'v1.authentication.expire-all',
      summary: "Revoke an application's app tokens",
      body: ApplicationTokenExpireInSchema,
      idempotent: true,
      responses: { 204: null },
    },
  }),
  ...tagged('Operations', {
    'GET /ops/queues': {
      operationId: 'v1.ops.queues',
      summary: 'Queue depths (admin only)',
      description: 'Approximate counts from SQS: waiting, in flight (being worked on or waiting for a retry), delayed, and dead-lettered.',
      responses: { 200: QueueStatsOut },
    },
    'GET /openapi.json': { operationId: 'v1.openapi.get', summary: 'This document (public)', responses: { 200: null } },
    'GET /docs': { operationId: 'v1.openapi.docs', summary: 'The API reference page (public, HTML)', responses: { 200: null } },
    'GET /docs/redoc.standalone.js': { operationId: 'v1.openapi.docs-script', summary: "The reference page's renderer (Redoc)", responses: { 200: null } },
  }),
};
