/**
 * What an app-scoped token may call, route by route (the admin token may call everything). As in
 * Svix's server:
 * - organisation-level routes (list/create applications, event-type writes, app-portal access, and
 *   also publishing a message and replacing/patching/deleting the application itself) need the admin
 *   token: 403 `insufficient_access`;
 * - routes under /app/{app_id} need the token's application; another application is answered 404
 *   `not_found`, exactly like an application that does not exist, so a token can't probe for others;
 * - each allowed route needs one capability (Svix's AppPortalCapability); readOnly tokens hold only
 *   the viewing ones, so every write is 403.
 * Secure by default: a route missing from the table is admin-only, except reads under /app/{app_id},
 * which are scoped and need ViewBase.
 */
import type { Capability } from '../../core/auth/app-tokens.ts';

export type Requirement =
  | { kind: 'admin' }
  /** Any valid token (logout). */
  | { kind: 'any' }
  /** An app token with `capability`; `scoped`: the route's {app_id} must be the token's application. */
  | { kind: 'app'; capability: Capability; scoped: boolean };

const ONE_ENDPOINT = '/app/{app_id}/endpoint/{endpoint_id}';

const scoped = (capability: Capability): Requirement => ({ kind: 'app', capability, scoped: true });

const APP_TOKEN_ROUTES: Record<string, Requirement> = {
  'POST /auth/logout': { kind: 'any' },
  'GET /event-type': { kind: 'app', capability: 'ViewBase', scoped: false },
  'GET /event-type/{event_type_name}': { kind: 'app', capability: 'ViewBase', scoped: false },
  'GET /app/{app_id}': scoped('ViewBase'),
  'GET /app/{app_id}/endpoint': scoped('ViewBase'),
  [`GET ${ONE_ENDPOINT}`]: scoped('ViewBase'),
  [`GET ${ONE_ENDPOINT}/secret`]: scoped('ViewEndpointSecret'),
  [`POST ${ONE_ENDPOINT}/secret/rotate`]: scoped('ManageEndpointSecret'),
  'POST /app/{app_id}/endpoint': scoped('ManageEndpoint'),
  [`PUT ${ONE_ENDPOINT}`]: scoped('ManageEndpoint'),
  [`PATCH ${ONE_ENDPOINT}`]: scoped('ManageEndpoint'),
  [`DELETE ${ONE_ENDPOINT}`]: scoped('ManageEndpoint'),
  [`POST ${ONE_ENDPOINT}/recover`]: scoped('CreateAttempts'),
  'POST /app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend': scoped('CreateAttempts'),
  'GET /app/{app_id}/msg': scoped('ViewBase'),
  'GET /app/{app_id}/msg/{msg_id}': scoped('ViewBase'),
  'GET /app/{app_id}/attempt/endpoint/{endpoint_id}': scoped('ViewBase'),
  'GET /app/{app_id}/attempt/msg/{msg_id}': scoped('ViewBase'),
  [`PUT ${ONE_ENDPOINT}/headers`]: scoped('ManageEndpoint'),
  [`PATCH ${ONE_ENDPOINT}/headers`]: scoped('ManageEndpoint'),
  // As Svix (OrganizationWithApplication): expunges and send-example need the admin token; they
  // stay off this table on purpose.
  // Not scoped by path (there is no {app_id}): the route itself shows an app token only its app's tasks.
  'GET /background-task': { kind: 'app', capability: 'ViewBase', scoped: false },
  'GET /background-task/{task_id}': { kind: 'app', capability: 'ViewBase', scoped: false },
};

/** What an app token needs to call `method pattern`. */
export function appTokenRequirement(method: string, pattern: string): Requirement {
  const listed = APP_TOKEN_ROUTES[`${method.toUpperCase()} ${pattern}`];
  if (listed !== undefined) return listed;
  if (method.toUpperCase() === 'GET' && pattern.startsWith('/app/{app_id}/')) return scoped('ViewBase');
  return { kind: 'admin' };
}
