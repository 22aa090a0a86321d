/** /app/{app_id}/endpoint…: CRUD, secret, rotation and recovery. */
import { mapList } from '../../core/pagination.ts';
import { currentSecret, rotateEndpointSecret } from '../../core/endpoints/secrets.ts';
import * as endpoints from '../../core/endpoints/service.ts';
import { recoverEndpoint } from '../../core/messages/manual-delivery.ts';
import { listParams } from '../query.ts';
import { parseEndpointIn, parseEndpointPatch, parseEndpointUpsertIn } from '../schemas/endpoint.ts';
import { parseRecoverIn, parseRotateIn } from '../schemas/operations.ts';
import { endpointOut } from '../serializers/resources.ts';
import type { Route } from '../types.ts';

const ONE = '/app/{app_id}/endpoint/{endpoint_id}';

export const endpointRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/app/{app_id}/endpoint',
    handler: async (req, { stores }) => {
      const params = listParams(req.query, { defaultOrder: 'descending', orderable: true });
      return { status: 200, body: mapList(await endpoints.listEndpoints(stores, req.params.app_id!, params), endpointOut) };
    },
  },
  {
    method: 'POST',
    pattern: '/app/{app_id}/endpoint',
    handler: async (req, { stores, addressPolicy }) => {
      const input = parseEndpointIn(req.body, addressPolicy);
      return { status: 201, body: endpointOut(await endpoints.createEndpoint(stores, req.params.app_id!, input)) };
    },
  },
  {
    method: 'GET',
    pattern: ONE,
    handler: async (req, { stores }) => {
      const { endpoint } = await endpoints.requireEndpoint(stores, req.params.app_id!, req.params.endpoint_id!);
      return { status: 200, body: endpointOut(endpoint) };
    },
  },
  {
    method: 'PUT',
    pattern: ONE,
    handler: async (req, { stores, addressPolicy }) => {
      const input = parseEndpointUpsertIn(req.body, addressPolicy);
      const { endpoint, created } = await endpoints.upsertEndpoint(stores, req.params.app_id!, req.params.endpoint_id!, input);
      return { status: created ? 201 : 200, body: endpointOut(endpoint) };
    },
  },
  {
    method: 'PATCH',
    pattern: ONE,
    handler: async (req, { stores, addressPolicy }) => {
      const patch = parseEndpointPatch(req.body, addressPolicy);
      const endpoint = await endpoints.patchEndpoint(stores, req.params.app_id!, req.params.endpoint_id!, patch);
      return { status: 200, body: endpointOut(endpoint) };
    },
  },
  {
    method: 'DELETE',
    pattern: ONE,
    handler: async (req, { stores }) => {
      await endpoints.deleteEndpoint(stores, req.params.app_id!, req.params.endpoint_id!);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: `${ONE}/secret`,
    handler: async (req, { stores }) => {
      const { endpoint } = await endpoints.requireEndpoint(stores, req.params.app_id!, req.params.endpoint_id!);
      return { status: 200, body: { key: currentSecret(endpoint) } };
    },
  },
  {
    method: 'POST',
    pattern: `${ONE}/secret/rotate`,
    handler: async (req, { stores }) => {
      const input = parseRotateIn(req.body);
      const { endpoint } = await endpoints.requireEndpoint(stores, req.params.app_id!, req.params.endpoint_id!);
      await rotateEndpointSecret(stores, endpoint, input);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: `${ONE}/recover`,
    handler: async (req, deps) => {
      const { since, until } = parseRecoverIn(req.body);
      return { status: 202, body: await recoverEndpoint(deps, req.params.app_id!, req.params.endpoint_id!, since, until) };
    },
  },
];
