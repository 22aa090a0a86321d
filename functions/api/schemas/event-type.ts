/** EventTypeIn (POST, carries the name), EventTypeUpsertIn (PUT) and EventTypePatch. */
import * as z from 'zod/mini';
import type { EventTypeInput, EventTypePatch } from '../../core/services/event-types.ts';
import { name, nullish } from './common.ts';
import { parseOrThrow } from './issues.ts';

const featureFlags = z.array(name);
const schemas = z.record(z.string(), z.unknown());

const upsertFields = {
  description: z.string(),
  archived: z.optional(z.boolean()),
  deprecated: z.optional(z.boolean()),
  schemas: nullish(schemas),
  groupName: nullish(name),
  featureFlags: nullish(featureFlags),
};

export const EventTypeInSchema = z.object({ name, ...upsertFields });
export const EventTypeUpsertInSchema = z.object(upsertFields);
export const EventTypePatchSchema = z.object({
  description: z.optional(z.string()),
  archived: z.optional(z.boolean()),
  deprecated: z.optional(z.boolean()),
  schemas: nullish(schemas),
  groupName: nullish(name),
  featureFlags: nullish(featureFlags),
});

function toInput(b: z.infer<typeof EventTypeUpsertInSchema>): EventTypeInput {
  return {
    description: b.description,
    archived: b.archived ?? false,
    deprecated: b.deprecated ?? false,
    schemas: b.schemas ?? null,
    groupName: b.groupName ?? null,
    featureFlags: b.featureFlags ?? null,
  };
}

export function parseEventTypeIn(body: unknown): { name: string; input: EventTypeInput } {
  const b = parseOrThrow(EventTypeInSchema, body);
  return { name: b.name, input: toInput(b) };
}

export const parseEventTypeUpsertIn = (body: unknown): EventTypeInput =>
  toInput(parseOrThrow(EventTypeUpsertInSchema, body));

export function parseEventTypePatch(body: unknown): EventTypePatch {
  const b = parseOrThrow(EventTypePatchSchema, body);
  // Keys present in the body only: absent keeps the stored value.
  return Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) as EventTypePatch;
}
