/**
 * Health, public (no token): `GET|HEAD /health` as svix-openapi.json has it (204, no body; the SDK's
 * `health.get()` expects no body), and Svix's `GET|HEAD /health/ping` (204). They say the API function
 * runs and is reachable; they do not probe DynamoDB or SQS, so a load balancer or uptime check can call
 * them often at no cost.
 */
import type { Route } from '../types.ts';

const noContent = async (): Promise<{ status: number }> => ({ status: 204 });

export const healthRoutes: Route[] = (['/health', '/health/ping'] as const).flatMap((pattern) =>
  (['GET', 'HEAD'] as const).map((method): Route => ({ method, pattern, public: true, handler: noContent })),
);
