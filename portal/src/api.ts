/**
 * The portal is a Svix client like any other: calls go through the official `svix` SDK to the public
 * API on this same origin. Sluice's extensions use plain fetch, since the SDK drops fields it does not
 * know: the operator's queue depths (here) and endpoint reads and writes (sluice-endpoints.ts).
 */
import { ApiException, Svix } from 'svix';

/** `https://host/prod/portal` → `https://host/prod`: the API is served beside the portal. */
export function apiBaseUrl(location: Location): string {
  const path = location.pathname.replace(/\/portal\/?$/, '').replace(/\/+$/, '');
  return `${location.origin}${path}`;
}

export function svixClient(token: string): Svix {
  return new Svix(token, { serverUrl: apiBaseUrl(window.location) });
}

export const isApiError = (error: unknown, status?: number): error is ApiException<unknown> =>
  error instanceof ApiException && (status === undefined || error.code === status);

/** The token expired, was revoked, or never existed. */
export const isUnauthorized = (error: unknown): boolean => isApiError(error, 401);

/**
 * A route this deployment does not have yet (older Sluice): the panel that needs it says so instead of
 * failing. Only used for calls on an entity that exists, so a 404 means the route.
 */
export const isUnavailable = (error: unknown): boolean => isApiError(error, 404) || isApiError(error, 405);

export function describeError(error: unknown): string {
  if (error instanceof ApiException) {
    const body = error.body as { code?: string; detail?: unknown } | undefined;
    const detail = body?.detail;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) {
      return detail
        .map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).slice(1).join('.')}: ${d.msg ?? ''}`.replace(/^: /, ''))
        .join('; ');
    }
    return `The server answered ${error.code}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export interface QueueDepth {
  name: string;
  visible: number;
  inFlight: number;
  delayed: number;
  dlqVisible: number;
}

/** GET /api/v1/ops/queues (admin only); undefined when this deployment has no such route. */
export async function fetchQueueDepths(token: string): Promise<QueueDepth[] | undefined> {
  const response = await fetch(`${apiBaseUrl(window.location)}/api/v1/ops/queues`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  if (response.status === 404 || response.status === 405) return undefined;
  if (!response.ok) throw new Error(`Queue depths: the server answered ${response.status}`);
  const body = (await response.json()) as { data?: QueueDepth[] };
  return body.data ?? [];
}
