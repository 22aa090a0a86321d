/**
 * /background-task: the tasks recover starts, polled by id or listed. The admin token sees every
 * application's; an app token only its own application's (another's is a 404, as elsewhere).
 */
import { getBackgroundTask, listBackgroundTasks } from '../../core/background-tasks/service.ts';
import { ValidationError } from '../../core/errors.ts';
import type { BackgroundTaskFilter } from '../../core/ports.ts';
import { mapList } from '../../core/pagination.ts';
import { listParams, queryString } from '../query.ts';
import { backgroundTaskOut } from '../serializers/deliveries.ts';
import type { ApiRequest, Route } from '../types.ts';

const STATUSES = ['running', 'finished', 'failed'] as const;
/** Svix's BackgroundTaskType values; Sluice runs only endpoint.recover, so the others list nothing. */
const KINDS = ['endpoint.replay', 'endpoint.recover', 'application.stats', 'message.broadcast', 'sdk.generate', 'event-type.aggregate', 'application.purge_content', 'endpoint.bulk-replay'] as const;

/** The caller's application when it holds an app token; undefined for the admin. */
const scopeOf = (req: ApiRequest): string | undefined => (req.principal?.kind === 'app' ? req.principal.token.appId : undefined);

function oneOf<T extends string>(req: ApiRequest, name: string, values: readonly T[]): T | undefined {
  const value = queryString(req.query, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw ValidationError.at(['query', name], `must be one of ${values.join(', ')}`);
  return value as T;
}

export const backgroundTaskRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/background-task',
    handler: async (req, { stores }) => {
      const params = listParams(req.query, { defaultOrder: 'descending', orderable: true, cursor: 'task' });
      const filter: BackgroundTaskFilter = {};
      const appId = scopeOf(req);
      const status = oneOf(req, 'status', STATUSES);
      const task = oneOf(req, 'task', KINDS);
      if (appId !== undefined) filter.appId = appId;
      if (status !== undefined) filter.status = status;
      if (task !== undefined && task !== 'endpoint.recover') return { status: 200, body: { data: [], iterator: null, prevIterator: null, done: true } };
      if (task !== undefined) filter.task = task;
      return { status: 200, body: mapList(await listBackgroundTasks(stores, params, filter), backgroundTaskOut) };
    },
  },
  {
    method: 'GET',
    pattern: '/background-task/{task_id}',
    handler: async (req, { stores }) => ({
      status: 200,
      body: backgroundTaskOut(await getBackgroundTask(stores, req.params.task_id!, scopeOf(req))),
    }),
  },
];
