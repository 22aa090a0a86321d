/**
 * POST /filter/test (a Sluice extension, not Svix): evaluates a payload filter against a sample
 * message, exactly as the fan-out would, without any endpoint or message existing. An invalid filter
 * is the same 422 as at endpoint create/update.
 */
import * as z from 'zod/mini';
import { matchesFilter } from '../../core/filtering/filter.ts';
import { channels, name, nullish, tags } from '../schemas/common.ts';
import { checkFilter, filterObject } from '../schemas/endpoint.ts';
import { parseOrThrow } from '../schemas/issues.ts';
import type { Route } from '../types.ts';

const payload = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
  message: 'payload must be a JSON object',
  params: { type: 'type_error.dict' },
});

export const FilterTestInSchema = z.object({
  filter: filterObject,
  message: z.object({ eventType: name, payload, channels: nullish(channels), tags: nullish(tags) }),
});

const FilterTestOut = z.object({ matches: z.boolean() });

export const filterTestRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/filter/test',
    handler: async (req) => {
      const { filter, message } = parseOrThrow(FilterTestInSchema, req.body);
      checkFilter(filter);
      const sample = { eventType: message.eventType, payload: message.payload, channels: message.channels ?? null, tags: message.tags ?? null };
      return { status: 200, body: { matches: matchesFilter(filter, sample) } };
    },
    doc: {
      operationId: 'v1.filter.test',
      summary: 'Test a payload filter (Sluice extension)',
      tag: 'Endpoint',
      description: 'Evaluates an endpoint `filter` (an EventBridge event pattern) against a sample message; 422 if the filter is invalid.',
      body: FilterTestInSchema,
      responses: { 200: FilterTestOut },
    },
  },
];
