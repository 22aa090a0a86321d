/**
 * Why a message did or did not reach each endpoint of its application, computed on demand from the
 * message and the endpoints' *current* settings: the fan-out writes nothing extra to answer it later.
 * So an endpoint edited (or created) after the publish is judged as it is now, and an explanation for
 * a payload filter needs the payload: once retention has purged it, the filter sees no `payload`.
 */
import { requireApplication } from '../applications/service.ts';
import { exclusionOf, type RoutingExclusion } from '../fanout/routing.ts';
import { requireMessage } from '../messages/service.ts';
import type { Stores } from '../ports.ts';

export interface EndpointRouting {
  endpointId: string;
  routed: boolean;
  /** Why not (the first that applies: disabled, event-type, channels, filter); null when routed. */
  reason: RoutingExclusion | null;
}

export interface MessageRouting {
  msgId: string;
  /** False once the payload is purged: payload filters were then evaluated without it. */
  payloadAvailable: boolean;
  data: EndpointRouting[];
}

export async function explainRouting(stores: Stores, appIdOrUid: string, msgIdOrEventId: string): Promise<MessageRouting> {
  const app = await requireApplication(stores, appIdOrUid);
  const [message, endpoints] = await Promise.all([requireMessage(stores, app.id, msgIdOrEventId), stores.endpoints.all(app.id)]);
  const data = endpoints.map((endpoint): EndpointRouting => {
    const reason = exclusionOf(endpoint, message);
    return { endpointId: endpoint.id, routed: reason === null, reason };
  });
  return { msgId: message.id, payloadAvailable: message.payload !== null, data };
}
