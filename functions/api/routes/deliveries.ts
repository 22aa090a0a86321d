/**
 * What happened to messages, attempt by attempt: one attempt, attempted messages of an endpoint,
 * attempted destinations of a message, endpoint stats, the two expunges, and send-example.
 */
import { mapList } from '../../core/pagination.ts';
import { listAttemptedDestinations } from '../../core/attempts/attempted-destinations.ts';
import { listAttemptedMessages } from '../../core/attempts/attempted-messages.ts';
import { endpointStats } from '../../core/attempts/endpoint-stats.ts';
import { expungeAttemptContent, getAttempt } from '../../core/attempts/service.ts';
import { expungeMessageContent } from '../../core/messages/expunge.ts';
import { sendExample } from '../../core/messages/send-example.ts';
import { listParams, queryBool, queryDate, queryInt, queryList, queryString } from '../query.ts';
import { parseEventExampleIn } from '../schemas/event-example.ts';
import { endpointMessageOut, messageEndpointOut } from '../serializers/deliveries.ts';
import { attemptOut, messageOut } from '../serializers/messages.ts';
import type { Route } from '../types.ts';

const ONE_ENDPOINT = '/app/{app_id}/endpoint/{endpoint_id}';
const ONE_ATTEMPT = '/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}';

export const deliveryRoutes: Route[] = [
  {
    method: 'GET',
    pattern: ONE_ATTEMPT,
    handler: async (req, { stores }) => {
      const attempt = await getAttempt(stores, req.params.app_id!, req.params.msg_id!, req.params.attempt_id!);
      return { status: 200, body: attemptOut(attempt) };
    },
  },
  {
    method: 'DELETE',
    pattern: `${ONE_ATTEMPT}/content`,
    handler: async (req, { stores }) => {
      await expungeAttemptContent(stores, req.params.app_id!, req.params.msg_id!, req.params.attempt_id!);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    pattern: '/app/{app_id}/msg/{msg_id}/content',
    handler: async (req, { stores }) => {
      await expungeMessageContent(stores, req.params.app_id!, req.params.msg_id!);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: '/app/{app_id}/msg/{msg_id}/endpoint',
    handler: async (req, { stores, endpointView }) => {
      const params = listParams(req.query, { defaultOrder: 'ascending', orderable: false, cursor: 'endpoint' });
      const list = await listAttemptedDestinations(stores, req.params.app_id!, req.params.msg_id!, params);
      return { status: 200, body: mapList(list, (item) => messageEndpointOut(item, endpointView)) };
    },
  },
  {
    method: 'GET',
    pattern: `${ONE_ENDPOINT}/msg`,
    handler: async (req, { stores }) => {
      const params = listParams(req.query, { defaultOrder: 'descending', orderable: false, idKind: 'message' });
      const filter = {
        status: queryInt(req.query, 'status', 0, 4),
        channel: queryString(req.query, 'channel'),
        tag: queryString(req.query, 'tag'),
        eventTypes: queryList(req.query, 'event_types'),
      };
      // Svix's default for this list: with content.
      const withContent = queryBool(req.query, 'with_content', true);
      const list = await listAttemptedMessages(stores, req.params.app_id!, req.params.endpoint_id!, params, filter, withContent);
      return { status: 200, body: mapList(list, (item) => endpointMessageOut(item, withContent)) };
    },
  },
  {
    method: 'GET',
    pattern: `${ONE_ENDPOINT}/stats`,
    handler: async (req, { stores }) => {
      const window = { since: queryDate(req.query, 'since'), until: queryDate(req.query, 'until') };
      return { status: 200, body: await endpointStats(stores, req.params.app_id!, req.params.endpoint_id!, window) };
    },
  },
  {
    method: 'POST',
    pattern: `${ONE_ENDPOINT}/send-example`,
    handler: async (req, deps) => {
      const input = parseEventExampleIn(req.body);
      const message = await sendExample(deps, req.params.app_id!, req.params.endpoint_id!, input);
      // As Svix: the message without its content.
      return { status: 200, body: messageOut(message, false) };
    },
  },
];
