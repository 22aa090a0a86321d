/** /app and /app/{app_id}. */
import { mapList } from '../../core/pagination.ts';
import * as apps from '../../core/applications/service.ts';
import { listParams, queryBool } from '../query.ts';
import { parseApplicationIn, parseApplicationPatch } from '../schemas/application.ts';
import { applicationOut } from '../serializers/resources.ts';
import type { Route } from '../types.ts';

export const applicationRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/app',
    handler: async (req, { stores }) => {
      const params = listParams(req.query, { defaultOrder: 'ascending', orderable: true, cursor: 'application' });
      return { status: 200, body: mapList(await apps.listApplications(stores, params), applicationOut) };
    },
  },
  {
    method: 'POST',
    pattern: '/app',
    handler: async (req, { stores }) => {
      const input = parseApplicationIn(req.body);
      const getIfExists = queryBool(req.query, 'get_if_exists', false);
      const { app, created } = await apps.createApplication(stores, input, { getIfExists });
      return { status: created ? 201 : 200, body: applicationOut(app) };
    },
  },
  {
    method: 'GET',
    pattern: '/app/{app_id}',
    handler: async (req, { stores }) => ({
      status: 200,
      body: applicationOut(await apps.requireApplication(stores, req.params.app_id!)),
    }),
  },
  {
    method: 'PUT',
    pattern: '/app/{app_id}',
    handler: async (req, { stores }) => {
      const { app, created } = await apps.upsertApplication(stores, req.params.app_id!, parseApplicationIn(req.body));
      return { status: created ? 201 : 200, body: applicationOut(app) };
    },
  },
  {
    method: 'PATCH',
    pattern: '/app/{app_id}',
    handler: async (req, { stores }) => ({
      status: 200,
      body: applicationOut(await apps.patchApplication(stores, req.params.app_id!, parseApplicationPatch(req.body))),
    }),
  },
  {
    method: 'DELETE',
    pattern: '/app/{app_id}',
    handler: async (req, { stores }) => {
      await apps.deleteApplication(stores, req.params.app_id!);
      return { status: 204 };
    },
  },
];
