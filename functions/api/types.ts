/** The API's internal request/response shapes, between the middlewares, the router and the routes. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { AddressPolicy } from '../core/network/address-policy.ts';
import type { AppTokenRecord, Stores } from '../core/ports.ts';
import type { DeliveryQueue, FanoutQueue, OperationalQueue } from '../core/tasks/tasks.ts';
import type { QueueStats } from '../core/queues/queue-stats.ts';
import type { RouteDoc } from './openapi/route-doc.ts';
import type { EndpointView } from './serializers/resources.ts';

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
  /** A non-JSON answer (the reference page), sent as it is instead of `body`. */
  raw?: { contentType: string; body: string };
  /**
   * How an idempotent replay of this 2xx answer is kept (POST with an idempotency-key). Absent: the
   * body is kept as it is. 'sealed': it holds a secret (a token), so it is kept encrypted with the
   * secret cipher (or not kept at all without one). A reference: it holds data with a lifetime of its
   * own (a payload that expires or is expunged), so only `ref` is kept and the route's `rerender`
   * builds the answer again from the current state.
   */
  replay?: ReplayHint;
}

export type ReplayHint = { kind: 'sealed' } | { kind: 'reference'; ref: Record<string, string> };

export interface RouteDeps {
  stores: Stores;
  fanoutQueue: FanoutQueue;
  deliveryQueue: DeliveryQueue;
  /** The SSRF policy endpoint URLs are checked against (422 at create/update). Absent: any http(s) URL. */
  addressPolicy?: AddressPolicy | undefined;
  /** Queue depths for the operator (GET /ops/queues); absent: that route answers 404. */
  queueStats?: QueueStats | undefined;
  /** The kind of signing secret generated for endpoints and rotations; absent: hmac (whsec_). */
  signatureType?: 'hmac' | 'ed25519' | undefined;
  /** Where endpoint.created/updated/deleted operational webhooks go; absent: none are sent. */
  operationalQueue?: OperationalQueue | undefined;
  /** Reports a failure the answer does not show (an operational webhook that could not be queued). */
  reportError?: ((message: string, error: Error) => void) | undefined;
  /** Ordered endpoints can be created (the FIFO queues are configured); absent or false: 422 for `ordering: "fifo"`. */
  orderedEndpoints?: boolean | undefined;
  /** What EndpointOut shows beyond the endpoint itself (serializers/resources.ts); absent: nothing. */
  endpointView?: EndpointView | undefined;
  /** The biggest message payload accepted (limits.ts bodyLimits); absent: LIMITS.payloadBytes. */
  payloadLimitBytes?: number | undefined;
}

export type RouteHandler = (req: ApiRequest, deps: RouteDeps) => Promise<ApiResult>;

export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below /api/v1, with `{name}` placeholders, e.g. `/app/{app_id}`. */
  pattern: string;
  handler: RouteHandler;
  /** Served without authentication (health). */
  public?: boolean;
  /** What the OpenAPI document says about it (functions/api/openapi/); absent: a generic entry. */
  doc?: RouteDoc;
  /** Rebuilds an answer this route kept as a reference (ApiResult.replay), for an idempotent replay. */
  rerender?: (ref: Record<string, string>, req: ApiRequest, deps: RouteDeps) => Promise<ApiResult>;
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
  /** Set by the handler from the route's answer: how the idempotency layer keeps it. */
  replay?: ReplayHint;
}

export type ApiEvent = APIGatewayProxyEvent & { sluiceState?: RequestState };
