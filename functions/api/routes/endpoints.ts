/** /app/{app_id}/endpoint…: CRUD, secret, rotation and recovery. */
import { mapList } from '../../core/pagination.ts';
import { rotateEndpointSecret, verificationKey } from '../../core/endpoints/secrets.ts';
import * as endpoints from '../../core/endpoints/service.ts';
import { recoverEndpoint } from '../../core/messages/manual-delivery.ts';
import { notifyEndpointChange } from '../../core/operational/endpoint-changes.ts';
import { listParams } from '../query.ts';
import { checkOrderingAvailable, parseEndpointIn, parseEndpointPatch, parseEndpointUpsertIn } from '../schemas/endpoint.ts';
import { parseRecoverIn, parseRotateIn } from '../schemas/operations.ts';
import { endpointOut } from '../serializers/resources.ts';
import type { Route } from '../types.ts';

const ONE = '/app/{app_id}/endpoint/{endpoint_id}';

export const endpointRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/app/{app_id}/endpoint',
    handler: async (req, { stores, endpointView }) => {
      const params = listParams(req.query, { defaultOrder: 'descending', orderable: true, cursor: 'endpoint' });
      const list = await endpoints.listEndpoints(stores, req.params.app_id!, params);
      return { status: 200, body: mapList(list, (endpoint) => endpointOut(endpoint, endpointView)) };
    },
  },
  {
    method: 'POST',
    pattern: '/app/{app_id}/endpoint',
    handler: async (req, deps) => {
      const input = parseEndpointIn(req.body, deps.addressPolicy);
      checkOrderingAvailable(input.ordering, deps.orderedEndpoints === true);
      const endpoint = await endpoints.createEndpoint(deps.stores, req.params.app_id!, { ...input, signatureType: deps.signatureType });
      await notifyEndpointChange(deps, 'endpoint.created', endpoint.appId, endpoint);
      return { status: 201, body: endpointOut(endpoint, deps.endpointView) };
    },
  },
  {
    method: 'GET',
    pattern: ONE,
    handler: async (req, { stores, endpointView }) => {
      const { endpoint } = await endpoints.requireEndpoint(stores, req.params.app_id!, req.params.endpoint_id!);
      return { status: 200, body: endpointOut(endpoint, endpointView) };
    },
  },
  {
    method: 'PUT',
    pattern: ONE,
    handler: async (req, deps) => {
      const input = parseEndpointUpsertIn(req.body, deps.addressPolicy);
      checkOrderingAvailable(input.ordering, deps.orderedEndpoints === true);
      const { endpoint, created } = await endpoints.upsertEndpoint(deps.stores, req.params.app_id!, req.params.endpoint_id!, {
        ...input,
        signatureType: deps.signatureType,
      });
      await notifyEndpointChange(deps, created ? 'endpoint.created' : 'endpoint.updated', endpoint.appId, endpoint);
      return { status: created ? 201 : 200, body: endpointOut(endpoint, deps.endpointView) };
    },
  },
  {
    method: 'PATCH',
    pattern: ONE,
    handler: async (req, deps) => {
      const patch = parseEndpointPatch(req.body, deps.addressPolicy);
      checkOrderingAvailable(patch.ordering, deps.orderedEndpoints === true);
      const endpoint = await endpoints.patchEndpoint(deps.stores, req.params.app_id!, req.params.endpoint_id!, patch);
      await notifyEndpointChange(deps, 'endpoint.updated', endpoint.appId, endpoint);
      return { status: 200, body: endpointOut(endpoint, deps.endpointView) };
    },
  },
  {
    method: 'DELETE',
    pattern: ONE,
    handler: async (req, deps) => {
      const { app, endpoint } = await endpoints.deleteEndpoint(deps.stores, req.params.app_id!, req.params.endpoint_id!);
      await notifyEndpointChange(deps, 'endpoint.deleted', app, endpoint);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: `${ONE}/secret`,
    handler: async (req, { stores }) => {
      const { endpoint } = await endpoints.requireEndpoint(stores, req.params.app_id!, req.params.endpoint_id!);
      return { status: 200, body: { key: verificationKey(endpoint) } };
    },
  },
  {
    method: 'POST',
    pattern: `${ONE}/secret/rotate`,
    handler: async (req, deps) => {
      const input = parseRotateIn(req.body);
      const { app, endpoint } = await endpoints.requireEndpoint(deps.stores, req.params.app_id!, req.params.endpoint_id!);
      await rotateEndpointSecret(deps.stores, endpoint, { ...input, signatureType: deps.signatureType });
      // Svix reports a rotation as endpoint.updated.
      await notifyEndpointChange(deps, 'endpoint.updated', app, endpoint);
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
