/**
 * GET /app/{app_id}/msg/{msg_id}/routing (a Sluice extension, not Svix): for every endpoint of the
 * application, whether the message routes to it and, if not, why (disabled, event-type, channels,
 * filter), judged now from the endpoints' current settings.
 */
import * as z from 'zod/mini';
import { explainRouting } from '../../core/filtering/routing-explanation.ts';
import type { Route } from '../types.ts';

const MessageRoutingOut = z.object({
  msgId: z.string(),
  payloadAvailable: z.boolean(),
  data: z.array(
    z.object({
      endpointId: z.string(),
      routed: z.boolean(),
      reason: z.nullable(z.enum(['disabled', 'event-type', 'channels', 'filter'])),
    }),
  ),
});

export const routingRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/app/{app_id}/msg/{msg_id}/routing',
    handler: async (req, { stores }) => ({ status: 200, body: await explainRouting(stores, req.params.app_id!, req.params.msg_id!) }),
    doc: {
      operationId: 'v1.message.routing',
      summary: 'Explain message routing (Sluice extension)',
      tag: 'Message',
      description:
        'For every endpoint of the application: whether the message routes to it and, if not, the first reason ' +
        '(disabled, event-type, channels, filter). Computed now from the current endpoint settings, not recorded at fan-out.',
      responses: { 200: MessageRoutingOut },
    },
  },
];
