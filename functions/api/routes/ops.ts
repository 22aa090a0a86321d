/** Operator routes (admin token only: access.ts makes every unlisted route admin-only). */
import { NotFoundError } from '../../core/errors.ts';
import type { Route } from '../types.ts';

export const opsRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/ops/queues',
    handler: async (_req, { queueStats }) => {
      if (queueStats === undefined) throw new NotFoundError();
      return { status: 200, body: { data: await queueStats.read() } };
    },
  },
];
