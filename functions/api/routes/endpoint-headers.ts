/** /app/{app_id}/endpoint/{endpoint_id}/headers: read, replace (PUT) and merge (PATCH) custom headers. */
import { getEndpointHeaders, patchEndpointHeaders, replaceEndpointHeaders } from '../../core/endpoints/headers.ts';
import { LIMITS } from '../limits.ts';
import { parseEndpointHeadersIn, parseEndpointHeadersPatchIn } from '../schemas/endpoint-headers.ts';
import { endpointHeadersOut } from '../serializers/deliveries.ts';
import type { Route } from '../types.ts';

const HEADERS = '/app/{app_id}/endpoint/{endpoint_id}/headers';
const limits = { maxHeaders: LIMITS.headerCount };

export const endpointHeaderRoutes: Route[] = [
  {
    method: 'GET',
    pattern: HEADERS,
    handler: async (req, { stores }) => ({
      status: 200,
      body: endpointHeadersOut(await getEndpointHeaders(stores, req.params.app_id!, req.params.endpoint_id!)),
    }),
  },
  {
    method: 'PUT',
    pattern: HEADERS,
    handler: async (req, { stores }) => {
      const headers = parseEndpointHeadersIn(req.body);
      await replaceEndpointHeaders(stores, req.params.app_id!, req.params.endpoint_id!, headers, limits);
      return { status: 204 };
    },
  },
  {
    method: 'PATCH',
    pattern: HEADERS,
    handler: async (req, { stores }) => {
      const patch = parseEndpointHeadersPatchIn(req.body);
      await patchEndpointHeaders(stores, req.params.app_id!, req.params.endpoint_id!, patch, limits);
      return { status: 204 };
    },
  },
];
