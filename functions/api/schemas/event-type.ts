/** EventTypeIn (POST, carries the name), EventTypeUpsertIn (PUT) and EventTypePatch. */
import * as z from 'zod/mini';
import type { EventTypeInput, EventTypePatch } from '../../core/event-types/service.ts';
import { LIMITS, valueExceedsDepth } from '../limits.ts';
import { description, name, nullish } from './common.ts';
import { parseOrThrow } from './issues.ts';

const featureFlags = z.array(name).check(z.maxLength(LIMITS.featureFlags));

/** Every number DynamoDB (and its marshaller) stores exactly; others would fail the write with a 500. */
function storableNumbers(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number' && v !== 0 && (Math.abs(v) > Number.MAX_SAFE_INTEGER || Math.abs(v) < 1e-130)) return false;
    if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (!Array.isArray(v) && k === '') return false;
        stack.push(child);
      }
    }
  }
  return true;
}

/**
 * JSON schemas per version, stored as DynamoDB maps: bounded in size and nesting (DynamoDB nests at
 * most 32 levels), with no empty keys and no numbers beyond what it stores.
 */
const schemas = z.record(z.string(), z.unknown()).check(
  z.refine((v) => Buffer.byteLength(JSON.stringify(v)) <= LIMITS.schemasBytes, {
    message: `must be at most ${LIMITS.schemasBytes} bytes of JSON`,
    abort: true,
  }),
  z.refine((v) => !valueExceedsDepth(v, LIMITS.schemasDepth), {
    message: `must be nested at most ${LIMITS.schemasDepth} levels deep`,
    abort: true,
  }),
  z.refine(storableNumbers, { message: `must not contain empty keys, or numbers above ${Number.MAX_SAFE_INTEGER} or below 1e-130 in magnitude` }),
);

const upsertFields = {
  description,
  archived: z.optional(z.boolean()),
  deprecated: z.optional(z.boolean()),
  schemas: nullish(schemas),
  groupName: nullish(name),
  featureFlags: nullish(featureFlags),
};

export const EventTypeInSchema = z.object({ name, ...upsertFields });
export const EventTypeUpsertInSchema = z.object(upsertFields);
export const EventTypePatchSchema = z.object({
  description: z.optional(description),
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
