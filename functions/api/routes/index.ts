/** The route table: every operation under /api/v1. */
import type { Route } from '../types.ts';
import { applicationRoutes } from './applications.ts';
import { authRoutes } from './auth.ts';
import { backgroundTaskRoutes } from './background-tasks.ts';
import { dashboardAccessRoute } from './dashboard-access.ts';
import { deliveryRoutes } from './deliveries.ts';
import { endpointHeaderRoutes } from './endpoint-headers.ts';
import { endpointRoutes } from './endpoints.ts';
import { eventTypeRoutes } from './event-types.ts';
import { filterTestRoutes } from './filter-test.ts';
import { healthRoutes } from './health.ts';
import { messageRoutes } from './messages.ts';
import { openapiRoutes } from './openapi.ts';
import { opsRoutes } from './ops.ts';
import { routingRoutes } from './routing.ts';

export const ROUTES: readonly Route[] = [
  ...healthRoutes,
  ...applicationRoutes,
  ...eventTypeRoutes,
  ...endpointRoutes,
  ...messageRoutes,
  ...routingRoutes,
  ...filterTestRoutes,
  ...deliveryRoutes,
  ...endpointHeaderRoutes,
  ...backgroundTaskRoutes,
  ...authRoutes,
  dashboardAccessRoute,
  ...opsRoutes,
  ...openapiRoutes(() => ROUTES),
];
