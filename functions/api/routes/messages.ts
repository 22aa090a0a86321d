/** /app/{app_id}/msg…, the attempt logs, and resend. */
import type { AttemptFilter, MessageFilter } from '../../core/ports.ts';
import { mapList } from '../../core/pagination.ts';
import { requireApplication } from '../../core/applications/service.ts';
import { listAttemptsByEndpoint, listAttemptsByMessage, type AttemptWithMessage } from '../../core/attempts/service.ts';
import { resendMessage } from '../../core/messages/manual-delivery.ts';
import { createMessage, listMessages, requireMessage } from '../../core/messages/service.ts';
import { listParams, queryBool, queryInt, queryList, queryString } from '../query.ts';
import { parseMessageIn } from '../schemas/message.ts';
import { attemptOut, messageOut } from '../serializers/messages.ts';
import type { Query, Route } from '../types.ts';

/** Absent or `true` includes the payload (v1 sends none); v2 sends `with_content=false`. */
const withContent = (query: Query): boolean => queryBool(query, 'with_content', true);

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function attemptFilter(query: Query): AttemptFilter {
  return defined({
    status: queryInt(query, 'status', 0, 4),
    statusCodeClass: queryInt(query, 'status_code_class', 0, 5),
    channel: queryString(query, 'channel'),
    tag: queryString(query, 'tag'),
    eventTypes: queryList(query, 'event_types'),
  });
}

/** Reads `with_content` once per request (a bad value is a 422 whether or not the page is empty). */
const attemptsOut = (query: Query): ((item: AttemptWithMessage) => ReturnType<typeof attemptOut>) => {
  const content = withContent(query);
  return (item) => attemptOut(item.attempt, item.msg, content);
};

export const messageRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/app/{app_id}/msg',
    handler: async (req, { stores }) => {
      const params = listParams(req.query, { defaultOrder: 'descending', orderable: false, idKind: 'message' });
      const filter: MessageFilter = defined({
        channel: queryString(req.query, 'channel'),
        tag: queryString(req.query, 'tag'),
        eventTypes: queryList(req.query, 'event_types'),
      });
      const app = await requireApplication(stores, req.params.app_id!);
      const content = withContent(req.query);
      const list = await listMessages(stores, app.id, params, filter);
      return { status: 200, body: mapList(list, (m) => messageOut(m, content)) };
    },
  },
  {
    method: 'POST',
    pattern: '/app/{app_id}/msg',
    handler: async (req, deps) => {
      const input = parseMessageIn(req.body, new Date(), deps.payloadLimitBytes);
      // Read before publishing: a bad with_content must not 422 a message that was already queued.
      const content = withContent(req.query);
      const message = await createMessage(deps, req.params.app_id!, input);
      // A replay renders the message again rather than keeping its payload for 12 h: once the payload
      // expires or is expunged, a replay shows that too.
      const ref = { appId: message.appId, msgId: message.id };
      return { status: 202, body: messageOut(message, content), replay: { kind: 'reference', ref } };
    },
    rerender: async (ref, req, { stores }) => {
      const message = await requireMessage(stores, ref.appId!, ref.msgId!);
      return { status: 202, body: messageOut(message, withContent(req.query)) };
    },
  },
  {
    method: 'GET',
    pattern: '/app/{app_id}/msg/{msg_id}',
    handler: async (req, { stores }) => {
      const app = await requireApplication(stores, req.params.app_id!);
      const message = await requireMessage(stores, app.id, req.params.msg_id!);
      return { status: 200, body: messageOut(message, withContent(req.query)) };
    },
  },
  {
    method: 'POST',
    pattern: '/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend',
    handler: async (req, deps) => {
      await resendMessage(deps, req.params.app_id!, req.params.msg_id!, req.params.endpoint_id!);
      return { status: 202, body: {} };
    },
  },
  {
    method: 'GET',
    pattern: '/app/{app_id}/attempt/endpoint/{endpoint_id}',
    handler: async (req, { stores }) => {
      const params = listParams(req.query, { defaultOrder: 'descending', orderable: false, idKind: 'attempt' });
      const withMsg = queryBool(req.query, 'with_msg', false);
      const serialize = attemptsOut(req.query);
      const { app_id, endpoint_id } = req.params;
      const list = await listAttemptsByEndpoint(stores, app_id!, endpoint_id!, params, attemptFilter(req.query), withMsg);
      return { status: 200, body: mapList(list, serialize) };
    },
  },
  {
    method: 'GET',
    pattern: '/app/{app_id}/attempt/msg/{msg_id}',
    handler: async (req, { stores }) => {
      const params = listParams(req.query, { defaultOrder: 'descending', orderable: false, idKind: 'attempt' });
      const filter = defined({ ...attemptFilter(req.query), endpointId: queryString(req.query, 'endpoint_id') });
      const serialize = attemptsOut(req.query);
      const list = await listAttemptsByMessage(stores, req.params.app_id!, req.params.msg_id!, params, filter);
      return { status: 200, body: mapList(list, serialize) };
    },
  },
];
