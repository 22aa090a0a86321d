/**
 * What the OpenAPI document says about one route. A route may carry its own (Route.doc); otherwise
 * ./operations.ts has an entry for it; otherwise the generator writes a generic one, so every routed
 * operation is documented even before someone describes it.
 */
import type * as z from 'zod/mini';

export interface QueryParamDoc {
  name: string;
  description: string;
  schema: Record<string, unknown>;
  /** Repeatable (`event_types=a&event_types=b`). */
  array?: boolean;
}

export interface RouteDoc {
  operationId: string;
  summary: string;
  tag: string;
  description?: string;
  /** The request body: the same zod schema the route validates with. */
  body?: z.ZodMiniType;
  /** The 2xx statuses it answers, with their body schema (none: an empty body, e.g. 204). */
  responses: Readonly<Record<number, z.ZodMiniType | null>>;
  query?: readonly QueryParamDoc[];
  /** Extra header parameters, e.g. idempotency-key. */
  idempotent?: boolean;
}
