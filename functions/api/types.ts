/** The API's internal request/response shapes, between the middlewares, the router and the routes. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { AddressPolicy } from '../core/network/address-policy.ts';
import type { AppTokenRecord, Stores } from '../core/ports.ts';
import type { DeliveryQueue, FanoutQueue } from '../core/tasks/tasks.ts';

/** Read access to the query string: `get` the last value, `all` every value. */
export interface Query {
  get(name: string): string | undefined;
  all(name: string): string[];
}

export interface ApiRequest {
  method: string;
  /** Normalised path below /api/v1, e.g. `/app/app_123/endpoint`. */
  path: string;
  params: Record<string, string>;
  query: Query;
  /** The parsed JSON body; undefined when the request had none. */
  body: unknown;
  /** Who is calling (set by the auth middleware; undefined on public routes). */
  principal?: Principal | undefined;
  /** The API's base URL as the caller reached it (scheme, host, stage), without a trailing slash. */
  baseUrl?: string | undefined;
}

/** The authenticated caller: the admin token, or an app-scoped token bound to one application. */
export type Principal = { kind: 'admin' } | { kind: 'app'; token: AppTokenRecord };

export interface ApiResult {
  status: number;
  /** JSON-serialised; omitted for 204. */
  body?: unknown;
}

export interface RouteDeps {
  stores: Stores;
  fanoutQueue: FanoutQueue;
  deliveryQueue: DeliveryQueue;
  /** The SSRF policy endpoint URLs are checked against (422 at create/update). Absent: any http(s) URL. */
  addressPolicy?: AddressPolicy | undefined;
}

export type RouteHandler = (req: ApiRequest, deps: RouteDeps) => Promise<ApiResult>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below /api/v1, with `{name}` placeholders, e.g. `/app/{app_id}`. */
  pattern: string;
  handler: RouteHandler;
  /** Served without authentication (health). */
  public?: boolean;
}

/** What the middlewares learn about a request, attached to the event for the handler. */
export interface RequestState {
  path: string;
  /** The matched route and its params, or the 404/405 to answer once authenticated. */
  match: { route: Route; params: Record<string, string> } | { error: Error };
  query: Query;
  /** Raw query string as received, in order (part of the idempotency key). */
  rawQuery: string;
  body: unknown;
  /** sha256 of the caller's token: scopes idempotency keys to a credential. */
  tokenScope?: string;
  principal?: Principal;
}

export type ApiEvent = APIGatewayProxyEvent & { sluiceState?: RequestState };
