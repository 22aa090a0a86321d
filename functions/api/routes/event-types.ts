/** /event-type and /event-type/{event_type_name}. */
import { mapList } from '../../core/pagination.ts';
import * as eventTypes from '../../core/event-types/service.ts';
import { listParams, queryBool } from '../query.ts';
import { parseEventTypeIn, parseEventTypePatch, parseEventTypeUpsertIn } from '../schemas/event-type.ts';
import { eventTypeOut } from '../serializers/resources.ts';
import type { ApiRequest, Route } from '../types.ts';

/** The feature flags that decide which event types the caller sees: an app token's, or all (admin). */
const flagsOf = (req: ApiRequest): eventTypes.VisibleFlags =>
  req.principal?.kind === 'app' ? (req.principal.token.featureFlags ?? []) : undefined;

export const eventTypeRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/event-type',
    handler: async (req, { stores }) => {
      const params = listParams(req.query, { defaultOrder: 'ascending', orderable: true, cursor: 'name' });
      const includeArchived = queryBool(req.query, 'include_archived', false);
      const withContent = queryBool(req.query, 'with_content', true);
      const list = await eventTypes.listEventTypes(stores, params, includeArchived, flagsOf(req));
      return { status: 200, body: mapList(list, (et) => eventTypeOut(et, withContent)) };
    },
  },
  {
    method: 'POST',
    pattern: '/event-type',
    handler: async (req, { stores }) => {
      const { name, input } = parseEventTypeIn(req.body);
      return { status: 201, body: eventTypeOut(await eventTypes.createEventType(stores, name, input)) };
    },
  },
  {
    method: 'GET',
    pattern: '/event-type/{event_type_name}',
    handler: async (req, { stores }) => ({
      status: 200,
      body: eventTypeOut(await eventTypes.requireEventType(stores, req.params.event_type_name!, flagsOf(req))),
    }),
  },
  {
    method: 'PUT',
    pattern: '/event-type/{event_type_name}',
    handler: async (req, { stores }) => {
      const input = parseEventTypeUpsertIn(req.body);
      const { eventType, created } = await eventTypes.upsertEventType(stores, req.params.event_type_name!, input);
      return { status: created ? 201 : 200, body: eventTypeOut(eventType) };
    },
  },
  {
    method: 'PATCH',
    pattern: '/event-type/{event_type_name}',
    handler: async (req, { stores }) => {
      const patch = parseEventTypePatch(req.body);
      return { status: 200, body: eventTypeOut(await eventTypes.patchEventType(stores, req.params.event_type_name!, patch)) };
    },
  },
  {
    method: 'DELETE',
    pattern: '/event-type/{event_type_name}',
    handler: async (req, { stores }) => {
      await eventTypes.deleteEventType(stores, req.params.event_type_name!, queryBool(req.query, 'expunge', false));
      return { status: 204 };
    },
  },
];
