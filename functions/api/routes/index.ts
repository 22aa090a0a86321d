/** The route table: every operation under /api/v1. */
import type { Route } from '../types.ts';
import { applicationRoutes } from './applications.ts';
import { authRoutes } from './auth.ts';
import { endpointRoutes } from './endpoints.ts';
import { eventTypeRoutes } from './event-types.ts';
import { messageRoutes } from './messages.ts';

const healthRoute: Route = {
  method: 'GET',
  pattern: '/health',
  public: true,
  handler: async () => ({ status: 204 }),
};

export const ROUTES: readonly Route[] = [
  healthRoute,
  ...applicationRoutes,
  ...eventTypeRoutes,
  ...endpointRoutes,
  ...messageRoutes,
  ...authRoutes,
];
